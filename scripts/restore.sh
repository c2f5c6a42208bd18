#!/usr/bin/env bash
# `make restore FILE=…`: restore a `make backup` file into DATABASE_URL's database, which must
# exist and be empty (extensions such as PostGIS may already be installed). A database that
# holds any table is refused: restoring over live data would mix two states.
# Afterwards run `manage.py migrate` if the code is newer than the backup.
set -euo pipefail
cd "$(dirname "$0")/.."

datei=${1:-${FILE:-}}
if [ -z "$datei" ]; then
  echo "Bitte die Sicherungsdatei angeben: make restore FILE=backups/<name>.dump" >&2
  exit 2
fi
if [ ! -r "$datei" ]; then
  echo "Die Sicherungsdatei „$datei“ gibt es nicht oder sie ist nicht lesbar." >&2
  exit 2
fi
if ! pg_restore --list "$datei" >/dev/null 2>&1; then
  echo "„$datei“ ist keine Sicherung im pg_dump-Format (custom)." >&2
  exit 2
fi

PY=${PY:-.venv/bin/python}
eval "$("$PY" scripts/pg_umgebung.py)"

if ! psql -X -q -tA -c "SELECT 1" >/dev/null 2>&1; then
  echo "Die Datenbank „$PGDATABASE“ auf $PGHOST:$PGPORT ist nicht erreichbar oder existiert nicht." >&2
  echo "Leere Datenbank anlegen, z. B.: createdb -O $PGUSER $PGDATABASE" >&2
  exit 1
fi
# Tables, views, sequences outside the system schemas that no extension brought along.
belegt=$(psql -X -q -tA -c "
  SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')")
if [ "$belegt" != 0 ]; then
  echo "Die Datenbank „$PGDATABASE“ ist nicht leer ($belegt Tabellen, Sichten oder Sequenzen)." >&2
  echo "Wiederherstellen nur in eine leere Datenbank: bitte eine neue anlegen und DATABASE_URL darauf setzen." >&2
  exit 1
fi

echo "Stelle „$datei“ in „$PGDATABASE“ wieder her …"
# One transaction: an error leaves the database empty, not half restored. Owners and comments
# are the restoring role's (the extensions' comments belong to their owner).
pg_restore --dbname "$PGDATABASE" --single-transaction --exit-on-error --no-owner --no-comments "$datei"
psql -X -q -c "ANALYZE"
tabellen=$(psql -X -q -tA -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
echo "Wiederhergestellt: $tabellen Tabellen in „$PGDATABASE“."
