"""The in-memory actor index (akteure.suchindex) against the SQL path, and its change log.

Equivalence: many filter combinations, with and without words, give the same page – count,
every facet count, the rows, the bytes – with the index as without it. Consistency: every
write path (admin save, add and delete, import, raw SQL, history revert, generate_data,
languages, vocabulary; for words also names, descriptions, places and the kind's name) is seen
by a second index ("another process") that only reads the change log, within the same call.
"""

import random

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from akteure import suchindex
from akteure.filters import AkteurFilterSet, facetten
from akteure.models import Akteur, Bereich, Einrichtungsart, Sprache
from akteure.views import veroeffentlichte_akteure
from atlas import suchindex as atlas_suchindex
from atlas.models import Status
from atlas.suchindex import Prozessindex
from tests import factories
from tests.admin_formular import formulardaten
from tests.factories import uebersetzen
from tests.test_import import importieren_ok


def filterset(parameter=""):
    queryset = veroeffentlichte_akteure().fuer_listen()
    return AkteurFilterSet(QueryDict(parameter), queryset=queryset)


def sql(parameter=""):
    """(count, facet counts, ids in list order)."""
    fs = filterset(parameter)
    return fs.qs.count(), facetten(fs), list(fs.qs.values_list("pk", flat=True))


def seite(client, settings, parameter, index, sprache="de"):
    settings.SUCHINDEX = index
    settings.SUCHBUDGET_PUNKTE = 0  # many searches from one client in a row
    praefix = "" if sprache == "de" else f"/{sprache}"
    antwort = client.get(f"{praefix}/akteure/?{parameter}")
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


# Words of the generated actors (names, kinds, places, descriptions) and some that are not.
WOERTER = [
    "Familie",
    "Familienzentrum",
    "Beratung",
    "Kita",
    "Verein",
    "Eltern",
    "Fami",
    "Beratungsstelle",
    "Muetter",
    "Hebame",
    "und Kita",
    "Familie Beratung",
    "Stillberatung",
    "Zentrum",
    "xyzzy",
    "?!",
    "info@example.org",
]


def zufaellige_suchen(rng, anzahl, woerter=()):
    arten = list(Einrichtungsart.objects.values_list("slug", flat=True))
    sprachen = list(Sprache.objects.values_list("code", flat=True))
    suchen = []
    for _ in range(anzahl):
        teile = []
        if woerter and rng.random() < 0.6:
            teile.append("q=" + rng.choice(woerter))
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
    for parameter in BESONDERE + zufaellige_suchen(daten, 50, WOERTER):
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
        anzahl, zahlen, _ = index.auswerten(suchindex.Anfrage())
        assert anzahl == settings_anzahl
        assert zahlen["einrichtungsart"][kita.slug] == (
            Akteur.objects.filter(status=Status.VEROEFFENTLICHT, einrichtungsart=kita).count()
        )
        assert zahlen["barrierefrei"]["on"] == (
            Akteur.objects.filter(status=Status.VEROEFFENTLICHT, barrierefrei=True).count()
        )


@pytest.mark.parametrize("parameter", ["wo=73728", "lat=48.7&lon=9.2", "q=Familie&wo=73728"])
def test_ort_bleibt_bei_sql(db, parameter):
    assert suchindex.anfrage_aus(filterset(parameter)) is None


# --- full text: posting lists in memory for frequent lexemes, the GIN index for rare ones ------


@pytest.fixture
def volltext_daten(daten):
    """The generated actors plus words found in one place only: a name, a place, a translated
    description (Arabic, English), and names that repeat (the order then goes by id)."""
    akteure = list(Akteur.objects.filter(status=Status.VEROEFFENTLICHT).order_by("pk")[:40])
    Akteur.objects.filter(pk=akteure[0].pk).update(name="Kinderschutzbund Wunderland")
    Akteur.objects.filter(pk=akteure[1].pk).update(ort="Zauberberg")
    for akteur in akteure[2:8]:
        uebersetzen(akteur, "beschreibung", "ar", "رضاعة طبيعية وتدليك الرضع")
    uebersetzen(akteure[9], "beschreibung", "en", "Parents breakfast")
    for akteur in akteure[10:16]:
        Akteur.objects.filter(pk=akteur.pk).update(name="Familienzentrum Mitte")
    return daten


