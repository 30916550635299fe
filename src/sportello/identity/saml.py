"""The SPID/CIE SAML exchange: signed AuthnRequest, strict validation of the Response, single logout.

pysaml2 (through djangosaml2's client) verifies the XML signatures against the IdP's metadata, the
audience and the InResponseTo of outstanding requests; on top of it, ``validate_spid_response`` applies
the SPID technical rules element by element (what the spid-sp-test response suite checks): versions,
instants and validity windows with a bounded clock skew, destination and recipient, issuer and its
format, NameID, SubjectConfirmation, conditions, audience, authentication context and level.
"""

import base64
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import saml2
import saml2.request
from defusedxml import ElementTree
from django.conf import settings
from django.utils.translation import gettext_noop
from djangosaml2.overrides import Saml2Client
from saml2 import BINDING_HTTP_POST, samlp
from saml2.authn_context import requested_authn_context
from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT, Issuer, NameID
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from . import levels
from .idps import CIE, identity_provider_get
from .saml_config import ATTRIBUTE_CONSUMING_SERVICE_INDEX, acs_url, config_loader

logger = logging.getLogger(__name__)

SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
# xs:dateTime in UTC, as the SPID rules require (optional fraction of a second).
UTC_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
# SPID "anomalie" reported by the IdP in StatusMessage (ErrorCode nr19..nr25), shown to the citizen.
ANOMALIES = {
    "19": gettext_noop("Hai inserito credenziali errate troppe volte: riprova più tardi."),
    "20": gettext_noop("La tua identità digitale non ha il livello di sicurezza richiesto dal servizio."),
    "21": gettext_noop("Il tempo per l'autenticazione è scaduto: riprova."),
    "22": gettext_noop("Non hai dato il consenso all'invio dei dati richiesti: l'accesso non è possibile."),
    "23": gettext_noop("La tua identità digitale risulta sospesa o revocata: rivolgiti al tuo gestore."),
    "25": gettext_noop("Hai annullato l'autenticazione."),
}


class SamlError(Exception):
    """A SAML message refused; ``message`` is safe to show (Italian msgid), ``detail`` is for the logs."""

    def __init__(self, message: str, detail: str = "", *, anomaly: str | None = None):
        super().__init__(detail or message)
        self.message = message
        self.detail = detail
        self.anomaly = anomaly


@dataclass
class AuthnRequestInfo:
    request_id: str
    relay_state: str
    issue_instant: str
    location: str
    xml: str


@dataclass
class AuthnResult:
    idp: str
    level: str
    acr: str
    attributes: dict[str, str]
    assertion_id: str
    assertion_expires_at: datetime | None
    name_id: str
    session_index: str | None
    state: dict = field(default_factory=dict)


def client(request=None) -> Saml2Client:
    return Saml2Client(config_loader(request))


def _issuer(entity_id: str) -> Issuer:
    return Issuer(text=entity_id, format=NAMEID_FORMAT_ENTITY, name_qualifier=entity_id)


