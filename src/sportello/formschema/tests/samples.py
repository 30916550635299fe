"""Definitions shared by the tests."""

import copy


def one_field(**field) -> dict:
    """A one-page definition holding a single field (a required-less text field unless overridden)."""
    spec = {"key": "campo", "type": "text", "label": {"it": "Campo"}}
    spec.update(field)
    return {"pages": [{"fields": [spec]}]}


OPTIONS = [
    {"value": "a", "label": {"it": "Prima", "en": "First"}},
    {"value": "b", "label": {"it": "Seconda"}},
    {"value": "c", "label": {"it": "Terza"}},
]

FULL = {
    "pages": [
        {
            "title": {"it": "Dati del richiedente", "en": "Applicant", "de": "Antragsteller"},
            "fields": [
                {"key": "nome", "type": "text", "label": {"it": "Nome", "en": "Name"}, "prefill": "name"},
                {
                    "key": "cognome",
                    "type": "text",
                    "label": {"it": "Cognome", "en": "Surname", "de": "Nachname"},
                    "help": {"it": "Come sul documento", "de": "Wie im Ausweis"},
                    "required": True,
                    "prefill": "family_name",
                    "validation": {"max_length": 50},
                },
                {
                    "key": "codice_fiscale",
                    "type": "fiscal_code",
                    "label": {"it": "Codice fiscale"},
                    "required": True,
                    "prefill": "fiscal_code",
                },
                {"key": "email", "type": "email", "label": {"it": "Email"}, "prefill": "email"},
                {"key": "telefono", "type": "phone", "label": {"it": "Telefono"}, "prefill": "phone"},
                {"key": "residenza", "type": "address", "label": {"it": "Residenza"}},
                {
                    "key": "nota",
                    "type": "static",
                    "content": {"it": "Leggi <b>bene</b>.\n\nGrazie.", "en": "Read."},
                },
            ],
        },
        {
            "title": {"it": "Richiesta"},
            "fields": [
                {
                    "key": "motivo",
                    "type": "select",
                    "label": {"it": "Motivo"},
                    "options": copy.deepcopy(OPTIONS),
                    "default": "b",
                },
                {
                    "key": "canale",
                    "type": "radio",
                    "label": {"it": "Canale"},
                    "options": copy.deepcopy(OPTIONS),
                },
                {
                    "key": "servizi",
                    "type": "multiselect",
                    "label": {"it": "Servizi"},
                    "options": copy.deepcopy(OPTIONS),
                    "default": ["a", "c"],
                },
                {
                    "key": "importo",
                    "type": "number",
                    "label": {"it": "Importo"},
                    "validation": {"min": 0, "max": 1000},
                    "default": 10,
                },
                {
                    "key": "data_evento",
                    "type": "date",
                    "label": {"it": "Data dell'evento"},
                    "validation": {"min": "2020-01-01", "max": "2030-12-31"},
                    "default": "2024-05-01",
                },
                {"key": "descrizione", "type": "textarea", "label": {"it": "Descrizione"}},
                {"key": "iban", "type": "iban", "label": {"it": "IBAN"}},
                {
                    "key": "allegato",
                    "type": "file",
                    "label": {"it": "Allegato"},
                    "file": {"types": ["pdf", "png", "jpg"], "max_size_mb": 1},
                },
                {"key": "privacy", "type": "checkbox", "label": {"it": "Accetto"}, "required": True},
            ],
        },
    ]
}


def full() -> dict:
    return copy.deepcopy(FULL)
