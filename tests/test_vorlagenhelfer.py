"""Template helpers written for speed give exactly what Django's own helpers give."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import translate_url
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from atlas.listen import Auswahl
from atlas.templatetags.atlas import altersspanne, kontrollkaestchen, sprach_url


def kontrollkaestchen_mit_format_html(optionen):
    """The tag as it was written first (format_html and localize per choice)."""
    teile = []
    for option in optionen:
        anzahl = ""
        if option.anzahl is not None:
            anzahl = format_html(' <span class="anzahl">({})</span>', localize(option.anzahl))
        teile.append(
            format_html(
                '\n      <li><label><input type="checkbox" name="{}" value="{}"{}> {}{}</label>'
                "</li>\n    ",
                option.name,
                option.wert,
                " checked" if option.gewaehlt else "",
                option.text,
                anzahl,
            )
        )
    return "".join(teile)


OPTIONEN = [
    Auswahl("thema", "stillen", "Stillen & Ernährung", 1234567, True),
    Auswahl("thema", 'a"b<c>', "<b>fett</b> 'x'", 0),
    Auswahl("sprache", "ar", "العربية", 12),
    Auswahl("kostenlos", "on", gettext_lazy("kostenlos"), -5),
    Auswahl("zielgruppe", "fach", mark_safe("Fach&shy;kräfte"), None, True),
]


@pytest.mark.parametrize("sprache", ["de", "en", "ar", "fa", "tr"])
@pytest.mark.parametrize("tausender", [False, True])
def test_kontrollkaestchen_wie_format_html(settings, sprache, tausender):
    settings.USE_THOUSAND_SEPARATOR = tausender
    with override(sprache):
        assert kontrollkaestchen(OPTIONEN) == kontrollkaestchen_mit_format_html(OPTIONEN)


@pytest.mark.parametrize(
    "pfad",
    ["/angebote/", "/ar/angebote/", "/akteure/", "/tr/netzwerke/", "/gibt/es/nicht/", "/"],
)
def test_sprach_url_wie_translate_url(pfad):
    for aktiv in ("de", "ar"):
        with override(aktiv):
            anfrage = RequestFactory().get(pfad, {"q": "Eltern Beratung", "seite": "2"})
            for code in ("de", "en", "ar", "uk"):
                erwartet = f"{translate_url(pfad, code)}?{anfrage.GET.urlencode()}"
                assert sprach_url({"request": anfrage}, code) == erwartet, (aktiv, code)


class Alter:
    def __init__(self, von, bis):
        self.alter_von_monate, self.alter_bis_monate = von, bis


def test_altersspanne_in_jeder_sprache():
    """Kept per language: the same range reads differently in each."""
    spanne = Alter(0, 36)
    texte = {}
    for sprache in ("de", "en", "de"):
        with override(sprache):
            texte.setdefault(sprache, altersspanne(spanne))
            assert altersspanne(spanne) == texte[sprache]
    assert texte == {"de": "Geburt bis 3 Jahre", "en": "birth to 3 years"}
    with override("de"):
        assert [altersspanne(Alter(v, b)) for v, b in [(-9, None), (None, None), (6, None)]] == [
            "ab der Schwangerschaft",
            "alle Altersgruppen",
            "ab 6 Monaten",
        ]


# base.html's language switch and _filtergruppe.html's / _suchformular.html's option loops as
# they were before the tags sprachwahl, auswahloptionen and vorschlagsoptionen.
SPRACHWAHL = """{% load i18n atlas %}{% get_current_language as LANGUAGE_CODE %}
          {% get_available_languages as LANGUAGES %}{% get_language_info_list for LANGUAGES as sprachen %}
          {% for sprache in sprachen %}
            <li><a href="{% sprach_url sprache.code %}" lang="{{ sprache.code }}" hreflang="{{ sprache.code }}" dir="{% if sprache.bidi %}rtl{% else %}ltr{% endif %}"{% if sprache.code == LANGUAGE_CODE %} aria-current="true"{% endif %}>{{ sprache.name_local }}</a></li>
          {% endfor %}
"""  # noqa: E501
OPTIONEN_SCHLEIFE = """{% for option in optionen %}<option value="{{ option.wert }}"{% if option.gewaehlt %} selected{% endif %}>{{ option.text }}</option>{% endfor %}"""  # noqa: E501
VORSCHLAEGE_SCHLEIFE = """{% for v in vorschlaege %}<option value="{{ v }}">{% endfor %}"""


@pytest.mark.parametrize(
    "pfad", ["/angebote/", "/ar/angebote/", "/tr/netzwerke/", "/gibt/es/nicht/", "/"]
)
@pytest.mark.parametrize("abfrage", [{}, {"q": 'Eltern & "Kinder" <3', "seite": "2"}])
def test_sprachwahl_wie_die_schleife(pfad, abfrage):
    neu = """{% load atlas %}
          {% sprachwahl %}
"""
    for aktiv in ("de", "ar", "uk"):
        with override(aktiv):
            context = Context({"request": RequestFactory().get(pfad, abfrage)})
            erwartet = Template(SPRACHWAHL).render(context)
            assert Template(neu).render(context) == erwartet
            assert erwartet.count("<li>") == 7


def test_optionen_wie_die_schleifen():
    context = Context({"optionen": OPTIONEN, "vorschlaege": ["Stillen & Ernährung", '"a" <b>']})
    assert Template("{% load atlas %}{% auswahloptionen optionen %}").render(context) == (
        Template(OPTIONEN_SCHLEIFE).render(context)
    )
    assert Template("{% load atlas %}{{ vorschlaege|vorschlagsoptionen }}").render(context) == (
        Template(VORSCHLAEGE_SCHLEIFE).render(context)
    )
    assert Template(VORSCHLAEGE_SCHLEIFE).render(context) == (
        '<option value="Stillen &amp; Ernährung"><option value="&quot;a&quot; &lt;b&gt;">'
    )


ADRESSEN = [
    ("'angebote:start'", ""),
    ("'atlas:impressum'", ""),
    ("'akteure:erklaerungen'", ""),
    ("ziel 'csv'", "ziel='angebote:angebot_export'"),
    ("ziel 'geojson'", "ziel='akteure:akteur_export'"),
    ("'angebote:angebot_broschuere' 'a5'", ""),
]


@pytest.mark.parametrize(("argumente", "mit"), ADRESSEN)
@pytest.mark.parametrize("praefix", ["/", "/atlas&co/"])
def test_adresse_wie_url(argumente, mit, praefix):
    """The frame's links are reversed once per language and script prefix: each language's
    URL and a prefix set per request (a subpath) are still those of {% url %}."""
    from django.urls import get_script_prefix, set_script_prefix

    vorher = get_script_prefix()

    def vorlage(tag):
        teil = f"{{% {tag} {argumente} %}}|{{% {tag} {argumente} as a %}}{{{{ a }}}}"
        return Template(f"{{% load atlas %}}{{% with {mit or 'x=1'} %}}{teil}{{% endwith %}}")

    url, adresse = vorlage("url"), vorlage("adresse")
    try:
        set_script_prefix(praefix)
        for sprache in ("de", "ar", "en", "de"):
            with override(sprache):
                erwartet = url.render(Context())
                assert adresse.render(Context()) == erwartet
                assert ("/ar/" in erwartet) == (sprache == "ar")
    finally:
        set_script_prefix(vorher)


def test_adresse_unbekannt_wie_url():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        Template("{% load atlas %}{% adresse 'angebote:gibtsnicht' %}").render(Context())
