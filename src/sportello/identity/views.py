"""SPID/CIE views: the login page of a municipality, the SAML endpoints of the service provider."""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe
from djangosaml2.cache import OutstandingQueriesCache
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

from sportello.accounts.services import citizen_login_record
from sportello.core.urlutils import safe_next, tenant_reverse
from sportello.municipalities.selectors import municipality_get_active

from . import levels
from .idps import CIE, SPID, identity_provider_get, identity_providers
from .metadata import sp_metadata_xml
from .saml import (
    SamlError,
    authn_request_build,
    authn_response_process,
    encode_message,
    logout_request_answer,
    logout_request_build,
    logout_response_verify,
)
from .session import SESSION_KEY, citizen_auth, citizen_auth_set, citizen_level

logger = logging.getLogger(__name__)

MAX_OUTSTANDING = 5
PENDING_LOGOUT_KEY = "_sportello_pending_logout"
CITIZEN_SESSION_KEY = "_sportello_citizen_session"


def _default_next(municipality) -> str:
    return tenant_reverse("portal:personal_area", municipality)


def _providers_for(level: str) -> tuple[list, list]:
    """The SPID and CIE identity providers offered for a required level (CIE only for "cie")."""
    spid = [] if level == levels.CIE else identity_providers(SPID)
    return spid, identity_providers(CIE)


@require_safe
@never_cache
def login_page(request):
    """ "Accedi": the SPID button with the configured IdPs and the CIE button."""
    level = levels.parse_level(request.GET.get("livello"))
    next_url = safe_next(request, request.GET.get("next")) or _default_next(request.municipality)
    have = citizen_level(request)
    if citizen_auth(request) and levels.level_satisfies(have, level) and request.GET.get("next"):
        return redirect(next_url)
    spid, cie = _providers_for(level)

    def entries(providers):
        return [
            {
                "name": p.name,
                "entity_id": p.entity_id,
                "demo": p.demo,
                "url": tenant_reverse(
                    "identity:login_start",
                    request.municipality,
                    query={"idp": p.entity_id, "next": next_url, "livello": level},
                ),
            }
            for p in providers
        ]

    return render(
        request,
        "identity/login.html",
        {
            "level": level,
            "next": next_url,
            "spid_providers": entries(spid),
            "cie_providers": entries(cie),
            "step_up": bool(citizen_auth(request)) and not levels.level_satisfies(have, level),
            "demo": any(p.demo for p in spid + cie),
        },
    )


@require_GET
@never_cache
def login_start(request):
    """Build the signed AuthnRequest for the chosen IdP and post it there (HTTP-POST binding)."""
    level = levels.parse_level(request.GET.get("livello"))
    provider = identity_provider_get(request.GET.get("idp", ""))
    if provider is None or (level == levels.CIE and provider.kind != CIE):
        raise Http404("Unknown identity provider")
    next_url = safe_next(request, request.GET.get("next")) or _default_next(request.municipality)
    try:
        info = authn_request_build(idp_entity_id=provider.entity_id, level=level)
    except SamlError as error:
        logger.error("AuthnRequest not built: %s", error.detail)
        return render(request, "identity/error.html", {"message": _(error.message)}, status=502)
    cache = OutstandingQueriesCache(request.saml_session)
    pending = cache.outstanding_queries()
    for stale in list(pending)[: max(0, len(pending) - MAX_OUTSTANDING + 1)]:
        cache.delete(stale)
    cache.set(
        info.request_id,
        {
            "id": info.request_id,
            "relay": info.relay_state,
            "issued": info.issue_instant,
            "idp": provider.entity_id,
            "level": level,
            "municipality": request.municipality.slug,
            "lang": translation.get_language(),
            "next": next_url,
        },
    )
    return render(
        request,
        "identity/post_form.html",
        {
            "action": info.location,
            "fields": {"SAMLRequest": encode_message(info.xml), "RelayState": info.relay_state},
            "provider": provider,
        },
    )


def _activate_tenant(request, state: dict | None):
    """Pages outside /<slug>/<lang>/ (ACS, SLO) rendered for the municipality the citizen came from."""
    municipality = municipality_get_active(slug=(state or {}).get("municipality", "")) if state else None
    request.municipality = municipality
    lang = (state or {}).get("lang")
    if municipality is not None and lang and municipality.has_language(lang):
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    return municipality


def _login_error(request, message: str, state: dict | None, status: int = 403):
    municipality = _activate_tenant(request, state)
    retry = None
    if municipality is not None:
        query = {"next": state.get("next", "")} if state and state.get("next") else None
        retry = tenant_reverse("identity:login", municipality, query=query)
    return render(request, "identity/error.html", {"message": message, "retry": retry}, status=status)


