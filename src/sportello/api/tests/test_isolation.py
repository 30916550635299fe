"""Walk every API route under a municipality: other municipalities' tokens, tokens without the scope,
citizens and anonymous callers get nothing (the back office's walk, extended to the API)."""

import pytest
from django.urls import URLPattern, resolve

from sportello.api.urls import municipality_patterns
from sportello.integrations.models import Scope
from sportello.integrations.tests.factories import token_for

from .conftest import first_free_slot

# Open to anyone: the catalogue, calendars and their availability (no personal data) and the ICS feed behind its
# secret address (api/tests/test_calendars_api.py tests those).
PUBLIC = {
    "service_list",
    "service_detail",
    "calendar_list",
    "calendar_detail",
    "calendar_availability",
    "calendar_feed",
    "room_list",
    "room_detail",
    "room_availability",
}
WRITES = {
    "application_transitions",
    "application_messages",
    "appointment_list",
    "appointment_transitions",
    "room_booking_transitions",
}
LISTS = {
    "service_list",
    "application_list",
    "calendar_list",
    "appointment_list",
    "payment_list",
    "accounting_export",
    "room_list",
    "room_booking_list",
}
QUERY = {
    "calendar_availability": "?from=2027-01-01&to=2027-01-07",
    "room_availability": "?from=2027-01-01&to=2027-01-07",
    "accounting_export": "?paid_from=2000-01-01&paid_to=2100-12-31",
}


def api_urls(slug: str, **ids):
    for pattern in municipality_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        for name, value in ids.items():
            route = route.replace(f"<int:{name}>", str(value)).replace(f"<slug:{name}>", str(value))
            route = route.replace(f"<str:{name}>", str(value))
        assert "<" not in route, f"placeholder not handled by the walk: {route}"
        yield pattern.name, f"/api/v1/{slug}/{route}{QUERY.get(pattern.name, '')}"


@pytest.fixture
def world(mori_application, mori_calendar, mori_appointment, mori_payment, mori_room, mori_booking):
    return {
        "application": mori_application,
        "calendar": mori_calendar,
        "appointment": mori_appointment,
        "payment": mori_payment,
        "room": mori_room,
        "booking": mori_booking,
    }


def walk(world, slug="comune-di-mori"):
    return api_urls(
        slug,
        application_id=world["application"].pk,
        attachment_id=world["application"].attachments.get().pk,
        service_slug=world["application"].service.slug,
        calendar_id=world["calendar"].pk,
        secret=world["calendar"].feed_secret,
        appointment_id=world["appointment"].pk,
        payment_id=world["payment"].pk,
        room_id=world["room"].pk,
        booking_id=world["booking"].pk,
    )


def write_body(name, world):
    if name == "appointment_list":
        start = first_free_slot(world["calendar"]).start.isoformat()
        return {"calendar": world["calendar"].pk, "start": start, "first_name": "Ada", "last_name": "Intrusa"}
    if name in ("appointment_transitions", "room_booking_transitions"):
        return {"name": "cancel"}
    if name == "application_messages":
        return {"body": "Messaggio di un altro ente"}
    return {"name": "take_charge"}


def test_the_walk_covers_every_api_route():
    names = {p.name for p in municipality_patterns}
    assert names == {
        name
        for name, _ in api_urls(
            "x",
            application_id=1,
            attachment_id=1,
            service_slug="s",
            calendar_id=1,
            secret="s",
            appointment_id=1,
            payment_id=1,
            room_id=1,
            booking_id=1,
        )
    }
    assert len(names) >= 18 and names >= PUBLIC | WRITES | LISTS


def _unchanged(world):
    application, appointment, payment = world["application"], world["appointment"], world["payment"]
    application.refresh_from_db()
    assert application.state == "registered" and application.events.count() == 2
    assert application.messages.count() == 0
    appointment.refresh_from_db()
    assert appointment.state == "approved" and appointment.events.count() == 1
    from sportello.scheduling.models import Appointment

    assert Appointment.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == "paid"
    booking = world["booking"]
    booking.refresh_from_db()
    assert booking.state == "requested" and booking.events.count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_of_trento_gets_nothing_of_mori(api, trento, trento_admin, world, method):
    trento_token = api(token_for(trento, trento_admin))
    for name, url in walk(world):
        if name in PUBLIC:
            continue
        response = getattr(trento_token, method)(url, write_body(name, world) if method == "post" else None)
        if method == "post" and name not in WRITES:
            assert response.status_code in (403, 405), (url, response.status_code)
            continue
        assert response.status_code == 403, (url, response.status_code)
        assert response.json()["detail"] == "Il token non appartiene a questo ente.", url
    _unchanged(world)


def test_mori_ids_are_404_under_trento_for_trentos_own_token(api, trento, trento_admin, world):
    trento_token = api(token_for(trento, trento_admin))
    for name, url in walk(world, slug="comune-di-trento"):
        response = trento_token.get(url)
        if name in LISTS:
            assert response.status_code == 200 and response.json()["results"] == [], url
        else:
            assert response.status_code == 404, (url, response.status_code)
        if name in WRITES:
            response = trento_token.post(url, write_body(name, world))
            if name == "appointment_list":  # Mori's calendar named in the body of a booking under Trento
                assert response.status_code == 400 and "calendar" in response.json()["errors"], url
            else:
                assert response.status_code == 404, url
    _unchanged(world)


def _required_scope(url: str, method: str) -> str | None:
    view = resolve(url.split("?")[0]).func.view_class
    scopes = getattr(view, "required_scopes", {})
    return scopes.get(method, scopes.get("*"))


def test_a_token_without_the_routes_scope_gets_403_everywhere(api, mori, mori_admin, world):
    """Each route and method needs its own scope: a token holding every other scope is refused."""
    checked = 0
    for name, url in walk(world):
        if name in PUBLIC:
            continue
        for method in ("GET", "POST") if name in WRITES else ("GET",):
            scope = _required_scope(url, method)
            assert scope in Scope.values, (url, method)
            others = [s for s in Scope.values if s != scope]
            token = api(token_for(mori, mori_admin, scopes=others))
            response = token.get(url) if method == "GET" else token.post(url, write_body(name, world))
            assert response.status_code == 403, (url, method, response.status_code)
            assert scope in response.json()["detail"], url
            checked += 1
    assert checked >= 15
    _unchanged(world)


def test_anonymous_callers_get_401_and_citizens_403(client, api, citizen, world):
    anonymous = api(None)
    for name, url in walk(world):
        if name in PUBLIC:
            assert anonymous.get(url).status_code == 200, url
            continue
        assert anonymous.get(url).status_code == 401, url
    client.force_login(citizen)  # the citizen of the appointment and of the payment: still not staff
    for name, url in walk(world):
        if name not in PUBLIC:
            assert client.get(url).status_code == 403, url
    _unchanged(world)


def test_a_platform_superusers_token_stays_in_its_municipality(api, trento, world):
    """The superuser is staff everywhere: only the token's own municipality keeps it out of Mori."""
    from sportello.accounts.tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    trento_token = api(token_for(trento, superuser))
    for name, url in walk(world):
        if name not in PUBLIC:
            assert trento_token.get(url).status_code == 403, url
    _unchanged(world)
