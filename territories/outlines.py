"""The base of the maps: outlines of France's régions and départements.

Read once per process from ``territories/data/outlines.json.gz`` (built by
``scripts/build_outlines.py`` from Natural Earth, public domain); the file is part of the code,
not of the database, so it changes only with a deployment.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

from territories.maps import Outline

DATA = Path(__file__).resolve().parent / "data" / "outlines.json.gz"


@functools.cache
def _data() -> dict:
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _outline(row: dict, slug: str = "") -> Outline:
    point = row.get("label_point")
    return Outline(
        code=row["code"],
        name=row["name"],
        geometry=row["geometry"],
        label_point=tuple(point) if point else None,
        slug=slug,
    )


def regions(slugs: dict[str, str] | None = None) -> list[Outline]:
    """Every région, by INSEE code; ``slugs`` (code → slug) links each to its page."""
    slugs = slugs or {}
    return [_outline(row, slugs.get(row["code"], "")) for row in _data()["regions"]]


def region(code: str | None, slug: str = "") -> Outline | None:
    for row in _data()["regions"]:
        if row["code"] == code:
            return _outline(row, slug)
    return None


def departements(region_code: str, slugs: dict[str, str] | None = None) -> list[Outline]:
    """The départements of a région, by INSEE code."""
    slugs = slugs or {}
    return [
        _outline(row, slugs.get(row["code"], ""))
        for row in _data()["departements"]
        if row["region"] == region_code
    ]
