"""The demo service catalogue: the services a Trentino municipality publishes, with their cards and forms.

``DEMO_SERVICES`` is plain data, one dict per service, the same for every demo municipality; the texts may
contain ``{comune}`` (e.g. "Comune di Mori"), replaced when loading, and name an office by key (``OFFICES``
holds each town's offices). ``load_demo_services`` writes them through the catalogue's service functions
and is idempotent: a second run changes nothing.
"""

import datetime
import json
import textwrap

from django.db import transaction

from sportello.accounts.models import Membership, Role
from sportello.catalog.constants import AccessLevel, Category, Kind, Status
from sportello.catalog.models import Service
from sportello.catalog.services import (
    GENERAL_FIELDS,
    service_create,
    service_form_save,
    service_update_card,
    service_update_general,
    service_update_translations,
)

from .translations import demo_translations

CARD_KEYS = ("addressed_to", "description", "how_to", "needed", "achieved", "timing", "cost", "more_info")
OFFICE_KEYS = ("office_name", "office_address", "office_phone", "office_email", "office_hours")
VALIDATION_RULES = ("min", "max", "integer", "min_length", "max_length", "pattern", "pattern_message")
FORM_NOTE = "Modulo del catalogo dimostrativo"


# --- Helpers to write the texts and the form definitions ---------------------------------------------------


def _md(text: str) -> str:
    """A Markdown text written as an indented triple-quoted string."""
    return textwrap.dedent(text).strip()


def tr(it: str, en: str = "", de: str = "") -> dict:
    """A translatable text: Italian, optionally English and German."""
    text = {"it": it}
    if en:
        text["en"] = en
    if de:
        text["de"] = de
    return text


def _text(value) -> dict:
    return value if isinstance(value, dict) else {"it": value}


def field(key: str, kind: str, label, *, required: bool = False, help=None, **extra) -> dict:
    """One field; the validation rules (``min``, ``max_length``, ``pattern``...) are given as keywords."""
    spec = {"key": key, "type": kind, "label": _text(label)}
    if required:
        spec["required"] = True
    if help:
        spec["help"] = _text(help)
    rules = {name: extra.pop(name) for name in VALIDATION_RULES if name in extra}
    if "pattern_message" in rules:
        rules["pattern_message"] = _text(rules["pattern_message"])
    if rules:
        spec["validation"] = rules
    spec.update(extra)
    return spec


def choice(key: str, kind: str, label, choices, **extra) -> dict:
    """A select, radio or multiselect field; ``choices`` are ``(value, label)`` pairs."""
    options = [{"value": value, "label": _text(text)} for value, text in choices]
    return field(key, kind, label, options=options, **extra)


def _choice_type(kind: str):
    """The shortcut ``radio(key, label, choices, **extra)`` for one choice type."""
    return lambda key, label, choices, **extra: choice(key, kind, label, choices, **extra)


def _field_type(kind: str):
    """The shortcut ``text_field(key, label, **extra)`` for one field type."""
    return lambda key, label, **extra: field(key, kind, label, **extra)


radio, select, multiselect = map(_choice_type, ("radio", "select", "multiselect"))
text_field, textarea_field, number_field, date_field = map(
    _field_type, ("text", "textarea", "number", "date")
)


def upload(key: str, label, *, types=("pdf", "jpg", "png"), max_mb: int = 10, **extra) -> dict:
    return field(key, "file", label, file={"types": list(types), "max_size_mb": max_mb}, **extra)


def static(key: str, content) -> dict:
    return {"key": key, "type": "static", "content": _text(content)}


def declaration(key: str, text) -> dict:
    """A checkbox the citizen must tick."""
    return field(key, "checkbox", text, required=True)


def page(title, *fields) -> dict:
    return {"title": _text(title), "fields": list(fields)}


def form(*pages) -> dict:
    return {"pages": list(pages)}


def applicant(*, phone_required: bool = False) -> list[dict]:
    """The applicant's identity and contacts, prefilled from the SPID/CIE login."""
    return [
        text_field("nome", tr("Nome", "First name", "Vorname"), required=True, prefill="name"),
        text_field("cognome", tr("Cognome", "Surname", "Nachname"), required=True, prefill="family_name"),
        field(
            "codice_fiscale",
            "fiscal_code",
            tr("Codice fiscale", "Tax code", "Steuernummer"),
            required=True,
            prefill="fiscal_code",
        ),
        field("email", "email", tr("E-mail", "Email", "E-Mail"), required=True, prefill="email"),
        field(
            "telefono", "phone", tr("Telefono", "Phone", "Telefon"), required=phone_required, prefill="phone"
        ),
    ]


def residence(key: str = "residenza", label: str = "Indirizzo di residenza") -> dict:
    return field(key, "address", label, required=True)


def person(prefix: str, who: str) -> list[dict]:
    """Name, surname and fiscal code of someone other than the applicant (a child, the other spouse)."""
    return [
        text_field(f"{prefix}_nome", f"Nome {who}", required=True),
        text_field(f"{prefix}_cognome", f"Cognome {who}", required=True),
        field(f"{prefix}_codice_fiscale", "fiscal_code", f"Codice fiscale {who}", required=True),
    ]


def privacy() -> dict:
    return {**_privacy_declaration(), "privacy_notice": True}


def _privacy_declaration() -> dict:
    return declaration(
        "privacy",
        tr(
            "Dichiaro di aver letto l'informativa sul trattamento dei dati personali "
            "(art. 13 del Regolamento UE 2016/679).",
            "I have read the privacy notice (art. 13 of EU Regulation 2016/679).",
            "Ich habe die Datenschutzerklärung gelesen (Art. 13 der Verordnung (EU) 2016/679).",
        ),
    )


def truthful() -> dict:
    return declaration(
        "dichiarazione_veridicita",
        "Dichiaro, consapevole delle sanzioni previste dagli artt. 75 e 76 del D.P.R. 445/2000 per le "
        "dichiarazioni false, che le informazioni fornite sono vere.",
    )


def icef(*, required: bool = False) -> dict:
    return number_field(
        "icef",
        "Indicatore ICEF",
        required=required,
        help="Il valore riportato sull'attestazione ICEF, compreso tra 0 e 1 (ad esempio 0,1850).",
        min=0,
        max=1,
    )


# --- The services -------------------------------------------------------------------------------------------

_CIE_WHAT_TO_BRING = tr(
    "Porta con te allo sportello: una fototessera recente (non più di 6 mesi) su sfondo chiaro, la carta "
    "d'identità scaduta o la denuncia di smarrimento o furto, la tessera sanitaria. I minorenni devono "
    "essere presenti, accompagnati dai genitori.",
    "Please bring: a recent passport photo (no older than 6 months) on a light background, your expired "
    "identity card or the police report of its loss or theft, your health insurance card. Minors must "
    "attend together with their parents.",
    "Bitte mitbringen: ein aktuelles Passfoto (nicht älter als 6 Monate) mit hellem Hintergrund, den "
    "abgelaufenen Ausweis oder die Verlust- bzw. Diebstahlsanzeige, die Gesundheitskarte. Minderjährige "
    "müssen mit den Eltern anwesend sein.",
)

CIE = {
    "slug": "carta-identita-elettronica",
    "name": "Prenotazione appuntamento e pagamento rilascio della carta d'identità elettronica (CIE)",
    "category": Category.REGISTRY,
    "topics": ["Anagrafe", "Estero"],
    "short_description": "Prenota l'appuntamento allo sportello anagrafe e paga online il rilascio o il "
    "rinnovo della carta d'identità elettronica.",
    "kind": Kind.APPOINTMENT,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": True,
    "max_response_days": 10,
    "office": "demografici",
    "addressed_to": _md("""
        Ai cittadini e alle cittadine residenti nel {comune} che devono richiedere la carta d'identità per
        la prima volta, rinnovarla perché scaduta o in scadenza (il rinnovo è possibile nei 180 giorni
        precedenti la scadenza) o sostituirla dopo smarrimento, furto o deterioramento.

        Possono richiederla anche i minorenni, accompagnati da chi esercita la responsabilità genitoriale.
        I non residenti possono richiederla solo per gravi e comprovati motivi.
    """),
    "description": _md("""
        La carta d'identità elettronica (CIE) è il documento che attesta l'identità della persona: è
        emessa dal Ministero dell'Interno e prodotta dall'Istituto Poligrafico e Zecca dello Stato. Per i
        cittadini italiani è valida anche per l'espatrio nei Paesi che la riconoscono e permette di
        accedere ai servizi online della pubblica amministrazione con le credenziali CIE.

        La validità dipende dall'età del titolare: **3 anni** fino a 3 anni di età, **5 anni** dai 3 ai
        18 anni, **10 anni** per i maggiorenni.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e scegli giorno e orario tra quelli disponibili.
        2. Indica il motivo della richiesta: primo rilascio, rinnovo o smarrimento, furto o deterioramento.
        3. Paga online con pagoPA: la prenotazione è confermata a pagamento avvenuto.
        4. Presentati allo sportello nel giorno scelto con i documenti indicati in «Cosa serve»:
           l'operatore acquisisce la fotografia, le impronte digitali e la firma.

        Se non puoi presentarti, annulla la prenotazione dall'area personale entro il giorno precedente:
        l'orario tornerà disponibile per altri cittadini.
    """),
    "needed": _md("""
        - una fototessera recente (non più di 6 mesi), a colori, su sfondo chiaro, senza occhiali scuri
          né copricapo; in alternativa la fotografia in formato digitale su chiavetta USB;
        - la carta d'identità scaduta o in scadenza oppure, in caso di smarrimento o furto, la denuncia
          presentata alle Forze dell'ordine;
        - la tessera sanitaria con il codice fiscale;
        - per i minorenni: la presenza del minore e dei genitori (o di uno dei due con l'assenso scritto
          dell'altro) se si chiede la validità per l'espatrio;
        - per i cittadini stranieri: passaporto e permesso di soggiorno in corso di validità.
    """),
    "achieved": _md("""
        La carta d'identità elettronica, spedita dall'Istituto Poligrafico e Zecca dello Stato
        all'indirizzo indicato o ritirata allo sportello. Allo sportello ricevi la ricevuta della richiesta
        con la prima parte dei codici PIN e PUK; la seconda parte arriva insieme alla carta.
    """),
    "timing": _md("""
        La carta arriva entro **6 giorni lavorativi** dalla richiesta allo sportello. Gli appuntamenti si
        prenotano fino a 60 giorni prima e si possono annullare fino al giorno precedente.

        Dal 3 agosto 2026 la carta d'identità cartacea non è più valida (Regolamento UE 2019/1157): chi
        la possiede ancora deve richiedere la CIE.
    """),
    "cost": _md("""
        Il rilascio costa **22,21 euro**, così suddivisi:

        - 16,79 euro: corrispettivo per lo Stato, riversato alla Tesoreria dello Stato;
        - 5,16 euro: diritto fisso comunale;
        - 0,26 euro: diritti di segreteria.

        Per il **duplicato** in caso di smarrimento, furto o deterioramento il diritto fisso è raddoppiato
        (10,32 euro) e il costo totale è di **27,37 euro**.

        Si paga online con pagoPA al momento della prenotazione oppure con l'avviso di pagamento presso
        i prestatori di servizi di pagamento aderenti.
    """),
    "more_info": _md("""
        Al momento della richiesta i maggiorenni possono esprimere il consenso o il diniego alla donazione
        di organi e tessuti, che viene registrato nel Sistema Informativo Trapianti. Sulla carta dei minori
        di 14 anni si possono indicare i nomi dei genitori per l'espatrio.

        Per saperne di più: [www.cartaidentita.interno.gov.it](https://www.cartaidentita.interno.gov.it).
    """),
    "form": form(
        page(
            tr("Motivo dell'appuntamento", "Reason for the appointment", "Grund des Termins"),
            radio(
                "motivo",
                tr("Motivo della richiesta", "Reason for the request", "Grund des Antrags"),
                [
                    ("primo_rilascio", tr("Primo rilascio", "First issue", "Erstausstellung")),
                    ("rinnovo", tr("Rinnovo per scadenza", "Renewal on expiry", "Erneuerung wegen Ablauf")),
                    (
                        "duplicato",
                        tr(
                            "Smarrimento, furto o deterioramento",
                            "Loss, theft or damage",
                            "Verlust, Diebstahl oder Beschädigung",
                        ),
                    ),
                ],
                required=True,
            ),
            field(
                "minorenne",
                "checkbox",
                tr(
                    "La carta è per una persona minorenne",
                    "The card is for a minor",
                    "Der Ausweis ist für eine minderjährige Person",
                ),
            ),
            select(
                "donazione_organi",
                tr("Donazione di organi e tessuti", "Organ and tissue donation", "Organ- und Gewebespende"),
                [
                    ("consenso", tr("Esprimo il consenso", "I consent", "Ich stimme zu")),
                    ("diniego", tr("Esprimo il diniego", "I do not consent", "Ich stimme nicht zu")),
                    ("non_esprimo", tr("Non mi esprimo", "No statement", "Keine Angabe")),
                ],
                help=tr(
                    "Solo per i maggiorenni; potrai comunque decidere allo sportello.",
                    "Adults only; you can still decide at the desk.",
                    "Nur für Volljährige; Sie können auch am Schalter entscheiden.",
                ),
                default="non_esprimo",
            ),
            static("cosa_portare", _CIE_WHAT_TO_BRING),
            textarea_field(
                "note",
                tr("Note per l'ufficio", "Notes for the office", "Anmerkungen für das Amt"),
                max_length=500,
            ),
        ),
        page(tr("Richiedente", "Applicant", "Antragsteller"), *applicant(), privacy()),
    ),
}

