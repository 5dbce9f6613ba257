"""The import history in the admin, and "Importer un lot": a batch imported from the browser.

Runs are records written by the importer: the admin shows them as French reports (per file its
outcome, its reason and the articles it created or updated, linked) and never edits them. An
upload is read and checked by ``news.services.uploads``, then imported by
``news.services.imports.texts_import`` — the same service, transactions, lock and run record
as ``loadseeds``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from news.admin_filters import ImportFileRunFilter
from news.models import Article, FileOutcome, ImportFileResult, ImportRun, ImportRunStatus
from news.services.imports import import_run_interruption, texts_import
from news.services.uploads import UploadLimits, upload_read

IMPORT_PERMISSION = "news.import_batch"
PUBLISH_PERMISSION = "news.publish_article"
FILES_PER_PAGE = 100

# What an import did to each article of a file (``ArticleOutcome.action``).
ARTICLE_ACTIONS = {
    "created": _("créé"),
    "updated": _("mis à jour"),
    "unchanged": _("inchangé"),
    "kept": _("conservé : modifié par un éditeur, l’import n’y a pas touché"),
    "duplicate": _("en double dans le fichier : ignoré"),
}
# The run's figures (``ImportReport.summary()``), in the order the report gives them; the file
# counts first, each with the outcome it counts.
FILE_FIGURES = [
    ("imported", FileOutcome.IMPORTED, _("importés")),
    ("unchanged", FileOutcome.UNCHANGED, _("inchangés")),
    ("skipped", FileOutcome.SKIPPED, _("ignorés")),
    ("failed", FileOutcome.FAILED, _("en échec")),
]
ARTICLE_FIGURES = [
    ("articles_created", _("Articles créés")),
    ("articles_updated", _("Articles mis à jour")),
    ("articles_unchanged", _("Articles inchangés")),
    ("articles_kept", _("Articles conservés (modifiés par un éditeur)")),
    ("links_created", _("Liens suggérés créés")),
    ("needs_review", _("Articles à vérifier dans ces fichiers")),
]


class ReadOnlyAdminMixin:
    """History is written by the importer only: the admin shows it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The report ----------------------------------------------------------------------------------


@dataclass
class ArticleLine:
    action: str
    title: str
    admin_url: str = ""
    public_url: str = ""
    needs_review: bool = False
    links_created: int = 0
    missing: bool = False  # deleted since the run


@dataclass
class FileLine:
    result: ImportFileResult
    articles: list[ArticleLine]


def _duration(run: ImportRun) -> str:
    if run.finished_at is None:
        return ""
    seconds = max(0, round((run.finished_at - run.started_at).total_seconds()))
    if seconds < 60:
        return ngettext("%(count)d seconde", "%(count)d secondes", seconds) % {"count": seconds}
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return gettext("%(minutes)d min %(seconds)02d s") % {
            "minutes": minutes,
            "seconds": seconds,
        }
    hours, minutes = divmod(minutes, 60)
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


def file_lines(results: list[ImportFileResult]) -> list[FileLine]:
    """Each file's articles as the report lists them, read in one query for all the files."""
    entries = [
        (result, entry)
        for result in results
        for entry in (result.details or {}).get("articles", [])
        if isinstance(entry, dict)
    ]
    ids = {entry["article_id"] for _, entry in entries if entry.get("article_id")}
    # Results recorded before articles kept their id name them by slug.
    slugs = {
        entry["slug"] for _, entry in entries if not entry.get("article_id") and entry.get("slug")
    }
    found = {}
    if ids or slugs:
        public = Article.objects.published().filter(pk=OuterRef("pk"))
        articles = (
            Article.objects.filter(Q(pk__in=ids) | Q(slug__in=slugs))
            .only("pk", "slug", "title", "needs_review")
            .annotate(is_public=Exists(public))
        )
        for article in articles:
            found[article.pk] = found[article.slug] = article
    lines = {result.pk: FileLine(result, []) for result in results}
    for result, entry in entries:
        action = entry.get("action", "")
        article = found.get(entry.get("article_id")) or found.get(entry.get("slug"))
        line = ArticleLine(
            action=str(ARTICLE_ACTIONS.get(action, action)),
            title=entry.get("title") or gettext("(sans titre)"),
            links_created=entry.get("links_created") or 0,
            missing=action != "duplicate" and article is None,
        )
        if article is not None and action != "duplicate":
            line.title = article.title
            line.needs_review = article.needs_review
            line.admin_url = reverse("admin:news_article_change", args=[article.pk])
            if article.is_public:
                line.public_url = article.get_absolute_url()
        lines[result.pk].articles.append(line)
    return list(lines.values())


def _options(run: ImportRun) -> list[tuple[str, str]]:
    options = run.options or {}
    rows = []
    if options.get("uploads"):
        rows.append((gettext("Fichiers envoyés"), ", ".join(options["uploads"])))
    if options.get("paths"):
        rows.append((gettext("Fichiers et dossiers lus"), ", ".join(options["paths"])))
    rows.append(
        (
            gettext("Articles publiés par l’import"),
            gettext("oui") if options.get("publish") else gettext("non, brouillons"),
        )
    )
    if run.dry_run:
        rows.append((gettext("Simulation"), gettext("oui : rien n’a été écrit")))
    if options.get("parser_version"):
        rows.append((gettext("Version de l’analyseur"), str(options["parser_version"])))
    return rows


