"""Benchmark of the offerings import: a generated Landkreis-size file (10,000 rows), preview and
import, seconds per step and queries per row.

Usage: DATABASE_URL=… .venv/bin/python bench/import.py [--zeilen 10000] [--laeufe 3]

Runs against the database in DATABASE_URL (a development database: it creates a network
"Bench Import", 300 providers and 20 Sozialräume once, and deletes every offering it imported
after each run). Each step runs as the import job's worker runs it (atlas.importauftraege), as
a coordinator of the network, on a CSV and an XLSX file of the same rows. Writes
bench/RESULTS-import.md. A measurement, not a test: it never fails because a target is missed.
"""

import argparse
import csv
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

BASIS = Path(__file__).resolve().parent.parent
ZIEL_SEKUNDEN = 30
ANBIETER = 300
PRAEFIX = "bench-import"


def django_einrichten():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(BASIS))
    import django

    django.setup()


def welt():
    """The network, its coordinator, providers and Sozialräume (created once, then reused)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.gis.geos import Point

    from akteure.models import Akteur, Einrichtungsart, Sozialraum
    from netzwerke.models import Netzwerk, Partnerschaft, Programm

    programm, _neu = Programm.objects.get_or_create(
        slug=f"{PRAEFIX}-programm", defaults={"name": "Bench-Programm Import"}
    )
    netzwerk, _neu = Netzwerk.objects.get_or_create(
        slug=f"{PRAEFIX}-netzwerk", defaults={"name": "Bench Import", "programm": programm}
    )
    user, neu = get_user_model().objects.get_or_create(
        username=f"{PRAEFIX}-koordination", defaults={"is_staff": True}
    )
    if neu:
        user.groups.add(Group.objects.get(name="Koordination"))
    netzwerk.koordinatoren.add(user)
    art = Einrichtungsart.objects.get(slug="familienzentrum")
    for i in range(ANBIETER):
        akteur, neu = Akteur.objects.get_or_create(
            slug=f"{PRAEFIX}-anbieter-{i}",
            defaults={
                "name": f"Bench-Familienzentrum {i}",
                "einrichtungsart": art,
                "strasse": f"Hauptstraße {i}",
                "plz": "73728",
                "ort": "Esslingen am Neckar",
                "standort": Point(9.3083 + i / 10000, 48.7407, srid=4326),
            },
        )
        if neu:
            Partnerschaft.objects.create(netzwerk=netzwerk, akteur=akteur)
    for i in range(20):
        Sozialraum.objects.get_or_create(
            slug=f"{PRAEFIX}-raum-{i}",
            defaults={"name": f"Bench-Sozialraum {i}", "ebene": Sozialraum.Ebene.GEMEINDE},
        )
    return netzwerk, user


def zeilen(anzahl):
    """A Landkreis's offerings as coordinators write them: names, not keys; mixed places."""
    from akteure.models import Postleitzahl, Sprache
    from angebote.models import Thema, Zielgruppe

    themen = list(Thema.objects.order_by("pk").values_list("name", flat=True))
    gruppen = list(Zielgruppe.objects.order_by("pk").values_list("name", flat=True))
    sprachen = list(Sprache.objects.order_by("pk").values_list("code", flat=True))
    plzs = list(Postleitzahl.objects.order_by("plz").values_list("plz", flat=True)[:400])
    formate = ["Offener Treff", "Kurs", "Beratung", "Hausbesuch", "Veranstaltung", "Online"]
    kopf = [
        "Titel",
        "Beschreibung",
        "Anbieter",
        "Kooperationspartner",
        "Netzwerk",
        "Themen",
        "Zielgruppen",
        "Alter von (Monate)",
        "Alter bis (Monate)",
        "Sprachen",
        "Format",
        "Kosten",
        "Anmeldung erforderlich",
        "Straße",
        "PLZ",
        "Ort",
        "Einzugsgebiet",
        "Regelmäßige Zeiten",
        "Gültig von",
        "Gültig bis",
        "Ansprechperson",
        "Kontakt-E-Mail",
        "Status",
    ]
    daten = [kopf]
    for i in range(anzahl):
        eigener_ort = i % 2 == 0
        daten.append(
            [
                f"Elterncafé {i}",
                f"Offener Treff für Eltern mit Kindern, Nummer {i}.",
                f"Bench-Familienzentrum {i % ANBIETER}",
                f"{PRAEFIX}-anbieter-{(i + 7) % ANBIETER}" if i % 3 == 0 else "",
                "Bench Import",
                f"{themen[i % len(themen)]}, {themen[(i * 7) % len(themen)]}",
                gruppen[i % len(gruppen)],
                str(i % 24),
                str(24 + i % 48),
                f"{sprachen[i % len(sprachen)]}, de",
                formate[i % len(formate)],
                "kostenlos" if i % 2 else "mit Kostenbeitrag",
                "ja" if i % 4 == 0 else "nein",
                f"Kirchstraße {i % 90}" if eigener_ort else "",
                plzs[i % len(plzs)] if eigener_ort else "",
                "Irgendwo" if eigener_ort else "",
                f"Bench-Sozialraum {i % 20}" if i % 5 == 0 else "",
                "dienstags 9–11 Uhr",
                "01.01.2027",
                "31.12.2027",
                "Erika Muster",
                "erika@example.org",
                "veröffentlicht" if i % 3 else "Entwurf",
            ]
        )
    return daten