ROOMS = {
    "slug": "prenotazione-spazi-comunali",
    "name": "Prenotazione spazi comunali",
    "category": Category.CULTURE,
    "topics": ["Tempo libero", "Associazioni"],
    "short_description": "Richiedi l'uso della sala consiliare, della sala riunioni per le associazioni o della "
    "palestra comunale per riunioni, conferenze, corsi, allenamenti e iniziative aperte al pubblico.",
    "kind": Kind.ROOM,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": True,
    "max_response_days": 10,
    "office": "segreteria",
    "addressed_to": _md("""
        - privati cittadini, residenti e non residenti;
        - associazioni, comitati e gruppi, in particolare quelli iscritti all'albo comunale delle
          associazioni;
        - enti del Terzo settore;
        - imprese, scuole, enti pubblici, partiti e movimenti politici.

        Non sono ammessi usi a scopo esclusivamente commerciale né feste private.
    """),
    "description": _md("""
        Il {comune} mette a disposizione i propri spazi per iniziative culturali, sociali, formative e di
        partecipazione:

        - **Sala consiliare**: fino a 99 persone, impianto audio con microfoni, videoproiettore e schermo;
          disponibile quando non è impegnata dalle sedute del Consiglio comunale; ogni richiesta è esaminata
          dall'ufficio.
        - **Sala riunioni per le associazioni**: fino a 25 persone, gratuita per le associazioni, confermata
          subito.
        - **Palestra comunale**: fino a 120 persone, prenotabile per fasce orarie (07-13, 13-19, 19-01).

        Ogni sala ha la sua pagina con foto, dotazioni, regolamento, tariffe e il calendario che mostra gli
        orari liberi e quelli già occupati da altre prenotazioni o dagli usi istituzionali del Comune.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE, scegli la sala e consulta il calendario delle disponibilità.
        2. Seleziona data e fascia oraria e compila il modulo con i dati del richiedente, la finalità e
           l'attrezzatura necessaria.
        3. L'ufficio esamina la richiesta e la approva o la respinge, di norma entro 5 giorni lavorativi.
        4. Dopo l'approvazione paga online con pagoPA la tariffa e l'eventuale deposito cauzionale: la
           prenotazione è confermata a pagamento avvenuto.
        5. Ritira le chiavi all'ufficio nei giorni precedenti l'utilizzo e riconsegnale il primo giorno
           lavorativo successivo.
    """),
    "needed": _md("""
        - SPID o CIE per accedere al servizio;
        - per associazioni, enti e imprese: denominazione, codice fiscale o partita IVA e dati del legale
          rappresentante;
        - il programma dell'iniziativa (facoltativo, consigliato per gli eventi aperti al pubblico);
        - se l'evento lo richiede: permessi SIAE, piano di sicurezza e polizza assicurativa, a cura del
          richiedente.
    """),
    "achieved": _md("""
        L'autorizzazione all'uso della sala nella data e negli orari richiesti, con la conferma via e-mail
        e nell'area personale, e l'uso delle attrezzature indicate nella richiesta.
    """),
    "timing": _md("""
        Il preavviso dipende dalla sala: per la sala consiliare almeno **3 giorni** e non oltre **120 giorni**
        prima della data di utilizzo; per la sala riunioni almeno 1 giorno e per la palestra almeno 2 giorni,
        non oltre 90 giorni. Il calendario della sala propone solo le date prenotabili.

        Per un uso continuativo (ad esempio ogni martedì sera) scegli «ripeti ogni settimana fino al»: la
        richiesta vale per tutte le date o per nessuna. Le richieste per la stagione (1° settembre – 30
        giugno) vanno presentate entro il 31 luglio.
    """),
    "deadlines": [
        (datetime.date(2027, 7, 31), "Termine per le richieste di uso continuativo nella stagione 2027/2028")
    ],
    "cost": _md("""
        Le tariffe dipendono dalla sala, da chi la chiede (cittadino residente o no, associazione, ente del
        Terzo settore, impresa, scuola, partito, ente pubblico) e dalla stagione: sono nella pagina di ogni
        sala, e il riepilogo della richiesta mostra il prezzo calcolato voce per voce.

        Per la **sala consiliare**: 20 euro l'ora per i cittadini residenti, 25 euro l'ora dal 15 ottobre al
        15 aprile (con riscaldamento); sabato, domenica e festivi +20%; minimo 30 euro per data; **deposito
        cauzionale di 100 euro**, pagato a parte e restituito dopo la verifica della sala.

        - **iniziative patrocinate dal Comune**: tariffa gratuita (il deposito resta);
        - **periodo elettorale**: gratuito per partiti e candidati;
        - **sala riunioni**: gratuita per le associazioni.

        **Disdetta** (sala consiliare): fino a 3 giorni prima la tariffa è rimborsata per intero; più tardi è
        rimborsato il 50%.
    """),
    "more_info": _md("""
        Nelle sale è vietato fumare, affiggere manifesti alle pareti e superare la capienza massima. Il
        richiedente risponde di eventuali danni a persone, locali e attrezzature e deve lasciare la sala in
        ordine.

        Dalla convocazione dei comizi elettorali le sale sono concesse gratuitamente e in condizioni di
        parità a partiti e candidati (L. 515/1993, artt. 19 e 20), secondo l'ordine di arrivo delle
        richieste.
    """),
    "form": form(
        page(
            tr("Richiedente", "Applicant", "Antragsteller"),
            *applicant(phone_required=True),
            radio(
                "categoria",
                tr("Richiedi come", "You are applying as", "Sie beantragen als"),
                [
                    ("privato", tr("Privato cittadino", "Private citizen", "Privatperson")),
                    ("associazione", tr("Associazione", "Association", "Verein")),
                    ("impresa", tr("Impresa", "Company", "Unternehmen")),
                    (
                        "ets",
                        tr("Ente del Terzo settore", "Third-Sector body", "Körperschaft des Dritten Sektors"),
                    ),
                ],
                required=True,
            ),
            text_field(
                "ente_denominazione",
                tr(
                    "Denominazione dell'associazione, dell'impresa o dell'ente",
                    "Name of the association, company or body",
                    "Name des Vereins, Unternehmens oder der Körperschaft",
                ),
                help=tr(
                    "Da compilare se non richiedi come privato cittadino.",
                    "Fill in unless you apply as a private citizen.",
                    "Auszufüllen, wenn Sie nicht als Privatperson beantragen.",
                ),
                max_length=200,
            ),
            field(
                "ente_codice_fiscale",
                "fiscal_code",
                tr(
                    "Codice fiscale o partita IVA dell'ente",
                    "Tax code or VAT number of the body",
                    "Steuernummer oder MwSt-Nummer der Körperschaft",
                ),
            ),
        ),
        page(
            tr("Iniziativa", "Event", "Veranstaltung"),
            text_field(
                "finalita",
                tr("Finalità dell'utilizzo", "Purpose of use", "Zweck der Nutzung"),
                required=True,
                max_length=200,
            ),
            textarea_field(
                "programma", tr("Breve programma", "Short programme", "Kurzes Programm"), max_length=2000
            ),
            number_field(
                "partecipanti",
                tr("Partecipanti previsti", "Expected attendance", "Erwartete Teilnehmerzahl"),
                required=True,
                integer=True,
                min=1,
                max=120,
            ),
            multiselect(
                "attrezzature",
                tr("Attrezzature richieste", "Equipment needed", "Benötigte Ausstattung"),
                [
                    (
                        "videoproiettore",
                        tr("Videoproiettore e schermo", "Projector and screen", "Beamer und Leinwand"),
                    ),
                    ("audio", tr("Impianto audio", "Sound system", "Tonanlage")),
                    ("microfoni", tr("Microfoni senza fili", "Wireless microphones", "Funkmikrofone")),
                    ("wifi", tr("Connessione wi-fi", "Wi-Fi", "WLAN")),
                    ("lavagna", tr("Lavagna a fogli mobili", "Flip chart", "Flipchart")),
                ],
            ),
            textarea_field(
                "accessibilita",
                tr("Esigenze di accessibilità", "Accessibility needs", "Barrierefreiheit"),
                max_length=500,
            ),
            upload(
                "programma_allegato",
                tr(
                    "Programma o locandina (facoltativo)",
                    "Programme or poster (optional)",
                    "Programm oder Plakat (optional)",
                ),
                types=("pdf", "jpg", "png"),
                max_mb=5,
            ),
        ),
        page(
            tr("Dichiarazioni", "Declarations", "Erklärungen"),
            declaration(
                "dichiarazioni",
                tr(
                    "Dichiaro di aver letto il regolamento per l'uso delle sale comunali e mi impegno a "
                    "rispettare la capienza, a non fumare, a non affiggere materiali alle pareti, a "
                    "procurare a mia cura permessi SIAE, di sicurezza e assicurazione, e a rispondere di "
                    "eventuali danni.",
                    "I have read the rules for the use of municipal rooms and undertake to respect the "
                    "capacity, not to smoke, not to post materials on the walls, to obtain SIAE, safety "
                    "and insurance permits myself, and to be liable for any damage.",
                    "Ich habe die Ordnung für die Nutzung der Gemeinderäume gelesen und verpflichte mich, "
                    "die Höchstbelegung einzuhalten, nicht zu rauchen, nichts an die Wände zu kleben, "
                    "SIAE-, Sicherheits- und Versicherungsgenehmigungen selbst zu beschaffen und für "
                    "Schäden zu haften.",
                ),
            ),
            privacy(),
        ),
    ),
}