VOLLTEXT = [
    ("de", "q=Familie"),  # a common word
    ("de", "q=Familie&page=2"),
    ("de", "q=Familie&page=last"),
    ("de", "q=Familienzentrum"),
    ("de", "q=Familienzentrum Mitte"),
    ("de", "q=Beratung&barrierefrei=on"),
    ("de", "q=Kita&einrichtungsart=kita"),
    ("de", "q=Verein&sprache=tr&sprache=ar"),
    ("de", "q=Hebame"),  # a typo: the most similar known word
    ("de", "q=Fami"),  # a beginning
    ("de", "q=Muetter"),  # umlaut typed as ue
    ("de", "q=Wunderland"),  # only in one name
    ("de", "q=Zauberberg"),  # only in one place
    ("de", "q=und Familie"),  # a stop word and a word
    ("de", "q=und"),  # only a stop word
    ("de", "q=?!"),  # no word
    ("de", "q=info@example.org"),  # not a word: as it is
    ("ar", "q=رضاعة"),  # only in an Arabic translation, searched on the Arabic page
    ("de", "q=رضاعة"),  # translations in other languages: whole words
    ("ar", "q=Familie"),  # German word on the Arabic page
    ("en", "q=breakfast"),  # an English translation on the English page
]


@pytest.mark.parametrize("ab", [1, 8, 10**9])
def test_volltext_mit_index_wie_sql(client, settings, volltext_daten, ab):
    """Every kind of full-text search gives the same page, byte for byte, through the index as
    through SQL: with every lexeme in memory (ab=1), with the rare ones from the GIN index
    (8), and with none in memory."""
    settings.SUCHINDEX_WORT_AB = ab
    suchindex.INDEX.verwerfen()
    anzahlen = {}
    for sprache, parameter in VOLLTEXT:
        with translation.override(sprache):
            assert suchindex.anfrage_aus(filterset(parameter)) is not None
            cache.clear()
            ohne = seite(client, settings, parameter, False, sprache)
            cache.clear()
            mit = seite(client, settings, parameter, True, sprache)
        assert mit == ohne, (sprache, parameter)
        anzahlen[(sprache, parameter)] = ohne[0]
    # The cases find what they are there for.
    assert anzahlen[("de", "q=Familie")] > 20  # more than one page
    assert 0 < anzahlen[("de", "q=Wunderland")] < 20
    assert 0 < anzahlen[("de", "q=Zauberberg")] < 20
    assert anzahlen[("de", "q=Familienzentrum Mitte")] >= 6
    assert anzahlen[("de", "q=und")] == 0
    assert 3 <= anzahlen[("ar", "q=رضاعة")] <= 6  # some of the six are not published
    assert anzahlen[("en", "q=breakfast")] <= 1
    assert anzahlen[("de", "q=Hebame")] > 0
    with suchindex.INDEX.aktuell() as index:
        if ab == 1:
            assert index.woerter.haeufig and not index.woerter.selten
        elif ab == 8:
            assert index.woerter.haeufig and index.woerter.selten
        else:
            assert not index.woerter.haeufig


@pytest.mark.parametrize(
    ("sprache", "parameter"),
    [("de", "q=Familie"), ("de", "q=Familienzentrum"), ("ar", "q=رضاعة"), ("de", "q=Kita")],
)
def test_volltext_ganze_reihenfolge_wie_sql(volltext_daten, settings, sprache, parameter):
    """Every hit in list order, not just the first pages: level, then name, then id (the
    names repeat), through the index as through SQL."""
    settings.SUCHINDEX_WORT_AB = 8
    suchindex.INDEX.verwerfen()
    with translation.override(sprache):
        sql_ids = list(filterset(parameter).qs.values_list("pk", flat=True))
        anzahl, _, ids = suchindex.auswerten(filterset(parameter))
    assert len(sql_ids) > 3
    assert anzahl == len(sql_ids)
    assert ids.tolist() == sql_ids


