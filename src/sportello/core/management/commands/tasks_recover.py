from datetime import timedelta

from django.core.management.base import BaseCommand

from sportello.core.tasks import requeue_stale_tasks


class Command(BaseCommand):
    help = "Requeue background tasks left RUNNING by a worker that died (run at start and every few minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=15)

    def handle(self, *args, **options):
        count = requeue_stale_tasks(older_than=timedelta(minutes=options["older_than_minutes"]))
        self.stdout.write(f"Requeued {count} stale task(s).")