NURSERY = {
    "slug": "iscrizione-nido-infanzia",
    "name": "Iscrizione al nido d'infanzia",
    "category": Category.EDUCATION,
    "topics": ["Istruzione", "Assistenza sociale"],
    "short_description": "Presenta la domanda di ammissione al nido d'infanzia comunale per bambine e "
    "bambini da 3 mesi a 3 anni.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": True,
    "max_response_days": 45,
    "office": "istruzione",
    "addressed_to": _md("""
        Ai genitori, o a chi esercita la responsabilità genitoriale, di bambine e bambini di età compresa
        tra 3 mesi e 3 anni residenti nel {comune} o con almeno un genitore che lavora nel territorio
        comunale. I bambini non residenti sono ammessi dopo l'esaurimento della graduatoria dei residenti.
    """),
    "description": _md("""
        Il nido d'infanzia è un servizio educativo e sociale che accoglie i bambini nei primi tre anni di
        vita, ne favorisce lo sviluppo e sostiene le famiglie nella cura dei figli e nella conciliazione
        tra famiglia e lavoro (L.P. 12 marzo 2002, n. 4).

        Il nido è aperto da settembre a luglio, dal lunedì al venerdì, a tempo pieno (7.30–16.30) o a
        tempo parziale (7.30–13.00). I pasti sono preparati nella cucina interna.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE nel periodo di apertura delle iscrizioni.
        2. Compila la domanda con i dati del genitore e del bambino, scegli l'orario di frequenza e indica
           le situazioni che danno diritto a punteggio.
        3. Allega l'attestazione ICEF e l'eventuale documentazione sanitaria.
        4. Invia la domanda: riceverai la ricevuta con il numero di protocollo.

        Dopo la pubblicazione della graduatoria l'ufficio contatta le famiglie ammesse per il colloquio e
        l'inserimento.
    """),
    "needed": _md("""
        - SPID o CIE del genitore che presenta la domanda;
        - codice fiscale del bambino o della bambina;
        - attestazione ICEF per le agevolazioni tariffarie dei servizi per la prima infanzia, necessaria per
          la retta ridotta;
        - eventuale certificazione di disabilità o relazione dei servizi sociali.

        La regolarità delle vaccinazioni è verificata d'ufficio con l'Azienda provinciale per i servizi
        sanitari.
    """),
    "achieved": _md("""
        L'inserimento nella graduatoria di ammissione e, se c'è un posto disponibile, l'ammissione al nido
        con la comunicazione della data del colloquio e della retta mensile.
    """),
    "timing": _md("""
        Le iscrizioni per l'anno educativo 2027/2028 sono aperte **dal 1° al 31 marzo 2027**. La
        graduatoria provvisoria è pubblicata entro il 30 aprile 2027 e le famiglie possono presentare
        osservazioni nei 10 giorni successivi. Gli inserimenti iniziano a settembre; le domande presentate
        fuori termine sono accolte in coda alla graduatoria.
    """),
    "deadlines": [
        (datetime.date(2027, 3, 1), "Apertura delle iscrizioni per l'anno educativo 2027/2028"),
        (datetime.date(2027, 3, 31), "Chiusura delle iscrizioni"),
        (datetime.date(2027, 4, 30), "Pubblicazione della graduatoria provvisoria"),
    ],
    "cost": _md("""
        La domanda è gratuita. La retta mensile dipende dall'indicatore ICEF della famiglia e dall'orario
        di frequenza:

        - tempo pieno: da 155,00 a 510,00 euro al mese;
        - tempo parziale: da 110,00 a 360,00 euro al mese.

        Senza attestazione ICEF si applica la retta massima. Le famiglie possono chiedere all'INPS il
        «Bonus asilo nido» a rimborso delle rette pagate.
    """),
    "more_info": _md("""
        Il regolamento del servizio e i criteri per la formazione della graduatoria sono disponibili presso
        l'ufficio. La rinuncia al posto va comunicata per iscritto almeno 30 giorni prima.
    """),
    "form": form(
        page("Genitore richiedente", *applicant(phone_required=True), residence()),
        page(
            "Bambino o bambina",
            *person("bambino", "del bambino o della bambina"),
            date_field(
                "bambino_nascita", "Data di nascita", required=True, min="2024-09-01", max="2027-06-30"
            ),
            radio(
                "orario",
                "Orario di frequenza",
                [("pieno", "Tempo pieno (7.30–16.30)"), ("parziale", "Tempo parziale (7.30–13.00)")],
                required=True,
                default="pieno",
            ),
            select(
                "inizio",
                "Inizio della frequenza richiesto",
                [("settembre", "Settembre 2027"), ("gennaio", "Gennaio 2028")],
                required=True,
            ),
            multiselect(
                "punteggio",
                "Situazioni che danno diritto a punteggio",
                [
                    ("lavoro_entrambi", "Entrambi i genitori lavorano"),
                    ("monogenitore", "Famiglia con un solo genitore"),
                    ("disabilita", "Bambino o familiare con disabilità certificata"),
                    ("fratelli", "Fratelli o sorelle che frequentano già il nido"),
                    ("servizi_sociali", "Famiglia seguita dai servizi sociali"),
                ],
            ),
        ),
        page(
            "ICEF e allegati",
            icef(),
            upload("attestazione_icef", "Attestazione ICEF", types=("pdf",), max_mb=5),
            upload(
                "certificazione",
                "Certificazione di disabilità o relazione dei servizi sociali",
                help="Solo se hai indicato queste situazioni.",
                types=("pdf", "jpg", "png", "p7m"),
            ),
            truthful(),
            privacy(),
        ),
    ),
}

ALLOWANCE = {
    "slug": "assegno-sostegno-economico",
    "name": "Richiesta dell'assegno comunale per il sostegno economico",
    "category": Category.HEALTH,
    "topics": ["Assistenza sociale", "Integrazione sociale"],
    "short_description": "Chiedi un contributo economico una tantum per far fronte a spese essenziali in un "
    "momento di difficoltà temporanea.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 30,
    "office": "sociale",
    "addressed_to": _md("""
        Alle persone e alle famiglie residenti nel {comune} da almeno 12 mesi che si trovano in una
        situazione di difficoltà economica temporanea (perdita del lavoro, malattia, separazione, spese
        impreviste) e hanno un indicatore ICEF non superiore a 0,20.
    """),
    "description": _md("""
        L'assegno per il sostegno economico è un contributo una tantum, fino a **1.500 euro all'anno** per
        nucleo familiare, destinato a spese essenziali: affitto, utenze domestiche, spese sanitarie, spese
        scolastiche dei figli.

        L'assegno integra, senza sostituirli, gli interventi provinciali come l'Assegno unico provinciale;
        l'importo è stabilito dal servizio sociale in base alla situazione del nucleo e alle risorse
        disponibili nel bilancio comunale.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e indica la composizione del nucleo familiare e le spese per cui chiedi il
           contributo.
        2. Allega l'attestazione ICEF e i documenti delle spese.
        3. Indica l'IBAN del conto su cui ricevere il contributo, intestato o cointestato a te.
        4. Invia la domanda: un'assistente sociale ti contatterà per un colloquio.
    """),
    "needed": _md("""
        - attestazione ICEF in corso di validità;
        - documenti delle spese sostenute o da sostenere (contratto di affitto, bollette, fatture,
          preventivi);
        - IBAN di un conto corrente o di una carta con IBAN intestati al richiedente;
        - per i cittadini di Stati non UE: permesso di soggiorno in corso di validità.
    """),
    "achieved": _md("""
        La comunicazione dell'esito della domanda e, se accolta, l'accredito del contributo sul conto
        indicato entro 30 giorni dalla decisione.
    """),
    "timing": _md("""
        La domanda si presenta tutto l'anno, fino a esaurimento dei fondi stanziati; l'esito è comunicato
        entro **30 giorni** dalla domanda completa. Le domande per le spese del 2027 vanno presentate entro
        il 30 novembre 2027.
    """),
    "deadlines": [(datetime.date(2027, 11, 30), "Termine per le domande relative alle spese del 2027")],
    "cost": "Il servizio è gratuito e la domanda è esente dall'imposta di bollo.",
    "more_info": _md("""
        Il Comune controlla a campione le dichiarazioni rese (art. 71 del D.P.R. 445/2000): in caso di
        dichiarazioni non veritiere il contributo è revocato e va restituito. Il contributo non è
        cumulabile con altri aiuti comunali per la stessa spesa.
    """),
    "form": form(
        page("Richiedente", *applicant(phone_required=True), residence()),
        page(
            "Nucleo familiare e spese",
            number_field(
                "componenti", "Componenti del nucleo familiare", required=True, integer=True, min=1, max=15
            ),
            number_field("minori", "Di cui minorenni", min=0, max=14, default=0),
            select(
                "situazione",
                "Situazione lavorativa del richiedente",
                [
                    ("occupato", "Occupato"),
                    ("disoccupato", "Disoccupato o in cerca di lavoro"),
                    ("cassa_integrazione", "In cassa integrazione"),
                    ("pensionato", "Pensionato"),
                    ("altro", "Altro"),
                ],
                required=True,
            ),
            multiselect(
                "spese",
                "Spese per cui chiedi il contributo",
                [
                    ("affitto", "Affitto"),
                    ("utenze", "Utenze domestiche"),
                    ("sanitarie", "Spese sanitarie"),
                    ("scolastiche", "Spese scolastiche dei figli"),
                    ("altro", "Altre spese essenziali"),
                ],
                required=True,
            ),
            number_field("importo", "Importo richiesto (euro)", required=True, min=50, max=1500),
            textarea_field(
                "motivazione",
                "Descrivi la situazione di difficoltà",
                required=True,
                min_length=30,
                max_length=3000,
            ),
        ),
        page(
            "Pagamento e allegati",
            icef(required=True),
            upload("attestazione_icef", "Attestazione ICEF", types=("pdf",), max_mb=5, required=True),
            upload("documenti_spese", "Documenti delle spese", types=("pdf", "jpg", "png"), max_mb=10),
            field("iban", "iban", "IBAN per l'accredito", required=True),
            text_field("intestatario_conto", "Intestatario del conto", required=True),
            truthful(),
            privacy(),
        ),
    ),
}

