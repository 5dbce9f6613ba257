"""Pure helpers that turn French place and organisation names into comparable keys.

No Django import here: the importer's pure parsing package and the reference loader both use
these functions, and they must give the same key for "Communauté d'Agglomération de Béthune-Bruay,
Artois-Lys Romane" whether it comes from INSEE data or from a scraped page.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words that carry no identity in a name: "Pays d'Opale" and "Pays de l'Opale" are one name.
STOPWORDS = frozenset(
    {"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "sur", "sous", "aux", "au", "a"}
)

# Official short legal forms of intercommunalités and their spelled-out French forms.
LEGAL_FORMS = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
    "MET69": "Métropole",
}
LEGAL_FORM_PREFIX_RE = re.compile(r"^(CC|CA|CU)\s+(.*)$")

# Usual abbreviations of name parts ("St-Omer" = "Saint-Omer").
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

_TOKEN_RE = re.compile(r"[0-9a-z]+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss"})


def strip_accents(text: str) -> str:
    """Remove diacritics and expand ligatures: "Cœur de Béthune" -> "Coeur de Bethune"."""
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text; punctuation becomes spaces.

    Cached: the importer folds the same words again and again."""
    text = strip_accents(text.translate(_APOSTROPHES)).lower()
    return " ".join(_TOKEN_RE.findall(text))


def _singular(token: str) -> str:
    # A light plural folding: "Agglomérations" matches "Agglomération", "Marquions" "Marquion".
    if len(token) > 4 and token.endswith(("s", "x")) and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def name_tokens(text: str) -> list[str]:
    """Tokens that identify a name: folded, abbreviations expanded, stopwords dropped."""
    tokens = []
    for token in fold(text).split():
        token = ABBREVIATIONS.get(token, token)
        if token in STOPWORDS:
            continue
        tokens.append(_singular(token))
    return tokens


def name_key(text: str) -> str:
    """The comparison key of a name ("" when nothing identifying is left)."""
    return " ".join(name_tokens(text))


def expand_legal_form(name: str) -> str:
    """ "CA du Pays de Saint-Omer" -> "Communauté d'agglomération du Pays de Saint-Omer"."""
    match = LEGAL_FORM_PREFIX_RE.match(name)
    if not match:
        return name
    return f"{LEGAL_FORMS[match.group(1)]} {match.group(2)}"


_SHORT_NAME_RE = re.compile(
    r"^(?:CC|CA|CU|Communauté (?:de communes|d'agglomération|urbaine))\s+"
    r"(?:(?:de la|de l'|des|du|de|d')\s*)?",
    re.IGNORECASE,
)


def short_name(name: str) -> str:
    """The usual name without legal form: "CA du Pays de Saint-Omer" -> "Pays de Saint-Omer"."""
    stripped = _SHORT_NAME_RE.sub("", name.replace("’", "'")).strip()
    return stripped if stripped != name else ""


def acronym(name: str) -> str:
    """Initials of the identifying words of a spelled-out name.

    "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane" -> "CABBALR",
    "Métropole Européenne de Lille" -> "MEL", "Communauté de communes Pays d'Opale" -> "CCPO".
    """
    letters = []
    for token in fold(name).split():
        if token in STOPWORDS or token.isdigit():
            continue
        letters.append(token[0])
    return "".join(letters).upper()


def slug_base(text: str, max_length: int = 80) -> str:
    """A readable ASCII slug, cut on a word boundary."""
    slug = "-".join(fold(text).split())
    if len(slug) <= max_length:
        return slug
    return slug[:max_length].rsplit("-", 1)[0]


# Spelled-out names of bodies and the acronym everybody uses for them.
ORGANISATION_EXPANSIONS = {
    "chambre de commerce et d industrie": "cci",
    "chambre des metiers et de l artisanat": "cma",
    "chambre de metiers et de l artisanat": "cma",
}


def organisation_key(name: str) -> str:
    """Key under which two spellings of one organisation meet.

    "Chambre de Commerce et d'Industrie Artois" and "CCI Artois" give the same key; so do
    "Réseau Initiative Pays de Saint-Omer" and "Initiative Pays de Saint-Omer".
    """
    folded = fold(name)
    for long_form, short in ORGANISATION_EXPANSIONS.items():
        folded = re.sub(rf"\b{long_form}\b", short, folded)
    folded = re.sub(r"^(?:association|reseau|groupe|societe|entreprise|ste)\s+", "", folded)
    return name_key(folded)


# Legal forms and the words that join them to the name, skipped when sorting intercommunalités:
# "CC du Pays d'Opale" sorts under P, "Métropole du Grand Nancy" under G. "Métropole" followed
# directly by a name ("Métropole Européenne de Lille") is part of the name and stays.
_SORT_PREFIX_RE = re.compile(
    r"^(?:(?:CC|CA|CU)\s+"
    r"|Communauté\s+(?:de\s+communes|d'agglomération|de\s+l'agglomération|urbaine)\s*"
    r"|Métropole\s+(?=(?:de|du|des|d')\b|d'))"
    r"(?:(?:de\s+la|de\s+l'|des|du|de|d')\s*)?",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"[0-9]+")
SORT_KEY_LENGTH = 200


def sort_key(name: str) -> str:
    """The key a list of names is ordered by, the way a French reader expects it.

    Accents and case do not count ("Éperlecques" among the E, before "Zouafques"), nor an
    intercommunalité's legal form ("CA du Pays de Saint-Omer" under P); numbers compare as
    numbers ("Paris 2e" before "Paris 10e"). Only lower-case ASCII letters, digits and single
    spaces remain, so that the databases compare keys byte by byte and agree.
    """
    significant = _SORT_PREFIX_RE.sub("", name.translate(_APOSTROPHES).strip()) or name
    key = _NUMBER_RE.sub(lambda match: match.group().zfill(6), fold(significant))
    return key[:SORT_KEY_LENGTH].rstrip()
