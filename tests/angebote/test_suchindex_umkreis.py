"""Searches near a place answered by the in-memory index (atlas.umkreis) against the SQL path.

The same count, every facet count and the same page ids (nearest first, ties by title and id)
for many place searches – PLZ, place name, a browser's position, radii from 1 to 200 km, with
the other filters, full text and every order – and at the edges where floating point decides:
rows placed just inside and outside the radius, distinct points equally far away.
"""

import math
import random

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from akteure.models import Postleitzahl, Sozialraum
from angebote import suchindex
from angebote.filters import auswerten, auswerten_mit_index, punkte_mit_index
from angebote.models import Angebot, Format
from atlas import umkreis
from atlas.karte import ausschnitt, kartendaten, kartendaten_aus_punkten
from atlas.models import Status
from tests import factories
from tests.angebote.test_suchindex import (
    ANGEBOTE,
    PRO_SEITE,
    beide,
    daten,  # noqa: F401 – the generated offerings (fixture)
    filterset,
    karten_filterset,
    ohne_reihenfolge,
    zufaellige_suchen,
)

STUTTGART = (9.18, 48.78)


def ort_suchen(rng, anzahl, orte, plz):
    """Place parameters: a position near an offering, a PLZ, a place name; with a radius."""
    suchen = []
    for _ in range(anzahl):
        wahl = rng.random()
        if wahl < 0.5:
            lon, lat = rng.choice(orte)
            teil = f"lat={lat + rng.uniform(-0.1, 0.1):.5f}&lon={lon + rng.uniform(-0.1, 0.1):.5f}"
        elif wahl < 0.8:
            teil = f"wo={rng.choice(plz)}"
        else:
            teil = "wo=" + rng.choice(["Esslingen", "Berlin", "Köln", "Muenchen", "Hamburg"])
        if rng.random() < 0.8:
            teil += f"&umkreis={rng.choice([1, 2, 5, 10, 20, 20, 50, 50, 100, 200])}"
        suchen.append(teil)
    return suchen


@pytest.fixture
def orte(daten):  # noqa: F811
    """Positions of published offerings; a few offerings serving an area as a whole (with and
    without a point of their own), found by a PLZ of that area."""
    # A dense region (the generated offerings spread over Germany): 180 of them moved to
    # around Stuttgart, some into shared buildings (equally far: ties by title and id).
    ids = list(Angebot.objects.filter(standort__isnull=False).values_list("pk", flat=True))
    haeuser = [(daten.gauss(9.18, 0.3), daten.gauss(48.78, 0.2)) for _ in range(15)]
    for pk in daten.sample(ids, 180):
        if daten.random() < 0.3:
            lon, lat = daten.choice(haeuser)
        else:
            lon, lat = daten.gauss(9.18, 0.4), daten.gauss(48.78, 0.25)
        Angebot.objects.filter(pk=pk).update(standort=Point(lon, lat, srid=4326))
    punkte = [
        (a.standort.x, a.standort.y)
        for a in Angebot.objects.filter(status=Status.VEROEFFENTLICHT, standort__isnull=False)
    ]
    # PLZ of the dense region first (the areas below are made of them), then others.
    plz = list(
        Postleitzahl.objects.filter(punkt__dwithin=(Point(*STUTTGART, srid=4326), D(km=30)))
        .order_by("plz")
        .values_list("plz", flat=True)[:30]
    )
    plz += sorted(set(Angebot.objects.exclude(plz="").values_list("plz", flat=True)))[:10]
    raum = Sozialraum.objects.create(
        name="Landkreis Probe", slug="landkreis-probe", ebene="kreis", plz=plz[:10]
    )
    gemeinde = Sozialraum.objects.create(
        name="Probstadt", slug="probstadt", ebene="gemeinde", plz=plz[:3], uebergeordnet=raum
    )
    ids = list(Angebot.objects.filter(status=Status.VEROEFFENTLICHT).values_list("pk", flat=True))
    for pk in daten.sample(ids, 12):
        Angebot.objects.get(pk=pk).einzugsgebiet.set([raum])
    for pk in daten.sample(ids, 4):
        Angebot.objects.get(pk=pk).einzugsgebiet.set([gemeinde, raum])
    for pk in daten.sample(ids, 3):
        # Online, no point: found only as serving the area.
        Angebot.objects.filter(pk=pk).update(standort=None, format=Format.ONLINE)
        Angebot.objects.get(pk=pk).einzugsgebiet.set([raum])
    return punkte, plz


