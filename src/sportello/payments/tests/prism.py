"""Run Prism (the contract mock of an official OpenAPI file) for a test, on a free port of 8400-8499."""

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
PORTS = range(int(os.environ.get("PRISM_PORT_FIRST", 8400)), int(os.environ.get("PRISM_PORT_LAST", 8499)) + 1)


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


def spec_path(name: str) -> Path:
    path = SHARED / "specs" / name
    if not path.exists():
        _unavailable(f"official spec {path} not found")
    return path


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for Prism")


@contextmanager
def prism(spec: str):
    """Yield the base URL of a Prism mock of ``spec`` (validating every request against it)."""
    path = spec_path(spec)
    if shutil.which("npx") is None:
        _unavailable("npx (Node.js) not found: Prism cannot run")
    port = _free_port()
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