CANTEEN = {
    "slug": "iscrizione-refezione-scolastica",
    "name": "Iscrizione al servizio di refezione scolastica",
    "category": Category.EDUCATION,
    "topics": ["Istruzione", "Prodotti alimentari"],
    "short_description": "Iscrivi tua figlia o tuo figlio alla mensa delle scuole primarie e secondarie di "
    "primo grado e segnala eventuali diete speciali.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 30,
    "office": "istruzione",
    "addressed_to": _md("""
        Ai genitori degli alunni delle scuole primarie e secondarie di primo grado del {comune} che
        frequentano le lezioni pomeridiane e intendono pranzare a scuola.
    """),
    "description": _md("""
        Il servizio di refezione scolastica fornisce il pranzo agli alunni nei giorni di rientro
        pomeridiano, da settembre a giugno, secondo il calendario scolastico provinciale. I menù, stagionali
        e articolati su quattro settimane, sono approvati dal servizio dietetico dell'Azienda provinciale
        per i servizi sanitari; sono garantite diete speciali per motivi di salute e menù alternativi per
        motivi etici o religiosi.

        L'iscrizione vale per l'intero ciclo scolastico: va ripresentata solo al passaggio alla scuola
        secondaria o in caso di cambio di scuola.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e compila il modulo con i dati del genitore che paga le rette e quelli
           dell'alunno.
        2. Indica scuola, classe ed eventuale dieta speciale, allegando il certificato medico se richiesto.
        3. Invia la domanda: riceverai la conferma dell'iscrizione prima dell'inizio dell'anno scolastico.

        I pasti consumati sono addebitati ogni mese e si pagano con pagoPA dall'area personale.
    """),
    "needed": _md("""
        - SPID o CIE del genitore;
        - codice fiscale dell'alunno;
        - per le diete sanitarie: certificato del medico o del pediatra con la diagnosi e gli alimenti da
          escludere;
        - attestazione ICEF, se chiedi la tariffa agevolata.
    """),
    "achieved": _md("""
        L'iscrizione alla mensa per l'anno scolastico 2027/2028 e, se richiesta, la dieta speciale dal primo
        giorno di servizio.
    """),
    "timing": _md("""
        Le iscrizioni per l'anno scolastico 2027/2028 sono aperte fino al **31 luglio 2027**; le domande
        presentate dopo sono accolte, compatibilmente con l'organizzazione del servizio, dal mese
        successivo. Il servizio inizia con il primo rientro pomeridiano del calendario scolastico.
    """),
    "deadlines": [
        (datetime.date(2027, 7, 31), "Termine per l'iscrizione all'anno scolastico 2027/2028"),
        (datetime.date(2027, 9, 13), "Inizio previsto del servizio di mensa"),
    ],
    "cost": _md("""
        Il pasto costa **4,60 euro**; con l'attestazione ICEF sono previste tariffe ridotte fino a un minimo
        di 1,00 euro. Dal terzo figlio iscritto la tariffa è ridotta del 30%. Si pagano solo i pasti
        effettivamente consumati.
    """),
    "more_info": _md("""
        Le assenze si comunicano alla scuola entro le 9.30 del giorno stesso: il pasto non consumato non è
        addebitato. Il menù del mese è pubblicato sul sito del Comune. Per rinunciare al servizio basta
        comunicarlo per iscritto all'ufficio.
    """),
    "form": form(
        page("Genitore", *applicant()),
        page(
            "Alunno o alunna",
            *person("alunno", "dell'alunno o dell'alunna"),
            select(
                "scuola",
                "Scuola",
                [("primaria", "Scuola primaria"), ("secondaria", "Scuola secondaria di primo grado")],
                required=True,
            ),
            select(
                "classe",
                "Classe nell'anno 2027/2028",
                [(str(n), f"{n}ª") for n in range(1, 6)],
                required=True,
            ),
            radio(
                "dieta",
                "Dieta",
                [
                    ("normale", "Nessuna dieta speciale"),
                    ("sanitaria", "Dieta per motivi di salute (allergie, intolleranze, patologie)"),
                    ("etica_religiosa", "Menù alternativo per motivi etici o religiosi"),
                ],
                required=True,
                default="normale",
            ),
            textarea_field("dieta_dettagli", "Alimenti da escludere", max_length=1000),
            upload(
                "certificato_medico",
                "Certificato medico per la dieta sanitaria",
                types=("pdf", "jpg", "png"),
                max_mb=5,
            ),
            declaration(
                "regolamento",
                "Dichiaro di accettare il regolamento del servizio e di pagare le rette dovute.",
            ),
            privacy(),
        ),
    ),
}

WASTE_TAX = {
    "slug": "dichiarazione-tari",
    "name": "Dichiarazione TARI: attivazione, variazione e cessazione dell'utenza rifiuti",
    "category": Category.TAXES,
    "topics": ["Imposte", "Gestione rifiuti", "Tassa sui servizi"],
    "short_description": "Comunica l'inizio, la variazione o la fine dell'occupazione di un immobile ai fini "
    "della tassa sui rifiuti (TARI).",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": True,
    "max_response_days": 30,
    "office": "tributi",
    "addressed_to": _md("""
        A chi occupa o detiene a qualsiasi titolo locali o aree nel territorio del {comune} che possono
        produrre rifiuti urbani: proprietari, inquilini, usufruttuari. Per le attività economiche il
        servizio può essere usato dal legale rappresentante o da un suo delegato.
    """),
    "description": _md("""
        La TARI finanzia i costi della raccolta e dello smaltimento dei rifiuti urbani. È dovuta da chi
        occupa l'immobile e si calcola, per le abitazioni, in base alla superficie calpestabile e al numero
        degli occupanti; per le attività economiche in base alla superficie e alla categoria di attività.

        Con questo servizio presenti la dichiarazione di:

        - **attivazione**, quando inizi a occupare un immobile;
        - **variazione**, quando cambiano la superficie, il numero degli occupanti o l'uso dei locali;
        - **cessazione**, quando lasci l'immobile.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e scegli il tipo di dichiarazione.
        2. Indica indirizzo e dati catastali dell'immobile, data di decorrenza, superficie e occupanti.
        3. Allega la planimetria, se disponibile.
        4. Invia la dichiarazione: riceverai la ricevuta con il numero di protocollo e l'ufficio aggiornerà
           la tua posizione.
    """),
    "needed": _md("""
        - indirizzo e dati catastali dell'immobile (foglio, particella, subalterno);
        - superficie calpestabile in metri quadrati;
        - data di inizio, variazione o fine dell'occupazione;
        - dati del proprietario, se diverso da chi dichiara;
        - planimetria dell'immobile (facoltativa).
    """),
    "achieved": _md("""
        L'aggiornamento della posizione TARI: la tassa è calcolata dalla data di decorrenza indicata e
        compare nel successivo avviso di pagamento; in caso di cessazione il calcolo si interrompe dalla
        data di fine occupazione.
    """),
    "timing": _md("""
        La dichiarazione va presentata **entro 90 giorni** dalla data in cui l'occupazione è iniziata,
        cambiata o cessata. La TARI 2027 si paga in due rate, con scadenza il 31 maggio e il 30 novembre
        2027.
    """),
    "deadlines": [
        (datetime.date(2027, 5, 31), "Scadenza della prima rata TARI 2027"),
        (datetime.date(2027, 11, 30), "Scadenza della seconda rata TARI 2027"),
    ],
    "cost": _md("""
        La dichiarazione è gratuita. L'importo della tassa dipende dalle tariffe approvate ogni anno dal
        Consiglio comunale; chi pratica il compostaggio domestico ha diritto a una riduzione della quota
        variabile.
    """),
    "more_info": _md("""
        Se le condizioni non cambiano, la dichiarazione vale anche per gli anni successivi. La dichiarazione
        omessa o non veritiera comporta l'applicazione delle sanzioni previste dalla legge. Per pagare gli
        avvisi TARI usa i servizi di pagamento pagoPA.
    """),
    "form": form(
        page(
            "Contribuente",
            *applicant(),
            radio(
                "tipo_dichiarazione",
                "Tipo di dichiarazione",
                [("attivazione", "Attivazione"), ("variazione", "Variazione"), ("cessazione", "Cessazione")],
                required=True,
            ),
            select(
                "titolo",
                "Occupi l'immobile come",
                [
                    ("proprietario", "Proprietario"),
                    ("inquilino", "Inquilino"),
                    ("usufruttuario", "Usufruttuario"),
                    ("altro", "Altro"),
                ],
                required=True,
            ),
        ),
        page(
            "Immobile",
            field("immobile", "address", "Indirizzo dell'immobile", required=True),
            text_field(
                "dati_catastali",
                "Dati catastali",
                help="Foglio, particella e subalterno, ad esempio «foglio 12, p.ed. 345, sub. 6».",
                max_length=100,
            ),
            date_field("decorrenza", "Data di decorrenza", required=True, min="2020-01-01"),
            select(
                "uso",
                "Uso dei locali",
                [
                    ("abitazione", "Abitazione"),
                    ("pertinenza", "Garage, cantina o altra pertinenza"),
                    ("attivita", "Attività economica"),
                ],
                required=True,
            ),
            number_field("superficie", "Superficie calpestabile (m²)", required=True, min=1, max=10000),
            number_field("occupanti", "Numero degli occupanti", min=0, max=20),
            field("compostaggio", "checkbox", "Pratico il compostaggio domestico"),
            upload("planimetria", "Planimetria dell'immobile", types=("pdf", "jpg", "png"), max_mb=10),
            truthful(),
            privacy(),
        ),
    ),
}

PARKING = {
    "slug": "permesso-sosta-residenti",
    "name": "Permesso di sosta e transito per residenti (ZTL)",
    "category": Category.MOBILITY,
    "topics": ["Parcheggi", "ZTL"],
    "short_description": "Richiedi o rinnova il permesso che consente ai residenti di transitare e sostare "
    "nella zona a traffico limitato del centro storico.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 30,
    "office": "polizia",
    "addressed_to": _md("""
        Ai residenti nella zona a traffico limitato (ZTL) del centro storico del {comune}, proprietari o
        utilizzatori esclusivi di un veicolo (in comodato, in leasing o aziendale a uso personale). Possono
        richiederlo anche i domiciliati per motivi di lavoro o di studio, con un permesso di durata
        limitata.
    """),
    "description": _md("""
        Il permesso consente di transitare nella ZTL e di sostare negli stalli riservati ai residenti del
        settore indicato. È legato alla targa del veicolo e all'indirizzo di residenza: ogni nucleo
        familiare può ottenere al massimo due permessi.

        Il permesso è digitale: la targa è registrata nel sistema di controllo degli accessi e non serve
        esporre alcun contrassegno.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e indica l'indirizzo di residenza e i dati del veicolo.
        2. Allega la carta di circolazione e, se il veicolo non è intestato a te, il documento che ne
           attesta l'uso esclusivo.
        3. Dopo la verifica paga online con pagoPA il costo del permesso.
        4. La targa è abilitata entro 2 giorni lavorativi dal pagamento: riceverai la conferma via e-mail.
    """),
    "needed": _md("""
        - carta di circolazione del veicolo;
        - per i veicoli non intestati al richiedente: contratto di comodato o di leasing, oppure
          dichiarazione dell'azienda sull'uso esclusivo;
        - per i domiciliati: contratto di lavoro o certificato di iscrizione all'università.
    """),
    "achieved": _md("""
        L'abilitazione della targa al transito nella ZTL e il permesso di sosta negli stalli riservati ai
        residenti, valido fino al 31 dicembre dell'anno di rilascio.
    """),
    "timing": _md("""
        Il permesso scade il 31 dicembre e si rinnova dal 1° dicembre al 31 gennaio. L'ufficio risponde
        entro **30 giorni** dalla domanda completa.
    """),
    "deadlines": [
        (datetime.date(2027, 1, 31), "Termine per il rinnovo dei permessi 2027"),
        (datetime.date(2027, 12, 1), "Apertura dei rinnovi dei permessi 2028"),
    ],
    "cost": _md("""
        - primo veicolo del nucleo familiare: **30,00 euro** all'anno;
        - secondo veicolo: **60,00 euro** all'anno;
        - veicoli elettrici: gratuito.

        Si paga online con pagoPA dopo l'approvazione della domanda.
    """),
    "more_info": _md("""
        Se cambi veicolo o indirizzo, aggiorna il permesso con una nuova domanda, senza ulteriori costi
        fino alla scadenza. Il transito senza permesso è sanzionato ai sensi dell'art. 7 del Codice della
        strada.
    """),
    "form": form(
        page(
            "Richiedente e veicolo",
            *applicant(),
            residence(),
            radio(
                "tipo_permesso",
                "Tipo di permesso",
                [("residente", "Residente nella ZTL"), ("domiciliato", "Domiciliato per lavoro o studio")],
                required=True,
            ),
            text_field(
                "targa",
                "Targa del veicolo",
                required=True,
                pattern="^[A-Za-z]{2}[0-9]{3}[A-Za-z]{2}$",
                pattern_message="Scrivi la targa senza spazi, ad esempio AB123CD.",
            ),
            select(
                "titolo_veicolo",
                "Disponibilità del veicolo",
                [
                    ("proprietario", "Proprietario"),
                    ("comodato", "Comodato d'uso"),
                    ("leasing", "Leasing o noleggio a lungo termine"),
                    ("aziendale", "Veicolo aziendale a uso esclusivo"),
                ],
                required=True,
            ),
            field("elettrico", "checkbox", "Il veicolo è elettrico"),
            upload("carta_circolazione", "Carta di circolazione", required=True, max_mb=5),
            upload("documento_uso", "Documento che attesta l'uso esclusivo", max_mb=5),
            privacy(),
        )
    ),
}

