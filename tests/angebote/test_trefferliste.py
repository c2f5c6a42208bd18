"""The cards of a list of offerings (angebote/templatetags/trefferliste.py), whole.

The tag replaced the template angebote/_angebot_item.html for speed (bench/RESULTS-suchindex.md,
session 10); it writes what the template wrote, byte for byte, in every language: the template
is kept here and both are compared on characteristic rows, and two cards are pinned whole."""

# ruff: noqa: E501 – the expected HTML, line for line as the page has it
import datetime

import pytest
from django.contrib.gis.measure import D
from django.template import Context, Template
from django.utils.translation import override

from angebote.models import Angebot, Format, Kosten, listenzeilen
from tests.factories import AkteurFactory, AngebotFactory, sprache, uebersetzen

pytestmark = pytest.mark.django_db

# angebote/_angebot_item.html as it was before the tag, included per row as the pages did.
VORLAGE = """{% load i18n atlas %}{% for angebot in angebote %}
<li class="treffer">
  <h3 class="treffer__titel"><a href="{{ angebot.get_absolute_url }}" dir="auto"{{ angebot.texte.titel.attribute }}>{{ angebot.texte.titel }}</a></h3>
  <p class="treffer__anbieter" dir="auto">{{ angebot.anbieter.name }}{% if angebot.ort %} · {{ angebot.ort }}{% endif %}</p>
  <ul class="merkmale">
    {% if angebot.entfernung is not None and angebot.entfernung.km <= umkreis_km %}
      <li class="merkmal merkmal--ort">{% blocktranslate with km=angebot.entfernung|km %}{{ km }} entfernt{% endblocktranslate %}</li>
    {% elif angebot.gebiet %}
      <li class="merkmal merkmal--ort">{% blocktranslate with gebiet=angebot.gebiet %}für ganz {{ gebiet }}{% endblocktranslate %}</li>
    {% endif %}
    <li class="merkmal">{{ angebot.format_anzeige }}</li>
    <li class="merkmal">{{ angebot|altersspanne }}</li>
    {% if angebot.kosten == "kostenlos" %}<li class="merkmal merkmal--gut">{% translate "kostenlos" %}</li>{% endif %}
    {% if not angebot.anmeldung_erforderlich %}<li class="merkmal">{% translate "ohne Anmeldung" %}</li>{% endif %}
    {% for sprache in angebot.weitere_sprachen %}<li class="merkmal" lang="{{ sprache.code }}" dir="{% if sprache.rtl %}rtl{% else %}ltr{% endif %}">{{ sprache.name_nativ }}</li>{% endfor %}
  </ul>
  {% with hinweis=angebot|veraltet_hinweis %}{% if hinweis %}<p class="hinweis--veraltet">{{ hinweis }}</p>{% endif %}{% endwith %}
</li>
{% endfor %}"""

TAG = "{% load trefferliste %}{% angebot_karten angebote %}"

NAH = """
<li class="treffer">
  <h3 class="treffer__titel"><a href="/angebote/kurs-eltern/" dir="auto">&lt;Eltern&gt;-Kurs &amp; „Café“ für Mütter &#x27;n&#x27; Väter</a></h3>
  <p class="treffer__anbieter" dir="auto">Familien &amp; Co. &lt;e.V.&gt; · Esslingen am Neckar</p>
  <ul class="merkmale">
    
      <li class="merkmal merkmal--ort">2,3 km entfernt</li>
    
    <li class="merkmal">Kurs</li>
    <li class="merkmal">ab der Schwangerschaft</li>
    <li class="merkmal merkmal--gut">kostenlos</li>
    <li class="merkmal">ohne Anmeldung</li>
    <li class="merkmal" lang="ar" dir="rtl">العربية</li><li class="merkmal" lang="tr" dir="ltr">Türkçe</li>
  </ul>
  
</li>
"""

GEBIET_AR = """
<li class="treffer">
  <h3 class="treffer__titel"><a href="/ar/angebote/hausbesuch/" dir="auto" lang="de">Willkommensbesuch</a></h3>
  <p class="treffer__anbieter" dir="auto">Jugendamt</p>
  <ul class="merkmale">
    
      <li class="merkmal merkmal--ort">في كل أنحاء Landkreis Esslingen</li>
    
    <li class="merkmal">زيارة منزلية</li>
    <li class="merkmal">من الولادة إلى 3 سنوات</li>
    
    
    
  </ul>
  <p class="hinweis--veraltet">البيانات أقدم من 12 شهرًا – يُرجى الاستفسار قبل الزيارة.</p>
</li>
"""


