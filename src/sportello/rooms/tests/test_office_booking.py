"""The office books on behalf of a citizen or an association (phone or desk requests): the same regulation and
database constraint, approved at once with the applicant as debtor, the e-mail with the notices and the signed
link to pay, recorded as made by the office; tenant and role checked."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from sportello.payments.models import Status
from sportello.payments.providers import PositionStatus
from sportello.payments.services import payment_apply_status
from sportello.rooms import services
from sportello.rooms.models import RoomBooking, RoomBookingEvent, RoomOccupancy
from sportello.rooms.pricing import ROME
from sportello.rooms.states import State
from sportello.rooms.tasks import room_booking_notify
from sportello.rooms.tokens import manage_token

from .conftest import NOW, at

MORI = "/comune-di-mori/it"
PRO_LOCO_CF = "00743110157"  # a valid 11-digit fiscal code
PERSON_CF = "RSSMRA85T10A562S"


@pytest.fixture(autouse=True)
def _consent(monkeypatch):
    monkeypatch.setattr("sportello.portal.middleware.privacy_consent_given", lambda **kwargs: True)


def _day():
    day = timezone.localdate() + timedelta(days=10)
    while day.weekday() != 1 or services.is_holiday(day):
        day += timedelta(days=1)
    return day


def _form(day, **extra):
    data = {
        "channel": "telefono",
        "day": day.isoformat(),
        "start": "18:00",
        "end": "21:00",
        "category": "local_association",
        "applicant_kind": "organisation",
        "applicant_name": "Mario Rossi",
        "applicant_fiscal_code": PERSON_CF.lower(),
        "applicant_email": "proloco@example.org",
        "organisation_name": "Pro Loco di Mori",
        "organisation_fiscal_code": PRO_LOCO_CF,
        "purpose": "Assemblea dei soci",
        "attendance": "40",
        "equipment": ["Proiettore"],
        "declarations_signed": "on",
    }
    data.update(extra)
    return data


@pytest.fixture
def office(client, room, mori_operator, mori_payments):
    """The room's coordinator, logged in; the room charges associations 10 € an hour and a 50 € deposit."""
    room.coordinators.add(mori_operator)
    room.tariffs.filter(category="local_association").update(rate_cents=1000)
    client.force_login(mori_operator)
    return client


def test_office_books_for_an_association_approved_at_once_with_the_association_as_debtor(
    office, room, mori_operator
):
    day = _day()
    response = office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", _form(day))
    booking = RoomBooking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/sale/prenotazioni/{booking.pk}/")
    assert booking.state == State.APPROVED and booking.citizen is None
    assert (booking.organisation_name, booking.legal_representative) == ("Pro Loco di Mori", "Mario Rossi")
    assert booking.applicant_fiscal_code == PERSON_CF and booking.equipment == ["Proiettore"]
    assert [(o.start, o.end) for o in booking.occupancies.all()] == [
        (datetime.combine(day, time(18), ROME), datetime.combine(day, time(21), ROME))
    ]
    fee, deposit = booking.fee_payment, booking.deposit_payment
    assert (fee.amount_cents, deposit.amount_cents) == (3000, 5000)
    assert {fee.debtor_fiscal_code, deposit.debtor_fiscal_code} == {PRO_LOCO_CF}
    assert fee.debtor_email == "proloco@example.org"
    events = list(booking.events.values_list("transition", "actor", "note"))
    assert events == [
        (
            "office_book",
            mori_operator.pk,
            "Prenotazione inserita dall'ufficio per conto del richiedente (per telefono)",
        ),
        ("office_approve", mori_operator.pk, ""),
    ]
    page = office.get(f"{MORI}/operatori/sale/prenotazioni/{booking.pk}/").content.decode()
    assert "Pro Loco di Mori" in page and "per telefono" in page

    mail.outbox.clear()
    for event in RoomBookingEvent.objects.filter(booking=booking).order_by("pk"):
        room_booking_notify.call(event_id=event.pk)
    [message] = mail.outbox
    assert (
        message.to == ["proloco@example.org"]
        and message.subject == "Sala: pagamento da eseguire: Sala consiliare"
    )
    assert "l'ufficio ha prenotato la sala per te" in message.body
    assert f"avviso pagoPA n. {fee.notice_number[:4]}" in message.body and "30,00 €" in message.body
    assert (
        "Per pagare online o annullare senza accedere:" in message.body and "/spazi/gestisci/" in message.body
    )
    assert "/spazi/prenotazioni/" not in message.body  # no personal area: the applicant has no login here


