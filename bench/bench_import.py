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
        large_files(communes)


# -- one large scraped dump ------------------------------------------------------------------

LARGE_SIZES = [("100 kB", 100_000), ("1 MB", 1_000_000), ("5 MB", 5_000_000)]


def large_page(size: int, communes: list[str]) -> str:
    """One page of ``size`` characters: the seeds' paragraphs in another order, each made
    unique (another commune, an edition number), as a scraper's dump of a whole site."""
    rng = random.Random(size)
    paragraphs = [
        line
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
        if len(line) > 150
    ]
    out, total, index = ["Compilation d'articles sur l'industrie dans les territoires", ""], 0, 0
    while total < size:
        paragraph = rng.choice(paragraphs).replace("Béthune", rng.choice(communes))
        paragraph = f"{paragraph} Édition {index}."
        out += [paragraph, ""]
        total += len(paragraph) + 2
        index += 1
    return "\n".join(out)


def _parse_in_child(path: str) -> None:
    """Parse one file with the batch's gazetteer and model; print seconds and peak memory."""
    import resource

    from news.ingest import normalize_text
    from news.services.imports import Resolver
    from territories.services import reference_load

    reference_load()
    resolver = Resolver()
    resolver.parse("Une usine à Lens.")  # gazetteer and model loaded before the clock starts
    text = normalize_text(Path(path).read_text(encoding="utf-8"))
    started = time.perf_counter()
    document = resolver.parse(text)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(f"{seconds:.2f} {peak:.0f} {len(document.items)}\n")


def large_files(communes: list[str]) -> None:
    """Parsing time and peak memory of one file of each size, each in a fresh process (the
    peak memory includes the gazetteer and the model, about 250 MB before any text)."""
    import subprocess

    sys.stdout.write("one large file (parse only, fresh process each; targets: 5 MB < 30 s, ")
    sys.stdout.write("< 500 MB):\n")
    with tempfile.TemporaryDirectory() as tmp:
        for label, size in LARGE_SIZES:
            path = Path(tmp) / f"large_{size}.txt"
            path.write_text(large_page(size, communes), encoding="utf-8")
            result = subprocess.run(
                [sys.executable, __file__, "--parse", str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            seconds, peak, items = result.stdout.split()[-3:]
            sys.stdout.write(
                f"  {label:>6}: {float(seconds):6.2f} s, peak {peak} MB, {items} article(s)\n"
            )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--parse":
        with bench_database():
            _parse_in_child(sys.argv[2])
    else:
        main()
