"""Benchmarks of the booking engine (PostgreSQL only).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sportello make bench

Uses a dedicated database (``sportello_bench_sched``, or ``BENCH_SCHED_DATABASE``), created, migrated and seeded
once: one calendar with 10 desks, 15-minute slots, 8 hours a day (08:00-12:00, 13:00-17:00, Monday to Friday), a
90-day horizon, and 50,000 appointments (about 30% in the coming 90 days, the rest in the past year).

1. Availability of one month: the pure function alone (inputs prepared once), then the public JSON endpoint through
   Django's test client (queries included). Targets: p50 <= 20 ms and <= 50 ms.
2. Surge: ``BENCH_CLIENTS`` (200) concurrent HTTP clients against ``BENCH_WORKERS`` (4) gunicorn worker processes
   try to book the same 20 slots of capacity 2 (a service without SPID, so each client is a plain browser
   session): hold the slot, then fill the steps and confirm. Expected: exactly 40 bookings, every other client
   told "Questo orario non è più disponibile", no 5xx. Reports bookings/s and the p95 latency of the hold request.
"""

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

APPOINTMENTS = int(os.environ.get("BENCH_APPOINTMENTS", "50000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "200"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8310"))
SLUG = "comune-di-bench-calendari"
UNAVAILABLE = "Questo orario non è più disponibile"


def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs DATABASE_URL pointing to PostgreSQL")
    name = os.environ.get("BENCH_SCHED_DATABASE", "sportello_bench_sched")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name)), name