def test_umkreis_index_wie_sql(daten, orte):  # noqa: F811
    punkte, plz = orte
    filter_teile = zufaellige_suchen(daten, 90)
    suchen = [
        "wo=" + plz[0],
        "wo=" + plz[0] + "&umkreis=200",
        "wo=" + plz[1] + "&sortierung=name",
        "wo=" + plz[2] + "&sortierung=geprueft&umkreis=100",
        "wo=" + plz[0] + "&q=Eltern&umkreis=200",
        "wo=" + plz[0] + "&q=Eltern&umkreis=200&sortierung=entfernung",
        "wo=" + plz[0] + "&q=Beratung&umkreis=200&sortierung=relevanz",
        "lat=52.52&lon=13.40&umkreis=200",
        "lat=48.78&lon=9.18&umkreis=50",
        "lat=48.78&lon=9.18&umkreis=20&q=Eltern",
        "lat=52.52&lon=13.40",  # the nearest PLZ stands in for the areas
        "wo=Esslingen&sortierung=name&seite=3",
    ]
    for k, (ort, teile) in enumerate(
        zip(ort_suchen(daten, 90, punkte, plz), filter_teile, strict=True)
    ):
        # Every other place search without further filters, the others with two at most:
        # results of every size.
        teile = "&".join(daten.sample(teile.split("&"), min(2, len(teile.split("&")))))
        suchen.append(f"{ort}&{teile}" if teile and k % 2 else ort)
    anzahlen, gebiet = [], 0
    for parameter in suchen:
        sql, mit_index = beide(parameter)
        assert mit_index == sql, parameter
        anzahlen.append(sql[0])
        if sql[0] > PRO_SEITE:
            letzte = (sql[0] - 1) // PRO_SEITE + 1
            for seite in {2, letzte}:
                assert beide(parameter, seite=seite)[1] == beide(parameter, seite=seite)[0]
        fs = filterset(parameter)
        fs.qs  # noqa: B018
        gebiet += bool(fs.einzugsgebiet_ids)
    assert min(anzahlen) == 0
    assert sum(1 for n in anzahlen if 0 < n <= PRO_SEITE) >= 10
    assert sum(1 for n in anzahlen if n > PRO_SEITE) >= 15
    assert gebiet >= 5  # searches that found offerings serving the place as a whole


def test_export_und_api_bleiben_bei_sql(db):
    # The export's rows carry their distance from SQL; the HSDS API has its own place order.
    assert suchindex.anfrage_aus(filterset("lat=48.74&lon=9.31")) is None
    anfrage = suchindex.anfrage_aus(filterset("lat=48.74&lon=9.31"), mit_umkreis=True)
    assert (anfrage.umkreis.lon, anfrage.umkreis.lat, anfrage.umkreis.meter) == (
        9.31,
        48.74,
        10000.0,
    )
    assert anfrage.sortierung == "entfernung"


