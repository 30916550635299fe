"""The citizen's municipal rooms ("Prenotazione spazi comunali"): the rooms, each room's page with details,
tariffs and a month/week calendar of free and taken times (no personal data), the choice of date and range (or
weekly dates), the request's details, the summary with the price explained, payment in pagoPA, the list in the
personal area with the cancel link and the ICS file. Works without JavaScript."""

from contextlib import suppress
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe

from sportello.core.downloads import image_response, pdf_response
from sportello.core.urlutils import tenant_reverse
from sportello.identity import levels
from sportello.identity.session import citizen_level, citizen_required, login_url
from sportello.payments import services as payments
from sportello.payments.providers import ProviderError
from sportello.rooms import pricing, selectors
from sportello.rooms import services as rooms
from sportello.rooms.forms import RangeChoiceForm
from sportello.rooms.ics import booking_ics
from sportello.rooms.models import ApplicantKind, Category, Room, RoomBooking
from sportello.rooms.states import State, TransitionNotAllowed
from sportello.rooms.tokens import booking_from_token, manage_token

ROME = pricing.ROME
LEVEL = levels.SPID2
STEPS = [gettext_lazy("Data e orario"), gettext_lazy("Dettagli"), gettext_lazy("Riepilogo")]
DECLARATION_CHOICES = [
    ("capacity", gettext_lazy("Rispetterò la capienza massima della sala")),
    ("no_smoking", gettext_lazy("Nella sala non si fuma")),
    ("no_posters", gettext_lazy("Non affiggerò manifesti alle pareti")),
    ("insurance", gettext_lazy("L'assicurazione per l'evento è a mio carico")),
    ("permits", gettext_lazy("Permessi SIAE e di sicurezza sono a mio carico")),
]


def _steps(current):
    return [
        {"number": i + 1, "label": label, "done": i < current, "current": i == current}
        for i, label in enumerate(STEPS)
    ]


def _room(request, room_slug) -> Room:
    return get_object_or_404(selectors.public_rooms(request.municipality), slug=room_slug)


def _url(request, name, **kwargs):
    return tenant_reverse(name, request.municipality, **kwargs)


def room_list(request):
    public = list(selectors.public_rooms(request.municipality).prefetch_related("photos"))
    services = {room.service_id: room.service for room in public if _service_card(room)}
    return render(request, "portal/rooms/list.html", {"rooms": public, "services": list(services.values())})


def _service_card(room):
    """The catalogue card bound to the room, when the public can see it (its page links back to the rooms)."""
    service = room.service
    return service if service is not None and service.status == "published" else None


@require_safe
@cache_control(public=True, max_age=86400)
def room_photo(request, room_slug, pk, variant):
    """A photo of a published room (public, no personal data: cacheable), re-encoded at upload."""
    photo = get_object_or_404(_room(request, room_slug).photos, pk=pk)
    if photo.variant(variant) is None:
        raise Http404("No such photo size")
    return image_response(photo.variant(variant))


@require_safe
@cache_control(public=True, max_age=3600)
def room_regulation(request, room_slug):
    """The regulation (PDF) of a published room, inline: public, no personal data, so cacheable."""
    room = _room(request, room_slug)
    if not room.regulation:
        raise Http404("No regulation")
    return pdf_response(room.regulation, room.regulation_filename)


