"""Map positions are points on the earth: the database refuses others, the admin form explains
them in German and changes nothing, and a point far from its PLZ is worth a warning."""

import importlib
import math

import pytest
from django.contrib.gis.geos import Point
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from akteure.models import Akteur, Ort, Postleitzahl
from angebote.models import Angebot
from atlas.models import Status, punkt_aus
from tests.admin_formular import formulardaten
from tests.bereich import zwei_netze
from tests.factories import AkteurFactory, AngebotFactory, PartnerschaftFactory

pytestmark = pytest.mark.django_db

ESSLINGEN = punkt_aus(48.7407, 9.3083)
NAN, UNENDLICH = math.nan, math.inf


@pytest.fixture
def eigen():
    eigen, _fremd = zwei_netze()
    return eigen


def meldungen(antwort):
    return [str(m) for m in get_messages(antwort.wsgi_request)]


def feldfehler(antwort):
    return antwort.context["adminform"].form.errors.get("standort")


# --- The database ---


@pytest.mark.parametrize(
    "punkt",
    [Point(NAN, 48.7), Point(9.3, NAN), Point(UNENDLICH, 48.7), Point(srid=4326)],
    ids=["nan-laenge", "nan-breite", "unendlich", "leer"],
)
@pytest.mark.parametrize(
    "modell, feld",
    [(Akteur, "standort"), (Angebot, "standort"), (Postleitzahl, "punkt"), (Ort, "punkt")],
)
def test_the_database_refuses_a_position_that_is_no_point_on_the_earth(modell, feld, punkt):
    punkt.srid = 4326
    AngebotFactory()  # an Akteur and an Angebot to update; places and postcodes are shipped
    with pytest.raises(IntegrityError) as fehler, transaction.atomic():
        modell.objects.filter(pk=modell.objects.first().pk).update(**{feld: punkt})
    assert "_gueltig" in str(fehler.value)


def test_the_database_keeps_valid_edge_positions():
    akteur = AkteurFactory()
    for lon, lat in [(180, 90), (-180, -90), (0, 0)]:
        Akteur.objects.filter(pk=akteur.pk).update(standort=Point(lon, lat, srid=4326))
        akteur.refresh_from_db()
        assert (akteur.standort.x, akteur.standort.y) == (lon, lat)


@pytest.mark.parametrize(
    "migration, tabelle",
    [
        ("akteure.migrations.0007_gueltige_positionen", "akteure_akteur"),
        ("angebote.migrations.0012_angebot_standort_gueltig", "angebote_angebot"),
    ],
)
def test_the_migration_repairs_positions_stored_before_the_rule(migration, tabelle):
    """Rows from before the constraint (dropped here, inside the test's transaction)."""
    anbieter = AkteurFactory()
    treff = AngebotFactory(anbieter=anbieter, titel="Treff")
    hausbesuch = AngebotFactory(anbieter=anbieter, titel="Hausbesuche", format="hausbesuch")
    constraint = tabelle.split("_")[1] + "_standort_gueltig"
    with connection.cursor() as cursor:
        # The foreign keys' deferred checks would keep the table from being altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {tabelle} DROP CONSTRAINT {constraint}")
        cursor.execute(
            f"UPDATE {tabelle} SET standort = ST_MakePoint('NaN'::float8, 48)::geography"
        )
        cursor.execute(importlib.import_module(migration).REPARATUR)
    if tabelle == "akteure_akteur":
        anbieter.refresh_from_db()
        assert anbieter.standort is None
        return
    # The provider's point is valid: the offerings take it and stay published.
    stand = {a.titel: (a.standort, a.status) for a in Angebot.objects.all()}
    assert stand == {
        "Treff": (anbieter.standort, Status.VEROEFFENTLICHT),
        "Hausbesuche": (anbieter.standort, Status.VEROEFFENTLICHT),
    }
    assert treff.pk and hausbesuch.pk


def test_an_offering_left_without_any_place_goes_back_to_draft():
    migration = importlib.import_module("angebote.migrations.0012_angebot_standort_gueltig")
    anbieter = AkteurFactory(standort=None)
    treff = AngebotFactory(anbieter=anbieter, standort=ESSLINGEN, titel="Treff")
    online = AngebotFactory(anbieter=anbieter, standort=ESSLINGEN, format="online")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE angebote_angebot DROP CONSTRAINT angebot_standort_gueltig")
        cursor.execute("UPDATE angebote_angebot SET standort = 'POINT EMPTY'::geography")
        cursor.execute(migration.REPARATUR)
    for angebot in (treff, online):
        angebot.refresh_from_db()
    assert (treff.standort, treff.status) == (None, Status.ENTWURF)
    assert (online.standort, online.status) == (None, Status.VEROEFFENTLICHT)


# --- The admin form ---

