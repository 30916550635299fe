"""Writes on calendars and appointments.

Capacity lives in the database: taking a place inserts a ``Reservation`` row, and the unique constraint on
(calendar, start, place) refuses a second taker whatever the interleaving. Every state change goes through
``_fire`` and the one transition table (``states.py``).
"""

from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import states
from .availability import ROME
from .models import Appointment, AppointmentEvent, Calendar, Reminder, Reservation
from .selectors import published_slot
from .states import Actor, State
from .tasks import appointment_notify

UNAVAILABLE = gettext_lazy("Questo orario non è più disponibile: scegli un altro orario tra quelli liberi.")


class SlotUnavailable(ValidationError):
    def __init__(self, message=None):
        super().__init__(message or UNAVAILABLE, code="unavailable")


class TransitionNotAllowed(ValidationError):
    pass


def can_manage(user, calendar: Calendar) -> bool:
    """Administrators of the municipality and the calendar's coordinators."""
    return Calendar.objects.managed_by(user, calendar.municipality).filter(pk=calendar.pk).exists()


def _check_actor(user, appointment: Appointment, actor: str) -> None:
    if actor == Actor.CITIZEN and appointment.citizen_id is not None and appointment.citizen_id != user.pk:
        raise PermissionDenied("Not the citizen of this appointment")
    if actor == Actor.OPERATOR and not can_manage(user, appointment.calendar):
        raise PermissionDenied("Not a manager of this calendar")


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("calendar", "municipality")
        .get(pk=appointment.pk)
    )


def _check(appointment: Appointment, name: str, *, user, actor: str) -> None:
    if actor != Actor.SYSTEM:
        _check_actor(user, appointment, actor)
    if not states.allowed(name, appointment.state, actor):
        raise TransitionNotAllowed(
            _("Operazione non consentita: l'appuntamento è nello stato «%(state)s».")
            % {"state": State(appointment.state).label},
            code="transition",
        )


def _fire(appointment: Appointment, name: str, *, user=None, actor: str, motivation: str = "", notify=True):
    """Apply transition ``name`` to the locked row; states that free capacity delete its places."""
    transition = states.TRANSITIONS[name]
    _check(appointment, name, user=user, actor=actor)
    motivation = (motivation or "").strip()
    if transition.needs_motivation and not motivation:
        raise ValidationError({"motivation": _("Indica la motivazione.")})
    target = transition.target or appointment.state
    event = AppointmentEvent.objects.create(
        appointment=appointment,
        actor=user if actor != Actor.SYSTEM else None,
        actor_kind=actor,
        transition=name,
        from_state=appointment.state,
        to_state=target,
        motivation=motivation,
    )
    if target in states.RELEASING:
        for start in set(appointment.reservations.values_list("start", flat=True)):
            _place_freed(appointment.calendar, start)
        appointment.reservations.all().delete()
        Reminder.objects.filter(appointment=appointment).delete()
        appointment.hold_until = None
    if motivation:
        appointment.motivation = motivation
    if target != appointment.state and target in (State.APPROVED, State.REFUSED, State.CANCELLED):
        appointment.sequence += 1  # the citizen's calendar entry changes
    appointment.state = target
    appointment.save()
    if notify and appointment.state != State.HELD:
        appointment_notify.enqueue(event_id=event.pk)
    return event


def _place_freed(calendar: Calendar, start) -> None:
    """A place of a future slot became free: offer it to the waiting list (a task, in this transaction)."""
    from .models import WaitingEntry
    from .tasks import waiting_offer

    if start > timezone.now() and WaitingEntry.objects.filter(appointment__calendar=calendar).exists():
        waiting_offer.enqueue(calendar_id=calendar.pk, start=start.isoformat())


