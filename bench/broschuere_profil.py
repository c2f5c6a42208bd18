"""Where an uncached 200-offering brochure spends its time: requests profiled in-process.

Usage: BENCH_DATABASE_URL=… .venv/bin/python bench/broschuere_profil.py [--format a4]
       [--laeufe 3] [--profil] [--top 40]

Calls the brochure view for bench/broschuere.py's network `bench-broschuere` (created there)
in this process with the production settings (Django's test client; a warm-up brochure in
English first; the worker's PDF store and the QR codes' memo cleared before each request, so
every one is uncached). Each run asks in another order, as bench/broschuere.py does.

Without `--profil`: the CPU seconds (time.process_time) of each phase – our rows, QR codes and
HTML, WeasyPrint's HTML parse, CSS cascade, boxes, layout, painting, fonts, tags, serialising –
measured by wrapping the few functions that do them (called once per document or page: no
overhead worth naming), median over the runs. With `--profil`: the last run under cProfile
(CPU time as its clock), the top functions by cumulative and by own time; that clock is a
system call per function call, so the profiled run takes about five times as long: read its
shares, not its seconds. A measurement, not a test.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from broschuere import NETZWERK, django_einrichten, netzwerk_mit_200

ZEITEN = defaultdict(float)


def gestoppt(name, funktion):
    def aufruf(*args, **kwargs):
        beginn = time.process_time()
        try:
            return funktion(*args, **kwargs)
        finally:
            ZEITEN[name] += time.process_time() - beginn

    return aufruf


@contextmanager
def phasen_messen():
    """Wraps the functions of each phase where their callers look them up; undone after."""
    import pydyf
    import weasyprint
    import weasyprint.document
    import weasyprint.pdf

    import angebote.broschuere
    import atlas.broschuere

    atlas.broschuere.weasyprint_ergaenzen()
    stellen = [
        ("Zeilen lesen (DB)", angebote.broschuere, "angebote_mit_angaben"),
        ("QR-Codes (segno)", angebote.broschuere, "qr_bild"),
        ("HTML rendern (Vorlagen)", angebote.broschuere, "render_to_string"),
        ("HTML parsen (WeasyPrint)", weasyprint.HTML, "__init__"),
        ("CSS-Kaskade", weasyprint.document, "get_all_computed_styles"),
        ("Boxen bauen", weasyprint.document, "build_formatting_structure"),
        ("Rendern gesamt", weasyprint.HTML, "render"),
        ("Seiten zeichnen", weasyprint.document, "draw_page"),
        ("Schriften (fontTools)", weasyprint.pdf, "build_fonts_dictionary"),
        ("PDF/UA-Tags", weasyprint.pdf, "add_tags"),
        ("Serialisieren (pydyf)", pydyf.PDF, "write"),
        ("PDF schreiben gesamt", weasyprint.document.Document, "write_pdf"),
        ("A5 ausschießen (pypdf)", angebote.broschuere, "heft"),
        ("WeasyPrint gesamt", angebote.broschuere, "pdf_aus_html"),
    ]
    alt = [(ort, name, getattr(ort, name)) for _phase, ort, name in stellen]
    for phase, ort, name in stellen:
        setattr(ort, name, gestoppt(phase, getattr(ort, name)))
    try:
        yield [phase for phase, _ort, _name in stellen]
    finally:
        for ort, name, funktion in alt:
            setattr(ort, name, funktion)


def anfrage(client, pfad, profiler=None):
    from atlas.broschuere import _qr_uri, lokaler_speicher

    lokaler_speicher.clear()
    _qr_uri.cache_clear()
    ZEITEN.clear()
    cpu, wand = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    antwort = client.get(pfad)
    if profiler:
        profiler.disable()
    cpu, wand = time.process_time() - cpu, time.perf_counter() - wand
    assert antwort.status_code == 200, antwort.content[:300]
    print(f"{pfad}: CPU {cpu:.2f} s, Zeit {wand:.2f} s, {len(antwort.content)} Bytes", flush=True)
    return cpu, dict(ZEITEN)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", default="a4", choices=["a4", "a5"])
    parser.add_argument("--laeufe", type=int, default=3)
    parser.add_argument("--profil", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    django_einrichten()
    netzwerk_mit_200()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    basis = f"/angebote/broschuere-{args.format}.pdf?netzwerk={NETZWERK}"
    reihenfolgen = ["", "&sortierung=name", "&sortierung=geprueft", "&gliederung=lebensphase"]
    last = [Path("/proc/loadavg").read_text().split()[0]]
    if args.profil:
        anfrage(client, "/en" + basis)
        # CPU time as the clock: on a shared machine the wall clock counts the others too.
        profiler = cProfile.Profile(time.process_time)
        anfrage(client, basis, profiler)
        for sortierung in ("cumulative", "tottime"):
            ausgabe = io.StringIO()
            pstats.Stats(profiler, stream=ausgabe).sort_stats(sortierung).print_stats(args.top)
            print(ausgabe.getvalue())
        return
    with phasen_messen() as namen:
        anfrage(client, "/en" + basis)
        laeufe = [anfrage(client, basis + reihenfolgen[n % 4]) for n in range(args.laeufe)]
    last.append(Path("/proc/loadavg").read_text().split()[0])
    gesamt = statistics.median(cpu for cpu, _z in laeufe)
    print(f"\nCPU-Sekunden, Median über {len(laeufe)} Läufe (Last {' → '.join(last)}):")
    print(f"{'Anfrage gesamt':32} {gesamt:6.2f}")
    for name in namen:
        sekunden = statistics.median(z.get(name, 0.0) for _cpu, z in laeufe)
        print(f"{name:32} {sekunden:6.2f} {100 * sekunden / gesamt:5.1f} %")
    # layout_document is a generator, consumed by Document._render: the layout is what
    # rendering costs besides the cascade and the boxes.
    layout = statistics.median(
        z["Rendern gesamt"] - z["CSS-Kaskade"] - z["Boxen bauen"] for _cpu, z in laeufe
    )
    print(f"{'Layout (Rendern − Kaskade − Boxen)':32} {layout:6.2f} {100 * layout / gesamt:5.1f} %")


if __name__ == "__main__":
    main()
