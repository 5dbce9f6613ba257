"""The curated open-data export: the contract other tools read."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.db.models import Prefetch

from news.models import Article, ArticleTerritory
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


def _articles(*, include_drafts: bool):
    articles = Article.objects.all() if include_drafts else Article.objects.published()
    return articles.order_by("published_on", "pk").prefetch_related(
        Prefetch(
            "territory_links",
            queryset=ArticleTerritory.objects.select_related("territory").order_by("pk"),
        ),
        "organisation_links__organisation",
        "person_links__person",
        "tags",
    )


def export_dataset(*, include_drafts: bool = False) -> dict:
    """Articles, the territories and organisations they are linked to, and the labels.

    Open data is what the public site shows: published articles, the organisations they name
    and, for each label, its published articles. ``include_drafts`` (for editors) exports
    every article and organisation.
    """
    articles = []
    exported_ids = set()
    used_territories: dict[int, Territory] = {}
    for article in _articles(include_drafts=include_drafts):
        exported_ids.add(article.pk)
        territories = [link.territory for link in article.territory_links.all()]
        used_territories.update({t.pk: t for t in territories})
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
                "territories": [_territory(t) for t in territories],
                "organisations": [
                    {
                        "name": link.organisation.name,
                        "slug": link.organisation.slug,
                        "kind": link.organisation.kind,
                    }
                    for link in article.organisation_links.all()
                ],
                "people": [
                    {"name": link.person.name, "role": link.role}
                    for link in article.person_links.all()
                ],
                "tags": sorted(tag.name for tag in article.tags.all()),
            }
        )
    labels = []
    for label in IndustryLabel.objects.order_by("phase", "name").prefetch_related(
        "territories", "articles"
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
                "articles": sorted(a.slug for a in label.articles.all() if a.pk in exported_ids),
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


def export_articles_csv(dataset: dict) -> str:
    """One row per article; linked records as "kind:code" or slugs joined with "; "."""
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
                    f"{t['kind']}:{t['code'] or t['name']}" for t in article["territories"]
                ),
                "organisations": "; ".join(o["slug"] for o in article["organisations"]),
                "people": "; ".join(p["name"] for p in article["people"]),
                "tags": "; ".join(article["tags"]),
            }
        )
    return buffer.getvalue()
