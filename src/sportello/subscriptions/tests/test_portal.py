"""The citizen's side: a full service says so before the form, "Le mie iscrizioni" with those shared with me,
"Paga" through the sandbox checkout, notice, receipt and certificate PDFs; strangers get 404."""

import pytest

from sportello.accounts.tests.factories import UserFactory, give_privacy_consent
from sportello.payments.models import SandboxPosition, Status
from sportello.payments.providers.sandbox import sandbox_outcome
from sportello.subscriptions import services
from sportello.subscriptions.models import Subscription, SubscriptionService

from .conftest import GIULIA, MARIO
from .factories import child_code

BASE = "/comune-di-mori/it"
pytestmark = pytest.mark.django_db


def login(client, user):
    give_privacy_consent(user)
    client.force_login(user)
    session = client.session
    session["citizen_auth"] = {"level": "spid2"}
    session.save()
    return client


def enrol(subscription_service, mario):
    return services.subscription_create(
        subscription_service=subscription_service,
        subscriber_fiscal_code=child_code(1),
        first_name="Anna",
        last_name="Rossi",
        holder=mario,
        holder_fiscal_code=MARIO,
        holder_name="Rossi Mario",
        sharers=[GIULIA],
    )


def test_a_full_service_says_so_before_the_form(client, mori_canteen, mario, giulia):
    slug = mori_canteen.service.slug
    page = client.get(f"{BASE}/servizi/{slug}/").content.decode()
    assert 'data-element="service-online-access"' in page
    SubscriptionService.objects.filter(pk=mori_canteen.pk).update(max_subscribers=1)
    enrol(mori_canteen, mario)
    page = client.get(f"{BASE}/servizi/{slug}/").content.decode()
    assert "al completo" in page and 'data-element="service-online-access"' not in page
    login(client, giulia)
    response = client.get(f"{BASE}/servizi/{slug}/accedi/")
    assert response.status_code == 409 and "al completo" in response.content.decode()


def test_enrolment_through_the_form_validates_the_minor_fiscal_code(client, mori_canteen, mario):
    login(client, mario)
    url = f"{BASE}/servizi/{mori_canteen.service.slug}/accedi/"
    values = {
        "iscritto_nome": "Anna",
        "iscritto_cognome": "Rossi",
        "iscritto_codice_fiscale": "RSSNNA18A41L378X",
    }
    response = client.post(url, values)
    assert response.status_code == 200 and "codice fiscale" in response.content.decode().lower()
    assert not mario.applications.exists()
    response = client.post(
        url, {**values, "iscritto_codice_fiscale": child_code(1), "condivisione_codice_fiscale": GIULIA}
    )
    assert response.status_code == 302
    application = mario.applications.get()
    response = client.post(f"{BASE}/pratiche/{application.pk}/riepilogo/")
    assert response.status_code == 302
    subscription = Subscription.objects.get(application=application)
    assert subscription.subscriber_fiscal_code == child_code(1)
    assert list(subscription.sharers.values_list("fiscal_code", flat=True)) == [GIULIA]


def test_the_sharer_sees_it_and_pays_online(client, mori_canteen, mario, giulia):
    subscription = enrol(mori_canteen, mario)
    login(client, giulia)
    page = client.get(f"{BASE}/area-personale/iscrizioni/").content.decode()
    assert "Condivise con me" in page and "Rossi Anna" in page
    page = client.get(f"{BASE}/area-personale/iscrizioni/{subscription.pk}/").content.decode()
    assert "condivisa con te" in page and "Prima rata" in page
    charge = subscription.charges.get(item__code="rata-1")
    response = client.post(f"{BASE}/area-personale/iscrizioni/rate/{charge.pk}/paga")
    position = SandboxPosition.objects.get(iupd=charge.payment.iupd)
    assert response.status_code == 302 and response["Location"].endswith(f"/pagopa-sandbox/{position.pk}/")
    notice = client.get(f"{BASE}/area-personale/iscrizioni/rate/{charge.pk}/avviso.pdf")
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF")
    sandbox_outcome(position_pk=position.pk, outcome="paid")
    page = client.get(f"{BASE}/area-personale/iscrizioni/rate/{charge.pk}/esito/").content.decode()
    assert 'data-status="paid"' in page
    charge.payment.refresh_from_db()
    assert charge.payment.status == Status.PAID
    receipt = client.get(f"{BASE}/area-personale/iscrizioni/rate/{charge.pk}/ricevuta.pdf")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    year = charge.payment.paid_at.year
    certificate = client.get(
        f"{BASE}/area-personale/iscrizioni/{subscription.pk}/attestazione.pdf?anno={year}"
    )
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")
    # the parent who enrolled sees it paid too
    login(client, mario)
    page = client.get(f"{BASE}/area-personale/iscrizioni/{subscription.pk}/").content.decode()
    assert 'data-item="rata-1" data-status="paid"' in page


