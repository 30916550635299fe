from django.core.management import call_command

from sportello.accounts.models import Membership, User
from sportello.demo.data import DEMO_PASSWORD
from sportello.municipalities.models import Municipality


def test_demo_is_idempotent_and_its_accounts_log_in(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert set(Municipality.objects.values_list("slug", flat=True)) == {"comune-di-mori", "comune-di-trento"}
    assert Membership.objects.count() == 6
    for town in ("mori", "trento"):
        for username in (f"admin-{town}", f"operatore-{town}"):
            user = User.objects.get(username=username)
            assert user.check_password(DEMO_PASSWORD) and not user.must_change_password
        assert User.objects.get(username=f"nuovo-{town}").must_change_password
    response = client.post(
        "/comune-di-trento/it/operatori/login", {"username": "operatore-trento", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert Municipality.objects.get(slug="comune-di-mori").logo
    from sportello.applications.models import Application

    states = sorted(
        Application.objects.filter(municipality__slug="comune-di-mori")
        .exclude(service__slug="carta-identita-elettronica")  # the paid ones: see test_demo_payments
        .exclude(service__slug="iscrizione-mensa-scolastica-2026-27")  # subscriptions/tests/test_demo.py
        .values_list("state", flat=True)
    )
    assert states == ["accepted", "draft", "in_progress", "integration_requested", "registered", "rejected"]
    assert (
        Application.objects.count() == 28
    )  # the second run added nothing (18 + 2 CIE bookings + 3 enrolments each)


def test_demo_prints_the_temporary_passwords(db, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    output = capsys.readouterr().out
    line = next(line for line in output.splitlines() if "nuovo-mori" in line)
    password = line.rsplit(": ", 1)[1]
    assert User.objects.get(username="nuovo-mori").check_password(password)


def test_demo_binds_the_cie_parking_permit_and_rooms_services_to_the_io_sandbox(db, settings, tmp_path):
    from sportello.notifications.models import IOBinding, ServiceIOLogEntry
    from sportello.rooms.models import Room

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    bound = IOBinding.objects.filter(service__municipality__slug="comune-di-mori")
    assert sorted(b.service.slug for b in bound) == [
        "carta-identita-elettronica",
        "permesso-sosta-residenti",
        "prenotazione-spazi-comunali",
    ]
    assert {b.provider for b in IOBinding.objects.all()} == {"io_sandbox"}
    assert all(b.service.io_service_id for b in bound)
    assert ServiceIOLogEntry.objects.count() == 6  # one configuration per service, not one per run
    rooms = Room.objects.filter(municipality__slug="comune-di-mori")
    assert rooms.exists() and all(r.service.slug == "prenotazione-spazi-comunali" for r in rooms)


def test_readme_says_what_the_demo_private_service_is(client, db, settings, tmp_path):
    """Private: out of the lists, open to anyone with the link (README says so, and so it is)."""
    from pathlib import Path

    from bs4 import BeautifulSoup

    from sportello.catalog.constants import Status
    from sportello.catalog.models import Service

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    private = Service.objects.get(municipality__slug="comune-di-mori", status=Status.PRIVATE)
    listing = BeautifulSoup(client.get("/comune-di-mori/it/servizi/").content, "html.parser")
    assert private.name not in listing.get_text()
    assert client.get(f"/comune-di-mori/it/servizi/{private.slug}/").status_code == 200  # anonymous visitor
    readme = " ".join((Path(settings.PROJECT_DIR) / "README.md").read_text().split())
    assert (
        "one private service, left out of the lists and the search but reachable by anyone who has its link"
        in readme
    )
    assert "private and one draft seen only by administrators" not in readme


def test_demo_calendars_serve_the_cie_with_two_desks_and_one_is_moderated(db):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from sportello.scheduling.models import Calendar
    from sportello.scheduling.selectors import calendar_slots

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    for slug in ("comune-di-mori", "comune-di-trento"):
        calendars = Calendar.objects.filter(municipality__slug=slug)
        assert calendars.count() == 2
        anagrafe = calendars.get(moderated=False)
        assert anagrafe.services.filter(slug="carta-identita-elettronica").exists()
        today = timezone.localdate()
        slots = calendar_slots(anagrafe, date_from=today, date_to=today + timedelta(days=14))
        assert slots and {s.capacity for s in slots} == {2}
        assert calendars.get(moderated=True).coordinators.filter(username__startswith="operatore-").exists()
