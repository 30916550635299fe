"""Pagamenti: the payments list (filters, totals, CSV/XLSX), the accounting export and its morning files, the
reporting flows (upload, report), the payment box actions of an application, and the administrators' pages
(payment settings, the service editor's "Pagamento" step).

Everything is scoped to ``request.municipality``; operators see the payments of the applications they handle.
The accounting export (every payment of the municipality, with the payers' fiscal codes) and reconciliation are
the administrators' (the accounting office is given an administrator account).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.applications import states
from sportello.applications.models import Application
from sportello.catalog.models import Service
from sportello.core.exports import XLSX_CONTENT_TYPE, csv_stream, xlsx_bytes
from sportello.core.urlutils import tenant_reverse
from sportello.payments import accounting, iuv, reconciliation, selectors
from sportello.payments import services as payments
from sportello.payments.models import (
    BUDGET_FIELDS,
    AccountingExport,
    Payment,
    PaymentSettings,
    ReportingFlow,
    ServicePaymentConfig,
    Status,
)
from sportello.payments.providers import ProviderError
from sportello.payments.providers.sandbox import sandbox_flow
from sportello.payments.validators import taxonomy, taxonomy_search

from ..decorators import admin_required, operator_required
from ..payment_forms import (
    AccountingExportForm,
    BudgetLineFormSet,
    FlowUploadForm,
    PaymentFilterForm,
    PaymentSettingsForm,
    ServicePaymentForm,
)
from .services import _next_step, _service, _step_context


def _visible_payments(request):
    """The payments of the applications this staff member handles (administrators: all of them)."""
    handled = Application.objects.handled_by(request.user, request.municipality)
    return Payment.objects.for_municipality(request.municipality).filter(application__in=handled)


def _filtered(request):
    services = Service.objects.for_municipality(request.municipality).filter(payment_config__isnull=False)
    form = PaymentFilterForm(request.GET or None, services=services.order_by("name"))
    queryset = _visible_payments(request).select_related("application__service")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["servizio"]:
            queryset = queryset.filter(application__service_id=data["servizio"])
        if data["stato"]:
            queryset = queryset.filter(status=data["stato"])
        if data["dal"]:
            queryset = queryset.filter(created_at__date__gte=data["dal"])
        if data["al"]:
            queryset = queryset.filter(created_at__date__lte=data["al"])
        if data["capitolo"]:
            queryset = queryset.filter(lines__capitolo=data["capitolo"]).distinct()
        if data["q"]:
            q = data["q"].strip().upper()
            queryset = queryset.filter(Q(iuv=q) | Q(notice_number=q) | Q(debtor_fiscal_code=q))
    return form, queryset.order_by("-created_at", "-pk")


EXPORT_HEADER = (
    "IUV",
    gettext_lazy("Codice avviso"),
    gettext_lazy("Pratica"),
    gettext_lazy("Servizio"),
    gettext_lazy("Debitore"),
    gettext_lazy("Codice fiscale"),
    gettext_lazy("Importo"),
    gettext_lazy("Stato"),
    gettext_lazy("Scadenza"),
    gettext_lazy("Pagato il"),
    "PSP",
)


def _export_rows(queryset):
    labels = dict(Status.choices)
    for p in queryset.iterator(chunk_size=2000):
        yield [
            p.iuv,
            p.notice_number,
            p.application.number if p.application else "",
            p.application.service.name if p.application else p.description,
            p.debtor_name,
            p.debtor_fiscal_code,
            iuv.format_decimal(p.amount_cents),
            str(labels[p.status]),
            p.due_date,
            timezone.localtime(p.paid_at).replace(tzinfo=None) if p.paid_at else "",
            p.psp,
        ]


@never_cache
@operator_required
def payment_list(request):
    form, queryset = _filtered(request)
    export = request.GET.get("formato")
    if export in ("csv", "xlsx"):
        filename = f"pagamenti-{request.municipality.slug}-{timezone.localdate():%Y%m%d}"
        if export == "csv":
            response = StreamingHttpResponse(
                csv_stream(EXPORT_HEADER, _export_rows(queryset)), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                xlsx_bytes(EXPORT_HEADER, _export_rows(queryset), sheet_title=_("Pagamenti")),
                content_type=XLSX_CONTENT_TYPE,
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}.{export}"'
        return response
    totals = queryset.order_by().aggregate(
        count=Count("pk", distinct=True),
        amount=Sum("amount_cents"),
        paid=Sum("amount_cents", filter=Q(status=Status.PAID)),
    )
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("formato", None)
    return render(
        request,
        "backoffice/payments/list.html",
        {"form": form, "page": page, "totals": totals, "query": query.urlencode()},
    )


def _application_for_staff(request, pk):
    application = (
        Application.objects.for_operator(request.user, request.municipality)
        .select_related("service", "municipality")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("No such application for this staff member")
    return application


@require_POST
@operator_required
def payment_action(request, pk: int):
    """The payment box's actions: "richiedi pagamento" (deferred), "verifica ora", "annulla"."""
    application = _application_for_staff(request, pk)
    action = request.POST.get("azione")
    try:
        if action == "request":
            payments.payment_request_deferred(application=application, user=request.user)
            messages.success(
                request, _("Pagamento richiesto: il cittadino lo trova nella sua area personale.")
            )
        elif action in ("refresh", "cancel"):
            payment = (
                selectors.application_payments(application).filter(pk=request.POST.get("pagamento")).first()
            )
            if payment is None:
                raise Http404("No such payment")
            if action == "refresh":
                payments.payment_refresh(payment=payment)
                messages.success(request, _("Stato del pagamento verificato presso il fornitore."))
            else:
                payments.payment_cancel(payment=payment, user=request.user, note=request.POST.get("nota", ""))
                messages.success(request, _("Pagamento annullato."))
        else:
            return HttpResponseBadRequest(_("Azione sconosciuta."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except ProviderError:
        messages.error(request, _("Il fornitore dei pagamenti non risponde: riproveremo automaticamente."))
    return redirect(
        tenant_reverse("backoffice:application_detail", request.municipality, pk=application.pk)
        + "#pagamento"
    )


# --- accounting ---


# Larger exports are built by a task, with a progress page, instead of inside the request.
ASYNC_FROM_ROWS = 5000


@never_cache
@admin_required
def accounting_export(request):
    form = AccountingExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if (
            accounting.accounting_lines(request.municipality, data["dal"], data["al"]).count()
            > ASYNC_FROM_ROWS
        ):
            export = payments.accounting_export_request(
                municipality=request.municipality,
                user=request.user,
                date_from=data["dal"],
                date_to=data["al"],
                export_format=data["formato"],
            )
            return redirect(
                tenant_reverse("backoffice:accounting_export_status", request.municipality, pk=export.pk)
            )
        rows = accounting.accounting_rows(request.municipality, data["dal"], data["al"])
        name = f"contabilita-{request.municipality.slug}-{data['dal']:%Y%m%d}-{data['al']:%Y%m%d}"
        if data["formato"] == "csv":
            response = StreamingHttpResponse(
                csv_stream(accounting.COLUMNS, ([row[c] for c in accounting.COLUMNS] for row in rows)),
                content_type=accounting.FORMATS["csv"],
            )
        else:
            response = HttpResponse(
                accounting.render(rows, data["formato"]), content_type=accounting.FORMATS[data["formato"]]
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{data["formato"]}"'
        return response
    return render(
        request, "backoffice/payments/accounting.html", {"form": form, "columns": accounting.COLUMNS}
    )


def _export(request, pk):
    export = AccountingExport.objects.for_municipality(request.municipality).filter(pk=pk).first()
    if export is None:
        raise Http404("No such export")
    return export


@never_cache
@admin_required
def accounting_export_status(request, pk: int):
    """A long export's progress (the page reloads itself until the file is ready)."""
    return render(request, "backoffice/payments/export_status.html", {"export": _export(request, pk)})


@never_cache
@admin_required
def accounting_export_download(request, pk: int):
    export = _export(request, pk)
    if export.state != AccountingExport.State.DONE or not default_storage.exists(export.path):
        raise Http404("Not ready")
    with default_storage.open(export.path, "rb") as stored:
        response = HttpResponse(stored.read(), content_type=accounting.FORMATS[export.export_format])
    name = f"contabilita-{request.municipality.slug}-{export.date_from:%Y%m%d}-{export.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{export.export_format}"'
    return response


@never_cache
@admin_required
def accounting_file(request, day: str):
    """A morning export kept in storage (the link e-mailed to the accounting office)."""
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404("Bad date") from None
    export_format = request.GET.get("formato", "csv")
    if export_format not in accounting.FORMATS:
        raise Http404("Bad format")
    path = accounting.export_path(request.municipality, date, export_format)
    if not default_storage.exists(path):
        raise Http404("No export for that day")
    with default_storage.open(path, "rb") as stored:
        response = HttpResponse(stored.read(), content_type=accounting.FORMATS[export_format])
    response["Content-Disposition"] = f'attachment; filename="{path.rsplit("/", 1)[-1]}"'
    return response


# --- reconciliation ---


@never_cache
@admin_required
def flow_list(request):
    settings = PaymentSettings.objects.filter(municipality=request.municipality).first()
    form = FlowUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if settings is None:
            raise Http404("Payments not configured")
        try:
            if request.POST.get("sandbox"):
                data = sandbox_flow(municipality=request.municipality)
            elif form.is_valid():
                data = form.cleaned_data["flow"].read(reconciliation.MAX_BYTES + 1)
            else:
                data = None
            if data is not None:
                flow, created = reconciliation.flow_reconcile(
                    municipality=request.municipality, data=data, user=request.user
                )
                if not created:
                    messages.info(request, _("Questo flusso era già stato caricato: nulla è cambiato."))
                return redirect(tenant_reverse("backoffice:flow_detail", request.municipality, pk=flow.pk))
        except ValidationError as error:
            form.add_error(None, error.messages)
        except ProviderError:
            form.add_error(None, _("Non ci sono pagamenti della sandbox da rendicontare."))
    flows = ReportingFlow.objects.for_municipality(request.municipality).order_by("-created_at")[:50]
    sandbox = settings is not None and settings.provider == "sandbox"
    return render(
        request, "backoffice/payments/flows.html", {"form": form, "flows": flows, "sandbox": sandbox}
    )


@never_cache
@admin_required
def flow_detail(request, pk: int):
    flow = ReportingFlow.objects.for_municipality(request.municipality).filter(pk=pk).first()
    if flow is None:
        raise Http404("No such flow")
    return render(request, "backoffice/payments/flow_detail.html", {"flow": flow})


# --- administrators ---


@never_cache
@admin_required
def payment_settings(request):
    instance = PaymentSettings.objects.filter(municipality=request.municipality).first()
    form = PaymentSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            payments.payment_settings_save(
                municipality=request.municipality, values=form.values(), secrets=form.secrets()
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Impostazioni dei pagamenti salvate."))
            return redirect(tenant_reverse("backoffice:payment_settings", request.municipality))
    return render(request, "backoffice/payments/settings.html", {"form": form})


@admin_required
def taxonomy_lookup(request):
    """Search the pagoPA taxonomy (also usable without JavaScript: a plain results page)."""
    query = request.GET.get("q", "").strip()[:80]
    results = taxonomy_search(query) if query else []
    if request.GET.get("formato") == "json":
        return JsonResponse({"results": [{"code": c, "label": label} for c, label in results]})
    return render(request, "backoffice/payments/taxonomy.html", {"query": query, "results": results})


def _line_initial(config):
    if config is None:
        return []
    return [{f: getattr(line, f) for f in BUDGET_FIELDS} for line in config.lines.all()]


def _rules_text(config) -> str:
    if config is None:
        return ""
    return "\n".join(
        f"{rule['field']} = {rule['equals']}: " + "; ".join(iuv.format_euro(a) for a in rule["amounts"])
        for rule in config.rules
    )


@never_cache
@admin_required
def service_payment(request, pk: int):
    service = _service(request, pk)
    config = ServicePaymentConfig.objects.filter(service=service).first()
    initial_lines = _line_initial(config)
    if request.method == "POST":
        form = ServicePaymentForm(request.POST)
        formset = BudgetLineFormSet(request.POST, prefix="voci")
    else:
        form = ServicePaymentForm(
            initial={
                "when": config.when if config else "none",
                "description": config.description if config else "",
                "due_days": config.due_days if config else 30,
                "total": sum(line["amount_cents"] for line in initial_lines) if initial_lines else None,
                "rules": _rules_text(config),
            }
        )
        formset = BudgetLineFormSet(initial=initial_lines or None, prefix="voci")
        formset.extra = 5 - len(initial_lines or [{}]) if initial_lines else 4
    if request.method == "POST":
        form_ok = form.is_valid()
        none = form_ok and form.cleaned_data["when"] == "none"
        lines_ok = none or formset.is_valid()
        if form_ok and lines_ok:
            lines = (
                []
                if none
                else [
                    f.cleaned_data
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
            )
            try:
                payments.service_payment_save(
                    service=service,
                    when=form.cleaned_data["when"],
                    description=form.cleaned_data["description"],
                    due_days=form.cleaned_data["due_days"],
                    total=form.cleaned_data["total"],
                    lines=lines,
                    rules=form.cleaned_data["rules"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Pagamento del servizio salvato."))
                return _next_step(request, service, "payment")
    context = _step_context(request, service, "payment")
    context.update({"form": form, "formset": formset, "taxonomy": sorted(taxonomy().items())})
    return render(request, "backoffice/services/payment.html", context)


def payment_box_context(application) -> dict:
    """For the application detail: its payments, and whether the office may ask for one now."""
    config = selectors.payment_config(application.service)
    payments_list = list(selectors.application_payments(application))
    can_request = (
        config is not None
        and config.when == "deferred"
        and states.allowed("payment_request", application.state, states.Actor.OPERATOR)
        and not any(p.is_open or p.status == Status.PAID for p in payments_list)
    )
    return {"payments": payments_list, "payment_config": config, "can_request_payment": can_request}
