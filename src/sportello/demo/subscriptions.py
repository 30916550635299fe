"""Demo subscription service: "Mensa scolastica 2026/27" with its enrolment form, an enrolment fee and three
instalments (two budget chapters each), ISEE and sibling reductions, and subscribers in every state: paid, late,
withdrawn, and one subscription of Mario Rossi's daughter shared with Giulia Bianchi. Made through the real
services (the enrolment goes through the application's submission) and the pagoPA sandbox. Idempotent."""

import datetime

from django.utils import timezone

from sportello.accounts.services import citizen_upsert_from_attributes
from sportello.applications import services as applications
from sportello.catalog.constants import AccessLevel, Category, Kind, Status
from sportello.catalog.services import service_create, service_form_save, service_update_card
from sportello.identity.demo_idp.idp import DEMO_CITIZENS
from sportello.payments import services as payments
from sportello.payments.models import SandboxPosition
from sportello.payments.providers.sandbox import sandbox_outcome
from sportello.subscriptions import services as subscriptions
from sportello.subscriptions.models import PlanItem, PlanItemLine, Reduction, SubscriptionService

SLUG = "iscrizione-mensa-scolastica-2026-27"
CODE = "mensa-2026-27"
ZONE = timezone.get_fixed_timezone(60)


def _text(it, en, de):
    return {"it": it, "en": en, "de": de}


FORM = {
    "pages": [
        {
            "title": _text("Bambina o bambino da iscrivere", "Child to enrol", "Anzumeldendes Kind"),
            "fields": [
                {
                    "key": "iscritto_nome",
                    "type": "text",
                    "label": _text(
                        "Nome della bambina o del bambino", "Child's first name", "Vorname des Kindes"
                    ),
                    "required": True,
                },
                {
                    "key": "iscritto_cognome",
                    "type": "text",
                    "label": _text(
                        "Cognome della bambina o del bambino", "Child's surname", "Nachname des Kindes"
                    ),
                    "required": True,
                },
                {
                    "key": "iscritto_codice_fiscale",
                    "type": "fiscal_code",
                    "label": _text(
                        "Codice fiscale della bambina o del bambino",
                        "Child's tax code",
                        "Steuernummer des Kindes",
                    ),
                    "required": True,
                },
                {
                    "key": "condivisione_codice_fiscale",
                    "type": "fiscal_code",
                    "label": _text(
                        "Codice fiscale dell'altro genitore",
                        "Tax code of the other parent",
                        "Steuernummer des anderen Elternteils",
                    ),
                    "help": _text(
                        "Vedrà l'iscrizione nella sua area personale e potrà pagare le rate.",
                        "They will see the enrolment in their personal area and can pay the instalments.",
                        "Der andere Elternteil sieht die Anmeldung im persönlichen Bereich und kann die Raten zahlen.",
                    ),
                },
                {
                    "key": "isee",
                    "type": "number",
                    "label": _text(
                        "ISEE in euro (per la tariffa ridotta)",
                        "ISEE in euros (for the reduced fee)",
                        "ISEE in Euro (für den ermäßigten Tarif)",
                    ),
                    "validation": {"min": 0},
                },
            ],
        }
    ]
}
# (code, kind, label, due date or None = 15 days after enrolment, [(capitolo, description, cents)], reducible)
PLAN = [
    ("iscrizione", "enrolment", "Quota di iscrizione", None, [("3101", "Quota di iscrizione mensa", 3000)], False),
    *[
        (
            f"rata-{n}",
            "instalment",
            label,
            due,
            [("3101", "Refezione scolastica", 12000), ("3102", "Trasporto e sporzionamento pasti", 2000)],
            True,
        )
        for n, label, due in (
            (1, "Prima rata (settembre-dicembre)", datetime.date(2026, 10, 31)),
            (2, "Seconda rata (gennaio-marzo)", datetime.date(2027, 1, 31)),
            (3, "Terza rata (aprile-giugno)", datetime.date(2027, 4, 30)),
        )
    ],
    ("settimana-giugno", "optional", "Settimana aggiuntiva di giugno", datetime.date(2027, 6, 1),
     [("3101", "Refezione scolastica", 2300)], True),
]  # fmt: skip
# Demo children, by parent: (first name, last name, fiscal code, sharer, outcome)
CHILDREN = {
    "RSSMRA80A01H501U": ("Sofia", "Rossi", "RSSSFO18E50L378U", "BNCGLI85M41L378W", "fee_paid"),
    "BNCGLI85M41L378W": ("Marco", "Bianchi", "BNCMRC17B12L378T", "", "paid"),
    "VRDLCU90C15F728X": ("Elena", "Verdi", "VRDLNE19H52F728S", "", "late"),
}
WITHDRAWN = ("Tommaso", "Neri", "NRETMS18C03L378J", "NRIPLA82D10L378T", "Neri Paolo")


