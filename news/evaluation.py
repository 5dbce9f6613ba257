"""Scores of the pure parser against the team's annotated pages (``make eval``).

The pages and their annotations live in ``tests/news/ingest/eval/`` (its README gives the
format). Scoring is deterministic: the same parser and reference give the same figures, so a
test can hold them to a committed baseline. Only the time taken varies, and it is reported,
never asserted.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from news.ingest import ParsedDocument, ParsedItem, normalize_text
from territories.naming import fold, name_key, organisation_key

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "news" / "ingest" / "eval"
BASELINE_FILE = EVAL_DIR / "baseline.json"
# Confidence buckets of the calibration table: [low, high).
CONFIDENCE_BUCKETS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]
# Candidate values of IMPORT_CONFIRM_THRESHOLD: what ``--publish`` would confirm at each.
CANDIDATE_THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
# The kinds of links scored against the annotations (industry labels are not annotated).
LINK_KINDS = ("territories", "organisations", "people")


class AnnotationError(ValueError):
    """An annotation file that does not follow the format of the evaluation README."""


@dataclass(frozen=True)
class ExpectedArticle:
    title: str | None
    date: datetime.date | None
    territories: frozenset[str]
    territories_optional: frozenset[str]
    organisations: tuple[frozenset[str], ...]  # each: the accepted keys of one organisation
    organisations_optional: frozenset[str]
    people: frozenset[str]


@dataclass(frozen=True)
class AnnotatedPage:
    name: str
    text: str
    articles: tuple[ExpectedArticle, ...]
    chrome: tuple[str, ...]
    publisher_kind: str
    region: str


def _date(value, where: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise AnnotationError(f"{where}: date {value!r} is not YYYY-MM-DD") from error


_KINDS = {"region", "departement", "epci", "commune", "groupement"}


def _territories(values, where: str) -> frozenset[str]:
    result = set()
    for value in values or []:
        kind, _, code = str(value).partition(":")
        if kind not in _KINDS or not code:
            raise AnnotationError(f"{where}: territory {value!r} is not kind:code")
        result.add(f"{kind}:{code}")
    return frozenset(result)


def person_key(name: str) -> str:
    return fold(name)


def org_keys(name: str) -> frozenset[str]:
    """The keys an organisation may be found under: its key, and its folded name."""
    return frozenset(k for k in (organisation_key(name), fold(name)) if k)


def load_page(txt: Path) -> AnnotatedPage:
    annotation = txt.with_suffix(".json")
    try:
        data = json.loads(annotation.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise AnnotationError(f"{annotation.name}: {error}") from error
    articles = []
    for index, article in enumerate(data.get("articles") or []):
        where = f"{annotation.name} article {index + 1}"
        organisations = []
        for entry in article.get("organisations") or []:
            spellings = [entry] if isinstance(entry, str) else list(entry)
            organisations.append(frozenset().union(*(org_keys(s) for s in spellings)))
        articles.append(
            ExpectedArticle(
                title=article.get("title"),
                date=_date(article.get("date"), where),
                territories=_territories(article.get("territories"), where),
                territories_optional=_territories(article.get("territories_optional"), where),
                organisations=tuple(organisations),
                organisations_optional=frozenset().union(
                    *(org_keys(s) for s in article.get("organisations_optional") or [])
                ),
                people=frozenset(person_key(p) for p in article.get("people") or []),
            )
        )
    if not articles:
        raise AnnotationError(f"{annotation.name}: no article annotated")
    return AnnotatedPage(
        name=txt.name,
        text=normalize_text(txt.read_text(encoding="utf-8")),
        articles=tuple(articles),
        chrome=tuple(line.strip() for line in data.get("chrome") or [] if line.strip()),
        publisher_kind=data.get("publisher_kind", ""),
        region=str(data.get("region", "")),
    )


def load_pages(folder: Path = EVAL_DIR) -> list[AnnotatedPage]:
    return [load_page(txt) for txt in sorted(folder.glob("*.txt"))]


# -- matching ---------------------------------------------------------------------------------


def normalize_title(title: str) -> str:
    title = title.replace("’", "'").replace("«\u00a0", "«").replace("\u00a0»", "»")
    title = re.sub(r"[\u00a0\u202f\s]+", " ", title)
    return title.strip().rstrip(".").strip()


def _similarity(expected: ExpectedArticle, item: ParsedItem) -> float:
    if expected.title:
        head = normalize_title(f"{item.title} {item.lead[:200]}").casefold()
        wanted = normalize_title(expected.title).casefold()
        if wanted and wanted in head:
            return 1.0
        return SequenceMatcher(None, wanted, normalize_title(item.title).casefold()).ratio()
    # No title: the places it names say which item it is.
    found = {f"{p.place.kind}:{p.place.code}" for p in item.places}
    wanted_places = expected.territories | expected.territories_optional
    if not wanted_places:
        return 0.3
    return len(found & wanted_places) / len(wanted_places)


def align(
    expected: list[ExpectedArticle], items: list[ParsedItem]
) -> list[tuple[int | None, int | None]]:
    """Order-preserving alignment of annotated and parsed articles (pairs of indexes)."""
    n, m = len(expected), len(items)
    if n == m:
        return [(i, i) for i in range(n)]
    sim = [[_similarity(e, i) for i in items] for e in expected]
    # best[a][b]: best score aligning expected[a:] with items[b:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            pair = sim[a][b] + best[a + 1][b + 1] if sim[a][b] >= 0.25 else -1.0
            best[a][b] = max(pair, best[a + 1][b], best[a][b + 1])
    pairs: list[tuple[int | None, int | None]] = []
    a = b = 0
    while a < n and b < m:
        if sim[a][b] >= 0.25 and best[a][b] == sim[a][b] + best[a + 1][b + 1]:
            pairs.append((a, b))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            pairs.append((a, None))
            a += 1
        else:
            pairs.append((None, b))
            b += 1
    pairs.extend((x, None) for x in range(a, n))
    pairs.extend((None, y) for y in range(b, m))
    return pairs


# -- scores -----------------------------------------------------------------------------------


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives


@dataclass
class PageScore:
    name: str
    expected_articles: int
    found_articles: int
    titles_right: int = 0
    titles_scored: int = 0
    dates_right: int = 0
    dates_missing: int = 0
    dates_wrong: int = 0
    territories: Counts = field(default_factory=Counts)
    homonyms: int = 0
    organisations: Counts = field(default_factory=Counts)
    people: Counts = field(default_factory=Counts)
    chrome_left: int = 0
    problems: list[str] = field(default_factory=list)
    # (confidence, verdict) of every territory link: "right", "optional" or "wrong".
    links: list[tuple[float, str]] = field(default_factory=list)
    # The same for the links of organisations and people ("optional": an accepted borderline
    # organisation, or a second spelling of one already found).
    organisation_links: list[tuple[float, str]] = field(default_factory=list)
    people_links: list[tuple[float, str]] = field(default_factory=list)

    def links_of(self, kind: str) -> list[tuple[float, str]]:
        return {
            "territories": self.links,
            "organisations": self.organisation_links,
            "people": self.people_links,
        }[kind]


def _organisation_counts(
    expected: ExpectedArticle | None,
    found: list[str] | dict[str, float],
    problems: list[str],
    links: list[tuple[float, str]] | None = None,
) -> Counts:
    """Organisations found (names, or names and their confidence) against the annotation;
    each one's verdict is appended to ``links`` with its confidence."""
    counts = Counts()
    wanted = list(expected.organisations) if expected else []
    optional = expected.organisations_optional if expected else frozenset()
    matched = [False] * len(wanted)
    confidences = found if isinstance(found, dict) else dict.fromkeys(found, 0.0)
    verdicts = [] if links is None else links
    for name, confidence in confidences.items():
        keys = org_keys(name)
        hit = next((i for i, w in enumerate(wanted) if not matched[i] and keys & w), None)
        if hit is not None:
            matched[hit] = True
            counts.true_positives += 1
            verdicts.append((confidence, "right"))
        elif keys & optional or any(keys & w for w in wanted):
            # An accepted borderline name, or a second spelling of a found one.
            verdicts.append((confidence, "optional"))
        else:
            counts.false_positives += 1
            verdicts.append((confidence, "wrong"))
            problems.append(f"organisation en trop : {name}")
    counts.false_negatives = matched.count(False)
    for index, done in enumerate(matched):
        if not done:
            problems.append(f"organisation manquée : {sorted(wanted[index])[0]}")
    return counts


