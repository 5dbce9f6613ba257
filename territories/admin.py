"""Back-office for territories, organisations, people and Territoire d'industrie labels."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from territories.admin_filters import (
    EditedByEditorFilter,
    TerritoryDepartementFilter,
    TerritoryIndustryLabelFilter,
    TerritoryRegionFilter,
    relevance_ordering,
    search_tokens,
    tokens_condition,
)
from territories.admin_forms import MERGE_MAX, OrganisationMergeForm
from territories.admin_history import HistoryAdmin
from territories.admin_wording import AddAnotherLabelMixin
from territories.duplicates import organisation_duplicates
from territories.models import (
    IndustryLabel,
    Organisation,
    OrganisationAlias,
    Person,
    Territory,
    TerritoryAlias,
    TerritoryKind,
)
from territories.naming import organisation_key
from territories.pagination import EstimatedCountPaginator
from territories.services import (
    industry_label_mark_edited,
    organisation_mark_edited,
    organisation_merge,
)

# Official data that the reference loader owns on reference rows: editors add aliases instead.
REFERENCE_FIELDS = [
    "kind",
    "code",
    "name",
    "slug",
    "legal_form",
    "population",
    "region",
    "departement",
    "epci",
    "departements",
    "members",
    "is_obsolete",
]
CHILDREN_SHOWN = 200
DUPLICATES_SHOWN = 100


def change_link(obj) -> str:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj)


def links_list(objects) -> str:
    return format_html_join(", ", "{}", ((change_link(obj),) for obj in objects))


class ReferenceProtectedAdmin(HistoryAdmin):
    """Rows loaded from official data (``is_reference``) cannot be deleted, even in bulk."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_reference:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk action already refuses (it asks has_delete_permission for each row): this
        # guard keeps any other caller from deleting reference rows.
        if queryset.filter(is_reference=True).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class TerritoryAliasInline(admin.TabularInline):
    model = TerritoryAlias
    verbose_name = _("alias")
    verbose_name_plural = _("alias")
    add_another_label = _("Ajouter un alias")
    extra = 1
    fields = ["name", "kind", "source"]


@admin.register(Territory)
class TerritoryAdmin(AddAnotherLabelMixin, ReferenceProtectedAdmin):
    list_display = ["name", "kind", "code", "departement", "region", "population", "is_reference"]
    list_filter = [
        "kind",
        TerritoryRegionFilter,
        TerritoryDepartementFilter,
        TerritoryIndustryLabelFilter,
        "is_reference",
        "is_obsolete",
        "legal_form",
    ]
    # The search itself is get_search_results(): accent-insensitive on name, alias and code.
    search_fields = ["name"]
    search_help_text = _("Nom, alias ou sigle (sans tenir compte des accents), ou code officiel.")
    list_select_related = ["departement", "region"]
    readonly_fields = ["is_reference", "parents", "children", "created_at", "updated_at"]
    autocomplete_fields = ["region", "departement", "epci", "departements", "members"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TerritoryAliasInline]
    show_full_result_count = False
    # Facet counts run one COUNT per filter choice over ~37,000 rows: too slow here.
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "code", "legal_form", "population"]}),
        (
            _("Rattachements"),
            {
                "fields": [
                    "parents",
                    "children",
                    "region",
                    "departement",
                    "epci",
                    "departements",
                    "members",
                ]
            },
        ),
        (_("Origine"), {"fields": ["is_reference", "is_obsolete", "created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_reference:
            readonly += [name for name in REFERENCE_FIELDS if name not in readonly]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.is_reference:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        tokens = search_tokens(term)
        condition = Q(code__iexact=term)
        if tokens:
            aliases = TerritoryAlias.objects.filter(tokens_condition("normalized", tokens))
            condition |= tokens_condition("normalized_name", tokens)
            condition |= Q(pk__in=aliases.values("territory_id"))
        queryset = queryset.filter(condition)
        if ORDER_VAR not in request.GET:
            # Best match first, unless the editor sorted a column.
            queryset = relevance_ordering(queryset, term)
        return queryset, False

    @admin.display(description=_("fait partie de"))
    def parents(self, obj):
        if obj.pk is None:
            return "—"
        parents = [*obj.ancestors(), *obj.departements.all(), *obj.groupings.all()]
        labels = list(obj.industry_labels.all())
        parts = []
        if parents:
            parts.append(links_list(dict.fromkeys(parents)))
        if labels:
            parts.append(format_html("{} {}", _("Territoire d'industrie :"), links_list(labels)))
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts)) or "—"

    @admin.display(description=_("comprend"))
    def children(self, obj):
        if obj.pk is None:
            return "—"
        changelist = reverse("admin:territories_territory_changelist")
        match obj.kind:
            case TerritoryKind.REGION:
                shown = obj.region_members.filter(kind=TerritoryKind.DEPARTEMENT)
                scope = f"region={obj.pk}"
            case TerritoryKind.DEPARTEMENT:
                shown = obj.departement_members.filter(kind=TerritoryKind.EPCI)
                scope = f"departement={obj.pk}"
            case TerritoryKind.EPCI:
                shown = obj.communes.all()
                scope = None
            case TerritoryKind.GROUPING:
                shown = obj.members.all()
                scope = None
            case _:
                return "—"
        children = list(shown.order_by("name")[: CHILDREN_SHOWN + 1])
        parts = [links_list(children[:CHILDREN_SHOWN])] if children else []
        if len(children) > CHILDREN_SHOWN:
            parts.append("…")
        if scope:
            parts.append(
                format_html(
                    '<a href="{}?{}&amp;kind__exact=commune">{}</a>',
                    changelist,
                    scope,
                    _("Toutes ses communes"),
                )
            )
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts)) or "—"


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    verbose_name = _("alias")
    verbose_name_plural = _("alias")
    add_another_label = _("Ajouter un alias")
    extra = 1
    fields = ["name", "kind"]


