"""An index for the operators' search by the start of the applicant's name, on PostgreSQL.

``applicant_name__istartswith`` becomes ``UPPER(applicant_name) LIKE 'ROSS%'``. A btree index can serve a
LIKE prefix only under the "C" collation or with a ``*_pattern_ops`` operator class; the existing
``app_name_idx`` uses the database collation (it serves the sort by name), so the prefix search gets its own
``text_pattern_ops`` index, led by the municipality. Built CONCURRENTLY (no write lock on a big table).

Raw SQL on purpose: the model does not declare the index, so the autodetector never sees it (SQLite needs
no such index: LIKE there is case-insensitive and the tables are small).
"""

from django.db import migrations

INDEX = "app_name_prefix_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON applications_application "
        "(municipality_id, UPPER(applicant_name::text) text_pattern_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
