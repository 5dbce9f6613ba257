"""Small factories for tests: plain functions with sensible defaults, no large fixtures."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticleStatus,
    ArticleTerritory,
    LinkMethod,
    LinkStatus,
)
from territories.models import (
    IndustryLabel,
    LabelPhase,
    Organisation,
    OrganisationKind,
    Territory,
    TerritoryKind,
)

_sequence = itertools.count(1)


def territory(code: str, kind: str = TerritoryKind.COMMUNE) -> Territory:
    """A territory of the official reference (loaded once per test session)."""
    return Territory.objects.get(kind=kind, code=code)


def make_article(
    *,
    territories=(),
    organisations=(),
    labels=(),
    tags=(),
    status=ArticleStatus.PUBLISHED,
    link_status=LinkStatus.SUGGESTED,
    **fields,
) -> Article:
    n = next(_sequence)
    fields.setdefault("title", f"Article de test {n}")
    fields.setdefault("slug", f"article-de-test-{n}")
    fields.setdefault("lead", "Un chapô de test.")
    fields.setdefault("body", "Premier paragraphe.\n\n## Intertitre\n\nSecond paragraphe.")
    fields.setdefault("published_on", timezone.localdate())
    article = Article.objects.create(status=status, **fields)
    for place in territories:
        ArticleTerritory.objects.create(
            article=article,
            territory=place,
            method=LinkMethod.NAME,
            confidence=0.9,
            matched_text=place.name,
            status=link_status,
        )
    for organisation in organisations:
        ArticleOrganisation.objects.create(
            article=article,
            organisation=organisation,
            method=LinkMethod.PATTERN,
            confidence=0.8,
            matched_text=organisation.name,
            status=link_status,
        )
    for label in labels:
        ArticleIndustryLabel.objects.create(
            article=article, label=label, method=LinkMethod.LABEL, status=link_status
        )
    if tags:
        article.tags.add(*tags)
    return article


def make_organisation(name=None, **fields) -> Organisation:
    n = next(_sequence)
    name = name or f"Entreprise de test {n}"
    fields.setdefault("slug", f"organisation-{n}")
    fields.setdefault("kind", OrganisationKind.COMPANY)
    return Organisation.objects.create(name=name, **fields)


def make_label(name=None, *, territories=(), **fields) -> IndustryLabel:
    n = next(_sequence)
    name = name or f"Territoire d'industrie de test {n}"
    fields.setdefault("slug", f"label-{n}")
    fields.setdefault("phase", LabelPhase.SECOND)
    label = IndustryLabel.objects.create(name=name, **fields)
    label.territories.set(territories)
    return label


def make_user(username=None, *, staff=False, superuser=False, groups=(), password="secret"):
    n = next(_sequence)
    user = get_user_model().objects.create_user(
        username=username or f"user{n}",
        password=password,
        is_staff=staff or superuser,
        is_superuser=superuser,
    )
    for group in groups:
        user.groups.add(group)
    return user
