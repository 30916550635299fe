"""The citizen's payment pages: confirm -> choose the mode -> sandbox checkout -> return page asking the provider."""

import pytest

from sportello.accounts.tests.factories import give_privacy_consent
from sportello.applications.states import State
from sportello.payments.models import Payment, Status
from sportello.payments.tests.factories import cie_service, filled_application, payment_settings

BASE = "/comune-di-mori/it"
pytestmark = pytest.mark.django_db


@pytest.fixture
def cie(mori):
    payment_settings(mori)
    return cie_service(mori)


def _login(client, user):
    """A citizen logged in with SPID level 2 who already accepted the privacy notice."""
    give_privacy_consent(user)
    client.force_login(user)
    session = client.session
    session["citizen_auth"] = {"level": "spid2"}
    session.save()
    return client


@pytest.fixture
def logged(client, citizen, mori):
    return _login(client, citizen)


def _confirm(client, cie, citizen):
    application = filled_application(cie, citizen)
    response = client.post(f"{BASE}/pratiche/{application.pk}/riepilogo/")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/pratiche/{application.pk}/pagamento/"
    return application


def test_summary_of_a_paid_service_confirms_and_offers_both_modes(logged, cie, citizen):
    application = filled_application(cie, citizen)
    page = logged.get(f"{BASE}/pratiche/{application.pk}/riepilogo/").content.decode()
    assert "Conferma e vai al pagamento" in page
    _confirm(logged, cie, citizen)
    page = logged.get(f"{BASE}/pratiche/{application.pk}/pagamento/").content.decode()
    assert "22,21 €" in page and "16,79 €" in page and "Paga online" in page and "Paga più tardi" in page
    application.refresh_from_db()
    assert application.state == State.PAYMENT_PENDING


def test_pay_online_in_the_sandbox_and_return(logged, cie, citizen):
    application = _confirm(logged, cie, citizen)
    response = logged.post(f"{BASE}/pratiche/{application.pk}/pagamento/online")
    assert response.status_code == 302 and "/pagopa-sandbox/" in response["Location"]
    checkout = response["Location"]
    page = logged.get(checkout).content.decode()
    assert "Ambiente di prova" in page and "22,21 €" in page
    # The return address alone proves nothing: before paying, the page says "in verifica" and refreshes.
    page = logged.get(f"{BASE}/pratiche/{application.pk}/pagamento/esito/").content.decode()
    assert (
        "Pagamento in verifica" in page
        and 'data-refresh-seconds="5"' in page
        and "payments/refresh.js" in page
    )
    assert Payment.objects.get().status == Status.PENDING
    response = logged.post(checkout, {"outcome": "paid"})
    assert response["Location"].endswith(f"/pratiche/{application.pk}/pagamento/esito/")
    page = logged.get(response["Location"]).content.decode()
    assert "Pagamento eseguito" in page and "data-refresh-seconds" not in page
    application.refresh_from_db()
    assert application.state == State.REGISTERED
    payment = Payment.objects.get()
    receipt = logged.get(f"{BASE}/pratiche/{application.pk}/pagamenti/{payment.pk}/ricevuta.pdf")
    assert receipt["Content-Type"] == "application/pdf"
    listing = logged.get(f"{BASE}/area-personale/pagamenti/").content.decode()
    assert "Ricevuta" in listing and "22,21 €" in listing


def test_failed_payment_offers_retry(logged, cie, citizen):
    application = _confirm(logged, cie, citizen)
    checkout = logged.post(f"{BASE}/pratiche/{application.pk}/pagamento/online")["Location"]
    page = logged.get(logged.post(checkout, {"outcome": "failed"})["Location"]).content.decode()
    assert "Pagamento non riuscito" in page
    application.refresh_from_db()
    assert application.state == State.PAYMENT_FAILED
    logged.post(f"{BASE}/pratiche/{application.pk}/pagamento/riprova")
    assert Payment.objects.filter(status=Status.CREATED).count() == 1
    application.refresh_from_db()
    assert application.state == State.PAYMENT_PENDING


def test_pay_later_notice_pdf(logged, cie, citizen):
    application = _confirm(logged, cie, citizen)
    payment = Payment.objects.get()
    response = logged.get(f"{BASE}/pratiche/{application.pk}/pagamenti/{payment.pk}/avviso.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_another_citizen_sees_nothing(client, cie, citizen):
    from sportello.accounts.tests.factories import UserFactory

    application = _confirm_as(client, cie, citizen)
    other = UserFactory(fiscal_code="VRDLGU80A01H501X")
    _login(client, other)
    payment = Payment.objects.get()
    for url in (
        f"{BASE}/pratiche/{application.pk}/pagamento/",
        f"{BASE}/pratiche/{application.pk}/pagamento/esito/",
        f"{BASE}/pratiche/{application.pk}/pagamenti/{payment.pk}/avviso.pdf",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"{BASE}/pratiche/{application.pk}/pagamento/online").status_code == 404


def _confirm_as(client, cie, citizen):
    _login(client, citizen)
    return _confirm(client, cie, citizen)
