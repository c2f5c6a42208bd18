"""The in-memory offerings index (angebote.suchindex) against the SQL path, and its change log.

Equivalence: many filter combinations (seeded random plus the tricky ones) give the same
count, every facet count and the same page ids through the index as through `auswerten`.
Consistency: every write path is seen by a second index ("another process") that only reads
the change log, within the same call.
"""

import datetime
import random
import threading

import numpy as np
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from akteure.models import Akteur, Einrichtungsart, Sozialraum, Sprache
from angebote import suchindex
from angebote.filters import (
    AngebotFilterSet,
    auswerten,
    auswerten_mit_index,
    ids_mit_index,
    punkte_mit_index,
)
from angebote.models import Angebot, Format, Thema, Zielgruppe
from angebote.views import (
    ANGEBOTE,
    LISTENFELDER,
    PRO_SEITE,
    listenangebote,
)
from atlas import suchindex as atlas_suchindex
from atlas.karte import ausschnitt, kartendaten, kartendaten_aus_punkten
from atlas.models import Status
from atlas.suchindex import NeuAufbauen, Prozessindex
from netzwerke.models import Netzwerk
from tests import factories
from tests.admin_formular import formulardaten
from tests.factories import uebersetzen
from tests.test_import import importieren_ok


def filterset(parameter):
    daten = QueryDict(parameter) if parameter is not None else None
    queryset = listenangebote().only(*LISTENFELDER)
    return AngebotFilterSet(daten, queryset=queryset)


def beide(parameter, seite=1):
    """(SQL, index) results of one search: count, facets, page ids."""
    sql = auswerten(filterset(parameter).qs, seite=seite, pro_seite=PRO_SEITE)
    mit_index = auswerten_mit_index(filterset(parameter), seite=seite, pro_seite=PRO_SEITE)
    assert mit_index is not None, parameter
    return (
        (sql.anzahl, sql.facetten, sql.seite(seite)),
        (mit_index.anzahl, mit_index.facetten, mit_index.seite(seite)),
    )


@pytest.fixture
def daten(db):
    call_command("generate_data", angebote=350, akteure=120, netzwerke=5, seed=7)
    rng = random.Random(7)
    ids = list(Angebot.objects.values_list("pk", flat=True))
    heute = timezone.localdate()
    # The rules the index restates: validity dates, Fachpublikum-only, unpublished providers,
    # outdated records, titles shared by several offerings (ties broken by id).
    for pk in rng.sample(ids, 30):
        Angebot.objects.filter(pk=pk).update(
            gueltig_von=None, gueltig_bis=heute - datetime.timedelta(days=1)
        )
    for pk in rng.sample(ids, 30):
        Angebot.objects.filter(pk=pk).update(
            gueltig_von=heute + datetime.timedelta(days=1), gueltig_bis=None
        )
    for pk in rng.sample(ids, 20):
        Angebot.objects.filter(pk=pk).update(gueltig_von=heute, gueltig_bis=heute)
    for pk in rng.sample(ids, 40):
        Angebot.objects.filter(pk=pk).update(titel="Elterncafé")
    for pk in rng.sample(ids, 40):
        Angebot.objects.filter(pk=pk).update(
            geprueft_am=heute - datetime.timedelta(days=rng.randint(300, 500))
        )
    fach = Zielgruppe.objects.filter(fachpublikum=True).first() or Zielgruppe.objects.create(
        name="Fachkräfte", slug="fachkraefte", fachpublikum=True
    )
    for angebot in Angebot.objects.filter(pk__in=rng.sample(ids, 25)):
        angebot.zielgruppen.set([fach])
    for angebot in Angebot.objects.filter(pk__in=rng.sample(ids, 10)):
        angebot.zielgruppen.set([])
    for akteur in Akteur.objects.filter(status=Status.VEROEFFENTLICHT)[:8]:
        Akteur.objects.filter(pk=akteur.pk).update(status=Status.ARCHIVIERT)
    return rng