def _take_place(calendar: Calendar, slot, appointment: Appointment, hold_until) -> int:
    """Insert the first free place of ``slot``; a concurrent taker makes the insert fail and we try the next."""
    taken = set(
        Reservation.objects.filter(calendar=calendar, start=slot.start).values_list("place", flat=True)
    )
    for place in range(slot.capacity):
        if place in taken:
            continue
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
                Reservation.objects.create(
                    calendar=calendar,
                    start=slot.start,
                    place=place,
                    appointment=appointment,
                    hold_until=hold_until,
                )
            return place
        except IntegrityError:
            continue
    raise SlotUnavailable()


def holds_release(*, now: datetime | None = None, calendar: Calendar | None = None, start=None) -> int:
    """Release the expired holds (all of them, or those of one slot); rows being confirmed are skipped."""
    now = now or timezone.now()
    expired = Appointment.objects.filter(state=State.HELD, hold_until__lte=now)
    if calendar is not None:
        expired = expired.filter(calendar=calendar)
    if start is not None:
        expired = expired.filter(start=start)
    count = 0
    for appointment in expired.select_for_update(of=("self",), skip_locked=True).select_related("calendar"):
        _fire(appointment, "release", actor=Actor.SYSTEM, motivation=_("Tempo scaduto"), notify=False)
        count += 1
    return count


@transaction.atomic
def appointment_hold(
    *,
    calendar: Calendar,
    start: datetime,
    service=None,
    citizen=None,
    application=None,
    now=None,
    minutes=None,
) -> Appointment:
    """Hold a place of the published slot at ``start`` for ``calendar.hold_minutes``.

    Expired holds of that slot are released first, in this transaction. A start outside the published
    availability (tampered with, past, closed, beyond the horizon) or a full slot raises ``SlotUnavailable``.
    """
    now = now or timezone.now()
    if start is None:  # an unreadable time posted by a form
        raise SlotUnavailable()
    holds_release(now=now, calendar=calendar, start=start)
    slot = published_slot(calendar, start, now=now)
    if slot is None:
        raise SlotUnavailable()
    hold_until = now + timedelta(minutes=minutes or calendar.hold_minutes)
    appointment = Appointment.objects.create(
        municipality=calendar.municipality,
        calendar=calendar,
        service=service,
        application=application,
        citizen=citizen,
        first_name=getattr(citizen, "first_name", "") or "",
        last_name=getattr(citizen, "last_name", "") or "",
        email=getattr(citizen, "email", "") or "",
        fiscal_code=getattr(citizen, "fiscal_code", "") or "",
        start=slot.start,
        end=slot.end,
        hold_until=hold_until,
    )
    _take_place(calendar, slot, appointment, hold_until)
    return appointment


def appointment_hold_in_office(*, calendars, start: datetime | None, now=None, **kwargs) -> Appointment:
    """Hold ``start`` in whichever of an office's calendars has the most free places there (spreading the
    bookings); when a concurrent booking fills one, the next is tried."""
    from .selectors import office_slots

    if start is None:
        raise SlotUnavailable()
    day = start.astimezone(ROME).date()
    _slots, ranked = office_slots(calendars, date_from=day, date_to=day, now=now)
    for calendar in ranked.get(start.astimezone(UTC), []):
        try:
            return appointment_hold(calendar=calendar, start=start, now=now, **kwargs)
        except SlotUnavailable:
            continue
    raise SlotUnavailable()


@transaction.atomic
def appointment_hold_extend(*, appointment: Appointment, until: datetime, now=None) -> Appointment:
    """Keep a held slot while a payment is pending (called by payments); an expired hold cannot be revived."""
    now = now or timezone.now()
    appointment = _locked(appointment)
    if appointment.state != State.HELD:
        raise TransitionNotAllowed(_("L'orario non è più bloccato per questa richiesta."))
    if appointment.hold_until <= now:
        raise SlotUnavailable()
    if until > appointment.hold_until:
        appointment.hold_until = until
        appointment.save(update_fields=["hold_until", "updated_at"])
        appointment.reservations.update(hold_until=until)
    return appointment


