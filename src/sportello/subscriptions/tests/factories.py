"""Subscription fixtures built through the real models and services: a school canteen with its enrolment form,
an enrolment fee and three instalments with budget lines, ISEE and sibling reductions."""

import datetime

from django.utils import timezone

from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import ServiceFactory
from sportello.core.identifiers import fiscal_code_check_character
from sportello.subscriptions.models import (
    ItemKind,
    PlanItem,
    PlanItemLine,
    Reduction,
    SubscriptionService,
)

ENROLMENT_DEFINITION = {
    "pages": [
        {
            "title": {"it": "Iscritto"},
            "fields": [
                {
                    "key": "iscritto_nome",
                    "type": "text",
                    "label": {"it": "Nome del bambino"},
                    "required": True,
                },
                {
                    "key": "iscritto_cognome",
                    "type": "text",
                    "label": {"it": "Cognome del bambino"},
                    "required": True,
                },
                {
                    "key": "iscritto_codice_fiscale",
                    "type": "fiscal_code",
                    "label": {"it": "Codice fiscale del bambino"},
                    "required": True,
                },
                {
                    "key": "condivisione_codice_fiscale",
                    "type": "fiscal_code",
                    "label": {"it": "Codice fiscale dell'altro genitore (condivisione)"},
                },
            ],
        }
    ]
}

# (code, kind, label, due date offset in days or None, cents per budget line)
PLAN = [
    ("iscrizione", ItemKind.ENROLMENT, "Quota di iscrizione", None, (3000,), False),
    ("rata-1", ItemKind.INSTALMENT, "Prima rata", 30, (12000, 2000), True),
    ("rata-2", ItemKind.INSTALMENT, "Seconda rata", 120, (12000, 2000), True),
    ("rata-3", ItemKind.INSTALMENT, "Terza rata", 210, (12000, 2000), True),
    ("settimana-extra", ItemKind.OPTIONAL, "Settimana estiva", 250, (5000,), True),
]


def fiscal_code(first15: str) -> str:
    return first15 + fiscal_code_check_character(first15)


def child_code(n: int) -> str:
    """A valid fiscal code for the n-th test child (born 2018-2020)."""
    return fiscal_code(f"BMB{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}X{18 + n % 3}A{1 + n % 28:02d}L378")


def canteen(municipality, *, max_subscribers=30, code="mensa", today=None, access_level="spid2"):
    today = today or timezone.localdate()
    service = ServiceFactory(
        municipality=municipality,
        name="Iscrizione alla mensa scolastica",
        slug=f"iscrizione-{code}",
        access_level=access_level,
    )
    service_form_save(service=service, definition=ENROLMENT_DEFINITION)
    now = timezone.now()
    subscription_service = SubscriptionService.objects.create(
        municipality=municipality,
        code=code,
        name="Mensa scolastica 2026/27",
        service=service,
        enrol_from=now - datetime.timedelta(days=10),
        enrol_until=now + datetime.timedelta(days=20),
        period_start=today + datetime.timedelta(days=25),
        period_end=today + datetime.timedelta(days=280),
        max_subscribers=max_subscribers,
        message="Il servizio inizia con la scuola.",
    )
    for position, (item_code, kind, label, days, lines, reducible) in enumerate(PLAN, start=1):
        item = PlanItem.objects.create(
            subscription_service=subscription_service,
            code=item_code,
            kind=kind,
            label=label,
            position=position,
            due_date=today + datetime.timedelta(days=days) if days is not None else None,
            reducible=reducible,
        )
        for index, cents in enumerate(lines, start=1):
            PlanItemLine.objects.create(
                item=item,
                position=index,
                description="Refezione scolastica" if index == 1 else "Trasporto pasti",
                capitolo="3101" if index == 1 else "3102",
                articolo="1",
                accertamento="2026/301",
                ufficio="Servizi scolastici",
                taxonomy_code="9/0107101TS/",
                amount_cents=cents,
            )
    Reduction.objects.create(
        subscription_service=subscription_service, kind="isee", label="ISEE fino a 10.000 €",
        isee_max_cents=1_000_000, percent=50,
    )  # fmt: skip
    Reduction.objects.create(
        subscription_service=subscription_service, kind="sibling", label="Dal secondo figlio",
        sibling_rank=2, percent=20,
    )  # fmt: skip
    return subscription_service
