#!/usr/bin/env bash
# Benchmark of the public offerings pages on a production-like set-up (`make bench`).
#
# Separate database with 250 000 generated offerings, gunicorn with the production settings
# and whitenoise, wrk on loopback. Writes bench/RESULTS.md; raw output stays in bench/.roh/.
# This is a measurement, not a test: it never fails because a target is missed.
#
# Knobs (environment):
#   BENCH_DATABASE_URL       use this database instead of netzwerkatlas_bench on the local cluster
#   BENCH_PORT=8765          first port to try (the next free one is used)
#   BENCH_WORKERS=2          gunicorn workers of the main run
#   BENCH_VERGLEICH_WORKERS=3  compared with BENCH_WORKERS on a few URLs at the end ("" = skip)
#   BENCH_DAUER=15           seconds per URL under load (BENCH_VERBINDUNGEN connections)
#   BENCH_DAUER_EINZELN=5    seconds per URL of requests one after another; also the warm-up
#   BENCH_VERBINDUNGEN=4
#   BENCH_MIX_VERBINDUNGEN=10  connections for the rotating mix of bench/suchen-mix.txt
#   BENCH_PGOPTIONS          e.g. "-c jit=off": server settings for gunicorn's connections, to
#                            try a database setting without touching the code (libpq PGOPTIONS)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=${BENCH_PORT:-8765}
WORKERS=${BENCH_WORKERS:-2}
VERGLEICH_WORKERS=${BENCH_VERGLEICH_WORKERS-3}
DAUER=${BENCH_DAUER:-15}
DAUER_EINZELN=${BENCH_DAUER_EINZELN:-5}
VERBINDUNGEN=${BENCH_VERBINDUNGEN:-4}
# The data size the targets are defined for (README: generate_data).
ANGEBOTE=250000
AKTEURE=100000
NETZWERKE=1000
SEED=1
DB_NAME=netzwerkatlas_bench
DB_USER=netzwerkatlas
ROH=bench/.roh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- Set-up and database -----------------------------------------------------------------------
# scripts/setup.sh as for `make run`, plus wrk and curl, for the bench database: never the
# development database, since the generator adds 250 000 offerings to whatever is there.
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  DATABASE_URL=$BENCH_DATABASE_URL bash scripts/setup.sh --bench
  DB_URL=$BENCH_DATABASE_URL
else
  env -u DATABASE_URL bash scripts/setup.sh --bench --datenbank "$DB_NAME"
  DB_URL="postgis://$DB_USER@127.0.0.1:5432/$DB_NAME"
fi
# Every manage.py call below, and gunicorn, talk to the bench database only.
export DATABASE_URL=$DB_URL

anzahl=$($PY manage.py shell -c "from angebote.models import Angebot; print(Angebot.objects.count())" | tail -n 1)
if [ "$anzahl" -lt "$ANGEBOTE" ]; then
  say "Erzeuge Testdaten (dauert gut eine Minute)"
  $PY manage.py generate_data --angebote $ANGEBOTE --akteure $AKTEURE --netzwerke $NETZWERKE --seed $SEED
  # A live database has been vacuumed by autovacuum long ago (visibility map, hint bits);
  # without this the first minutes of measuring would pay for it instead.
  say "VACUUM ANALYZE"
  DB_STATEMENT_TIMEOUT_MS=0 $PY manage.py shell -c "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
else
  say "Testdaten vorhanden ($anzahl Angebote) – nicht neu erzeugt"
fi

# --- Server ------------------------------------------------------------------------------------
rm -rf "$ROH"
mkdir -p "$ROH"
STATIC_ROOT=$(mktemp -d -t netzwerkatlas-bench-static.XXXXXX)
# Production settings (config.settings.base) with only what loopback HTTP needs loosened.
PROD_ENV=(
  DJANGO_SETTINGS_MODULE=config.settings.base
  SECRET_KEY=bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz
  ALLOWED_HOSTS=127.0.0.1,localhost
  SECURE_SSL_REDIRECT=false
  DB_CONN_MAX_AGE=60
  BEDARF_OEFFENTLICH=true
  STATIC_ROOT="$STATIC_ROOT"
  # The bench hammers the lists and maps from one address (127.0.0.1) at rates no visitor
  # reaches: the budget of anonymous searches (atlas/drosselung.py) is lifted, as documented
  # in README ("Drosselung"); loopback gets no exemption of its own in the site.
  SUCHBUDGET_PUNKTE=0
)
[ -z "${BENCH_PGOPTIONS:-}" ] || PROD_ENV+=("PGOPTIONS=$BENCH_PGOPTIONS")

GUNICORN_PID=""
stoppe_gunicorn() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID"
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  GUNICORN_PID=""
}
aufraeumen() {
  stoppe_gunicorn
  rm -rf "$STATIC_ROOT"
}
trap aufraeumen EXIT
trap 'exit 130' INT TERM

