"""The offerings import job writes its new records together (neue_sammeln: multi-row INSERTs,
the check constraints of all rows in a few SELECTs, no SAVEPOINT per row). The same files
imported both ways – collected and row by row – give the same preview, the same records, links,
translations and history, and the same error rows with the same messages."""

import datetime
import types

import pytest
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

import atlas.ressourcen
from angebote.models import Angebot
from angebote.ressourcen import AngebotRessource
from atlas.importauftraege import importieren, zusammenfassen
from atlas.importieren import csv_lesen
from atlas.uebersetzung import Uebersetzung
from tests import test_importauftraege
from tests.test_import import csv_datei
from tests.test_importauftraege import KOPF, ORT_FEHLT, zeile

pytestmark = pytest.mark.django_db

welt = test_importauftraege.welt
hintergrund = test_importauftraege.hintergrund

UEBERSETZT = ["Titel [tr]", "Beschreibung [tr]", "Übersetzt von [tr]", "Geprüft [tr]"]
OHNE = {"id", "erstellt_am", "geaendert_am"}


@pytest.fixture
def kleine_stapel(monkeypatch):
    """Several INSERTs and constraint SELECTs per file, as with 10,000 rows."""
    monkeypatch.setattr(AngebotRessource, "NEUE_STAPEL", 7)
    monkeypatch.setattr(atlas.ressourcen, "PRUEF_STAPEL", 5)


def lauf(benutzer, zeilen, *, gesammelt, trocken):
    """One step as the job runs it (ohne_vergleich), collected or row by row: what the result
    page gets, each row's type, and the number of SAVEPOINTs."""
    ressource = AngebotRessource(benutzer=benutzer)
    ressource.ohne_vergleich = True
    ressource.neue_sammeln = gesammelt
    HistoricalRecords.context.request = types.SimpleNamespace(user=benutzer)
    try:
        ergebnis = importieren(ressource, csv_lesen(csv_datei(zeilen)), trocken=trocken)
    finally:
        del HistoricalRecords.context.request
    return {
        "zusammenfassung": zusammenfassen(ergebnis),
        "zeilen": [
            (r.import_type, r.object_repr, r.object_id is None, r.diff, r.validation_error is None)
            for r in ergebnis.rows
        ],
        "fehler": ergebnis.has_errors() or ergebnis.has_validation_errors(),
    }


def bestand():
    """Every offering of the test's provider with its links, translations and history."""
    angebote = []
    for a in Angebot.objects.filter(anbieter__slug="fz-mitte").order_by("pk"):
        werte = {
            f.attname: getattr(a, f.attname)
            for f in Angebot._meta.concrete_fields
            if f.attname not in OHNE
        }
        werte["standort"] = a.standort.ewkt if a.standort else None
        for name in ["kooperationspartner", "themen", "zielgruppen", "sprachen", "einzugsgebiet"]:
            werte[name] = sorted(getattr(a, name).values_list("pk", flat=True))
        werte["uebersetzungen"] = sorted(
            Uebersetzung.objects.filter(objekt_id=a.pk, inhaltstyp__model="angebot").values_list(
                "feld", "sprache", "text", "herkunft", "uebersetzt_von", "geprueft", "quelle_hash"
            )
        )
        verlauf = []
        for h in a.history.order_by("history_date", "history_id"):
            # Every column the history keeps (the record's own id and times differ per run).
            verlauf.append(
                {
                    "typ": h.history_type,
                    "nutzer": h.history_user_id,
                    "grund": h.history_change_reason,
                    **{
                        f.attname: getattr(h, f.attname)
                        for f in Angebot.history.model.tracked_fields
                        if f.attname not in OHNE
                    },
                    "standort": h.standort.ewkt if h.standort else None,
                    "zeiten_des_eintrags": h.history_type != "+"
                    or (h.erstellt_am, h.geaendert_am) == (a.erstellt_am, a.geaendert_am),
                }
            )
        werte["verlauf"] = verlauf
        angebote.append(werte)
    return angebote


