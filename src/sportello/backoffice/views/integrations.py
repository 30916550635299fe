"""Integrazioni: the municipality's API tokens and webhooks, and the log of deliveries (replayable).

A new token or webhook secret is shown once, in the answer to the POST that made it, and never again."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.core.urlutils import tenant_reverse
from sportello.integrations import selectors, services
from sportello.integrations.models import ApiToken, Webhook, WebhookDelivery

from ..decorators import admin_required
from ..integration_forms import ApiTokenForm, WebhookForm
from .staff import add_form_errors


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.max), timezone.get_default_timezone()
    )


@never_cache
@admin_required
def integrations(request):
    municipality = request.municipality
    action = request.POST.get("azione") if request.method == "POST" else None
    token_form = ApiTokenForm(request.POST if action == "token" else None, prefix="token")
    webhook_form = WebhookForm(request.POST if action == "webhook" else None, prefix="webhook")
    created_token = created_secret = None
    if action == "token" and token_form.is_valid():
        data = token_form.cleaned_data
        try:
            created_token = services.api_token_create(
                municipality=municipality,
                user=request.user,
                name=data["name"],
                scopes=data["scopes"],
                expires_at=_end_of_day(data["expires_on"]),
            ).raw
        except ValidationError as error:
            add_form_errors(token_form, error)
        else:
            token_form = ApiTokenForm(prefix="token")
    elif action == "webhook" and webhook_form.is_valid():
        try:
            created_secret = services.webhook_create(
                municipality=municipality, **webhook_form.cleaned_data
            ).secret
        except ValidationError as error:
            add_form_errors(webhook_form, error)
        else:
            webhook_form = WebhookForm(prefix="webhook")
    return render(
        request,
        "backoffice/integrations.html",
        {
            "tokens": selectors.api_token_list(municipality=municipality),
            "webhooks": selectors.webhook_list(municipality=municipality),
            "deliveries": selectors.webhook_delivery_list(municipality=municipality),
            "token_form": token_form,
            "webhook_form": webhook_form,
            "created_token": created_token,
            "created_secret": created_secret,
            "now": timezone.now(),
        },
    )


def _own(model, request, pk):
    row = model.objects.for_municipality(request.municipality).filter(pk=pk).first()
    if row is None:
        raise Http404("Not of this municipality")
    return row


def _act(request, model, pk, action, message):
    action(_own(model, request, pk))
    messages.success(request, message)
    return redirect(tenant_reverse("backoffice:integrations", request.municipality))


@require_POST
@admin_required
def api_token_revoke(request, pk: int):
    return _act(
        request,
        ApiToken,
        pk,
        lambda token: services.api_token_revoke(token=token),
        _("Token revocato: non può più essere usato."),
    )


@require_POST
@admin_required
def webhook_deactivate(request, pk: int):
    return _act(
        request,
        Webhook,
        pk,
        lambda hook: services.webhook_deactivate(webhook=hook),
        _("Webhook disattivato."),
    )


@require_POST
@admin_required
def webhook_delivery_replay(request, pk):
    return _act(
        request,
        WebhookDelivery,
        pk,
        lambda delivery: services.webhook_delivery_replay(delivery=delivery),
        _("Consegna rimessa in coda: sarà inviata di nuovo con lo stesso identificativo."),
    )
