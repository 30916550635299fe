"""Run the local stand-in for P.I.Tre. (sandbox provider ``pitre_sandbox``; refused unless it is enabled in
``SANDBOX_PROVIDERS``, hence always in production). ``--configure <slug>`` points that municipality at it."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone

from sportello.applications.models import Application
from sportello.applications.protocol.pitre_sandbox import FakePitre


class Command(BaseCommand):
    help = "Run a local fake P.I.Tre. (REST PIS) for the demo."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8500)
        parser.add_argument("--code-adm", default="")
        parser.add_argument("--register", default="RP")
        parser.add_argument("--configure", metavar="SLUG", help="switch this municipality to the sandbox")

    def handle(self, *args, **options):
        if "pitre_sandbox" not in settings.SANDBOX_PROVIDERS:
            raise CommandError("The pitre_sandbox provider is not enabled (SANDBOX_PROVIDERS).")
        fake = FakePitre(code_adm=options["code_adm"], registers=[options["register"]])
        # Numbers continue after the ones already given by an earlier run, as the real register's would.
        year = timezone.localdate().year
        last = Application.objects.filter(
            protocol_register=options["register"], protocol_year=year
        ).aggregate(last=Max("protocol_number"))["last"]
        fake.continue_from(year, last or 0)
        url = fake.start(host=options["host"], port=options["port"])
        if options["configure"]:
            self._configure(options["configure"], url, options["register"])
        self.stdout.write(
            f"Fake P.I.Tre. at {url} (router /RouteRestRequest and per-method paths). Ctrl-C stops."
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            fake.stop()

    def _configure(self, slug, url, register):
        from sportello.applications.models import ProtocolSettings
        from sportello.municipalities.models import Municipality

        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"No municipality {slug!r}")
        ProtocolSettings.objects.update_or_create(
            municipality=municipality,
            defaults={
                "provider": ProtocolSettings.Provider.PITRE,
                "base_url": url,
                "routing": ProtocolSettings.Routing.ROUTER,
                "code_adm": municipality.ipa_code,
                "code_application": "SPORTELLO",
                "username": "sportello",
                "code_register": register,
            },
        )
        self.stdout.write(f"{municipality.name} now registers in the fake P.I.Tre.")
