"""Writes bench/RESULTS.md (to stdout) from the raw output of bench/run.sh.

Usage (run.sh does this, with the production settings and DATABASE_URL of the bench database):
    python bench/zusammenfassen.py bench/.roh > bench/RESULTS.md

Everything in the report comes from this run: the wrk lines in messungen.tsv, the saved
answers, seitengewicht.tsv and seitengewicht-ar.tsv (the list in German and in Arabic), the
machine and the database. For pages that miss their target it also replays the request once
in-process and lists the slowest SQL statements, so the report says where the time goes without
anyone having to guess.
"""

import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASIS))

# Targets of the issue "Families find offerings", point 7 (milliseconds, kilobytes).
ZIEL_LISTE_MEDIAN, ZIEL_LISTE_P95 = 50, 150
ZIEL_DETAIL_MEDIAN = 30
ZIEL_AUSWERTUNG_EINZELN = 200  # issue 14: each planners' page ≤ 200 ms for one user
ZIEL_KARTE_P95, ZIEL_KARTE_FEATURES = 150, 1000
ZIEL_GEWICHT_KB = 60
# Issue 12: the rotating mix of distinct broad searches, 10 connections.
ZIEL_MIX_RPS, ZIEL_MIX_P95 = 150, 150


# run.sh measures the first-visit weight of these pages (bench/seitengewicht.py).
GEWICHT_SEITEN = [
    ("seitengewicht.tsv", "/angebote/?wo=73728"),
    ("seitengewicht-ar.tsv", "/ar/angebote/?wo=73728"),
]


def seitengewicht(p, datei, pfad):
    """The weight table of one page (a seitengewicht.tsv); returns the counted bytes."""
    p(f"## Page weight of `{pfad}` — target ≤ {ZIEL_GEWICHT_KB} KB compressed")
    p("")
    p("| Resource | media | uncompressed KB | served KB (encoding) | gzip -6 KB | counted KB |")
    p("|---|---|---:|---:|---:|---:|")
    summe = summe_ohne_print = 0
    html_unkomprimiert = False
    for zeile in datei.read_text().splitlines():
        art, pfad_, media, roh_b, geliefert, kodierung, gzip6 = zeile.split("\t")
        roh_b, geliefert, gzip6 = int(roh_b), int(geliefert), int(gzip6)
        # Counted: what a browser receives compressed. Whitenoise compresses the assets itself;
        # HTML comes uncompressed from Django and would be gzipped by the proxy.
        gezaehlt = geliefert if kodierung != "-" else gzip6
        if art == "html" and kodierung == "-":
            html_unkomprimiert = True
        summe += gezaehlt
        if media != "print":
            summe_ohne_print += gezaehlt
        p(
            f"| {art} `{pfad_}` | {media} | {roh_b / 1024:.1f} | {geliefert / 1024:.1f} "
            f"({kodierung}) | {gzip6 / 1024:.1f} | {gezaehlt / 1024:.1f} |"
        )
    ok = summe / 1024 <= ZIEL_GEWICHT_KB
    p(f"| **total** | | | | | **{summe / 1024:.1f}** |")
    p("")
    p(
        f"Total {summe / 1024:.1f} KB ({summe_ohne_print / 1024:.1f} KB without the print "
        f"stylesheet, which browsers also fetch, at low priority): target met? {ja_nein(ok)}. "
        "Not counted: map tiles and Leaflet's marker images, which load after the page."
    )
    if html_unkomprimiert:
        p(
            "The HTML is served uncompressed by Django (no `GZipMiddleware`); it is counted at "
            "gzip level 6, as a reverse proxy with `gzip on` would send it."
        )
    p("")
    return summe


def ergebnis(zeile):
    """'ERGEBNIS median_ms=1.2 …' or 'EINZELN n=5 …' → {'median_ms': 1.2, …}; {} if empty."""
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", zeile or "")}


