# Sportello: `make run` starts the demo, `make test` runs the whole suite. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages clean system-deps bench multinode xmlsec1 spid-test pitre-sandbox agid css lighthouse bench-pages manual

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"' \
		|| { echo "Sportello needs Python 3.11+: set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Headless Chromium for the end-to-end tests (Debian/Ubuntu as root; elsewhere those tests say why they skip).
system-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing chromium for the end-to-end tests..."; \
			(apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
		else echo "chromium not found: end-to-end tests will be skipped (install the 'chromium' package)."; fi; }

# xmlsec1 signs and verifies the SAML messages of SPID/CIE: installed as root on Debian/Ubuntu, else a hint.
xmlsec1:
	@command -v xmlsec1 >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing xmlsec1 for SPID/CIE (SAML signatures)..."; \
			(apt-get install -y -qq xmlsec1 >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq xmlsec1 >/dev/null)); \
		else echo "xmlsec1 not found: install it (Debian/Ubuntu: apt-get install xmlsec1; macOS: brew install libxmlsec1) and retry."; exit 1; fi; }

run: export SPORTELLO_ENV ?= demo
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP) xmlsec1
	$(MANAGE) compile_translations
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) load_demo
	$(MANAGE) spid_keys
	$(MANAGE) tasks_recover
	@echo
	@echo "Sportello demo: http://127.0.0.1:$(PORT)/  (e-mails: console and var/mail/; stop with Ctrl+C)"
	@echo
	@$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
		$(MANAGE) scheduler & scheduler=$$!; \
		trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(BIN)/gunicorn sportello.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --threads 2 \
			--access-logfile - --access-logformat '%(h)s "%(r)s" %(s)s %(M)sms' 

test: export SPORTELLO_ENV = test
test: $(STAMP) system-deps xmlsec1
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) compile_translations
	$(MANAGE) spid_keys
	$(BIN)/pytest $(PYTEST_ARGS)

# SPID conformance: AgID's spid-sp-test (metadata, AuthnRequest, response suite) against a local server.
spid-test: $(STAMP) xmlsec1
	PYTHON=$(PYTHON) scripts/spid-sp-test

# The operators' applications pages on 1,000,000 applications (PostgreSQL: DATABASE_URL=postgres://...).
# Seeds a dedicated sportello_bench database once, then prints p50/p95/max per page. Then the booking engine
# (bench/scheduling.py, own database): one month of availability on 50,000 appointments, and a 200-client surge.
bench: export SPORTELLO_ENV = test
bench: $(STAMP)
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make bench needs DATABASE_URL=postgres://user@host:port/db (PostgreSQL)"; exit 2;; esac
	$(BIN)/python bench/applications_list.py
	$(BIN)/python bench/scheduling.py
	$(BIN)/python bench/reconcile_flow.py

# Public pages against a trivial view under gunicorn (issue 15: >= 25%), page cache off then on; SQLite or
# DATABASE_URL=postgres://... (own database sportello_bench_pages). See bench/public_pages.py.
bench-pages: $(STAMP)
	$(BIN)/python bench/public_pages.py

# The multi-node proof (bench/multinode.py): HAProxy, two web nodes, PgBouncer, two workers, two schedulers.
multinode: export SPORTELLO_ENV = test
multinode: $(STAMP)
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make multinode needs DATABASE_URL=postgres://user@host:port/db (PostgreSQL)"; exit 2;; esac
	@{ command -v haproxy || test -x /usr/sbin/haproxy; } >/dev/null 2>&1 \
		&& { command -v pgbouncer || test -x /usr/sbin/pgbouncer; } >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing haproxy and pgbouncer for the multi-node proof..."; \
			(apt-get install -y -qq haproxy pgbouncer >/dev/null 2>&1 \
				|| (apt-get update -qq && apt-get install -y -qq haproxy pgbouncer >/dev/null)) \
				|| { echo "make multinode: could not install haproxy and pgbouncer with apt-get"; exit 1; }; \
		else echo "make multinode needs haproxy and pgbouncer (Debian: apt-get install haproxy pgbouncer)"; exit 1; fi; }
	$(BIN)/python bench/multinode.py

# AgID's validator of municipal sites against the running demo (AGID_VALIDATOR=<built checkout>; see the README).
agid: $(STAMP)
	scripts/agid-check

# The trimmed Bootstrap Italia stylesheet and icon sprite (PurgeCSS from npm); commit the output.
css: $(STAMP)
	scripts/build-css

# Lighthouse (mobile) on the running demo: median of 3 runs on five citizen pages (make run first).
lighthouse: $(STAMP)
	$(BIN)/python scripts/lighthouse.py http://127.0.0.1:$(PORT)

# The staff manual's screenshots, retaken in the browser (backoffice/tests/test_e2e_manual.py); commit them.
manual: export SPORTELLO_ENV = test
manual: $(STAMP) system-deps
	SPORTELLO_MANUAL_SCREENSHOTS=1 $(BIN)/pytest src/sportello/backoffice/tests/test_e2e_manual.py -q

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A local fake P.I.Tre. for the demo (sandbox provider pitre_sandbox); switches the Comune di Trento to it.
pitre-sandbox: export SPORTELLO_ENV ?= demo
pitre-sandbox: $(STAMP)
	$(MANAGE) pitre_sandbox --port 8500 --configure comune-di-trento

# Extract the strings to translate into the English and German catalogues (needs GNU gettext).
messages: $(STAMP)
	cd src/sportello && PYTHONPATH=$(CURDIR)/src DJANGO_SETTINGS_MODULE=sportello.settings SPORTELLO_ENV=dev \
		../../$(BIN)/django-admin makemessages -l en -l de --no-obsolete --no-location

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