def score_page(
    page: AnnotatedPage, document: ParsedDocument, place_names: dict[str, str]
) -> PageScore:
    """Compare one parsed page with its annotation. ``place_names`` maps kind:code to names."""
    items = document.items
    score = PageScore(page.name, len(page.articles), len(items))
    if len(items) != len(page.articles):
        score.problems.append(f"{len(items)} article(s) trouvé(s), {len(page.articles)} attendu(s)")
    for a, b in align(list(page.articles), items):
        expected = page.articles[a] if a is not None else None
        item = items[b] if b is not None else None
        _score_article(score, expected, item, place_names)
    # A chrome line is left when an article has it as a line of its own, or, for a long line
    # (a related headline), anywhere in its text: a short one ("Menu") may be an ordinary word.
    texts = ["\n".join([item.title, item.kicker, item.lead, item.body]) for item in items]
    lines = [{normalize_title(x) for x in text.split("\n")} for text in texts]
    flat = [normalize_title(text.replace("\n", " ")) for text in texts]
    for line in page.chrome:
        needle = normalize_title(line)
        for own_lines, haystack in zip(lines, flat, strict=True):
            if needle and (needle in own_lines or (len(needle) > 40 and needle in haystack)):
                score.chrome_left += 1
                score.problems.append(f"ligne de site restée : {line[:60]}")
                break
    return score


