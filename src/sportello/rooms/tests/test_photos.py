"""Room photos: uploads checked by their content, size and pixel count, re-encoded without metadata under a random
name; the administrators' editor (alt text, order, delete); the public page and list show them."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from sportello.core.uploads import image_checked
from sportello.rooms import services
from sportello.rooms.models import RoomPhoto

from .factories import RoomFactory

MORI = "/comune-di-mori/it"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _consent(monkeypatch):
    monkeypatch.setattr("sportello.portal.middleware.privacy_consent_given", lambda **kwargs: True)


def jpeg(width=800, height=600, *, exif=None, trailer=b"", name="sala.jpg", color=(200, 120, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", exif=exif or Image.Exif())
    return SimpleUploadedFile(name, buffer.getvalue() + trailer, content_type="image/jpeg")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A real 1-bit PNG of width x height black pixels: a few KB that expand to width*height pixels."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def test_an_html_page_renamed_jpg_is_refused_and_nothing_is_stored(mori, tmp_path):
    room = RoomFactory(municipality=mori)
    fake = SimpleUploadedFile(
        "sala.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as error:
        services.room_photo_add(room=room, upload=fake, alt_text="La sala")
    assert error.value.messages == ["Il file non è una foto JPEG, PNG o WebP."]
    assert not RoomPhoto.objects.exists() and not list(tmp_path.rglob("*.*"))


def test_a_gif_named_png_is_refused(mori):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    upload = SimpleUploadedFile("sala.png", buffer.getvalue())
    with pytest.raises(ValidationError, match="JPEG, PNG o WebP"):
        services.room_photo_add(room=RoomFactory(municipality=mori), upload=upload, alt_text="La sala")


def test_a_too_large_file_is_refused(mori, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 20_000)
    upload = jpeg(trailer=b"\x00" * 30_000)
    with pytest.raises(ValidationError) as error:
        services.room_photo_add(room=RoomFactory(municipality=mori), upload=upload, alt_text="La sala")
    assert error.value.messages == ["Il file è troppo grande: la dimensione massima è 19,5\xa0KB."]
    assert not RoomPhoto.objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = png_bomb(4000, 3000)  # 12 million pixels in a few KB
    assert len(bomb) < 20_000
    upload = SimpleUploadedFile("bomba.png", bomb)
    with pytest.raises(ValidationError) as error:
        image_checked(upload, max_bytes=1_000_000, max_pixels=10_000_000, sizes=(1600,))
    assert error.value.messages == ["La foto ha troppi pixel: al massimo 10 milioni."]


def test_a_header_claiming_billions_of_pixels_is_refused_with_the_same_message(mori):
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    upload = SimpleUploadedFile(
        "foto.png", b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")
    )
    with pytest.raises(ValidationError, match="troppi pixel"):
        services.room_photo_add(room=RoomFactory(municipality=mori), upload=upload, alt_text="La sala")


def test_exif_gps_and_appended_bytes_are_dropped_and_the_name_is_random(mori):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fotocamera del sindaco"
    exif[ExifTags.Base.ImageDescription] = "Casa di Mario Rossi"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (45.0, 51.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (10.0, 59.0, 10.0),
    }
    upload = jpeg(2400, 1200, exif=exif, trailer=b"<?php system($_GET['c']); ?>", name="casa-rossi.jpg")
    raw = upload.read()
    upload.seek(0)
    assert b"Fotocamera del sindaco" in raw and b"<?php" in raw
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    photo = services.room_photo_add(
        room=RoomFactory(municipality=mori), upload=upload, alt_text="  La  sala "
    )
    assert photo.alt_text == "La sala"
    for field, size in ((photo.image, (1600, 800)), (photo.thumbnail, (480, 240))):
        stored = field.read()
        field.close()
        assert b"Fotocamera" not in stored and b"Mario Rossi" not in stored and b"<?php" not in stored
        assert b"Exif" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "JPEG" and image.size == size
            assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "casa-rossi" not in photo.image.name and photo.image.name.startswith("rooms/photos/")
    assert (photo.width, photo.height, photo.thumbnail_width, photo.thumbnail_height) == (1600, 800, 480, 240)


def test_png_and_webp_keep_their_format(mori):
    room = RoomFactory(municipality=mori)
    for kind, extension in (("PNG", "png"), ("WEBP", "webp")):
        buffer = io.BytesIO()
        Image.new("RGBA", (300, 200), (10, 20, 30, 128)).save(buffer, kind)
        photo = services.room_photo_add(
            room=room, upload=SimpleUploadedFile(f"x.{extension}", buffer.getvalue()), alt_text="Sala"
        )
        assert photo.image.name.endswith(f".{extension}") and (photo.width, photo.height) == (300, 200)


def test_a_photo_needs_its_alternative_text(mori):
    with pytest.raises(ValidationError) as error:
        services.room_photo_add(room=RoomFactory(municipality=mori), upload=jpeg(), alt_text="   ")
    assert "testo alternativo" in str(error.value)
    assert not RoomPhoto.objects.exists()


def test_admin_uploads_orders_describes_and_deletes_photos_and_the_public_pages_show_them(
    client, mori, mori_admin, mori_operator, django_capture_on_commit_callbacks
):
    room = RoomFactory(municipality=mori, slug="sala-consiliare")
    client.force_login(mori_operator)
    assert client.get(f"{MORI}/operatori/sale/{room.pk}/foto/").status_code == 403
    client.force_login(mori_admin)
    url = f"{MORI}/operatori/sale/{room.pk}/foto/"
    page = client.post(url, {"action": "add", "new-image": jpeg(), "new-alt_text": ""}).content.decode()
    assert "id_new-alt_text-error" in page and not RoomPhoto.objects.exists()
    page = client.post(
        url, {"action": "add", "new-image": SimpleUploadedFile("a.jpg", b"<html>"), "new-alt_text": "Sala"}
    ).content.decode()
    assert "Il file non è una foto JPEG, PNG o WebP." in page and not RoomPhoto.objects.exists()
    for text in ("Prima foto", "Seconda foto"):
        assert (
            client.post(url, {"action": "add", "new-image": jpeg(), "new-alt_text": text}).status_code == 302
        )
    first, second = RoomPhoto.objects.order_by("position")
    client.post(url, {"action": "up", "photo": second.pk})
    assert list(room.photos.values_list("alt_text", flat=True)) == ["Seconda foto", "Prima foto"]
    client.post(url, {"action": "describe", "photo": first.pk, "alt_text": ""})
    first.refresh_from_db()
    assert first.alt_text == "Prima foto"
    client.post(url, {"action": "describe", "photo": first.pk, "alt_text": "Il palco"})
    first.refresh_from_db()
    assert first.alt_text == "Il palco"

    client.logout()
    listing = client.get(f"{MORI}/spazi/").content.decode()
    thumb = f"{MORI}/spazi/sala-consiliare/foto/{second.pk}/piccola"
    assert f'src="{thumb}" width="480" height="360" alt="Seconda foto" loading="lazy"' in listing
    detail = client.get(f"{MORI}/spazi/sala-consiliare/").content.decode()
    assert 'alt="Il palco" loading="lazy"' in detail and 'width="800" height="600"' in detail
    assert detail.index("Seconda foto") < detail.index("Il palco")
    image = client.get(thumb)
    assert image["Content-Type"] == "image/jpeg" and image["X-Content-Type-Options"] == "nosniff"
    assert "public" in image["Cache-Control"]
    assert client.get(f"{MORI}/spazi/sala-consiliare/foto/{second.pk}/originale").status_code == 404

    client.force_login(mori_admin)
    name = second.image.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "delete", "photo": second.pk})
    assert list(room.photos.values_list("alt_text", flat=True)) == ["Il palco"]
    assert not second.image.storage.exists(name)
    room.published = False
    room.save()
    client.logout()
    assert client.get(f"{MORI}/spazi/sala-consiliare/foto/{first.pk}/grande").status_code == 404


def test_another_municipalitys_admin_cannot_see_or_change_the_photos(client, mori, trento_admin):
    room = RoomFactory(municipality=mori)
    photo = services.room_photo_add(room=room, upload=jpeg(), alt_text="Sala")
    client.force_login(trento_admin)
    base = f"{MORI}/operatori/sale/{room.pk}/foto/"
    assert client.get(base).status_code == 403
    assert client.post(base, {"action": "delete", "photo": photo.pk}).status_code == 403
    assert client.get(f"{base}{photo.pk}/grande").status_code == 403
    assert client.get(f"/comune-di-trento/it/operatori/sale/{room.pk}/foto/").status_code == 404
    assert (
        client.get(f"/comune-di-trento/it/operatori/sale/{room.pk}/foto/{photo.pk}/grande").status_code == 404
    )
    assert RoomPhoto.objects.count() == 1