def _schedule_reminder(appointment: Appointment, now) -> None:
    send_at = appointment.start - timedelta(hours=appointment.calendar.reminder_hours)
    if send_at > now:
        Reminder.objects.update_or_create(
            appointment=appointment, defaults={"send_at": send_at, "sent_at": None}
        )
    else:
        Reminder.objects.filter(appointment=appointment).delete()


@transaction.atomic
def appointment_confirm(
    *,
    appointment: Appointment,
    user=None,
    actor: str = Actor.CITIZEN,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    reason: str | None = None,
    details: str | None = None,
    now=None,
) -> Appointment:
    """Turn the hold into a request: pending on a moderated calendar (unless staff books), else approved.

    Idempotent: confirming an already confirmed appointment returns it unchanged (double click, retry).
    """
    now = now or timezone.now()
    appointment = _locked(appointment)
    if appointment.state in (State.PENDING, State.APPROVED):
        return appointment
    if appointment.state == State.HELD and appointment.hold_until <= now:
        raise SlotUnavailable(
            _("Il tempo per completare la prenotazione è scaduto: scegli di nuovo un orario.")
        )
    for field, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("email", email),
        ("reason", reason),
        ("details", details),
    ):
        if value is not None:
            setattr(appointment, field, value.strip())
    if not (appointment.first_name and appointment.last_name):
        raise ValidationError(_("Indica nome e cognome del richiedente."))
    appointment.hold_until = None
    _fire(appointment, _confirm_name(appointment, actor), user=user, actor=actor)
    appointment.reservations.update(hold_until=None)
    _schedule_reminder(appointment, now)
    return appointment


@transaction.atomic
def appointment_book(
    *, appointment: Appointment, user=None, first_name=None, last_name=None, email=None, now=None
):
    """The citizen's final confirmation, in one transaction (a refused slot submits nothing).

    A service paid at submission (the CIE fee): the application waits for the payment, the debt position is
    created, and the appointment stays held until the payment's outcome (``payment_hold_until``); the payment
    confirms it (``appointment_payment_succeeded``), a failed or expired one releases the place. Any other
    service: submit the linked application (if any), then confirm the appointment.
    """
    from sportello.applications.services import application_submit
    from sportello.applications.states import State as ApplicationState
    from sportello.payments.selectors import paid_at_submission

    application = appointment.application
    if (
        application is not None
        and application.state == ApplicationState.DRAFT
        and paid_at_submission(application.service)
    ):
        return _book_with_payment(
            appointment, user=user, first_name=first_name, last_name=last_name, email=email, now=now
        )
    appointment = appointment_confirm(
        appointment=appointment, user=user, first_name=first_name, last_name=last_name, email=email, now=now
    )
    application = appointment.application
    if application is not None and application.state == ApplicationState.DRAFT:
        application_submit(application=application, user=user)
    return appointment


@transaction.atomic
def appointment_book_on_behalf(
    *,
    calendar: Calendar,
    start: datetime | None,
    user,
    service=None,
    first_name: str,
    last_name: str,
    email: str = "",
    reason: str = "",
    details: str = "",
    now=None,
) -> Appointment:
    """Staff book for a citizen (at the desk, on the phone, through the API): hold and confirm in one
    transaction, so a refused confirmation (a missing name, a calendar the user does not manage) leaves no hold
    behind. Approved at once, also on a moderated calendar; ``service`` defaults to the calendar's first
    appointment service. ``SlotUnavailable`` when the place was taken meanwhile."""
    from sportello.catalog.constants import Kind

    if service is None:
        service = calendar.services.filter(kind=Kind.APPOINTMENT).first()
    appointment = appointment_hold(calendar=calendar, start=start, service=service, now=now)
    return appointment_confirm(
        appointment=appointment,
        user=user,
        actor=Actor.OPERATOR,
        first_name=first_name,
        last_name=last_name,
        email=email,
        reason=reason,
        details=details,
        now=now,
    )


