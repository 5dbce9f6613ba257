"""Full-text search over articles, on PostgreSQL and on SQLite.

PostgreSQL uses the weighted ``search_vector`` that a trigger keeps current (title A, kicker and
lead B, body C) with the ``french_unaccent`` configuration of ``news/migrations/0002``: French
stemming after accent removal, ``websearch`` syntax (quotes, ``-word``, ``or``), ``ts_rank`` and
``ts_headline`` snippets.

SQLite has no such machinery: every word of the query must appear in the case- and accent-folded
text (``territories.naming.fold``, registered as the SQL function ``ti_fold`` on each new SQLite
connection), titles rank above kickers and leads, and snippets are cut in Python.

Snippets are returned as ``(text, is_match)`` segments, never as markup: the template escapes
every segment and wraps the matches in ``<mark>``, so nothing stored in an article can inject
HTML through a search result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Replace

from territories.naming import STOPWORDS, fold, strip_accents

SEARCH_CONFIG = "french_unaccent"
# Searches return at most this many articles (the most recent matches), ranked.
SEARCH_LIMIT = 1000
SQLITE_FOLD_FUNCTION = "ti_fold"
MAX_TERMS = 10
# The longest search the forms accept (and the search boxes let one type); the middleware
# refuses any ``q`` over 1,000 characters on every URL (config/middleware.py).
QUERY_MAX_LENGTH = 200

# Control characters never found in article text: ts_headline marks the matches with them, and
# the text around them is escaped like any other text.
START_MARK = "\x02"
STOP_MARK = "\x03"

Segment = tuple[str, bool]

_WHITESPACE_RE = re.compile(r"\s+")
_HEADING_RE = re.compile(r"^## ", re.MULTILINE)
_WORD_RE = re.compile(r"\w+")


def _build_fold_table() -> dict[int, str | None]:
    # Combining accents (text stored decomposed) disappear.
    table: dict[int, str | None] = dict.fromkeys(range(0x0300, 0x0370))
    for codepoint in range(0x00C0, 0x0250):
        char = chr(codepoint)
        folded = strip_accents(char).lower()
        if folded != char:
            table[codepoint] = folded
    return table


# Lower case is applied first; this table then removes the accents of Latin letters.
_FOLD_TABLE = _build_fold_table()


def fold_for_matching(value: str) -> str:
    """A fast, length-agnostic ``fold`` for substring matching of folded query terms.

    Unlike ``territories.naming.fold`` it keeps punctuation, which does not matter to terms
    made of letters and digits only, and runs in C: SQLite calls it on every candidate row.
    """
    return value.lower().translate(_FOLD_TABLE)


def _fold_or_none(value):
    return None if value is None else fold_for_matching(value)


def register_sqlite_functions(sender, connection, **kwargs):
    """``connection_created`` receiver: ``ti_fold(text)`` folds case and accents in SQL."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FOLD_FUNCTION, 1, _fold_or_none, deterministic=True
        )


def query_terms(query: str) -> list[str]:
    """The folded words of a query, without French stopwords or duplicates."""
    terms = []
    for term in fold(query).split():
        if term not in STOPWORDS and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _vendor(queryset: QuerySet) -> str:
    return connections[queryset.db].vendor


def _folded(*fields: str):
    parts = []
    for name in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(F(name))
    text = Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0]
    return Func(text, function=SQLITE_FOLD_FUNCTION, output_field=TextField())


@dataclass(frozen=True)
class SearchResults:
    articles: QuerySet  # annotated with ``rank``, higher is better
    total: int  # at most the limit plus one
    dated: int  # how many of them have a date


def search_articles(
    queryset: QuerySet,
    query: str,
    limit: int | None = None,
    *,
    base: QuerySet | None = None,
    remember: Callable[[Callable[[], list]], list] | None = None,
) -> SearchResults:
    """The articles of ``queryset`` matching ``query``, ranked: the ``limit`` most recent
    matches, plus one to tell that there are more.

    Ranking reads the search vector of every article it ranks. A common word ("usine" is in a
    quarter of the articles) would mean tens of thousands of vectors per page, so only the most
    recent matches, found along the date index, are ranked; rare words are found through the
    GIN index. Apply the other filters first: the limit applies to what they leave.

    The candidates are read once, so that their count costs no other query. ``base``, a
    queryset that contains ``queryset`` (the published articles before filtering), receives
    them: the filters already chose the candidates and need not run twice. ``remember``, given
    the function that reads the candidates, may return them from a cache instead.
    """
    base = queryset if base is None else base
    if _vendor(queryset) == "postgresql":
        search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        matches = queryset.filter(search_vector=search_query)
        rank = SearchRank(F("search_vector"), search_query)
    else:
        terms = query_terms(query)
        if not terms:
            # Like PostgreSQL with a query made of stopwords only: nothing matches.
            nothing = base.annotate(rank=Value(0.0, output_field=FloatField())).none()
            return SearchResults(nothing, total=0, dated=0)
        matches = queryset.alias(folded_text=_folded("title", "kicker", "lead", "body"))
        for term in terms:
            matches = matches.filter(folded_text__contains=term)
        base = base.alias(folded_title=_folded("title"), folded_intro=_folded("kicker", "lead"))
        in_title = Q()
        in_intro = Q()
        for term in terms:
            in_title &= Q(folded_title__contains=term)
            in_intro &= Q(folded_intro__contains=term)
        rank = Case(
            When(in_title, then=Value(1.0)),
            When(in_intro, then=Value(0.5)),
            default=Value(0.1),
            output_field=FloatField(),
        )
    limit = SEARCH_LIMIT if limit is None else limit

    def read_candidates() -> list:
        ordered = matches.order_by("-published_on", "-pk")
        return list(ordered.values_list("pk", "published_on")[: limit + 1])

    candidates = read_candidates() if remember is None else remember(read_candidates)
    return SearchResults(
        base.filter(pk__in=[pk for pk, _ in candidates]).annotate(rank=rank),
        total=len(candidates),
        dated=sum(1 for _, published_on in candidates if published_on is not None),
    )


