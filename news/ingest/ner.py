"""Named-entity recognition: spaCy's small French model proposes organisations and people.

The rules of ``actors`` keep what they do well (legal-form introducers, head words, roles); the
model adds names no rule can see (a company with no introducer, a person with no role). Its
output is filtered there: places, generic words, role words and nationality words are dropped.

The model is loaded once per batch with its ``ner`` component only (about twice as fast as the
whole pipeline). ``load_recognizer()`` returns ``None`` when spaCy or the model is missing, or
when ``IMPORT_NER=0``: the importer then runs on its rules alone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger(__name__)

MODEL = "fr_core_news_sm"
# The model reads this much of an article at most: a scraped dump of several megabytes keeps
# linear, bounded time; the rules still read all of it.
MAX_CHARACTERS = 60_000


@dataclass(frozen=True)
class Entity:
    label: str  # "PER", "ORG", "LOC", "MISC"
    text: str
    start: int
    end: int


Recognizer = Callable[[str], list[Entity]]


def normalize_for_model(text: str) -> str:
    """Typographic apostrophes confuse the small model's tokenizer ("l’Américain"): one
    character for another keeps every offset."""
    return text.replace("’", "'").replace("ʼ", "'")


@lru_cache(maxsize=1)
def _model():
    import spacy

    return spacy.load(
        MODEL,
        exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"],
    )


def load_recognizer() -> Recognizer | None:
    if os.environ.get("IMPORT_NER", "1").strip().lower() in {"0", "false", "no", "off"}:
        return None
    try:
        nlp = _model()
    except (ImportError, OSError) as error:
        logger.warning("Reconnaissance d'entités indisponible (%s) : règles seules.", error)
        return None

    def recognize(text: str) -> list[Entity]:
        # Line by line: a scraped page runs menus, headings and captions together with no
        # punctuation, and the model would read "Julien Kremer\nPublié" as one name.
        text = text[:MAX_CHARACTERS]
        lines, offsets, offset = [], [], 0
        for line in text.split("\n"):
            if line.strip():
                lines.append(normalize_for_model(line))
                offsets.append(offset)
            offset += len(line) + 1
        entities = []
        for doc, start in zip(nlp.pipe(lines, batch_size=64), offsets, strict=True):
            for ent in doc.ents:
                a, b = start + ent.start_char, start + ent.end_char
                entities.append(Entity(ent.label_, text[a:b], a, b))
        return entities

    return recognize