class ArticleCountMixin:
    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Organisation)
class OrganisationAdmin(AddAnotherLabelMixin, ArticleCountMixin, HistoryAdmin):
    list_display = ["name", "kind", "acronym", "home_territory", "article_count", "edited_at"]
    list_filter = ["kind", EditedByEditorFilter]
    search_fields = ["name"]
    search_help_text = _("Nom, sigle ou alias (sans tenir compte des accents).")
    list_select_related = ["home_territory"]
    autocomplete_fields = ["home_territory"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["edited_at", "linked_articles", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "kind", "acronym", "website", "home_territory"]},
        ),
        (_("Présentation"), {"fields": ["description"]}),
        (_("Articles"), {"fields": ["linked_articles"]}),
        (_("Suivi"), {"fields": ["edited_at", "created_at", "updated_at"]}),
    ]
    inlines = [OrganisationAliasInline]
    actions = ["merge_organisations"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("article_links"))

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q(acronym__iexact=term)
        # "Chambre de commerce et d'industrie" is stored as "cci": try both spellings.
        for tokens in {tuple(search_tokens(term)), tuple(organisation_key(term).split())}:
            if not tokens:
                continue
            aliases = OrganisationAlias.objects.filter(tokens_condition("normalized", tokens))
            condition |= tokens_condition("normalized_name", tokens)
            condition |= Q(pk__in=aliases.values("organisation_id"))
        queryset = queryset.filter(condition)
        if ORDER_VAR not in request.GET:
            queryset = relevance_ordering(queryset, term, with_kind=False)
        return queryset, False

    def save_model(self, request, obj, form, change):
        organisation_mark_edited(organisation=obj, user=request.user)

    @admin.display(description=_("articles liés"))
    def linked_articles(self, obj):
        if obj.pk is None:
            return "—"
        articles = list(obj.articles.order_by("-published_on")[:50])
        return links_list(articles) or "—"

    @admin.action(description=_("Fusionner les doublons sélectionnés"), permissions=["change"])
    def merge_organisations(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True)[: MERGE_MAX + 1])
        if not 2 <= len(pks) <= MERGE_MAX:
            self.message_user(
                request,
                _("Choisissez de deux à %(max)d organisations à fusionner.") % {"max": MERGE_MAX},
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(merge_url(pks))

    # Duplicates and the merge page ---------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "doublons/", view(self.duplicates_view), name="territories_organisation_duplicates"
            ),
            path("fusion/", view(self.merge_view), name="territories_organisation_merge"),
            *super().get_urls(),
        ]

    def duplicates_view(self, request):
        """The likely duplicates, strongest first, each with a link to the merge page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        suggestions = organisation_duplicates(limit=DUPLICATES_SHOWN)
        for suggestion in suggestions:
            suggestion.merge_url = merge_url([suggestion.first.pk, suggestion.second.pk])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Doublons probables"),
            "opts": self.model._meta,
            "suggestions": suggestions,
            "shown": DUPLICATES_SHOWN,
            "can_merge": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/territories/organisation/duplicates.html", context)

    def merge_view(self, request):
        """Side by side, the organisations to merge; the editor picks the one kept, confirms."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = OrganisationMergeForm(request.POST or None, ids=request.GET.getlist("ids"))
        organisations = form.organisations
        if len(organisations) < 2:
            self.message_user(
                request,
                _("Choisissez au moins deux organisations à fusionner."),
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:territories_organisation_changelist"))
        if request.method == "POST" and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            report = organisation_merge(
                survivor=survivor,
                others=[org for org in organisations if org.pk != survivor.pk],
                user=request.user,
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d organisation fusionnée dans « %(survivor)s » "
                    "(%(links)d lien(s) d’article déplacé(s)).",
                    "%(count)d organisations fusionnées dans « %(survivor)s » "
                    "(%(links)d lien(s) d’article déplacé(s)).",
                    len(report.removed),
                )
                % {
                    "count": len(report.removed),
                    "survivor": survivor,
                    "links": report.links_moved,
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:territories_organisation_change", args=[survivor.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Fusionner des organisations"),
            "opts": self.model._meta,
            "form": form,
            "columns": merge_columns(organisations, form),
            "rows": merge_rows(organisations),
        }
        return TemplateResponse(request, "admin/territories/organisation/merge.html", context)


