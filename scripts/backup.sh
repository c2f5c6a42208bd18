#!/usr/bin/env bash
# `make backup`: a pg_dump of DATABASE_URL's database in custom format, timestamped (UTC), into
# BACKUP_DIR; keeps the newest BACKUP_BEHALTEN files of this database and deletes older ones.
# A file is written as .part and renamed when pg_dump succeeded and pg_restore can read it, so a
# broken run never counts as a backup. Restore with `make restore FILE=…` (scripts/restore.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
eval "$("$PY" scripts/pg_umgebung.py)"
ziel_ordner=${BACKUP_DIR:-backups}
behalten=${BACKUP_BEHALTEN:-14}
[[ "$behalten" =~ ^[1-9][0-9]*$ ]] || {
  echo "BACKUP_BEHALTEN muss eine Zahl ab 1 sein, nicht „$behalten“." >&2
  exit 2
}

mkdir -p "$ziel_ordner"
chmod 700 "$ziel_ordner" # personal data of contact persons
zeit=$(date -u +%Y%m%dT%H%M%SZ)
datei="$ziel_ordner/$PGDATABASE-$zeit.dump"
n=1
while [ -e "$datei" ]; do
  n=$((n + 1))
  datei="$ziel_ordner/$PGDATABASE-$zeit-$n.dump"
done

trap 'rm -f "$datei.part"' EXIT
pg_dump --format=custom --compress=6 --file "$datei.part"
pg_restore --list "$datei.part" >/dev/null
mv "$datei.part" "$datei"
trap - EXIT
echo "Sicherung geschrieben: $datei ($(du -h "$datei" | cut -f1))"

# Retention by count: the newest first by name (the timestamp sorts), delete beyond BEHALTEN.
mapfile -t alte < <(ls -1 "$ziel_ordner/$PGDATABASE"-*.dump 2>/dev/null | sort -r | tail -n +$((behalten + 1)))
for alt in "${alte[@]}"; do
  rm -f -- "$alt"
  echo "Alte Sicherung gelöscht: $alt"
done
