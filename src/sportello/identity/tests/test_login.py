"""The real SAML exchange, SP <-> demo IdP, with the Django test client."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from sportello.accounts.models import ConsumedAssertion, LoginEvent, User
from sportello.accounts.services import AssertionReplayedError, citizen_login_record
from sportello.identity import saml as saml_module
from sportello.identity.demo_idp.idp import DEMO_CITIZENS, DEMO_IDPS

from .saml_helpers import LOGIN, craft_response, idp_response, path_of, saml_login, start_login

SPID_IDP = DEMO_IDPS["spid"]
CIE_IDP = DEMO_IDPS["cie"]
MARIO = DEMO_CITIZENS[0]
SERVICE = "/comune-di-mori/it/servizi/carta-identita/accedi/"


def _outstanding(client) -> dict:
    return SessionStore(client.cookies[settings.SAML_SESSION_COOKIE_NAME].value)["_saml2_outstanding_queries"]


def test_login_through_the_demo_idp_lands_on_the_service(client, mori):
    response = saml_login(client, idp=SPID_IDP.entity_id(), citizen=MARIO["fiscalNumber"], next_url=SERVICE)
    assert response.status_code == 302
    assert response["Location"] == SERVICE

    user = User.objects.get(fiscal_code="RSSMRA80A01H501U")  # without the TINIT- prefix
    assert (user.first_name, user.last_name) == ("Mario", "Rossi")
    assert user.email == "mario.rossi@example.org" and user.phone == "+393331234567"
    assert str(user.birth_date) == "1980-01-01" and user.birth_place == "H501"
    assert not user.has_usable_password()

    auth = client.session["citizen_auth"]
    assert auth["level"] == "spid2" and auth["idp"] == SPID_IDP.entity_id() and auth["at"]
    assert int(client.session["_auth_user_id"]) == user.pk

    event = LoginEvent.objects.get(user=user)
    assert (event.idp, event.level, event.municipality) == (SPID_IDP.entity_id(), "spid2", mori)
    assert ConsumedAssertion.objects.filter(assertion_id=event.assertion_id).exists()
    # The SAML state of that request is spent.
    assert _outstanding(client) == {}


def test_same_fiscal_code_from_two_idps_is_one_account(client, mori, citizen):
    # ``citizen`` already exists with Mario's fiscal code (e.g. from an earlier login).
    saml_login(client, idp=SPID_IDP.entity_id(), citizen=MARIO["fiscalNumber"])
    client.post("/comune-di-mori/it/esci/")
    response = saml_login(client, idp=CIE_IDP.entity_id(), citizen=MARIO["fiscalNumber"], level="cie")
    assert response.status_code == 302
    assert User.objects.filter(fiscal_code="RSSMRA80A01H501U").count() == 1
    citizen.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == citizen.pk
    assert client.session["citizen_auth"]["level"] == "cie"
    assert list(LoginEvent.objects.filter(user=citizen).order_by("at").values_list("idp", "level")) == [
        (SPID_IDP.entity_id(), "spid2"),
        (CIE_IDP.entity_id(), "cie"),
    ]
    # The e-mail the citizen had is kept; the names follow the identity provider.
    assert citizen.email == "cittadino@example.org"
    assert citizen.first_name == "Mario" and citizen.last_name == "Rossi"


def test_step_up_asks_to_authenticate_again_at_the_higher_level(client, mori):
    saml_login(client, idp=SPID_IDP.entity_id(), citizen=MARIO["fiscalNumber"], level="spid1")
    assert client.session["citizen_auth"]["level"] == "spid1"

    # A service needing SPID level 2 sends the citizen to the login page: not satisfied, so it asks again.
    response = client.get(LOGIN, {"next": SERVICE, "livello": "spid2"})
    assert response.status_code == 200
    assert "livello di sicurezza più alto" in response.content.decode()
    # The personal area needs level 2 too (once the privacy notice, asked at any level, is accepted).
    client.post("/comune-di-mori/it/area-personale/privacy/", {"accept": "on"})
    response = client.get("/comune-di-mori/it/area-personale/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)

    response = saml_login(client, idp=SPID_IDP.entity_id(), citizen=MARIO["fiscalNumber"], next_url=SERVICE)
    assert response["Location"] == SERVICE
    assert client.session["citizen_auth"]["level"] == "spid2"
    # Now satisfied: the login page goes straight on to where the citizen was going.
    response = client.get(LOGIN, {"next": SERVICE, "livello": "spid2"})
    assert response.status_code == 302 and response["Location"] == SERVICE
    # ... but "cie" still needs a new authentication, with CIE only.
    response = client.get(LOGIN, {"next": SERVICE, "livello": "cie"})
    assert response.status_code == 200 and CIE_IDP.entity_id() in response.content.decode()


def test_response_below_the_requested_level_is_refused(client, mori):
    action, fields = start_login(client, idp=SPID_IDP.entity_id(), level="spid2")

    def lower(response, assertion):
        assertion.authn_statement[
            0
        ].authn_context.authn_context_class_ref.text = "https://www.spid.gov.it/SpidL1"

    saml_response = craft_response(kind="spid", fields=fields, citizen=MARIO, mutate=lower)
    response = _post(client, saml_response, fields)
    assert response.status_code == 403
    assert "livello di sicurezza" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _post(client, saml_response: str, fields: dict):
    return client.post("/spid/acs/", {"SAMLResponse": saml_response, "RelayState": fields["RelayState"]})


def _assert_refused(client, response):
    assert response.status_code in (400, 403), response.status_code
    assert "_auth_user_id" not in client.session
    assert not LoginEvent.objects.exists()


def test_correctly_signed_crafted_response_is_accepted(client, mori):
    # The control for the tests below: the crafting helper alone does not make a response invalid.
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())
    response = _post(client, craft_response(kind="spid", fields=fields, citizen=MARIO), fields)
    assert response.status_code == 302


def test_tampered_response_is_refused(client, mori):
    action, fields = start_login(client, idp=SPID_IDP.entity_id())
    acs, response_fields = idp_response(client, action=action, fields=fields, citizen=MARIO["fiscalNumber"])
    xml = base64.b64decode(response_fields["SAMLResponse"]).decode()
    tampered = xml.replace("RSSMRA80A01H501U", "BNCGLI85M41L378W")
    assert tampered != xml
    response = client.post(
        path_of(acs),
        {"SAMLResponse": base64.b64encode(tampered.encode()).decode(), "RelayState": fields["RelayState"]},
    )
    _assert_refused(client, response)


def test_unsigned_response_is_refused(client, mori):
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())
    _assert_refused(
        client, _post(client, craft_response(kind="spid", fields=fields, citizen=MARIO, sign=False), fields)
    )


def test_wrong_audience_is_refused(client, mori):
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())

    def audience(response, assertion):
        assertion.conditions.audience_restriction[0].audience[0].text = "https://other-sp.example/"

    _assert_refused(
        client,
        _post(client, craft_response(kind="spid", fields=fields, citizen=MARIO, mutate=audience), fields),
    )


def test_wrong_recipient_and_destination_are_refused(client, mori):
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())

    def recipient(response, assertion):
        assertion.subject.subject_confirmation[
            0
        ].subject_confirmation_data.recipient = "https://other-sp.example/acs"

    _assert_refused(
        client,
        _post(client, craft_response(kind="spid", fields=fields, citizen=MARIO, mutate=recipient), fields),
    )

    _action, fields = start_login(client, idp=SPID_IDP.entity_id())

    def destination(response, assertion):
        response.destination = "https://other-sp.example/acs"

    _assert_refused(
        client,
        _post(client, craft_response(kind="spid", fields=fields, citizen=MARIO, mutate=destination), fields),
    )


def test_response_from_another_idp_than_asked_is_refused(client, mori):
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())
    # Signed by the CIE demo IdP, which is trusted, but the request went to the SPID one.
    _assert_refused(client, _post(client, craft_response(kind="cie", fields=fields, citizen=MARIO), fields))


def test_expired_response_is_refused(client, mori, monkeypatch):
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())
    saml_response = craft_response(kind="spid", fields=fields, citizen=MARIO)

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz or UTC) + timedelta(minutes=10)

    monkeypatch.setattr(saml_module, "datetime", Later)
    _assert_refused(client, _post(client, saml_response, fields))


def test_response_with_wrong_in_response_to_or_relay_state_is_refused(client, mori):
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())
    saml_response = craft_response(kind="spid", fields=fields, citizen=MARIO)
    response = client.post("/spid/acs/", {"SAMLResponse": saml_response, "RelayState": "something-else"})
    _assert_refused(client, response)
    # Without the browser's SAML session (another browser), the response is unsolicited.
    other = client.__class__()
    response = other.post("/spid/acs/", {"SAMLResponse": saml_response, "RelayState": fields["RelayState"]})
    assert response.status_code == 403


def test_replayed_assertion_is_refused_by_the_database(client, mori):
    _action, fields = start_login(client, idp=SPID_IDP.entity_id())
    saml_response = craft_response(kind="spid", fields=fields, citizen=MARIO)
    state = dict(_outstanding(client))
    assert _post(client, saml_response, fields).status_code == 302
    client.post("/comune-di-mori/it/esci/")

    # An attacker replays the same response with the request state restored: the one-time row refuses it.
    saml_session = SessionStore(client.cookies[settings.SAML_SESSION_COOKIE_NAME].value)
    saml_session["_saml2_outstanding_queries"] = state
    saml_session.save()
    response = _post(client, saml_response, fields)
    assert response.status_code == 403
    assert "già stata usata" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginEvent.objects.count() == 1


def test_idp_error_status_shows_the_spid_anomaly(client, mori):
    action, fields = start_login(client, idp=SPID_IDP.entity_id())
    acs, response_fields = idp_response(client, action=action, fields=fields, citizen="", choice="cancel")
    response = client.post(path_of(acs), response_fields)
    assert response.status_code == 403
    assert "Hai annullato l&#x27;autenticazione." in response.content.decode()


@pytest.mark.django_db
def test_citizen_login_record_consumes_each_assertion_once(mori):
    attributes = {"fiscalNumber": "TINIT-RSSMRA80A01H501U", "name": "Mario", "familyName": "Rossi"}
    citizen_login_record(attributes=attributes, idp="https://idp.example/", level="spid2", assertion_id="_a1")
    with pytest.raises(AssertionReplayedError):
        citizen_login_record(
            attributes=attributes, idp="https://idp.example/", level="spid2", assertion_id="_a1"
        )
    assert LoginEvent.objects.count() == 1
    # The same ID from another IdP is another assertion.
    citizen_login_record(
        attributes=attributes, idp="https://other-idp.example/", level="spid2", assertion_id="_a1"
    )
    assert User.objects.filter(fiscal_code="RSSMRA80A01H501U").count() == 1


def test_logout_is_local_and_then_saml_single_logout(client, mori):
    saml_login(client, idp=SPID_IDP.entity_id(), citizen=MARIO["fiscalNumber"])
    response = client.post("/comune-di-mori/it/esci/")
    assert "_auth_user_id" not in client.session  # local logout, whatever the IdP does
    from .saml_helpers import form_fields

    action, fields = form_fields(response.content.decode())
    assert action == SPID_IDP.slo_url() and "SAMLRequest" in fields
    # The demo IdP answers with a signed LogoutResponse, posted back to the SP's SLO endpoint.
    idp_answer = client.post(path_of(action), fields)
    sp_slo, answer_fields = form_fields(idp_answer.content.decode())
    assert sp_slo == settings.SPID_SP_BASE_URL + "/spid/ls/"
    response = client.post(path_of(sp_slo), answer_fields, follow=True)
    assert response.redirect_chain[-1][0] == "/comune-di-mori/it/"
    html = response.content.decode()
    assert "Sei uscito dall&#x27;area personale." in html
    assert "non ha confermato" not in html