def messungen_lesen(roh):
    zeilen = []
    for zeile in (roh / "messungen.tsv").read_text().splitlines():
        workers, gruppe, bezeichnung, pfad, status, koerper, einzeln, last = zeile.split("\t")
        last = ergebnis(last)
        if not last.get("requests"):
            last = {}  # no request finished within the run: no latency to report
        zeilen.append(
            {
                "workers": int(workers),
                "gruppe": gruppe,
                "bezeichnung": bezeichnung,
                "pfad": pfad,
                "status": status,
                "koerper": Path(koerper),
                "einzeln": ergebnis(einzeln),
                "last": last,
            }
        )
    return zeilen


def ms(wert):
    return "–" if wert is None else f"{wert:.0f}" if wert >= 10 else f"{wert:.1f}"


def ja_nein(ok):
    return "yes" if ok else "**no**"


def p95(last):
    """p95 with a warning when wrk finished too few requests for a 95th percentile to mean much."""
    n = int(last.get("requests", 0))
    if not n:
        return "none finished"
    return ms(last.get("p95_ms")) + (f" (n={n})" if n < 40 else "")


def einzeln_ms(einzeln):
    if not einzeln:
        return "–"
    return f"{ms(einzeln.get('median_ms'))} (n={int(einzeln.get('n', 0))})"


