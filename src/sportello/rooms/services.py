"""Writes on rooms and room bookings. Each function owns its transaction.

No overlap is checked before inserting: each range is inserted in its own savepoint and the database (exclusion
constraint on PostgreSQL, triggers on SQLite, migration 0002) refuses an overlap with ``IntegrityError``, which
becomes ``RoomTaken`` naming the clashing ranges. A recurring request inserts all its dates in one transaction:
all or none.
"""

import uuid
from datetime import time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sportello.scheduling.holidays import italian_holidays

from . import pricing, states
from .models import (
    ApplicantKind,
    Category,
    ElectionPeriod,
    Room,
    RoomBooking,
    RoomBookingEvent,
    RoomClosure,
    RoomOccupancy,
    RoomPhoto,
    RoomReminder,
    RoomSeason,
    RoomTariff,
)
from .states import ACTIVE, Actor, State

DEADLOCK_RETRIES = 5
DECLARATIONS = ("capacity", "no_smoking", "no_posters", "insurance", "permits")


class RoomTaken(Exception):
    """Some of the asked ranges are taken; ``clashes`` lists them as (start, end) pairs."""

    def __init__(self, clashes):
        super().__init__(clashes)
        self.clashes = clashes

    def message(self) -> str:
        days = ", ".join(
            f"{timezone.localtime(s):%d/%m/%Y %H:%M}-{timezone.localtime(e):%H:%M}" for s, e in self.clashes
        )
        return _("La sala non è libera in questi orari: %(days)s. Non è stato prenotato nulla.") % {
            "days": days
        }


# --- regulation and tariffs of a room, as the pure functions' values ---


def _time(text: str):
    return time.fromisoformat(text)


def regulation(room: Room) -> pricing.Regulation:
    return pricing.Regulation(
        unit=room.unit,
        weekdays=frozenset(room.weekdays),
        opens_at=room.opens_at,
        closes_at=room.closes_at,
        min_units=room.min_units,
        max_units=room.max_units,
        min_notice_days=room.min_notice_days,
        max_notice_days=room.max_notice_days,
        bands=tuple((_time(a), _time(b)) for a, b in room.bands or ()),
        closures=tuple((c.start, c.end) for c in room.closures.all()),
        holidays_closed=room.holidays_closed,
    )


def tariffs(room: Room) -> pricing.Tariffs:
    seasons = list(room.seasons.all())
    names = {season.pk: season.name for season in seasons}
    return pricing.Tariffs(
        unit=room.unit,
        rates={(t.category, names.get(t.season_id)): t.rate_cents for t in room.tariffs.all()},
        seasons=tuple(
            pricing.Season(s.name, (s.start_month, s.start_day), (s.end_month, s.end_day)) for s in seasons
        ),
        weekend_surcharge_percent=room.weekend_surcharge_percent,
        minimum_cents=room.minimum_charge_cents,
        deposit_cents=room.deposit_cents,
        bands=tuple((_time(a), _time(b)) for a, b in room.bands or ()),
    )


def is_holiday(day) -> bool:
    return day in italian_holidays(day.year)


def election_days(municipality):
    periods = [(p.start, p.end) for p in ElectionPeriod.objects.for_municipality(municipality)]
    return lambda day: any(start <= day <= end for start, end in periods)


def quote_for(booking: RoomBooking, ranges=None) -> pricing.Quote:
    ranges = ranges or [(o.start, o.end) for o in booking.occupancies.all()]
    return pricing.quote(
        tariffs(booking.room),
        category=booking.category,
        ranges=ranges,
        holidays=is_holiday,
        patronage=booking.patronage,
        election=election_days(booking.municipality),
    )


# --- transitions ---


def _fire(booking, name, *, actor_kind, user=None, note=""):
    from .tasks import room_booking_notify

    target = states.check(name, booking.state, actor_kind, note)
    event = RoomBookingEvent.objects.create(
        booking=booking, actor=user, transition=name, from_state=booking.state, to_state=target, note=note
    )
    booking.state = target
    booking.sequence += 1
    if target not in ACTIVE:
        booking.hold_until = None
        booking.payment_grace_until = None
        booking.occupancies.update(active=False)
        RoomReminder.objects.filter(booking=booking, sent_at__isnull=True).delete()
    if target == State.CONFIRMED:
        booking.payment_grace_until = None
        _reminders_schedule(booking)
    booking.save()
    room_booking_notify.enqueue(event_id=event.pk)  # in this transaction: sent if and only if it commits
    return booking


def _reminders_schedule(booking) -> None:
    """One reminder per date of a confirmed booking, ``room.reminder_hours`` before it (none already due)."""
    hours = booking.room.reminder_hours
    if not hours:
        return
    now = timezone.now()
    for occupancy in booking.occupancies.filter(active=True):
        send_at = occupancy.start - timedelta(hours=hours)
        if send_at > now:
            RoomReminder.objects.get_or_create(
                occupancy=occupancy, defaults={"booking": booking, "send_at": send_at}
            )


