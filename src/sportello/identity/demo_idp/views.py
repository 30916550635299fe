"""The demo IdP's pages: choose a test citizen, then the signed SAML Response goes back to the SP."""

import logging
import secrets

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, samlp
from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT, Issuer, NameID
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .. import levels
from ..idps import demo_idp_enabled
from ..saml import encode_message
from .idp import DEMO_CITIZENS, DEMO_IDPS, demo_citizen, demo_idp_server

logger = logging.getLogger(__name__)

LEVEL_LABELS = {levels.ACR_SPID1: "SpidL1", levels.ACR_SPID2: "SpidL2", levels.ACR_SPID3: "SpidL3"}


def _idp(kind: str):
    if not demo_idp_enabled() or kind not in DEMO_IDPS:
        raise Http404("Demo IdP disabled")
    return DEMO_IDPS[kind]


def _parse(server, saml_request: str, binding: str):
    parsed = server.parse_authn_request(saml_request, binding)
    if parsed is None:
        raise ValueError("no AuthnRequest")
    return parsed.message


def _requested_acr(message) -> str:
    context = message.requested_authn_context
    if context is not None and context.authn_context_class_ref:
        return context.authn_context_class_ref[0].text.strip()
    return levels.ACR_SPID2


def _acs_location(server, sp_entity_id: str) -> str:
    return server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)[0]["location"]


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def sso(request, kind: str):
    """SingleSignOnService: verify the SP's AuthnRequest and show the test citizens."""
    idp = _idp(kind)
    data = request.POST if request.method == "POST" else request.GET
    binding = BINDING_HTTP_POST if request.method == "POST" else BINDING_HTTP_REDIRECT
    saml_request = data.get("SAMLRequest", "")
    try:
        message = _parse(demo_idp_server(kind), saml_request, binding)
    except Exception as error:
        logger.warning("Demo IdP: AuthnRequest refused: %r", error)
        return render(request, "identity/demo_idp/error.html", {"idp": idp}, status=400)
    return render(
        request,
        "identity/demo_idp/login.html",
        {
            "idp": idp,
            "kind": kind,
            "citizens": DEMO_CITIZENS,
            "saml_request": saml_request,
            "binding": "post" if binding == BINDING_HTTP_POST else "redirect",
            "relay_state": data.get("RelayState", ""),
            "acr": LEVEL_LABELS.get(_requested_acr(message), _requested_acr(message)),
            "sp": message.issuer.text if message.issuer is not None else "",
        },
    )


@require_POST
@never_cache
def sso_confirm(request, kind: str):
    """The test citizen chose to log in (or cancelled): post the signed Response to the SP's ACS."""
    idp = _idp(kind)
    server = demo_idp_server(kind)
    binding = BINDING_HTTP_POST if request.POST.get("binding") == "post" else BINDING_HTTP_REDIRECT
    try:
        message = _parse(server, request.POST.get("SAMLRequest", ""), binding)
    except Exception as error:
        logger.warning("Demo IdP: AuthnRequest refused: %r", error)
        return HttpResponseBadRequest("Invalid AuthnRequest")
    sp_entity_id = message.issuer.text.strip()
    destination = _acs_location(server, sp_entity_id)
    issuer = Issuer(text=idp.entity_id(), format=NAMEID_FORMAT_ENTITY)
    citizen = demo_citizen(request.POST.get("citizen", ""))
    if request.POST.get("action") != "login" or citizen is None:
        response = server.create_error_response(
            message.id,
            destination,
            (samlp.STATUS_AUTHN_FAILED, "ErrorCode nr25"),
            sign=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
    else:
        name_id = NameID(
            format=NAMEID_FORMAT_TRANSIENT, name_qualifier=idp.entity_id(), text=secrets.token_hex(16)
        )
        response = server.create_authn_response(
            identity={key: [value] for key, value in citizen.items()},
            in_response_to=message.id,
            destination=destination,
            sp_entity_id=sp_entity_id,
            name_id=name_id,
            authn={"class_ref": _requested_acr(message), "authn_auth": idp.entity_id()},
            issuer=issuer,
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
    fields = {"SAMLResponse": encode_message(str(response))}
    if request.POST.get("RelayState"):
        fields["RelayState"] = request.POST["RelayState"]
    return render(request, "identity/post_form.html", {"action": destination, "fields": fields, "demo": True})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def slo(request, kind: str):
    """SingleLogoutService: answer the SP's LogoutRequest with a signed LogoutResponse."""
    _idp(kind)
    server = demo_idp_server(kind)
    data = request.POST if request.method == "POST" else request.GET
    binding = BINDING_HTTP_POST if request.method == "POST" else BINDING_HTTP_REDIRECT
    try:
        parsed = server.parse_logout_request(data.get("SAMLRequest", ""), binding)
        sp_entity_id = parsed.message.issuer.text.strip()
        location = server.metadata.single_logout_service(sp_entity_id, BINDING_HTTP_POST, "spsso")[0][
            "location"
        ]
    except Exception as error:
        logger.warning("Demo IdP: LogoutRequest refused: %r", error)
        return HttpResponseBadRequest("Invalid LogoutRequest")
    response = server.create_logout_response(
        parsed.message, [BINDING_HTTP_POST], sign=True, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
    )
    fields = {"SAMLResponse": encode_message(str(response))}
    if data.get("RelayState"):
        fields["RelayState"] = data["RelayState"]
    return render(request, "identity/post_form.html", {"action": location, "fields": fields, "logout": True})
