"""The cards of a list of offerings (the list page, the pages of actors and networks).

Written in Python rather than a template: a page shows twenty cards of a dozen parts each, and
the template took a third of the time of a list request (bench/RESULTS-suchindex.md, session
10). The HTML is the one the template wrote, byte for byte (tests/angebote/test_trefferliste.py):
values escaped as the template's autoescape does, texts from {% translate %} (safe literals) and
the literal part of {% blocktranslate %} as they come from the catalogue.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from atlas.models import veraltet_stichtag
from atlas.templatetags.atlas import _altersspanne, _html, km_text, veraltet_text, zahlformat

register = template.Library()


@register.simple_tag(takes_context=True)
def angebot_karten(context, angebote):
    """Each offering (a row of angebote.models.listenzeilen) as <li class="treffer">: title,
    provider and place, then its features – distance within the radius searched (`umkreis_km`
    of the page) or the area it serves, format, ages, free, no registration, languages besides
    German – and the hint on outdated details."""
    umkreis_km = context.get("umkreis_km")
    sprache = get_language()
    kostenlos = f'<li class="merkmal merkmal--gut">{_("kostenlos")}</li>'
    ohne_anmeldung = f'<li class="merkmal">{_("ohne Anmeldung")}</li>'
    entfernt, ganz = _("%(km)s entfernt"), _("für ganz %(gebiet)s")
    stichtag = veraltet_stichtag()
    zahlen = hinweis = None
    format_texte = {}
    teile = []
    for angebot in angebote:
        titel = angebot.texte["titel"]
        ort = f" · {_html(angebot.ort)}" if angebot.ort else ""
        teile.append(
            '\n<li class="treffer">\n  <h3 class="treffer__titel">'
            f'<a href="{_html(angebot.get_absolute_url())}" dir="auto"{titel.attribute}>'
            f"{_html(titel)}</a></h3>\n"
            f'  <p class="treffer__anbieter" dir="auto">{_html(angebot.anbieter_name)}{ort}</p>\n'
            '  <ul class="merkmale">\n    '
        )
        entfernung = angebot.entfernung
        if entfernung is not None and umkreis_km is not None and entfernung.km <= umkreis_km:
            zahlen = zahlen or zahlformat(sprache)
            text = entfernt % {"km": _html(km_text(entfernung, zahlen))}
            teile.append(f'\n      <li class="merkmal merkmal--ort">{text}</li>\n    ')
        elif angebot.gebiet:
            text = ganz % {"gebiet": _html(angebot.gebiet)}
            teile.append(f'\n      <li class="merkmal merkmal--ort">{text}</li>\n    ')
        if (format_text := format_texte.get(angebot.format)) is None:
            format_text = format_texte[angebot.format] = _html(angebot.format_anzeige)
        alter = _altersspanne(angebot.alter_von_monate, angebot.alter_bis_monate, sprache)
        teile.append(
            f'\n    <li class="merkmal">{format_text}</li>'
            f'\n    <li class="merkmal">{_html(alter)}</li>\n    '
        )
        if angebot.kosten == "kostenlos":
            teile.append(kostenlos)
        teile.append("\n    ")
        if not angebot.anmeldung_erforderlich:
            teile.append(ohne_anmeldung)
        teile.append("\n    ")
        for s in angebot.weitere_sprachen:
            richtung = "rtl" if s.rtl else "ltr"
            teile.append(
                f'<li class="merkmal" lang="{_html(s.code)}" dir="{richtung}">'
                f"{_html(s.name_nativ)}</li>"
            )
        teile.append("\n  </ul>\n  ")
        if angebot.veraltet_seit(stichtag):
            hinweis = hinweis or _html(veraltet_text())
            teile.append(f'<p class="hinweis--veraltet">{hinweis}</p>')
        teile.append("\n</li>\n")
    return mark_safe("".join(teile))  # noqa: S308 – every value is escaped by _html
