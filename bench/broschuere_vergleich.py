"""Two brochure HTMLs rendered alternately in one process: CPU seconds of WeasyPrint each.

Usage: .venv/bin/python bench/broschuere_vergleich.py ALT.html ALT.css NEU.html NEU.css [--laeufe 3]

Renders each HTML with its stylesheet as the view does (tagged PDF/UA-1, local files only),
old and new alternating, and prints per variant the CPU seconds (time.process_time: robust to
the load of a shared machine), the pages and the PDF's size. The HTMLs are captured from the
view (the brochure of one list before and after a change); a measurement, not a test.
"""

import argparse
import statistics
import time
from pathlib import Path


def rendern(html, css):
    from weasyprint import CSS, HTML

    from atlas.broschuere import PDF_VARIANTE, _nur_lokal

    dokument = HTML(string=html, base_url=".", url_fetcher=_nur_lokal())
    beginn = time.process_time()
    gerendert = dokument.render(stylesheets=[CSS(string=css)], pdf_variant=PDF_VARIANTE)
    mitte = time.process_time()
    pdf = gerendert.write_pdf(pdf_variant=PDF_VARIANTE)
    ende = time.process_time()
    return mitte - beginn, ende - mitte, len(gerendert.pages), len(pdf)


def main():
    import os
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("alt_html")
    parser.add_argument("alt_css")
    parser.add_argument("neu_html")
    parser.add_argument("neu_css")
    parser.add_argument("--laeufe", type=int, default=3)
    args = parser.parse_args()
    varianten = {
        "alt": (Path(args.alt_html).read_text(), Path(args.alt_css).read_text()),
        "neu": (Path(args.neu_html).read_text(), Path(args.neu_css).read_text()),
    }
    rendern(*varianten["neu"])  # warm-up: fonts, WeasyPrint's caches
    ergebnisse = {name: [] for name in varianten}
    for _ in range(args.laeufe):
        for name, (html, css) in varianten.items():
            ergebnis = rendern(html, css)
            ergebnisse[name].append(ergebnis)
            layout, schreiben, seiten, groesse = ergebnis
            print(
                f"{name}: Layout {layout:.2f} s, PDF {schreiben:.2f} s, {seiten} Seiten, "
                f"{groesse} Bytes",
                flush=True,
            )
    for name, liste in ergebnisse.items():
        layout = statistics.median(e[0] for e in liste)
        schreiben = statistics.median(e[1] for e in liste)
        gesamt = statistics.median(e[0] + e[1] for e in liste)
        print(
            f"{name}: Median CPU {gesamt:.2f} s (Layout {layout:.2f}, PDF {schreiben:.2f}), "
            f"{liste[0][2]} Seiten, {liste[0][3] / 1e6:.2f} MB"
        )
    print("load", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
