"""The verdict on a spid-sp-test run (used by scripts/spid-sp-test): passed only when tests ran and all passed.

    python scripts/spid_sp_test_verdict.py REPORT.json OUTPUT.log

prints one line per category and every test that did not pass, and exits 1 when the run cannot count as
a pass: the report is missing or unreadable, a category ran no test, no test ran at all, a test did not
succeed, or spid-sp-test logged a CRITICAL error (e.g. the AuthnRequest could not even be fetched).
"""

import json
import sys
from pathlib import Path


def verdict(report_text: str | None, log_text: str) -> tuple[list[str], list[str]]:
    """(summary lines, problems): the run passes when ``problems`` is empty."""
    lines, problems = [], []
    critical = [line.strip() for line in log_text.splitlines() if "CRITICAL" in line]
    problems += [f"spid-sp-test logged: {line}"[:300] for line in critical]
    try:
        categories = json.loads(report_text)["test"]["sp"] if report_text else None
    except (ValueError, KeyError, TypeError):
        categories = None
    if not isinstance(categories, dict):
        return lines, problems + ["no readable spid-sp-test report"]
    total = 0
    for category, suites in categories.items():
        results = [item for suite in (suites or {}).values() for item in suite]
        failed = [item for item in results if item.get("result") != "success"]
        total += len(results)
        for item in failed:
            problems.append(
                f"{item.get('result')}: [{category}] {item.get('test')} {item.get('value', '')}"[:300]
            )
        if not results:
            problems.append(f"spid-sp-test {category}: no test ran")
        lines.append(
            f"spid-sp-test {category}: {len(results) - len(failed)} passed, {len(failed)} not passed"
        )
    if total == 0:
        problems.append("spid-sp-test ran no test")
    return lines, problems


def main(report_path: str, log_path: str) -> int:
    report, log = Path(report_path), Path(log_path)
    lines, problems = verdict(
        report.read_text() if report.exists() else None, log.read_text() if log.exists() else ""
    )
    for line in lines:
        print(line)
    for problem in problems:
        print(f"  FAIL {problem}")
    print("spid-sp-test: PASSED" if not problems else f"spid-sp-test: FAILED ({len(problems)} problem(s))")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
