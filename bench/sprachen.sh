#!/usr/bin/env bash
# The offerings list in German and in Arabic side by side (bench/RESULTS-sprachen.md): a small
# measurement, not the whole `make bench`. gunicorn with the production settings as in
# bench/run.sh, on a copy of the bench database; for each pair of URLs requests one after
# another with curl, alternating German and Arabic, and their medians; the first-visit weight
# of both lists (bench/seitengewicht.py).
#
#   BENCH_DATABASE_URL   the bench database (a copy: CREATE DATABASE … TEMPLATE netzwerkatlas_bench)
#   BENCH_PORT=8791      first port to try
#   BENCH_WORKERS=2
#   BENCH_ANFRAGEN=21    requests per URL (after 3 warm-up requests)
#   BENCH_ROH=bench/.roh-sprachen   raw output (TSV)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=${BENCH_PORT:-8791}
WORKERS=${BENCH_WORKERS:-2}
ANFRAGEN=${BENCH_ANFRAGEN:-21}
ROH=${BENCH_ROH:-bench/.roh-sprachen}
: "${BENCH_DATABASE_URL:?BENCH_DATABASE_URL: a copy of the bench database}"
export DATABASE_URL=$BENCH_DATABASE_URL

mkdir -p "$ROH"
STATIC_ROOT=$(mktemp -d -t netzwerkatlas-sprachen-static.XXXXXX)
PROD_ENV=(
  DJANGO_SETTINGS_MODULE=config.settings.base
  SECRET_KEY=bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz
  ALLOWED_HOSTS=127.0.0.1,localhost
  SECURE_SSL_REDIRECT=false
  DB_CONN_MAX_AGE=60
  STATIC_ROOT="$STATIC_ROOT"
)
GUNICORN_PID=""
aufraeumen() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID"
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  rm -rf "$STATIC_ROOT"
}
trap aufraeumen EXIT

env "${PROD_ENV[@]}" $PY manage.py collectstatic --noinput -v 0
port_frei() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 50); do port_frei "$PORT" && break; PORT=$((PORT + 1)); done
BASIS="http://127.0.0.1:$PORT"
env "${PROD_ENV[@]}" .venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" \
  --workers "$WORKERS" --threads 1 >>"$ROH/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do curl -fs -o /dev/null "$BASIS/angebote/" && break; sleep 1; done

# A published offering for the detail pages.
SLUG=$($PY manage.py shell -c "from angebote.models import Angebot; print(Angebot.objects.veroeffentlicht().order_by('pk').values_list('slug', flat=True)[1000])" | tail -n 1)
kodiert() { printf '%s' "$1" | $PY -c "import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read()))"; }
STILLEN=$(kodiert 'الرضاعة')
BERATUNG=$(kodiert 'استشارة')

PAARE=(
  "PLZ, Standardumkreis 10 km|/angebote/?wo=73728|/ar/angebote/?wo=73728"
  "ohne Filter|/angebote/|/ar/angebote/"
  "Thema + zwei Kinder|/angebote/?thema=baby-kleinkind&alter=1,6|/ar/angebote/?thema=baby-kleinkind&alter=1,6"
  "Suchwort + PLZ (ar: übersetztes Thema)|/angebote/?q=Stillberatung&wo=73728|/ar/angebote/?q=$STILLEN&wo=73728"
  "Suchwort Beratung|/angebote/?q=Beratung|/ar/angebote/?q=Beratung"
  "Suchwort (ar: arabisches Wort „Beratung“)|/angebote/?q=Beratung|/ar/angebote/?q=$BERATUNG"
  "Einrichtungen, PLZ|/akteure/?wo=73728|/ar/akteure/?wo=73728"
  "Angebotsseite|/angebote/$SLUG/|/ar/angebote/$SLUG/"
)

zeit() { curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' "$BASIS$1"; }
median() { sort -g | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f", (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2) }'; }

last() { cut -d' ' -f1 /proc/loadavg; }
printf 'nproc\t%s\nlast_vorher\t%s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" >"$ROH/maschine.tsv"
: >"$ROH/zeiten.tsv"
for paar in "${PAARE[@]}"; do
  IFS='|' read -r name de ar <<<"$paar"
  for _ in 1 2 3; do zeit "$de" >/dev/null; zeit "$ar" >/dev/null; done
  : >"$ROH/de.txt"; : >"$ROH/ar.txt"
  for _ in $(seq 1 "$ANFRAGEN"); do
    zeit "$de" >>"$ROH/de.txt"
    zeit "$ar" >>"$ROH/ar.txt"
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$de" "$(cut -d' ' -f1 "$ROH/de.txt" | sort -u | paste -sd,)" \
    "$(cut -d' ' -f2 "$ROH/de.txt" | median)" "$(tail -n1 "$ROH/de.txt" | cut -d' ' -f3)" \
    "$(cut -d' ' -f1 "$ROH/ar.txt" | sort -u | paste -sd,)" "$(cut -d' ' -f2 "$ROH/ar.txt" | median)" \
    "$(tail -n1 "$ROH/ar.txt" | cut -d' ' -f3)" "$(last)" | tee -a "$ROH/zeiten.tsv"
done
printf 'last_nachher\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$ROH/maschine.tsv"
$PY bench/seitengewicht.py "$BASIS/angebote/?wo=73728" >"$ROH/seitengewicht.tsv"
$PY bench/seitengewicht.py "$BASIS/ar/angebote/?wo=73728" >"$ROH/seitengewicht-ar.tsv"