def zufaellige_suchen(rng, anzahl):
    themen = list(Thema.objects.values_list("slug", flat=True))
    zielgruppen = list(Zielgruppe.objects.values_list("slug", flat=True))
    sprachen = list(Sprache.objects.values_list("code", flat=True))
    netzwerke = list(Netzwerk.objects.veroeffentlicht().values_list("slug", flat=True))
    arten = list(Einrichtungsart.objects.values_list("slug", flat=True))
    anbieter = list(Akteur.objects.values_list("slug", flat=True)[:30])
    raeume = list(Sozialraum.objects.values_list("slug", flat=True)[:30])
    woerter = ["Beratung", "Eltern", "Kurs", "Muetter", "Hebame", "Stillberatung", "und", "Baby"]
    suchen = []
    for _ in range(anzahl):
        teile = []
        if rng.random() < 0.5:
            teile += [f"thema={t}" for t in rng.sample(themen, rng.randint(1, 2))]
        if rng.random() < 0.3:
            teile += [f"zielgruppe={z}" for z in rng.sample(zielgruppen, rng.randint(1, 2))]
        if rng.random() < 0.2:
            teile += [f"sprache={s}" for s in rng.sample(sprachen, rng.randint(1, 2))]
        if rng.random() < 0.3:
            teile += [f"format={f}" for f in rng.sample(Format.values, rng.randint(1, 2))]
        for merkmal in ("kostenlos", "barrierefrei", "kinderbetreuung", "ohne_anmeldung"):
            if rng.random() < 0.2:
                teile.append(f"{merkmal}=on")
        if rng.random() < 0.3:
            teile.append("alter=" + rng.choice(["4", "1, 5", "18m", "schwanger", "2,4", "12"]))
        if rng.random() < 0.15:
            teile.append("phase=" + rng.choice(["schwangerschaft", "0-1", "3-6", "16-27"]))
        if rng.random() < 0.3:
            teile.append("q=" + rng.choice(woerter))
        if rng.random() < 0.1 and netzwerke:
            teile.append("netzwerk=" + rng.choice(netzwerke))
        if rng.random() < 0.1:
            teile.append("einrichtungsart=" + rng.choice(arten))
        if rng.random() < 0.05:
            teile.append("anbieter=" + rng.choice(anbieter))
        if rng.random() < 0.1 and raeume:
            teile.append("sozialraum=" + rng.choice(raeume))
        if rng.random() < 0.3:
            teile.append("sortierung=" + rng.choice(["relevanz", "entfernung", "name", "geprueft"]))
        suchen.append("&".join(teile))
    return suchen


BESONDERE = [
    None,  # the list without parameters
    "",
    "seite=2",
    "q=%3F%21",  # no word in it
    "q=und",  # a stop word only
    "zielgruppe=fachkraefte",  # Fachpublikum chosen: its offerings come back
    "alter=unlesbar&thema=familienbildung",  # invalid field left out
    "thema=gibt-es-nicht",
    "alter=1, 5&kostenlos=on",
    "q=Eltern&sortierung=geprueft",
    "q=Eltern&sortierung=entfernung",
    "sortierung=geprueft",
    "kostenlos=on&barrierefrei=on&kinderbetreuung=on&ohne_anmeldung=on",
]


