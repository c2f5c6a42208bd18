"""Benchmark of the HSDS API's list pages on the bench database: cache cold and cached, one user.

Usage: BENCH_DATABASE_URL=… .venv/bin/python bench/api.py [--laeufe 5] [--nur locations]

In-process with the production settings (config.settings.base, no Redis: the local-memory cache,
so "cold" empties it before each request), Django's test client, the rate limit off, the
in-memory search indexes built by each URL's first request (not measured; they are not a cache:
emptying the cache leaves them). Each URL is asked `laeufe` times cold (cache emptied first) and
`laeufe` times cached, interleaved; medians of wall and process CPU time. Also lists each URL's
queries of the last cold run with their database time. Target (issue 12): every list page
≤ 50 ms cache cold. A measurement, not a test. Writes the table at the top of
bench/RESULTS-api.md (the sections below it, from "## " on, stay); `--nur TEXT` measures the
URLs whose label contains TEXT and only prints.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgis://netzwerkatlas@127.0.0.1:5432/netzwerkatlas_bench"
)
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "SECRET_KEY": "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": DB_URL,
    "DROSSELUNG_ANFRAGEN": "0",
    "DB_STATEMENT_TIMEOUT_MS": "0",
    "SUCHINDEX_HINTERGRUND": "false",
}
ZIEL_MS = 50


def urls():
    from django.db.models import Count, F

    from angebote import hsds
    from angebote.models import Angebot, Thema

    familienbildung = Thema.objects.get(slug="familienbildung")
    thema_id = hsds.hsds_id(hsds.THEMA, familienbildung.pk)
    # Two providers with the most offerings held elsewhere (the same on every tree: by the
    # address comparison, not by a stored flag).
    anbieter = [
        hsds.hsds_id(hsds.ORGANIZATION, pk)
        for pk in Angebot.objects.veroeffentlicht()
        .exclude(strasse="", plz="", ort="", standort__isnull=True)
        .exclude(strasse=F("anbieter__strasse"), plz=F("anbieter__plz"), ort=F("anbieter__ort"))
        .values_list("anbieter_id", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n", "anbieter_id")[:2]
    ]
    return [
        ("services, Seite 1", "/api/hsds/services"),
        ("services, Seite 50", "/api/hsds/services?page=50"),
        ("services, Thema Familienbildung", f"/api/hsds/services?taxonomy_term_id={thema_id}"),
        ("services, Suche „Eltern“", "/api/hsds/services?search=Eltern"),
        ("services, PLZ 73728", "/api/hsds/services?postcode=73728"),
        ("services, full=true", "/api/hsds/services?full=true"),
        ("service_at_locations, Seite 1", "/api/hsds/service_at_locations"),
        ("organizations, Seite 1", "/api/hsds/organizations"),
        ("organizations, Seite 50", "/api/hsds/organizations?page=50"),
        ("locations, Seite 1", "/api/hsds/locations"),
        ("locations, Seite 50", "/api/hsds/locations?page=50"),
        ("locations, 100 je Seite, Seite 7", "/api/hsds/locations?page=7&per_page=100"),
        (
            "locations, zwei Organisationen",
            f"/api/hsds/locations?organization_id={','.join(anbieter)}",
        ),
        ("locations, PLZ 73728", "/api/hsds/locations?postcode=73728"),
        ("locations, PLZ 73728, Seite 3", "/api/hsds/locations?postcode=73728&page=3"),
        ("taxonomy_terms", "/api/hsds/taxonomy_terms"),
    ]


def messen(laeufe, nur=None):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    ergebnisse = []
    for label, url in urls():
        if nur and nur not in label:
            continue
        client.get(url)  # the code path once (imports, templates, the indexes), not measured
        kalt, cpu, warm, abfragen = [], [], [], []
        for _ in range(laeufe):
            cache.clear()
            with CaptureQueriesContext(connection) as erfasst:
                c0, beginn = time.process_time(), time.perf_counter()
                antwort = client.get(url)
                kalt.append((time.perf_counter() - beginn) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            assert antwort.status_code == 200, (url, antwort.status_code)
            abfragen = erfasst.captured_queries
            beginn = time.perf_counter()
            assert client.get(url).status_code == 200
            warm.append((time.perf_counter() - beginn) * 1000)
        db_ms = sum(float(q["time"]) for q in abfragen) * 1000
        langsamste = max(abfragen, key=lambda q: float(q["time"]))
        ergebnisse.append(
            (
                label,
                url,
                statistics.median(kalt),
                statistics.median(cpu),
                statistics.median(warm),
                len(abfragen),
                db_ms,
                float(langsamste["time"]) * 1000,
                " ".join(langsamste["sql"].split())[:70],
            )
        )
        print(
            f"  {label}: kalt {statistics.median(kalt):.0f} ms "
            f"(CPU {statistics.median(cpu):.0f}, DB {db_ms:.0f}, {len(abfragen)} Abfragen), "
            f"warm {statistics.median(warm):.0f} ms",
            flush=True,
        )
    return ergebnisse


def maschine(last):
    cpu = next(
        (
            z.split(":", 1)[1].strip()
            for z in Path("/proc/cpuinfo").read_text().splitlines()
            if z.startswith("model name")
        ),
        platform.processor(),
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    try:
        code = subprocess.check_output(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASIS, text=True, stderr=subprocess.DEVNULL
        ).strip()
    except subprocess.CalledProcessError:
        code = f"{BASIS} (not a checkout)"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} Kerne; Python {platform.python_version()}, "
        f"PostgreSQL {pg}",
        f"- Code: {code}; in-process (Django test client), production settings, no Redis",
        f"- 1-minute load average before/after: {' / '.join(last)} (the machine is shared: "
        "other helpers' tests and benchmarks ran at the same time)",
    ]


def bericht(ergebnisse, laeufe, last):
    zeilen = [
        "# HSDS API benchmark",
        "",
        f"`bench/api.py`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{laeufe} runs per URL, cold (cache "
        "emptied before the request) and cached interleaved, medians in ms; one user. "
        f"Target: ≤ {ZIEL_MS} ms cold. DB ms = the cold run's query time; the slowest query "
        "names where the rest goes.",
        "",
        "| Seite | kalt ms | CPU ms | gecacht ms | Abfragen | DB ms | langsamste ms "
        "| langsamste Abfrage |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, url, kalt, cpu, warm, anzahl, db_ms, langsam_ms, sql in ergebnisse:
        zeilen.append(
            f"| {label} (`{url[:60]}`) | {kalt:.0f} | {cpu:.0f} | {warm:.0f} | {anzahl} "
            f"| {db_ms:.0f} "
            f"| {langsam_ms:.0f} | `{sql}…` |"
        )
    zeilen += ["", "Machine:", "", *maschine(last), ""]
    return "\n".join(zeilen)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--laeufe", type=int, default=5)
    parser.add_argument("--nur", help="only the URLs whose label contains this; only printed")
    args = parser.parse_args()
    os.environ.update(PROD_ENV)
    sys.path.insert(0, str(BASIS))
    import django

    django.setup()
    last = [Path("/proc/loadavg").read_text().split()[0]]
    ergebnisse = messen(args.laeufe, args.nur)
    last.append(Path("/proc/loadavg").read_text().split()[0])
    text = bericht(ergebnisse, args.laeufe, last)
    print(text)
    if args.nur:
        return
    datei = BASIS / "bench" / "RESULTS-api.md"
    alt = datei.read_text() if datei.exists() else ""
    # The measured sections written by hand below the table stay.
    rest = alt[alt.index("\n## ") :] if "\n## " in alt else ""
    datei.write_text(text + rest.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
