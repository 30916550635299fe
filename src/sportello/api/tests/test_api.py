import json
from datetime import timedelta

from django.utils import timezone

from sportello.integrations.models import ApiToken
from sportello.integrations.tests.factories import token_for

BASE = "/api/v1/comune-di-mori"


def test_status_is_json_and_not_cacheable(client, db):
    response = client.get("/api/v1/status")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert int(response["X-RateLimit-Limit"]) > 0 and "X-RateLimit-Remaining" in response


def test_schema_and_local_docs(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["info"]["version"] == "1.0.0" and schema["info"]["x-summary"]
    assert "/status" in schema["paths"] and "/{municipality_slug}/applications" in schema["paths"]
    response = client.get("/api/v1/docs/")
    docs = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and "<script>" not in docs  # served locally, no inline script (CSP)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.get("/api/v1/docs/?script=").status_code == 200


def test_errors_are_problems_in_italian_by_default(client, mori):
    response = client.get(f"{BASE}/applications")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Autenticazione necessaria"
    assert response["WWW-Authenticate"] == "Bearer"
    english = client.get(f"{BASE}/applications", headers={"Accept-Language": "en"}).json()
    assert english["title"] == "Authentication required"


def test_unknown_municipality_and_path_are_problems(client, db):
    for url in ("/api/v1/comune-inesistente/services", "/api/v1/nulla/di/nulla"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Risorsa non trovata"


def test_public_services_need_no_token(client, mori_service):
    response = client.get(f"{BASE}/services")
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()["results"]] == ["carta-identita"]
    assert client.get(f"{BASE}/services/carta-identita").json()["name"] == mori_service.name
    mori_service.status = "draft"
    mori_service.save()
    assert client.get(f"{BASE}/services/carta-identita").status_code == 404
    assert client.get(f"{BASE}/services").json()["results"] == []


def test_the_list_uses_the_dashboard_filters(api, mori_token, mori_application):
    token = api(mori_token)
    response = token.get(f"{BASE}/applications")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [mori_application.pk]
    assert rows[0]["number"] == mori_application.number and rows[0]["state"] == "registered"
    assert token.get(f"{BASE}/applications", {"q": "ross"}).json()["results"][0]["id"] == mori_application.pk
    assert token.get(f"{BASE}/applications", {"q": "bianchi"}).json()["results"] == []
    assert token.get(f"{BASE}/applications", {"state": "accepted"}).json()["results"] == []
    response = token.get(f"{BASE}/applications", {"state": "nonsense", "submitted_from": "ieri"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"state", "submitted_from"}


def test_cursor_pagination_walks_every_row_once(api, mori, mori_admin, mori_service):
    from sportello.accounts.tests.factories import UserFactory
    from sportello.applications.tests.factories import submitted_application

    ids = {
        submitted_application(municipality=mori, applicant=UserFactory(), service=mori_service).pk
        for _ in range(5)
    }
    token = api(token_for(mori, mori_admin))
    seen, url = [], f"{BASE}/applications?limit=2"
    while url:
        page = token.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    oldest_first = token.get(f"{BASE}/applications", {"sort": "submitted_at", "limit": 5}).json()["results"]
    assert [row["id"] for row in oldest_first] == sorted(ids)


def test_detail_history_messages_attachments(api, mori_token, mori_application):
    token = api(mori_token)
    detail = token.get(f"{BASE}/applications/{mori_application.pk}").json()
    assert detail["data"]["nome"] == "Mario" and detail["form_version"] == 1
    events = token.get(f"{BASE}/applications/{mori_application.pk}/events").json()["results"]
    assert [e["transition"] for e in events] == ["submit", "register"]
    assert [e["title"] for e in events] == ["", ""]  # only the payment steps carry a title of their own
    assert token.get(f"{BASE}/applications/{mori_application.pk}/messages").json()["results"] == []
    attachments = token.get(f"{BASE}/applications/{mori_application.pk}/attachments").json()["results"]
    assert [a["name"] for a in attachments] == ["a.pdf"]
    content = token.get(f"{BASE}/applications/{mori_application.pk}/attachments/{attachments[0]['id']}")
    assert content.status_code == 200 and b"".join(content.streaming_content) == b"%PDF-1.4"
    assert content["Cache-Control"] == "private, no-store"


def test_transitions_are_the_services_ones(api, mori_token, mori_application):
    token = api(mori_token)
    url = f"{BASE}/applications/{mori_application.pk}/transitions"
    assert [t["name"] for t in token.get(url).json()["items"]] == ["take_charge", "cancel"]
    response = token.post(url, {"name": "accept", "motivation": "Ok"})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Operazione non consentita")
    assert token.post(url, {"name": "take_charge"}).status_code == 201
    response = token.post(url, {"name": "accept"})
    assert response.status_code == 400 and "motivation" in response.json()["errors"]
    response = token.post(url, {"name": "accept", "motivation": "Documenti regolari."})
    assert response.status_code == 201 and response.json()["state"] == "accepted"
    mori_application.refresh_from_db()
    assert mori_application.state == "accepted"
    assert [e.transition for e in mori_application.events.all()] == [
        "submit",
        "register",
        "take_charge",
        "accept",
    ]


def test_scopes_are_enforced(api, mori, mori_admin, mori_application):
    read_only = api(token_for(mori, mori_admin, scopes=["applications:read"]))
    url = f"{BASE}/applications/{mori_application.pk}/transitions"
    assert read_only.get(url).status_code == 200
    response = read_only.post(url, {"name": "take_charge"})
    assert response.status_code == 403 and "transitions:write" in response.json()["detail"]
    payments_only = api(token_for(mori, mori_admin, scopes=["payments:read"]))
    for path in (
        "applications",
        f"applications/{mori_application.pk}",
        f"applications/{mori_application.pk}/events",
    ):
        assert payments_only.get(f"{BASE}/{path}").status_code == 403, path
    mori_application.refresh_from_db()
    assert mori_application.state == "registered"


def test_expired_revoked_and_forged_tokens_are_refused(api, mori, mori_admin, mori_application):
    from sportello.integrations.services import api_token_revoke

    raw = token_for(mori, mori_admin)
    token = ApiToken.objects.get(prefix=raw.split("_", 2)[1])
    assert api(raw).get(f"{BASE}/applications").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)  # only the hash is stored
    assert api(raw[:-1] + ("A" if raw[-1] != "A" else "B")).get(f"{BASE}/applications").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api(raw).get(f"{BASE}/applications").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=1))
    api_token_revoke(token=token)
    assert api(raw).get(f"{BASE}/applications").status_code == 401


