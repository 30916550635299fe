"""Calendari: administrators manage every calendar of their municipality, coordinators their own ones."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.accounts.models import Role
from sportello.accounts.roles import has_role
from sportello.catalog.constants import Kind
from sportello.core.urlutils import absolute_url, tenant_reverse
from sportello.scheduling import services as scheduling
from sportello.scheduling.availability import ROME, parse_instant
from sportello.scheduling.models import Appointment, Calendar
from sportello.scheduling.selectors import agenda, calendar_slots
from sportello.scheduling.states import Actor, State, available

from ..calendar_forms import BookOnBehalfForm, CalendarForm, ClosureForm, OpeningRuleForm
from ..decorators import admin_required, operator_required
from .services import _service, _step_context
from .staff import add_form_errors

AGENDA_ACTIONS = {
    "approve": lambda a, u, m: scheduling.appointment_approve(appointment=a, user=u),
    "refuse": lambda a, u, m: scheduling.appointment_refuse(appointment=a, user=u, motivation=m),
    "done": lambda a, u, m: scheduling.appointment_done(appointment=a, user=u),
    "missed": lambda a, u, m: scheduling.appointment_missed(appointment=a, user=u),
    "cancel": lambda a, u, m: scheduling.appointment_cancel(
        appointment=a, user=u, actor=Actor.OPERATOR, motivation=m
    ),
}


def _calendar(request, pk: int) -> Calendar:
    calendar = Calendar.objects.managed_by(request.user, request.municipality).filter(pk=pk).first()
    if calendar is None:
        raise Http404("No such calendar for this user")
    return calendar


def _is_admin(request) -> bool:
    return has_role(request.user, request.municipality, Role.ADMIN)


def _url(request, name, calendar, **query):
    return tenant_reverse(name, request.municipality, pk=calendar.pk, query=query or None)


@never_cache
@operator_required
def calendar_list(request):
    query = request.GET.get("q", "").strip()[:100]
    calendars = Calendar.objects.managed_by(request.user, request.municipality).select_related("owner")
    if query:
        calendars = calendars.filter(Q(title__icontains=query) | Q(office_name__icontains=query))
    return render(
        request,
        "backoffice/calendars/list.html",
        {"calendars": calendars.order_by("title")[:200], "query": query, "is_admin": _is_admin(request)},
    )


def _save(request, form, calendar):
    coordinators = form.cleaned_data.get("coordinators") if "coordinators" in form.fields else None
    try:
        scheduling.calendar_save(calendar=calendar, coordinators=coordinators)
    except ValidationError as error:
        add_form_errors(form, error)
        return None
    messages.success(request, _("Calendario salvato."))
    return redirect(_url(request, "backoffice:calendar_rules", calendar))


@never_cache
@admin_required
def calendar_create(request):
    calendar = Calendar(municipality=request.municipality, owner=request.user)
    form = CalendarForm(
        request.POST if request.method == "POST" else None,
        instance=calendar,
        municipality=request.municipality,
        can_assign=True,
    )
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, form.instance)
        if response:
            return response
    return render(request, "backoffice/calendars/edit.html", {"form": form, "calendar": None})


@never_cache
@operator_required
def calendar_edit(request, pk: int):
    calendar = _calendar(request, pk)
    form = CalendarForm(
        request.POST if request.method == "POST" else None,
        instance=calendar,
        municipality=request.municipality,
        can_assign=_is_admin(request),
    )
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, form.instance)
        if response:
            return response
    feed_url = absolute_url(f"/api/v1/{request.municipality.slug}/calendars/feed/{calendar.feed_secret}.ics")
    return render(
        request, "backoffice/calendars/edit.html", {"form": form, "calendar": calendar, "feed_url": feed_url}
    )


@never_cache
@operator_required
def calendar_rules(request, pk: int):
    calendar = _calendar(request, pk)
    rule_form = OpeningRuleForm(
        request.POST if request.POST.get("azione") == "aggiungi-orario" else None,
        initial={"valid_from": timezone.localdate(), "weekdays": [0, 1, 2, 3, 4], "slot_minutes": 15},
    )
    closure_form = ClosureForm(request.POST if request.POST.get("azione") == "aggiungi-chiusura" else None)
    if request.method == "POST":
        action = request.POST.get("azione")
        try:
            if action == "aggiungi-orario" and rule_form.is_valid():
                scheduling.opening_rule_add(calendar=calendar, **rule_form.cleaned_data)
            elif action == "aggiungi-chiusura" and closure_form.is_valid():
                scheduling.closure_add(calendar=calendar, **closure_form.cleaned_data)
            elif action == "elimina-orario":
                rule = calendar.rules.filter(pk=request.POST.get("id")).first() or _bad()
                scheduling.opening_rule_delete(rule=rule)
            elif action == "elimina-chiusura":
                closure = calendar.closures.filter(pk=request.POST.get("id")).first() or _bad()
                scheduling.closure_delete(closure=closure)
            elif action not in ("aggiungi-orario", "aggiungi-chiusura"):
                return HttpResponseBadRequest()
            else:
                raise ValidationError("")  # the form shows its own errors
        except ValidationError as error:
            if error.messages != [""]:
                add_form_errors(rule_form if action == "aggiungi-orario" else closure_form, error)
        else:
            messages.success(request, _("Modifica salvata."))
            return redirect(_url(request, "backoffice:calendar_rules", calendar))
    return render(
        request,
        "backoffice/calendars/rules.html",
        {
            "calendar": calendar,
            "rule_form": rule_form,
            "closure_form": closure_form,
            "rules": calendar.rules.all(),
            "closures": calendar.closures.all(),
        },
    )


def _bad():
    raise Http404("No such row")


def _day(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@never_cache
@operator_required
def calendar_agenda(request, pk: int):
    calendar = _calendar(request, pk)
    day = _day(request.GET.get("giorno"), timezone.localdate())
    week = request.GET.get("vista") == "settimana"
    first = day - timedelta(days=day.weekday()) if week else day
    last = first + timedelta(days=6) if week else day
    appointments = list(agenda(calendar, date_from=first, date_to=last))
    for appointment in appointments:
        appointment.actions = available(appointment.state, Actor.OPERATOR)
    step = timedelta(days=7 if week else 1)
    return render(
        request,
        "backoffice/calendars/agenda.html",
        {
            "calendar": calendar,
            "appointments": appointments,
            "day": day,
            "first": first,
            "last": last,
            "week": week,
            "previous": day - step,
            "next": day + step,
            "slots": calendar_slots(calendar, date_from=day, date_to=day + timedelta(days=14))[:80],
            "State": State,
        },
    )


@require_POST
@operator_required
def calendar_agenda_action(request, pk: int):
    calendar = _calendar(request, pk)
    appointment = Appointment.objects.filter(
        calendar=calendar, pk=request.POST.get("appuntamento") or 0
    ).first()
    action = request.POST.get("azione", "")
    if appointment is None or (action not in AGENDA_ACTIONS and action != "reschedule"):
        return HttpResponseBadRequest()
    motivation = request.POST.get("motivazione", "")
    try:
        if action == "reschedule":
            scheduling.appointment_reschedule(
                appointment=appointment,
                start=parse_instant(request.POST.get("start")),
                user=request.user,
                actor=Actor.OPERATOR,
            )
        else:
            AGENDA_ACTIONS[action](appointment, request.user, motivation)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [_("Operazione non consentita.")])))
    else:
        messages.success(request, _("Appuntamento aggiornato."))
    day = appointment.start.astimezone(ROME).date().isoformat()
    return redirect(_url(request, "backoffice:calendar_agenda", calendar, giorno=day))


@never_cache
@operator_required
def calendar_book(request, pk: int):
    """Book on behalf of a citizen at the desk or on the phone (approved at once)."""
    calendar = _calendar(request, pk)
    day = _day(request.GET.get("giorno") or request.POST.get("giorno"), timezone.localdate())
    form = BookOnBehalfForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        start = parse_instant(form.cleaned_data["start"])
        try:
            scheduling.appointment_book_on_behalf(
                calendar=calendar,
                start=start,
                user=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Appuntamento prenotato."))
            return redirect(
                _url(
                    request,
                    "backoffice:calendar_agenda",
                    calendar,
                    giorno=start.astimezone(ROME).date().isoformat(),
                )
            )
    slots = calendar_slots(calendar, date_from=day, date_to=day)
    return render(
        request,
        "backoffice/calendars/book.html",
        {"calendar": calendar, "form": form, "day": day, "slots": slots},
    )


@require_POST
@operator_required
def calendar_feed_regenerate(request, pk: int):
    calendar = _calendar(request, pk)
    scheduling.calendar_feed_regenerate(calendar=calendar)
    messages.success(
        request, _("Nuovo indirizzo del calendario generato: quello precedente non funziona più.")
    )
    return redirect(_url(request, "backoffice:calendar_edit", calendar))


@never_cache
@admin_required
def service_calendars(request, pk: int):
    """Service editor step "Calendari": the offices that serve an appointment service."""
    service = _service(request, pk)
    if service.kind != Kind.APPOINTMENT:
        raise Http404("Only appointment services have calendars")
    calendars = Calendar.objects.for_municipality(request.municipality).order_by("title")
    if request.method == "POST":
        chosen = calendars.filter(pk__in=request.POST.getlist("calendari"))
        scheduling.service_calendars_set(service=service, calendars=list(chosen))
        messages.success(request, _("Calendari del servizio salvati."))
        return redirect(tenant_reverse("backoffice:service_list", request.municipality))
    selected = set(service.calendars.values_list("pk", flat=True))
    return render(
        request,
        "backoffice/services/calendars.html",
        {
            **_step_context(request, service, "calendars"),
            "calendars": calendars,
            "selected": selected,
        },
    )
