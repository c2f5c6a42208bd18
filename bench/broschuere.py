"""Benchmark of the brochure PDF: a 200-offering brochure's time and the worker's memory growth.

Usage: BENCH_DATABASE_URL=… .venv/bin/python bench/broschuere.py [--laeufe 3]

Runs one gunicorn sync worker with the production settings (config.settings.base, Django's
local-memory cache) against the bench database (`BENCH_DATABASE_URL`, default
netzwerkatlas_bench, filled by bench/run.sh; any database with generated data will do) and
fetches over loopback:
- the A4 brochure of exactly 200 published offerings, uncached: each run asks in another
  order (name, last checked, relevance-less default), so its HTML and cache key differ;
- the same brochure again (from the cache: rows read and HTML rendered, no layout);
- the A5 booklet of the same 200, uncached; and one Aushang.
The 200 offerings: a network `bench-broschuere` that this script creates once in the bench
database and assigns to the first 200 published offerings without a network (generated data).
Per request it resets the worker's peak RSS (/proc/<pid>/clear_refs, "5") and reads VmHWM
afterwards: growth = peak − RSS before. Also the RSS the worker keeps after all requests.
Targets: ≤ 5 s for the uncached A4 brochure, worker memory growth ≤ 200 MB. A measurement,
not a test: it never fails because a target is missed. Writes bench/RESULTS-broschuere.md.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from export import BASIS, PROD_ENV, freier_port, herunterladen, maschine, status

ANZAHL = 200
ZIEL_SEKUNDEN = 5
ZIEL_MB = 200
NETZWERK = "bench-broschuere"


def django_einrichten():
    os.environ.update(PROD_ENV)
    sys.path.insert(0, str(BASIS))
    import django

    django.setup()


def netzwerk_mit_200():
    """The bench network with exactly 200 published offerings (created once)."""
    from angebote.models import Angebot
    from atlas.models import Status
    from netzwerke.models import Netzwerk, Programm

    netzwerk, _neu = Netzwerk.objects.get_or_create(
        slug=NETZWERK,
        defaults={
            "name": "Bench-Netzwerk Broschüre",
            "programm": Programm.objects.order_by("pk").first(),
            "status": Status.VEROEFFENTLICHT,
        },
    )
    fehlend = ANZAHL - Angebot.objects.veroeffentlicht().filter(netzwerk=netzwerk).count()
    if fehlend > 0:
        frei = (
            Angebot.objects.veroeffentlicht()
            .fuer_familien()
            .filter(netzwerk__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:fehlend]
        )
        Angebot.objects.filter(pk__in=list(frei)).update(netzwerk=netzwerk)
    angebot = Angebot.objects.veroeffentlicht().filter(netzwerk=netzwerk).order_by("pk").first()
    return angebot.slug


def cpu_sekunden(pid):
    """User + system CPU time of a process: what a request costs whatever else the machine
    runs (the wall time on a shared machine depends on the others)."""
    felder = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(felder[11]) + int(felder[12])) / os.sysconf("SC_CLK_TCK")


def messen(laeufe, aushang_slug):
    port = freier_port(8830)
    basis = f"http://127.0.0.1:{port}"
    env = {**os.environ, **PROD_ENV, "STATIC_ROOT": "/tmp/netzwerkatlas-bench-static"}
    log = open(Path(tempfile.gettempdir()) / "netzwerkatlas-broschuere-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(BASIS / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", "1", "--timeout", "600"],
        cwd=BASIS,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    a4 = f"/angebote/broschuere-a4.pdf?netzwerk={NETZWERK}"
    a5 = f"/angebote/broschuere-a5.pdf?netzwerk={NETZWERK}"
    reihenfolgen = ["", "&sortierung=name", "&sortierung=geprueft", "&gliederung=lebensphase"]
    try:
        for _ in range(60):
            try:
                # A page without static files: this worker has no collected ones (STATIC_ROOT
                # is empty), so an HTML page would answer 500 and the loop wait a minute.
                urllib.request.urlopen(f"{basis}/angebote/karte.json?q=Babymassage", timeout=30)
                break
            except OSError:
                time.sleep(1)
        worker = int(subprocess.check_output(["pgrep", "-P", str(server.pid)]).split()[0])
        # Warm-up: WeasyPrint, fonts and templates loaded once, on a small document (in
        # English, so that the German one measured below is not in the cache).
        herunterladen(f"{basis}/en/angebote/{aushang_slug}/aushang.pdf")
        rss_start = status(worker)["VmRSS"]
        last = [Path("/proc/loadavg").read_text().split()[0]]
        ergebnisse = []

        def einmal(label, pfad):
            Path(f"/proc/{worker}/clear_refs").write_text("5")
            vorher = status(worker)["VmRSS"]
            cpu = cpu_sekunden(worker)
            dauer, _erstes, groesse = herunterladen(basis + pfad)
            cpu = cpu_sekunden(worker) - cpu
            spitze = status(worker)["VmHWM"]
            ergebnisse.append((label, pfad, dauer, cpu, groesse, spitze - vorher, vorher))
            zuwachs = spitze - vorher
            print(f"  {label}: {dauer:.2f} s (CPU {cpu:.2f} s), RSS +{zuwachs:.0f} MB")

        for n in range(min(laeufe, len(reihenfolgen))):
            einmal(f"A4, {ANZAHL} Angebote, ungecacht (Lauf {n + 1})", a4 + reihenfolgen[n])
        einmal(f"A4, {ANZAHL} Angebote, aus dem Cache", a4)
        einmal(f"A5-Heft, {ANZAHL} Angebote, ungecacht", a5)
        einmal("Aushang, ein Angebot, ungecacht", f"/angebote/{aushang_slug}/aushang.pdf")
        rss_ende = status(worker)["VmRSS"]
        last.append(Path("/proc/loadavg").read_text().split()[0])
        return ergebnisse, rss_start, rss_ende, last
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def bericht(ergebnisse, rss_start, rss_ende, last):
    zeilen = [
        "# Brochure benchmark",
        "",
        f"`bench/broschuere.py`, {time.strftime('%Y-%m-%d %H:%M')}. Time = request to last byte "
        "over loopback; CPU = the worker's user + system time for the request (what it costs "
        "on a core of its own); RSS growth = the worker's peak RSS during the request (VmHWM "
        "after resetting it) minus its RSS before.",
        "",
        "| Dokument | Zeit s | CPU s | Ziel s | Größe MB | RSS-Zuwachs MB | RSS vorher MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, pfad, dauer, cpu, groesse, wachstum, vorher in ergebnisse:
        ziel = f"≤ {ZIEL_SEKUNDEN}" if "A4" in label and "ungecacht" in label else "–"
        zeilen.append(
            f"| {label} (`{pfad}`) | {dauer:.2f} | {cpu:.2f} | {ziel} | {groesse / 1e6:.2f} "
            f"| {wachstum:.0f} | {vorher:.0f} |"
        )
    zeilen += [
        "",
        f"Worker RSS after the warm-up {rss_start:.0f} MB, after all requests {rss_ende:.0f} MB "
        f"(kept: {rss_ende - rss_start:+.0f} MB, with the PDFs in the worker's bounded store, "
        "atlas.broschuere.LOKAL_HOECHSTENS_BYTES). "
        f"Memory target: growth ≤ {ZIEL_MB} MB.",
        "",
        "Machine:",
        "",
        *maschine(),
        f"- 1-minute load average before/after the measurements: {' / '.join(last)} "
        "(the machine is shared; other work ran at the same time)",
        "",
    ]
    return "\n".join(zeilen)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--laeufe", type=int, default=3)
    args = parser.parse_args()
    django_einrichten()
    aushang = netzwerk_mit_200()
    ergebnisse, rss_start, rss_ende, last = messen(args.laeufe, aushang)
    text = bericht(ergebnisse, rss_start, rss_ende, last)
    datei = BASIS / "bench" / "RESULTS-broschuere.md"
    alt = datei.read_text() if datei.exists() else ""
    # The sections written by hand below the generated part (from "## " on) stay.
    rest = alt[alt.index("\n## ") :] if "\n## " in alt else ""
    datei.write_text(text + "\n" + rest.rstrip("\n") + "\n")
    print(text)


if __name__ == "__main__":
    main()