def _locked(booking) -> RoomBooking:
    return (
        RoomBooking.objects.select_for_update(of=("self",))
        .select_related("room", "municipality")
        .get(pk=booking.pk)
    )


def _release_expired_holds(room, ranges, now):
    """Holds of this room past their time that overlap the asked ranges: expired in this transaction
    (rows being confirmed are locked and skipped, never stolen)."""
    expired = (
        RoomBooking.objects.select_for_update(skip_locked=True)
        .filter(room=room, state=State.HELD, hold_until__lt=now)
        .filter(pk__in=_overlapping(room, ranges).values("booking_id"))
    )
    for booking in expired:
        _fire(booking, "expire", actor_kind=Actor.SYSTEM)


def _overlapping(room, ranges):
    from django.db.models import Q

    condition = Q()
    for start, end in ranges:
        condition |= Q(start__lt=end, end__gt=start)
    return RoomOccupancy.objects.filter(room=room, active=True).filter(condition)


def _insert_ranges(room, ranges, *, booking=None, reason="", user=None):
    """Insert each range in its savepoint; the database refuses overlaps. All or nothing: raise RoomTaken."""
    clashes = []
    for start, end in ranges:
        for attempt in range(DEADLOCK_RETRIES):
            try:
                with transaction.atomic():
                    RoomOccupancy.objects.create(
                        room=room, start=start, end=end, booking=booking, reason=reason, created_by=user
                    )
            except IntegrityError:
                clashes.append((start, end))
            except OperationalError as error:
                # PostgreSQL: two transactions inserting overlapping ranges at once may each wait for the
                # other's exclusion check; one gets "deadlock detected". Its savepoint is rolled back and the
                # insert tried again: it then waits for the survivor and is refused or accepted by the constraint.
                cause = error.__cause__
                code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
                deadlock = code == "40P01" or "deadlock detected" in str(error)
                if not deadlock or attempt == DEADLOCK_RETRIES - 1:
                    raise
                continue
            break
    if clashes:
        raise RoomTaken(clashes)


def _room_queue(room, ranges, now) -> None:
    """Bookings of one room queue on its row before inserting: concurrent inserts of overlapping ranges would
    otherwise make PostgreSQL's exclusion checks wait for each other (deadlock detected). The check is still the
    database's: nothing is read before inserting, the constraint refuses the overlap. Expired holds in the way
    are released first."""
    Room.objects.select_for_update().get(pk=room.pk)
    _release_expired_holds(room, ranges, now)


def _validate_ranges(room, ranges, now, *, notice=True):
    if not ranges:
        raise ValidationError(_("Scegli almeno una data."))
    if len(ranges) > 60:
        raise ValidationError(_("Al massimo 60 date per richiesta."))
    rules = regulation(room)
    errors = []
    for start, end in ranges:
        for error in pricing.check_range(rules, start, end, now=now, holidays=is_holiday, notice=notice):
            errors.append(f"{timezone.localtime(start):%d/%m/%Y}: {error}" if len(ranges) > 1 else error)
    if errors:
        raise ValidationError(errors)


def _validate_request(room, ranges, category, now, *, notice=True):
    """The regulation's checks of the asked ranges (``notice=False``: the office, exempt from the notice window),
    and the category admitted by the room's tariffs."""
    if category not in Category.values:
        raise ValidationError(_("Scegli la categoria del richiedente."))
    _validate_ranges(room, ranges, now, notice=notice)
    try:
        pricing.quote(tariffs(room), category=category, ranges=ranges)
    except pricing.NotAdmitted:
        raise ValidationError(
            _("La sala non è concessa alla categoria «%(category)s».")
            % {"category": Category(category).label}
        ) from None


@transaction.atomic
def room_booking_hold(*, room, citizen, ranges, category, now=None) -> RoomBooking:
    """Hold [start, end) ranges of ``room`` (one, or one per date of a recurring request) while the citizen
    completes the request. Refused with the regulation's reasons, or ``RoomTaken`` naming the clashing dates."""
    now = now or timezone.now()
    ranges = sorted(ranges)
    _validate_request(room, ranges, category, now)
    _room_queue(room, ranges, now)
    booking = RoomBooking.objects.create(
        municipality=room.municipality,
        room=room,
        citizen=citizen,
        state=State.HELD,
        hold_until=now + timedelta(minutes=room.hold_minutes),
        first_start=ranges[0][0],
        category=category,
        applicant_name=(citizen.get_full_name() or citizen.username) if citizen else "",
        applicant_fiscal_code=getattr(citizen, "fiscal_code", "") or "",
        applicant_email=getattr(citizen, "email", "") or "",
    )
    RoomBookingEvent.objects.create(booking=booking, actor=citizen, transition="hold", to_state=State.HELD)
    _insert_ranges(room, ranges, booking=booking, user=citizen)
    return booking


