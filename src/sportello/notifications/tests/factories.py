import factory

from sportello.catalog.tests.factories import ServiceFactory
from sportello.notifications.models import IOBinding


class IOBindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IOBinding

    service = factory.SubFactory(
        ServiceFactory, io_service_id=factory.Sequence(lambda n: f"01IOSERVICE{n:04d}")
    )
    provider = "io_sandbox"
    api_key = "chiave-segreta-di-prova"
