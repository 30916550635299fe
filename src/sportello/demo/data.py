"""The demo installation: two municipalities of Trentino with their staff."""

DEMO_PASSWORD = "Sportello-Demo-2026"

MUNICIPALITIES = [
    {
        "slug": "comune-di-mori",
        "town": "mori",
        "name": "Comune di Mori",
        "fiscal_code": "00125390229",
        "ipa_code": "c_f728",
        "email": "info@comune.mori.tn.it",
        "pec": "comune@pec.comune.mori.tn.it",
        "address": "Via Scuole 2, 38065 Mori (TN)",
        "phone": "0464 916200",
        "site_url": "https://www.comune.mori.tn.it/",
        "colors": ("#b71c1c", "#ffffff"),
    },
    {
        "slug": "comune-di-trento",
        "town": "trento",
        "name": "Comune di Trento",
        "fiscal_code": "00355870221",
        "ipa_code": "c_l378",
        "email": "info@comune.trento.it",
        "pec": "protocollo@pec.comune.trento.it",
        "address": "Via Belenzani 19, 38122 Trento (TN)",
        "phone": "0461 884111",
        "site_url": "https://www.comune.trento.it/",
        "colors": ("#c62828", "#f5f5f5"),
    },
]

# (username pattern, first name, last name, role, has a definitive password)
STAFF = [
    ("admin-{town}", "Anna", "Amministratrice", "admin", True),
    ("operatore-{town}", "Paolo", "Operatore", "operator", True),
    ("nuovo-{town}", "Giulia", "Nuova", "operator", False),
]

SUPERUSER = ("piattaforma", "Staff", "Piattaforma")

# The FAQ page of each demo municipality ({comune} is the municipality's name).
FAQ = [
    (
        "Come accedo ai servizi online?",
        "Con SPID (livello 1 o 2, secondo il servizio) oppure con la Carta d'identità elettronica (CIE). "
        "Alcuni servizi, come la segnalazione di un disservizio, non richiedono l'accesso.",
    ),
    (
        "Come seguo una domanda che ho inviato?",
        "Nell'**area personale**, alla voce «Le mie pratiche»: trovi lo stato, la ricevuta, i documenti e i "
        "messaggi scambiati con l'ufficio.",
    ),
    (
        "Quanto costa la carta d'identità elettronica?",
        "22,21 euro (27,37 euro per un duplicato in caso di smarrimento, furto o deterioramento). "
        "Si paga con pagoPA al momento della prenotazione dell'appuntamento.",
    ),
    (
        "Posso annullare o spostare un appuntamento?",
        "Sì, dal collegamento nell'e-mail di conferma o dall'area personale, fino al termine indicato nella "
        "conferma. Così il posto torna libero per altri cittadini.",
    ),
    (
        "A chi scrivo se qualcosa non funziona?",
        "Usa «Segnala disservizio» in fondo a ogni pagina, oppure scrivi all'indirizzo e-mail di {comune} "
        "indicato nei contatti.",
    ),
]
