#!/usr/bin/env bash
# Idempotent set-up behind `make run`, `make test` and `make bench`: system packages, Python
# environment from the lock file, database with extensions, migrations. Fast when everything is
# already there.
# Usage: scripts/setup.sh [--browser] [--bench] [--datenbank NAME]
#   --browser          also Chromium and axe-core (browser tests), Redis, poppler-utils and zbar-tools
#                      (the brochure tests read text and QR codes from the PDFs)
#   --bench            also wrk and curl (bench/run.sh)
#   --datenbank NAME   without DATABASE_URL: set up the database NAME on the local cluster
#                      (default netzwerkatlas) and migrate it, e.g. the bench's own database
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
want_bench=false
UV_VERSION=0.13.9
DB_NAME=netzwerkatlas
DB_USER=netzwerkatlas
while [ $# -gt 0 ]; do
  case "$1" in
    --browser) want_browser=true ;;
    --bench) want_bench=true ;;
    --datenbank)
      DB_NAME=${2:?--datenbank braucht einen Namen}
      shift
      ;;
    *)
      echo "Unbekannte Option: $1" >&2
      exit 2
      ;;
  esac
  shift
done
# The name goes into SQL unquoted.
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || {
  echo "Ungültiger Datenbankname: $DB_NAME (erlaubt: a–z, 0–9, _)" >&2
  exit 2
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else
    echo "Bitte als root ausführen: $*" >&2
    exit 1
  fi
}

# 1. System packages.
# Pango/HarfBuzz for WeasyPrint (brochure PDFs), and fonts it embeds: Noto has Arabic and
# Cyrillic, DejaVu is the fallback. Tests read the PDFs back with poppler and zbar.
# graphviz: neato lays out the Netzwerkkarte (auswertung/netzwerkkarte.py).
packages=(postgresql-15-postgis-3 gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-core fonts-dejavu-core graphviz)
$want_browser && packages+=(chromium npm poppler-utils zbar-tools redis-server)
$want_bench && packages+=(wrk curl)
missing=()
for p in "${packages[@]}"; do
  # npm is optional when node already brings its own.
  [ "$p" = npm ] && command -v npm >/dev/null && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installiere Systempakete: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Python environment from the lock file (uv lives in its own small tool venv).
PYTHON=$(command -v python3.11 || command -v python3)
if [ ! -x .tools/bin/uv ]; then
  say "Installiere uv $UV_VERSION"
  "$PYTHON" -m venv .tools
  .tools/bin/pip install -q "uv==$UV_VERSION"
fi
UV_PYTHON="$PYTHON" .tools/bin/uv sync --frozen --quiet

# 3. Database: DATABASE_URL if set, else the local cluster.
if [ -z "${DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "Starte PostgreSQL"
    as_root pg_ctlcluster 15 main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  psql_admin() {
    # From / so that the postgres user can always read its working directory.
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@")
    else psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres "$@"
    fi
  }
  if ! psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'" | grep -q 1; then
    say "Lege Datenbankrolle $DB_USER an"
    # Superuser on this local development cluster only: tests create databases with PostGIS.
    psql_admin -c "CREATE ROLE $DB_USER LOGIN SUPERUSER"
  fi
  if ! psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1; then
    say "Lege Datenbank $DB_NAME an"
    psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
  fi
  PGOPTIONS="-c client_min_messages=warning" psql_admin -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis; \
    CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;"
  # manage.py's default is the database netzwerkatlas; another one is named for the steps below.
  [ "$DB_NAME" = netzwerkatlas ] || export DATABASE_URL="postgis://$DB_USER@127.0.0.1:5432/$DB_NAME"
fi

# 4. Redis for the tests of the shared cache and sessions (tests/test_mehrere_server.py), on
# 127.0.0.1:6379 unless TEST_REDIS_URL names another.
if $want_browser && [ -z "${TEST_REDIS_URL:-}" ] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "Starte Redis"
  as_root service redis-server start >/dev/null 2>&1 ||
    as_root redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

# 5. Browser-test tools: axe-core from the npm lock file.
if $want_browser && [ ! -f node_modules/axe-core/axe.min.js ]; then
  say "Installiere axe-core (npm ci)"
  npm ci --silent --no-audit --no-fund
fi

# 6. Migrations and translations.
# No statement timeout for migrations: a data migration on a large database may run for minutes.
DB_STATEMENT_TIMEOUT_MS=0 .venv/bin/python manage.py migrate --noinput -v 0
if [ -n "$(find locale -name '*.po' 2>/dev/null)" ] && { [ ! -f locale/.compiled ] ||
  [ -n "$(find locale -name '*.po' -newer locale/.compiled)" ]; }; then
  .venv/bin/python manage.py compilemessages -v 0 --ignore=.venv && touch locale/.compiled
fi