@transaction.atomic
def room_booking_details_save(*, booking, citizen, values: dict, now=None) -> RoomBooking:
    """The request's details while it is held: purpose, programme, attendance, equipment, declarations and the
    applicant (a person, or an organisation with its legal representative)."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.citizen_id != citizen.pk or booking.state != State.HELD:
        raise ValidationError(_("Questa richiesta non si può più modificare."))
    if booking.hold_until and booking.hold_until < now:
        raise ValidationError(_("Il tempo per completare la richiesta è scaduto: scegli di nuovo l'orario."))
    errors = _details_errors(booking.room, values)
    if errors:
        raise ValidationError(errors)
    _details_set(booking, values)
    booking.save()
    return booking


DETAIL_FIELDS = (
    "purpose",
    "programme",
    "attendance",
    "equipment",
    "declarations",
    "applicant_kind",
    "organisation_name",
    "organisation_fiscal_code",
    "legal_representative",
    "patronage_requested",
    "patronage_motivation",
)


def _details_errors(room, values: dict) -> dict:
    errors = {}
    attendance = values.get("attendance")
    if attendance and attendance > room.capacity:
        errors["attendance"] = _("La sala ospita al massimo %(n)s persone.") % {"n": room.capacity}
    missing = [d for d in DECLARATIONS if d not in values.get("declarations", [])]
    if missing:
        errors["declarations"] = _("Servono tutte le dichiarazioni previste dal regolamento.")
    if values.get("applicant_kind") == ApplicantKind.ORGANISATION:
        for name in ("organisation_name", "organisation_fiscal_code", "legal_representative"):
            if not values.get(name):
                errors[name] = _("Obbligatorio per un'associazione, un ente o un'impresa.")
    if values.get("patronage_requested"):
        if not room.moderated:
            errors["patronage_requested"] = _(
                "Per questa sala il patrocinio non si chiede nella prenotazione."
            )
        elif not (values.get("patronage_motivation") or "").strip():
            errors["patronage_motivation"] = _("Spiega in breve perché chiedi il patrocinio.")
        elif len(values["patronage_motivation"]) > 1000:
            errors["patronage_motivation"] = _("Al massimo 1000 caratteri.")
    unknown = set(values.get("equipment", [])) - set(room.equipment_list)
    if unknown:
        errors["equipment"] = _("Dotazione non disponibile in questa sala.")
    return errors


def _details_set(booking, values: dict) -> None:
    for name in DETAIL_FIELDS:
        if name in values:
            setattr(booking, name, values[name] if values[name] is not None else getattr(booking, name))
    if booking.applicant_kind == ApplicantKind.PERSON:
        booking.organisation_name = booking.organisation_fiscal_code = booking.legal_representative = ""
    booking.patronage_motivation = booking.patronage_motivation.strip() if booking.patronage_requested else ""


def _debtor(booking):
    if booking.applicant_kind == ApplicantKind.ORGANISATION and booking.organisation_fiscal_code:
        return booking.organisation_fiscal_code, booking.organisation_name
    return booking.applicant_fiscal_code, booking.applicant_name


def _position(booking, *, kind, lines, due, actor=None):
    """One debt position of ``booking`` (``kind``: fee or deposit) through the payments domain."""
    from sportello.payments import services as payments

    room = booking.room
    first_day = timezone.localtime(booking.first_start).date()
    label = f"{room.name} {first_day:%d/%m/%Y}"
    fiscal_code, name = _debtor(booking)
    description = _("Tariffa %(label)s") if kind == "fee" else _("Cauzione %(label)s")
    return payments.payment_position_create(
        municipality=booking.municipality,
        lines=lines,
        description=description % {"label": label},
        purpose=f"room:{kind}",
        due_date=due,
        debtor_fiscal_code=fiscal_code,
        debtor_name=name,
        debtor_email=booking.applicant_email,
        actor=actor,
    )


def _create_payments(booking, *, actor=None):
    """The fee and the deposit as two debt positions through the payments domain, linked from the booking."""
    room = booking.room
    today = timezone.localdate()
    first_day = timezone.localtime(booking.first_start).date()
    due = max(today, min(today + timedelta(days=7), first_day - timedelta(days=1)))
    for kind, cents, label, capitolo, taxonomy_code in (
        ("fee", booking.fee_cents, _("Uso sala %(room)s"), room.fee_capitolo, room.fee_taxonomy_code),
        (
            "deposit",
            booking.deposit_cents,
            _("Cauzione sala %(room)s"),
            room.deposit_capitolo,
            room.deposit_taxonomy_code,
        ),
    ):
        if cents:
            budget = {
                "description": label % {"room": room.name},
                "capitolo": capitolo,
                "taxonomy_code": taxonomy_code,
            }
            position = _position(booking, kind=kind, lines=[(budget, cents)], due=due, actor=actor)
            setattr(booking, f"{kind}_payment", position)
    booking.save(update_fields=["fee_payment", "deposit_payment", "updated_at"])


def _price(booking):
    quote = quote_for(booking)
    booking.quote = quote.as_json()
    booking.fee_cents, booking.deposit_cents = quote.fee_cents, quote.deposit_cents


@transaction.atomic
def room_booking_submit(*, booking, citizen, now=None) -> RoomBooking:
    """Send the request: a moderated room waits for the office ("Richiesta inviata"); otherwise the fee and
    deposit are asked at once (or, when nothing is due, the booking is confirmed)."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.citizen_id != citizen.pk or booking.state != State.HELD:
        raise ValidationError(_("Questa richiesta è già stata inviata o non è più valida."))
    if booking.hold_until and booking.hold_until < now:
        raise ValidationError(_("Il tempo per completare la richiesta è scaduto: scegli di nuovo l'orario."))
    if not booking.purpose or set(DECLARATIONS) - set(booking.declarations):
        raise ValidationError(_("Completa i dettagli della richiesta."))
    _price(booking)
    booking.save()
    if booking.room.moderated:
        return _fire(booking, "request", actor_kind=Actor.CITIZEN, user=citizen)
    if booking.fee_cents + booking.deposit_cents == 0:
        return _fire(booking, "confirm_free", actor_kind=Actor.CITIZEN, user=citizen)
    _fire(booking, "await_payment", actor_kind=Actor.CITIZEN, user=citizen)
    _create_payments(booking, actor=citizen)
    return booking