NICHT_LESBAR = "Die Position ist kein Punkt auf der Erde. Bitte setzen Sie die Markierung neu."
KEINE_ZAHL = (
    "Die Position enthält keine gültige Zahl (z. B. eine unendlich große). Bitte setzen Sie die "
    "Markierung neu."
)
FALSCHE_EINGABEN = [
    ('{"type": "Point", "coordinates": [1e309, 48.7]}', [KEINE_ZAHL]),
    ("SRID=4326;POINT (NaN 48.7)", [KEINE_ZAHL]),
    (
        '{"type": "Point", "coordinates": [9.3, 91]}',
        [
            "Die Breite muss zwischen −90 und 90 Grad liegen, nicht 91.",
            "Sind Breite und Länge vertauscht?",
        ],
    ),
    (
        '{"type": "Point", "coordinates": [190, 48.7]}',
        ["Die Länge muss zwischen −180 und 180 Grad liegen, nicht 190."],
    ),
    (
        '{"type": "Point", "coordinates": [9.3, 48.7, 250]}',
        ["Die Position braucht genau zwei Zahlen – Länge und Breite, keine Höhe."],
    ),
    ("POINT EMPTY", ["Die Position ist leer. Bitte setzen Sie die Markierung auf der Karte."]),
    ('{"type": "Point", "coordinates": []}', [NICHT_LESBAR]),
    ('{"type": "Point"}', [NICHT_LESBAR]),
    ("irgendwo", [NICHT_LESBAR]),
    (
        '{"type": "LineString", "coordinates": [[9.3, 48.7], [9.4, 48.8]]}',
        ["Die Position muss ein einzelner Punkt sein."],
    ),
]


@pytest.mark.parametrize("eingabe, erwartet", FALSCHE_EINGABEN)
def test_a_wrong_position_is_explained_and_changes_nothing(client, eigen, eingabe, erwartet):
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    vorher = Akteur.objects.get(pk=eigen.akteur.pk).standort
    antwort = client.post(url, formulardaten(client.get(url), standort=eingabe, telefon="0711 9"))
    assert antwort.status_code == 200
    assert feldfehler(antwort) == erwartet
    eigen.akteur.refresh_from_db()
    assert (eigen.akteur.standort, eigen.akteur.telefon) == (vorher, "")


@pytest.mark.parametrize("eingabe, erwartet", FALSCHE_EINGABEN[:3])
def test_a_new_offering_with_a_wrong_position_is_not_created(client, eigen, eingabe, erwartet):
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_add")
    daten = formulardaten(
        client.get(url),
        titel="Spielplatztreff",
        slug="spielplatztreff",
        anbieter=eigen.akteur.pk,
        format="offener_treff",
        status=Status.ENTWURF,
        standort=eingabe,
    )
    antwort = client.post(url, daten)
    assert antwort.status_code == 200
    assert feldfehler(antwort) == erwartet
    assert not Angebot.objects.filter(slug="spielplatztreff").exists()


def test_an_empty_position_field_means_no_position(client, eigen):
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    antwort = client.post(url, formulardaten(client.get(url), standort="  "))
    assert antwort.status_code == 302
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.standort is None


# --- Far from the PLZ: a warning, not an error ---

WARNUNG = (
    "Die Position von „Familienzentrum Amsel“ liegt {km} km vom Mittelpunkt der PLZ 73728 "
    "entfernt. Bitte prüfen Sie die Markierung auf der Karte und die Postleitzahl."
)


@pytest.mark.parametrize(
    "lat, lon, erwartet",
    [
        # Latitude and longitude swapped: Esslingen's numbers, in the Arabian Sea.
        (
            9.3083,
            48.7407,
            [WARNUNG.format(km=5712) + " Breite und Länge scheinen vertauscht zu sein."],
        ),
        (48.75, 8.80, [WARNUNG.format(km=37)]),  # Baden-Baden's side of the Black Forest
        (48.9, 9.6, []),  # 28 km: still within the threshold
        (48.7407, 9.3083, []),
    ],
)
def test_a_point_far_from_its_plz_is_saved_with_a_warning(client, eigen, lat, lon, erwartet):
    eigen.akteur.plz = "73728"
    eigen.akteur.save()
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    punkt = punkt_aus(lat, lon)
    antwort = client.post(url, formulardaten(client.get(url), standort=punkt.ewkt))
    assert antwort.status_code == 302
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.standort.equals_exact(punkt, 1e-9)
    assert [m for m in meldungen(antwort) if "Mittelpunkt der PLZ" in m] == erwartet


def test_an_edit_elsewhere_does_not_repeat_the_warning(client, eigen):
    Akteur.objects.filter(pk=eigen.akteur.pk).update(plz="73728", standort=punkt_aus(48.75, 8.8))
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    antwort = client.post(url, formulardaten(client.get(url), telefon="0711 9"))
    assert antwort.status_code == 302
    assert [m for m in meldungen(antwort) if "Mittelpunkt der PLZ" in m] == []


def test_an_offering_far_from_its_plz_warns_too(client, eigen):
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_add")
    daten = formulardaten(
        client.get(url),
        titel="Waldtreff",
        slug="waldtreff",
        anbieter=eigen.akteur.pk,
        format="offener_treff",
        status=Status.ENTWURF,
        plz="73728",
        standort=punkt_aus(48.75, 8.80).ewkt,
    )
    antwort = client.post(url, daten)
    assert antwort.status_code == 302
    assert [m for m in meldungen(antwort) if "Mittelpunkt der PLZ" in m] == [
        "Die Position von „Waldtreff“ liegt 37 km vom Mittelpunkt der PLZ 73728 entfernt. Bitte "
        "prüfen Sie die Markierung auf der Karte und die Postleitzahl."
    ]


def test_public_endpoints_answer_with_positions_at_the_edges(client):
    """The extremes the rule allows still serialise: map data, list, export, HSDS."""
    for lon, lat in [(180, 90), (-180, -90)]:
        anbieter = AkteurFactory(standort=Point(lon, lat, srid=4326))
        PartnerschaftFactory(akteur=anbieter)
        AngebotFactory(anbieter=anbieter)
    for url in (
        "/angebote/karte.json",
        "/akteure/karte.json",
        "/angebote/",
        "/angebote/export.geojson",
        "/api/hsds/services",
        "/api/hsds/locations",
    ):
        assert client.get(url).status_code == 200, url
