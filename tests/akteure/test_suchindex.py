"""The in-memory actor index (akteure.suchindex) against the SQL path, and its change log.

Equivalence: many filter combinations give the same page – count, every facet count, the rows
– with the index as without it. Consistency: every write path (admin save, add and delete,
import, raw SQL, history revert, generate_data, languages, vocabulary) is seen by a second
index ("another process") that only reads the change log, within the same call.
"""

import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from akteure import suchindex
from akteure.filters import AkteurFilterSet, facetten
from akteure.models import Akteur, Bereich, Einrichtungsart, Sprache
from akteure.views import veroeffentlichte_akteure
from atlas.models import Status
from atlas.suchindex import Prozessindex
from tests import factories
from tests.admin_formular import formulardaten
from tests.test_import import importieren_ok


def filterset(parameter=""):
    queryset = veroeffentlichte_akteure().fuer_listen()
    return AkteurFilterSet(QueryDict(parameter), queryset=queryset)


def sql(parameter=""):
    fs = filterset(parameter)
    return fs.qs.count(), facetten(fs)


def seite(client, settings, parameter, index):
    settings.SUCHINDEX = index
    settings.SUCHBUDGET_PUNKTE = 0  # many searches from one client in a row
    antwort = client.get(f"/akteure/?{parameter}")
    assert antwort.status_code == 200
    c = antwort.context
    return (
        c["paginator"].count if c["paginator"] else len(c["object_list"]),
        c["facetten"],
        [a.pk for a in c["object_list"]],
        antwort.content,
    )


@pytest.fixture
def daten(db):
    return akteure_erzeugen()


def akteure_erzeugen():
    """300 generated actors; some drafts, some outdated, some accessible. The random source."""
    call_command("generate_data", angebote=20, akteure=300, netzwerke=2, seed=5)
    rng = random.Random(5)
    ids = list(Akteur.objects.values_list("pk", flat=True))
    for pk in rng.sample(ids, 30):
        Akteur.objects.filter(pk=pk).update(status=Status.ENTWURF)
    for pk in rng.sample(ids, 30):
        Akteur.objects.filter(pk=pk).update(geprueft_am="2020-01-01")
    for pk in rng.sample(ids, 20):
        Akteur.objects.filter(pk=pk).update(barrierefrei=True)
    return rng


def zufaellige_suchen(rng, anzahl):
    arten = list(Einrichtungsart.objects.values_list("slug", flat=True))
    sprachen = list(Sprache.objects.values_list("code", flat=True))
    suchen = []
    for _ in range(anzahl):
        teile = []
        if rng.random() < 0.4:
            teile += [f"einrichtungsart={a}" for a in rng.sample(arten, rng.randint(1, 3))]
        if rng.random() < 0.3:
            teile.append("bereich=" + rng.choice(Bereich.values))
        if rng.random() < 0.3:
            teile += [f"sprache={s}" for s in rng.sample(sprachen, rng.randint(1, 2))]
        if rng.random() < 0.3:
            teile.append("barrierefrei=on")
        if rng.random() < 0.2:
            teile.append(f"page={rng.randint(2, 4)}")
        suchen.append("&".join(teile))
    return suchen


BESONDERE = ["", "page=2", "page=last", "page=999", "einrichtungsart=gibt-es-nicht", "bereich=x"]


@pytest.mark.parametrize("veraltet", ["anzeigen", "ausblenden"])
def test_index_und_sql_gleich(client, settings, daten, veraltet):
    settings.VERALTET_ANZEIGE = veraltet
    anzahlen = []
    for parameter in BESONDERE + zufaellige_suchen(daten, 50):
        fs = filterset(parameter)
        assert suchindex.anfrage_aus(fs) is not None, parameter
        ohne = seite(client, settings, parameter, False)
        mit = seite(client, settings, parameter, True)
        assert mit == ohne, parameter
        anzahlen.append(ohne[0])
    assert min(anzahlen) == 0
    assert sum(1 for n in anzahlen if n > 20) >= 15


