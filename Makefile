# The two commands: `make run` (the product on its embedded default) and `make test` (the suite).
# Python 3.12 or newer: .python-version selects it where pyenv is installed.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint typecheck format bench load messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "reorg trenger Python 3.12 eller nyere (Django 6). Fant " + sys.version.split()[0] + ". Sett PYTHON=/sti/til/python3.12.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo
	@echo "reorg kjører på http://$(HOST)/  (Ctrl+C stopper)"
	$(BIN)/python manage.py runserver $(HOST)

# One pytest process per core (pytest-xdist), each test file on one of them (its module fixtures,
# such as the demo, are built once). Locally the test databases are kept between runs
# (--reuse-db; migrations still apply); CI passes its own PYTEST_ARGS and starts from fresh ones.
PYTEST_ARGS ?= --reuse-db

test: install
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing UI strings: update the English catalogue, translate what is new, then compile.
# tests/test_catalogue_complete.py fails while a string is untranslated.
messages: install
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore='.venv/*' --ignore='bench/*' --ignore='tests/*' --ignore='node_modules/*' --ignore='static/vendor/*' --ignore='media/*' --ignore='staticfiles/*'
	@echo "Oversett det som er nytt i locale/en/LC_MESSAGES/django.po, og kjør: $(BIN)/python manage.py compilemessages -l en"

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The load mode: the large shape served by gunicorn (2 sync workers) and driven from another
# process; minutes, not part of `make test`. See bench/README.md.
load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media .test-media staticfiles .mypy_cache