RECORDS_ACCESS = {
    "slug": "accesso-agli-atti",
    "name": "Richiesta di accesso agli atti (accesso documentale)",
    "category": Category.JUSTICE,
    "topics": ["Trasparenza amministrativa", "Accesso all'informazione"],
    "short_description": "Chiedi di vedere o di avere copia di documenti amministrativi del Comune quando hai "
    "un interesse diretto, concreto e attuale.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 30,
    "office": "segreteria",
    "addressed_to": _md("""
        A chi ha un interesse diretto, concreto e attuale, corrispondente a una situazione giuridicamente
        tutelata e collegata al documento richiesto: cittadini, imprese, associazioni e portatori di
        interessi diffusi. La richiesta può essere presentata anche da un delegato o da un legale.
    """),
    "description": _md("""
        L'accesso documentale (L. 241/1990, artt. 22 e seguenti, e L.P. 30 novembre 1992, n. 23) è il
        diritto di esaminare ed estrarre copia dei documenti amministrativi formati o detenuti dal {comune}:
        provvedimenti, pratiche edilizie, verbali, atti di gara, corrispondenza.

        È diverso dall'**accesso civico generalizzato** (D.Lgs. 33/2013), che non richiede motivazione ma
        non consente l'accesso a dati protetti: se vuoi solo conoscere dati e documenti senza un interesse
        specifico, usa quella procedura.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e indica i documenti nel modo più preciso possibile (oggetto, data, numero
           di protocollo o di pratica).
        2. Spiega il motivo della richiesta e l'interesse che intendi tutelare.
        3. Scegli se vuoi esaminare i documenti o riceverne copia, e come.
        4. Invia la domanda. Se ci sono controinteressati, l'ufficio li informa ed essi hanno 10 giorni per
           opporsi.
    """),
    "needed": _md("""
        - estremi dei documenti richiesti o elementi che permettano di individuarli;
        - motivazione della richiesta;
        - se agisci per conto di altri: delega firmata con copia del documento d'identità del delegante,
          oppure procura.
    """),
    "achieved": _md("""
        L'esame dei documenti presso l'ufficio, in un giorno concordato, oppure la loro copia digitale o
        cartacea. In caso di diniego, differimento o limitazione l'ufficio ne comunica i motivi.
    """),
    "timing": _md("""
        Il procedimento si conclude entro **30 giorni** dalla richiesta. Trascorso il termine senza risposta
        la richiesta si intende respinta: entro i 30 giorni successivi si può ricorrere al Tribunale
        regionale di giustizia amministrativa di Trento o chiedere il riesame al Difensore civico
        provinciale.
    """),
    "cost": _md("""
        L'esame dei documenti è gratuito. Per le copie:

        - copie digitali inviate via e-mail o PEC: gratuite;
        - copie cartacee: 0,25 euro per facciata A4 e 0,50 euro per facciata A3;
        - copie conformi all'originale: imposta di bollo di 16,00 euro ogni 4 facciate, oltre al costo di
          riproduzione.
    """),
    "more_info": _md("""
        Sono esclusi dall'accesso i documenti indicati dall'art. 24 della L. 241/1990 e dal regolamento
        comunale, ad esempio quelli coperti da segreto o relativi alla salute di terzi. Dati e documenti
        pubblicati sono consultabili nella sezione «Amministrazione trasparente» del sito istituzionale.
    """),
    "form": form(
        page(
            "Richiedente",
            *applicant(),
            radio(
                "qualita",
                "Presenti la richiesta",
                [
                    ("interessato", "Per me stesso o me stessa"),
                    ("rappresentante", "Come legale rappresentante di un ente o di un'impresa"),
                    ("delegato", "Su delega o procura di un'altra persona"),
                ],
                required=True,
            ),
            upload("delega", "Delega o procura", types=("pdf", "p7m"), max_mb=5),
        ),
        page(
            "Documenti richiesti",
            textarea_field(
                "documenti",
                "Documenti richiesti",
                required=True,
                help="Oggetto, data, numero di protocollo o di pratica, ufficio che li detiene.",
                min_length=20,
                max_length=3000,
            ),
            textarea_field(
                "motivazione",
                "Motivo della richiesta e interesse da tutelare",
                required=True,
                min_length=20,
                max_length=3000,
            ),
            radio(
                "modalita",
                "Modalità di accesso",
                [
                    ("esame", "Esame dei documenti"),
                    ("copia", "Copia semplice"),
                    ("copia_conforme", "Copia conforme all'originale"),
                ],
                required=True,
            ),
            select(
                "consegna",
                "Come vuoi ricevere le copie",
                [("email", "Via e-mail"), ("pec", "Via PEC"), ("sportello", "Ritiro allo sportello")],
                default="email",
            ),
            privacy(),
        ),
    ),
}

REPORT = {
    "slug": "segnalazione-disservizio",
    "name": "Segnalazione di disservizio",
    "category": Category.ENVIRONMENT,
    "topics": ["Urbanizzazione", "Spazio Verde"],
    "short_description": "Segnala un guasto o un problema su strade, illuminazione pubblica, verde, rifiuti o "
    "segnaletica: l'ufficio competente interviene e ti aggiorna.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.ANONYMOUS,
    "status": Status.PUBLISHED,
    "featured": True,
    "max_response_days": 30,
    "office": "tecnico",
    "addressed_to": _md("""
        A tutti: cittadini residenti e non residenti, turisti, imprese. Non serve autenticarsi; se lasci un
        recapito ricevi gli aggiornamenti sulla tua segnalazione.
    """),
    "description": _md("""
        Il servizio raccoglie le segnalazioni di guasti e situazioni di degrado su beni e servizi del
        {comune}:

        - buche e danni a strade, marciapiedi e piste ciclabili;
        - lampioni spenti o danneggiati;
        - rifiuti abbandonati e cassonetti danneggiati;
        - alberi, aiuole, parchi e giochi da sistemare;
        - segnaletica stradale mancante o danneggiata.

        Ogni segnalazione è assegnata all'ufficio competente, che valuta la priorità e programma
        l'intervento.
    """),
    "how_to": _md("""
        1. Scegli la categoria del problema.
        2. Indica il luogo con la massima precisione (via, numero civico o punto di riferimento).
        3. Descrivi il problema e, se puoi, allega una fotografia.
        4. Lascia un indirizzo e-mail se vuoi ricevere aggiornamenti, quindi invia.
    """),
    "needed": "Non serve alcun documento. Una fotografia aiuta l'ufficio a valutare il problema e la sua urgenza.",
    "achieved": _md("""
        La presa in carico della segnalazione da parte dell'ufficio competente e, se hai lasciato un
        recapito, la comunicazione dell'esito dell'intervento.
    """),
    "timing": _md("""
        Le segnalazioni sono esaminate entro 3 giorni lavorativi. I tempi dell'intervento dipendono dalla
        priorità: le situazioni di pericolo sono gestite subito, gli altri interventi sono programmati entro
        **30 giorni**.
    """),
    "cost": "Il servizio è gratuito.",
    "more_info": _md("""
        **Per le emergenze non usare questo servizio**: chiama il Numero unico di emergenza 112. Per guasti
        alle reti di acqua, gas ed elettricità contatta direttamente il gestore. Le segnalazioni anonime
        sono accolte, ma senza un recapito l'ufficio non può chiederti chiarimenti.
    """),
    "form": form(
        page(
            "Segnalazione",
            static(
                "emergenze",
                "Per le emergenze e le situazioni di pericolo immediato non usare questo modulo: chiama il 112.",
            ),
            select(
                "categoria",
                "Categoria",
                [
                    ("strade", "Strade, marciapiedi e piste ciclabili"),
                    ("illuminazione", "Illuminazione pubblica"),
                    ("rifiuti", "Rifiuti e pulizia"),
                    ("verde", "Verde pubblico, parchi e giochi"),
                    ("segnaletica", "Segnaletica stradale"),
                    ("altro", "Altro"),
                ],
                required=True,
            ),
            field("luogo", "address", "Luogo del problema", required=True),
            text_field(
                "riferimento",
                "Punto di riferimento",
                help="Ad esempio «davanti alla fermata dell'autobus».",
                max_length=200,
            ),
            textarea_field(
                "descrizione", "Descrizione del problema", required=True, min_length=10, max_length=2000
            ),
            upload("foto", "Fotografia", types=("jpg", "jpeg", "png"), max_mb=5),
        ),
        page(
            "Recapiti (facoltativi)",
            text_field("nome", "Nome e cognome", prefill="name"),
            field("email", "email", "E-mail per gli aggiornamenti", prefill="email"),
            field("telefono", "phone", "Telefono", prefill="phone"),
            privacy(),
        ),
    ),
}

RESIDENCE = {
    "slug": "cambio-residenza",
    "name": "Dichiarazione di cambio di residenza",
    "category": Category.REGISTRY,
    "topics": ["Anagrafe", "Residenza"],
    "short_description": "Dichiara il trasferimento della residenza da un altro comune o dall'estero, o il "
    "cambio di indirizzo all'interno del Comune.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 45,
    "office": "demografici",
    "addressed_to": _md("""
        A chi trasferisce la propria dimora abituale nel {comune} da un altro comune italiano o dall'estero,
        e a chi cambia abitazione all'interno del Comune. La dichiarazione può riguardare anche i familiari
        che si trasferiscono insieme al dichiarante.
    """),
    "description": _md("""
        La residenza è il luogo in cui la persona ha la dimora abituale. La dichiarazione (D.P.R. 223/1989
        e art. 5 del D.L. 5/2012) va resa entro 20 giorni dal trasferimento ed è registrata dall'anagrafe
        entro 2 giorni lavorativi; gli effetti giuridici decorrono dalla data della dichiarazione.

        Nei 45 giorni successivi la Polizia locale accerta che il dichiarante abiti effettivamente
        all'indirizzo indicato.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e indica se provieni da un altro comune, dall'estero o se cambi indirizzo
           nel Comune.
        2. Inserisci il nuovo indirizzo e il titolo per cui occupi l'abitazione.
        3. Indica i familiari che si trasferiscono con te.
        4. Allega il documento d'identità e, se disponibile, il contratto, quindi invia: riceverai la
           comunicazione di avvio del procedimento.
    """),
    "needed": _md("""
        - documento d'identità del dichiarante e dei familiari maggiorenni che si trasferiscono;
        - titolo di occupazione dell'abitazione: estremi del contratto di affitto registrato, dell'atto di
          proprietà o del comodato, oppure dichiarazione del proprietario;
        - per i cittadini di Stati non UE: permesso di soggiorno in corso di validità;
        - numeri di patente e targhe dei veicoli, per l'aggiornamento dei dati presso la Motorizzazione.
    """),
    "achieved": _md("""
        L'iscrizione anagrafica o la registrazione del nuovo indirizzo, con effetto dalla data della
        dichiarazione. Trascorsi 45 giorni senza comunicazioni contrarie la dichiarazione si intende
        confermata (silenzio-assenso).
    """),
    "timing": _md("""
        La dichiarazione va resa **entro 20 giorni** dal trasferimento. L'ufficio la registra entro 2 giorni
        lavorativi e l'accertamento si conclude entro **45 giorni**.
    """),
    "cost": "Il servizio è gratuito.",
    "more_info": _md("""
        Le dichiarazioni false comportano la decadenza dai benefici ottenuti e la segnalazione all'autorità
        giudiziaria (artt. 75 e 76 del D.P.R. 445/2000). Dopo il cambio di residenza ricorda di presentare
        la dichiarazione TARI e, se necessario, di aggiornare il permesso di sosta.
    """),
    "form": form(
        page(
            "Dichiarante",
            *applicant(phone_required=True),
            radio(
                "provenienza",
                "Provenienza",
                [
                    ("altro_comune", "Da un altro comune italiano"),
                    ("estero", "Dall'estero"),
                    ("stesso_comune", "Cambio di indirizzo nel Comune"),
                ],
                required=True,
            ),
            text_field("comune_provenienza", "Comune o Stato di provenienza", max_length=100),
        ),
        page(
            "Nuova abitazione",
            field("nuovo_indirizzo", "address", "Nuovo indirizzo", required=True),
            text_field("interno", "Scala, piano e interno", max_length=50),
            select(
                "titolo_occupazione",
                "Occupi l'abitazione come",
                [
                    ("proprieta", "Proprietario"),
                    ("locazione", "Inquilino con contratto registrato"),
                    ("comodato", "Comodatario"),
                    ("usufrutto", "Usufruttuario"),
                    ("altro", "Altro (dichiarazione del proprietario)"),
                ],
                required=True,
            ),
            text_field(
                "estremi_titolo",
                "Estremi del contratto o dell'atto",
                help="Ad esempio «contratto registrato a Trento il 12/01/2027, n. 345».",
                max_length=200,
            ),
            number_field("familiari", "Familiari che si trasferiscono con te", min=0, max=15, default=0),
            textarea_field(
                "elenco_familiari", "Nome, cognome e codice fiscale dei familiari", max_length=2000
            ),
        ),
        page(
            "Allegati",
            upload("documento_identita", "Documento d'identità", required=True, max_mb=5),
            upload("contratto", "Contratto o atto di occupazione", types=("pdf", "p7m"), max_mb=10),
            truthful(),
            privacy(),
        ),
    ),
}