# While a payment is pending the hold is kept this long after each check of the poller (payments_poll, every
# minute), never past the morning after the payment's due date (the payment expires that night).
PAYMENT_HOLD_MINUTES = 30


def payment_hold_until(appointment: Appointment, due_date: date, now: datetime) -> datetime:
    """Pure: how long the place stays held while its payment is pending."""
    rolling = now + timedelta(minutes=max(PAYMENT_HOLD_MINUTES, appointment.calendar.hold_minutes))
    after_due = datetime.combine(due_date + timedelta(days=1), time(1, 0), tzinfo=ROME)
    return min(rolling, after_due, appointment.start)


def payment_due_date(appointment: Appointment, now: datetime) -> date:
    """Pure: an appointment is paid by the day before it (today at the latest)."""
    today = now.astimezone(ROME).date()
    return max(today, appointment.start.astimezone(ROME).date() - timedelta(days=1))


def _book_with_payment(appointment: Appointment, *, user, first_name, last_name, email, now):
    from sportello.payments.services import payment_request_at_submission

    now = now or timezone.now()
    appointment = _locked(appointment)
    _check_actor(user, appointment, Actor.CITIZEN)
    if appointment.state != State.HELD or appointment.hold_until <= now:
        raise SlotUnavailable(
            _("Il tempo per completare la prenotazione è scaduto: scegli di nuovo un orario.")
        )
    for field, value in (("first_name", first_name), ("last_name", last_name), ("email", email)):
        if value is not None:
            setattr(appointment, field, value.strip())
    if not (appointment.first_name and appointment.last_name):
        raise ValidationError(_("Indica nome e cognome del richiedente."))
    appointment.save()
    payment = payment_request_at_submission(
        application=appointment.application, user=user, due_date=payment_due_date(appointment, now)
    )
    return appointment_hold_extend(
        appointment=appointment, until=payment_hold_until(appointment, payment.due_date, now), now=now
    )


def _confirm_name(appointment: Appointment, actor: str) -> str:
    return "submit" if appointment.calendar.moderated and actor == Actor.CITIZEN else "confirm"


@transaction.atomic
def appointment_payment_succeeded(*, appointment: Appointment, now=None) -> Appointment:
    """The application's payment succeeded: the held appointment is booked (pending on a moderated calendar).

    Idempotent (a second "paid" finds it booked). The place is the citizen's as long as its rows exist, even a
    moment past ``hold_until``. When the place was already released (a late "paid" after a "failed", or the
    hold lapsed), the same slot is taken again if a place is still free; otherwise the appointment stays
    released and the office, which has the paid application, books the citizen again.
    """
    now = now or timezone.now()
    appointment = _locked(appointment)
    if appointment.state in (State.PENDING, State.APPROVED):
        return appointment
    if appointment.state != State.HELD:
        return _retake_after_payment(appointment, now)
    appointment.hold_until = None
    _fire(appointment, _confirm_name(appointment, Actor.CITIZEN), actor=Actor.SYSTEM)
    appointment.reservations.update(hold_until=None)
    _schedule_reminder(appointment, now)
    return appointment


def _retake_after_payment(appointment: Appointment, now) -> Appointment:
    if appointment.state != State.CANCELLED or appointment.start <= now:
        return appointment
    application = appointment.application
    try:
        with transaction.atomic():
            Appointment.objects.filter(pk=appointment.pk).update(application=None)
            again = appointment_hold(
                calendar=appointment.calendar,
                start=appointment.start,
                service=appointment.service,
                citizen=appointment.citizen,
                application=application,
                now=now,
            )
    except SlotUnavailable:
        return appointment
    Appointment.objects.filter(pk=again.pk).update(
        first_name=appointment.first_name,
        last_name=appointment.last_name,
        email=appointment.email,
        reason=appointment.reason,
        details=appointment.details,
    )
    return appointment_payment_succeeded(appointment=again, now=now)