def test_index_und_sql_gleich(daten):
    suchen = BESONDERE + zufaellige_suchen(daten, 120)
    anzahlen = []
    for parameter in suchen:
        sql, mit_index = beide(parameter)
        assert mit_index == sql, parameter
        anzahlen.append(sql[0])
    # The combinations reach empty, small and large result sets alike.
    assert min(anzahlen) == 0
    assert sum(1 for n in anzahlen if 0 < n <= PRO_SEITE) >= 10
    assert sum(1 for n in anzahlen if n > PRO_SEITE) >= 25
    # Further pages of a broad list, the last one included.
    anzahl = beide("")[0][0]
    for seite in (2, 3, anzahl // PRO_SEITE + 1):
        sql, mit_index = beide("", seite=seite)
        assert mit_index == sql, seite


def test_index_und_sql_gleich_ohne_veraltete(daten, settings):
    settings.VERALTET_ANZEIGE = "ausblenden"
    for parameter in [*BESONDERE, *zufaellige_suchen(daten, 30)]:
        sql, mit_index = beide(parameter)
        assert mit_index == sql, parameter


# --- full text: posting lists in memory for frequent lexemes, the GIN index for rare ones ------


@pytest.fixture
def volltext_daten(daten):
    """The generated offerings plus words found in one place only: a provider's name, a
    translated title (Arabic), a translated topic name (English)."""
    akteur = Akteur.objects.filter(status=Status.VEROEFFENTLICHT, angebote__isnull=False)[10]
    akteur.name = "Kinderschutzbund Wunderland"
    akteur.save()  # the trigger writes the name into the vectors of its offerings
    angebote = list(Angebot.objects.filter(status=Status.VEROEFFENTLICHT).order_by("pk")[:40])
    for angebot in angebote[:6]:
        uebersetzen(angebot, "titel", "ar", "رضاعة طبيعية وتدليك الرضع")
    uebersetzen(angebote[7], "titel", "en", "Parents breakfast")
    thema = Thema.objects.filter(angebote__isnull=False).order_by("pk").first()
    uebersetzen(thema, "name", "en", "Wonderworld topic")
    return daten


VOLLTEXT = [
    ("de", "q=Beratung"),  # a common word
    ("de", "q=Eltern"),
    ("de", "q=Eltern&seite=2"),
    ("de", "q=Kurs&sortierung=name"),
    ("de", "q=Eltern&sortierung=geprueft"),
    ("de", "q=Beratung&kostenlos=on&thema=familienbildung"),
    ("de", "q=Hebame"),  # a typo: the most similar known word
    ("de", "q=Hebamme"),  # a rare word
    ("de", "q=Rückbildung"),  # beginning of longer words
    ("de", "q=Bera"),  # a short beginning
    ("de", "q=Stillberatung"),  # a compound: its first part
    ("de", "q=Muetter"),  # umlaut typed as ue
    ("de", "q=Eltern Baby"),  # several words
    ("de", "q=Kurs Eltern Beratung Familie"),
    ("de", "q=Wunderland"),  # only in a provider's name
    ("de", "q=und Eltern"),  # a stop word and a word
    ("de", "q=Elterncafé"),
    ("de", "q=info@example.org"),  # not a word: as it is
    ("ar", "q=رضاعة"),  # only in an Arabic translation, searched on the Arabic page
    ("de", "q=رضاعة"),  # translations in other languages: whole words
    ("ar", "q=Eltern"),  # German word on the Arabic page
    ("en", "q=breakfast"),  # an English translation on the English page
    ("en", "q=Wonderworld"),  # a topic's translated name: its offerings by the German name
    ("tr", "q=Beratung"),
]


@pytest.mark.parametrize("ab", [1, 8, 10**9])
def test_volltext_mit_index_wie_sql(volltext_daten, settings, ab):
    """Every kind of full-text search gives the same count, facets and pages (relevance order
    included) through the index as through SQL: with every lexeme in memory (ab=1), with the
    rare ones from the GIN index (8), and with none in memory."""
    settings.SUCHINDEX_WORT_AB = ab
    suchindex.INDEX.verwerfen()
    anzahlen = {}
    for sprache, parameter in VOLLTEXT:
        seite = 2 if "seite=2" in parameter else 1
        with translation.override(sprache):
            cache.clear()
            sql, mit_index = beide(parameter, seite=seite)
        assert mit_index == sql, (sprache, parameter)
        anzahlen[(sprache, parameter)] = sql[0]
    # The cases find what they are there for.
    assert anzahlen[("de", "q=Eltern")] > 100
    assert 0 < anzahlen[("de", "q=Wunderland")] < 20
    assert 3 <= anzahlen[("ar", "q=رضاعة")] <= 6  # some of the six are not in the list
    assert anzahlen[("en", "q=breakfast")] <= 1
    assert anzahlen[("en", "q=Wonderworld")] > 0
    assert anzahlen[("de", "q=Hebame")] > 0
    with suchindex.INDEX.aktuell() as index:
        if ab == 1:
            assert index.woerter.haeufig and not index.woerter.selten
        elif ab == 8:
            assert index.woerter.haeufig and index.woerter.selten
        else:
            assert not index.woerter.haeufig


@pytest.mark.parametrize(
    ("sprache", "parameter"), [("de", "q=Eltern"), ("de", "q=Beratung"), ("ar", "q=رضاعة")]
)
def test_volltext_ganze_reihenfolge_wie_sql(volltext_daten, settings, sprache, parameter):
    """Every hit in relevance order, not just the first pages: level, then title, then id (the
    generated data repeat titles), through the index as through SQL."""
    settings.SUCHINDEX_WORT_AB = 8
    suchindex.INDEX.verwerfen()
    with translation.override(sprache):
        sql = list(filterset(parameter).qs.values_list("pk", flat=True))
        mit_index = ids_mit_index(filterset(parameter))
    assert len(sql) > 3
    assert mit_index is not None and mit_index.tolist() == sql


def test_volltext_liest_uebersetzungen_einmal(volltext_daten, client):
    """A list with a query reads the translations once: its SQL filter and the index share
    what was found (the same rows as SQL alone: test_volltext_mit_index_wie_sql)."""
    cache.clear()
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get("/ar/angebote/?q=" + "رضاعة")
    assert antwort.status_code == 200
    gelesen = [a["sql"] for a in abfragen.captured_queries if '"atlas_uebersetzung"' in a["sql"]]
    assert len([s for s in gelesen if "to_tsvector" in s]) == 1


# What a statement of a list request reads, by the first of these tables it names.
TABELLEN = (
    "atlas_suchwort",
    "angebote_suchindex_aenderung",
    "angebote_angebot",
    "atlas_uebersetzung",
    "akteure_sozialraum",
)


def gelesene_tabellen(abfragen):
    return [
        next((t for t in TABELLEN if t in a["sql"]), a["sql"][:40])
        for a in abfragen.captured_queries
    ]


@pytest.mark.parametrize(
    ("pfad", "tabellen"),
    [
        (
            "/angebote/?q=Eltern",
            [
                "atlas_suchwort",  # the word's stem and frequency (atlas.suche)
                "atlas_uebersetzung",  # found in a translation (German page: whole words)
                "angebote_suchindex_aenderung",  # the index brought up to date
                "angebote_angebot",  # the page's rows by id
                # (the region choices: from the copy beside the index, migration 0032)
            ],
        ),
        (
            "/ar/angebote/?q=Eltern",
            [
                "atlas_suchwort",
                "atlas_uebersetzung",  # also as beginnings of Arabic words
                "angebote_suchindex_aenderung",
                "angebote_angebot",
                "atlas_uebersetzung",  # the rows' Arabic titles
            ],
        ),
    ],
)
def test_volltext_anweisungen(volltext_daten, client, settings, pfad, tabellen):
    """A list with a common full-text word, answered by the index with the cache cold, asks
    the database exactly these statements in German and Arabic: each costs a round trip on
    every search, so one more shows here. As on the bench: the word's lexemes in memory (a
    common word), no search budget (bench/run.sh)."""
    settings.SUCHINDEX_WORT_AB = 1
    settings.SUCHBUDGET_PUNKTE = 0
    suchindex.INDEX.verwerfen()
    assert client.get(pfad).status_code == 200  # the index built, the vocabularies read
    cache.clear()
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get(pfad)
    assert antwort.status_code == 200 and antwort.context["paginator"].count > 20
    assert gelesene_tabellen(abfragen) == tabellen


def test_volltext_zufaellig_mit_index_wie_sql(daten, settings):
    settings.SUCHINDEX_WORT_AB = 5
    suchindex.INDEX.verwerfen()
    for parameter in zufaellige_suchen(daten, 60):
        if "q=" not in parameter:
            parameter += "&q=" + daten.choice(["Eltern", "Beratung", "Kurs", "Baby", "Treff"])
        sql, mit_index = beide(parameter)
        assert mit_index == sql, parameter


def test_ortssuche_bleibt_bei_sql(db):
    assert suchindex.anfrage_aus(filterset("lat=48.74&lon=9.31")) is None


# --- change log: a second process sees every write path ---------------------------------------


@pytest.fixture
def zweiter_prozess(db):
    """A search of an index built before the change, as another worker holds it: it applies
    the change log (one query) and answers like the SQL path."""
    prozess = Prozessindex(suchindex.AngebotIndex)
    with prozess.aktuell():
        pass

    def sieht(parameter=""):
        anfrage = suchindex.anfrage_aus(filterset(parameter))
        with prozess.aktuell() as index:
            sieht.index = index
            maske, relevanz = index.maske(anfrage)
            return index.ids[index.reihenfolge(maske, relevanz, anfrage.sortierung)].tolist()

    return sieht


def sql_ids(parameter=""):
    return list(filterset(parameter).qs.values_list("pk", flat=True))


@pytest.fixture
def zwei_angebote(db):
    return (
        factories.AngebotFactory(titel="Babymassage am Morgen"),
        factories.AngebotFactory(titel="Zwergencafé"),
    )


def test_admin_speichern(admin_client, zwei_angebote, zweiter_prozess):
    massage, cafe = zwei_angebote
    assert zweiter_prozess() == sql_ids() == [massage.pk, cafe.pk]
    url = reverse("admin:angebote_angebot_change", args=[cafe.pk])
    antwort = admin_client.post(url, formulardaten(admin_client.get(url), titel="Abendcafé"))
    assert antwort.status_code == 302
    # A new title: a new place in the list.
    assert zweiter_prozess() == sql_ids() == [cafe.pk, massage.pk]
    assert zweiter_prozess("kostenlos=on") == sql_ids("kostenlos=on") == [cafe.pk, massage.pk]


def test_admin_neu_und_loeschen(admin_client, zwei_angebote, zweiter_prozess):
    massage, cafe = zwei_angebote
    neu = factories.AngebotFactory(titel="Mittagstreff")
    assert zweiter_prozess() == sql_ids() == [massage.pk, neu.pk, cafe.pk]
    antwort = admin_client.post(
        reverse("admin:angebote_angebot_delete", args=[massage.pk]), {"post": "yes"}
    )
    assert antwort.status_code == 302
    assert zweiter_prozess() == sql_ids() == [neu.pk, cafe.pk]


def test_rohes_sql(zwei_angebote, zweiter_prozess):
    massage, cafe = zwei_angebote
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE angebote_angebot SET kosten = 'kostenbeitrag', alter_von_monate = 12, "
            "alter_bis_monate = 36 WHERE id = %s",
            [massage.pk],
        )
    assert zweiter_prozess("kostenlos=on") == sql_ids("kostenlos=on") == [cafe.pk]
    assert zweiter_prozess("alter=5") == sql_ids("alter=5") == [cafe.pk]
    assert zweiter_prozess("alter=2") == sql_ids("alter=2") == [massage.pk, cafe.pk]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE angebote_angebot SET status = 'entwurf' WHERE id = %s", [cafe.pk])
    assert zweiter_prozess() == sql_ids() == [massage.pk]


