"""The citizen's appointment booking (Modello Comuni five steps: Luogo, Data e orario, Dettagli, Richiedente,
Riepilogo), then the confirmation, the ICS file, "I miei appuntamenti" and the signed manage link.

The chosen slot is held from step 2 on (``appointment_hold``); the later steps work on the held appointment, which
belongs to the citizen (or, without SPID, to the browser session that held it).
"""

import calendar as monthcal
from contextlib import suppress
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.applications import services as applications
from sportello.applications.states import State as ApplicationState
from sportello.catalog.constants import AccessLevel, Kind
from sportello.catalog.visibility import can_start
from sportello.core.clientip import client_fingerprint
from sportello.core.urlutils import tenant_reverse
from sportello.formschema import display_values
from sportello.identity.levels import level_satisfies
from sportello.identity.session import citizen_level, citizen_required, login_url
from sportello.payments.iuv import format_euro
from sportello.payments.selectors import amount_due
from sportello.scheduling import services as scheduling
from sportello.scheduling.availability import ROME, parse_instant
from sportello.scheduling.models import Appointment, Calendar
from sportello.scheduling.selectors import appointment_list_for_citizen, calendar_slots, office_slots
from sportello.scheduling.states import Actor, State
from sportello.scheduling.tasks import appointment_ics
from sportello.scheduling.tokens import appointment_from_token, entry_from_offer_token, manage_token

from .applications import form_page
from .views import _visible_service

SESSION_KEY = "held_appointments"
STEPS = [
    gettext_lazy("Luogo"),
    gettext_lazy("Data e orario"),
    gettext_lazy("Dettagli"),
    gettext_lazy("Richiedente"),
    gettext_lazy("Riepilogo"),
]


class DetailsForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motivo dell'appuntamento"), max_length=200)
    details = forms.CharField(
        label=gettext_lazy("Dettagli"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ApplicantForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Nome"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Cognome"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)


class SummaryForm(forms.Form):
    privacy = forms.BooleanField(
        label=gettext_lazy("Ho letto l'informativa sul trattamento dei dati personali e la accetto"),
        required=True,
    )


def _steps(current: int) -> list[dict]:
    return [
        {"number": i + 1, "label": label, "done": i < current, "current": i == current}
        for i, label in enumerate(STEPS)
    ]


def _bookable_service(request, service_slug: str):
    service, status = _visible_service(request, service_slug)
    if service.kind != Kind.APPOINTMENT:
        raise Http404("Not an appointment service")
    if not can_start(status):
        return service, render(request, "portal/service_unavailable.html", {"service": service}, status=409)
    if not level_satisfies(citizen_level(request), service.access_level):
        return service, redirect(
            login_url(request, next_url=request.get_full_path(), level=service.access_level)
        )
    return service, None


def _posted(request):
    return request.POST if request.method == "POST" else None  # an empty POST is still a submission


def _citizen(request):
    return request.user if request.user.is_authenticated else None


def _remember(request, appointment: Appointment) -> None:
    owned = [uid for uid in request.session.get(SESSION_KEY, []) if uid != str(appointment.uid)]
    request.session[SESSION_KEY] = ([*owned, str(appointment.uid)])[-20:]


def _owned_appointment(request, uid) -> Appointment:
    appointment = (
        Appointment.objects.for_municipality(request.municipality)
        .select_related("calendar", "service", "application__form_version", "citizen")
        .filter(uid=uid)
        .first()
    )
    if appointment is None:
        raise Http404("No such appointment")
    if appointment.citizen_id is not None:
        if appointment.citizen_id != getattr(_citizen(request), "pk", None):
            raise Http404("Not this citizen's appointment")
    elif str(uid) not in request.session.get(SESSION_KEY, []):
        raise Http404("Not this session's appointment")
    return appointment


def _awaiting_payment(appointment: Appointment) -> bool:
    """Held while the citizen pays: the steps are done, the payment page is where to go."""
    application = appointment.application
    return (
        appointment.state == State.HELD
        and application is not None
        and application.state in (ApplicationState.PAYMENT_PENDING, ApplicationState.PAYMENT_OUTCOME_PENDING)
    )


def _payment_page(request, appointment: Appointment):
    return redirect(
        tenant_reverse("portal:payment_choose", request.municipality, pk=appointment.application_id)
    )


def _held(request, uid):
    """The held appointment of the steps 3-5, or a redirect back to the times when the hold ran out."""
    appointment = _owned_appointment(request, uid)
    if _awaiting_payment(appointment):
        return appointment, _payment_page(request, appointment)
    if appointment.state != State.HELD:
        return appointment, redirect(_url(request, "portal:appointment_detail", appointment))
    if appointment.hold_until <= timezone.now():
        messages.error(
            request, _("Il tempo per completare la prenotazione è scaduto: scegli di nuovo un orario.")
        )
        return appointment, redirect(
            tenant_reverse(
                "portal:booking_time",
                request.municipality,
                service_slug=appointment.service.slug,
                calendar_id=appointment.calendar_id,
            )
        )
    return appointment, None


def _url(request, name: str, appointment: Appointment, **query) -> str:
    return tenant_reverse(name, request.municipality, uid=appointment.uid, query=query or None)


# --- step 1: Luogo ---


def _offices(service, municipality) -> dict[tuple[str, str], Calendar]:
    """One calendar per office (same office name and address): the office's parallel calendars share it."""
    offices: dict[tuple[str, str], Calendar] = {}
    for calendar in service.calendars.filter(municipality=municipality).order_by("office_name", "pk"):
        offices.setdefault((calendar.office_name, calendar.address), calendar)
    return offices


def _office_calendars(service, calendar: Calendar) -> list[Calendar]:
    return list(
        service.calendars.filter(
            municipality=calendar.municipality, office_name=calendar.office_name, address=calendar.address
        ).order_by("pk")
    )


@never_cache
def booking_place(request, service_slug: str):
    service, refusal = _bookable_service(request, service_slug)
    if refusal:
        return refusal
    calendars = list(_offices(service, request.municipality).values())
    if not calendars:
        return render(request, "portal/service_unavailable.html", {"service": service}, status=409)
    chosen = request.GET.get("calendario")
    if chosen:
        calendar = next((c for c in calendars if str(c.pk) == chosen), None)
        if calendar is not None:
            return redirect(
                tenant_reverse(
                    "portal:booking_time",
                    request.municipality,
                    service_slug=service.slug,
                    calendar_id=calendar.pk,
                )
            )
        messages.error(request, _("Scegli un ufficio tra quelli elencati."))
    return render(
        request,
        "portal/booking/place.html",
        {"service": service, "calendars": calendars, "steps": _steps(0)},
    )


# --- step 2: Data e orario ---


def _parse_month(value: str, today: date) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return today.replace(day=1)


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _month_weeks(month: date, free_days: dict[date, int]) -> list[list[dict | None]]:
    weeks = []
    for week in monthcal.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [{"day": d, "free": free_days.get(d, 0)} if d.month == month.month else None for d in week]
        )
    return weeks


