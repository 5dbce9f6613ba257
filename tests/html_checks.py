"""Structural checks of rendered pages: what a validator or a screen reader would trip on."""

from collections import Counter
from html.parser import HTMLParser


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()
        self.links_open = 0
        self.nested_links = 0
        self.landmarks = Counter()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag == "a" and "href" in attrs:
            self.nested_links += self.links_open > 0
            self.links_open += 1
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks[tag] += 1

    def handle_endtag(self, tag):
        if tag == "a" and self.links_open:
            self.links_open -= 1


def assert_accessible_structure(content: str) -> None:
    checker = _Checker()
    checker.feed(content)
    duplicates = [id_ for id_, count in checker.ids.items() if count > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert checker.nested_links == 0, "a link inside a link"
    assert checker.landmarks["main"] == 1
    assert checker.landmarks["header"] >= 1 and checker.landmarks["footer"] >= 1
    assert checker.landmarks["nav"] >= 1