def test_the_applicant_pays_from_the_signed_link_and_the_booking_is_confirmed(client, office, room):
    office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", _form(_day()))
    booking = RoomBooking.objects.get()
    client.logout()
    url = f"{MORI}/spazi/gestisci/{manage_token(booking)}/"
    page = client.get(url).content.decode()
    assert page.count("Paga online") == 2
    response = client.post(url, {"payment": booking.fee_payment.pk})
    assert response.status_code == 302 and "/spazi/" not in response["Location"]  # to the checkout
    for payment in (booking.fee_payment, booking.deposit_payment):
        payment.refresh_from_db()
        payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PENDING))
        payment_apply_status(payment=payment, observed=PositionStatus(status=Status.PAID))
    booking.refresh_from_db()
    assert booking.state == State.CONFIRMED
    page = client.get(f"{MORI}/spazi/esito/{booking.uid}/").content.decode()
    assert "la prenotazione è confermata" in page and "Mario Rossi" not in page and PRO_LOCO_CF not in page
    assert client.get(url).status_code == 410  # the link changed with the state


def test_a_free_booking_for_a_person_is_confirmed_at_once(office, room):
    room.tariffs.filter(category="local_association").update(rate_cents=0)
    room.deposit_cents = 0
    room.save()
    data = _form(_day(), applicant_kind="person", organisation_name="", organisation_fiscal_code="")
    office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", data)
    booking = RoomBooking.objects.get()
    assert (
        booking.state == State.CONFIRMED and booking.fee_payment is None and booking.deposit_payment is None
    )
    assert booking.organisation_name == "" and booking.applicant_name == "Mario Rossi"
    assert list(booking.events.values_list("transition", flat=True)) == ["office_book", "confirm_free"]


def test_a_recurring_office_booking_names_the_clashing_date_and_books_nothing(office, room, mori_operator):
    day = _day()
    taken = day + timedelta(weeks=2)
    services.reserved_period_add(
        room=room,
        start=datetime.combine(taken, time(20), ROME),
        end=datetime.combine(taken, time(22), ROME),
        reason="Consiglio comunale",
        user=mori_operator,
    )
    data = _form(day, repeat_until=(day + timedelta(weeks=3)).isoformat())
    page = office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", data).content.decode()
    assert f"La sala non è libera in questi orari: {taken:%d/%m/%Y} 18:00-21:00" in page
    assert not RoomBooking.objects.exists() and RoomOccupancy.objects.count() == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"applicant_fiscal_code": "RSSMRA85T10A562X"}, "Il codice fiscale non è valido"),
        ({"organisation_fiscal_code": "00743110158"}, "la cifra di controllo non corrisponde"),
        ({"organisation_fiscal_code": ""}, "formato da 11 cifre"),
        ({"attendance": "500"}, "La sala ospita al massimo 50 persone."),
        ({"declarations_signed": ""}, "id_declarations_signed-error"),
        ({"category": "company"}, "Scegli un&#x27;opzione valida"),
        ({"start": "06:00"}, "Scegli un&#x27;opzione valida"),
    ],
)
def test_bad_input_gets_an_italian_message_and_books_nothing(office, room, extra, message):
    page = office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", _form(_day(), **extra)).content.decode()
    assert message in page
    assert not RoomBooking.objects.exists() and not RoomOccupancy.objects.exists()


def test_the_regulation_applies_to_the_office_too(office, room):
    sunday = _day() + timedelta(days=5)
    page = office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", _form(sunday)).content.decode()
    assert "La sala non si prenota in questo giorno della settimana." in page
    assert not RoomBooking.objects.exists()


def test_only_the_rooms_staff_of_this_municipality_can_book_on_behalf(
    client, room, mori_operator, trento_admin
):
    url = f"{MORI}/operatori/sale/{room.pk}/prenota/"
    client.force_login(mori_operator)  # not a coordinator of this room
    assert client.get(url).status_code == 404
    assert client.post(url, _form(_day())).status_code == 404
    client.force_login(trento_admin)
    assert client.post(url, _form(_day())).status_code == 403
    assert (
        client.post(f"/comune-di-trento/it/operatori/sale/{room.pk}/prenota/", _form(_day())).status_code
        == 404
    )
    assert not RoomBooking.objects.exists()


def test_the_applicant_cancels_from_the_signed_link_and_the_notices_are_cancelled(client, office, room):
    office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", _form(_day()))
    booking = RoomBooking.objects.get()
    requests_page = office.get(f"{MORI}/operatori/sale/richieste/?stato=approved").content.decode()
    assert f"/operatori/sale/{room.pk}/prenota/" in requests_page and "Pro Loco di Mori" in requests_page
    client.logout()
    page = client.post(f"{MORI}/spazi/gestisci/{manage_token(booking)}/").content.decode()
    assert "annullata" in page.lower()
    booking.refresh_from_db()
    assert booking.state == State.CANCELLED and not booking.occupancies.filter(active=True).exists()
    booking.fee_payment.refresh_from_db()
    assert booking.fee_payment.status == Status.CANCELLED