def csv_bytes(daten):
    puffer = io.StringIO()
    csv.writer(puffer, delimiter=";", lineterminator="\r\n").writerows(daten)
    return puffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(daten):
    import openpyxl

    mappe = openpyxl.Workbook(write_only=True)
    blatt = mappe.create_sheet()
    for zeile in daten:
        blatt.append(zeile)
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


class Zaehler:
    def __init__(self):
        self.anzahl = 0

    def __call__(self, execute, sql, params, many, context):
        self.anzahl += 1
        return execute(sql, params, many, context)


def messen(schritt):
    """(seconds, queries, result, CPU seconds of this process) of one call."""
    from django.db import connection

    zaehler = Zaehler()
    with connection.execute_wrapper(zaehler):
        anfang, cpu = time.perf_counter(), time.process_time()
        ergebnis = schritt()
        dauer, cpu = time.perf_counter() - anfang, time.process_time() - cpu
    return dauer, zaehler.anzahl, ergebnis, cpu


def aufraeumen():
    from angebote.models import Angebot

    alte = Angebot.objects.filter(anbieter__slug__startswith=f"{PRAEFIX}-anbieter-")
    Angebot.history.filter(anbieter__slug__startswith=f"{PRAEFIX}-anbieter-").delete()
    alte.delete()


