"""The citizen's payments: choose "Paga online" or "Paga più tardi", the return page that asks the provider,
the notice and receipt PDFs, and the list of payments in the personal area."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sportello.applications.states import State
from sportello.identity import levels
from sportello.identity.session import login_url
from sportello.payments import selectors
from sportello.payments import services as payments
from sportello.payments.notices import render_notice_pdf, render_receipt_pdf
from sportello.payments.providers import ProviderError

from .applications import _citizen, _url, citizen_application

PAYMENT_STATES = (State.PAYMENT_PENDING, State.PAYMENT_OUTCOME_PENDING, State.PAYMENT_FAILED)


def _appointment(application):
    """The appointment booked with this application (the CIE: paid before it is confirmed), if any."""
    from sportello.scheduling.models import Appointment

    return Appointment.objects.filter(application=application).select_related("calendar", "service").first()


def _place_released(appointment) -> bool:
    return appointment is not None and appointment.state in ("cancelled", "refused")


def _payment(application, payment_pk=None):
    """The application's current payment, or the one named (always one of this application's)."""
    if payment_pk is None:
        payment = selectors.current_payment(application)
    else:
        payment = selectors.application_payments(application).filter(pk=payment_pk).first()
    if payment is None:
        raise Http404("No payment")
    return payment


@never_cache
@citizen_application
def payment_choose(request, application):
    """After confirming: the amount and its budget lines, and the two pagoPA modes."""
    payment = _payment(application)
    if application.state not in PAYMENT_STATES and not payment.is_open:
        return redirect(_url(request, "portal:application_detail", application))
    appointment = _appointment(application)
    return render(
        request,
        "portal/payments/choose.html",
        {
            "application": application,
            "service": application.service,
            "payment": payment,
            "appointment": appointment,
            "place_released": _place_released(appointment),
        },
    )


@require_POST
@citizen_application
def payment_online(request, application):
    payment = _payment(application)
    back = request.build_absolute_uri(_url(request, "portal:payment_return", application))
    try:
        url = payments.payment_checkout_start(payment=payment, ok_url=back, cancel_url=back, error_url=back)
    except (ValidationError, ProviderError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [])) or _unavailable())
        return redirect(_url(request, "portal:payment_choose", application))
    return redirect(url)


def _released() -> str:
    from django.utils.translation import gettext as _

    return _("L'orario prenotato è stato liberato: prenota un nuovo appuntamento.")


def _unavailable() -> str:
    from django.utils.translation import gettext as _

    return _("Il servizio di pagamento non risponde: riprova tra qualche minuto.")


@never_cache
@citizen_application
def payment_return(request, application):
    """Back from the checkout: whatever the address says, ask the provider; "in verifica" refreshes itself."""
    payment = _payment(application)
    try:
        payment = payments.payment_refresh(payment=payment, source="return")
    except ProviderError:
        payment.refresh_from_db()
    application.refresh_from_db()
    appointment = _appointment(application)
    return render(
        request,
        "portal/payments/return.html",
        {
            "application": application,
            "service": application.service,
            "payment": payment,
            "appointment": appointment,
            "place_released": _place_released(appointment),
        },
    )


@require_POST
@citizen_application
def payment_retry(request, application):
    if _place_released(_appointment(application)):
        messages.error(request, _released())
        return redirect(_url(request, "portal:payment_choose", application))
    try:
        payments.payment_request_at_submission(application=application, user=_citizen(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_url(request, "portal:payment_choose", application))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@citizen_application
def payment_notice(request, application, payment_pk: int):
    payment = _payment(application, payment_pk)
    if payment.status not in ("created", "pending"):
        raise Http404("Not payable")
    return _pdf(render_notice_pdf(payment), f"avviso-{payment.notice_number}.pdf")


@never_cache
@citizen_application
def payment_receipt(request, application, payment_pk: int):
    payment = _payment(application, payment_pk)
    if payment.status != "paid":
        raise Http404("Not paid")
    return _pdf(render_receipt_pdf(payment), f"ricevuta-pagamento-{payment.iuv}.pdf")


@never_cache
def payment_list(request):
    if not request.user.is_authenticated:
        return redirect(login_url(request, next_url=request.path, level=levels.SPID1))
    payments_list = selectors.citizen_payments(request.user, request.municipality)[:100]
    return render(request, "portal/payments/list.html", {"payments": payments_list})
