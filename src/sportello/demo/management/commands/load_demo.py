from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sportello.accounts.models import Membership, User
from sportello.accounts.passwords import temporary_password_generate
from sportello.demo import data
from sportello.demo.applications import load_demo_applications
from sportello.demo.calendars import load_demo_calendars
from sportello.demo.catalog import load_demo_services
from sportello.demo.io import load_demo_io
from sportello.demo.logos import shield_png
from sportello.demo.payments import load_demo_payments
from sportello.demo.rooms import load_demo_rooms
from sportello.demo.subscriptions import load_demo_subscriptions
from sportello.municipalities.models import FaqEntry, Municipality


class Command(BaseCommand):
    help = "Load the demo municipalities and accounts (idempotent: running it again changes nothing twice)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo data is never loaded in production.")
        with transaction.atomic():
            lines, services = [], []
            for spec in data.MUNICIPALITIES:
                municipality = self._municipality(spec)
                lines += self._staff(municipality, spec["town"])
                services.append(load_demo_services(municipality, town=spec["town"]))
                services.append(load_demo_io(municipality))
                services.append(load_demo_applications(municipality))
                services.append(load_demo_calendars(municipality, town=spec["town"]))
                services.append(load_demo_payments(municipality))
                services.append(load_demo_subscriptions(municipality))
                services.append(load_demo_rooms(municipality, town=spec["town"]))
            self._superuser()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for service_lines in services:
            for line in service_lines:
                self.stdout.write("  " + line)
        self.stdout.write(f"Demo accounts (password {data.DEMO_PASSWORD} unless shown):")
        for line in lines:
            self.stdout.write("  " + line)
        self.stdout.write(f"  {data.SUPERUSER[0]:<18} platform superuser -> /piattaforma/admin/")

    def _municipality(self, spec: dict) -> Municipality:
        fields = {k: v for k, v in spec.items() if k not in {"slug", "town", "colors"}}
        # "Segnala disservizio" in the footer: the municipality's own anonymous service of the demo catalogue.
        fields["report_url"] = f"{settings.SITE_URL}/{spec['slug']}/it/servizi/segnalazione-disservizio/"
        municipality, created = Municipality.objects.update_or_create(slug=spec["slug"], defaults=fields)
        municipality.full_clean()
        for position, (question, answer) in enumerate(data.FAQ, start=1):
            FaqEntry.objects.update_or_create(
                municipality=municipality,
                question=question,
                defaults={"answer": answer.format(comune=municipality.name), "position": position},
            )
        if not municipality.logo:
            png = shield_png(spec["town"][0].upper(), *spec["colors"])
            municipality.logo.save("logo.png", ContentFile(png), save=True)
        return municipality

    def _staff(self, municipality: Municipality, town: str) -> list[str]:
        lines = []
        for pattern, first_name, last_name, role, definitive in data.STAFF:
            username = pattern.format(town=town)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@demo.sportello.localhost",
                },
            )
            Membership.objects.update_or_create(
                user=user, municipality=municipality, defaults={"role": role, "is_active": True}
            )
            url = f"/{municipality.slug}/it/operatori/login"
            if definitive:
                user.set_password(data.DEMO_PASSWORD)
                user.must_change_password = False
                user.is_active = True
                user.save()
                lines.append(f"{username:<18} {role:<9} {url}")
            elif created or user.must_change_password:
                password = temporary_password_generate()
                user.set_password(password)
                user.must_change_password = True
                user.save()
                lines.append(f"{username:<18} {role:<9} {url}  temporary password: {password}")
            else:
                lines.append(f"{username:<18} {role:<9} {url}  (first access already done)")
        return lines

    def _superuser(self) -> None:
        username, first_name, last_name = data.SUPERUSER
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": "piattaforma@demo.sportello.localhost",
            },
        )
        user.is_staff = user.is_superuser = True
        user.must_change_password = False
        user.set_password(data.DEMO_PASSWORD)
        user.save()
