#!/usr/bin/env bash
# `make cluster`: the multi-server set-up on this machine, under load, with failures.
#
# Starts nginx on loopback in front of two gunicorn instances (production settings), one Redis
# (cache, sessions, counters), a PostgreSQL primary and a streaming replica (own clusters, own
# ports; the machine's main cluster is not touched), loads the demo data, then runs a bounded
# load test (bench/cluster_last.py: public reads plus admin writes through nginx), restarts one
# app instance the planned way (drained in nginx first, docs/deployment/abziehen.sh) and stops
# the replica mid-run, and reports failed requests and lost writes to bench/CLUSTER.md.
# Everything it started is stopped, its scratch clusters dropped and its ports freed at the
# end, also after an error; the machine's main cluster (5432) and its databases are never
# touched. Needs root (Debian packages, clusters). About two minutes.
#
# Knobs: CLUSTER_DAUER=60 (seconds of load), CLUSTER_LESER=6 (reading threads),
#        CLUSTER_BASIS=8100 (ports: nginx BASIS, app BASIS+1/+2, Redis BASIS+79,
#        primary 5434, replica 5433)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
DAUER=${CLUSTER_DAUER:-60}
LESER=${CLUSTER_LESER:-6}
BASIS=${CLUSTER_BASIS:-8100}
NGINX_PORT=$BASIS
APP1_PORT=$((BASIS + 1))
APP2_PORT=$((BASIS + 2))
REDIS_PORT=$((BASIS + 79))
PRIMAER_PORT=5434
REPLIK_PORT=5433
PRIMAER=atlasprimaer
REPLIK=replica
ARBEIT=$(mktemp -d /tmp/atlas-cluster.XXXXXX)
chmod 755 "$ARBEIT"
BERICHT=bench/CLUSTER.md

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
als_postgres() { (cd / && runuser -u postgres -- "$@"); }

[ "$(id -u)" = 0 ] || {
  echo "Bitte als root ausführen (Debian-Pakete, PostgreSQL-Cluster)." >&2
  exit 1
}
for port in $NGINX_PORT $APP1_PORT $APP2_PORT $REDIS_PORT $PRIMAER_PORT $REPLIK_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "Port $port ist belegt; CLUSTER_BASIS anders setzen oder den Dienst beenden." >&2
    exit 1
  fi
done

