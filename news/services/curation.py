"""Services for the editors' curation of imported articles (the admin calls them).

Each write records who made it: simple-history reads ``_history_user`` on the instance, so a
change made outside a request (shell, command, test) is attributed too. Each one that the public
can see gives the public caches a new version when it commits (``content_changed()``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticlePerson,
    ArticleStatus,
    ArticleTerritory,
    LinkMethod,
    LinkRejection,
    LinkStatus,
    SuggestedLink,
    TaggedArticle,
)
from news.services.tags import tag_get_or_create
from news.versioning import content_changed
from territories.services import save_with_history

# The field holding the linked object, for each kind of article link.
LINK_TARGET_FIELDS: dict[type[SuggestedLink], str] = {
    ArticleTerritory: "territory",
    ArticleOrganisation: "organisation",
    ArticleIndustryLabel: "label",
    ArticlePerson: "person",
}


def link_target(link: SuggestedLink):
    """The territory, organisation, label or person an article link points to."""
    return getattr(link, LINK_TARGET_FIELDS[type(link)])


def link_confirm(*, link: SuggestedLink, user: AbstractBaseUser | None = None) -> SuggestedLink:
    """An editor agrees with an automatic link: it stays, whatever the next import finds."""
    if link.status != LinkStatus.CONFIRMED:
        link.status = LinkStatus.CONFIRMED
        link.save(update_fields=["status"])
        content_changed()
    return link


def link_unconfirm(*, link: SuggestedLink, user: AbstractBaseUser | None = None) -> SuggestedLink:
    """An editor takes back a confirmation: the link is a suggestion to review again."""
    if link.status != LinkStatus.SUGGESTED:
        link.status = LinkStatus.SUGGESTED
        link.save(update_fields=["status"])
        content_changed()
    return link


@transaction.atomic
def link_reject(*, link: SuggestedLink, user: AbstractBaseUser | None = None) -> LinkRejection:
    """Remove a link and remember the rejection so that no later import makes it again."""
    target = link_target(link)
    rejection, _created = LinkRejection.objects.update_or_create(
        article_id=link.article_id,
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
        defaults={
            "matched_text": link.matched_text,
            "rejected_by": user,
            "rejected_at": timezone.now(),
        },
    )
    link.delete()
    content_changed()
    return rejection


@transaction.atomic
def link_create(*, link: SuggestedLink, user: AbstractBaseUser | None = None) -> SuggestedLink:
    """Save a link an editor added by hand: confirmed, and no longer rejected if it was."""
    link.method = LinkMethod.EDITOR
    link.status = LinkStatus.CONFIRMED
    link.confidence = 1.0
    link.save()
    target = link_target(link)
    LinkRejection.objects.filter(
        article_id=link.article_id,
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
    ).delete()
    content_changed()
    return link


def article_links_confirm(*, articles: Iterable[Article], user: AbstractBaseUser | None) -> int:
    """Confirm every suggested link of the articles; return the number of links confirmed."""
    article_ids = [article.pk for article in articles]
    confirmed = 0
    for model in LINK_TARGET_FIELDS:
        confirmed += model.objects.filter(
            article_id__in=article_ids, status=LinkStatus.SUGGESTED
        ).update(status=LinkStatus.CONFIRMED)
    if confirmed:
        content_changed()
    return confirmed


def article_links_confirm_above(
    *, article: Article, minimum: float, user: AbstractBaseUser | None
) -> int:
    """Confirm the article's suggested links whose confidence is at least ``minimum`` (0–1).

    Return the number of links confirmed. The admin's "confirm all above X %" calls it with
    ``news.review.confidence_floor(X)``, so that it takes exactly the links shown at X % or more.
    """
    confirmed = 0
    with transaction.atomic():
        for model in LINK_TARGET_FIELDS:
            confirmed += model.objects.filter(
                article=article, status=LinkStatus.SUGGESTED, confidence__gte=minimum
            ).update(status=LinkStatus.CONFIRMED)
        if confirmed:
            content_changed()
    return confirmed


def _change_articles(articles: Iterable[Article], *, changes: dict, user, reason: str) -> list:
    """Apply ``changes`` to the articles that differ; return the articles changed."""
    changed = []
    now = timezone.now()
    with transaction.atomic():
        for article in articles:
            if all(getattr(article, name) == value for name, value in changes.items()):
                continue
            for name, value in changes.items():
                setattr(article, name, value)
            article.updated_at = now
            save_with_history(
                article, user=user, reason=reason, update_fields=[*changes, "updated_at"]
            )
            changed.append(article)
        if changed:
            content_changed()
    return changed


def article_publish(*, articles: Iterable[Article], user: AbstractBaseUser | None) -> list:
    """Publish the draft articles among ``articles``; return those whose status changed."""
    return _change_articles(
        articles,
        changes={"status": ArticleStatus.PUBLISHED},
        user=user,
        reason=gettext("Publication"),
    )


def article_unpublish(*, articles: Iterable[Article], user: AbstractBaseUser | None) -> list:
    """Take published articles back to draft; return those whose status changed."""
    return _change_articles(
        articles,
        changes={"status": ArticleStatus.DRAFT},
        user=user,
        reason=gettext("Dépublication"),
    )


def article_mark_reviewed(*, articles: Iterable[Article], user: AbstractBaseUser | None) -> list:
    """Clear the needs-review flag and record who checked the articles and when."""
    now = timezone.now()
    changed = []
    with transaction.atomic():
        for article in articles:
            article.needs_review = False
            article.reviewed_at = now
            article.reviewed_by = user
            article.updated_at = now
            save_with_history(
                article,
                user=user,
                reason=gettext("Vérification"),
                update_fields=["needs_review", "reviewed_at", "reviewed_by", "updated_at"],
            )
            changed.append(article)
    return changed


def article_add_tags(
    *, articles: Iterable[Article], tags: list[str], user: AbstractBaseUser | None
) -> list:
    """Add tags (created if new) to the articles; return the articles that gained one."""
    articles = list(articles)
    with transaction.atomic():
        tag_objects = []
        for name in dict.fromkeys(name.strip() for name in tags if name.strip()):
            tag_objects.append(tag_get_or_create(name=name))
        existing = set(
            TaggedArticle.objects.filter(
                content_object__in=articles, tag__in=tag_objects
            ).values_list("content_object_id", "tag_id")
        )
        to_create = [
            TaggedArticle(content_object=article, tag=tag)
            for article in articles
            for tag in tag_objects
            if (article.pk, tag.pk) not in existing
        ]
        TaggedArticle.objects.bulk_create(to_create)
        if to_create:
            content_changed()
    tagged = {item.content_object_id for item in to_create}
    return [article for article in articles if article.pk in tagged]


def article_mark_edited(
    *, article: Article, user: AbstractBaseUser | None, reviewed: bool = False
) -> Article:
    """Save an article an editor changed: the importer never overwrites it afterwards.

    ``reviewed`` records that the editor also cleared the needs-review flag.
    """
    now = timezone.now()
    article.edited_at = now
    if reviewed:
        article.needs_review = False
        article.reviewed_at = now
        article.reviewed_by = user
    save_with_history(article, user=user)
    content_changed()
    return article