@transaction.atomic
def room_booking_approve(*, booking, user, patronage: bool | None = None, now=None) -> RoomBooking:
    """The office approves a request (granting the municipality's patronage, which makes the fee free, if asked).
    Inside this transaction, with the room row locked (approvals of one room queue), it re-checks that the
    ranges are still allowed and that no other active range overlaps them."""
    now = now or timezone.now()
    Room.objects.select_for_update().get(pk=booking.room_id)
    booking = _locked(booking)
    states.check("approve", booking.state, Actor.OFFICE)
    ranges = [(o.start, o.end) for o in booking.occupancies.all()]
    clashes = [(o.start, o.end) for o in _overlapping(booking.room, ranges).exclude(booking=booking)]
    if clashes:
        raise RoomTaken(clashes)
    rules = regulation(booking.room)
    closed = [r for r in ranges if any(a <= timezone.localtime(r[0]).date() <= b for a, b in rules.closures)]
    if closed:
        raise ValidationError(_("La sala è stata chiusa in una delle date richieste: rifiuta la richiesta."))
    if patronage is not None and patronage != booking.patronage:
        booking.patronage = patronage
        _price(booking)
        booking.save()
    if booking.fee_cents + booking.deposit_cents == 0:
        return _fire(booking, "confirm_free", actor_kind=Actor.OFFICE, user=user)
    _fire(booking, "approve", actor_kind=Actor.OFFICE, user=user)
    _create_payments(booking, actor=user)
    return booking


def _applicant_errors(values: dict) -> dict:
    """The applicant the office types in: a person (name, fiscal code, e-mail) or an organisation with its
    fiscal code (11 digits, or a person's 16 characters for a sole trader) and its legal representative."""
    from sportello.formschema.validators import validate_fiscal_code
    from sportello.municipalities.validators import validate_numeric_fiscal_code

    errors = {}
    if not values.get("applicant_name", "").strip():
        errors["applicant_name"] = _("Indica nome e cognome del richiedente.")
    try:
        validate_fiscal_code(values.get("applicant_fiscal_code", ""))
    except ValidationError as error:
        errors["applicant_fiscal_code"] = error.messages
    if not values.get("applicant_email"):
        errors["applicant_email"] = _("Indica l'e-mail a cui inviare la conferma e l'avviso di pagamento.")
    if values.get("applicant_kind") == ApplicantKind.ORGANISATION:
        code = values.get("organisation_fiscal_code", "")
        try:
            (validate_fiscal_code if len(code) == 16 else validate_numeric_fiscal_code)(code)
        except ValidationError as error:
            errors["organisation_fiscal_code"] = error.messages
    return errors