def test_themen_und_zielgruppen_geaendert(zwei_angebote, zweiter_prozess):
    massage, cafe = zwei_angebote
    thema = Thema.objects.filter(oberthema__isnull=False).first()
    massage.themen.set([thema])
    parameter = f"thema={thema.oberthema.slug}"
    assert zweiter_prozess(parameter) == sql_ids(parameter) == [massage.pk]
    fach = Zielgruppe.objects.create(name="Hebammen", slug="hebammen", fachpublikum=True)
    cafe.zielgruppen.set([fach])
    assert zweiter_prozess() == sql_ids() == [massage.pk]
    assert zweiter_prozess("zielgruppe=hebammen") == sql_ids("zielgruppe=hebammen") == [cafe.pk]


def test_thema_umbenannt(zwei_angebote, zweiter_prozess):
    massage, _ = zwei_angebote
    thema = Thema.objects.filter(oberthema__isnull=True).first()
    massage.themen.set([thema])
    alt = thema.slug
    assert zweiter_prozess(f"thema={alt}") == [massage.pk]
    index = zweiter_prozess.index
    Thema.objects.filter(pk=thema.pk).update(slug="ganz-neu")
    # The vocabulary changed: the index is read again (what the slugs in the URL mean).
    assert zweiter_prozess("thema=ganz-neu") == sql_ids("thema=ganz-neu") == [massage.pk]
    assert zweiter_prozess.index is not index
    assert auswerten_mit_index(filterset("thema=ganz-neu")).facetten["thema"] == {"ganz-neu": 1}