@never_cache
def booking_time(request, service_slug: str, calendar_id: int):
    service, refusal = _bookable_service(request, service_slug)
    if refusal:
        return refusal
    calendar = get_object_or_404(
        Calendar.objects.for_municipality(request.municipality).filter(services=service), pk=calendar_id
    )
    calendars = _office_calendars(service, calendar)
    now = timezone.now()
    today = now.astimezone(ROME).date()
    if request.method == "POST":
        start = parse_instant(request.POST.get("start"))
        try:
            appointment = scheduling.appointment_hold_in_office(
                calendars=calendars, start=start, service=service, citizen=_citizen(request)
            )
        except scheduling.SlotUnavailable as error:
            messages.error(request, " ".join(error.messages))
            day = start.astimezone(ROME).date() if start else None
        else:
            _release_previous(request, service, keep=appointment)
            _remember(request, appointment)
            return redirect(_url(request, "portal:booking_details", appointment))
    else:
        day = _parse_day(request.GET.get("giorno", ""))
    month = _parse_month(request.GET.get("mese", ""), today)
    if day is not None:
        month = day.replace(day=1)
    last_day = today + timedelta(days=calendar.horizon_days)
    month = min(max(month, today.replace(day=1)), last_day.replace(day=1))
    month_end = month.replace(day=monthcal.monthrange(month.year, month.month)[1])
    slots, _ranked = office_slots(calendars, date_from=month, date_to=month_end, now=now)
    free_days: dict[date, int] = {}
    for slot in slots:
        local = slot.start.astimezone(ROME).date()
        free_days[local] = free_days.get(local, 0) + slot.free
    day_slots = [s for s in slots if day and s.start.astimezone(ROME).date() == day]
    previous_month = (month - timedelta(days=1)).replace(day=1)
    next_month = month_end + timedelta(days=1)
    return render(
        request,
        "portal/booking/time.html",
        {
            "service": service,
            "calendar": calendar,
            "steps": _steps(1),
            "month": month,
            "weeks": _month_weeks(month, free_days),
            "weekdays": [_("lun"), _("mar"), _("mer"), _("gio"), _("ven"), _("sab"), _("dom")],
            "day": day,
            "day_slots": day_slots,
            "previous_month": previous_month if previous_month >= today.replace(day=1) else None,
            "next_month": next_month if next_month <= last_day else None,
            "first_free": min(free_days) if free_days else None,
        },
    )


def _release_previous(request, service, *, keep: Appointment) -> None:
    """Choosing another time frees the place held before for the same service (it would block others)."""
    for uid in request.session.get(SESSION_KEY, []):
        previous = (
            Appointment.objects.filter(uid=uid, service=service, state=State.HELD).exclude(pk=keep.pk).first()
        )
        if previous is not None:
            with suppress(ValidationError, PermissionDenied):
                scheduling.appointment_cancel(
                    appointment=previous, user=_citizen(request), actor=Actor.CITIZEN
                )


# --- step 3: Dettagli (the service's own form when it has one) ---


@never_cache
def booking_details(request, uid):
    appointment, redirect_to = _held(request, uid)
    if redirect_to:
        return redirect_to
    service = appointment.service
    if service.form_version is not None:
        return _details_form_pages(request, appointment)
    form = DetailsForm(
        _posted(request), initial={"reason": appointment.reason, "details": appointment.details}
    )
    if request.method == "POST" and form.is_valid():
        Appointment.objects.filter(pk=appointment.pk).update(
            reason=form.cleaned_data["reason"].strip(), details=form.cleaned_data["details"].strip()
        )
        return redirect(_url(request, "portal:booking_applicant", appointment))
    return _step(request, "portal/booking/details.html", appointment, 2, form=form)


def _details_form_pages(request, appointment: Appointment):
    application = appointment.application
    if application is None:
        citizen = _citizen(request)
        application = applications.application_start(
            service=appointment.service,
            applicant=citizen,
            origin=client_fingerprint(request) if citizen is None else "",
        )
        Appointment.objects.filter(pk=appointment.pk).update(application=application)
        appointment.application = application
        if application.applicant_id is None:
            from .applications import remember_anonymous

            remember_anonymous(request, application)
    form, page, pages, saved = form_page(request, application)
    if saved:
        if page + 1 < pages:
            return redirect(_url(request, "portal:booking_details", appointment, pagina=page + 1))
        return redirect(_url(request, "portal:booking_applicant", appointment))
    return _step(
        request,
        "portal/booking/details_form.html",
        appointment,
        2,
        form=form,
        page=page,
        pages=pages,
        page_title=form.page_title,
        fee=_fee(application),
    )


def _fee(application):
    """The fee of a service paid at submission, by the form's answers (the CIE duplicate costs more)."""
    if application is None:
        return None
    cents = amount_due(application.service, application.data)
    return format_euro(cents) if cents else None


def _step(request, template: str, appointment: Appointment, step: int, **context):
    return render(
        request,
        template,
        {
            "appointment": appointment,
            "service": appointment.service,
            "calendar": appointment.calendar,
            "steps": _steps(step),
            **context,
        },
    )