CERTIFICATE = {
    "slug": "certificato-anagrafico",
    "name": "Richiesta di certificato anagrafico",
    "category": Category.REGISTRY,
    "topics": ["Anagrafe", "Accesso all'informazione"],
    "short_description": "Richiedi un certificato di residenza, di stato di famiglia o di cittadinanza e "
    "ricevilo via e-mail o ritiralo allo sportello.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 5,
    "office": "demografici",
    "addressed_to": _md("""
        Ai residenti nel {comune} che hanno bisogno di un certificato anagrafico che riguarda sé stessi o il
        proprio nucleo familiare, per usi tra privati. Le pubbliche amministrazioni e i gestori di pubblici
        servizi non possono chiedere certificati e devono accettare l'autocertificazione (art. 40 del
        D.P.R. 445/2000).
    """),
    "description": _md("""
        I certificati anagrafici attestano i dati registrati nell'Anagrafe nazionale della popolazione
        residente (ANPR): residenza, stato di famiglia, cittadinanza, esistenza in vita, stato civile e
        certificati contestuali.

        Il certificato è rilasciato in PDF con sigillo elettronico qualificato oppure su carta, da ritirare
        allo sportello. I certificati per sé e per il proprio nucleo si possono scaricare gratuitamente
        anche dal portale ANPR.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e scegli il tipo di certificato.
        2. Indica se ti serve in bollo o in esenzione, specificando la norma che prevede l'esenzione.
        3. Scegli se riceverlo via e-mail o ritirarlo allo sportello.
        4. Paga con pagoPA l'importo dovuto: il certificato è emesso dopo il pagamento.
    """),
    "needed": _md("""
        - SPID o CIE;
        - in caso di esenzione dall'imposta di bollo: il riferimento alla norma che la prevede.
    """),
    "achieved": "Il certificato richiesto, in PDF con sigillo elettronico o su carta, valido 6 mesi dal rilascio.",
    "timing": "Il certificato è emesso entro **5 giorni lavorativi** dal pagamento, di norma il giorno lavorativo successivo.",
    "cost": _md("""
        - certificato in bollo: 16,00 euro di imposta di bollo e 0,52 euro di diritti di segreteria;
        - certificato esente dall'imposta di bollo: 0,26 euro di diritti di segreteria.

        Si paga online con pagoPA.
    """),
    "more_info": _md("""
        Per gli atti e gli estratti di stato civile (nascita, matrimonio, morte) rivolgiti all'ufficio di
        stato civile. Per la maggior parte degli usi è sufficiente l'autocertificazione.
    """),
    "form": form(
        page(
            "Certificato",
            *applicant(),
            select(
                "tipo_certificato",
                "Tipo di certificato",
                [
                    ("residenza", "Residenza"),
                    ("stato_famiglia", "Stato di famiglia"),
                    ("contestuale", "Residenza e stato di famiglia (contestuale)"),
                    ("cittadinanza", "Cittadinanza"),
                    ("esistenza_vita", "Esistenza in vita"),
                    ("stato_civile", "Stato civile"),
                ],
                required=True,
            ),
            radio(
                "bollo",
                "Uso",
                [("bollo", "In bollo"), ("esente", "Esente dall'imposta di bollo")],
                required=True,
                default="bollo",
            ),
            text_field(
                "norma_esenzione",
                "Norma che prevede l'esenzione",
                help="Solo per i certificati esenti, ad esempio «uso pensionistico, art. 9 tabella B, D.P.R. 642/1972».",
                max_length=200,
            ),
            number_field("copie", "Numero di copie", required=True, min=1, max=5, default=1),
            radio(
                "consegna",
                "Consegna",
                [("email", "PDF via e-mail"), ("sportello", "Ritiro allo sportello")],
                required=True,
                default="email",
            ),
            privacy(),
        )
    ),
}

PUBLIC_LAND = {
    "slug": "occupazione-suolo-pubblico",
    "name": "Concessione per l'occupazione temporanea di suolo pubblico",
    "category": Category.AUTHORISATIONS,
    "topics": ["Urbanizzazione", "Tempo libero"],
    "short_description": "Chiedi la concessione per occupare temporaneamente strade, piazze o marciapiedi per "
    "cantieri, traslochi, eventi o banchetti.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 30,
    "office": "polizia",
    "addressed_to": _md("""
        A cittadini, imprese, associazioni ed enti che devono occupare temporaneamente uno spazio pubblico o
        aperto al pubblico nel {comune}: imprese edili per ponteggi e cantieri, ditte di traslochi,
        organizzatori di manifestazioni, esercizi pubblici per i plateatici stagionali, associazioni e
        partiti per banchetti informativi.
    """),
    "description": _md("""
        La concessione autorizza l'occupazione di un'area pubblica (strade, piazze, marciapiedi, parcheggi,
        aree verdi) per un periodo determinato. È soggetta al canone unico patrimoniale previsto dalla
        L. 160/2019 e dal regolamento comunale.

        Se l'occupazione interessa la carreggiata o richiede divieti di sosta, la concessione è
        accompagnata da un'ordinanza di regolazione del traffico.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e indica luogo, date e superficie da occupare.
        2. Descrivi il motivo dell'occupazione e le strutture che verranno posizionate.
        3. Allega la planimetria dell'area e, per i cantieri, il titolo edilizio.
        4. Invia la domanda e paga l'imposta di bollo; dopo il rilascio paga il canone con pagoPA prima
           dell'inizio dell'occupazione.
    """),
    "needed": _md("""
        - planimetria o schizzo quotato dell'area da occupare;
        - per i cantieri: estremi del titolo edilizio e dati dell'impresa esecutrice;
        - per le manifestazioni: programma dell'evento;
        - l'imposta di bollo per la domanda e per la concessione, assolta online.
    """),
    "achieved": _md("""
        La concessione di occupazione del suolo pubblico, con l'area, il periodo e le prescrizioni, e
        l'eventuale ordinanza di modifica della viabilità.
    """),
    "timing": _md("""
        La domanda va presentata almeno **15 giorni** prima dell'inizio dell'occupazione (**30 giorni** per
        le manifestazioni o se serve un'ordinanza di modifica della viabilità). La concessione è rilasciata
        entro 30 giorni. Le domande di plateatico per la stagione estiva 2027 vanno presentate entro il 31
        marzo 2027.
    """),
    "deadlines": [(datetime.date(2027, 3, 31), "Termine per le domande di plateatico per l'estate 2027")],
    "cost": _md("""
        - imposta di bollo: 16,00 euro sulla domanda e 16,00 euro sulla concessione;
        - canone unico patrimoniale, in base a superficie, durata e zona: ad esempio, circa 1,00 euro al
          metro quadrato al giorno per un ponteggio in centro.

        Sono esenti dal canone le iniziative patrocinate dal Comune e i banchetti per la raccolta di firme
        fino a 10 metri quadrati.
    """),
    "more_info": _md("""
        Durante l'occupazione il titolare tiene la concessione a disposizione per i controlli, garantisce il
        passaggio dei pedoni e ripristina l'area al termine. Le occupazioni abusive sono sanzionate ai sensi
        dell'art. 20 del Codice della strada e del regolamento comunale.
    """),
    "form": form(
        page(
            "Richiedente",
            *applicant(phone_required=True),
            text_field("impresa", "Impresa o ente per cui presenti la domanda", max_length=200),
            text_field(
                "partita_iva",
                "Partita IVA",
                pattern="^[0-9]{11}$",
                pattern_message="La partita IVA è composta da 11 cifre.",
            ),
        ),
        page(
            "Occupazione",
            field("luogo", "address", "Luogo dell'occupazione", required=True),
            date_field("dal", "Dal giorno", required=True, min="2027-01-01"),
            date_field("al", "Al giorno", required=True, min="2027-01-01"),
            number_field("superficie_mq", "Superficie occupata (m²)", required=True, min=0.5, max=2000),
            select(
                "motivo",
                "Motivo",
                [
                    ("cantiere", "Cantiere edile o ponteggio"),
                    ("trasloco", "Trasloco"),
                    ("manifestazione", "Manifestazione o evento"),
                    ("plateatico", "Plateatico di un esercizio pubblico"),
                    ("banchetto", "Banchetto informativo o raccolta firme"),
                ],
                required=True,
            ),
            multiselect(
                "strutture",
                "Strutture e mezzi",
                [
                    ("ponteggio", "Ponteggio"),
                    ("autogru", "Autogru o piattaforma aerea"),
                    ("container", "Container o cassone"),
                    ("gazebo", "Gazebo"),
                    ("tavoli", "Tavoli e sedie"),
                ],
            ),
            field("divieto_sosta", "checkbox", "Serve un divieto di sosta o la chiusura della strada"),
            textarea_field("descrizione", "Descrizione dell'occupazione", max_length=2000),
            upload(
                "planimetria", "Planimetria dell'area", required=True, types=("pdf", "jpg", "png"), max_mb=10
            ),
            privacy(),
        ),
    ),
}

