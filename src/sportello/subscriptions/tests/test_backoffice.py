"""The back office's "Servizi a sottoscrizione": matrix with totals, export, import report, reminders,
certificate, and tenant isolation."""

import pytest

from sportello.accounts.models import Role
from sportello.accounts.tests.factories import MembershipFactory
from sportello.payments.models import SandboxPosition
from sportello.payments.providers.sandbox import sandbox_outcome
from sportello.payments.services import payment_checkout_start, payment_refresh
from sportello.subscriptions import services
from sportello.subscriptions.models import Subscription

from .conftest import GIULIA, MARIO
from .factories import child_code

pytestmark = pytest.mark.django_db
BASE = "/comune-di-mori/it/operatori/sottoscrizioni"


def enrol(subscription_service, child, holder=MARIO, sharers=()):
    return services.subscription_create(
        subscription_service=subscription_service,
        subscriber_fiscal_code=child_code(child),
        first_name="Anna",
        last_name=f"Rossi{child}",
        holder_fiscal_code=holder,
        holder_name="Rossi Mario",
        holder_email="mario@example.org",
        sharers=sharers,
    )


def pay(charge):
    payment_checkout_start(payment=charge.payment, ok_url="/", cancel_url="/", error_url="/")
    sandbox_outcome(position_pk=SandboxPosition.objects.get(iupd=charge.payment.iupd).pk, outcome="paid")
    return payment_refresh(payment=charge.payment)


def test_the_matrix_shows_who_paid_with_totals(client, mori_admin, mori_canteen):
    first, second = enrol(mori_canteen, 1, sharers=[GIULIA]), enrol(mori_canteen, 2)
    pay(first.charges.get(item__code="rata-1"))
    client.force_login(mori_admin)
    response = client.get(f"{BASE}/{mori_canteen.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-fiscal-code="{child_code(1)}"' in html
    matrix = response.context["matrix"]
    column = next(c for c in matrix.columns if c.item.code == "rata-1")
    assert (column.paid, column.unpaid, column.paid_cents, column.due_cents) == (1, 1, 14000, 14000 + 11200)
    assert matrix.paid_cents == 14000
    assert "1 pagato" in html and "140,00 / 252,00 €" in html
    assert second.pk in [row.subscription.pk for row in matrix.rows]


def test_export_csv_has_a_row_per_subscriber(client, mori_admin, mori_canteen):
    enrol(mori_canteen, 1, sharers=[GIULIA])
    client.force_login(mori_admin)
    response = client.get(f"{BASE}/{mori_canteen.pk}/esporta.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Codice fiscale iscritto;Cognome;Nome")
    assert lines[1].startswith(
        f"{child_code(1)};Rossi1;Anna;{MARIO};Rossi Mario;{GIULIA};Attiva;30,00;Da pagare"
    )


def test_a_bad_import_shows_the_errors_by_line_and_adds_nobody(client, mori_admin, mori_canteen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(mori_admin)
    data = (
        "codice_fiscale;cognome;nome;cf_richiedente;nome_richiedente\n"
        f"{child_code(1)};Verdi;Ada;{MARIO};Rossi Mario\n"
        f"XXXX;Verdi;Bruno;{MARIO};Rossi Mario\n"
    ).encode()
    response = client.post(
        f"{BASE}/{mori_canteen.pk}/importa/", {"file": SimpleUploadedFile("iscritti.csv", data, "text/csv")}
    )
    assert response.status_code == 400
    assert "Riga 3" in response.content.decode() and "non valido" in response.content.decode()
    assert Subscription.objects.count() == 0
    good = data.decode().splitlines()[:2]
    response = client.post(
        f"{BASE}/{mori_canteen.pk}/importa/",
        {"file": SimpleUploadedFile("iscritti.csv", ("\n".join(good) + "\n").encode(), "text/csv")},
    )
    assert response.status_code == 302 and Subscription.objects.count() == 1


def test_reminders_and_certificate(client, mori_admin, mori_canteen):
    import datetime

    from django.utils import timezone

    from sportello.subscriptions.models import Charge, Reminder

    subscription = enrol(mori_canteen, 1)
    payment = pay(subscription.charges.get(item__code="iscrizione"))
    Charge.objects.filter(subscription=subscription, item__code="rata-1").update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(mori_admin)
    assert client.post(f"{BASE}/{mori_canteen.pk}/solleciti").status_code == 302
    assert Reminder.objects.filter(kind="late").count() == 1
    response = client.get(f"{BASE}/iscrizioni/{subscription.pk}/attestazione.pdf?anno={payment.paid_at.year}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import pypdfium2

    text = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "Quota di iscrizione" in text and "30,00" in text and child_code(1) in text


def test_operators_see_only_services_they_handle_and_other_municipalities_nothing(
    client, mori, mori_canteen, trento, trento_admin
):
    operator = MembershipFactory(municipality=mori, role=Role.OPERATOR).user
    subscription = enrol(mori_canteen, 1)
    client.force_login(operator)
    assert client.get(f"{BASE}/").status_code == 200
    assert client.get(f"{BASE}/{mori_canteen.pk}/").status_code == 404
    mori_canteen.service.operators.add(operator)
    assert client.get(f"{BASE}/{mori_canteen.pk}/").status_code == 200
    assert client.get(f"{BASE}/iscrizioni/{subscription.pk}/").status_code == 200
    # Trento's administrator: 403 under Mori, 404 for Mori's ids under Trento
    client.force_login(trento_admin)
    assert client.get(f"{BASE}/{mori_canteen.pk}/").status_code == 403
    trento_base = "/comune-di-trento/it/operatori/sottoscrizioni"
    assert client.get(f"{trento_base}/{mori_canteen.pk}/").status_code == 404
    assert client.get(f"{trento_base}/iscrizioni/{subscription.pk}/attestazione.pdf").status_code == 404
    assert (
        client.post(f"{trento_base}/iscrizioni/{subscription.pk}/azione", {"azione": "ritira"}).status_code
        == 404
    )
    subscription.refresh_from_db()
    assert subscription.state == "active"


def test_office_closes_a_subscription(client, mori_admin, mori_canteen):
    subscription = enrol(mori_canteen, 1)
    client.force_login(mori_admin)
    response = client.post(f"{BASE}/iscrizioni/{subscription.pk}/azione", {"azione": "chiudi"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.state == "closed"
