# The README's two commands: `make run` and `make test`. Each does all its own set-up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench load install assets pdf-packages system-packages check clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/css/app.css: node_modules/.installed static/scss/app.scss
	npm run --silent build:css

install: $(BIN)/.installed
assets: static_build/css/app.css

APT_INSTALL = $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq

# Debian packages WeasyPrint needs for PDFs: Pango, and Liberation Sans (Arial's metrics).
pdf-packages:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi "Liberation Sans"; } || { \
		$(APT_INSTALL) libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation >/dev/null; }

# Debian packages the tests use: Chromium for browser tests (never a browser
# download) and poppler-utils for reading PDFs.
system-packages: pdf-packages
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { \
		$(APT_INSTALL) chromium poppler-utils >/dev/null; }

# `make run` is a laptop: debug pages on, so the published local key is allowed.
run: export DJANGO_DEBUG ?= true
run: install assets pdf-packages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@# The background worker builds scrutiny packs. It rides out database errors itself;
	@# if it dies anyway (killed, crashed: not a clean stop), the loop starts it again.
	@# Both stop with the web server.
	( trap 'kill $$child 2>/dev/null; wait $$child; exit 0' INT TERM; \
	  while :; do \
	    $(BIN)/python manage.py run_worker --interval 0.5 & child=$$!; wait $$child && break; \
	    echo "The pack worker stopped (status $$?); starting it again in 5 s." >&2; sleep 5; \
	  done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The tests run with DEBUG off, as production does, with a key of their own
# (pytest.ini sets the same for pytest run on its own) unless one is set.
test: export DJANGO_SECRET_KEY ?= insecure-key-for-the-test-suite-only-never-use-it-in-production
# The suite runs on every CPU (pytest-xdist, one test database each); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install assets system-packages
	$(BIN)/ruff check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest -n $(TEST_WORKERS)

bench: install assets pdf-packages
	$(BIN)/python -m benchmarks.run

# The whole stack under load: gunicorn, two background workers and PostgreSQL holding
# the national register, driven by locust (benchmarks/load.py; about ten minutes).
$(BIN)/.load-installed: requirements-load.txt $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-load.txt
	touch $@

load: install $(BIN)/.load-installed assets pdf-packages
	$(BIN)/python -m benchmarks.load

clean:
	rm -rf $(VENV) node_modules static_build staticfiles .pytest_cache db.sqlite3 media