def test_anbieter_nicht_mehr_veroeffentlicht(zwei_angebote, zweiter_prozess):
    massage, cafe = zwei_angebote
    Akteur.objects.filter(pk=cafe.anbieter_id).update(status=Status.ARCHIVIERT)
    assert zweiter_prozess() == sql_ids() == [massage.pk]
    Akteur.objects.filter(pk=cafe.anbieter_id).update(status=Status.VEROEFFENTLICHT)
    assert zweiter_prozess() == sql_ids() == [massage.pk, cafe.pk]


def test_historie_zuruecksetzen(admin_client, zwei_angebote, zweiter_prozess):
    massage, cafe = zwei_angebote
    vorher = cafe.history.latest() if cafe.history.exists() else None
    url = reverse("admin:angebote_angebot_change", args=[cafe.pk])
    admin_client.post(url, formulardaten(admin_client.get(url), titel="Abendcafé"))
    if vorher is None:
        vorher = cafe.history.earliest()
    assert zweiter_prozess() == sql_ids() == [cafe.pk, massage.pk]
    zurueck = reverse("admin:angebote_angebot_simple_history", args=[cafe.pk, vorher.history_id])
    antwort = admin_client.post(zurueck, formulardaten(admin_client.get(zurueck)))
    assert antwort.status_code == 302
    cafe.refresh_from_db()
    assert cafe.titel == "Zwergencafé"
    assert zweiter_prozess() == sql_ids() == [massage.pk, cafe.pk]


