# The two commands: `make run` (site with demo content) and `make test` (the whole suite).
# Both create or update the virtual environment from uv.lock first.

UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test worker bench lint format checks messages venv clean

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

venv: $(VENV)/.synced

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# axe-core for the accessibility checks in the browser tests (skipped when npm is missing, except in CI).
AXE := tests/browser/node/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/node/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser/node --no-audit --no-fund --silent; fi

test: venv $(AXE)
	$(PY) -m pytest $(PYTEST_ARGS)

worker: venv
	$(VENV)/bin/celery -A config worker --beat --loglevel=INFO

bench: venv
	$(PY) tests/bench/http_bench.py
	$(PY) tests/bench/membership_bench.py
	$(PY) tests/bench/campaign_bench.py
	$(PY) tests/bench/forum_bench.py
	$(PY) tests/bench/forum_peers_bench.py
	$(PY) tests/bench/search_bench.py
	$(PY) tests/bench/library_bench.py
	$(PY) tests/bench/events_bench.py
	$(PY) tests/bench/mentoring_bench.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Checks CI runs besides the suite: migrations in step with models, and a clean deployment check.
checks: venv
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=production DJANGO_SECRET_KEY=ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
	  DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} ALLOWED_HOSTS=example.org \
	  EMAIL_URL=smtp://localhost:25 $(PY) manage.py check --deploy --fail-level WARNING

messages: venv
	$(PY) manage.py makemessages --locale fr --ignore '.venv/*' --ignore '.tools/*' --no-obsolete
	$(PY) manage.py compilemessages --locale fr --ignore '.venv/*' --ignore '.tools/*'

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 var