def _parse_day(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _tariff_table(room):
    seasons = list(room.seasons.all())
    rates = {(t.category, t.season_id): t.rate_cents for t in room.tariffs.all()}
    rows = []
    for value, label in Category.choices:
        cells = [rates.get((value, None))] + [rates.get((value, s.pk)) for s in seasons]
        if any(c is not None for c in cells):
            rows.append({"label": label, "cells": [None if c is None else pricing.euro(c) for c in cells]})
    return seasons, rows


class ChooseForm(RangeChoiceForm):
    """Day and range within the room's unit, category, weekly repetition (``rooms.forms``)."""


@never_cache
def room_detail(request, room_slug):
    """The room's public page: details, regulation, tariffs, the calendar, and the choice of the range."""
    room = _room(request, room_slug)
    today = timezone.localdate()
    week_start = _parse_day(request.GET.get("settimana"), today)
    week_start -= timedelta(days=week_start.weekday())
    month = _parse_day((request.GET.get("mese") or "") + "-01" if request.GET.get("mese") else "", None)
    month = month or week_start.replace(day=1)
    chosen_day = _parse_day(request.GET.get("giorno"), None)
    form = ChooseForm(request.POST or None, room=room, initial={"day": chosen_day})
    if request.method == "POST":
        if not levels.level_satisfies(citizen_level(request), LEVEL):
            return redirect(login_url(request, next_url=request.get_full_path(), level=LEVEL))
        if form.is_valid():
            try:
                booking = rooms.room_booking_hold(
                    room=room,
                    citizen=request.user,
                    ranges=form.ranges(),
                    category=form.cleaned_data["category"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            except rooms.RoomTaken as taken:
                form.add_error(None, taken.message())
            else:
                return redirect(_url(request, "portal:room_booking_details", uid=booking.uid))
    seasons, tariff_rows = _tariff_table(room)
    taken_label = _("Occupato")
    week = selectors.room_days(room, week_start, week_start + timedelta(days=6), taken_label=taken_label)
    context = {
        "room": room,
        "service_card": _service_card(room),
        "form": form,
        "steps": _steps(0),
        "seasons": seasons,
        "tariff_rows": tariff_rows,
        "week": week,
        "week_start": week_start,
        "previous_week": week_start - timedelta(days=7),
        "next_week": week_start + timedelta(days=7),
        "month": month,
        "weeks": selectors.month_weeks(room, month.year, month.month, taken_label=taken_label),
        "previous_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": (month + timedelta(days=32)).replace(day=1),
        "chosen_day": chosen_day,
        "chosen": selectors.room_days(room, chosen_day, chosen_day, taken_label=taken_label)[0]
        if chosen_day
        else None,
        "weekday_names": [_("Lun"), _("Mar"), _("Mer"), _("Gio"), _("Ven"), _("Sab"), _("Dom")],
        "unit_label": room.get_unit_display(),
        "minimum": pricing.euro(room.minimum_charge_cents),
        "deposit": pricing.euro(room.deposit_cents),
    }
    return render(request, "portal/rooms/detail.html", context)


def _own(request, uid) -> RoomBooking:
    booking = (
        RoomBooking.objects.for_municipality(request.municipality)
        .select_related("room", "fee_payment", "deposit_payment")
        .filter(uid=uid, citizen=request.user)
        .first()
    )
    if booking is None:
        raise Http404("Not this citizen's booking")
    return booking


class DetailsForm(forms.Form):
    purpose = forms.CharField(label=gettext_lazy("Finalità dell'uso"), max_length=200)
    programme = forms.CharField(
        label=gettext_lazy("Breve programma"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attendance = forms.IntegerField(label=gettext_lazy("Partecipanti previsti"), min_value=1)
    equipment = forms.MultipleChoiceField(
        label=gettext_lazy("Dotazioni richieste"), required=False, widget=forms.CheckboxSelectMultiple
    )
    declarations = forms.MultipleChoiceField(
        label=gettext_lazy("Dichiarazioni previste dal regolamento (tutte obbligatorie)"),
        choices=DECLARATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    applicant_kind = forms.ChoiceField(
        label=gettext_lazy("Chiedi la sala come"), choices=ApplicantKind.choices, widget=forms.RadioSelect
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Denominazione dell'associazione, ente o impresa"), max_length=200, required=False
    )
    organisation_fiscal_code = forms.CharField(
        label=gettext_lazy("Codice fiscale dell'associazione, ente o impresa"), max_length=16, required=False
    )
    legal_representative = forms.CharField(
        label=gettext_lazy("Legale rappresentante"), max_length=200, required=False
    )
    patronage_requested = forms.BooleanField(
        label=gettext_lazy("Chiedo il patrocinio del Comune per l'iniziativa"), required=False
    )
    patronage_motivation = forms.CharField(
        label=gettext_lazy("Perché l'iniziativa merita il patrocinio"),
        help_text=gettext_lazy(
            "Se l'ufficio concede il patrocinio la tariffa non è dovuta; la cauzione resta. Massimo 1000 caratteri."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, room, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].choices = [(e, e) for e in room.equipment_list]
        if not room.equipment_list:
            del self.fields["equipment"]
        if not room.moderated:  # nobody reviews the request: patronage is asked to the office another way
            del self.fields["patronage_requested"], self.fields["patronage_motivation"]


def _held_or_back(request, booking):
    if booking.state != State.HELD:
        return redirect(_url(request, "portal:room_booking_detail", uid=booking.uid))
    if booking.hold_until and booking.hold_until < timezone.now():
        messages.error(
            request, _("Il tempo per completare la richiesta è scaduto: scegli di nuovo l'orario.")
        )
        return redirect(_url(request, "portal:room_detail", room_slug=booking.room.slug))
    return None


@never_cache
@citizen_required(LEVEL)
def room_booking_details(request, uid):
    booking = _own(request, uid)
    if back := _held_or_back(request, booking):
        return back
    initial = {name: getattr(booking, name) for name in rooms.DETAIL_FIELDS}
    form = DetailsForm(request.POST or None, room=booking.room, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rooms.room_booking_details_save(booking=booking, citizen=request.user, values=form.cleaned_data)
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(_url(request, "portal:room_booking_summary", uid=booking.uid))
    return render(
        request, "portal/rooms/details.html", {"booking": booking, "form": form, "steps": _steps(1)}
    )


@never_cache
@citizen_required(LEVEL)
def room_booking_summary(request, uid):
    booking = _own(request, uid)
    if back := _held_or_back(request, booking):
        return back
    if not booking.purpose:
        return redirect(_url(request, "portal:room_booking_details", uid=booking.uid))
    if request.method == "POST":
        try:
            booking = rooms.room_booking_submit(booking=booking, citizen=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect(_url(request, "portal:room_booking_detail", uid=booking.uid))
    quote = rooms.quote_for(booking)
    return render(
        request,
        "portal/rooms/summary.html",
        {
            "booking": booking,
            "quote": quote,
            "steps": _steps(2),
            "quote_fee": pricing.euro(quote.fee_cents),
            "quote_deposit": pricing.euro(quote.deposit_cents),
            "lines": [(line, pricing.euro(line.amount_cents)) for line in quote.lines],
        },
    )


def _lines(booking):
    return [(line, pricing.euro(line["amount_cents"])) for line in booking.quote.get("lines", [])]


def _payments(booking):
    return [p for p in (booking.fee_payment, booking.deposit_payment) if p is not None]


@never_cache
@citizen_required(LEVEL)
def room_booking_detail(request, uid):
    booking = _own(request, uid)
    return render(
        request,
        "portal/rooms/booking.html",
        {
            "booking": booking,
            "lines": _lines(booking),
            "payments": _payments(booking),
            "fee": pricing.euro(booking.fee_cents),
            "deposit": pricing.euro(booking.deposit_cents),
            "refund": pricing.euro(booking.refund_cents) if booking.refund_cents is not None else "",
            "manage_token": manage_token(booking) if booking.is_active else "",
        },
    )


@require_POST
@citizen_required(LEVEL)
def room_booking_pay(request, uid, payment_pk):
    booking = _own(request, uid)
    payment = next((p for p in _payments(booking) if p.pk == payment_pk), None)
    if payment is None or booking.state != State.APPROVED:
        raise Http404("Not payable")
    back = _url(request, "portal:room_booking_return", uid=booking.uid)
    return _checkout(
        request, payment, back=back, failed=_url(request, "portal:room_booking_detail", uid=booking.uid)
    )


def _checkout(request, payment, *, back: str, failed: str):
    """To the provider's checkout, coming back to ``back``; on a refusal or an unreachable provider, to ``failed``
    with the reason."""
    back = request.build_absolute_uri(back)
    try:
        url = payments.payment_checkout_start(payment=payment, ok_url=back, cancel_url=back, error_url=back)
    except (ValidationError, ProviderError) as error:
        messages.error(
            request,
            " ".join(getattr(error, "messages", []))
            or _("Il servizio di pagamento non risponde: riprova tra qualche minuto."),
        )
        return redirect(failed)
    return redirect(url)


def _citizen_action(request, booking, action, *, done: str, refused: str):
    """Run a citizen's action on their booking; the refusal's reasons (or ``refused``) as a message."""
    try:
        action()
    except (ValidationError, TransitionNotAllowed) as error:
        messages.error(request, " ".join(getattr(error, "messages", [])) or refused)
    else:
        messages.success(request, done)
    return redirect(_url(request, "portal:room_booking_detail", uid=booking.uid))


@require_POST
@citizen_required(LEVEL)
def room_booking_pay_again(request, uid):
    """ "Paga di nuovo" after a failed or expired payment: new notices with the same amounts, then pay them."""
    booking = _own(request, uid)
    return _citizen_action(
        request,
        booking,
        lambda: rooms.room_booking_pay_again(booking=booking, citizen=request.user),
        done=_("Nuovo avviso di pagamento creato: ora puoi pagare."),
        refused=_("Non si può pagare di nuovo."),
    )


@never_cache
@citizen_required(LEVEL)
def room_booking_return(request, uid):
    """Back from the checkout: ask the provider about each open payment (the booking follows its payments)."""
    booking = _own(request, uid)
    for payment in _payments(booking):
        if payment.is_open:
            with suppress(ProviderError):
                payments.payment_refresh(payment=payment, source="return")
    return redirect(_url(request, "portal:room_booking_detail", uid=booking.uid))


@require_POST
@citizen_required(LEVEL)
def room_booking_cancel(request, uid):
    booking = _own(request, uid)
    return _citizen_action(
        request,
        booking,
        lambda: rooms.room_booking_cancel(booking=booking, user=request.user),
        done=_("Prenotazione annullata."),
        refused=_("Questa prenotazione non si può annullare."),
    )


@never_cache
def room_booking_manage(request, token):
    """The signed link in the e-mail: cancel without logging in (invalid once the booking changed)."""
    booking = booking_from_token(token)
    if booking is None or booking.municipality_id != request.municipality.pk:
        return render(request, "portal/rooms/link_expired.html", status=410)
    if request.method == "POST" and request.POST.get("payment"):
        return _link_pay(request, booking, request.POST["payment"])
    if request.method == "POST":
        try:
            rooms.room_booking_cancel(booking=booking, user=booking.citizen)
        except (ValidationError, TransitionNotAllowed) as error:
            messages.error(
                request,
                " ".join(getattr(error, "messages", [])) or _("Questa prenotazione non si può annullare."),
            )
        else:
            messages.success(request, _("Prenotazione annullata."))
            return render(request, "portal/rooms/link_expired.html", {"cancelled": True})
    payable = _payments(booking) if booking.state == State.APPROVED else []
    return render(
        request,
        "portal/rooms/manage.html",
        {"booking": booking, "payments": [(p, pricing.euro(p.amount_cents)) for p in payable if p.is_open]},
    )


def _link_pay(request, booking, payment_pk):
    """Pay from the signed link (a booking the office made for an applicant without an account here): the
    checkout comes back to a page that names only the room, the dates and the state."""
    booking = RoomBooking.objects.select_related("fee_payment", "deposit_payment").get(pk=booking.pk)
    payment = next((p for p in _payments(booking) if str(p.pk) == payment_pk and p.is_open), None)
    if payment is None or booking.state != State.APPROVED:
        raise Http404("Not payable")
    back = _url(request, "portal:room_booking_link_return", uid=booking.uid)
    return _checkout(request, payment, back=back, failed=request.get_full_path())


@never_cache
def room_booking_link_return(request, uid):
    """Back from the checkout started from the signed link: the payments are asked to the provider and the
    booking's state shown (room, dates and state only: the address is known only to whoever paid)."""
    booking = get_object_or_404(
        RoomBooking.objects.for_municipality(request.municipality).select_related(
            "room", "fee_payment", "deposit_payment"
        ),
        uid=uid,
    )
    for payment in _payments(booking):
        if payment.is_open:
            with suppress(ProviderError):
                payments.payment_refresh(payment=payment, source="return")
    booking.refresh_from_db()
    return render(request, "portal/rooms/link_return.html", {"booking": booking})


@never_cache
@citizen_required(LEVEL)
def room_booking_ics(request, uid):
    booking = _own(request, uid)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sala-{booking.uid}.ics"'
    return response


@never_cache
@citizen_required(LEVEL)
def room_booking_list(request):
    bookings = selectors.citizen_bookings(request.user, request.municipality)
    return render(request, "portal/rooms/my_list.html", {"bookings": bookings})