def test_import(admin_client, zwei_angebote, zweiter_prozess):
    massage, cafe = zwei_angebote
    inhalt = (
        "Kurzname;Titel;Anbieter;Format;Status\r\n"
        f"{cafe.slug};Abendcafé;{cafe.anbieter.slug};Offener Treff;veröffentlicht\r\n"
    ).encode()
    importieren_ok(admin_client, "angebote_angebot", inhalt)  # preview, confirm, redirect
    cafe.refresh_from_db()
    assert cafe.titel == "Abendcafé"
    assert zweiter_prozess() == sql_ids() == [cafe.pk, massage.pk]


def test_generate_data(zweiter_prozess):
    call_command("generate_data", angebote=60, akteure=30, netzwerke=2, seed=3)
    assert zweiter_prozess() == sql_ids()
    assert len(sql_ids()) > 20


@pytest.fixture
def wort_ab(request, settings):
    settings.SUCHINDEX_WORT_AB = request.param
    return request.param


@pytest.mark.parametrize("wort_ab", [1, 10**9], indirect=True)
def test_volltext_folgt_jeder_aenderung(
    wort_ab, admin_client, zwei_angebote, zweiter_prozess, monkeypatch
):
    """Words are read again for every changed offering (title, description, topics, the
    provider's name) by the other process, through the change log; with every word in memory
    (ab=1) and with none. Overlay postings are merged into the main arrays on the way."""
    monkeypatch.setattr(atlas_suchindex, "ZUSAMMENFUEHREN_AB", 10)
    zusammengefuehrt = []
    zusammenfuehren = atlas_suchindex.Wortindex._zusammenfuehren

    def mitzaehlen(wortindex):
        zusammengefuehrt.append(1)
        zusammenfuehren(wortindex)

    monkeypatch.setattr(atlas_suchindex.Wortindex, "_zusammenfuehren", mitzaehlen)
    massage, cafe = zwei_angebote
    weitere = [factories.AngebotFactory(titel=f"Spielgruppe {n}") for n in range(3)]
    zweiter_prozess()  # built with these rows

    def gleich(*woerter):
        for wort in woerter:
            parameter = f"q={wort}"
            assert zweiter_prozess(parameter) == sql_ids(parameter), wort

    gleich("Eltern", "Babymassage", "Spielgruppe", "Zwergencafé", "Morgen")
    # Admin: a new title.
    url = reverse("admin:angebote_angebot_change", args=[cafe.pk])
    antwort = admin_client.post(url, formulardaten(admin_client.get(url), titel="Abendcafé Eltern"))
    assert antwort.status_code == 302
    assert zweiter_prozess("q=Zwergencafé") == sql_ids("q=Zwergencafé") == []
    gleich("Abendcafé", "Eltern", "Abend")
    # Raw SQL: a description with new and old words.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE angebote_angebot SET beschreibung = 'Zauberflöte und Spielgruppe' "
            "WHERE id = %s",
            [massage.pk],
        )
    assert zweiter_prozess("q=Zauberflöte") == sql_ids("q=Zauberflöte") == [massage.pk]
    gleich("Spielgruppe", "Eltern", "Zauber")
    # Topics (weight B) and the provider's name.
    thema = Thema.objects.filter(oberthema__isnull=True).first()
    weitere[0].themen.set([thema])
    gleich(thema.name.split()[0], "Spielgruppe")
    Akteur.objects.filter(pk=weitere[1].anbieter_id).update(name="Drachenhöhle e. V.")
    with connection.cursor() as cursor:  # what the rename trigger does on a save
        cursor.execute(
            "UPDATE angebote_angebot SET suchvektor = NULL WHERE anbieter_id = %s",
            [weitere[1].anbieter_id],
        )
    assert zweiter_prozess("q=Drachenhöhle") == sql_ids("q=Drachenhöhle") == [weitere[1].pk]
    anbieter = weitere[2].anbieter
    anbieter.name = "Kobold Verein"
    anbieter.save()
    assert zweiter_prozess("q=Kobold") == sql_ids("q=Kobold") == [weitere[2].pk]
    # New and deleted offerings, an unpublished one.
    neu = factories.AngebotFactory(titel="Zauberflöte für Kinder")
    gleich("Zauberflöte", "Kinder", "Eltern")
    weitere[0].delete()
    Angebot.objects.filter(pk=neu.pk).update(status=Status.ENTWURF)
    gleich("Zauberflöte", "Spielgruppe", "Eltern", thema.name.split()[0])
    if wort_ab == 1:
        assert zweiter_prozess.index.woerter.haeufig
        # The overlay grew past its limit and was merged, nothing lost.
        assert zusammengefuehrt