say "collectstatic (whitenoise, komprimiert)"
env "${PROD_ENV[@]}" $PY manage.py collectstatic --noinput -v 0

# The first free port from BENCH_PORT on: another developer's server must not answer instead.
port_frei() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 50); do port_frei "$PORT" && break; PORT=$((PORT + 1)); done
BASIS="http://127.0.0.1:$PORT"

starte_gunicorn() { # $1 = workers
  say "Starte gunicorn ($1 Worker, 1 Thread) auf $BASIS"
  env "${PROD_ENV[@]}" .venv/bin/gunicorn config.wsgi \
    --bind "127.0.0.1:$PORT" --workers "$1" --threads 1 \
    >>"$ROH/gunicorn-$1.log" 2>&1 &
  GUNICORN_PID=$!
  local bereit=""
  for _ in $(seq 1 60); do
    if curl -fs -o /dev/null "$BASIS/angebote/"; then bereit=1; break; fi
    kill -0 "$GUNICORN_PID" 2>/dev/null || break
    sleep 1
  done
  if [ -z "$bereit" ]; then
    echo "gunicorn antwortet nicht; siehe $ROH/gunicorn-$1.log" >&2
    exit 1
  fi
  index_abwarten
}

# Each worker builds its in-memory search index in the background after its first search
# (17 s on an idle machine for 250k offerings, minutes under load) and answers from SQL
# meanwhile. A worker serves from the index for hours after that, so that is what is measured:
# wait until 12 distinct broad searches in a row (two children's ages, sorted by last check:
# a new filter each time, so neither the result cache nor the list's count cache answers; seen
# by every worker) answer in < 0.3 s — from SQL each takes more than a second. At most 5 min.
index_abwarten() {
  local schnell=0 zeit alter i=0 ende=$((SECONDS + 300))
  while [ "$SECONDS" -lt "$ende" ]; do
    i=$((i + 1))
    alter="$((i % 27)),$(((i / 27) % 27))"
    zeit=$(curl -fs -o /dev/null -w '%{time_total}' \
      "$BASIS/angebote/?sortierung=geprueft&alter=$alter") || zeit=9
    if awk -v z="$zeit" 'BEGIN { exit !(z < 0.3) }'; then
      schnell=$((schnell + 1))
      [ "$schnell" -ge 12 ] && return 0
    else
      schnell=0
      sleep 0.5
    fi
  done
  echo "Warnung: der Suchindex der Worker war nach 5 Minuten nicht aufgebaut; gemessen wird trotzdem" >&2
}

# --- Measuring ---------------------------------------------------------------------------------
# psql on the bench database, for the clean-up after each wrk run (as the app's role, which may
# cancel its own connections' statements).
psql_bench() { psql -X -qtA "${DB_URL/#postgis:/postgresql:}" "$@"; }

# wrk stops at the end of its duration and drops the requests still in flight, but gunicorn
# and PostgreSQL go on working on them. With pages that take seconds, that work would land in
# the next URL's measurement. So: cancel the bench database's running statements (nobody waits
# for their answers any more; Django logs them as errors in gunicorn's log), until the workers
# are idle again.
ruhe_abwarten() {
  local abbrechen="SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND backend_type = 'client backend' AND state = 'active'"
  local ruhig=0 abgebrochen=0 n laufend
  for _ in $(seq 1 150); do
    # Repeatedly: the workers still take the dropped requests waiting in the listen queue.
    n=$(psql_bench -c "$abbrechen")
    abgebrochen=$((abgebrochen + n))
    # A sync worker waiting for the next request sleeps (S); one still rendering runs (R).
    laufend=$(for w in $(pgrep -P "$GUNICORN_PID"); do awk '{print $3}' "/proc/$w/stat" 2>/dev/null; done | grep -c R || true)
    if [ "$n" = 0 ] && [ "$laufend" = 0 ]; then
      ruhig=$((ruhig + 1))
      [ "$ruhig" -ge 3 ] && break
    else
      ruhig=0
    fi
    sleep 0.2
  done
  [ "$abgebrochen" = 0 ] || printf '    (%s Abfragen abgebrochener Anfragen gestoppt)\n' "$abgebrochen"
}

