"""The search indexes built in a forked child process (atlas.suchindex.im_kindprozess, on with
SUCHINDEX_KINDPROZESS): every array equal to the one built in the process itself, the parent's
connection left working, an error of the build raised in the parent, and a list search and a
later change answered as by SQL. The child's own connection sees committed rows only: the data
are committed once for the module and removed again at its end (a transactional test would
flush every table, the vocabularies the migrations bring among them)."""

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from akteure import suchindex as akteure_suchindex
from angebote import suchindex
from angebote.models import Angebot
from atlas.suchindex import NeuAufbauen, Protokoll, im_kindprozess
from tests.angebote.test_suchindex import beide

PROTOKOLLE = (suchindex.PROTOKOLL, akteure_suchindex.PROTOKOLL)


@pytest.fixture(scope="module")
def festgeschrieben(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(f"SELECT coalesce(max(id), 0) FROM {t}" for t in PROTOKOLLE)
            )
            bis = [zahl for (zahl,) in cursor.fetchall()]
        call_command("generate_data", angebote=120, akteure=40, netzwerke=2, seed=11)
        yield
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE angebote_angebot, netzwerke_netzwerk, akteure_akteur CASCADE")
            for tabelle, zahl in zip(PROTOKOLLE, bis, strict=True):
                cursor.execute(f"DELETE FROM {tabelle} WHERE id > %s", [zahl])


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