def merge_url(pks) -> str:
    return (
        f"{reverse('admin:territories_organisation_merge')}?{urlencode({'ids': pks}, doseq=True)}"
    )


def merge_columns(organisations, form) -> list[dict]:
    """One column per organisation: its radio button ("keep this one") and its page."""
    radios = {str(radio.data["value"]): radio for radio in form["survivor"]}
    return [
        {"organisation": org, "radio": radios.get(str(org.pk)), "url": org_change_url(org)}
        for org in organisations
    ]


def org_change_url(org) -> str:
    return reverse("admin:territories_organisation_change", args=[org.pk])


def merge_rows(organisations) -> list[tuple[str, list]]:
    """The comparison, one row per field, one cell per organisation."""

    def aliases(org):
        names = [alias.name for alias in org.aliases.all()]
        return ", ".join(names) or "—"

    def links(org):
        return ngettext(
            "%(count)d lien (%(confirmed)d confirmé)",
            "%(count)d liens (%(confirmed)d confirmés)",
            org.link_count,
        ) % {"count": org.link_count, "confirmed": org.confirmed_count}

    def website(org):
        if not org.website:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>', org.website, org.website
        )

    fields = [
        (_("Nom"), lambda org: format_html('<a href="{}">{}</a>', org_change_url(org), org)),
        (_("Type"), lambda org: org.get_kind_display()),
        (_("Sigle"), lambda org: org.acronym or "—"),
        (_("Alias"), aliases),
        (_("Territoire d’implantation"), lambda org: org.home_territory or "—"),
        (_("Site web"), website),
        (_("Articles liés"), links),
        (_("Description"), lambda org: Truncator(org.description).chars(200) or "—"),
        (_("Modifiée par un éditeur"), lambda org: _("oui") if org.edited_at else _("non")),
        (_("Créée le"), lambda org: date_format(timezone.localtime(org.created_at), "j F Y")),
    ]
    return [(label, [value(org) for org in organisations]) for label, value in fields]


@admin.register(Person)
class PersonAdmin(ArticleCountMixin, admin.ModelAdmin):
    # People keep no per-object history (Person has no HistoricalRecords): simple-history's
    # views answered every "Historique" of a person with a 500. Django's admin log remains.
    list_display = ["name", "article_count", "created_at"]
    search_fields = ["name", "normalized_name"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("article_links"))


@admin.register(IndustryLabel)
class IndustryLabelAdmin(ArticleCountMixin, ReferenceProtectedAdmin):
    list_display = [
        "name",
        "phase",
        "region",
        "labelled_on",
        "member_count",
        "article_count",
        "code",
    ]
    list_filter = ["phase", ("region", admin.RelatedOnlyFieldListFilter), "is_reference"]
    search_fields = ["name", "normalized_name", "code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "territories"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["is_reference", "edited_at", "supporting_articles"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "code", "phase", "region", "labelled_on"]}),
        (_("Membres"), {"fields": ["territories"]}),
        (_("Articles"), {"fields": ["supporting_articles"]}),
        (_("Origine"), {"fields": ["is_reference", "edited_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_count=Count("article_links", distinct=True),
                member_count=Count("territories", distinct=True),
            )
        )

    def save_model(self, request, obj, form, change):
        industry_label_mark_edited(label=obj, user=request.user)

    @admin.display(description=_("membres"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("articles liés"))
    def supporting_articles(self, obj):
        if obj.pk is None:
            return "—"
        articles = list(obj.articles.order_by("-published_on")[:50])
        return links_list(articles) or "—"