def projiziert(lon, lat, meter, azimut):
    """The point `meter` from (lon, lat) in direction `azimut` on the WGS84 ellipsoid, as
    PostGIS computes it (ST_Project)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p::geometry), ST_Y(p::geometry) FROM ST_Project("
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, radians(%s)) p",
            [lon, lat, meter, azimut],
        )
        return cursor.fetchone()


def ellipsoid_meter(lon, lat, punkt):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)",
            [lon, lat, *punkt],
        )
        return cursor.fetchone()[0]


def angebot_bei(lon, lat, titel):
    return factories.AngebotFactory(titel=titel, standort=Point(lon, lat, srid=4326))


@pytest.mark.parametrize("km", [1, 10, 200])
def test_rand_des_umkreises(db, km):
    """Rows just inside and just outside the radius, in several directions and down to
    millimetres (those go to ST_DWithin): the index takes exactly the SQL path's rows."""
    lon0, lat0 = STUTTGART
    erwartet_drin, erwartet_draussen = set(), set()
    for azimut in (0, 37, 90, 135, 180, 251, 270, 333):
        for abstand in (-1.0, -0.3, -0.004, -0.0005, 0.0, 0.0005, 0.004, 0.3, 1.0):
            lon, lat = projiziert(lon0, lat0, km * 1000 + abstand, azimut)
            angebot = angebot_bei(lon, lat, f"Rand {azimut} {abstand}")
            d = ellipsoid_meter(lon, lat, (lon0, lat0))
            if abs(d - km * 1000) > 0.01:
                (erwartet_drin if d < km * 1000 else erwartet_draussen).add(angebot.pk)
    parameter = f"lat={lat0}&lon={lon0}&umkreis={km}"
    sql, mit_index = beide(parameter)
    assert mit_index == sql
    ids = set(filterset(parameter).qs.values_list("pk", flat=True))
    assert erwartet_drin <= ids
    assert not erwartet_draussen & ids
    assert len(erwartet_drin) == len(erwartet_draussen) == 8 * 2
    # The index itself agrees with SQL about every row within the band, too.
    index = auswerten_mit_index(filterset(parameter), seite=1, pro_seite=500)
    assert sorted(index.seite(1)) == sorted(ids)


def kugel_punkt(lon, lat, meter, azimut):
    """A point `meter` from (lon, lat) on PostGIS's sphere (the `<->` of geography)."""
    d = meter / umkreis.KUGEL_RADIUS
    p1, l1, a = math.radians(lat), math.radians(lon), math.radians(azimut)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(a))
    l2 = l1 + math.atan2(
        math.sin(a) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(l2), math.degrees(p2)


def test_gleich_weit_entfernt_wie_sql(db):
    """Distinct points (nearly) equally far by `<->`, and several rows at one point: the order
    – nearest first, ties by title and id – is the SQL path's; the near ties are asked of the
    database (one query with `<->`)."""
    lon0, lat0 = STUTTGART
    rng = random.Random(3)
    for k in range(30):
        lon, lat = kugel_punkt(lon0, lat0, 4000.0, rng.uniform(0, 360))
        angebot_bei(lon, lat, rng.choice(["Elterncafé", "Babytreff", f"Treff {k}"]))
    for k in range(6):  # one building, three titles
        angebot_bei(9.2, 48.79, ["Zwergencafé", "Babytreff", "Elterncafé"][k % 3])
    for k in range(4):  # east and west mirror each other: equally far to the bit
        angebot_bei(lon0 + (-1) ** k * 0.03, lat0 + 0.01, "Spiegel")
    parameter = f"lat={lat0}&lon={lon0}&umkreis=20"
    sql = auswerten(filterset(parameter).qs, seite=1, pro_seite=100)
    assert sql.anzahl == 40
    with CaptureQueriesContext(connection) as abfragen:
        mit_index = auswerten_mit_index(filterset(parameter), seite=1, pro_seite=100)
    assert mit_index.seite(1) == sql.seite(1)
    genau = [
        q["sql"]
        for q in abfragen.captured_queries
        if " <-> " in q["sql"] and "angebote_angebot" in q["sql"]
    ]
    assert len(genau) == 1  # the near ties asked of the database


def test_ellipsoid_wie_postgis(db):
    """Vincenty in numpy and PostGIS's geodesic agree far within GRENZ_BAND; the sphere
    distance is `<->` to a few units in the last place."""
    rng = random.Random(5)
    lon0, lat0 = STUTTGART
    for _ in range(40):
        lon, lat = rng.uniform(5.8, 15.1), rng.uniform(47.2, 55.1)
        genau = ellipsoid_meter(lon, lat, (lon0, lat0))
        assert abs(umkreis.ellipsoid_entfernung(lon0, lat0, [lon], [lat])[0] - genau) < 1e-4
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography "
                "<-> ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography",
                [lon, lat, lon0, lat0],
            )
            kugel = cursor.fetchone()[0]
        assert abs(umkreis.kugel_entfernung(lon0, lat0, [lon], [lat])[0] - kugel) < 1e-8