def befehl(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def eichung_ms(mal=7):
    """A fixed piece of pure Python, timed: the speed of this machine's CPU right now.

    The shared machines differ from day to day by a factor of two and more; this number lets
    two reports be compared (it scales roughly like the pages' Python time).
    """

    def stueck():
        return sum(i * i for i in range(300_000))

    zeiten = []
    for _ in range(mal):
        anfang = time.perf_counter()
        stueck()
        zeiten.append((time.perf_counter() - anfang) * 1000)
    return statistics.median(zeiten)


def maschine():
    cpu = "?"
    for zeile in Path("/proc/cpuinfo").read_text().splitlines():
        if zeile.startswith("model name"):
            cpu = zeile.split(":", 1)[1].strip()
            break
    speicher = befehl("free", "-h").splitlines()
    mem = speicher[1].split() if len(speicher) > 1 else ["?", "?"]
    last1, last5, last15 = os.getloadavg()
    return {
        "eichung": eichung_ms(),
        "nproc": befehl("nproc"),
        "cpu": cpu,
        "speicher": f"{mem[1]} total, {mem[-1]} available" if len(mem) > 6 else "?",
        "last": f"{last1:.2f} / {last5:.2f} / {last15:.2f}",
        "kernel": platform.release(),
    }


def datenbank():
    import django

    django.setup()
    from django.db import connection

    from akteure.models import Akteur
    from angebote.models import Angebot, Termin
    from netzwerke.models import Netzwerk

    with connection.cursor() as c:
        c.execute("SHOW server_version")
        pg = c.fetchone()[0]
        c.execute("SELECT postgis_lib_version()")
        postgis = c.fetchone()[0]
        c.execute("SELECT pg_size_pretty(pg_database_size(current_database())), current_database()")
        groesse, name = c.fetchone()
        c.execute("SHOW shared_buffers")
        shared_buffers = c.fetchone()[0]
        c.execute("SHOW work_mem")
        work_mem = c.fetchone()[0]
        c.execute("SHOW jit")
        jit = c.fetchone()[0]
        c.execute("SHOW max_parallel_workers_per_gather")
        parallel = c.fetchone()[0]
    return {
        "pg": pg,
        "postgis": postgis,
        "groesse": groesse,
        "name": name,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "jit": jit,
        "parallel": parallel,
        "angebote": Angebot.objects.count(),
        "veroeffentlicht": Angebot.objects.veroeffentlicht().count(),
        "mit_standort": Angebot.objects.veroeffentlicht().filter(standort__isnull=False).count(),
        "akteure": Akteur.objects.count(),
        "netzwerke": Netzwerk.objects.count(),
        "termine": Termin.objects.count(),
    }


def versionen():
    from importlib.metadata import version

    return {
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "whitenoise": version("whitenoise"),
        "wrk": befehl("sh", "-c", "wrk -v 2>&1 | head -n 1").split(" [")[0],
    }


def treffer(koerper):
    """'1234 Angebote gefunden' from a saved list page."""
    try:
        text = koerper.read_text(errors="replace")
    except OSError:
        return None
    gefunden = re.search(r"([\d.,]+)\s+Angebote?\s+gefunden", text)
    return gefunden.group(1) if gefunden else None


def karte(koerper):
    try:
        daten = json.loads(koerper.read_text())
    except (OSError, ValueError):
        return None
    features = daten.get("features", [])
    return {
        "gesamt": daten.get("gesamt"),
        "features": len(features),
        "cluster": sum(1 for f in features if f["properties"].get("cluster")),
        "bytes": koerper.stat().st_size,
    }


_client = None


def client():
    """A test client in this process, warmed up: imports, URL resolver and templates loaded."""
    from django.test import Client

    global _client
    if _client is None:
        _client = Client(HTTP_HOST="127.0.0.1")
        _client.get("/angebote/?wo=73728")
        # The in-memory search indexes, built now and waited for: a worker builds them in the
        # background after its start (SQL answers meanwhile) and then serves from them for
        # hours; "uncached" here means the result cache, not a worker still building.
        from akteure import suchindex as akteure_index
        from angebote import suchindex as angebote_index

        for index in (angebote_index.INDEX, akteure_index.INDEX):
            with index.aktuell():
                pass
    return _client


_ohne_cache = {}


def ohne_cache_ms(pfad, mal=3):
    """Median time of `pfad` replayed in-process with an empty cache before each request
    (measured once per path: the side-by-side table of the languages reuses it)."""
    from django.core.cache import cache

    if pfad in _ohne_cache:
        return _ohne_cache[pfad]
    zeiten = []
    for _ in range(mal):
        cache.clear()
        start = time.perf_counter()
        client().get(pfad)
        zeiten.append((time.perf_counter() - start) * 1000)
    _ohne_cache[pfad] = sorted(zeiten)[mal // 2]
    return _ohne_cache[pfad]


def langsamste_abfragen(pfad, datei, anzahl=3):
    """Replays one GET in-process: status, time, SQL time, template time, the slowest SQL;
    all SQL to `datei`."""
    from django.db import connection
    from django.template.response import SimpleTemplateResponse
    from django.test.utils import CaptureQueriesContext

    rendern = SimpleTemplateResponse.render
    render_ms = 0.0

    def gemessen(antwort):
        nonlocal render_ms
        start = time.perf_counter()
        try:
            return rendern(antwort)
        finally:
            render_ms += (time.perf_counter() - start) * 1000

    client().get(pfad)  # the cache as the load run had it: warm
    SimpleTemplateResponse.render = gemessen
    try:
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as erfasst:
            antwort = client().get(pfad)
        gesamt_ms = (time.perf_counter() - start) * 1000
    finally:
        SimpleTemplateResponse.render = rendern
    abfragen = sorted(erfasst.captured_queries, key=lambda q: -float(q["time"]))
    sql_ms = sum(float(q["time"]) for q in abfragen) * 1000
    # Every statement with its literal parameters, slowest first, ready for EXPLAIN ANALYZE.
    datei.write_text(
        f"-- GET {pfad}\n"
        + "".join(f"\n-- {float(q['time']) * 1000:.0f} ms\n{q['sql']};\n" for q in abfragen)
    )
    return (
        antwort.status_code,
        gesamt_ms,
        len(abfragen),
        sql_ms,
        render_ms,
        [(float(q["time"]) * 1000, q["sql"]) for q in abfragen[:anzahl]],
    )


def plan_fakten(sql):
    """What EXPLAIN ANALYZE says about one statement: time, JIT, large seq scans, workers."""
    from django.db import connection

    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return None
    with connection.cursor() as cursor:
        # The captured SQL has its parameters inlined; without params nothing is re-quoted.
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    wurzel = (json.loads(plan) if isinstance(plan, str) else plan)[0]
    fakten = [f"{wurzel['Execution Time']:.0f} ms"]
    jit = wurzel.get("JIT", {}).get("Timing", {}).get("Total")
    if jit:
        # Summed over the leader and its parallel workers, so it can exceed the wall time.
        fakten.append(f"JIT compilation {jit:.0f} ms (all processes)")
    scans, workers = [], 0

    def gehen(knoten):
        nonlocal workers
        zeilen = knoten.get("Actual Rows", 0) * knoten.get("Actual Loops", 1)
        if knoten.get("Node Type") == "Seq Scan" and zeilen >= 10_000:
            scans.append(f"{knoten['Relation Name']} ({zeilen:,} rows)")
        workers = max(workers, knoten.get("Workers Launched", 0))
        for kind in knoten.get("Plans", []):
            gehen(kind)

    gehen(wurzel["Plan"])
    if scans:
        fakten.append("seq scan on " + ", ".join(scans[:3]) + (" …" if len(scans) > 3 else ""))
    if workers:
        fakten.append(f"{workers} parallel workers")
    return "; ".join(fakten)


def kurz(sql, laenge=160):
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= laenge else sql[: laenge - 1] + "…"


def main(roh):
    roh = Path(roh)
    alle = messungen_lesen(roh)
    haupt_workers = alle[0]["workers"]
    haupt = [m for m in alle if m["gruppe"] != "vergleich"]
    vergleich = [m for m in alle if m["gruppe"] == "vergleich"]
    m_info, db, v = maschine(), datenbank(), versionen()
    # After django.setup() in datenbank().
    from angebote import filters
    from atlas import karte as karten

    verbindungen = os.environ.get("BENCH_VERBINDUNGEN", "4")
    dauer = os.environ.get("BENCH_DAUER", "15")
    dauer_einzeln = os.environ.get("BENCH_DAUER_EINZELN", "5")
    verfehlt = []  # (group, label, path, why)
    bilanz = {"liste": [], "karte": []}  # (met?, served from the cache?)
    aus = []
    p = aus.append

    p("# Benchmark results")
    p("")
    p(
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by `make bench` "
        "(`bench/run.sh`); this file "
        "is rewritten on every run and every number in it comes from that run. Raw wrk output: "
        "`bench/.roh/` (not committed)."
    )
    p("")
    if int(dauer) < 15 or int(dauer_einzeln) < 5:
        p(
            f"**Shortened run** (BENCH_DAUER={dauer}, BENCH_DAUER_EINZELN={dauer_einzeln}; the "
            "defaults are 15 and 5): a smoke test of the benchmark, not numbers to quote."
        )
        p("")
    p("## Machine and software")
    p("")
    p(f"- CPU: {m_info['cpu']}, `nproc` = {m_info['nproc']}; memory: {m_info['speicher']}")
    p(
        f"- Load average (1/5/15 min) when the report was written: {m_info['last']} – the "
        "machine is shared with other work, so single numbers are noisy; read the medians."
    )
    p(
        f"- CPU speed check: {m_info['eichung']:.1f} ms for a fixed piece of Python (median of 7; "
        "`eichung_ms` in `bench/zusammenfassen.py`). Reports from different days are comparable "
        "only in proportion to this number."
    )
    p(
        f"- PostgreSQL {db['pg']}, PostGIS {db['postgis']} (as the app's connections see it: "
        f"shared_buffers {db['shared_buffers']}, work_mem {db['work_mem']}, jit {db['jit']}, "
        f"max_parallel_workers_per_gather {db['parallel']}); Linux {m_info['kernel']}"
    )
    p(
        f"- Python {v['python']}, Django {v['django']}, gunicorn {v['gunicorn']}, "
        f"whitenoise {v['whitenoise']}, {v['wrk']}"
    )
    p("")
    p("## Data")
    p("")
    p(
        f"Database `{db['name']}` ({db['groesse']}), filled once by `manage.py generate_data "
        "--angebote 250000 --akteure 100000 --netzwerke 1000 --seed 1` and `VACUUM ANALYZE`: "
        f"{db['angebote']:,} offerings, of which {db['veroeffentlicht']:,} are public "
        f"({db['mit_standort']:,} of those with a location); {db['akteure']:,} actors, "
        f"{db['netzwerke']:,} networks, {db['termine']:,} dates."
    )
    p("")
    p("## Set-up")
    p("")
    p(
        f"- `gunicorn config.wsgi --workers {haupt_workers} --threads 1` (sync workers) on "
        "127.0.0.1, `DJANGO_SETTINGS_MODULE=config.settings.base` (DEBUG off), "
        "`DB_CONN_MAX_AGE=60`, static files from `collectstatic` served by whitenoise "
        "(`CompressedManifestStaticFilesStorage`); Django's default local-memory cache, one "
        "per worker (no `REDIS_URL`)."
    )
    p(
        f"- What the cache holds: for result sets of at least {filters.CACHE_AB:,} offerings the "
        "list's count, facet counts and each page's ids, and map grids over at least "
        f"{karten.CACHE_AB:,} rows, each for {filters.CACHE_SEKUNDEN} s (`angebote/filters.py`, "
        "`atlas/karte.py`). A URL measured here repeats, so after its first request it is "
        "served from the cache where the “cache” column says yes, as a popular search would "
        "be. The “uncached” column is the cost without it: the request replayed in-process "
        "after the run (server stopped), the cache emptied before each of 3 tries, median."
    )
    p(
        f"- Per URL: first requests one after another with curl for up to {dauer_einzeln} s "
        "(at most 50, at least one, never cut off; the first, cold one left out): their median "
        "is the “single” column, the time of one request on an otherwise idle server, and they "
        f"warm up the cache. Then `wrk -t2 -c{verbindungen} -d{dauer}s --timeout 30s`: the "
        f"median, p95 and req/s columns. With {verbindungen} connections on {haupt_workers} "
        "workers a request usually waits for another one, so loaded latency ≈ queueing + service"
        " time."
    )
    p(
        "- p95 from a Lua `done()` hook (`bench/p95.lua`), since `wrk --latency` has no p95. "
        "“(n=…)” after a p95 marks runs with fewer than 40 requests, where it is close to the "
        "maximum. Every URL was fetched once with curl before and must answer 200. After each "
        "wrk run the statements still running for wrk's dropped requests are cancelled and the "
        "workers are let go idle, so slow pages do not spill into the next measurement."
    )
    p("")

    def status_ok(m):
        return m["status"] == "200" and not m["last"].get("status_fehler")

    # --- List ---
    p(f"## Offerings list — target median ≤ {ZIEL_LISTE_MEDIAN} ms, p95 ≤ {ZIEL_LISTE_P95} ms")
    p("")
    p(
        "| Search | URL | Results | cache | uncached ms | single median ms | median ms | "
        "p95 ms | req/s | met? |"
    )
    p("|---|---|---:|---|---:|---:|---:|---:|---:|---|")
    for m in (m for m in haupt if m["gruppe"] == "liste"):
        last, einzeln = m["last"], m["einzeln"]
        ok = (
            status_ok(m)
            and last.get("median_ms", 1e9) <= ZIEL_LISTE_MEDIAN
            and last.get("p95_ms", 1e9) <= ZIEL_LISTE_P95
        )
        if not ok:
            verfehlt.append(("liste", m["bezeichnung"], m["pfad"], m))
        anzahl = treffer(m["koerper"])
        gecacht = anzahl is not None and int(re.sub(r"\D", "", anzahl)) >= filters.CACHE_AB
        bilanz["liste"].append((ok, gecacht))
        p(
            f"| {m['bezeichnung']} | `{m['pfad']}` | {anzahl or '–'} | "
            f"{'yes' if gecacht else 'no'} | {ms(ohne_cache_ms(m['pfad']))} | "
            f"{einzeln_ms(einzeln)} | {ms(last.get('median_ms'))} | "
            f"{p95(last)} | {last.get('rps', 0):.1f} | "
            f"{ja_nein(ok)}{'' if m['status'] == '200' else ' (HTTP ' + m['status'] + ')'} |"
        )
    p("")

    # --- The same searches in Arabic (issue 13: the same targets as the German list) ---
    listen = {m["pfad"]: m for m in haupt if m["gruppe"] == "liste"}
    paare = [
        (listen[m["pfad"][3:]], m)
        for m in listen.values()
        if m["pfad"].startswith("/ar/") and m["pfad"][3:] in listen
    ]
    if paare:
        p("### German and Arabic side by side")
        p("")
        p(
            "The Arabic rows of the table above beside their German twins (the same URL under "
            "`/ar/`): right to left, topic names and titles in Arabic where translated, one "
            "more query for the rows' translations. uncached: in-process, cache emptied."
        )
        p("")
        p(
            "| Search | uncached ms de | uncached ms ar | single median ms de | "
            "single median ms ar | median ms de | median ms ar | p95 ms de | p95 ms ar | "
            "req/s de | req/s ar |"
        )
        p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for de, ar in paare:
            p(
                f"| {de['bezeichnung']} `{de['pfad']}` | {ms(ohne_cache_ms(de['pfad']))} | "
                f"{ms(ohne_cache_ms(ar['pfad']))} | {einzeln_ms(de['einzeln'])} | "
                f"{einzeln_ms(ar['einzeln'])} | {ms(de['last'].get('median_ms'))} | "
                f"{ms(ar['last'].get('median_ms'))} | {p95(de['last'])} | {p95(ar['last'])} | "
                f"{de['last'].get('rps', 0):.1f} | {ar['last'].get('rps', 0):.1f} |"
            )
        p("")

    # --- Rotating mix of distinct broad searches (bench/suchen-mix.txt) ---
    for m in (m for m in haupt if m["gruppe"] == "mix"):
        last, einzeln = m["last"], m["einzeln"]
        ok = (
            status_ok(m)
            and last.get("rps", 0) >= ZIEL_MIX_RPS
            and last.get("p95_ms", 1e9) <= ZIEL_MIX_P95
        )
        if not ok:
            verfehlt.append(("mix", m["bezeichnung"], m["pfad"], m))
        p(f"## {m['bezeichnung']} — target ≥ {ZIEL_MIX_RPS} req/s, p95 ≤ {ZIEL_MIX_P95} ms")
        p("")
        p("Every request a search the others rarely repeat: the result cache cannot carry it.")
        p("")
        p("| single median ms | median ms | p95 ms | req/s | met? |")
        p("|---:|---:|---:|---:|---|")
        p(
            f"| {einzeln_ms(einzeln)} | {ms(last.get('median_ms'))} | {p95(last)} | "
            f"{last.get('rps', 0):.1f} | {ja_nein(ok)} |"
        )
        p("")

    # --- Detail ---
    p(f"## Detail pages — target median ≤ {ZIEL_DETAIL_MEDIAN} ms")
    p("")
    p("| Pages | single median ms | median ms | p95 ms | req/s | met? |")
    p("|---|---:|---:|---:|---:|---|")
    slugs = (roh / "detailseiten.txt").read_text().split()
    for m in (m for m in haupt if m["gruppe"] == "detail"):
        last, einzeln = m["last"], m["einzeln"]
        ok = status_ok(m) and last.get("median_ms", 1e9) <= ZIEL_DETAIL_MEDIAN
        if not ok:
            verfehlt.append(("detail", m["bezeichnung"], m["pfad"], m))
        p(
            f"| {m['bezeichnung']} | {einzeln_ms(einzeln)} | "
            f"{ms(last.get('median_ms'))} | {p95(last)} | "
            f"{last.get('rps', 0):.1f} | {ja_nein(ok)} |"
        )
    p("")
    p("Rotated through: " + ", ".join(f"`{s}`" for s in slugs))
    p("")

    # --- Planners' pages ---
    p(f"## Planners' pages — target single median ≤ {ZIEL_AUSWERTUNG_EINZELN} ms (one user)")
    p("")
    p("| Page | path | single median ms | median ms under load | p95 ms | met? |")
    p("|---|---|---:|---:|---:|---|")
    for m in (m for m in haupt if m["gruppe"] == "auswertung"):
        last, einzeln = m["last"], m["einzeln"]
        ok = status_ok(m) and (einzeln or {}).get("median_ms", 1e9) <= ZIEL_AUSWERTUNG_EINZELN
        if not ok:
            verfehlt.append(("auswertung", m["bezeichnung"], m["pfad"], m))
        p(
            f"| {m['bezeichnung']} | `{m['pfad']}` | {einzeln_ms(einzeln)} | "
            f"{ms(last.get('median_ms'))} | {p95(last)} | {ja_nein(ok)} |"
        )
    p("")

    # --- Map ---
    p(
        f"## Map data `karte.json` — target p95 ≤ {ZIEL_KARTE_P95} ms at any zoom, "
        f"< {ZIEL_KARTE_FEATURES} features"
    )
    p("")
    p(
        "| Viewport | URL | offerings shown | features (clusters) | JSON KB | cache | "
        "uncached ms | single median ms | median ms | p95 ms | req/s | met? |"
    )
    p("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
    for m in (m for m in haupt if m["gruppe"] == "karte"):
        last, einzeln, k = m["last"], m["einzeln"], karte(m["koerper"])
        ok = (
            status_ok(m)
            and k is not None
            and k["features"] < ZIEL_KARTE_FEATURES
            and last.get("p95_ms", 1e9) <= ZIEL_KARTE_P95
        )
        if not ok:
            verfehlt.append(("karte", m["bezeichnung"], m["pfad"], m))
        features = f"{k['features']} ({k['cluster']})" if k else "–"
        gecacht = k is not None and k["cluster"] > 0 and k["gesamt"] >= karten.CACHE_AB
        bilanz["karte"].append((ok, gecacht))
        p(
            f"| {m['bezeichnung']} | `{m['pfad']}` | {k['gesamt'] if k else '–'} | {features} | "
            f"{k['bytes'] / 1024 if k else 0:.1f} | {'yes' if gecacht else 'no'} | "
            f"{ms(ohne_cache_ms(m['pfad']))} | {einzeln_ms(einzeln)} | "
            f"{ms(last.get('median_ms'))} | {p95(last)} | "
            f"{last.get('rps', 0):.1f} | {ja_nein(ok)} |"
        )
    p("")
    p(
        "“offerings shown”: the rows the features stand for. Up to "
        f"{karten.EINZELN_BIS} in the viewport each place is a feature and exactly the viewport "
        "counts; above, the features are whole cells of a grid, which may reach a little past "
        "the viewport's edge."
    )
    p("")

    # --- Page weight: the German list and the same list in Arabic (right to left) ---
    for datei, pfad in GEWICHT_SEITEN:
        if not (roh / datei).exists():
            p(f"## Page weight of `{pfad}` — not measured (`{datei}` is missing)")
            p("")
            continue
        summe = seitengewicht(p, roh / datei, pfad)
        if summe / 1024 > ZIEL_GEWICHT_KB:
            verfehlt.append(("gewicht", "page weight", pfad, summe))

    # --- Workers comparison ---
    paare = {}
    for m in vergleich:
        paare.setdefault(m["pfad"], {})[m["workers"]] = m
    paare = {pfad: w for pfad, w in paare.items() if len(w) == 2}
    if paare:
        wa, wb = sorted(next(iter(paare.values())))
        p(f"## {wa} or {wb} gunicorn workers?")
        p("")
        p(
            f"For each URL, gunicorn with {wa} and with {wb} workers back to back (order "
            f"alternating per URL): restart, 2 s warm-up, `wrk -t2 -c{verbindungen} "
            f"-d{os.environ.get('BENCH_DAUER_VERGLEICH', '?')}s`."
        )
        p("")
        p(
            f"| URL | median ms ({wa}) | median ms ({wb}) | p95 ms ({wa}) | p95 ms ({wb}) "
            f"| req/s ({wa}) | req/s ({wb}) | ratio |"
        )
        p("|---|---:|---:|---:|---:|---:|---:|---:|")
        verhaeltnisse = []
        for w in paare.values():
            a, b = w[wa]["last"], w[wb]["last"]
            if not a.get("rps") or not b.get("rps"):
                continue
            verhaeltnis = b["rps"] / a["rps"]
            verhaeltnisse.append(verhaeltnis)
            name = re.sub(r" \(\d+ W\.\)$", "", w[wa]["bezeichnung"])
            p(
                f"| {name} | {ms(a.get('median_ms'))} | {ms(b.get('median_ms'))} | {p95(a)} | "
                f"{p95(b)} | {a['rps']:.1f} | {b['rps']:.1f} | {verhaeltnis:.2f} |"
            )
        p("")
        if verhaeltnisse:
            mittel = math.prod(verhaeltnisse) ** (1 / len(verhaeltnisse))
            urteil = (
                f"{wb} workers gave more throughput in this run"
                if mittel > 1.1
                else f"{wb} workers gave less throughput in this run"
                if mittel < 0.9
                else "no clear difference"
            )
            p(
                f"Throughput with {wb} workers relative to {wa} (geometric mean of the ratios): "
                f"{mittel:.2f} – {urteil}. On {m_info['nproc']} cores the workers share the CPU "
                "with PostgreSQL and wrk."
            )
            p("")

    # --- Summary ---
    p("## Summary")
    p("")
    for gruppe, name in (("liste", "List searches"), ("karte", "Map viewports")):
        zeilen = bilanz[gruppe]
        getroffen = [gecacht for ok, gecacht in zeilen if ok]
        p(
            f"- {name}: target met by {len(getroffen)} of {len(zeilen)}; of these, "
            f"{sum(getroffen)} served from the cache during the load run (the “uncached” "
            "column gives their cost without it)."
        )
    p("")

    # --- Notes ---
    p("## Missed targets and where the time goes")
    p("")
    if not verfehlt:
        p("All targets met in this run.")
    else:
        p(
            f"{len(verfehlt)} measurement(s) missed the target. For each page below, the request"
            " was replayed once in-process after the run (server stopped, warm cache): its time, "
            "its time in SQL, the time spent rendering its template and its slowest SQL "
            "statements; the rest is Python in the view and the middleware."
        )
        p("")
        for nummer, (gruppe, bezeichnung, pfad, wert) in enumerate(verfehlt, 1):
            if gruppe == "gewicht":
                p(
                    f"- **Page weight** of `{pfad}` {wert / 1024:.1f} KB > {ZIEL_GEWICHT_KB} KB: "
                    "see its table above for the largest resources."
                )
                continue
            datei = roh / f"abfragen-{nummer}.sql"
            status, gesamt_ms, n, sql_ms, render_ms, langsam = langsamste_abfragen(pfad, datei)
            rendern = f"; rendering the template {render_ms:.0f} ms" if render_ms else ""
            p(
                f"- **{bezeichnung}** `{pfad}`: HTTP {status}, {gesamt_ms:.0f} ms, of which "
                f"{sql_ms:.0f} ms in {n} SQL statements (all in `{datei}`){rendern}, its "
                "lazy queries included. Slowest:"
            )
            for zeit, sql in langsam:
                p(f"  - {zeit:.0f} ms: `{kurz(sql).replace('`', chr(39))}`")
            fakten = plan_fakten(langsam[0][1]) if langsam else None
            if fakten:
                p(f"  - EXPLAIN ANALYZE of the slowest, run again: {fakten}")
    p("")
    # run.sh noted the commit when gunicorn started; others may have committed since.
    code = (roh / "code.txt").read_text().strip() if (roh / "code.txt").exists() else "?"
    if os.environ.get("PGOPTIONS"):
        code += f"; database connections with PGOPTIONS `{os.environ['PGOPTIONS']}`"
    p(f"Code measured: {code}.")
    p("")
    p(
        "Method caveats: loopback only (no network, no TLS, no proxy); wrk and PostgreSQL share "
        f"the {m_info['nproc']} cores with gunicorn; the data are synthetic (`generate_data`)."
    )
    print("\n".join(aus))


if __name__ == "__main__":
    main(sys.argv[1])
