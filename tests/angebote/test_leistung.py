"""What keeps the list and the map fast at 250,000 offerings (bench/RESULTS.md): the filter runs
once per list page, large results come from a short-lived cache, the map's grid is whole cells
with an index for its viewport test. Each promise is tested at a size where it can be seen."""

from urllib.parse import urlencode

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from akteure.models import Ort
from angebote import filters
from angebote.filters import AngebotFilterSet, auswerten
from angebote.models import Angebot
from atlas import karte
from atlas.models import punkt_aus
from tests.factories import AngebotFactory, SozialraumFactory, sprache

pytestmark = pytest.mark.django_db

ESSLINGEN = (48.7407, 9.3083)  # PLZ 73728


@pytest.fixture(autouse=True)
def leerer_cache():
    cache.clear()
    yield
    cache.clear()


def seitenweise(client, abfrage, seiten):
    return [
        [a.pk for a in client.get("/angebote/", {**abfrage, "seite": n}).context["object_list"]]
        for n in range(1, seiten + 1)
    ]


@pytest.mark.parametrize("abfrage", [{}, {"wo": "73728"}, {"sortierung": "geprueft"}])
def test_pages_are_the_filtersets_order_cut_in_twenties(client, abfrage):
    for i in range(45):
        AngebotFactory(
            titel=f"Treff {i % 7}",  # ties: the order falls back to the id
            standort=punkt_aus(ESSLINGEN[0] + (i % 9) * 0.003, ESSLINGEN[1]),
            geprueft_am=f"2026-0{1 + i % 5}-01",
        )
    filterset = AngebotFilterSet(QueryDict(urlencode(abfrage)), queryset=Angebot.objects.all())
    alle = list(filterset.qs.values_list("pk", flat=True))
    assert seitenweise(client, abfrage, 3) == [alle[:20], alle[20:40], alle[40:]]


def test_the_list_counts_and_pages_in_one_statement(client, settings):
    settings.SUCHINDEX = False  # the SQL path
    for _ in range(25):
        AngebotFactory(standort=punkt_aus(*ESSLINGEN), sprachen=[sprache("ar")])
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get("/angebote/", {"wo": "73728", "sprache": "ar"})
    assert antwort.context["paginator"].count == 25
    assert len(antwort.context["object_list"]) == 20
    radius = [q["sql"] for q in abfragen if "ST_DWithin" in q["sql"]]
    # The statement with count, page and facets, and the page's rows fetched by id.
    assert len(radius) == 2
    assert not any(q["sql"].startswith("SELECT COUNT(*)") for q in abfragen)


def test_the_index_answers_a_place_search_without_a_radius_in_sql(client):
    for _ in range(25):
        AngebotFactory(standort=punkt_aus(*ESSLINGEN), sprachen=[sprache("ar")])
    client.get("/angebote/")  # the process's index is built
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get("/angebote/", {"wo": "73728", "sprache": "ar"})
    assert antwort.context["paginator"].count == 25
    assert antwort.context["facetten"]["sprache"] == {"ar": 25}
    assert len(antwort.context["object_list"]) == 20
    assert [a.entfernung.km < 0.1 for a in antwort.context["object_list"]] == [True] * 20
    # Count, facets and order come from memory; SQL reads the page's 20 rows by id.
    assert not any("ST_DWithin" in q["sql"] or "<->" in q["sql"] for q in abfragen)
    assert not any("WITH treffer" in q["sql"] for q in abfragen)


def test_a_page_past_the_end_shows_the_last(client):
    for _ in range(23):
        AngebotFactory()
    antwort = client.get("/angebote/", {"seite": "7"})
    assert antwort.context["page_obj"].number == 2
    assert len(antwort.context["object_list"]) == 3


def test_area_wide_offerings_join_the_radius_search(client):
    kreis = SozialraumFactory(
        ebene="kreis", flaeche=MultiPolygon(Polygon.from_bbox((9.0, 48.5, 9.7, 48.85)), srid=4326)
    )
    hotline = AngebotFactory(titel="Elterntelefon", format="online")
    hotline.einzugsgebiet.set([kreis])
    AngebotFactory(titel="Nah", standort=punkt_aus(*ESSLINGEN))
    antwort = client.get("/angebote/", {"wo": "73728"})
    assert [a.titel for a in antwort.context["object_list"]] == ["Nah", "Elterntelefon"]
    assert antwort.context["facetten"]["format"] == {"offener_treff": 1, "online": 1}


