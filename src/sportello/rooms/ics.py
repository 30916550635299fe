"""The ICS file of a room booking, rendered by the scheduling engine's pure renderer."""

from django.utils import timezone

from sportello.scheduling import ics

from .states import ACTIVE


def booking_ics(booking) -> str:
    events = [
        ics.Event(
            uid=f"room-{booking.uid}-{index}@sportello",
            sequence=booking.sequence,
            start=occupancy.start,
            end=occupancy.end,
            summary=booking.room.name,
            location=f"{booking.room.place}, {booking.room.address}",
            description=booking.purpose,
            cancelled=booking.state not in ACTIVE,
        )
        for index, occupancy in enumerate(booking.occupancies.order_by("start"), start=1)
    ]
    return ics.render(events, name=booking.room.name, stamp=timezone.now())
