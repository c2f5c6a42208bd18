"""Memory of the in-memory search indexes (issue 12: each worker below 300 MB RSS).

    DATABASE_URL=… .venv/bin/python bench/suchindex_speicher.py [--nur angebote|akteure]

In a fresh process, as a gunicorn worker has it: Django started and one list page served, then
the offerings' and the actors' index built (each timed), then six typical requests. Prints
the peak RSS (VmHWM), RSS and PSS before, after each build and at the end, and every numpy array
the indexes hold: bytes and bytes per published row (to project other sizes from one). The
build runs where the settings put it (SUCHINDEX_KINDPROZESS: in a child process, whose peak
RSS and CPU are printed at the end; `SUCHINDEX_KINDPROZESS=false` in the environment: here).
"""

import argparse
import ctypes
import os
import resource
import sys
import time
from contextlib import suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SUCHBUDGET_PUNKTE", "0")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from akteure import suchindex as akteure_index  # noqa: E402
from angebote import suchindex as angebote_index  # noqa: E402

ANFRAGEN = [
    "/angebote/",
    "/angebote/?thema=familienbildung",
    "/angebote/?wo=73728",
    "/angebote/?q=Eltern",
    "/ar/angebote/?q=Eltern",
    "/angebote/karte.json?bbox=5.5,47,15.5,55.2",
    "/akteure/?q=Familie",
    "/akteure/",
]


def status():
    """(peak RSS, RSS) of this process in MB."""
    werte = {}
    for zeile in Path("/proc/self/status").read_text().splitlines():
        name, _, rest = zeile.partition(":")
        if name in ("VmHWM", "VmRSS"):
            werte[name] = int(rest.split()[0]) / 1024
    return werte["VmHWM"], werte["VmRSS"]


def pss():
    """Proportional set size of this process in MB (shared pages divided among the processes
    that map them: the shared libraries), None where the kernel does not tell."""
    try:
        for zeile in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if zeile.startswith("Pss:"):
                return int(zeile.split()[1]) / 1024
    except OSError:
        return None
    return None


_hoechst = [0.0]


def peak_zuruecksetzen(bisher=None):
    """Start measuring the peak RSS anew (`/proc/self/clear_refs` 5) to see one request's own;
    with `bisher`, remember it so that the whole run's peak is still reported."""
    if bisher is not None:
        _hoechst[0] = max(_hoechst[0], bisher, status()[0])
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def zeile(text):
    """`text` with peak RSS, RSS and PSS of this process."""
    hwm, rss = status()
    hwm = max(hwm, _hoechst[0])
    anteil = pss()
    return f"{text}: Höchst-RSS {hwm:.0f} MB, RSS {rss:.0f} MB" + (
        f", PSS {anteil:.0f} MB" if anteil is not None else ""
    )


def arrays(objekt, name, gesehen, ergebnis):
    """Every numpy array reachable from `objekt` through attributes, tuples, lists and dicts
    (each once): {path: bytes}."""
    if id(objekt) in gesehen:
        return
    gesehen.add(id(objekt))
    if isinstance(objekt, np.ndarray):
        basis = objekt if objekt.base is None else objekt.base
        if isinstance(basis, np.ndarray) and id(basis) in gesehen and basis is not objekt:
            return
        ergebnis[name] = objekt.nbytes
        return
    if isinstance(objekt, dict):
        for k, v in objekt.items():
            arrays(v, f"{name}[{k!r}]", gesehen, ergebnis)
    elif isinstance(objekt, list | tuple):
        if objekt and all(isinstance(x, str | int) for x in objekt[:10]):
            return
        for k, v in enumerate(objekt):
            arrays(v, f"{name}[{k}]", gesehen, ergebnis)
    elif hasattr(objekt, "__dict__") and type(objekt).__module__.split(".")[0] in (
        "angebote",
        "akteure",
        "atlas",
    ):
        for k, v in vars(objekt).items():
            arrays(v, f"{name}.{k}", gesehen, ergebnis)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nur", choices=["angebote", "akteure"])
    args = parser.parse_args()
    client = Client()
    with override_settings(SUCHINDEX=False):
        client.get("/angebote/?wo=73728")  # Django's own start-up, outside the index
        client.get("/akteure/")
    print(f"Last: {os.getloadavg()}")
    kind = getattr(settings, "SUCHINDEX_KINDPROZESS", False)
    print(f"Aufbau im Kindprozess: {'ja' if kind else 'nein'}")
    print(zeile("Django gestartet"))
    indexe = []
    for name, modul in (("angebote", angebote_index), ("akteure", akteure_index)):
        if args.nur and args.nur != name:
            continue
        anfang, cpu = time.perf_counter(), time.process_time()
        with modul.INDEX.aktuell() as index:
            zeilen = len(index.ids)
        dauer, cpu = time.perf_counter() - anfang, time.process_time() - cpu
        indexe.append((name, index, zeilen))
        # With the build in a child, its CPU is the child's (RUSAGE_CHILDREN), not this one's.
        print(zeile(f"{name}: {zeilen} Zeilen, Aufbau {dauer:.1f} s (CPU {cpu:.1f} s)"))
    for pfad in ANFRAGEN:
        cache.clear()
        hwm_vorher = status()[0]
        peak_zuruecksetzen()
        antwort = client.get(pfad)
        assert antwort.status_code == 200, (pfad, antwort.status_code)
        hwm, rss = status()  # this request's own peak
        print(f"  {pfad}: Höchst-RSS {hwm:.0f} MB, RSS {rss:.0f} MB")
        peak_zuruecksetzen(hwm_vorher)
    print(zeile(f"nach {len(ANFRAGEN)} Anfragen"))
    print(f"Last: {os.getloadavg()}")
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        print(zeile("nach malloc_trim"))
    except (OSError, AttributeError):
        pass
    kinder = resource.getrusage(resource.RUSAGE_CHILDREN)
    if kinder.ru_maxrss:
        print(
            f"Kindprozesse: Höchst-RSS {kinder.ru_maxrss / 1024:.0f} MB (des größten), "
            f"CPU {kinder.ru_utime + kinder.ru_stime:.1f} s"
        )
    for name, index, zeilen in indexe:
        ergebnis = {}
        arrays(index, name, set(), ergebnis)
        summe = sum(ergebnis.values())
        print(f"\n{name}: Arrays {summe / 2**20:.1f} MB, {summe / max(zeilen, 1):.0f} B/Zeile")
        print("| array | MB | B/row |\n|---|---:|---:|")
        for pfad, groesse in sorted(ergebnis.items(), key=lambda p: -p[1]):
            if groesse >= 100_000:
                print(f"| `{pfad}` | {groesse / 2**20:.2f} | {groesse / zeilen:.1f} |")


if __name__ == "__main__":
    speicher = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=speicher, SUCHINDEX_HINTERGRUND=False):
        main()
