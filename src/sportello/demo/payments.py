"""Demo payments: each municipality's pagoPA settings (sandbox), the CIE fee split over its three budget
chapters, and CIE applications paid, pending and failed, made through the real services and the sandbox.
Idempotent: settings and configuration are updated in place; payments are added only once."""

from sportello.accounts.services import citizen_upsert_from_attributes
from sportello.applications import services as applications
from sportello.catalog.models import Service
from sportello.identity.demo_idp.idp import DEMO_CITIZENS
from sportello.payments import services as payments
from sportello.payments.models import BUDGET_FIELDS, Payment, SandboxPosition
from sportello.payments.providers.sandbox import sandbox_outcome

from .applications import _fill

CIE_SLUG = "carta-identita-elettronica"
# In the order of BUDGET_FIELDS: description, capitolo, articolo, accertamento, ufficio, taxonomy code, cents
CIE_LINES = [
    (
        "Corrispettivo CIE per lo Stato (conto terzi)",
        "9100",
        "1",
        "2026/45",
        "Servizi demografici",
        "9/0104100TS/",
        1679,
    ),
    ("Diritto fisso comunale CIE", "3050", "1", "2026/46", "Servizi demografici", "9/0104100TS/", 516),
    ("Diritti di segreteria", "3060", "2", "2026/47", "Servizi demografici", "9/0104103SP/", 26),
]
# A duplicate (loss, theft, damage) doubles the fixed fee: 16.79 + 10.32 + 0.26 = 27.37 EUR.
CIE_RULES = [{"field": "motivo", "equals": "duplicato", "amounts": [1679, 1032, 26]}]
SEGREGATION = {"comune-di-mori": "01", "comune-di-trento": "02"}
IBAN = {"comune-di-mori": "IT60X0542811101000000123456", "comune-di-trento": "IT66Z0359901800000000139191"}


def load_demo_payments(municipality) -> list[str]:
    payments.payment_settings_save(
        municipality=municipality,
        values={
            "creditor_fiscal_code": municipality.fiscal_code,
            "creditor_name": municipality.name,
            "iban": IBAN.get(municipality.slug, IBAN["comune-di-mori"]),
            "segregation_code": SEGREGATION.get(municipality.slug, "03"),
            "provider": "sandbox",
            "accounting_email": f"ragioneria@{municipality.slug}.example.org",
        },
        secrets={},
    )
    service = Service.objects.filter(municipality=municipality, slug=CIE_SLUG).first()
    if service is None:
        return [f"{municipality.name}: no CIE service, no demo payments"]
    payments.service_payment_save(
        service=service,
        when="submission",
        description="Rilascio della carta d'identità elettronica",
        due_days=30,
        total=None,
        lines=[dict(zip(BUDGET_FIELDS, line, strict=True)) for line in CIE_LINES],
        rules=CIE_RULES,
    )
    bookings = _demo_cie_bookings(service)
    if Payment.objects.filter(municipality=municipality, application__appointment__isnull=True).exists():
        return [f"{municipality.name}: demo payments already present", *bookings]
    citizens = [citizen_upsert_from_attributes(attributes=attributes) for attributes in DEMO_CITIZENS]
    for citizen, outcome in zip(citizens, ("paid", "pending", "failed"), strict=False):
        application = applications.application_start(service=service, applicant=citizen)
        _fill(application, citizen)
        payment = payments.payment_request_at_submission(application=application, user=citizen)
        payment = payments.payment_publish_now(payment=payment)
        if outcome == "pending":
            continue
        payments.payment_checkout_start(payment=payment, ok_url="", cancel_url="", error_url="")
        position = SandboxPosition.objects.get(
            creditor_fiscal_code=payment.creditor_fiscal_code, iupd=payment.iupd
        )
        sandbox_outcome(position_pk=position.pk, outcome=outcome)
        payments.payment_refresh(payment=payment)
    return [
        f"{municipality.name}: CIE fee 22,21 € over 3 chapters; demo payments paid, pending and failed",
        *bookings,
    ]


def _demo_cie_bookings(service) -> list[str]:
    """Two CIE appointments booked through the real steps' services: Giulia Bianchi's paid online (confirmed),
    Luca Verdi's waiting for a "Paga più tardi" notice (the place stays held while the poller sees it pending)."""
    from datetime import timedelta

    from django.utils import timezone

    from sportello.scheduling import services as scheduling
    from sportello.scheduling.models import Appointment
    from sportello.scheduling.selectors import calendar_slots

    calendar = service.calendars.order_by("pk").first()
    if calendar is None or Appointment.objects.filter(service=service, application__isnull=False).exists():
        return []
    today = timezone.localdate()
    slots = calendar_slots(calendar, date_from=today + timedelta(days=3), date_to=today + timedelta(days=30))
    giulia, luca = (
        citizen_upsert_from_attributes(attributes=attributes) for attributes in DEMO_CITIZENS[1:3]
    )
    for citizen, slot, outcome in ((giulia, slots[0], "paid"), (luca, slots[1], "pending")):
        application = applications.application_start(service=service, applicant=citizen)
        _fill(application, citizen)
        appointment = scheduling.appointment_hold(
            calendar=calendar, start=slot.start, service=service, citizen=citizen, application=application
        )
        scheduling.appointment_book(appointment=appointment, user=citizen)
        payment = payments.payment_publish_now(payment=Payment.objects.get(application=application))
        if outcome == "paid":
            payments.payment_checkout_start(payment=payment, ok_url="", cancel_url="", error_url="")
            position = SandboxPosition.objects.get(
                creditor_fiscal_code=payment.creditor_fiscal_code, iupd=payment.iupd
            )
            sandbox_outcome(position_pk=position.pk, outcome="paid")
            payments.payment_refresh(payment=payment)
    return [
        f"{service.municipality.name}: CIE appointments booked and paid (Giulia Bianchi), awaiting payment (Luca Verdi)"
    ]
