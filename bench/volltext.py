"""Cache-cold timings of full-text searches on the offerings list, for one code tree.

    DATABASE_URL=… .venv/bin/python bench/volltext.py [--code DIR] [--wiederholungen 7]

`--code` measures another checkout of the project (e.g. the commit before a change, unpacked
with `git archive`) with this script, so that before and after can be run in turn, interleaved,
on the same database. Per URL: median wall time and median CPU time of this process (the
Python side; the database's own time is in the wall time only), and the queries of one request.
Production settings, the cache emptied before every request, in-process (django.test.Client).
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

SEITEN = [
    "/angebote/?thema=familienbildung",  # for comparison: a broad list without full text
    "/angebote/?q=Beratung",
    "/angebote/?q=Eltern",
    "/angebote/?thema=familienbildung&q=Eltern",
    "/angebote/?q=Hebame",
    "/angebote/?q=Rückbildung",
    "/angebote/?q=Eltern+Beratung",
    "/angebote/?q=Eltern&seite=50",
    "/ar/angebote/?q=استشارة",
    "/ar/angebote/?q=Eltern",
    "/angebote/karte.json?bbox=5.5,47,15.5,55.2&q=Eltern",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--wiederholungen", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SUCHBUDGET_PUNKTE", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from angebote import suchindex

    speicher = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=speicher, SUCHINDEX_HINTERGRUND=False):
        client = Client()
        client.get("/angebote/?wo=73728")
        vorher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        anfang = time.perf_counter()
        with suchindex.INDEX.aktuell() as index:
            woerter = getattr(index, "woerter", None)
            zusatz = (
                f", {len(woerter.haeufig)} Lexeme im Speicher ({len(woerter.tief)} Postings, "
                f"{woerter.speicher() / 1e6:.0f} MB), {len(woerter.selten)} selten"
                if woerter
                else ""
            )
        aufbau = time.perf_counter() - anfang
        nachher = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"Code {args.code}: Aufbau {aufbau:.1f} s, "
            f"Höchst-RSS {vorher:.0f} → {nachher:.0f} MB{zusatz}"
        )
        print(f"Last {os.getloadavg()}")
        for pfad in SEITEN:
            wand, cpu = [], []
            for _ in range(args.wiederholungen):
                cache.clear()
                w0, c0 = time.perf_counter(), time.process_time()
                antwort = client.get(pfad)
                wand.append((time.perf_counter() - w0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert antwort.status_code == 200, (pfad, antwort.status_code)
            cache.clear()
            with CaptureQueriesContext(connection) as abfragen:
                antwort = client.get(pfad)
            anzahl = antwort.context["paginator"].count if antwort.context else "–"
            print(
                f"| `{pfad}` | {statistics.median(wand):.0f} | {statistics.median(cpu):.0f} "
                f"| {len(abfragen)} | {anzahl} |",
                flush=True,
            )
        print(
            f"Last {os.getloadavg()}; Höchst-RSS "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
