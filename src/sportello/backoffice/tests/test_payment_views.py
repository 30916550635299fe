"""Back-office payment pages: settings with write-only keys, the service's Pagamento step, the payment box,
the Pagamenti list and exports, the accounting export and the reporting flows."""

import io
import logging

import pytest
from django.utils import timezone

from sportello.applications.states import State
from sportello.payments.models import PaymentSettings, ServicePaymentConfig, Status
from sportello.payments.services import (
    payment_apply_status,
    payment_publish_now,
    payment_request_at_submission,
)
from sportello.payments.tests.factories import TEST_IBAN, cie_service, filled_application, payment_settings
from sportello.payments.tests.test_services import _paid

BASE = "/comune-di-mori/it/operatori"
pytestmark = pytest.mark.django_db


@pytest.fixture
def cie(mori):
    payment_settings(mori)
    return cie_service(mori)


@pytest.fixture
def paid(cie, citizen):
    application = filled_application(cie, citizen)
    payment = payment_request_at_submission(application=application, user=citizen)
    payment_publish_now(payment=payment)
    return payment_apply_status(payment=payment, observed=_paid(payment))


SETTINGS = {
    "creditor_name": "Comune di Mori",
    "iban": "IT60 X054 2811 1010 0000 0123 456",
    "segregation_code": "01",
    "cbill": "",
    "provider": "pagopa",
    "gpd_base_url": "https://api.uat.platform.pagopa.it/gpd/debt-positions-service/v1",
    "gpd_subscription_key": "gpd-secret-0001",
    "checkout_base_url": "https://api.platform.pagopa.it/checkout/ec/v1",
    "checkout_subscription_key": "checkout-secret-0001",
    "accounting_email": "ragioneria@example.org",
}


def _settings(mori, **changes):
    return {**SETTINGS, "creditor_fiscal_code": mori.fiscal_code, **changes}


def test_settings_keys_are_write_only(client, mori, mori_admin, caplog):
    client.force_login(mori_admin)
    caplog.set_level(logging.DEBUG)
    response = client.post(f"{BASE}/pagamenti/impostazioni/", _settings(mori))
    assert response.status_code == 302
    saved = PaymentSettings.objects.get(municipality=mori)
    assert saved.iban == TEST_IBAN and saved.gpd_subscription_key == "gpd-secret-0001"
    page = client.get(f"{BASE}/pagamenti/impostazioni/").content.decode()
    assert "gpd-secret-0001" not in page and "checkout-secret-0001" not in page and "Impostata" in page
    # a blank key keeps the stored one
    client.post(f"{BASE}/pagamenti/impostazioni/", _settings(mori, gpd_subscription_key=""))
    saved.refresh_from_db()
    assert saved.gpd_subscription_key == "gpd-secret-0001"
    assert "secret-0001" not in caplog.text and "secret" not in repr(saved) + str(saved)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iban", "IT60X0542811101000000123457", "IBAN non è valido"),
        ("segregation_code", "46", "da 00 a 45"),
        ("creditor_fiscal_code", "00000000001", "non è valido"),
    ],
)
def test_settings_bad_input_is_refused_and_changes_nothing(client, mori, mori_admin, field, value, message):
    client.force_login(mori_admin)
    response = client.post(f"{BASE}/pagamenti/impostazioni/", _settings(mori, **{field: value}))
    assert response.status_code == 200 and message in response.content.decode()
    assert not PaymentSettings.objects.exists()


def _line(n, description, capitolo, amount, taxonomy="9/0104100TS/"):
    return {
        f"voci-{n}-description": description,
        f"voci-{n}-capitolo": capitolo,
        f"voci-{n}-articolo": "1",
        f"voci-{n}-accertamento": "",
        f"voci-{n}-ufficio": "Anagrafe",
        f"voci-{n}-taxonomy_code": taxonomy,
        f"voci-{n}-amount_cents": amount,
    }


