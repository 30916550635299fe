"""Print the criteria of a pa-website-validator-ng JSON report as a table: code, result, title."""

import json
import sys

# Criteria a local installation cannot pass: https, the comune.<name>.it domain, where the server is, and the
# accessibility statement, which the validator downloads from form.agid.gov.it.
NOT_LOCAL = {"C.SI.5.1", "C.SI.5.2", "C.SI.3.3", "C.SI.3.2", ""}


def main(path: str) -> int:
    with open(path, encoding="utf-8") as report:
        audits = json.load(report)["audits"]
    failed = 0
    for audit in sorted(audits.values(), key=lambda a: a.get("code") or a.get("auditId") or ""):
        if "score" not in audit:
            continue  # not run with --scope local (menu and second-level pages need the institutional site)
        code, score = audit.get("code", ""), audit.get("score")
        result = "n/a" if score is None else ("PASS" if score >= 0.5 else "FAIL")
        if result == "FAIL" and code not in NOT_LOCAL and "ip-location" not in audit.get("auditId", ""):
            failed += 1
            result += " *"
        title = (audit.get("title") or audit.get("auditId", "")).split(" - ")[1:2] or [
            audit.get("auditId", "")
        ]
        print(f"{code or '-':10} {result:7} {title[0][:70]}")
    print(f"\n{failed} locally passable criteria failing (marked *).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