def _pay(payment):
    payments.payment_checkout_start(payment=payment, ok_url="", cancel_url="", error_url="")
    position = SandboxPosition.objects.get(
        creditor_fiscal_code=payment.creditor_fiscal_code, iupd=payment.iupd
    )
    sandbox_outcome(position_pk=position.pk, outcome="paid")
    payments.payment_refresh(payment=payment)


# The sections of the Modello Comuni card that AgID's validator requires (C.SI.1.3), beyond the ones given above.
CARD = {
    "addressed_to": "Ai genitori delle alunne e degli alunni delle scuole primarie che frequentano le lezioni "
    "pomeridiane nell'anno scolastico 2026/27.",
    "needed": "- SPID o CIE del genitore;\n- codice fiscale della bambina o del bambino;\n- codice fiscale "
    "dell'altro genitore, se condivide l'iscrizione;\n- attestazione ISEE, se chiedi le rate ridotte.",
    "achieved": "L'iscrizione alla mensa da settembre 2026 a giugno 2027, con le rate da pagare in «Le mie "
    "iscrizioni» nell'area personale.",
    "timing": "Le iscrizioni sono aperte dal 1° giugno 2026 al 31 marzo 2027, fino a esaurimento dei 40 posti. "
    "La quota di iscrizione si paga all'invio; le rate scadono a ottobre, gennaio e aprile.",
}


def _service(municipality):
    from sportello.catalog.models import Service

    service = Service.objects.filter(municipality=municipality, slug=SLUG).first()
    if service is None:
        service = service_create(
            municipality=municipality,
            name="Iscrizione alla mensa scolastica 2026/27",
            slug=SLUG,
            category=Category.EDUCATION,
            topics=["Istruzione"],
            short_description="Iscrivi tua figlia o tuo figlio alla mensa scolastica dell'anno 2026/27 e "
            "paga la quota di iscrizione e le tre rate con pagoPA.",
            kind=Kind.APPLICATION,
            access_level=AccessLevel.SPID2,
            status=Status.PUBLISHED,
            description="La mensa delle scuole primarie da settembre 2026 a giugno 2027. L'iscrizione è "
            "condivisa con l'altro genitore, che la vede nella sua area personale e può pagare le rate.",
            how_to="1. Accedi con SPID o CIE.\n2. Indica i dati della bambina o del bambino e il codice "
            "fiscale dell'altro genitore.\n3. Invia: trovi le rate in «Le mie iscrizioni».",
            cost="Quota di iscrizione **30 euro**; tre rate da **140 euro**. ISEE fino a 10.000 euro: rate "
            "ridotte del 50%; dal secondo figlio iscritto: rate ridotte del 20%.",
        )
    missing = {field: text for field, text in CARD.items() if not getattr(service, field)}
    if missing:  # also completes the card of a demo loaded before these sections were written
        service_update_card(service=service, **missing)
    if service.form_version is None:
        service_form_save(service=service, definition=FORM)
    return service