def test_datum_vergeht(zwei_angebote, zweiter_prozess):
    """Validity dates are compared with today on every search: when a day passes, nothing has
    to be written for an offering to end or begin."""
    massage, cafe = zwei_angebote
    heute = timezone.localdate()
    Angebot.objects.filter(pk=massage.pk).update(gueltig_bis=heute)
    Angebot.objects.filter(pk=cafe.pk).update(gueltig_von=heute + datetime.timedelta(days=1))
    assert zweiter_prozess() == sql_ids() == [massage.pk]
    index = zweiter_prozess.index
    morgen = heute + datetime.timedelta(days=1)
    assert index.ids[index.sichtbar(tag=morgen)].tolist() == [cafe.pk]


def karten_filterset(parameter):
    return AngebotFilterSet(QueryDict(parameter), queryset=listenangebote())


def ohne_reihenfolge(daten):
    """Features in a fixed order: SQL groups them in no particular one."""
    return {
        **daten,
        "features": sorted(daten["features"], key=lambda f: f["geometry"]["coordinates"]),
    }


@pytest.mark.parametrize(
    "bbox",
    [
        "5.5,47,15.5,55.2",  # Germany: clusters
        "7.5,47.5,10.5,49.8",  # a Land
        "13.2,52.4,13.6,52.65",  # a city
        "9.0,48.5,9.6,48.9",
        "1,1,2,2",  # nothing there
    ],
)
@pytest.mark.parametrize("block", [None, 7])
def test_karte_mit_index_wie_sql(daten, bbox, block, monkeypatch):
    """The map from the index equals SQL's; also when its rows are read in blocks of 7 (a
    block boundary inside cells and places: at 1M offerings there are 13 of 65,536)."""
    if block:
        monkeypatch.setattr("atlas.karte.BLOCK", block)
    themen = list(Thema.objects.values_list("slug", flat=True)[:3])
    for parameter in ["", "kostenlos=on", f"thema={themen[0]}&alter=4", "q=Eltern", "format=kurs"]:
        bild = ausschnitt(bbox)
        cache.clear()
        sql = kartendaten(karten_filterset(parameter).qs, **bild, inhalt=ANGEBOTE)
        fs = karten_filterset(parameter)
        mit_index = kartendaten_aus_punkten(fs.qs, punkte_mit_index(fs), **bild, inhalt=ANGEBOTE)
        assert ohne_reihenfolge(mit_index) == ohne_reihenfolge(sql), (bbox, parameter)


def test_aufbau_im_hintergrund(zwei_angebote):
    """A new worker answers from SQL while its index is read in a thread; the index then
    catches up through the change log (here: the test's own, uncommitted rows)."""
    prozess = Prozessindex(suchindex.AngebotIndex)
    with prozess.aktuell(warten=False) as index:
        assert index is None
    for faden in threading.enumerate():
        if faden.name == "suchindex":
            faden.join(60)
    with prozess.aktuell(warten=False) as index:
        assert index is not None
        assert index.ids[index.sichtbar()].tolist() == [a.pk for a in zwei_angebote]


def test_fehlgeschlagener_aufbau_wird_nicht_bei_jeder_anfrage_wiederholt():
    versuche = []

    def bauen():
        versuche.append(1)
        raise NeuAufbauen("ids too sparse")

    prozess = Prozessindex(bauen)
    with pytest.raises(NeuAufbauen), prozess.aktuell():
        pass
    for _ in range(3):
        with prozess.aktuell() as index:
            assert index is None  # SQL answers
    assert len(versuche) == 1


