"""The page of a list that the in-memory index answers (bench/RESULTS-suchindex.md, session
12): its rows read by id with a statement compiled once (atlas.listen.Zeilenabfrage), the
index's order computed only as far as the page (atlas.suchindex.Auszug) – the same rows, the
same objects, the same page."""

import datetime
from unittest import mock

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from akteure.models import Akteur
from angebote import views
from angebote.filters import mit_entfernung
from angebote.models import Angebot
from atlas import lesereplik
from atlas.lesereplik import PRIMAER_COOKIE
from atlas.listen import Zeilenabfrage
from atlas.models import Status
from atlas.suchindex import Auszug
from tests.factories import AkteurFactory, AngebotFactory, sprache, uebersetzen

pytestmark = pytest.mark.django_db


def felder(objekt):
    """An object as the ORM made it: its loaded fields and the objects cached with it."""
    werte = {k: v for k, v in vars(objekt).items() if k != "_state"}
    verwandt = {k: felder(v) for k, v in objekt._state.fields_cache.items()}
    return werte, verwandt, objekt._state.db, objekt._state.adding


def nach_pk(objekte):
    return sorted(objekte, key=lambda o: o.pk)


@pytest.fixture
def angebote():
    anbieter = AkteurFactory(name="Familienzentrum Pliensau", standort=Point(9.3, 48.74))
    return [
        AngebotFactory(
            titel=f"Elternkurs {k:02d}",
            anbieter=anbieter,
            ort="Esslingen",
            standort=Point(9.30 + k / 100, 48.74),
            sprachen=[sprache("ar"), sprache("tr")] if k % 2 else [],
            geprueft_am=datetime.date(2020, 1, 1) if k == 3 else None,
        )
        for k in range(6)
    ]


def test_the_rows_are_the_objects_the_queryset_makes(angebote):
    queryset, lesen = views.AngebotListView._listenzeilen()
    ids = [a.pk for a in angebote][::-1]
    erwartet = nach_pk(queryset.filter(pk__in=ids))
    with CaptureQueriesContext(connection) as abfragen:
        gelesen = nach_pk(lesen(ids))
    assert len(abfragen) == 1
    assert [felder(a) for a in gelesen] == [felder(a) for a in erwartet]
    assert "ORDER BY" not in abfragen[0]["sql"]  # the caller puts them in its order
    # Deferred as before: the description is not among the list's columns.
    assert gelesen[0].get_deferred_fields() == erwartet[0].get_deferred_fields()
    assert "beschreibung" in gelesen[0].get_deferred_fields()


def test_annotations_with_converters_and_prefetches_come_as_from_the_queryset(angebote):
    # A place search's rows carry a Distance (a converter makes it) and their area.
    punkt = Point(9.31, 48.74, srid=4326)
    queryset = mit_entfernung(views.AngebotListView().get_queryset(), punkt, [])
    ids = [a.pk for a in angebote]
    gelesen, erwartet = nach_pk(Zeilenabfrage(queryset)(ids)), nach_pk(queryset.filter(pk__in=ids))
    assert [felder(a) for a in gelesen] == [felder(a) for a in erwartet]
    assert gelesen[1].entfernung.m == erwartet[1].entfernung.m < 1  # the point itself
    # A prefetch runs after the rows, as for the queryset.
    akteure = Akteur.objects.prefetch_related("sprachen")
    (akteur,) = Zeilenabfrage(akteure)([angebote[0].anbieter_id])
    assert "sprachen" in akteur._prefetched_objects_cache


def test_only_plain_model_querysets(angebote):
    with pytest.raises(TypeError):
        Zeilenabfrage(Angebot.objects.values("pk"))
    with pytest.raises(TypeError):  # a related manager sets the parent on each row
        Zeilenabfrage(angebote[0].anbieter.angebote.all())


def test_no_ids_no_statement(angebote):
    with CaptureQueriesContext(connection) as abfragen:
        assert views.AngebotListView._listenzeilen()[1]([]) == []
    assert not abfragen


def test_a_row_unpublished_or_expired_since_the_index_read_it_is_left_out(angebote):
    lesen = views.AngebotListView._listenzeilen()[1]
    ids = [a.pk for a in angebote]
    assert len(lesen(ids)) == 6
    Angebot.objects.filter(pk=ids[0]).update(status=Status.ENTWURF)
    Angebot.objects.filter(pk=ids[1]).update(gueltig_bis=datetime.date(2001, 1, 1))
    Akteur.objects.filter(pk=angebote[2].anbieter_id).update(status=Status.ENTWURF)
    assert lesen(ids) == []  # the whole visibility rule: all six share the provider
    Akteur.objects.filter(pk=angebote[2].anbieter_id).update(status=Status.VEROEFFENTLICHT)
    assert sorted(a.pk for a in lesen(ids)) == ids[2:]


def test_the_statement_is_compiled_once_and_again_after_a_setting_changed(client, angebote):
    client.get("/angebote/")  # builds the index; the statement may be compiled
    with mock.patch.object(
        Zeilenabfrage, "_uebersetzen", autospec=True, side_effect=Zeilenabfrage._uebersetzen
    ) as uebersetzen_:
        for pfad in ("/angebote/", "/ar/angebote/?kostenlos=on", "/en/angebote/?seite=1"):
            cache.clear()
            assert client.get(pfad).status_code == 200
        assert uebersetzen_.call_count == 0
        with (
            override_settings(TIME_ZONE="America/New_York"),
            CaptureQueriesContext(connection) as abfragen,
        ):
            assert client.get("/angebote/").status_code == 200
        assert uebersetzen_.call_count == 1
        # Today (of the validity dates) is the database's, in the site's time zone.
        (zeilen,) = [a["sql"] for a in abfragen if '"angebote_angebot"."id" = ANY(' in a["sql"]]
        assert "America/New_York" in zeilen
        assert client.get("/angebote/").status_code == 200
        assert uebersetzen_.call_count == 2