# --- step 4: Richiedente ---


@never_cache
def booking_applicant(request, uid):
    appointment, redirect_to = _held(request, uid)
    if redirect_to:
        return redirect_to
    citizen = _citizen(request)
    if citizen is not None and citizen.fiscal_code:
        form = None  # from SPID/CIE: shown read-only
        if request.method == "POST":
            return redirect(_url(request, "portal:booking_summary", appointment))
    else:
        form = ApplicantForm(
            _posted(request),
            initial={
                "first_name": appointment.first_name,
                "last_name": appointment.last_name,
                "email": appointment.email,
            },
        )
        if request.method == "POST" and form.is_valid():
            Appointment.objects.filter(pk=appointment.pk).update(**form.cleaned_data)
            return redirect(_url(request, "portal:booking_summary", appointment))
    return _step(request, "portal/booking/applicant.html", appointment, 3, form=form, citizen=citizen)


# --- step 5: Riepilogo ---


@never_cache
def booking_summary(request, uid):
    appointment, redirect_to = _held(request, uid)
    if redirect_to:
        return redirect_to
    if not (appointment.first_name and appointment.last_name and appointment.email):
        return redirect(_url(request, "portal:booking_applicant", appointment))
    form = SummaryForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            appointment = scheduling.appointment_book(appointment=appointment, user=_citizen(request))
        except scheduling.SlotUnavailable as error:
            messages.error(request, " ".join(error.messages))
            return redirect(
                tenant_reverse(
                    "portal:booking_time",
                    request.municipality,
                    service_slug=appointment.service.slug,
                    calendar_id=appointment.calendar_id,
                )
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if _awaiting_payment(appointment):
                return _payment_page(request, appointment)
            return redirect(_url(request, "portal:appointment_detail", appointment))
    application = appointment.application
    summary = (
        display_values(application.form_version.definition, application.data, request.LANGUAGE_CODE)
        if application is not None
        else None
    )
    return _step(
        request,
        "portal/booking/summary.html",
        appointment,
        4,
        form=form,
        summary=summary,
        fee=_fee(application),
    )


# --- after booking ---


def _manage_context(request, appointment: Appointment) -> dict:
    now = timezone.now()
    can_change = appointment.state in (State.PENDING, State.APPROVED) and now <= scheduling.cancel_deadline(
        appointment
    )
    return {
        "appointment": appointment,
        "service": appointment.service,
        "calendar": appointment.calendar,
        "can_change": can_change,
        "deadline": scheduling.cancel_deadline(appointment),
        "manage_url": tenant_reverse(
            "portal:appointment_manage", request.municipality, token=manage_token(appointment)
        )
        if can_change
        else "",
        "fee": _fee(appointment.application),
        "waiting": hasattr(appointment, "waiting") and appointment.waiting is not None,
        "can_wait": appointment.state in (State.PENDING, State.APPROVED) and bool(appointment.email),
    }


@never_cache
def appointment_detail(request, uid):
    """The confirmation page ("Richiesta inviata" on moderated calendars) and the appointment's page later."""
    appointment = _owned_appointment(request, uid)
    if _awaiting_payment(appointment):
        return _payment_page(request, appointment)
    if appointment.state == State.HELD:
        return redirect(_url(request, "portal:booking_summary", appointment))
    return render(request, "portal/booking/detail.html", _manage_context(request, appointment))


def _ics_response(appointment: Appointment) -> HttpResponse:
    response = HttpResponse(appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appuntamento.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def appointment_calendar_file(request, uid):
    return _ics_response(_owned_appointment(request, uid))


@require_POST
def appointment_cancel(request, uid):
    appointment = _owned_appointment(request, uid)
    _cancel(request, appointment)
    return redirect(_url(request, "portal:appointment_detail", appointment))


def _cancel(request, appointment: Appointment) -> None:
    try:
        scheduling.appointment_cancel(appointment=appointment, user=appointment.citizen, actor=Actor.CITIZEN)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'appuntamento è stato annullato."))


@require_POST
def appointment_waiting(request, uid):
    """ "Avvisami se si libera un posto prima" (join), or leave the waiting list."""
    appointment = _owned_appointment(request, uid)
    try:
        if request.POST.get("azione") == "esci":
            scheduling.waiting_leave(appointment=appointment, user=appointment.citizen)
            messages.success(request, _("Non sei più in lista d'attesa."))
        else:
            scheduling.waiting_join(appointment=appointment, user=appointment.citizen)
            messages.success(request, _("Ti scriveremo se si libera un posto prima del tuo appuntamento."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_url(request, "portal:appointment_detail", appointment))


@never_cache
def waiting_offer(request, token: str):
    """The one-click move offered by e-mail when an earlier place freed."""
    entry = entry_from_offer_token(token)
    if entry is None or entry.appointment.municipality_id != request.municipality.pk:
        return render(request, "portal/booking/link_expired.html", status=410)
    if request.method == "POST":
        try:
            appointment = scheduling.waiting_offer_accept(entry=entry)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'appuntamento è stato spostato."))
            return render(
                request,
                "portal/booking/detail.html",
                _manage_context(request, appointment) | {"via_link": True},
            )
    return render(
        request,
        "portal/booking/offer.html",
        {"entry": entry, "offer": entry.offer, "appointment": entry.appointment},
    )


@never_cache
def appointment_manage(request, token: str):
    """The signed link of the e-mail: cancel or move without logging in, until the cancellation deadline."""
    appointment = appointment_from_token(token)
    if appointment is None:
        return render(request, "portal/booking/link_expired.html", status=410)
    if appointment.municipality_id != request.municipality.pk:
        raise Http404("Other municipality")
    now = timezone.now()
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            _cancel(request, appointment)
            return render(
                request,
                "portal/booking/detail.html",
                _manage_context(request, appointment) | {"via_link": True},
            )
        try:
            appointment = scheduling.appointment_reschedule(
                appointment=appointment,
                start=parse_instant(request.POST.get("start")),
                user=appointment.citizen,
                actor=Actor.CITIZEN,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'appuntamento è stato spostato."))
            return redirect(
                tenant_reverse(
                    "portal:appointment_manage", request.municipality, token=manage_token(appointment)
                )
            )
    today = now.astimezone(ROME).date()
    # The whole booking horizon, one day's times at a time (the days with free places are links).
    slots = calendar_slots(
        appointment.calendar,
        date_from=today,
        date_to=today + timedelta(days=appointment.calendar.horizon_days),
        now=now,
    )
    free_days: dict[date, int] = {}
    for slot in slots:
        local = slot.start.astimezone(ROME).date()
        free_days[local] = free_days.get(local, 0) + slot.free
    day = _parse_day(request.GET.get("giorno", ""))
    if day not in free_days:
        day = min(free_days) if free_days else None
    return render(
        request,
        "portal/booking/manage.html",
        _manage_context(request, appointment)
        | {
            "slots": [s for s in slots if s.start.astimezone(ROME).date() == day],
            "day": day,
            "free_days": sorted(free_days.items()),
            "token": token,
        },
    )


@never_cache
@citizen_required(AccessLevel.SPID1)
def appointment_list(request):
    """I miei appuntamenti."""
    appointments = list(
        appointment_list_for_citizen(user=request.user, municipality=request.municipality)[:100]
    )
    now = timezone.now()
    return render(
        request,
        "portal/booking/list.html",
        {
            "upcoming": [a for a in appointments if _upcoming(a, now)][::-1],
            "past": [a for a in appointments if not _upcoming(a, now) and a.state != State.HELD],
        },
    )


def _upcoming(appointment: Appointment, now) -> bool:
    if appointment.end < now:
        return False
    return appointment.state in (State.PENDING, State.APPROVED) or _awaiting_payment(appointment)


def first_step_url(request, service) -> str | None:
    """Where "Prenota appuntamento" leads: the booking steps when the service has calendars."""
    if service.kind != Kind.APPOINTMENT or not service.calendars.exists():
        return None
    return tenant_reverse("portal:booking_place", request.municipality, service_slug=service.slug)
