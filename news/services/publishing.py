"""Publishing articles: what may block it, and the one place that does it.

Readers see an article's confirmed links only (``LinkQuerySet.public()``). Publishing an
article that still has suggested links would hide them without a word, and publishing one
with no title or no text would show an empty page: ``publish_articles`` refuses both unless
the caller says what to do (``confirm_links``, ``allow_incomplete``). The admin's list action
and change form ask the editor; ``loadseeds --publish`` confirms the links at or above
``IMPORT_CONFIRM_THRESHOLD`` and leaves the others to review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext, ngettext

from news.models import Article, ArticleIndustryLabel, ArticleStatus, LinkStatus
from news.services.curation import LINK_TARGET_FIELDS, article_publish
from news.versioning import content_changed

PUBLISH_PERMISSION = "news.publish_article"


@dataclass(frozen=True)
class PublishCheck:
    """What stands between one article and its publication."""

    article: Article
    suggested_links: int = 0
    missing_title: bool = False
    missing_text: bool = False

    @property
    def incomplete(self) -> bool:
        return self.missing_title or self.missing_text

    @property
    def missing(self) -> list[str]:
        """What the article lacks, in words an editor reads."""
        missing = []
        if self.missing_title:
            missing.append(gettext("pas de titre"))
        if self.missing_text:
            missing.append(gettext("pas de texte (ni chapô ni corps)"))
        return missing

    @property
    def blocked(self) -> bool:
        return bool(self.suggested_links) or self.incomplete


@dataclass
class PublishResult:
    published: list[Article] = field(default_factory=list)
    links_confirmed: int = 0
    # Suggested links left on the articles published, hidden from readers until reviewed.
    links_left: int = 0


class PublishBlocked(Exception):
    """Some articles cannot be published as asked; ``checks`` says why, article by article."""

    def __init__(self, checks: list[PublishCheck]):
        self.checks = checks
        super().__init__(
            ", ".join(f"{check.article.pk}: {check.suggested_links}" for check in checks)
        )

    @property
    def suggested_links(self) -> int:
        return sum(check.suggested_links for check in self.checks)

    @property
    def incomplete(self) -> list[PublishCheck]:
        return [check for check in self.checks if check.incomplete]


def suggested_link_counts(article_ids: Iterable[int]) -> Counter:
    """``{article id: number of suggested links}``: one query per kind of link."""
    article_ids = list(article_ids)
    counts: Counter = Counter()
    for model in LINK_TARGET_FIELDS:
        rows = (
            model.objects.suggested()
            .filter(article_id__in=article_ids)
            .values_list("article_id", flat=True)
        )
        counts.update(rows)
    return counts


def publish_checks(articles: Iterable[Article]) -> list[PublishCheck]:
    """The check of each article (drafts and published alike), in the order given."""
    articles = list(articles)
    counts = suggested_link_counts(article.pk for article in articles)
    return [
        PublishCheck(
            article=article,
            suggested_links=counts.get(article.pk, 0),
            missing_title=not article.title.strip(),
            missing_text=not article.lead.strip() and not article.body.strip(),
        )
        for article in articles
    ]


def _confirm(article_ids: list[int], *, minimum: float | None = None) -> int:
    """Confirm the articles' suggested links; with ``minimum`` (an import's trusted batch),
    those at or above it only, and never a link to a label made from an article that no
    editor has checked (on neither ANCT list): the label itself is still to be verified."""
    confirmed = 0
    for model in LINK_TARGET_FIELDS:
        links = model.objects.suggested().filter(article_id__in=article_ids)
        if minimum is not None:
            links = links.filter(confidence__gte=minimum)
            if model is ArticleIndustryLabel:
                links = links.filter(
                    Q(label__is_reference=True) | Q(label__edited_at__isnull=False)
                )
        confirmed += links.update(status=LinkStatus.CONFIRMED)
    if confirmed:
        # A bulk update sends no signal: the public pages get a new version here.
        content_changed()
    return confirmed


def publish_articles(
    *,
    articles: Iterable[Article],
    user: AbstractBaseUser | None,
    confirm_links: bool | None = None,
    allow_incomplete: bool = False,
) -> PublishResult:
    """Publish the drafts among ``articles``.

    ``confirm_links``: ``True`` confirms their suggested links, ``False`` publishes them
    anyway (the suggestions stay hidden from readers, listed for review), ``None`` (ask)
    refuses while any is left. ``allow_incomplete``: publish an article with no title or no
    text all the same. Nothing is written when something blocks: ``PublishBlocked`` lists
    each article and why. ``user`` needs the ``publish_article`` permission (``None``: a
    command run by the operator).
    """
    if user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(gettext("Vous n’avez pas le droit de publier des articles."))
    drafts = [article for article in articles if article.status != ArticleStatus.PUBLISHED]
    checks = publish_checks(drafts)
    blocking = [
        check
        for check in checks
        if (check.suggested_links and confirm_links is None)
        or (check.incomplete and not allow_incomplete)
    ]
    if blocking:
        raise PublishBlocked(blocking)
    result = PublishResult()
    with transaction.atomic():
        if confirm_links:
            result.links_confirmed = _confirm([article.pk for article in drafts])
        else:
            result.links_left = sum(check.suggested_links for check in checks)
        result.published = article_publish(articles=drafts, user=user)
    return result


def import_publish(*, article: Article, threshold: float | None = None) -> PublishCheck:
    """Publish an imported article as a trusted batch does (``loadseeds --publish``).

    Its suggested links at or above ``threshold`` (``IMPORT_CONFIRM_THRESHOLD``) are
    confirmed, the others stay suggestions and the article is flagged for review with a note
    saying how many. An article with no title or no text stays a draft, flagged with what it
    lacks. Returns the article's check after confirmation. The caller saves nothing more:
    status, flag and notes are written here, in the import's transaction.
    """
    threshold = settings.IMPORT_CONFIRM_THRESHOLD if threshold is None else threshold
    _confirm([article.pk], minimum=threshold)
    (check,) = publish_checks([article])
    notes = [line for line in article.review_notes.splitlines() if line.strip()]
    if check.suggested_links:
        notes.append(
            ngettext(
                "%(count)d lien sous le seuil de confirmation (%(percent)d %%) : à vérifier, "
                "invisible des lecteurs d’ici là.",
                "%(count)d liens sous le seuil de confirmation (%(percent)d %%) : à vérifier, "
                "invisibles des lecteurs d’ici là.",
                check.suggested_links,
            )
            % {"count": check.suggested_links, "percent": round(threshold * 100)}
        )
    if check.incomplete:
        notes.append(gettext("Non publié : %(missing)s.") % {"missing": ", ".join(check.missing)})
    values = {
        "status": ArticleStatus.DRAFT if check.incomplete else ArticleStatus.PUBLISHED,
        "needs_review": bool(notes),
        "review_notes": "\n".join(notes),
    }
    changed = [name for name, value in values.items() if getattr(article, name) != value]
    if changed:
        for name in changed:
            setattr(article, name, values[name])
        article.save(update_fields=changed)
    return check
