"""Statements that a territory holds the "Territoire d'industrie" label."""

from __future__ import annotations

import re
from dataclasses import dataclass

from news.ingest.places import PlaceMatch
from news.ingest.structure import split_sentences
from territories.naming import fold, name_key
from territories.reference import label_key

_LABEL_WORDS = r"territoires?\s+d['’]\s?industrie"
_LABELLED_RE = re.compile(
    rf"(?:labellis|lab[ée]lis)\w*.{{0,80}}{_LABEL_WORDS}|label\s+.{{0,4}}{_LABEL_WORDS}", re.I
)
_ONE_OF_RE = re.compile(
    r"(?P<subject>[^.,;:]{3,80}?)\s+(?:est|sont|figure parmi|fait partie)\s+"
    r"(?:l['’]une?|un|une|des|parmi)?"
    r"\s*(?:des\s+)?(?:\d+\s+)?(?:territoires\s+)?(?:labellis|lab[ée]lis)",
    re.I,
)
_HEADLINE_RE = re.compile(
    rf"^(?P<subject>[^:,]{{3,80}}?)\s*[:,–—-]\s*(?:un|le|nouveau|nouvel)\s+{_LABEL_WORDS}", re.I
)
_QUOTED_NAME_RE = re.compile(rf"[«\"“]\s*(?P<name>{_LABEL_WORDS}[^»\"”]{{3,120}}?)\s*[»\"”]", re.I)
_SECOND_PHASE_RE = re.compile(
    r"2023\s*[-–àa]\s*2027|seconde phase|deuxi[eè]me phase|nouvelle phase|nouveaux territoires"
    r"|relanc[ée]",
    re.I,
)
_FIRST_PHASE_RE = re.compile(r"2018\s*[-–àa]\s*2022|2019\s*[-–àa]\s*2022|premi[eè]re phase", re.I)
_SUBJECT_PREFIX_RE = re.compile(
    r"^(?:.*\b)?(?:le|la|les|l['’])\s+(?:pays|territoire|bassin)\s+(?:de\s+|du\s+|des\s+|d['’])?",
    re.I,
)

FIRST_PHASE = "2018-2022"
SECOND_PHASE = "2023-2027"


@dataclass(frozen=True)
class LabelMention:
    name: str
    phase: str
    members: tuple[int, ...]  # territory ids
    matched_text: str
    rule: str


def _phase(text: str, year: int | None) -> str:
    if _SECOND_PHASE_RE.search(text):
        return SECOND_PHASE
    if _FIRST_PHASE_RE.search(text):
        return FIRST_PHASE
    if year is not None and year < 2023:
        return FIRST_PHASE
    return SECOND_PHASE


def _members_in(span_start: int, span_end: int, places: list[PlaceMatch]) -> tuple[int, ...]:
    return tuple(
        p.place.id
        for p in places
        if span_start <= p.start < span_end and p.place.kind in {"epci", "groupement"}
    )


def _members_named(subject: str, places: list[PlaceMatch]) -> tuple[int, ...]:
    """Intercommunalités whose name the subject spells, wherever the place was first found:
    a place is recorded once, often in the title, before the sentence that labels it."""
    words = f" {name_key(subject)} "
    return tuple(
        p.place.id
        for p in places
        if p.place.kind in {"epci", "groupement"}
        and name_key(p.matched_text)
        and f" {name_key(p.matched_text)} " in words
    )


def _subject_name(subject: str) -> str:
    subject = subject.strip(' ,«»"“”')
    subject = _SUBJECT_PREFIX_RE.sub("", subject).strip()
    return subject[:1].upper() + subject[1:] if subject else ""


def find_labels(
    *, title: str, text: str, places: list[PlaceMatch], year: int | None
) -> list[LabelMention]:
    """Labelling statements of an article. ``places`` were found in ``text`` (offsets)."""
    mentions: dict[str, LabelMention] = {}
    phase = _phase(text, year)

    def add(name: str, members: tuple[int, ...], matched: str, rule: str):
        key = label_key(name)
        if not key and not members:
            return
        if key in mentions:
            old = mentions[key]
            members = tuple(dict.fromkeys(old.members + members))
            name, matched, rule = old.name, old.matched_text, old.rule
        mentions[key] = LabelMention(name, phase, members, matched[:300], rule)

    quoted = [m.group("name").strip() for m in _QUOTED_NAME_RE.finditer(text)]
    named = [name for name in quoted if label_key(name)]

    offset = 0
    labelled_members: list[int] = []
    labelled_sentences = []
    sentences = [s for line in text.split("\n") for s in split_sentences(line)]
    for sentence in sentences:
        start = text.find(sentence, offset)
        if start < 0:
            continue
        offset = start + len(sentence)
        if _LABELLED_RE.search(sentence):
            labelled_sentences.append(sentence)
            labelled_members.extend(_members_in(start, offset, places))
            one_of = _ONE_OF_RE.search(sentence)
            if one_of:
                subject = one_of.group("subject")
                subject_start = start + one_of.start("subject")
                members = _members_in(
                    subject_start, subject_start + len(subject), places
                ) or _members_named(subject, places)
                add(_subject_name(subject.split(",")[-1]), members, sentence, "one-of")

    if labelled_sentences and named:
        members = tuple(dict.fromkeys(labelled_members))
        for name in named:
            add(name, members, labelled_sentences[0], "quoted-name")
    elif labelled_sentences and labelled_members and not mentions:
        members = tuple(dict.fromkeys(labelled_members))
        names = [p.place.name for p in places if p.place.id in members]
        add(" – ".join(names), members, labelled_sentences[0], "labelled-members")

    headline = _HEADLINE_RE.match(title)
    if headline:
        subject = headline.group("subject")
        title_start = text.find(title)
        members = (
            _members_in(title_start, title_start + len(subject), places) if title_start >= 0 else ()
        )
        add(_subject_name(subject), members, title, "headline")
    return [m for m in mentions.values() if fold(m.name)]
