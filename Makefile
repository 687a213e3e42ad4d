# safepassage. `make demo` and `make test` are the whole quick start; see README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps-demo system-deps-test lint test-sqlite test-postgres test-browser messages serve clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP) messages

system-deps-demo:
	scripts/system-deps.sh demo

system-deps-test:
	scripts/system-deps.sh test

messages: $(STAMP)
	cd safepassage && SAFEPASSAGE_ENV=test ../$(PY) ../manage.py compilemessages -v0

# A fresh fictional organisation every time: its passwords are printed once.
demo: system-deps-demo install
	mkdir -p var
	rm -rf var/demo.sqlite3 var/demo.sqlite3-wal var/demo.sqlite3-shm var/keystore
	SAFEPASSAGE_ENV=demo $(PY) manage.py migrate -v0
	SAFEPASSAGE_ENV=demo $(PY) manage.py demo
	SAFEPASSAGE_ENV=demo $(PY) manage.py serve --host 127.0.0.1 --port 8000

# ruff, then the layers contract (pyproject.toml [tool.importlinter], docs/architecture.md).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

test-sqlite: $(STAMP)
	SAFEPASSAGE_ENV=test $(PYTEST) -q -m "not browser and not postgres"

test-postgres: $(STAMP)
	scripts/test-postgres.sh env SAFEPASSAGE_ENV=test $(PYTEST) -q -m "not browser"

test-browser: $(STAMP)
	SAFEPASSAGE_ENV=test $(PYTEST) -q -m browser

test: system-deps-test install lint test-sqlite test-postgres test-browser

clean:
	rm -rf $(VENV) var *.egg-info
