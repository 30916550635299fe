import re

import pytest
from defusedxml import ElementTree

from sportello.identity.demo_idp.idp import DEMO_IDPS

from .saml_helpers import LOGIN, authn_request_xml, start_login

SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
SPID_IDP = DEMO_IDPS["spid"]
CIE_IDP = DEMO_IDPS["cie"]


@pytest.mark.parametrize(
    ("level", "idp", "acr"),
    [
        ("spid1", SPID_IDP, "https://www.spid.gov.it/SpidL1"),
        ("spid2", SPID_IDP, "https://www.spid.gov.it/SpidL2"),
        (None, SPID_IDP, "https://www.spid.gov.it/SpidL2"),
        ("cie", CIE_IDP, "https://www.spid.gov.it/SpidL3"),
    ],
)
def test_authn_request_asks_for_the_level(client, mori, settings, level, idp, acr):
    action, fields = start_login(client, idp=idp.entity_id(), level=level)
    assert action == idp.sso_url()
    request = ElementTree.fromstring(authn_request_xml(fields))
    assert request.get("Destination") == idp.sso_url()
    assert request.get("ForceAuthn") == "true"
    assert request.get("AssertionConsumerServiceURL") == settings.SPID_SP_BASE_URL + "/spid/acs/"
    assert request.get("ProtocolBinding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    assert request.get("AttributeConsumingServiceIndex") == "0"
    issuer = request.find(f"{SAML}Issuer")
    assert issuer.text == settings.SPID_SP_ENTITY_ID
    assert issuer.get("NameQualifier") == settings.SPID_SP_ENTITY_ID
    assert issuer.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
    assert request.find(f"{SAMLP}NameIDPolicy").get("Format").endswith("nameid-format:transient")
    context = request.find(f"{SAMLP}RequestedAuthnContext")
    assert context.get("Comparison") == "minimum"
    assert context.find(f"{SAML}AuthnContextClassRef").text == acr
    signature = request.find(f"{DS}Signature")
    assert signature.find(f"{DS}SignedInfo/{DS}SignatureMethod").get("Algorithm").endswith("rsa-sha256")
    # The RelayState is an opaque reference: no URL, no municipality in clear.
    assert re.fullmatch(r"[A-Za-z0-9_-]{20,40}", fields["RelayState"])


def test_cie_level_offers_only_cie(client, mori):
    response = client.get(LOGIN, {"livello": "cie", "next": "/comune-di-mori/it/servizi/x/accedi/"})
    html = response.content.decode()
    assert CIE_IDP.entity_id() in html
    assert SPID_IDP.entity_id() not in html
    assert client.get(LOGIN + "avvia/", {"idp": SPID_IDP.entity_id(), "livello": "cie"}).status_code == 404


def test_login_page_lists_the_idps_and_keeps_next_and_level(client, mori):
    response = client.get(LOGIN, {"next": "/comune-di-mori/it/servizi/cie/accedi/", "livello": "spid1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Entra con SPID" in html and "Entra con CIE" in html
    assert "Ambiente dimostrativo" in html
    assert "livello=spid1" in html and "next=%2Fcomune-di-mori%2Fit%2Fservizi%2Fcie%2Faccedi%2F" in html


def test_unknown_idp_and_foreign_next_are_refused(client, mori):
    assert client.get(LOGIN + "avvia/", {"idp": "https://evil.example/"}).status_code == 404
    action, fields = start_login(client, idp=SPID_IDP.entity_id(), next_url="https://evil.example/")
    state = next(iter(client.session.get("_saml2_outstanding_queries", {}).values()), None)
    if state is None:  # the SAML state lives in djangosaml2's own session
        from django.conf import settings
        from django.contrib.sessions.backends.db import SessionStore

        saml_session = SessionStore(client.cookies[settings.SAML_SESSION_COOKIE_NAME].value)
        state = next(iter(saml_session["_saml2_outstanding_queries"].values()))
    assert state["next"] == "/comune-di-mori/it/area-personale/"