def test_volltext_liest_uebersetzungen_einmal(volltext_daten, client):
    """A list with a query reads the translations once: its SQL filter and the index share
    what was found."""
    cache.clear()
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get("/ar/akteure/?q=" + "رضاعة")
    assert antwort.status_code == 200
    gelesen = [a["sql"] for a in abfragen.captured_queries if '"atlas_uebersetzung"' in a["sql"]]
    assert len([s for s in gelesen if "to_tsvector" in s]) == 1


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
            anzahl, zahlen, ids = index.auswerten(anfrage)
            return anzahl, zahlen, ids.tolist()

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
    _, zahlen, _ = gleich(zweiter_prozess, "sprache=tr")
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


@pytest.fixture
def wort_ab(request, settings):
    """SUCHINDEX_WORT_AB before the second process builds its index."""
    settings.SUCHINDEX_WORT_AB = request.param
    return request.param


@pytest.mark.parametrize("wort_ab", [1, 10**9], indirect=True)
def test_volltext_folgt_jeder_aenderung(
    wort_ab, admin_client, zwei_akteure, zweiter_prozess, monkeypatch
):
    """Words and the name order are read again for every changed actor (name, description,
    place, the kind's name, status) by the other process, through the change log; with every
    word in memory (ab=1) and with none. Overlay postings are merged on the way."""
    monkeypatch.setattr(atlas_suchindex, "ZUSAMMENFUEHREN_AB", 10)
    zusammengefuehrt = []
    zusammenfuehren = atlas_suchindex.Wortindex._zusammenfuehren

    def mitzaehlen(wortindex):
        zusammengefuehrt.append(1)
        zusammenfuehren(wortindex)

    monkeypatch.setattr(atlas_suchindex.Wortindex, "_zusammenfuehren", mitzaehlen)
    nord, kita = zwei_akteure
    weitere = [factories.AkteurFactory(name=f"Spielgruppe {n}") for n in range(3)]
    zweiter_prozess()  # built before them: they come through the change log
    assert bool(zweiter_prozess.index.woerter.haeufig) == (wort_ab == 1)

    def gleich_ids(*woerter):
        for wort in woerter:
            ergebnis = gleich(zweiter_prozess, f"q={wort}")
        return ergebnis[2]

    gleich_ids("Familienzentrum", "Spielgruppe", "Sonnenschein", "Kita")
    # Admin: a new name, which also moves it in the name order.
    url = reverse("admin:akteure_akteur_change", args=[kita.pk])
    antwort = admin_client.post(
        url, formulardaten(admin_client.get(url), name="Aaa Spielgruppe Abendstern")
    )
    assert antwort.status_code == 302, antwort.content[:2000]
    assert gleich_ids("Sonnenschein") == []
    assert gleich_ids("Spielgruppe")[0] == kita.pk
    gleich_ids("Abendstern", "Abend")
    # Raw SQL: a description and a place with new and old words.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE akteure_akteur SET beschreibung = 'Zauberflöte und Spielgruppe', "
            "ort = 'Drachenhausen' WHERE id = %s",
            [nord.pk],
        )
    assert gleich_ids("Zauberflöte") == [nord.pk]
    assert gleich_ids("Drachenhausen") == [nord.pk]
    gleich_ids("Spielgruppe", "Zauber")
    # A name changed by raw SQL: only the order and the words of the name.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE akteure_akteur SET name = 'Zwerg Spielgruppe' WHERE id = %s", [weitere[0].pk]
        )
    # Names first (by name), then the description.
    assert gleich_ids("Spielgruppe") == [
        kita.pk,
        weitere[1].pk,
        weitere[2].pk,
        weitere[0].pk,
        nord.pk,
    ]
    # The kind's name (weight B) of every actor of that kind: the vocabulary changes.
    art = weitere[1].einrichtungsart
    art.name = "Koboldhöhle"
    art.save()
    assert weitere[1].pk in gleich_ids("Koboldhöhle")
    # New, deleted and unpublished actors.
    neu = factories.AkteurFactory(name="Zauberflöte für Kinder")
    assert gleich_ids("Zauberflöte") == [neu.pk, nord.pk]  # the name first
    Akteur.objects.filter(pk=neu.pk).update(status=Status.ENTWURF)
    weitere[2].delete()
    assert gleich_ids("Zauberflöte") == [nord.pk]
    gleich_ids("Spielgruppe", "Familienzentrum", "Kita")
    if wort_ab == 1:
        assert zweiter_prozess.index.woerter.haeufig
        # The overlay grew past its limit and was merged, nothing lost.
        assert zusammengefuehrt


