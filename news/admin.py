from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticlePerson,
    ArticleTerritory,
    ImportFileResult,
    ImportRun,
    LinkRejection,
    SourceDocument,
)


class LinkInline(admin.TabularInline):
    extra = 0
    fields = ["method", "confidence", "matched_text", "status"]
    readonly_fields = ["method", "confidence", "matched_text"]


class ArticleTerritoryInline(LinkInline):
    model = ArticleTerritory
    fields = ["territory", *LinkInline.fields]
    autocomplete_fields = ["territory"]


class ArticleOrganisationInline(LinkInline):
    model = ArticleOrganisation
    fields = ["organisation", *LinkInline.fields]
    autocomplete_fields = ["organisation"]


class ArticleIndustryLabelInline(LinkInline):
    model = ArticleIndustryLabel
    fields = ["label", *LinkInline.fields]
    autocomplete_fields = ["label"]


class ArticlePersonInline(LinkInline):
    model = ArticlePerson
    fields = ["person", "role", *LinkInline.fields]
    autocomplete_fields = ["person"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "published_on", "needs_review", "source_file"]
    list_filter = ["status", "needs_review", "publisher", "import_run"]
    search_fields = ["title", "lead", "body", "source_file"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "source_file",
        "source_position",
        "source_text",
        "publisher",
        "import_run",
        "content_hash",
        "edited_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kicker", "lead", "body", "tags"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_on", "date_precision", "date_inferred"]},
        ),
        (_("Vérification"), {"fields": ["needs_review", "review_notes"]}),
        (
            _("Provenance"),
            {
                "classes": ["collapse"],
                "fields": [
                    "publisher",
                    "source_file",
                    "source_position",
                    "import_run",
                    "content_hash",
                    "source_text",
                    "edited_at",
                    "created_at",
                    "updated_at",
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


@admin.register(LinkRejection)
class LinkRejectionAdmin(admin.ModelAdmin):
    list_display = ["article", "content_type", "object_id", "matched_text", "rejected_at"]
    list_filter = ["content_type"]
    search_fields = ["article__title", "matched_text"]


class ImportFileResultInline(admin.TabularInline):
    model = ImportFileResult
    extra = 0
    fields = ["path", "outcome", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "triggered_by", "dry_run", "finished_at"]
    list_filter = ["status", "dry_run"]
    search_fields = ["triggered_by", "files__path"]
    readonly_fields = [
        "started_at",
        "finished_at",
        "triggered_by",
        "options",
        "status",
        "dry_run",
        "summary",
    ]
    inlines = [ImportFileResultInline]


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["name", "parser_version", "imported_at"]
    list_filter = ["parser_version"]
    search_fields = ["name", "content_hash"]
