"""Set up Django for a benchmark on a throw-away database.

SQLite by default (a temporary file); with ``DATABASE_URL`` set, that PostgreSQL database is used
as a template and the benchmark works in a fresh ``<name>_bench`` database it drops at the end.
"""

import os
import statistics
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextmanager
def bench_database():
    os.environ.setdefault("DEBUG", "1")
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        if url.startswith("postgres"):
            import psycopg

            base, _, name = url.rpartition("/")
            bench_name = f"{name}_bench"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
                conn.execute(f'CREATE DATABASE "{bench_name}"')
            os.environ["DATABASE_URL"] = f"{base}/{bench_name}"
        else:
            os.environ["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
            bench_name = None
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        try:
            yield connection.vendor
        finally:
            connection.close()
            if bench_name:
                import psycopg

                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')


def describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