def test_zahlen_sind_exakt(daten):
    """The index's numbers are those of the SQL path, written out: published, by kind."""
    settings_anzahl = Akteur.objects.filter(status=Status.VEROEFFENTLICHT).count()
    kita = Einrichtungsart.objects.filter(akteure__status=Status.VEROEFFENTLICHT).first()
    with suchindex.INDEX.aktuell() as index:
        anzahl, zahlen = index.auswerten(suchindex.Anfrage())
        assert anzahl == settings_anzahl
        assert zahlen["einrichtungsart"][kita.slug] == (
            Akteur.objects.filter(status=Status.VEROEFFENTLICHT, einrichtungsart=kita).count()
        )
        assert zahlen["barrierefrei"]["on"] == (
            Akteur.objects.filter(status=Status.VEROEFFENTLICHT, barrierefrei=True).count()
        )


@pytest.mark.parametrize("parameter", ["q=Familie", "wo=73728", "lat=48.7&lon=9.2"])
def test_volltext_und_ort_bleiben_bei_sql(db, parameter):
    assert suchindex.anfrage_aus(filterset(parameter)) is None


# --- change log: a second process sees every write path ---------------------------------------


@pytest.fixture
def zweiter_prozess(db):
    """The count and facets of an index built before the change, as another worker holds it:
    it applies the change log (one query) and answers like the SQL path."""
    prozess = Prozessindex(suchindex.AkteurIndex)
    with prozess.aktuell():
        pass

    def sieht(parameter=""):
        anfrage = suchindex.anfrage_aus(filterset(parameter))
        with prozess.aktuell() as index:
            sieht.index = index
            return index.auswerten(anfrage)

    return sieht


@pytest.fixture
def zwei_akteure(db):
    return factories.AkteurFactory(name="Familienzentrum Nord"), factories.AkteurFactory(
        name="Kita Sonnenschein"
    )


def gleich(zweiter_prozess, parameter=""):
    ergebnis = zweiter_prozess(parameter)
    assert ergebnis == sql(parameter), parameter
    return ergebnis


def test_admin_speichern(admin_client, zwei_akteure, zweiter_prozess):
    nord, kita = zwei_akteure
    assert gleich(zweiter_prozess)[0] == 2
    andere = Einrichtungsart.objects.exclude(pk=kita.einrichtungsart_id).first()
    url = reverse("admin:akteure_akteur_change", args=[kita.pk])
    antwort = admin_client.post(
        url, formulardaten(admin_client.get(url), einrichtungsart=andere.pk, barrierefrei="on")
    )
    assert antwort.status_code == 302, antwort.content[:2000]
    assert gleich(zweiter_prozess, "barrierefrei=on")[0] == 1
    assert gleich(zweiter_prozess, f"einrichtungsart={andere.slug}")[0] >= 1


def test_admin_neu_und_loeschen(admin_client, zwei_akteure, zweiter_prozess):
    nord, kita = zwei_akteure
    factories.AkteurFactory(name="Mittagstreff")
    assert gleich(zweiter_prozess)[0] == 3
    antwort = admin_client.post(
        reverse("admin:akteure_akteur_delete", args=[nord.pk]), {"post": "yes"}
    )
    assert antwort.status_code == 302
    assert gleich(zweiter_prozess)[0] == 2


def test_rohes_sql(zwei_akteure, zweiter_prozess):
    nord, kita = zwei_akteure
    with connection.cursor() as cursor:
        cursor.execute("UPDATE akteure_akteur SET barrierefrei = true WHERE id = %s", [nord.pk])
    assert gleich(zweiter_prozess, "barrierefrei=on")[0] == 1
    with connection.cursor() as cursor:
        cursor.execute("UPDATE akteure_akteur SET status = 'entwurf' WHERE id = %s", [kita.pk])
    assert gleich(zweiter_prozess)[0] == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE akteure_akteur SET geprueft_am = '2019-01-01' WHERE id = %s", [nord.pk]
        )
    assert gleich(zweiter_prozess)[0] == 1  # outdated actors are shown by default


def test_veraltet_ausgeblendet(zwei_akteure, zweiter_prozess, settings):
    settings.VERALTET_ANZEIGE = "ausblenden"
    nord, kita = zwei_akteure
    Akteur.objects.filter(pk=nord.pk).update(geprueft_am="2019-01-01")
    assert gleich(zweiter_prozess)[0] == 1