@transaction.atomic
def room_booking_office_book(
    *, room, user, ranges, category, applicant: dict, details: dict, channel: str = "", now=None
) -> RoomBooking:
    """The office books on behalf of a citizen or an association (a phone or desk request).

    The same regulation checks (except the citizens' minimum and maximum notice: a range not yet begun is enough)
    and the same database constraint as a citizen's request (``RoomTaken`` names the
    clashing dates, nothing is booked); the booking is approved at once: the fee and deposit positions are
    created with the applicant as debtor, who gets the e-mail with the notice and the signed link to pay; a free
    booking is confirmed at once. The history records the office member who made it."""
    now = now or timezone.now()
    ranges = sorted(ranges)
    values = {**details, **applicant}
    values["applicant_fiscal_code"] = values.get("applicant_fiscal_code", "").strip().upper()
    values["organisation_fiscal_code"] = values.get("organisation_fiscal_code", "").strip().upper()
    errors = {**_details_errors(room, values), **_applicant_errors(values)}
    if not values.get("purpose", "").strip():
        errors["purpose"] = _("Indica la finalità dell'uso.")
    if errors:
        raise ValidationError(errors)
    # A desk or phone request is not held to the citizens' notice window (tomorrow, or next year's season);
    # hours, closures, units and durations apply, and reserved periods through the constraint.
    _validate_request(room, ranges, category, now, notice=False)
    _room_queue(room, ranges, now)
    booking = RoomBooking(
        municipality=room.municipality,
        room=room,
        citizen=None,
        state=State.HELD,
        first_start=ranges[0][0],
        category=category,
        applicant_name=" ".join(values["applicant_name"].split()),
        applicant_fiscal_code=values["applicant_fiscal_code"],
        applicant_email=values["applicant_email"],
    )
    _details_set(booking, values)
    booking.save()
    note = _("Prenotazione inserita dall'ufficio per conto del richiedente")
    RoomBookingEvent.objects.create(
        booking=booking,
        actor=user,
        transition="office_book",
        to_state=State.HELD,
        note=f"{note} ({channel})" if channel else note,
    )
    _insert_ranges(room, ranges, booking=booking, user=user)
    _price(booking)
    booking.save()
    if booking.fee_cents + booking.deposit_cents == 0:
        return _fire(booking, "confirm_free", actor_kind=Actor.OFFICE, user=user)
    _create_payments(booking, actor=user)  # first, so that the e-mail of the approval names the notices
    return _fire(booking, "office_approve", actor_kind=Actor.OFFICE, user=user)


@transaction.atomic
def room_booking_refuse(*, booking, user, motivation: str) -> RoomBooking:
    if not motivation.strip():
        raise ValidationError({"motivation": _("Scrivi la motivazione del rifiuto.")})
    booking = _locked(booking)
    booking.motivation = motivation.strip()
    return _fire(booking, "refuse", actor_kind=Actor.OFFICE, user=user, note=motivation.strip())


@transaction.atomic
def room_booking_cancel(*, booking, user, by_office=False, motivation="", now=None) -> RoomBooking:
    """Cancel (citizen or office): the ranges free at once, open payments are cancelled, and the regulation's
    refund rule is applied to the fee paid (the deposit, if paid, is returned through the deposit refund)."""
    from sportello.payments import services as payments
    from sportello.payments.models import Status

    now = now or timezone.now()
    booking = _locked(booking)
    if not by_office and booking.citizen_id != getattr(user, "pk", None):
        raise ValidationError(_("Questa prenotazione non è tua."))
    if not by_office and booking.first_start <= now:
        raise ValidationError(_("La prenotazione è già iniziata: non si può più annullare."))
    paid = 0
    if booking.fee_payment is not None and booking.fee_payment.status == Status.PAID:
        paid = booking.fee_payment.paid_cents or booking.fee_payment.amount_cents
    room = booking.room
    rule = pricing.refund(
        paid_cents=paid,
        start=booking.first_start,
        now=now,
        full_refund_days=room.full_refund_days,
        late_refund_percent=100 if by_office else room.late_refund_percent,
    )
    booking.refund_cents = rule.cents if paid else None
    if motivation:
        booking.motivation = motivation
    _fire(
        booking,
        "cancel",
        actor_kind=Actor.OFFICE if by_office else Actor.CITIZEN,
        user=user,
        note=" ".join(filter(None, [motivation, rule.explanation])),
    )
    for payment in (booking.fee_payment, booking.deposit_payment):
        if payment is not None and payment.is_open:
            payments.payment_cancel(payment=payment, user=user, note=_("Prenotazione della sala annullata"))
    return booking


def _grace_until(booking, now):
    """Until when a booking whose payment failed stays held: the room's grace period, never past its start."""
    return min(now + timedelta(hours=booking.room.payment_grace_hours), booking.first_start)


def _current(booking, payment) -> str | None:
    """ "fee" or "deposit" when ``payment`` is the booking's current position of that kind, else None."""
    if booking.fee_payment_id == payment.pk:
        return "fee"
    if booking.deposit_payment_id == payment.pk:
        return "deposit"
    return None


def _late_paid(booking, payment, why: str) -> None:
    """Money that arrived for a booking that can no longer use it: recorded for the office to refund."""
    booking.late_paid_cents += payment.paid_cents or payment.amount_cents
    booking.save(update_fields=["late_paid_cents", "updated_at"])
    RoomBookingEvent.objects.create(
        booking=booking,
        transition="late_payment",
        from_state=booking.state,
        to_state=booking.state,
        note=_("%(why)s: %(amount)s da rimborsare (avviso %(notice)s).")
        % {
            "why": why,
            "amount": pricing.euro(payment.paid_cents or payment.amount_cents),
            "notice": payment.notice_number,
        },
    )


