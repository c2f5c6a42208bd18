"""Gap analysis and population figures (issue 14, point 2)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from akteure.models import Amtsbereich, Sozialraum
from atlas.models import Exportprotokoll
from atlas.rollen import JUGENDAMT, KOORDINATION, REDAKTION
from auswertung.models import Bevoelkerung
from tests.exportdateien import csv_zeilen, xlsx_tabelle
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    SozialraumFactory,
    UserFactory,
    sprache,
)
from tests.seiten import text

pytestmark = pytest.mark.django_db


def box(x0, y0, x1, y1):
    return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))))


@pytest.fixture
def stadt():
    """Stadt with Nord (2 offerings: 0–1 free, 3–6 with a fee) and Süd (6–10, Arabic)."""
    stadt = SozialraumFactory(name="Stadt", slug="stadt")
    nord = SozialraumFactory(
        name="Nord", slug="nord", ebene="stadtteil", uebergeordnet=stadt, flaeche=box(9, 49, 10, 50)
    )
    sued = SozialraumFactory(
        name="Süd", slug="sued", ebene="stadtteil", uebergeordnet=stadt, flaeche=box(9, 48, 10, 49)
    )
    # No point, no PLZ: the Sozialraum alone says where the provider is; home visits need no
    # place of their own.
    in_nord = AkteurFactory(sozialraum=nord, standort=None, plz="")
    in_sued = AkteurFactory(sozialraum=sued, standort=None, plz="")
    besuch = {"format": "hausbesuch"}
    AngebotFactory(anbieter=in_nord, alter_von_monate=1, alter_bis_monate=11, **besuch)
    AngebotFactory(
        anbieter=in_nord, alter_von_monate=40, alter_bis_monate=60, kosten="kostenbeitrag", **besuch
    )
    AngebotFactory(
        anbieter=in_sued,
        alter_von_monate=80,
        alter_bis_monate=100,
        sprachen=[sprache("ar")],
        **besuch,
    )
    AngebotFactory(
        anbieter=in_sued, alter_von_monate=80, alter_bis_monate=100, status="entwurf", **besuch
    )
    Bevoelkerung.objects.create(sozialraum=nord, lebensphase="0-1", jahr=2024, anzahl=100)
    Bevoelkerung.objects.create(sozialraum=nord, lebensphase="0-1", jahr=2025, anzahl=200)
    Bevoelkerung.objects.create(sozialraum=sued, lebensphase="0-1", jahr=2025, anzahl=50, demo=True)
    return stadt


def als(client, rolle, bereich=("stadt",)):
    """Log in a new account of `rolle`; a Jugendamt account covers the areas `bereich`."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name=rolle))
    if rolle == JUGENDAMT:
        Amtsbereich.objects.create(user=user).regionen.set(
            Sozialraum.objects.filter(slug__in=bereich)
        )
    client.force_login(user)
    return user