def test_a_new_day_makes_a_new_statement_with_its_cut_off(angebote):
    """With outdated records hidden, the day they count as outdated from is in the SQL."""
    ids = [a.pk for a in angebote]
    with override_settings(VERALTET_ANZEIGE="ausblenden", VERALTET_MONATE=12):
        heute = datetime.date(2020, 6, 1)
        with mock.patch("django.utils.timezone.localdate", return_value=heute):
            gestern = views.AngebotListView._listenzeilen()
            assert views.AngebotListView._listenzeilen() is gestern  # once a day
            # Checked on 2020-01-01: not yet a year ago.
            assert angebote[3].pk in {a.pk for a in gestern[1](ids)}
        morgen = datetime.date(2021, 6, 1)
        with mock.patch("django.utils.timezone.localdate", return_value=morgen):
            neu = views.AngebotListView._listenzeilen()
            assert neu is not gestern and len(views._LISTENZEILEN) == 1
            assert angebote[3].pk not in {a.pk for a in neu[1](ids)}


def test_the_page_follows_the_language_with_the_same_statement(client, angebote):
    uebersetzen(angebote[0], "titel", "ar", "دورة للوالدين")
    seiten = {}
    for pfad in ("/angebote/", "/ar/angebote/", "/angebote/"):
        cache.clear()
        seiten.setdefault(pfad, []).append(client.get(pfad).content.decode())
    assert "دورة للوالدين" in seiten["/ar/angebote/"][0]
    assert "دورة للوالدين" not in seiten["/angebote/"][1]
    assert seiten["/angebote/"][0] == seiten["/angebote/"][1]


def test_an_auszug_is_the_whole_order_in_part():
    rng = np.random.default_rng(12)
    ordnung = rng.permutation(5000).astype(np.int32)
    teile = [
        slice(0, 20),
        slice(20, 40),
        slice(980, 1000),
        slice(None),
        slice(0, 0),
        slice(4990, 5010),
        slice(-20, None),
        slice(5, 1, -1),
        slice(0, 100, 3),
    ]
    for anteil in (0.0, 0.0004, 0.01, 0.3, 1.0):
        maske = rng.random(5000) < anteil
        ganz = ordnung[maske[ordnung]]
        for erster_block in (1024, 7):
            with mock.patch.object(Auszug, "ERSTER_BLOCK", erster_block):
                for teil in teile:
                    auszug = Auszug(ordnung, maske)
                    assert len(auszug) == len(ganz)
                    assert np.array_equal(auszug[teil], ganz[teil]), (anteil, teil)
                    assert auszug[teil].dtype == ganz.dtype
                auszug = Auszug(ordnung, maske)
                assert np.array_equal(np.asarray(auszug), ganz)
                if len(ganz):  # any other index: from the whole order
                    assert auszug[-1] == ganz[-1]
                    assert np.array_equal(auszug[np.array([0, -1])], ganz[np.array([0, -1])])


@pytest.mark.parametrize("praefix", ["", "/ar"])
def test_a_deep_page_and_the_sortings_come_from_the_auszug(client, praefix):
    anbieter = AkteurFactory()
    for k in range(45):
        AngebotFactory(
            titel=f"Kurs {k:02d}",
            anbieter=anbieter,
            geprueft_am=datetime.date(2026, 1, 1) + datetime.timedelta(days=k % 7),
        )
    for suche, erwartet in (
        ("?seite=3", [f"Kurs {k:02d}" for k in range(40, 45)]),
        ("?sortierung=geprueft&seite=1", None),
    ):
        cache.clear()
        mit_index = client.get(f"{praefix}/angebote/{suche}").content.decode()
        with override_settings(SUCHINDEX=False):
            cache.clear()
            aus_sql = client.get(f"{praefix}/angebote/{suche}").content.decode()
        assert mit_index == aus_sql, suche
        if erwartet:
            karten = mit_index.split("treffer__titel")[1:]
            titel = [k.split("</a>")[0].rsplit(">", 1)[1] for k in karten]
            assert titel == erwartet


@pytest.fixture
def replik(settings):
    """Public reads from the replica alias (a second connection to the test database, which
    sees no uncommitted row: tests/test_mehrere_server.py)."""
    settings.REPLIKA_DATENBANK = "replica"
    lesereplik._pause_bis.clear()
    yield
    connections["replica"].close()
    lesereplik._pause_bis.clear()


@pytest.mark.django_db(databases=["default", "replica"])
def test_the_rows_are_read_where_the_request_reads(client, angebote, replik):
    lesen = views.AngebotListView._listenzeilen()[1]
    cache.clear()
    # The index (built from the primary) counts the six; the replica has none of them yet
    # (uncommitted here), so the page that reads it shows no row.
    vom_replikat = client.get("/angebote/").content.decode()
    assert "6 Angebote gefunden" in vom_replikat and "treffer__titel" not in vom_replikat
    cache.clear()
    client.cookies[PRIMAER_COOKIE] = "1"  # who just wrote reads the primary
    assert client.get("/angebote/").content.decode().count("treffer__titel") == 6
    # Each database's statement is kept: switching back compiles nothing.
    assert set(lesen._uebersetzt) == {"replica", "default"}
    with mock.patch.object(Zeilenabfrage, "_uebersetzen", autospec=True) as uebersetzen_:
        del client.cookies[PRIMAER_COOKIE]
        cache.clear()
        assert client.get("/angebote/").status_code == 200
    assert uebersetzen_.call_count == 0
