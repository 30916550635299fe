"""Demo rooms, bound to the catalogue's "Prenotazione spazi comunali": the "Sala consiliare" (moderated, tariffs by applicant category and a winter season with heating,
weekend surcharge, minimum charge, deposit) and a meeting room free for associations; two existing bookings and
one council meeting reserved by the municipality, so the calendars show taken times.

Idempotent: rooms are found by slug; tariffs and seasons are set once; the demo uses are added once per room.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from sportello.accounts.models import User
from sportello.catalog.models import Service
from sportello.rooms import pricing
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


def load_demo_rooms(municipality, *, town: str) -> list[str]:
    address = municipality.address or "Piazza del Municipio 1"
    council = _room(municipality, COUNCIL, address)
    meeting = _room(municipality, MEETING, address)
    coordinator = User.objects.filter(username=f"operatore-{town}").first()
    if coordinator:
        council.coordinators.add(coordinator)
        meeting.coordinators.add(coordinator)
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
    # The catalogue's "Prenotazione spazi comunali" leads to the rooms (and its App IO binding carries their notices).
    card = Service.objects.for_municipality(municipality).filter(slug="prenotazione-spazi-comunali").first()
    if card is not None:
        Room.objects.for_municipality(municipality).filter(service__isnull=True).update(service=card)
    base = f"/{municipality.slug}/it/spazi/"
    return [f"{municipality.name}: rooms {base}{council.slug}/ (moderated) and {base}{meeting.slug}/ (free)"]