def _figures(run: ImportRun) -> tuple[list[dict], list[dict]]:
    summary = run.summary or {}
    files_url = reverse("admin:news_importfileresult_changelist")
    articles_url = reverse("admin:news_article_changelist")
    file_rows = [
        {
            "label": label,
            "value": getattr(run, key),
            "outcome": outcome,
            "url": files_url
            + "?"
            + urlencode({"run__id__exact": run.pk, "outcome__exact": outcome}),
        }
        for key, outcome, label in FILE_FIGURES
    ]
    article_rows = [
        {"label": label, "value": summary[key]}
        for key, label in ARTICLE_FIGURES
        if isinstance(summary.get(key), int)
    ]
    article_rows.insert(
        0,
        {
            "label": gettext("Articles dont c’est le dernier import"),
            "value": run.article_total,
            "url": f"{articles_url}?{urlencode({'import_run': run.pk})}",
        },
    )
    return file_rows, article_rows


# The upload form -----------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: the cleaned value is a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def upload_limits() -> UploadLimits:
    return UploadLimits(
        file_bytes=settings.IMPORT_MAX_FILE_BYTES,
        total_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
        archive_members=settings.IMPORT_MAX_ARCHIVE_MEMBERS,
    )


class ImportUploadForm(forms.Form):
    publish = forms.BooleanField(
        label=_("Publier les articles importés"),
        required=False,
        help_text=_(
            "Comme « loadseeds --publish » : pour un lot de confiance. Sans cette case, les "
            "articles arrivent en brouillon."
        ),
    )
    files = MultipleFileField(
        label=_("Fichiers"),
        allow_empty_file=True,  # an empty text is the import's "ignoré : fichier vide"
        widget=MultipleFileInput(attrs={"accept": ".txt,.text,.zip,text/plain,application/zip"}),
        error_messages={"required": _("Choisissez au moins un fichier .txt ou une archive .zip.")},
    )

    def __init__(self, *args, can_publish: bool, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if not can_publish:
            del self.fields["publish"]
        # The publish box comes first in the page, the file field last: the browser sends the
        # fields in that order, so that the CSRF token and the box arrive before the files.
        self.order_fields(["publish", "files"])

    def clean(self):
        cleaned = super().clean()
        limits = upload_limits()
        if self.too_large:
            raise ValidationError(
                gettext(
                    "L’envoi dépasse %(limit)s : rien n’a été importé. Envoyez le lot en "
                    "plusieurs fois."
                )
                % {"limit": filesizeformat(limits.total_bytes)},
                code="too_large",
            )
        if not cleaned.get("files"):
            return cleaned
        batch = upload_read(files=cleaned["files"], limits=limits)
        if batch.problems:
            raise ValidationError(
                [
                    gettext(
                        "Rien n’a été importé : retirez ou corrigez ces fichiers, puis recommencez."
                    ),
                    *[str(problem) for problem in batch.problems],
                ]
            )
        cleaned["batch"] = batch
        return cleaned


# Admin classes -------------------------------------------------------------------------------


def _outcome_count(outcome: str) -> Count:
    return Count("files", filter=Q(files__outcome=outcome))


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "status_display",
        "triggered_by",
        "dry_run",
        "finished_at",
        "imported_count",
        "unchanged_count",
        "skipped_count",
        "failed_count",
        "article_count",
    ]
    list_filter = ["status", "dry_run", ("started_at", admin.DateFieldListFilter)]
    search_fields = ["triggered_by", "files__path"]
    date_hierarchy = "started_at"
    report_template = "admin/news/importrun/report.html"
    upload_template = "admin/news/importrun/upload.html"

    def get_urls(self):
        upload = path(
            "importer/",
            self.admin_site.admin_view(self.upload_view),
            name="news_importrun_upload",
        )
        return [upload, *super().get_urls()]

    def get_queryset(self, request):
        articles = (
            Article.objects.filter(import_run=OuterRef("pk"))
            .order_by()
            .values("import_run")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                imported=_outcome_count(FileOutcome.IMPORTED),
                unchanged=_outcome_count(FileOutcome.UNCHANGED),
                skipped=_outcome_count(FileOutcome.SKIPPED),
                failed=_outcome_count(FileOutcome.FAILED),
                article_total=Coalesce(Subquery(articles, output_field=IntegerField()), 0),
            )
        )

    def changelist_view(self, request, extra_context=None):
        context = {"can_import": request.user.has_perm(IMPORT_PERMISSION), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    # The run's page: a report -----------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The run as a report in French. Read-only: a run is never edited."""
        run = self.get_object(request, unquote(object_id))
        if run is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, run) or request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        files = Paginator(run.files.order_by("pk"), FILES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        file_rows, article_rows = _figures(run)
        context = {
            **self.admin_site.each_context(request),
            "title": str(run),
            "subtitle": None,
            "opts": self.opts,
            "run": run,
            "original": run,
            "has_change_permission": False,
            "status": self.status_display(run),
            "duration": _duration(run),
            "options": _options(run),
            "file_figures": file_rows,
            "file_total": sum(row["value"] for row in file_rows),
            "article_figures": article_rows,
            "files": file_lines(list(files)),
            "page_obj": files,
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.report_template, context)

    # "Importer un lot" ------------------------------------------------------------------------

    def upload_view(self, request):
        # The import ends on the run's report: who may import must be able to read it.
        if not (request.user.has_perm(IMPORT_PERMISSION) and self.has_view_permission(request)):
            raise PermissionDenied
        can_publish = request.user.has_perm(PUBLISH_PERMISSION)
        if request.method == "POST":
            if not can_publish and request.POST.get("publish"):
                raise PermissionDenied  # the box is not even shown to them
            form = ImportUploadForm(
                request.POST,
                request.FILES,
                can_publish=can_publish,
                too_large=getattr(request, "upload_too_large", False),
            )
            if form.is_valid():
                return self._upload_import(request, form)
        else:
            form = ImportUploadForm(can_publish=can_publish)
        limits = upload_limits()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importer un lot"),
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            # Plain strings: the first says nothing was imported, the others name the files.
            "errors": list(form.non_field_errors()) if form.is_bound else [],
            "max_file": filesizeformat(limits.file_bytes),
            "max_total": filesizeformat(limits.total_bytes),
            "max_members": limits.archive_members,
            "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.upload_template, context)

    def _upload_import(self, request, form):
        batch = form.cleaned_data["batch"]
        report = texts_import(
            texts=batch.texts,
            uploads=batch.uploads,
            publish=form.cleaned_data.get("publish", False),
            triggered_by=gettext("Importer un lot (%(user)s)")
            % {"user": request.user.get_username()},
        )
        run = ImportRun.objects.get(pk=report.run_id)
        summary = report.summary()
        self.log_addition(
            request,
            run,
            ngettext(
                "Lot de %(count)d fichier importé depuis l’admin.",
                "Lot de %(count)d fichiers importé depuis l’admin.",
                summary["files"],
            )
            % {"count": summary["files"]},
        )
        text = ngettext(
            "Import terminé : %(count)d fichier lu, %(created)d article créé.",
            "Import terminé : %(count)d fichiers lus, %(created)d article(s) créé(s).",
            summary["files"],
        ) % {"count": summary["files"], "created": summary["articles_created"]}
        if report.failed:
            failed = ngettext(
                "%(count)d fichier en échec : voyez la raison ci-dessous.",
                "%(count)d fichiers en échec : voyez les raisons ci-dessous.",
                summary["failed"],
            ) % {"count": summary["failed"]}
            self.message_user(request, f"{text} {failed}", messages.WARNING)
        else:
            self.message_user(request, text, messages.SUCCESS)
        return redirect(reverse("admin:news_importrun_change", args=[run.pk]))

    # Columns ---------------------------------------------------------------------------------

    @admin.display(description=_("statut"), ordering="status")
    def status_display(self, obj):
        """A run still "running" whose process is gone shows as interrupted, with why."""
        reason = import_run_interruption(obj)
        if not reason:
            return obj.get_status_display()
        return format_html("{} — {}", ImportRunStatus.INTERRUPTED.label, reason)

    @admin.display(description=_("importés"), ordering="imported")
    def imported_count(self, obj):
        return obj.imported

    @admin.display(description=_("inchangés"), ordering="unchanged")
    def unchanged_count(self, obj):
        return obj.unchanged

    @admin.display(description=_("ignorés"), ordering="skipped")
    def skipped_count(self, obj):
        return obj.skipped

    @admin.display(description=_("échecs"), ordering="failed")
    def failed_count(self, obj):
        return obj.failed

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(ImportFileResult)
class ImportFileResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["path", "outcome", "reason", "run"]
    list_filter = ["outcome", ImportFileRunFilter]  # one import among many: a drop-down list
    list_select_related = ["run"]
    search_fields = ["path", "reason"]
    fields = ["run", "path", "outcome", "reason", "content_hash", "articles_display"]
    readonly_fields = fields

    @admin.display(description=_("articles"))
    def articles_display(self, obj):
        lines = file_lines([obj])[0].articles
        if not lines:
            return "—"
        return format_html(
            '<ul class="import-articles">{}</ul>',
            format_html_join("", "<li>{}</li>", ((_article_html(line),) for line in lines)),
        )


def _article_html(line: ArticleLine) -> str:
    title = (
        format_html('<a href="{}">{}</a>', line.admin_url, line.title)
        if line.admin_url
        else line.title
    )
    parts = [format_html("{} : {}", capfirst(line.action), title)]
    if line.public_url:
        parts.append(
            format_html('(<a href="{}">{}</a>)', line.public_url, gettext("page publique"))
        )
    if line.missing:
        parts.append(gettext("(supprimé depuis)"))
    if line.needs_review:
        parts.append(
            format_html('<span class="badge badge-review">{}</span>', gettext("À vérifier"))
        )
    return format_html_join(" ", "{}", ((part,) for part in parts))
