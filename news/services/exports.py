"""The curated open-data export: the contract other tools read."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.db.models import Prefetch

from news.models import (
    Article,
    ArticleIndustryLabel,
    ArticleOrganisation,
    ArticlePerson,
    ArticleTerritory,
    LinkStatus,
)
from territories.models import IndustryLabel, Organisation, Territory
from territories.selectors import organisations_with_content

CSV_COLUMNS = [
    "slug",
    "title",
    "kicker",
    "lead",
    "body",
    "published_on",
    "status",
    "url",
    "source_file",
    "source_position",
    "publisher",
    "territories",
    "organisations",
    "people",
    "tags",
]


def _territory(territory: Territory) -> dict:
    return {"kind": territory.kind, "code": territory.code, "name": territory.name}


def _links(model, *, include_drafts: bool):
    """An article's links: the confirmed ones (what readers see), or every one for editors."""
    return model.objects.all() if include_drafts else model.objects.public()


def _articles(*, include_drafts: bool):
    articles = Article.objects.all() if include_drafts else Article.objects.published()
    return articles.order_by("published_on", "pk").prefetch_related(
        Prefetch(
            "territory_links",
            queryset=_links(ArticleTerritory, include_drafts=include_drafts)
            .select_related("territory")
            .order_by("pk"),
        ),
        Prefetch(
            "organisation_links",
            queryset=_links(ArticleOrganisation, include_drafts=include_drafts)
            .select_related("organisation")
            .order_by("pk"),
        ),
        Prefetch(
            "person_links",
            queryset=_links(ArticlePerson, include_drafts=include_drafts)
            .select_related("person")
            .order_by("pk"),
        ),
        "tags",
    )


def export_dataset(*, include_drafts: bool = False) -> dict:
    """Articles, the territories and organisations they are linked to, and the labels.

    Open data is what the public site shows: published articles, their confirmed links, the
    organisations those name and, for each label, the published articles confirmed as about
    it. ``include_drafts`` (for editors) exports every article and organisation, and the links
    still suggested too; every link carries its ``link_status`` either way.
    """
    articles = []
    slugs: dict[int, str] = {}
    used_territories: dict[int, Territory] = {}
    for article in _articles(include_drafts=include_drafts):
        slugs[article.pk] = article.slug
        territory_links = list(article.territory_links.all())
        used_territories.update({link.territory.pk: link.territory for link in territory_links})
        articles.append(
            {
                "slug": article.slug,
                "title": article.title,
                "kicker": article.kicker,
                "lead": article.lead,
                "body": article.body,
                "published_on": article.published_on.isoformat() if article.published_on else None,
                "status": article.status,
                "url": f"{settings.SITE_URL}{article.get_absolute_url()}",
                "source": {
                    "file": article.source_file,
                    "position": article.source_position,
                    "publisher": article.publisher,
                },
                "territories": [
                    {**_territory(link.territory), "link_status": link.status}
                    for link in territory_links
                ],
                "organisations": [
                    {
                        "name": link.organisation.name,
                        "slug": link.organisation.slug,
                        "kind": link.organisation.kind,
                        "link_status": link.status,
                    }
                    for link in article.organisation_links.all()
                ],
                "people": [
                    {"name": link.person.name, "role": link.role, "link_status": link.status}
                    for link in article.person_links.all()
                ],
                "tags": sorted(tag.name for tag in article.tags.all()),
            }
        )
    labels = []
    label_links = Prefetch(
        "article_links", queryset=_links(ArticleIndustryLabel, include_drafts=include_drafts)
    )
    for label in IndustryLabel.objects.order_by("phase", "name").prefetch_related(
        "territories", label_links
    ):
        members = list(label.territories.all())
        used_territories.update({t.pk: t for t in members})
        labels.append(
            {
                "name": label.name,
                "slug": label.slug,
                "code": label.code,
                "phase": label.phase,
                "labelled_on": label.labelled_on.isoformat() if label.labelled_on else None,
                "territories": [_territory(t) for t in members],
                "articles": sorted(
                    slugs[link.article_id]
                    for link in label.article_links.all()
                    if link.article_id in slugs
                ),
            }
        )
    organisations = [
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "kind": organisation.kind,
            "acronym": organisation.acronym,
            "website": organisation.website,
            "home_territory": (
                _territory(organisation.home_territory) if organisation.home_territory else None
            ),
        }
        for organisation in (
            Organisation.objects.all() if include_drafts else organisations_with_content()
        )
        .select_related("home_territory")
        .order_by("name")
    ]
    territories = [
        {
            **_territory(t),
            "slug": t.slug,
            "region": t.region.code if t.region else None,
            "departement": t.departement.code if t.departement else None,
        }
        for t in Territory.objects.filter(pk__in=used_territories)
        .select_related("region", "departement")
        .order_by("kind", "code")
    ]
    return {
        "articles": articles,
        "territories": territories,
        "organisations": organisations,
        "labels": labels,
    }


def _suggested_mark(linked: dict) -> str:
    return "?" if linked["link_status"] == LinkStatus.SUGGESTED else ""


def export_articles_csv(dataset: dict) -> str:
    """One row per article; linked records as "kind:code" or slugs joined with "; ", a link
    still suggested (``--include-drafts`` only) followed by "?"."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for article in dataset["articles"]:
        writer.writerow(
            {
                **{key: article[key] for key in CSV_COLUMNS if key in article},
                "published_on": article["published_on"] or "",
                "source_file": article["source"]["file"],
                "source_position": article["source"]["position"],
                "publisher": article["source"]["publisher"],
                "territories": "; ".join(
                    f"{t['kind']}:{t['code'] or t['name']}{_suggested_mark(t)}"
                    for t in article["territories"]
                ),
                "organisations": "; ".join(
                    f"{o['slug']}{_suggested_mark(o)}" for o in article["organisations"]
                ),
                "people": "; ".join(f"{p['name']}{_suggested_mark(p)}" for p in article["people"]),
                "tags": "; ".join(article["tags"]),
            }
        )
    return buffer.getvalue()
