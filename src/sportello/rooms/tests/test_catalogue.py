"""The catalogue's "Prenotazione spazi comunali" leads to the rooms: rooms are bound to a rooms service (edited in
the back office), whose "Accedi al servizio" (Modello Comuni ``service-online-access``) leads to ``/spazi/``;
the room pages link back to the card."""

import pytest
from bs4 import BeautifulSoup

from sportello.catalog.constants import Kind, Status
from sportello.catalog.tests.factories import ServiceFactory
from sportello.core import pagecache

from .factories import RoomFactory

MORI = "/comune-di-mori/it"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def card(mori):
    return ServiceFactory(
        municipality=mori,
        slug="prenotazione-spazi-comunali",
        name="Prenotazione spazi comunali",
        kind=Kind.ROOM,
        access_level="spid2",
    )


def test_the_rooms_service_card_leads_to_the_rooms_and_keeps_the_agid_markers(client, card, room):
    page = soup(client.get(f"{MORI}/servizi/prenotazione-spazi-comunali/"))
    assert not page.select_one("[data-element=service-online-access]")  # no room bound yet: not the rooms
    room.service = card
    room.save()
    response = client.get(f"{MORI}/servizi/prenotazione-spazi-comunali/")
    assert response.get(pagecache.HEADER) != "hit"  # binding a room retires the cached card
    page = soup(response)
    access = page.select_one("#accedi [data-element=service-online-access]")
    assert access["href"] == f"{MORI}/spazi/" and access.get_text(strip=True) == "Accedi al servizio"
    assert not page.select_one("[data-element=service-booking-access]")
    # the JSON-LD's service address (the start URL) leads there too, whatever form the card once had
    start = client.get(f"{MORI}/servizi/prenotazione-spazi-comunali/accedi/")
    assert start.status_code == 302 and start["Location"] == f"{MORI}/spazi/"


def test_room_pages_link_back_to_the_service_card(client, card, room):
    room.service = card
    room.save()
    card_url = f"{MORI}/servizi/prenotazione-spazi-comunali/"
    for path in ("/spazi/", f"/spazi/{room.slug}/"):
        link = soup(client.get(MORI + path)).select_one("[data-testid=service-card-link]")
        assert link["href"] == card_url and "Prenotazione spazi comunali" in link.get_text()
    card.status = Status.DRAFT
    card.save()
    assert not soup(client.get(f"{MORI}/spazi/{room.slug}/")).select_one("[data-testid=service-card-link]")


def test_an_unpublished_room_or_another_kind_of_service_does_not_lead_to_the_rooms(client, mori, card, room):
    room.service, room.published = card, False
    room.save()
    assert not soup(client.get(f"{MORI}/servizi/prenotazione-spazi-comunali/")).select_one(
        "[data-element=service-online-access][href$='/spazi/']"
    )
    other = ServiceFactory(municipality=mori, slug="cie", kind=Kind.APPLICATION)
    RoomFactory(
        municipality=mori, service=other
    )  # refused in the back office; even if stored, not a room card
    assert (
        soup(client.get(f"{MORI}/servizi/cie/"))
        .select_one("[data-element=service-online-access]")["href"]
        .endswith("/servizi/cie/accedi/")
    )


def test_the_administrator_binds_a_room_to_one_of_this_municipalitys_rooms_services(
    client, mori, trento, card, room, mori_admin
):
    from django.core.exceptions import ValidationError

    from sportello.backoffice.room_forms import RoomForm
    from sportello.rooms.models import Room
    from sportello.rooms.services import room_save

    ServiceFactory(municipality=mori, slug="cie", kind=Kind.APPLICATION)
    foreign = ServiceFactory(municipality=trento, slug="spazi-trento", kind=Kind.ROOM)
    form = RoomForm(instance=room, operators=room.coordinators.none())
    assert list(form.fields["service"].queryset) == [card]
    room.service = foreign
    with pytest.raises(ValidationError, match="di questo Comune"):
        room_save(room=room)
    room.service = card
    room_save(room=room)
    assert Room.objects.get(pk=room.pk).service == card
