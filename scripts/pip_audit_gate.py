#!/usr/bin/env python3
"""Run pip-audit over the installed environment and give an honest verdict.

pip-audit asks a vulnerability service about every installed package: PyPI's JSON API
(default) or OSV. Where the network reaches only a package mirror, the first answers 404
for every package ("Dependency not found on PyPI and could not be audited") and pip-audit
still prints "No known vulnerabilities found" and exits 0; OSV is not reachable at all.
That is not a pass. So this gate reads pip-audit's JSON and decides:

- a known vulnerability in any package → exit 1 (CI goes red);
- at least one package really checked, nothing found → exit 0;
- no package could be checked by any service → "vulnerability service unreachable —
  not checked", exit 0, or exit 2 with --require-service (for a machine with the network,
  where an unreachable service must not pass silently).
"""

import argparse
import json
import shutil

# pip-audit runs with an argument list, never through a shell.
import subprocess  # nosec B404
import sys
from pathlib import Path

SERVICES = ("pypi", "osv")
UNREACHABLE = "pip-audit: vulnerability service unreachable — not checked"


def _default_pip_audit() -> str:
    beside = Path(sys.executable).with_name("pip-audit")
    return str(beside) if beside.exists() else (shutil.which("pip-audit") or "pip-audit")


def audit(pip_audit: str, service: str) -> tuple[int, dict | None, str]:
    command = [pip_audit, "--local", "--skip-editable", "--format=json", "--progress-spinner=off"]
    command.append(f"--vulnerability-service={service}")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603  # nosec B603
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 2, None, str(exc)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = None
    return done.returncode, report, done.stderr.strip()


def verdict(report: dict) -> tuple[str, list[dict], list[dict], list[dict]]:
    """("found" | "clean" | "unchecked", vulnerable, checked, skipped)."""
    dependencies = report.get("dependencies", [])
    checked = [d for d in dependencies if "vulns" in d]
    skipped = [d for d in dependencies if "vulns" not in d]
    vulnerable = [d for d in checked if d["vulns"]]
    if vulnerable:
        return "found", vulnerable, checked, skipped
    return ("clean" if checked else "unchecked"), vulnerable, checked, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip-audit", default=_default_pip_audit())
    parser.add_argument("--require-service", action="store_true", help="Fail when nothing could be checked.")
    args = parser.parse_args(argv)

    for service in SERVICES:
        code, report, errors = audit(args.pip_audit, service)
        if report is None:
            last = errors.splitlines()[-1] if errors else "no output"
            print(f"pip-audit ({service}): no answer (exit {code}): {last}")
            continue
        outcome, vulnerable, checked, skipped = verdict(report)
        if outcome == "found":
            for dependency in vulnerable:
                for vuln in dependency["vulns"]:
                    fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                    name = f"{dependency['name']} {dependency['version']}"
                    print(f"VULNERABLE {name}: {vuln['id']} (fixed in {fixed})")
            count = f"{len(vulnerable)} of {len(checked)} checked packages"
            print(f"pip-audit ({service}): {count} have known vulnerabilities")
            return 1
        if outcome == "clean":
            note = f"; {len(skipped)} could not be checked" if skipped else ""
            print(f"pip-audit ({service}): {len(checked)} packages checked, no known vulnerabilities{note}")
            return 0
        print(f"pip-audit ({service}): the service answered for none of {len(skipped)} packages")
    print(UNREACHABLE)
    return 2 if args.require_service else 0


if __name__ == "__main__":
    sys.exit(main())
