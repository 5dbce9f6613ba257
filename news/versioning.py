"""The version of the public content, which the public caches are keyed by.

One row (``ContentVersion``) holds a random token. Every write to what the public sees gives
it a new token once the write's transaction commits: ``content_changed()``, which the services
that write call (curation, imports, the reference, merges), and the signal receivers below on
every model the public pages show, as a safety net for whatever else saves a row (the admin, a
shell). A page or a count cached under the old token is never read again, so a change shows
on the next request; timeouts only free the memory of old versions.

The token is read from the database, the shared truth of every process and server (a cache in
process memory could not tell the other workers), at the start of a public request and before
the content: a page stored under the token read first may hold content newer than its token
(harmless: the next request reads the new token) but never older. It is prefixed with the
release, a digest of the code and templates, so that a deployment never serves what the
previous code rendered (a Redis cache outlives the processes).

Why after the commit rather than in the same transaction: readers would otherwise cache the old
content under the new token while the transaction is open, and every import would hold the
row's lock for the whole file, serialising concurrent imports on it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from news.models import ContentVersion


@dataclass(frozen=True)
class Version:
    token: str  # the release and the database row's token: what caches are keyed by
    changed_at: datetime.datetime | None


_REQUEST_ATTRIBUTE = "_content_version"
_RELEASE_FOLDERS = ("config", "news", "territories", "templates", "locale")
_RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".mo"})


@functools.cache
def release() -> str:
    """A digest of the code and templates that render the pages (about 600 kB, read once)."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=6)
    for folder in _RELEASE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in _RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def current_version(request=None) -> Version:
    """The current version: one query, once per request when ``request`` is given."""
    if request is not None:
        known = getattr(request, _REQUEST_ATTRIBUTE, None)
        if known is not None:
            return known
    row = (
        ContentVersion.objects.filter(pk=ContentVersion.SINGLETON)
        .values_list("token", "changed_at")
        .first()
    )
    # Before the first change the row does not exist yet.
    token, changed_at = row if row else ("initial", None)
    version = Version(f"{release()}-{token}", changed_at)
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, version)
    return version


def version_bump() -> Version:
    """A new token, now (``content_changed()`` is the one to call from code that writes)."""
    version = Version(uuid.uuid4().hex, timezone.now())
    values = {"token": version.token, "changed_at": version.changed_at}
    if not ContentVersion.objects.filter(pk=ContentVersion.SINGLETON).update(**values):
        ContentVersion.objects.update_or_create(pk=ContentVersion.SINGLETON, defaults=values)
    return version


def _bump_on_commit() -> None:
    version_bump()


def content_changed(using: str | None = None) -> None:
    """Give the public content a new version when the current transaction commits.

    Outside a transaction, at once. Called many times in one transaction (every article of an
    import), it bumps once; a rolled-back transaction (a failed file, a dry run) bumps nothing.
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        entry[1] is _bump_on_commit for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_bump_on_commit, using=using)


def _changed(sender, using=None, **kwargs) -> None:
    content_changed(using)


def _m2m_changed(sender, action, using=None, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        content_changed(using)


def public_models() -> list:
    """Every model whose rows a public page, feed or sitemap shows."""
    from taggit.models import Tag

    from news.models import (
        Article,
        ArticleIndustryLabel,
        ArticleOrganisation,
        ArticlePerson,
        ArticleTerritory,
        TaggedArticle,
    )
    from territories.models import (
        IndustryLabel,
        Organisation,
        OrganisationAlias,
        Person,
        Territory,
        TerritoryAlias,
    )

    return [
        Article,
        ArticleTerritory,
        ArticleOrganisation,
        ArticleIndustryLabel,
        ArticlePerson,
        TaggedArticle,
        Tag,
        Territory,
        TerritoryAlias,
        Organisation,
        OrganisationAlias,
        Person,
        IndustryLabel,
    ]


def connect_signals() -> None:
    """The safety net: any save or delete of a public row, and any change of its many-to-many
    relations, bumps the version. Bulk writes send no signal: their services call
    ``content_changed()`` themselves."""
    for model in public_models():
        uid = f"content_version_{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}_delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                m2m_changed.connect(
                    _m2m_changed, sender=through, dispatch_uid=f"{uid}_{field.name}_m2m"
                )
