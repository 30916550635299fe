"""Demo applications in every stage, so the operators' dashboard and the personal area show something.

They are made through the real services (drafts saved page by page, submitted, handled), for the demo IdP's
citizens; idempotent: nothing is added to a municipality that already has applications.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from sportello.accounts.models import Membership, Role
from sportello.accounts.services import citizen_upsert_from_attributes
from sportello.applications import services
from sportello.applications.models import Application
from sportello.catalog.models import Service
from sportello.formschema import build_form_class, serialize
from sportello.identity.demo_idp.idp import DEMO_CITIZENS

DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Values for fields whose format the demo catalogue constrains with a pattern.
BY_KEY = {"targa": "FK123AB"}

# (citizen index, service slug, what happens after submission)
SCENARIOS = [
    (0, "iscrizione-nido-infanzia", "submitted"),
    (1, "assegno-sostegno-economico", "in_progress"),
    (2, "permesso-sosta-residenti", "integration"),
    (0, "dichiarazione-tari", "accepted"),
    (1, "accesso-agli-atti", "rejected"),
    (2, "certificato-anagrafico", "draft"),
]


def _sample(field: dict, citizen):
    """A plausible submitted value for a field (as a browser would post it), for the demo only."""
    kind = field["type"]
    validation = field.get("validation") or {}
    prefill = {
        "name": citizen.first_name,
        "family_name": citizen.last_name,
        "fiscal_code": citizen.fiscal_code,
        "email": citizen.email,
        "phone": citizen.phone or "+393331234567",
    }
    if field.get("prefill") in prefill:
        return prefill[field["prefill"]]
    if field["key"] in BY_KEY:
        return BY_KEY[field["key"]]
    if "options" in field:
        first = field["options"][0]["value"]
        return [first] if kind == "multiselect" else first
    values = {
        "email": citizen.email,
        "phone": citizen.phone or "+393331234567",
        "fiscal_code": citizen.fiscal_code,
        "iban": "IT60X0542811101000000123456",
        "checkbox": "on",
        "date": validation.get("min") or "2027-01-15",
        "number": str(validation.get("min", 1) or 1),
        "textarea": "Richiesta presentata per la demo di Sportello.",
    }
    return values.get(kind, "Esempio di risposta")


def _fill(application, citizen) -> None:
    """Fill every page through the form built from the definition, exactly as the citizen's browser would."""
    definition = application.form_version.definition
    for page_index, page in enumerate(definition["pages"]):
        data = MultiValueDict()
        files = MultiValueDict()
        for field in page["fields"]:
            key, kind = field["key"], field["type"]
            if kind == "static":
                continue
            if kind == "file":
                files[key] = SimpleUploadedFile("documento.pdf", DEMO_PDF, content_type="application/pdf")
            elif kind == "address":
                parts = {"street": "Via Roma 1", "postcode": "38065", "town": "Mori", "province": "TN"}
                for part, value in parts.items():
                    data[f"{key}_{part}"] = value
            elif kind == "multiselect":
                data.setlist(key, _sample(field, citizen))
            else:
                data[key] = _sample(field, citizen)
        form = build_form_class(definition, language="it", page=page_index)(data, files)
        if not form.is_valid():
            raise ValueError(f"Demo data does not fit {application.service.slug}: {form.errors.as_text()}")
        services.application_save_page(
            application=application,
            user=citizen,
            page=page_index,
            cleaned_data=form.cleaned_data,
            serialized=serialize(definition, form.cleaned_data),
        )


def load_demo_applications(municipality) -> list[str]:
    if Application.objects.for_municipality(municipality).exists():
        return [f"{municipality.name}: demo applications already present"]
    operator = (
        Membership.objects.for_municipality(municipality)
        .active()
        .filter(role=Role.OPERATOR, user__username__startswith="operatore-")
        .select_related("user")
        .first()
    )
    citizens = [citizen_upsert_from_attributes(attributes=attributes) for attributes in DEMO_CITIZENS]
    made = 0
    for citizen_index, slug, outcome in SCENARIOS:
        service = Service.objects.for_municipality(municipality).filter(slug=slug).first()
        if service is None or service.form_version is None:
            continue
        citizen = citizens[citizen_index]
        application = services.application_start(service=service, applicant=citizen)
        _fill(application, citizen)
        made += 1
        if outcome == "draft":
            continue
        services.application_submit(application=application, user=citizen)
        if outcome == "submitted" or operator is None:
            continue
        handler = operator.user
        services.application_take_charge(application=application, user=handler)
        if outcome == "integration":
            services.application_request_integration(
                application=application,
                user=handler,
                body="Allega copia del libretto di circolazione del veicolo.",
            )
        elif outcome == "accepted":
            services.application_accept(
                application=application, user=handler, motivation="Dichiarazione registrata."
            )
        elif outcome == "rejected":
            services.application_reject(
                application=application,
                user=handler,
                motivation="I documenti richiesti sono già pubblicati sul sito istituzionale.",
            )
    return [
        f"{municipality.name}: {made} demo applications (new, in progress, integration, accepted, rejected, draft)"
    ]
