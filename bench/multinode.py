"""The multi-node proof: real processes on one machine, PostgreSQL behind PgBouncer, prints a short report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sportello make multinode

Brings up PgBouncer (transaction mode, port 6432 or ``MULTINODE_PGBOUNCER_PORT``) in front of PostgreSQL, two
gunicorn web nodes (8701, 8702) behind HAProxy (8700; or from ``MULTINODE_PORT_BASE``), two task workers and two
schedulers, all with ``DATABASE_PGBOUNCER=1`` and a shared database cache, on a dedicated database (``sportello_multinode``, or ``MULTINODE_DATABASE``). Then:

1. appointment surge through the load balancer: 200 API clients at once book 20 slots of capacity 2 on both web
   nodes: exactly 40 bookings (in the database too, at most 2 per slot), 160 refused with 409, no 5xx;
2. a burst of application submissions from concurrent processes (one in ten rolled back on purpose): protocol
   numbers 1..n with no gap and no duplicate;
3. 200 concurrent API clients through HAProxy race to take charge of 40 applications: exactly 40 succeed, the
   others get 409, no 5xx;
4. those 40 transitions are delivered as webhooks to a slow receiver while one worker is SIGKILLed mid-delivery:
   its task is requeued by the stale-task recovery, every delivery completes, once in effect (idempotency key);
5. two schedulers race for a 1-second job: every tick enqueued and run exactly once.

Needs the Debian packages ``haproxy`` and ``pgbouncer`` (``make multinode`` installs them as root).
"""

import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# Ports: the load balancer at MULTINODE_PORT_BASE, the web nodes and the webhook receiver just above it.
PORT_BASE = int(os.environ.get("MULTINODE_PORT_BASE", "8700"))
LB, NODES, RECEIVER = PORT_BASE, (PORT_BASE + 1, PORT_BASE + 2), PORT_BASE + 10
PGBOUNCER = int(os.environ.get("MULTINODE_PGBOUNCER_PORT", "6432"))
SUBMITTERS, SUBMISSIONS_EACH = 4, 25
CLIENTS, TARGETS = 200, 40
SCHEDULER_SECONDS = 8
SLUG = "comune-di-prova"
processes: list[subprocess.Popen] = []


def log(message: str) -> None:
    print(message, flush=True)


def start(name: str, args: list[str], env: dict, **kwargs) -> subprocess.Popen:
    out = open(WORK / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, **kwargs)  # noqa: S603
    process.name = name
    processes.append(process)
    return process


def stop_all() -> None:
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_port(port: int, seconds: float = 30) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port}: see {WORK}")


def databases() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("the multi-node proof needs DATABASE_URL=postgres://... (PostgreSQL)")
    name = os.environ.get("MULTINODE_DATABASE", "sportello_multinode")
    parts = urlsplit(url)
    direct = urlunsplit(parts._replace(path="/" + name))
    pooled = urlunsplit(
        parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{PGBOUNCER}", path="/" + name)
    )
    return direct, pooled, name


def pgbouncer(direct: str, name: str) -> None:
    parts = urlsplit(direct)
    ini = WORK / "pgbouncer.ini"
    ini.write_text(
        f"[databases]\n{name} = host={parts.hostname} port={parts.port or 5432} dbname={name}\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {PGBOUNCER}\nauth_type = trust\n"
        f"auth_file = {WORK / 'users.txt'}\npool_mode = transaction\nmax_client_conn = 400\n"
        f"default_pool_size = 20\nunix_socket_dir =\n"
        f"pidfile = {WORK / 'pgbouncer.pid'}\nignore_startup_parameters = extra_float_digits,options\n"
    )
    (WORK / "users.txt").write_text(f'"{parts.username or "postgres"}" ""\n')
    args = [shutil.which("pgbouncer") or "/usr/sbin/pgbouncer", str(ini)]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        shutil.chown(WORK, "postgres")
        for path in WORK.iterdir():
            shutil.chown(path, "postgres")
        args = ["runuser", "-u", "postgres", "--", *args]
    start("pgbouncer", args, os.environ.copy())
    wait_port(PGBOUNCER)


