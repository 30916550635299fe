import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from sportello.payments.providers import get_provider
from sportello.payments.services import payment_settings_save

from .factories import TEST_IBAN

pytestmark = pytest.mark.django_db


def test_sandbox_provider_is_refused_when_not_enabled(mori_payments, settings):
    settings.SANDBOX_PROVIDERS = ["demo_idp"]
    with pytest.raises(ImproperlyConfigured):
        get_provider(mori_payments)
    with pytest.raises(ValidationError, match="produzione"):
        payment_settings_save(
            municipality=mori_payments.municipality,
            values={
                "creditor_fiscal_code": mori_payments.creditor_fiscal_code,
                "creditor_name": "X",
                "iban": TEST_IBAN,
                "segregation_code": "01",
                "provider": "sandbox",
            },
            secrets={},
        )


def test_production_settings_refuse_the_sandbox():
    import os
    import subprocess
    import sys

    env = {**os.environ, "SPORTELLO_ENV": "production", "SPORTELLO_SANDBOX_PROVIDERS": "pagopa_sandbox"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sportello.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "pagopa_sandbox" in result.stderr
