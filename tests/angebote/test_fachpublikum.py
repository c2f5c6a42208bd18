"""Offerings only for professionals (the Fachtag for coordinators) stay out of family searches
unless the search asks for them: list, map data and files alike."""

import pytest
from django.core.cache import cache

from angebote.models import Angebot, Zielgruppe
from atlas.listen import Auswahl
from atlas.models import punkt_aus
from tests.exportdateien import csv_tabelle, geojson
from tests.factories import AngebotFactory, zielgruppe

pytestmark = pytest.mark.django_db

KOELN = punkt_aus(50.9375, 6.9603)


@pytest.fixture(autouse=True)
def ohne_drosselung(settings):
    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()


@pytest.fixture
def koeln(db):
    """Offerings in Köln for babies: one for families, one for professionals only, one for both,
    one without target groups."""
    eltern, fach = zielgruppe("eltern"), zielgruppe("fachkrafte")
    alter = {"alter_von_monate": -9, "alter_bis_monate": 36, "standort": KOELN}
    AngebotFactory(titel="Babymassage", zielgruppen=[eltern], **alter)
    AngebotFactory(titel="Fachtag Netzwerke Frühe Hilfen", zielgruppen=[fach], **alter)
    AngebotFactory(titel="Elternabend mit Fachkräften", zielgruppen=[eltern, fach], **alter)
    AngebotFactory(titel="Krabbelgruppe", **alter)


FAMILIEN = ["Babymassage", "Elternabend mit Fachkräften", "Krabbelgruppe"]
FACHKRAEFTE = ["Elternabend mit Fachkräften", "Fachtag Netzwerke Frühe Hilfen"]


def test_only_the_vocabularys_fachkraefte_are_a_professional_audience():
    assert list(Zielgruppe.objects.filter(fachpublikum=True).values_list("slug", flat=True)) == [
        "fachkrafte"
    ]


def test_for_families_leaves_out_offerings_for_professionals_only(koeln):
    titel = sorted(Angebot.objects.fuer_familien().values_list("titel", flat=True))
    assert titel == FAMILIEN


@pytest.mark.parametrize(
    "abfrage, erwartet",
    [
        ({"wo": "Köln", "alter": "3m"}, FAMILIEN),
        ({}, FAMILIEN),  # the list without any filter
        ({"q": "Fachtag"}, []),
        ({"wo": "Köln", "alter": "3m", "zielgruppe": "fachkrafte"}, FACHKRAEFTE),
        ({"zielgruppe": ["eltern", "fachkrafte"]}, sorted([*FAMILIEN[:2], FACHKRAEFTE[1]])),
        ({"q": "Fachtag", "zielgruppe": "fachkrafte"}, FACHKRAEFTE[1:]),
    ],
)
def test_list_map_and_files_agree_on_who_an_offering_is_for(client, koeln, abfrage, erwartet):
    liste = client.get("/angebote/", {**abfrage, "sortierung": "name"})
    assert [a.titel for a in liste.context["object_list"]] == erwartet
    karte = client.get("/angebote/karte.json", abfrage).json()
    assert sorted(a["titel"] for f in karte["features"] for a in f["properties"]["angebote"]) == (
        erwartet
    )
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv", abfrage))
    assert sorted(z["Titel"] for z in zeilen) == erwartet
    merkmale = geojson(client.get("/angebote/export.geojson", abfrage))["features"]
    assert sorted(m["properties"]["titel"] for m in merkmale) == erwartet


def test_the_filter_always_offers_fachkraefte_without_a_count_it_cannot_know(client, koeln):
    def fuer_wen(abfrage):
        liste = client.get("/angebote/", abfrage)
        (gruppe,) = [g for g in liste.context["filtergruppen"] if g.name == "zielgruppe"]
        return gruppe.optionen

    assert fuer_wen({"wo": "Köln"}) == [
        Auswahl("zielgruppe", "eltern", "Eltern", 2, False),
        Auswahl("zielgruppe", "fachkrafte", "Fachkräfte", None, False),
    ]
    # Ticked, the results are the offerings for Fachkräfte, and the count is theirs.
    assert fuer_wen({"wo": "Köln", "zielgruppe": "fachkrafte"}) == [
        Auswahl("zielgruppe", "eltern", "Eltern", 1, False),
        Auswahl("zielgruppe", "fachkrafte", "Fachkräfte", 2, True),
    ]
    seite = client.get("/angebote/", {"wo": "Köln"}).content.decode()
    assert (
        '<input type="checkbox" name="zielgruppe" value="fachkrafte"> Fachkräfte</label>' in seite
    )
