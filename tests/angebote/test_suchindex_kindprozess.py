"""The search indexes built in a forked child process (atlas.suchindex.im_kindprozess, on with
SUCHINDEX_KINDPROZESS): every array equal to the one built in the process itself, the parent's
connection left working, an error of the build raised in the parent, and a list search and a
later change answered as by SQL. The child's own connection sees committed rows only: the data
are committed once for the module and removed again at its end, row by row so that the
tables' triggers undo their counts (`festgeschrieben`; a transactional test would flush every
table, the vocabularies the migrations bring among them)."""

import numpy as np
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from akteure import suchindex as akteure_suchindex
from angebote import suchindex
from angebote.models import Angebot
from atlas.suchindex import NeuAufbauen, Protokoll, im_kindprozess
from tests.angebote.test_suchindex import beide

PROTOKOLLE = (suchindex.PROTOKOLL, akteure_suchindex.PROTOKOLL)


def _tabellen():
    """Every table of the project's models (many-to-many and history tables too), with the
    integer key column of each (None for another key)."""
    tabellen = {}
    for modell in apps.get_models(include_auto_created=True):
        if not modell._meta.managed:
            continue  # a view, or a table of its own migrations (below)
        pk = modell._meta.pk
        ganzzahl = pk.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField")
        tabellen[modell._meta.db_table] = pk.column if ganzzahl else None
    return tabellen


def _stand(cursor, tabellen):
    stand = {}
    for tabelle, spalte in tabellen.items():
        ausdruck = f"coalesce(max({spalte}), 0)" if spalte else "0"
        cursor.execute(f"SELECT count(*), {ausdruck} FROM {tabelle}")
        stand[tabelle] = cursor.fetchone()
    return stand


@pytest.fixture(scope="module")
def festgeschrieben(django_db_setup, django_db_blocker):
    """Generated data, committed for this module and taken out again afterwards: every row
    above each table's highest key before is deleted (in one transaction, Django's foreign
    keys checked at its end), so the tables' triggers undo what they counted (the words of
    atlas_suchwort, the change logs), and the session's statement timeout is reset (the
    generator lifts it). Every table then holds as many rows as before."""
    with django_db_blocker.unblock():
        # The change logs and the word counts are tables of their own (raw SQL).
        tabellen = {**_tabellen(), **dict.fromkeys(PROTOKOLLE, "id"), "atlas_suchwort": None}
        with connection.cursor() as cursor:
            vorher = _stand(cursor, tabellen)
        call_command("generate_data", angebote=120, akteure=40, netzwerke=2, seed=11)
        yield
        with transaction.atomic(), connection.cursor() as cursor:
            for tabelle, spalte in tabellen.items():
                if spalte:
                    cursor.execute(
                        f"DELETE FROM {tabelle} WHERE {spalte} > %s", [vorher[tabelle][1]]
                    )
            for tabelle in PROTOKOLLE:  # what the deletes logged
                cursor.execute(f"DELETE FROM {tabelle} WHERE id > %s", [vorher[tabelle][1]])
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
            nachher = _stand(cursor, tabellen)
        assert {t: n for t, (n, _) in nachher.items()} == {t: n for t, (n, _) in vorher.items()}


@pytest.fixture
def daten(festgeschrieben, db, settings):
    # Posting lists for the lexemes in at least five offerings: most of them, at this size.
    settings.SUCHINDEX_WORT_AB = 5


def gleich(a, b, pfad="index"):
    """`a` and `b` hold the same values, arrays of the same type and shape, all the way down."""
    assert type(a) is type(b), pfad
    if isinstance(a, np.ndarray):
        assert (a.dtype, a.shape) == (b.dtype, b.shape), pfad
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), pfad
    elif isinstance(a, dict):
        assert list(a) == list(b), pfad
        for k in a:
            gleich(a[k], b[k], f"{pfad}[{k!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), pfad
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            gleich(x, y, f"{pfad}[{k}]")
    elif isinstance(a, Protokoll):
        # The same log position; the snapshot's xmax and the reading time are each session's.
        assert (a.tabelle, a.sicher, a.bekannt) == (b.tabelle, b.sicher, b.bekannt), pfad
        assert [h for h, _ in a.offen] == [h for h, _ in b.offen], pfad
    elif type(a).__module__.split(".")[0] in ("angebote", "akteure", "atlas"):
        gleich(vars(a), vars(b), pfad)
    else:
        assert a == b, pfad


@pytest.mark.parametrize("bauen", [suchindex.AngebotIndex, akteure_suchindex.AkteurIndex])
def test_index_aus_dem_kindprozess_gleicht_dem_eigenen(daten, bauen):
    eigener = bauen()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        sitzung = cursor.fetchone()[0]
    aus_dem_kind = im_kindprozess(bauen)
    gleich(eigener, aus_dem_kind)
    assert len(aus_dem_kind.ids) > 0
    # The parent's session is the one it had, still usable.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == sitzung
    assert Angebot.objects.count() == 120


def test_fehler_des_aufbaus_im_elternprozess(db):
    def bauen():
        raise NeuAufbauen("Ids zu dünn")

    with pytest.raises(NeuAufbauen, match="Ids zu dünn"):
        im_kindprozess(bauen)


@override_settings(SUCHINDEX_KINDPROZESS=True)
def test_ein_haengender_kindprozess_wird_beendet(db, monkeypatch):
    """A child that hands nothing back within KIND_HOECHSTENS_SEKUNDEN is killed and the
    build fails in the parent (its worker then answers by SQL), instead of waiting for ever."""
    import time

    from atlas import suchindex as atlas_suchindex

    monkeypatch.setattr(atlas_suchindex, "KIND_HOECHSTENS_SEKUNDEN", 0.5)

    def haengen():
        time.sleep(60)

    beginn = time.monotonic()
    with pytest.raises(atlas_suchindex.KindFehlgeschlagen, match="Status 9"):
        im_kindprozess(haengen)
    assert time.monotonic() - beginn < 10
    with connection.cursor() as cursor:  # the parent's connection still works
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_liste_und_aenderung_mit_index_aus_dem_kindprozess(daten):
    for parameter in ("", "q=Eltern", "kostenlos=on&sortierung=geprueft"):
        sql, mit_index = beide(parameter)
        assert mit_index == sql
    # A change after the build arrives through the change log the child's index started from.
    angebot = Angebot.objects.get(pk=beide("")[1][2][0])
    angebot.titel = "Zwergpinguin Elterncafé"
    angebot.save()
    for parameter in ("q=Eltern", "q=Elterncafé"):
        sql, mit_index = beide(parameter)
        assert mit_index == sql
    sql, mit_index = beide("q=Zwergpinguin")
    assert mit_index == sql
    assert (mit_index[0], mit_index[2]) == (1, [angebot.pk])
