"""Organisations and people named in a text.

Candidates come from the shape of French news writing: a head word that is part of a name
("CCI Artois", "Réseau Initiative …"), a noun that introduces one ("l'association …",
"les sociétés X et Y", "parmi lesquelles A, B ou C"), an acronym defined in brackets
("Porte du Hainaut Commerce (PHC)"), or an organisation the database already knows.
People are kept only when the text gives them a role ("Olivier Gacquerre, président de …").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from news.ingest.lexicon import (
    AMBIGUOUS_COMMUNE_WORDS,
    COMMON_ACRONYMS,
    COMPANY_CUES,
    FIRST_NAMES,
    GENERIC_ORGANISATION_WORDS,
    MONTHS,
    NAME_OPENING_NOUNS,
    NATIONALITY_WORDS,
    NOT_NAMES,
    ORGANISATION_HEADS,
    ORGANISATION_INTRODUCERS,
    ORGANISATION_OF_INTRODUCERS,
    PERSON_ROLES,
)
from news.ingest.ner import Entity
from news.ingest.spans import SpanIndex
from territories.naming import fold, name_key, organisation_key

_UPPER = "A-ZÀ-ÖØ-Ý"
_LOWER = "a-zà-öø-ÿ"
# A capitalised word; an apostrophe only inside a name ("Lorr'Up"), never "L'entreprise".
_CAP_WORD = (
    rf"(?:[{_UPPER}][\w&.-]*(?:['’][{_UPPER}][\w&.-]*)?[\w&]|[{_UPPER}]|[0-9]+[{_UPPER}][\w-]*)"
)
_CONNECTOR = r"(?:de la|de l['’]|d['’]|de|du|des|la|le|les|l['’]|et|&|en|sur|aux|au)"
_PROPER_RE = re.compile(
    rf"(?<!\w)(?:{_CAP_WORD})"
    rf"(?:(?:[ \t]+|[ \t]+(?:et[ \t]+(?:d['’]|de[ \t]+l['’]|de|du|des)|{_CONNECTOR})[ \t]*)"
    rf"(?:{_CAP_WORD}))*"
)
_LEADING_DETERMINER_RE = re.compile(
    r"^(?:(?:Le|La|Les|Un|Une|Des|Du|De|Au|Aux|En|Et|Ces|Cette|Ce|Son|Sa|Ses)\s+|L['’])(?=\S)"
)
_ACRONYM_AFTER_RE = re.compile(r"^\s*\(([A-Z][A-Za-z0-9&]{1,9})\)")
_ENUMERATION_CUE_RE = re.compile(
    r"(?:parmi lesquel(?:le)?s|parmi eux|parmi elles|dont|notamment|comme|tels? que|telles? que)"
    r"\s*,?\s*$",
    re.I,
)
_COMPANY_CONTEXT_RE = re.compile(r"entreprises?|soci[ée]t[ée]s?|industriel|PME|groupes?", re.I)

_FIRST_NAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_LAST_NAME = rf"(?:(?:Le|La|De|Du|Van|Von|de|du|d['’])\s?)?[{_UPPER}][{_LOWER}{_UPPER}'’-]+"
_PERSON = rf"(?P<name>{_FIRST_NAME}(?:\s+{_LAST_NAME}){{1,2}})"
_ROLE = "(?i:" + "|".join(re.escape(r) for r in sorted(PERSON_ROLES, key=len, reverse=True)) + ")"
_NAME_THEN_ROLE_RE = re.compile(
    rf"(?<!\w){_PERSON},[ \t]+(?:(?i:le|la|l['’]|son|sa|notre)\s+)?"
    # The role runs to the punctuation, or to "et" and the next person ("… de la MEL,
    # Arnaud Hottin, …" / "et Arnaud Hottin"): "Moselle et Madon" stays in it.
    rf"(?P<role>{_ROLE}\b(?:(?!\bet\s+(?:M\.|Mme|{_FIRST_NAME}\s+[{_UPPER}]))[^,.;:«»()\n])*)"
)
_ROLE_THEN_NAME_RE = re.compile(
    rf"(?:\b(?:son|sa|leur|le|la|l['’]|notre)\s+)(?P<role>{_ROLE}\b[^,.;:«»()\n]{{0,80}}?),"
    rf"[ \t]+{_PERSON}(?=\s*[,.;)]|\s+(?:et|a|ont|qui|s['’]|de)\b)"
)
_ROLE_LIST_RE = re.compile(
    rf"\b(?:les|des)\s+(?P<role>ministres|élus|dirigeants|présidents|maires)\s+"
    rf"(?P<names>{_FIRST_NAME}\s+{_LAST_NAME}(?:\s+{_LAST_NAME})?"
    rf"(?:\s*,\s*{_FIRST_NAME}\s+{_LAST_NAME}(?:\s+{_LAST_NAME})?)*"
    rf"\s+et\s+{_FIRST_NAME}\s+{_LAST_NAME}(?:\s+{_LAST_NAME})?)"
)


@dataclass(frozen=True)
class OrganisationMention:
    name: str
    kind: str
    acronym: str
    matched_text: str
    rule: str
    confidence: float
    known_id: int | None = None


@dataclass(frozen=True)
class PersonMention:
    name: str
    role: str
    matched_text: str
    rule: str = "role"
    confidence: float = 0.8


def _heads() -> list[tuple[str, str, bool]]:
    return sorted(
        ((head, kind, included) for head, (kind, included) in ORGANISATION_HEADS.items()),
        key=lambda item: len(item[0]),
        reverse=True,
    )


_HEADS = _heads()


def _head_of(folded: str) -> tuple[str, str] | None:
    for head, kind, _included in _HEADS:
        if folded == head or folded.startswith(f"{head} "):
            return head, kind
    return None


def _clean_name(name: str) -> str:
    name = re.sub(r"^(?:l['’]|la |le |les )", "", name.strip(' ,.;:«»"“”'))
    # "l'Américain Boeing", "le Sino-Japonais AESC": the nationality is not part of the name.
    words = name.split()
    while len(words) > 1 and all(part in NATIONALITY_WORDS for part in fold(words[0]).split()):
        words = words[1:]
    return " ".join(words).strip()


def _split_pair(name: str) -> list[str] | None:
    """ "ADEME et Bpifrance", "Banque des Territoires et Business France": two organisations,
    when each side stands as a name of its own (an acronym or a head word); "Chambre de
    commerce et d'industrie" or "Moselle et Madon" stay whole."""
    left, sep, right = name.partition(" et ")
    if not sep or not right[:1].isupper() or not left:
        return None

    def stands_alone(part: str) -> bool:
        return part.isupper() or _head_of(fold(part)) is not None

    if stands_alone(left) and (stands_alone(right) or len(right.split()) <= 3):
        return [left, right]
    return None