def room_booking_payment_settled(*, payment, status, now=None) -> None:
    """A fee or deposit became final (``payments.signals.payment_settled``, inside its transaction).

    Paid: when every payment due is paid the booking is confirmed. A "paid" may arrive late and out of order for
    a position that "Paga di nuovo" replaced: while the booking still waits for that payment, the late position
    takes the place of the new one (which is cancelled); otherwise (already paid, or the booking was released)
    the amount is recorded as to refund, never lost. Failed or expired: the booking stays held for the grace
    period and the citizen may pay again; a cancelled position (by the office or by a replacement) changes
    nothing here."""
    from django.db.models import Q

    from sportello.payments import services as payments
    from sportello.payments.models import Status

    now = now or timezone.now()
    linked = RoomBooking.objects.select_for_update(of=("self",)).select_related(
        "room", "fee_payment", "deposit_payment"
    )
    condition = Q(fee_payment=payment) | Q(deposit_payment=payment) | Q(replaced_payments=payment)
    ids = RoomBooking.objects.filter(condition).values("pk")  # a subquery: FOR UPDATE refuses DISTINCT
    for booking in linked.filter(pk__in=ids):
        kind = _current(booking, payment)
        if status == Status.PAID:
            if booking.state != State.APPROVED:
                _late_paid(booking, payment, _("Pagamento arrivato dopo la chiusura della prenotazione"))
                continue
            if kind is None:  # a replaced position paid late
                kind = payment.purpose.removeprefix("room:")
                current = getattr(booking, f"{kind}_payment")
                if current is not None and current.status == Status.PAID:
                    _late_paid(booking, payment, _("Pagamento doppio"))
                    continue
                setattr(booking, f"{kind}_payment", payment)
                booking.save(update_fields=[f"{kind}_payment", "updated_at"])
                if current is not None:
                    booking.replaced_payments.add(current)
                    if current.is_open:
                        payments.payment_cancel(
                            payment=current, user=None, note=_("Sostituito da un pagamento precedente")
                        )
            due = [p for p in (booking.fee_payment, booking.deposit_payment) if p is not None]
            if all(p.status == Status.PAID or p.pk == payment.pk for p in due):
                _fire(booking, "paid", actor_kind=Actor.SYSTEM)
        elif kind and booking.state == State.APPROVED:  # failed, expired, or cancelled at the payments office
            booking.payment_grace_until = booking.payment_grace_until or _grace_until(booking, now)
            _fire(booking, "payment_failed", actor_kind=Actor.SYSTEM, note=_("Pagamento non riuscito"))
            if booking.payment_grace_until <= now:
                _room_booking_release(booking)


@transaction.atomic
def room_booking_pay_again(*, booking, citizen, now=None) -> RoomBooking:
    """ "Paga di nuovo": new positions with the same lines for each payment that failed or expired, while the
    grace period lasts. The old positions stay linked (a late "paid" on one of them still counts)."""
    from sportello.payments.models import BUDGET_FIELDS, Status

    now = now or timezone.now()
    booking = _locked(booking)
    if booking.citizen_id != citizen.pk:
        raise ValidationError(_("Questa prenotazione non è tua."))
    if booking.state != State.APPROVED or booking.payment_grace_until is None:
        raise ValidationError(_("Non c'è nessun pagamento da ripetere per questa prenotazione."))
    if booking.payment_grace_until <= now:
        raise ValidationError(_("Il tempo per pagare di nuovo è scaduto: la sala è stata liberata."))
    failed = [
        (kind, payment)
        for kind, payment in (("fee", booking.fee_payment), ("deposit", booking.deposit_payment))
        if payment is not None and payment.status in (Status.FAILED, Status.EXPIRED, Status.CANCELLED)
    ]
    if not failed:
        raise ValidationError(_("Non c'è nessun pagamento da ripetere per questa prenotazione."))
    due = max(timezone.localdate(), timezone.localtime(booking.payment_grace_until).date())
    for kind, old in failed:
        lines = [
            ({f: getattr(line, f) for f in BUDGET_FIELDS if f != "amount_cents"}, line.amount_cents)
            for line in old.lines.order_by("transfer_index")
        ]
        setattr(
            booking, f"{kind}_payment", _position(booking, kind=kind, lines=lines, due=due, actor=citizen)
        )
        booking.replaced_payments.add(old)
    booking.save(update_fields=["fee_payment", "deposit_payment", "updated_at"])
    return _fire(booking, "pay_again", actor_kind=Actor.CITIZEN, user=citizen)


