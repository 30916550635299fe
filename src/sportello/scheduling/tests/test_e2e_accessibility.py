"""WCAG 2.1 AA (axe-core in Chromium) on the booking steps and the back-office calendar pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.catalog.constants import AccessLevel, Kind
from sportello.catalog.tests.factories import ServiceFactory
from sportello.core.tests.test_e2e_accessibility import pages_violations
from sportello.scheduling import services as scheduling
from sportello.scheduling.selectors import calendar_slots

from .factories import CalendarFactory, OpeningRuleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_booking_and_calendar_pages_have_no_wcag_violations(page, mori, mori_admin):
    calendar = CalendarFactory(municipality=mori, moderated=True)
    OpeningRuleFactory(calendar=calendar, weekdays=list(range(7)))
    service = ServiceFactory(
        municipality=mori, slug="anagrafe", kind=Kind.APPOINTMENT, access_level=AccessLevel.ANONYMOUS
    )
    calendar.services.add(service)
    today = timezone.localdate()
    slot = calendar_slots(calendar, date_from=today + timedelta(days=2), date_to=today + timedelta(days=9))[0]
    booked = scheduling.appointment_hold(calendar=calendar, start=slot.start, service=service)
    scheduling.appointment_confirm(
        appointment=booked, first_name="Anna", last_name="Verdi", actor="operator", user=mori_admin
    )
    base = "/comune-di-mori/it"
    time_url = f"{base}/prenota-appuntamento/anagrafe/{calendar.pk}/"
    found = pages_violations(
        page, [f"{base}/prenota-appuntamento/anagrafe/", f"{time_url}?giorno={slot.start.date()}"]
    )
    page.locator("label[for=slot-1]").click()
    page.get_by_role("button", name="Avanti").click()  # held: the details step
    uid = page.url.rstrip("/").split("/")[-2]
    page.locator("#id_reason").fill("Certificato")
    page.get_by_role("button", name="Avanti").click()
    found |= pages_violations(
        page, [f"{base}/appuntamenti/{uid}/dettagli/", f"{base}/appuntamenti/{uid}/richiedente/"]
    )
    page.locator("#id_first_name").fill("Luca")
    page.locator("#id_last_name").fill("Neri")
    page.locator("#id_email").fill("luca@example.org")
    page.get_by_role("button", name="Avanti").click()
    found |= pages_violations(page, [f"{base}/appuntamenti/{uid}/riepilogo/"])
    page.locator("label[for=id_privacy]").click()
    page.get_by_role("button", name="Conferma").click()
    found |= pages_violations(page, [f"{base}/appuntamenti/{uid}/"])

    page.goto(f"{base}/operatori/login")
    page.get_by_label("Nome utente").fill("admin-mori")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    staff = f"{base}/operatori/calendari"
    found |= pages_violations(
        page,
        [
            f"{staff}/",
            f"{staff}/nuovo/",
            f"{staff}/{calendar.pk}/",
            f"{staff}/{calendar.pk}/orari/",
            f"{staff}/{calendar.pk}/agenda/?giorno={slot.start.date()}",
            f"{staff}/{calendar.pk}/agenda/?giorno={slot.start.date()}&vista=settimana",
            f"{staff}/{calendar.pk}/prenota/?giorno={slot.start.date()}",
        ],
    )
    assert found == {}