def test_volltext_import_und_historie(admin_client, zwei_akteure, zweiter_prozess):
    """An import and a history revert change the words: the other process follows."""
    nord, kita = zwei_akteure
    zweiter_prozess()
    inhalt = (
        "Kurzname;Name;Einrichtungsart\r\n"
        f"{kita.slug};Kita Regenbogen;{kita.einrichtungsart.slug}\r\n"
    ).encode()
    importieren_ok(admin_client, "akteure_akteur", inhalt)
    assert gleich(zweiter_prozess, "q=Regenbogen")[2] == [kita.pk]
    assert gleich(zweiter_prozess, "q=Sonnenschein")[2] == []
    kita.refresh_from_db()
    vorher = kita.history.order_by("history_date").first()
    zurueck = reverse("admin:akteure_akteur_simple_history", args=[kita.pk, vorher.history_id])
    antwort = admin_client.post(zurueck, formulardaten(admin_client.get(zurueck)))
    assert antwort.status_code == 302
    assert gleich(zweiter_prozess, "q=Sonnenschein")[2] == [kita.pk]
    assert gleich(zweiter_prozess, "q=Regenbogen")[2] == []


def test_bekannte_ids_als_laeufe():
    """The applied log ids go to the database as runs; an id inside a gap is still asked for."""
    from atlas.suchindex import _laeufe

    assert _laeufe({9, 1, 2, 3, 5}) == ([1, 5, 9], [3, 5, 9])
    assert _laeufe(set()) == ([], [])


def test_luecklos_angewandte_ids_ruecken_den_sicheren_stand_vor():
    """Applied ids right above the safe point move it up to the first gap; what lies beyond
    the gap stays known, and reads settled below the new safe point are dropped."""
    from atlas.suchindex import Protokoll

    protokoll = Protokoll("akteure_suchindex_aenderung")
    protokoll.sicher, protokoll.bekannt = 10, {11, 12, 13, 15, 16}
    protokoll.offen = [(12, 5), (16, 9)]
    protokoll._vorruecken()
    assert (protokoll.sicher, protokoll.bekannt, protokoll.offen) == (13, {15, 16}, [(16, 9)])
    protokoll._vorruecken()  # nothing right above 13: unchanged
    assert (protokoll.sicher, protokoll.bekannt, protokoll.offen) == (13, {15, 16}, [(16, 9)])


def test_bekannte_ids_ohne_luecke_werden_nicht_mehr_gesendet(zwei_akteure, zweiter_prozess):
    """An index whose known ids sit right above its safe point (a fresh build while an older
    transaction runs: the test's own here, a backup on a server) moves the safe point over
    them as it reads, and the next change is read and applied as before."""
    nord, kita = zwei_akteure
    gleich(zweiter_prozess)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM akteure_suchindex_aenderung")
        (hoechste,) = cursor.fetchone()
    protokoll = zweiter_prozess.index.protokoll
    protokoll.sicher, protokoll.bekannt = hoechste - 2, {hoechste - 1, hoechste}
    Akteur.objects.filter(pk=nord.pk).update(barrierefrei=True)
    assert gleich(zweiter_prozess, "barrierefrei=on")[2] == [nord.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM akteure_suchindex_aenderung")
        (neu,) = cursor.fetchone()
    assert neu > hoechste
    assert (protokoll.sicher, protokoll.bekannt) == (neu, set())


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
