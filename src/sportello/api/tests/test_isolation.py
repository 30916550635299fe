"""Walk every API route under a municipality: other municipalities' tokens, tokens without the scope,
citizens and anonymous callers get nothing (the back office's walk, extended to the API)."""

import pytest
from django.urls import URLPattern

from sportello.api.urls import municipality_patterns
from sportello.integrations.tests.factories import token_for

# Open to anyone: the catalogue, calendar availability (no personal data) and the ICS feed behind its secret URL
# (scheduling/tests and api/tests/test_availability_api.py test those).
PUBLIC = {"service_list", "service_detail", "calendar_availability", "calendar_feed"}
WRITES = {"application_transitions"}


def api_urls(slug: str, *, application_pk: int, attachment_pk: int, service_slug: str):
    for pattern in municipality_patterns:
        assert isinstance(pattern, URLPattern)
        route = (
            str(pattern.pattern)
            .replace("<int:application_id>", str(application_pk))
            .replace("<int:attachment_id>", str(attachment_pk))
            .replace("<slug:service_slug>", service_slug)
            .replace("<int:calendar_id>", "999999")
            .replace("<str:secret>", "not-a-secret")
        )
        assert "<" not in route, f"placeholder not handled by the walk: {route}"
        yield pattern.name, f"/api/v1/{slug}/{route}"


def walk(application):
    return api_urls(
        "comune-di-mori",
        application_pk=application.pk,
        attachment_pk=application.attachments.get().pk,
        service_slug=application.service.slug,
    )


def test_the_walk_covers_every_api_route():
    names = {p.name for p in municipality_patterns}
    assert names == {name for name, _ in api_urls("x", application_pk=1, attachment_pk=1, service_slug="s")}
    assert len(names) >= 9


def _unchanged(application):
    application.refresh_from_db()
    assert application.state == "registered" and application.events.count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_of_trento_gets_nothing_of_mori(api, trento, trento_admin, mori_application, method):
    trento_token = api(token_for(trento, trento_admin))
    for name, url in walk(mori_application):
        if name in PUBLIC:
            continue
        response = getattr(trento_token, method)(url, {"name": "take_charge"} if method == "post" else None)
        if method == "post" and name not in WRITES:
            assert response.status_code in (403, 405), (url, response.status_code)
            continue
        assert response.status_code == 403, (url, response.status_code)
        assert response.json()["detail"] == "Il token non appartiene a questo ente.", url
    _unchanged(mori_application)


def test_mori_ids_are_404_under_trento_for_trentos_own_token(api, trento, trento_admin, mori_application):
    trento_token = api(token_for(trento, trento_admin))
    for name, url in walk(mori_application):
        url = url.replace("/comune-di-mori/", "/comune-di-trento/")
        if name in ("service_list", "application_list"):
            assert trento_token.get(url).json()["results"] == []
            continue
        assert trento_token.get(url).status_code == 404, url
        if name in WRITES:
            assert trento_token.post(url, {"name": "take_charge"}).status_code == 404, url
    _unchanged(mori_application)


def test_a_token_without_the_scope_gets_403_everywhere(api, mori, mori_admin, mori_application):
    token = api(token_for(mori, mori_admin, scopes=["calendars"]))
    for name, url in walk(mori_application):
        if name in PUBLIC:
            continue
        assert token.get(url).status_code == 403, url
        if name in WRITES:
            assert token.post(url, {"name": "take_charge"}).status_code == 403, url
    _unchanged(mori_application)


def test_anonymous_callers_get_401_and_citizens_403(client, api, citizen, mori_application):
    anonymous = api(None)
    for name, url in walk(mori_application):
        if name in PUBLIC:  # the walk's calendar ids and feed secret do not exist
            assert anonymous.get(url).status_code == (404 if name.startswith("calendar") else 200), url
            continue
        assert anonymous.get(url).status_code == 401, url
    client.force_login(citizen)
    for name, url in walk(mori_application):
        if name not in PUBLIC:
            assert client.get(url).status_code == 403, url
    _unchanged(mori_application)


def test_a_platform_superusers_token_stays_in_its_municipality(api, trento, mori_application):
    """The superuser is staff everywhere: only the token's own municipality keeps it out of Mori."""
    from sportello.accounts.tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    trento_token = api(token_for(trento, superuser))
    for name, url in walk(mori_application):
        if name not in PUBLIC:
            assert trento_token.get(url).status_code == 403, url
    _unchanged(mori_application)
