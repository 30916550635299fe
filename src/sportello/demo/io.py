"""Demo: the CIE, parking permit and rooms services of each municipality bound to the IO sandbox ("App IO (demo)")."""

from sportello.catalog.models import Service
from sportello.notifications.models import IOProvider
from sportello.notifications.services import io_binding_get, io_binding_save

IO_SERVICES = ("carta-identita-elettronica", "permesso-sosta-residenti", "prenotazione-spazi-comunali")
DEMO_KEY = "demo-io-sandbox-key"  # the sandbox wants a key like IO does; it is no secret


def load_demo_io(municipality) -> list[str]:
    bound = 0
    for slug in IO_SERVICES:
        service = Service.objects.for_municipality(municipality).filter(slug=slug).first()
        if service is None or io_binding_get(service) is not None:
            continue
        io_binding_save(
            service=service,
            actor=None,
            io_service_id=f"01DEMO{municipality.pk:04d}{IO_SERVICES.index(slug)}",
            provider=IOProvider.SANDBOX,
            api_key=DEMO_KEY,
            manage_key=DEMO_KEY,
            enabled=True,
        )
        bound += 1
    return [f"{municipality.name}: {bound} services bound to the IO sandbox ({', '.join(IO_SERVICES)})"]