@transaction.atomic
def appointment_approve(*, appointment: Appointment, user=None, actor: str = Actor.OPERATOR) -> Appointment:
    appointment = _locked(appointment)
    _fire(appointment, "approve", user=user, actor=actor)
    return appointment


@transaction.atomic
def appointment_refuse(*, appointment: Appointment, user, motivation: str) -> Appointment:
    appointment = _locked(appointment)
    _fire(appointment, "refuse", user=user, actor=Actor.OPERATOR, motivation=motivation)
    return appointment


def cancel_deadline(appointment: Appointment) -> datetime:
    return appointment.start - timedelta(hours=appointment.calendar.cancel_until_hours)


def _check_deadline(appointment: Appointment, actor: str, now) -> None:
    if actor == Actor.CITIZEN and appointment.state != State.HELD and now > cancel_deadline(appointment):
        raise TransitionNotAllowed(
            _("Non è più possibile modificare l'appuntamento online: contatta l'ufficio."), code="deadline"
        )


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, user=None, actor: str = Actor.CITIZEN, motivation: str = "", now=None
) -> Appointment:
    """Cancel (citizen until the calendar's deadline, staff any time, with a notice to the citizen)."""
    now = now or timezone.now()
    appointment = _locked(appointment)
    _check_deadline(appointment, actor, now)
    _fire(appointment, "cancel", user=user, actor=actor, motivation=motivation)
    return appointment


@transaction.atomic
def appointment_release(*, appointment: Appointment, motivation: str = "") -> Appointment:
    """Free the places of an appointment whose application failed (payment failed, application rejected)."""
    appointment = _locked(appointment)
    if appointment.state in states.OCCUPYING:
        _fire(appointment, "release", actor=Actor.SYSTEM, motivation=motivation)
    return appointment


@transaction.atomic
def appointment_reschedule(
    *, appointment: Appointment, start: datetime | None, user=None, actor: str = Actor.CITIZEN, now=None
) -> Appointment:
    """Move to another published slot: the new place is taken before the old one is freed."""
    now = now or timezone.now()
    appointment = _locked(appointment)
    _check_deadline(appointment, actor, now)
    _check(appointment, "reschedule", user=user, actor=actor)
    if start is None:
        raise SlotUnavailable()
    if start == appointment.start:
        return appointment
    calendar = appointment.calendar
    holds_release(now=now, calendar=calendar, start=start)
    slot = published_slot(calendar, start, now=now)
    if slot is None:
        raise SlotUnavailable()
    old = list(appointment.reservations.values_list("pk", flat=True))
    _take_place(calendar, slot, appointment, None)
    Reservation.objects.filter(pk__in=old).delete()
    _place_freed(calendar, appointment.start)
    appointment.start, appointment.end = slot.start, slot.end
    appointment.sequence += 1
    _fire(appointment, "reschedule", user=user, actor=actor)
    _schedule_reminder(appointment, now)
    return appointment


def _outcome(name: str, *, appointment: Appointment, user, now=None) -> Appointment:
    now = now or timezone.now()
    appointment = _locked(appointment)
    if name == "missed" and now < appointment.start:
        raise TransitionNotAllowed(_("L'appuntamento non è ancora iniziato."))
    _fire(appointment, name, user=user, actor=Actor.OPERATOR, notify=False)
    Reminder.objects.filter(appointment=appointment, sent_at__isnull=True).delete()
    return appointment


@transaction.atomic
def appointment_done(*, appointment: Appointment, user, now=None) -> Appointment:
    return _outcome("done", appointment=appointment, user=user, now=now)


@transaction.atomic
def appointment_missed(*, appointment: Appointment, user, now=None) -> Appointment:
    return _outcome("missed", appointment=appointment, user=user, now=now)


