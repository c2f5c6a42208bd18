"""What the offerings list shows, exactly: the rows and the topic choices of a broad search.

The list takes its vocabularies (topics, target groups, languages) from the copy beside the
in-memory search index and writes its checkboxes with a tag (bench/RESULTS-suchindex.md, CPU
per request); the HTML is the one the templates wrote before, character for character, and a
broad search needs three statements once the index is built, four in another language."""

# ruff: noqa: E501 – the expected HTML, line for line as the page has it
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from angebote.models import Format, Kosten
from atlas.drosselung import SUCHBUDGET_ABFRAGEN
from tests.factories import AkteurFactory, AngebotFactory, sprache, thema

pytestmark = pytest.mark.django_db

ZEILEN = """<ol class="treffer-liste" start="1">
          
<li class="treffer">
  <h3 class="treffer__titel"><a href="/angebote/babymassage-fuer-eltern/" dir="auto">Babymassage für Eltern &amp; Kinder</a></h3>
  <p class="treffer__anbieter" dir="auto">Familienzentrum Pliensau · Esslingen am Neckar</p>
  <ul class="merkmale">
    
    <li class="merkmal">Kurs</li>
    <li class="merkmal">1 Monat bis 1 Jahr</li>
    
    
    <li class="merkmal" lang="ar" dir="rtl">العربية</li><li class="merkmal" lang="tr" dir="ltr">Türkçe</li>
  </ul>
  
</li>

<li class="treffer">
  <h3 class="treffer__titel"><a href="/angebote/elterncafe-gesund/" dir="auto">Elterncafé „Gesund“</a></h3>
  <p class="treffer__anbieter" dir="auto">Familienzentrum Pliensau · Esslingen am Neckar</p>
  <ul class="merkmale">
    
    <li class="merkmal">Offener Treff</li>
    <li class="merkmal">alle Altersgruppen</li>
    <li class="merkmal merkmal--gut">kostenlos</li>
    <li class="merkmal">ohne Anmeldung</li>
    
  </ul>
  
</li>

        </ol>"""

THEMEN = """<fieldset class="filtergruppe">
  <legend>Thema</legend>
  <ul class="auswahl">
    
      <li><label><input type="checkbox" name="thema" value="gesundheit" checked> Gesundheit <span class="anzahl">(2)</span></label></li>
    
      <li><label><input type="checkbox" name="thema" value="kindergesundheit"> Gesundheit › Kindergesundheit <span class="anzahl">(1)</span></label></li>
    
      <li><label><input type="checkbox" name="thema" value="psychische-gesundheit"> Gesundheit › Psychische Gesundheit <span class="anzahl">(1)</span></label></li>
    
  </ul>
</fieldset>"""


@pytest.fixture
def angebote():
    anbieter = AkteurFactory(name="Familienzentrum Pliensau")
    AngebotFactory(
        titel="Babymassage für Eltern & Kinder",
        slug="babymassage-fuer-eltern",
        anbieter=anbieter,
        ort="Esslingen am Neckar",
        format=Format.KURS,
        kosten=Kosten.KOSTENBEITRAG,
        anmeldung_erforderlich=True,
        alter_von_monate=1,
        alter_bis_monate=12,
        themen=[thema("kindergesundheit")],
        sprachen=[sprache("tr"), sprache("de"), sprache("ar")],
    )
    AngebotFactory(
        titel="Elterncafé „Gesund“",
        slug="elterncafe-gesund",
        anbieter=anbieter,
        ort="Esslingen am Neckar",
        kosten=Kosten.KOSTENLOS,
        anmeldung_erforderlich=False,
        themen=[thema("psychische-gesundheit")],
    )
    AngebotFactory(titel="Krabbelgruppe", themen=[thema("baby-kleinkind")])


def teil(html, anfang, ende):
    von = html.index(anfang)
    return html[von : html.index(ende, von) + len(ende)]


def seite(client, pfad):
    cache.clear()
    with CaptureQueriesContext(connection) as abfragen:
        html = client.get(pfad).content.decode()
    return html, len(abfragen) - SUCHBUDGET_ABFRAGEN


def test_a_broad_search_shows_exactly_these_rows_and_topic_choices(client, angebote):
    html, _ = seite(client, "/angebote/?thema=gesundheit")
    assert teil(html, '<ol class="treffer-liste"', "</ol>") == ZEILEN
    themen = re.search(
        r'<fieldset class="filtergruppe">\s*<legend>Thema</legend>.*?</fieldset>', html, re.S
    )
    assert themen.group(0) == THEMEN
    # The second request, the index built: the same page from the copy of the vocabularies.
    zweites, abfragen = seite(client, "/angebote/?thema=gesundheit")
    assert zweites == html
    # The change log and the page's rows; the regions of the filter form come from the copy
    # beside the index too (migration 0032).
    assert abfragen == 2


def test_the_arabic_list_adds_one_statement_for_the_translations(client, angebote):
    seite(client, "/ar/angebote/?thema=gesundheit")
    html, abfragen = seite(client, "/ar/angebote/?thema=gesundheit")
    assert abfragen == 3
    assert 'name="thema" value="gesundheit" checked' in html
    assert "Babymassage für Eltern &amp; Kinder" in html


def test_an_unknown_topic_is_refused_from_the_copy_as_from_the_database(client, angebote):
    seite(client, "/angebote/")  # builds the index
    html, _ = seite(client, "/angebote/?thema=gesundheit&thema=gibt-es-nicht")
    assert "Babymassage" in html and "Krabbelgruppe" in html  # the topic filter is left out
    assert "gibt-es-nicht" in html  # and explained
