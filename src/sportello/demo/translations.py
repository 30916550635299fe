"""English and German texts of some demo services (the rest shows Italian, marked lang="it")."""

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
    "prenotazione-spazi-comunali": {
        "en": {
            "name": "Booking municipal rooms",
            "short_description": "Ask to use the council chamber, the associations' meeting room or the "
            "municipal gym for meetings, conferences, courses, training and events open to the public.",
            "addressed_to": _md("""
                - private citizens, resident or not;
                - associations, committees and groups, especially those on the municipal register of
                  associations;
                - Third-Sector bodies;
                - companies, schools, public bodies, political parties and movements.

                Purely commercial uses and private parties are not allowed.
            """),
            "description": _md("""
                {comune} makes its rooms available for cultural, social, educational and civic events:

                - **Council chamber**: up to 99 people, sound system with microphones, projector and screen;
                  available when the Town Council is not meeting; the office reviews every request.
                - **Associations' meeting room**: up to 25 people, free for associations, confirmed at once.
                - **Municipal gym**: up to 120 people, booked by time band (07-13, 13-19, 19-01).

                Each room has its own page with photos, equipment, regulation, tariffs and the calendar of free
                times and of those already taken by other bookings or by the municipality's own uses.
            """),
            "how_to": _md("""
                1. Log in with SPID or CIE, choose the room and look at its calendar.
                2. Choose the date and time and fill in the form with the applicant's details, the purpose and
                   the equipment you need.
                3. The office reviews the request and approves or refuses it, usually within 5 working days.
                4. Once approved, pay the fee and any deposit online with pagoPA: the booking is confirmed when
                   paid.
                5. Collect the keys at the office in the days before the event and return them on the next
                   working day.
            """),
            "needed": _md("""
                - SPID or CIE to access the service;
                - for associations, bodies and companies: name, fiscal code or VAT number and the details of
                  the legal representative;
                - the programme of the event (optional, recommended for events open to the public);
                - where the event requires them: SIAE permits, safety plan and insurance, arranged by the
                  applicant.
            """),
            "achieved": _md("""
                Permission to use the room on the date and at the times requested, confirmed by e-mail and in
                your personal area, and the use of the equipment listed in the request.
            """),
            "timing": _md("""
                The notice depends on the room: for the council chamber at least **3 days** and no more than
                **120 days** before the date of use; for the meeting room at least 1 day and for the gym at least
                2 days, no more than 90 days. The room's calendar offers only the dates that can be booked.

                For regular use (say every Tuesday evening) choose "repeat every week until": the request
                books all its dates or none. Requests for the season (1 September – 30 June) are due by 31 July.
            """),
        },
        "de": {
            "name": "Buchung von Gemeinderäumen",
            "short_description": "Beantragen Sie die Nutzung des Ratssaals, des Sitzungsraums für Vereine oder "
            "der Gemeindeturnhalle für Sitzungen, Vorträge, Kurse, Training und öffentliche Veranstaltungen.",
            "addressed_to": _md("""
                - Privatpersonen, ansässig oder nicht;
                - Vereine, Komitees und Gruppen, insbesondere die im Vereinsregister der Gemeinde
                  eingetragenen;
                - Körperschaften des Dritten Sektors;
                - Unternehmen, Schulen, öffentliche Körperschaften, Parteien und politische Bewegungen.

                Rein kommerzielle Nutzungen und private Feiern sind nicht zugelassen.
            """),
            "description": _md("""
                Die Gemeinde {comune} stellt ihre Räume für kulturelle, soziale, Bildungs- und
                Bürgerveranstaltungen zur Verfügung:

                - **Ratssaal**: bis zu 99 Personen, Tonanlage mit Mikrofonen, Projektor und Leinwand; verfügbar,
                  wenn der Gemeinderat nicht tagt; das Amt prüft jeden Antrag.
                - **Sitzungsraum für Vereine**: bis zu 25 Personen, für Vereine kostenlos, sofort bestätigt.
                - **Gemeindeturnhalle**: bis zu 120 Personen, buchbar nach Zeitfenstern (07-13, 13-19, 19-01).

                Jeder Raum hat seine eigene Seite mit Fotos, Ausstattung, Nutzungsordnung, Tarifen und dem
                Kalender der freien und der durch andere Buchungen oder die Gemeinde belegten Zeiten.
            """),
            "how_to": _md("""
                1. Melden Sie sich mit SPID oder CIE an, wählen Sie den Raum und sehen Sie sich den Kalender an.
                2. Wählen Sie Datum und Uhrzeit und füllen Sie das Formular mit den Daten des Antragstellers,
                   dem Zweck und der benötigten Ausstattung aus.
                3. Das Amt prüft den Antrag und genehmigt oder lehnt ihn ab, in der Regel innerhalb von
                   5 Arbeitstagen.
                4. Nach der Genehmigung bezahlen Sie die Gebühr und eine eventuelle Kaution online mit
                   pagoPA: Die Buchung ist mit der Zahlung bestätigt.
                5. Holen Sie die Schlüssel in den Tagen vor der Veranstaltung im Amt ab und geben Sie sie am
                   nächsten Arbeitstag zurück.
            """),
            "timing": _md("""
                Die Vorlauffrist hängt vom Raum ab: für den Ratssaal mindestens **3 Tage** und höchstens
                **120 Tage** vor dem Nutzungstag; für den Sitzungsraum mindestens 1 Tag und für die Turnhalle
                mindestens 2 Tage, höchstens 90 Tage. Der Kalender des Raums bietet nur buchbare Tage an.

                Für eine regelmäßige Nutzung (etwa jeden Dienstagabend) wählen Sie „jede Woche wiederholen bis“:
                Der Antrag bucht alle Termine oder keinen. Anträge für die Saison (1. September – 30. Juni) sind
                bis zum 31. Juli zu stellen.
            """),
        },
    },
    "iscrizione-refezione-scolastica": {
        "en": {
            "name": "Enrolment in the school canteen",
            "short_description": "Enrol your daughter or son in the canteen of the primary and lower "
            "secondary schools and report any special diet.",
            "addressed_to": _md("""
                Parents of pupils of the primary and lower secondary schools of {comune} who attend afternoon
                lessons and want to have lunch at school.
            """),
            "description": _md("""
                The school canteen serves lunch to pupils on the days with afternoon lessons, from September
                to June, following the provincial school calendar. The seasonal menus, over four weeks, are
                approved by the dietary service of the provincial health authority; special diets for health
                reasons and alternative menus for ethical or religious reasons are provided.

                Enrolment is valid for the whole school cycle: apply again only when moving to secondary school
                or changing school.
            """),
            "how_to": _md("""
                1. Log in with SPID or CIE and fill in the form with the details of the parent who pays the
                   fees and those of the pupil.
                2. State the school, the class and any special diet, attaching the medical certificate if
                   required.
                3. Send the application: you will receive the confirmation before the school year starts.

                The meals eaten are charged every month and paid with pagoPA from your personal area.
            """),
            "needed": _md("""
                - the parent's SPID or CIE;
                - the pupil's fiscal code;
                - for medical diets: a certificate from the doctor or paediatrician with the diagnosis and the
                  foods to exclude;
                - the ICEF statement, if you ask for the reduced rate.
            """),
            "cost": _md("""
                A meal costs **4.60 euro**; with the ICEF statement reduced rates go down to 1.00 euro. From
                the third child enrolled the rate is reduced by 30%. Only the meals actually eaten are paid.
            """),
        },
        "de": {
            "name": "Anmeldung zur Schulmensa",
            "short_description": "Melden Sie Ihre Tochter oder Ihren Sohn zur Mensa der Grund- und "
            "Mittelschulen an und teilen Sie eine eventuelle Sonderkost mit.",
            "addressed_to": _md("""
                Eltern von Schülerinnen und Schülern der Grund- und Mittelschulen der Gemeinde {comune}, die
                am Nachmittagsunterricht teilnehmen und in der Schule zu Mittag essen möchten.
            """),
            "description": _md("""
                Die Schulmensa bietet an den Tagen mit Nachmittagsunterricht von September bis Juni das
                Mittagessen an, nach dem Schulkalender des Landes. Die saisonalen Speisepläne über vier
                Wochen werden vom Diätdienst des Landessanitätsbetriebs genehmigt; Sonderkost aus
                gesundheitlichen Gründen und alternative Menüs aus ethischen oder religiösen Gründen werden
                angeboten.
            """),
            "cost": _md("""
                Eine Mahlzeit kostet **4,60 Euro**; mit der ICEF-Erklärung sinkt der Tarif bis auf 1,00 Euro.
                Ab dem dritten angemeldeten Kind wird der Tarif um 30 % ermäßigt. Bezahlt werden nur die
                tatsächlich eingenommenen Mahlzeiten.
            """),
        },
    },
}


def demo_translations(slug: str, municipality_name: str) -> dict:
    texts = DEMO_TRANSLATIONS.get(slug, {})
    return {
        lang: {field: value.replace("{comune}", municipality_name) for field, value in fields.items()}
        for lang, fields in texts.items()
    }
