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
import datetime
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
SITZUNG = []  # the superuser session cookie for the admin page
# Files of the gap analysis and the other analysis pages, beside the pages of bench/urls.txt.
# "/admin/…" is asked with a superuser's session (bench.export.sitzung).
DATEIEN = [
    ("Bedarfsanalyse als CSV", "/auswertung/bedarf.csv?region=bench-kreis"),
    ("Bedarfsanalyse als XLSX", "/auswertung/bedarf.xlsx?region=bench-kreis"),
    ("Netzwerkkarte der Region", "/auswertung/netzwerkkarte/?region=bench-kreis"),
    ("Landesübersicht (Frühe Hilfen, alle 322 Netzwerke)", "/programme/fruehe-hilfen/"),
    ("Monitoring eines Standorts", "/auswertung/monitoring/{standort}/"),
    (
        "Standorte eines Programms im Vergleich",
        "/auswertung/monitoring/?programm=familiengrundschulzentren",
    ),
    ("Partnervorschläge (Admin)", "/admin/netzwerke/netzwerk/{netzwerk_pk}/partnervorschlaege/"),
]
CPU_LAEUFE = 5


def urls(werte):
    zeilen = []
    for zeile in (BASIS / "bench/urls.txt").read_text().splitlines():
        teile = [t.strip() for t in zeile.split("|")]
        if not zeile.lstrip().startswith("#") and len(teile) == 3 and teile[0] == "auswertung":
            zeilen.append((teile[1], teile[2]))
    return [(label, pfad.format(**werte)) for label, pfad in zeilen + DATEIEN]


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
    # Monitoring: two monthly snapshots (idempotent per month), the site with most offerings.
    from auswertung.models import Schnappschuss
    from auswertung.monitoring import schnappschuesse_schreiben

    if Schnappschuss.objects.values("monat").distinct().count() < 2:
        schnappschuesse_schreiben(datetime.date(2026, 11, 1))
        schnappschuesse_schreiben(datetime.date(2026, 12, 1))
    standort = Schnappschuss.objects.order_by("-angebote", "akteur_id").first().akteur.slug
    return {
        "netzwerk": netzwerk.slug,
        "netzwerk_pk": netzwerk.pk,
        "standort": standort,
    }


def abfragen_zaehlen(pfad):
    """(status, number of SQL queries, median CPU ms of this process) of the request
    in-process: CPU time is what the load of the shared machine changes least."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if pfad.startswith("/admin/"):
        client.force_login(User.objects.get(username="bench-export"))
    client.get(pfad)
    cpu = []
    for _ in range(CPU_LAEUFE):
        beginn = time.process_time()
        client.get(pfad)
        cpu.append((time.process_time() - beginn) * 1000)
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get(pfad)
    return antwort.status_code, len(abfragen.captured_queries), statistics.median(cpu)


def anfrage(url):
    beginn = time.perf_counter()
    pfad = url.split("/", 3)[3]
    kopf = {"Cookie": f"sessionid={SITZUNG[0]}"} if pfad.startswith("admin/") else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=kopf), timeout=120
        ) as antwort:
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
        status_intern, abfragen, cpu = abfragen_zaehlen(pfad)
        print(
            f"  {label}: {status}, kalt {kalt:.0f} ms, Median {statistics.median(warm):.0f} ms "
            f"({min(warm):.0f}–{max(warm):.0f}), {abfragen} Abfragen, CPU {cpu:.0f} ms, "
            f"Last {Path('/proc/loadavg').read_text().split()[0]}",
            flush=True,
        )
        ergebnisse.append((label, pfad, status, kalt, warm, abfragen, cpu))
    log.close()
    return ergebnisse


def bericht(ergebnisse, laeufe, last):
    zeilen = [
        "| Seite | Status | Abfragen | CPU ms | kalt ms | Median ms (warm) | min–max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, pfad, status, kalt, warm, abfragen, cpu in ergebnisse:
        zeilen.append(
            f"| {label} (`{pfad}`) | {status} | {abfragen} | {cpu:.0f} | {kalt:.0f} "
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
    werte = vorbereiten()
    from bench.export import sitzung

    SITZUNG.append(sitzung())
    last = [Path("/proc/loadavg").read_text().split()[0]]
    ergebnisse = messen(urls(werte), args.laeufe)
    last.append(Path("/proc/loadavg").read_text().split()[0])
    text = bericht(ergebnisse, args.laeufe, last)
    print(text)
    if args.ausgabe:
        Path(args.ausgabe).write_text(text + "\n")


if __name__ == "__main__":
    main()