POLL_WORKERS = {
    "slug": "iscrizione-albo-scrutatori",
    "name": "Iscrizione all'albo degli scrutatori di seggio elettorale",
    "category": Category.REGISTRY,
    "topics": ["Elezioni", "Comunicazione politica"],
    "short_description": "Chiedi di essere inserito nell'albo delle persone idonee a svolgere la funzione di "
    "scrutatore nei seggi elettorali.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID1,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 90,
    "office": "demografici",
    "addressed_to": _md("""
        Agli elettori e alle elettrici iscritti nelle liste elettorali del {comune} che hanno assolto gli
        obblighi scolastici e non si trovano in una delle condizioni di incompatibilità previste dalla
        legge.
    """),
    "description": _md("""
        L'albo degli scrutatori raccoglie le persone idonee a svolgere la funzione di scrutatore nei seggi
        elettorali (L. 8 marzo 1989, n. 95). Per ogni consultazione la Commissione elettorale comunale nomina
        gli scrutatori tra gli iscritti all'albo.

        L'iscrizione resta valida finché non si chiede la cancellazione o non vengono meno i requisiti. Per
        l'attività al seggio è previsto il compenso stabilito dalla legge.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE tra il 1° ottobre e il 30 novembre.
        2. Indica titolo di studio e professione.
        3. Conferma di avere i requisiti e di non trovarti in condizioni di incompatibilità.
        4. Invia la domanda: l'esito ti sarà comunicato dopo l'aggiornamento dell'albo, a gennaio.
    """),
    "needed": _md("""
        - iscrizione nelle liste elettorali del Comune;
        - diploma di scuola secondaria di primo grado o titolo superiore.
    """),
    "achieved": _md("""
        L'iscrizione nell'albo degli scrutatori, con la possibilità di essere nominato scrutatore nelle
        consultazioni elettorali e referendarie.
    """),
    "timing": _md("""
        Le domande si presentano **dal 1° ottobre al 30 novembre** di ogni anno. La Commissione elettorale
        comunale aggiorna l'albo entro gennaio dell'anno successivo.
    """),
    "deadlines": [
        (datetime.date(2027, 10, 1), "Apertura delle domande di iscrizione all'albo"),
        (datetime.date(2027, 11, 30), "Termine per presentare la domanda"),
    ],
    "cost": "Il servizio è gratuito.",
    "more_info": _md("""
        Non possono svolgere la funzione di scrutatore, tra gli altri, i dipendenti dei Ministeri
        dell'Interno, delle Poste e dei Trasporti, gli appartenenti alle Forze armate in servizio, i
        segretari comunali e i dipendenti comunali addetti ai servizi elettorali, i candidati (art. 38 del
        D.P.R. 361/1957 e art. 23 del D.P.R. 570/1960). La cancellazione dall'albo si chiede entro il 31
        dicembre.
    """),
    "form": form(
        page(
            "Domanda",
            *applicant(),
            residence(),
            select(
                "titolo_studio",
                "Titolo di studio",
                [
                    ("licenza_media", "Licenza di scuola secondaria di primo grado"),
                    ("qualifica", "Qualifica professionale"),
                    ("diploma", "Diploma di scuola secondaria di secondo grado"),
                    ("laurea", "Laurea o titolo superiore"),
                ],
                required=True,
            ),
            text_field("professione", "Professione", max_length=100),
            declaration(
                "requisiti",
                "Dichiaro di essere iscritto nelle liste elettorali del Comune e di non trovarmi in alcuna "
                "delle condizioni di incompatibilità previste dall'art. 38 del D.P.R. 361/1957 e dall'art. "
                "23 del D.P.R. 570/1960.",
            ),
            privacy(),
        )
    ),
}

DRIVEWAY = {
    "slug": "passo-carrabile",
    "name": "Autorizzazione per passo carrabile",
    "category": Category.MOBILITY,
    "topics": ["Urbanizzazione", "Parcheggi"],
    "short_description": "Richiedi l'autorizzazione e il cartello per l'accesso dei veicoli da un'area "
    "privata a una strada comunale.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 60,
    "office": "tecnico",
    "addressed_to": _md("""
        Ai proprietari, agli amministratori di condominio e ai titolari di diritti reali su immobili con un
        accesso carrabile su una strada del {comune}, che vogliono il divieto di sosta davanti all'accesso.
    """),
    "description": _md("""
        Il passo carrabile è l'accesso da un'area privata, adatta alla sosta o alla circolazione dei
        veicoli, a una strada pubblica. L'autorizzazione (art. 22 del Codice della strada e art. 46 del
        relativo regolamento) permette di esporre il cartello che vieta la sosta davanti all'accesso.

        Con lo stesso servizio si chiede la modifica o la regolarizzazione di un accesso esistente.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e indica a che titolo presenti la domanda.
        2. Indica ubicazione e dati catastali dell'immobile e larghezza dell'accesso.
        3. Allega la planimetria e le fotografie dell'accesso.
        4. Invia la domanda: l'ufficio effettua un sopralluogo e rilascia l'autorizzazione con il cartello
           numerato.
    """),
    "needed": _md("""
        - planimetria in scala con l'accesso e la sua larghezza;
        - almeno due fotografie dell'accesso dalla strada;
        - dati catastali dell'immobile;
        - per i condomini: verbale dell'assemblea che autorizza l'amministratore.
    """),
    "achieved": _md("""
        L'autorizzazione al passo carrabile e il cartello segnaletico numerato, da esporre in modo visibile
        sull'accesso.
    """),
    "timing": "L'autorizzazione è rilasciata entro **60 giorni** dalla domanda completa, sopralluogo compreso.",
    "cost": _md("""
        - imposta di bollo: 16,00 euro sulla domanda e 16,00 euro sull'autorizzazione;
        - cartello segnaletico: 25,00 euro;
        - canone annuo per l'occupazione del suolo pubblico, se dovuto, in base alla larghezza
          dell'accesso.
    """),
    "more_info": _md("""
        Il cartello va restituito quando l'accesso viene chiuso o cambia destinazione. Esporre un cartello
        non autorizzato è sanzionato dal Codice della strada.
    """),
    "form": form(
        page(
            "Richiedente",
            *applicant(),
            radio(
                "titolo",
                "Presenti la domanda come",
                [
                    ("proprietario", "Proprietario"),
                    ("amministratore", "Amministratore di condominio"),
                    ("altro_diritto", "Titolare di altro diritto reale"),
                ],
                required=True,
            ),
        ),
        page(
            "Accesso",
            field("ubicazione", "address", "Ubicazione dell'accesso", required=True),
            text_field("dati_catastali", "Dati catastali dell'immobile", required=True, max_length=100),
            number_field("larghezza", "Larghezza dell'accesso (metri)", required=True, min=2.5, max=15),
            radio(
                "tipo",
                "Richiesta",
                [
                    ("nuovo", "Nuovo accesso"),
                    ("esistente", "Regolarizzazione di un accesso esistente"),
                    ("modifica", "Modifica di un accesso autorizzato"),
                ],
                required=True,
            ),
            upload("planimetria", "Planimetria", required=True, types=("pdf",), max_mb=10),
            upload(
                "fotografie",
                "Fotografie dell'accesso",
                required=True,
                types=("jpg", "jpeg", "png", "pdf"),
                max_mb=10,
            ),
            privacy(),
        ),
    ),
}

WEDDING = {
    "slug": "pubblicazioni-matrimonio",
    "name": "Prenotazione appuntamento per le pubblicazioni di matrimonio",
    "category": Category.REGISTRY,
    "topics": ["Matrimonio", "Anagrafe"],
    "short_description": "Prenota l'appuntamento all'ufficio di stato civile per chiedere le pubblicazioni di "
    "matrimonio, civile o religioso.",
    "kind": Kind.APPOINTMENT,
    "access_level": AccessLevel.SPID2,
    "status": Status.PUBLISHED,
    "featured": False,
    "max_response_days": 30,
    "office": "demografici",
    "addressed_to": _md("""
        Alle coppie che intendono sposarsi con rito civile o con rito religioso con effetti civili, quando
        almeno uno dei futuri sposi è residente nel {comune}.
    """),
    "description": _md("""
        Le pubblicazioni di matrimonio rendono nota la volontà di sposarsi, perché chiunque ne abbia motivo
        possa segnalare eventuali impedimenti. Sono affisse all'albo pretorio online dei Comuni di residenza
        degli sposi per almeno 8 giorni consecutivi.

        All'appuntamento l'ufficiale di stato civile raccoglie la richiesta e le dichiarazioni dei futuri
        sposi e acquisisce d'ufficio i documenti necessari.
    """),
    "how_to": _md("""
        1. Accedi con SPID o CIE e scegli giorno e orario dell'appuntamento.
        2. Indica il rito, la data prevista del matrimonio e i dati dell'altro futuro sposo.
        3. Presentati all'appuntamento **insieme** all'altro futuro sposo, con i documenti indicati.
        4. Terminata la pubblicazione, l'ufficio rilascia il certificato di eseguite pubblicazioni o procede
           con la celebrazione.
    """),
    "needed": _md("""
        - documento d'identità valido di entrambi i futuri sposi;
        - per il rito religioso: la richiesta di pubblicazione del parroco o del ministro di culto;
        - per i cittadini stranieri: nulla osta al matrimonio dell'autorità del proprio Paese, legalizzato e
          tradotto;
        - le marche da bollo indicate in «Quanto costa».
    """),
    "achieved": _md("""
        La pubblicazione del matrimonio all'albo pretorio online e, trascorsi i termini, il certificato di
        eseguite pubblicazioni, valido 180 giorni.
    """),
    "timing": _md("""
        Le pubblicazioni restano affisse per **8 giorni consecutivi**; il matrimonio si può celebrare dal
        4° giorno successivo alla fine della pubblicazione ed entro **180 giorni**. Prenota l'appuntamento
        almeno 2 mesi prima della data prevista per le nozze.
    """),
    "cost": _md("""
        - una marca da bollo da 16,00 euro se entrambi gli sposi sono residenti nel Comune;
        - due marche da bollo da 16,00 euro se uno degli sposi risiede in un altro Comune.

        La celebrazione del matrimonio civile in sale diverse da quella ordinaria può essere soggetta a
        tariffa.
    """),
    "more_info": _md("""
        Per la celebrazione del matrimonio civile e la scelta della sala contatta l'ufficio di stato
        civile. Il matrimonio può essere celebrato anche da un cittadino delegato dal Sindaco.
    """),
    "form": form(
        page(
            "Dettagli dell'appuntamento",
            radio(
                "rito",
                "Rito",
                [
                    ("civile", "Civile"),
                    ("concordatario", "Religioso cattolico (concordatario)"),
                    ("altro_culto", "Religioso di altro culto ammesso"),
                ],
                required=True,
            ),
            date_field(
                "data_matrimonio",
                "Data prevista del matrimonio",
                required=True,
                min="2027-01-01",
                max="2028-12-31",
            ),
            select(
                "residenza_sposi",
                "Residenza dei futuri sposi",
                [("entrambi", "Entrambi residenti nel Comune"), ("uno", "Uno solo residente nel Comune")],
                required=True,
            ),
            static(
                "cosa_portare",
                "Presentatevi insieme all'appuntamento con un documento d'identità valido ciascuno. Per il "
                "rito religioso portate la richiesta del parroco o del ministro di culto.",
            ),
        ),
        page(
            "Futuri sposi",
            *applicant(phone_required=True),
            *person("sposo2", "dell'altro futuro sposo"),
            field("sposo2_email", "email", "E-mail dell'altro futuro sposo"),
            privacy(),
        ),
    ),
}

EBIKE_BONUS = {
    "slug": "bonus-bici-elettrica",
    "name": "Richiesta del bonus per l'acquisto di una bicicletta a pedalata assistita",
    "category": Category.ENVIRONMENT,
    "topics": ["Mobilità sostenibile", "Sviluppo sostenibile"],
    "short_description": "Chiedi il contributo comunale fino a 300 euro per l'acquisto di una bicicletta a "
    "pedalata assistita nuova.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.PRIVATE,
    "featured": False,
    "max_response_days": 60,
    "office": "tecnico",
    "addressed_to": "Ai maggiorenni residenti nel {comune} che acquistano una bicicletta a pedalata assistita nuova da un rivenditore.",
    "description": _md("""
        Per favorire la mobilità sostenibile il Comune concede un contributo pari al 30% del prezzo
        d'acquisto, fino a **300 euro**, per una bicicletta a pedalata assistita nuova, conforme alla norma
        EN 15194. È ammesso un contributo per persona.
    """),
    "how_to": _md("""
        1. Acquista la bicicletta presso un rivenditore e conserva la fattura intestata a te.
        2. Accedi con SPID o CIE, compila la domanda e allega la fattura.
        3. Indica l'IBAN per l'accredito e invia la domanda.
    """),
    "needed": "- fattura o scontrino parlante intestato al richiedente;\n- IBAN di un conto intestato al richiedente.",
    "achieved": "L'accredito del contributo sul conto indicato, entro 60 giorni dall'accoglimento della domanda.",
    "timing": "Le domande si presentano entro 90 giorni dall'acquisto e comunque entro il 31 dicembre 2027, fino a esaurimento dei fondi.",
    "deadlines": [(datetime.date(2027, 12, 31), "Termine per presentare la domanda")],
    "cost": "Il servizio è gratuito.",
    "more_info": "Il servizio è in fase di sperimentazione e sarà annunciato a breve.",
    "form": form(
        page(
            "Domanda",
            *applicant(),
            residence(),
            select(
                "tipo_bici",
                "Tipo di bicicletta",
                [
                    ("city", "Da città o trekking"),
                    ("cargo", "Cargo bike"),
                    ("mtb", "Mountain bike a pedalata assistita"),
                ],
                required=True,
            ),
            number_field("prezzo", "Prezzo pagato (euro)", required=True, min=300, max=15000),
            date_field(
                "data_acquisto", "Data di acquisto", required=True, min="2027-01-01", max="2027-12-31"
            ),
            text_field("rivenditore", "Rivenditore", required=True, max_length=200),
            upload("fattura", "Fattura o scontrino parlante", required=True, max_mb=5),
            field("iban", "iban", "IBAN per l'accredito", required=True),
            truthful(),
            privacy(),
        )
    ),
}

