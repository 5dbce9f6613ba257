"""Absolute addresses and structured data for search engines and social networks."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

# Meta descriptions (HTML, OpenGraph, Twitter, JSON-LD): search engines show about 160
# characters; a whole lead (imported text, up to a megabyte) would be copied four times.
META_DESCRIPTION_LENGTH = 300

# Characters that could close the <script> element or open an HTML comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(path: str) -> str:
    """``SITE_URL`` + ``path``: the public address, whatever host served the request."""
    return f"{settings.SITE_URL}{path}"


def summary(text: str, length: int = META_DESCRIPTION_LENGTH) -> str:
    """``text`` on one line, cut to at most ``length`` characters (an ellipsis marks a cut)."""
    # Only the start is read: the work stays small whatever the size of the text.
    return Truncator(" ".join(text[: length * 2].split())).chars(length)


def json_ld_script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` element that no string in ``data`` can close."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _linked_things(schema_type: str, objects) -> list[dict]:
    """schema.org things of the given type, each with its name and public page."""
    return [
        {"@type": schema_type, "name": obj.name, "url": absolute_url(obj.get_absolute_url())}
        for obj in objects
    ]


def article_json_ld(article, *, url: str) -> dict:
    """schema.org ``NewsArticle`` of an article whose confirmed territories and organisations
    (``news.selectors.article_detail_queryset``) and tags are prefetched."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": "fr",
        "dateModified": article.updated_at.isoformat(),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if article.published_on:
        data["datePublished"] = article.published_on.isoformat()
    if article.lead:
        data["description"] = summary(article.lead)
    if article.kicker:
        data["alternativeHeadline"] = article.kicker
    if article.publisher:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.publisher}
    places = _linked_things("Place", article.public_territories)
    if places:
        data["contentLocation"] = places
    organisations = _linked_things("Organization", article.public_organisations)
    if organisations:
        data["about"] = organisations
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    return data
