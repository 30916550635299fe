"""Demo calendars: the registry office's CIE desks (two in parallel) and the moderated civil-status agenda.

Idempotent: a calendar is found by its title; its hours are set once.
"""

from datetime import date, time

from sportello.accounts.models import User
from sportello.catalog.models import Service
from sportello.scheduling import services as scheduling
from sportello.scheduling.models import Calendar

CIE_WHAT_TO_BRING = (
    "Una fototessera recente su sfondo chiaro, la carta d'identità scaduta o la denuncia di smarrimento o furto, "
    "la tessera sanitaria. I minorenni devono essere presenti con i genitori."
)

# title, office, services, moderated, patron-free fields, rules (weekdays, start, end, slot, pause, capacity)
CALENDARS = [
    {
        "title": "Ufficio Anagrafe - sportelli CIE",
        "office_name": "Ufficio Anagrafe",
        "services": ["carta-identita-elettronica"],
        "moderated": False,
        "what_to_bring": CIE_WHAT_TO_BRING,
        "min_notice_hours": 24,
        "horizon_days": 60,
        "rules": [
            ([0, 1, 2, 3, 4], time(8, 30), time(12, 30), 20, 0, 2),
            ([1, 3], time(14, 0), time(17, 0), 20, 0, 2),
        ],
    },
    {
        "title": "Ufficio di Stato civile - pubblicazioni di matrimonio",
        "office_name": "Ufficio di Stato civile",
        "services": ["pubblicazioni-matrimonio"],
        "moderated": True,
        "what_to_bring": "I documenti d'identità di entrambi i futuri sposi.",
        "min_notice_hours": 48,
        "horizon_days": 90,
        "rules": [([2], time(9, 0), time(12, 0), 45, 15, 1)],
    },
]
PATRONS = {"mori": (12, 26), "trento": (6, 26)}  # Santo Stefano, San Vigilio


def load_demo_calendars(municipality, *, town: str) -> list[str]:
    lines = []
    owner = User.objects.filter(username=f"admin-{town}").first()
    coordinator = User.objects.filter(username=f"operatore-{town}").first()
    for spec in CALENDARS:
        calendar = Calendar.objects.filter(municipality=municipality, title=spec["title"]).first()
        if calendar is None:
            calendar = Calendar(
                municipality=municipality,
                title=spec["title"],
                owner=owner,
                office_name=spec["office_name"],
                address=municipality.address,
                contact_email=municipality.email,
                what_to_bring=spec["what_to_bring"],
                moderated=spec["moderated"],
                min_notice_hours=spec["min_notice_hours"],
                horizon_days=spec["horizon_days"],
                cancel_until_hours=24,
                hold_minutes=15,
                patron_month=PATRONS[town][0],
                patron_day=PATRONS[town][1],
            )
            services = list(Service.objects.filter(municipality=municipality, slug__in=spec["services"]))
            scheduling.calendar_save(
                calendar=calendar, coordinators=[coordinator] if coordinator else [], services=services
            )
            for weekdays, start, end, slot, pause, capacity in spec["rules"]:
                scheduling.opening_rule_add(
                    calendar=calendar,
                    valid_from=date(2026, 1, 1),
                    valid_until=None,
                    weekdays=weekdays,
                    start=start,
                    end=end,
                    slot_minutes=slot,
                    pause_minutes=pause,
                    capacity=capacity,
                )
        lines.append(
            f"Calendar: {calendar.title} -> /{municipality.slug}/it/operatori/calendari/{calendar.pk}/agenda/"
        )
    return lines