def test_large_results_are_cached_small_ones_counted_afresh(client, monkeypatch, settings):
    settings.SUCHINDEX = False  # the SQL path's cache (the search index needs none)
    for _ in range(3):
        AngebotFactory()
    assert client.get("/angebote/").context["paginator"].count == 3
    AngebotFactory()
    assert client.get("/angebote/").context["paginator"].count == 4  # below CACHE_AB

    monkeypatch.setattr(filters, "CACHE_AB", 4)
    erste = client.get("/angebote/").context
    AngebotFactory()
    zweite = client.get("/angebote/").context
    # A minute-old count, and the facet counts from the same moment.
    assert zweite["paginator"].count == erste["paginator"].count == 4
    assert zweite["facetten"] == erste["facetten"]
    assert zweite["facetten"]["format"] == {"offener_treff": 4}
    cache.clear()
    assert client.get("/angebote/").context["paginator"].count == 5


def test_a_cached_page_never_shows_what_has_left_the_filter(client, monkeypatch):
    monkeypatch.setattr(filters, "CACHE_AB", 2)
    angebote = [AngebotFactory() for _ in range(3)]
    client.get("/angebote/")
    Angebot.objects.filter(pk=angebote[0].pk).update(status="archiviert")
    liste = client.get("/angebote/").context["object_list"]
    assert angebote[0] not in liste and len(liste) == 2


def test_facet_counts_without_cache_equal_those_from_it(monkeypatch):
    for i in range(6):
        AngebotFactory(sprachen=[sprache("ar" if i % 2 else "tr")], barrierefrei=i < 2)
    qs = AngebotFilterSet(QueryDict(""), queryset=Angebot.objects.all()).qs
    frisch = auswerten(qs)
    monkeypatch.setattr(filters, "CACHE_AB", 1)
    auswerten(qs)
    aus_cache = auswerten(qs)
    assert (aus_cache.anzahl, aus_cache.facetten) == (frisch.anzahl, frisch.facetten)
    assert frisch.facetten["sprache"] == {"ar": 3, "tr": 3}
    assert frisch.facetten["barrierefrei"] == {"on": 2}


