"""The SP metadata document with the SPID extensions, signed with the SP key."""

import functools
from pathlib import Path
from xml.etree import ElementTree

import saml2
from django.conf import settings
from saml2 import md
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.sigver import security_context
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .saml_config import config_loader, ensure_sp_keys

SPID_NS = "https://spid.gov.it/saml-extensions"


def _spid_contact() -> md.ContactPerson:
    """``ContactPerson contactType="other"`` with ``spid:IPACode`` and ``spid:Public`` (public SP)."""
    ElementTree.register_namespace("spid", SPID_NS)
    extensions = md.Extensions(
        extension_elements=[
            saml2.ExtensionElement("IPACode", namespace=SPID_NS, text=settings.SPID_SP_IPA_CODE),
            saml2.ExtensionElement("Public", namespace=SPID_NS),
        ]
    )
    contact = md.ContactPerson(contact_type="other")
    contact.extensions = extensions
    contact.company = md.Company(text=settings.SPID_SP_ORGANIZATION_NAME)
    contact.email_address = [md.EmailAddress(text=settings.SPID_SP_CONTACT_EMAIL)]
    if settings.SPID_SP_CONTACT_PHONE:
        contact.telephone_number = [md.TelephoneNumber(text=settings.SPID_SP_CONTACT_PHONE.replace(" ", ""))]
    return contact


def _build() -> str:
    config = config_loader()
    descriptor = entity_descriptor(config)
    sp = descriptor.spsso_descriptor
    for index, service in enumerate(sp.assertion_consumer_service):
        service.index = str(index)
        service.is_default = "true" if index == 0 else None
    for index, service in enumerate(sp.attribute_consuming_service):
        service.index = str(index)
        service.service_name = [md.ServiceName(text=settings.SPID_SP_ORGANIZATION_DISPLAY_NAME, lang="it")]
        for attribute in service.requested_attribute:
            attribute.name_format = None
            attribute.friendly_name = None
            attribute.is_required = None
    descriptor.extensions = None
    descriptor.contact_person = [_spid_contact()]
    security = security_context(config)
    _eid, signed = sign_entity_descriptor(
        descriptor,
        None,
        security,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    return signed.decode() if isinstance(signed, bytes) else str(signed)


@functools.lru_cache(maxsize=4)
def _cached(key: tuple) -> str:
    return _build()


def sp_metadata_xml() -> str:
    """The signed metadata (rebuilt when the settings or the certificate change)."""
    ensure_sp_keys()
    cert = Path(settings.SPID_SP_CERT_PATH)
    key = (
        settings.SPID_SP_ENTITY_ID,
        settings.SPID_SP_BASE_URL,
        str(cert),
        cert.stat().st_mtime_ns,
        settings.SPID_SP_IPA_CODE,
        settings.SPID_SP_ORGANIZATION_NAME,
        settings.SPID_SP_ORGANIZATION_DISPLAY_NAME,
        settings.SPID_SP_ORGANIZATION_URL,
        settings.SPID_SP_CONTACT_EMAIL,
        settings.SPID_SP_CONTACT_PHONE,
    )
    return _cached(key)
