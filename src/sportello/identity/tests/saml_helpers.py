"""Helpers that drive the real SAML exchange with the Django test client (SP <-> demo IdP)."""

import base64
import re
from html import unescape
from urllib.parse import urlsplit

LOGIN = "/comune-di-mori/it/login/"


def form_fields(html: str) -> tuple[str, dict[str, str]]:
    """(action, hidden fields) of the first form of an auto-submitting POST page."""
    action = unescape(re.search(r'<form[^>]*action="([^"]*)"', html).group(1))
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }
    return action, fields


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start_login(client, *, idp: str, next_url: str = "/comune-di-mori/it/", level: str | None = None):
    """GET the login start: returns (IdP SSO path, fields with SAMLRequest and RelayState)."""
    query = {"idp": idp, "next": next_url}
    if level:
        query["livello"] = level
    response = client.get(LOGIN + "avvia/", query)
    assert response.status_code == 200, response.content[:500]
    action, fields = form_fields(response.content.decode())
    return action, fields


def authn_request_xml(fields: dict[str, str]) -> str:
    return base64.b64decode(fields["SAMLRequest"]).decode()


def idp_response(client, *, action: str, fields: dict[str, str], citizen: str, choice: str = "login"):
    """Go through the demo IdP page and return (ACS path, fields with SAMLResponse and RelayState)."""
    page = client.post(path_of(action), fields)
    assert page.status_code == 200, page.content[:500]
    html = page.content.decode()
    confirm = unescape(re.search(r'<form method="post" action="([^"]+)"', html).group(1))
    data = dict(fields, binding="post", citizen=citizen, action=choice)
    response = client.post(confirm, data)
    assert response.status_code == 200, response.content[:500]
    return form_fields(response.content.decode())


def saml_login(
    client, *, idp: str, citizen: str, next_url: str = "/comune-di-mori/it/", level: str | None = None
):
    """The whole journey; returns the ACS response (a redirect on success)."""
    action, fields = start_login(client, idp=idp, next_url=next_url, level=level)
    acs, response_fields = idp_response(client, action=action, fields=fields, citizen=citizen)
    return client.post(path_of(acs), response_fields)


def craft_response(
    *, kind: str, fields: dict[str, str], citizen: dict, mutate=None, sign: bool = True
) -> str:
    """A Response from the demo IdP ``kind`` to the AuthnRequest in ``fields``, changed by ``mutate``
    *before* signing (so the signature is valid and only the SP's own checks can refuse it).
    Returns the base64 SAMLResponse."""
    from saml2 import BINDING_HTTP_POST, class_name, samlp
    from saml2.s_utils import sid
    from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT, Issuer, NameID
    from saml2.sigver import pre_signature_part, signed_instance_factory
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

    from sportello.identity.demo_idp.idp import DEMO_IDPS, demo_idp_server

    idp = DEMO_IDPS[kind]
    server = demo_idp_server(kind)
    message = samlp.authn_request_from_string(base64.b64decode(fields["SAMLRequest"]))
    sp_entity_id = message.issuer.text
    destination = server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)[0]["location"]
    acr = message.requested_authn_context.authn_context_class_ref[0].text
    response = server.create_authn_response(
        identity={key: [value] for key, value in citizen.items()},
        in_response_to=message.id,
        destination=destination,
        sp_entity_id=sp_entity_id,
        name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, name_qualifier=idp.entity_id(), text=sid()),
        authn={"class_ref": acr, "authn_auth": idp.entity_id()},
        issuer=Issuer(text=idp.entity_id(), format=NAMEID_FORMAT_ENTITY),
        sign_response=False,
        sign_assertion=False,
    )
    if isinstance(response, str):
        response = samlp.response_from_string(response)
    assertion = response.assertion[0] if isinstance(response.assertion, list) else response.assertion
    if mutate:
        mutate(response, assertion)
    if not sign:
        return base64.b64encode(str(response).encode()).decode()
    assertion.signature = pre_signature_part(
        assertion.id, server.sec.my_cert, 1, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
    )
    xml = signed_instance_factory(response, server.sec, [(class_name(assertion), assertion.id)])
    return base64.b64encode(str(xml).encode()).decode()
