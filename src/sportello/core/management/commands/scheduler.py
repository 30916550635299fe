import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from sportello.core.scheduler import run_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (settings.PERIODIC_TASKS); safe to run on several machines at once."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between passes (default 1)")
        parser.add_argument("--for-seconds", type=float, default=None, help="stop after this long (tests)")

    def handle(self, *args, interval, for_seconds, **options):
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        deadline = time.monotonic() + for_seconds if for_seconds is not None else None
        self.stdout.write("Scheduler started.")
        while not stopping and (deadline is None or time.monotonic() < deadline):
            close_old_connections()
            try:
                run_due()
            except Exception:  # a database hiccup must not end the scheduler; the next pass retries
                logger.exception("scheduler: pass failed; retrying")
            time.sleep(interval)
        self.stdout.write("Scheduler stopped.")
