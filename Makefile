# The two commands: `make run` and `make test`. Each one sets up whatever is missing first.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup setup-test run test lint format bench messages backup restore cluster

setup:
	@bash scripts/setup.sh

setup-test:
	@bash scripts/setup.sh --browser

run: setup
	@$(PY) manage.py demo_laden --wenn-leer
	@$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-test
	@$(PY) -m pytest $(PYTEST_ARGS)

# ruff, and the import direction (pyproject.toml [tool.importlinter], scripts/schichten.py).
lint:
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/lint-imports

format:
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

bench:
	@bash bench/run.sh

messages:
	@$(PY) manage.py makemessages -l en --ignore=.venv --ignore=.tools --ignore=node_modules

# Backups: pg_dump (custom format) of DATABASE_URL into BACKUP_DIR, newest BACKUP_BEHALTEN kept;
# restore only into an empty database (README, "Backups").
backup:
	@bash scripts/backup.sh

restore:
	@bash scripts/restore.sh "$(FILE)"

# The multi-server set-up on this machine under load with failures (root; about two minutes;
# not part of `make test`). Figures in bench/CLUSTER.md.
cluster:
	@bash scripts/cluster.sh
