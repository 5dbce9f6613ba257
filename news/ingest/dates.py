"""French dates in scraped text, and the choice of an article's date.

No date is ever taken from the clock: a year the text does not give is inferred from the text
("Après une année 2023…" then "le 18 juin dernier" → 2024) or left empty for review.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from news.ingest.lexicon import MONTHS

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_RE = re.compile(rf"\b(1er|\d{{1,2}})(?:er)?\s+({_MONTH_RE})\.?\s+((?:19|20)\d\d)\b")
_NUMERIC_RE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)(?![\d/.])")
_DAY_MONTH_RE = re.compile(rf"\b(1er|\d{{1,2}})(?:er)?\s+({_MONTH_RE})\b\.?(?!\s+(?:19|20)\d\d)")
_MONTH_YEAR_RE = re.compile(rf"\b(?:en|depuis|fin|debut|mi)\s+({_MONTH_RE})\s+((?:19|20)\d\d)\b")
_MONTH_ONLY_RE = re.compile(rf"\ben\s+({_MONTH_RE})\b(?!\s+(?:19|20)\d\d)")
_YEAR_RE = re.compile(r"(?<![\d,.])((?:19|20)\d\d)(?!\d|[,.]\d)")
_AFTER_YEAR_RE = re.compile(r"\bapres (?:une|l|cette) annee ((?:19|20)\d\d)\b")

_PUBLICATION_CUES = (
    "publie le",
    "publiee le",
    "mis en ligne le",
    "date de publication",
    "publie :",
)
# An update is not the publication: "Mis à jour le …", "Dernière mise à jour le …".
_UPDATE_CUES = (
    "mis a jour le",
    "mise a jour le",
    "modifie le",
    "actualise le",
    "maj le",
    "mis a jour :",
)
_FUTURE_CUES = ("d ici", "jusqu", "avant le", "a partir du", "a partir de", "des le", "d ici au")
_YEAR_FUTURE_CUES = ("d ici", "jusqu", "horizon", "a partir de", "pour", "objectifs", "vers")


@dataclass(frozen=True)
class DateMention:
    start: int
    day: int | None
    month: int
    year: int | None
    past: bool = False  # "le 13 juin dernier"
    future: bool = False  # "d'ici le 22 septembre 2023", "le 5 mai prochain"
    publication: bool = False  # "Publié le 20.07.2020"
    update: bool = False  # "Mis à jour le 21.07.2020"


@dataclass(frozen=True)
class DateChoice:
    value: datetime.date | None
    precision: str = "day"  # "day" or "month"
    inferred: bool = False
    note: str = ""


def _simplify_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0]
    return " " if base in "'’`" else base


# Lower-case Latin letters with their accents, and apostrophes, mapped one to one.
_SIMPLIFY = str.maketrans(
    {chr(code): _simplify_char(chr(code)) for code in range(0xC0, 0x250)}
    | {"'": " ", "’": " ", "`": " "}
)


def _simplify(text: str) -> str:
    """Lower-case, accent-free, apostrophes as spaces, same length as ``text``."""
    simple = text.lower().translate(_SIMPLIFY)
    if len(simple) != len(text):  # a character whose lower case is longer ("İ"): one by one
        simple = "".join(_simplify_char(c.lower()[:1] or c) for c in text)
    return simple


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        datetime.date(year or 2000, month, day or 1)
    except ValueError:
        return False
    return True


def _before(simple: str, start: int, width: int = 24) -> str:
    return simple[max(0, start - width) : start]


def _last_cue(before: str, cues: tuple[str, ...]) -> int:
    """Where the nearest of ``cues`` ends in ``before`` (-1 when none is there)."""
    return max((before.rfind(cue) + len(cue) if cue in before else -1) for cue in cues)


def find_dates(text: str) -> list[DateMention]:
    """Every date of the text, in reading order, with its cues."""
    simple = _simplify(text)
    mentions: dict[int, DateMention] = {}

    def add(match, day, month, year):
        if not _valid(year, month, day):
            return
        before = _before(simple, match.start())
        after = simple[match.end() : match.end() + 12]
        mentions[match.start()] = DateMention(
            start=match.start(),
            day=day,
            month=month,
            year=year,
            past=after.lstrip().startswith("dernier"),
            future=any(cue in before for cue in _FUTURE_CUES)
            or after.lstrip().startswith("prochain"),
            publication=_last_cue(before, _PUBLICATION_CUES) > _last_cue(before, _UPDATE_CUES),
            update=_last_cue(before, _UPDATE_CUES) > _last_cue(before, _PUBLICATION_CUES),
        )

    for match in _FULL_RE.finditer(simple):
        day = 1 if match.group(1) == "1er" else int(match.group(1))
        add(match, day, MONTHS[match.group(2)], int(match.group(3)))
    for match in _NUMERIC_RE.finditer(simple):
        add(match, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    for match in _DAY_MONTH_RE.finditer(simple):
        if match.start() not in mentions:
            day = 1 if match.group(1) == "1er" else int(match.group(1))
            add(match, day, MONTHS[match.group(2)], None)
    for match in _MONTH_YEAR_RE.finditer(simple):
        if not any(abs(match.start() - start) < 12 for start in mentions):
            add(match, None, MONTHS[match.group(1)], int(match.group(2)))
    for match in _MONTH_ONLY_RE.finditer(simple):
        if not any(abs(match.start() - start) < 12 for start in mentions):
            add(match, None, MONTHS[match.group(1)], None)
    return [mentions[start] for start in sorted(mentions)]


def reference_year(text: str) -> int | None:
    """The year the text is written in, as far as the text itself tells.

    "Après une année 2023 …" says it is 2024 at least; otherwise the latest year the text
    mentions as present or past (a deadline "d'ici 2030" or the end of "2023-2027" does not count).
    """
    simple = _simplify(text)
    after = [int(m.group(1)) + 1 for m in _AFTER_YEAR_RE.finditer(simple)]
    if after:
        return max(after)
    years = []
    for match in _YEAR_RE.finditer(simple):
        before = _before(simple, match.start(), 14)
        if before.rstrip().endswith(("-", "a", "au")) and re.search(r"\d{4}\s*-?\s*$", before):
            continue  # the end of a period "2023-2027" / "2023 à 2027"
        if any(cue in before for cue in _YEAR_FUTURE_CUES):
            continue
        years.append(int(match.group(1)))
    return max(years) if years else None


def _to_choice(mention: DateMention, year_hint: int | None, source: str) -> DateChoice | None:
    precision = "day" if mention.day else "month"
    if mention.year:
        return DateChoice(
            datetime.date(mention.year, mention.month, mention.day or 1), precision, False, ""
        )
    if year_hint is None:
        return None
    return DateChoice(
        datetime.date(year_hint, mention.month, mention.day or 1),
        precision,
        True,
        f"Année {year_hint} déduite {source}.",
    )


# "viennent d'être labellisées … lors de l'assemblée qui s'est déroulée le 9 novembre": the news
# is the event, published just after it. Only then does a text date stand in, flagged.
_JUST_HAPPENED_RE = re.compile(r"\b(?:vient|viennent) de? ")
_EVENT_PAST_RE = re.compile(r"\b(?:s est (?:deroulee?|tenue?)|a eu lieu|ont eu lieu|s est reuni)")
_EVENT_WINDOW = 1500
_RECENT_WINDOW = 600


def _reported_event(
    text: str, mentions: list[DateMention], year_hint: int | None
) -> DateChoice | None:
    if not mentions:
        return None
    first = mentions[0]
    if first.future or not first.day or first.start >= _EVENT_WINDOW:
        return None
    simple = _simplify(text[:_EVENT_WINDOW])
    sentence_start = max(simple.rfind(".", 0, first.start), 0)
    # "le 11 mai dernier" at the opening of the text, or the event the news just reports.
    recent = first.past and first.start < _RECENT_WINDOW
    reported = _JUST_HAPPENED_RE.search(simple) and _EVENT_PAST_RE.search(
        simple[sentence_start : first.start]
    )
    if not (recent or reported):
        return None
    choice = _to_choice(first, year_hint, "du texte")
    if choice is None:
        return None
    return DateChoice(
        choice.value,
        choice.precision,
        True,
        "Date de l'événement rapporté, la page n'en donne pas : date de publication à vérifier.",
    )


def choose_date(
    header: str,
    text: str,
    *,
    context_year: int | None = None,
    from_text: bool = True,
    page_year_first: bool = False,
) -> tuple[DateChoice, list[DateMention]]:
    """The article's date: a publication date, else a dated line of the header, else (with
    ``from_text``, for the briefs of a digest) the first past or present date of the text.

    An update ("Mis à jour le") is never the publication date. A single article whose page shows
    no date of its own gets none: an event, a meeting or a month in its text is not when it was
    published. ``context_year`` is the year of the page holding the text (a digest), used when
    the text itself gives none."""
    header_mentions = find_dates(header)
    text_mentions = find_dates(text)
    own_year = reference_year(f"{header}\n{text}")
    year_hint, source = (own_year, "du texte") if own_year else (context_year, "de la page")
    if page_year_first and context_year:
        # An item of a dated list ("4 mars"): the page's year, not a year its story recalls.
        year_hint, source = context_year, "de la page"

    ordered = [m for m in header_mentions + text_mentions if m.publication]
    # A header date line with a day: a cover's "Mars 2024" is the issue, not the article.
    ordered += [m for m in header_mentions if not m.future and not m.update and m.day]
    if from_text:
        ordered += [m for m in text_mentions if not m.future and not m.publication and not m.update]
    elif not ordered:
        reported = _reported_event(text, text_mentions, year_hint)
        if reported:
            return reported, text_mentions
        return (
            DateChoice(None, note="Pas de date de publication sur la page : à renseigner."),
            text_mentions,
        )
    for mention in ordered:
        choice = _to_choice(mention, year_hint, source)
        if choice:
            return choice, text_mentions
    if any(m.year is None for m in ordered):
        return (
            DateChoice(None, note="Date sans année que le texte ne permet pas de déduire."),
            text_mentions,
        )
    return DateChoice(None, note="Aucune date dans le texte."), text_mentions
