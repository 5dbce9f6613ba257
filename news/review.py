"""The sentence around an automatic link's matched words, for the editors' review.

Pure text work: strings in, a dataclass or HTML out, no ORM. The importer records the words it
matched (``matched_text``), not where: the review finds them again in the article's texts,
ignoring case, accents and the spacing or punctuation between words ("saint omer" finds
"Saint-Omer"), and cuts out the sentence that holds them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

# Longest context shown on each side of the match: a 2,000-character "sentence" (a list,
# a table flattened by the scraper) is cut at a word near this length.
CONTEXT_CHARS = 160
ELLIPSIS = "…"

# A full stop after these words does not end the sentence ("M. Dupont", "Saint-Omer, St. 5").
ABBREVIATIONS = frozenset(
    {"m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "st", "ste", "cf", "av", "bd"}
)
_SENTENCE_END_RE = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s)|\n")
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Excerpt:
    """``before`` + ``match`` + ``after`` is a sentence (maybe cut) of the source ``where``."""

    where: str
    before: str
    match: str
    after: str

    def html(self) -> SafeString:
        """The sentence with the match in ``<mark>``, every part escaped."""
        return format_html("{}<mark>{}</mark>{}", self.before, self.match, self.after)


def fold(text: str) -> str:
    """Lower case without accents, one character for each character of ``text``.

    Keeping the length lets a position found in the folded text point into the original.
    """
    folded = []
    for char in text:
        base = unicodedata.normalize("NFD", char)[0].lower()
        folded.append(base if len(base) == 1 else char)
    return "".join(folded)


def match_pattern(matched_text: str) -> re.Pattern | None:
    """The words of ``matched_text`` (folded), whole, with any non-word run between them."""
    words = _WORD_RE.findall(fold(matched_text))
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)")


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation ending at ``end`` closes a sentence (not "M." nor "J.")."""
    if text[end - 1] == "\n":
        return True
    stop = end
    while stop > 0 and not text[stop - 1].isalnum():
        stop -= 1
    start = stop
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    word = text[start:stop]
    if text[stop : stop + 1] != ".":
        return True
    return not (len(word) == 1 and word.isupper()) and word.lower() not in ABBREVIATIONS


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The start and end of the sentence that holds ``text[start:end]`` (line breaks end one)."""
    left, right = 0, len(text)
    for boundary in _SENTENCE_END_RE.finditer(text):
        if not _ends_sentence(text, boundary.end()):
            continue
        if boundary.end() <= start:
            left = boundary.end()
        elif boundary.start() >= end:
            right = boundary.end() if boundary.group() != "\n" else boundary.start()
            break
    while left < start and text[left].isspace():
        left += 1
    return left, right


def _cut_left(text: str) -> str:
    text = text.lstrip()
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[-CONTEXT_CHARS:]
    space = cut.find(" ")
    return ELLIPSIS + (cut[space + 1 :] if 0 <= space < CONTEXT_CHARS // 2 else cut)


def _cut_right(text: str) -> str:
    text = text.rstrip()
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[:CONTEXT_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > CONTEXT_CHARS // 2 else cut) + ELLIPSIS


class TextSearch:
    """Finds matched words in an article's texts, folding each text once for many links.

    ``sources`` are ``(where, text)`` pairs searched in order ("titre", "chapô", …): the first
    one that holds the words gives the excerpt.
    """

    def __init__(self, sources: Sequence[tuple[str, str]]):
        self.sources = [(where, text, fold(text)) for where, text in sources if text]

    def excerpt(self, matched_text: str) -> Excerpt | None:
        """The sentence around the first occurrence of ``matched_text``, or ``None``."""
        pattern = match_pattern(matched_text or "")
        if pattern is None:
            return None
        for where, text, folded in self.sources:
            found = pattern.search(folded)
            if found is None:
                continue
            start, end = found.span()
            left, right = sentence_bounds(text, start, end)
            return Excerpt(
                where=where,
                before=_cut_left(text[left:start]),
                match=text[start:end],
                after=_cut_right(text[end:right]),
            )
        return None


def confidence_percent(confidence: float) -> int:
    """The confidence as the whole percentage an editor reads (half up: 0.845 is 85)."""
    return math.floor(confidence * 100 + 0.5)


def confidence_floor(percent: int) -> float:
    """The lowest confidence shown as ``percent`` or more (see ``confidence_percent``)."""
    return (percent - 0.5) / 100
