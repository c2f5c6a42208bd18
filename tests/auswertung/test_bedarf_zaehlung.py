"""The gap analysis counts all cells in one grouped statement (auswertung.bedarf.anzahlen_je_raum);
each cell must equal the per-cell query it replaced: in_region(area).in_lebensphase(phase)."""

import io

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from akteure.models import Akteur, Sozialraum
from angebote.filters import AngebotFilterSet
from angebote.models import LEBENSPHASEN, Angebot
from auswertung.bedarf import anzahlen_je_raum
from beispieldaten.generator import daten_generieren

pytestmark = pytest.mark.django_db

FILTER = [
    {},
    {"kostenlos": ["on"]},
    {"format": ["kurs", "beratung"]},
    {"sprache": ["tr"]},
    {"thema": ["schwangerschaft-geburt"]},
    {"kostenlos": ["on"], "format": ["offener_treff"], "sprache": ["ar", "tr"]},
]


def gefiltert(daten):
    abfrage = QueryDict(mutable=True)
    for name, werte in daten.items():
        abfrage.setlist(name, werte)
    filterset = AngebotFilterSet(abfrage, queryset=Angebot.objects.veroeffentlicht())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def spalten(region):
    teile = list(region.untergeordnete.order_by("name"))
    return [*teile, region] if teile else [region]


def je_zelle(angebote, raeume):
    """The former way: one query per area (and here per cell)."""
    return [[angebote.in_region(r).in_lebensphase(p).count() for p in LEBENSPHASEN] for r in raeume]


def vergleichen(slugs):
    """Every area of `slugs` with every filter: the grouped counts equal the per-cell counts.
    Returns all counts, for the caller to check that they are not trivially empty."""
    alle = []
    for slug in slugs:
        raeume = spalten(Sozialraum.objects.get(slug=slug))
        for daten in FILTER:
            angebote = gefiltert(daten)
            neu = anzahlen_je_raum(angebote, raeume)
            assert neu == je_zelle(angebote, raeume), (slug, daten)
            alle.append(neu)
    return alle


def test_demo_counts_equal_the_per_cell_queries():
    call_command("demo_laden", stdout=io.StringIO())
    slugs = [
        "landkreis-esslingen",
        "esslingen-am-neckar",
        "esslingen-innenstadt",
        "koeln",
        "gelsenkirchen",
        "nordrhein-westfalen",
        "wilhelmshaven",
    ]
    alle = vergleichen(slugs)
    kreis = alle[0]
    # Landkreis Esslingen: five Gemeinden and the Kreis; not all cells alike.
    assert len(kreis) == 6 and sum(map(sum, kreis)) > 100
    assert len({n for zeile in kreis for n in zeile}) > 5


def box(lon, lat, d):
    return MultiPolygon(Polygon.from_bbox((lon - d, lat - d, lon + d, lat + d)), srid=4326)


@pytest.fixture
def generiert():
    """Generated offerings all over Germany, and a Kreis over some of them whose parts are found
    in every way in_region knows: PLZ, polygon, parts below a part, the actor's Sozialraum and
    the Einzugsgebiet (of the Land above, of the Kreis, of a part's part)."""
    daten_generieren(angebote=1500, akteure=500, netzwerke=5, seed=7, stdout=io.StringIO())
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    plz = sorted(set(Angebot.objects.exclude(plz="").values_list("plz", flat=True)))
    mit_ort = Angebot.objects.exclude(standort=None).order_by("pk")
    land = Sozialraum.objects.create(name="Land", slug="land", ebene="land")
    kreis = Sozialraum.objects.create(name="Kreis", slug="kreis", ebene="kreis", uebergeordnet=land)
    teil = {}
    for name, extra in [
        ("A nach PLZ", {"plz": [p for p in plz if p.startswith(plz[0][:2])]}),
        ("B mit Fläche", {"flaeche": box(mit_ort[0].standort.x, mit_ort[0].standort.y, 0.4)}),
        ("C mit Teilen", {}),
        ("D leer", {}),
        ("E PLZ und Fläche", {"plz": plz[-8:], "flaeche": box(10.0, 51.0, 0.3)}),
    ]:
        teil[name[0]] = Sozialraum.objects.create(
            name=name, slug=name[0].lower(), ebene="gemeinde", uebergeordnet=kreis, **extra
        )
    c1 = Sozialraum.objects.create(
        name="C1",
        slug="c1",
        ebene="stadtteil",
        uebergeordnet=teil["C"],
        plz=[p for p in plz if p.startswith(plz[len(plz) // 2][:2])],
    )
    punkt = mit_ort[len(mit_ort) // 3].standort
    c2 = Sozialraum.objects.create(
        name="C2",
        slug="c2",
        ebene="stadtteil",
        uebergeordnet=teil["C"],
        flaeche=box(punkt.x, punkt.y, 0.5),
    )
    # Providers placed by their Sozialraum alone; offerings for whole areas.
    Akteur.objects.filter(pk__in=Akteur.objects.order_by("-pk").values("pk")[:40]).update(
        sozialraum=c1
    )
    angebote = list(Angebot.objects.order_by("?")[:30])
    for i, angebot in enumerate(angebote):
        angebot.einzugsgebiet.set([[land, kreis, c2, teil["D"], teil["A"]][i % 5]])
    return kreis


def test_generated_counts_equal_the_per_cell_queries(generiert):
    alle = vergleichen(["kreis", "c", "c2", "land"])
    kreis = alle[0]
    assert len(kreis) == 6
    # Every way of belonging counts somewhere: no part is all zeros, and the parts differ.
    assert all(sum(zeile) > 0 for zeile in kreis)
    assert len({tuple(zeile) for zeile in kreis}) == 6


def test_a_fixed_number_of_queries_however_many_parts(generiert, django_assert_num_queries):
    raeume = spalten(generiert)
    # The areas' tree (a query per level, up and down), the union of the parts' boundaries,
    # the Einzugsgebiete, the providers, and the grouped count in its own savepoint (with the
    # planner setting and its reset): 15 here, whether the region has 5 parts or 20.
    with django_assert_num_queries(15):
        anzahlen_je_raum(gefiltert({"kostenlos": ["on"]}), raeume)
    for i in range(15):
        Sozialraum.objects.create(
            name=f"Mehr {i}", slug=f"mehr-{i}", ebene="gemeinde", uebergeordnet=generiert
        )
    raeume = spalten(generiert)
    assert len(raeume) == 21
    with django_assert_num_queries(15):
        anzahlen_je_raum(gefiltert({"kostenlos": ["on"]}), raeume)
