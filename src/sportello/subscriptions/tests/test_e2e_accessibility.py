"""WCAG 2.1 AA (axe-core in Chromium) on the subscription pages of citizens and staff, and no sideways scroll at
375 px on the citizen's pages."""

import re

import pytest

from sportello.accounts.tests.factories import TEST_PASSWORD
from sportello.core.tests.test_e2e_accessibility import pages_violations
from sportello.payments.tests.factories import payment_settings
from sportello.subscriptions import services

from .conftest import GIULIA, MARIO
from .factories import canteen, child_code

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
MORI = "/comune-di-mori/it"


def test_subscription_pages_have_no_wcag_violations(
    page, mori, mori_admin, sp_at_live_server, demo_spid_login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    payment_settings(mori)
    subscription_service = canteen(mori)
    subscription = services.subscription_create(
        subscription_service=subscription_service,
        subscriber_fiscal_code=child_code(3),
        first_name="Sofia",
        last_name="Rossi",
        holder_fiscal_code=MARIO,
        holder_name="Rossi Mario",
        sharers=[GIULIA],
    )
    page.set_default_timeout(30_000)
    page.goto(f"{MORI}/login/?next={MORI}/area-personale/iscrizioni/")
    demo_spid_login(page, "Giulia Bianchi")
    page.wait_for_url(re.compile(r"/iscrizioni/"))
    citizen_paths = [
        f"{MORI}/area-personale/iscrizioni/",
        f"{MORI}/area-personale/iscrizioni/{subscription.pk}/",
        f"{MORI}/servizi/{subscription_service.service.slug}/",
    ]
    found = pages_violations(page, citizen_paths)
    page.set_viewport_size({"width": 375, "height": 800})
    for path in citizen_paths:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    page.goto(f"{MORI}/operatori/login")
    page.get_by_label("Nome utente").fill("admin-mori")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    base = f"{MORI}/operatori/sottoscrizioni"
    staff_paths = [
        f"{base}/",
        f"{base}/{subscription_service.pk}/",
        f"{base}/{subscription_service.pk}/importa/",
        f"{base}/{subscription_service.pk}/piano/",
        f"{base}/{subscription_service.pk}/modifica/",
        f"{base}/iscrizioni/{subscription.pk}/",
    ]
    found |= pages_violations(page, staff_paths)
    assert found == {}
