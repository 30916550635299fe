"""Demo rooms, bound to the catalogue's "Prenotazione spazi comunali": the "Sala consiliare" (moderated, tariffs
by applicant category and a winter season with heating, weekend surcharge, minimum charge, deposit), a meeting room
free for associations and the "Palestra comunale" booked by time band (07-13, 13-19, 19-01: the evening band
ends after midnight); existing bookings and
one council meeting reserved by the municipality, so the calendars show taken times; drawn photos (Pillow) uploaded
through the checked upload; a short regulation PDF (reportlab) for the "Sala consiliare".

Idempotent: rooms are found by slug; tariffs and seasons are set once; the demo uses are added once per room.
"""

from datetime import datetime, time, timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph

from sportello.accounts.models import User
from sportello.catalog.models import Service
from sportello.core.pdf import pdf_document
from sportello.rooms import pricing, services
from sportello.rooms.models import Room, RoomBooking, RoomOccupancy, RoomSeason, RoomTariff
from sportello.rooms.states import State

ROME = pricing.ROME

COUNCIL = {
    "slug": "sala-consiliare",
    "name": "Sala consiliare",
    "place": "Municipio, primo piano",
    "capacity": 99,
    "description": "La sala delle sedute del Consiglio comunale, concessa per incontri pubblici, conferenze e "
    "presentazioni. Impianto di riscaldamento attivo nella stagione invernale.",
    "equipment": "Proiettore\nImpianto audio con microfoni\nSchermo\nConnessione Wi-Fi",
    "accessibility": "Accesso senza barriere dall'ingresso principale, ascensore, servizio igienico accessibile.",
    "moderated": True,
    "unit": "hour",
    "min_units": 2,
    "max_units": 6,
    "min_notice_days": 3,
    "max_notice_days": 120,
    "weekdays": [0, 1, 2, 3, 4, 5],
    "opens_at": time(9),
    "closes_at": time(23),
    "weekend_surcharge_percent": 20,
    "minimum_charge_cents": 3000,
    "deposit_cents": 10000,
    "full_refund_days": 3,
    "late_refund_percent": 50,
}
# (category, ordinary rate, winter rate) in cents per hour; None = the category is not admitted in that season
COUNCIL_RATES = [
    ("resident", 2000, 2500),
    ("non_resident", 3000, 3750),
    ("local_association", 1000, 1300),
    ("other_association", 1500, 1900),
    ("third_sector", 1000, 1300),
    ("company", 5000, 6000),
    ("school", 0, 0),
    ("political_party", 1500, 1800),
    ("public_body", 0, 0),
]
MEETING = {
    "slug": "sala-riunioni-associazioni",
    "name": "Sala riunioni per le associazioni",
    "place": "Casa delle associazioni",
    "capacity": 25,
    "description": "Sala per le riunioni delle associazioni del territorio: uso gratuito, conferma immediata.",
    "equipment": "Tavolo riunioni\nLavagna a fogli mobili",
    "accessibility": "Piano terra, accesso senza gradini.",
    "moderated": False,
    "unit": "hour",
    "min_units": 1,
    "max_units": 4,
    "min_notice_days": 1,
    "max_notice_days": 90,
    "weekdays": [0, 1, 2, 3, 4],
    "opens_at": time(17),
    "closes_at": time(23),
    "deposit_cents": 0,
}
MEETING_RATES = [("local_association", 0), ("third_sector", 0), ("other_association", 0)]
GYM = {
    "slug": "palestra-comunale",
    "name": "Palestra comunale",
    "place": "Palazzetto dello sport",
    "capacity": 120,
    "description": "Palestra polivalente (pallavolo, basket, ginnastica), prenotabile a fasce orarie: mattina, "
    "pomeriggio e sera. Conferma immediata con il pagamento.",
    "equipment": "Spogliatoi con docce\nCanestri\nRete da pallavolo\nTribuna",
    "accessibility": "Ingresso e spogliatoio accessibili, posti riservati in tribuna.",
    "moderated": False,
    "unit": "band",
    "bands": [["07:00", "13:00"], ["13:00", "19:00"], ["19:00", "01:00"]],
    "min_units": 1,
    "max_units": 3,
    "min_notice_days": 2,
    "max_notice_days": 90,
    "weekdays": [0, 1, 2, 3, 4, 5, 6],
    "opens_at": time(7),
    "closes_at": time(1),  # earlier than the opening: 01:00 the next morning
    "holidays_closed": False,
    "deposit_cents": 0,
}
# cents per band
GYM_RATES = [
    ("resident", 3000),
    ("non_resident", 4500),
    ("local_association", 1500),
    ("other_association", 2500),
    ("third_sector", 1500),
    ("company", 6000),
    ("school", 0),
]
# (name, colours of walls, floor and furniture) of the drawn demo photos
PHOTOS = {
    "sala-consiliare": [
        (
            "La sala consiliare vista dal fondo, con le file di sedie e il tavolo della presidenza",
            "#e8dcc8",
            "#8b5a2b",
        ),
        ("Il tavolo della presidenza con i microfoni e lo schermo per le proiezioni", "#d9cbb0", "#6b4423"),
    ],
    "sala-riunioni-associazioni": [
        ("La sala riunioni con il tavolo al centro e la lavagna a fogli mobili", "#dfe8e0", "#a0a0a0"),
    ],
    "palestra-comunale": [
        ("Il campo della palestra con i canestri e la rete da pallavolo", "#f0efe6", "#c98b3a"),
        ("La tribuna della palestra vista dal campo", "#e6e6ef", "#3a6bc9"),
    ],
}


