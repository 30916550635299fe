"""The demo identity providers: real pysaml2 IdPs with a few test citizens, for the demo and the tests.

Two entities are served by the same code, one playing a SPID provider and one playing CIE, so that the
whole SAML exchange (signed AuthnRequest, signed Response, single logout) runs locally. They are enabled
only when ``"demo_idp"`` is in ``settings.SANDBOX_PROVIDERS``, which production refuses.
"""

import base64
import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from ..keys import CertificateSubject, ensure_key_pair
from ..saml_config import ATTRIBUTE_MAP_DIR, slo_url, xmlsec_binary


@dataclass(frozen=True)
class DemoIdp:
    kind: str
    name: Promise | str

    def base_url(self) -> str:
        return f"{settings.SPID_SP_BASE_URL}/demo-idp/{self.kind}/"

    def entity_id(self) -> str:
        return self.base_url()

    def sso_url(self) -> str:
        return self.base_url() + "sso/"

    def slo_url(self) -> str:
        return self.base_url() + "slo/"


DEMO_IDPS = {
    "spid": DemoIdp("spid", _("SPID di prova (demo)")),
    "cie": DemoIdp("cie", _("CIE di prova (demo)")),
}

# Test citizens (fictitious people; fiscal codes with a valid check character).
DEMO_CITIZENS = [
    {
        "spidCode": "DEMO-0001",
        "fiscalNumber": "TINIT-RSSMRA80A01H501U",
        "name": "Mario",
        "familyName": "Rossi",
        "email": "mario.rossi@example.org",
        "mobilePhone": "+393331234567",
        "dateOfBirth": "1980-01-01",
        "placeOfBirth": "H501",
    },
    {
        "spidCode": "DEMO-0002",
        "fiscalNumber": "TINIT-BNCGLI85M41L378W",
        "name": "Giulia",
        "familyName": "Bianchi",
        "email": "giulia.bianchi@example.org",
        "mobilePhone": "+393401112233",
        "dateOfBirth": "1985-08-01",
        "placeOfBirth": "L378",
    },
    {
        "spidCode": "DEMO-0003",
        "fiscalNumber": "TINIT-VRDLCU90C15F728X",
        "name": "Luca",
        "familyName": "Verdi",
        "email": "luca.verdi@example.org",
        "mobilePhone": "+393287654321",
        "dateOfBirth": "1990-03-15",
        "placeOfBirth": "F728",
    },
]


def demo_citizen(fiscal_number: str) -> dict | None:
    return next((c for c in DEMO_CITIZENS if c["fiscalNumber"] == fiscal_number), None)


def _key_paths() -> tuple[Path, Path]:
    directory = Path(settings.VAR_DIR) / "saml"
    return directory / "demo-idp.key", directory / "demo-idp.crt"


def _ensure_keys() -> tuple[Path, Path]:
    key, cert = _key_paths()
    ensure_key_pair(
        key,
        cert,
        subject=CertificateSubject(
            common_name="Sportello demo IdP",
            organization_name="Sportello demo IdP",
            entity_id=f"{settings.SPID_SP_BASE_URL}/demo-idp/",
            organization_identifier="PA:IT-sportello_demo",
            locality_name="Roma",
        ),
        spid=False,
    )
    return key, cert


def _config_dict(idp: DemoIdp, *, with_sp: bool) -> dict:
    key, cert = _ensure_keys()
    config = {
        "entityid": idp.entity_id(),
        "xmlsec_binary": xmlsec_binary(),
        "attribute_map_dir": ATTRIBUTE_MAP_DIR,
        "key_file": str(key),
        "cert_file": str(cert),
        "accepted_time_diff": settings.SPID_CLOCK_SKEW_SECONDS,
        "service": {
            "idp": {
                "name": str(idp.name),
                "endpoints": {
                    "single_sign_on_service": [
                        (idp.sso_url(), BINDING_HTTP_POST),
                        (idp.sso_url(), BINDING_HTTP_REDIRECT),
                    ],
                    "single_logout_service": [
                        (idp.slo_url(), BINDING_HTTP_POST),
                        (idp.slo_url(), BINDING_HTTP_REDIRECT),
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "want_authn_requests_signed": True,
                "want_authn_requests_only_with_valid_cert": True,
                "sign_response": True,
                "sign_assertion": True,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 5},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_BASIC,
                    }
                },
            }
        },
        "organization": {
            "name": [(str(idp.name), "it")],
            "display_name": [(str(idp.name), "it")],
            "url": [(idp.base_url(), "it")],
        },
    }
    if with_sp:
        from ..metadata import sp_metadata_xml

        config["metadata"] = {"inline": [sp_metadata_xml()]}
    return config


@functools.lru_cache(maxsize=8)
def _metadata(kind: str, base_url: str) -> str:
    config = IdPConfig()
    config.load(_config_dict(DEMO_IDPS[kind], with_sp=False))
    return entity_descriptor(config).to_string().decode()


def demo_idp_metadata(kind: str) -> str:
    """The IdP's (unsigned) metadata, as the SP reads it in memory."""
    return _metadata(kind, settings.SPID_SP_BASE_URL)


def demo_idp_server(kind: str) -> Server:
    """A pysaml2 IdP server that knows the SP (from its metadata)."""
    config = IdPConfig()
    config.load(_config_dict(DEMO_IDPS[kind], with_sp=True))
    return Server(config=config)


def demo_idp_logout_request(
    kind: str, *, name_id: str, session_index: str | None, binding: str = BINDING_HTTP_POST, sign: bool = True
) -> tuple[str, dict]:
    """The demo IdP starts single logout (the citizen left from another service): a LogoutRequest to the SP.

    Returns (method, fields): for HTTP-POST the XML is signed inside, for HTTP-Redirect the query is signed.
    """
    idp = DEMO_IDPS[kind]
    server = demo_idp_server(kind)
    request_id, request = server.create_logout_request(
        destination=slo_url(),
        issuer_entity_id=settings.SPID_SP_ENTITY_ID,
        name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, name_qualifier=idp.entity_id(), text=name_id),
        session_indexes=[session_index] if session_index else None,
        sign=sign and binding == BINDING_HTTP_POST,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    info = server.apply_binding(
        binding,
        str(request),
        slo_url(),
        relay_state="demo-idp-logout",
        sign=sign and binding == BINDING_HTTP_REDIRECT,
        sigalg=SIG_RSA_SHA256,
    )
    if binding == BINDING_HTTP_REDIRECT:
        location = dict(info["headers"])["Location"]
        return "get", dict(parse_qsl(urlsplit(location).query))
    return "post", {
        "SAMLRequest": base64.b64encode(str(request).encode()).decode(),
        "RelayState": "demo-idp-logout",
    }
