"""Sale (municipal rooms): administrators manage every room and its tariffs; coordinators (operators named on a
room) handle its requests, calendar, reserved periods, keys, damage check and deposit refund."""

import csv
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.accounts.models import Role
from sportello.accounts.roles import has_role
from sportello.core.urlutils import tenant_reverse
from sportello.rooms import pricing, selectors
from sportello.rooms import services as rooms
from sportello.rooms.models import Category, ElectionPeriod, Room, RoomBooking, RoomOccupancy
from sportello.rooms.states import State, TransitionNotAllowed

from ..decorators import admin_required, operator_required
from ..room_forms import DateRangeForm, ReservedForm, RoomForm, SeasonForm

ROME = pricing.ROME


def _rooms(request):
    return Room.objects.managed_by(request.user, request.municipality)


def _room(request, pk) -> Room:
    room = _rooms(request).filter(pk=pk).first()
    if room is None:
        raise Http404("No such room for this user")
    return room


def _booking(request, pk) -> RoomBooking:
    booking = (
        RoomBooking.objects.filter(room__in=_rooms(request), pk=pk)
        .select_related("room", "citizen", "fee_payment", "deposit_payment")
        .first()
    )
    if booking is None:
        raise Http404("No such booking for this user")
    return booking


def _is_admin(request):
    return has_role(request.user, request.municipality, Role.ADMIN)


def _url(request, name, **kwargs):
    return tenant_reverse(name, request.municipality, **kwargs)


def _errors(request, error):
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))


