"""Payment fixtures built through the real services: creditor settings, the CIE fee split, applications."""

from sportello.applications.services import application_save_page, application_start
from sportello.catalog.services import service_form_save
from sportello.catalog.tests.factories import ServiceFactory
from sportello.payments.models import PaymentSettings, ServiceBudgetLine, ServicePaymentConfig, When

CIE_DEFINITION = {
    "pages": [
        {
            "fields": [
                {
                    "key": "motivo",
                    "type": "radio",
                    "label": {"it": "Motivo"},
                    "required": True,
                    "options": [
                        {"value": "primo_rilascio", "label": {"it": "Primo rilascio"}},
                        {"value": "duplicato", "label": {"it": "Duplicato"}},
                    ],
                }
            ]
        }
    ]
}
CIE_LINES = [
    ("Corrispettivo per lo Stato (conto terzi)", "9100", "1", "2026/101", 1679),
    ("Diritto fisso comunale", "3050", "2", "2026/102", 516),
    ("Diritti di segreteria", "3060", "1", "2026/103", 26),
]
CIE_RULES = [{"field": "motivo", "equals": "duplicato", "amounts": [1679, 1032, 26]}]
TEST_IBAN = "IT60X0542811101000000123456"


def payment_settings(municipality, **extra) -> PaymentSettings:
    values = {
        "creditor_fiscal_code": municipality.fiscal_code,
        "creditor_name": municipality.name,
        "iban": TEST_IBAN,
        "segregation_code": "01",
        "provider": "sandbox",
        **extra,
    }
    settings, _ = PaymentSettings.objects.update_or_create(municipality=municipality, defaults=values)
    return settings


def cie_service(municipality, *, when=When.SUBMISSION):
    service = ServiceFactory(
        municipality=municipality, access_level="spid2", name="Carta d'identità elettronica"
    )
    service_form_save(service=service, definition=CIE_DEFINITION)
    config = ServicePaymentConfig.objects.create(
        service=service, when=when, description="Rilascio carta d'identità elettronica", rules=CIE_RULES
    )
    for position, (description, capitolo, articolo, accertamento, cents) in enumerate(CIE_LINES, start=1):
        ServiceBudgetLine.objects.create(
            config=config,
            position=position,
            description=description,
            capitolo=capitolo,
            articolo=articolo,
            accertamento=accertamento,
            ufficio="Servizi demografici",
            taxonomy_code="9/0104100TS/",
            amount_cents=cents,
        )
    service.refresh_from_db()
    return service


def filled_application(service, applicant, motivo="primo_rilascio"):
    application = application_start(service=service, applicant=applicant)
    values = {"motivo": motivo}
    return application_save_page(
        application=application, user=applicant, page=0, cleaned_data=values, serialized=dict(values)
    )