def beide_wege(benutzer, zeilen, *, trocken):
    """(result, records) collected and row by row, each in a transaction rolled back after."""
    ergebnisse = []
    for gesammelt in (True, False):
        with transaction.atomic():
            ergebnis = lauf(benutzer, zeilen, gesammelt=gesammelt, trocken=trocken)
            ergebnisse.append((ergebnis, bestand()))
            transaction.set_rollback(True)
    return ergebnisse


def mit_uebersetzung(z, i):
    return [*z, f"Kafe {i}", f"Aileler için {i}.", "Ayşe", "ja" if i % 2 else "nein"]


def datei(_welt, zeilen):
    return [[*KOPF, *UEBERSETZT], *zeilen]


@pytest.fixture
def vorhanden(hintergrund):
    """Ten offerings imported before (rows 0–9, row by row), two of them with translations."""
    zeilen = [zeile(i) + ["", "", "", ""] for i in range(10)]
    zeilen[3] = mit_uebersetzung(zeile(3), 3)
    zeilen[8] = mit_uebersetzung(zeile(8), 8)
    ergebnis = lauf(
        hintergrund["koordination"], datei(hintergrund, zeilen), gesammelt=False, trocken=False
    )
    assert summen_aus(ergebnis) == (10, 0, 0, 0)
    return hintergrund


def summen_aus(ergebnis):
    z = ergebnis["zusammenfassung"]
    return (z["neu"], z["geaendert"], z["unveraendert"], z["fehlerhafte_zeilen"])


def gemischte_datei(hintergrund):
    """Rows 0–4 unchanged, 5–9 changed (texts, topics, languages, a translation), 10–39 new
    (links, a place of their own or the provider's, translations)."""
    zeilen = []
    for i in range(40):
        z = zeile(i)
        if 5 <= i < 10:
            z[1] = f"Neu beschrieben {i}."
            z[5] = "babymassage"
            z[9] = "tr"
        zeilen.append(mit_uebersetzung(z, i) if i in (3, 6, 8, 11, 17) else [*z, "", "", "", ""])
    zeilen[6][UEBERSETZT.index("Titel [tr]") + len(KOPF)] = "Yeni kafe 6"
    return zeilen


def test_a_clean_file_gives_the_same_records_links_translations_and_history_both_ways(
    vorhanden, kleine_stapel
):
    benutzer = vorhanden["koordination"]
    vorher = bestand()
    zeilen = gemischte_datei(vorhanden)

    (ergebnis, gesammelt), (erwartet, einzeln) = beide_wege(
        benutzer, datei(vorhanden, zeilen), trocken=False
    )

    assert summen_aus(ergebnis) == (30, 5, 5, 0)
    assert ergebnis == erwartet
    assert gesammelt == einzeln
    assert len(gesammelt) == 40
    assert [a["slug"] for a in gesammelt] == [a["slug"] for a in vorher] + [
        f"elterncafe-{i}-fz-mitte" for i in range(10, 40)
    ]
    # The new ones as the file says: an own place's PLZ centre or the provider's point, links
    # in both directions of the facet arrays, a translation with its provenance.
    neu_11 = gesammelt[11]
    assert (neu_11["titel"], neu_11["plz"], neu_11["strasse"], neu_11["format"]) == (
        "Elterncafé 11",
        "73728",
        "Kirchstraße 3",
        "kurs",
    )
    assert neu_11["themen_ids"] is not None
    assert sorted(neu_11["themen_ids"]) == neu_11["themen"]
    assert sorted(neu_11["sprachen_ids"]) == neu_11["sprachen"]
    assert [u[:6] for u in neu_11["uebersetzungen"]] == [
        ("beschreibung", "tr", "Aileler için 11.", "uebersetzung", "Ayşe", True),
        ("titel", "tr", "Kafe 11", "uebersetzung", "Ayşe", True),
    ]
    assert [(h["typ"], h["nutzer"], h["grund"], h["titel"]) for h in neu_11["verlauf"]] == [
        ("+", benutzer.pk, "", "Elterncafé 11")
    ]
    geaendert_6 = gesammelt[6]
    assert [(h["typ"], h["beschreibung"]) for h in geaendert_6["verlauf"]] == [
        ("+", "Treff für Eltern, Nummer 6."),
        ("~", "Neu beschrieben 6."),
    ]
    assert gesammelt[0] == vorher[0]  # unchanged: not even history


