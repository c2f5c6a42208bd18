"""Exports of the public lists: each format read back and compared with the list's own rows."""

import datetime
import io
import re
import zipfile

import numpy as np
import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from angebote.exports import AngebotExportView, ics_zeile
from angebote.models import Format, Kosten
from atlas.models import Status, punkt_aus
from atlas.tabellen import neutral
from tests.exportdateien import (
    csv_tabelle,
    csv_zeilen,
    geojson,
    ics_ereignisse,
    inhalt,
    xlsx_mappe,
    xlsx_tabelle,
)
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    TerminFactory,
    sprache,
    thema,
)

pytestmark = pytest.mark.django_db

OSTFILDERN = punkt_aus(48.7230, 9.2620)
KOELN = punkt_aus(50.9375, 6.9603)
INJEKTIONEN = [
    '=HYPERLINK("http://x","y")',
    '==HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
]
UNICODE = ["مقهى الأمهات والآباء", "Кафе для родителей", "Größere Übungen für Väter – ß"]


@pytest.fixture(autouse=True)
def ohne_drosselung(settings):
    # Many anonymous exports per test run: the limit has its own test.
    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()


def test_csv_is_made_for_german_excel(client):
    AngebotFactory(
        titel="Müttercafé an der Straße",
        alter_von_monate=-9,
        alter_bis_monate=12,
        gueltig_von=datetime.date(2026, 1, 2),
        kinderbetreuung=True,
        kosten=Kosten.KOSTENBEITRAG,
    )
    antwort = client.get("/angebote/export.csv")
    assert isinstance(antwort, StreamingHttpResponse)
    assert antwort["Content-Type"] == "text/csv; charset=utf-8"
    kopf, (zeile,) = csv_tabelle(antwort)
    assert kopf[:3] == ["Titel", "Anbieter", "Format"]
    assert zeile["Titel"] == "Müttercafé an der Straße"
    assert zeile["Alter von (Monate)"] == "-9"  # a number stays a number, not '-9
    assert zeile["gültig von"] == "02.01.2026"
    assert zeile["Breite"] == "48,7407" and zeile["Länge"] == "9,3083"
    assert zeile["Kinderbetreuung"] == "ja" and zeile["barrierefrei"] == "nein"
    assert zeile["Kosten"] == "mit Kostenbeitrag"
    assert zeile["gültig bis"] == "" and zeile["Themen"] == ""
    assert zeile["Link"] == "http://testserver/angebote/angebot-0/" or zeile["Link"].endswith("/")
    assert b"None" not in inhalt(client.get("/angebote/export.csv"))


def test_csv_comment_lines_on_request(client):
    AngebotFactory(sprachen=[sprache("ar")])
    zeilen = csv_zeilen(client.get("/angebote/export.csv", {"sprache": "ar", "kopf": "1"}))
    kommentare = [z[0] for z in zeilen if z[0].startswith("# ")]
    assert kommentare[0] == "# Angebote"
    assert kommentare[1].startswith("# Exportiert am ")
    assert kommentare[2] == "# Filter: Sprache: Arabisch"
    assert zeilen[len(kommentare)][0] == "Titel"
    # Without ?kopf=1 the header is the first line, as Excel's filters expect.
    assert csv_zeilen(client.get("/angebote/export.csv"))[0][0] == "Titel"