def _trim_trailing_connectors(name: str) -> str:
    return re.sub(rf"\s+{_CONNECTOR}\s*$", "", name).strip()


class ActorFinder:
    """Finds organisations and people. ``known`` maps organisation keys to their ids."""

    def __init__(self, known: dict[str, int] | None = None, known_acronyms=None, is_place=None):
        self.known = known or {}
        self.known_acronyms = known_acronyms or {}
        # Tells whether a word is a territory's name: "Scot Lille Métropole" is no company.
        self.is_place = is_place or (lambda key: False)

    def people(self, text: str) -> list[PersonMention]:
        found: dict[str, PersonMention] = {}

        def add(name: str, role: str, matched: str):
            name = " ".join(name.split())
            first = fold(name.split()[0])
            if first in NOT_NAMES or _head_of(fold(name)):
                return
            role = " ".join(role.split()).strip(" ,")
            if fold(name) not in found:
                found[fold(name)] = PersonMention(name=name, role=role[:300], matched_text=matched)

        for match in _ROLE_LIST_RE.finditer(text):
            for name in re.split(r"\s*,\s*|\s+et\s+", match.group("names")):
                add(name, match.group("role").rstrip("s"), match.group(0))
        for match in _NAME_THEN_ROLE_RE.finditer(text):
            add(match.group("name"), match.group("role"), match.group(0))
        for match in _ROLE_THEN_NAME_RE.finditer(text):
            add(match.group("name"), match.group("role"), match.group(0))
        return list(found.values())

    def organisations(
        self,
        text: str,
        *,
        place_spans: list[tuple[int, int]] | SpanIndex,
        person_names: set[str],
    ) -> list[OrganisationMention]:
        """Organisation mentions; spans already read as territories are not organisations."""
        found: dict[str, OrganisationMention] = {}
        places = place_spans if isinstance(place_spans, SpanIndex) else SpanIndex(place_spans)
        overlaps_place = places.overlaps
        covered_by_place = places.covers

        def add(name, kind, rule, confidence, matched, acronym=""):
            name = _trim_trailing_connectors(_clean_name(name))
            parts = _split_pair(name)
            if parts:
                for part in parts:
                    add(part, kind, rule, confidence, matched)
                return
            key = organisation_key(name)
            if not key or len(name) < 2:
                return
            if rule not in {"head", "known"} and has_first_name(name) and len(name.split()) <= 3:
                return  # "Nadège Rouxel": a person
            if rule not in {"head", "known", "acronym"} and _ordinary_word(text, name):
                return  # "Trois", "Commencée": a capitalised ordinary word
            if rule != "head" and _COLLECTIVITY_WORDS & set(fold(name).split()):
                return  # "Communauté Creusot Montceau": an intercommunalité, a territory
            if fold(name) in person_names or fold(name.split()[0]) in NOT_NAMES:
                return
            if name.upper() == name and name in COMMON_ACRONYMS:
                return
            known_id = self.known.get(key) or self.known_acronyms.get(name)
            previous = found.get(key)
            if previous and previous.confidence >= confidence:
                if acronym and not previous.acronym:
                    found[key] = OrganisationMention(
                        previous.name,
                        previous.kind,
                        acronym,
                        previous.matched_text,
                        previous.rule,
                        previous.confidence,
                        previous.known_id,
                    )
                return
            found[key] = OrganisationMention(
                name=name,
                kind=kind,
                acronym=acronym or (previous.acronym if previous else ""),
                matched_text=matched[:300],
                rule=rule,
                confidence=confidence,
                known_id=known_id,
            )

        for match in _PROPER_RE.finditer(text):
            start, end = match.start(), match.end()
            name = match.group(0)
            # "La CCI Artois", "Les sociétés …": the article opens the sentence, not the name.
            leading = _LEADING_DETERMINER_RE.match(name)
            if leading:
                start += leading.end()
                name = name[leading.end() :]
            # "Béthune de la Chambre de Commerce …": the place opens the phrase, not the name.
            for _p_start, p_end in places.starting_at(start):
                if p_end < end:
                    rest = re.match(rf"^(?:[ \t]*{_CONNECTOR})*[ \t]*", text[p_end:end])
                    start = p_end + rest.end()
                    name = text[start:end]
            if not name or covered_by_place(start, end):
                continue
            after = text[end : end + 20]
            acronym_match = _ACRONYM_AFTER_RE.match(after)
            acronym = acronym_match.group(1) if acronym_match else ""
            before = text[max(0, start - 60) : start]
            before_words = fold(before).split()
            folded = fold(name)
            head = _head_of(folded)
            # A head word that is part of the name: "CCI Artois", "Banque des Territoires".
            if head and (folded != head[0] or head[0] in {"medef", "cpme", "bpifrance", "ademe"}):
                if overlaps_place(start, end) and not folded.startswith(head[0] + " "):
                    continue
                add(name, head[1], "head", 0.85, name, acronym)
                continue
            noun = re.search(r"([^\W\d_]+)[ \t]+$", before)
            opens = noun is not None and fold(noun.group(1)) in NAME_OPENING_NOUNS
            if opens and not overlaps_place(start, end):
                # "la fromagerie Kempf" is "Fromagerie Kempf".
                opening = noun.group(1)
                full = f"{opening[:1].upper()}{opening[1:]} {name}"
                add(full, "company", "introducer", 0.75, f"{opening} {name}", acronym)
                continue
            # "… à l'usine. Forgerons, usineurs": a sentence ends between noun and word.
            introducer = (
                None if re.search(r"[.!?;:]\s*$", before) else self._introducer(before_words)
            )
            if introducer:
                kind = (
                    ORGANISATION_INTRODUCERS.get(introducer)
                    or ORGANISATION_OF_INTRODUCERS[introducer]
                )
                plural = introducer.endswith("s") and introducer not in {"locaux"}
                if introducer in {"association", "l association"} and name:
                    # "l'association Y croire pour agir": the name runs to the punctuation.
                    tail = re.match(r"^[^,.;:()«»\n]{0,60}", text[start : start + 80])
                    name = tail.group(0).strip() if tail else name
                parts = re.split(r"\s+et\s+|\s*,\s*|\s+ou\s+", name) if plural else [name]
                for part in parts:
                    position = text.find(part, start)
                    # "l'usine PSA de Trémery": the place ends the phrase, not the name.
                    inside = places.starting_within(position, position + len(part))
                    if inside:
                        part = _trim_trailing_connectors(text[position : inside[0][0]])
                    if part and not covered_by_place(position, position + len(part)):
                        add(part, kind, "introducer", 0.75, name, acronym if part == name else "")
                continue
            if acronym and acronym not in COMMON_ACRONYMS and not overlaps_place(start, end):
                if len(name.split()) >= 2 or name.isupper():
                    add(name, "other", "acronym", 0.7, f"{name} ({acronym})", acronym)
                continue
            if _ENUMERATION_CUE_RE.search(before) and _COMPANY_CONTEXT_RE.search(
                text[max(0, start - 160) : start]
            ):
                self._enumeration(text, start, add, overlaps_place)
                continue
            known = self._known_within(name)
            if known:
                add(known, "other", "known", 0.9, known)
                continue
            words = name.split()
            if before_words and before_words[-1] in NOT_ORGANISATION_CUES:
                continue
            if (
                2 <= len(words) <= 4
                and all(w[:1].isupper() for w in words)
                and not overlaps_place(start, end)
                and not any(self.is_place(name_key(w)) for w in words)
                and fold(words[0]) not in NOT_NAMES
                and not self._sentence_initial(text, start)
            ):
                add(name, "other", "proper-noun", 0.5, name)
        # A name cut by the scrape ("président d'Initiative Pays de…") is the start of another.
        # Sorted, the keys that extend "k" with more words come right after it.
        keys = sorted(found)
        cut = {
            key
            for key, following in zip(keys, keys[1:], strict=False)
            if following.startswith(f"{key} ")
        }
        return [mention for key, mention in found.items() if key not in cut]

    def _known_within(self, name: str) -> str | None:
        """The longest run of words of ``name`` that is a known organisation."""
        words = name.split()
        for size in range(min(len(words), 8), 0, -1):
            for first in range(len(words) - size + 1):
                span = words[first : first + size]
                if not (span[0][:1].isupper() and span[-1][:1].isupper()):
                    continue
                candidate = " ".join(span)
                key = organisation_key(candidate)
                if key in self.known or candidate in self.known_acronyms:
                    return candidate
        return None

    @staticmethod
    def _sentence_initial(text: str, start: int) -> bool:
        before = text[max(0, start - 12) : start].rstrip(' «"“')
        return not before or before[-1] in ".!?\n:…"

    @staticmethod
    def _introducer(before_words: list[str]) -> str | None:
        for size in (2, 1):
            if len(before_words) >= size:
                candidate = " ".join(before_words[-size:])
                if candidate in ORGANISATION_INTRODUCERS:
                    return candidate
        # "du consortium européen Euratex": one adjective between noun and name.
        if len(before_words) >= 2 and before_words[-2] in ORGANISATION_INTRODUCERS:
            if before_words[-1].endswith(("en", "ne", "al", "ais", "aise", "ois", "oise")):
                return before_words[-2]
        # "les locaux du Symevad", "le siège de la …", "président d'…".
        if len(before_words) >= 2 and before_words[-1] in {"du", "de", "d", "des", "la", "l"}:
            for size in (3, 2):
                if len(before_words) >= size and before_words[-size] in ORGANISATION_OF_INTRODUCERS:
                    return before_words[-size]
        return None

    def _enumeration(self, text, start, add, overlaps_place):
        """ "parmi lesquelles, Peignage Dumortier, Dickson, ou Subremat": each is a company."""
        tail = re.match(r"^[^.;:()]{0,200}", text[start : start + 220]).group(0)
        for part in re.split(r"\s*,\s*(?:ou\s+|et\s+)?|\s+(?:et|ou)\s+", tail):
            part = part.strip()
            if not part or not part[:1].isupper():
                break
            words = part.split()
            if len(words) > 4 or not all(
                w[:1].isupper() or w in {"de", "du", "des"} for w in words
            ):
                break
            position = text.find(part, start)
            if not overlaps_place(position, position + len(part)):
                add(part, "company", "enumeration", 0.75, tail)


