import factory

from sportello.catalog.constants import AccessLevel, Category, Kind, Status
from sportello.catalog.models import Service
from sportello.municipalities.tests.factories import MunicipalityFactory

SIMPLE_DEFINITION = {
    "pages": [
        {
            "fields": [
                {
                    "key": "nome",
                    "type": "text",
                    "label": {"it": "Nome", "en": "Name"},
                    "required": True,
                    "prefill": "name",
                },
                {"key": "note", "type": "textarea", "label": {"it": "Note"}},
            ]
        }
    ]
}


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Servizio di prova {n}")
    slug = factory.Sequence(lambda n: f"servizio-{n}")
    category = Category.REGISTRY
    short_description = "Una breve descrizione del servizio."
    kind = Kind.APPLICATION
    access_level = AccessLevel.ANONYMOUS
    status = Status.PUBLISHED
    addressed_to = "Ai cittadini residenti."
    description = "Descrizione **estesa**."
    how_to = "Compila il modulo online."
    needed = "- Documento d'identità"
    achieved = "La ricevuta della domanda."
    timing = "30 giorni."
    cost = "Gratuito."
    more_info = "Nessuna."
    office_name = "Ufficio anagrafe"
    office_email = "anagrafe@example.org"
