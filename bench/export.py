"""Benchmark of the list exports on 250,000 offerings: rows/s and the worker's peak RSS growth.

Usage: .venv/bin/python bench/export.py [--laeufe 3]   (bench/run.sh calls it at its end)

Runs one gunicorn sync worker with the production settings against the bench database
(`BENCH_DATABASE_URL`, default netzwerkatlas_bench on the local cluster, filled by bench/run.sh;
missing data is generated the same way) and downloads each export in full over loopback, the
body read and thrown away as it arrives. Per run it resets the worker's peak RSS
(/proc/<pid>/clear_refs, "5") and reads VmHWM afterwards: growth = peak − RSS before the run.
Targets: CSV ≥ 60,000 rows/s, XLSX ≥ 15,000 rows/s, growth < 50 MB. A measurement, not a test:
it never fails because a target is missed. Writes bench/RESULTS-export.md.
"""

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgis://netzwerkatlas@127.0.0.1:5432/netzwerkatlas_bench"
)
ANGEBOTE = 250_000
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "SECRET_KEY": "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DB_CONN_MAX_AGE": "60",
    "DATABASE_URL": DB_URL,
    # The measurement downloads the same list many times from one address.
    "DROSSELUNG_ANFRAGEN": "0",
    # The staff exports use a superuser session made here, without a second factor.
    "OTP_REQUIRED": "false",
    # The warm-up builds the worker's search index (a worker that has served a while has it);
    # in the background, the first measured exports would run beside its build.
    "SUCHINDEX_HINTERGRUND": "false",
}
ZIELE = {"csv": 60_000, "xlsx": 15_000}
RSS_ZIEL_MB = 50
NUR = []  # --nur: only the exports whose label contains one of these texts
LAST = []  # the machine's 1-minute load average before and after the measurements
# (label, path, staff?) – staff: ?intern=1, every offering incl. drafts, 40 columns;
# anonymous: the public list (published and valid only), 31 columns.
MESSUNGEN = [
    ("CSV, Mitarbeitende, alle Angebote", "/angebote/export.csv?intern=1", True),
    ("XLSX, Mitarbeitende, alle Angebote", "/angebote/export.xlsx?intern=1", True),
    ("CSV, öffentlich, alle veröffentlichten", "/angebote/export.csv", False),
    ("XLSX, öffentlich, alle veröffentlichten", "/angebote/export.xlsx", False),
    ("GeoJSON, öffentlich, alle veröffentlichten", "/angebote/export.geojson", False),
    # A filtered list of about 30,000 rows (issue 12): the filter makes the query its own cost.
    ("CSV, öffentlich, Thema Familienbildung", "/angebote/export.csv?thema=familienbildung", False),
    (
        "XLSX, öffentlich, Thema Familienbildung",
        "/angebote/export.xlsx?thema=familienbildung",
        False,
    ),
]


def django_einrichten():
    os.environ.update(PROD_ENV)
    sys.path.insert(0, str(BASIS))
    import django

    django.setup()


def daten_sicherstellen():
    """250,000 offerings in the bench database; generated as bench/run.sh does if missing."""
    from django.core.management import call_command
    from django.db import connection

    from angebote.models import Angebot

    call_command("migrate", verbosity=0, interactive=False)
    if Angebot.objects.count() < ANGEBOTE:
        print("Erzeuge Testdaten wie bench/run.sh …", flush=True)
        call_command("generate_data", angebote=ANGEBOTE, akteure=100_000, netzwerke=1000, seed=1)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def zeilenzahl(pfad, staff):
    """Rows in the file: every offering for staff (no filter), else the public list's rows."""
    from django.http import QueryDict

    from angebote.filters import AngebotFilterSet
    from angebote.models import Angebot
    from angebote.views import veroeffentlichte_angebote

    if staff:
        return Angebot.objects.count()
    abfrage = QueryDict(pfad.partition("?")[2])
    return AngebotFilterSet(abfrage, queryset=veroeffentlichte_angebote()).qs.count()