def _payment_step(total, amounts, taxonomy="9/0104100TS/"):
    data = {
        "when": "submission",
        "description": "Rilascio CIE",
        "due_days": "30",
        "total": total,
        "rules": "motivo = duplicato: 16,79; 10,32; 0,26",
        "voci-TOTAL_FORMS": "5",
        "voci-INITIAL_FORMS": "0",
        "voci-MIN_NUM_FORMS": "1",
        "voci-MAX_NUM_FORMS": "5",
    }
    for n, amount in enumerate(amounts):
        data |= _line(n, f"Voce {n}", f"C{n}", amount, taxonomy)
    return data


def test_service_payment_step_saves_the_cie_split(client, mori, mori_admin):
    from sportello.catalog.tests.factories import ServiceFactory

    service = ServiceFactory(municipality=mori)
    client.force_login(mori_admin)
    page = client.get(f"{BASE}/servizi/{service.pk}/pagamento/").content.decode()
    assert "Voci di bilancio" in page and 'list="tassonomia"' in page and "9/0104100TS/" in page
    response = client.post(
        f"{BASE}/servizi/{service.pk}/pagamento/", _payment_step("22,21", ["16,79", "5,16", "0,26"])
    )
    assert response.status_code == 302
    config = ServicePaymentConfig.objects.get(service=service)
    assert [line.amount_cents for line in config.lines.all()] == [1679, 516, 26]
    assert config.rules == [{"field": "motivo", "equals": "duplicato", "amounts": [1679, 1032, 26]}]
    assert "16,79" in client.get(f"{BASE}/servizi/{service.pk}/pagamento/").content.decode()


@pytest.mark.parametrize(
    ("total", "amounts", "taxonomy", "message"),
    [
        ("22,21", ["16,79", "5,16", "0,25"], "9/0104100TS/", "non è uguale al totale"),
        ("22,21", ["16,79", "5,16", "0,26"], "9/XXXX/", "tassonomia pagoPA"),
        ("22,21", ["16,79", "5,1x", "0,26"], "9/0104100TS/", "al massimo due decimali"),
    ],
)
def test_service_payment_step_errors_are_clear_and_save_nothing(
    client, mori, mori_admin, total, amounts, taxonomy, message
):
    from sportello.catalog.tests.factories import ServiceFactory

    service = ServiceFactory(municipality=mori)
    client.force_login(mori_admin)
    response = client.post(f"{BASE}/servizi/{service.pk}/pagamento/", _payment_step(total, amounts, taxonomy))
    assert response.status_code == 200 and message in response.content.decode()
    assert not ServicePaymentConfig.objects.filter(service=service).exists()


def test_taxonomy_search(client, mori_admin):
    client.force_login(mori_admin)
    page = client.get(f"{BASE}/pagamenti/tassonomia/?q=identit").content.decode()
    assert "9/0104100TS/" in page
    data = client.get(f"{BASE}/pagamenti/tassonomia/?q=0104100TS&formato=json").json()
    assert data["results"][0]["code"] == "9/0104100TS/"


def test_payment_box_shows_amount_lines_iuv_status_history_receipt(client, paid, mori_admin):
    client.force_login(mori_admin)
    page = client.get(f"{BASE}/pratiche/{paid.application_id}/").content.decode()
    for text in (
        "22,21 €",
        "16,79",
        "5,16",
        "0,26",
        paid.iuv,
        "Pagato",
        "PSP",
        "R1",
        "Storico del pagamento",
    ):
        assert text in page, text


def test_deferred_payment_requested_by_the_operator(client, mori, mori_admin, citizen):
    from sportello.applications.tests.factories import submitted_application

    service = cie_service(mori, when="deferred")
    payment_settings(mori)
    application = submitted_application(
        municipality=mori, applicant=citizen, service=service, data={"motivo": "duplicato"}
    )
    client.force_login(mori_admin)
    page = client.get(f"{BASE}/pratiche/{application.pk}/").content.decode()
    assert "Richiedi pagamento" in page
    client.post(f"{BASE}/pratiche/{application.pk}/pagamento", {"azione": "request"})
    payment = application.payments.get()
    assert payment.amount_cents == 2737 and payment.status == Status.CREATED
    application.refresh_from_db()
    # The application waits for the payment, taken in charge by whoever asked for it.
    assert application.state == State.PAYMENT_REQUESTED and application.assigned_to == mori_admin
    page = client.get(f"{BASE}/pratiche/{application.pk}/").content.decode()
    assert "Richiedi pagamento" not in page
    assert "In attesa del pagamento richiesto" in page and "Pagamento richiesto" in page


