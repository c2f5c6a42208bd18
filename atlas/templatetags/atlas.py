"""Template helpers shared by the public pages of all three apps."""

import functools
import html
import json
from urllib.parse import unquote, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import (
    NoReverseMatch,
    Resolver404,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.utils import numberformat
from django.utils.formats import date_format, get_format, localize
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language, get_language_info, ngettext, override
from django.utils.translation import gettext as _

from atlas.broschuere import HOECHSTENS
from atlas.listen import auswahl_objekte
from atlas.uebersetzung import herkunft_saetze

register = template.Library()


@register.simple_tag(takes_context=True)
def sprach_url(context, code):
    """The current page in another language, with its query string."""
    request = context["request"]
    pfad = _in_sprache(request, code)
    return f"{pfad}?{request.GET.urlencode()}" if request.GET else pfad


@register.simple_tag(takes_context=True)
def sprachwahl(context):
    """The language switch of every page: per language of LANGUAGES a link to this page in it
    (sprach_url), named in that language, the current one marked – the <li>s the loop over
    get_language_info_list in base.html wrote, for a tenth of its calls."""
    request = context["request"]
    aktiv = get_language()
    abfrage = f"?{_html(request.GET.urlencode())}" if request.GET else ""
    teile = ["\n          "]
    for code, name, rtl in _sprachen(tuple(code for code, _name in settings.LANGUAGES)):
        aktuell = ' aria-current="true"' if code == aktiv else ""
        teile.append(
            f'\n            <li><a href="{_html(_in_sprache(request, code))}{abfrage}" '
            f'lang="{code}" hreflang="{code}" dir="{"rtl" if rtl else "ltr"}"{aktuell}>'
            f"{name}</a></li>\n          "
        )
    return mark_safe("".join(teile))  # noqa: S308 – the path and query escaped by _html


@functools.lru_cache
def _sprachen(codes):
    """(code, name in the language itself, right to left) per language code, escaped."""
    return [
        (_html(code), _html((info := get_language_info(code))["name_local"]), info["bidi"])
        for code in codes
    ]


def _in_sprache(request, code):
    """translate_url(request.path, code), with the path resolved once per request and active
    language and the URL in each language reversed once per process: the language switch of
    every page asks for each of the seven languages."""
    sprache = get_language()
    gemerkt = getattr(request, "_atlas_pfad_aufgeloest", None)
    if gemerkt is None or gemerkt[:2] != (request.path, sprache):
        try:
            treffer = resolve(unquote(urlsplit(request.path).path))
        except Resolver404:
            treffer = None
        gemerkt = request._atlas_pfad_aufgeloest = (request.path, sprache, treffer)
    treffer = gemerkt[2]
    if treffer is None:
        return request.path
    name = f"{treffer.namespace}:{treffer.url_name}" if treffer.namespace else treffer.url_name
    schluessel = (
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        name,
        tuple(treffer.args),
        tuple(sorted(treffer.kwargs.items())),
        code,
    )
    try:
        url = _umgekehrt(*schluessel)
    except TypeError:  # an argument that cannot be a key: reversed each time
        url = _umgekehrt.__wrapped__(*schluessel)
    if url is None:
        return request.path
    teile = urlsplit(request.path)
    return urlunsplit((teile.scheme, teile.netloc, url, teile.query, teile.fragment))


@register.simple_tag
def adresse(name, *args):
    """{% url name args %} reversed once per process, language, URL configuration and script
    prefix: the links in every page's frame and a list's export links (each reverse() cost
    ~20 µs, sixteen of them a fifth of a list's templates; bench/RESULTS-suchindex.md,
    session 12). Escaped as {% url %} is, also with `as`."""
    schluessel = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, args, ())
    try:
        url = _umgekehrt(*schluessel, get_language())
    except TypeError:  # an argument that cannot be a key
        url = None
    return reverse(name, args=args) if url is None else url  # NoReverseMatch as {% url %}


@functools.lru_cache(maxsize=4096)
def _umgekehrt(urlconf, praefix, name, args, kwargs, code):
    """reverse() in the language `code`, None where the page has no URL in it; `urlconf` and
    `praefix` (the script prefix) only key the cache, as reverse() reads them itself."""
    with override(code):
        try:
            return reverse(name, args=args, kwargs=dict(kwargs))
        except NoReverseMatch:
            return None


@register.simple_tag(takes_context=True)
def url_mit(context, **aenderungen):
    """The current query string with some parameters replaced (None removes one)."""
    daten = context["request"].GET.copy()
    for name, wert in aenderungen.items():
        daten.pop(name, None)
        if wert not in (None, ""):
            daten[name] = wert
    return "?" + daten.urlencode()


@register.simple_tag
def broschuere_hoechstens():
    """The most entries a brochure may have (atlas.broschuere.HOECHSTENS)."""
    return HOECHSTENS


def _html(wert):
    """django.utils.html.conditional_escape without its lazy-argument wrapper (the same text)."""
    if isinstance(wert, Promise):
        wert = str(wert)
    return wert.__html__() if hasattr(wert, "__html__") else html.escape(str(wert))


