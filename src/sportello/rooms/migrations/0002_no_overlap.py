"""The database refuses two overlapping active ranges of one room.

PostgreSQL: an exclusion constraint on ``tstzrange(start, "end", '[)')`` with ``&&`` and ``room_id WITH =``
(``btree_gist`` supplies the ``=`` operator class for the integer in a GiST index), only over active rows.
SQLite: has no exclusion constraints, so two triggers (before insert, before update) abort the statement when an
active row of the same room overlaps. Datetimes are stored there as UTC text of one format, so text comparison
is time order. Both raise IntegrityError in Django.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE rooms_roomoccupancy ADD CONSTRAINT room_occupancy_no_overlap
       EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end", '[)') WITH &&) WHERE (active)""",
]
PG_BACKWARD = ["ALTER TABLE rooms_roomoccupancy DROP CONSTRAINT room_occupancy_no_overlap"]

SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'room_occupancy_no_overlap: the room is taken in this range')
    WHERE NEW.active AND EXISTS (
        SELECT 1 FROM rooms_roomoccupancy other
        WHERE other.room_id = NEW.room_id AND other.active AND other.id IS NOT NEW.id
          AND other.start < NEW."end" AND NEW.start < other."end"
    );
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER room_occupancy_no_overlap_insert BEFORE INSERT ON rooms_roomoccupancy
        BEGIN {SQLITE_CHECK} END""",
    f"""CREATE TRIGGER room_occupancy_no_overlap_update
        BEFORE UPDATE OF room_id, start, "end", active ON rooms_roomoccupancy
        BEGIN {SQLITE_CHECK} END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS room_occupancy_no_overlap_insert",
    "DROP TRIGGER IF EXISTS room_occupancy_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