def test_a_token_stops_when_its_administrator_leaves(api, mori, mori_admin, mori_application):
    raw = token_for(mori, mori_admin)
    mori_admin.memberships.update(is_active=False)
    assert api(raw).get(f"{BASE}/applications").status_code == 403


def test_staff_session_sees_what_the_dashboard_shows(client, mori_operator, mori_application, mori_service):
    client.force_login(mori_operator)
    assert client.get(f"{BASE}/applications").json()["results"] == []  # not enabled on the service
    mori_service.operators.add(mori_operator)
    assert [r["id"] for r in client.get(f"{BASE}/applications").json()["results"]] == [mori_application.pk]


def test_citizens_session_is_not_staff(client, citizen, mori_application):
    client.force_login(citizen)
    assert client.get(f"{BASE}/applications").status_code == 403


def test_rate_limit_answers_429_with_retry_after(api, mori_token, mori, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "3/minute"
    token = api(mori_token)
    remaining = [int(token.get(f"{BASE}/services")["X-RateLimit-Remaining"]) for _ in range(3)]
    assert remaining == [2, 1, 0]
    response = token.get(f"{BASE}/services")
    assert response.status_code == 429 and response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60 and response["X-RateLimit-Remaining"] == "0"
    cache.clear()


def test_status_down_is_503_problem_with_retry_after(client, db, monkeypatch):
    from django.db import DatabaseError

    from sportello.api.views import status

    class Broken:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr(status, "connection", Broken())
    response = client.get("/api/v1/status")
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
