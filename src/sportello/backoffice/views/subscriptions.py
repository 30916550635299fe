"""Servizi a sottoscrizione: the subscription services, subscribers, the paid/unpaid matrix with totals,
reminders to the late, CSV import and export, the payment certificate per subscriber and year.

Administrators see every service of ``request.municipality``; operators those whose catalogue service they
handle (``selectors.subscription_services_for_staff``). Other ids are 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.core.exports import csv_stream
from sportello.core.urlutils import tenant_reverse
from sportello.payments import iuv
from sportello.subscriptions import selectors, services
from sportello.subscriptions.certificates import render_certificate_pdf
from sportello.subscriptions.models import Subscription, SubscriptionService, SubscriptionState

from ..decorators import admin_required, operator_required
from ..subscription_forms import PlanItemForm, ReductionForm, SubscriptionServiceForm

STATUS_LABELS = {
    "paid": gettext_lazy("Pagato"),
    "exempt": gettext_lazy("Esente"),
    "open": gettext_lazy("Da pagare"),
    "late": gettext_lazy("In ritardo"),
    "failed": gettext_lazy("Non riuscito"),
    "expired": gettext_lazy("Scaduto"),
    "cancelled": gettext_lazy("Annullato"),
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File CSV degli iscritti"),
        help_text=gettext_lazy("UTF-8, separatore punto e virgola o virgola, al massimo 2 MB."),
    )


def _service(request, pk):
    found = (
        selectors.subscription_services_for_staff(request.user, request.municipality).filter(pk=pk).first()
    )
    if found is None:
        raise Http404("No such subscription service")
    return found


def _subscription(request, pk):
    visible = selectors.subscription_services_for_staff(request.user, request.municipality)
    found = (
        Subscription.objects.for_municipality(request.municipality)
        .filter(pk=pk, subscription_service__in=visible)
        .select_related("subscription_service", "municipality")
        .first()
    )
    if found is None:
        raise Http404("No such subscription")
    return found


@never_cache
@operator_required
def subscription_service_list(request):
    subscription_services = selectors.subscription_services_for_staff(request.user, request.municipality)
    return render(
        request,
        "backoffice/subscriptions/list.html",
        {"subscription_services": subscription_services, "now": timezone.now()},
    )


def _states(request):
    return (
        list(SubscriptionState.values) if request.GET.get("stato") == "tutte" else [SubscriptionState.ACTIVE]
    )


@never_cache
@operator_required
def subscription_service_detail(request, pk):
    subscription_service = _service(request, pk)
    matrix = selectors.payment_matrix(
        subscription_service, states=_states(request), search=request.GET.get("q", "")[:60]
    )
    return render(
        request,
        "backoffice/subscriptions/detail.html",
        {
            "subscription_service": subscription_service,
            "matrix": matrix,
            "status_labels": STATUS_LABELS,
            "all_states": request.GET.get("stato") == "tutte",
            "q": request.GET.get("q", "")[:60],
        },
    )


@never_cache
@operator_required
def subscription_service_export(request, pk):
    subscription_service = _service(request, pk)
    matrix = selectors.payment_matrix(subscription_service, states=list(SubscriptionState.values))
    header = [
        _("Codice fiscale iscritto"),
        _("Cognome"),
        _("Nome"),
        _("Codice fiscale richiedente"),
        _("Richiedente"),
        _("Condivisa con"),
        _("Stato"),
    ]
    for column in matrix.columns:
        header += [f"{column.item.label} - {_('importo')}", f"{column.item.label} - {_('stato')}"]
    header += [_("Totale dovuto"), _("Totale pagato")]

    def rows():
        for row in matrix.rows:
            s = row.subscription
            values = [
                s.subscriber_fiscal_code,
                s.subscriber_last_name,
                s.subscriber_first_name,
                s.holder_fiscal_code,
                s.holder_name,
                " ".join(sh.fiscal_code for sh in s.sharers.all()),
                s.get_state_display(),
            ]
            for charge in row.cells:
                values += (
                    [iuv.format_euro(charge.amount_cents), str(STATUS_LABELS[charge.status])]
                    if charge
                    else ["", ""]
                )
            values += [iuv.format_euro(row.due_cents), iuv.format_euro(row.paid_cents)]
            yield values

    response = StreamingHttpResponse(csv_stream(header, rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iscritti-{subscription_service.code}.csv"'
    return response


@never_cache
@operator_required
def subscription_service_import(request, pk):
    subscription_service = _service(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    line_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.subscriptions_import(
                subscription_service=subscription_service,
                data=form.cleaned_data["file"].read(),
                user=request.user,
            )
        except services.ImportRejected as rejected:
            line_errors = rejected.line_errors
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Importati %(count)s iscritti.") % {"count": len(created)})
            return redirect(
                tenant_reverse("backoffice:subscription_service_detail", request.municipality, pk=pk)
            )
    item_codes = [item.code for item in subscription_service.items.all()]
    return render(
        request,
        "backoffice/subscriptions/import.html",
        {
            "subscription_service": subscription_service,
            "form": form,
            "line_errors": line_errors,
            "item_codes": item_codes,
        },
        status=400 if line_errors else 200,
    )


@require_POST
@operator_required
def subscription_service_remind(request, pk):
    subscription_service = _service(request, pk)
    count = services.reminders_late_send(subscription_service=subscription_service, user=request.user)
    if count:
        messages.success(request, _("Inviati %(count)s solleciti (e-mail e App IO).") % {"count": count})
    else:
        messages.info(request, _("Nessun pagamento in ritardo."))
    return redirect(tenant_reverse("backoffice:subscription_service_detail", request.municipality, pk=pk))


@never_cache
@operator_required
def subscription_detail(request, pk):
    subscription = _subscription(request, pk)
    charges = list(subscription.charges.select_related("item", "payment"))
    years = sorted(
        {timezone.localtime(c.payment.paid_at).year for c in charges if c.payment and c.payment.paid_at},
        reverse=True,
    )
    return render(
        request,
        "backoffice/subscriptions/subscription.html",
        {
            "subscription": subscription,
            "charges": charges,
            "status_labels": STATUS_LABELS,
            "years": years,
            "sharers": list(subscription.sharers.all()),
        },
    )


@require_POST
@operator_required
def subscription_action(request, pk):
    subscription = _subscription(request, pk)
    action = request.POST.get("azione")
    try:
        if action == "chiudi":
            services.subscription_close(subscription=subscription, user=request.user)
            messages.success(request, _("Iscrizione chiusa."))
        elif action == "ritira":
            services.subscription_withdraw(subscription=subscription, user=request.user)
            messages.success(request, _("Iscrizione ritirata: i pagamenti aperti sono stati annullati."))
        else:
            return HttpResponse(status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(tenant_reverse("backoffice:subscription_detail", request.municipality, pk=pk))


@never_cache
@operator_required
def subscription_certificate(request, pk):
    subscription = _subscription(request, pk)
    try:
        year = int(request.GET.get("anno", timezone.localdate().year))
    except ValueError:
        raise Http404("Bad year") from None
    pdf = render_certificate_pdf(subscription, year, selectors.paid_charges(subscription, year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestazione-{subscription.subscriber_fiscal_code}-{year}.pdf"'
    )
    return response


# --- configuration (administrators) ---


def _admin_service(request, pk):
    found = SubscriptionService.objects.for_municipality(request.municipality).filter(pk=pk).first()
    if found is None:
        raise Http404("No such subscription service")
    return found


def _edit(request, instance):
    form = SubscriptionServiceForm(request.POST or None, instance=instance, municipality=request.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.subscription_service_save(
                municipality=request.municipality,
                values={name: form.cleaned_data[name] for name in services.SERVICE_FIELDS},
                instance=instance,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Servizio a sottoscrizione salvato."))
            return redirect(tenant_reverse("backoffice:subscription_plan", request.municipality, pk=saved.pk))
    return render(
        request, "backoffice/subscriptions/edit.html", {"form": form, "subscription_service": instance}
    )


@never_cache
@admin_required
def subscription_service_create(request):
    return _edit(request, None)


@never_cache
@admin_required
def subscription_service_edit(request, pk):
    return _edit(request, _admin_service(request, pk))


@never_cache
@admin_required
def subscription_plan(request, pk):
    """The payment plan: items with their budget line, reductions; add or remove (new enrolments only)."""
    subscription_service = _admin_service(request, pk)
    item_form = PlanItemForm(request.POST if request.POST.get("azione") == "voce" else None, prefix="voce")
    reduction_form = ReductionForm(
        request.POST if request.POST.get("azione") == "riduzione" else None, prefix="riduzione"
    )
    if request.method == "POST":
        action = request.POST.get("azione")
        try:
            if action == "voce" and item_form.is_valid():
                item, line = item_form.split()
                services.plan_item_add(subscription_service=subscription_service, values=item, line=line)
            elif action == "riduzione" and reduction_form.is_valid():
                services.reduction_add(
                    subscription_service=subscription_service, values=reduction_form.values()
                )
            elif action == "elimina-voce":
                item = subscription_service.items.filter(pk=request.POST.get("voce")).first()
                if item is None:
                    raise Http404("No such item")
                services.plan_item_delete(item=item)
            elif action == "elimina-riduzione":
                subscription_service.reductions.filter(pk=request.POST.get("riduzione")).delete()
            elif action not in ("voce", "riduzione"):
                return HttpResponse(status=400)
            else:
                raise ValidationError(_("Correggi i campi indicati."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Piano dei pagamenti aggiornato."))
            return redirect(tenant_reverse("backoffice:subscription_plan", request.municipality, pk=pk))
    return render(
        request,
        "backoffice/subscriptions/plan.html",
        {
            "subscription_service": subscription_service,
            "items": subscription_service.items.prefetch_related("lines"),
            "reductions": subscription_service.reductions.all(),
            "item_form": item_form,
            "reduction_form": reduction_form,
        },
    )
