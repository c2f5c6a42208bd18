"""The three public lists share one frame (templates/_liste.html) and one search form: a field or
a filter group added in Python appears on the page without touching a template."""

import re

import django_filters
import pytest

from akteure.views import AkteurListView
from atlas.listen import auswahlliste
from netzwerke.filters import NetzwerkFilterSet
from netzwerke.views import NetzwerkListView
from tests.factories import AkteurFactory, AngebotFactory, NetzwerkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("pfad", "eigene_vorlage"),
    [
        ("/angebote/", "angebote/angebot_list.html"),
        ("/akteure/", "akteure/akteur_list.html"),
        ("/netzwerke/", "netzwerke/netzwerk_list.html"),
    ],
)
def test_every_list_uses_the_one_frame_and_search_form(client, pfad, eigene_vorlage):
    AngebotFactory()
    NetzwerkFactory()
    antwort = client.get(pfad)
    vorlagen = {t.name for t in antwort.templates}
    assert {eigene_vorlage, "_liste.html", "_suchformular.html"} <= vorlagen
    assert antwort.content.decode().count('role="search"') == 1


def test_a_field_added_to_a_filterset_appears_in_the_search_form(client, monkeypatch):
    class MitFoerderung(NetzwerkFilterSet):
        foerderung = django_filters.CharFilter(label="Förderung", method="ohne")

        def ohne(self, queryset, name, value):
            return queryset

    monkeypatch.setattr(NetzwerkListView, "filterset_class", MitFoerderung)
    html = client.get("/netzwerke/", {"foerderung": "Bund"}).content.decode()
    assert '<label for="id_foerderung">Förderung</label>' in html
    assert '<input type="text" name="foerderung" value="Bund" id="id_foerderung">' in html


def test_a_filter_group_added_by_a_view_appears_in_the_filter_form(client, monkeypatch):
    AkteurFactory()
    bisher = AkteurListView.get_context_data

    def mit_sprachliste(self, **kwargs):
        context = bisher(self, **kwargs)
        context["filtergruppen"].append(auswahlliste(self.filterset, "sprache", label="Sprache"))
        return context

    monkeypatch.setattr(AkteurListView, "get_context_data", mit_sprachliste)
    html = client.get("/akteure/", {"sprache": "tr"}).content.decode()
    anfang = html.index('<details class="filter"')
    formular = html[anfang : html.index("</details>", anfang)]
    assert '<label for="id_sprache">Sprache</label>' in formular
    assert '<option value="tr" selected>Türkisch</option>' in formular


@pytest.mark.parametrize(
    ("abfrage", "eingeklappt"),
    [
        ({}, False),
        ({"phase": "3-6"}, False),  # a tile of the start page: no search typed yet
        ({"wo": "73728"}, True),
        ({"lat": "48.74", "lon": "9.31"}, True),  # "Meinen Standort verwenden"
        ({"alter": "4", "sprache": "ar"}, True),
        ({"wo": "99999"}, False),  # the wrong entry stays in view to be corrected
    ],
)
def test_the_search_form_folds_after_a_valid_search(client, abfrage, eingeklappt):
    html = client.get("/angebote/", abfrage).content.decode()
    assert html.count('<details class="suche-klappe">') == int(eingeklappt)
    assert html.count('role="search"') == 1


def test_the_filter_button_counts_the_filters_that_narrow_the_list(client):
    AngebotFactory()
    knopf = re.compile(r'<summary class="aufklapper">([^<]*)</summary>')
    html = client.get("/angebote/").content.decode()
    assert knopf.findall(html) == ["Filter"]
    abfrage = {"sprache": ["ar", "tr"], "phase": "3-6", "sortierung": "geprueft", "q": "Treff"}
    html = client.get("/angebote/", abfrage).content.decode()
    # Two languages and a life phase; the order and the search form's text are no filters.
    assert knopf.findall(html) == ["Suche ändern", "Filter (3)"]
    html = client.get("/akteure/", {"bereich": "bildung", "barrierefrei": "on"}).content.decode()
    assert knopf.findall(html) == ["Filter (2)"]