def load_demo_subscriptions(municipality) -> list[str]:
    service = _service(municipality)
    if SubscriptionService.objects.filter(municipality=municipality, code=CODE).exists():
        return [f"{municipality.name}: demo subscriptions already present"]
    subscription_service = SubscriptionService.objects.create(
        municipality=municipality,
        code=CODE,
        name="Mensa scolastica 2026/27",
        service=service,
        enrol_from=datetime.datetime(2026, 6, 1, 0, 0, tzinfo=ZONE),
        enrol_until=datetime.datetime(2027, 3, 31, 23, 59, tzinfo=ZONE),
        period_start=datetime.date(2026, 9, 14),
        period_end=datetime.date(2027, 6, 10),
        max_subscribers=40,
        message="Il menù del mese è pubblicato sul sito del Comune. Le assenze si comunicano alla scuola.",
    )
    for position, (code, kind, label, due, lines, reducible) in enumerate(PLAN, start=1):
        item = PlanItem.objects.create(
            subscription_service=subscription_service,
            code=code,
            kind=kind,
            label=label,
            position=position,
            due_date=due,
            reducible=reducible,
        )
        for index, (capitolo, description, cents) in enumerate(lines, start=1):
            PlanItemLine.objects.create(
                item=item,
                position=index,
                description=description,
                capitolo=capitolo,
                articolo="1",
                accertamento="2026/310",
                ufficio="Servizi scolastici",
                taxonomy_code="9/0107101TS/",
                amount_cents=cents,
            )
    Reduction.objects.create(
        subscription_service=subscription_service, kind="isee", label="ISEE fino a 10.000 euro",
        isee_max_cents=1_000_000, percent=50,
    )  # fmt: skip
    Reduction.objects.create(
        subscription_service=subscription_service, kind="sibling", label="Dal secondo figlio",
        sibling_rank=2, percent=20,
    )  # fmt: skip
    citizens = {
        c.fiscal_code: c for c in (citizen_upsert_from_attributes(attributes=a) for a in DEMO_CITIZENS)
    }
    for parent_code, (first, last, child, sharer, outcome) in CHILDREN.items():
        parent = citizens[parent_code]
        application = applications.application_start(service=service, applicant=parent)
        values = {
            "iscritto_nome": first,
            "iscritto_cognome": last,
            "iscritto_codice_fiscale": child,
            "condivisione_codice_fiscale": sharer,
        }
        applications.application_save_page(
            application=application, user=parent, page=0, cleaned_data=values, serialized=dict(values)
        )
        application = applications.application_submit(application=application, user=parent)
        subscription = application.subscription
        for charge in subscription.charges.select_related("item", "payment"):
            payment = payments.payment_publish_now(payment=charge.payment)
            if (
                outcome == "paid"
                and charge.item.code in ("iscrizione", "rata-1")
                or outcome == "fee_paid"
                and charge.item.code == "iscrizione"
            ):
                _pay(payment)
    first, last, child, holder_code, holder_name = WITHDRAWN
    withdrawn = subscriptions.subscription_create(
        subscription_service=subscription_service,
        subscriber_fiscal_code=child,
        first_name=first,
        last_name=last,
        holder_fiscal_code=holder_code,
        holder_name=holder_name,
    )
    for charge in withdrawn.charges.all():
        payments.payment_publish_now(payment=charge.payment)
    from sportello.accounts.models import User

    office = User.objects.filter(memberships__municipality=municipality, memberships__role="admin").first()
    subscriptions.subscription_withdraw(subscription=withdrawn, user=office)
    return [
        f"{municipality.name}: Mensa scolastica 2026/27 (fee + 3 instalments); Sofia Rossi shared by Mario Rossi "
        "and Giulia Bianchi, Marco Bianchi paid, Elena Verdi late, Tommaso Neri withdrawn"
    ]
