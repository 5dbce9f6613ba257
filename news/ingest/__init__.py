"""The import pipeline's pure part: raw text in, dataclasses out.

No ORM and no file access here: ``decode_bytes`` takes bytes, ``parse_document`` takes text and
a ``Gazetteer`` (plain data built by the service layer) and returns ``ParsedDocument``.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from news.ingest.actors import (
    ActorFinder,
    OrganisationMention,
    PersonMention,
    model_organisations,
    model_people,
)
from news.ingest.dates import choose_date, reference_year
from news.ingest.labels import LabelMention, find_labels, label_key
from news.ingest.lexicon import TOPIC_TAGS
from news.ingest.ner import Recognizer, load_recognizer
from news.ingest.places import (
    Gazetteer,
    PlaceFinder,
    PlaceMatch,
    PlaceRecord,
    calibrated,
    merge_context,
)
from news.ingest.spans import SpanIndex
from news.ingest.structure import RawItem, segment
from news.ingest.text import UnreadableInput, decode_bytes, normalize_text
from territories.naming import fold, organisation_key

# Bump when parsing changes: files imported by an older parser are parsed again.
PARSER_VERSION = 3
MAX_TAGS = 8

__all__ = [
    "PARSER_VERSION",
    "Gazetteer",
    "LabelMention",
    "OrganisationMention",
    "ParsedDocument",
    "ParsedItem",
    "PersonMention",
    "PlaceMatch",
    "PlaceRecord",
    "UnreadableInput",
    "content_hash",
    "decode_bytes",
    "label_key",
    "load_recognizer",
    "normalize_text",
    "organisation_key",
    "parse_document",
]


@dataclass
class ParsedItem:
    position: int
    title: str
    kicker: str
    lead: str
    body: str
    published_on: datetime.date | None
    date_precision: str
    date_inferred: bool
    publisher: str
    tags: list[str]
    places: list[PlaceMatch]
    organisations: list[OrganisationMention]
    people: list[PersonMention]
    labels: list[LabelMention]
    review_notes: list[str]
    source_text: str
    content_hash: str
    source_url: str = ""
    # A partial text: a teaser of a digest or list, or a text the source cut.
    is_brief: bool = False

    @property
    def needs_review(self) -> bool:
        return bool(self.review_notes)


@dataclass
class ParsedDocument:
    items: list[ParsedItem]
    is_digest: bool
    publisher: str
    notes: list[str] = field(default_factory=list)


def content_hash(text: str) -> str:
    """The identity of a text whatever its chrome, case, accents and spacing."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


def _tags(page_tags: list[str], text: str) -> list[str]:
    tags = list(dict.fromkeys(page_tags))
    folded = f" {fold(text)} "
    for keyword, tag in TOPIC_TAGS.items():
        if f" {keyword}" in folded and tag not in tags:
            tags.append(tag)
    return tags[:MAX_TAGS]


def _entity_text(item: RawItem) -> str:
    return "\n".join([*item.header_lines, item.text])


def parse_document(
    text: str,
    *,
    gazetteer: Gazetteer,
    known_organisations: dict[str, int] | None = None,
    known_acronyms: dict[str, int] | None = None,
    recognizer: Recognizer | None = None,
) -> ParsedDocument:
    """Split a normalised page into articles and find what each one names.

    ``recognizer`` (``load_recognizer()``, loaded once per batch) adds the organisations and
    people that the statistical model finds; without it the rules work alone."""
    page = segment(text)
    finder = PlaceFinder(gazetteer)
    page_year = reference_year(text) if page.is_digest else None

    # First pass: what each item names on its own, to learn the page's geography; the second
    # pass resolves homonyms with it ("Arques" in a page about the Pas-de-Calais).
    defined: dict = {}
    texts = [_entity_text(item) for item in page.items]
    # A single article is its own context: the first pass only matters for digests.
    contexts = [finder.find(t, defined=defined)[1] for t in texts] if len(texts) > 1 else []

    def is_place(key: str) -> bool:
        return bool(gazetteer.lookup(key)) or key.upper() in gazetteer.acronyms

    actors = ActorFinder(known_organisations, known_acronyms, is_place=is_place)
    page_context = merge_context(contexts)

    items = []
    for item, entity_text in zip(page.items, texts, strict=True):
        places, _context, place_spans = finder.find(
            entity_text, page_context=page_context, defined=defined
        )
        heading = f"{item.kicker}\n{item.title}"
        places = [calibrated(p, heading=heading, lead=item.lead) for p in places]
        header = "\n".join([*item.date_lines, *item.header_lines])
        date, _mentions = choose_date(
            header,
            f"{item.title}\n{item.lead}\n{item.body}",
            context_year=page_year,
            from_text=item.dated_by_text,
            page_year_first=page.is_digest and not item.dated_by_text,
        )
        if date.value is None and item.page_date_lines:
            # A brief of a digest dated by nothing of its own: the page's date.
            date, _mentions = choose_date(
                "\n".join(item.page_date_lines), "", context_year=page_year, from_text=False
            )
        notes = list(item.notes)
        if date.value is None:
            notes.append(date.note)
        notes.extend(p.note for p in places if p.note)
        if not places:
            notes.append("Aucun territoire reconnu : à lier à la main.")
        place_index = SpanIndex(place_spans)
        entities = recognizer(entity_text) if recognizer else []
        people = model_people(
            entity_text, entities, is_place=is_place, rule_people=actors.people(entity_text)
        )
        person_names = {fold(p.name) for p in people}
        organisations = actors.organisations(
            entity_text, place_spans=place_index, person_names=person_names
        )
        if entities:
            organisations = model_organisations(
                entity_text,
                entities,
                is_place=is_place,
                places=place_index,
                rule_organisations=organisations,
                person_names=person_names,
            )
        labels = find_labels(
            title=item.title,
            text=entity_text,
            places=places,
            year=date.value.year if date.value else None,
        )
        informational = [date.note] if date.inferred else []
        items.append(
            ParsedItem(
                position=item.position,
                title=item.title,
                kicker=item.kicker,
                lead=item.lead,
                body=item.body,
                published_on=date.value,
                date_precision=date.precision,
                date_inferred=date.inferred,
                publisher=page.publisher,
                source_url=page.source_url,
                is_brief=item.truncated or (page.is_digest and not item.body),
                tags=_tags(page.tags, item.text),
                places=places,
                organisations=organisations,
                people=people,
                labels=labels,
                review_notes=[n for n in notes if n and n not in informational],
                source_text=entity_text,
                content_hash=content_hash(item.text),
            )
        )
    return ParsedDocument(items=items, is_digest=page.is_digest, publisher=page.publisher)
