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
import re
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


# A sentence, or a line without final punctuation (headings, captions).
_SENTENCE_RE = re.compile(r"[^\n]+?(?:[.!?…](?=\s)|$)", re.M)
# A capital inside the sentence, after a word: "… a choisi Safran", "… de la CCI Artois".
_INNER_CAPITAL_RE = re.compile(r"[\w,;:’'»)]\s+[«\"“(]?[A-ZÀ-Ý]")
_OPENING_WORD_RE = re.compile(r"^\W*([A-ZÀ-Ý][\w’'-]*)")


def _may_name(sentence: str) -> bool:
    """Whether a sentence can hold a name the model should read: a capitalised word inside
    it, or an opening word that is not an ordinary one ("Safran a annoncé…", not "Le site…").
    The model then reads about half of a page, for the same entities."""
    if _INNER_CAPITAL_RE.search(sentence):
        return True
    opening = _OPENING_WORD_RE.match(sentence)
    return bool(opening) and opening.group(1).lower() not in _ORDINARY_OPENINGS


_ORDINARY_OPENINGS = frozenset(
    """
    le la les l un une des du de d ce cet cette ces il elle ils elles on nous vous en dans pour
    par avec sans sur sous depuis après avant mais et ou donc or ni car ainsi enfin ensuite
    selon comme quand lorsque si tout tous toute toutes chaque plusieurs certains certaines
    au aux à y c qu que qui dont son sa ses leur leurs notre nos votre vos cela ceci ici là
    """.split()
)


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
        lines, offsets = [], []
        for match in _SENTENCE_RE.finditer(text):
            if _may_name(match.group()):
                lines.append(normalize_for_model(match.group()))
                offsets.append(match.start())
        entities = []
        for doc, start in zip(nlp.pipe(lines, batch_size=64), offsets, strict=True):
            for ent in doc.ents:
                a, b = start + ent.start_char, start + ent.end_char
                entities.append(Entity(ent.label_, text[a:b], a, b))
        return entities

    return recognize