@pytest.mark.parametrize("sprache", ["", "/ar"])
def test_liste_mit_index_wie_sql(client, daten, orte, settings, sprache):  # noqa: F811
    """The whole page of a place search, distances and "für ganz …" included, is the same
    from the index as from SQL."""
    _punkte, plz = orte
    for parameter in [
        f"wo={plz[0]}&umkreis=200",
        f"wo={plz[1]}&umkreis=100&kostenlos=on",
        f"wo={plz[0]}&umkreis=200&q=Eltern",
        f"wo={plz[0]}&umkreis=200&sortierung=name&seite=2",
        "lat=50.1&lon=8.7&umkreis=50",
    ]:
        url = f"{sprache}/angebote/?{parameter}"
        settings.SUCHINDEX = False
        cache.clear()
        ohne = client.get(url)
        settings.SUCHINDEX = True
        cache.clear()
        with CaptureQueriesContext(connection) as abfragen:
            mit = client.get(url)
        assert not any(
            "WITH treffer AS MATERIALIZED" in q["sql"] for q in abfragen.captured_queries
        )
        assert mit.content.decode() == ohne.content.decode(), url


@pytest.mark.parametrize("bbox", ["5.5,47,15.5,55.2", "9.0,48.5,9.6,48.9"])
def test_karte_umkreis_mit_index_wie_sql(daten, orte, bbox):  # noqa: F811
    _punkte, plz = orte
    for parameter in [f"wo={plz[0]}&umkreis=200", f"wo={plz[2]}&kostenlos=on", "lat=48.7&lon=9.2"]:
        bild = ausschnitt(bbox)
        cache.clear()
        sql = kartendaten(karten_filterset(parameter).qs, **bild, inhalt=ANGEBOTE)
        fs = karten_filterset(parameter)
        punkte = punkte_mit_index(fs)
        assert punkte is not None
        mit_index = kartendaten_aus_punkten(fs.qs, punkte, **bild, inhalt=ANGEBOTE)
        assert ohne_reihenfolge(mit_index) == ohne_reihenfolge(sql), (bbox, parameter)


def test_facetten_weniger_zeilen_wie_ueber_alle_paare():
    """Counting a facet over few rows (only the bit sets' words that hold one) gives the
    pairs' counts by hand: empty masks, rows without values, values of no chosen row."""
    from atlas.suchindex import Mehrfachwerte

    rng = np.random.default_rng(4)
    anzahl_zeilen = 5000
    zeilen = rng.integers(0, anzahl_zeilen, 20000)
    werte = rng.integers(1, 40, 20000)
    paare = np.unique(np.stack([zeilen, werte]), axis=1)
    mehrfach = Mehrfachwerte(paare[0], paare[1])
    for anteil in (0.0, 0.0005, 0.01, 0.05):
        maske = rng.random(anzahl_zeilen) < anteil
        gewaehlt = maske[paare[0]]
        werte, anzahl = np.unique(paare[1][gewaehlt], return_counts=True)
        ueber_alle = {int(w): int(n) for w, n in zip(werte, anzahl, strict=True)}
        assert np.count_nonzero(maske) * 16 < anzahl_zeilen  # few rows
        assert mehrfach.zaehlen(maske) == ueber_alle
        assert sum(ueber_alle.values()) == np.count_nonzero(gewaehlt)
