"""The pysaml2 configuration of Sportello's SAML service provider (one for the whole installation).

djangosaml2 loads it through ``SAML_CONFIG_LOADER``; the SPID-specific parts of the exchange live in
``saml.py`` and ``metadata.py``.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .idps import metadata_sources
from .keys import CertificateSubject, ensure_key_pair

ATTRIBUTE_MAP_DIR = str(Path(__file__).resolve().parent / "attribute_maps")
# The attributes Sportello asks for (AttributeConsumingService index 0).
REQUESTED_ATTRIBUTES = [
    "fiscalNumber",
    "name",
    "familyName",
    "email",
    "mobilePhone",
    "dateOfBirth",
    "placeOfBirth",
]
ATTRIBUTE_CONSUMING_SERVICE_INDEX = "0"


class SamlNotConfiguredError(ImproperlyConfigured):
    pass


def xmlsec_binary() -> str:
    path = shutil.which("xmlsec1")
    if path is None:
        raise SamlNotConfiguredError(
            "xmlsec1 not found: install it (Debian/Ubuntu: apt-get install xmlsec1) to use SPID and CIE."
        )
    return path


def acs_url() -> str:
    return f"{settings.SPID_SP_BASE_URL}/spid/acs/"


def slo_url() -> str:
    return f"{settings.SPID_SP_BASE_URL}/spid/ls/"


def metadata_url() -> str:
    return f"{settings.SPID_SP_BASE_URL}/spid/metadata/"


def ensure_sp_keys() -> None:
    """Outside production, create the SP key pair on first use; in production it must exist."""
    key, cert = Path(settings.SPID_SP_KEY_PATH), Path(settings.SPID_SP_CERT_PATH)
    if settings.PRODUCTION:
        if not (key.exists() and cert.exists()):
            raise SamlNotConfiguredError(
                "SPID_SP_KEY_PATH and SPID_SP_CERT_PATH must point to existing files."
            )
        return
    ensure_key_pair(
        key,
        cert,
        subject=CertificateSubject(
            common_name=settings.SPID_SP_ORGANIZATION_DISPLAY_NAME,
            organization_name=settings.SPID_SP_ORGANIZATION_NAME,
            entity_id=settings.SPID_SP_ENTITY_ID,
            organization_identifier=f"PA:IT-{settings.SPID_SP_IPA_CODE}",
            locality_name=settings.SPID_SP_LOCALITY,
        ),
    )


def sp_config_dict() -> dict:
    ensure_sp_keys()
    return {
        "entityid": settings.SPID_SP_ENTITY_ID,
        "xmlsec_binary": xmlsec_binary(),
        "attribute_map_dir": ATTRIBUTE_MAP_DIR,
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SPID_CLOCK_SKEW_SECONDS,
        "key_file": str(settings.SPID_SP_KEY_PATH),
        "cert_file": str(settings.SPID_SP_CERT_PATH),
        "metadata": metadata_sources(),
        "service": {
            "sp": {
                "name": settings.SPID_SP_ORGANIZATION_DISPLAY_NAME,
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "name_id_format_allow_create": False,
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (slo_url(), BINDING_HTTP_POST),
                        (slo_url(), BINDING_HTTP_REDIRECT),
                    ],
                },
                "required_attributes": REQUESTED_ATTRIBUTES,
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "only_use_keys_in_metadata": True,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
            }
        },
        "organization": {
            "name": [(settings.SPID_SP_ORGANIZATION_NAME, "it")],
            "display_name": [(settings.SPID_SP_ORGANIZATION_DISPLAY_NAME, "it")],
            "url": [(settings.SPID_SP_ORGANIZATION_URL, "it")],
        },
    }


def config_loader(request=None) -> SPConfig:
    """djangosaml2's ``SAML_CONFIG_LOADER``: the SP configuration (the same for every municipality)."""
    config = SPConfig()
    config.load(sp_config_dict())
    return config
