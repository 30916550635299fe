from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sportello.accounts.models import Role
from sportello.accounts.services import staff_create
from sportello.municipalities.services import municipality_create


class Command(BaseCommand):
    help = "Create a municipality and its first administrator (who receives a temporary password by e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='e.g. "Comune di Mori"')
        parser.add_argument("--slug", required=True, help="e.g. comune-di-mori")
        parser.add_argument("--fiscal-code", required=True, help="11 digits")
        parser.add_argument("--ipa-code", required=True, help="e.g. c_f728")
        parser.add_argument("--email", required=True)
        parser.add_argument("--pec", default="")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                municipality = municipality_create(
                    name=options["name"],
                    slug=options["slug"],
                    fiscal_code=options["fiscal_code"],
                    ipa_code=options["ipa_code"],
                    email=options["email"],
                    pec=options["pec"],
                )
                staff_create(
                    municipality=municipality,
                    username=options["admin_username"],
                    email=options["admin_email"],
                    first_name=options["admin_first_name"],
                    last_name=options["admin_last_name"],
                    role=Role.ADMIN,
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {municipality.name} (/{municipality.slug}/it/); the temporary password of "
                f"{options['admin_username']} is e-mailed to {options['admin_email']} by the task worker."
            )
        )
