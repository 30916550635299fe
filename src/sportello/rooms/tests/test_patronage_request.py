"""The applicant asks for the municipality's patronage in the form, with a short motivation; the summary
explains that the fee is waived if it is granted (the deposit stays); the office sees the request at approval."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from sportello.rooms import services
from sportello.rooms.models import RoomBooking
from sportello.rooms.states import State

from .conftest import DETAILS, NOW, at
from .test_views import MORI, _choose, _citizen_login, _day


@pytest.fixture(autouse=True)
def _consent(monkeypatch):
    monkeypatch.setattr("sportello.portal.middleware.privacy_consent_given", lambda **kwargs: True)


ASSOCIATION = {
    **{k: v for k, v in DETAILS.items() if k != "equipment"},
    "applicant_kind": "organisation",
    "organisation_name": "Pro Loco di Mori",
    "organisation_fiscal_code": "94012345678",
    "legal_representative": "Anna Bianchi",
}


def _held(room, citizen):
    return services.room_booking_hold(
        room=room, citizen=citizen, ranges=[(at(18), at(21))], category="resident", now=NOW
    )


def test_a_patronage_request_needs_a_motivation_and_changes_nothing_without_it(room, citizen):
    booking = _held(room, citizen)
    with pytest.raises(ValidationError) as error:
        services.room_booking_details_save(
            booking=booking, citizen=citizen, values={**DETAILS, "patronage_requested": True}, now=NOW
        )
    assert "patronage_motivation" in error.value.message_dict
    booking.refresh_from_db()
    assert not booking.patronage_requested and not booking.purpose
    services.room_booking_details_save(
        booking=booking,
        citizen=citizen,
        values={**DETAILS, "patronage_requested": True, "patronage_motivation": "  Festa del paese  "},
        now=NOW,
    )
    booking.refresh_from_db()
    assert booking.patronage_requested and booking.patronage_motivation == "Festa del paese"
    assert not booking.patronage  # asked, not granted: only the office grants it
    services.room_booking_details_save(
        booking=booking,
        citizen=citizen,
        values={**DETAILS, "patronage_requested": False, "patronage_motivation": "resta?"},
        now=NOW,
    )
    booking.refresh_from_db()
    assert not booking.patronage_requested and booking.patronage_motivation == ""


def test_an_unmoderated_room_does_not_take_patronage_requests(free_room, citizen):
    booking = services.room_booking_hold(
        room=free_room, citizen=citizen, ranges=[(at(18), at(20))], category="resident", now=NOW
    )
    with pytest.raises(ValidationError):
        services.room_booking_details_save(
            booking=booking,
            citizen=citizen,
            values={**DETAILS, "equipment": [], "patronage_requested": True, "patronage_motivation": "x"},
            now=NOW,
        )


def test_the_association_asks_patronage_the_summary_explains_it_and_the_office_grants_it(
    client, room, citizen, mori_operator, mori_payments
):
    room.coordinators.add(mori_operator)
    _citizen_login(client, citizen)
    day = _day()
    details_url = _choose(client, room, day)["Location"]
    form = BeautifulSoup(client.get(details_url).content, "html.parser")
    assert form.select_one("input[name=patronage_requested]") and form.select_one(
        "[name=patronage_motivation]"
    )
    response = client.post(
        details_url,
        {**ASSOCIATION, "patronage_requested": "on", "patronage_motivation": "Rassegna culturale gratuita"},
    )
    assert response.status_code == 302
    summary = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    note = summary.select_one("[data-testid=patronage-note]").get_text(" ", strip=True)
    assert "la tariffa non è dovuta" in note and "cauzione" in note
    assert "Rassegna culturale gratuita" in summary.get_text()
    booking = RoomBooking.objects.get()
    client.post(f"{MORI}/spazi/prenotazioni/{booking.uid}/riepilogo/")
    booking.refresh_from_db()
    assert booking.state == State.REQUESTED and booking.fee_cents == 6000  # priced without patronage

    client.force_login(mori_operator)
    page = BeautifulSoup(
        client.get(f"{MORI}/operatori/sale/prenotazioni/{booking.pk}/").content, "html.parser"
    )
    assert "Rassegna culturale gratuita" in page.select_one("[data-testid=patronage-request]").get_text()
    assert page.select_one("input[name=patronage]").has_attr("checked")  # proposed, the operator decides
    client.post(
        f"{MORI}/operatori/sale/prenotazioni/{booking.pk}/azione", {"action": "approve", "patronage": "on"}
    )
    booking.refresh_from_db()
    assert booking.state == State.APPROVED and booking.patronage
    assert booking.fee_cents == 0 and booking.deposit_cents == 5000
    assert booking.fee_payment is None and booking.deposit_payment is not None
