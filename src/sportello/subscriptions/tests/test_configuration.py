"""Administrators set up a subscription service and its payment plan in the back office."""

import pytest

from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import ServiceFactory
from sportello.payments.tests.factories import payment_settings
from sportello.subscriptions import services
from sportello.subscriptions.models import SubscriptionService

from .conftest import MARIO
from .factories import ENROLMENT_DEFINITION, child_code

pytestmark = pytest.mark.django_db
BASE = "/comune-di-mori/it/operatori/sottoscrizioni"


def test_admin_creates_a_service_and_its_plan_then_enrolments_are_charged(client, mori, mori_admin):
    payment_settings(mori)
    service = ServiceFactory(
        municipality=mori, name="Iscrizione al trasporto scolastico", access_level="spid2"
    )
    service_form_save(service=service, definition=ENROLMENT_DEFINITION)
    client.force_login(mori_admin)
    response = client.post(
        f"{BASE}/nuovo/",
        {
            "code": "scuolabus",
            "name": "Scuolabus 2026/27",
            "service": service.pk,
            "enrol_from": "2026-06-01T00:00",
            "enrol_until": "2030-06-30T23:59",
            "period_start": "2026-09-14",
            "period_end": "2027-06-10",
            "max_subscribers": "2",
            "message": "",
        },
    )
    subscription_service = SubscriptionService.objects.get(code="scuolabus")
    assert response.status_code == 302 and response["Location"].endswith(f"/{subscription_service.pk}/piano/")
    plan = f"{BASE}/{subscription_service.pk}/piano/"
    response = client.post(
        plan,
        {
            "azione": "voce",
            "voce-code": "rata-unica",
            "voce-kind": "instalment",
            "voce-label": "Rata unica",
            "voce-due_date": "2026-12-31",
            "voce-reducible": "on",
            "voce-amount": "95,50",
            "voce-capitolo": "3201",
            "voce-taxonomy_code": "9/0107102SP/",
        },
    )
    assert response.status_code == 302
    response = client.post(
        plan,
        {
            "azione": "riduzione",
            "riduzione-kind": "isee",
            "riduzione-label": "ISEE basso",
            "riduzione-isee_max": "8000",
            "riduzione-percent": "50",
        },
    )
    assert response.status_code == 302
    assert "Rata unica" in client.get(plan).content.decode()
    subscription = services.subscription_create(
        subscription_service=subscription_service,
        subscriber_fiscal_code=child_code(1),
        first_name="Anna",
        last_name="Rossi",
        holder_fiscal_code=MARIO,
        holder_name="Rossi Mario",
        isee_cents=700_000,
    )
    charge = subscription.charges.get()
    assert charge.amount_cents == 4775 and charge.payment.lines.get().capitolo == "3201"
    # an item already charged cannot be deleted; the maximum cannot go below the seats taken
    response = client.post(plan, {"azione": "elimina-voce", "voce": charge.item_id}, follow=True)
    assert "già addebitata" in response.content.decode()
    services.subscription_create(
        subscription_service=subscription_service,
        subscriber_fiscal_code=child_code(2),
        first_name="Bea",
        last_name="Rossi",
        holder_fiscal_code=MARIO,
        holder_name="Rossi Mario",
    )
    with pytest.raises(Exception, match="già 2 iscritti"):
        services.subscription_service_save(
            municipality=mori, values={"max_subscribers": 1}, instance=subscription_service
        )


def test_bad_input_is_refused_with_a_message(client, mori, mori_admin, mori_operator):
    client.force_login(mori_admin)
    response = client.post(f"{BASE}/nuovo/", {"code": "x", "name": ""})
    assert response.status_code == 200 and not SubscriptionService.objects.exists()
    client.force_login(mori_operator)
    assert client.get(f"{BASE}/nuovo/").status_code == 403
