from datetime import date, time

import factory

from sportello.municipalities.tests.factories import MunicipalityFactory
from sportello.scheduling.models import Calendar, OpeningRule


class CalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Calendar

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Ufficio Anagrafe {n}")
    office_name = "Ufficio Anagrafe"
    address = "Piazza Cal di Ponte 24, Mori"
    contact_email = "anagrafe@example.org"
    min_notice_hours = 0
    horizon_days = 60
    cancel_until_hours = 24
    hold_minutes = 15


class OpeningRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningRule

    calendar = factory.SubFactory(CalendarFactory)
    valid_from = date(2026, 1, 1)
    weekdays = [0, 1, 2, 3, 4]
    start = time(9, 0)
    end = time(12, 0)
    slot_minutes = 15
    capacity = 2
