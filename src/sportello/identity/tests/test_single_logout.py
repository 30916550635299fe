"""Single logout started by the identity provider: signed both ways, binding by method, 400 when invalid."""

import base64

import pytest
from defusedxml import ElementTree
from django.conf import settings
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

from sportello.identity.demo_idp.idp import DEMO_CITIZENS, DEMO_IDPS, demo_idp_logout_request, demo_idp_server

from .saml_helpers import form_fields, saml_login

SPID_IDP = DEMO_IDPS["spid"]
MARIO = DEMO_CITIZENS[0]
SLO = "/spid/ls/"
SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
DSIG = "{http://www.w3.org/2000/09/xmldsig#}"


@pytest.fixture
def logged_in(client, mori):
    response = saml_login(client, idp=SPID_IDP.entity_id(), citizen=MARIO["fiscalNumber"])
    assert response.status_code == 302
    auth = client.session["citizen_auth"]
    return auth["name_id"], auth["session_index"]


def _send(client, method, fields):
    return client.post(SLO, fields) if method == "post" else client.get(SLO, fields)


@pytest.mark.parametrize("binding", [BINDING_HTTP_POST, BINDING_HTTP_REDIRECT], ids=["post", "redirect"])
def test_idp_initiated_logout_ends_the_session_and_answers_with_a_signed_response(client, logged_in, binding):
    name_id, session_index = logged_in
    method, fields = demo_idp_logout_request(
        "spid", name_id=name_id, session_index=session_index, binding=binding
    )
    response = _send(client, method, fields)
    assert response.status_code == 200, response.content[:300]
    assert "_auth_user_id" not in client.session
    action, answer = form_fields(response.content.decode())
    assert action == SPID_IDP.slo_url()
    assert answer["RelayState"] == "demo-idp-logout"
    xml = ElementTree.fromstring(base64.b64decode(answer["SAMLResponse"]))
    assert xml.tag == f"{SAMLP}LogoutResponse"
    assert xml.get("Destination") == SPID_IDP.slo_url()
    issuer = xml.find(f"{SAML}Issuer")
    assert issuer.text == settings.SPID_SP_ENTITY_ID
    assert issuer.get("Format") == "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
    assert xml.find(f"{DSIG}Signature") is not None
    status = xml.find(f"{SAMLP}Status/{SAMLP}StatusCode").get("Value")
    assert status == "urn:oasis:names:tc:SAML:2.0:status:Success"
    # The IdP verifies the SP's signature against the SP metadata.
    verified = demo_idp_server("spid").parse_logout_request_response(
        answer["SAMLResponse"], BINDING_HTTP_POST
    )
    assert verified is not None and verified.response.in_response_to


def _assert_refused(client, response):
    assert response.status_code == 400
    assert "Richiesta di uscita non valida" in response.content.decode()
    assert "_auth_user_id" in client.session  # nobody logged out


@pytest.mark.parametrize("binding", [BINDING_HTTP_POST, BINDING_HTTP_REDIRECT], ids=["post", "redirect"])
def test_an_unsigned_logout_request_is_refused(client, logged_in, binding):
    name_id, session_index = logged_in
    method, fields = demo_idp_logout_request(
        "spid", name_id=name_id, session_index=session_index, binding=binding, sign=False
    )
    _assert_refused(client, _send(client, method, fields))


def test_a_tampered_logout_request_is_refused(client, logged_in):
    name_id, session_index = logged_in
    _method, fields = demo_idp_logout_request("spid", name_id=name_id, session_index=session_index)
    xml = base64.b64decode(fields["SAMLRequest"]).replace(b"demo-idp/spid/", b"demo-idp/cie/", 1)
    fields["SAMLRequest"] = base64.b64encode(xml).decode()
    _assert_refused(client, client.post(SLO, fields))


def test_the_binding_must_match_the_http_method(client, logged_in):
    name_id, session_index = logged_in
    _method, post_fields = demo_idp_logout_request("spid", name_id=name_id, session_index=session_index)
    _assert_refused(client, client.get(SLO, post_fields))  # an HTTP-POST message sent with GET
    _method, redirect_fields = demo_idp_logout_request(
        "spid", name_id=name_id, session_index=session_index, binding=BINDING_HTTP_REDIRECT
    )
    _assert_refused(client, client.post(SLO, redirect_fields))  # an HTTP-Redirect message sent with POST


def test_garbage_is_refused_with_400(client, logged_in):
    _assert_refused(client, client.post(SLO, {"SAMLRequest": "bm90IHhtbA=="}))
    _assert_refused(client, client.post(SLO, {"SAMLRequest": "%%%"}))


def test_a_logout_for_another_citizen_leaves_this_session_alone(client, logged_in):
    _name_id, session_index = logged_in
    _method, fields = demo_idp_logout_request("spid", name_id="someone-else", session_index=session_index)
    response = client.post(SLO, fields)
    assert response.status_code == 200
    assert "_auth_user_id" in client.session


def test_the_idp_logout_ends_the_session_even_without_the_session_cookie(client, logged_in):
    """Cross-site, the IdP's POST carries the SAML cookie (SameSite=None) but not the session cookie (Lax)."""
    from django.contrib.sessions.models import Session

    name_id, session_index = logged_in
    session_key = client.session.session_key
    del client.cookies[settings.SESSION_COOKIE_NAME]
    _method, fields = demo_idp_logout_request("spid", name_id=name_id, session_index=session_index)
    assert client.post(SLO, fields).status_code == 200
    assert not Session.objects.filter(session_key=session_key).exists()
