"""Finding the territories a text names, against a gazetteer built from the reference.

The gazetteer is plain data (``PlaceRecord`` rows and alias keys) so that this module stays pure:
the service layer builds it once per run from the database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from news.ingest.lexicon import (
    AMBIGUOUS_COMMUNE_WORDS,
    COMMON_ACRONYMS,
    INSTITUTION_CUES,
    NOT_PLACE_BEFORE,
    PLACE_CUES,
    STRONG_PLACE_CUES,
)
from territories.naming import ABBREVIATIONS, STOPWORDS, _singular, fold, name_key

MAX_NAME_TOKENS = 12
BIG_COMMUNE = 20000
CHUNK = 50_000  # characters of text tokenised at once

KIND_RANK = {"region": 0, "departement": 1, "epci": 2, "groupement": 3, "commune": 4}


@dataclass(frozen=True)
class PlaceRecord:
    id: int
    kind: str
    name: str
    code: str | None
    departement: str | None = None
    region: str | None = None
    population: int | None = None


@dataclass(frozen=True)
class NameEntry:
    place: PlaceRecord
    via: str  # "name", or the alias kind: "acronym", "usual", "long", "former"


@dataclass(frozen=True)
class PlaceMatch:
    place: PlaceRecord
    matched_text: str
    start: int
    method: str  # news.LinkMethod value
    confidence: float
    note: str = ""


class Gazetteer:
    """Names and aliases of territories, keyed by ``territories.naming.name_key``."""

    def __init__(self, places: Iterable[PlaceRecord], aliases: Iterable[tuple[int, str, str, str]]):
        self.places = {place.id: place for place in places}
        self._first_words: frozenset[str] | None = None
        self.by_key: dict[str, list[NameEntry]] = defaultdict(list)
        self.acronyms: dict[str, list[NameEntry]] = defaultdict(list)
        for place in self.places.values():
            key = name_key(place.name)
            if key:
                self.by_key[key].append(NameEntry(place, "name"))
        for place_id, alias, key, kind in aliases:
            place = self.places.get(place_id)
            if place is None or not key:
                continue
            entry = NameEntry(place, kind)
            if kind == "acronym" and alias.isupper():
                self.acronyms[alias].append(entry)
            else:
                self.by_key[key].append(entry)

    @property
    def first_words(self) -> frozenset[str]:
        """The first word of every name's key: a word that is none opens no name."""
        if self._first_words is None:
            self._first_words = frozenset(key.split(" ", 1)[0] for key in self.by_key)
        return self._first_words

    def lookup(self, key: str) -> list[NameEntry]:
        return self.by_key.get(key, [])


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int
    key: str  # "" for stopwords

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()

    @property
    def upper(self) -> bool:
        return len(self.text) >= 2 and self.text.isupper() and self.text.isalpha()


