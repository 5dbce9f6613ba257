"""Readers under load: the public pages served by gunicorn, loaded with wrk, on PostgreSQL.

    make bench-http
    BENCH_SECONDS=3 make bench-http                     # shorter runs

Builds the 50,000-article set of ``bench_web.py`` once in its own PostgreSQL database
(``bench_http`` on the server of ``DATABASE_URL``, or ``BENCH_DATABASE_URL``) and reuses it on
the next runs. Serves it with gunicorn (2 workers, DEBUG off, a generated SECRET_KEY, the cache
that CACHES configures) on a free loopback port, then runs ``wrk -t2 -c16`` for
``BENCH_SECONDS`` (10) seconds on each page:

- *hot*: the same address every request: the page cache answers;
- *cold*: another address every request (a counter in a parameter the page ignores, and for
  the région, territory and article pages a cycle through many of them): the page is built.

The ceiling is a 20-item template page that needs no database, served by the same workers
(``bench/urls_http.py``), measured first and last (the higher counts): each page's share of it
says what the site costs above Django itself.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "50000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
THREADS, CONNECTIONS, WORKERS = 2, 16, 2
HOST = "127.0.0.1"
DATABASE_NAME = "bench_http"
# Bump when bench_web.build() changes, so that the next run rebuilds the database.
BUILD_VERSION = 1
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# One line of JSON per run, read back by run_wrk().
WRK_SCRIPT = """
local paths = {%(paths)s}
local vary = %(vary)s
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function request()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  if vary then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "v=" .. id .. "-" .. counter
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration": %%d, "p50": %%d, "p99": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


# The ceiling page's rate when the issue's figures and targets were measured: on a busier
# machine each req/s target is also shown scaled to this run's ceiling.
ISSUE_CEILING = 2250
# The issue's targets: (page, mode, what is compared, threshold).
TARGETS = [
    ("home", "hot", "ceiling", 0.25),
    ("list", "hot", "ceiling", 0.25),
    ("article", "hot", "ceiling", 0.25),
    ("list", "cold", "req/s", 150),
    ("list by région", "cold", "req/s", 60),
    ("territory: région", "cold", "req/s", 60),
    ("search « usine »", "cold", "req/s", 100),
]


def fail(message: str) -> None:
    sys.exit(f"bench-http: {message}")


def database_url() -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        url = explicit
    else:
        base = os.environ.get("DATABASE_URL", "") or "postgres://postgres@127.0.0.1:5432/test"
        if not base.startswith("postgres"):
            fail("needs PostgreSQL: set DATABASE_URL=postgres://… (the server to use).")
        url = f"{base.rpartition('/')[0]}/{DATABASE_NAME}"
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["HOST"] not in LOOPBACK:
        fail(f"the database must be on a loopback address, not {config['HOST']!r}.")
    if config["NAME"] in {"test", "postgres"} or config["NAME"].startswith("test_"):
        fail(f"refusing to build the bench data set in {config['NAME']!r}.")
    return url


