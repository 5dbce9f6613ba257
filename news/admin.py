"""The editors' back-office for articles, their automatic links and the import history.

Writes go through ``news.services.curation``; this module only wires them to the admin.
"""

import operator
from functools import reduce

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from news.admin_forms import (
    AddTagForm,
    ArticleAdminForm,
    ConfirmAboveForm,
    Decision,
    LinkReviewForm,
    LinkReviewFormSet,
)
from news.admin_imports import ReadOnlyAdminMixin  # also registers the import history
from news.dashboard import pending_links_condition, ready_to_publish_condition
from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticlePerson,
    ArticleStatus,
    ArticleTerritory,
    ImportRun,
    LinkRejection,
    LinkStatus,
    SourceDocument,
    TaggedArticle,
)
from news.review import confidence_floor, confidence_percent
from news.services import publishing
from news.services.curation import (
    LINK_TARGET_FIELDS,
    article_add_tags,
    article_links_confirm,
    article_links_confirm_above,
    article_mark_edited,
    article_mark_reviewed,
    article_unpublish,
    link_confirm,
    link_create,
    link_reject,
    link_unconfirm,
)
from territories.admin_filters import (
    MAX_PK,
    DepartementScopeFilter,
    DropdownFilter,
    EditedByEditorFilter,
    IndustryLabelScopeFilter,
    RegionScopeFilter,
    YesNoListFilter,
)
from territories.admin_history import HistoryAdmin
from territories.admin_wording import AddAnotherLabelMixin
from territories.models import Territory
from territories.pagination import EstimatedCountPaginator

CHANGE_URL = "admin:news_article_change"
CHANGELIST_URL = "admin:news_article_changelist"

admin.site.site_header = _("Territoires d’industrie — rédaction")
admin.site.site_title = _("Rédaction Territoires d’industrie")
admin.site.index_title = _("Tableau de bord de la rédaction")

MAIN_TERRITORIES_SHOWN = 3
IMPORT_RUNS_OFFERED = 20
ADD_TAG_LISTED = 20
SEARCH_CONFIG = "french_unaccent"


# List filters --------------------------------------------------------------------------------


def _territory_links_within(territory: Territory) -> Exists:
    return Exists(
        ArticleTerritory.objects.filter(
            article=OuterRef("pk"),
            territory__in=Territory.objects.within(territory).values("pk"),
        )
    )


class ArticleRegionFilter(RegionScopeFilter):
    """Articles about the région, anything inside it, or one of its Territoires d'industrie."""

    def filter_within(self, queryset, territory):
        labels = ArticleIndustryLabel.objects.filter(
            article=OuterRef("pk"), label__region=territory
        )
        return queryset.filter(_territory_links_within(territory) | Exists(labels))


class ArticleDepartementFilter(DepartementScopeFilter):
    def filter_within(self, queryset, territory):
        return queryset.filter(_territory_links_within(territory))


class ArticleIndustryLabelFilter(IndustryLabelScopeFilter):
    def filter_label(self, queryset, label):
        return queryset.filter(
            Exists(ArticleIndustryLabel.objects.filter(article=OuterRef("pk"), label=label))
        )


class TagFilter(DropdownFilter):
    title = _("étiquette")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags = Tag.objects.filter(pk__in=TaggedArticle.objects.values("tag_id")).order_by("name")
        return [(tag.slug, tag.name) for tag in tags]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        tagged = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__slug=self.value())
        return queryset.filter(Exists(tagged))


class ImportRunFilter(DropdownFilter):
    """The latest imports (any import by its number in the URL: ``?import_run=12``)."""

    title = _("import")
    parameter_name = "import_run"

    def lookups(self, request, model_admin):
        runs = list(
            ImportRun.objects.filter(dry_run=False).order_by("-started_at")[:IMPORT_RUNS_OFFERED]
        )
        # An older import named in the address (a link from its report) is shown as chosen.
        value = self.value()
        if value and value.isdigit() and value not in {str(run.pk) for run in runs}:
            runs += list(ImportRun.objects.filter(pk=min(int(value), MAX_PK)))
        return [(str(run.pk), str(run)) for run in runs]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            return queryset.none()
        return queryset.filter(import_run_id=int(self.value()))


