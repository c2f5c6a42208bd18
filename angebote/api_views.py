"""Read-only Open Referral HSDS 3.0 API under /api/hsds/, so other directories can pull ours.

Paths, parameters and the paging envelope follow the HSDS OpenAPI description; /locations is an
addition (HSDS has the schema, not the path). Everything here is public: published records only.
"""

import functools
import hashlib
import math

import numpy as np
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Value
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.views.decorators.http import require_safe

from akteure import suchindex as akteure_suchindex
from atlas.drosselung import gedrosselt
from atlas.protokoll import export_festhalten

from . import hsds, suchindex
from .api_filters import (
    HsdsAkteurFilterSet,
    HsdsAngebotFilterSet,
    HsdsIds,
    HsdsOrteFilterSet,
    HsdsSuchtext,
    HsdsZahl,
)

STANDARD_PRO_SEITE = 20
MAX_PRO_SEITE = 100
# Anonymous responses are the same for everyone; a short max-age spares the database. Short,
# because they name contact persons: a withdrawn consent must leave browser and proxy caches
# within a minute (there is no server-side cache of these responses). After that, caches
# revalidate with the ETag and get a 304 while nothing changed.
CACHE_SEKUNDEN = 60
ZAEHLEN_CACHE_AB = 1000


class ParameterFehler(Exception):
    def __init__(self, parameter, meldung):
        super().__init__(meldung)
        self.parameter, self.meldung = parameter, meldung


class NichtGefunden(Exception):
    pass


