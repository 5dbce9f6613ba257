"""Reads of the editors' work queue, shown on the admin index.

Each block is what one changelist filter selects (the conditions live here, shared with the
filters of ``news.admin``), so that a count on the dashboard and the list it links to always
agree. The whole queue costs a fixed number of queries, whatever the size of the tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Trim
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.http import urlencode

from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticlePerson,
    ArticleStatus,
    ArticleTerritory,
    FileOutcome,
    ImportFileResult,
    ImportRun,
    ImportRunStatus,
    LinkStatus,
)
from news.services.imports import import_run_interruption

SHOWN = 5
FAILURES_SHOWN = 3

# Each link model and the field naming what it links the article to.
_LINK_KINDS = [
    (ArticleTerritory, "territory"),
    (ArticleOrganisation, "organisation"),
    (ArticleIndustryLabel, "label"),
    (ArticlePerson, "person"),
]


def pending_links_condition() -> Q:
    """Articles with at least one suggested link nobody confirmed or rejected yet."""
    return Q(
        *[
            Exists(model.objects.filter(article=OuterRef("pk"), status=LinkStatus.SUGGESTED))
            for model, _ in _LINK_KINDS
        ],
        _connector=Q.OR,
    )


def _blank(field: str) -> Exact:
    return Exact(Trim(field), Value(""))


def ready_to_publish_condition() -> Q:
    """Drafts an editor can publish as they are: checked, no pending link, and neither
    without a title nor without text (what news.services.publishing refuses)."""
    return (
        Q(status=ArticleStatus.DRAFT, needs_review=False)
        & ~Q(_blank("title"))
        & (~Q(_blank("lead")) | ~Q(_blank("body")))
        & ~pending_links_condition()
    )


@dataclass
class PendingLink:
    article_id: int
    article_title: str
    target: str
    kind: str
    confidence: float
    matched_text: str
    inline: str  # the article form's inline that reviews it (its formset prefix)

    @property
    def confidence_percent(self) -> int:
        return round(self.confidence * 100)

    @property
    def article_url(self) -> str:
        # Straight to the inline where the link is reviewed.
        change = reverse("admin:news_article_change", args=[self.article_id])
        return f"{change}#{self.inline}-group"


@dataclass
class ImportSummary:
    run: ImportRun
    status: str
    imported: int
    unchanged: int
    skipped: int
    failed: int
    articles: int
    failures: list[ImportFileResult] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("admin:news_importrun_change", args=[self.run.pk])

    @property
    def failures_url(self) -> str:
        return _changelist(
            "news_importfileresult",
            {"run__id__exact": self.run.pk, "outcome__exact": FileOutcome.FAILED},
        )

    @property
    def articles_url(self) -> str:
        return _changelist("news_article", {"import_run": self.run.pk})


@dataclass
class WorkQueue:
    """What waits for the editors; a block the user may not see is ``None``."""

    to_review_count: int | None = None
    to_review: list[Article] = field(default_factory=list)
    to_review_url: str = ""
    pending_links_count: int | None = None
    pending_links: list[PendingLink] = field(default_factory=list)
    pending_links_url: str = ""
    ready_count: int | None = None
    ready: list[Article] = field(default_factory=list)
    ready_url: str = ""
    imports: list[ImportSummary] | None = None
    imports_url: str = ""


def _changelist(model: str, params: dict) -> str:
    return f"{reverse(f'admin:{model}_changelist')}?{urlencode(params)}"


def _pending_links(kinds, limit: int) -> tuple[int, list[PendingLink]]:
    """Suggested links, counted and the least confident first, in two queries."""
    parts = [
        model.objects.filter(status=LinkStatus.SUGGESTED)
        .order_by()
        .annotate(
            target_name=F(f"{target}__name"),
            article_title=F("article__title"),
            target_kind=Value(
                str(model._meta.get_field(target).verbose_name), output_field=CharField()
            ),
            inline=Value(
                model._meta.get_field("article").remote_field.related_name,
                output_field=CharField(),
            ),
        )
        .values_list(
            "article_id",
            "article_title",
            "target_name",
            "target_kind",
            "confidence",
            "matched_text",
            "inline",
        )
        for model, target in kinds
    ]
    first, *others = parts
    union = first.union(*others, all=True)
    count = union.count()
    rows = union.order_by("confidence", "article_id")[:limit] if count else []
    return count, [PendingLink(*row) for row in rows]


def _articles(queryset, limit: int) -> tuple[int, list[Article]]:
    return queryset.count(), list(queryset.only("pk", "title", "created_at")[:limit])


def _run_status(run: ImportRun) -> str:
    """A run still "running" whose process is gone reads as interrupted."""
    if import_run_interruption(run):
        return str(ImportRunStatus.INTERRUPTED.label)
    return run.get_status_display()


def _recent_imports(limit: int) -> list[ImportSummary]:
    """The last runs (simulations left out), their outcome counts and first failures."""

    def outcome(value: str) -> Count:
        return Count("files", filter=Q(files__outcome=value))

    runs = list(
        ImportRun.objects.filter(dry_run=False)
        .order_by("-started_at", "-pk")
        .annotate(
            n_imported=outcome(FileOutcome.IMPORTED),
            n_unchanged=outcome(FileOutcome.UNCHANGED),
            n_skipped=outcome(FileOutcome.SKIPPED),
            n_failed=outcome(FileOutcome.FAILED),
        )[:limit]
    )
    if not runs:
        return []
    # Separate reads: counting articles and files in one query would multiply the joins.
    articles = dict(
        Article.objects.filter(import_run__in=runs)
        .order_by()
        .values_list("import_run")
        .annotate(n=Count("pk"))
    )
    failures: dict[int, list[ImportFileResult]] = {}
    failed = ImportFileResult.objects.filter(
        run__in=[run for run in runs if run.n_failed], outcome=FileOutcome.FAILED
    ).order_by("run", "pk")
    for result in failed.only("pk", "run_id", "path", "reason"):
        shown = failures.setdefault(result.run_id, [])
        if len(shown) < FAILURES_SHOWN:
            shown.append(result)
    return [
        ImportSummary(
            run=run,
            status=_run_status(run),
            imported=run.n_imported,
            unchanged=run.n_unchanged,
            skipped=run.n_skipped,
            failed=run.n_failed,
            articles=articles.get(run.pk, 0),
            failures=failures.get(run.pk, []),
        )
        for run in runs
    ]


def editor_work_queue(*, user, limit: int = SHOWN) -> WorkQueue:
    """The editors' work queue, restricted to what ``user`` may see."""
    queue = WorkQueue()
    if user.has_perm("news.view_article"):
        to_review = Article.objects.filter(needs_review=True).order_by("created_at", "pk")
        queue.to_review_count, queue.to_review = _articles(to_review, limit)
        queue.to_review_url = _changelist("news_article", {"needs_review__exact": 1})
        kinds = [
            (model, target)
            for model, target in _LINK_KINDS
            if user.has_perm(f"news.view_{model._meta.model_name}")
        ]
        if kinds:
            queue.pending_links_count, queue.pending_links = _pending_links(kinds, limit)
            queue.pending_links_url = _changelist("news_article", {"pending_links": "yes"})
        if user.has_perm("news.publish_article"):
            ready = Article.objects.filter(ready_to_publish_condition()).order_by(
                "created_at", "pk"
            )
            queue.ready_count, queue.ready = _articles(ready, limit)
            queue.ready_url = _changelist("news_article", {"ready": "yes"})
    if user.has_perm("news.view_importrun"):
        queue.imports = _recent_imports(limit)
        queue.imports_url = reverse("admin:news_importrun_changelist")
    return queue
