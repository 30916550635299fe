"""WCAG 2.1 AA (axe-core in Chromium) on the payment pages of citizens and staff."""

import re

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.core.tests.test_e2e_accessibility import pages_violations
from sportello.payments.models import SandboxPosition
from sportello.payments.services import payment_checkout_start, payment_request_at_submission

from .factories import cie_service, filled_application, payment_settings

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
MORI = "/comune-di-mori/it"


def test_payment_pages_have_no_wcag_violations(
    page, mori, mori_admin, sp_at_live_server, demo_spid_login, settings, tmp_path
):
    from sportello.accounts.models import User

    settings.MEDIA_ROOT = tmp_path
    payment_settings(mori)
    service = cie_service(mori)
    page.goto(f"{MORI}/login/?next={MORI}/pratiche/")
    demo_spid_login(page, "Mario Rossi")
    page.wait_for_url(re.compile(r"/pratiche/"))
    citizen = User.objects.get(fiscal_code="RSSMRA80A01H501U")
    application = filled_application(service, citizen)
    payment = payment_request_at_submission(application=application, user=citizen)
    payment_checkout_start(payment=payment, ok_url="/", cancel_url="/", error_url="/")
    position = SandboxPosition.objects.get()
    citizen_paths = [
        f"{MORI}/pratiche/{application.pk}/pagamento/",
        f"{MORI}/pratiche/{application.pk}/pagamento/esito/",
        f"{MORI}/pratiche/{application.pk}/",
        f"{MORI}/area-personale/pagamenti/",
        f"{MORI}/pagopa-sandbox/{position.pk}/",
    ]
    found = pages_violations(page, citizen_paths)
    page.context.clear_cookies()
    page.goto(f"{MORI}/operatori/login")
    page.get_by_label("Nome utente").fill("admin-mori")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    base = f"{MORI}/operatori"
    staff_paths = [
        f"{base}/pagamenti/",
        f"{base}/pagamenti/contabilita/",
        f"{base}/pagamenti/flussi/",
        f"{base}/pagamenti/impostazioni/",
        f"{base}/pagamenti/tassonomia/?q=carta",
        f"{base}/servizi/{service.pk}/pagamento/",
        f"{base}/pratiche/{application.pk}/",
    ]
    found |= pages_violations(page, staff_paths)
    assert found == {}