def _book_at_the_desk(room, user, ranges, now):
    return services.room_booking_office_book(
        room=room,
        user=user,
        ranges=ranges,
        category="local_association",
        applicant={
            "applicant_kind": "person",
            "applicant_name": "Mario Rossi",
            "applicant_fiscal_code": PERSON_CF,
            "applicant_email": "mario@example.org",
        },
        details={"purpose": "Assemblea", "attendance": 20, "declarations": list(services.DECLARATIONS)},
        channel="sportello",
        now=now,
    )


def test_the_office_books_tomorrow_today_and_beyond_the_maximum_notice_that_citizens_cannot(
    free_room, mori_operator, citizen
):
    """The room asks citizens 2 to 180 days of notice; a desk request is exempt from both."""
    tomorrow = [(at(18, days=1), at(21, days=1))]
    with pytest.raises(ValidationError, match="Serve un preavviso di almeno 2 giorni."):
        services.room_booking_hold(
            room=free_room, citizen=citizen, ranges=tomorrow, category="local_association", now=NOW
        )
    far = [(at(9, days=200), at(11, days=200))]  # a Friday, 200 days on
    with pytest.raises(ValidationError, match="Si prenota al massimo 180 giorni prima."):
        services.room_booking_hold(
            room=free_room, citizen=citizen, ranges=far, category="local_association", now=NOW
        )
    assert not RoomBooking.objects.exists()
    for ranges in (tomorrow, far, [(at(12, days=0), at(13, days=0))]):
        booking = _book_at_the_desk(free_room, mori_operator, ranges, NOW)
        assert booking.state == State.CONFIRMED and booking.citizen is None
    assert RoomOccupancy.objects.filter(active=True).count() == 3
    with pytest.raises(ValidationError, match="L'orario scelto è già iniziato o passato."):
        _book_at_the_desk(
            free_room, mori_operator, [(at(8, days=0), at(9, days=0))], NOW + timedelta(minutes=30)
        )
    assert RoomBooking.objects.count() == 3


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ((7, 0), (9, 0), "La sala è prenotabile dalle 08:00 alle 23:00."),
        ((18, 15), (20, 0), "Gli orari vanno scelti a mezz'ora."),
        ((9, 0), (16, 0), "La durata deve essere tra 1 e 6 ore."),
    ],
)
def test_the_office_at_the_desk_still_keeps_hours_units_and_durations(
    free_room, mori_operator, start, end, message
):
    with pytest.raises(ValidationError) as error:
        _book_at_the_desk(free_room, mori_operator, [(at(*start, days=1), at(*end, days=1))], NOW)
    assert error.value.messages == [message]
    assert not RoomBooking.objects.exists() and not RoomOccupancy.objects.exists()


def test_the_office_at_the_desk_still_keeps_closures_weekdays_reserved_periods_and_the_overlap_constraint(
    free_room, mori_operator
):
    services.room_closure_add(room=free_room, start=at(8, days=2).date(), end=at(8, days=2).date())
    with pytest.raises(ValidationError, match="La sala è chiusa in questa data."):
        _book_at_the_desk(free_room, mori_operator, [(at(18, days=2), at(20, days=2))], NOW)
    with pytest.raises(ValidationError, match="La sala non si prenota in questo giorno della settimana."):
        _book_at_the_desk(free_room, mori_operator, [(at(18, days=6), at(20, days=6))], NOW)  # a Sunday
    services.reserved_period_add(
        room=free_room,
        start=at(20, days=1),
        end=at(22, days=1),
        reason="Consiglio comunale",
        user=mori_operator,
    )
    with pytest.raises(services.RoomTaken):
        _book_at_the_desk(free_room, mori_operator, [(at(18, days=1), at(21, days=1))], NOW)
    _book_at_the_desk(free_room, mori_operator, [(at(10, days=1), at(12, days=1))], NOW)
    with pytest.raises(services.RoomTaken):
        _book_at_the_desk(free_room, mori_operator, [(at(11, days=1), at(13, days=1))], NOW)
    assert RoomBooking.objects.count() == 1 and RoomOccupancy.objects.filter(active=True).count() == 2


def test_a_desk_request_for_tomorrow_through_the_form_is_booked(office, room):
    """The office's form with the real clock: tomorrow, inside the citizens' minimum notice of 2 days."""
    room.weekdays, room.holidays_closed = list(range(7)), False
    room.save()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = office.post(f"{MORI}/operatori/sale/{room.pk}/prenota/", _form(tomorrow, channel="sportello"))
    booking = RoomBooking.objects.get()
    assert response.status_code == 302 and booking.state == State.APPROVED
    assert timezone.localtime(booking.first_start).date() == tomorrow