@never_cache
@operator_required
def room_list(request):
    elections = ElectionPeriod.objects.for_municipality(request.municipality)
    form = DateRangeForm(request.POST or None)
    if request.method == "POST":
        if not _is_admin(request):
            raise Http404
        if form.is_valid() and form.cleaned_data["reason"]:
            rooms.election_period_add(
                municipality=request.municipality,
                name=form.cleaned_data["reason"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
            messages.success(request, _("Periodo elettorale aggiunto."))
            return redirect(_url(request, "backoffice:room_list"))
        messages.error(request, _("Indica consultazione, inizio e fine del periodo elettorale."))
    return render(
        request,
        "backoffice/rooms/list.html",
        {
            "rooms": _rooms(request),
            "is_admin": _is_admin(request),
            "pending": RoomBooking.objects.filter(room__in=_rooms(request), state=State.REQUESTED).count(),
            "elections": elections,
            "election_form": form,
        },
    )


def _operators(request):
    from sportello.accounts.models import User

    return User.objects.filter(
        memberships__municipality=request.municipality, memberships__role=Role.OPERATOR, is_active=True
    ).order_by("last_name", "username")


@never_cache
@admin_required
def room_edit(request, pk=None):
    room = _room(request, pk) if pk else Room(municipality=request.municipality)
    form = RoomForm(
        request.POST or None,
        request.FILES or None,
        instance=room,
        operators=_operators(request),
        regulation_url=_url(request, "backoffice:room_regulation", pk=room.pk) if room.pk else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            room = form.save(commit=False)
            rooms.room_save(room=room)
            form.save_m2m()
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Sala salvata."))
            return redirect(_url(request, "backoffice:room_tariffs", pk=room.pk))
    return render(request, "backoffice/rooms/edit.html", {"room": room, "form": form})


@never_cache
@admin_required
def room_tariffs(request, pk):
    """The tariff grid: one rate per category, ordinary and per season (empty = the category cannot book);
    the seasons; the closures."""
    room = _room(request, pk)
    seasons = list(room.seasons.all())
    columns = [None, *seasons]
    current = {(t.category, t.season_id): t.rate_cents for t in room.tariffs.all()}
    season_form = SeasonForm(prefix="season")
    closure_form = DateRangeForm(prefix="closure")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rates":
                rates, bad = {}, []
                for category, _label in Category.choices:
                    for season in columns:
                        key = f"rate-{category}-{season.pk if season else 'base'}"
                        raw = request.POST.get(key, "").strip().replace(",", ".")
                        if not raw:
                            rates[(category, season.pk if season else None)] = None
                            continue
                        try:
                            cents = round(float(raw) * 100)
                            if cents < 0:
                                raise ValueError
                        except ValueError:
                            bad.append(raw)
                            continue
                        rates[(category, season.pk if season else None)] = cents
                if bad:
                    raise ValidationError(_("Importi non validi: %(values)s") % {"values": ", ".join(bad)})
                rooms.room_tariffs_save(room=room, rates=rates)
                messages.success(request, _("Tariffe salvate."))
            elif action == "season":
                season_form = SeasonForm(request.POST, prefix="season")
                if not season_form.is_valid():
                    raise ValidationError(_("Controlla i dati della stagione."))
                rooms.room_season_add(room=room, **season_form.cleaned_data)
                messages.success(request, _("Stagione aggiunta."))
            elif action == "season_delete":
                room.seasons.filter(pk=request.POST.get("season")).delete()
            elif action == "closure":
                closure_form = DateRangeForm(request.POST, prefix="closure")
                if not closure_form.is_valid():
                    raise ValidationError(_("Controlla le date della chiusura."))
                rooms.room_closure_add(room=room, **closure_form.cleaned_data)
                messages.success(request, _("Chiusura aggiunta."))
            elif action == "closure_delete":
                room.closures.filter(pk=request.POST.get("closure")).delete()
            return redirect(_url(request, "backoffice:room_tariffs", pk=room.pk))
        except ValidationError as error:
            _errors(request, error)
    grid = [
        {
            "value": value,
            "label": label,
            "cells": [
                {
                    "name": f"rate-{value}-{s.pk if s else 'base'}",
                    "value": ""
                    if current.get((value, s.pk if s else None)) is None
                    else f"{current[(value, s.pk if s else None)] / 100:.2f}",
                    "column": s.name if s else _("Ordinaria"),
                }
                for s in columns
            ],
        }
        for value, label in Category.choices
    ]
    return render(
        request,
        "backoffice/rooms/tariffs.html",
        {
            "room": room,
            "grid": grid,
            "columns": columns,
            "season_form": season_form,
            "closure_form": closure_form,
        },
    )


@never_cache
@operator_required
def room_requests(request):
    bookings = selectors.office_bookings(_rooms(request), state=request.GET.get("stato") or State.REQUESTED)
    return render(
        request,
        "backoffice/rooms/requests.html",
        {
            "bookings": bookings,
            "states": State.choices,
            "state": request.GET.get("stato") or State.REQUESTED,
            "rooms": _rooms(request),
        },
    )


@never_cache
@operator_required
def room_booking(request, pk):
    booking = _booking(request, pk)
    return render(
        request,
        "backoffice/rooms/booking.html",
        {
            "booking": booking,
            "lines": [(line, pricing.euro(line["amount_cents"])) for line in booking.quote.get("lines", [])],
            "fee": pricing.euro(booking.fee_cents),
            "deposit": pricing.euro(booking.deposit_cents),
            "deposit_cents": booking.deposit_cents,
            "withheld": f"{booking.deposit_withheld_cents / 100:.2f}",
            "refund": pricing.euro(booking.refund_cents) if booking.refund_cents is not None else "",
            "deposit_refund": pricing.euro(booking.deposit_refund_cents or 0),
            "late_paid": pricing.euro(booking.late_paid_cents),
        },
    )


def _cents(raw: str) -> int:
    try:
        return round(float((raw or "0").replace(",", ".")) * 100)
    except ValueError:
        raise ValidationError(_("Importo non valido.")) from None


ACTIONS = {
    "approve": lambda b, u, p: rooms.room_booking_approve(
        booking=b, user=u, patronage=p.get("patronage") == "on"
    ),
    "refuse": lambda b, u, p: rooms.room_booking_refuse(
        booking=b, user=u, motivation=p.get("motivation", "")
    ),
    "cancel": lambda b, u, p: rooms.room_booking_cancel(
        booking=b, user=u, by_office=True, motivation=p.get("motivation", "")
    ),
    "keys_handed": lambda b, u, p: rooms.room_booking_keys_handed(booking=b, user=u),
    "keys_returned": lambda b, u, p: rooms.room_booking_keys_returned(booking=b, user=u),
    "damage_check": lambda b, u, p: rooms.room_booking_damage_check(
        booking=b, user=u, notes=p.get("notes", ""), withheld_cents=_cents(p.get("withheld"))
    ),
    "deposit_refund": lambda b, u, p: rooms.room_booking_deposit_refund(
        booking=b, user=u, iban=p.get("iban", "")
    ),
}


@require_POST
@operator_required
def room_booking_action(request, pk):
    booking = _booking(request, pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](booking, request.user, request.POST)
    except (ValidationError, TransitionNotAllowed) as error:
        _errors(
            request,
            error if isinstance(error, ValidationError) else ValidationError(_("Azione non consentita.")),
        )
    except rooms.RoomTaken as taken:
        messages.error(request, taken.message())
    else:
        messages.success(request, _("Operazione registrata."))
    return redirect(_url(request, "backoffice:room_booking", pk=booking.pk))


def _week(request):
    try:
        start = date.fromisoformat(request.GET.get("settimana", ""))
    except ValueError:
        start = timezone.localdate()
    return start - timedelta(days=start.weekday())


@never_cache
@operator_required
def room_calendar(request, pk):
    """All bookings (with the applicant, for the office) and the municipality's own uses; add a reserved period."""
    room = _room(request, pk)
    week = _week(request)
    form = ReservedForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            occupancy = RoomOccupancy.objects.filter(
                room=room, pk=request.POST["remove"], booking=None
            ).first()
            if occupancy:
                rooms.reserved_period_remove(occupancy=occupancy, user=request.user)
                messages.success(request, _("Periodo riservato eliminato."))
            return redirect(_url(request, "backoffice:room_calendar", pk=room.pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                rooms.reserved_period_add(
                    room=room,
                    start=datetime.combine(data["day"], data["start"], ROME),
                    end=datetime.combine(data["day"], data["end"], ROME),
                    reason=data["reason"],
                    user=request.user,
                )
            except ValidationError as error:
                _errors(request, error)
            except rooms.RoomTaken as taken:
                messages.error(request, taken.message())
            else:
                messages.success(request, _("Periodo riservato aggiunto."))
                return redirect(
                    tenant_reverse(
                        "backoffice:room_calendar",
                        request.municipality,
                        pk=room.pk,
                        query={"settimana": data["day"].isoformat()},
                    )
                )
    start = datetime.combine(week, datetime.min.time(), ROME)
    occupancies = selectors.office_occupancies(room, start, start + timedelta(days=7))
    days = []
    for offset in range(7):
        day = week + timedelta(days=offset)
        days.append({"day": day, "items": [o for o in occupancies if o.start.astimezone(ROME).date() == day]})
    return render(
        request,
        "backoffice/rooms/calendar.html",
        {
            "room": room,
            "days": days,
            "week": week,
            "previous": week - timedelta(days=7),
            "next": week + timedelta(days=7),
            "form": form,
        },
    )


def _period(request):
    today = timezone.localdate()
    try:
        date_from = date.fromisoformat(request.GET.get("dal", ""))
    except ValueError:
        date_from = today.replace(month=1, day=1)
    try:
        date_to = date.fromisoformat(request.GET.get("al", ""))
    except ValueError:
        date_to = today.replace(month=12, day=31)
    return date_from, date_to


@never_cache
@operator_required
def room_export(request):
    """CSV of the booked ranges (bookings and reserved periods), or of the deposit refunds for accounting."""
    date_from, date_to = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response, delimiter=";")
    response.write("\ufeff")
    if request.GET.get("tipo") == "cauzioni":
        response["Content-Disposition"] = (
            f'attachment; filename="restituzioni-cauzioni-{date_from}-{date_to}.csv"'
        )
        writer.writerow(
            [
                _("Sala"),
                _("Data uso"),
                _("Richiedente"),
                _("Codice fiscale"),
                _("Cauzione pagata"),
                _("Trattenuta"),
                _("Da restituire"),
                _("IBAN"),
                _("Registrata il"),
                _("IUV cauzione"),
            ]
        )
        for b in RoomBooking.objects.filter(
            room__in=_rooms(request),
            deposit_refunded_at__date__gte=date_from,
            deposit_refunded_at__date__lte=date_to,
        ).select_related("room", "deposit_payment"):
            writer.writerow(
                [
                    b.room.name,
                    f"{timezone.localtime(b.first_start):%Y-%m-%d}",
                    b.organisation_name or b.applicant_name,
                    b.organisation_fiscal_code or b.applicant_fiscal_code,
                    f"{b.deposit_payment.paid_cents / 100:.2f}",
                    f"{b.deposit_withheld_cents / 100:.2f}",
                    f"{b.deposit_refund_cents / 100:.2f}",
                    b.deposit_refund_iban,
                    f"{timezone.localtime(b.deposit_refunded_at):%Y-%m-%d %H:%M}",
                    b.deposit_payment.iuv,
                ]
            )
        return response
    response["Content-Disposition"] = f'attachment; filename="prenotazioni-sale-{date_from}-{date_to}.csv"'
    writer.writerow(
        [
            _("Sala"),
            _("Inizio"),
            _("Fine"),
            _("Tipo"),
            _("Stato"),
            _("Categoria"),
            _("Richiedente"),
            _("Finalità"),
            _("Tariffa"),
            _("Cauzione"),
            _("Rimborso"),
        ]
    )
    for o in selectors.export_rows(_rooms(request), date_from, date_to):
        b = o.booking
        writer.writerow(
            [
                o.room.name,
                f"{timezone.localtime(o.start):%Y-%m-%d %H:%M}",
                f"{timezone.localtime(o.end):%Y-%m-%d %H:%M}",
                _("Uso del Comune") if b is None else _("Prenotazione"),
                "" if b is None else b.get_state_display(),
                "" if b is None else b.get_category_display(),
                o.reason if b is None else (b.organisation_name or b.applicant_name),
                "" if b is None else b.purpose,
                "" if b is None else f"{b.fee_cents / 100:.2f}",
                "" if b is None else f"{b.deposit_cents / 100:.2f}",
                "" if b is None or b.refund_cents is None else f"{b.refund_cents / 100:.2f}",
            ]
        )
    return response


@never_cache
@operator_required
def room_stats(request):
    date_from, date_to = _period(request)
    stats = selectors.usage_stats(list(_rooms(request)), date_from, date_to)
    for entry in stats:
        entry["revenue_label"] = pricing.euro(entry["revenue"])
        entry["category_rows"] = [
            {
                "label": label,
                "hours": c["hours"],
                "bookings": c["bookings"],
                "revenue": pricing.euro(c["revenue"]),
            }
            for label, c in entry["categories"].items()
        ]
    return render(
        request, "backoffice/rooms/stats.html", {"stats": stats, "date_from": date_from, "date_to": date_to}
    )