def test_mehrfachwerte_zaehlen_wie_von_hand():
    """Facet counts from the bit sets: every value's rows among the mask, also after a change
    (new rows past the old last one, values gone), with a mask longer than the rows with
    values and with a pair given twice."""
    rng = np.random.default_rng(3)
    zeilen = rng.integers(0, 1000, 3000)
    werte = rng.integers(1, 40, 3000)
    zeilen[:2], werte[:2] = 5, 7  # the same pair twice counts once per row

    def von_hand(zeilen, werte, maske):
        paare = {(int(z), int(w)) for z, w in zip(zeilen, werte, strict=True) if maske[z]}
        zahlen = {}
        for _, w in paare:
            zahlen[w] = zahlen.get(w, 0) + 1
        return zahlen

    mw = atlas_suchindex.Mehrfachwerte(zeilen, werte)
    for _ in range(3):
        maske = rng.random(1130) < 0.4
        assert mw.zaehlen(maske) == von_hand(zeilen, werte, maske)
    neu_zeilen, neu_werte = np.array([3, 3, 1100, 1129]), np.array([2, 50, 2, 7])
    mw.ersetzen(np.array([3, 1100, 1129]), atlas_suchindex.Mehrfachwerte(neu_zeilen, neu_werte))
    behalten = zeilen != 3
    alle_zeilen = np.concatenate([zeilen[behalten], neu_zeilen])
    alle_werte = np.concatenate([werte[behalten], neu_werte])
    maske = np.ones(1200, dtype=bool)
    maske[rng.integers(0, 1200, 300)] = False
    assert mw.zaehlen(maske) == von_hand(alle_zeilen, alle_werte, maske)
    assert atlas_suchindex.Mehrfachwerte([], []).zaehlen(maske) == {}


def test_mehrfachwerte_maske_und_paare_wie_von_hand():
    """The rows of some values (a filter) and the pairs given back, from the bit sets: rows at
    the edges of a 64-bit word, a mask longer than the rows with values, a value never given,
    a pair whose row the index does not hold (-1, left out)."""
    zeilen = np.array([0, 63, 64, 127, 128, 63, 200, -1])
    werte = np.array([5, 5, 5, 9, 9, 9, 12, 5])
    mw = atlas_suchindex.Mehrfachwerte(zeilen, werte)
    assert np.flatnonzero(mw.maske([5], 300)).tolist() == [0, 63, 64]
    assert np.flatnonzero(mw.maske([9, 12, 77], 300)).tolist() == [63, 127, 128, 200]
    assert not mw.maske([77], 300).any()
    assert len(mw.maske([5], 300)) == 300
    paare = mw.paare()
    assert sorted(zip(paare[1].tolist(), paare[0].tolist(), strict=True)) == [
        (5, 0), (5, 63), (5, 64), (9, 63), (9, 127), (9, 128), (12, 200)
    ]  # fmt: skip
    maske = np.zeros(300, dtype=bool)
    maske[[63, 200, 250]] = True
    assert mw.zaehlen(maske) == {5: 1, 9: 1, 12: 1}


def test_wortindex_zeilen_ueber_blockgrenzen():
    """The postings' rows are kept as their low 16 bits and where each lexeme's rows of each
    block of 65,536 rows begin, their weights as two bits: every row comes back, at the edges
    of the blocks too, for a lexeme with rows in one block, in blocks far apart, and with
    none; every posting's weight bits too."""
    woerter = atlas_suchindex.Wortindex.__new__(atlas_suchindex.Wortindex)
    woerter.haeufig = ["a", "b", "c", "d"]
    je_lexem = [
        [0, 1, 65535, 65536, 65537, 131071, 131072, 200000],
        [70000, 70001],
        [],
        [5, 196607, 196608],
    ]
    lexeme = np.repeat(np.arange(4), [len(z) for z in je_lexem])
    zeilen = np.concatenate([np.array(z, dtype=np.int32) for z in je_lexem])
    bits = (np.arange(len(zeilen)) % 4 | atlas_suchindex.VORHANDEN).astype(np.uint8)
    woerter._setzen(lexeme, zeilen, bits)
    assert woerter.tief.dtype == np.uint16
    assert [woerter._zeilen(k).tolist() for k in range(4)] == je_lexem
    # A range of lexemes at once (a prefix).
    for von, bis in ((0, 4), (1, 3), (2, 4), (3, 4)):
        assert woerter._zeilen_von_bis(von, bis).tolist() == sum(je_lexem[von:bis], [])
    # The weight bits, two a posting, for every slice (each start and end within a byte).
    assert woerter.gewichte.nbytes == (len(zeilen) + 3) // 4
    for von in range(len(zeilen) + 1):
        for bis in range(von, len(zeilen) + 1):
            assert woerter._bits(von, bis).tolist() == bits[von:bis].tolist()
