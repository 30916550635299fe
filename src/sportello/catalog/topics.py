"""The controlled vocabulary of topics ("argomenti") of the Designers Italia municipal site model (pure).

AgID's validator (criterion C.SI.1.5) accepts on the topics page only these terms (or EuroVoc ones); services are
tagged with them so that the topics page, the service pages and the municipality's institutional site agree.
"""

from django.utils.text import slugify

TOPICS = (
    "Accesso all'informazione",
    "Acqua",
    "Agricoltura",
    "Anagrafe",
    "Animale domestico",
    "Aria",
    "Assistenza agli invalidi",
    "Assistenza sociale",
    "Associazioni",
    "Bilancio",
    "Commercio al minuto",
    "Commercio all'ingrosso",
    "Commercio ambulante",
    "Comunicazione istituzionale",
    "Comunicazione politica",
    "Concorsi",
    "Covid-19",
    "Elezioni",
    "Energie rinnovabili",
    "Estero",
    "Foreste",
    "Formazione professionale",
    "Gemellaggi",
    "Gestione rifiuti",
    "Giustizia",
    "Igiene pubblica",
    "Immigrazione",
    "Imposte",
    "Imprese",
    "Inquinamento",
    "Integrazione sociale",
    "Isolamento termico",
    "Istruzione",
    "Lavoro",
    "Matrimonio",
    "Mercato",
    "Mobilità sostenibile",
    "Morte",
    "Nascita",
    "Parcheggi",
    "Patrimonio culturale",
    "Pesca",
    "Piano di sviluppo",
    "Pista ciclabile",
    "PNRR",
    "Politica commerciale",
    "Polizia",
    "Prodotti alimentari",
    "Protezione civile",
    "Residenza",
    "Risposta alle emergenze",
    "Sistema giuridico",
    "Spazio Verde",
    "Sport",
    "Sviluppo sostenibile",
    "Tassa sui servizi",
    "Tempo libero",
    "Trasparenza amministrativa",
    "Trasporto pubblico",
    "Turismo",
    "Urbanizzazione",
    "Viaggi",
    "Zone pedonali",
    "ZTL",
)

_BY_LOWER = {topic.lower(): topic for topic in TOPICS}
_BY_SLUG = {slugify(topic): topic for topic in TOPICS}


def canonical_topic(name: str) -> str | None:
    """The vocabulary's spelling of ``name`` (any case, extra spaces), or None when it is not a topic."""
    return _BY_LOWER.get(" ".join(name.split()).lower())


def topic_slug(topic: str) -> str:
    return slugify(topic)


def topic_from_slug(slug: str) -> str | None:
    return _BY_SLUG.get(slug)