# --- calendars (administrators and coordinators) ---


def _check_coordinators(calendar: Calendar, coordinators) -> None:
    from sportello.accounts.roles import staff_role

    for user in coordinators:
        if staff_role(user, calendar.municipality) is None:
            raise ValidationError({"coordinators": _("I coordinatori devono essere operatori dell'ente.")})


@transaction.atomic
def calendar_save(*, calendar: Calendar, coordinators=None, services=None) -> Calendar:
    """Create or update a calendar; coordinators and services must belong to its municipality."""
    calendar.full_clean()
    if bool(calendar.patron_month) != bool(calendar.patron_day):
        raise ValidationError(
            {"patron_day": _("Indica mese e giorno del santo patrono, oppure nessuno dei due.")}
        )
    if calendar.patron_month:
        try:
            date(2028, calendar.patron_month, calendar.patron_day)  # a leap year accepts 29 February
        except ValueError:
            raise ValidationError({"patron_day": _("La data del santo patrono non esiste.")}) from None
    calendar.save()
    if coordinators is not None:
        _check_coordinators(calendar, coordinators)
        calendar.coordinators.set(coordinators)
    if services is not None:
        if any(s.municipality_id != calendar.municipality_id for s in services):
            raise ValidationError({"services": _("Servizio di un altro ente.")})
        calendar.services.set(services)
    return calendar


def _overlaps(a, b) -> bool:
    if not set(a.weekdays) & set(b.weekdays):
        return False
    a_until, b_until = a.valid_until or date.max, b.valid_until or date.max
    if a.valid_from > b_until or b.valid_from > a_until:
        return False
    return a.start < b.end and b.start < a.end


@transaction.atomic
def opening_rule_add(*, calendar: Calendar, **fields):
    """Add an opening-hour rule; a rule overlapping another (same weekday, dates and hours) is refused."""
    from .models import OpeningRule

    Calendar.objects.select_for_update().filter(pk=calendar.pk).first()  # rules of one calendar one at a time
    weekdays = sorted({int(d) for d in fields.pop("weekdays", [])})
    if not weekdays or any(d < 0 or d > 6 for d in weekdays):
        raise ValidationError({"weekdays": _("Scegli almeno un giorno della settimana.")})
    rule = OpeningRule(calendar=calendar, weekdays=weekdays, **fields)
    rule.full_clean()
    if rule.end <= rule.start:
        raise ValidationError({"end": _("L'orario di fine deve seguire quello di inizio.")})
    if any(_overlaps(rule, other) for other in calendar.rules.all()):
        raise ValidationError(_("La fascia oraria si sovrappone a un'altra dello stesso calendario."))
    rule.save()
    return rule


@transaction.atomic
def opening_rule_delete(*, rule) -> None:
    rule.delete()


@transaction.atomic
def closure_add(*, calendar: Calendar, start, end, reason: str):
    from .models import Closure

    closure = Closure(calendar=calendar, start=start, end=end, reason=(reason or "").strip())
    closure.full_clean()
    if closure.end < closure.start:
        raise ValidationError({"end": _("La data di fine deve seguire quella di inizio.")})
    closure.save()
    return closure


@transaction.atomic
def closure_delete(*, closure) -> None:
    closure.delete()


@transaction.atomic
def calendar_feed_regenerate(*, calendar: Calendar) -> Calendar:
    """A new secret address for the agenda feed: the old one stops working at once."""
    from .models import new_feed_secret

    calendar.feed_secret = new_feed_secret()
    calendar.save(update_fields=["feed_secret", "updated_at"])
    return calendar


@transaction.atomic
def service_calendars_set(*, service, calendars) -> None:
    """The service editor's "Calendari" step: which offices serve an appointment service."""
    if any(c.municipality_id != service.municipality_id for c in calendars):
        raise ValidationError(_("Calendario di un altro ente."))
    service.calendars.set(calendars)