_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Inside a name: spaces, hyphens, apostrophes, a comma ("Béthune-Bruay, Artois-Lys Romane").
_JOINER_RE = re.compile(r"^[\s\-–'’,]*$")
_LEADING_ARTICLE_RE = re.compile(r"^(?:(Les|Le|La)\s|(L)['’])")
_DEPARTEMENT_CODE_RE = re.compile(r"\((\d{2}|2A|2B|97\d)\)")
_ACRONYM_DEF_RE = re.compile(r"\s*\(([A-Z][A-Za-z0-9]{1,9})\)")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words of ``text[start:end]``, with their offsets in ``text``."""
    tokens = []
    for match in _WORD_RE.finditer(text, start, len(text) if end is None else end):
        folded = fold(match.group())
        folded = ABBREVIATIONS.get(folded, folded)
        key = "" if folded in STOPWORDS else _singular(folded)
        tokens.append(Token(match.group(), match.start(), match.end(), key))
    return tokens


@dataclass
class _Context:
    departements: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    regions: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, place: PlaceRecord, weight: float = 1.0) -> None:
        if place.kind == "departement" and place.code:
            self.departements[place.code] += weight
        elif place.departement:
            self.departements[place.departement] += weight
        if place.kind == "region" and place.code:
            self.regions[place.code] += weight
        elif place.region:
            self.regions[place.region] += weight

    def score(self, place: PlaceRecord) -> float:
        departement = place.code if place.kind == "departement" else place.departement
        region = place.code if place.kind == "region" else place.region
        return 2 * self.departements.get(departement, 0) + self.regions.get(region, 0)


@dataclass
class _Candidate:
    entries: list[NameEntry]
    tokens: list[Token]
    text: str
    start: int
    end: int
    via_acronym: bool = False


class PlaceFinder:
    """Finds territory names in texts; ``context`` of a page is shared by its briefs."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    # -- candidates -------------------------------------------------------------------------
    def _candidates(self, text: str, defined: dict[str, list[NameEntry]]) -> list[_Candidate]:
        """Candidates of a text, read in chunks of whole paragraphs (a name never spans two):
        the words of a multi-megabyte dump are never all in memory at once."""
        candidates: list[_Candidate] = []
        start = 0
        while start < len(text):
            end = len(text) if len(text) - start <= CHUNK else text.find("\n", start + CHUNK)
            end = len(text) if end < 0 else end
            candidates.extend(self._chunk_candidates(text, start, end, defined))
            start = end
        return candidates

    def _chunk_candidates(
        self, text: str, start: int, end: int, defined: dict[str, list[NameEntry]]
    ) -> list[_Candidate]:
        tokens = tokenize(text, start, end)
        content = [t for t in tokens if t.key]
        # reach[k]: how many words from content[k] on may belong to one name — a name never
        # spans a sentence or a parenthesis.
        joinable = [
            bool(_JOINER_RE.match(text[a.end : b.start]))
            or fold(text[a.end : b.start]) in _INNER_STOPWORDS
            for a, b in zip(content, content[1:], strict=False)
        ]
        reach = [1] * len(content)
        for k in range(len(content) - 2, -1, -1):
            if joinable[k]:
                reach[k] = reach[k + 1] + 1
        candidates: list[_Candidate] = []
        first_words = self.gazetteer.first_words
        i = 0
        while i < len(content):
            found = None
            # Longest name first; most words open no name at all.
            longest = min(MAX_NAME_TOKENS, reach[i]) if content[i].key in first_words else 0
            for length in range(longest, 0, -1):
                span = content[i : i + length]
                key = " ".join(t.key for t in span)
                entries = self.gazetteer.lookup(key)
                if entries:
                    found = _Candidate(
                        entries,
                        span,
                        text[span[0].start : span[-1].end],
                        span[0].start,
                        span[-1].end,
                    )
                    break
            token = content[i]
            if found is None and token.upper:
                entries = defined.get(token.text) or defined.get(fold(token.text))
                if not entries and token.text not in COMMON_ACRONYMS:
                    entries = self.gazetteer.acronyms.get(token.text)
                if entries:
                    found = _Candidate(
                        entries, [token], token.text, token.start, token.end, via_acronym=True
                    )
            if found is None and fold(token.text) in defined and token.capitalized:
                # An acronym the text defined, written in title case ("la Mel").
                found = _Candidate(
                    defined[fold(token.text)],
                    [token],
                    token.text,
                    token.start,
                    token.end,
                    via_acronym=True,
                )
            if found is None:
                i += 1
                continue
            self._learn_acronym(text, found, found.entries, defined)
            candidates.append(found)
            i += len(found.tokens)
        return candidates

    # -- filters ----------------------------------------------------------------------------
    @staticmethod
    def _previous_words(text: str, start: int, count: int = 2) -> list[str]:
        words = fold(text[max(0, start - 40) : start]).split()
        return words[-count:]

    @staticmethod
    def _sentence_initial(text: str, start: int) -> bool:
        before = text[max(0, start - 12) : start].rstrip(" «\"“'’")
        return not before or before[-1] in ".!?\n:…»"

    @staticmethod
    def _headline_place(text: str, candidate: _Candidate) -> bool:
        """ "Mer : une usine de batteries…", "Villefontaine – …": a line opened by a place."""
        line_start = text.rfind("\n", 0, candidate.start) + 1
        opening = text[line_start : candidate.start].strip(' «"“>•-–—')
        if opening not in {"", "Le", "La", "Les", "L'", "L’"}:
            return False  # "La Couronne : …" opens with the commune's article
        return bool(re.match(r"^\s?[:–—]\s", text[candidate.end : candidate.end + 3]))

    def _plausible(self, text: str, candidate: _Candidate) -> tuple[list[NameEntry], float, bool]:
        """Entries kept for this occurrence, a confidence factor, and whether the page's
        geography must support it (a small commune with no cue of its own)."""
        tokens = candidate.tokens
        if candidate.via_acronym:
            return candidate.entries, 0.85, False
        if not any(t.capitalized for t in tokens):
            return [], 0, False
        before_words = self._previous_words(text, candidate.start, 3)
        # "rue de Dunkerque", "golfe de Fos", "pays de Caux": a street or an area, not the place.
        if (
            len(before_words) >= 2
            and before_words[-1] in {"de", "d", "du", "des"}
            and before_words[-2] in NOT_PLACE_BEFORE
        ):
            if any(e.place.kind == "commune" for e in candidate.entries):
                entries = [e for e in candidate.entries if e.place.kind != "commune"]
                if not entries or len(tokens) < 3:
                    return [], 0, False
        if len(tokens) >= 3:
            return candidate.entries, 1.0, False
        first = tokens[0]
        one_word = " " not in candidate.text.strip()
        entries = candidate.entries
        if not first.capitalized:
            return [], 0, False
        after = text[candidate.end : candidate.end + 30]
        headline = self._headline_place(text, candidate)
        cue = headline or (bool(before_words) and before_words[-1] in PLACE_CUES)
        # "à Figeac", "à Les Ventes", "près de Lens": a strong cue, at most one small word away.
        strong = headline or any(
            word in STRONG_PLACE_CUES
            and all(w in {"la", "le", "les", "l", "de", "d"} for w in before_words[i + 1 :])
            for i, word in enumerate(before_words)
            if i >= len(before_words) - 2
        )
        if re.match(r"^-[A-ZÀ-Ý]", after):
            entries = [e for e in entries if e.place.kind == "commune" and cue]
            if not entries:
                return [], 0, False
        next_capitalized = bool(re.match(r"^[ \t]+[A-ZÀ-Ý][a-zà-ÿ]", after)) and not re.match(
            r"^[ \t]+(?:et|ou)\b", after
        )
        if not one_word:
            # "l'association Porte du Hainaut Commerce": the name goes on, it is not the place.
            return ([], 0, False) if next_capitalized else (entries, 1.0, False)
        previous = re.search(
            r"([A-ZÀ-Ý][\w'’-]*)[ \t]+$", text[max(0, candidate.start - 30) : candidate.start]
        )
        # "Jean-Marc Devise", "Bruno Le Maire": a capitalised word before is part of the name,
        # unless it opens the sentence ("À Évin-Malmaison", "Près de Lens").
        previous_token_capitalized = (
            previous is not None
            and fold(previous.group(1)) not in INSTITUTION_CUES
            and not self._sentence_initial(text, candidate.start - len(previous.group(0)))
            and not any(  # "à Les Ventes": the article belongs to the name
                fold(e.place.name).startswith(fold(previous.group(1)) + " ") for e in entries
            )
        )
        if previous_token_capitalized or next_capitalized:
            # A word of a longer proper noun: "Jean-Marc Devise", "Dunkerque Promotion".
            return [], 0, False
        in_parentheses = text[candidate.end : candidate.end + 1] == ")" or (
            text[candidate.start - 1 : candidate.start] == "("
        )
        kept = []
        weak = False
        for entry in entries:
            place = entry.place
            article = _LEADING_ARTICLE_RE.match(place.name)
            if article and entry.via == "name":
                # "Les Ventes" is not "la Vente", "L'Hôpital" is "à l'Hôpital".
                expected = fold(article.group(1) or article.group(2))
                if not before_words or before_words[-1] != expected:
                    continue
            if place.kind == "commune":
                word = fold(candidate.text)
                if len(word) < 3 and not (before_words and before_words[-1] == "a"):
                    continue  # "Y", "Eu": only "à Eu" names the town
                if word in AMBIGUOUS_COMMUNE_WORDS and not (
                    headline or (before_words and before_words[-1] in {"a", "commune", "ville"})
                ):
                    continue
                if not (cue or in_parentheses or (place.population or 0) >= BIG_COMMUNE):
                    continue
                if not (strong or in_parentheses) and (place.population or 0) < BIG_COMMUNE:
                    weak = True  # "de Montagne", "le Léon": only if the page is around there
                sentence_initial = self._sentence_initial(text, candidate.start)
                if sentence_initial and not (in_parentheses or headline):
                    if (place.population or 0) < BIG_COMMUNE:
                        continue
            kept.append(entry)
        return kept, 0.9 if cue or in_parentheses else 0.75, weak

    # -- resolution -------------------------------------------------------------------------
    def find(
        self,
        text: str,
        *,
        page_context: _Context | None = None,
        defined: dict[str, list[NameEntry]] | None = None,
    ) -> tuple[list[PlaceMatch], _Context, list[tuple[int, int]]]:
        """Territories named in ``text``: the matches (first mention of each), the text's
        geographic context, and the spans of every mention."""
        defined = defined if defined is not None else {}
        candidates = self._candidates(text, defined)
        plausible: list[tuple[_Candidate, list[NameEntry], float, bool]] = []
        for candidate in candidates:
            entries, factor, weak = self._plausible(text, candidate)
            if entries:
                plausible.append((candidate, entries, factor, weak))

        context = _Context()
        for marker in _DEPARTEMENT_CODE_RE.finditer(text):
            context.departements[marker.group(1)] += 2
        for _candidate, entries, _factor, weak in plausible:
            places = {e.place.id for e in entries}
            if len(places) == 1 and not weak:
                context.add(entries[0].place)
        # A small commune named with no cue of its own stays only where the rest of the page
        # already is (its département named, or places of it): "Montagne" in a Charente page
        # about Angoulême is the Gironde village only if the Gironde is around.
        kept: list[tuple[_Candidate, list[NameEntry], float]] = []
        for candidate, entries, factor, weak in plausible:
            if weak:
                entries = [
                    e
                    for e in entries
                    if context.score(e.place) > 0
                    or (page_context is not None and page_context.score(e.place) > 0)
                ]
                if not entries:
                    continue
                if len({e.place.id for e in entries}) == 1:
                    context.add(entries[0].place)
            kept.append((candidate, entries, factor))

        matches: list[PlaceMatch] = []
        seen: set[int] = set()
        spans: list[tuple[int, int]] = []
        for candidate, entries, factor in kept:
            # "à Vienne" is the town; the département would be "dans la Vienne".
            if self._previous_words(text, candidate.start, 1) == ["a"]:
                towns = [e for e in entries if e.place.kind == "commune"]
                entries = towns or entries
            entry, method, confidence, note = self._resolve(entries, context, page_context)
            if entry is None:
                continue
            spans.append((candidate.start, candidate.end))
            if entry.place.id in seen:
                continue
            seen.add(entry.place.id)
            matches.append(
                PlaceMatch(
                    place=entry.place,
                    matched_text=candidate.text,
                    start=candidate.start,
                    method=method,
                    confidence=round(confidence * factor, 2),
                    note=note,
                )
            )
        return matches, context, spans

    @staticmethod
    def _learn_acronym(text, candidate, entries, defined) -> None:
        """ "Communauté de communes du Pays d'Opale (CCPO)": CCPO now names that place."""
        match = _ACRONYM_DEF_RE.match(text[candidate.end : candidate.end + 40])
        if match and len({e.place.id for e in entries}) == 1:
            acronym = match.group(1)
            defined[acronym] = [NameEntry(entries[0].place, "acronym")]
            defined[fold(acronym)] = defined[acronym]

    @staticmethod
    def _resolve(entries, context, page_context):
        places = {e.place.id: e for e in entries}
        entries = list(places.values())
        via_name = all(e.via == "name" for e in entries)
        if len(entries) == 1:
            entry = entries[0]
            if entry.via == "name":
                return entry, "name", 0.95, ""
            return entry, "alias", 0.85 if entry.via != "acronym" else 0.8, ""
        # Several territories share the name: broader kinds first ("Paris"), then context.
        kinds = {e.place.kind for e in entries}
        if len(kinds) > 1:
            broadest = min(kinds, key=KIND_RANK.get)
            entries = [e for e in entries if e.place.kind == broadest]
            if len(entries) == 1:
                return entries[0], "name" if via_name else "alias", 0.8, ""

        def score(entry):
            local = context.score(entry.place)
            page = page_context.score(entry.place) if page_context else 0
            return (local * 2 + page, entry.place.population or 0)

        ranked = sorted(entries, key=score, reverse=True)
        best = ranked[0]
        best_score = score(best)[0]
        if best_score > 0 and best_score > score(ranked[1])[0]:
            return best, "context", 0.85, ""
        if best.via == "acronym":
            return None, "", 0, ""  # an acronym shared elsewhere, with nothing to choose by
        note = f"Homonymes : {best.place.name} choisi sans contexte (le plus peuplé)."
        return best, "context", 0.5, note