def test_a_preview_with_error_rows_gives_the_same_rows_and_messages_both_ways(
    vorhanden, kleine_stapel
):
    benutzer = vorhanden["koordination"]
    vorher = bestand()
    zeilen = gemischte_datei(vorhanden)
    zeilen[7][7] = "40"  # a changed record against a check constraint
    zeilen[12][2] = "Gibt es nicht"  # unknown provider: no place either
    zeilen[15][7] = "40"  # a new record against a check constraint only
    zeilen[20][7] = "drei"  # a field error besides a check constraint
    zeilen[20][23], zeilen[20][24] = "01.08.2027", "31.07.2027"
    zeilen[33][23], zeilen[33][24] = "01.08.2027", "31.07.2027"

    for trocken in (True, False):
        (ergebnis, gesammelt), (erwartet, einzeln) = beide_wege(
            benutzer, datei(vorhanden, zeilen), trocken=trocken
        )
        assert ergebnis == erwartet
        assert gesammelt == einzeln == vorher  # all or nothing, preview or not

    alter = "„Alter von“ darf nicht größer sein als „Alter bis“."
    gueltig = "„gültig bis“ liegt vor „gültig von“."
    assert summen_aus(ergebnis) == (26, 4, 5, 5)
    assert ergebnis["zusammenfassung"]["fehler"] == [
        {"zeile": 9, "meldungen": [alter]},
        {
            "zeile": 14,
            "meldungen": [
                "Anbieter: „Gibt es nicht“: nicht gefunden oder gehört nicht zu Ihren Netzwerken.",
                ORT_FEHLT,
            ],
        },
        {"zeile": 17, "meldungen": [alter]},
        {"zeile": 22, "meldungen": ["Alter von (Monate): „drei“ ist keine ganze Zahl.", gueltig]},
        {"zeile": 35, "meldungen": [gueltig]},
    ]
    assert [z[0] for z in ergebnis["zeilen"]].count("invalid") == 5


def test_a_record_the_database_refuses_at_its_insert_is_its_rows_error_both_ways(
    hintergrund, kleine_stapel, monkeypatch
):
    """A value no check before the INSERT sees (here a title made too long after validation):
    the collected INSERT of its batch is refused, its rows are written one by one, and the row
    gets the message the row-by-row import gives; nothing is written."""
    ort_ergaenzen = Angebot.ort_ergaenzen
    aufrufe = {}

    def zu_lang_beim_speichern(self):
        ort_ergaenzen(self)
        if self.titel.startswith("Elterncafé 23"):
            aufrufe[id(self)] = aufrufe.get(id(self), 0) + 1
            if aufrufe[id(self)] >= 2:  # the first call is the row's check (zeile_pruefen)
                self.titel = "x" * 300

    monkeypatch.setattr(Angebot, "ort_ergaenzen", zu_lang_beim_speichern)
    zeilen = [[*zeile(i), "", "", "", ""] for i in range(30)]
    vorher = bestand()

    for trocken in (True, False):
        (ergebnis, gesammelt), (erwartet, einzeln) = beide_wege(
            hintergrund["koordination"], datei(hintergrund, zeilen), trocken=trocken
        )
        assert ergebnis == erwartet
        assert gesammelt == einzeln == vorher

    assert summen_aus(ergebnis) == (29, 0, 0, 1)
    assert ergebnis["zusammenfassung"]["fehler"] == [
        {
            "zeile": 25,
            "meldungen": ["Diese Zeile konnte nicht gespeichert werden; bitte prüfen Sie sie."],
        }
    ]


