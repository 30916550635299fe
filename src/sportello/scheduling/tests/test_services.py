from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory, UserFactory
from sportello.scheduling import services
from sportello.scheduling.models import Appointment, Reminder, Reservation
from sportello.scheduling.selectors import calendar_slots
from sportello.scheduling.services import SlotUnavailable, TransitionNotAllowed
from sportello.scheduling.states import TRANSITIONS, Actor, State
from sportello.scheduling.tasks import holds_release_expired, reminders_send

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def hold(calendar, start, citizen=None, now=NOW):
    return services.appointment_hold(calendar=calendar, start=start, citizen=citizen, now=now)


def book(calendar, start, citizen, now=NOW):
    appointment = hold(calendar, start, citizen, now)
    return services.appointment_confirm(appointment=appointment, user=citizen, now=now)


def free_at(calendar, start, now=NOW):
    day = start.date()
    return {s.start: s.free for s in calendar_slots(calendar, date_from=day, date_to=day, now=now)}.get(
        start, 0
    )


def test_hold_takes_a_place_until_the_hold_time(calendar, citizen):
    appointment = hold(calendar, at(9), citizen)
    assert appointment.state == State.HELD
    assert appointment.hold_until == NOW + timedelta(minutes=15)
    assert appointment.reservations.count() == 1
    assert free_at(calendar, at(9)) == 1
    assert free_at(calendar, at(9), now=NOW + timedelta(minutes=16)) == 2  # expired holds count for nothing