def tabelle(antwort):
    seite = antwort.content.decode()
    rumpf = re.search(r'<table class="datentabelle bedarf">.*?<tbody>(.*?)</tbody>', seite, re.S)
    return [
        [text(z) for z in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", zeile, re.S)]
        for zeile in re.findall(r"<tr>(.*?)</tr>", rumpf.group(1), re.S)
    ]


def test_counts_per_life_phase_and_area_with_rates_and_marks(client, stadt):
    als(client, JUGENDAMT)
    antwort = client.get("/auswertung/bedarf/?region=stadt")
    assert antwort.status_code == 200
    assert tabelle(antwort) == [
        ["Schwangerschaft & Geburt", "0 Lücke", "0 Lücke", "0 Lücke"],
        ["0–1 Jahr", "1 wenig 5,0 je 1.000", "0 Lücke 0,0 je 1.000*", "1 wenig"],
        ["1–3 Jahre", "0 Lücke", "0 Lücke", "0 Lücke"],
        ["3–6 Jahre (Kita)", "1 wenig", "0 Lücke", "1 wenig"],
        ["6–10 Jahre (Grundschule)", "0 Lücke", "1 wenig", "1 wenig"],
        ["10–16 Jahre", "0 Lücke", "0 Lücke", "0 Lücke"],
        ["16–27 Jahre (Übergang Schule–Beruf)", "0 Lücke", "0 Lücke", "0 Lücke"],
    ]
    seite = antwort.content.decode()
    assert "Demozahlen:" in seite
    assert '<a href="/angebote/?sozialraum=nord&amp;phase=0-1">1</a>' in seite


def test_filters_narrow_the_counts_and_go_into_the_links(client, stadt):
    als(client, REDAKTION)
    antwort = client.get("/auswertung/bedarf/?region=stadt&kostenlos=on&sprache=ar")
    zeilen = tabelle(antwort)
    assert [z[3] for z in zeilen] == [
        "0 Lücke",
        "0 Lücke",
        "0 Lücke",
        "0 Lücke",
        "1 wenig",
        "0 Lücke",
        "0 Lücke",
    ]
    assert (
        '<a href="/angebote/?sozialraum=sued&amp;phase=6-10&amp;kostenlos=on&amp;sprache=ar">1</a>'
        in antwort.content.decode()
    )


def test_choropleth_over_the_boundaries(client, stadt):
    als(client, JUGENDAMT)
    seite = client.get("/auswertung/bedarf/?region=stadt&karte=6-10&mass=anzahl").content.decode()
    pfade = re.findall(r'<path class="flaeche ([^"]+)" d="[^"]+"><title>(.*?)</title>', seite)
    # Four classes of equal width between the smallest and the largest value.
    assert pfade == [("stufe-0", "Nord: 0"), ("stufe-3", "Süd: 1")]
    seite = client.get("/auswertung/bedarf/?region=stadt&karte=0-1&mass=je_1000").content.decode()
    pfade = re.findall(r'<path class="flaeche ([^"]+)" d="[^"]+"><title>(.*?)</title>', seite)
    assert pfade == [("stufe-3", "Nord: 5"), ("stufe-0", "Süd: 0")]


def test_bad_parameters_give_german_messages(client, stadt):
    als(client, JUGENDAMT)
    antwort = client.get("/auswertung/bedarf/?region=atlantis&format=zauberei&karte=99")
    assert antwort.status_code == 400
    kasten = re.search(
        r'<div class="hinweis--fehler" role="alert">(.*?)</div>', antwort.content.decode(), re.S
    )
    assert [text(m) for m in re.findall(r"<li>(.*?)</li>", kasten.group(1))] == [
        "Die Region „atlantis“ gibt es nicht. Bitte wählen Sie eine Region aus der Liste.",
        "Format: Bitte eine gültige Auswahl treffen. zauberei ist keine gültige Auswahl.",
        "Diese Kennzahl für die Karte gibt es nicht.",
    ]


def test_access_for_jugendamt_and_redaktion_or_public_by_setting(client, stadt, settings):
    antwort = client.get("/auswertung/bedarf/?region=stadt")
    assert antwort.status_code == 302 and antwort["Location"].startswith("/admin/login/")
    als(client, KOORDINATION)
    antwort = client.get("/auswertung/bedarf/?region=stadt")
    assert antwort.status_code == 403
    assert "Ihrem Konto fehlt diese Rolle." in antwort.content.decode()
    client.logout()
    settings.BEDARF_OEFFENTLICH = True
    assert client.get("/auswertung/bedarf/?region=stadt").status_code == 200


def hochladen(client, inhalt):
    datei = SimpleUploadedFile("zahlen.csv", inhalt.encode("utf-8"), content_type="text/csv")
    return client.post("/admin/auswertung/bevoelkerung/importieren/", {"datei": datei})


def importfehler(antwort):
    return [
        text(m)
        for m in re.findall(
            r"<li>(.*?)</li>",
            antwort.content.decode().split('class="importfehler"')[1].split("</ul>")[0],
        )
    ]


def test_jugendamt_imports_population_from_csv(client, stadt):
    als(client, JUGENDAMT)
    antwort = hochladen(
        client, "sozialraum;lebensphase;anzahl;jahr\nnord;0-1;250;2025\nsued;3-6;1.200;2025\n"
    )
    assert antwort.status_code == 302
    assert sorted(
        Bevoelkerung.objects.filter(jahr=2025).values_list(
            "sozialraum__slug", "lebensphase", "anzahl", "demo"
        )
    ) == [("nord", "0-1", 250, False), ("sued", "0-1", 50, True), ("sued", "3-6", 1200, False)]


def test_wrong_csv_changes_nothing_and_says_why(client, stadt):
    als(client, JUGENDAMT)
    vorher = list(Bevoelkerung.objects.values_list("pk", "anzahl"))
    antwort = hochladen(client, "")
    assert antwort.status_code == 400 and importfehler(antwort) == ["Die Datei ist leer."]
    antwort = hochladen(client, "raum;phase;anzahl\nnord;0-1;3\n")
    assert importfehler(antwort) == [
        "Es fehlen die Spalten: sozialraum, lebensphase, jahr. Erwartet werden: sozialraum, "
        "lebensphase, anzahl, jahr.",
        "Unbekannte Spalten: raum, phase.",
    ]
    antwort = hochladen(client, "sozialraum;lebensphase;anzahl;jahr\n")
    assert importfehler(antwort) == ["Die Datei enthält keine Datenzeilen, nur die Kopfzeile."]
    antwort = hochladen(
        client, "sozialraum,lebensphase,anzahl,jahr\nnord,0-1,999,2025\nmond,0-2,viele,25\n"
    )
    assert importfehler(antwort) == [
        "Zeile 3: Sozialraum „mond“ gibt es nicht (Kurzname erwartet).",
        "Zeile 3: Lebensphase „0-2“ gibt es nicht; erlaubt sind schwangerschaft, 0-1, 1-3, 3-6, "
        "6-10, 10-16, 16-27.",
        "Zeile 3: Anzahl „viele“ ist keine ganze Zahl ≥ 0.",
        "Zeile 3: Jahr „25“ ist kein Jahr zwischen 1990 und 2100.",
    ]
    assert list(Bevoelkerung.objects.values_list("pk", "anzahl")) == vorher


def test_coordinators_cannot_import_population(client, stadt):
    als(client, KOORDINATION)
    assert (
        hochladen(client, "sozialraum;lebensphase;anzahl;jahr\nnord;0-1;1;2025\n").status_code
        == 403
    )


def kopf_ohne_zeit(block):
    """The header block with the export's date and time replaced by a placeholder."""
    return [
        re.sub(r"^(# )?Exportiert am \d\d\.\d\d\.\d{4} um \d\d:\d\d Uhr$", r"\1Exportiert am …", z)
        for z in block
    ]


BEDARF_KOPF = [
    "Lebensphase",
    "Nord: Angebote",
    "Nord: je 1.000 Kinder",
    "Nord: Markierung",
    "Süd: Angebote",
    "Süd: je 1.000 Kinder",
    "Süd: Markierung",
    "ganz Stadt: Angebote",
    "ganz Stadt: je 1.000 Kinder",
    "ganz Stadt: Markierung",
]


def test_table_as_csv_with_the_cells_of_the_page(client, stadt):
    user = als(client, JUGENDAMT)
    antwort = client.get("/auswertung/bedarf.csv?region=stadt")
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "text/csv; charset=utf-8"
    heute = timezone.localdate().isoformat()
    assert antwort["Content-Disposition"] == (
        f'attachment; filename="bedarfsanalyse-stadt-{heute}.csv"'
    )
    zeilen = csv_zeilen(antwort)
    assert kopf_ohne_zeit([z[0] for z in zeilen[:6]]) == [
        "# Bedarfsanalyse: Stadt",
        "# Exportiert am …",
        "# Filter: Region: Stadt",
        "# Nur veröffentlichte Einträge und öffentliche Angaben.",
        "# Bevölkerungszahlen: 2025.",
        "# Demozahlen: Die Bevölkerungszahlen dieser Region sind erfundene Beispielzahlen, "
        "keine amtliche Statistik.",
    ]
    assert re.fullmatch(r"# Exportiert am \d\d\.\d\d\.\d{4} um \d\d:\d\d Uhr", zeilen[1][0])
    assert zeilen[6:] == [
        BEDARF_KOPF,
        ["Schwangerschaft & Geburt", "0", "", "Lücke", "0", "", "Lücke", "0", "", "Lücke"],
        ["0–1 Jahr", "1", "5,0", "wenig", "0", "0,0", "Lücke", "1", "", "wenig"],
        ["1–3 Jahre", "0", "", "Lücke", "0", "", "Lücke", "0", "", "Lücke"],
        ["3–6 Jahre (Kita)", "1", "", "wenig", "0", "", "Lücke", "1", "", "wenig"],
        ["6–10 Jahre (Grundschule)", "0", "", "Lücke", "1", "", "wenig", "1", "", "wenig"],
        ["10–16 Jahre", "0", "", "Lücke", "0", "", "Lücke", "0", "", "Lücke"],
        [
            "16–27 Jahre (Übergang Schule–Beruf)",
            "0",
            "",
            "Lücke",
            "0",
            "",
            "Lücke",
            "0",
            "",
            "Lücke",
        ],
    ]
    # A staff export is written to the export log, as the lists' exports are.
    assert list(
        Exportprotokoll.objects.values_list("benutzer", "liste", "format", "filter", "intern")
    ) == [(user.pk, "Bedarfsanalyse", "csv", "Region: Stadt", False)]


def test_table_as_xlsx_with_filters_and_typed_cells(client, stadt):
    als(client, REDAKTION)
    antwort = client.get("/auswertung/bedarf.xlsx?region=stadt&kostenlos=on&sprache=ar")
    assert antwort.status_code == 200
    blatt, block, kopf, zeilen = xlsx_tabelle(antwort)
    assert blatt.title == "Bedarfsanalyse  Stadt"
    assert kopf_ohne_zeit(block) == [
        "Bedarfsanalyse: Stadt",
        "Exportiert am …",
        "Filter: Region: Stadt; Sprache: Arabisch; kostenlos: ja",
        "Nur veröffentlichte Einträge und öffentliche Angaben.",
        "Bevölkerungszahlen: 2025.",
        "Demozahlen: Die Bevölkerungszahlen dieser Region sind erfundene Beispielzahlen, "
        "keine amtliche Statistik.",
    ]
    assert kopf == BEDARF_KOPF
    assert [list(z.values()) for z in zeilen] == [
        ["Schwangerschaft & Geburt", 0, None, "Lücke", 0, None, "Lücke", 0, None, "Lücke"],
        ["0–1 Jahr", 0, 0, "Lücke", 0, 0, "Lücke", 0, None, "Lücke"],
        ["1–3 Jahre", 0, None, "Lücke", 0, None, "Lücke", 0, None, "Lücke"],
        ["3–6 Jahre (Kita)", 0, None, "Lücke", 0, None, "Lücke", 0, None, "Lücke"],
        ["6–10 Jahre (Grundschule)", 0, None, "Lücke", 1, None, "wenig", 1, None, "wenig"],
        ["10–16 Jahre", 0, None, "Lücke", 0, None, "Lücke", 0, None, "Lücke"],
        [
            "16–27 Jahre (Übergang Schule–Beruf)",
            0,
            None,
            "Lücke",
            0,
            None,
            "Lücke",
            0,
            None,
            "Lücke",
        ],
    ]
    # Without filters the rate per 1,000 children is a number in the cell (5.0 for Nord, 0–1).
    _blatt, _block, _kopf, zeilen = xlsx_tabelle(client.get("/auswertung/bedarf.xlsx?region=stadt"))
    assert list(zeilen[1].values()) == ["0–1 Jahr", 1, 5, "wenig", 0, 0, "Lücke", 1, None, "wenig"]
    assert [p.format for p in Exportprotokoll.objects.order_by("pk")] == ["xlsx", "xlsx"]


def test_page_links_the_files_with_its_filters(client, stadt):
    als(client, JUGENDAMT)
    seite = client.get("/auswertung/bedarf/?region=stadt&kostenlos=on&karte=3-6").content.decode()
    assert (
        '<a href="/auswertung/bedarf.csv?region=stadt&amp;kostenlos=on" download>CSV (Excel)</a>'
        in seite
    )
    assert (
        '<a href="/auswertung/bedarf.xlsx?region=stadt&amp;kostenlos=on" download>XLSX</a>' in seite
    )


def test_file_with_bad_parameters_is_a_german_message_and_nothing_logged(client, stadt):
    als(client, JUGENDAMT)
    for adresse, meldungen in [
        ("/auswertung/bedarf.csv", ["Bitte wählen Sie eine Region."]),
        (
            "/auswertung/bedarf.xlsx?region=atlantis&format=zauberei",
            [
                "Die Region „atlantis“ gibt es nicht. Bitte wählen Sie eine Region aus der Liste.",
                "Format: Bitte eine gültige Auswahl treffen. zauberei ist keine gültige Auswahl.",
            ],
        ),
    ]:
        antwort = client.get(adresse)
        assert antwort.status_code == 400
        assert antwort["Content-Type"] == "text/html; charset=utf-8"
        seite = antwort.content.decode()
        assert [
            text(m)
            for m in re.findall(r"<li>(.*?)</li>", seite.split('role="alert"')[1].split("</ul>")[0])
        ] == meldungen
    assert not Exportprotokoll.objects.exists()
    assert client.get("/auswertung/bedarf.pdf?region=stadt").status_code == 404


def test_file_access_as_the_page(client, stadt, settings):
    antwort = client.get("/auswertung/bedarf.csv?region=stadt")
    assert antwort.status_code == 302 and antwort["Location"].startswith("/admin/login/")
    als(client, KOORDINATION)
    assert client.get("/auswertung/bedarf.xlsx?region=stadt").status_code == 403
    client.logout()
    settings.BEDARF_OEFFENTLICH = True
    antwort = client.get("/auswertung/bedarf.csv?region=stadt")
    assert antwort.status_code == 200
    assert csv_zeilen(antwort)[7][:4] == ["Schwangerschaft & Geburt", "0", "", "Lücke"]
    # Anonymous downloads are not logged (no account to name).
    assert not Exportprotokoll.objects.exists()
