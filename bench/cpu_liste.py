"""CPU time per request of the offerings list, cache cold, in-process (bench/RESULTS-suchindex.md).

    DATABASE_URL=… .venv/bin/python bench/cpu_liste.py [--runden 3] [--profil N] [--urls DATEI]

Every URL of bench/suchen-mix.txt (or --urls) through the whole Django stack (middleware, view,
template; django.test.Client, production settings, the cache emptied before every request, the
search index built first): per request the Python process's CPU time (time.process_time), the
time spent waiting for the database (every statement timed around its execute) and the number
of statements. On a machine shared with others the CPU time is the robust number: 150 requests
per second on two cores leave ~13 ms of CPU per request, database included.

`--sprachen de,ar` measures each URL in each language, interleaved (one German request, one
Arabic one, …): the Arabic URL is the German one under /ar/.
`--profil N`: cProfile over N more rounds of the mix, the top of the cumulative list printed.
`--aufrufe`: after the timed rounds one more round counting the Python function calls per
request (sys.setprofile): a measure of the work that does not depend on the machine's load.
`--aufteilung`: those calls split by the part of the request they are made in (PHASEN: the
innermost part counts): the view's own work apart from the templates and `listenzeilen`.
`--ohne-vorlagen`: also the CPU time outside template rendering (the view's own work, the
middleware and `listenzeilen`): the process time spent rendering templates is subtracted.
`--warm`: the cache is not emptied before each request (one untimed round fills it first): the
counts, pages and translated names a busy server mostly finds there.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SUCHBUDGET_PUNKTE", "0")  # as in bench/run.sh

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from angebote import suchindex  # noqa: E402

MIX = Path(__file__).resolve().parent / "suchen-mix.txt"


class Stoppuhr:
    """execute_wrapper: wall time and count of the statements (the database's share)."""

    def __init__(self):
        self.sekunden = 0.0
        self.anzahl = 0

    def __call__(self, execute, sql, params, many, context):
        anfang = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sekunden += time.perf_counter() - anfang
            self.anzahl += 1


WARM = False  # --warm: the cache is kept between requests
VORLAGEN_MS = []  # --ohne-vorlagen: process time spent rendering templates, per request


def vorlagen_uhr():
    """Time SimpleTemplateResponse.rendered_content (the templates) in VORLAGEN_MS[-1]."""
    from django.template.response import SimpleTemplateResponse

    original = SimpleTemplateResponse.rendered_content.fget

    def gemessen(self):
        anfang = time.process_time()
        try:
            return original(self)
        finally:
            VORLAGEN_MS[-1] += (time.process_time() - anfang) * 1000

    SimpleTemplateResponse.rendered_content = property(gemessen)


def eine_anfrage(client, pfad):
    if not WARM:
        cache.clear()
    uhr = Stoppuhr()
    VORLAGEN_MS.append(0.0)
    with connection.execute_wrapper(uhr):
        cpu, wand = time.process_time(), time.perf_counter()
        antwort = client.get(pfad)
        cpu, wand = time.process_time() - cpu, time.perf_counter() - wand
    assert antwort.status_code == 200, (pfad, antwort.status_code)
    return cpu * 1000, uhr.sekunden * 1000, uhr.anzahl, wand * 1000, cpu * 1000 - VORLAGEN_MS[-1]


def aufrufe_zaehlen(client, pfad):
    """Python function calls (and C functions called from Python) of one request."""
    anzahl = 0

    def zaehler(frame, ereignis, arg):
        nonlocal anzahl
        if ereignis in ("call", "c_call"):
            anzahl += 1

    mit_profil(client, pfad, zaehler)
    return anzahl


def mit_profil(client, pfad, zaehler):
    """One request of `pfad` with `zaehler` as the profile function (sys.setprofile); the cache
    emptied first unless --warm."""
    if not WARM:
        cache.clear()
    sys.setprofile(zaehler)
    try:
        client.get(pfad)
    finally:
        sys.setprofile(None)


def phasen():
    """(label, code object) of the parts `--aufteilung` tells apart; a call counts for the
    innermost part it is made in, "Middleware und Rest" outside all of them."""
    from django.forms.forms import BaseForm
    from django.template.response import SimpleTemplateResponse
    from django_filters.filterset import BaseFilterSet
    from django_filters.views import FilterMixin

    from angebote import filters, models, views
    from atlas import listen
    from atlas import suchindex as atlas_suchindex

    teile = [
        ("Ansicht (Rest)", views.AngebotListView.get),
        ("Vorlagen", SimpleTemplateResponse.rendered_content.fget),
        ("listenzeilen", models.listenzeilen),
        ("FilterSet und Formular bauen", FilterMixin.get_filterset),
        ("FilterSet und Formular bauen", BaseFilterSet.form.fget),
        ("Formular prüfen", BaseForm.full_clean),
        ("SQL-Filter bauen", BaseFilterSet.filter_queryset),
        ("SQL-Filter bauen", filters.AngebotFilterSet.qs.fget),
        ("Index: Änderungsprotokoll", atlas_suchindex.Protokoll.neue),
        ("Index: Maske", suchindex.AngebotIndex.maske),
        ("Index: Reihenfolge", suchindex.AngebotIndex.reihenfolge),
        ("Index: Facetten", suchindex.AngebotIndex.facetten),
        ("Seite: Zeilen lesen", views.TrefferPaginator.page),
        ("Filterformular (Gruppen, Chips)", listen.auswahlgruppe),
        ("Filterformular (Gruppen, Chips)", listen.auswahlliste),
        ("Filterformular (Gruppen, Chips)", listen.merkmalgruppe),
        ("Filterformular (Gruppen, Chips)", listen.aktive_filter),
        ("Filterformular (Gruppen, Chips)", listen.versteckte_felder),
        ("Kartenangaben", listen.karten_einstellungen),
    ]
    return {code.__code__: label for label, code in teile}


def aufteilen(client, pfad, marken):
    """{part: function calls} of one request (see phasen())."""
    zaehler_je = {}
    stapel = []  # (frame, label)

    def zaehler(frame, ereignis, arg):
        if ereignis == "call":
            if (label := marken.get(frame.f_code)) is not None:
                stapel.append((frame, label))
        elif ereignis == "return":
            if stapel and stapel[-1][0] is frame:
                stapel.pop()
            return
        elif ereignis != "c_call":
            return
        label = stapel[-1][1] if stapel else "Middleware und Rest"
        zaehler_je[label] = zaehler_je.get(label, 0) + 1

    mit_profil(client, pfad, zaehler)
    return zaehler_je


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runden", type=int, default=3)
    parser.add_argument("--profil", type=int, default=0)
    parser.add_argument("--urls", default=str(MIX))
    parser.add_argument("--sprachen", default="de")
    parser.add_argument("--einzeln", action="store_true", help="a line per URL")
    parser.add_argument("--aufrufe", action="store_true")
    parser.add_argument("--aufteilung", action="store_true")
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--ohne-vorlagen", action="store_true")
    args = parser.parse_args()
    global WARM
    WARM = args.warm
    if args.ohne_vorlagen:
        vorlagen_uhr()
    pfade = [
        z.strip()
        for z in Path(args.urls).read_text().splitlines()
        if z.strip() and not z.lstrip().startswith("#")
    ]
    sprachen = args.sprachen.split(",")
    client = Client()
    with suchindex.INDEX.aktuell(warten=True):
        pass
    # Right after a build the index treats the last 10,000 log ids as possibly unapplied until
    # every transaction then running has ended (atlas.suchindex.Protokoll); measured is the
    # settled state: wait up to a minute for it (other databases' long transactions delay it).
    for _ in range(60):
        with suchindex.INDEX.aktuell(warten=True) as index:
            offen = len(index.protokoll.bekannt)
        if not offen:
            break
        time.sleep(1)
    print(f"Änderungsprotokoll: {offen} angewandte Ids über dem sicheren Stand", flush=True)
    for pfad in pfade[:3]:  # Django's own start-up: templates compiled, vocabularies read
        for sprache in sprachen:
            eine_anfrage(client, mit_sprache(pfad, sprache))
    if WARM:
        for pfad in pfade:
            for sprache in sprachen:
                eine_anfrage(client, mit_sprache(pfad, sprache))
    print(f"Last vorher: {os.getloadavg()}", flush=True)
    werte = {(p, s): [] for p in pfade for s in sprachen}
    for _ in range(args.runden):
        for pfad in pfade:
            for sprache in sprachen:
                werte[pfad, sprache].append(eine_anfrage(client, mit_sprache(pfad, sprache)))
    print(f"Last nachher: {os.getloadavg()}")
    for sprache in sprachen:
        alle = [w for p in pfade for w in werte[p, sprache]]
        cpu = statistics.median(w[0] for w in alle)
        db = statistics.median(w[1] for w in alle)
        n = statistics.median(w[2] for w in alle)
        wand = statistics.median(w[3] for w in alle)
        print(
            f"{sprache}: {len(pfade)} URLs × {args.runden}: CPU median {cpu:.1f} ms "
            f"(mean {statistics.fmean(w[0] for w in alle):.1f}), DB wait median {db:.1f} ms, "
            f"statements {n:.0f}, wall median {wand:.1f} ms"
        )
        if args.ohne_vorlagen:
            print(
                f"{sprache}: CPU outside the templates median "
                f"{statistics.median(w[4] for w in alle):.1f} ms"
            )
    if args.aufrufe:
        for sprache in sprachen:
            zahlen = [aufrufe_zaehlen(client, mit_sprache(p, sprache)) for p in pfade]
            print(f"{sprache}: function calls per request median {statistics.median(zahlen):.0f}")
    if args.aufteilung:
        marken = phasen()
        for sprache in sprachen:
            je_url = [aufteilen(client, mit_sprache(p, sprache), marken) for p in pfade]
            labels = sorted(
                {k for t in je_url for k in t}, key=lambda k: -sum(t.get(k, 0) for t in je_url)
            )
            print(f"| {sprache}: part | function calls per request (mean over {len(pfade)} URLs) |")
            print("|---|---:|")
            for label in labels:
                print(f"| {label} | {statistics.fmean(t.get(label, 0) for t in je_url):,.0f} |")
            gesamt = [sum(t.values()) for t in je_url]
            ohne = [
                sum(n for k, n in t.items() if k not in ("Vorlagen", "listenzeilen"))
                for t in je_url
            ]
            print(f"| all | {statistics.fmean(gesamt):,.0f} |")
            print(f"| all but Vorlagen and listenzeilen | {statistics.fmean(ohne):,.0f} |")
    if args.einzeln:
        print("| URL | " + " | ".join(f"{s} CPU ms | {s} DB ms | {s} queries" for s in sprachen))
        for pfad in pfade:
            zellen = []
            for sprache in sprachen:
                w = werte[pfad, sprache]
                zellen += [
                    f"{statistics.median(x[0] for x in w):.1f}",
                    f"{statistics.median(x[1] for x in w):.1f}",
                    f"{statistics.median(x[2] for x in w):.0f}",
                ]
            print(f"| `{pfad}` | " + " | ".join(zellen) + " |")
    if args.profil:
        profil = cProfile.Profile()
        profil.enable()
        for _ in range(args.profil):
            for pfad in pfade:
                for sprache in sprachen:
                    eine_anfrage(client, mit_sprache(pfad, sprache))
        profil.disable()
        statistik = pstats.Stats(profil)
        statistik.sort_stats("cumulative").print_stats(60)
        statistik.sort_stats("tottime").print_stats(40)


def mit_sprache(pfad, sprache):
    return pfad if sprache == "de" else f"/{sprache}{pfad}"


if __name__ == "__main__":
    from django.conf import settings

    # Without collectstatic: plain static URLs (as bench/suchindex.py).
    speicher = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=speicher):
        main()