def test_map_cells_stay_put_while_the_map_moves_less_than_a_cell(client, monkeypatch):
    monkeypatch.setattr(karte, "EINZELN_BIS", 5)
    for i in range(40):
        AngebotFactory(standort=punkt_aus(48.0 + (i % 8) * 0.1, 8.0 + (i // 8) * 0.1))
    # 10° wide: cells of 360/512° ≈ 0.7°; the two boxes differ by less than that.
    eins = client.get("/angebote/karte.json", {"bbox": "5,45,15,52"}).json()
    zwei = client.get("/angebote/karte.json", {"bbox": "5.2,45.1,15.2,52.1"}).json()
    assert eins["features"] == zwei["features"]
    assert sum(f["properties"]["anzahl"] for f in eins["features"]) == eins["gesamt"] == 40


def test_map_clusters_only_when_the_viewport_itself_holds_more(client, monkeypatch):
    monkeypatch.setattr(karte, "EINZELN_BIS", 5)
    # Three points in the viewport, twenty just outside it in the same grid cells.
    for i in range(3):
        AngebotFactory(standort=punkt_aus(48.001 + i * 0.001, 8.001))
    for i in range(20):
        AngebotFactory(standort=punkt_aus(48.001 + i * 0.001, 7.999))
    daten = client.get("/angebote/karte.json", {"bbox": "8.0,47.9,8.2,48.1"}).json()
    assert daten["gesamt"] == 3
    assert not any(f["properties"]["cluster"] for f in daten["features"])


def test_big_map_grids_come_from_the_cache_small_ones_not(client, monkeypatch, settings):
    settings.SUCHINDEX = False  # the SQL path's cache (the search index needs none)
    monkeypatch.setattr(karte, "EINZELN_BIS", 5)
    for i in range(10):
        AngebotFactory(standort=punkt_aus(48.0 + i * 0.01, 8.0))
    bbox = {"bbox": "5,47,15,55"}
    assert client.get("/angebote/karte.json", bbox).json()["gesamt"] == 10
    AngebotFactory(standort=punkt_aus(48.5, 8.0))
    assert client.get("/angebote/karte.json", bbox).json()["gesamt"] == 11  # below CACHE_AB

    monkeypatch.setattr(karte, "CACHE_AB", 11)
    client.get("/angebote/karte.json", bbox)
    AngebotFactory(standort=punkt_aus(48.6, 8.0))
    assert client.get("/angebote/karte.json", bbox).json()["gesamt"] == 11


def test_map_viewport_test_uses_the_planar_index(client, settings):
    settings.SUCHINDEX = False  # the map in SQL, as for a place search
    for i in range(30):
        AngebotFactory(standort=punkt_aus(48.0 + i * 0.1, 9.0))
    with CaptureQueriesContext(connection) as abfragen:
        client.get("/angebote/karte.json", {"bbox": "8.9,48.2,9.1,48.5"})
    geprueft = 0
    with connection.cursor() as cursor:
        # Few rows, so the planner is told to take an index if one answers the viewport test.
        cursor.execute("SET enable_seqscan = off")
        for abfrage in abfragen:
            if "ST_MakeEnvelope" in abfrage["sql"]:
                cursor.execute("EXPLAIN " + abfrage["sql"])
                plan = "\n".join(zeile[0] for zeile in cursor.fetchall())
                assert "angebot_standort_geometrie" in plan, plan
                geprueft += 1
        cursor.execute("SET enable_seqscan = on")
    assert geprueft == 2  # the grid, and the places in the viewport


def test_app_connections_run_without_jit_and_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def plan(cursor, sql, params=()):
    cursor.execute("EXPLAIN " + sql, params)
    return "\n".join(zeile[0] for zeile in cursor.fetchall())


def test_status_indexes_hold_only_records_that_are_not_public():
    """A plain index on the status is ANDed with the radius search and read whole."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN "
            "('akteure_akteur', 'angebote_angebot', 'netzwerke_netzwerk') "
            "AND indexdef LIKE '%(status)%'"
        )
        indizes = cursor.fetchall()
    assert {tabelle for tabelle, _ in indizes} == {
        "akteure_akteur",
        "angebote_angebot",
        "netzwerke_netzwerk",
    }
    for _tabelle, definition in indizes:
        assert "WHERE (NOT ((status)::text = 'veroeffentlicht'::text))" in definition, definition


def test_drafts_are_found_through_the_partial_status_index():
    for i in range(40):
        AngebotFactory(status="entwurf" if i % 10 == 0 else "veroeffentlicht")
    abfrage = Angebot.objects.filter(status="entwurf").values("pk").query
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        ergebnis = plan(cursor, *abfrage.sql_with_params())
        cursor.execute("SET enable_seqscan = on")
    assert "angebot_status_intern" in ergebnis, ergebnis


def test_place_names_are_looked_up_through_their_index():
    """A search by place name reads a few index entries, not all ~11,000 places (bench: 25 ms
    → 0.1 ms with 250,000 offerings)."""
    assert Ort.objects.count() > 5000  # the places of migration akteure 0004
    abfrage = Ort.objects.passend("Esslingen").values("pk").query
    with connection.cursor() as cursor:
        ergebnis = plan(cursor, *abfrage.sql_with_params())
    assert "ort_suchform" in ergebnis, ergebnis


@pytest.mark.parametrize(
    "eingabe, ort",
    [
        ("Esslingen", "Esslingen am Neckar"),
        ("eßlingen", "Esslingen am Neckar"),
        ("GÖPPINGEN", "Göppingen"),
        ("goppingen", "Göppingen"),
        ("  Köln ", "Köln"),
    ],
)
def test_place_names_ignore_case_accents_and_sharp_s(eingabe, ort):
    assert Ort.objects.passend(eingabe).first().name == ort


@pytest.mark.parametrize("eingabe", ["%", "_", "E%", "\\"])
def test_wildcards_in_a_place_name_are_taken_literally(eingabe):
    assert not Ort.objects.passend(eingabe).exists()