def test_expired_hold_is_released_inside_the_next_booking(calendar, citizen):
    first, second = hold(calendar, at(9), citizen), hold(calendar, at(9), UserFactory())
    later = NOW + timedelta(minutes=20)
    third = hold(calendar, at(9), UserFactory(), now=later)
    assert third.reservations.get().place in (0, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == State.CANCELLED
    assert Reservation.objects.filter(calendar=calendar, start=at(9)).count() == 1


def test_periodic_task_releases_expired_holds_and_is_idempotent(calendar, citizen, settings):
    appointment = hold(calendar, at(9), citizen)
    expired = timezone.now() - timedelta(minutes=1)  # the task reads the real clock
    Appointment.objects.update(hold_until=expired)
    Reservation.objects.update(hold_until=expired)
    assert "sportello.scheduling.tasks.holds_release_expired" in [
        p for p, _i in settings.PERIODIC_TASKS.values()
    ]
    assert holds_release_expired.call() == 1
    assert holds_release_expired.call() == 0
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and not appointment.reservations.exists()


@pytest.mark.parametrize(
    "start",
    [at(9, 7), at(13), at(9, days=-1), at(9, days=6), at(9, days=61), at(7, 45)],
    ids=["off-grid", "closed-hours", "past", "sunday", "beyond-horizon", "before-opening"],
)
def test_a_tampered_slot_is_refused_and_changes_nothing(calendar, citizen, start):
    with pytest.raises(SlotUnavailable) as error:
        hold(calendar, start, citizen)
    assert "non è più disponibile" in str(error.value)
    assert not Appointment.objects.exists() and not Reservation.objects.exists()


def test_holidays_and_closures_are_not_bookable(calendar, citizen):
    calendar.closures.create(start=at(9, days=1).date(), end=at(9, days=1).date(), reason="Inventario")
    with pytest.raises(SlotUnavailable):
        hold(calendar, at(9, days=1), citizen)
    easter_monday = NOW.replace(month=3, day=29, hour=9)  # 29 March 2027
    with pytest.raises(SlotUnavailable):
        hold(calendar, easter_monday, citizen, now=easter_monday - timedelta(days=7))


def test_minimum_notice_is_enforced(calendar, citizen):
    calendar.min_notice_hours = 2
    calendar.save()
    with pytest.raises(SlotUnavailable):
        hold(calendar, at(9, 45), citizen)
    assert hold(calendar, at(10), citizen).state == State.HELD


def test_a_full_slot_is_refused(calendar, citizen):
    hold(calendar, at(9), citizen)
    hold(calendar, at(9), UserFactory())
    with pytest.raises(SlotUnavailable):
        hold(calendar, at(9), UserFactory())
    assert Reservation.objects.count() == 2


def test_confirm_on_an_unmoderated_calendar_approves_and_schedules_a_reminder(calendar, citizen):
    appointment = book(calendar, at(9, days=2), citizen)
    assert appointment.state == State.APPROVED and appointment.hold_until is None
    assert appointment.reservations.get().hold_until is None
    assert Reminder.objects.get(appointment=appointment).send_at == at(9, days=1)


def test_confirming_twice_books_once(calendar, citizen):
    appointment = hold(calendar, at(9), citizen)
    services.appointment_confirm(appointment=appointment, user=citizen, now=NOW)
    again = services.appointment_confirm(appointment=appointment, user=citizen, now=NOW)
    assert again.state == State.APPROVED
    assert appointment.events.filter(transition="confirm").count() == 1
    assert Reservation.objects.count() == 1


def test_confirm_after_the_hold_expired_is_refused(calendar, citizen):
    appointment = hold(calendar, at(9), citizen)
    with pytest.raises(SlotUnavailable):
        services.appointment_confirm(appointment=appointment, user=citizen, now=NOW + timedelta(minutes=16))


def test_moderated_calendar_two_pending_requests_never_exceed_the_last_place(moderated, citizen, mori_admin):
    first = book(moderated, at(9), citizen)
    assert first.state == State.PENDING
    with pytest.raises(SlotUnavailable):
        hold(moderated, at(9), UserFactory())  # the pending request consumes the only place
    services.appointment_approve(appointment=first, user=mori_admin)
    first.refresh_from_db()
    assert first.state == State.APPROVED


def test_refusal_needs_a_motivation_and_frees_the_place(moderated, citizen, mori_admin):
    appointment = book(moderated, at(9), citizen)
    with pytest.raises(ValidationError):
        services.appointment_refuse(appointment=appointment, user=mori_admin, motivation=" ")
    services.appointment_refuse(appointment=appointment, user=mori_admin, motivation="Documenti mancanti")
    appointment.refresh_from_db()
    assert appointment.state == State.REFUSED and appointment.motivation == "Documenti mancanti"
    assert free_at(moderated, at(9)) == 1


def test_hold_extension_keeps_the_slot_while_paying(calendar, citizen):
    appointment = hold(calendar, at(9), citizen)
    hold(calendar, at(9), UserFactory())
    services.appointment_hold_extend(appointment=appointment, until=NOW + timedelta(minutes=45), now=NOW)
    later = NOW + timedelta(minutes=30)
    hold(calendar, at(9), UserFactory(), now=later)  # takes the other (expired) hold's place
    with pytest.raises(SlotUnavailable):
        hold(calendar, at(9), UserFactory(), now=later)
    assert (
        services.appointment_confirm(appointment=appointment, user=citizen, now=later).state == State.APPROVED
    )


def test_an_expired_hold_cannot_be_extended(calendar, citizen):
    appointment = hold(calendar, at(9), citizen)
    with pytest.raises(SlotUnavailable):
        services.appointment_hold_extend(
            appointment=appointment, until=NOW + timedelta(hours=1), now=NOW + timedelta(minutes=16)
        )


def test_citizen_cancels_until_the_deadline_staff_after_it(calendar, citizen, mori_admin):
    appointment = book(calendar, at(9, days=2), citizen)
    with pytest.raises(TransitionNotAllowed):
        services.appointment_cancel(appointment=appointment, user=citizen, now=at(9, 1, days=1))
    services.appointment_cancel(appointment=appointment, user=citizen, now=at(8, 59, days=1))
    appointment.refresh_from_db()
    assert appointment.state == State.CANCELLED and not appointment.reservations.exists()
    assert not Reminder.objects.exists()
    other = book(calendar, at(10, days=2), UserFactory())
    services.appointment_cancel(
        appointment=other,
        user=mori_admin,
        actor=Actor.OPERATOR,
        motivation="Ufficio chiuso",
        now=at(9, days=2),
    )


def test_reschedule_moves_the_place_the_reminder_and_bumps_the_ics_sequence(calendar, citizen):
    appointment = book(calendar, at(9, days=2), citizen)
    sequence = appointment.sequence
    services.appointment_reschedule(appointment=appointment, user=citizen, start=at(11, days=3), now=NOW)
    appointment.refresh_from_db()
    assert (appointment.start, appointment.state) == (at(11, days=3), State.APPROVED)
    assert appointment.sequence == sequence + 1
    assert [r.start for r in appointment.reservations.all()] == [at(11, days=3)]
    assert appointment.reminder.send_at == at(11, days=2)
    assert free_at(calendar, at(9, days=2)) == 2
    with pytest.raises(SlotUnavailable):
        services.appointment_reschedule(
            appointment=appointment, user=citizen, start=at(11, 10, days=3), now=NOW
        )


def test_done_and_missed(calendar, citizen, mori_admin):
    appointment = book(calendar, at(9), citizen)
    with pytest.raises(TransitionNotAllowed):
        services.appointment_missed(appointment=appointment, user=mori_admin, now=NOW)
    services.appointment_done(appointment=appointment, user=mori_admin, now=at(9, 20))
    appointment.refresh_from_db()
    assert appointment.state == State.DONE and appointment.reservations.count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.appointment_cancel(appointment=appointment, user=mori_admin, actor=Actor.OPERATOR)


def test_only_admins_and_the_calendars_coordinators_act_as_operators(
    calendar, citizen, mori_operator, trento_admin
):
    appointment = book(calendar, at(9), citizen)
    for user in (mori_operator, trento_admin):
        with pytest.raises(PermissionDenied):
            services.appointment_done(appointment=appointment, user=user, now=at(9, 20))
    calendar.coordinators.add(mori_operator)
    services.appointment_done(appointment=appointment, user=mori_operator, now=at(9, 20))


def test_another_citizen_cannot_cancel(calendar, citizen):
    appointment = book(calendar, at(9, days=2), citizen)
    with pytest.raises(PermissionDenied):
        services.appointment_cancel(appointment=appointment, user=UserFactory(), now=NOW)


def test_disallowed_transitions_raise_and_change_nothing(calendar, citizen):
    appointment = hold(calendar, at(9), citizen)
    coordinator = MembershipFactory(municipality=calendar.municipality, role=Role.OPERATOR).user
    calendar.coordinators.add(coordinator)
    with pytest.raises(TransitionNotAllowed):
        services.appointment_approve(appointment=appointment, user=coordinator)
    appointment.refresh_from_db()
    assert appointment.state == State.HELD and not appointment.events.exists()


def test_transition_table_targets_are_states():
    for transition in TRANSITIONS.values():
        assert transition.target is None or transition.target in State.values
        assert transition.source <= set(State.values)


def test_staff_booking_on_behalf_on_a_moderated_calendar_is_approved(moderated, mori_admin):
    appointment = services.appointment_hold(calendar=moderated, start=at(10), now=NOW)
    services.appointment_confirm(
        appointment=appointment,
        user=mori_admin,
        actor=Actor.OPERATOR,
        first_name="Anna",
        last_name="Bianchi",
        email="anna@example.org",
        now=NOW,
    )
    appointment.refresh_from_db()
    assert appointment.state == State.APPROVED and appointment.citizen is None


def test_reminders_are_sent_once_and_never_for_cancelled_appointments(calendar, citizen):
    kept = book(calendar, at(9, days=2), citizen)
    gone = book(calendar, at(10, days=2), UserFactory())
    Reminder.objects.update(send_at=timezone.now() - timedelta(minutes=1))
    services.appointment_cancel(appointment=gone, user=gone.citizen, now=NOW)
    mail.outbox.clear()
    assert reminders_send.call() == 1
    assert reminders_send.call() == 0
    assert [m.to for m in mail.outbox] == [[kept.email]]
    assert "text/calendar" in mail.outbox[0].attachments[0][2]


def test_bookings_spread_across_the_calendars_of_one_office(calendar, citizen):
    from sportello.scheduling.selectors import office_slots

    from .factories import CalendarFactory, OpeningRuleFactory

    twin = CalendarFactory(
        municipality=calendar.municipality, office_name=calendar.office_name, address=calendar.address
    )
    OpeningRuleFactory(calendar=twin, capacity=1)
    slots, ranked = office_slots([calendar, twin], date_from=at(9).date(), date_to=at(9).date(), now=NOW)
    nine = next(s for s in slots if s.start == at(9))
    assert (nine.capacity, nine.free) == (3, 3)
    taken = [
        services.appointment_hold_in_office(
            calendars=[calendar, twin], start=at(9), citizen=UserFactory(), now=NOW
        )
        for _ in range(3)
    ]
    assert [a.calendar for a in taken] == [calendar, twin, calendar]  # the freest first
    with pytest.raises(SlotUnavailable):
        services.appointment_hold_in_office(
            calendars=[calendar, twin], start=at(9), citizen=UserFactory(), now=NOW
        )


def test_the_database_refuses_a_second_row_for_the_same_place(calendar, citizen):
    from django.db import IntegrityError, transaction

    appointment = hold(calendar, at(9), citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(calendar=calendar, start=at(9), place=0, appointment=appointment)


def test_booking_on_behalf_holds_and_confirms_in_one_transaction(moderated, mori_admin, mori_operator):
    """Staff booking (agenda and API): approved at once even on a moderated calendar; a refused confirmation
    leaves no hold and no taken place behind."""
    from sportello.catalog.constants import Kind
    from sportello.catalog.tests.factories import ServiceFactory

    service = ServiceFactory(municipality=moderated.municipality, kind=Kind.APPOINTMENT, slug="anagrafe")
    moderated.services.add(service)
    start = at(9, days=1)
    with pytest.raises(PermissionDenied):  # an operator who does not coordinate this calendar
        services.appointment_book_on_behalf(
            calendar=moderated,
            start=start,
            user=mori_operator,
            first_name="Anna",
            last_name="Bianchi",
            now=NOW,
        )
    with pytest.raises(ValidationError, match="nome e cognome"):
        services.appointment_book_on_behalf(
            calendar=moderated, start=start, user=mori_admin, first_name="Anna", last_name=" ", now=NOW
        )
    assert not Appointment.objects.exists() and not Reservation.objects.exists()
    booked = services.appointment_book_on_behalf(
        calendar=moderated, start=start, user=mori_admin, first_name="Anna", last_name="Bianchi", now=NOW
    )
    assert booked.state == State.APPROVED and booked.service == service
    assert [e.transition for e in booked.events.all()] == ["confirm"]
