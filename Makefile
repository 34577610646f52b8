# Contrechamp: `make run` serves the site with demo data, `make test` runs the whole suite.
# Everything is installed into .venv/ (and the uv installer into .tools/) from uv.lock.

PYTHON ?= python3
VENV := .venv
UV := .tools/bin/uv
MANAGE := $(VENV)/bin/python manage.py
PYTEST := $(VENV)/bin/pytest
HOST ?= 127.0.0.1
PORT ?= 8000
# Local commands run with DEBUG on (no HTTPS, a development secret key); production sets its own.
DEV_ENV := CONTRECHAMP_DEBUG=1

.PHONY: install run worker test test-sqlite test-postgres e2e check format bench demo messages clean

install: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(UV) sync --frozen --python $(PYTHON)
	touch $@

run: install
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=.tools -v0
	$(DEV_ENV) $(MANAGE) load_catalogue
	$(DEV_ENV) $(MANAGE) load_venues
	$(DEV_ENV) $(MANAGE) load_rights_holders
	$(DEV_ENV) $(MANAGE) seed_demo
	$(DEV_ENV) $(MANAGE) rebuild_search_index
	@echo ""
	@echo "  Contrechamp is running at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@echo "  Emails (sign-up confirmations…) are printed below."
	@echo ""
	@# The background worker (queued emails) and the periodic jobs (reminders, digests) run
	@# beside the server and stop with it.
	$(DEV_ENV) $(MANAGE) db_worker --no-reload -v0 & worker=$$!; \
	  (while sleep 300; do $(DEV_ENV) $(MANAGE) run_periodic_jobs -v0; done) & periodic=$$!; \
	  trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	  $(DEV_ENV) $(VENV)/bin/granian --interface asginl --host $(HOST) --port $(PORT) \
	    --log-level warning contrechamp.asgi:application

worker: install
	$(DEV_ENV) $(MANAGE) db_worker

demo: install
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) load_catalogue
	$(DEV_ENV) $(MANAGE) load_venues
	$(DEV_ENV) $(MANAGE) load_rights_holders
	$(DEV_ENV) $(MANAGE) seed_demo
	$(DEV_ENV) $(MANAGE) rebuild_search_index

test: install
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=.tools -v0
	$(PYTEST) -n auto -q

test-sqlite: install
	env -u DATABASE_URL $(MAKE) test

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test

e2e: install
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=.tools -v0
	$(PYTEST) e2e -q -p no:xdist

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(VENV)/bin/mypy contrechamp e2e bench
	$(VENV)/bin/djlint contrechamp --lint
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run
	msgfmt --check -o /dev/null contrechamp/locale/fr/LC_MESSAGES/django.po
	@untranslated=$$(msgattrib --untranslated --no-obsolete contrechamp/locale/fr/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	  if [ "$$untranslated" != "0" ]; then echo "$$untranslated French translations missing (make messages, then fill them in)"; exit 1; fi
	@fuzzy=$$(msgattrib --only-fuzzy --no-obsolete contrechamp/locale/fr/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	  if [ "$$fuzzy" != "0" ]; then echo "$$fuzzy French translations marked fuzzy (guessed by gettext: check them, then remove the flag)"; exit 1; fi

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint contrechamp --reformat --quiet || true

messages: install
	$(DEV_ENV) $(MANAGE) makemessages -l fr -l en --ignore=.venv --ignore=.tools --no-obsolete

bench: install
	$(VENV)/bin/python bench/run.py

clean:
	rm -rf $(VENV) .tools var
