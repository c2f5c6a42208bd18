"""The list view's work outside the templates (bench/RESULTS-suchindex.md, session 10): the
FilterSet's SQL is built only when SQL answers, its form class once per class, the names of a
vocabulary looked up once per list — and the page is the same either way, index or SQL."""

import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import override_settings
from django.utils import translation

from angebote import suchindex
from angebote.filters import AngebotFilterSet, auswerten_mit_index
from angebote.models import Format, Kosten, Thema, Zielgruppe
from angebote.views import AngebotListView
from atlas.listen import karten_einstellungen
from tests.factories import AkteurFactory, AngebotFactory, sprache, thema, uebersetzen

pytestmark = pytest.mark.django_db

SUCHEN = [
    "",
    "?thema=gesundheit",
    "?thema=gesundheit&kostenlos=on&format=kurs",
    "?alter=3&thema=baby-kleinkind",
    "?alter=1%2C+5",
    "?wo=73728",
    "?wo=73728&umkreis=20&alter=4",
    "?q=Eltern",
    "?q=Eltern&sortierung=name",
    "?sortierung=geprueft",
    "?zielgruppe=fachkrafte",
    "?alter=abc&seite=x&thema=gibtsnicht",
    "?seite=99&sprache=ar",
    "?wo=gibtsnicht&lat=48",
]


@pytest.fixture
def angebote():
    anbieter = AkteurFactory(name="Familienzentrum Pliensau")
    for k in range(25):
        AngebotFactory(
            titel=f"Elternkurs {k:02d}",
            anbieter=anbieter,
            plz="73728",
            ort="Esslingen am Neckar",
            format=Format.KURS if k % 2 else Format.OFFENER_TREFF,
            kosten=Kosten.KOSTENLOS if k % 3 else Kosten.KOSTENBEITRAG,
            alter_von_monate=12 * (k % 5),
            alter_bis_monate=12 * (k % 5) + 24,
            themen=[thema("kindergesundheit" if k % 2 else "baby-kleinkind")],
            sprachen=[sprache("ar")] if k % 4 == 0 else [],
        )


def ohne_nonce(html):
    return re.sub(r'nonce="[^"]+"', "", html)


def seiten(client, praefix=""):
    ergebnis = {}
    for suche in SUCHEN:
        cache.clear()
        antwort = client.get(f"{praefix}/angebote/{suche}")
        assert antwort.status_code == 200, suche
        ergebnis[suche] = ohne_nonce(antwort.content.decode())
    return ergebnis


@pytest.mark.parametrize("praefix", ["", "/ar"])
def test_the_list_is_the_same_from_the_index_and_from_sql(client, angebote, praefix):
    with override_settings(SUCHINDEX=False):
        sql = seiten(client, praefix)
    index = seiten(client, praefix)  # the first request builds the index
    for suche in SUCHEN:
        assert index[suche] == sql[suche], suche
    if praefix:
        return
    # Bad input is explained in German, the rest still filters.
    assert "„abc“ verstehen wir nicht als Alter" in sql["?alter=abc&seite=x&thema=gibtsnicht"]
    assert "Die Seitenzahl war ungültig" in sql["?alter=abc&seite=x&thema=gibtsnicht"]


def test_the_index_path_builds_no_sql_filter(angebote):
    with suchindex.INDEX.aktuell(warten=True):
        pass
    queryset = AngebotListView().get_queryset()
    filterset = AngebotFilterSet(QueryDict("q=Eltern&thema=baby-kleinkind"), queryset=queryset)
    auswertung = auswerten_mit_index(filterset)
    assert not hasattr(filterset, "_qs")  # the SQL was never built
    assert filterset.suchanfrage.text == "Eltern"  # the words read all the same
    # Asked for afterwards, the SQL finds the same rows.
    assert auswertung.anzahl == filterset.qs.count() == 13


def test_the_form_class_is_made_once_and_each_form_has_its_own_fields():
    erstes = AngebotFilterSet(QueryDict("thema=gesundheit"))
    zweites = AngebotFilterSet(QueryDict("sprache=ar"))
    assert type(erstes.form) is type(zweites.form)
    for name in ("thema", "sozialraum", "format", "phase"):
        assert erstes.form.fields[name] is not zweites.form.fields[name]
        assert erstes.form.fields[name].widget is not zweites.form.fields[name].widget
    # Each form's queryset is its own: rows read in one request are not kept for the next.
    regionen = erstes.form.fields["sozialraum"].queryset
    assert regionen is not zweites.form.fields["sozialraum"].queryset
    # Each FilterSet's filters call its own methods.
    assert erstes.filters["thema"].parent is erstes and zweites.filters["thema"].parent is zweites
    assert erstes.filters["thema"] is not zweites.filters["thema"]
    assert [str(text) for _, text in erstes.form.fields["sortierung"].choices] == [
        "Relevanz",
        "Entfernung",
        "Name",
        "zuletzt geprüft",
    ]


def test_names_of_a_whole_vocabulary_are_what_each_entry_says():
    haupt = thema("gesundheit")
    unter = Thema.objects.create(name="Zahngesundheit", slug="zahngesundheit", oberthema=haupt)
    tief = Thema.objects.create(name="Zähneputzen", slug="zaehneputzen", oberthema=unter)
    uebersetzen(haupt, "name", "ar", "الصحة")
    uebersetzen(tief, "name", "ar", "تنظيف الأسنان")
    uebersetzen(Zielgruppe.objects.first(), "name", "ar", "مجموعة")
    themen = list(Thema.objects.select_related("oberthema"))
    zielgruppen = list(Zielgruppe.objects.all())
    for sprache_ in ("de", "ar", "en"):
        with translation.override(sprache_):
            assert Thema.namen(themen) == [str(t) for t in themen]
            assert Zielgruppe.namen(zielgruppen) == [str(z) for z in zielgruppen]
    with translation.override("ar"):
        assert str(tief) == "الصحة › Zahngesundheit › تنظيف الأسنان"


def test_map_settings_follow_the_language_and_the_settings():
    with translation.override("de"):
        deutsch = karten_einstellungen()
        assert deutsch["texte"]["plus"] == "Vergrößern"
        assert karten_einstellungen() is deutsch  # made once per language
    with translation.override("en"):
        assert karten_einstellungen()["texte"]["plus"] != "Vergrößern"
    with override_settings(MAP_TILE_URL="https://kacheln.example.org/{z}/{x}/{y}.png"):
        assert karten_einstellungen()["kachel_url"].startswith("https://kacheln.example.org/")
    assert karten_einstellungen()["kachel_url"] == deutsch["kachel_url"]
