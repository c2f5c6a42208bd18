"""The filter form beside the list: built from the FilterSet's choices and the facet counts,
without rendering a widget per choice (bench/RESULTS.md)."""

import re

import pytest

from angebote.models import Format
from atlas.models import punkt_aus
from tests.factories import AkteurFactory, AngebotFactory, NetzwerkFactory, sprache, thema

pytestmark = pytest.mark.django_db

ESSLINGEN = punkt_aus(48.7407, 9.3083)


def formular(client, pfad="/angebote/", **abfrage):
    inhalt = client.get(pfad, abfrage).content.decode()
    anfang = inhalt.index('<details class="filter"')
    return inhalt[anfang : inhalt.index("</details>", anfang)]


def kaestchen(html, name):
    """{value: (checked, count)} of the checkboxes called `name`."""
    return {
        wert: (bool(an), int(zahl))
        for wert, an, zahl in re.findall(
            rf'<input type="checkbox" name="{name}" value="([^"]*)"( checked)?>[^<]*'
            r'<span class="anzahl">\((\d+)\)</span>',
            html,
        )
    }


def auswahl(html, name):
    """[(value, selected)] of the select called `name`."""
    liste = re.search(rf'<select name="{name}" id="id_{name}">(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"( selected)?>', liste.group(1))


def test_choices_show_their_counts_and_hide_those_without_hits(client):
    AngebotFactory(sprachen=[sprache("ar"), sprache("tr")], themen=[thema("babymassage")])
    AngebotFactory(sprachen=[sprache("ar")], format=Format.KURS)
    html = formular(client)
    assert kaestchen(html, "sprache") == {"ar": (False, 2), "tr": (False, 1)}
    assert kaestchen(html, "format") == {"offener_treff": (False, 1), "kurs": (False, 1)}
    # A subtopic's label names its main topic; the main topic counts its subtopics' offerings.
    assert "> Baby &amp; Kleinkind › Babymassage <" in html
    assert kaestchen(html, "thema") == {"baby-kleinkind": (False, 1), "babymassage": (False, 1)}


def test_a_ticked_choice_stays_ticked_even_without_hits(client):
    AngebotFactory(sprachen=[sprache("ar")])
    html = formular(client, sprache="uk", kostenlos="on")
    assert kaestchen(html, "sprache") == {"uk": (True, 0)}
    merkmale = kaestchen(html, "kostenlos")
    assert merkmale == {"on": (True, 0)}
    # Yes/no filters are always offered, even with no hit.
    assert kaestchen(html, "barrierefrei") == {"on": (False, 0)}
    # A group with nothing to offer is left out instead of showing an empty box.
    assert "<legend>Thema</legend>" not in html
    # "Für wen" always offers Fachkräfte (left out of family results unless ticked), uncounted.
    assert re.findall(r'name="zielgruppe" value="([^"]*)"> ([^<]*)</label>', html) == [
        ("fachkrafte", "Fachkräfte")
    ]


def test_the_format_group_is_called_format_not_file_format(client):
    AngebotFactory()
    html = formular(client)
    assert "<legend>Format</legend>" in html
    assert "Dateiformat" not in html


def test_sort_choice_offers_distance_only_near_a_place(client):
    AngebotFactory(standort=ESSLINGEN)
    ohne_ort = auswahl(formular(client, sortierung="entfernung"), "sortierung")
    assert ohne_ort == [("name", " selected"), ("geprueft", "")]
    mit_ort = auswahl(formular(client, wo="73728"), "sortierung")
    assert mit_ort == [("entfernung", " selected"), ("name", ""), ("geprueft", "")]
    geprueft = auswahl(formular(client, wo="73728", sortierung="geprueft"), "sortierung")
    assert ("geprueft", " selected") in geprueft


def test_life_phase_choice_has_a_readable_empty_choice(client):
    html = formular(client, phase="3-6")
    phasen = auswahl(html, "phase")
    assert phasen[0] == ("", "") and ("3-6", " selected") in phasen
    assert ">alle Lebensphasen</option>" in html
    assert "---------" not in html


def test_the_form_carries_the_other_search_parameters(client):
    netzwerk = NetzwerkFactory()
    AngebotFactory(netzwerk=netzwerk, standort=ESSLINGEN)
    html = formular(client, q="Treff", wo="73728", alter="4", netzwerk=netzwerk.slug)
    for name, wert in [("q", "Treff"), ("wo", "73728"), ("alter", "4")]:
        assert f'<input type="hidden" name="{name}" value="{wert}">' in html
    assert f'<input type="hidden" name="netzwerk" value="{netzwerk.slug}">' in html
    # Values are escaped like everywhere else.
    html = formular(client, q='"><script>alert(1)</script>')
    assert "<script>alert(1)" not in html


def test_actor_list_form_has_the_same_parts(client):
    AkteurFactory(barrierefrei=True, standort=ESSLINGEN)
    html = formular(client, "/akteure/", bereich="bildung")
    assert kaestchen(html, "barrierefrei") == {"on": (False, 0)}
    assert ("bildung", " selected") in auswahl(html, "bereich")
    assert auswahl(html, "bereich")[0] == ("", "")
    html = formular(client, "/akteure/", barrierefrei="on")
    assert kaestchen(html, "barrierefrei") == {"on": (True, 1)}
    assert "barrierefrei zugänglich" in html


def test_sort_choices_follow_query_and_place(client):
    """Relevance is the first choice with a query, distance with a place, else the name."""
    AngebotFactory(titel="Babymassage", standort=ESSLINGEN)
    assert auswahl(formular(client, alter="4"), "sortierung") == [
        ("name", " selected"),
        ("geprueft", ""),
    ]
    assert auswahl(formular(client, wo="73728"), "sortierung") == [
        ("entfernung", " selected"),
        ("name", ""),
        ("geprueft", ""),
    ]
    assert auswahl(formular(client, q="Babymassage", wo="73728"), "sortierung") == [
        ("relevanz", " selected"),
        ("entfernung", ""),
        ("name", ""),
        ("geprueft", ""),
    ]
    assert auswahl(formular(client, q="Babymassage", sortierung="name"), "sortierung") == [
        ("relevanz", ""),
        ("name", " selected"),
        ("geprueft", ""),
    ]
