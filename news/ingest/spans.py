"""Interval lookups over the spans one finder has claimed, for the finders that come after it.

Every query is a binary search over spans sorted once: a page of n characters with k places and
c candidates costs O((k + c) log k), where pairwise tests cost O(k × c) (55 million calls for a
256 kB page).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable


class SpanIndex:
    """Half-open character spans ``(start, end)``, queried for overlap and containment."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted(set(spans))
        self.starts = [start for start, _end in self.spans]
        # reach[i]: the furthest end among the spans 0..i (their starts are <= starts[i]).
        self.reach: list[int] = []
        furthest = -1
        for _start, end in self.spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def __len__(self) -> int:
        return len(self.spans)

    def __iter__(self):
        return iter(self.spans)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span shares at least one character with ``[start, end)``."""
        index = bisect_left(self.starts, end) - 1  # the last span starting before ``end``
        return index >= 0 and self.reach[index] > start

    def covers(self, start: int, end: int) -> bool:
        """Whether one span contains the whole of ``[start, end)``."""
        index = bisect_right(self.starts, start) - 1  # the last span starting at or before
        return index >= 0 and self.reach[index] >= end

    def starting_at(self, start: int) -> list[tuple[int, int]]:
        low, high = bisect_left(self.starts, start), bisect_right(self.starts, start)
        return self.spans[low:high]

    def starting_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans that start strictly inside ``(start, end)``."""
        low, high = bisect_right(self.starts, start), bisect_left(self.starts, end)
        return self.spans[low:high]