def ensure_database(url: str, name: str) -> None:
    import psycopg

    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating database {name}...")
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SPORTELLO_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sportello.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed():
    from django.db import transaction
    from django.utils import timezone

    from sportello.catalog.constants import AccessLevel, Category, Kind, Status
    from sportello.catalog.models import Service
    from sportello.municipalities.models import Municipality
    from sportello.municipalities.validators import numeric_fiscal_code_is_valid
    from sportello.scheduling import availability
    from sportello.scheduling.availability import ROME
    from sportello.scheduling.models import Appointment, Calendar, OpeningRule, Reservation
    from sportello.scheduling.selectors import calendar_slots

    municipality = Municipality.objects.filter(slug=SLUG).first()
    if municipality is not None:
        calendar = Calendar.objects.get(municipality=municipality, title="Anagrafe (benchmark)")
        if Appointment.objects.filter(calendar=calendar).count() >= APPOINTMENTS:
            print(f"Reusing the seeded database ({SLUG}).")
            return calendar
    started = time.perf_counter()
    print(f"Seeding {APPOINTMENTS:,} appointments (once)...")
    today = timezone.localdate()
    with transaction.atomic():
        code = next(
            c for n in range(1000) for d in range(10) if numeric_fiscal_code_is_valid(c := f"00098{n:05d}{d}")
        )
        municipality, _ = Municipality.objects.get_or_create(
            slug=SLUG,
            defaults={
                "name": "Comune di Bench",
                "fiscal_code": code,
                "ipa_code": "c_bcal",
                "email": "b@example.org",
            },
        )
        service, _ = Service.objects.get_or_create(
            municipality=municipality,
            slug="appuntamento",
            defaults={
                "name": "Appuntamento anagrafe",
                "category": Category.REGISTRY,
                "short_description": "Benchmark.",
                "kind": Kind.APPOINTMENT,
                "access_level": AccessLevel.ANONYMOUS,
                "status": Status.PUBLISHED,
            },
        )
        calendar, _ = Calendar.objects.get_or_create(
            municipality=municipality,
            title="Anagrafe (benchmark)",
            defaults={
                "office_name": "Anagrafe",
                "address": "Via Roma 1",
                "min_notice_hours": 0,
                "horizon_days": 90,
                "hold_minutes": 15,
            },
        )
        calendar.services.add(service)
        if not calendar.rules.exists():
            for start, end in ((dtime(8), dtime(12)), (dtime(13), dtime(17))):
                OpeningRule.objects.create(
                    calendar=calendar,
                    valid_from=today - timedelta(days=400),
                    weekdays=[0, 1, 2, 3, 4],
                    start=start,
                    end=end,
                    slot_minutes=15,
                    capacity=10,
                )
        Appointment.objects.filter(calendar=calendar).delete()
        past_slots = availability.free_slots(  # the past year, as it was bookable then
            rules=[r.as_rule() for r in calendar.rules.all()],
            now=datetime.combine(today - timedelta(days=366), dtime(0), tzinfo=ROME),
            date_from=today - timedelta(days=365),
            date_to=today - timedelta(days=1),
            policy=availability.Policy(horizon_days=400),
        )
        future_slots = calendar_slots(
            calendar, date_from=today + timedelta(days=1), date_to=today + timedelta(days=90)
        )
        # the coming 90 days filled unevenly (0 to 10 of the 10 desks per slot), the past year for the rest
        pattern = [7, 10, 3, 0, 5, 9, 10, 2, 6, 4]
        places = [
            (slot.start, place)
            for index, slot in enumerate(future_slots)
            for place in range(pattern[index % len(pattern)])
        ][: int(APPOINTMENTS * 0.3)]
        for slot in past_slots:
            places += [(slot.start, place) for place in range(10)][: APPOINTMENTS - len(places)]
        appointments = [
            Appointment(
                municipality=municipality,
                calendar=calendar,
                service=service,
                first_name="Nome",
                last_name=f"C{i}",
                email=f"c{i}@example.org",
                start=start,
                end=start + timedelta(minutes=15),
                state="approved",
            )
            for i, (start, _place) in enumerate(places)
        ]
        Appointment.objects.bulk_create(appointments, batch_size=5000)
        Reservation.objects.bulk_create(
            [
                Reservation(calendar=calendar, start=a.start, place=place, appointment=a)
                for a, (_start, place) in zip(appointments, places, strict=True)
            ],
            batch_size=5000,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scheduling_reservation; ANALYZE scheduling_appointment;")
    print(f"  seeded {len(places):,} appointments in {time.perf_counter() - started:.0f} s")
    return calendar


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(name, timings, target=None):
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    verdict = "" if target is None else ("  OK" if p50 <= target else f"  ABOVE TARGET ({target} ms)")
    print(f"  {name:<48} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   max {max(timings):7.2f} ms{verdict}")


def bench_availability(calendar):
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from sportello.scheduling import availability
    from sportello.scheduling.models import Reservation
    from sportello.scheduling.selectors import day_bounds

    today = timezone.localdate()
    date_from, date_to = today, today + timedelta(days=30)
    begin, end = day_bounds(date_from, date_to)
    rows = Reservation.objects.filter(calendar=calendar, start__gte=begin, start__lt=end)
    occupied = dict(rows.values("start").annotate(n=Count("id")).values_list("start", "n"))
    rules = [r.as_rule() for r in calendar.rules.all()]
    policy = calendar.policy()
    now = timezone.now()
    print(
        f"Availability of one month ({sum(occupied.values()):,} places taken in it; "
        f"{Reservation.objects.filter(calendar=calendar).count():,} in the calendar):"
    )
    print(
        f"  (machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall times include waiting for a CPU)"
    )
    timings, cpu = [], []
    for _ in range(REQUESTS * 5):
        started, started_cpu = time.perf_counter(), time.process_time()
        slots = availability.free_slots(
            rules=rules, occupied=occupied, now=now, date_from=date_from, date_to=date_to, policy=policy
        )
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    report(f"pure function ({len(slots)} free slots)", timings, 20)
    report("pure function, CPU time of this process", cpu, 20)
    client = Client()
    url = f"/api/v1/{SLUG}/calendars/{calendar.pk}/availability"
    query = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    for _ in range(5):
        assert client.get(url, query).status_code == 200
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, query)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    report("JSON endpoint /api/v1/.../availability", timings, 50)


