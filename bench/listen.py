"""Cache-cold timings of the Akteure and Netzwerke list pages (and any other URLs), one user.

    DATABASE_URL=… .venv/bin/python bench/listen.py [--laeufe 5] [--csv datei] [URL …]

In-process (django.test.Client, production settings, cache emptied before every request, the
rate limit and the search budget off): what a request costs the server, without HTTP. Per URL
the median wall time, CPU time of this process (robust to the load of other processes on a
shared machine), the query count, the database time and the slowest query. Run it from two
checkouts in turn for an interleaved before/after (bench/RESULTS-suchindex.md).
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASIS))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SUCHBUDGET_PUNKTE", "0")
os.environ.setdefault("DROSSELUNG_ANFRAGEN", "0")
os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
# The search indexes are read by the first request (not measured), not in a thread meanwhile.
os.environ.setdefault("SUCHINDEX_HINTERGRUND", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SEITEN = [
    ("Akteure ohne Filter", "/akteure/"),
    ("Akteure Einrichtungsart Kita", "/akteure/?einrichtungsart=kita"),
    ("Akteure Bereich Bildung", "/akteure/?bereich=bildung"),
    ("Akteure barrierefrei + Sprache de", "/akteure/?barrierefrei=on&sprache=de"),
    ("Akteure Seite 50, breit", "/akteure/?bereich=bildung&page=50"),
    ("Akteure Suchwort Familie", "/akteure/?q=Familie"),
    ("Akteure Suchwort Familie Seite 50", "/akteure/?q=Familie&page=50"),
    ("Akteure Suchwort Beratung + Einrichtungsart", "/akteure/?q=Beratung&einrichtungsart=kita"),
    ("Akteure zwei Suchwoerter", "/akteure/?q=Familienzentrum%20Eltern"),
    ("Akteure Suchwort selten", "/akteure/?q=Hebamme"),
    ("Netzwerke ohne Filter", "/netzwerke/"),
    ("Netzwerke Programm", "/netzwerke/?programm=fruehe-hilfen"),
    ("Netzwerke Seite 10", "/netzwerke/?page=10"),
    ("Netzwerke Suchwort (q wird ignoriert)", "/netzwerke/?q=Familie"),
    ("HSDS services", "/api/hsds/services"),
    ("HSDS services Seite 50", "/api/hsds/services?page=50"),
    ("HSDS services Thema", "/api/hsds/services?taxonomy_term_id=THEMA"),
    ("HSDS services search=Eltern", "/api/hsds/services?search=Eltern"),
    ("HSDS service_at_locations", "/api/hsds/service_at_locations"),
    ("HSDS organizations", "/api/hsds/organizations"),
    ("HSDS locations", "/api/hsds/locations"),
]


def thema_id():
    from angebote import hsds
    from angebote.models import Thema

    return hsds.hsds_id(hsds.THEMA, Thema.objects.get(slug="familienbildung").pk)


def messen(client, url, laeufe):
    client.get(url)  # the code path once (imports, templates, a process's index), not measured
    wand, cpu, abfragen = [], [], []
    for _ in range(laeufe):
        cache.clear()
        with CaptureQueriesContext(connection) as erfasst:
            c0, w0 = time.process_time(), time.perf_counter()
            antwort = client.get(url)
            cpu.append((time.process_time() - c0) * 1000)
            wand.append((time.perf_counter() - w0) * 1000)
        assert antwort.status_code == 200, (url, antwort.status_code)
        abfragen = erfasst.captured_queries
    langsamste = max(abfragen, key=lambda q: float(q["time"]))
    return {
        "ms": statistics.median(wand),
        "cpu": statistics.median(cpu),
        "abfragen": len(abfragen),
        "db": sum(float(q["time"]) for q in abfragen) * 1000,
        "langsam": float(langsamste["time"]) * 1000,
        "sql": " ".join(langsamste["sql"].split())[:90],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--laeufe", type=int, default=5)
    parser.add_argument("--nur", default="", help="only URLs whose label contains this")
    parser.add_argument("urls", nargs="*", help="these URLs instead of the built-in pages")
    args = parser.parse_args()
    client = Client()
    thema = thema_id()
    # Without collectstatic: plain static URLs (the manifest's lookup is no part of a list).
    speicher = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=speicher):
        alle(client, thema, args)


def alle(client, thema, args):
    print(f"load {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    seiten = [(url, url) for url in args.urls] or SEITEN
    for label, url in seiten:
        if args.nur and args.nur not in label:
            continue
        url = url.replace("THEMA", thema)
        e = messen(client, url, args.laeufe)
        print(
            f"| {label} | {e['ms']:.0f} | {e['cpu']:.0f} | {e['abfragen']} | {e['db']:.0f} "
            f"| {e['langsam']:.0f} | `{e['sql']}…` |",
            flush=True,
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load {Path('/proc/loadavg').read_text().split()[0]}, max RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
