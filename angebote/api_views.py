"""Read-only Open Referral HSDS 3.0 API under /api/hsds/, so other directories can pull ours.

Paths, parameters and the paging envelope follow the HSDS OpenAPI description; /locations is an
addition (HSDS has the schema, not the path). Everything here is public: published records only.
"""

import datetime
import functools
import math
import re

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import F, Value
from django.http import JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_safe

from akteure.models import Postleitzahl
from atlas.drosselung import gedrosselt
from atlas.listen import MAX_UMKREIS_KM, STANDARD_UMKREIS_KM
from atlas.models import punkt_aus

from . import hsds
from .filters import im_umkreis_oder_einzugsgebiet
from .models import Angebot, Thema

STANDARD_PRO_SEITE = 20
MAX_PRO_SEITE = 100
MAX_SUCHTEXT = 200
# Anonymous responses are the same for everyone; a short max-age spares the database.
CACHE_SEKUNDEN = 300


class ParameterFehler(Exception):
    def __init__(self, parameter, meldung):
        super().__init__(meldung)
        self.parameter, self.meldung = parameter, meldung


class NichtGefunden(Exception):
    pass


def _antwort(daten, status=200):
    antwort = JsonResponse(daten, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 200:
        patch_cache_control(antwort, public=True, max_age=CACHE_SEKUNDEN)
    return antwort


def api_view(view):
    """GET only, rate-limited for anonymous clients, German, errors as JSON (never a 500)."""

    @gedrosselt(bereich="api", json=True)
    @functools.wraps(view)
    def beantworten(request, *args, **kwargs):
        try:
            return _antwort(view(request, *args, **kwargs))
        except ParameterFehler as fehler:
            return _antwort({"error": fehler.meldung, "parameter": fehler.parameter}, status=400)
        except NichtGefunden:
            return _antwort({"error": "Nicht gefunden."}, status=404)

    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        # The records are German; so are the messages, whatever the browser asks for.
        with translation.override("de"):
            antwort = beantworten(request, *args, **kwargs)
        # Public data: browser-based directories may read it (and a 429) from other origins.
        antwort["Access-Control-Allow-Origin"] = "*"
        return antwort

    return wrapper


# --- Parameters -----------------------------------------------------------------------------


def _wert(request, name):
    wert = request.GET.get(name, "")
    return wert.replace("\x00", "").strip()


def _ganzzahl(request, name, standard, minimum, maximum):
    wert = _wert(request, name)
    if not wert:
        return standard
    if not re.fullmatch(r"\d{1,9}", wert) or not minimum <= int(wert) <= maximum:
        raise ParameterFehler(
            name,
            f"„{name}“ muss eine ganze Zahl von {minimum} bis {maximum} sein.",
        )
    return int(wert)


def _wahrheitswert(request, name):
    wert = _wert(request, name).lower()
    if wert in ("", "false", "0", "no"):
        return False
    if wert in ("true", "1", "yes"):
        return True
    raise ParameterFehler(name, f"„{name}“ muss true oder false sein.")


def _kommazahl(request, name, minimum, maximum):
    wert = _wert(request, name)
    try:
        zahl = float(wert)
    except ValueError:
        zahl = math.nan
    if not minimum <= zahl <= maximum:  # also false for NaN and infinity
        raise ParameterFehler(name, f"„{name}“ muss eine Zahl von {minimum} bis {maximum} sein.")
    return zahl


def _format_pruefen(request):
    if _wert(request, "format") not in ("", "json"):
        raise ParameterFehler("format", "Unterstützt wird nur „format=json“.")


def _suchtext(request):
    """HSDS calls the full-text parameter `search`; `q` (as on our pages) works too."""
    for name in ("search", "q"):
        if text := _wert(request, name):
            if len(text) > MAX_SUCHTEXT:
                raise ParameterFehler(
                    name, f"Der Suchtext darf höchstens {MAX_SUCHTEXT} Zeichen lang sein."
                )
            return text
    return ""


def _id_liste(request, name, *arten):
    """Comma-separated HSDS ids of the given kinds, as (kind, pk) pairs."""
    paare = []
    for teil in filter(None, (t.strip() for t in _wert(request, name).split(","))):
        for art in arten:
            if (pk := hsds.pk_aus(art, teil)) is not None:
                paare.append((art, pk))
                break
        else:
            raise ParameterFehler(name, f"„{teil[:60]}“ ist keine gültige ID für „{name}“.")
    return paare


def _geaendert_seit(request):
    wert = _wert(request, "modified_after")
    if not wert:
        return None
    try:
        zeitpunkt = parse_datetime(wert)
        if zeitpunkt is None and (datum := parse_date(wert)):
            zeitpunkt = datetime.datetime.combine(datum, datetime.time())
    except ValueError:
        zeitpunkt = None
    if zeitpunkt is None:
        raise ParameterFehler(
            "modified_after",
            "„modified_after“ muss ein Datum oder Zeitpunkt sein, z. B. 2026-01-31 oder "
            "2026-01-31T12:00:00+01:00.",
        )
    if timezone.is_naive(zeitpunkt):
        zeitpunkt = timezone.make_aware(zeitpunkt)
    return zeitpunkt


def _ort(request):
    """(point, km) from `postcode` or `lat`+`lon`, radius from `proximity` in metres; or None."""
    plz, lat, lon = _wert(request, "postcode"), _wert(request, "lat"), _wert(request, "lon")
    meter = _ganzzahl(request, "proximity", None, 1, MAX_UMKREIS_KM * 1000)
    if plz and (lat or lon):
        raise ParameterFehler("postcode", "Bitte entweder „postcode“ oder „lat“/„lon“ angeben.")
    if lat or lon:
        if not (lat and lon):
            raise ParameterFehler("lat", "Für einen Standort braucht es „lat“ und „lon“.")
        punkt = punkt_aus(
            _kommazahl(request, "lat", -90, 90), _kommazahl(request, "lon", -180, 180)
        )
    elif plz:
        if not re.fullmatch(r"\d{5}", plz):
            raise ParameterFehler(
                "postcode", "„postcode“ muss eine fünfstellige Postleitzahl sein."
            )
        gefunden = Postleitzahl.objects.filter(plz=plz).first()
        if gefunden is None:
            raise ParameterFehler("postcode", f"Die Postleitzahl {plz} kennen wir nicht.")
        punkt = gefunden.punkt
    elif meter is not None:
        raise ParameterFehler("proximity", "„proximity“ braucht „postcode“ oder „lat“/„lon“.")
    else:
        return None
    return punkt, (meter / 1000 if meter else STANDARD_UMKREIS_KM)


def _seite(request, daten, darstellen):
    """The HSDS paging envelope around one page of `daten` (a QuerySet or a list)."""
    nummer = _ganzzahl(request, "page", 1, 1, 10**6)
    groesse = _ganzzahl(request, "per_page", STANDARD_PRO_SEITE, 1, MAX_PRO_SEITE)
    gesamt = len(daten) if isinstance(daten, list) else daten.count()
    start = (nummer - 1) * groesse
    # Past the end: an empty page, as the envelope's `empty` flag allows.
    inhalt = (
        [darstellen(objekt) for objekt in daten[start : start + groesse]] if start < gesamt else []
    )
    seiten = math.ceil(gesamt / groesse)
    return {
        "total_items": gesamt,
        "total_pages": seiten,
        "page_number": nummer,
        "size": len(inhalt),
        "first_page": nummer == 1,
        "last_page": nummer >= seiten,
        "empty": not inhalt,
        "contents": inhalt,
    }


# --- Services -------------------------------------------------------------------------------


def _angebote_filtern(request, angebote):
    _format_pruefen(request)
    if text := _suchtext(request):
        angebote = angebote.suche(text).order_by("-rang", "titel", "pk")
    else:
        angebote = angebote.order_by("titel", "pk")

    begriffe = _id_liste(request, "taxonomy_term_id", hsds.THEMA, hsds.ZIELGRUPPE)
    if themen := [pk for art, pk in begriffe if art == hsds.THEMA]:
        # A main topic includes its subtopics, as on the list page.
        themen += list(Thema.objects.filter(oberthema__in=themen).values_list("pk", flat=True))
        angebote = angebote.filter(
            pk__in=Angebot.themen.through.objects.filter(thema_id__in=themen).values("angebot_id")
        )
    if zielgruppen := [pk for art, pk in begriffe if art == hsds.ZIELGRUPPE]:
        angebote = angebote.filter(
            pk__in=Angebot.zielgruppen.through.objects.filter(zielgruppe_id__in=zielgruppen).values(
                "angebot_id"
            )
        )
    for _art, nummer in _id_liste(request, "taxonomy_id", hsds.TAXONOMIE):
        verknuepfung = {
            hsds.THEMEN_TAXONOMIE: Angebot.themen.through,
            hsds.ZIELGRUPPEN_TAXONOMIE: Angebot.zielgruppen.through,
        }.get(nummer)
        if verknuepfung is None:
            return angebote.none()
        angebote = angebote.filter(pk__in=verknuepfung.objects.values("angebot_id"))
    if organisationen := _id_liste(request, "organization_id", hsds.ORGANIZATION):
        angebote = angebote.filter(anbieter_id__in=[pk for _art, pk in organisationen])
    if seit := _geaendert_seit(request):
        angebote = angebote.filter(geaendert_am__gte=seit)
    if ort := _ort(request):
        # Within the radius nearest first, then those whose Einzugsgebiet covers the point.
        angebote = im_umkreis_oder_einzugsgebiet(angebote, *ort)
    return angebote


@api_view
def api_start(request):
    return {
        "version": hsds.HSDS_VERSION,
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
    }


@api_view
def service_list(request):
    voll = _wahrheitswert(request, "full")
    angebote = _angebote_filtern(request, hsds.angebote_voll() if voll else hsds.angebote())
    return _seite(request, angebote, lambda a: hsds.service(a, request, voll=voll))


@api_view
def service_detail(request, id):
    angebot = _holen(hsds.angebote_voll(), hsds.SERVICE, id)
    return hsds.service(angebot, request, voll=True)


@api_view
def service_at_location_list(request):
    voll = _wahrheitswert(request, "full")
    angebote = _angebote_filtern(request, hsds.angebote_mit_ort(voll=voll))
    return _seite(request, angebote, lambda a: hsds.service_at_location(a, request, voll=voll))


@api_view
def service_at_location_detail(request, id):
    angebot = _holen(hsds.angebote_mit_ort(voll=True), hsds.SERVICE_AT_LOCATION, id)
    return hsds.service_at_location(angebot, request, voll=True)


def _holen(queryset, art, text):
    pk = hsds.pk_aus(art, text)
    objekt = queryset.filter(pk=pk).first() if pk is not None else None
    if objekt is None:
        raise NichtGefunden
    return objekt


# --- Organizations and locations ------------------------------------------------------------


@api_view
def organization_list(request):
    _format_pruefen(request)
    voll = _wahrheitswert(request, "full")
    akteure = hsds.akteure_voll() if voll else hsds.akteure()
    if text := _suchtext(request):
        akteure = akteure.suche(text).order_by("-rang", "name", "pk")
    else:
        akteure = akteure.order_by("name", "pk")
    return _seite(request, akteure, lambda a: hsds.organization(a, request, voll=voll))


@api_view
def organization_detail(request, id):
    akteur = _holen(hsds.akteure_voll(), hsds.ORGANIZATION, id)
    return hsds.organization(akteur, request, voll=True)


@api_view
def location_list(request):
    """Actors with a place, and offerings held elsewhere: one list in one order."""
    _format_pruefen(request)
    akteur_orte = hsds.akteur_orte().annotate(
        art=Value(hsds.AKTEUR_ORT), nr=F("pk"), sortname=F("name")
    )
    angebot_orte = hsds.angebot_orte().annotate(
        art=Value(hsds.ANGEBOT_ORT), nr=F("pk"), sortname=F("titel")
    )
    if organisationen := _id_liste(request, "organization_id", hsds.ORGANIZATION):
        pks = [pk for _art, pk in organisationen]
        akteur_orte = akteur_orte.filter(pk__in=pks)
        angebot_orte = angebot_orte.filter(anbieter_id__in=pks)
    spalten, ordnung = ["art", "nr", "sortname"], ["sortname", "art", "nr"]
    if ort := _ort(request):
        punkt, km = ort
        akteur_orte, angebot_orte = (
            qs.filter(standort__dwithin=(punkt, D(km=km))).annotate(
                entfernung=Distance("standort", punkt)
            )
            for qs in (akteur_orte, angebot_orte)
        )
        spalten, ordnung = [*spalten, "entfernung"], ["entfernung", *ordnung]
    orte = (
        akteur_orte.order_by()
        .values_list(*spalten)
        .union(angebot_orte.order_by().values_list(*spalten), all=True)
        .order_by(*ordnung)
    )

    seite = _seite(request, orte, lambda zeile: zeile[:2])
    # The page's rows in two queries (plus prefetches), in the union's order.
    schluessel = seite["contents"]
    akteure = hsds.akteure().select_related(*hsds.SOZIALRAUM_KETTE).prefetch_related("sprachen")
    geladen = {
        (hsds.AKTEUR_ORT, a.pk): hsds.akteur_location(a, request, voll=True)
        for a in akteure.filter(pk__in=[pk for art, pk in schluessel if art == hsds.AKTEUR_ORT])
    }
    geladen |= {
        (hsds.ANGEBOT_ORT, a.pk): hsds.angebot_location(a, request, voll=True)
        for a in hsds.angebot_orte().filter(
            pk__in=[pk for art, pk in schluessel if art == hsds.ANGEBOT_ORT]
        )
    }
    seite["contents"] = [geladen[tuple(zeile)] for zeile in schluessel]
    return seite


@api_view
def location_detail(request, id):
    if (pk := hsds.pk_aus(hsds.AKTEUR_ORT, id)) is not None:
        akteur = (
            hsds.akteur_orte()
            .select_related(*hsds.SOZIALRAUM_KETTE)
            .prefetch_related("sprachen")
            .filter(pk=pk)
            .first()
        )
        if akteur:
            return hsds.akteur_location(akteur, request, voll=True)
    elif (pk := hsds.pk_aus(hsds.ANGEBOT_ORT, id)) is not None:
        angebot = hsds.angebot_orte().filter(pk=pk).first()
        if angebot:
            return hsds.angebot_location(angebot, request, voll=True)
    raise NichtGefunden


# --- Taxonomies -----------------------------------------------------------------------------


@api_view
def taxonomy_list(request):
    _format_pruefen(request)
    taxonomien = [hsds.taxonomie(nummer) for nummer in hsds.TAXONOMIEN]
    if text := _suchtext(request).casefold():
        taxonomien = [t for t in taxonomien if text in t["name"].casefold()]
    return _seite(request, taxonomien, lambda t: t)


@api_view
def taxonomy_detail(request, id):
    nummer = hsds.pk_aus(hsds.TAXONOMIE, id)
    if nummer not in hsds.TAXONOMIEN:
        raise NichtGefunden
    return hsds.taxonomie(nummer)


@api_view
def taxonomy_term_list(request):
    _format_pruefen(request)
    # Two small vocabularies: filtered in memory, in two queries.
    terms = hsds.alle_terms()
    if taxonomien := _id_liste(request, "taxonomy_id", hsds.TAXONOMIE):
        ids = {hsds.hsds_id(hsds.TAXONOMIE, nummer) for _art, nummer in taxonomien}
        terms = [t for t in terms if t["taxonomy_id"] in ids]
    if eltern := _id_liste(request, "parent_id", hsds.THEMA):
        ids = {hsds.hsds_id(hsds.THEMA, pk) for _art, pk in eltern}
        terms = [t for t in terms if t.get("parent_id") in ids]
    if _wahrheitswert(request, "top_only"):
        terms = [t for t in terms if "parent_id" not in t]
    if text := _suchtext(request).casefold():
        terms = [t for t in terms if text in t["name"].casefold()]
    return _seite(request, terms, lambda t: t)


@api_view
def taxonomy_term_detail(request, id):
    for term in hsds.alle_terms():
        if term["id"] == id.lower():
            return term
    raise NichtGefunden