def lauf(inhalt, dateiname, netzwerk, user):
    from atlas.importauftraege import auftrag_anlegen, auftrag_ausfuehren

    aufraeumen()
    auftrag = auftrag_anlegen(
        benutzer=user,
        modell="angebote.angebot",
        inhalt=inhalt,
        dateiname=dateiname,
        netzwerk=None,
    )
    vorschau = messen(lambda: auftrag_ausfuehren(auftrag))
    auftrag.refresh_from_db()
    assert auftrag.status == auftrag.Status.VORSCHAU_FERTIG, (auftrag.status, auftrag.ergebnis)
    auftrag.bestaetigen()
    import_ = messen(lambda: auftrag_ausfuehren(auftrag))
    auftrag.refresh_from_db()
    assert auftrag.status == auftrag.Status.FERTIG, (auftrag.status, auftrag.ergebnis)
    return (
        (vorschau[0], vorschau[1], vorschau[3]),
        (import_[0], import_[1], import_[3]),
        (auftrag.ergebnis),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zeilen", type=int, default=10_000)
    parser.add_argument("--laeufe", type=int, default=3)
    parser.add_argument("--formate", default="CSV,XLSX")
    parser.add_argument("--ausgabe", default=str(BASIS / "bench" / "RESULTS-import.md"))
    args = parser.parse_args()
    django_einrichten()
    from angebote.models import Angebot

    netzwerk, user = welt()
    daten = zeilen(args.zeilen)
    dateien = {"CSV": (csv_bytes(daten), "angebote.csv"), "XLSX": (xlsx_bytes(daten), "a.xlsx")}
    dateien = {k: v for k, v in dateien.items() if k in args.formate.split(",")}
    last_vorher = os.getloadavg()
    ergebnisse = {}
    for art, (inhalt, name) in dateien.items():
        for nummer in range(args.laeufe):
            vorschau, import_, summe = lauf(inhalt, name, netzwerk, user)
            anzahl = Angebot.objects.filter(anbieter__slug__startswith=f"{PRAEFIX}-").count()
            print(
                f"{art} Lauf {nummer + 1}: Vorschau {vorschau[0]:.1f} s ({vorschau[1]} Abfragen, "
                f"CPU {vorschau[2]:.1f} s), Import {import_[0]:.1f} s ({import_[1]} Abfragen, "
                f"CPU {import_[2]:.1f} s), {anzahl} Angebote, {summe}",
                flush=True,
            )
            ergebnisse.setdefault(art, []).append((vorschau, import_, anzahl))
    aufraeumen()
    last_nachher = os.getloadavg()
    zeilen_md = []
    for art, laeufe in ergebnisse.items():
        v = statistics.median(x[0][0] for x in laeufe)
        i = statistics.median(x[1][0] for x in laeufe)
        vq = statistics.median(x[0][1] for x in laeufe) / args.zeilen
        iq = statistics.median(x[1][1] for x in laeufe) / args.zeilen
        vc = statistics.median(x[0][2] for x in laeufe)
        ic = statistics.median(x[1][2] for x in laeufe)
        ok = "ja" if max(v, i) <= ZIEL_SEKUNDEN else "nein"
        zeilen_md.append(
            f"| {art} | {args.zeilen} | {v:.1f} | {i:.1f} | {vc:.1f} / {ic:.1f} | {vq:.2f} | "
            f"{iq:.2f} | "
            f"{', '.join(f'{x[0][0]:.1f}/{x[1][0]:.1f}' for x in laeufe)} | {ok} |"
        )
    text = "\n".join(
        [
            "# Import benchmark (offerings, Landkreis size)",
            "",
            f"`bench/import.py --zeilen {args.zeilen} --laeufe {args.laeufe}`, "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Machine: {platform.node()}, "
            f"{os.cpu_count()} cores (shared), Python {platform.python_version()}; "
            f"load average (1/5/15 min) before {last_vorher[0]:.2f}/{last_vorher[1]:.2f}/"
            f"{last_vorher[2]:.2f}, after {last_nachher[0]:.2f}/{last_nachher[1]:.2f}/"
            f"{last_nachher[2]:.2f}.",
            "",
            "Each step as the import worker runs it (`atlas.importauftraege.auftrag_ausfuehren`),"
            " as a coordinator of one network with 300 partner providers; 23 columns (names,"
            " not keys, for providers, topics, target groups, Sozialräume; half the rows at a PLZ"
            " of their own, half at the provider's address; two thirds published). Seconds are"
            " medians of the runs; queries per row include the history rows.",
            "",
            "| file | rows | preview s (median) | import s (median) | Python CPU s preview / "
            "import | queries/row preview | queries/row import | runs preview/import s | "
            "≤ 30 s per step |",
            "|---|---|---|---|---|---|---|---|---|",
            *zeilen_md,
            "",
        ]
    )
    datei = Path(args.ausgabe)
    alt = datei.read_text() if datei.exists() else ""
    # The sections written by hand below the generated part (from "## " on) stay.
    rest = alt[alt.index("\n## ") :] if "\n## " in alt else ""
    datei.write_text(text + "\n" + rest.rstrip("\n") + "\n")
    print(text)


if __name__ == "__main__":
    main()
