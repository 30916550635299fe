"""The API against its own OpenAPI document: the Italian guidelines' Spectral ruleset (0 errors) and
Schemathesis property-based runs (0 server errors, 0 schema violations), both part of ``make test``."""

import json
import os
import shutil
import subprocess

import pytest
from django.conf import settings

from sportello.core.tests.prism import unavailable

RULESET = settings.PROJECT_DIR.parent / "shared" / "specs" / "italia-api-guidelines-spectral.yml"
# Bounded to fit CI: examples per operation and per kind of run.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))


@pytest.fixture
def schema_document(client, db) -> dict:
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_passes_the_italian_guidelines_spectral_ruleset(schema_document, tmp_path):
    if not RULESET.exists():
        unavailable(f"Spectral ruleset not found at {RULESET}")
    npx = shutil.which("npx")
    if npx is None:
        unavailable("npx (Node.js) not installed: the Spectral lint needs it")
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(schema_document))
    result = subprocess.run(  # noqa: S603
        [
            npx,
            "--yes",
            "@stoplight/spectral-cli@6",
            "lint",
            "-q",
            "-f",
            "json",
            "-r",
            str(RULESET),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout.strip()
    findings = json.loads(output[output.index("[") :]) if "[" in output else []
    errors = [
        f"{'.'.join(map(str, f['path']))}: {f['code']}: {f['message']}"
        for f in findings
        if f["severity"] == 0
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0 or not errors, result.stderr


@pytest.fixture
def contract(
    mori, mori_admin, mori_application, mori_calendar, mori_appointment, mori_payment, mori_room, mori_booking
):
    """The schema loaded by Schemathesis on the in-process WSGI app, with a full-scope token of Mori."""
    import schemathesis
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    from sportello.integrations.tests.factories import token_for

    # As Django's test client does: the test's transaction (and SQLite connection) outlives each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    yield {
        "schema": schema,
        "headers": {"Authorization": f"Bearer {token_for(mori, mori_admin)}"},
        "known": {
            "municipality_slug": "comune-di-mori",
            "application_id": mori_application.pk,
            "attachment_id": mori_application.attachments.get().pk,
            "service_slug": mori_application.service.slug,
            "calendar_id": mori_calendar.pk,
            "secret": mori_calendar.feed_secret,
            "appointment_id": mori_appointment.pk,
            "payment_id": mori_payment.pk,
            "room_id": mori_room.pk,
            "booking_id": mori_booking.pk,
        },
    }
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _run(operation, strategy, headers):
    """Every default check but ``positive_data_acceptance``: business rules OpenAPI cannot state (a motivation
    for some transitions, a future due date) rightly refuse some schema-valid bodies, with a documented 400."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    def check(case):
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()


def test_schemathesis_finds_no_server_errors_nor_schema_violations(contract):
    schema, headers, known = contract["schema"], contract["headers"], contract["known"]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        # Random ids and slugs (mostly 404), then the real objects of the fixture (the 200 paths).
        _run(
            operation,
            operation.as_strategy(
                path_parameters={"municipality_slug": known["municipality_slug"]} if names else None,
                headers=headers,
            ),
            headers,
        )
        if names:
            fixed = {name: known[name] for name in names}
            _run(operation, operation.as_strategy(path_parameters=fixed, headers=headers), headers)
