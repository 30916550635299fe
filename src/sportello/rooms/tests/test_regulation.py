"""The room's regulation (PDF) is served through views, never as a /media/ path (not served in production): the
public one for published rooms of the address's municipality, the back office's for the rooms the staff member
manages; inline under a safe name, as a PDF that is never sniffed, cacheable on the public side."""

from django.core.files.base import ContentFile

from .factories import RoomFactory
from .test_photos import _consent, _media  # noqa: F401 (the autouse fixtures apply here too)

MORI = "/comune-di-mori/it"
TRENTO = "/comune-di-trento/it"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def room_with_regulation(municipality, content=PDF, **kwargs):
    room = RoomFactory(municipality=municipality, slug="sala-consiliare", **kwargs)
    room.regulation.save('Regolamento "sale" <2027>.pdf', ContentFile(content))
    return room


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_public_room_pages_regulation_link_answers_with_the_pdf_and_404_from_another_municipality(
    client, mori, trento
):
    room_with_regulation(mori)
    page = client.get(f"{MORI}/spazi/sala-consiliare/").content.decode()
    link = f"{MORI}/spazi/sala-consiliare/regolamento.pdf"
    assert f'<a href="{link}">Regolamento (PDF)</a>' in page and "/media/" not in page
    response = client.get(link)
    assert response.status_code == 200 and body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="regolamento-sala-consiliare.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert client.get(f"{TRENTO}/spazi/sala-consiliare/regolamento.pdf").status_code == 404


def test_no_regulation_for_an_unpublished_room_a_room_without_one_or_a_stored_file_that_is_not_a_pdf(
    client, mori, trento
):
    room = room_with_regulation(mori, published=False)
    assert client.get(f"{MORI}/spazi/sala-consiliare/regolamento.pdf").status_code == 404
    bare = RoomFactory(municipality=mori, slug="sala-vuota")
    assert "Regolamento (PDF)" not in client.get(f"{MORI}/spazi/sala-vuota/").content.decode()
    assert client.get(f"{MORI}/spazi/{bare.slug}/regolamento.pdf").status_code == 404
    room_with_regulation(trento, content=b"<html><script>alert(1)</script></html>")
    assert client.get(f"{TRENTO}/spazi/sala-consiliare/regolamento.pdf").status_code == 404
    assert room.regulation.storage.exists(room.regulation.name)


def test_the_room_editor_links_the_regulation_through_the_back_office_for_its_staff_only(
    client, mori, mori_admin, mori_operator, trento_admin
):
    room = room_with_regulation(mori, published=False)
    link = f"{MORI}/operatori/sale/{room.pk}/regolamento.pdf"
    client.force_login(mori_admin)
    editor = client.get(f"{MORI}/operatori/sale/{room.pk}/").content.decode()
    assert f'<a href="{link}">' in editor and "/media/" not in editor
    assert "vale per la notte dopo (es. 19:00-01:00)" in editor  # the closing time's help says it
    response = client.get(link)
    assert response.status_code == 200 and body(response) == PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="regolamento-sala-consiliare.pdf"'
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    client.force_login(mori_operator)  # not a coordinator of this room
    assert client.get(link).status_code == 404
    room.coordinators.add(mori_operator)
    assert client.get(link).status_code == 200
    client.force_login(trento_admin)
    assert client.get(link).status_code == 403
    assert client.get(f"{TRENTO}/operatori/sale/{room.pk}/regolamento.pdf").status_code == 404


def test_the_demo_sala_consiliare_has_a_regulation_that_passes_the_upload_check_and_is_served(client, mori):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sportello.demo.rooms import load_demo_rooms
    from sportello.formschema.build import FileValidator

    load_demo_rooms(mori, town="mori")
    load_demo_rooms(mori, town="mori")  # idempotent: one file
    council = mori.rooms.get(slug="sala-consiliare")
    data = council.regulation.read()
    FileValidator(["pdf"], max_size_mb=10)(SimpleUploadedFile("r.pdf", data, content_type="application/pdf"))
    response = client.get(f"{MORI}/spazi/sala-consiliare/regolamento.pdf")
    assert response.status_code == 200 and body(response) == data
    assert len(list(council.regulation.storage.listdir("rooms/regulations")[1])) == 1
