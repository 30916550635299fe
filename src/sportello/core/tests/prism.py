"""Run Prism (the contract mock of an official OpenAPI file) for a contract test, on a free port of the caller's
range; the pagoPA, App IO and P.I.Tre. contract tests share it."""

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

# The shared material sits beside the project (CI copies it there); SPORTELLO_SHARED_DIR overrides.
SHARED = Path(os.environ.get("SPORTELLO_SHARED_DIR", Path(__file__).resolve().parents[4].parent / "shared"))


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def spec_path(name: str) -> Path:
    path = SHARED / "specs" / name
    if not path.exists():
        unavailable(f"official spec {path} not found")
    return path


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


@contextmanager
def prism(spec: str, *, ports: range):
    """Yield the base URL of a Prism mock of ``spec`` (validating every request against it)."""
    path = spec_path(spec)
    if shutil.which("npx") is None:
        unavailable("npx (Node.js) not found: Prism cannot run")
    port = free_port(ports)
    process = subprocess.Popen(
        ["npx", "--yes", "@stoplight/prism-cli@5", "mock", "-h", "127.0.0.1", "-p", str(port), str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Prism did not start for {spec}")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