def test_sprachen_geaendert(zwei_akteure, zweiter_prozess):
    nord, kita = zwei_akteure
    tuerkisch = Sprache.objects.get(code="tr")
    nord.sprachen.set([tuerkisch])
    assert gleich(zweiter_prozess, "sprache=tr")[0] >= 1
    nord.sprachen.clear()
    kita.sprachen.add(tuerkisch)
    _, zahlen = gleich(zweiter_prozess, "sprache=tr")
    assert zahlen["sprache"]["tr"] == 1


def test_bereich_der_einrichtungsart_geaendert(zwei_akteure, zweiter_prozess):
    nord, kita = zwei_akteure
    art = nord.einrichtungsart
    neu = next(b for b in Bereich.values if b != art.bereich)
    index = zweiter_prozess.index if hasattr(zweiter_prozess, "index") else None
    Einrichtungsart.objects.filter(pk=art.pk).update(bereich=neu)
    # The vocabulary changed: the index is read again.
    assert gleich(zweiter_prozess, f"bereich={neu}")[0] >= 1
    assert zweiter_prozess.index is not index


def test_historie_zuruecksetzen(admin_client, zwei_akteure, zweiter_prozess):
    nord, kita = zwei_akteure
    url = reverse("admin:akteure_akteur_change", args=[kita.pk])
    admin_client.post(url, formulardaten(admin_client.get(url), barrierefrei="on"))
    vorher = kita.history.earliest()
    assert gleich(zweiter_prozess, "barrierefrei=on")[0] == 1
    zurueck = reverse("admin:akteure_akteur_simple_history", args=[kita.pk, vorher.history_id])
    antwort = admin_client.post(zurueck, formulardaten(admin_client.get(zurueck)))
    assert antwort.status_code == 302
    kita.refresh_from_db()
    assert not kita.barrierefrei
    assert gleich(zweiter_prozess, "barrierefrei=on")[0] == 0


def test_import(admin_client, zwei_akteure, zweiter_prozess):
    nord, kita = zwei_akteure
    andere = Einrichtungsart.objects.exclude(pk=kita.einrichtungsart_id).first()
    inhalt = (
        "Kurzname;Name;Einrichtungsart;Sprachen\r\n"
        f"{kita.slug};{kita.name};{andere.slug};Arabisch\r\n"
    ).encode()
    importieren_ok(admin_client, "akteure_akteur", inhalt)  # preview, confirm, redirect
    kita.refresh_from_db()
    assert kita.einrichtungsart == andere
    assert gleich(zweiter_prozess, f"einrichtungsart={andere.slug}")[0] >= 1
    assert gleich(zweiter_prozess, "sprache=ar")[1]["sprache"] == sql("sprache=ar")[1]["sprache"]


def test_generate_data(zweiter_prozess):
    call_command("generate_data", angebote=10, akteure=40, netzwerke=1, seed=3)
    assert gleich(zweiter_prozess)[0] > 20


def test_bekannte_ids_als_laeufe():
    """The applied log ids go to the database as runs; an id inside a gap is still asked for."""
    from atlas.suchindex import _laeufe

    assert _laeufe({9, 1, 2, 3, 5}) == ([1, 5, 9], [3, 5, 9])
    assert _laeufe(set()) == ([], [])


def test_spaet_eingetragene_aenderung_in_einer_luecke(zwei_akteure, zweiter_prozess):
    """A change whose log id lies between ids already applied (a transaction that committed
    late) is read, not skipped as if it were known."""
    nord, kita = zwei_akteure
    gleich(zweiter_prozess)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM akteure_suchindex_aenderung")
        (hoechste,) = cursor.fetchone()
        cursor.execute("UPDATE akteure_akteur SET barrierefrei = true WHERE id = %s", [nord.pk])
        # As if ids hoechste+1 … +3 had been applied already, but not the new change's id.
        cursor.execute("SELECT max(id) FROM akteure_suchindex_aenderung")
        (neu,) = cursor.fetchone()
    protokoll = zweiter_prozess.index.protokoll
    protokoll.bekannt |= {neu - 2, neu - 1, neu + 1, neu + 2}
    protokoll.sicher = min(protokoll.sicher, hoechste)
    assert gleich(zweiter_prozess, "barrierefrei=on")[0] == 1
