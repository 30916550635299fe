from datetime import time

import factory

from sportello.municipalities.tests.factories import MunicipalityFactory
from sportello.rooms.models import Room, RoomTariff


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Sala {n}")
    slug = factory.Sequence(lambda n: f"sala-{n}")
    place = "Municipio"
    address = "Via Roma 1"
    capacity = 50
    equipment = "Proiettore\nImpianto audio"
    weekdays = [0, 1, 2, 3, 4, 5]
    opens_at = time(8)
    closes_at = time(23)
    unit = "hour"
    min_units = 1
    max_units = 6
    min_notice_days = 2
    max_notice_days = 180
    moderated = True
    full_refund_days = 3
    late_refund_percent = 50


def tariff(room, category="resident", cents=2000, season=None):
    return RoomTariff.objects.create(room=room, category=category, rate_cents=cents, season=season)