SUMMER_CAMPS = {
    "slug": "centri-estivi-2027",
    "name": "Iscrizione ai centri estivi 2027",
    "category": Category.EDUCATION,
    "topics": ["Tempo libero", "Istruzione"],
    "short_description": "Iscrivi bambini e ragazzi dai 3 ai 14 anni alle attività estive del Comune "
    "scegliendo le settimane di frequenza.",
    "kind": Kind.APPLICATION,
    "access_level": AccessLevel.SPID2,
    "status": Status.DRAFT,
    "featured": False,
    "max_response_days": 20,
    "office": "istruzione",
    "addressed_to": "Alle famiglie con figli dai 3 ai 14 anni residenti nel {comune} o che frequentano le sue scuole.",
    "description": _md("""
        I centri estivi propongono, dal 28 giugno al 27 agosto 2027, attività ludiche, sportive e
        laboratori all'aperto, dal lunedì al venerdì, con pranzo incluso. Si frequenta a settimane.
    """),
    "how_to": "Scegli le settimane e l'orario, indica eventuali allergie e invia la domanda; la retta si paga con pagoPA.",
    "needed": "- codice fiscale del bambino o della ragazza;\n- eventuale certificato per diete o terapie.",
    "achieved": "L'iscrizione alle settimane scelte, confermata via e-mail.",
    "timing": "Iscrizioni dal 3 al 21 maggio 2027.",
    "deadlines": [
        (datetime.date(2027, 5, 3), "Apertura delle iscrizioni"),
        (datetime.date(2027, 5, 21), "Chiusura delle iscrizioni"),
        (datetime.date(2027, 6, 28), "Inizio delle attività"),
    ],
    "cost": "70 euro a settimana a tempo pieno, 45 euro a tempo parziale; riduzioni in base all'ICEF.",
    "more_info": "Servizio in preparazione: le informazioni potranno cambiare.",
    "form": form(
        page("Genitore", *applicant(phone_required=True)),
        page(
            "Partecipante",
            *person("minore", "del partecipante"),
            date_field(
                "minore_nascita", "Data di nascita", required=True, min="2013-01-01", max="2024-06-30"
            ),
            multiselect(
                "settimane",
                "Settimane",
                [
                    ("s1", "28 giugno – 2 luglio"),
                    ("s2", "5 – 9 luglio"),
                    ("s3", "12 – 16 luglio"),
                    ("s4", "19 – 23 luglio"),
                    ("s5", "26 – 30 luglio"),
                    ("s6", "23 – 27 agosto"),
                ],
                required=True,
            ),
            radio(
                "orario",
                "Orario",
                [("pieno", "Tempo pieno (8.00–16.30)"), ("parziale", "Mattina con pranzo (8.00–14.00)")],
                required=True,
            ),
            textarea_field("allergie", "Allergie, intolleranze o altre informazioni utili", max_length=1000),
            privacy(),
        ),
    ),
}

DEMO_SERVICES = [
    CIE,
    ROOMS,
    NURSERY,
    ALLOWANCE,
    CANTEEN,
    WASTE_TAX,
    PARKING,
    RECORDS_ACCESS,
    REPORT,
    RESIDENCE,
    CERTIFICATE,
    PUBLIC_LAND,
    POLL_WORKERS,
    DRIVEWAY,
    WEDDING,
    EBIKE_BONUS,
    SUMMER_CAMPS,
]


# --- The offices of each demo town -------------------------------------------------------------------------


def _office(name: str, address: str, phone: str, email: str, hours: str) -> dict:
    return dict(zip(OFFICE_KEYS, (name, address, phone, email, hours), strict=True))


_MORI = "Via Scuole 2, 38065 Mori (TN)"
_MORI_HOURS = "Lunedì, mercoledì e venerdì: 8.30–12.30\nMartedì e giovedì: 8.30–12.30 e 14.00–16.30"
_TRENTO = "Via Belenzani 19, 38122 Trento (TN)"
_TRENTO_HOURS = "Da lunedì a venerdì: 8.30–12.30\nGiovedì anche 14.30–16.00"

OFFICES = {
    "mori": {
        "demografici": _office(
            "Servizi demografici (anagrafe, stato civile, elettorale)",
            _MORI,
            "0464 916210",
            "anagrafe@comune.mori.tn.it",
            "Da lunedì a venerdì: 8.30–12.30\nMartedì anche 14.00–17.00",
        ),
        "tributi": _office("Ufficio Tributi", _MORI, "0464 916230", "tributi@comune.mori.tn.it", _MORI_HOURS),
        "segreteria": _office(
            "Ufficio Segreteria e affari generali",
            _MORI,
            "0464 916220",
            "segreteria@comune.mori.tn.it",
            _MORI_HOURS,
        ),
        "istruzione": _office(
            "Ufficio Istruzione e attività sociali",
            _MORI,
            "0464 916240",
            "istruzione@comune.mori.tn.it",
            _MORI_HOURS,
        ),
        "sociale": _office(
            "Ufficio Istruzione e attività sociali",
            _MORI,
            "0464 916240",
            "istruzione@comune.mori.tn.it",
            _MORI_HOURS,
        ),
        "tecnico": _office(
            "Ufficio Tecnico – Lavori pubblici e patrimonio",
            _MORI,
            "0464 916250",
            "ufficiotecnico@comune.mori.tn.it",
            _MORI_HOURS,
        ),
        "polizia": _office(
            "Polizia locale",
            _MORI,
            "0464 916270",
            "polizialocale@comune.mori.tn.it",
            "Da lunedì a sabato: 8.00–10.00",
        ),
    },
    "trento": {
        "demografici": _office(
            "Servizi demografici",
            "Via Maccani 148, 38121 Trento (TN)",
            "0461 884800",
            "servizidemografici@comune.trento.it",
            "Da lunedì a venerdì: 8.00–15.00\nGiovedì fino alle 17.00",
        ),
        "tributi": _office(
            "Servizio Entrate – Ufficio Tributi",
            _TRENTO,
            "0461 884700",
            "tributi@comune.trento.it",
            _TRENTO_HOURS,
        ),
        "segreteria": _office(
            "Ufficio Affari generali – Gestione sale",
            _TRENTO,
            "0461 884211",
            "sale@comune.trento.it",
            _TRENTO_HOURS,
        ),
        "istruzione": _office(
            "Servizio Istruzione e politiche giovanili",
            _TRENTO,
            "0461 884400",
            "istruzione@comune.trento.it",
            _TRENTO_HOURS,
        ),
        "sociale": _office(
            "Servizio Welfare e coesione sociale",
            _TRENTO,
            "0461 884480",
            "welfare@comune.trento.it",
            _TRENTO_HOURS,
        ),
        "tecnico": _office(
            "Servizio Gestione strade e parchi",
            _TRENTO,
            "0461 884500",
            "manutenzioni@comune.trento.it",
            _TRENTO_HOURS,
        ),
        "polizia": _office(
            "Polizia locale – Ufficio permessi",
            _TRENTO,
            "0461 889111",
            "polizialocale@comune.trento.it",
            _TRENTO_HOURS,
        ),
    },
}


def _offices(municipality, town: str) -> dict[str, dict]:
    """The town's offices; a town without its own list gets the municipality's general contacts."""
    if town in OFFICES:
        return OFFICES[town]
    general = _office(
        "Ufficio relazioni con il pubblico",
        municipality.address,
        municipality.phone,
        municipality.email,
        "Da lunedì a venerdì: 8.30–12.30",
    )
    return {key: general for key in OFFICES["mori"]}


# --- Loading ------------------------------------------------------------------------------------------------


def _resolve(spec: dict, municipality, offices: dict) -> tuple[dict, dict, list, dict]:
    """The general fields, card fields, deadlines and definition of ``spec`` for ``municipality``."""

    def fill(value):
        return str(value).replace("{comune}", municipality.name) if isinstance(value, str) else value

    general = {key: fill(value) for key, value in spec.items() if key in GENERAL_FIELDS}
    card = {key: fill(spec[key]) for key in CARD_KEYS} | offices[spec["office"]]
    deadlines = sorted(spec.get("deadlines", []))
    definition = json.loads(json.dumps(spec["form"]))  # as the database gives it back
    return general, card, deadlines, definition


@transaction.atomic
def load_demo_services(municipality, *, town: str) -> list[str]:
    """Create or update the demo services of ``municipality``; return lines describing what changed."""
    offices = _offices(municipality, town)
    operators = [
        membership.user
        for membership in Membership.objects.for_municipality(municipality)
        .active()
        .filter(role=Role.OPERATOR)
        .select_related("user")
        .order_by("user_id")
    ]
    operator_ids = {user.pk for user in operators}
    created = updated = versions = 0
    for spec in DEMO_SERVICES:
        general, card, deadlines, definition = _resolve(spec, municipality, offices)
        service = Service.objects.filter(municipality=municipality, slug=spec["slug"]).first()
        if service is None:
            service = service_create(municipality=municipality, operators=operators, **general, **card)
            service_update_card(service=service, deadlines=deadlines)
            created += 1
        else:
            changed_general = {k: v for k, v in general.items() if getattr(service, k) != v}
            operators_changed = set(service.operators.values_list("pk", flat=True)) != operator_ids
            if changed_general or operators_changed:
                service = service_update_general(
                    service=service, operators=operators, confirm_name_change=True, **changed_general
                )
            changed_card = {k: v for k, v in card.items() if getattr(service, k) != v}
            deadlines_changed = [(d.date, d.label) for d in service.deadlines.all()] != deadlines
            if changed_card or deadlines_changed:
                service_update_card(service=service, deadlines=deadlines, **changed_card)
            updated += bool(changed_general or operators_changed or changed_card or deadlines_changed)
        if service.form_version is None or service.form_version.definition != definition:
            service_form_save(service=service, definition=definition, note=FORM_NOTE)
            versions += 1
        translations = demo_translations(spec["slug"], municipality.name)
        if (service.translations or {}) != translations:
            service_update_translations(service=service, translations=translations)

    statuses = [spec["status"] for spec in DEMO_SERVICES]
    featured = sum(spec["featured"] for spec in DEMO_SERVICES)
    return [
        f"{municipality.name}: {statuses.count(Status.PUBLISHED)} published services "
        f"({featured} featured), {statuses.count(Status.PRIVATE)} private, {statuses.count(Status.DRAFT)} draft",
        f"{municipality.name}: {created} services created, {updated} updated, "
        f"{len(DEMO_SERVICES) - created - updated} unchanged; {versions} new form versions; "
        f"{len(operators)} operators enabled on each service",
    ]