def _antwort(daten, status=200):
    antwort = JsonResponse(daten, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 200:
        patch_cache_control(antwort, public=True, max_age=CACHE_SEKUNDEN, must_revalidate=True)
        antwort["ETag"] = quote_etag(hashlib.sha256(antwort.content).hexdigest()[:32])
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
        if antwort.status_code == 200:
            # Staff reading the API is an export too (atlas.protokoll); the public is not logged.
            export_festhalten(request, liste=f"HSDS-API {request.path}", format="json")
            antwort = get_conditional_response(request, etag=antwort["ETag"], response=antwort)
        # Public data: browser-based directories may read it (and a 429) from other origins.
        antwort["Access-Control-Allow-Origin"] = "*"
        return antwort

    return wrapper


# --- Parameters -----------------------------------------------------------------------------
# Filters are FilterSets over the public lists' own (api_filters); the rest is read here with
# the same fields, so every bad value is answered alike.


def _parameter(request, name, feld):
    """The cleaned value of one parameter; a bad one is a ParameterFehler naming it."""
    try:
        return feld.clean(request.GET.get(name, ""))
    except ValidationError as fehler:
        raise ParameterFehler(name, fehler.messages[0]) from None


def _ganzzahl(request, name, standard, minimum, maximum):
    wert = _parameter(
        request,
        name,
        HsdsZahl(name=name, minimum=minimum, maximum=maximum, ganz=True, required=False),
    )
    return standard if wert is None else wert


def _ids(request, name, *arten):
    return _parameter(request, name, HsdsIds(name=name, arten=arten, required=False))


def _suchtext(request):
    """HSDS calls the full-text parameter `search`; `q` (as on our pages) works too."""
    for name in ("search", "q"):
        if text := _parameter(request, name, HsdsSuchtext(name=name, required=False)):
            return text
    return ""


def _wahrheitswert(request, name):
    wert = request.GET.get(name, "").strip().lower()
    if wert in ("", "false", "0", "no"):
        return False
    if wert in ("true", "1", "yes"):
        return True
    raise ParameterFehler(name, f"„{name}“ muss true oder false sein.")


def _format_pruefen(request):
    if request.GET.get("format", "").strip() not in ("", "json"):
        raise ParameterFehler("format", "Unterstützt wird nur „format=json“.")


def _gefiltert(filterset_class, request, queryset):
    """The FilterSet for the request's parameters (its `qs`: the rows the list's rules find);
    a bad parameter is a ParameterFehler naming it."""
    _format_pruefen(request)
    filterset = filterset_class(request.GET, queryset=queryset)
    if fehler := filterset.fehler():
        raise ParameterFehler(*fehler)
    return filterset


def _anzahl(queryset):
    """The rows of `queryset`; a count of ZAEHLEN_CACHE_AB or more is kept CACHE_SEKUNDEN in the
    shared cache, as the list keeps its counts: a client paging through a broad list has it
    counted once a minute, not per page (bench/RESULTS-api.md). Smaller counts are fresh."""
    sql, params = queryset.query.sql_with_params()
    text = connections[queryset.db].ops.compose_sql(sql, params)
    schluessel = "hsds-anzahl:" + hashlib.sha256(text.encode()).hexdigest()
    if (gesamt := cache.get(schluessel)) is not None:
        return gesamt
    gesamt = queryset.count()
    if gesamt >= ZAEHLEN_CACHE_AB:
        cache.set(schluessel, gesamt, CACHE_SEKUNDEN)
    return gesamt


def _aus_index(filterset, *, mit_ort=False):
    """The offerings of an HsdsAngebotFilterSet from the in-memory index (angebote.suchindex)
    as (ids of the index's rows, those rows in the list's order): the exact count and every
    page without SQL over all matches. None when the index cannot answer (a place, a parameter
    it has no column for, SUCHINDEX off, being built): then SQL, with the same results
    (tests/angebote/test_hsds_suchindex.py)."""

    def frage():
        if (anfrage := filterset.anfrage()) is not None:
            anfrage.mit_ort = mit_ort
        return anfrage

    def ordnen(index, anfrage):
        maske, relevanz = index.maske(anfrage)
        return index.ids, index.folge(maske, relevanz, anfrage.sortierung)

    return suchindex.beantworten(frage, ordnen)


class _IndexSeiten:
    """A list's rows by the index's order: its length without a query, a slice as the rows of
    those ids from `queryset` (one query), in that order."""

    def __init__(self, queryset, ids, ordnung):
        self.queryset, self.ids, self.ordnung = queryset, ids, ordnung

    def __len__(self):
        return len(self.ordnung)

    def __getitem__(self, teil):
        pks = self.ids[self.ordnung[teil]].tolist()
        gefunden = {o.pk: o for o in self.queryset.filter(pk__in=pks)}
        # A row changed since the index read it (unpublished this instant) is left out.
        return [gefunden[pk] for pk in pks if pk in gefunden]


def _angebote(filterset, basis, *, mit_ort=False):
    """The offerings of the FilterSet for _seite: from the index where it can answer, else
    its QuerySet."""
    if (gefunden := _aus_index(filterset, mit_ort=mit_ort)) is None:
        return filterset.qs
    return _IndexSeiten(basis, *gefunden)


class _Gezaehlt:
    """A QuerySet whose count is known (from an index): only its page is asked of SQL."""

    def __init__(self, queryset, anzahl):
        self.queryset, self.anzahl = queryset, anzahl

    def __len__(self):
        return self.anzahl

    def __getitem__(self, teil):
        return self.queryset[teil]


def _seite(request, daten, darstellen):
    """The HSDS paging envelope around one page of `daten` (a QuerySet, a list, _IndexSeiten
    or _Gezaehlt)."""
    nummer = _ganzzahl(request, "page", 1, 1, 10**6)
    groesse = _ganzzahl(request, "per_page", STANDARD_PRO_SEITE, 1, MAX_PRO_SEITE)
    gesamt = _anzahl(daten) if hasattr(daten, "query") else len(daten)
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


@api_view
def api_start(request):
    return {
        "version": hsds.HSDS_VERSION,
        "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
    }


@api_view
def service_list(request):
    voll = _wahrheitswert(request, "full")
    basis = hsds.angebote_voll() if voll else hsds.angebote()
    angebote = _angebote(_gefiltert(HsdsAngebotFilterSet, request, basis), basis)
    return _seite(request, angebote, lambda a: hsds.service(a, request, voll=voll))


@api_view
def service_detail(request, id):
    angebot = _holen(hsds.angebote_voll(), hsds.SERVICE, id)
    return hsds.service(angebot, request, voll=True)


@api_view
def service_at_location_list(request):
    voll = _wahrheitswert(request, "full")
    basis = hsds.angebote_mit_ort(voll=voll)
    angebote = _angebote(_gefiltert(HsdsAngebotFilterSet, request, basis), basis, mit_ort=True)
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
    voll = _wahrheitswert(request, "full")
    filterset = _gefiltert(
        HsdsAkteurFilterSet, request, hsds.akteure_voll() if voll else hsds.akteure()
    )
    akteure = filterset.qs
    # The count from the actor index where it can answer (not a place, not a free text).
    anzahl = akteure_suchindex.auswerten(filterset, fuer_listen=False, nur_anzahl=True)
    if anzahl is not None:
        akteure = _Gezaehlt(akteure, anzahl)
    return _seite(request, akteure, lambda a: hsds.organization(a, request, voll=voll))


@api_view
def organization_detail(request, id):
    akteur = _holen(hsds.akteure_voll(), hsds.ORGANIZATION, id)
    return hsds.organization(akteur, request, voll=True)


def _orte_aus_index():
    """The counts of both arms of /locations (actors with a place, offerings with a place of
    their own) from the in-memory indexes, each None where its index cannot answer. The
    offerings' fact is the stored `Angebot.eigener_ort`."""
    akteure = akteure_suchindex.orte_zaehlen()
    angebote = suchindex.beantworten(
        lambda: suchindex.Anfrage(fachpublikum=True, fuer_listen=False, eigener_ort=True),
        lambda index, anfrage: int(np.count_nonzero(index.maske(anfrage)[0])),
    )
    return akteure, angebote


@api_view
def location_list(request):
    """Actors with a place, and offerings held elsewhere: one list in one order."""
    parameter = _gefiltert(HsdsOrteFilterSet, request, hsds.akteur_orte())
    akteur_orte = hsds.akteur_orte().annotate(
        art=Value(hsds.AKTEUR_ORT), nr=F("pk"), sortname=F("name")
    )
    angebot_orte = hsds.angebot_orte().annotate(
        art=Value(hsds.ANGEBOT_ORT), nr=F("pk"), sortname=F("titel")
    )
    if organisationen := parameter.form.cleaned_data.get("organization_id"):
        pks = [pk for _art, pk in organisationen]
        akteur_orte = akteur_orte.filter(pk__in=pks)
        angebot_orte = angebot_orte.filter(anbieter_id__in=pks)
    spalten, ordnung = ["art", "nr", "sortname"], ["sortname", "art", "nr"]
    if ort := parameter.ort:
        punkt, _name, km = ort
        akteur_orte, angebot_orte = (
            qs.filter(standort__dwithin=(punkt, D(km=km))).annotate(
                entfernung=Distance("standort", punkt)
            )
            for qs in (akteur_orte, angebot_orte)
        )
        spalten, ordnung = [*spalten, "entfernung"], ["entfernung", *ordnung]
    # Each arm in the union's order (its `art` is constant) and cut after the requested page,
    # so that the database walks an index (name, id) / (titel, id) instead of sorting all
    # places. The count per arm: an offering's own place is a stored fact (bench/RESULTS-api.md,
    # issue 12).
    nummer = _ganzzahl(request, "page", 1, 1, 10**6)
    groesse = _ganzzahl(request, "per_page", STANDARD_PRO_SEITE, 1, MAX_PRO_SEITE)
    bis = nummer * groesse
    arm_ordnung = [n for n in ordnung if n != "art"]
    akteur_orte, angebot_orte = (
        qs.order_by().values_list(*spalten) for qs in (akteur_orte, angebot_orte)
    )
    # Near a place or for some organizations SQL counts few rows through its indexes (the
    # provider's, GiST over the own places), without reading the indexes' change logs.
    if ort or organisationen:
        akteure_anzahl = angebote_anzahl = None
    else:
        akteure_anzahl, angebote_anzahl = _orte_aus_index()
    gesamt = (_anzahl(akteur_orte) if akteure_anzahl is None else akteure_anzahl) + (
        _anzahl(angebot_orte) if angebote_anzahl is None else angebote_anzahl
    )
    orte = (
        akteur_orte.order_by(*arm_ordnung)[:bis]
        .union(angebot_orte.order_by(*arm_ordnung)[:bis], all=True)
        .order_by(*ordnung)
    )

    seite = _seite(request, _Gezaehlt(orte, gesamt), lambda zeile: zeile[:2])
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
    if taxonomien := _ids(request, "taxonomy_id", hsds.TAXONOMIE):
        ids = {hsds.hsds_id(hsds.TAXONOMIE, nummer) for _art, nummer in taxonomien}
        terms = [t for t in terms if t["taxonomy_id"] in ids]
    if eltern := _ids(request, "parent_id", hsds.THEMA):
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
