"""Where a scraped text comes from: its original address and its publisher.

Scrapers often keep a line naming the source: "Source : https://…", "Lire l'article complet
sur https://…", "Publié sur www.exemple.fr", a bare address on its own line, or "Source : Le
Journal des Flandres". Such lines are not part of the article: ``source_line()`` recognises them
(``clean_lines`` drops them) and ``page_source()`` gives the page's address and publisher.

Pure functions: lines in, strings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Longer lines are text that happens to quote an address, not a source line.
SOURCE_LINE_MAX_CHARS = 300
PUBLISHER_MAX_WORDS = 8

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"«»()\[\]]+", re.I)
_CUE_RE = re.compile(
    r"^(?:"
    r"sources?"
    r"|lien|url|adresse(?: d[’']origine)?"
    r"|article (?:original|d[’']origine|complet)"
    r"|(?:lire|voir|consulter) (?:la suite|l[’']article(?: complet| original)?|cet article)"
    r"(?: sur| chez)?"
    r"|retrouvez (?:la suite|l[’']article(?: complet)?|cet article)(?: sur)?"
    r"|publi[ée]e? (?:sur|dans)"
    r"|paru (?:sur|dans)"
    r")\s*[:：-]?\s*",
    re.I,
)
_TRAILING_PUNCTUATION = ".,;:!?’'»)]"


@dataclass(frozen=True)
class Source:
    url: str = ""
    publisher: str = ""

    def __bool__(self) -> bool:
        return bool(self.url or self.publisher)


def _normalise_url(raw: str) -> str:
    url = raw.rstrip(_TRAILING_PUNCTUATION)
    if url.lower().startswith("www."):
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or "." not in parts.netloc:
        return ""
    return url


def publisher_from_url(url: str) -> str:
    """The site's name as readers know it from the address: "lavoixdunord.fr"."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def source_line(line: str) -> Source | None:
    """The source a line names, or None when the line is something else.

    A source line is an address alone, or a cue ("Source :", "Lire la suite sur", "Publié
    sur"…) followed by an address, by "Publisher (address)", or — after "Source :" only — by
    a short publisher name."""
    stripped = line.strip()
    if not stripped or len(stripped) > SOURCE_LINE_MAX_CHARS:
        return None
    cue = _CUE_RE.match(stripped)
    rest = stripped[cue.end() :].strip() if cue else stripped
    urls = _URL_RE.findall(rest)
    if urls:
        url = _normalise_url(urls[0])
        if not url:
            return None
        words_left = _URL_RE.sub(" ", rest).strip(" -–—|:()[]")
        if not cue and words_left:
            return None  # a sentence quoting an address is text
        if len(words_left.split()) > PUBLISHER_MAX_WORDS:
            return None
        return Source(url=url, publisher=words_left)
    if cue and cue.group(0).lower().startswith("source") and rest:
        words = rest.rstrip(" .").split()
        if len(words) <= PUBLISHER_MAX_WORDS and not re.search(r"[.!?;]\s", rest):
            return Source(publisher=rest.rstrip(" ."))
    return None


# A publisher named without an address ("Source : Insee") counts only at the top or the bottom
# of the page: in the text it is the source of a figure, not of the article.
EDGE_LINES = 3


def page_source(lines: list[str]) -> Source:
    """The first address the page's source lines give, and the publisher they name."""
    url = publisher = ""
    for index, line in enumerate(lines):
        found = source_line(line)
        if found is None:
            continue
        at_edge = index < EDGE_LINES or index >= len(lines) - EDGE_LINES
        if found.url or at_edge:
            url = url or found.url
            publisher = publisher or found.publisher
        if url and publisher:
            break
    return Source(url=url, publisher=publisher)
