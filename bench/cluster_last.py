"""Load for scripts/cluster.sh: public reads and admin writes through nginx; failures and lost
writes per phase (one app instance stopped, the replica stopped), written to bench/CLUSTER.md.

A measurement, not a test: it never fails because a goal is missed. Standard library and
psycopg only.
"""

import argparse
import contextlib
import http.client
import os
import re
import statistics
import threading
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import psycopg

LESEN = [
    "/",
    "/angebote/",
    "/angebote/?wo=73728",
    "/angebote/?q=Eltern",
    "/akteure/",
    "/netzwerke/",
    "/api/hsds/services",
    "/angebote/export.csv",
    "/static/css/atlas.css",
]
# Set by scripts/cluster.sh, new for each run.
PASSWORT = os.environ.get("LAST_PASSWORT", "")


def pg(url):
    teile = urlsplit(url)
    return psycopg.connect(
        host=teile.hostname, port=teile.port, user=teile.username, dbname=teile.path[1:]
    )


# A kept-alive connection the server closed while it was idle (nginx closes idle connections
# when it reloads its configuration): the request found it closed before any answer came.
GESCHLOSSEN = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Verbindung:
    """One keep-alive connection with cookies; reconnects after an error.

    Like a browser, a request that finds its reused connection closed before any byte of an
    answer is sent once more on a new connection, whatever its method (the server cannot have
    started on it: nginx closes only idle connections). Counted in `neu_gesendet`.
    """

    def __init__(self, basis):
        teile = urlsplit(basis)
        self.host, self.port = teile.hostname, teile.port
        self.kekse = {}
        self.http = None
        self.benutzt = False
        self.neu_gesendet = 0

    def anfrage(self, methode, pfad, daten=None):
        wiederverwendet = self.http is not None and self.benutzt
        try:
            return self._anfrage(methode, pfad, daten)
        except GESCHLOSSEN:
            if not wiederverwendet:
                raise
        self.neu_gesendet += 1
        return self._anfrage(methode, pfad, daten)

    def _anfrage(self, methode, pfad, daten=None):
        if self.http is None:
            self.http = http.client.HTTPConnection(self.host, self.port, timeout=40)
            self.benutzt = False
        kopf = {"Host": "127.0.0.1"}
        if self.kekse:
            kopf["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.kekse.items())
        koerper = None
        if daten is not None:
            koerper = urlencode(daten)
            kopf["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.http.request(methode, pfad, body=koerper, headers=kopf)
            antwort = self.http.getresponse()
            inhalt = antwort.read()
        except Exception:
            self.http.close()
            self.http = None
            raise
        self.benutzt = True
        if antwort.will_close:
            self.http.close()
            self.http = None
        for wert in antwort.headers.get_all("Set-Cookie") or []:
            keks = SimpleCookie(wert)
            for name, morsel in keks.items():
                if morsel["max-age"] == "0":
                    self.kekse.pop(name, None)
                else:
                    self.kekse[name] = morsel.value
        return antwort.status, antwort.headers, inhalt


def leser(basis, ende, pfade, ergebnisse, versatz, verbindungen):
    verbindung = Verbindung(basis)
    verbindungen.append(verbindung)
    i = versatz
    while time.time() < ende:
        pfad = pfade[i % len(pfade)]
        i += 1
        beginn = time.time()
        try:
            status = verbindung.anfrage("GET", pfad)[0]
        except Exception:
            status = -1
        ergebnisse.append((beginn, time.time() - beginn, status, pfad))


def schreiber(basis, ende, lauf, geschrieben, schreibfehler, verbindungen):
    verbindung = Verbindung(basis)
    verbindungen.append(verbindung)
    status, _, _ = verbindung.anfrage("GET", "/admin/login/")
    verbindung.anfrage(
        "POST",
        "/admin/login/",
        {
            "username": "last",
            "password": PASSWORT,
            "csrfmiddlewaretoken": verbindung.kekse["csrftoken"],
            "next": "/admin/",
        },
    )
    assert "sessionid" in verbindung.kekse, "admin login failed"
    # The add form's inline formsets (translations …) need their management fields.
    _, _, seite = verbindung.anfrage("GET", "/admin/angebote/zielgruppe/add/")
    verwaltung = dict(
        re.findall(
            r'name="([^"]*-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d*)"', seite.decode()
        )
    )
    n = 0
    while time.time() < ende:
        n += 1
        slug = f"last-{lauf}-{n}"
        daten = {
            "name": f"Last {lauf} {n}",
            "slug": slug,
            "csrfmiddlewaretoken": verbindung.kekse["csrftoken"],
            "_save": "Sichern",
            **verwaltung,
        }
        beginn = time.time()
        try:
            status, kopf, _ = verbindung.anfrage("POST", "/admin/angebote/zielgruppe/add/", daten)
        except Exception as fehler:
            schreibfehler.append((beginn, slug, f"Verbindung: {type(fehler).__name__}"))
        else:
            ort = kopf.get("Location", "")
            if status == 302 and ort.endswith("/admin/angebote/zielgruppe/"):
                geschrieben.append((beginn, slug))
            else:
                schreibfehler.append((beginn, slug, f"HTTP {status} {ort}"))
        time.sleep(0.1)


def perzentil(werte, p):
    if not werte:
        return 0.0
    werte = sorted(werte)
    return werte[min(len(werte) - 1, int(len(werte) * p))]


def replik_transaktionen(url):
    try:
        with pg(url) as verbindung:
            return verbindung.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
            ).fetchone()[0]
    except Exception:
        return None


def main():
    argumente = argparse.ArgumentParser()
    for name in ["--url", "--ereignisse", "--primaer", "--replik", "--bericht", "--commit"]:
        argumente.add_argument(name, required=True)
    argumente.add_argument("--dauer", type=int, default=60)
    argumente.add_argument("--leser", type=int, default=6)
    a = argumente.parse_args()

    with pg(a.primaer) as verbindung:
        slugs = [
            z[0]
            for z in verbindung.execute(
                "SELECT slug FROM angebote_angebot WHERE status = 'veroeffentlicht' "
                "ORDER BY id LIMIT 5"
            )
        ]
    pfade = LESEN + [f"/angebote/{s}/" for s in slugs]
    lauf = datetime.now(UTC).strftime("%H%M%S")
    # Warm-up, not counted: each worker imports and connects once, the caches fill.
    aufwaermen = Verbindung(a.url)
    for _ in range(3):
        for pfad in pfade:
            with contextlib.suppress(Exception):
                aufwaermen.anfrage("GET", pfad)
    start = time.time()
    ende = start + a.dauer
    ergebnisse, geschrieben, schreibfehler, verbindungen = [], [], [], []
    last_vorher = os.getloadavg()
    replik_vorher = replik_transaktionen(a.replik)
    replik_messung = {}

    def replik_zwischenstand():
        time.sleep(max(a.dauer * 3 / 5 - 2, 1))
        replik_messung["vor_stopp"] = replik_transaktionen(a.replik)

    faeden = [
        threading.Thread(target=leser, args=(a.url, ende, pfade, ergebnisse, i, verbindungen))
        for i in range(a.leser)
    ]
    faeden.append(
        threading.Thread(
            target=schreiber, args=(a.url, ende, lauf, geschrieben, schreibfehler, verbindungen)
        )
    )
    faeden.append(threading.Thread(target=replik_zwischenstand, daemon=True))
    for f in faeden:
        f.start()
    with open(a.ereignisse + ".los", "w") as datei:
        datei.write(str(start))
    for f in faeden[:-1]:
        f.join()
    last_nachher = os.getloadavg()
    neu_gesendet = sum(v.neu_gesendet for v in verbindungen)

    # Lost writes: acknowledged (302) but not on the primary. The replica must catch up too.
    with pg(a.primaer) as verbindung:
        auf_primaer = {
            z[0]
            for z in verbindung.execute(
                "SELECT slug FROM angebote_zielgruppe WHERE slug LIKE %s", [f"last-{lauf}-%"]
            )
        }
    auf_replik = set()
    for _ in range(30):
        try:
            with pg(a.replik) as verbindung:
                auf_replik = {
                    z[0]
                    for z in verbindung.execute(
                        "SELECT slug FROM angebote_zielgruppe WHERE slug LIKE %s",
                        [f"last-{lauf}-%"],
                    )
                }
        except Exception:
            auf_replik = set()
        if auf_replik >= auf_primaer:
            break
        time.sleep(1)
    verloren = [s for _, s in geschrieben if s not in auf_primaer]
    fehlen_auf_replik = len(auf_primaer - auf_replik)

    ereignisse = []
    if os.path.exists(a.ereignisse):
        with open(a.ereignisse) as datei:
            for zeile in datei:
                t, name = zeile.split()
                ereignisse.append((float(t), name))
        ereignisse.sort()
    grenzen = [(start, "Beginn")] + [e for e in ereignisse if e[0] < ende] + [(ende, "Ende")]
    # The events change the app's or the replica's state; a phase shows both.
    zustaende = {
        "app1_abziehen": ("app", "App 1 wird abgezogen"),
        "app1_stopp": ("app", "App 1 gestoppt"),
        "app1_start": ("app", "App 1 startet"),
        "app1_bereit": ("app", "beide Apps"),
        "replik_stopp": ("replik", "Replik gestoppt"),
        "replik_start": ("replik", "Replik startet"),
        "replik_bereit": ("replik", "Replik"),
    }
    zustand = {"app": "beide Apps", "replik": "Replik"}
    namen = {}
    for _, name in grenzen:
        if name in zustaende:
            teil, text = zustaende[name]
            zustand[teil] = text
        namen[name] = f"{zustand['app']}, {zustand['replik']}"

    zeilen = []
    for (von, name), (bis, _) in zip(grenzen, grenzen[1:], strict=False):
        teil = [e for e in ergebnisse if von <= e[0] < bis]
        fehler = [e for e in teil if e[2] == -1 or e[2] >= 500]
        zeiten = [e[1] * 1000 for e in teil if e[2] != -1]
        ok = sum(1 for t, _ in geschrieben if von <= t < bis)
        nein = sum(1 for t, _, _ in schreibfehler if von <= t < bis)
        dauer = max(bis - von, 0.001)
        zeilen.append(
            f"| {von - start:5.1f}–{bis - start:5.1f} s | {namen[name]} | {len(teil)} | "
            f"{len(teil) / dauer:.0f} | {len(fehler)} | "
            f"{statistics.median(zeiten) if zeiten else 0:.0f} | {perzentil(zeiten, 0.95):.0f} | "
            f"{ok} | {nein} |"
        )
    alle_fehler = [e for e in ergebnisse if e[2] == -1 or e[2] >= 500]
    arten = {}
    for e in alle_fehler:
        schluessel = f"{'Verbindung' if e[2] == -1 else e[2]} {re.sub(r'[?].*', '', e[3])}"
        arten[schluessel] = arten.get(schluessel, 0) + 1
    nicht_200 = {}
    for e in ergebnisse:
        if e[2] not in (200, -1) and e[2] < 500:
            schluessel = f"{e[2]} {e[3]}"
            nicht_200[schluessel] = nicht_200.get(schluessel, 0) + 1

    replik_zahl = (
        (replik_messung.get("vor_stopp") or 0) - replik_vorher
        if replik_vorher is not None
        else "n/a"
    )
    bericht = f"""# Cluster run (scripts/cluster.sh)

Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on commit `{a.commit}`, {os.cpu_count()} cores
shared with other work (load average {last_vorher[0]:.1f} before, {last_nachher[0]:.1f} after the
run; the cluster's own processes count in it), {a.dauer} s of load.

Set-up, all on loopback: nginx → two gunicorn instances (2 sync workers each, production
settings) → PostgreSQL 15 primary (port 5434) and a streaming replica (5433, `pg_basebackup -R`);
Redis for cache, sessions and counters. Demo data (`demo_laden`). Load: {a.leser} threads reading
{len(pfade)} public URLs in turn (lists, a place search, a text search, detail pages, the HSDS
API, a streamed CSV export, a static file) as fast as they are answered, and one thread logged
into the admin creating a Zielgruppe every 0.1 s (POST, 302 on success). At {a.dauer // 5} s app
instance 1 is restarted the planned way: drained in nginx (`docs/deployment/abziehen.sh ab`:
marked `down`, nginx reloaded, wait until nginx holds no connection to it), then SIGTERM; it is
started again at {a.dauer * 2 // 5} s and put back once `/-/ready/` answers. At
{a.dauer * 3 // 5} s the replica is stopped (`pg_ctlcluster … stop -m fast`, which also cuts the
connections reading from it) and started again at {a.dauer * 4 // 5} s.

| time | state | reads | reads/s | failed reads | p50 ms | p95 ms | writes ok | writes failed |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(zeilen)}

- Reads: {len(ergebnisse)}, failed (5xx or no answer): {len(alle_fehler)}
  {"(" + ", ".join(f"{k}: {v}" for k, v in sorted(arten.items())) + ")" if arten else ""}
- Other statuses: {", ".join(f"{k}: {v}" for k, v in sorted(nicht_200.items())) or "none"}
- Writes acknowledged: {len(geschrieben)}, refused or unanswered: {len(schreibfehler)}
  {"(" + "; ".join(sorted({f for _, _, f in schreibfehler})) + ")" if schreibfehler else ""}
- **Lost writes** (acknowledged, not on the primary): {len(verloren)}
- Acknowledged writes missing on the replica after catching up: {fehlen_auf_replik}
- Transactions on the replica while it ran (public reads routed there):
  {replik_zahl}
- Requests sent again on a new connection because a kept-alive one was found closed before
  any answer (nginx closes idle connections when it reloads; browsers do the same): {neu_gesendet}
"""
    with open(a.bericht, "w", encoding="utf-8") as datei:
        datei.write(bericht)
    print(bericht)


if __name__ == "__main__":
    main()
