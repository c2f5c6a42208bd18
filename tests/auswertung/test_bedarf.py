"""Gap analysis and population figures (issue 14, point 2)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.files.uploadedfile import SimpleUploadedFile

from atlas.rollen import JUGENDAMT, KOORDINATION, REDAKTION
from auswertung.models import Bevoelkerung
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


def als(client, rolle):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=rolle))
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