def test_the_collected_run_asks_no_query_per_row(hintergrund):
    """No SAVEPOINT, INSERT or constraint SELECT per row: 30 and 90 new offerings with links
    and history take the same number of queries (the file's provider and PLZ looked up once,
    one statement per table and batch)."""
    anzahl = []
    for zeilen in (10, 30, 90):  # the first run also reads the user's roles
        with transaction.atomic(), CaptureQueriesContext(connection) as abfragen:
            ergebnis = lauf(
                hintergrund["koordination"],
                datei(hintergrund, [[*zeile(i), "", "", "", ""] for i in range(zeilen)]),
                gesammelt=True,
                trocken=False,
            )
            assert summen_aus(ergebnis) == (zeilen, 0, 0, 0)
            assert Angebot.objects.filter(anbieter=hintergrund["akteur"]).count() == zeilen
            transaction.set_rollback(True)
        anzahl.append(len(abfragen))
    # 34 statements besides the COPY of the new records (Django's query log does not see it).
    assert anzahl[1] == anzahl[2] == 34


def angebote_zum_schreiben(akteur, praefix, **werte):
    return [
        Angebot(
            titel=f"Elterncafé {i}",
            slug=f"{praefix}-{i}",
            beschreibung="Zeile eins\tmit Tab\nZeile zwei mit \\ und „Anführung“",
            anbieter=akteur,
            format="kurs",
            status="veroeffentlicht" if i % 2 else "entwurf",
            alter_von_monate=None if i % 3 else i,
            gueltig_von=datetime.date(2027, 1, 1 + i),
            standort=Point(9.3 + i / 1000, 48.74, srid=4326) if i % 2 else None,
            kontakt_email="erika@example.org",
            **werte,
        )
        for i in range(5)
    ]


def gespeichert(praefix):
    anders = OHNE | {"slug", "suchvektor"}
    return [
        {
            f.attname: getattr(a, f.attname)
            for f in Angebot._meta.concrete_fields
            if f.attname not in anders
        }
        | {"zeiten": a.erstellt_am == a.geaendert_am}
        for a in Angebot.objects.filter(slug__startswith=f"{praefix}-").order_by("pk")
    ]


def test_new_records_written_by_copy_are_stored_as_bulk_create_stores_them(hintergrund):
    """neue_einfuegen() writes by COPY (no INSERT statement) what bulk_create() writes: every
    column, the ones triggers fill included, ids in order; an expression takes bulk_create()."""
    akteur = hintergrund["akteur"]
    kopiert = angebote_zum_schreiben(akteur, "kopie")
    with CaptureQueriesContext(connection) as abfragen:
        atlas.ressourcen.neue_einfuegen(Angebot, kopiert, "default")
    assert not [q for q in abfragen if q["sql"].startswith("INSERT")]
    Angebot.objects.bulk_create(angebote_zum_schreiben(akteur, "einzeln"))

    assert gespeichert("kopie") == gespeichert("einzeln")
    assert len(gespeichert("kopie")) == 5
    ids = [a.pk for a in kopiert]
    gelesen = Angebot.objects.filter(slug__startswith="kopie-").order_by("pk")
    assert ids == sorted(ids) == list(gelesen.values_list("pk", flat=True))
    assert all(not a._state.adding for a in kopiert)

    mit_ausdruck = angebote_zum_schreiben(akteur, "ausdruck", leichte_sprache=Value("Einfach."))
    with CaptureQueriesContext(connection) as abfragen:
        atlas.ressourcen.neue_einfuegen(Angebot, mit_ausdruck, "default")
    assert [q["sql"][:30] for q in abfragen] == ['INSERT INTO "angebote_angebot"']
    assert [a.leichte_sprache for a in Angebot.objects.filter(slug__startswith="ausdruck-")] == [
        "Einfach."
    ] * 5