# Nouns after which a capitalised name is a project or an event, not an organisation.
NOT_ORGANISATION_CUES = frozenset(
    {
        "projet",
        "programme",
        "plan",
        "label",
        "dispositif",
        "operation",
        "salon",
        "festival",
        "prix",
        "trophee",
        "trophees",
        "loi",
        "strategie",
        "appel",
        "rencontres",
        "forum",
    }
)


# -- the model's entities, filtered -------------------------------------------------------------

_CREDIT_RE = re.compile(r"(?:photo|cr[ée]dit|©|illustration|image)\s*:?\s*$", re.I)


def _after_credit(text: str, start: int) -> bool:
    """Whether the name at ``start`` follows "Photo :", "Crédit", "©" on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_CREDIT_RE.search(text[max(line_start, start - 20) : start]))


_MODEL_PERSON_RE = re.compile(rf"^{_FIRST_NAME}(?:\s+{_LAST_NAME}){{1,2}}$")
_ROLE_WORDS = frozenset(fold(role) for role in PERSON_ROLES) | {"m", "mme", "monsieur", "madame"}


def _strip_model_name(name: str) -> str:
    name = " ".join(name.replace("’", "'").split()).strip(' ,.;:«»"“”()-')
    name = re.sub(r"^(?:(?:le|la|les|un|une|du|des|de)\s+|[dl]')+", "", name, flags=re.I)
    words = name.split()
    while words and fold(words[0]) in NATIONALITY_WORDS:
        words = words[1:]
    return " ".join(words).replace("'", "’") if "’" in name or "'" in name else " ".join(words)


_FIRST_LAST_RE = re.compile(
    rf"(?<![\w'’-]){_FIRST_NAME}\s+(?:(?:Le|La|De|Du|Van|Von)\s)?[{_UPPER}][{_LOWER}]+"
    rf"(?:-[{_UPPER}][{_LOWER}]+)?(?![\w'’-])"
)
# Nouns after which a person's name is a place or an institution's: "rue Victor Hugo",
# "lycée Léon Blum", "salle Jean Moulin".
_NAMED_AFTER = frozenset(
    """
    rue avenue boulevard bd place quai allee square impasse chemin lycee college ecole
    universite salle espace centre stade gymnase hopital institut fondation parc zone
    pont gare residence cite
    """.split()
)


def has_first_name(name: str) -> bool:
    words = fold(name).split()
    return len(words) >= 2 and words[0] in FIRST_NAMES


def model_people(
    text: str, entities: list[Entity], *, is_place, rule_people: list[PersonMention]
) -> list[PersonMention]:
    """The rule's people, and the model's PER entities that look like a first and last name."""
    found = {fold(p.name): p for p in rule_people}
    for entity in entities:
        if entity.label != "PER":
            continue
        name = " ".join(entity.text.split()).strip(' ,.;:«»"“”()')
        name = re.sub(r"^(?:M\.|Mme|Mr|Monsieur|Madame)\s+", "", name)
        key = fold(name)
        words = key.split()
        if not _MODEL_PERSON_RE.match(name) or key in found or len(words) > 3:
            continue
        if words[0] in NOT_NAMES or words[0] in _ROLE_WORDS or words[0] in MONTHS:
            continue
        if is_place(name_key(name)) or _head_of(key):
            continue
        if _after_credit(text, entity.start):
            continue  # a photographer's credit is part of the caption, not of the story
        # Without a known first name the small model often calls a company a person.
        if words[0] not in FIRST_NAMES:
            continue
        found[key] = PersonMention(name, "", entity.text, rule="ner", confidence=0.75)
    # A known first name and a capitalised surname: a person, whatever the model said
    # ("Erwan Le Bihan, avec qui j'en parlais…"), unless a street or a school bears the name.
    for match in _FIRST_LAST_RE.finditer(text):
        name = " ".join(match.group(0).split())
        key = fold(name)
        if key in found or key.split()[0] not in FIRST_NAMES:
            continue
        if any(key in other or other in key for other in found):
            continue  # the same person, found with or without a middle part
        before = fold(text[max(0, match.start() - 30) : match.start()]).split()
        if before and (before[-1] in _NAMED_AFTER or before[-2:-1] == ["rue"]):
            continue
        if is_place(name_key(name)):
            continue
        if _after_credit(text, match.start()):
            continue
        found[key] = PersonMention(name, "", name, rule="first-name", confidence=0.7)
    return list(found.values())


_COLLECTIVITY_WORDS = frozenset(
    {"communaute", "agglomeration", "agglo", "metropole", "communautaire", "intercommunalite"}
)


@dataclass(frozen=True)
class _Words:
    lower: frozenset[str]  # words written in lower case somewhere in the text
    inner_capitalised: Counter  # capitalised words inside sentences, with their count


_WORD_RE = re.compile(r"(?<![\w'’-])[^\W\d_][\w-]*")


@lru_cache(maxsize=8)
def _words_of(text: str) -> _Words:
    """The text's words, read once: every lookup of a word is then O(1), whatever the size of
    the page (a regular expression per candidate over a 5 MB dump made parsing quadratic)."""
    lower, inner = set(), Counter()
    for match in _WORD_RE.finditer(text):
        word = match.group()
        if word[:1].islower():
            lower.add(word)
        elif not ActorFinder._sentence_initial(text, match.start()):
            inner[word] += 1
    return _Words(frozenset(lower), inner)


_SITE_NOUNS = frozenset({"zone", "parc", "site", "quartier", "secteur", "rue", "avenue", "place"})
_CARDINAL_WORDS = frozenset({"nord", "sud", "est", "ouest", "centre"})


def _ordinary_word(text: str, name: str) -> bool:
    """A single word that is not a name: a pronoun, a direction, or written in lower case
    elsewhere in the text."""
    word = name.strip()
    if " " in word or word.isupper():
        return False
    folded = fold(word)
    if folded in NOT_NAMES or folded in _CARDINAL_WORDS or folded in AMBIGUOUS_COMMUNE_WORDS:
        return True
    if folded in {"je", "tu", "nous", "vous", "ils", "elles", "on"}:
        return True
    return word.lower() in _words_of(text).lower


def _brand(text: str, entity: Entity, name: str, person_names: set[str]) -> bool:
    """Whether a single capitalised word the model saw (as anything: the small model calls
    companies persons or places) is a company: named twice in the text, or after a company cue
    ("le motoriste Safran", "chez Latécoère", "l'Allemand Liebherr")."""
    word = name.strip()
    folded = fold(word)
    if len(folded) < 3 or " " in folded or folded in FIRST_NAMES:
        return False
    if folded in NOT_NAMES or folded in GENERIC_ORGANISATION_WORDS or folded in MONTHS:
        return False
    if any(folded in p.split() for p in person_names):
        return False  # the surname of a person already found
    if _ordinary_word(text, word):
        return False
    if re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:[A-Z][a-zà-ÿ]+)+", word):
        return True  # "ArcelorMittal", "TotalEnergies": a trade name's inner capital
    if word.isupper() and word.isalpha() and len(word) >= 3 and word not in COMMON_ACRONYMS:
        return True  # "UIMM", "GPMM": an acronym that names no place
    before = fold(text[max(0, entity.start - 40) : entity.start]).split()
    if len(before) >= 2 and before[-2] in _SITE_NOUNS and before[-1] in {"de", "d", "du", "des"}:
        return False  # "la zone des Tulipes": a site's name
    if before and (before[-1] in COMPANY_CUES or before[-1] in NATIONALITY_WORDS):
        return True
    if len(before) >= 2 and before[-2] in COMPANY_CUES and before[-1] in {"de", "d", "du"}:
        return True
    # Named twice inside sentences: a heading or a sentence's first word proves nothing.
    return _words_of(text).inner_capitalised[word] >= 2


def _glued_nationality(rule_key: str, key: str) -> bool:
    """ "allemand liebherr" for "liebherr": a nationality word the rule kept in the name."""
    words = rule_key.split()
    return rule_key.endswith(f" {key}") and all(
        w in NATIONALITY_WORDS for w in words[: len(words) - len(key.split())]
    )


def model_organisations(
    text: str,
    entities: list[Entity],
    *,
    is_place,
    places: SpanIndex,
    rule_organisations: list[OrganisationMention],
    person_names: set[str],
) -> list[OrganisationMention]:
    """Merge the model's entities into the rule's organisations.

    ORG entities are kept once filtered (no place, no generic word, no description, no
    heading); a single capitalised word under any label is kept when it reads as a company
    (``_brand``). A longer model span replaces a rule span it extends (a name the rule cut
    short); a rule "organisation" that the model reads as a person with a known first name is
    dropped."""
    result = {organisation_key(o.name): o for o in rule_organisations}
    for entity in entities:
        if entity.label == "PER" and has_first_name(entity.text):
            key = organisation_key(entity.text)
            if key in result and result[key].rule in {"proper-noun", "enumeration"}:
                del result[key]
            continue
        name = _strip_model_name(entity.text)
        folded = fold(name)
        key = organisation_key(name)
        words = folded.split()
        if not key or len(name) < 2 or not words:
            continue
        if is_place(name_key(name)) or places.covers(entity.start, entity.end):
            continue
        single = len(name.split()) == 1
        # "Kempf" of "Fromagerie Kempf": a word of an organisation already found.
        inside = single and any(
            folded in k.split() and not _glued_nationality(k, key) for k in result
        )
        brand = single and not inside and _brand(text, entity, name, person_names)
        if entity.label != "ORG" and not brand:
            continue
        if single and not brand and not (name.isupper() and len(name) >= 3):
            continue  # "Trois", "Réunis", "Reconstruire": the model's stray single words
        if all(w in GENERIC_ORGANISATION_WORDS or w in NOT_NAMES for w in words):
            continue
        if words[0] in _ROLE_WORDS or folded in person_names or has_first_name(name):
            continue
        if _COLLECTIVITY_WORDS & set(words):
            continue  # an intercommunalité's usual name: a territory, not an organisation
        raw_words = name.split()
        if len(raw_words) >= 2 and not (
            raw_words[0].isupper() or any(w[:1].isupper() for w in raw_words[1:])
        ):
            continue  # "Agence de développement économique locale": a description, no name
        if "territoire" in folded and "industrie" in folded:
            continue  # the programme's label, found by ``labels``
        line_start = text.rfind("\n", 0, entity.start) + 1
        line_end = text.find("\n", entity.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if line.isupper() or (len(line) < 60 and line.strip() == entity.text.strip()):
            continue  # a heading in capitals, or a line that is only this name: chrome
        if name.upper() == name and name in COMMON_ACRONYMS:
            continue
        # A rule name that this one extends ("Initiative Pays de" -> "Initiative Pays de …"),
        # or a rule name glued to a nationality ("Allemand Liebherr") that this one cleans.
        shorter = [
            k
            for k, o in result.items()
            if k != key and (key.startswith(f"{k} ") or _glued_nationality(k, key))
        ]
        if key in result or any(k.startswith(f"{key} ") for k in result if k not in shorter):
            continue
        for k in shorter:
            del result[k]
        result[key] = OrganisationMention(
            name=name,
            kind="company" if brand else "other",
            acronym="",
            matched_text=entity.text[:300],
            rule="ner",
            confidence=0.55 if brand else 0.6,
        )
    return list(result.values())