def test_strangers_get_404(client, mori_canteen, mario):
    subscription = enrol(mori_canteen, mario)
    charge = subscription.charges.first()
    login(client, UserFactory(fiscal_code="VRDLCU90C15F728X"))
    assert "Rossi Anna" not in client.get(f"{BASE}/area-personale/iscrizioni/").content.decode()
    for url in (
        f"/area-personale/iscrizioni/{subscription.pk}/",
        f"/area-personale/iscrizioni/{subscription.pk}/attestazione.pdf",
        f"/area-personale/iscrizioni/rate/{charge.pk}/avviso.pdf",
        f"/area-personale/iscrizioni/rate/{charge.pk}/esito/",
    ):
        assert client.get(BASE + url).status_code == 404, url
    assert client.post(f"{BASE}/area-personale/iscrizioni/rate/{charge.pk}/paga").status_code == 404
    assert client.post(f"{BASE}/area-personale/iscrizioni/{subscription.pk}/ritira").status_code == 404
    assert Subscription.objects.get().state == "active"


def test_the_sharer_withdraws(client, mori_canteen, mario, giulia):
    subscription = enrol(mori_canteen, mario)
    login(client, giulia)
    assert client.post(f"{BASE}/area-personale/iscrizioni/{subscription.pk}/ritira").status_code == 302
    subscription.refresh_from_db()
    assert subscription.state == "withdrawn"


def test_anonymous_goes_to_login(client, mori_canteen):
    response = client.get(f"{BASE}/area-personale/iscrizioni/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_expired_instalment_is_still_owed_and_paying_makes_a_new_position(
    client, mori_canteen, mario, giulia
):
    from sportello.payments.models import Payment

    subscription = enrol(mori_canteen, mario)
    charge = subscription.charges.get(item__code="rata-1")
    old = charge.payment
    Payment.objects.filter(pk=old.pk).update(status=Status.EXPIRED)
    charge.refresh_from_db()
    assert charge.status == "open" and charge.payable
    login(client, giulia)
    response = client.post(f"{BASE}/area-personale/iscrizioni/rate/{charge.pk}/paga")
    charge.refresh_from_db()
    assert charge.payment_id != old.pk and charge.payment.amount_cents == old.amount_cents
    assert charge.payment.purpose == old.purpose
    assert [(x.capitolo, x.amount_cents) for x in charge.payment.lines.all()] == [
        ("3101", 12000),
        ("3102", 2000),
    ]
    position = SandboxPosition.objects.get(iupd=charge.payment.iupd)
    assert response["Location"].endswith(f"/pagopa-sandbox/{position.pk}/")


def test_an_instalment_already_due_at_enrolment_is_late_but_payable(mori_canteen, mario):
    import datetime

    from django.utils import timezone

    from sportello.subscriptions.models import PlanItem

    PlanItem.objects.filter(subscription_service=mori_canteen, code="rata-1").update(
        due_date=timezone.localdate() - datetime.timedelta(days=10)
    )
    charge = enrol(mori_canteen, mario).charges.get(item__code="rata-1")
    assert charge.status == "late"
    assert charge.payment.due_date == timezone.localdate() + datetime.timedelta(days=15)