@csrf_exempt
@require_POST
@never_cache
def acs(request):
    """Assertion Consumer Service: verify the IdP's Response, then log the citizen in."""
    cache = OutstandingQueriesCache(request.saml_session)
    outstanding = cache.outstanding_queries()
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response:
        return _login_error(request, _("Risposta di autenticazione mancante."), None, status=400)
    try:
        result = authn_response_process(
            saml_response=saml_response, outstanding=outstanding, relay_state=request.POST.get("RelayState")
        )
    except SamlError as error:
        logger.warning("SAML Response refused: %s", error.detail)
        state = _state_for_error(outstanding, request.POST.get("RelayState"))
        return _login_error(request, _(error.message), state)
    except Exception:  # never a 500 for a hostile message
        logger.exception("SAML Response could not be processed")
        return _login_error(request, _("Risposta di autenticazione non valida."), None)

    state = result.state
    cache.delete(state["id"])  # one response per request
    municipality = _activate_tenant(request, state)
    try:
        event = citizen_login_record(
            attributes=result.attributes,
            idp=result.idp,
            level=result.level,
            assertion_id=result.assertion_id,
            assertion_expires_at=result.assertion_expires_at,
            municipality=municipality,
        )
    except ValidationError as error:
        logger.warning("SPID/CIE login refused: %s", error.messages)
        return _login_error(request, " ".join(error.messages), state)

    login(request, event.user, backend="django.contrib.auth.backends.ModelBackend")
    citizen_auth_set(
        request,
        level=result.level,
        idp=result.idp,
        name_id=result.name_id,
        session_index=result.session_index,
    )
    # The IdP's logout arrives cross-site, where the (SameSite=Lax) session cookie is not sent but the SAML
    # one is: it remembers which session to end.
    request.saml_session[CITIZEN_SESSION_KEY] = request.session.session_key
    target = safe_next(request, state.get("next"))
    if target is None:
        target = _default_next(municipality) if municipality is not None else "/"
    return redirect(target)


def _state_for_error(outstanding: dict, relay_state: str | None) -> dict | None:
    for state in outstanding.values():
        if isinstance(state, dict) and relay_state and state.get("relay") == relay_state:
            return state
    return None


@require_POST
def logout_view(request):
    """Local logout always; then SAML single logout with the IdP when it offers it."""
    auth = citizen_auth(request) or {}
    municipality = request.municipality
    logout(request)
    messages.success(request, _("Sei uscito dall'area personale."))
    home = tenant_reverse("portal:home", municipality)
    if not auth.get("idp") or not auth.get("name_id"):
        return redirect(home)
    try:
        built = logout_request_build(
            idp_entity_id=auth["idp"], name_id=auth["name_id"], session_index=auth.get("session_index")
        )
    except Exception:
        logger.exception("LogoutRequest not built")
        built = None
    if built is None:
        return redirect(home)
    request_id, location, xml = built
    request.saml_session[PENDING_LOGOUT_KEY] = {
        "id": request_id,
        "municipality": municipality.slug,
        "lang": translation.get_language(),
    }
    return render(
        request,
        "identity/post_form.html",
        {"action": location, "fields": {"SAMLRequest": encode_message(xml)}, "logout": True},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def single_logout(request):
    """SLO endpoint: the IdP's LogoutResponse to our request, or an IdP-initiated LogoutRequest."""
    data = request.POST if request.method == "POST" else request.GET
    if data.get("SAMLResponse"):
        pending = request.saml_session.pop(PENDING_LOGOUT_KEY, None) or {}
        ok = logout_response_verify(saml_response=data["SAMLResponse"], expected_id=pending.get("id"))
        municipality = _activate_tenant(request, pending)
        if municipality is None:
            return redirect("/")
        if not ok:
            messages.warning(
                request, _("Sei uscito da Sportello, ma il gestore dell'identità non ha confermato l'uscita.")
            )
        return redirect(tenant_reverse("portal:home", municipality))
    if data.get("SAMLRequest"):
        # Only the binding that matches the method: HTTP-POST signs the XML, HTTP-Redirect the query.
        binding = BINDING_HTTP_POST if request.method == "POST" else BINDING_HTTP_REDIRECT
        try:
            idp, location, xml, name_id = logout_request_answer(
                saml_request=data["SAMLRequest"],
                binding=binding,
                relay_state=data.get("RelayState"),
                sig_alg=data.get("SigAlg") if binding == BINDING_HTTP_REDIRECT else None,
                signature=data.get("Signature") if binding == BINDING_HTTP_REDIRECT else None,
            )
        except SamlError as error:
            logger.warning("LogoutRequest refused: %s", error.detail)
            return HttpResponse(_("Richiesta di uscita non valida."), status=400, content_type="text/plain")
        _citizen_sessions_end(request, idp=idp, name_id=name_id)
        fields = {"SAMLResponse": encode_message(xml)}
        if data.get("RelayState"):
            fields["RelayState"] = data["RelayState"]
        return render(
            request, "identity/post_form.html", {"action": location, "fields": fields, "logout": True}
        )
    return HttpResponse(status=400)


def _citizen_sessions_end(request, *, idp: str, name_id: str | None) -> None:
    """End the session of the citizen named in an IdP's LogoutRequest: this browser's, or the one its SAML
    cookie recorded at login (the session cookie is not sent on the IdP's cross-site POST)."""

    def matches(session) -> bool:
        auth = session.get(SESSION_KEY) or {}
        return bool(name_id) and auth.get("idp") == idp and auth.get("name_id") == name_id

    if matches(request.session):
        logout(request)
    key = request.saml_session.get(CITIZEN_SESSION_KEY)
    if key:
        recorded = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
        if recorded.exists(key) and matches(recorded):
            recorded.delete()
            request.saml_session.pop(CITIZEN_SESSION_KEY, None)


@require_safe
def metadata(request):
    """The signed SP metadata (one service provider for the whole installation)."""
    return HttpResponse(sp_metadata_xml(), content_type="application/samlmetadata+xml; charset=utf-8")
