"""English and German texts of a few demo services (the rest shows Italian, marked lang="it")."""

import textwrap


def _md(text: str) -> str:
    return textwrap.dedent(text).strip()


DEMO_TRANSLATIONS = {
    "carta-identita-elettronica": {
        "en": {
            "name": "Appointment and payment for the electronic identity card (CIE)",
            "short_description": "Book an appointment at the registry office and pay online for the issue or "
            "renewal of the electronic identity card.",
            "addressed_to": _md("""
                Residents of {comune} who need an identity card for the first time, need to renew it because it
                has expired or is about to (renewal is possible in the 180 days before expiry), or need to
                replace it after loss, theft or damage.

                Minors can apply too, together with whoever exercises parental responsibility.
            """),
            "description": _md("""
                The electronic identity card (CIE) certifies a person's identity. It is issued by the Ministry
                of the Interior. For Italian citizens it is also valid for travel to the countries that
                recognise it, and it gives access to the public administration's online services.

                Validity depends on the holder's age: **3 years** up to age 3, **5 years** from 3 to 18,
                **10 years** for adults.
            """),
            "how_to": _md("""
                1. Log in with SPID or CIE and choose a day and time among those available.
                2. State the reason: first issue, renewal, or loss, theft or damage.
                3. Pay online with pagoPA: the booking is confirmed once paid.
                4. Come to the office on the chosen day with the documents listed under "What you need".
            """),
        },
        "de": {
            "name": "Termin und Bezahlung für den elektronischen Personalausweis (CIE)",
            "short_description": "Buchen Sie einen Termin beim Meldeamt und bezahlen Sie die Ausstellung oder "
            "Erneuerung des elektronischen Personalausweises online.",
            "addressed_to": _md("""
                Einwohnerinnen und Einwohnern der Gemeinde {comune}, die den Personalausweis zum ersten Mal
                beantragen, ihn erneuern (möglich in den 180 Tagen vor Ablauf) oder nach Verlust, Diebstahl
                oder Beschädigung ersetzen müssen.

                Auch Minderjährige können ihn beantragen, in Begleitung der Erziehungsberechtigten.
            """),
            "description": _md("""
                Der elektronische Personalausweis (CIE) bescheinigt die Identität einer Person. Er wird vom
                Innenministerium ausgestellt, gilt für italienische Staatsbürger auch als Reisedokument und
                ermöglicht den Zugang zu den Online-Diensten der öffentlichen Verwaltung.

                Gültigkeit: **3 Jahre** bis zum Alter von 3 Jahren, **5 Jahre** von 3 bis 18 Jahren,
                **10 Jahre** für Volljährige.
            """),
        },
    },
    "iscrizione-nido-infanzia": {
        "en": {
            "name": "Enrolment at the nursery",
            "short_description": "Apply for a place at the municipal nursery for children aged 3 months to 3 "
            "years.",
            "addressed_to": _md("""
                Parents, or whoever exercises parental responsibility, of children aged between 3 months and
                3 years resident in {comune} or with at least one parent working in the municipality.
            """),
        },
        "de": {
            "name": "Anmeldung zur Kinderkrippe",
            "short_description": "Beantragen Sie einen Platz in der Gemeindekinderkrippe für Kinder von 3 "
            "Monaten bis 3 Jahren.",
        },
    },
}


def demo_translations(slug: str, municipality_name: str) -> dict:
    texts = DEMO_TRANSLATIONS.get(slug, {})
    return {
        lang: {field: value.replace("{comune}", municipality_name) for field, value in fields.items()}
        for lang, fields in texts.items()
    }
