# CarerTrack: `make run` and `make test` do all set-up on a fresh machine with Python 3.11, Node and git.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask
export FLASK_APP := wsgi.py

.DEFAULT_GOAL := help

.PHONY: help setup run test lint format assets db demo clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/.built: node_modules/.installed static/build.mjs $(wildcard static/src/*)
	node static/build.mjs
	touch $@

setup: $(VENV)/.installed static/dist/.built ## Install Python and Node dependencies and build assets

assets: static/dist/.built ## Build GOV.UK Frontend and our CSS/JS into static/dist

db: setup ## Apply database migrations
	$(FLASK) db upgrade

demo: db ## Load the demo service if the database is empty
	$(FLASK) seed demo --if-empty

run: demo ## Set up, migrate, load demo data and serve on http://127.0.0.1:5000
	@echo ""
	@echo "CarerTrack is starting on http://127.0.0.1:5000"
	@echo "Sign in with any demo account, for example maria.jones@example.org (manager),"
	@echo "sam.okafor@example.org (social worker), david.chen@example.org (panel administrator)"
	@echo "or alex.morgan@example.org (administrator). Password for all: carertrack-demo-2026"
	@echo "(list them all with: $(FLASK) users list)"
	@echo ""
	@echo "To see the demo's reminder emails, in two more terminals start a debugging mail server"
	@echo "and the scheduler (it sends today's reminders at once if the daily time has passed):"
	@echo "  $(BIN)/python -m aiosmtpd -n -l 127.0.0.1:1025"
	@echo "  MAIL_SERVER=127.0.0.1 MAIL_PORT=1025 $(FLASK) scheduler run"
	@echo "(or once, without the scheduler: MAIL_SERVER=127.0.0.1 MAIL_PORT=1025 $(FLASK) reminders run)"
	@echo ""
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: setup ## Check style, common bugs and security with ruff and bandit
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -c pyproject.toml -r carertrack config.py wsgi.py -q

format: setup ## Reformat the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup lint ## Lint, then run every test (TEST_DATABASE_URL selects PostgreSQL)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure here."; exit 1; fi; \
	exit $$status

.PHONY: serve-production
serve-production: ## Serve as in production: gunicorn with carertrack/gunicorn_conf.py (docs/production.md)
	$(BIN)/gunicorn -c carertrack/gunicorn_conf.py wsgi:app

clean: ## Remove the virtual environment, node_modules and built assets (keeps the database)
	rm -rf $(VENV) node_modules static/dist .pytest_cache .ruff_cache