@pytest.fixture
def zeilen():
    """Characteristic rows: a title and provider with characters to escape, a distance, free
    and without registration, an RTL and an LTR language; one found by its area (beyond the
    radius), outdated, without a place; one translated; one 12 km away in the radius."""
    nah = AngebotFactory(
        titel="<Eltern>-Kurs & „Café“ für Mütter 'n' Väter",
        slug="kurs-eltern",
        anbieter=AkteurFactory(name="Familien & Co. <e.V.>"),
        ort="Esslingen am Neckar",
        format=Format.KURS,
        kosten=Kosten.KOSTENLOS,
        alter_von_monate=-9,
        sprachen=[sprache("de"), sprache("tr"), sprache("ar")],
    )
    gebiet = AngebotFactory(
        titel="Willkommensbesuch",
        slug="hausbesuch",
        anbieter=AkteurFactory(name="Jugendamt"),
        ort="",
        format=Format.HAUSBESUCH,
        kosten=Kosten.KOSTENBEITRAG,
        anmeldung_erforderlich=True,
        alter_von_monate=0,
        alter_bis_monate=36,
        geprueft_am=datetime.date(2020, 1, 31),
    )
    uebersetzt = AngebotFactory(titel="Sprachcafé", slug="sprachcafe")
    uebersetzen(uebersetzt, "titel", "ar", "مقهى اللغة")
    uebersetzen(uebersetzt, "titel", "en", "Language café")
    weit = AngebotFactory(titel="Elterntreff", slug="elterntreff", alter_bis_monate=18)
    # Read back as the list reads them (sprachen_ids is kept by the database).
    nach_pk = Angebot.objects.select_related("anbieter").in_bulk()
    zeilen = nah, gebiet, uebersetzt, weit = [
        nach_pk[a.pk] for a in (nah, gebiet, uebersetzt, weit)
    ]
    nah.entfernung, nah.gebiet = D(km=2.345), None
    gebiet.entfernung, gebiet.gebiet = D(km=31.2), "Landkreis Esslingen"
    weit.entfernung = D(km=12)
    return zeilen


def karten(vorlage, zeilen, **context):
    angebote = listenzeilen(zeilen)  # per language: the titles in it
    return Template(vorlage).render(Context({"angebote": angebote, **context}))


@pytest.mark.parametrize("sprache", ["de", "ar", "en", "tr", "fa", "uk", "ru"])
@pytest.mark.parametrize("umkreis_km", [10, 50, None])
def test_karten_wie_die_vorlage(zeilen, sprache, umkreis_km):
    """The tag writes what the template wrote: in a search near a place (radius 10 or 50 km)
    and on a page without one (the pages of actors and networks: no `umkreis_km`)."""
    context = {} if umkreis_km is None else {"umkreis_km": umkreis_km}
    with override(sprache):
        erwartet = karten(VORLAGE, zeilen, **context)
        assert karten(TAG, zeilen, **context) == erwartet
    assert erwartet.count('<li class="treffer">') == 4


def test_karte_ganz(zeilen):
    """Two cards whole: escaping, distance, features, languages; the area it serves, a German
    title on an Arabic page, the outdated hint."""
    with override("de"):
        assert karten(TAG, zeilen[:1], umkreis_km=10) == NAH
    with override("ar"):
        assert karten(TAG, zeilen[1:2], umkreis_km=10) == GEBIET_AR


def test_uebersetzter_titel(zeilen):
    """A translated title stands without lang="de"; a German one on an English page has it."""
    with override("en"):
        html = karten(TAG, zeilen[2:], umkreis_km=10)
    assert '<a href="/en/angebote/sprachcafe/" dir="auto">Language café</a>' in html
    assert '<a href="/en/angebote/elterntreff/" dir="auto" lang="de">Elterntreff</a>' in html
    assert '<li class="merkmal merkmal--ort">12 km away</li>' not in html  # beyond 10 km
    with override("en"):
        assert '<li class="merkmal merkmal--ort">12 km away</li>' in karten(
            TAG, zeilen[3:], umkreis_km=50
        )