# Each gunicorn node runs 2 workers x 4 threads: HAProxy sends it at most that many requests at once and queues the
# rest itself (the usual setting in front of gunicorn), so its health checks never wait behind a crowd.
NODE_THREADS = 8


def haproxy() -> None:
    cfg = WORK / "haproxy.cfg"
    servers = "\n".join(
        f"    server node{i} 127.0.0.1:{port} check maxconn {NODE_THREADS}" for i, port in enumerate(NODES, 1)
    )
    cfg.write_text(
        "global\n    maxconn 1000\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 120s\n"
        "    timeout server 120s\n    timeout queue 120s\n    timeout check 10s\n    retries 3\n"
        f"    option redispatch\nfrontend lb\n    bind 127.0.0.1:{LB}\n    default_backend nodes\n"
        "backend nodes\n    balance roundrobin\n    option httpchk GET /healthz\n"
        f"    default-server inter 2s fall 3 rise 2\n{servers}\n"
    )
    start(
        "haproxy", [shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", str(cfg)], os.environ.copy()
    )
    wait_port(LB)


def warm_up(token: str) -> None:
    """A first real API request on each node (imports the URLconf, DRF, the schema's views), then both nodes
    must answer their health check through HAProxy's view of them."""
    for port in NODES:
        for url in (
            f"http://127.0.0.1:{port}/healthz",
            f"http://127.0.0.1:{port}/api/v1/{SLUG}/applications",
        ):
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()


def setup_django(url: str) -> None:
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def seed() -> dict:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from sportello.accounts.models import Membership, Role, User
    from sportello.applications.models import Application
    from sportello.catalog.services import service_form_save
    from sportello.catalog.tests.factories import SIMPLE_DEFINITION, ServiceFactory
    from sportello.integrations.models import Scope
    from sportello.integrations.services import api_token_create
    from sportello.municipalities.tests.factories import MunicipalityFactory

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    Application.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    from sportello.core.models import PeriodicTick
    from sportello.integrations.models import ApiToken, Webhook

    DBTaskResult.objects.all().delete()
    PeriodicTick.objects.all().delete()
    Webhook.objects.all().delete()
    ApiToken.objects.all().delete()
    from sportello.applications.models import ProtocolCounter
    from sportello.municipalities.models import Municipality

    ProtocolCounter.objects.all().delete()
    municipality = Municipality.objects.filter(slug=SLUG).first() or MunicipalityFactory(slug=SLUG)
    admin, _ = User.objects.get_or_create(username="multinode-admin")
    Membership.objects.get_or_create(user=admin, municipality=municipality, defaults={"role": Role.ADMIN})
    service = municipality.services.filter(slug="domanda").first()
    if service is None:
        service = ServiceFactory(municipality=municipality, slug="domanda", status="published")
        service_form_save(service=service, definition=SIMPLE_DEFINITION)
    for index in range(SUBMITTERS * SUBMISSIONS_EACH):
        User.objects.get_or_create(
            username=f"multinode-citizen-{index}", defaults={"last_name": f"Prova {index}"}
        )
    token = api_token_create(
        municipality=municipality,
        user=admin,
        name="multinode",
        scopes=[Scope.APPLICATIONS_READ, Scope.TRANSITIONS_WRITE, Scope.CALENDARS, Scope.APPOINTMENTS_WRITE],
        expires_at=timezone.now() + timedelta(hours=1),
    ).raw
    return {"token": token}


SUBMITTER = """
import os, sys
import django
django.setup()
from django.db import transaction
from sportello.accounts.models import User
from sportello.applications.services import application_save_page, application_start, application_submit
from sportello.catalog.models import Service

service = Service.objects.get(municipality__slug=%(slug)r, slug="domanda")
first, count = %(first)d, %(count)d
done = rolled_back = 0
for index in range(first, first + count):
    citizen = User.objects.get(username=f"multinode-citizen-{index}")
    try:
        with transaction.atomic():
            draft = application_start(service=service, applicant=citizen)
            values = {"nome": "Prova", "note": str(index)}
            draft = application_save_page(
                application=draft, user=citizen, page=0, cleaned_data=values, serialized=dict(values)
            )
            application_submit(application=draft, user=citizen)
            if index %% 10 == 9:
                raise RuntimeError("rolled back on purpose: its protocol number must be given to the next one")
        done += 1
    except RuntimeError:
        rolled_back += 1
print(done, rolled_back)
"""


def submissions_burst(env: dict) -> str:
    from django.utils import timezone

    from sportello.applications.models import Application

    procs = [
        subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-c",
                SUBMITTER % {"slug": SLUG, "first": i * SUBMISSIONS_EACH, "count": SUBMISSIONS_EACH},
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(SUBMITTERS)
    ]
    results = [tuple(map(int, p.communicate()[0].split()[-2:])) for p in procs]
    done, rolled_back = sum(r[0] for r in results), sum(r[1] for r in results)
    numbers = sorted(
        Application.objects.filter(
            municipality__slug=SLUG, protocol_year=timezone.localdate().year
        ).values_list("protocol_number", flat=True)
    )
    ok = numbers == list(range(1, done + 1))
    return (
        f"{'PASS' if ok else 'FAIL'} submissions: {SUBMITTERS} processes, {done} submitted, {rolled_back} rolled back;"
        f" protocol numbers 1..{numbers[-1] if numbers else 0}, {len(numbers) - len(set(numbers))} duplicates,"
        f" {'no' if ok else 'SOME'} gaps"
    ), ok


class Receiver:
    """The municipality's system: slow (0.5 s per delivery), counts deliveries by idempotency key."""

    def __init__(self):
        self.seen: dict[str, int] = {}
        self.in_flight: set[str] = set()  # received, not answered yet
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers["Idempotency-Key"]
                receiver.in_flight.add(key)
                time.sleep(0.5)
                receiver.seen[key] = receiver.seen.get(key, 0) + 1
                receiver.in_flight.discard(key)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", RECEIVER), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def api_race(token: str) -> tuple[str, bool]:
    from sportello.applications.models import Application, ApplicationEvent

    targets = list(
        Application.objects.filter(municipality__slug=SLUG, state="registered").values_list("pk", flat=True)[
            :TARGETS
        ]
    )

    def take(pk):
        request = urllib.request.Request(  # noqa: S310 (local load balancer)
            f"http://127.0.0.1:{LB}/api/v1/{SLUG}/applications/{pk}/transitions",
            data=b'{"name": "take_charge"}',
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(take, [targets[i % len(targets)] for i in range(CLIENTS)]))
    created, conflicts = statuses.count(201), statuses.count(409)
    errors = sum(1 for s in statuses if s >= 500 or s == 0)
    events = ApplicationEvent.objects.filter(application_id__in=targets, transition="take_charge").count()
    ok = created == len(targets) == events == TARGETS and conflicts == CLIENTS - TARGETS and errors == 0
    return (
        f"{'PASS' if ok else 'FAIL'} API race through HAProxy: {CLIENTS} clients on {len(targets)} applications:"
        f" {created} x 201, {conflicts} x 409, {errors} x 5xx/none; {events} take_charge events"
    ), ok


def webhook_kill(env: dict, receiver: Receiver) -> tuple[str, bool]:
    from datetime import timedelta

    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from sportello.core.tasks import requeue_stale_tasks
    from sportello.integrations.models import WebhookDelivery

    expected = set(map(str, WebhookDelivery.objects.values_list("pk", flat=True)))
    worker_a = next(p for p in processes if p.name == "worker-a")
    # Kill worker A while the receiver holds one of its deliveries (received, not yet answered): the worker is
    # blocked in the middle of the task, which stays RUNNING in the queue after the kill.
    # The deliveries come after the submissions' receipts and e-mails in the queue; a loaded machine is slow.
    running_a, deadline = 0, time.monotonic() + 300
    while not running_a and time.monotonic() < deadline:
        in_flight = set(receiver.in_flight)
        running = DBTaskResult.objects.running().filter(
            worker_ids__contains=["worker-a"], task_path__endswith="webhook_deliver"
        )
        running_a = sum(1 for task in running if task.args_kwargs["kwargs"]["delivery_id"] in in_flight)
        if not running_a:
            time.sleep(0.01)
    worker_a.send_signal(signal.SIGKILL)
    worker_a.wait()
    log(f"   SIGKILL worker A with {running_a} task(s) running")
    time.sleep(3)
    # What core.stale_tasks_requeue does every 5 minutes for tasks RUNNING longer than 15 minutes, with a
    # threshold above this proof's longest task (0.5 s) so that only the dead worker's task qualifies.
    requeued = requeue_stale_tasks(older_than=timedelta(seconds=2.5))
    start(
        "worker-a2", [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--worker-id", "worker-a2"], env
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not WebhookDelivery.objects.exclude(status="delivered").exists():
            break
        time.sleep(0.5)
    deadline = time.monotonic() + 120  # and every other queued task (receipts, e-mails) finishes too
    while (
        DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists()
        and time.monotonic() < deadline
    ):
        time.sleep(0.5)
    delivered = WebhookDelivery.objects.filter(status="delivered").count()
    seen = set(receiver.seen)
    duplicates = sum(count - 1 for count in receiver.seen.values())
    statuses = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("pk")))
    ok = (
        running_a >= 1
        and requeued >= 1
        and delivered == len(expected)
        and seen == expected
        and set(statuses) == {"SUCCESSFUL"}
    )
    return (
        f"{'PASS' if ok else 'FAIL'} worker killed mid-task: {len(expected)} webhook deliveries, worker A SIGKILLed"
        f" with {running_a} running, {requeued} requeued by the stale-task recovery; {delivered} delivered,"
        f" {len(seen)} distinct idempotency keys received ({duplicates} repeated: at least once, once in effect);"
        f" all queued tasks: {statuses}"
    ), ok


SCHEDULER = """
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.PERIODIC_TASKS = {"multinode.probe": ("sportello.core.tasks.periodic_ticks_prune", 1)}
call_command("scheduler", interval=0.05, for_seconds=%d)
"""


def schedulers(env: dict) -> tuple[str, bool]:
    from django_tasks_db.models import DBTaskResult

    from sportello.core.models import PeriodicTick

    procs = [
        subprocess.Popen([PYTHON, "-c", SCHEDULER % SCHEDULER_SECONDS], env=env, cwd=ROOT)  # noqa: S603
        for _ in range(2)
    ]
    for process in procs:
        process.wait()
    time.sleep(3)  # the workers run the last ticks
    ticks = sorted(PeriodicTick.objects.filter(job="multinode.probe").values_list("tick", flat=True))
    seconds = [int(t.timestamp()) for t in ticks]
    contiguous = seconds == list(range(seconds[0], seconds[0] + len(seconds))) if seconds else False
    tasks = DBTaskResult.objects.filter(task_path="sportello.core.tasks.periodic_ticks_prune")
    succeeded = tasks.filter(status="SUCCESSFUL").count()
    ok = contiguous and len(seconds) >= SCHEDULER_SECONDS - 2 and tasks.count() == len(seconds) == succeeded
    return (
        f"{'PASS' if ok else 'FAIL'} two schedulers, {SCHEDULER_SECONDS} s of a 1 s job: {len(seconds)} ticks"
        f" ({'contiguous' if contiguous else 'GAPS'}), {tasks.count()} enqueued, {succeeded} run by the workers"
    ), ok


SURGE_SLOTS, SURGE_CAPACITY = 20, 2


def surge_seed():
    """One calendar of the proof's municipality open on one day for exactly 20 slots of capacity 2."""
    from datetime import time as dtime
    from datetime import timedelta

    from django.utils import timezone

    from sportello.catalog.constants import Kind
    from sportello.catalog.tests.factories import ServiceFactory
    from sportello.municipalities.models import Municipality
    from sportello.scheduling.models import Appointment, Calendar, OpeningRule
    from sportello.scheduling.selectors import calendar_slots

    municipality = Municipality.objects.get(slug=SLUG)
    Appointment.objects.filter(municipality=municipality).delete()  # places and events go with them
    calendar, _ = Calendar.objects.get_or_create(
        municipality=municipality,
        title="Anagrafe (prova multinodo)",
        defaults={"office_name": "Anagrafe", "address": "Piazza del Municipio 1", "min_notice_hours": 0},
    )
    service = municipality.services.filter(slug="appuntamento").first() or ServiceFactory(
        municipality=municipality, slug="appuntamento", kind=Kind.APPOINTMENT, status="published"
    )
    calendar.services.set([service])
    calendar.rules.all().delete()
    day = timezone.localdate() + timedelta(days=2)
    for _ in range(30):  # the first day that is not a public holiday
        calendar.rules.all().delete()
        OpeningRule.objects.create(
            calendar=calendar,
            valid_from=day,
            valid_until=day,
            weekdays=[day.weekday()],
            start=dtime(9),
            end=dtime(14),
            slot_minutes=15,
            capacity=SURGE_CAPACITY,
        )
        slots = calendar_slots(calendar, date_from=day, date_to=day)
        if len(slots) == SURGE_SLOTS:
            return calendar, slots
        day += timedelta(days=1)
    raise SystemExit("no day with 20 bookable slots found for the surge")


def appointment_surge(base_url: str, token: str) -> tuple[str, bool]:
    """200 clients book 20 slots of capacity 2 at once through the load balancer (the API's booking, the same
    services as the citizen's and the desk's): exactly 40 bookings, every other client a 409, no 5xx; the
    database constraint on places (not a check before insert) decides, across both web nodes."""
    from collections import Counter

    from sportello.scheduling.models import Appointment, Reservation

    calendar, slots = surge_seed()
    marks = {port: (WORK / f"web-{port}.log").stat().st_size for port in NODES}
    barrier = threading.Barrier(CLIENTS)

    def book(index):
        slot = slots[index % len(slots)]
        body = (
            f'{{"calendar": {calendar.pk}, "start": "{slot.start.isoformat()}", "first_name": "Ada",'
            f' "last_name": "Surge {index}", "reason": "Carta d\'identita"}}'
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (local load balancer)
            f"{base_url}/api/v1/{SLUG}/appointments",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(book, range(CLIENTS)))
    elapsed = time.perf_counter() - started
    time.sleep(1)  # the access logs are flushed
    served = {}
    for port in NODES:
        with open(WORK / f"web-{port}.log", "rb") as log_file:
            log_file.seek(marks[port])
            served[port] = sum(
                1 for line in log_file if b"POST /api/v1/" in line and b"/appointments " in line
            )
    booked = Appointment.objects.filter(calendar=calendar, state="approved")
    per_slot = Counter(booked.values_list("start", flat=True))
    places = Reservation.objects.filter(calendar=calendar).count()
    created, conflicts = statuses.count(201), statuses.count(409)
    errors = sum(1 for s in statuses if s >= 500 or s == 0)
    expected = SURGE_SLOTS * SURGE_CAPACITY
    ok = (
        created == booked.count() == places == expected
        and conflicts == CLIENTS - expected
        and errors == 0
        and sorted(per_slot.values()) == [SURGE_CAPACITY] * SURGE_SLOTS
        and all(served.values())
        and sum(served.values()) == CLIENTS
    )
    return (
        f"{'PASS' if ok else 'FAIL'} appointment surge through HAProxy: {CLIENTS} clients at once on"
        f" {SURGE_SLOTS} slots x {SURGE_CAPACITY}: {created} x 201, {conflicts} x 409, {errors} x 5xx/none;"
        f" {booked.count()} approved in the database, {places} places, at most"
        f" {max(per_slot.values(), default=0)} per slot; served by node"
        f" {' + node '.join(str(served[p]) for p in NODES)} in {elapsed:.1f} s"
    ), ok


def main() -> int:
    global WORK, ENV
    for tool in ("haproxy", "pgbouncer"):
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            sys.exit(f"{tool} is not installed (Debian: apt-get install haproxy pgbouncer)")
    WORK = Path(tempfile.mkdtemp(prefix="sportello-multinode-"))
    os.chmod(WORK, 0o755)  # noqa: S103 (PgBouncer's user writes its log here)
    direct, pooled, name = databases()
    import psycopg

    with psycopg.connect(
        urlunsplit(urlsplit(direct)._replace(path="/postgres")), autocommit=True
    ) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    ENV = {
        "SPORTELLO_ENV": "dev",
        "DEBUG": "0",
        "DATABASE_PGBOUNCER": "1",
        "CONN_MAX_AGE": "0",
        "CACHE_URL": "db",
        "API_RATE_LIMIT": "100000/minute",
        "SPORTELLO_VAR_DIR": str(WORK / "var"),
        "DJANGO_SETTINGS_MODULE": "sportello.settings",
        "PYTHONUNBUFFERED": "1",  # the logs of a SIGKILLed worker keep what it wrote
        "PYTHONPATH": str(ROOT / "src"),
    }
    env = {**os.environ, **ENV, "DATABASE_URL": pooled}
    started = time.perf_counter()
    report, all_ok = [], True
    try:
        pgbouncer(direct, name)
        setup_django(pooled)
        data = seed()
        from sportello.integrations.models import Event
        from sportello.integrations.services import webhook_create
        from sportello.municipalities.models import Municipality

        for port in NODES:
            start(
                f"web-{port}",
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "sportello.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--threads",
                    str(NODE_THREADS // 2),
                    "--access-logfile",
                    "-",
                ],
                env,
            )
        for port in NODES:
            wait_port(port, 60)
        warm_up(data["token"])
        haproxy()
        log(
            f"Up: HAProxy :{LB} -> gunicorn :{NODES[0]} :{NODES[1]}; PgBouncer :{PGBOUNCER} (transaction mode)"
            f" -> PostgreSQL {name}; logs in {WORK}"
        )
        for step in (
            lambda: appointment_surge(f"http://127.0.0.1:{LB}", data["token"]),
            lambda: submissions_burst(env),
        ):
            line, ok = step()
            report.append(line)
            all_ok &= ok
            log(line)
        receiver = Receiver()
        webhook_create(
            municipality=Municipality.objects.get(slug=SLUG),
            url=f"http://127.0.0.1:{RECEIVER}/eventi",
            events=[Event.APPLICATION_STATE_CHANGED],
        )
        line, ok = api_race(data["token"])  # its 40 transitions queue 40 webhook deliveries
        report.append(line)
        all_ok &= ok
        log(line)
        for worker in ("worker-a", "worker-b"):
            start(
                worker, [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--worker-id", worker], env
            )
        for step in (lambda: webhook_kill(env, receiver), lambda: schedulers(env)):
            line, ok = step()
            report.append(line)
            all_ok &= ok
            log(line)
    finally:
        stop_all()
    print(f"\nMulti-node proof ({time.perf_counter() - started:.0f} s): {'PASS' if all_ok else 'FAIL'}")
    for line in report:
        print(" - " + line)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
