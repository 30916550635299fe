"""Optional read replica (``DATABASE_REPLICA_URL``) for the heavy reads of the dashboard and the API.

Only code inside ``replica_reads()`` reads from the replica (lists that tolerate a replica's lag of a second);
everything else, and every write, uses the primary, so nobody reads a stale copy of what they just wrote.
"""

import contextlib
import contextvars

from django.conf import settings

_use_replica = contextvars.ContextVar("use_replica", default=False)


@contextlib.contextmanager
def replica_reads():
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _use_replica.get() and "replica" in settings.DATABASES else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