# One request after another with curl until DAUER_EINZELN seconds are used up (at most 50,
# at least one; none is cut off): the time of a request on an otherwise idle server, and the
# warm-up for the load run. Prints "EINZELN n=… median_ms=…", the first (cold) request left out.
einzeln_messen() { # seconds path…
  local dauer=$1 ende zeiten=() i=0
  shift
  local pfade=("$@")
  ende=$(($(date +%s%N) + dauer * 1000000000))
  while [ "${#zeiten[@]}" -lt 50 ]; do
    zeiten+=("$(curl -s -o /dev/null -w '%{time_total}' "$BASIS${pfade[i % ${#pfade[@]}]}")")
    i=$((i + 1))
    [ "$(date +%s%N)" -ge "$ende" ] && break
  done
  [ "${#zeiten[@]}" -ge 3 ] && zeiten=("${zeiten[@]:1}")
  printf '%s\n' "${zeiten[@]}" | sort -g |
    awk '{ t[NR] = $1 * 1000 } END { printf "EINZELN n=%d median_ms=%.2f\n", NR, (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2) }'
}

# One line per URL in $ROH/messungen.tsv: workers, group, label, path, HTTP status, saved
# answer, EINZELN (one connection), ERGEBNIS (under load; see bench/p95.lua).
nr=0
messen() { # group label workers secs-single secs-load path [more paths to rotate through]
  local gruppe=$1 bezeichnung=$2 workers=$3 einzeln_dauer=$4 dauer=$5
  shift 5
  local pfad=$1 koerper="$ROH/antwort-$((nr += 1))" status einzeln="" last skript_args=()
  # A 500 or a redirect must not pass for a fast page: check the answer first, keep it.
  status=$(curl -s -o "$koerper" -w '%{http_code}' "$BASIS$pfad")
  if [ $# -gt 1 ]; then
    printf '%s\n' "$@" >"$ROH/pfade-$nr.txt"
    skript_args=(-- "$ROH/pfade-$nr.txt")
  fi
  printf '  %-6s %-42s ' "$gruppe" "$bezeichnung"
  [ "$einzeln_dauer" -gt 0 ] && einzeln=$(einzeln_messen "$einzeln_dauer" "$@")
  # --timeout 30s: wrk leaves slower answers out of its histogram (default 2 s), hiding the tail.
  last=$(wrk -t2 -c"$VERBINDUNGEN" -d"${dauer}s" --timeout 30s -s bench/p95.lua "$BASIS$pfad" \
    "${skript_args[@]}" | grep '^ERGEBNIS' || true)
  case $last in
    *" requests=0 "*) last="" ;; # wrk saw no answer within its run: no latency to report
  esac
  local anzeige="keine Antwort in ${dauer} s"
  [ -z "$last" ] || anzeige=${last#ERGEBNIS }
  printf '%s  %s\n' "${einzeln#EINZELN }" "$anzeige"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$workers" "$gruppe" "$bezeichnung" "$pfad" \
    "$status" "$koerper" "$einzeln" "$last" >>"$ROH/messungen.tsv"
  ruhe_abwarten
}

urls() { # group → "label|path" lines from bench/urls.txt
  grep -v '^\s*#' bench/urls.txt | awk -F'|' -v g="$1" '
    { for (i = 1; i <= NF; i++) gsub(/^[ \t]+|[ \t]+$/, "", $i) }
    $1 == g { print $2 "|" $3 }'
}

starte_gunicorn "$WORKERS"
# Which code is measured (read-only git; others may commit while this runs).
code="commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
geaendert=$(git status --porcelain 2>/dev/null | wc -l)
[ "$geaendert" = 0 ] || code="$code plus uncommitted changes in $geaendert files"
echo "$code" >"$ROH/code.txt"

# Detail pages: ten published offerings spread over the table (md5 order: stable, not clustered).
$PY manage.py shell -c "
from django.db.models import TextField
from django.db.models.functions import MD5, Cast
from angebote.views import veroeffentlichte_angebote
for a in veroeffentlichte_angebote().order_by(MD5(Cast('pk', TextField())))[:10]:
    print(a.get_absolute_url())
" | grep '^/angebote/' >"$ROH/detailseiten.txt"

say "Messe: je URL bis ${DAUER_EINZELN} s einzeln (Aufwärmen), dann ${DAUER} s mit $VERBINDUNGEN Verbindungen"
mapfile -t detailseiten <"$ROH/detailseiten.txt"
while IFS='|' read -r bezeichnung pfad; do
  messen liste "$bezeichnung" "$WORKERS" "$DAUER_EINZELN" "$DAUER" "$pfad"
done < <(urls liste)
# The rotating mix of distinct broad searches (bench/suchen-mix.txt) with 10 connections: a
# crawler or planner walking through searches, which the result cache cannot help.
mapfile -t suchen_mix < <(grep -v '^\s*#' bench/suchen-mix.txt | grep -v '^\s*$')
verbindungen_vorher=$VERBINDUNGEN
VERBINDUNGEN=${BENCH_MIX_VERBINDUNGEN:-10}
messen mix "${#suchen_mix[@]} breite Suchen im Wechsel, $VERBINDUNGEN Verbindungen" "$WORKERS" \
  "$DAUER_EINZELN" "$DAUER" "${suchen_mix[@]}"
VERBINDUNGEN=$verbindungen_vorher
messen detail "${#detailseiten[@]} Angebote im Wechsel" "$WORKERS" "$DAUER_EINZELN" "$DAUER" \
  "${detailseiten[@]}"
while IFS='|' read -r bezeichnung pfad; do
  messen karte "$bezeichnung" "$WORKERS" "$DAUER_EINZELN" "$DAUER" "$pfad"
done < <(urls karte)

# Planners' pages: a region for the gap analysis (ten Stadtteile by PLZ, idempotent) and the
# published network with the most partners.
netzwerk=$($PY manage.py shell -c "
from akteure.models import Postleitzahl, Sozialraum
kreis, _ = Sozialraum.objects.get_or_create(
    slug='bench-kreis', defaults={'name': 'Bench-Kreis', 'ebene': 'kreis'}
)
for i, vorne in enumerate(['101', '103', '104', '105', '106', '107', '108', '109', '120', '121']):
    Sozialraum.objects.get_or_create(
        slug=f'bench-kreis-{i}',
        defaults={
            'name': f'Stadtteil {vorne}',
            'ebene': 'stadtteil',
            'uebergeordnet': kreis,
            'plz': list(Postleitzahl.objects.filter(plz__startswith=vorne).values_list('plz', flat=True)),
        },
    )
from netzwerke.models import Netzwerk
n = Netzwerk.objects.veroeffentlicht().mit_partnerzahl().order_by('-partnerzahl', 'pk').first()
print('NETZWERK', n.slug if n else '')
" | sed -n 's/^NETZWERK //p')
while IFS='|' read -r bezeichnung pfad; do
  messen auswertung "$bezeichnung" "$WORKERS" "$DAUER_EINZELN" "$DAUER" "${pfad//\{netzwerk\}/$netzwerk}"
done < <(urls auswertung)

say "Seitengewicht"
$PY bench/seitengewicht.py "$BASIS/angebote/?wo=73728" >"$ROH/seitengewicht.tsv"
# The same list in Arabic (right to left, translated titles): the same weight target.
$PY bench/seitengewicht.py "$BASIS/ar/angebote/?wo=73728" >"$ROH/seitengewicht-ar.tsv"
stoppe_gunicorn

# Does a third worker add throughput on two cores, or only contention with PostgreSQL? The
# machine's load drifts within minutes, so the two set-ups run back to back for each URL, in
# alternating order (2,3 then 3,2 …), instead of comparing with the main run above.
if [ -n "$VERGLEICH_WORKERS" ] && [ "$VERGLEICH_WORKERS" != "$WORKERS" ]; then
  DAUER_VERGLEICH=$(((DAUER + 1) / 2))
  say "Vergleich $WORKERS/$VERGLEICH_WORKERS Worker: je URL und Variante 2 s aufwärmen, ${DAUER_VERGLEICH} s messen"
  vergleich_nr=0
  vergleichen() { # label paths…
    local reihenfolge=("$WORKERS" "$VERGLEICH_WORKERS") w
    vergleich_nr=$((vergleich_nr + 1))
    [ $((vergleich_nr % 2)) = 1 ] || reihenfolge=("$VERGLEICH_WORKERS" "$WORKERS")
    for w in "${reihenfolge[@]}"; do
      starte_gunicorn "$w" >/dev/null
      einzeln_messen 2 "${@:2}" >/dev/null
      messen vergleich "$1 ($w W.)" "$w" 0 "$DAUER_VERGLEICH" "${@:2}"
      stoppe_gunicorn
    done
  }
  while IFS='|' read -r bezeichnung pfad; do
    vergleichen "$bezeichnung" "$pfad"
  done < <(urls vergleich)
  vergleichen "${#detailseiten[@]} Angebote im Wechsel" "${detailseiten[@]}"
fi

say "Schreibe bench/RESULTS.md"
env "${PROD_ENV[@]}" BENCH_VERBINDUNGEN="$VERBINDUNGEN" BENCH_DAUER="$DAUER" \
  BENCH_DAUER_EINZELN="$DAUER_EINZELN" BENCH_DAUER_VERGLEICH="${DAUER_VERGLEICH:-}" \
  $PY bench/zusammenfassen.py "$ROH" >bench/RESULTS.md.neu
mv bench/RESULTS.md.neu bench/RESULTS.md
say "Fertig: bench/RESULTS.md"

# Exports of the offerings list: rows/s and the worker's peak RSS (its own gunicorn, one worker).
say "Export-Benchmark: bench/RESULTS-export.md"
BENCH_DATABASE_URL=$DB_URL $PY bench/export.py

# Brochure PDF of 200 offerings: time and the worker's memory growth (its own gunicorn).
say "Broschüren-Benchmark: bench/RESULTS-broschuere.md"
BENCH_DATABASE_URL=$DB_URL $PY bench/broschuere.py