class PublisherFilter(DropdownFilter):
    title = _("éditeur de la source")
    parameter_name = "publisher"

    def lookups(self, request, model_admin):
        publishers = (
            Article.objects.exclude(publisher="")
            .order_by("publisher")
            .values_list("publisher", flat=True)
            .distinct()
        )
        return [(name, name) for name in publishers]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(publisher=self.value())


class PendingLinksFilter(YesNoListFilter):
    title = _("liens à vérifier")
    parameter_name = "pending_links"

    def condition(self):
        return pending_links_condition()


class ReadyToPublishFilter(YesNoListFilter):
    """The work queue's "prêts à publier": checked drafts with text and no pending link."""

    title = _("prêt à publier")
    parameter_name = "ready"

    def condition(self):
        return ready_to_publish_condition()


# Inlines: the review of automatic links -----------------------------------------------------


class LinkInline(admin.TabularInline):
    """The review of an article's links: each row shows the sentence around the matched words,
    the rule and the confidence, and takes one choice (keep, reject, decide later).

    The template (``link_inline.html``) lays the rows out to fit a 1,366-pixel screen.
    """

    form = LinkReviewForm
    formset = LinkReviewFormSet
    template = "admin/news/article/link_inline.html"
    extra = 0
    can_delete = False  # "rejeter" replaces "supprimer": it also records the rejection
    target_field: str

    def get_fields(self, request, obj=None):
        fields = self.editable_fields()
        if self.has_change_permission(request, obj) or self.has_delete_permission(request, obj):
            fields.append("decision")
        return fields

    def editable_fields(self):
        return [self.target_field]

    def get_queryset(self, request):
        # Suggested links first ("suggested" sorts after "confirmed"), least confident first.
        return (
            super()
            .get_queryset(request)
            .select_related(self.target_field)
            .order_by("-status", "confidence", "pk")
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.can_confirm = self.has_change_permission(request, obj)
        formset.can_reject = self.has_delete_permission(request, obj)
        return formset


class ArticleTerritoryInline(LinkInline):
    model = ArticleTerritory
    verbose_name = _("territoire")
    verbose_name_plural = _("territoires")
    add_another_label = _("Ajouter un territoire")
    target_field = "territory"
    autocomplete_fields = ["territory"]


class ArticleOrganisationInline(LinkInline):
    model = ArticleOrganisation
    verbose_name = _("organisation")
    verbose_name_plural = _("organisations")
    add_another_label = _("Ajouter une organisation")
    target_field = "organisation"
    autocomplete_fields = ["organisation"]


class ArticleIndustryLabelInline(LinkInline):
    model = ArticleIndustryLabel
    verbose_name = _("territoire d’industrie")
    verbose_name_plural = _("territoires d’industrie")
    add_another_label = _("Ajouter un territoire d’industrie")
    target_field = "label"
    autocomplete_fields = ["label"]


class ArticlePersonInline(LinkInline):
    model = ArticlePerson
    verbose_name = _("personne citée")
    verbose_name_plural = _("personnes citées")
    add_another_label = _("Ajouter une personne")
    target_field = "person"
    autocomplete_fields = ["person"]

    def editable_fields(self):
        return [self.target_field, "role"]


# Articles ------------------------------------------------------------------------------------


def _suggested_count(model) -> Coalesce:
    counts = (
        model.objects.filter(article=OuterRef("pk"), status=LinkStatus.SUGGESTED)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@admin.register(Article)
class ArticleAdmin(AddAnotherLabelMixin, HistoryAdmin):
    list_display = [
        "title",
        "status",
        "published_on",
        "main_territories",
        "source_file",
        "needs_review_badge",
        "pending_links",
    ]
    list_filter = [
        "status",
        "needs_review",
        PendingLinksFilter,
        ReadyToPublishFilter,
        ArticleRegionFilter,
        ArticleDepartementFilter,
        ArticleIndustryLabelFilter,
        TagFilter,
        ImportRunFilter,
        PublisherFilter,
        EditedByEditorFilter,
    ]
    # On PostgreSQL get_search_results() uses the full-text index instead of these.
    search_fields = ["title", "lead", "body", "source_file", "publisher"]
    search_help_text = _("Titre, chapô, corps, fichier source ou éditeur de la source.")
    date_hierarchy = "published_on"
    ordering = ["-published_on", "-id"]
    list_per_page = 50
    show_full_result_count = False
    # Facet counts run one COUNT per filter choice over the whole table: too slow here.
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True
    form = ArticleAdminForm
    readonly_fields = [
        "links_summary",
        "edited_at",
        "reviewed_at",
        "reviewed_by",
        "source_file",
        "source_position",
        "import_run_link",
        "parser_version",
        "content_hash",
        "source_text_display",
        "created_at",
        "updated_at",
    ]
    # The change form template puts the link inlines right after the "Liens" fieldset.
    fieldsets = [
        (_("Contenu"), {"fields": ["title", "slug", "kicker", "lead", "body", "tags"]}),
        (_("Liens"), {"fields": ["links_summary"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    ("published_on", "date_precision", "date_inferred"),
                    "needs_review",
                    "review_notes",
                    ("reviewed_at", "reviewed_by"),
                    "edited_at",
                ]
            },
        ),
        (
            _("Source"),
            {
                "fields": [("publisher", "source_url"), "is_brief"],
                "description": _(
                    "Ce que les lecteurs voient de l’origine du texte : une brève avec une "
                    "adresse d’origine affiche « Lire la suite sur … »."
                ),
            },
        ),
        (
            _("Provenance"),
            {
                "classes": ["collapse"],
                "fields": [
                    ("source_file", "source_position"),
                    ("import_run_link", "parser_version"),
                    "content_hash",
                    "source_text_display",
                    ("created_at", "updated_at"),
                ],
            },
        ),
    ]
    inlines = [
        ArticleTerritoryInline,
        ArticleOrganisationInline,
        ArticleIndustryLabelInline,
        ArticlePersonInline,
    ]
    actions = [
        "publish_articles",
        "unpublish_articles",
        "mark_reviewed",
        "confirm_suggested_links",
        "add_tag",
    ]

    # Queries -------------------------------------------------------------------------------

    def get_queryset(self, request):
        # One annotation and one prefetch per page, whatever the page size: no N+1.
        return (
            super()
            .get_queryset(request)
            .annotate(
                suggested_link_count=reduce(
                    operator.add, (_suggested_count(model) for model in LINK_TARGET_FIELDS)
                )
            )
            .prefetch_related(
                Prefetch(
                    "territory_links",
                    queryset=ArticleTerritory.objects.select_related("territory").order_by(
                        "-confidence", "pk"
                    ),
                    to_attr="prefetched_territory_links",
                )
            )
        )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        # ``icontains`` on the body reads every row; the full-text index answers at once.
        query = SearchQuery(term, config=SEARCH_CONFIG, search_type="websearch")
        matching = Article.objects.filter(search_vector=query).values("pk")
        condition = (
            Q(pk__in=matching) | Q(source_file__icontains=term) | Q(publisher__icontains=term)
        )
        return queryset.filter(condition), False

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("status")
        return readonly

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("news.publish_article")

    # Saving: every save marks the article as the editor's version --------------------------

    def save_model(self, request, obj, form, change):
        cleared = "needs_review" in form.changed_data and not obj.needs_review
        if "status" in form.changed_data and obj.status == ArticleStatus.PUBLISHED:
            # Published through the publish service once the links are saved too
            # (response_change), which may first ask the editor what to do with pending links.
            obj.status = form.initial.get("status") or ArticleStatus.DRAFT
            request._publish_after_save = True
        article_mark_edited(article=obj, user=request.user, reviewed=cleared)

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, LinkReviewFormSet):
            self.save_link_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def save_link_formset(self, request, formset):
        """Apply each link's decision through the services; feed the admin's change log."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for link_form in formset.initial_forms:
            link = link_form.instance
            decision = link_form.cleaned_data.get("decision")
            if formset.can_reject and decision == Decision.REJECT:
                link_reject(link=link, user=request.user)
                formset.deleted_objects.append(link)
                continue
            changed = [name for name in link_form.changed_data if name != "decision"]
            if changed:
                link_form.save()
            if formset.can_confirm and "decision" in link_form.changed_data:
                if decision == Decision.KEEP and link.status != LinkStatus.CONFIRMED:
                    link_confirm(link=link, user=request.user)
                    changed.append("status")
                elif decision == Decision.UNDECIDED and link.status == LinkStatus.CONFIRMED:
                    link_unconfirm(link=link, user=request.user)
                    changed.append("status")
            if changed:
                formset.changed_objects.append((link, changed))
        for link_form in formset.extra_forms:
            if not link_form.has_changed():
                continue
            link = link_form.save(commit=False)
            link_create(link=link, user=request.user)
            formset.new_objects.append(link)

    # The change form: pending links warning, "confirm all above X %" ----------------------

    def pending_link_count(self, obj) -> int:
        if obj is None or obj.pk is None:
            return 0
        counted = getattr(obj, "suggested_link_count", None)
        if counted is not None:
            return counted
        return sum(
            model.objects.filter(article=obj, status=LinkStatus.SUGGESTED).count()
            for model in LINK_TARGET_FIELDS
        )

    def published_pending_warning(self, obj) -> str:
        """The warning shown while a published article still has links to review."""
        pending = self.pending_link_count(obj)
        if not pending or not obj.is_published:
            return ""
        return ngettext(
            "Cet article est publié mais %(count)d lien reste à vérifier : il n’est pas "
            "visible des lecteurs.",
            "Cet article est publié mais %(count)d liens restent à vérifier : ils ne sont pas "
            "visibles des lecteurs.",
            pending,
        ) % {"count": pending}

    def can_confirm_links(self, request, obj) -> bool:
        return any(
            inline.has_change_permission(request, obj)
            for inline in self.get_inline_instances(request, obj)
            if isinstance(inline, LinkInline)
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["pending_link_count"] = self.pending_link_count(obj)
            context["published_pending_warning"] = self.published_pending_warning(obj)
            if self.can_confirm_links(request, obj) and context["pending_link_count"]:
                # First offered: the threshold above which a trusted import confirms links.
                context["confirm_above_form"] = ConfirmAboveForm(
                    initial={"confirm_above": confidence_percent(settings.IMPORT_CONFIRM_THRESHOLD)}
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self.publish_after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        if "_confirm_above" not in request.POST:
            return self.publish_after_save(request, obj) or super().response_change(request, obj)
        # The article and the choices made row by row are saved first; the button then
        # confirms what is left suggested at or above the threshold.
        form = ConfirmAboveForm(request.POST)
        if not self.can_confirm_links(request, obj):
            self.message_user(
                request, gettext("Vous ne pouvez pas confirmer de liens."), messages.ERROR
            )
        elif not form.is_valid():
            self.message_user(
                request,
                gettext(
                    "Article enregistré ; indiquez un pourcentage entre 1 et 100 pour "
                    "confirmer les liens."
                ),
                messages.ERROR,
            )
        else:
            percent = form.cleaned_data["confirm_above"]
            count = article_links_confirm_above(
                article=obj, minimum=confidence_floor(percent), user=request.user
            )
            if count:
                self.log_change(
                    request,
                    obj,
                    gettext("Liens suggérés confirmés à partir de %(percent)d %%")
                    % {"percent": percent},
                )
            self.message_user(
                request,
                ngettext(
                    "Article enregistré ; %(count)d lien confirmé (confiance d’au moins "
                    "%(percent)d %%).",
                    "Article enregistré ; %(count)d liens confirmés (confiance d’au moins "
                    "%(percent)d %%).",
                    count,
                )
                % {"count": count, "percent": percent},
                messages.SUCCESS,
            )
        # Saved as "publié" too: published now, with fewer links left to ask about.
        return self.publish_after_save(request, obj) or HttpResponseRedirect(request.path)

    # List columns and read-only fields -----------------------------------------------------

    @admin.display(description=_("territoires"))
    def main_territories(self, obj):
        links = getattr(obj, "prefetched_territory_links", [])
        shown = links[:MAIN_TERRITORIES_SHOWN]
        suggested = gettext("lien suggéré par l’import, à vérifier")
        names = format_html_join(
            ", ",
            "{}",
            (
                (
                    format_html(
                        '<span class="link-suggested" title="{}">{}'
                        '<span class="link-suggested-mark" aria-hidden="true"> ?</span>'
                        '<span class="visually-hidden"> ({})</span></span>',
                        suggested,
                        link.territory,
                        suggested,
                    )
                    if link.status == LinkStatus.SUGGESTED
                    else link.territory,
                )
                for link in shown
            ),
        )
        if len(links) > len(shown):
            return format_html("{} (+{})", names, len(links) - len(shown))
        return names or "—"

    @admin.display(description=_("à vérifier"), ordering="needs_review")
    def needs_review_badge(self, obj):
        # A green tick read as "all good": the flag means the opposite, so it is spelt out.
        if obj.needs_review:
            return format_html('<span class="badge badge-review">{}</span>', _("À vérifier"))
        return "—"

    @admin.display(description=_("liens en attente"), ordering="suggested_link_count")
    def pending_links(self, obj):
        if not obj.suggested_link_count:
            return "—"
        return format_html('<span class="badge badge-pending">{}</span>', obj.suggested_link_count)

    @admin.display(description=_("liens"))
    def links_summary(self, obj):
        if obj is None or obj.pk is None:
            return _("Ajoutez les territoires, organisations et personnes ci-dessous.")
        pending = self.pending_link_count(obj)
        parts = [
            ngettext(
                "%(count)d lien suggéré par l’import à garder ou rejeter ci-dessous.",
                "%(count)d liens suggérés par l’import à garder ou rejeter ci-dessous.",
                pending,
            )
            % {"count": pending}
            if pending
            else gettext("Aucun lien suggéré en attente : tous les liens ont été vérifiés.")
        ]
        rejections = list(obj.rejections.select_related("content_type").prefetch_related("target"))
        if rejections:
            rejected = ", ".join(
                str(rejection.target or rejection.matched_text) for rejection in rejections
            )
            parts.append(
                _("Liens rejetés (l'import ne les recrée pas) : %(links)s.") % {"links": rejected}
            )
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))

    @admin.display(description=_("import"))
    def import_run_link(self, obj):
        if obj.import_run_id is None:
            return "—"
        url = reverse("admin:news_importrun_change", args=[obj.import_run_id])
        return format_html('<a href="{}">{}</a>', url, obj.import_run)

    @admin.display(description=_("texte source brut"))
    def source_text_display(self, obj):
        if not obj.source_text:
            return "—"
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 30em; overflow: auto">{}</pre>',
            obj.source_text,
        )

    # Actions -------------------------------------------------------------------------------

    def _log(self, request, articles, message: str) -> None:
        if articles:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=articles,
                action_flag=CHANGE,
                change_message=message,
            )

    # Publishing: the publish service decides, the admin asks the editor ---------------------

    def publish_after_save(self, request, obj):
        """After a change form saved with the status "publié": publish through the service, or
        show the confirmation page when links are pending or the article is incomplete."""
        if not getattr(request, "_publish_after_save", False):
            return None
        try:
            result = publishing.publish_articles(articles=[obj], user=request.user)
        except publishing.PublishBlocked as blocked:
            return self.publish_confirmation(
                request, [obj], blocked, next_url=reverse(CHANGE_URL, args=[obj.pk])
            )
        self._report_publication(request, result)
        return None

    @admin.action(description=_("Publier les articles sélectionnés"), permissions=["publish"])
    def publish_articles(self, request, queryset):
        articles = list(queryset)
        decision = request.POST.get("links")
        try:
            result = publishing.publish_articles(
                articles=articles,
                user=request.user,
                confirm_links={"confirm": True, "leave": False}.get(decision),
                allow_incomplete=request.POST.get("allow_incomplete") == "on",
            )
        except publishing.PublishBlocked as blocked:
            return self.publish_confirmation(
                request, articles, blocked, next_url=request.POST.get("next", ""), asked=decision
            )
        self._report_publication(request, result)
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(next_url)
        return None

    def _report_publication(self, request, result) -> None:
        self._log(request, result.published, gettext("Publié"))
        count = len(result.published)
        message = ngettext("%(count)d article publié.", "%(count)d articles publiés.", count) % {
            "count": count
        }
        if result.links_confirmed:
            message += " " + ngettext(
                "%(links)d lien confirmé.", "%(links)d liens confirmés.", result.links_confirmed
            ) % {"links": result.links_confirmed}
        if result.links_left:
            message += " " + ngettext(
                "%(links)d lien reste à vérifier : il n’est pas visible des lecteurs.",
                "%(links)d liens restent à vérifier : ils ne sont pas visibles des lecteurs.",
                result.links_left,
            ) % {"links": result.links_left}
        self.message_user(request, message, messages.SUCCESS)

    def publish_confirmation(self, request, articles, blocked, *, next_url="", asked=None):
        """The page that asks what to do with pending links and incomplete articles."""
        pending = blocked.suggested_links
        if len(articles) == 1:
            review_url = reverse(CHANGE_URL, args=[articles[0].pk])
        else:
            ids = ",".join(str(check.article.pk) for check in blocked.checks)
            review_url = f"{reverse(CHANGELIST_URL)}?id__in={ids}"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publier : des points à vérifier"),
            "opts": self.model._meta,
            "checks": blocked.checks,
            "pending": pending,
            "incomplete": blocked.incomplete,
            # The editor chose for the links but not for the incomplete articles.
            "incomplete_error": asked is not None and bool(blocked.incomplete),
            "asked": asked if asked in {"confirm", "leave"} else None,
            "ready": len(articles) - len(blocked.checks),
            "selected": [article.pk for article in articles],
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "changelist_url": reverse(CHANGELIST_URL),
            "review_url": review_url,
            "next_url": next_url,
            "saved": bool(next_url),
        }
        return TemplateResponse(request, "admin/news/article/publish_confirmation.html", context)

    @admin.action(description=_("Dépublier les articles sélectionnés"), permissions=["publish"])
    def unpublish_articles(self, request, queryset):
        changed = article_unpublish(articles=queryset, user=request.user)
        self._log(request, changed, gettext("Dépublié"))
        self.message_user(
            request,
            ngettext(
                "%(count)d article dépublié (repassé en brouillon).",
                "%(count)d articles dépubliés (repassés en brouillon).",
                len(changed),
            )
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Marquer comme vérifiés"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        changed = article_mark_reviewed(articles=queryset, user=request.user)
        self._log(request, changed, gettext("Vérifié"))
        self.message_user(
            request,
            ngettext(
                "%(count)d article marqué comme vérifié.",
                "%(count)d articles marqués comme vérifiés.",
                len(changed),
            )
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Confirmer tous leurs liens suggérés"), permissions=["change"])
    def confirm_suggested_links(self, request, queryset):
        articles = list(queryset)
        count = article_links_confirm(articles=articles, user=request.user)
        if count:
            self._log(request, articles, gettext("Liens suggérés confirmés"))
        self.message_user(
            request,
            ngettext("%(count)d lien confirmé.", "%(count)d liens confirmés.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ajouter une étiquette"), permissions=["change"])
    def add_tag(self, request, queryset):
        form = AddTagForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            tags = form.cleaned_data["tags"]
            changed = article_add_tags(articles=queryset, tags=tags, user=request.user)
            self._log(
                request,
                changed,
                gettext("Étiquettes ajoutées : %(tags)s") % {"tags": ", ".join(tags)},
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d article étiqueté « %(tags)s ».",
                    "%(count)d articles étiquetés « %(tags)s ».",
                    len(changed),
                )
                % {"count": len(changed), "tags": ", ".join(tags)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ajouter une étiquette"),
            "opts": self.model._meta,
            "form": form,
            "count": queryset.count(),
            "sample": queryset[:ADD_TAG_LISTED],
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_name": "add_tag",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/news/article/add_tag.html", context)


# Import history: read-only (the runs and their files in news.admin_imports) ------------


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "parser_version", "imported_at", "first_run"]
    list_filter = ["parser_version"]
    list_select_related = ["first_run"]
    search_fields = ["name", "content_hash"]


@admin.register(LinkRejection)
class LinkRejectionAdmin(admin.ModelAdmin):
    """Rejected links; deleting one lets the importer suggest that link again."""

    list_display = [
        "article",
        "content_type",
        "target",
        "matched_text",
        "rejected_by",
        "rejected_at",
    ]
    list_filter = ["content_type", ("rejected_at", admin.DateFieldListFilter)]
    list_select_related = ["article", "content_type", "rejected_by"]
    search_fields = ["article__title", "matched_text"]
    fields = ["article", "content_type", "object_id", "matched_text", "rejected_by", "rejected_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("objet rejeté"))
    def target(self, obj):
        return obj.target or "—"
