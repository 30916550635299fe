"""Create the SAML key pairs that are missing (outside production): the SP's, and optionally a test IdP's.

``manage.py spid_keys`` creates ``SPID_SP_KEY_PATH`` / ``SPID_SP_CERT_PATH`` if absent (``make run`` and
``make test`` call it). ``--test-idp DIR`` writes ``DIR/private.key`` and ``DIR/public.cert`` for
spid-sp-test's fake IdP (its bundled certificate has expired), renewing them when close to expiry.
"""

import datetime
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sportello.identity.keys import CertificateSubject, generate_key_pair
from sportello.identity.saml_config import ensure_sp_keys


class Command(BaseCommand):
    help = "Create the missing SAML key pairs (SP; optionally spid-sp-test's fake IdP)."

    def add_arguments(self, parser):
        parser.add_argument("--test-idp", metavar="DIR", help="write a fresh key pair for spid-sp-test's IdP")
        parser.add_argument("--test-idp-entity-id", default="https://localhost:8443")

    def handle(self, *args, **options):
        ensure_sp_keys()
        self.stdout.write(f"SP certificate: {settings.SPID_SP_CERT_PATH}")
        if options["test_idp"]:
            if settings.PRODUCTION:
                raise CommandError("Test identity providers are not allowed in production.")
            directory = Path(options["test_idp"])
            key, cert = directory / "private.key", directory / "public.cert"
            if not self._valid_for_a_day(cert) or not key.exists():
                generate_key_pair(
                    key,
                    cert,
                    subject=CertificateSubject(
                        common_name="spid-sp-test IdP",
                        organization_name="spid-sp-test",
                        entity_id=options["test_idp_entity_id"],
                        organization_identifier="PA:IT-spid_sp_test",
                        locality_name="Roma",
                    ),
                    days=30,
                    spid=False,
                )
            self.stdout.write(f"Test IdP key pair: {directory}")

    @staticmethod
    def _valid_for_a_day(cert: Path) -> bool:
        if not cert.exists():
            return False
        certificate = x509.load_pem_x509_certificate(cert.read_bytes())
        limit = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
        return certificate.not_valid_after_utc > limit