def test_xlsx_has_typed_cells_a_header_block_and_a_frozen_header(client):
    AngebotFactory(
        titel="Babymassage",
        alter_von_monate=-9,
        gueltig_von=datetime.date(2026, 1, 2),
        kinderbetreuung=True,
        themen=[thema("schwangerschaft-geburt")],
    )
    antwort = client.get("/angebote/export.xlsx", {"kostenlos": "on"})
    assert antwort["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    blatt, block, kopf, (zeile,) = xlsx_tabelle(antwort)
    assert block[0] == "Angebote"
    assert block[1].startswith("Exportiert am ")
    assert block[2] == "Filter: kostenlos: ja"
    assert block[3] == "Nur veröffentlichte Einträge und öffentliche Angaben."
    assert blatt.freeze_panes == "A7"  # block, a blank row, the header: all frozen
    assert blatt["A6"].value == "Titel" and blatt["A6"].font.b
    assert blatt.column_dimensions["A"].width == 40
    assert blatt.auto_filter.ref == f"A6:{blatt.cell(6, len(kopf)).column_letter}7"
    assert zeile["Titel"] == "Babymassage"
    assert zeile["Alter von (Monate)"] == -9 and isinstance(zeile["Alter von (Monate)"], int)
    assert zeile["gültig von"] == datetime.datetime(2026, 1, 2)
    assert blatt["X7"].is_date or any(c.is_date for c in blatt[7])
    assert zeile["Kinderbetreuung"] is True and zeile["barrierefrei"] is False
    assert zeile["Breite"] == pytest.approx(48.7407)
    assert zeile["PLZ"] == "73728"  # text: a leading zero would survive
    assert zeile["gültig bis"] is None and zeile["Alter bis (Monate)"] is None
    assert zeile["Themen"] == "Schwangerschaft & Geburt"


def test_geojson_is_a_feature_collection_in_lon_lat(client):
    AngebotFactory(titel="Treff", standort=OSTFILDERN)
    AngebotFactory(titel="Online-Kurs", format=Format.ONLINE, standort=None)
    antwort = client.get("/angebote/export.geojson")
    assert antwort["Content-Type"] == "application/geo+json"
    daten = geojson(antwort)
    assert daten["type"] == "FeatureCollection"
    online, treff = daten["features"]
    assert treff["geometry"] == {"type": "Point", "coordinates": [9.262, 48.723]}
    assert treff["properties"]["titel"] == "Treff"
    assert treff["properties"]["format"] == "Offener Treff"
    # No place, still a feature: the file counts what the list counts.
    assert online["geometry"] is None and online["properties"]["titel"] == "Online-Kurs"


def test_ics_holds_the_dates_of_the_filtered_offerings(client):
    kurs = AngebotFactory(titel="Kurs; Teil 1, mit \\ und Umlauten: äöü", sprachen=[sprache("ar")])
    anderes = AngebotFactory(titel="Anderes Angebot")
    beginn = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    kommend = TerminFactory(
        angebot=kurs,
        beginn=beginn,
        ende=beginn + datetime.timedelta(hours=2),
        ort="Saal 1, Erdgeschoss",
        hinweis="Bitte Decke mitbringen.\nUnd Hausschuhe. " + "ä" * 60,
    )
    TerminFactory(angebot=kurs, beginn=timezone.now() - datetime.timedelta(days=3))
    TerminFactory(angebot=anderes, beginn=beginn)

    antwort = client.get("/angebote/export.ics", {"sprache": "ar"})
    assert antwort["Content-Type"] == "text/calendar; charset=utf-8"
    assert antwort["Content-Disposition"].endswith('.ics"')
    kalender, (ereignis,) = ics_ereignisse(antwort)
    assert kalender["VERSION"] == "2.0" and kalender["PRODID"]
    assert ereignis["SUMMARY"] == kurs.titel
    assert ereignis["UID"] == f"termin-{kommend.pk}@testserver"
    utc = beginn.astimezone(datetime.UTC)
    assert ereignis["DTSTART"] == utc.strftime("%Y%m%dT%H%M%SZ")
    assert ereignis["DTEND"] == (utc + datetime.timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")
    assert ereignis["DTSTAMP"].endswith("Z")
    assert ereignis["LOCATION"] == "Saal 1, Erdgeschoss"
    assert "Bitte Decke mitbringen.\nUnd Hausschuhe. " + "ä" * 60 in ereignis["DESCRIPTION"]
    assert ereignis["URL"] == f"http://testserver/angebote/{kurs.slug}/"


def test_ics_lines_fold_at_75_octets_between_characters():
    zeile = "SUMMARY:" + "ä" * 100 + "x" * 3
    gefaltet = ics_zeile(zeile)
    teile = gefaltet.split(b"\r\n")[:-1]
    assert all(len(t) <= 75 for t in teile)
    assert all(t.startswith(b" ") for t in teile[1:])
    assert b"".join([teile[0], *(t[1:] for t in teile[1:])]).decode() == zeile
    assert ics_zeile("END:VEVENT") == b"END:VEVENT\r\n"


FILTER = [
    {},
    {"kostenlos": "on"},
    {"sprache": "ar"},
    {"format": "kurs"},
    {"q": "Babymassage"},
    {"wo": "73728", "umkreis": "20"},
    {"wo": "73728", "sortierung": "name"},
    {"sortierung": "geprueft"},
    {"alter": "4", "thema": "schwangerschaft-geburt"},
    {"seite": "2"},
]


@pytest.fixture
def angebote_mix(db):
    AngebotFactory(titel="Babymassage", standort=OSTFILDERN, sprachen=[sprache("ar")])
    AngebotFactory(
        titel="Geburtsvorbereitung",
        format=Format.KURS,
        kosten=Kosten.KOSTENBEITRAG,
        alter_von_monate=-9,
        alter_bis_monate=0,
        themen=[thema("schwangerschaft-geburt")],
        geprueft_am=datetime.date(2026, 1, 5),
    )
    AngebotFactory(titel="Väterkurs Köln", format=Format.KURS, standort=KOELN)
    AngebotFactory(titel="Elterntreff", alter_von_monate=36, alter_bis_monate=72)
    AngebotFactory(titel="Zu Hause beraten", format=Format.HAUSBESUCH, standort=None)
    AngebotFactory(titel="Entwurf", status=Status.ENTWURF)
    AngebotFactory(titel="Abgelaufen", gueltig_bis=datetime.date(2020, 1, 1))


@pytest.mark.parametrize("abfrage", FILTER)
def test_every_format_holds_exactly_the_lists_rows(client, angebote_mix, abfrage):
    liste = client.get("/angebote/", abfrage)
    erwartet = [a.titel for a in liste.context["filter"].qs]
    assert "Entwurf" not in erwartet and "Abgelaufen" not in erwartet

    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv", abfrage))
    assert [z["Titel"] for z in zeilen] == erwartet
    *_rest, xlsx = xlsx_tabelle(client.get("/angebote/export.xlsx", abfrage))
    assert [z["Titel"] for z in xlsx] == erwartet
    merkmale = geojson(client.get("/angebote/export.geojson", abfrage))["features"]
    assert [m["properties"]["titel"] for m in merkmale] == erwartet


def test_place_search_adds_the_distance(client, angebote_mix):
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv", {"wo": "73728"}))
    entfernung = {z["Titel"]: z["Entfernung (km)"] for z in zeilen}
    # Ostfildern, about 3.9 km from the centre of PLZ 73728.
    assert entfernung["Babymassage"].startswith("3,")
    assert float(entfernung["Babymassage"].replace(",", ".")) == pytest.approx(3.9, abs=0.15)
    assert "Väterkurs Köln" not in entfernung


@pytest.mark.parametrize("wert", INJEKTIONEN)
def test_formula_payloads_are_inert_in_csv_and_xlsx(client, wert):
    AngebotFactory(
        titel=wert,
        beschreibung=wert,
        kontakt_name=wert,
        kontakt_telefon=wert,
        anbieter=AkteurFactory(name=wert),
    )
    _kopf, (zeile,) = csv_tabelle(client.get("/angebote/export.csv"))
    for spalte in ("Titel", "Beschreibung", "Ansprechperson", "Kontakt-Telefon", "Anbieter"):
        assert zeile[spalte] == "'" + wert

    with zipfile.ZipFile(io.BytesIO(inhalt(client.get("/angebote/export.xlsx")))) as paket:
        assert "<f>" not in paket.read("xl/worksheets/sheet1.xml").decode()
    blatt = xlsx_mappe(client.get("/angebote/export.xlsx")).active
    for zelle in blatt[7]:
        if zelle.value and zelle.column_letter in ("A", "B"):
            assert zelle.data_type == "s"
            assert zelle.value == "'" + wert


def test_ordinary_text_is_left_alone(client):
    AngebotFactory(titel="Eltern-Kind-Turnen", kontakt_telefon="0711 123-45")
    _kopf, (zeile,) = csv_tabelle(client.get("/angebote/export.csv"))
    assert zeile["Titel"] == "Eltern-Kind-Turnen" and zeile["Kontakt-Telefon"] == "0711 123-45"


@pytest.mark.parametrize("text", UNICODE)
def test_arabic_cyrillic_and_umlauts_survive_every_format(client, text):
    angebot = AngebotFactory(titel=text, beschreibung=text, sprachen=[sprache("ar")])
    TerminFactory(angebot=angebot, hinweis=text)
    _kopf, (zeile,) = csv_tabelle(client.get("/angebote/export.csv"))
    assert zeile["Titel"] == text and zeile["Beschreibung"] == text
    *_rest, (xlsx,) = xlsx_tabelle(client.get("/angebote/export.xlsx"))
    assert xlsx["Titel"] == text
    (merkmal,) = geojson(client.get("/angebote/export.geojson"))["features"]
    assert merkmal["properties"]["titel"] == text
    _kalender, (ereignis,) = ics_ereignisse(client.get("/angebote/export.ics"))
    assert ereignis["SUMMARY"] == text and text in ereignis["DESCRIPTION"]


def test_file_names_carry_the_local_date(client):
    AngebotFactory()
    heute = timezone.localdate().isoformat()
    for format in ("csv", "xlsx", "geojson", "ics"):
        antwort = client.get(f"/angebote/export.{format}")
        assert antwort["Content-Disposition"] == f'attachment; filename="angebote-{heute}.{format}"'
    assert client.get("/akteure/export.csv")["Content-Disposition"].endswith(
        f'"akteure-{heute}.csv"'
    )


def test_public_export_is_not_marked_private(client):
    AngebotFactory()
    antwort = client.get("/angebote/export.csv")
    assert "no-store" not in antwort.get("Cache-Control", "")
    assert not antwort.cookies


def test_english_headers_under_en(client):
    AngebotFactory()
    kopf, _zeilen = csv_tabelle(client.get("/en/angebote/export.csv"))
    assert kopf[0] in {"Title", "Titel"}  # the catalogue may not be compiled yet


@pytest.mark.parametrize(
    "abfrage, meldung",
    [
        ({"wo": "99999"}, "kennen wir nicht"),
        ({"umkreis": "abc"}, "Umkreis"),
        ({"lat": "x", "lon": "y"}, "Breite"),
        ({"thema": "999"}, "Thema"),
        ({"alter": "zwölf"}, "verstehen wir nicht als Alter"),
        ({"q": "Treff\x00"}, "Was?"),
        ({"sprache": "<script>"}, "Sprache"),
    ],
)
def test_bad_parameters_get_the_german_error_page(client, abfrage, meldung):
    AngebotFactory()
    for format in ("csv", "xlsx", "geojson", "ics"):
        antwort = client.get(f"/angebote/export.{format}", abfrage)
        assert antwort.status_code == 400
        text = antwort.content.decode()
        assert "Export nicht möglich" in text and meldung in text
        assert "Es wurde keine Datei erstellt." in text
        assert "<script>" not in text.split("<body>")[1]


def test_unknown_formats_are_not_found(client):
    for url in ("/angebote/export.pdf", "/akteure/export.ics", "/netzwerke/export.geojson"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("anteil", [0.4, 10**9])  # the SQL filter, the search index's ids
def test_rows_do_not_cost_queries(client, monkeypatch, anteil):
    """One statement for the rows however many there are (no query per row or per M2M)."""
    from atlas import tabellen

    monkeypatch.setattr(tabellen, "ANTEIL_EINGESCHRAENKT", anteil)

    def anzahl():
        with CaptureQueriesContext(connection) as abfragen:
            inhalt(client.get("/angebote/export.csv", {"sprache": "ar"}))
        return len(abfragen)

    AngebotFactory(sprachen=[sprache("ar")], themen=[thema("schwangerschaft-geburt")])
    anzahl()  # the search index is built
    wenige = anzahl()
    for _ in range(15):
        AngebotFactory(sprachen=[sprache("ar")], themen=[thema("schwangerschaft-geburt")])
    anzahl()  # the search index reads the new rows
    assert anzahl() == wenige


def test_anonymous_exports_are_rate_limited(client, settings):
    settings.DROSSELUNG_ANFRAGEN = 2
    settings.DROSSELUNG_SEKUNDEN = 60
    cache.clear()
    AngebotFactory()
    assert client.get("/angebote/export.csv").status_code == 200
    assert client.get("/akteure/export.xlsx").status_code == 200
    zu_viel = client.get("/angebote/export.geojson")
    assert zu_viel.status_code == 429
    assert 1 <= int(zu_viel["Retry-After"]) <= 60
    assert "Zu viele Anfragen" in zu_viel.content.decode()


def test_export_links_keep_the_lists_filters(client):
    AngebotFactory(sprachen=[sprache("ar")])
    inhalt_liste = client.get("/angebote/", {"sprache": "ar", "kostenlos": "on"}).content.decode()
    for format in ("csv", "xlsx", "geojson", "ics"):
        assert f'href="/angebote/export.{format}?sprache=ar&amp;kostenlos=on"' in inhalt_liste
    assert 'href="/angebote/export.xlsx?sprache=ar&amp;kostenlos=on&amp;intern=1"' in inhalt_liste
    # Paging is the page's, not the file's: the export always holds every row.
    akteure = client.get("/akteure/", {"barrierefrei": "on", "seite": "2"}).content.decode()
    assert 'href="/akteure/export.csv?barrierefrei=on"' in akteure
    assert 'href="/netzwerke/export.xlsx?' in client.get("/netzwerke/").content.decode()


def test_line_breaks_inside_cells_survive_and_records_end_with_crlf(client):
    AngebotFactory(titel="Zwei Zeilen", beschreibung='Erste Zeile\nzweite; mit "Zitat"\r\nEnde')
    AngebotFactory(titel="Danach")
    daten = inhalt(client.get("/angebote/export.csv")).decode("utf-8-sig")
    assert daten.count("\r\n") == 4  # header, two records, and the CRLF inside the cell
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv"))
    assert [z["Titel"] for z in zeilen] == ["Danach", "Zwei Zeilen"]
    assert zeilen[1]["Beschreibung"] == 'Erste Zeile\nzweite; mit "Zitat"\r\nEnde'
    *_rest, xlsx = xlsx_tabelle(client.get("/angebote/export.xlsx"))
    assert xlsx[1]["Beschreibung"] == 'Erste Zeile\nzweite; mit "Zitat"\r\nEnde'


def test_xlsx_escapes_markup_and_drops_control_characters(client):
    AngebotFactory(titel="<b>Fett</b> & \x07Klingel", kontakt_name="  Leerzeichen  ")
    *_rest, (zeile,) = xlsx_tabelle(client.get("/angebote/export.xlsx"))
    assert zeile["Titel"] == "<b>Fett</b> & Klingel"
    assert zeile["Ansprechperson"] == "  Leerzeichen  "


def test_a_download_cut_off_midway_leaves_the_connection_usable(client, rf):
    """The client goes away during COPY: closing the response ends it; the next query works."""
    AngebotFactory.create_batch(300, beschreibung="x" * 1500)
    anfrage = rf.get("/angebote/export.csv")
    anfrage.user = AnonymousUser()
    antwort = AngebotExportView.as_view()(anfrage, format="csv")
    teile = iter(antwort.streaming_content)
    next(teile)  # the header
    assert len(next(teile)) >= 256 * 1024  # inside COPY now
    # The server closes the response. Django's end-of-request clean-up would close the test's
    # connection (the whole test is one transaction), so it is left out here.
    request_finished.disconnect(close_old_connections)
    try:
        antwort.close()
    finally:
        request_finished.connect(close_old_connections)
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv", {"q": "Elterncafé"}))
    assert len(zeilen) == 300


@pytest.mark.parametrize(
    "abfrage",
    [{}, {"einrichtungsart": "verein"}, {"q": "Beratung"}, {"wo": "73728", "umkreis": "5"}],
)
def test_actor_export_holds_exactly_the_lists_rows(client, abfrage):
    from tests.factories import einrichtungsart

    AkteurFactory(name="Beratungsstelle Nord", einrichtungsart=einrichtungsart("verein"))
    AkteurFactory(name="Familienzentrum Köln", standort=KOELN)
    AkteurFactory(name="Familienzentrum Ostfildern", standort=OSTFILDERN)
    AkteurFactory(name="Entwurf", status=Status.ENTWURF)
    erwartet = [a.name for a in client.get("/akteure/", abfrage).context["filter"].qs]
    _kopf, zeilen = csv_tabelle(client.get("/akteure/export.csv", abfrage))
    assert [z["Name"] for z in zeilen] == erwartet
    merkmale = geojson(client.get("/akteure/export.geojson", abfrage))["features"]
    assert [m["properties"]["name"] for m in merkmale] == erwartet


def zellen(client, pfad, abfrage, spalten):
    """{header: (CSV cell, XLSX cell, GeoJSON property)} of the only row of `pfad`'s files.

    `spalten` maps each header to its GeoJSON key (None: the list has no GeoJSON).
    """
    _kopf, (csv_zeile,) = csv_tabelle(client.get(f"{pfad}.csv", abfrage))
    *_rest, (xlsx_zeile,) = xlsx_tabelle(client.get(f"{pfad}.xlsx", abfrage))
    merkmal = {}
    if any(spalten.values()):
        (merkmal,) = geojson(client.get(f"{pfad}.geojson", abfrage))["features"]
    return {
        titel: (
            csv_zeile[titel],
            xlsx_zeile[titel],
            merkmal["properties"][schluessel] if schluessel else csv_zeile[titel],
        )
        for titel, schluessel in spalten.items()
    }


def test_multi_valued_offering_cells_hold_exactly_the_names_in_every_format(client):
    """Every column that joins several values: "Deutsch, Türkisch", never a Value(…) in between."""
    from tests.factories import SozialraumFactory, zielgruppe

    AngebotFactory(
        sprachen=[sprache("de"), sprache("tr")],
        zielgruppen=[zielgruppe("eltern"), zielgruppe("schwangere")],
        themen=[thema("geburtsvorbereitung"), thema("babymassage")],
        kooperationspartner=[
            AkteurFactory(name="Kita Sonnenschein"),
            AkteurFactory(name="Hebammenpraxis Mondschein"),
            AkteurFactory(name="Verein im Entwurf", status=Status.ENTWURF),
        ],
        einzugsgebiet=[
            SozialraumFactory(name="Ostfildern"),
            SozialraumFactory(name="Esslingen am Neckar"),
        ],
    )
    werte = zellen(
        client,
        "/angebote/export",
        {},
        {
            "Sprachen": "sprachen",
            "Zielgruppen": "zielgruppen",
            "Themen": "themen",
            "Kooperationspartner": "kooperationspartner",
            "Einzugsgebiet": "einzugsgebiet",
        },
    )
    # Vocabularies in their editorial order (by id), actors and areas by name.
    assert werte == {
        "Sprachen": ("Deutsch, Türkisch",) * 3,
        "Zielgruppen": ("Eltern, Schwangere",) * 3,
        "Themen": ("Geburtsvorbereitung, Babymassage",) * 3,
        "Kooperationspartner": ("Hebammenpraxis Mondschein, Kita Sonnenschein",) * 3,
        "Einzugsgebiet": ("Esslingen am Neckar, Ostfildern",) * 3,
    }


def test_multi_valued_actor_cells_hold_exactly_the_names_in_every_format(client):
    from tests.factories import KontaktpersonFactory

    akteur = AkteurFactory(name="Familienzentrum Ostfildern")
    akteur.sprachen.set([sprache("de"), sprache("ar")])
    KontaktpersonFactory(
        akteur=akteur,
        name="Berta Beispiel",
        funktion="Beratung",
        telefon="0711 1",
        oeffentlich=True,
        einwilligung_am=datetime.date(2026, 1, 1),
    )
    KontaktpersonFactory(
        akteur=akteur,
        name="Anna Beispiel",
        email="anna@example.org",
        oeffentlich=True,
        einwilligung_am=datetime.date(2026, 1, 1),
    )
    KontaktpersonFactory(akteur=akteur, name="Carla Intern")  # no consent: not public
    werte = zellen(
        client,
        "/akteure/export",
        {},
        {"Sprachen": "sprachen", "Ansprechpersonen": "ansprechpersonen"},
    )
    ansprechpersonen = "Anna Beispiel, Leitung, anna@example.org; Berta Beispiel, Beratung, 0711 1"
    assert werte == {
        "Sprachen": ("Deutsch, Arabisch",) * 3,
        "Ansprechpersonen": (ansprechpersonen,) * 3,
    }


def test_the_files_header_says_how_the_age_was_understood(client):
    AngebotFactory(alter_von_monate=12, alter_bis_monate=24)
    zeilen = csv_zeilen(client.get("/angebote/export.csv", {"alter": "1,5", "kopf": "1"}))
    assert zeilen[2] == ["# Filter: Alter des Kindes: 1 Jahr 6 Monate"]


@pytest.mark.parametrize(
    "pfad",
    [
        "/angebote/export.csv?thema=babymassage",
        "/angebote/export.xlsx?thema=babymassage",
        "/angebote/export.geojson?sprache=tr",
        "/angebote/export.csv",
        "/angebote/export.csv?intern=1&thema=babymassage",
        "/akteure/export.csv",
    ],
)
def test_both_query_shapes_export_the_same_cells(client, monkeypatch, pfad):
    """A filtered export aggregates its relations for its own rows (a CTE), a near-whole one
    for the whole link tables (atlas.tabellen.export_sql), and either names topics, target
    groups, languages and partners from the rows' id copies: cell for cell the same file as
    the link tables' aggregates give."""
    from atlas import tabellen
    from tests.factories import SozialraumFactory, UserFactory, zielgruppe

    partner = [
        AkteurFactory(name="Kita Sonnenschein"),
        AkteurFactory(name="Verein", status=Status.ENTWURF),
    ]
    for nummer in range(6):
        AngebotFactory(
            titel=f"Angebot {nummer}",
            sprachen=[sprache("de"), sprache("tr")][: nummer % 3],
            zielgruppen=[zielgruppe("eltern")] if nummer % 2 else [],
            themen=[thema("babymassage"), thema("geburtsvorbereitung")][: 1 + nummer % 2],
            kooperationspartner=partner[: nummer % 3],
            einzugsgebiet=[SozialraumFactory(name=f"Gebiet {nummer}")] if nummer % 2 else [],
        )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    dateien = []
    for anteil in (0, 10**9):  # never / always the CTE
        for aus_kopien in (False, True):
            monkeypatch.setattr(tabellen, "ANTEIL_EINGESCHRAENKT", anteil)
            monkeypatch.setattr(tabellen, "AUS_KOPIEN", aus_kopien)
            antwort = client.get(pfad)
            assert antwort.status_code == 200
            if ".xlsx" in pfad:
                dateien.append(xlsx_tabelle(antwort)[3])  # the rows, not the export time
            elif ".geojson" in pfad:
                dateien.append([m["properties"] for m in geojson(antwort)["features"]])
            else:
                dateien.append(csv_zeilen(antwort))
    assert dateien[0] == dateien[1] == dateien[2] == dateien[3]
    assert len(dateien[0]) >= 2


def _datei(antwort, pfad):
    assert antwort.status_code == 200
    if ".xlsx" in pfad:
        return xlsx_tabelle(antwort)[3]  # the rows by header, not the export time
    if ".geojson" in pfad:
        return [(m["geometry"], m["properties"]) for m in geojson(antwort)["features"]]
    return csv_zeilen(antwort)


@pytest.mark.parametrize("format", ["csv", "xlsx", "geojson"])
@pytest.mark.parametrize(
    "abfrage",
    [
        "thema=babymassage",
        "thema=babymassage&sortierung=geprueft",
        "sprache=tr",
        "q=Babymassage",
        "kostenlos=on&alter=1",
    ],
)
def test_the_index_path_exports_the_same_cells_as_sql(
    client, monkeypatch, settings, format, abfrage
):
    """A public file of part of the list reads its rows by the search index's ids, in list
    order, and names topics, target groups and languages from the rows' id copies
    (atlas.tabellen.export_sql with `ids`): cell for cell the file the SQL filter makes with
    the names aggregated from the link tables."""
    from atlas import tabellen
    from tests.factories import SozialraumFactory, zielgruppe

    alle_sprachen = [sprache(c) for c in ("de", "tr", "ar", "en", "ru", "uk")]
    partner = [AkteurFactory(name="Kita Sonnenschein"), AkteurFactory(name="Verein Zwei")]
    for nummer in range(7):
        AngebotFactory(
            titel=f"Babymassage {7 - nummer}",
            kosten=Kosten.KOSTENLOS if nummer % 2 else Kosten.KOSTENBEITRAG,
            alter_von_monate=0 if nummer % 3 else None,
            alter_bis_monate=12 if nummer % 3 else None,
            # none, one, two … six languages: the six take the path past the direct names
            sprachen=alle_sprachen[:nummer],
            zielgruppen=[zielgruppe("eltern"), zielgruppe("schwangere")][: nummer % 3],
            themen=[thema("babymassage"), thema("geburtsvorbereitung")][: 1 + nummer % 2]
            if nummer != 3
            else [thema("geburtsvorbereitung")],
            kooperationspartner=partner[: nummer % 3],
            einzugsgebiet=[SozialraumFactory(name=f"Gebiet {nummer}")] if nummer % 2 else [],
            geprueft_am=datetime.date(2026, 1, 1 + nummer) if nummer % 4 else None,
            standort=OSTFILDERN if nummer != 5 else None,
        )
    AngebotFactory(titel="Babymassage Entwurf", status=Status.ENTWURF, sprachen=[sprache("tr")])
    AngebotFactory(titel="Zeitlos", themen=[thema("geburtsvorbereitung")])
    monkeypatch.setattr(tabellen, "ANTEIL_EINGESCHRAENKT", 10**9)  # always the index's ids
    pfad = f"/angebote/export.{format}?{abfrage}"
    dateien = []
    # The reference: SQL's filter, names from the link tables.
    for mit_index in (False, True):
        settings.SUCHINDEX = mit_index
        monkeypatch.setattr(tabellen, "AUS_KOPIEN", mit_index)
        dateien.append(_datei(client.get(pfad), pfad))
    assert dateien[0] == dateien[1]
    assert len(dateien[0]) >= 3


def export_nach_ids(monkeypatch):
    """A public file always made from the index's ids; the export statements it ran, recorded."""
    from atlas import tabellen

    monkeypatch.setattr(tabellen, "ANTEIL_EINGESCHRAENKT", 10**9)
    anweisungen = []
    export_sql = tabellen.export_sql

    def mitschreiben(*args, **kwargs):
        anweisungen.append(export_sql(*args, **kwargs))
        return anweisungen[-1]

    monkeypatch.setattr(tabellen, "export_sql", mitschreiben)
    return anweisungen


def test_providers_and_partners_are_read_from_the_name_index(client, monkeypatch):
    """A public file by ids reads each row's provider from the row's copy (angebote 0033) and
    looks up its partners by key: all it reads of an actor – key, status, name – is in the
    covering index akteur_name_lesen (angebote 0030), so each lookup can be an index-only scan
    (on the bench it is: bench/RESULTS-export.md)."""

    partner = AkteurFactory(name="Kita Sonnenschein")
    for nummer in range(4):
        AngebotFactory(
            titel=f"Babymassage {nummer}",
            themen=[thema("babymassage")],
            kooperationspartner=[partner] if nummer % 2 else [],
        )
    anweisungen = export_nach_ids(monkeypatch)
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv?thema=babymassage"))
    assert [(z["Titel"], z["Kooperationspartner"]) for z in zeilen] == [
        ("Babymassage 0", ""),
        ("Babymassage 1", "Kita Sonnenschein"),
        ("Babymassage 2", ""),
        ("Babymassage 3", "Kita Sonnenschein"),
    ]
    [(sql, params)] = anweisungen
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE) " + sql, params)
        plan = [zeile[0] for zeile in cursor.fetchall()]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'akteur_name_lesen'")
        [(definition,)] = cursor.fetchall()
    assert definition.endswith("USING btree (id) INCLUDE (status, name)")
    # Every actor column a node of the plan outputs, joins on or filters by (`z`: the partners'
    # names, atlas.tabellen.Kopieaufzaehlung).
    gelesen = {s for z in plan for s in re.findall(r"\b(?:akteure_akteur|z)(?:_\d+)?\.(\w+)", z)}
    assert gelesen == {"id", "status", "name"}, plan
    # No provider is read: the offering's own copy names it.
    assert not any("angebote_angebot.anbieter_id" in z for z in plan), plan


def test_a_file_by_ids_names_the_partners_as_they_are_now(client, monkeypatch, settings):
    """A public file by ids names each row's partners from its id copy (angebote 0031):
    published ones only, by name, under the name they have now."""
    from akteure.models import Akteur

    settings.SUCHINDEX = True
    zwei = AkteurFactory(name="Verein Zwei")
    eins = AkteurFactory(name="Kita Eins")
    entwurf = AkteurFactory(name="Noch geheim", status=Status.ENTWURF)
    babymassage = thema("babymassage")
    AngebotFactory(titel="Babymassage A", themen=[babymassage], kooperationspartner=[zwei, eins])
    AngebotFactory(titel="Babymassage B", themen=[babymassage], kooperationspartner=[entwurf])
    AngebotFactory(titel="Babymassage C", themen=[babymassage])
    AngebotFactory(titel="Babymassage D", themen=[babymassage], kooperationspartner=[entwurf, zwei])
    Akteur.objects.filter(pk=zwei.pk).update(name="Verein Zwo")  # no trigger needed
    anweisungen = export_nach_ids(monkeypatch)
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv?thema=babymassage"))
    assert [(z["Titel"], z["Kooperationspartner"]) for z in zeilen] == [
        ("Babymassage A", "Kita Eins, Verein Zwo"),
        ("Babymassage B", ""),
        ("Babymassage C", ""),
        ("Babymassage D", "Verein Zwo"),
    ]
    [(sql, _params)] = anweisungen
    assert "kooperationspartner_ids" in sql  # named from the copy, not the link table
    assert "angebote_angebot_kooperationspartner" not in sql


def test_an_export_by_ids_names_every_language_and_keeps_the_lists_order(client, monkeypatch):
    from atlas import tabellen

    monkeypatch.setattr(tabellen, "ANTEIL_EINGESCHRAENKT", 10**9)
    sechs = [sprache(c) for c in ("uk", "de", "tr", "ar", "en", "ru")]
    AngebotFactory(titel="B Sprachcafé", sprachen=sechs, themen=[thema("babymassage")])
    AngebotFactory(titel="A Ohne Sprache", sprachen=[], themen=[thema("babymassage")])
    AngebotFactory(titel="C Andere", themen=[thema("geburtsvorbereitung")])
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv", {"thema": "babymassage"}))
    assert [(z["Titel"], z["Sprachen"], z["Themen"]) for z in zeilen] == [
        ("A Ohne Sprache", "", "Babymassage"),
        (
            "B Sprachcafé",
            "Deutsch, Englisch, Türkisch, Arabisch, Ukrainisch, Russisch",  # by id
            "Babymassage",
        ),
    ]


def test_an_export_by_ids_reads_only_the_given_rows_in_their_order(db):
    """export_sql with `ids`: those rows (published ones, by the queryset's own conditions),
    in the order given, their languages named from the id copy."""
    from django.db import connection as verbindung
    from django.test import RequestFactory

    from angebote.exports import ANGEBOTE
    from angebote.views import veroeffentlichte_angebote
    from atlas.tabellen import export_sql

    a = AngebotFactory(titel="A", sprachen=[sprache("tr"), sprache("de")])
    b = AngebotFactory(titel="B")
    entwurf = AngebotFactory(titel="Entwurf", status=Status.ENTWURF)
    c, d, e = (AngebotFactory(titel=titel) for titel in "CDE")
    anfrage = RequestFactory().get("/")
    anfrage.user = AnonymousUser()
    spalten = ANGEBOTE.spalten(anfrage, intern=False)
    # Neither the keys' order nor its reverse: each row's place comes from the list.
    ids = [d.pk, b.pk, entwurf.pk, e.pk, a.pk, c.pk]
    sql, params = export_sql(veroeffentlichte_angebote(), spalten, ids=ids)
    with verbindung.cursor() as cursor:
        cursor.execute(sql, params)
        zeilen = cursor.fetchall()
    sprachen = [s.titel for s in spalten].index("Sprachen")
    assert [(z[0], z[sprachen]) for z in zeilen] == [
        ("D", None),
        ("B", None),
        ("E", None),
        ("A", "Deutsch, Türkisch"),
        ("C", None),
    ]
    # A numpy array (the search index's ids) gives the same rows.
    sql, params = export_sql(veroeffentlichte_angebote(), spalten, ids=np.array(ids))
    with verbindung.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchall() == zeilen


# Texts for every text column: formula-like starts, markup and XML's special characters, the
# CSV separators, line breaks, control characters, Arabic, umlauts, a backslash, U+FFFE.
SCHWIERIGE_TEXTE = [
    "=SUMME(A1:A2)",
    "+49 711 123",
    "-1+1",
    "@Verweis",
    'Müttercafé & <Väter> "Zitat"; Semikolon, Komma',
    "مقهى الأمهات والآباء",
    "Zeile 1\nZeile 2\r\nZeile 3\tmit Tab",
    "Klingel\x07 und \x0bVertikaltab",
    "Backslash \\ und &amp; schon maskiert",
    "U+FFFE\ufffe weg",
    "  Leerzeichen  ",
]
TEXTFELDER = [
    "titel",
    "kosten_hinweis",
    "anmeldung_hinweis",
    "barrierefreiheit",
    "strasse",
    "ort",
    "regelmaessige_zeiten",
    "kontakt_name",
    "kontakt_email",
    "kontakt_telefon",
    "beschreibung",
]


@pytest.fixture
def schwierige_angebote(db):
    """Offerings whose every text column holds each of SCHWIERIGE_TEXTE once, one with every
    optional value empty, and one description beyond Excel's 32,767 characters."""
    from angebote.models import Angebot
    from tests.factories import NetzwerkFactory, SozialraumFactory, zielgruppe

    laenge = {f: Angebot._meta.get_field(f).max_length for f in TEXTFELDER}
    anzahl = len(SCHWIERIGE_TEXTE)
    for i in range(anzahl):
        text = SCHWIERIGE_TEXTE[i]
        werte = {
            feld: SCHWIERIGE_TEXTE[(i + k) % anzahl][: laenge[feld]]
            for k, feld in enumerate(TEXTFELDER)
        }
        AngebotFactory(
            **werte,
            slug=f"schwierig-{i}",
            plz="01067",  # five digits (a constraint); a text keeps its leading zero
            anbieter=AkteurFactory(name=text),
            netzwerk=NetzwerkFactory(name=SCHWIERIGE_TEXTE[(i + 1) % anzahl]),
            format=[Format.KURS, Format.ONLINE, Format.OFFENER_TREFF][i % 3],
            kosten=[Kosten.KOSTENLOS, Kosten.KOSTENBEITRAG][i % 2],
            alter_von_monate=-9 + i,
            alter_bis_monate=None if i % 2 else 72,
            gueltig_von=datetime.date(2026, 1, 1 + i),
            kinderbetreuung=bool(i % 2),
            anmeldung_erforderlich=not i % 3,
            sprachen=[sprache("ar"), sprache("de")][: i % 3],
            themen=[thema("schwangerschaft-geburt"), thema("babymassage")][: 1 + i % 2],
            zielgruppen=[zielgruppe("eltern")] if i % 2 else [],
            kooperationspartner=[AkteurFactory(name=SCHWIERIGE_TEXTE[(i + 2) % anzahl])],
            einzugsgebiet=[SozialraumFactory(name=SCHWIERIGE_TEXTE[(i + 3) % anzahl])],
            standort=None if i % 4 == 3 else OSTFILDERN,
        )
    AngebotFactory(
        titel="Leer",
        slug="leer",
        beschreibung="",
        alter_von_monate=None,
        alter_bis_monate=None,
        standort=None,
        format=Format.ONLINE,
    )
    AngebotFactory(titel="Lang", slug="lang", beschreibung="Ä&" * 20_000)


def _blatt(datei):
    with zipfile.ZipFile(datei) as paket:
        return paket.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("intern", [False, True])
def test_xlsx_rows_escaped_in_blocks_are_the_per_cell_writers_bytes(
    rf, schwierige_angebote, intern
):
    """xlsx_werte escapes COPY's blocks for XML as a whole (xml_sicher) and the writer leaves
    the texts alone: the sheet is byte for byte the one written from the plain values with
    each text escaped on its own (the writer before Session 9), for every column."""
    import csv as csv_modul

    from angebote.exports import ANGEBOTE
    from angebote.views import veroeffentlichte_angebote
    from atlas import tabellen
    from tests.factories import UserFactory

    anfrage = rf.get("/angebote/export.xlsx")
    anfrage.user = UserFactory(is_superuser=True, is_staff=True) if intern else AnonymousUser()
    spalten = ANGEBOTE.spalten(anfrage, intern=intern)
    angebote = (
        ANGEBOTE.intern_queryset(anfrage.user) if intern else veroeffentlichte_angebote()
    ).order_by("titel", "pk")
    block = ["Angebote", "Filter: keine"]

    neu = io.BytesIO()
    anzahl = tabellen.xlsx_schreiben(
        neu,
        titel="Angebote",
        kopfblock=block,
        spalten=spalten,
        zeilen=tabellen.xlsx_werte(angebote, spalten),
        maskiert=True,
    )
    roh = (
        str(b, "utf-8") for b in tabellen.kopie(angebote, spalten, "xlsx")
    )  # one record per block, unescaped
    referenz = io.BytesIO()
    tabellen.xlsx_schreiben(
        referenz,
        titel="Angebote",
        kopfblock=block,
        spalten=spalten,
        zeilen=csv_modul.reader(roh, delimiter=tabellen.TRENNER["xlsx"]),
    )
    assert anzahl == len(SCHWIERIGE_TEXTE) + 2
    assert _blatt(neu) == _blatt(referenz)

    # And what a spreadsheet reads: the texts whole, neutralised, without what XML forbids.
    zeilen = {}
    for zeile in openpyxl.load_workbook(neu).active.iter_rows(min_row=4, values_only=True):
        zeilen[zeile[0]] = zeile
    kopf = list(zeilen.pop("Titel"))
    erwartet = {
        "=SUMME(A1:A2)": "'=SUMME(A1:A2)",
        "+49 711 123": "'+49 711 123",
        "-1+1": "'-1+1",
        "@Verweis": "'@Verweis",
        "Zeile 1\nZeile 2\r\nZeile 3\tmit Tab": "Zeile 1\nZeile 2\r\nZeile 3\tmit Tab",
        "Klingel\x07 und \x0bVertikaltab": "Klingel und Vertikaltab",
        "U+FFFE\ufffe weg": "U+FFFE weg",
    }
    for text in SCHWIERIGE_TEXTE:
        (zeile,) = [
            z for z in zeilen.values() if z[kopf.index("Anbieter")] in (text, erwartet.get(text))
        ]
        assert zeile[kopf.index("Anbieter")] == erwartet.get(text, text)
    assert zeilen["Lang"][kopf.index("Beschreibung")] == ("Ä&" * 20_000)[:32_767]
    leer = zeilen["Leer"]
    assert [leer[kopf.index(n)] for n in ("Beschreibung", "Alter von (Monate)", "Sprachen")] == [
        None,
        None,
        None,
    ]


def test_xml_sicher_escapes_whole_csv_blocks_like_each_text():
    """On COPY's bytes as a whole: what XML_TABELLE does to each text, and the CSV intact."""
    import csv as csv_modul

    from atlas.tabellen import TRENNER, XML_TABELLE, xml_sicher

    werte = [*SCHWIERIGE_TEXTE, "", "a\tb", 'x"y']
    zeile = io.StringIO(newline="")
    csv_modul.writer(zeile, delimiter=TRENNER["xlsx"], lineterminator="\n").writerow(werte)
    (gelesen,) = csv_modul.reader(
        io.StringIO(xml_sicher(zeile.getvalue().encode()).decode(), newline=""),
        delimiter=TRENNER["xlsx"],
    )
    assert gelesen == [w.translate(XML_TABELLE) for w in werte]


def test_a_text_of_only_forbidden_characters_is_no_xlsx_cell(client):
    """XML allows no BEL or backspace: they are dropped, and a text of nothing else leaves no
    cell (before Session 9 an empty text cell). CSV keeps the text as it is."""
    AngebotFactory(titel="Steuerzeichen", kontakt_name="\x07\x08")
    *_rest, (zeile,) = xlsx_tabelle(client.get("/angebote/export.xlsx"))
    assert zeile["Titel"] == "Steuerzeichen" and zeile["Ansprechperson"] is None
    _kopf, (csv_zeile,) = csv_tabelle(client.get("/angebote/export.csv"))
    assert csv_zeile["Ansprechperson"] == "\x07\x08"


@pytest.mark.parametrize(
    "pfad",
    [
        "/angebote/export.csv?intern=1",
        "/angebote/export.xlsx?intern=1",
        "/angebote/export.geojson?intern=1",
        "/admin/angebote/angebot/export.csv",
        "/admin/angebote/angebot/export.xlsx",
    ],
)
def test_staff_files_name_each_languages_translations_and_provenance(client, monkeypatch, pfad):
    """The translation columns (a text per language and field) and the provenance of each
    language (that of its first translation with a translator's name, else its first, by
    field name), cell for cell in every staff file, whichever shape the query takes
    (atlas.tabellen.export_sql: one relation over the translations, aggregated by record)."""
    from atlas import tabellen
    from atlas.uebersetzung import Herkunft, zielsprachen
    from tests.factories import UserFactory
    from tests.test_mehrsprachig import uebersetzen

    a = AngebotFactory(titel="A Elterncafé", beschreibung="Eltern treffen sich.")
    b = AngebotFactory(titel="B Stillcafé", beschreibung="Mütter treffen sich.")
    AngebotFactory(titel="C Ohne Übersetzung")
    # Turkish: the first field by name (beschreibung) has no translator's name, the later one
    # has: the file names the later one's provenance.
    uebersetzen(a, "beschreibung", "tr", "Ebeveynler buluşur.", herkunft=Herkunft.ANBIETER)
    uebersetzen(a, "titel", "tr", "Veli kafesi", uebersetzt_von="Ayşe Yılmaz", geprueft=True)
    # Arabic: one field, machine-made, no name, unchecked.
    uebersetzen(a, "titel", "ar", "مقهى الأهل", herkunft=Herkunft.MASCHINELL)
    # Ukrainian: both without a name: the first by field name.
    uebersetzen(a, "beschreibung", "uk", "Батьки зустрічаються.", geprueft=True)
    uebersetzen(a, "titel", "uk", "Батьківське кафе", herkunft=Herkunft.ANBIETER)
    # The other offering: a text a spreadsheet would run as a formula, and two named ones.
    uebersetzen(b, "titel", "tr", "-Emzirme kafesi", uebersetzt_von="Olena", geprueft=True)
    uebersetzen(b, "beschreibung", "tr", "Anneler buluşur.", uebersetzt_von="Darya")
    uebersetzen(b, "anmeldung_hinweis", "fa", "ثبت نام لازم نیست.", herkunft=Herkunft.ANBIETER)

    def sprache_leer():
        return {"texte": {}, "von": "", "durch": "", "geprueft": ""}

    erwartet = {t: {c: sprache_leer() for c, _n in zielsprachen()} for t in ("A", "B", "C")}
    erwartet["A"]["tr"] = {
        "texte": {"Titel": "Veli kafesi", "Beschreibung": "Ebeveynler buluşur."},
        "von": "Ayşe Yılmaz",
        "durch": "Übersetzer:in",
        "geprueft": "ja",
    }
    erwartet["A"]["ar"] = {
        "texte": {"Titel": "مقهى الأهل"},
        "von": "",
        "durch": "maschinell",
        "geprueft": "nein",
    }
    erwartet["A"]["uk"] = {
        "texte": {"Titel": "Батьківське кафе", "Beschreibung": "Батьки зустрічаються."},
        "von": "",
        "durch": "Übersetzer:in",
        "geprueft": "ja",
    }
    erwartet["B"]["tr"] = {
        "texte": {"Titel": "-Emzirme kafesi", "Beschreibung": "Anneler buluşur."},
        "von": "Darya",  # beschreibung before titel, both named
        "durch": "Übersetzer:in",
        "geprueft": "nein",
    }
    erwartet["B"]["fa"] = {
        "texte": {"So melden Sie sich an": "ثبت نام لازم نیست."},
        "von": "",
        "durch": "Anbieter",
        "geprueft": "nein",
    }
    felder = [
        "Titel",
        "Beschreibung",
        "Regelmäßige Zeiten",
        "Hinweis zu den Kosten",
        "So melden Sie sich an",
    ]
    geojson_namen = dict(
        zip(
            felder,
            [
                "titel",
                "beschreibung",
                "regelmaessige_zeiten",
                "kosten_hinweis",
                "anmeldung_hinweis",
            ],
            strict=True,
        )
    )

    def zellen(format):
        """The expected cells as the format gives them, by header (GeoJSON: property)."""
        ergebnis = {}
        for titel, sprachen in erwartet.items():
            zeile = {}
            for code, angaben in sprachen.items():
                for feld in felder:
                    text = angaben["texte"].get(feld, "")
                    if format == "geojson":
                        zeile[f"{geojson_namen[feld]}_{code}"] = text or None
                    elif format == "xlsx":
                        zeile[f"{feld} [{code}]"] = neutral(text) or None
                    else:
                        zeile[f"{feld} [{code}]"] = neutral(text)
                von, durch, geprueft = angaben["von"], angaben["durch"], angaben["geprueft"]
                if format == "geojson":
                    zeile[f"uebersetzt_von_{code}"] = von if durch else None
                    zeile[f"herkunft_{code}"] = durch or None
                    zeile[f"geprueft_{code}"] = {"ja": True, "nein": False}.get(geprueft)
                elif format == "xlsx":
                    zeile[f"Übersetzt von [{code}]"] = von or None
                    zeile[f"Übersetzt durch [{code}]"] = durch or None
                    zeile[f"Geprüft [{code}]"] = {"ja": True, "nein": False}.get(geprueft)
                else:
                    zeile[f"Übersetzt von [{code}]"] = von
                    zeile[f"Übersetzt durch [{code}]"] = durch
                    zeile[f"Geprüft [{code}]"] = geprueft
            ergebnis[titel] = zeile
        return ergebnis

    format = pfad.split("?")[0].rsplit(".", 1)[1]
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for anteil in (0, 10**9):  # the whole translation table / the export's rows only
        monkeypatch.setattr(tabellen, "ANTEIL_EINGESCHRAENKT", anteil)
        antwort = client.get(pfad)
        assert antwort.status_code == 200
        if format == "geojson":
            zeilen = [m["properties"] for m in geojson(antwort)["features"]]
            titel = "titel"
        elif format == "xlsx":
            zeilen, titel = xlsx_tabelle(antwort)[3], "Titel"
        else:
            zeilen, titel = csv_tabelle(antwort)[1], "Titel"
        gelesen = {
            z[titel][0]: {k: v for k, v in z.items() if k in zellen(format)["A"]} for z in zeilen
        }
        assert gelesen == zellen(format)