def _built(url: str) -> bool:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(url, autocommit=True) as bench:
                marker = bench.execute(
                    "SELECT 1 FROM pg_tables WHERE tablename = 'bench_http_build'"
                ).fetchone()
                if (
                    marker
                    and bench.execute(
                        "SELECT 1 FROM bench_http_build WHERE articles = %s AND version = %s",
                        [ARTICLES, BUILD_VERSION],
                    ).fetchone()
                ):
                    return True
            conn.execute(f'DROP DATABASE "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def prepare_database(url: str) -> None:
    """Migrate the bench database; build the data set unless an earlier run did."""
    reuse = _built(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if reuse:
        print(f"database {DATABASE_NAME}: reused ({ARTICLES} articles)")  # noqa: T201
        return
    import bench_web

    bench_web.ARTICLES = ARTICLES
    bench_web.build(random.Random(20240618))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_http_build (articles integer, version integer)")
        cursor.execute("INSERT INTO bench_http_build VALUES (%s, %s)", [ARTICLES, BUILD_VERSION])
    connection.close()


def pages() -> list[tuple[str, list[str], list[str]]]:
    """(name, hot address, cold addresses) of each measured page."""
    from django.urls import reverse

    from news.models import Article
    from territories.models import Territory, TerritoryKind

    rng = random.Random(7)
    regions = list(
        Territory.objects.filter(kind=TerritoryKind.REGION, is_obsolete=False)
        .order_by("code")
        .values_list("slug", flat=True)
    )
    articles = list(Article.objects.published().order_by("pk").values_list("slug", flat=True))
    articles = rng.sample(articles, min(2000, len(articles)))
    article_list = reverse("news:article-list")
    by_region = [f"{article_list}?region={slug}" for slug in regions]
    region_pages = [reverse("territories:territory-detail", args=[slug]) for slug in regions]
    article_pages = [reverse("news:article-detail", args=[slug]) for slug in articles]
    # Hauts-de-France: the région with the most articles of the data set.
    busiest = regions.index("hauts-de-france") if "hauts-de-france" in regions else 0
    return [
        ("home", [reverse("news:home")], [reverse("news:home")]),
        ("list", [article_list], [article_list]),
        ("list by région", [by_region[busiest]], by_region),
        ("search « usine »", [f"{article_list}?q=usine"], [f"{article_list}?q=usine"]),
        ("article", article_pages[:1], article_pages),
        ("territory: région", [region_pages[busiest]], region_pages),
        ("feed", [reverse("news:feed-rss")], [reverse("news:feed-rss")]),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving the site on the bench database, in its own process group."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--workers",
                str(WORKERS),
                "--bind",
                f"{HOST}:{self.port}",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
                "config.wsgi:application",
            ],
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        fail(f"gunicorn did not answer on {self.url}{path}:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def run_wrk(wrk: str, server: Server, paths: list[str], *, vary: bool, folder: Path) -> dict:
    script = folder / "load.lua"
    script.write_text(
        WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "vary": str(vary).lower()}
    )
    # Every address answers before the load starts: a 404 or 500 is a bench bug, not a result.
    for path in paths[:3]:
        with urllib.request.urlopen(server.url + path, timeout=30) as response:
            assert response.status == 200, path
    completed = subprocess.run(
        [
            wrk,
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            server.url,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("BENCH ")]
    if completed.returncode != 0 or not lines:
        fail(f"wrk failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    result = json.loads(lines[-1].removeprefix("BENCH "))
    result["rate"] = result["requests"] / (result["duration"] / 1e6)
    return result


def main() -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        fail("wrk is not installed (Debian: apt-get install wrk).")
    if not Path(sys.executable).with_name("gunicorn").exists():
        fail("gunicorn is not installed in this environment (pip install -e .).")
    url = database_url()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DJANGO_SETTINGS_MODULE": "bench.settings_http",
            # WhiteNoise's manifest: the pages name their hashed static files.
            "STATIC_ROOT": str(folder / "static"),
        }
        os.environ.update(env)
        prepare_database(url)
        measured = pages()

        from django.conf import settings
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(  # noqa: T201
            f"gunicorn {WORKERS} workers, wrk -t{THREADS} -c{CONNECTIONS} {SECONDS} s per run, "
            f"{ARTICLES} articles, cache {backend}\n"
        )
        server = Server(env, folder / "gunicorn.log")
        try:
            server.wait("/_bench/plafond/")
            first = run_wrk(wrk, server, ["/_bench/plafond/"], vary=False, folder=folder)
            rows = []
            for name, hot, cold in measured:
                rows.append((name, "hot", run_wrk(wrk, server, hot, vary=False, folder=folder)))
                rows.append((name, "cold", run_wrk(wrk, server, cold, vary=True, folder=folder)))
            # Measured first and last: on a shared machine the ceiling moves during the run,
            # and the pages are compared with the higher of the two.
            last = run_wrk(wrk, server, ["/_bench/plafond/"], vary=False, folder=folder)
        finally:
            server.stop()
    ceiling = max(first, last, key=lambda result: result["rate"])
    rows = [("ceiling, first", "", first), ("ceiling, last", "", last), *rows]
    header = (
        f"{'page':<24} {'':<5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'ceiling':>8}"
    )
    print(header)  # noqa: T201
    print("-" * len(header))  # noqa: T201
    errors = 0
    for name, mode, result in rows:
        errors += result["errors"]
        print(  # noqa: T201
            f"{name:<24} {mode:<5} {result['rate']:>8.0f} {result['p50'] / 1000:>8.1f} "
            f"{result['p99'] / 1000:>8.1f} {result['errors']:>7} "
            f"{result['rate'] / ceiling['rate']:>8.0%}"
        )
    print()  # noqa: T201
    results = {(name, mode): result for name, mode, result in rows}
    for name, mode, measure, threshold in TARGETS:
        result = results[(name, mode)]
        if measure == "ceiling":
            share = result["rate"] / ceiling["rate"]
            verdict = "ok" if share >= threshold else "MISSED"
            line = f"≥ {threshold:.0%} of the ceiling: {share:.0%} {verdict}"
        else:
            verdict = "ok" if result["rate"] >= threshold else "MISSED"
            scaled = threshold * ceiling["rate"] / ISSUE_CEILING
            scaled_verdict = "ok" if result["rate"] >= scaled else "MISSED"
            line = (
                f"≥ {threshold} req/s: {result['rate']:.0f} {verdict}; scaled to this run's "
                f"ceiling ({ceiling['rate']:.0f} req/s, the issue's {ISSUE_CEILING}): "
                f"≥ {scaled:.0f} {scaled_verdict}"
            )
        print(f"target {name} {mode} {line}")  # noqa: T201
    if errors:
        fail(f"{errors} requests failed.")


if __name__ == "__main__":
    main()
