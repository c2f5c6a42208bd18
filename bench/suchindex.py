"""Cache-cold timings of the offerings list with and without the in-memory search index.

    DATABASE_URL=… .venv/bin/python bench/suchindex.py [--wiederholungen 7] [--ohne-sql]

In-process (django.test.Client, production settings, cache emptied before every request):
what a request costs the server, without HTTP. The start-up of the index (first request) and
its memory are printed first. The load test with 10 connections is bench/run.sh's
(`suche-mix`, the rotating URLs of bench/suchen-mix.txt).
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# The search budget (atlas/drosselung.py) would refuse a bench that asks this often; off, as in
# bench/run.sh.
os.environ.setdefault("SUCHBUDGET_PUNKTE", "0")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from angebote import suchindex  # noqa: E402

SEITEN = [
    ("ohne Filter", "/angebote/"),
    ("Thema (breit)", "/angebote/?thema=familienbildung"),
    ("Thema + kostenlos", "/angebote/?thema=familienbildung&kostenlos=on"),
    ("Suchwort Beratung", "/angebote/?q=Beratung"),
    ("Suchwort Eltern", "/angebote/?q=Eltern"),
    ("Thema + Suchwort Eltern", "/angebote/?thema=familienbildung&q=Eltern"),
    ("Thema + zwei Kinder", "/angebote/?thema=baby-kleinkind&alter=1,6"),
    ("Seite 50, breit", "/angebote/?thema=familienbildung&seite=50"),
    ("Suchwort mit Tippfehler", "/angebote/?q=Hebame"),
    ("Suchwort, Wortanfang", "/angebote/?q=Rückbildung"),
    ("zwei Suchwörter", "/angebote/?q=Eltern+Beratung"),
    ("arabisch, ohne Filter", "/ar/angebote/"),
    ("arabisch, Thema (breit)", "/ar/angebote/?thema=familienbildung"),
    ("arabisch, Thema + kostenlos", "/ar/angebote/?thema=familienbildung&kostenlos=on"),
    ("arabisch, Thema + zwei Kinder", "/ar/angebote/?thema=baby-kleinkind&alter=1,6"),
    ("arabisch, Seite 50, breit", "/ar/angebote/?thema=familienbildung&seite=50"),
    ("arabisch, Suchwort Eltern", "/ar/angebote/?q=Eltern"),
    ("arabisch, arabisches Wort", "/ar/angebote/?q=استشارة"),
    ("Sprache + Format + Phase", "/angebote/?sprache=ar&format=kurs&phase=0-1"),
    ("nach zuletzt geprüft", "/angebote/?kostenlos=on&sortierung=geprueft"),
    ("PLZ (SQL wie bisher)", "/angebote/?wo=73728"),
    ("Karte Deutschland", "/angebote/karte.json?bbox=5.5,47,15.5,55.2"),
    (
        "Karte Deutschland + Filter",
        "/angebote/karte.json?bbox=5.5,47,15.5,55.2&thema=baby-kleinkind&kostenlos=on",
    ),
    (
        "Karte Stadt + Filter",
        "/angebote/karte.json?bbox=13.2,52.4,13.6,52.65&thema=baby-kleinkind&kostenlos=on",
    ),
]


def messen(client, pfad, wiederholungen):
    zeiten = []
    for _ in range(wiederholungen):
        cache.clear()
        anfang = time.perf_counter()
        antwort = client.get(pfad)
        zeiten.append((time.perf_counter() - anfang) * 1000)
        assert antwort.status_code == 200, (pfad, antwort.status_code)
    return statistics.median(zeiten)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wiederholungen", type=int, default=7)
    parser.add_argument("--ohne-sql", action="store_true", help="only with the index")
    args = parser.parse_args()
    client = Client()
    client.get("/angebote/?wo=73728")  # Django's own start-up, outside the index
    vorher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    anfang = time.perf_counter()
    with suchindex.INDEX.aktuell() as index:
        zeilen = len(index.ids)
    aufbau = time.perf_counter() - anfang
    nachher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Index: {zeilen} veröffentlichte Angebote, Aufbau {aufbau:.2f} s, "
        f"Höchst-RSS {vorher:.0f} → {nachher:.0f} MB"
    )
    print(f"Last: {os.getloadavg()}")
    print("| Seite | mit Index, ms | nur SQL, ms |")
    print("|---|---:|---:|")
    for name, pfad in SEITEN:
        mit = messen(client, pfad, args.wiederholungen)
        ohne = "–"
        if not args.ohne_sql:
            with override_settings(SUCHINDEX=False):
                ohne = f"{messen(client, pfad, max(3, args.wiederholungen // 2)):.0f}"
        print(f"| {name} `{pfad}` | {mit:.0f} | {ohne} |", flush=True)
    print(
        f"Last: {os.getloadavg()}; RSS zuletzt "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    from django.conf import settings

    # Without collectstatic: plain static URLs (the manifest's lookup is no part of the search).
    speicher = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=speicher):
        main()