# What may stand between two words of one name once folded: "Porte du Hainaut", "Pays d'Opale".
_INNER_STOPWORDS = frozenset(
    {"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "sur", "sous", "aux", "au", "a"}
    | {"de la", "de l", "et de", "et d", "et du", "et des", "les", "sur la", "sur le"}
)


# How often a link is right — the article is about that place — by kind and by where the text
# names it, measured on the evaluation set (tests/news/ingest/eval, `make eval` prints the
# check). A commune or a département named only in the text is as often a venue or a passing
# mention as a subject; an intercommunalité named anywhere is almost always a subject.
RELEVANCE = {
    "title": {"commune": 0.9, "departement": 0.9, "epci": 0.85, "groupement": 0.85, "region": 0.6},
    "lead": {"commune": 0.55, "departement": 0.5, "epci": 0.9, "groupement": 0.8, "region": 0.6},
    "body": {"commune": 0.5, "departement": 0.5, "epci": 0.8, "groupement": 0.75, "region": 0.55},
}


def calibrated(match: PlaceMatch, *, heading: str, lead: str) -> PlaceMatch:
    """The match with a confidence that means how often such a link is right: the share of
    its kind and position, lowered when the name itself was uncertain (a homonym chosen
    without context)."""
    if match.matched_text in heading:
        position = "title"
    elif match.matched_text in lead:
        position = "lead"
    else:
        position = "body"
    share = RELEVANCE[position].get(match.place.kind, 0.5)
    certainty = min(1.0, match.confidence / 0.8)
    return replace(match, confidence=round(share * certainty, 2))


def merge_context(contexts: Iterable[_Context]) -> _Context:
    merged = _Context()
    for context in contexts:
        for code, weight in context.departements.items():
            merged.departements[code] += weight
        for code, weight in context.regions.items():
            merged.regions[code] += weight
    return merged