# --- Packages (the Python environment comes with scripts/setup.sh, below, for the cluster's own
# database: never the machine's default one) ---------------------------------------------------
fehlend=()
for p in nginx redis-server postgresql-15-postgis-3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || fehlend+=("$p")
done
if [ ${#fehlend[@]} -gt 0 ]; then
  say "Installiere ${fehlend[*]}"
  apt-get update -qq
  # RUNLEVEL=1: Debian's maintainer scripts start no services (no nginx on port 80).
  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${fehlend[@]}" >/dev/null
fi

# --- Cleanup, whatever happens ---------------------------------------------------------------------
aufraeumen() {
  set +e
  say "Räume auf"
  for pid in "$ARBEIT"/*.pid; do
    [ -f "$pid" ] || continue
    kill "$(cat "$pid")" 2>/dev/null
  done
  sleep 1
  [ -f "$ARBEIT/nginx.pid" ] && nginx -p "$ARBEIT" -c "$ARBEIT/nginx.conf" -s stop 2>/dev/null
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  for name in $REPLIK $PRIMAER; do
    if pg_lsclusters -h | awk '{print $2}' | grep -qx "$name"; then
      pg_dropcluster --stop 15 "$name" 2>/dev/null
    fi
  done
  # Until the ports are free again (gunicorn's workers end after the graceful timeout).
  for _ in $(seq 1 60); do
    belegt=$(ss -Hltn | awk '{print $4}' | grep -Ec ":($NGINX_PORT|$APP1_PORT|$APP2_PORT|$REDIS_PORT|$PRIMAER_PORT|$REPLIK_PORT)\$" || true)
    [ "$belegt" = 0 ] && break
    sleep 0.5
  done
  if [ "$belegt" != 0 ]; then
    echo "Noch belegt:" >&2
    ss -Hltnp | grep -E ":($NGINX_PORT|$APP1_PORT|$APP2_PORT|$REDIS_PORT|$PRIMAER_PORT|$REPLIK_PORT) " >&2
  else
    say "Alles gestoppt, Cluster $PRIMAER und $REPLIK entfernt, Ports frei"
  fi
  rm -rf "$ARBEIT"
}
trap aufraeumen EXIT

# --- PostgreSQL primary and streaming replica --------------------------------------------------------
for name in $REPLIK $PRIMAER; do
  if pg_lsclusters -h | awk '{print $2}' | grep -qx "$name"; then
    say "Entferne den Cluster $name eines früheren Laufs"
    pg_dropcluster --stop 15 "$name"
  fi
done
say "PostgreSQL: Primärserver auf $PRIMAER_PORT"
pg_createcluster 15 $PRIMAER --port $PRIMAER_PORT >/dev/null
conf=/etc/postgresql/15/$PRIMAER
cat >>"$conf/postgresql.conf" <<KONF
listen_addresses = '127.0.0.1'
shared_buffers = 64MB
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
KONF
# Loopback only, for this measurement: trust instead of passwords.
cat >"$conf/pg_hba.conf" <<KONF
local all postgres peer
host all all 127.0.0.1/32 trust
host replication replikator 127.0.0.1/32 trust
KONF
pg_ctlcluster 15 $PRIMAER start
als_postgres psql -X -q -p $PRIMAER_PORT -c "CREATE ROLE atlas LOGIN SUPERUSER" \
  -c "CREATE ROLE replikator LOGIN REPLICATION" -c "CREATE DATABASE atlas OWNER atlas"
als_postgres psql -X -q -p $PRIMAER_PORT -d atlas -c "CREATE EXTENSION postgis; CREATE EXTENSION pg_trgm; CREATE EXTENSION unaccent;"

export DJANGO_SETTINGS_MODULE=config.settings.base
export SECRET_KEY="cluster-$(head -c 24 /dev/urandom | base64)"
# The load test's throwaway staff account, new for each run (bench/cluster_last.py reads it).
export LAST_PASSWORT="last-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0
export DATABASE_URL=postgis://atlas@127.0.0.1:$PRIMAER_PORT/atlas
export REPLICA_DATABASE_URL=postgis://atlas@127.0.0.1:$REPLIK_PORT/atlas
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export STATIC_ROOT=$ARBEIT/static
# The load comes from one address: no rate limit and no search budget; admin logins without a
# second factor (the demo accounts have no device).
export DROSSELUNG_ANFRAGEN=0 SUCHBUDGET_PUNKTE=0 OTP_REQUIRED=false
export LOG_LEVEL=WARNING

say "Python-Umgebung, Migrationen und Demodaten"
bash scripts/setup.sh >/dev/null
$PY manage.py demo_laden >/dev/null
$PY manage.py collectstatic --noinput -v 0
$PY - <<'PYTHON'
import os

import django

django.setup()
from django.contrib.auth import get_user_model

get_user_model().objects.create_superuser("last", "last@example.org", os.environ["LAST_PASSWORT"])
PYTHON

say "PostgreSQL: Replik auf $REPLIK_PORT (pg_basebackup, Streaming)"
pg_createcluster 15 $REPLIK --port $REPLIK_PORT >/dev/null
daten=/var/lib/postgresql/15/$REPLIK
rm -rf "$daten"
install -d -o postgres -g postgres -m 700 "$daten"
als_postgres pg_basebackup -h 127.0.0.1 -p $PRIMAER_PORT -U replikator -D "$daten" -R -X stream -c fast
cat >>"/etc/postgresql/15/$REPLIK/postgresql.conf" <<KONF
listen_addresses = '127.0.0.1'
shared_buffers = 64MB
hot_standby = on
KONF
cp "$conf/pg_hba.conf" "/etc/postgresql/15/$REPLIK/pg_hba.conf"
pg_ctlcluster 15 $REPLIK start
for _ in $(seq 1 30); do
  [ "$(als_postgres psql -X -tA -p $REPLIK_PORT -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] && break
  sleep 1
done

# --- Redis, two app instances, nginx ------------------------------------------------------------------
say "Redis auf $REDIS_PORT"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no \
  --pidfile "$ARBEIT/redis.pid.txt" --logfile "$ARBEIT/redis.log"

app_starten() {
  local nummer=$1 port=$2
  .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 30 \
    --graceful-timeout 10 --pid "$ARBEIT/app$nummer.pid" --daemon --no-control-socket \
    --error-logfile "$ARBEIT/app$nummer.log" --capture-output
  # Ready: the worker runs and the database answers.
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null -H "Host: 127.0.0.1" "http://127.0.0.1:$port/-/ready/" 2>/dev/null && return 0
    sleep 0.25
  done
  echo "App $nummer startet nicht:" >&2
  cat "$ARBEIT/app$nummer.log" >&2
  return 1
}
say "gunicorn auf $APP1_PORT und $APP2_PORT"
app_starten 1 $APP1_PORT
app_starten 2 $APP2_PORT

say "nginx auf $NGINX_PORT"
mkdir -p "$ARBEIT/logs"
# The instances in a file of their own, as in production: abziehen.sh marks one down.
cat >"$ARBEIT/upstream.conf" <<KONF
server 127.0.0.1:$APP1_PORT max_fails=3 fail_timeout=5s;
server 127.0.0.1:$APP2_PORT max_fails=3 fail_timeout=5s;
KONF
export NGINX_NEU_LADEN="nginx -p $ARBEIT -c $ARBEIT/nginx.conf -s reload"
sed -e "s|@ARBEIT@|$ARBEIT|g" -e "s|@NGINX_PORT@|$NGINX_PORT|g" \
  -e "s|@APP1@|127.0.0.1:$APP1_PORT|g" -e "s|@APP2@|127.0.0.1:$APP2_PORT|g" \
  -e "s|@STATIC@|$STATIC_ROOT|g" docs/deployment/nginx-cluster.conf >"$ARBEIT/nginx.conf"
nginx -p "$ARBEIT" -c "$ARBEIT/nginx.conf"

# --- Load, with failures ------------------------------------------------------------------------------
warte_bis() {
  # Until $1 seconds after the start of the load (bench/cluster_last.py writes the .los file).
  local los
  until [ -s "$ARBEIT/ereignisse.los" ]; do sleep 0.2; done
  los=$(cat "$ARBEIT/ereignisse.los")
  while awk -v los="$los" -v t="$1" -v jetzt="$(date +%s.%N)" 'BEGIN { exit !(jetzt < los + t) }'; do
    sleep 0.2
  done
}
app_ereignisse() {
  # A planned restart, as an operator does it (README "Planned restarts"): drain instance 1 in
  # nginx, stop it once nginx holds no connection to it, start it, put it back when ready.
  local alt
  warte_bis $((DAUER / 5))
  echo "$(date +%s.%N) app1_abziehen" >>"$ARBEIT/ereignisse"
  bash docs/deployment/abziehen.sh ab "$ARBEIT/upstream.conf" "127.0.0.1:$APP1_PORT" || true
  echo "$(date +%s.%N) app1_stopp" >>"$ARBEIT/ereignisse"
  alt=$(cat "$ARBEIT/app1.pid")
  kill -TERM "$alt"
  warte_bis $((DAUER * 2 / 5))
  # The old master must be gone before the port is free.
  while kill -0 "$alt" 2>/dev/null; do sleep 0.2; done
  echo "$(date +%s.%N) app1_start" >>"$ARBEIT/ereignisse"
  app_starten 1 $APP1_PORT || true
  bash docs/deployment/abziehen.sh zu "$ARBEIT/upstream.conf" "127.0.0.1:$APP1_PORT" || true
  echo "$(date +%s.%N) app1_bereit" >>"$ARBEIT/ereignisse"
}
replik_ereignisse() {
  # Independent of the app's restart, however long that takes.
  warte_bis $((DAUER * 3 / 5))
  echo "$(date +%s.%N) replik_stopp" >>"$ARBEIT/ereignisse"
  pg_ctlcluster 15 $REPLIK stop -m fast
  warte_bis $((DAUER * 4 / 5))
  echo "$(date +%s.%N) replik_start" >>"$ARBEIT/ereignisse"
  pg_ctlcluster 15 $REPLIK start
  echo "$(date +%s.%N) replik_bereit" >>"$ARBEIT/ereignisse"
}

say "Last: $DAUER s, $LESER lesende Threads und ein schreibender (Admin), über nginx"
: >"$ARBEIT/ereignisse"
app_ereignisse &
echo $! >"$ARBEIT/app_ereignisse.pid"
replik_ereignisse &
echo $! >"$ARBEIT/replik_ereignisse.pid"
$PY bench/cluster_last.py --url "http://127.0.0.1:$NGINX_PORT" --dauer "$DAUER" --leser "$LESER" \
  --ereignisse "$ARBEIT/ereignisse" --primaer "$DATABASE_URL" --replik "$REPLICA_DATABASE_URL" \
  --bericht "$BERICHT" --commit "$(git rev-parse --short HEAD)"
wait 2>/dev/null || true
rm -f "$ARBEIT"/*_ereignisse.pid
# What the apps logged (Django's warnings, gunicorn's output).
zaehlen() { cat "$ARBEIT"/app*.log | grep -c "$1" || true; }
cat >>"$BERICHT" <<BERICHT
- From the apps' logs: replica found down and paused for 5 s: $(zaehlen "Lesereplik replica antwortet nicht")
  times; requests run once more on the primary after the replica failed under them:
  $(zaehlen "läuft noch einmal auf der primären"); "Internal Server Error": $(zaehlen "Internal Server Error")
BERICHT
say "Bericht: $BERICHT"