def _score_article(
    score: PageScore,
    expected: ExpectedArticle | None,
    item: ParsedItem | None,
    place_names: dict[str, str],
) -> None:
    label = (item.title if item else expected.title or "?")[:50]
    problems = score.problems
    if expected is not None and expected.title is not None:
        score.titles_scored += 1
        if item and normalize_title(item.title) == normalize_title(expected.title):
            score.titles_right += 1
        else:
            problems.append(f"titre : {item.title[:70] if item else '—'!r}")
    if expected is not None:
        found_date = item.published_on if item else None
        if expected.date is None and found_date is None:
            score.dates_right += 1
        elif found_date is None:
            score.dates_missing += 1
        elif found_date == expected.date:
            score.dates_right += 1
        else:
            score.dates_wrong += 1
            problems.append(f"date fausse : {found_date} au lieu de {expected.date} ({label})")
    elif item is not None and item.published_on is not None:
        score.dates_wrong += 1

    # Territories.
    wanted = expected.territories if expected else frozenset()
    optional = expected.territories_optional if expected else frozenset()
    found: dict[str, float] = {}
    for match in item.places if item else []:
        key = f"{match.place.kind}:{match.place.code}"
        found[key] = max(found.get(key, 0.0), match.confidence)
    wanted_names = {name_key(place_names.get(k, "")) for k in wanted | optional} - {""}
    for key, confidence in found.items():
        if key in wanted:
            score.territories.true_positives += 1
            score.links.append((confidence, "right"))
        elif key in optional:
            score.links.append((confidence, "optional"))
        else:
            score.territories.false_positives += 1
            score.links.append((confidence, "wrong"))
            name = place_names.get(key, key)
            if name_key(name) in wanted_names:
                score.homonyms += 1
                problems.append(f"homonyme : {name} ({key}) ({label})")
            else:
                problems.append(f"territoire en trop : {name} ({key}) ({label})")
    for key in wanted - found.keys():
        score.territories.false_negatives += 1
        problems.append(f"territoire manqué : {place_names.get(key, key)} ({key}) ({label})")

    organisations_found: dict[str, float] = {}
    for organisation in item.organisations if item else []:
        organisations_found[organisation.name] = max(
            organisations_found.get(organisation.name, 0.0), organisation.confidence
        )
    score.organisations.add(
        _organisation_counts(expected, organisations_found, problems, score.organisation_links)
    )
    people_confidence: dict[str, float] = {}
    for person in item.people if item else []:
        key = person_key(person.name)
        people_confidence[key] = max(people_confidence.get(key, 0.0), person.confidence)
    people_found = set(people_confidence)
    people_wanted = expected.people if expected else frozenset()
    for key, confidence in people_confidence.items():
        score.people_links.append((confidence, "right" if key in people_wanted else "wrong"))
    people = Counts(
        len(people_found & people_wanted),
        len(people_found - people_wanted),
        len(people_wanted - people_found),
    )
    problems.extend(f"personne en trop : {p}" for p in sorted(people_found - people_wanted))
    problems.extend(f"personne manquée : {p}" for p in sorted(people_wanted - people_found))
    score.people.add(people)


