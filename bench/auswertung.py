"""Benchmark of the planners' pages (bench/urls.txt, group "auswertung", plus the gap analysis
files): one user, one request at a time, on the 250,000-offering bench database.

Usage: .venv/bin/python bench/auswertung.py [--laeufe 7] [--ausgabe bench/RESULTS-auswertung.md]

Per URL a fresh gunicorn sync worker with the production settings (BEDARF_OEFFENTLICH=true, as
bench/run.sh): the first request is the cold one (new process: templates, translations and
Django's caches empty; PostgreSQL's buffers as the runs before left them), then `--laeufe`
requests one after another, whose median is the cached figure. The number of SQL queries per
request is counted in-process (CaptureQueriesContext, same settings). Adds the "bench-kreis"
region as bench/run.sh does (idempotent). Database: BENCH_DATABASE_URL (default
netzwerkatlas_bench). A measurement, not a test: it never fails because a target is missed.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASIS))

from bench.export import PROD_ENV, freier_port, maschine  # noqa: E402

PROD_ENV = {
    **PROD_ENV,
    "BEDARF_OEFFENTLICH": "true",
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "netzwerkatlas-bench-auswertung-static"),
}
ZIEL_MS = 200
# Files of the gap analysis, beside the pages of bench/urls.txt.
DATEIEN = [
    ("Bedarfsanalyse als CSV", "/auswertung/bedarf.csv?region=bench-kreis"),
    ("Bedarfsanalyse als XLSX", "/auswertung/bedarf.xlsx?region=bench-kreis"),
    ("Netzwerkkarte der Region", "/auswertung/netzwerkkarte/?region=bench-kreis"),
]


def urls(netzwerk):
    zeilen = []
    for zeile in (BASIS / "bench/urls.txt").read_text().splitlines():
        teile = [t.strip() for t in zeile.split("|")]
        if not zeile.lstrip().startswith("#") and len(teile) == 3 and teile[0] == "auswertung":
            zeilen.append((teile[1], teile[2].replace("{netzwerk}", netzwerk)))
    return zeilen + DATEIEN


def vorbereiten():
    """The bench-kreis region (ten Stadtteile by PLZ, as bench/run.sh) and the published
    network with the most partners."""
    os.environ.update(PROD_ENV)
    import django

    django.setup()
    from akteure.models import Postleitzahl, Sozialraum
    from netzwerke.models import Netzwerk

    kreis, _ = Sozialraum.objects.get_or_create(
        slug="bench-kreis", defaults={"name": "Bench-Kreis", "ebene": "kreis"}
    )
    for i, vorne in enumerate(
        ["101", "103", "104", "105", "106", "107", "108", "109", "120", "121"]
    ):
        Sozialraum.objects.get_or_create(
            slug=f"bench-kreis-{i}",
            defaults={
                "name": f"Stadtteil {vorne}",
                "ebene": "stadtteil",
                "uebergeordnet": kreis,
                "plz": list(
                    Postleitzahl.objects.filter(plz__startswith=vorne).values_list("plz", flat=True)
                ),
            },
        )
    netzwerk = (
        Netzwerk.objects.veroeffentlicht().mit_partnerzahl().order_by("-partnerzahl", "pk").first()
    )
    return netzwerk.slug


def abfragen_zaehlen(pfad):
    """(status, number of SQL queries) of one request in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as abfragen:
        antwort = Client(HTTP_HOST="127.0.0.1").get(pfad)
    return antwort.status_code, len(abfragen.captured_queries)


def anfrage(url):
    beginn = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as antwort:
            antwort.read()
            status = antwort.status
    except urllib.error.HTTPError as fehler:
        status = fehler.code
    return status, (time.perf_counter() - beginn) * 1000


def gunicorn(port, log):
    env = {**os.environ, **PROD_ENV}
    return subprocess.Popen(
        [str(BASIS / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", "1", "--timeout", "120", "--preload"],
        cwd=BASIS,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def messen(liste, laeufe):
    subprocess.run(
        [str(BASIS / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASIS,
        env={**os.environ, **PROD_ENV},
        check=True,
    )
    port = freier_port(8830)
    basis = f"http://127.0.0.1:{port}"
    log = open(Path(tempfile.gettempdir()) / "netzwerkatlas-auswertung-gunicorn.log", "w")  # noqa: SIM115
    ergebnisse = []
    for label, pfad in liste:
        server = gunicorn(port, log)
        try:
            # Ready when the port accepts: no request before the cold one.
            for _ in range(120):
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.25)
            status, kalt = anfrage(basis + pfad)
            warm = [anfrage(basis + pfad)[1] for _ in range(laeufe)]
        finally:
            server.terminate()
            server.wait(timeout=30)
        status_intern, abfragen = abfragen_zaehlen(pfad)
        print(
            f"  {label}: {status}, kalt {kalt:.0f} ms, Median {statistics.median(warm):.0f} ms "
            f"({min(warm):.0f}–{max(warm):.0f}), {abfragen} Abfragen",
            flush=True,
        )
        ergebnisse.append((label, pfad, status, kalt, warm, abfragen, status_intern))
    log.close()
    return ergebnisse


def bericht(ergebnisse, laeufe, last):
    zeilen = [
        "| Seite | Status | Abfragen | kalt ms | Median ms (warm) | min–max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, pfad, status, kalt, warm, abfragen, _ in ergebnisse:
        zeilen.append(
            f"| {label} (`{pfad}`) | {status} | {abfragen} | {kalt:.0f} "
            f"| {statistics.median(warm):.0f} | {min(warm):.0f}–{max(warm):.0f} |"
        )
    zeilen += [
        "",
        f"`bench/auswertung.py`, {time.strftime('%Y-%m-%d %H:%M')}; per URL a fresh worker, "
        f"1 cold request, then {laeufe} requests one after another (median). Target: "
        f"≤ {ZIEL_MS} ms for one user (issue 14).",
        "",
        *maschine(),
        f"- 1-minute load average before/after: {last[0]} / {last[1]} (the machine is shared)",
    ]
    return "\n".join(zeilen)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--laeufe", type=int, default=7)
    parser.add_argument("--ausgabe", default="")
    args = parser.parse_args()
    netzwerk = vorbereiten()
    last = [Path("/proc/loadavg").read_text().split()[0]]
    ergebnisse = messen(urls(netzwerk), args.laeufe)
    last.append(Path("/proc/loadavg").read_text().split()[0])
    text = bericht(ergebnisse, args.laeufe, last)
    print(text)
    if args.ausgabe:
        Path(args.ausgabe).write_text(text + "\n")


if __name__ == "__main__":
    main()