# --- waiting list ("avvisami se si libera un posto prima") ---

WAITING_OFFER_MINUTES = 30


@transaction.atomic
def waiting_join(*, appointment: Appointment, user=None):
    """Ask to be told, in order, when a place frees before this appointment."""
    from .models import WaitingEntry

    appointment = _locked(appointment)
    _check_actor(user, appointment, Actor.CITIZEN)
    if appointment.state not in (State.PENDING, State.APPROVED) or not appointment.email:
        raise TransitionNotAllowed(
            _("La lista d'attesa è per gli appuntamenti prenotati con un indirizzo e-mail.")
        )
    entry, _created = WaitingEntry.objects.get_or_create(appointment=appointment)
    return entry


@transaction.atomic
def waiting_leave(*, appointment: Appointment, user=None) -> None:
    from .models import WaitingEntry

    appointment = _locked(appointment)
    _check_actor(user, appointment, Actor.CITIZEN)
    WaitingEntry.objects.filter(appointment=appointment).delete()


@transaction.atomic
def waiting_offer_make(*, calendar: Calendar, start: datetime, now=None):
    """Give the freed place at ``start`` to the first waiting citizen whose appointment is later: an exclusive
    hold of ``WAITING_OFFER_MINUTES`` and an e-mail with a one-click move. None when nobody fits or the place
    is gone; an expired offer frees the place again, which offers it to the next in line."""
    from .models import WaitingEntry
    from .tasks import waiting_offer_notify

    now = now or timezone.now()
    entries = (
        WaitingEntry.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(
            appointment__calendar=calendar,
            appointment__state__in=[State.PENDING, State.APPROVED],
            appointment__start__gt=start,
        )
        .exclude(offered_start=start)
        .exclude(offer__state=State.HELD)
        .select_related("appointment")
        .order_by("created_at", "pk")
    )
    entry = entries.first()
    if entry is None:
        return None
    original = entry.appointment
    try:
        with transaction.atomic():
            offer = appointment_hold(
                calendar=calendar,
                start=start,
                service=original.service,
                citizen=original.citizen,
                now=now,
                minutes=WAITING_OFFER_MINUTES,
            )
    except SlotUnavailable:
        return None
    Appointment.objects.filter(pk=offer.pk).update(
        first_name=original.first_name, last_name=original.last_name, email=original.email
    )
    entry.offer, entry.offered_start = offer, start
    entry.save(update_fields=["offer", "offered_start"])
    waiting_offer_notify.enqueue(entry_id=entry.pk)
    return entry


@transaction.atomic
def waiting_offer_accept(*, entry, now=None) -> Appointment:
    """The one-click move: the offer's place passes to the appointment, whose old place is freed."""
    from .models import WaitingEntry

    now = now or timezone.now()
    entry = (
        WaitingEntry.objects.select_for_update(of=("self",))
        .select_related("offer", "appointment")
        .get(pk=entry.pk)
    )
    if entry.offer is None:
        raise SlotUnavailable()
    offer, original = _locked(entry.offer), _locked(entry.appointment)
    if offer.state != State.HELD or offer.hold_until <= now:
        raise SlotUnavailable(_("L'offerta è scaduta: il posto è stato proposto ad altri."))
    _check(original, "reschedule", user=original.citizen, actor=Actor.CITIZEN)
    old_start = original.start
    original.reservations.all().delete()
    offer.reservations.update(appointment=original, hold_until=None)
    original.start, original.end = offer.start, offer.end
    original.sequence += 1
    _fire(original, "reschedule", user=original.citizen, actor=Actor.CITIZEN)
    _fire(offer, "release", actor=Actor.SYSTEM, motivation=_("Spostamento accettato"), notify=False)
    entry.delete()  # moved: the citizen is no longer waiting
    _place_freed(original.calendar, old_start)
    _schedule_reminder(original, now)
    return original
