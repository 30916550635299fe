from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sportello.accounts.models import Role
from sportello.accounts.services import staff_create
from sportello.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Create a staff account of a municipality; a temporary password is e-mailed by the task worker."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the municipality's slug")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", choices=Role.values, default=Role.OPERATOR)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="it")

    def handle(self, *args, **options):
        try:
            municipality = Municipality.objects.get(slug=options["municipality"])
        except Municipality.DoesNotExist as error:
            raise CommandError(f"No municipality with slug {options['municipality']!r}.") from error
        try:
            membership = staff_create(
                municipality=municipality,
                username=options["username"],
                email=options["email"],
                role=options["role"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                language=options["language"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {membership.user.username} ({membership.get_role_display()}) for {municipality.name}; "
                f"the temporary password is e-mailed to {membership.user.email}."
            )
        )
