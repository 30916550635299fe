"""Pratiche: the operators' list, detail, handling actions, messages, attachments, export and statistics.

Every view is scoped to ``request.municipality`` and to what ``for_operator`` lets the user see: an
application of another municipality, a draft or one of a service the operator is not enabled on is a 404.
Writes go through ``sportello.applications.services``; their errors become Italian messages and change
nothing.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sportello.accounts.models import Membership
from sportello.applications import selectors, services
from sportello.applications.models import Application
from sportello.applications.states import FINAL_STATES, State
from sportello.core.downloads import file_download
from sportello.core.exports import XLSX_CONTENT_TYPE, csv_stream, xlsx_bytes
from sportello.core.urlutils import tenant_reverse
from sportello.formschema import display_values
from sportello.notifications.selectors import deliveries_for_application_events

from ..application_forms import (
    ApplicationFilterForm,
    AssignForm,
    CancelForm,
    IntegrationForm,
    MessageForm,
    OutcomeForm,
)
from ..decorators import operator_required
from .payments import payment_box_context
from .staff import add_form_errors

# The list's sortable columns: column -> (ascending sort key, descending sort key or None).
SORTABLE = {
    "service": ("service", None),
    "applicant": ("applicant_name", None),
    "state": ("state", None),
    "submitted": ("submitted_at", "-submitted_at"),
}
FILTER_PARAMS = ("q", "servizio", "stato", "dal", "al", "assegnatario", "ordine")


def _application(request, pk: int) -> Application:
    application = selectors.application_get_for_staff(
        user=request.user, municipality=request.municipality, pk=pk
    )
    if application is None:
        raise Http404("No such application for this staff member")
    return application


def _staff_choices(municipality):
    from sportello.accounts.models import User

    user_ids = Membership.objects.active().filter(municipality=municipality).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("last_name", "first_name", "username")


def _filter_form(request) -> ApplicationFilterForm:
    services_qs = selectors.application_services_for_staff(
        user=request.user, municipality=request.municipality
    )
    data = {key: request.GET[key] for key in FILTER_PARAMS if key in request.GET}
    form = ApplicationFilterForm(data, services=services_qs, staff=_staff_choices(request.municipality))
    form.is_valid()
    return form


def _query(params: dict, **changes) -> str:
    from django.utils.http import urlencode

    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    return urlencode(merged)


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


@operator_required
def application_list(request):
    form = _filter_form(request)
    filters = form.filters()
    counts = selectors.application_counts_for_staff(
        user=request.user, municipality=request.municipality, filters=filters
    )
    queryset = selectors.application_list_for_staff(
        user=request.user, municipality=request.municipality, filters=filters
    )
    page = selectors.page_of(queryset, request.GET.get("page"), count=counts.for_state(filters.state))
    params = {key: request.GET[key] for key in FILTER_PARAMS if request.GET.get(key)}
    state_links = [
        {
            "label": _("Tutte"),
            "count": _number(counts.total),
            "url": "?" + _query(params, stato=None),
            "current": not filters.state,
        }
    ] + [
        {
            "label": label,
            "count": _number(counts.get(value, 0)),
            "url": "?" + _query(params, stato=value),
            "current": filters.state == value,
            "state": value,
        }
        for value, label in State.choices
        if value != State.DRAFT and (counts.get(value) or filters.state == value)
    ]
    columns = {}
    for column, (ascending, descending) in SORTABLE.items():
        if filters.sort == ascending:
            current, target = "ascending", descending or ascending
        elif descending and filters.sort == descending:
            current, target = "descending", ascending
        else:  # dates start from the newest
            current, target = "", descending or ascending
        columns[column] = {"url": "?" + _query(params, ordine=target, page=None), "sort": current}
    return render(
        request,
        "backoffice/applications/list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "total": _number(counts.for_state(filters.state)),
            "total_count": counts.for_state(filters.state),
            "num_pages": _number(page.paginator.num_pages),
            "state_links": state_links,
            "columns": columns,
            "page_query": _query(params, page=None),
            "export_query": _query(params, ordine=None),
        },
    )


def _detail_context(request, application: Application, forms: dict | None = None) -> dict:
    available = set(selectors.application_available_transitions(application=application))
    is_open = application.state not in FINAL_STATES and application.state != State.DRAFT
    staff = selectors.application_assignable_staff(application=application)
    forms = forms or {}
    attachments = list(application.attachments.all())
    return {
        "application": application,
        "values": display_values(
            application.form_version.definition, application.data, request.LANGUAGE_CODE
        ),
        "attachments": attachments,
        "events": (events := list(application.events.select_related("actor"))),
        "deliveries": deliveries_for_application_events(events),
        "thread": application.messages.select_related("author").prefetch_related("attachments"),
        "available": available,
        "can_assign": is_open,
        "assign_form": forms.get("assign") or AssignForm(staff=staff, prefix="assegna"),
        "integration_form": forms.get("request_integration") or IntegrationForm(prefix="integrazione"),
        "accept_form": forms.get("accept") or OutcomeForm(prefix="accetta"),
        "reject_form": forms.get("reject") or OutcomeForm(prefix="rifiuta"),
        "cancel_form": forms.get("cancel") or CancelForm(prefix="annulla"),
        "message_form": forms.get("message") or MessageForm(prefix="messaggio"),
        "due_date": _due_date(application),
        **payment_box_context(application),
        "protocol_entries": list(application.protocol_entries.select_related("message")),
    }


def _due_date(application: Application):
    days = application.service.max_response_days
    if not days or not application.submitted_at:
        return None
    return timezone.localtime(application.submitted_at).date() + datetime.timedelta(days=days)


@operator_required
def application_detail(request, pk: int):
    application = _application(request, pk)
    return render(request, "backoffice/applications/detail.html", _detail_context(request, application))


@require_POST
@operator_required
def application_protocol_retry(request, pk: int):
    """Send a protocol entry that failed or is waiting to the register again, now."""
    from sportello.applications.registration import entry_retry

    application = _application(request, pk)
    if not request.POST.get("voce", "").isdigit():
        return HttpResponseBadRequest(_("Documento non indicato."))
    entry = application.protocol_entries.filter(pk=request.POST["voce"]).first()
    if entry is None:
        raise Http404("No such protocol entry")
    try:
        entry_retry(entry=entry, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Nuovo tentativo di protocollazione in corso: aggiorna la pagina tra poco.")
        )
    return _back_to_detail(request, application)


def _back_to_detail(request, application):
    return redirect(tenant_reverse("backoffice:application_detail", request.municipality, pk=application.pk))


ACTION_FORMS = {
    "take_charge": (None, None),
    "assign": (AssignForm, "assegna"),
    "request_integration": (IntegrationForm, "integrazione"),
    "accept": (OutcomeForm, "accetta"),
    "reject": (OutcomeForm, "rifiuta"),
    "cancel": (CancelForm, "annulla"),
}
SUCCESS = {
    "take_charge": gettext_lazy("Hai preso in carico la pratica."),
    "assign": gettext_lazy("Pratica assegnata."),
    "request_integration": gettext_lazy("Richiesta di integrazioni inviata al cittadino."),
    "accept": gettext_lazy("Pratica accettata."),
    "reject": gettext_lazy("Pratica rifiutata."),
    "cancel": gettext_lazy("Pratica annullata."),
}


def _run_action(action: str, application: Application, user, data: dict):
    if action == "assign":
        return services.application_assign(application=application, user=user, assignee=data["assignee"])
    return services.application_operator_transition(
        application=application,
        user=user,
        name=action,
        motivation=data.get("body", data.get("motivation", "")),
        due=data.get("due"),
        files=data.get("files", ()),
        document=data.get("document"),
    )


@require_POST
@operator_required
def application_action(request, pk: int):
    application = _application(request, pk)
    action = request.POST.get("azione", "")
    if action not in ACTION_FORMS:
        return HttpResponseBadRequest(_("Azione sconosciuta."))
    form_class, prefix = ACTION_FORMS[action]
    form = None
    data = {}
    if form_class is not None:
        kwargs = {"prefix": prefix}
        if form_class is AssignForm:
            kwargs["staff"] = selectors.application_assignable_staff(application=application)
        form = form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            return _invalid(request, application, action, form)
        data = form.cleaned_data
    try:
        _run_action(action, application, request.user, data)
    except services.TransitionNotAllowed as error:
        for message in error.messages:
            messages.error(request, message)
        return _back_to_detail(request, application)
    except PermissionDenied:
        raise
    except ValidationError as error:
        if form is None:
            for message in error.messages:
                messages.error(request, message)
            return _back_to_detail(request, application)
        _map_service_errors(form, error)
        return _invalid(request, application, action, form)
    messages.success(request, str(SUCCESS[action]))
    return _back_to_detail(request, application)


SERVICE_FIELDS = {"motivation": "motivation", "due": "due", "assignee": "assignee", "body": "body"}


def _map_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(
                SERVICE_FIELDS.get(field) if SERVICE_FIELDS.get(field) in form.fields else None, errors
            )
    else:
        add_form_errors(form, error)


def _invalid(request, application, key, form):
    messages.error(request, _("L'operazione non è stata eseguita: correggi gli errori indicati."))
    context = _detail_context(request, application, {key: form}) | {"open_form": key}
    return render(request, "backoffice/applications/detail.html", context, status=400)


@require_POST
@operator_required
def application_message(request, pk: int):
    application = _application(request, pk)
    form = MessageForm(request.POST, request.FILES, prefix="messaggio")
    kind = request.POST.get("tipo", "")
    if form.is_valid() and kind not in ("cittadino", "nota"):
        form.add_error(None, _("Scegli se scrivere al cittadino o aggiungere una nota interna."))
    if not form.is_valid():
        return _invalid(request, application, "message", form)
    try:
        services.application_message_post(
            application=application,
            user=request.user,
            body=form.cleaned_data["body"],
            internal=kind == "nota",
            files=form.cleaned_data["files"],
        )
    except services.TransitionNotAllowed as error:
        for message in error.messages:
            messages.error(request, message)
        return _back_to_detail(request, application)
    except PermissionDenied:
        raise
    except ValidationError as error:
        _map_service_errors(form, error)
        return _invalid(request, application, "message", form)
    messages.success(
        request, _("Nota interna salvata.") if kind == "nota" else _("Messaggio inviato al cittadino.")
    )
    return redirect(
        tenant_reverse("backoffice:application_detail", request.municipality, pk=application.pk) + "#messaggi"
    )


@operator_required
def application_attachment(request, pk: int, attachment_pk: int):
    application = _application(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404("No such attachment")
    return file_download(attachment.file, attachment.name)


# --- Export ---

EXPORT_HEADER = [
    gettext_lazy("Numero"),
    gettext_lazy("Servizio"),
    gettext_lazy("Richiedente"),
    gettext_lazy("Codice fiscale"),
    gettext_lazy("Stato"),
    gettext_lazy("Data di invio"),
    gettext_lazy("Assegnata a"),
    gettext_lazy("Data di chiusura"),
]
XLSX_MAX_ROWS = 100_000


def _export_queryset(queryset):
    return queryset.select_related("service", "assigned_to").only(
        "protocol_year",
        "protocol_number",
        "service__name",
        "applicant_name",
        "applicant_fiscal_code",
        "state",
        "submitted_at",
        "closed_at",
        "assigned_to__first_name",
        "assigned_to__last_name",
        "assigned_to__username",
    )


def _export_rows(queryset, *, text_dates: bool):
    state_labels = dict(State.choices)
    for application in _export_queryset(queryset).iterator(chunk_size=2000):

        def when(value):
            if value is None:
                return ""
            local = timezone.localtime(value)
            return local.strftime("%d/%m/%Y %H:%M") if text_dates else local.replace(tzinfo=None)

        assignee = application.assigned_to
        yield [
            application.number,
            application.service.name,
            application.applicant_name,
            application.applicant_fiscal_code,
            str(state_labels.get(application.state, application.state)),
            when(application.submitted_at),
            (assignee.get_full_name() or assignee.username) if assignee else "",
            when(application.closed_at),
        ]


def _csv_response(queryset, filename):
    # The export's query runs once (for one row) before the response starts: a query that fails (bad
    # parameters, a database that does not answer) is then an error page, not a 200 download cut short.
    list(_export_queryset(queryset)[:1])
    rows = _export_rows(queryset, text_dates=True)
    response = StreamingHttpResponse(csv_stream(EXPORT_HEADER, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_response(queryset, filename):
    content = xlsx_bytes(EXPORT_HEADER, _export_rows(queryset, text_dates=False), sheet_title=_("Pratiche"))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@operator_required
def application_export(request):
    export_format = request.GET.get("formato", "csv")
    if export_format not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Formato non disponibile: scegli CSV o XLSX."))
    form = _filter_form(request)
    if "servizio" in form.errors:
        raise Http404("Service not available to this staff member")
    if form.errors:
        return HttpResponseBadRequest(_("I filtri non sono validi: correggili nell'elenco delle pratiche."))
    queryset = selectors.application_list_for_staff(
        user=request.user, municipality=request.municipality, filters=form.filters()
    )
    filename = f"pratiche-{request.municipality.slug}-{timezone.localdate():%Y%m%d}"
    if export_format == "csv":
        return _csv_response(queryset, filename)
    # An XLSX file is built in memory: beyond this size the CSV (streamed) is the way.
    if queryset[: XLSX_MAX_ROWS + 1].count() > XLSX_MAX_ROWS:
        return HttpResponseBadRequest(
            _("Troppe pratiche per un file Excel (più di %(count)s): restringi i filtri o scarica il CSV.")
            % {"count": _number(XLSX_MAX_ROWS)}
        )
    return _xlsx_response(queryset, filename)


# --- Statistics ---

OVERDUE_SHOWN = 50


@operator_required
def statistics(request):
    user, municipality = request.user, request.municipality
    snapshot = selectors.statistics_snapshot(municipality=municipality)
    scope = {"user": user, "municipality": municipality, "snapshot": snapshot}
    by_service = selectors.applications_by_service_and_state(**scope)
    used_states = {state for row in by_service for state in row["counts"]}
    state_columns = [(value, label) for value, label in State.choices if value in used_states]
    for row in by_service:
        row["cells"] = [row["counts"].get(value, 0) for value, _label in state_columns]
    totals = [sum(row["counts"].get(value, 0) for row in by_service) for value, _label in state_columns]
    per_month = selectors.applications_per_month(**scope)
    average = selectors.average_handling_days(**scope)
    overdue = selectors.overdue_applications(user=user, municipality=municipality, limit=OVERDUE_SHOWN)
    for application in overdue:
        application.due_date = _due_date(application)
    return render(
        request,
        "backoffice/statistics.html",
        {
            "by_service": by_service,
            "state_columns": state_columns,
            "state_totals": totals,
            "grand_total": sum(totals),
            "per_month": per_month,
            "chart": _bar_chart(per_month),
            "average_days": average,
            # the plural form follows the number shown, to one decimal ("1,0 giorno", "1,5 giorni")
            "average_days_form": 1 if average is not None and round(average, 1) == 1 else 2,
            "overdue": overdue,
            "overdue_count": selectors.overdue_count(**scope),
            "overdue_shown": OVERDUE_SHOWN,
            "refreshed_at": snapshot.refreshed_at,
        },
    )


def _bar_chart(per_month) -> dict:
    """Geometry of the monthly bar chart, drawn as inline SVG by the template (no JavaScript)."""
    width, height, top, bottom, left = 720, 260, 20, 40, 44
    plot_height = height - top - bottom
    highest = max((count for _month, count in per_month), default=0)
    scale_max = max(highest, 1)
    slot = (width - left - 10) / max(len(per_month), 1)
    bars = []
    for index, (month, count) in enumerate(per_month):
        bar_height = round(plot_height * count / scale_max, 1)
        x = round(left + index * slot + slot * 0.15, 1)
        bars.append(
            {
                "x": x,
                "y": round(top + plot_height - bar_height, 1),
                "width": round(slot * 0.7, 1),
                "height": bar_height,
                "label_x": round(x + slot * 0.35, 1),
                "value_y": round(top + plot_height - bar_height - 4, 1),
                "month": month,
                "count": count,
            }
        )
    ticks = []
    for value in sorted({0, round(scale_max / 2), scale_max}):
        ticks.append({"y": round(top + plot_height - plot_height * value / scale_max, 1), "value": value})
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "axis_y": top + plot_height,
        "left": left,
        "tick_x": left - 6,
        "label_y": height - bottom + 18,
    }