def zahlformat(sprache):
    """(decimal separator, grouping, thousand separator) of `sprache`, as number_format() looks
    them up for every number: for a page's many numbers, looked up once."""
    return tuple(
        get_format(name, sprache, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )


@register.simple_tag
def kontrollkaestchen(optionen):
    """The checkboxes of a filter group (atlas.listen.Auswahl), one <li> each, as the loop
    in _filtergruppe.html wrote them: the same HTML for a tenth of the time per choice.

    Each value escaped as format_html would, each count as localize() writes it, with the
    number format looked up once per group instead of three times per count: a list offers up
    to a hundred choices, and the tag took a seventh of the Python calls of a list request."""
    dezimal, gruppierung, tausender = zahlformat(get_language())
    # Without thousand separators numberformat.format() gives a whole number as str() does.
    gruppiert = settings.USE_THOUSAND_SEPARATOR and gruppierung != 0
    namen = {}  # a group's choices share their name
    teile = []
    for option in optionen:
        anzahl = ""
        if option.anzahl is not None:
            zahl = option.anzahl
            if isinstance(zahl, int) and not isinstance(zahl, bool):
                # localize(): number_format() with use_l10n=True in the active language.
                zahl = (
                    _html(
                        numberformat.format(
                            zahl, dezimal, None, gruppierung, tausender, use_l10n=True
                        )
                    )
                    if gruppiert
                    else str(zahl)  # digits and a sign: nothing to escape
                )
            else:
                zahl = _html(localize(zahl))
            anzahl = f' <span class="anzahl">({zahl})</span>'
        gewaehlt = " checked" if option.gewaehlt else ""
        if (name := namen.get(option.name)) is None:
            name = namen[option.name] = _html(option.name)
        teile.append(
            f'\n      <li><label><input type="checkbox" name="{name}" '
            f'value="{_html(option.wert)}"{gewaehlt}> {_html(option.text)}{anzahl}</label>'
            "</li>\n    "
        )
    return mark_safe("".join(teile))  # noqa: S308 – every value is escaped by _html


@register.simple_tag
def auswahloptionen(optionen):
    """The <option>s of a filter list (atlas.listen.Auswahl), as the loop in
    _filtergruppe.html wrote them: the list of areas alone has dozens."""
    return mark_safe(  # noqa: S308 – every value is escaped by _html
        "".join(
            f'<option value="{_html(o.wert)}"{" selected" if o.gewaehlt else ""}>'
            f"{_html(o.text)}</option>"
            for o in optionen
        )
    )


@register.filter
def km(entfernung):
    """A Distance as "2,3 km" in the active language's number format."""
    if entfernung is None:
        return ""
    return km_text(entfernung, zahlformat(get_language()))


def km_text(entfernung, formate):
    """The filter km with the language's zahlformat() given (number_format() in its terms)."""
    wert = entfernung.km
    dezimal, gruppierung, tausender = formate
    zahl = numberformat.format(
        wert, dezimal, 1 if wert < 10 else 0, gruppierung, tausender, use_l10n=True
    )
    return _("%(wert)s km") % {"wert": zahl}


def _alter(monate):
    if monate == 0:
        return _("Geburt")
    if monate < 24 and monate % 12:
        return ngettext("%(n)s Monat", "%(n)s Monate", monate) % {"n": monate}
    jahre = monate // 12
    return ngettext("%(n)s Jahr", "%(n)s Jahre", jahre) % {"n": jahre}


def _ab_alter(monate):
    # "ab" takes the dative in German: "ab 6 Jahren", "ab 3 Monaten".
    if monate == 0:
        return _("ab der Geburt")
    if monate < 24 and monate % 12:
        return ngettext("ab %(n)s Monat", "ab %(n)s Monaten", monate) % {"n": monate}
    jahre = monate // 12
    return ngettext("ab %(n)s Jahr", "ab %(n)s Jahren", jahre) % {"n": jahre}


@register.filter
def altersspanne(angebot):
    """Human age range, e.g. "Geburt bis 3 Jahre", "ab 6 Jahre", "alle Altersgruppen"."""
    return _altersspanne(angebot.alter_von_monate, angebot.alter_bis_monate, get_language())


@functools.lru_cache(maxsize=4096)
def _altersspanne(von, bis, sprache):
    # Kept per language (`sprache` is the active one, the text's only other input): a list
    # shows twenty ranges, each a few catalogue look-ups, and a handful of ranges recur.
    if von is None and bis is None:
        return _("alle Altersgruppen")
    if von is not None and von < 0:
        if bis is None:
            return _("ab der Schwangerschaft")
        if bis <= 0:
            return _("Schwangerschaft")
        return _("Schwangerschaft bis %(alter)s") % {"alter": _alter(bis)}
    if von is None:
        return _("bis %(alter)s") % {"alter": _alter(bis)}
    if bis is None:
        return _ab_alter(von)
    return _("%(von)s bis %(bis)s") % {"von": _alter(von), "bis": _alter(bis)}


def _uhr(zeit, deutsch):
    zeit = localtime(zeit) if is_aware(zeit) else zeit
    if deutsch:
        return f"{zeit.hour}" if zeit.minute == 0 else f"{zeit.hour}:{zeit.minute:02d}"
    return f"{zeit.hour:02d}:{zeit.minute:02d}"


@register.simple_tag
def zeitspanne(beginn, ende=None):
    """A time or time range, 24-hour in every language: "19–21 Uhr", "9:30 Uhr" in German (the
    way German notices write it), "19:00–21:00" elsewhere – never "7 p.m.–21:00" (Django's
    English and Arabic TIME_FORMAT are 12-hour)."""
    deutsch = (get_language() or "de").split("-")[0] == "de"
    text = _uhr(beginn, deutsch)
    if ende and _tag(ende) != _tag(beginn):
        # Over midnight or several days: the end with its date
        # ("19 Uhr – 7. Dezember 2026, 12 Uhr").
        zweite = _uhr(ende, deutsch)
        zweite = f"{zweite} Uhr" if deutsch else zweite
        text = f"{text} Uhr" if deutsch else text
        return f"{text} – {date_format(_tag(ende), 'DATE_FORMAT')}, {zweite}"
    if ende:
        text += "–" + _uhr(ende, deutsch)
    return f"{text} Uhr" if deutsch else text


def _tag(zeit):
    return (localtime(zeit) if is_aware(zeit) else zeit).date()


@register.simple_tag
def was_vorschlaege(filterset, namen="thema zielgruppe"):
    """Suggestions for "Was?": the names of the list's topics and target groups in the
    visitor's language (a <datalist>: the browser offers them as one types, without script)."""
    felder = filterset.form.fields
    return sorted(
        {
            getattr(o, "anzeigename", None) or str(o)
            for name in namen.split()
            if name in felder and hasattr(felder[name], "queryset")
            for o in auswahl_objekte(felder[name])
        }
    )


@register.filter
def vorschlagsoptionen(vorschlaege):
    """The <option>s of a <datalist> (was_vorschlaege): a hundred names on every list page."""
    return mark_safe(  # noqa: S308 – every value is escaped by _html
        "".join(f'<option value="{_html(v)}">' for v in vorschlaege)
    )


@register.simple_tag
def uebersetzung_hinweise(objekt):
    """What the page tells about the translations of `objekt`'s texts (a list of sentences)."""
    return herkunft_saetze(objekt.texte)


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(daten):
    """A schema.org block, escaped like json_script so data can never close the tag."""
    text = json.dumps(daten, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def felder(form, namen=""):
    """The form's bound fields called `namen` (space-separated) in that order; without names,
    every visible field – so a field added to a FilterSet appears in its search form."""
    if not namen:
        return [feld for feld in form if not feld.is_hidden]
    return [form[name] for name in namen.split() if name in form.fields]


@register.filter
def verstanden(feld):
    """How a bound field's valid input was understood, for fields that say so (`anzeige`), or ""."""
    wert = feld.value()
    if not wert or not hasattr(feld.field, "anzeige") or feld.errors:
        return ""
    return feld.field.anzeige(wert)


@register.simple_tag
def gesucht(filterset, namen=""):
    """Whether a valid search was made with these fields (all when none are named)."""
    if not filterset.is_bound or filterset.errors:
        return False
    namen = namen.split() or list(filterset.form.fields)
    if "wo" in namen:
        namen += ["lat", "lon"]  # "Meinen Standort verwenden" searches without a place name
    return any(wert for name in namen for wert in filterset.data.getlist(name))


@register.filter
def anzahl_aktiv(filtergruppen):
    """How many choices of a list's filter form narrow it now ("Filter (3)")."""
    return sum(gruppe.aktiv for gruppe in filtergruppen)


@register.filter
def modellschluessel(obj):
    """ "angebote.angebot": how the report and confirmation URLs name a record's model."""
    return obj._meta.label_lower


@register.filter
def veraltet_hinweis(obj):
    """The public hint on a record whose details are older than VERALTET_MONATE, else ""."""
    if not getattr(obj, "angaben_veraltet", False):
        return ""
    return veraltet_text()


def veraltet_text():
    """The hint veraltet_hinweis gives an outdated record."""
    monate = settings.VERALTET_MONATE
    return ngettext(
        "Angaben älter als %(monate)s Monat – bitte vor dem Besuch nachfragen.",
        "Angaben älter als %(monate)s Monate – bitte vor dem Besuch nachfragen.",
        monate,
    ) % {"monate": monate}


@register.simple_tag
def karten_einstellungen_json():
    """The maps' settings as a json_script block (pages whose view does not pass them: the
    admin's position maps)."""
    from django.utils.html import json_script

    from atlas.listen import karten_einstellungen

    return json_script(karten_einstellungen(), "karten-einstellungen")
