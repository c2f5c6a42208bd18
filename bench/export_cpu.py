"""CPU time per export file, in-process: the worker's and its PostgreSQL backend's.

    DATABASE_URL=… .venv/bin/python bench/export_cpu.py [--runden 3] [--profil xlsx] [PFAD …]

Each path (default: the topic Familienbildung as CSV and XLSX) through the whole Django stack
(django.test.Client, production settings, search index built first), the body read in full.
Per file: wall time, the Python process's CPU time (time.process_time) and the CPU time of the
PostgreSQL backend that served it (/proc/<pid>/stat of pg_backend_pid(), utime + stime; the
server runs on this machine). On a machine shared with others the CPU times are the robust
numbers. XLSX is measured twice per round, alternating: as written now (`neu`: the COPY blocks
escaped for XML as a whole, atlas.tabellen.xml_sicher, and the sheet deflated by ISA-L,
blatt_kompressor) and as before Session 9 (`vorher`: each row searched and each text escaped
in Python, zlib's level 1).
`--profil xlsx`: one more XLSX file under cProfile, the top of the internal-time list printed.
"""

import argparse
import cProfile
import csv
import os
import pstats
import statistics
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DROSSELUNG_ANFRAGEN", "0")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")  # one backend for every file: its CPU is read
os.environ.setdefault("SUCHINDEX_HINTERGRUND", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from angebote import suchindex  # noqa: E402
from atlas import tabellen  # noqa: E402

PFADE = [
    "/angebote/export.csv?thema=familienbildung",
    "/angebote/export.xlsx?thema=familienbildung",
]
TAKT = os.sysconf("SC_CLK_TCK")


def backend_cpu():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    felder = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return pid, (int(felder[11]) + int(felder[12])) / TAKT  # utime, stime


def zlib_kompressor():
    """The sheet's deflate before Session 9: zipfile's own, zlib at level 1."""
    return zlib.compressobj(1, zlib.DEFLATED, -15)


def werte_vorher(queryset, spalten, ids=None):
    """The rows as xlsx_werte read them before Session 9: one CSV record per block, unescaped."""
    bloecke = tabellen.kopie(queryset, spalten, "xlsx", ids)
    return csv.reader(
        (str(block, "utf-8") for block in bloecke), delimiter=tabellen.TRENNER["xlsx"]
    )


def schreiben_vorher(datei, **kwargs):
    return NEU["xlsx_schreiben"](datei, **{**kwargs, "maskiert": False})


NEU = {
    "blatt_kompressor": tabellen.blatt_kompressor,
    "xlsx_werte": tabellen.xlsx_werte,
    "xlsx_schreiben": tabellen.xlsx_schreiben,
}
VORHER = {
    "blatt_kompressor": zlib_kompressor,
    "xlsx_werte": werte_vorher,
    "xlsx_schreiben": schreiben_vorher,
}


def variante_setzen(werte):
    for name, wert in werte.items():
        setattr(tabellen, name, wert)


def eine_datei(client, pfad):
    pid, pg_vorher = backend_cpu()
    wand, cpu = time.perf_counter(), time.process_time()
    antwort = client.get(pfad)
    assert antwort.status_code == 200, antwort.status_code
    groesse = sum(len(b) for b in antwort.streaming_content)
    antwort.close()
    wand, cpu = time.perf_counter() - wand, time.process_time() - cpu
    pid_nachher, pg_nachher = backend_cpu()
    assert pid_nachher == pid, "the backend changed during the file"
    return wand, cpu, pg_nachher - pg_vorher, groesse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runden", type=int, default=3)
    parser.add_argument("--profil", choices=["csv", "xlsx"])
    parser.add_argument("pfade", nargs="*", default=PFADE)
    args = parser.parse_args()
    with suchindex.INDEX.aktuell(warten=True):
        pass
    client = Client()
    varianten = []
    for pfad in args.pfade:
        if ".xlsx" in pfad:
            varianten += [(pfad, "vorher"), (pfad, "neu")]
        else:
            varianten.append((pfad, "neu"))
    for pfad, _variante in varianten:  # warm-up: every path once
        eine_datei(client, pfad + "&q=Babymassage")
    print(f"Last vorher: {os.getloadavg()}", flush=True)
    werte = {v: [] for v in varianten}
    for _ in range(args.runden):
        for pfad, variante in varianten:
            variante_setzen(VORHER if variante == "vorher" else NEU)
            werte[pfad, variante].append(eine_datei(client, pfad))
    variante_setzen(NEU)
    print(f"Last nachher: {os.getloadavg()}", flush=True)
    print("| Datei | Variante | Wand s | Python-CPU s | PostgreSQL-CPU s | MB |")
    print("|---|---|---:|---:|---:|---:|")
    for (pfad, variante), messungen in werte.items():
        wand, cpu, pg, groesse = (statistics.median(m[i] for m in messungen) for i in range(4))
        spanne = ", ".join(f"{m[1]:.2f}/{m[2]:.2f}" for m in messungen)
        print(
            f"| `{pfad}` | {variante} | {wand:.2f} | {cpu:.2f} | {pg:.2f} | {groesse / 1e6:.1f} |"
            f"  (CPU Python/PostgreSQL je Lauf: {spanne})"
        )
    if args.profil:
        pfad = next(p for p in args.pfade if f".{args.profil}" in p)
        profil = cProfile.Profile()
        profil.runcall(eine_datei, client, pfad)
        pstats.Stats(profil).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
