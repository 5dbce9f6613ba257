"""Import speed: a generated batch of 2,000 files, then the unchanged re-run.

    make bench-import                                          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1/test make bench-import

Targets (issue 3): at least 50 articles/s end to end, at least 1,000 files/s unchanged.
The batch is made from the seeds, varied so that every file is a new text: other places of
the same région, other months, other encodings, extra chrome lines, a numbered edition.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, bench_database

FILES = int(os.environ.get("BENCH_FILES", "2000"))
MONTHS = ["janvier", "mars", "avril", "mai", "juin", "septembre", "octobre", "novembre"]
CHROME = ["Menu", "Partager", "S'abonner", "Suivez nous"]
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]


def _numbered(line: str, index: int) -> str:
    if len(line) <= 120:
        return line
    if line.endswith("…"):  # keep the digest's briefs cut as the site cuts them
        return f"{line[:-1]} (édition {index})…"
    return f"{line} Édition {index}."


def generate(folder: Path, communes: list[str]) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in seeds]
    rng = random.Random(2026)
    for index in range(FILES):
        text = texts[index % len(texts)]
        for place in ("Leforest", "Guînes", "Béthune", "Arques", "Valenciennes", "Dunkerque"):
            text = text.replace(place, rng.choice(communes))
        text = text.replace("juin", rng.choice(MONTHS))
        # Every brief and paragraph gets the edition number: every text is new.
        text = "\n".join(_numbered(line, index) for line in text.split("\n"))
        text = "\n".join(rng.sample(CHROME, 2)) + "\n" + text
        encoding = ENCODINGS[index % len(ENCODINGS)]
        data = text.replace("’", "'").encode(encoding, errors="replace")
        (folder / f"bench_{index:05d}.txt").write_bytes(data)


def main():
    with bench_database() as vendor:
        from news.models import Article
        from news.services.imports import batch_import
        from territories.models import Territory
        from territories.services import reference_load

        reference_load()
        communes = list(
            Territory.objects.filter(kind="commune", region__code="32", population__gte=5000)
            .order_by("code")
            .values_list("name", flat=True)
        )
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, communes)
            started = time.perf_counter()
            first = batch_import(paths=[folder], triggered_by="bench")
            first_time = time.perf_counter() - started
            articles = Article.objects.count()
            started = time.perf_counter()
            second = batch_import(paths=[folder], triggered_by="bench")
            second_time = time.perf_counter() - started
        summary = first.summary()
        lines = [
            f"backend: {vendor}",
            f"first run: {FILES} files, {articles} articles, {summary['links_created']} links "
            f"in {first_time:.1f} s -> {articles / first_time:.0f} articles/s, "
            f"{FILES / first_time:.0f} files/s (target >= 50 articles/s)",
            f"  outcomes: {summary['imported']} imported, {summary['failed']} failed, "
            f"{summary['skipped']} skipped",
            f"unchanged re-run: {second.files_with('unchanged')} files unchanged in "
            f"{second_time:.2f} s -> {FILES / second_time:.0f} files/s (target >= 1000 files/s)",
        ]
        sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