def sitzung():
    """A session cookie of a superuser of the bench database (created once)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    user, neu = User.objects.get_or_create(
        username="bench-export", defaults={"is_staff": True, "is_superuser": True}
    )
    if neu:
        user.set_unusable_password()
        user.save()
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s["atlas_angemeldet_um"] = int(time.time())
    s.create()
    return s.session_key


def freier_port(start=8790):
    for port in range(start, start + 50):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("Kein freier Port")


def status(pid):
    werte = {}
    for zeile in Path(f"/proc/{pid}/status").read_text().splitlines():
        if zeile.startswith(("VmRSS:", "VmHWM:")):
            name, wert = zeile.split(":")
            werte[name] = int(wert.split()[0]) / 1024  # kB → MB
    return werte


def herunterladen(url, cookie=None):
    anfrage = urllib.request.Request(
        url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}
    )
    groesse = 0
    beginn = time.perf_counter()
    with urllib.request.urlopen(anfrage, timeout=600) as antwort:
        assert antwort.status == 200, antwort.status
        erstes = None
        while block := antwort.read(256 * 1024):
            if erstes is None:
                erstes = time.perf_counter() - beginn
            groesse += len(block)
    return time.perf_counter() - beginn, erstes or 0.0, groesse


def messen(laeufe):
    port = freier_port()
    basis = f"http://127.0.0.1:{port}"
    env = {**os.environ, **PROD_ENV, "STATIC_ROOT": "/tmp/netzwerkatlas-bench-export-static"}
    # gunicorn's output, for when a run fails; outside the work tree.
    log = open(Path(tempfile.gettempdir()) / "netzwerkatlas-export-gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(BASIS / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "1",
            "--timeout",
            "600",
        ],
        cwd=BASIS,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{basis}/angebote/export.csv?q=Babymassage", timeout=30)
                break
            except OSError:
                time.sleep(1)
        worker = int(subprocess.check_output(["pgrep", "-P", str(server.pid)]).split()[0])
        cookie = sitzung()
        messungen = [m for m in MESSUNGEN if not NUR or any(n in m[0] for n in NUR)]
        zahlen = {pfad: zeilenzahl(pfad, staff) for _label, pfad, staff in messungen}
        # Warm-up: every code path once on a small result.
        for _label, pfad, staff in messungen:
            trenner = "&" if "?" in pfad else "?"
            herunterladen(f"{basis}{pfad}{trenner}q=Babymassage", cookie if staff else None)
        ergebnisse = []
        LAST.append(Path("/proc/loadavg").read_text().split()[0])
        for label, pfad, staff in messungen:
            laeufe_daten = []
            for _ in range(laeufe):
                Path(f"/proc/{worker}/clear_refs").write_text("5")  # peak RSS := current RSS
                vorher = status(worker)["VmRSS"]
                dauer, erstes, groesse = herunterladen(basis + pfad, cookie if staff else None)
                spitze = status(worker)["VmHWM"]
                laeufe_daten.append((dauer, erstes, groesse, spitze - vorher, vorher))
                print(
                    f"  {label}: {zahlen[pfad] / dauer:,.0f} Zeilen/s, {dauer:.1f} s, "
                    f"erstes Byte {erstes:.2f} s, {groesse / 1e6:.0f} MB, "
                    f"RSS +{spitze - vorher:.1f} MB",
                    flush=True,
                )
            ergebnisse.append((label, pfad, zahlen[pfad], laeufe_daten))
        LAST.append(Path("/proc/loadavg").read_text().split()[0])
        return ergebnisse
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def maschine():
    cpu = next(
        (
            z.split(":", 1)[1].strip()
            for z in Path("/proc/cpuinfo").read_text().splitlines()
            if z.startswith("model name")
        ),
        platform.processor(),
    )
    speicher = next(
        int(z.split()[1]) // 1024
        for z in Path("/proc/meminfo").read_text().splitlines()
        if z.startswith("MemTotal")
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    try:
        code = subprocess.check_output(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASIS, text=True
        ).strip()
        geaendert = len(
            subprocess.check_output(
                # The report that run.sh has just rewritten is no change to the measured code.
                ["git", "status", "--porcelain", "--", ".", ":!bench/RESULTS.md"],
                cwd=BASIS,
                text=True,
            ).splitlines()
        )
        code += f" plus uncommitted changes in {geaendert} files" if geaendert else ""
    except (OSError, subprocess.CalledProcessError):
        code = "?"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} Kerne; RAM {zahl(speicher)} MB",
        f"- Python {platform.python_version()}, PostgreSQL {pg}, {platform.platform()}",
        f"- Code: {code}",
        "- gunicorn, 1 sync worker, production settings (config.settings.base), loopback; "
        "the client reads and discards the body as it arrives",
    ]


def zahl(wert):
    return f"{wert:,.0f}".replace(",", ".")


def bericht(ergebnisse, laeufe):
    zeilen = [
        "# Export benchmark",
        "",
        f"`bench/export.py`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{laeufe} runs per export, "
        "medians. Rows/s = rows in the file ÷ time from request to last byte. RSS growth = the "
        "worker's peak RSS during the run (VmHWM after resetting it) minus its RSS before.",
        "",
        "| Export | Zeilen | Zeilen/s (Median) | Ziel | Zeit s | erstes Byte s | Größe MB "
        "| RSS-Zuwachs MB (max) | RSS vorher MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, pfad, anzahl, daten in ergebnisse:
        dauer = statistics.median(d[0] for d in daten)
        erstes = statistics.median(d[1] for d in daten)
        groesse = statistics.median(d[2] for d in daten) / 1e6
        wachstum = max(d[3] for d in daten)
        vorher = statistics.median(d[4] for d in daten)
        format = pfad.split(".")[1].split("?")[0]
        ziel = f"≥ {zahl(ZIELE[format])}" if format in ZIELE else "–"
        zeilen.append(
            f"| {label} (`{pfad}`) | {zahl(anzahl)} | {zahl(anzahl / dauer)} | {ziel} "
            f"| {dauer:.1f} | {erstes:.2f} | {groesse:.0f} | {wachstum:.1f} | {vorher:.0f} |"
        )
    zeilen += [
        "",
        f"RSS target: growth < {RSS_ZIEL_MB} MB. Staff exports (`?intern=1`, a superuser session) "
        "hold every offering with 40 columns; public ones the published offerings with 31.",
        "",
        "How the rows travel (docs/export.md): one SQL statement per file – the list's query with "
        "the export's columns, many-to-many values aggregated once per relation and hash-joined. "
        "CSV and XLSX read it with `COPY … TO STDOUT`, formatted by PostgreSQL; CSV is streamed "
        "as it arrives, XLSX written to a spooled temporary file and sent when complete (hence "
        "its first byte at the end). GeoJSON reads over a server-side cursor.",
        "",
        "Machine:",
        "",
        *maschine(),
        f"- 1-minute load average before/after the measurements: {' / '.join(LAST)} "
        "(the machine is shared; other work ran at the same time)",
        "",
    ]
    return "\n".join(zeilen)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--laeufe", type=int, default=3)
    parser.add_argument("--nur", action="append", default=[], help="label part, e.g. Thema")
    parser.add_argument("--ausgabe", default="RESULTS-export.md", help="file name in bench/")
    args = parser.parse_args()
    NUR.extend(args.nur)
    django_einrichten()
    daten_sicherstellen()
    ergebnisse = messen(args.laeufe)
    text = bericht(ergebnisse, args.laeufe)
    datei = BASIS / "bench" / args.ausgabe
    alt = datei.read_text() if datei.exists() else ""
    # The sections written by hand below the generated part (from "## " on) stay.
    rest = alt[alt.index("\n## ") :] if "\n## " in alt else ""
    datei.write_text(text + "\n" + rest.rstrip("\n") + "\n")
    print(text)


if __name__ == "__main__":
    main()