def _instant(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_instant(value: str | None) -> datetime:
    if not value or not UTC_INSTANT.match(value):
        raise ValueError(f"not a UTC instant: {value!r}")
    main = value[:19]
    return datetime.strptime(main, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


def sso_location(saml_client: Saml2Client, idp_entity_id: str) -> str:
    locations = saml_client.metadata.single_sign_on_service(idp_entity_id, BINDING_HTTP_POST)
    for location in locations:
        return location["location"]
    raise SamlError(
        gettext_noop("Gestore dell'identità non disponibile."), f"no HTTP-POST SSO for {idp_entity_id}"
    )


def authn_request_build(*, idp_entity_id: str, level: str) -> AuthnRequestInfo:
    """A signed AuthnRequest for ``idp_entity_id`` (HTTP-POST binding) asking for ``level``."""
    saml_client = client()
    location = sso_location(saml_client, idp_entity_id)
    entity_id = saml_client.config.entityid
    request = samlp.AuthnRequest()
    request.id = saml2.s_utils.sid()
    request.version = saml2.VERSION
    request.issue_instant = _instant()
    request.destination = location
    request.issuer = _issuer(entity_id)
    request.assertion_consumer_service_url = acs_url()
    request.protocol_binding = BINDING_HTTP_POST
    request.attribute_consuming_service_index = ATTRIBUTE_CONSUMING_SERVICE_INDEX
    request.name_id_policy = samlp.NameIDPolicy(format=NAMEID_FORMAT_TRANSIENT)
    request.requested_authn_context = requested_authn_context(
        class_ref=levels.acr_for_level(level), comparison="minimum"
    )
    # The SPID rules: ForceAuthn is mandatory above level 1; Sportello always asks for a fresh login.
    request.force_authn = "true"
    signed = saml_client.sign(request, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    return AuthnRequestInfo(
        request_id=request.id,
        relay_state=secrets.token_urlsafe(18),
        issue_instant=request.issue_instant,
        location=location,
        xml=str(signed),
    )


def encode_message(xml: str) -> str:
    return base64.b64encode(xml.encode()).decode()


# --- Response validation -------------------------------------------------------------------------


def _decode(saml_response: str) -> bytes:
    try:
        return base64.b64decode(saml_response.encode(), validate=False)
    except (ValueError, TypeError) as error:
        raise SamlError(gettext_noop("Risposta di autenticazione non valida."), f"base64: {error}") from error


def _skew() -> timedelta:
    return timedelta(seconds=settings.SPID_CLOCK_SKEW_SECONDS)


def _check(condition, detail: str) -> None:
    if not condition:
        raise SamlError(gettext_noop("Risposta di autenticazione non valida."), detail)


def _check_instant(value: str | None, what: str, *, not_before: datetime | None, now: datetime) -> datetime:
    try:
        moment = _parse_instant(value)
    except ValueError as error:
        raise SamlError(gettext_noop("Risposta di autenticazione non valida."), f"{what}: {error}") from error
    _check(moment <= now + _skew(), f"{what} in the future: {value}")
    if not_before is not None:
        _check(moment >= not_before - _skew(), f"{what} before the request: {value}")
    return moment


def response_status(xml: bytes) -> tuple[str | None, str | None, str | None]:
    """(top status code, second-level code, status message) read from the raw Response."""
    root = ElementTree.fromstring(xml)
    status = root.find(f"{{{SAMLP_NS}}}Status")
    if status is None:
        return None, None, None
    code = status.find(f"{{{SAMLP_NS}}}StatusCode")
    sub = code.find(f"{{{SAMLP_NS}}}StatusCode") if code is not None else None
    message = status.find(f"{{{SAMLP_NS}}}StatusMessage")
    return (
        code.get("Value") if code is not None else None,
        sub.get("Value") if sub is not None else None,
        (message.text or "").strip() if message is not None else None,
    )


def validate_spid_response(
    response: samlp.Response, assertion, *, state: dict, idp_entity_id: str, now: datetime
):
    """The SPID rules on a Response whose signatures pysaml2 has verified (``assertion`` is the signed one)."""
    request_instant = _parse_instant(state["issued"]) if state.get("issued") else None
    expected_acs = acs_url()
    entity_id = settings.SPID_SP_ENTITY_ID

    # Response
    _check(response.version == "2.0", "Response Version")
    _check(response.id, "Response ID")
    _check_instant(response.issue_instant, "Response IssueInstant", not_before=request_instant, now=now)
    _check(response.in_response_to and response.in_response_to == state.get("id"), "Response InResponseTo")
    _check(response.destination and response.destination == expected_acs, "Response Destination")
    _check(response.issuer is not None and response.issuer.text, "Response Issuer")
    _check(response.issuer.text.strip() == idp_entity_id, "Response Issuer is not the IdP")
    _check(response.issuer.format in (None, NAMEID_FORMAT_ENTITY), "Response Issuer Format")
    # Assertion
    _check(assertion is not None, "no Assertion")
    _check(assertion.id, "Assertion ID")
    _check(assertion.version == "2.0", "Assertion Version")
    _check_instant(assertion.issue_instant, "Assertion IssueInstant", not_before=request_instant, now=now)
    _check(assertion.issuer is not None and assertion.issuer.text, "Assertion Issuer")
    _check(assertion.issuer.text.strip() == idp_entity_id, "Assertion Issuer is not the IdP")
    _check(assertion.issuer.format == NAMEID_FORMAT_ENTITY, "Assertion Issuer Format")
    # Subject
    subject = assertion.subject
    _check(subject is not None, "Subject")
    name_id = subject.name_id
    _check(name_id is not None and name_id.text, "NameID")
    _check(name_id.format == NAMEID_FORMAT_TRANSIENT, "NameID Format")
    _check(name_id.name_qualifier, "NameID NameQualifier")
    _check(subject.subject_confirmation, "SubjectConfirmation")
    for confirmation in subject.subject_confirmation:
        _check(confirmation.method == BEARER, "SubjectConfirmation Method")
        data = confirmation.subject_confirmation_data
        _check(data is not None, "SubjectConfirmationData")
        _check(data.recipient and data.recipient == expected_acs, "SubjectConfirmationData Recipient")
        _check(
            data.in_response_to and data.in_response_to == state.get("id"),
            "SubjectConfirmationData InResponseTo",
        )
        try:
            expires = _parse_instant(data.not_on_or_after)
        except ValueError as error:
            raise SamlError(
                gettext_noop("Risposta di autenticazione non valida."), f"SCD NotOnOrAfter: {error}"
            ) from error
        _check(expires > now - _skew(), "SubjectConfirmationData expired")
    # Conditions
    conditions = assertion.conditions
    _check(conditions is not None, "Conditions")
    try:
        not_before = _parse_instant(conditions.not_before)
        not_on_or_after = _parse_instant(conditions.not_on_or_after)
    except ValueError as error:
        raise SamlError(
            gettext_noop("Risposta di autenticazione non valida."), f"Conditions: {error}"
        ) from error
    _check(not_before <= now + _skew(), "Conditions NotBefore in the future")
    _check(not_on_or_after > now - _skew(), "Conditions expired")
    _check(conditions.audience_restriction, "AudienceRestriction")
    audiences = [a.text.strip() for r in conditions.audience_restriction for a in r.audience if a.text]
    _check(audiences and all(a == entity_id for a in audiences), "Audience")
    # Authentication statement and level
    _check(assertion.authn_statement, "AuthnStatement")
    statement = assertion.authn_statement[0]
    _check(statement.authn_context is not None, "AuthnContext")
    class_ref = statement.authn_context.authn_context_class_ref
    _check(class_ref is not None and class_ref.text, "AuthnContextClassRef")
    acr = class_ref.text.strip()
    _check(acr in levels.RANK_BY_ACR, f"AuthnContextClassRef not a SPID level: {acr}")
    requested = levels.RANK_BY_ACR.get(levels.acr_for_level(state.get("level", levels.SPID2)))
    if levels.RANK_BY_ACR[acr] < requested:
        raise SamlError(
            gettext_noop("La tua identità digitale non ha il livello di sicurezza richiesto dal servizio."),
            f"level {acr} below the requested one",
        )
    # Attributes
    for attribute_statement in assertion.attribute_statement:
        _check(attribute_statement.attribute, "AttributeStatement without Attribute")
    return acr, not_on_or_after, statement.session_index


def _attributes(assertion) -> dict[str, str]:
    values: dict[str, str] = {}
    for statement in assertion.attribute_statement:
        for attribute in statement.attribute:
            texts = [v.text for v in attribute.attribute_value if v.text]
            if attribute.name and texts:
                values[attribute.name] = texts[0].strip()
    return values


def authn_response_process(*, saml_response: str, outstanding: dict, relay_state: str | None) -> AuthnResult:
    """Verify a Response posted to the ACS. ``outstanding``: request id -> state saved at login start."""
    xml = _decode(saml_response)
    try:
        top, _sub, message = response_status(xml)
    except ElementTree.ParseError as error:
        raise SamlError(gettext_noop("Risposta di autenticazione non valida."), f"XML: {error}") from error
    except Exception as error:  # defusedxml refuses entities, DTDs, ...
        raise SamlError(gettext_noop("Risposta di autenticazione non valida."), f"XML: {error!r}") from error
    if top is None:
        raise SamlError(gettext_noop("Risposta di autenticazione non valida."), "no Status")
    if top != STATUS_SUCCESS:
        anomaly = re.search(r"ErrorCode nr ?(\d+)", message or "")
        code = anomaly.group(1) if anomaly else None
        raise SamlError(
            ANOMALIES.get(code, gettext_noop("L'autenticazione non è andata a buon fine.")),
            f"status {top}: {message}",
            anomaly=code,
        )

    saml_client = client()
    try:
        parsed = saml_client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except Exception as error:  # pysaml2 raises many types: all mean "refused"
        raise SamlError(
            gettext_noop("Risposta di autenticazione non valida."), f"pysaml2: {error!r}"
        ) from error
    if parsed is None:
        raise SamlError(gettext_noop("Risposta di autenticazione non valida."), "pysaml2 returned nothing")

    response = parsed.response
    assertion = parsed.assertion
    state = outstanding.get(response.in_response_to or "")
    _check(isinstance(state, dict), "InResponseTo does not match an outstanding request")
    _check(
        relay_state is not None and secrets.compare_digest(relay_state, state.get("relay", "")), "RelayState"
    )
    idp_entity_id = state.get("idp", "")
    _check(len(parsed.response.assertion) <= 1, "more than one Assertion")
    now = datetime.now(UTC)
    acr, expires, session_index = validate_spid_response(
        response, assertion, state=state, idp_entity_id=idp_entity_id, now=now
    )
    provider = identity_provider_get(idp_entity_id)
    level = levels.level_from_acr(acr, cie=provider is not None and provider.kind == CIE)
    return AuthnResult(
        idp=idp_entity_id,
        level=level,
        acr=acr,
        attributes=_attributes(assertion),
        assertion_id=assertion.id,
        assertion_expires_at=expires,
        name_id=assertion.subject.name_id.text,
        session_index=session_index,
        state=state,
    )


# --- Single logout -------------------------------------------------------------------------------


def slo_location(saml_client: Saml2Client, idp_entity_id: str) -> str | None:
    try:
        services = saml_client.metadata.single_logout_service(idp_entity_id, BINDING_HTTP_POST, "idpsso")
    except Exception:  # unknown entity
        return None
    for service in services:
        return service["location"]
    return None


def logout_request_build(*, idp_entity_id: str, name_id: str, session_index: str | None):
    """A signed LogoutRequest (HTTP-POST), or None when the IdP publishes no SLO endpoint."""
    saml_client = client()
    location = slo_location(saml_client, idp_entity_id)
    if not location:
        return None
    request = samlp.LogoutRequest()
    request.id = saml2.s_utils.sid()
    request.version = saml2.VERSION
    request.issue_instant = _instant()
    request.destination = location
    request.issuer = _issuer(saml_client.config.entityid)
    request.name_id = NameID(format=NAMEID_FORMAT_TRANSIENT, name_qualifier=idp_entity_id, text=name_id)
    if session_index:
        request.session_index = [samlp.SessionIndex(text=session_index)]
    signed = saml_client.sign(request, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    return request.id, location, str(signed)


def logout_response_verify(*, saml_response: str, expected_id: str | None) -> bool:
    """True for a correctly signed, successful LogoutResponse to our request ``expected_id``."""
    saml_client = client()
    try:
        parsed = saml_client.parse_logout_request_response(saml_response, BINDING_HTTP_POST)
    except Exception as error:
        logger.warning("LogoutResponse refused: %r", error)
        return False
    if parsed is None or parsed.response.in_response_to != expected_id:
        return False
    status = parsed.response.status
    return status is not None and status.status_code.value == STATUS_SUCCESS


def logout_request_answer(
    *, saml_request: str, binding: str, relay_state: str | None, sig_alg: str | None, signature: str | None
):
    """Answer an IdP-initiated LogoutRequest: (idp, location, signed LogoutResponse xml, name id).

    The request must be signed by a known identity provider (in the XML for HTTP-POST, in the query for
    HTTP-Redirect: ``sig_alg`` and ``signature``), addressed to our SLO endpoint for that binding, and fresh.
    """
    saml_client = client()
    receivers = saml_client.config.endpoint("single_logout_service", binding, "sp")
    request = saml2.request.LogoutRequest(
        saml_client.sec,
        receivers,
        saml_client.config.attribute_converters,
        timeslack=settings.SPID_CLOCK_SKEW_SECONDS,
    )
    try:
        xml = saml_client.unravel(saml_request, binding, request.msgtype)
        parsed = request.loads(
            xml,
            binding,
            origdoc=saml_request,
            must=True,  # pysaml2 only requires it when configured as an IdP
            relay_state=relay_state,
            sigalg=sig_alg,
            signature=signature,
        )
        verified = parsed is not None and parsed.verify()
    except Exception as error:  # pysaml2 raises many types: all mean "refused"
        raise SamlError(
            gettext_noop("Richiesta di uscita non valida."), f"LogoutRequest: {error!r}"
        ) from error
    if not verified or parsed.message is None:
        raise SamlError(gettext_noop("Richiesta di uscita non valida."), "LogoutRequest not verified")
    message = parsed.message
    idp = message.issuer.text.strip() if message.issuer is not None and message.issuer.text else ""
    location = slo_location(saml_client, idp) if identity_provider_get(idp) is not None else None
    if not location:
        raise SamlError(gettext_noop("Richiesta di uscita non valida."), f"no known IdP with SLO: {idp}")
    response = saml_client.create_logout_response(message, [BINDING_HTTP_POST], sign=False)
    response.issuer = _issuer(saml_client.config.entityid)
    response.destination = location
    signed = saml_client.sign(response, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    name_id = message.name_id.text if message.name_id is not None else None
    return idp, location, str(signed), name_id
