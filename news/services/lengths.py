"""Length limits of an imported article's short fields.

A page whose structure the parser misread can hand over a "title" or a "lead" of a whole
megabyte. Such a field is cut on a word boundary and what follows moves to the start of the
body, marked with "…" on both sides of the cut: nothing is lost, and the article says why it
needs an editor. Pure functions: text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Well above any real title, kicker or lead; the kicker's limit is its column's.
TITLE_MAX = 250
KICKER_MAX = 200
LEAD_MAX = 1_000
ELLIPSIS = "…"
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")


@dataclass(frozen=True)
class ArticleFields:
    title: str
    kicker: str
    lead: str
    body: str
    notes: list[str] = field(default_factory=list)


def cut_at_word(text: str, limit: int) -> tuple[str, str]:
    """``text`` cut to at most ``limit`` characters, on the last space before the limit:
    ``(head, rest)``. A single word longer than half the limit is cut inside."""
    if len(text) <= limit:
        return text, ""
    space = _LAST_SPACE.search(text, 0, limit + 1)
    cut = space.start() if space and space.start() >= limit // 2 else limit
    return text[:cut].rstrip(), text[cut:].strip()


def _count(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def article_fields_fit(*, title: str, kicker: str, lead: str, body: str) -> ArticleFields:
    """The fields within their limits; the cut parts open the body, in reading order."""
    moved: list[str] = []
    notes: list[str] = []
    fitted = {}
    for name, label, value, limit in [
        ("kicker", "Surtitre", kicker, KICKER_MAX),
        ("title", "Titre", title, TITLE_MAX),
        ("lead", "Chapô", lead, LEAD_MAX),
    ]:
        if len(value) <= limit:
            fitted[name] = value
            continue
        head, rest = cut_at_word(value, limit - len(ELLIPSIS))
        fitted[name] = head + ELLIPSIS
        moved.append(ELLIPSIS + rest)
        notes.append(
            f"{label} trop long ({_count(len(value))} caractères) : coupé à {_count(limit)} "
            "caractères sur un mot, la suite ouvre le corps."
        )
    if moved:
        body = "\n\n".join([*moved, body] if body else moved)
    return ArticleFields(body=body, notes=notes, **fitted)
