"""scripts/spid-sp-test passes only when it tested its own server and every test ran and passed."""

import importlib.util
import json
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
SCRIPT = ROOT / "scripts" / "spid-sp-test"


def _verdict():
    spec = importlib.util.spec_from_file_location(
        "spid_sp_test_verdict", ROOT / "scripts" / "spid_sp_test_verdict.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.verdict


def report(**categories) -> str:
    return json.dumps({"test": {"sp": {name: {"suite": items} for name, items in categories.items()}}})


OK = [{"test": "a", "result": "success"}, {"test": "b", "result": "success"}]


def test_a_complete_successful_run_passes():
    lines, problems = _verdict()(report(metadata=OK, authnrequest=OK, responses=OK), "INFO all fine")
    assert problems == [] and lines[0] == "spid-sp-test metadata: 2 passed, 0 not passed"


@pytest.mark.parametrize(
    "report_text, log, expected",
    [
        # the case: the AuthnRequest step ended CRITICAL ... 404 and ran nothing
        (report(metadata=OK), "CRITICAL authn request: 404 Not Found", "CRITICAL"),
        (report(metadata=OK, authnrequest=[]), "", "no test ran"),
        (report(), "", "ran no test"),
        (None, "", "no readable spid-sp-test report"),
        ("{not json", "", "no readable spid-sp-test report"),
        (report(metadata=[*OK, {"test": "c", "result": "failure"}]), "", "failure: [metadata] c"),
    ],
)
def test_runs_that_cannot_count_as_a_pass(report_text, log, expected):
    _lines, problems = _verdict()(report_text, log)
    assert any(expected in problem for problem in problems), problems


def test_the_script_refuses_a_port_already_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            ["bash", str(SCRIPT)],
            env={"PATH": "/usr/bin:/bin", "SPID_TEST_PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    assert result.returncode == 2
    assert f"port {port} is already in use" in result.stderr
