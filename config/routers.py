"""Reads from a replica, writes and read-your-writes on the primary.

With ``DATABASE_REPLICA_URL`` set, ``DATABASES`` has a ``replica`` alias and this router is
installed. Reads go to the replica only inside a request that ``ReplicaReadsMiddleware``
(``config.middleware``) judged safe: an anonymous reader's GET or HEAD outside the admin.
Everything else reads from the primary — the admin, editors (any request with a session
cookie), POSTs, and everything outside a request: management commands (``loadseeds``,
``loadterritories``, ``exportdata``…), the shell, migrations, tests. An import thus always
reads its own writes, and an editor sees the article they just saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

PRIMARY = "default"
REPLICA = "replica"

# Off unless a request turns it on: code outside a request never reads a stale copy.
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads(enabled: bool = True) -> Iterator[None]:
    """Reads in the block may (``True``) or may not (``False``) come from the replica."""
    token = _replica_reads.set(enabled)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_reads_enabled() -> bool:
    return _replica_reads.get()


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _replica_reads.get() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary through replication, never through migrations.
        return db == PRIMARY