def _room(municipality, spec, address):
    room, _created = Room.objects.update_or_create(
        municipality=municipality, slug=spec["slug"], defaults={**spec, "address": address}
    )
    room.full_clean()
    return room


def _next_weekday(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


def _at(day, hour):
    return datetime.combine(day, time(hour), ROME)


def _demo_booking(room, start, end, *, name, category, purpose, fee_cents=0):
    booking = RoomBooking.objects.create(
        municipality=room.municipality,
        room=room,
        state=State.CONFIRMED,
        first_start=start,
        category=category,
        applicant_kind="organisation",
        applicant_name="Rappresentante demo",
        organisation_name=name,
        legal_representative="Rappresentante demo",
        purpose=purpose,
        attendance=20,
        declarations=["capacity", "no_smoking", "no_posters", "insurance", "permits"],
        fee_cents=fee_cents,
    )
    RoomOccupancy.objects.create(room=room, start=start, end=end, booking=booking)


def _photo(wall: str, floor: str, seed: int) -> bytes:
    """A simple drawing of a room (walls, floor, windows, rows of seats), as a JPEG: no external files."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    draw.polygon([(0, 520), (width, 520), (width, height), (0, height)], fill=floor)
    for i in range(4):
        x = 90 + i * 280 + seed * 20
        draw.rectangle([x, 120, x + 160, 360], fill="#bcd7ee", outline="#ffffff", width=8)
    for row in range(3):
        for seat in range(8):
            x, y = 120 + seat * 125 + row * 20, 560 + row * 70
            draw.rectangle([x, y, x + 70, y + 40], fill="#4a4a5a")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _demo_photos(room) -> None:
    """The room's demo photos, through the same checked upload as the office's (once)."""
    if room.photos.exists():
        return
    for seed, (alt_text, wall, floor) in enumerate(PHOTOS.get(room.slug, [])):
        upload = SimpleUploadedFile(f"{room.slug}-{seed}.jpg", _photo(wall, floor, seed), "image/jpeg")
        services.room_photo_add(room=room, upload=upload, alt_text=alt_text)


def _demo_regulation(room) -> None:
    """A short regulation PDF of the room (once), stored as the office would upload it."""
    if room.regulation:
        return
    styles = getSampleStyleSheet()
    title = f"Regolamento per l'uso della {room.name}"
    articles = [
        f"Art. 1. La sala ospita al massimo {room.capacity} persone.",
        f"Art. 2. Si prenota dalle {room.opens_at:%H:%M} alle {room.closes_at:%H:%M}, con almeno "
        f"{room.min_notice_days} giorni di preavviso e non oltre {room.max_notice_days} giorni prima.",
        "Art. 3. Nella sala non si fuma e non si affiggono manifesti alle pareti.",
        "Art. 4. Le chiavi si ritirano all'Ufficio segreteria e si restituiscono il primo giorno lavorativo "
        "successivo all'uso; la cauzione è restituita dopo il controllo della sala.",
    ]
    buffer = BytesIO()
    pdf_document(buffer, title=title, author=room.municipality.name).build(
        [Paragraph(title, styles["Title"])] + [Paragraph(text, styles["BodyText"]) for text in articles]
    )
    room.regulation.save(f"regolamento-{room.slug}.pdf", ContentFile(buffer.getvalue()))


def load_demo_rooms(municipality, *, town: str) -> list[str]:
    address = municipality.address or "Piazza del Municipio 1"
    council = _room(municipality, COUNCIL, address)
    meeting = _room(municipality, MEETING, address)
    gym = _room(municipality, GYM, address)
    coordinator = User.objects.filter(username=f"operatore-{town}").first()
    if coordinator:
        council.coordinators.add(coordinator)
        meeting.coordinators.add(coordinator)
        gym.coordinators.add(coordinator)
    if not gym.tariffs.exists():
        for category, cents in GYM_RATES:
            RoomTariff.objects.create(room=gym, category=category, rate_cents=cents)
    for room in (council, meeting, gym):
        _demo_photos(room)
    _demo_regulation(council)
    if not council.seasons.exists():
        winter = RoomSeason.objects.create(
            room=council,
            name="invernale (riscaldamento)",
            start_month=10,
            start_day=15,
            end_month=4,
            end_day=15,
        )
        for category, ordinary, winter_rate in COUNCIL_RATES:
            RoomTariff.objects.create(room=council, category=category, rate_cents=ordinary)
            RoomTariff.objects.create(room=council, category=category, season=winter, rate_cents=winter_rate)
    if not meeting.tariffs.exists():
        for category, cents in MEETING_RATES:
            RoomTariff.objects.create(room=meeting, category=category, rate_cents=cents)
    today = timezone.localdate()
    if not council.occupancies.exists():
        thursday = _next_weekday(today + timedelta(days=3), 3)
        RoomOccupancy.objects.create(
            room=council, start=_at(thursday, 20), end=_at(thursday, 23), reason="Consiglio comunale"
        )
        friday = _next_weekday(today + timedelta(days=4), 4)
        _demo_booking(
            council,
            _at(friday, 18),
            _at(friday, 21),
            name="Pro Loco",
            category="local_association",
            purpose="Presentazione del programma estivo",
            fee_cents=3000,
        )
    if not meeting.occupancies.exists():
        tuesday = _next_weekday(today + timedelta(days=1), 1)
        _demo_booking(
            meeting,
            _at(tuesday, 20),
            _at(tuesday, 22),
            name="Gruppo Alpini",
            category="local_association",
            purpose="Riunione del direttivo",
        )
    if not gym.occupancies.exists():
        wednesday = _next_weekday(today + timedelta(days=2), 2)
        _demo_booking(
            gym,
            _at(wednesday, 19),
            _at(wednesday + timedelta(days=1), 1),
            name="ASD Pallavolo",
            category="local_association",
            purpose="Allenamento",
            fee_cents=1500,
        )
    # The catalogue's "Prenotazione spazi comunali" leads to the rooms (and its App IO binding carries their notices).
    card = Service.objects.for_municipality(municipality).filter(slug="prenotazione-spazi-comunali").first()
    if card is not None:
        Room.objects.for_municipality(municipality).filter(service__isnull=True).update(service=card)
    base = f"/{municipality.slug}/it/spazi/"
    return [
        f"{municipality.name}: rooms {base}{council.slug}/ (moderated), {base}{meeting.slug}/ (free) and "
        f"{base}{gym.slug}/ (time bands)"
    ]