@dataclass
class Report:
    pages: list[PageScore]
    seconds: float

    def total(self) -> PageScore:
        total = PageScore("total", 0, 0)
        for page in self.pages:
            total.expected_articles += page.expected_articles
            total.found_articles += page.found_articles
            for name in (
                "titles_right",
                "titles_scored",
                "dates_right",
                "dates_missing",
                "dates_wrong",
                "homonyms",
                "chrome_left",
            ):
                setattr(total, name, getattr(total, name) + getattr(page, name))
            total.territories.add(page.territories)
            total.organisations.add(page.organisations)
            total.people.add(page.people)
            total.links.extend(page.links)
            total.organisation_links.extend(page.organisation_links)
            total.people_links.extend(page.people_links)
        return total

    def figures(self) -> dict[str, float]:
        """The scores a baseline holds, rounded so that a committed file stays stable."""
        total = self.total()
        return {
            "pages": len(self.pages),
            "article_count_right": sum(p.expected_articles == p.found_articles for p in self.pages),
            "articles": total.expected_articles,
            "titles": round(total.titles_right / total.titles_scored, 3)
            if total.titles_scored
            else 1.0,
            "dates_right": total.dates_right,
            "dates_missing": total.dates_missing,
            "dates_wrong": total.dates_wrong,
            "territories_precision": round(total.territories.precision, 3),
            "territories_recall": round(total.territories.recall, 3),
            "homonyms": total.homonyms,
            "organisations_precision": round(total.organisations.precision, 3),
            "organisations_recall": round(total.organisations.recall, 3),
            "organisations_f1": round(total.organisations.f1, 3),
            "people_precision": round(total.people.precision, 3),
            "people_recall": round(total.people.recall, 3),
            "people_f1": round(total.people.f1, 3),
            "chrome_left": total.chrome_left,
        }

    def calibration(self, kind: str = "territories") -> list[tuple[str, int, int, int, int]]:
        """Per confidence bucket: links, right, optional (venues, passing), wrong."""
        rows = []
        links = self.total().links_of(kind)
        for low, high in CONFIDENCE_BUCKETS:
            verdicts = [v for c, v in links if low <= c < high]
            rows.append(
                (
                    f"{low:.2f}–{min(high, 1.0):.2f}",
                    len(verdicts),
                    verdicts.count("right"),
                    verdicts.count("optional"),
                    verdicts.count("wrong"),
                )
            )
        return rows


@dataclass(frozen=True)
class ThresholdRow:
    """What ``--publish`` would confirm of one kind of link at one threshold."""

    threshold: float
    kind: str
    confirmed: int  # links at or above the threshold
    right: int  # of them, marked right by the annotations
    optional: int  # borderline: a venue, a passing mention, a second spelling
    wrong: int
    left: int  # links below the threshold, left as suggestions
    right_left: int  # of them, right: what editors will have to confirm by hand

    @property
    def precision(self) -> float | None:
        """The share of the confirmed links that are right (``None`` when none is)."""
        return self.right / self.confirmed if self.confirmed else None


def threshold_table(
    report: Report, thresholds: Iterable[float] = CANDIDATE_THRESHOLDS
) -> list[ThresholdRow]:
    """For each candidate threshold and kind of link, what would be confirmed and how right."""
    total = report.total()
    rows = []
    for threshold in thresholds:
        for kind in LINK_KINDS:
            links = total.links_of(kind)
            above = [v for c, v in links if c >= threshold]
            below = [v for c, v in links if c < threshold]
            rows.append(
                ThresholdRow(
                    threshold=threshold,
                    kind=kind,
                    confirmed=len(above),
                    right=above.count("right"),
                    optional=above.count("optional"),
                    wrong=above.count("wrong"),
                    left=len(below),
                    right_left=below.count("right"),
                )
            )
    return rows


# Scores where more is better; for the others (wrong dates, homonyms, chrome) less is better.
LOWER_IS_BETTER = {"dates_wrong", "homonyms", "chrome_left", "dates_missing"}
NOT_SCORES = {"pages", "articles", "dates_right"}


def regressions(figures: dict[str, float], baseline: dict[str, float]) -> list[str]:
    """The scores of ``figures`` that fall below ``baseline``."""
    worse = []
    for name, reference in baseline.items():
        if name in NOT_SCORES or name not in figures:
            continue
        value = figures[name]
        if (value > reference) if name in LOWER_IS_BETTER else (value < reference):
            worse.append(f"{name}: {value} (baseline {reference})")
    return worse


def evaluate(
    pages: Iterable[AnnotatedPage],
    parse: Callable[[str], ParsedDocument],
    place_names: dict[str, str],
) -> Report:
    scores = []
    seconds = 0.0
    for page in pages:
        started = time.perf_counter()
        document = parse(page.text)
        seconds += time.perf_counter() - started
        scores.append(score_page(page, document, place_names))
    return Report(scores, seconds)
