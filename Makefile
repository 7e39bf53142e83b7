# `make run` and `make test` work from a fresh clone; `make lint` runs the linters, `make bench` the benchmark.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test install lint clean bench

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## Start the app on 127.0.0.1:8000 with SQLite, console email and demo data, and the task worker
## beside it (deploy/Procfile.dev; one Ctrl-C stops both).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py purge_expired
	$(BIN)/honcho -f deploy/Procfile.dev -d . start

## Production from the environment (DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL of
## PostgreSQL, a real EMAIL_BACKEND...: deploy/clinic.env.example): migrate, collect the static files for
## WhiteNoise, refuse on a deploy check error, then gunicorn (deploy/gunicorn.conf.py) and the worker
## together (deploy/Procfile; one Ctrl-C stops both). systemd hosts use deploy/*.service instead.
serve: install
	@test "$$DJANGO_DEBUG" = false || { echo "make serve is production: set DJANGO_DEBUG=false (and the rest of deploy/clinic.env.example)"; exit 2; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py check --deploy --fail-level ERROR
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f deploy/Procfile -d . start

## Run the whole suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise).
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint: ruff (style, import order) and import-linter (the apps' layers, docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): requirements-bench.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	touch $(BENCH_STAMP)

## Benchmark the app against Django's floor: gunicorn + PostgreSQL on 127.0.0.1, locust as the load,
## a million-intake database for the staff pages (docs/performance.md). BENCH_ARGS="--help" for options.
bench: $(BENCH_STAMP)
	DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