def article_snippets(queryset: QuerySet, ids: Iterable[int], query: str) -> dict[int, list]:
    """Highlighted extracts of the articles ``ids`` for ``query``: one query on any backend."""
    ids = list(ids)
    if not ids or not query.strip():
        return {}
    rows = queryset.filter(pk__in=ids)
    if _vendor(queryset) == "postgresql":
        # Subheading markers ("## ") are layout, not text: keep them out of the extract.
        text = Concat(
            "lead",
            Value("\n", output_field=TextField()),
            Replace("body", Value("## "), Value(""), output_field=TextField()),
            output_field=TextField(),
        )
        headlines = rows.annotate(
            headline=SearchHeadline(
                text,
                SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch"),
                config=SEARCH_CONFIG,
                start_sel=START_MARK,
                stop_sel=STOP_MARK,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        ).values_list("pk", "headline")
        return {pk: headline_segments(headline or "") for pk, headline in headlines}
    terms = query_terms(query)
    return {
        pk: highlight_segments(f"{lead}\n{_HEADING_RE.sub('', body)}", terms)
        for pk, lead, body in rows.values_list("pk", "lead", "body")
    }


def headline_segments(headline: str) -> list[Segment]:
    """Split a ``ts_headline`` result on its markers into ``(text, is_match)`` segments."""
    segments: list[Segment] = []
    for index, part in enumerate(headline.split(START_MARK)):
        if index == 0:
            _append(segments, part.replace(STOP_MARK, ""), False)
            continue
        match, _, rest = part.partition(STOP_MARK)
        _append(segments, match, True)
        _append(segments, rest.replace(STOP_MARK, ""), False)
    return segments


def _append(segments: list[Segment], text: str, is_match: bool) -> None:
    text = _WHITESPACE_RE.sub(" ", text)
    if not text:
        return
    if segments and segments[-1][1] == is_match:
        segments[-1] = (segments[-1][0] + text, is_match)
    else:
        segments.append((text, is_match))


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased without accents, and for each folded character its source index."""
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = strip_accents(char).lower()
        for folded_char in folded:
            chars.append(folded_char)
            positions.append(index)
    return "".join(chars), positions


def highlight_stem(word: str) -> str:
    """A folded word without its French inflection, for highlighting: plural ``s``/``x``, up
    to two feminine ``e`` and a final doubled consonant ("industrielles", "industriels" and
    "industriel" give "industriel"; "industries" and "industrie" give "industri").

    Far lighter than PostgreSQL's snowball stemmer, but it keeps words apart that only share
    a beginning, which is what a reader checks: "industrie" never marks "industrielle".
    """
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    for _ in range(2):
        if len(word) > 3 and word.endswith("e"):
            word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] in "lnt":
        word = word[:-1]
    return word


def highlight_segments(text: str, terms: list[str], width: int = 240) -> list[Segment]:
    """An extract of ``text`` around the first match, with every match of ``terms`` marked.

    Whole words only, ignoring case, accents and inflection ("bethune" marks "Béthune",
    "usine" marks "usines", "industrie" leaves "industrielle" alone); the extract keeps the
    original spelling. Without any match, the beginning of the text.
    """
    text = " ".join(text.split())
    folded, positions = _folded_with_positions(text)
    stems = {highlight_stem(term) for term in terms}
    spans = [
        (positions[word.start()], positions[word.end() - 1] + 1)
        for word in _WORD_RE.finditer(folded)
        if highlight_stem(word.group()) in stems
    ]
    if spans:
        begin = max(0, spans[0][0] - width // 4)
        if begin:
            space = text.rfind(" ", 0, begin)
            begin = space + 1 if space != -1 else begin
    else:
        begin = 0
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    segments: list[Segment] = []
    if begin:
        _append(segments, "… ", False)
    cursor = begin
    for span_start, span_end in spans:
        if span_start < cursor or span_start >= end:
            continue
        _append(segments, text[cursor:span_start], False)
        _append(segments, text[span_start : min(span_end, end)], True)
        cursor = min(span_end, end)
    _append(segments, text[cursor:end], False)
    if end < len(text):
        _append(segments, " …", False)
    return segments
