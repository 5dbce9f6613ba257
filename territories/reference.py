"""The official reference shipped with the project, and the aliases derived from it.

``load_reference_file()`` reads territories/data/reference.json.gz (built by
scripts/build_reference.py from Etalab's "découpage administratif" 6.0.0 and the ANCT lists of
Territoires d'industrie of both phases; see territories/data/README.md). ``derived_aliases()`` and
``label_key()`` are pure: the usual forms a text may use for an intercommunalité, and the key that
makes the spellings of a label's name meet.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

from territories.naming import acronym, expand_legal_form, name_key, short_name

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENCE_FILE = DATA_DIR / "reference.json.gz"
CURATED_ALIASES_FILE = DATA_DIR / "aliases.csv"


@dataclass(frozen=True)
class AliasRow:
    kind: str  # territory kind
    code: str  # official code of the territory
    name: str
    alias_kind: str  # acronym, usual, long, former


# What a text may put before a label's own name: "Territoire d'industrie du …", "Pays de …",
# or the legal form of the intercommunalité that holds it alone ("la Communauté
# d'agglomération du Pays de Saint-Omer" is the label "Pays de Saint-Omer").
_LABEL_PREFIX_RE = re.compile(
    r"^(?:territoire industrie|pays|communaute (?:commune|agglomeration|urbaine)|ca|cc|cu)\s+"
)


def label_key(name: str) -> str:
    """The comparison key of a Territoire d'industrie's name.

    Accents, case, punctuation and small words do not count, nor the "Territoire d'industrie"
    or "Pays" or legal form a text puts before it: "Territoire d’industrie du Scot Lille
    Métropole" and "SCOT Lille Métropole", "Communauté d'agglomération du Pays de Saint-Omer"
    and "Pays de Saint-Omer", "Lens – Hénin" and "Lens-Hénin" meet."""
    key = name_key(name)
    for _ in range(3):  # "Territoire d'industrie de la Communauté de communes du Pays de …"
        key = _LABEL_PREFIX_RE.sub("", key)
    return key.strip()


def load_reference_file(path: Path = REFERENCE_FILE) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def load_curated_aliases(path: Path = CURATED_ALIASES_FILE) -> list[AliasRow]:
    """Usual names no rule can derive ("Métropole de Valenciennes", former intercommunalités)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [
            AliasRow(row["kind"], row["code"], row["alias"].strip(), row["alias_kind"])
            for row in rows
        ]


def derived_aliases(data: dict) -> list[AliasRow]:
    """Spelled-out legal forms, usual short names and acronyms of intercommunalités.

    A short name that is also the name of a commune or département ("CU de Dunkerque" ->
    "Dunkerque") is left out: the text means the place, not the intercommunalité. Acronyms
    shared by several intercommunalités ("CCPO") are kept: the importer resolves them by context.
    """
    place_keys = {name_key(c[1]) for c in data["communes"]}
    place_keys |= {name_key(d[1]) for d in data["departements"]}
    place_keys |= {name_key(r[1]) for r in data["regions"]}
    rows: list[AliasRow] = []
    for code, name, _legal_form, _population, _members in data["epcis"]:
        # "CA Porte de l'Isère (CAPI)", "CA CIVIS (Communauté Intercommunale des Villes
        # Solidaires)": the bracket holds the acronym, or the name the acronym stands for.
        bracket = re.search(r"\s*\(([^)]+)\)\s*$", name)
        if bracket:
            inner = bracket.group(1).strip()
            name = name[: bracket.start()].strip()
            if (
                re.fullmatch(r"[A-Z][A-Za-z0-9 ]{1,11}", inner)
                and sum(c.isupper() for c in inner) >= 2
            ):
                rows.append(AliasRow("epci", code, inner, "acronym"))
            elif len(name_key(inner)) >= 4:
                rows.append(AliasRow("epci", code, inner, "long"))
            rows.append(AliasRow("epci", code, name, "usual"))
            words = name.split(maxsplit=1)
            if len(words) == 2 and words[1].isupper() and len(words[1]) >= 3:
                rows.append(AliasRow("epci", code, words[1], "acronym"))  # "CA CIVIS"
        long_name = expand_legal_form(name)
        if long_name != name:
            rows.append(AliasRow("epci", code, long_name, "long"))
        usual = short_name(name)
        if usual and len(name_key(usual)) >= 4 and name_key(usual) not in place_keys:
            rows.append(AliasRow("epci", code, usual, "usual"))
        # "GrandAngoulême", "GrandSoissons": the brand the intercommunalité writes in one word.
        grand = re.match(r"^(?:du |de la |de l')?Grand\s+([A-ZÀ-Ý][\w-]+)$", usual or "")
        if grand:
            rows.append(AliasRow("epci", code, f"Grand{grand.group(1)}", "usual"))
        letters = acronym(long_name)
        if len(letters) >= 3:
            rows.append(AliasRow("epci", code, letters, "acronym"))
    for code, name in data["former_communes"]:
        rows.append(AliasRow("commune", code, name, "former"))
    return rows
