"""Time ``loadterritories`` on an empty database, then the idempotent second run.

make bench-territories                                   # SQLite
DATABASE_URL=postgres://postgres@127.0.0.1/test make bench-territories
"""

import time

from common import bench_database


def main():
    with bench_database() as vendor:
        from territories.models import Territory
        from territories.services import reference_load

        started = time.perf_counter()
        first = reference_load()
        first_time = time.perf_counter() - started
        started = time.perf_counter()
        second = reference_load()
        second_time = time.perf_counter() - started
        communes = Territory.objects.filter(kind="commune").count()
        print(f"backend: {vendor}")  # noqa: T201
        print(f"first load: {first_time:.2f} s ({communes} communes, target < 60 s)")  # noqa: T201
        print(  # noqa: T201
            f"second load: {second_time:.2f} s, changed anything: {second.changed}"
            f" (created on first run: {sum(first.created.values())})"
        )


if __name__ == "__main__":
    main()