def _room_booking_release(booking) -> RoomBooking:
    """The grace period ended unpaid: the ranges free, the open positions are cancelled, the citizen is told."""
    from sportello.payments import services as payments

    _fire(
        booking,
        "release",
        actor_kind=Actor.SYSTEM,
        note=_("Il pagamento non è arrivato entro il termine: la sala è stata liberata."),
    )
    for payment in (booking.fee_payment, booking.deposit_payment):
        if payment is not None and payment.is_open:
            payments.payment_cancel(payment=payment, user=None, note=_("Prenotazione della sala liberata"))
    return booking


def room_payment_grace_release_expired(*, now=None) -> int:
    """Periodic: bookings whose grace period to pay again ended unpaid are released."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for booking in (
            RoomBooking.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("room", "fee_payment", "deposit_payment")
            .filter(state=State.APPROVED, payment_grace_until__lte=now)
        ):
            _room_booking_release(booking)
            count += 1
    return count


def room_holds_release_expired(*, now=None) -> int:
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for booking in RoomBooking.objects.select_for_update(skip_locked=True).filter(
            state=State.HELD, hold_until__lt=now
        ):
            _fire(booking, "expire", actor_kind=Actor.SYSTEM)
            count += 1
    return count


# --- the office's records ---


def _office_record(booking, **changes):
    booking = _locked(booking)
    if booking.state != State.CONFIRMED:
        raise ValidationError(_("Si registra solo per una prenotazione confermata."))
    for name, value in changes.items():
        setattr(booking, name, value)
    booking.save()
    return booking


@transaction.atomic
def room_booking_keys_handed(*, booking, user, now=None):
    RoomBookingEvent.objects.create(
        booking=booking, actor=user, transition="keys_handed", to_state=booking.state
    )
    return _office_record(booking, keys_handed_at=now or timezone.now())


@transaction.atomic
def room_booking_keys_returned(*, booking, user, now=None):
    if _locked(booking).keys_handed_at is None:
        raise ValidationError(_("Le chiavi non risultano consegnate."))
    RoomBookingEvent.objects.create(
        booking=booking, actor=user, transition="keys_returned", to_state=booking.state
    )
    return _office_record(booking, keys_returned_at=now or timezone.now())


@transaction.atomic
def room_booking_damage_check(*, booking, user, notes: str, withheld_cents: int, now=None):
    booking = _locked(booking)
    if withheld_cents < 0 or withheld_cents > booking.deposit_cents:
        raise ValidationError({"withheld": _("La trattenuta non può superare la cauzione.")})
    if withheld_cents and not notes.strip():
        raise ValidationError({"notes": _("Descrivi i danni che motivano la trattenuta.")})
    RoomBookingEvent.objects.create(
        booking=booking, actor=user, transition="damage_check", to_state=booking.state, note=notes
    )
    return _office_record(
        booking,
        damage_checked_at=now or timezone.now(),
        damage_notes=notes.strip(),
        deposit_withheld_cents=withheld_cents,
    )


@transaction.atomic
def room_booking_deposit_refund(*, booking, user, iban: str, now=None):
    """Record the deposit's refund (paid deposit minus what the damage check withheld), for the accounting export."""
    from sportello.formschema.validators import validate_iban
    from sportello.payments.models import Status

    booking = _locked(booking)
    if booking.damage_checked_at is None:
        raise ValidationError(_("Prima registra la verifica dei danni."))
    if booking.deposit_payment is None or booking.deposit_payment.status != Status.PAID:
        raise ValidationError(_("La cauzione non risulta pagata."))
    if booking.deposit_refunded_at is not None:
        raise ValidationError(_("La restituzione della cauzione è già registrata."))
    iban = iban.replace(" ", "").upper()
    validate_iban(iban)
    RoomBookingEvent.objects.create(
        booking=booking, actor=user, transition="deposit_refund", to_state=booking.state
    )
    return _office_record(
        booking,
        deposit_refunded_at=now or timezone.now(),
        deposit_refund_cents=booking.deposit_payment.paid_cents - booking.deposit_withheld_cents,
        deposit_refund_iban=iban,
    )


@transaction.atomic
def reserved_period_add(*, room, start, end, reason: str, user) -> RoomOccupancy:
    """The municipality's own use of the room (council meeting, elections, maintenance), shown as taken."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indica il motivo (es. Consiglio comunale).")})
    if end <= start:
        raise ValidationError(_("L'orario di fine deve essere dopo quello di inizio."))
    Room.objects.select_for_update().get(pk=room.pk)
    _release_expired_holds(room, [(start, end)], timezone.now())
    _insert_ranges(room, [(start, end)], reason=reason.strip()[:140], user=user)
    return RoomOccupancy.objects.get(room=room, start=start, booking=None, active=True)


@transaction.atomic
def reserved_period_remove(*, occupancy, user) -> None:
    if occupancy.booking_id is not None:
        raise ValidationError(_("Non è un periodo riservato dal Comune."))
    occupancy.delete()


# --- rooms and tariffs (administrators) ---


@transaction.atomic
def room_save(*, room: Room) -> Room:
    room.full_clean()
    room.save()
    return room


# --- photos (administrators) ---

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_SIZES = (1600, 480)  # the longest side of the page's image and of the list's thumbnail
PHOTOS_PER_ROOM = 12


def _alt_text(text: str) -> str:
    """The photo's alternative text, required (for whoever cannot see it), spaces collapsed, at most 250."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"alt_text": _("Descrivi la foto per chi non la vede (testo alternativo).")})
    return text[:250]