def surge(calendar, url):
    import requests
    from django.utils import timezone

    from sportello.scheduling.models import Appointment, Reservation
    from sportello.scheduling.selectors import calendar_slots

    # 20 free slots of capacity 2: a day of the horizon with no booking yet gets a 2-desk rule for the test
    day = timezone.localdate() + timedelta(days=95)
    while day.weekday() != 5:
        day += timedelta(days=1)
    calendar.horizon_days = (day - timezone.localdate()).days + 1
    calendar.save()
    rule = calendar.rules.filter(weekdays=[5]).first()
    if rule is None:
        from sportello.scheduling.models import OpeningRule

        rule = OpeningRule.objects.create(
            calendar=calendar,
            valid_from=day,
            weekdays=[5],
            start=dtime(8),
            end=dtime(13),
            slot_minutes=15,
            capacity=2,
        )
    rule.valid_from = rule.valid_until = day
    rule.save()
    Appointment.objects.filter(calendar=calendar, start__date=day).delete()
    slots = calendar_slots(calendar, date_from=day, date_to=day)
    assert len(slots) == 20 and all(s.capacity == 2 for s in slots), len(slots)
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "SPORTELLO_ENV": "test",
        "CONN_MAX_AGE": "60",
    }
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "sportello.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--threads",
            "4",
            "--chdir",
            str(ROOT / "src"),
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{PORT}/{SLUG}/it"
    try:
        for _ in range(100):
            try:
                if requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        time_url = f"{base}/prenota-appuntamento/appuntamento/{calendar.pk}/"
        results, lock = [], threading.Lock()
        barrier = threading.Barrier(CLIENTS)

        def client(index):
            session = requests.Session()
            # a new connection per request: a kept-alive one may be closed by the server while the client waits
            # at the barrier, and the next request would then die with "connection aborted" before reaching it
            session.headers["Connection"] = "close"
            page = session.get(time_url, params={"giorno": day.isoformat()}, timeout=60)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            slot = slots[index % len(slots)]
            barrier.wait()
            started = time.perf_counter()
            held = session.post(
                time_url,
                data={"csrfmiddlewaretoken": token, "start": slot.start.isoformat()},
                headers={"Referer": time_url},
                allow_redirects=False,
                timeout=60,
            )
            latency = (time.perf_counter() - started) * 1000
            outcome, statuses = "error", [held.status_code]
            if held.status_code == 302 and "/dettagli/" in held.headers["Location"]:
                details = f"http://127.0.0.1:{PORT}{held.headers['Location']}"
                step = session.post(
                    details,
                    data={"csrfmiddlewaretoken": token, "reason": "Surge"},
                    allow_redirects=False,
                    timeout=60,
                )
                applicant = f"http://127.0.0.1:{PORT}{step.headers['Location']}"
                step2 = session.post(
                    applicant,
                    data={
                        "csrfmiddlewaretoken": token,
                        "first_name": "Ada",
                        "last_name": f"Surge{index}",
                        "email": f"s{index}@example.org",
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                summary = f"http://127.0.0.1:{PORT}{step2.headers['Location']}"
                done = session.post(
                    summary,
                    data={"csrfmiddlewaretoken": token, "privacy": "on"},
                    allow_redirects=False,
                    timeout=60,
                )
                statuses += [step.status_code, step2.status_code, done.status_code]
                outcome = (
                    "booked"
                    if done.status_code == 302 and "/appuntamenti/" in done.headers["Location"]
                    else "error"
                )
            elif held.status_code == 200 and UNAVAILABLE in held.text:
                outcome = "unavailable"
            with lock:
                results.append((outcome, latency, statuses))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    booked = [r for r in results if r[0] == "booked"]
    refused = [r for r in results if r[0] == "unavailable"]
    errors = [r for r in results if r[0] == "error"]
    five_xx = [r for r in results if any(s >= 500 for s in r[2])]
    in_db = Appointment.objects.filter(calendar=calendar, start__date=day, state="approved").count()
    places = Reservation.objects.filter(
        calendar=calendar, start__gte=slots[0].start, start__lte=slots[-1].start
    ).count()
    print(f"Surge: {CLIENTS} clients, {WORKERS} gunicorn workers, 20 slots x capacity 2:")
    print(
        f"  booked {len(booked)} (approved in the database: {in_db}, places taken: {places}); "
        f"'no longer available' {len(refused)}; other outcomes {len(errors)}; responses 5xx: {len(five_xx)}"
    )
    print(
        f"  {len(booked) / elapsed:.1f} bookings/s over {elapsed:.2f} s; hold request p50 "
        f"{statistics.median(r[1] for r in results):.0f} ms, p95 {percentile([r[1] for r in results], 0.95):.0f} ms"
    )
    ok = len(booked) == in_db == places == 40 and len(refused) == CLIENTS - 40 and not five_xx
    print("  OK" if ok else "  FAILED")
    return ok


def main():
    url, name = bench_database_url()
    ensure_database(url, name)
    setup_django(url)
    calendar = seed()
    bench_availability(calendar)
    ok = surge(calendar, url) if os.environ.get("BENCH_SURGE", "1") == "1" else True
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
