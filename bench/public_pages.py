"""Benchmark: requests per second of the public citizen pages against a trivial Django view, side by side.

    make bench-pages                     # SQLite under var/bench-pages/ (or DATABASE_URL=postgres://... )

Issue 15's target: the home page, the services list and a service page each serve at least 25% of the requests
per second of a trivial view (``bench/trivial_urls.py``: ``HttpResponse("ok")`` behind the same middleware), under
gunicorn with 2 workers (x 2 threads, as ``make run``), measured in one run.

The demo data (``load_demo``) is loaded into a database of its own. Two phases, each with its own gunicorn:
1. ``PAGE_CACHE_SECONDS=0``: the page cache off, the card's HTML still stored (what every page costs to render);
2. the page cache on (the default): what an anonymous visitor gets.
In each phase the URLs are measured in turns (``BENCH_ROUNDS`` rounds of ``BENCH_SECONDS`` seconds per URL, with
``BENCH_CONNECTIONS`` keep-alive connections from one asyncio client), so a change of load on the machine hits
them alike; the median round is reported. The client runs on the same machine, and its own CPU counts against
the server: the trivial view's figure is therefore a lower bound, which makes the ratio conservative.
"""

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = int(os.environ.get("BENCH_PORT", "8690"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
TARGET = 0.25
SLUG = "comune-di-mori"


def environment() -> dict:
    env = {
        **os.environ,
        "SPORTELLO_ENV": "demo",
        "DEBUG": "0",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'bench'}",
    }
    env["SPORTELLO_VAR_DIR"] = str(ROOT / "var" / "bench-pages")
    env["SITE_URL"] = f"http://127.0.0.1:{PORT}"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        name = os.environ.get("BENCH_DATABASE", "sportello_bench_pages")
        parts = urlsplit(url)
        maintenance = urlunsplit(parts._replace(path="/postgres"))
        import psycopg

        with psycopg.connect(maintenance, autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    else:
        env.pop("DATABASE_URL", None)
    return env


def manage(env: dict, *args: str) -> str:
    return subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(env: dict) -> str:
    """Migrate, collect static files, load the demo; returns the path of the demo's richest service page."""
    print("Preparing the demo database (migrate, collectstatic, load_demo)...", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(env, "spid_keys")
    slug = (
        manage(
            env,
            "shell",
            "-c",
            "from django.db.models.functions import Length;"
            "from sportello.catalog.models import Service;"
            f"s = Service.objects.listed().filter(municipality__slug={SLUG!r})"
            ".annotate(n=Length('description') + Length('how_to') + Length('needed')).order_by('-n').first();"
            "print('SLUG', s.slug)",
        )
        .split("SLUG ")[-1]
        .strip()
    )
    return f"/{SLUG}/it/servizi/{slug}/"


def wait_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port}")


def start_server(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [GUNICORN, "sportello.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
         "--threads", "2", "--log-level", "warning"],
        env={**env, "DJANGO_SETTINGS_MODULE": "public_pages_settings"},
        cwd=ROOT,
    )  # fmt: skip
    wait_port(PORT)
    return server


async def _fetch(reader, writer, request: bytes) -> tuple[int, dict]:
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    await reader.readexactly(int(headers.get("content-length", "0")))
    if headers.get("connection", "").lower() == "close":
        raise ConnectionError("closed by the server")
    return status, headers


async def _load(path: str, seconds: float, connections: int) -> tuple[float, dict]:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\nConnection: keep-alive\r\n\r\n".encode()
    done, statuses, cache = 0, {}, {}
    stop = time.monotonic() + seconds

    async def worker():
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        try:
            while time.monotonic() < stop:
                try:
                    status, headers = await _fetch(reader, writer, request)
                except (asyncio.IncompleteReadError, ConnectionError):
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
                    continue
                done += 1
                statuses[status] = statuses.get(status, 0) + 1
                state = headers.get("x-page-cache", "none")
                cache[state] = cache.get(state, 0) + 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / (time.monotonic() - started), {"status": statuses, "cache": cache}


def measure(pages: dict[str, str]) -> dict[str, tuple[float, dict]]:
    for path in pages.values():  # warm up: imports, template loading, the page cache
        asyncio.run(_load(path, 1.0, 2))
    rounds: dict[str, list[tuple[float, dict]]] = {name: [] for name in pages}
    for _ in range(ROUNDS):
        for name, path in pages.items():
            rounds[name].append(asyncio.run(_load(path, SECONDS, CONNECTIONS)))
    result = {}
    for name, values in rounds.items():
        median = statistics.median(rate for rate, _ in values)
        result[name] = (median, values[-1][1])
    return result


def main() -> int:
    env = environment()
    shutil.rmtree(ROOT / "var" / "bench-pages" / "static", ignore_errors=True)
    service_page = prepare(env)
    pages = {
        "trivial view": "/bench/trivial/",
        "home": f"/{SLUG}/it/",
        "services list": f"/{SLUG}/it/servizi/",
        "service page": service_page,
    }
    print(
        f"gunicorn 2 workers x 2 threads on :{PORT}; {CONNECTIONS} connections, {ROUNDS} rounds x {SECONDS:g} s"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f}; service page: {service_page}", flush=True)
    phases = {}
    for phase, seconds in (("page cache off", "0"), ("page cache on", "600")):
        server = start_server({**env, "PAGE_CACHE_SECONDS": seconds})
        try:
            phases[phase] = measure(pages)
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    ok = True
    print()
    print("| page | cache off: req/s | % of trivial | cache on: req/s | % of trivial | cache hits |")
    print("|---|---|---|---|---|---|")
    for name in pages:
        cells = [name]
        for phase in phases.values():
            trivial = phase["trivial view"][0]
            rate, info = phase[name]
            bad = set(info["status"]) - {200}
            cells += [
                f"{rate:.0f}" + (f" (status {sorted(bad)})" if bad else ""),
                f"{100 * rate / trivial:.0f}%",
            ]
        info = phases["page cache on"][name][1]
        total = sum(info["cache"].values()) or 1
        cells.append(f"{100 * info['cache'].get('hit', 0) / total:.0f}%")
        print("| " + " | ".join(cells) + " |")
        if name != "trivial view":
            on = phases["page cache on"]
            ok &= on[name][0] >= TARGET * on["trivial view"][0] and set(on[name][1]["status"]) == {200}
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    print(f"Target (cache on, every page >= {TARGET:.0%} of the trivial view): {'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
