# Two commands on a fresh machine: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/lhasa_employment
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-pg test-browser screenshots bench fuzz lint fmt messages install clean backup restore security-scan

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py install_schedules
	@# The task worker sends pushes and runs the nightly jobs; it stops with the server.
	$(PY) manage.py qcluster & trap 'kill $$!' EXIT INT TERM; $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on the embedded SQLite database, browser tests included.
test: $(STAMP)
	@scripts/ensure_browser.sh
	$(PY) manage.py makemigrations --check --dry-run > /dev/null
	$(PY) -m pytest -n 2 tests

# The same suite on PostgreSQL (127.0.0.1:5432, user postgres, trust auth by default).
test-pg: $(STAMP)
	@scripts/ensure_browser.sh
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 tests

# Retake the README's screenshots and the sample print into docs/screenshots (a plain
# test run writes them to a scratch folder and leaves the checkout clean).
screenshots: $(STAMP)
	@scripts/ensure_browser.sh
	UPDATE_SCREENSHOTS=1 REQUIRE_BROWSER=1 $(PY) -m pytest -n 2 -p no:randomly tests/browser tests/guidance/test_guidance_pdf.py

bench: $(STAMP)
	$(PY) -m pytest bench --benchmark-only -p no:randomly -q -s

# Schemathesis over the whole API with many more examples than CI runs (not part of CI).
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(PY) -m pytest -n 2 -p no:randomly tests/security/test_schemathesis.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Known vulnerabilities in the installed packages (an unreachable service is said, not
# passed off as clean) and high-severity findings in our code.
security-scan: $(STAMP)
	$(PY) scripts/pip_audit_gate.py
	$(VENV)/bin/bandit -c pyproject.toml -r . -lll -q

# A timestamped backup and its manifest in var/backups/ (SQLite online backup, or pg_dump -Fc).
backup: $(STAMP)
	$(PY) manage.py backup_db

# Restores FILE (made by `make backup`) into the configured database and verifies it.
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/<backup>"; exit 2; }
	$(PY) manage.py restore_db "$(FILE)"

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the catalogues after changing strings, then translate and compile.
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans -l bo -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
