"""Scale-out settings: each read from the environment in a fresh interpreter, as a deployment would."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'cursors': settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False), "
    "'dbs': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
    "'cache': settings.CACHES['default']['BACKEND'], 'storage': settings.STORAGES['default']['BACKEND'], "
    "'formatter': settings.LOGGING['handlers']['console'].get('formatter', '')}))"
)


def probe(**env) -> dict:
    environment = {
        **os.environ,
        "SPORTELLO_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "sportello.settings",
        **env,
    }
    for name in (
        "DATABASE_PGBOUNCER",
        "DATABASE_REPLICA_URL",
        "CACHE_URL",
        "AWS_STORAGE_BUCKET_NAME",
        "LOG_FORMAT",
    ):
        if name not in env:
            environment.pop(name, None)
    output = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.PROJECT_DIR,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_defaults_are_one_machine():
    values = probe()
    assert values["cursors"] is False and values["dbs"] == ["default"] and values["routers"] == []
    assert values["cache"].endswith("LocMemCache") and values["storage"].endswith("FileSystemStorage")


def test_pgbouncer_transaction_mode_disables_server_side_cursors():
    assert probe(DATABASE_PGBOUNCER="1")["cursors"] is True


def test_replica_cache_storage_and_json_logs():
    values = probe(
        DATABASE_REPLICA_URL="postgres://reader@replica:5432/sportello",
        CACHE_URL="redis://redis:6379/0",
        AWS_STORAGE_BUCKET_NAME="allegati",
        LOG_FORMAT="json",
    )
    assert values["dbs"] == ["default", "replica"]
    assert values["routers"] == ["sportello.core.db_router.ReplicaRouter"]
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["storage"] == "storages.backends.s3.S3Storage"
    assert values["formatter"] == "json"
    assert probe(CACHE_URL="db")["cache"] == "django.core.cache.backends.db.DatabaseCache"


def test_the_router_sends_only_marked_reads_to_the_replica(monkeypatch):
    from sportello.core.db_router import ReplicaRouter, replica_reads

    monkeypatch.setitem(settings.DATABASES, "replica", settings.DATABASES["default"])
    router = ReplicaRouter()
    assert router.db_for_read(None) is None
    with replica_reads():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate("replica", "applications") is False


def test_json_log_lines():
    import logging

    from sportello.core.logging import JsonFormatter

    record = logging.LogRecord(
        "sportello", logging.WARNING, __file__, 1, "pratica %s", ("2026/000001",), None
    )
    line = json.loads(JsonFormatter().format(record))
    assert (
        line["level"] == "WARNING"
        and line["message"] == "pratica 2026/000001"
        and line["time"].endswith("+00:00")
    )


def test_queries_work_without_server_side_cursors(db, settings):
    """What PgBouncer's transaction mode needs: .iterator() without a named cursor (PostgreSQL and SQLite)."""
    from django.db import connection

    from sportello.municipalities.models import Municipality
    from sportello.municipalities.tests.factories import MunicipalityFactory

    MunicipalityFactory()
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        assert len(list(Municipality.objects.iterator(chunk_size=1))) == 1
    finally:
        connection.settings_dict.pop("DISABLE_SERVER_SIDE_CURSORS", None)
