"""The pip-audit gate of `make security-scan`: red on a real finding, never green on a
service that could not be asked (scripts/pip_audit_gate.py, run against a stand-in pip-audit)."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

GATE = Path(settings.BASE_DIR) / "scripts" / "pip_audit_gate.py"

SKIPPED = {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django"}
CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": [], "description": ""}],
}


def stand_in(tmp_path: Path, answers: dict[str, tuple[int, object]]) -> Path:
    """A pip-audit that answers each --vulnerability-service with (exit code, JSON or stderr)."""
    script = tmp_path / "pip-audit"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"answers = {json.dumps(answers)!r}\n"
        "service = [a.split('=', 1)[1] for a in sys.argv if a.startswith('--vulnerability-service=')][0]\n"
        "code, body = json.loads(answers)[service]\n"
        "if isinstance(body, str):\n"
        "    print(body, file=sys.stderr)\n"
        "else:\n"
        "    print(json.dumps(body))\n"
        "sys.exit(code)\n"
    )
    script.chmod(0o755)
    return script


def gate(pip_audit: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(GATE), "--pip-audit", str(pip_audit), *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def report(*dependencies) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_known_vulnerability_fails(tmp_path):
    done = gate(stand_in(tmp_path, {"pypi": (1, report(VULNERABLE, CLEAN)), "osv": (0, report(CLEAN))}))
    assert done.returncode == 1
    assert "VULNERABLE django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in done.stdout


def test_nothing_checked_is_reported_as_unreachable_not_as_clean(tmp_path):
    closed = stand_in(
        tmp_path,
        {"pypi": (0, report(SKIPPED)), "osv": (1, "ConnectionError: Failed to resolve 'api.osv.dev'")},
    )
    done = gate(closed)
    assert done.returncode == 0
    assert "pip-audit: vulnerability service unreachable — not checked" in done.stdout
    assert "no known vulnerabilities" not in done.stdout
    assert gate(closed, "--require-service").returncode == 2


def test_a_second_service_is_asked_when_the_first_checks_nothing(tmp_path):
    done = gate(stand_in(tmp_path, {"pypi": (0, report(SKIPPED)), "osv": (1, report(VULNERABLE))}))
    assert done.returncode == 1
    assert "pip-audit (osv): 1 of 1 checked packages have known vulnerabilities" in done.stdout


def test_checked_and_clean_passes(tmp_path):
    done = gate(stand_in(tmp_path, {"pypi": (0, report(CLEAN, SKIPPED)), "osv": (1, "unused")}))
    assert done.returncode == 0
    assert (
        "pip-audit (pypi): 1 packages checked, no known vulnerabilities; 1 could not be checked"
        in done.stdout
    )