def test_payment_list_filters_totals_and_exports(client, paid, mori_admin):
    from openpyxl import load_workbook

    client.force_login(mori_admin)
    page = client.get(f"{BASE}/pagamenti/").content.decode()
    assert paid.iuv in page and "22,21 €" in page
    assert paid.iuv not in client.get(f"{BASE}/pagamenti/?stato=failed").content.decode()
    assert paid.iuv in client.get(f"{BASE}/pagamenti/?capitolo=3060").content.decode()
    assert paid.iuv not in client.get(f"{BASE}/pagamenti/?capitolo=9999").content.decode()
    csv_text = b"".join(client.get(f"{BASE}/pagamenti/?formato=csv").streaming_content).decode("utf-8-sig")
    assert paid.iuv in csv_text and "22.21" in csv_text
    sheet = load_workbook(io.BytesIO(client.get(f"{BASE}/pagamenti/?formato=xlsx").content)).active
    assert list(sheet.values)[1][0] == paid.iuv


def test_accounting_export_download_has_three_rows(client, paid, mori_admin):
    client.force_login(mori_admin)
    today = timezone.localdate().isoformat()
    response = client.get(f"{BASE}/pagamenti/contabilita/?dal={today}&al={today}&formato=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[0].startswith("capitolo;articolo;accertamento")
    assert [line.split(";")[0] for line in lines[1:]] == ["9100", "3050", "3060"]
    data = client.get(f"{BASE}/pagamenti/contabilita/?dal={today}&al={today}&formato=json").json()
    assert [row["importo"] for row in data["righe"]] == ["16.79", "5.16", "0.26"]


def test_sandbox_flow_reconciles_from_the_flows_page(client, paid, mori_admin):
    client.force_login(mori_admin)
    response = client.post(f"{BASE}/pagamenti/flussi/", {"sandbox": "1"}, follow=True)
    page = response.content.decode()
    assert "Nessuna anomalia" in page and "22,21 €" in page
    assert "3 · 22,21 €" in " ".join(page.split())


def test_malformed_flow_upload_shows_a_clear_error(client, paid, mori_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(mori_admin)
    upload = SimpleUploadedFile("flusso.xml", b"<FlussoRiversamento>", content_type="text/xml")
    page = client.post(f"{BASE}/pagamenti/flussi/", {"flow": upload}).content.decode()
    assert "non è un XML valido" in page


def test_a_long_accounting_export_shows_its_progress_then_the_file(client, paid, mori_admin, monkeypatch):
    from sportello.backoffice.views import payments as views
    from sportello.payments.models import AccountingExport
    from sportello.payments.tasks import accounting_export_build

    monkeypatch.setattr(views, "ASYNC_FROM_ROWS", 1)
    client.force_login(mori_admin)
    today = timezone.localdate().isoformat()
    response = client.get(f"{BASE}/pagamenti/contabilita/?dal={today}&al={today}&formato=csv")
    export = AccountingExport.objects.get()
    assert response["Location"] == f"{BASE}/pagamenti/esportazioni/{export.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "In coda" in page and 'data-refresh-seconds="2"' in page
    assert client.get(f"{BASE}/pagamenti/esportazioni/{export.pk}/scarica").status_code == 404
    accounting_export_build.call(export_id=export.pk)
    page = client.get(response["Location"]).content.decode()
    assert "3 righe su 3" in page and "(100%)" in page and "data-refresh-seconds" not in page
    download = client.get(f"{BASE}/pagamenti/esportazioni/{export.pk}/scarica")
    assert len(download.content.decode("utf-8-sig").splitlines()) == 4