def room_photo_add(*, room, upload, alt_text: str) -> RoomPhoto:
    """Check the upload (content, size, pixels), re-encode it (no EXIF/GPS, nothing appended) in two sizes and
    store both under random names. The files are removed again if the row is not saved."""
    from django.core.files.base import ContentFile

    from sportello.core.uploads import image_checked

    alt_text = _alt_text(alt_text)
    if room.photos.count() >= PHOTOS_PER_ROOM:
        raise ValidationError(_("Al massimo %(n)s foto per sala.") % {"n": PHOTOS_PER_ROOM})
    image, thumbnail = image_checked(
        upload, max_bytes=PHOTO_MAX_BYTES, max_pixels=PHOTO_MAX_PIXELS, sizes=PHOTO_SIZES
    )
    name = uuid.uuid4().hex
    photo = RoomPhoto(
        room=room,
        width=image.width,
        height=image.height,
        thumbnail_width=thumbnail.width,
        thumbnail_height=thumbnail.height,
        alt_text=alt_text,
    )
    photo.image.save(f"rooms/photos/{name}.{image.extension}", ContentFile(image.content), save=False)
    photo.thumbnail.save(
        f"rooms/photos/{name}-small.{thumbnail.extension}", ContentFile(thumbnail.content), save=False
    )
    try:
        with transaction.atomic():
            Room.objects.select_for_update().get(pk=room.pk)
            last = room.photos.order_by("-position").values_list("position", flat=True).first()
            photo.position = 0 if last is None else last + 1
            photo.save()
    except BaseException:
        _photo_files_delete(photo)
        raise
    return photo


def _photo_files_delete(photo) -> None:
    for field in (photo.image, photo.thumbnail):
        if field.name:
            field.storage.delete(field.name)


@transaction.atomic
def room_photo_describe(*, photo, alt_text: str) -> RoomPhoto:
    alt_text = _alt_text(alt_text)
    photo.alt_text = alt_text
    photo.save(update_fields=["alt_text"])
    return photo


@transaction.atomic
def room_photo_move(*, photo, offset: int) -> None:
    """Move a photo up (-1) or down (+1) in its room's order; the positions are renumbered 0..n-1."""
    Room.objects.select_for_update().get(pk=photo.room_id)
    photos = list(RoomPhoto.objects.filter(room_id=photo.room_id).order_by("position", "pk"))
    index = next(i for i, p in enumerate(photos) if p.pk == photo.pk)
    target = min(max(index + offset, 0), len(photos) - 1)
    photos.insert(target, photos.pop(index))
    for position, item in enumerate(photos):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def room_photo_delete(*, photo) -> None:
    """Delete the row; its files go once the deletion is committed."""
    photo.delete()
    transaction.on_commit(lambda: _photo_files_delete(photo))


@transaction.atomic
def room_tariffs_save(*, room, rates: dict) -> None:
    """``rates`` maps (category, season id or None) to cents, or None to remove the tariff (category excluded)."""
    seasons = {s.pk for s in room.seasons.all()}
    for (category, season_id), cents in rates.items():
        if category not in Category.values or (season_id is not None and season_id not in seasons):
            raise ValidationError(_("Tariffa non valida."))
        RoomTariff.objects.filter(room=room, category=category, season_id=season_id).delete()
        if cents is not None:
            RoomTariff.objects.create(room=room, category=category, season_id=season_id, rate_cents=cents)


@transaction.atomic
def room_season_add(*, room, name, start_month, start_day, end_month, end_day) -> RoomSeason:
    season = RoomSeason(
        room=room,
        name=name,
        start_month=start_month,
        start_day=start_day,
        end_month=end_month,
        end_day=end_day,
    )
    season.full_clean()
    season.save()
    return season


@transaction.atomic
def room_closure_add(*, room, start, end, reason="") -> RoomClosure:
    closure = RoomClosure(room=room, start=start, end=end, reason=reason)
    closure.full_clean()
    closure.save()
    return closure


@transaction.atomic
def election_period_add(*, municipality, name, start, end) -> ElectionPeriod:
    period = ElectionPeriod(municipality=municipality, name=name, start=start, end=end)
    period.full_clean()
    period.save()
    return period
