"""Rate limits for anonymous requests, counted where every worker and host sees the same number.

Two kinds:

- A fixed number of requests per window and client address for the API and the exports
  (`DROSSELUNG_ANFRAGEN` per `DROSSELUNG_SEKUNDEN`, 0 = no limit): `@gedrosselt(bereich="api",
  json=True)`, or `drosseln(request, bereich="export")` where only part of a view is limited.
- A budget of points for the public lists, maps and searches (`SuchbudgetMiddleware`): each
  request costs what it cost the server, so a family clicking through filters, paging and
  panning the map never meets it, while a client walking through distinct broad searches is
  stopped before it saturates the workers. See `suchkosten()` and README ("Drosselung").

Counters: with Redis (`REDIS_URL`) in the cache `DROSSELUNG_CACHE`; without it in the database
table of `atlas.Drosselungszaehler` (unlogged, one atomic upsert per count) – never in a
process's memory, which let each of three workers count its own 60. `REAL_IP_HEADER` names the
client address behind a trusted proxy. Staff are never limited.
"""

import functools
import hashlib
import math
import random
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext

from atlas.rollen import ist_staff

from .anfrage import client_ip_adresse


def client_ip(request):
    """The client's address as a counter key (see atlas.anfrage.client_ip_adresse)."""
    return client_ip_adresse(request) or "unbekannt"


# One statement, atomic under concurrency: a new key or an expired window starts at `menge`.
ZAEHLEN_SQL = """
INSERT INTO atlas_drosselungszaehler AS z (schluessel, wert, ablauf)
VALUES (%s, %s, statement_timestamp() + make_interval(secs => %s))
ON CONFLICT (schluessel) DO UPDATE SET
    wert = CASE WHEN z.ablauf > statement_timestamp() THEN z.wert + excluded.wert
        ELSE excluded.wert END,
    ablauf = CASE WHEN z.ablauf > statement_timestamp() THEN z.ablauf ELSE excluded.ablauf END
RETURNING wert
"""
STAND_SQL = (
    "SELECT wert FROM atlas_drosselungszaehler WHERE schluessel = %s "
    "AND ablauf > statement_timestamp()"
)
# Keys name their window, so an old row is never counted again; now and then one request
# deletes them (about once per thousand counts).
AUFRAEUMEN_SQL = "DELETE FROM atlas_drosselungszaehler WHERE ablauf < statement_timestamp()"


def _zaehler_cache():
    """The cache holding the counters, or None: the database table."""
    name = getattr(settings, "DROSSELUNG_CACHE", "")
    return caches[name] if name else None


def _zaehlen(schluessel, sekunden, menge=1):
    """Add `menge` to the counter `schluessel` (kept `sekunden`); its new value."""
    cache = _zaehler_cache()
    if cache is None:
        # The primary, whatever the router reads from: replicas do not carry unlogged tables.
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(ZAEHLEN_SQL, [schluessel, menge, sekunden + 1])
            wert = cursor.fetchone()[0]
            if random.random() < 0.001:
                cursor.execute(AUFRAEUMEN_SQL)
        return wert
    # add() is atomic and only sets a missing key; incr() is atomic on Redis and locmem.
    cache.add(schluessel, 0, timeout=sekunden + 1)
    try:
        return cache.incr(schluessel, menge)
    except ValueError:
        # The key expired between add() and incr(): this request opens the window again.
        cache.add(schluessel, menge, timeout=sekunden + 1)
        return menge


def _stand(schluessel):
    """The counter's value, 0 if it is not (or no longer) there."""
    cache = _zaehler_cache()
    if cache is None:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(STAND_SQL, [schluessel])
            zeile = cursor.fetchone()
        return zeile[0] if zeile else 0
    return cache.get(schluessel) or 0


def _fenster(sekunden):
    """The current window's number and the seconds until it ends (at least 1)."""
    jetzt = time.time()
    fenster = int(jetzt // sekunden)
    return fenster, max(math.ceil((fenster + 1) * sekunden - jetzt), 1)


def warten_noetig(request, *, bereich="standard", anfragen=None, sekunden=None):
    """Count this request; seconds until the window reopens if it is over the limit, else None."""
    if ist_staff(getattr(request, "user", None)):
        return None
    anfragen = int(settings.DROSSELUNG_ANFRAGEN if anfragen is None else anfragen)
    sekunden = max(int(settings.DROSSELUNG_SEKUNDEN if sekunden is None else sekunden), 1)
    if anfragen <= 0:
        return None
    fenster, warten = _fenster(sekunden)
    schluessel = f"drosselung:{bereich}:{client_ip(request)}:{sekunden}:{fenster}"
    if _zaehlen(schluessel, sekunden) <= anfragen:
        return None
    return warten


def _fenster_schluessel(request, bereich, sekunden):
    fenster, warten = _fenster(sekunden)
    return f"fehlschlag:{bereich}:{client_ip(request)}:{sekunden}:{fenster}", warten


def fehlschlag_zaehlen(request, *, bereich, sekunden):
    """Count a failure (a refused login, say) of this client address in the current window."""
    schluessel, _ = _fenster_schluessel(request, bereich, max(int(sekunden), 1))
    return _zaehlen(schluessel, max(int(sekunden), 1))


def fehlschlaege_warten(request, *, bereich, anzahl, sekunden):
    """Seconds until the window reopens if this address had `anzahl` failures in it, else None.

    Unlike `warten_noetig`, only failures count (`fehlschlag_zaehlen`), and staff are not exempt:
    it guards the login itself.
    """
    if anzahl <= 0:
        return None
    schluessel, warten = _fenster_schluessel(request, bereich, max(int(sekunden), 1))
    if _stand(schluessel) < anzahl:
        return None
    return warten


def zu_viele_anfragen(request, warten, *, json=False):
    """The 429 answer with Retry-After: JSON for the API, a short page otherwise."""
    meldung = ngettext(
        "Zu viele Anfragen. Bitte warten Sie %(sekunden)d Sekunde und versuchen Sie es dann "
        "erneut.",
        "Zu viele Anfragen. Bitte warten Sie %(sekunden)d Sekunden und versuchen Sie es dann "
        "erneut.",
        warten,
    ) % {"sekunden": warten}
    if json:
        antwort = JsonResponse({"error": meldung, "retry_after": warten}, status=429)
    else:
        antwort = render(
            request, "drosselung.html", {"meldung": meldung, "warten": warten}, status=429
        )
    antwort["Retry-After"] = str(warten)
    add_never_cache_headers(antwort)
    return antwort


def drosseln(request, *, bereich="standard", json=False, anfragen=None, sekunden=None):
    """Count this request; the 429 response if the client is over the limit, else None."""
    warten = warten_noetig(request, bereich=bereich, anfragen=anfragen, sekunden=sekunden)
    if warten is None:
        return None
    return zu_viele_anfragen(request, warten, json=json)


def gedrosselt(view=None, *, bereich="standard", json=False, anfragen=None, sekunden=None):
    """View decorator: `@gedrosselt` or `@gedrosselt(bereich="api", json=True)`.

    For class-based views: `method_decorator(gedrosselt(...), name="dispatch")`, or wrap
    `as_view()` in the URLconf.
    """

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            antwort = drosseln(
                request, bereich=bereich, json=json, anfragen=anfragen, sekunden=sekunden
            )
            if antwort is not None:
                return antwort
            return view_func(request, *args, **kwargs)

        return wrapper

    if view is not None:
        return decorator(view)
    return decorator


# --- The budget of the public lists, maps and searches ------------------------------------------
# Statements the budget adds to a request without Redis: its check before, its charge after.
SUCHBUDGET_ABFRAGEN = 2
# Query parameters that page, sort or move the map within one search: not a new search.
KEINE_NEUE_SUCHE = frozenset({"seite", "sortierung", "bbox"})

# One statement per request, after its view: mark the search as seen (its own counter) and
# charge the budget: the request's points, plus SUCHBUDGET_NEUE_SUCHE if the search was new.
SUCHE_BUCHEN_SQL = """
WITH suche AS (
    INSERT INTO atlas_drosselungszaehler AS z (schluessel, wert, ablauf)
    VALUES (%s, 1, statement_timestamp() + make_interval(secs => %s))
    ON CONFLICT (schluessel) DO UPDATE SET
        wert = CASE WHEN z.ablauf > statement_timestamp() THEN z.wert + 1 ELSE 1 END,
        ablauf = CASE WHEN z.ablauf > statement_timestamp() THEN z.ablauf
            ELSE excluded.ablauf END
    RETURNING wert
)
INSERT INTO atlas_drosselungszaehler AS z (schluessel, wert, ablauf)
SELECT %s, %s + CASE WHEN suche.wert = 1 THEN %s ELSE 0 END,
    statement_timestamp() + make_interval(secs => %s)
FROM suche
ON CONFLICT (schluessel) DO UPDATE SET
    wert = CASE WHEN z.ablauf > statement_timestamp() THEN z.wert + excluded.wert
        ELSE excluded.wert END,
    ablauf = CASE WHEN z.ablauf > statement_timestamp() THEN z.ablauf ELSE excluded.ablauf END
RETURNING wert
"""


def suchkosten(*, neue_suche, millisekunden):
    """Points one list, map or search request costs: 1, plus SUCHBUDGET_NEUE_SUCHE for a search
    this client has not asked for in the window (paging, sorting and map panning are not new),
    plus one per full SUCHBUDGET_MS_PRO_PUNKT milliseconds the server worked on it – a broad
    search that missed the result cache costs what it cost."""
    punkte = 1 + (settings.SUCHBUDGET_NEUE_SUCHE if neue_suche else 0)
    return punkte + int(millisekunden // settings.SUCHBUDGET_MS_PRO_PUNKT)


def _suchzustand(request, liste):
    """A short hash of the search a request asks for: the list (the URL namespace, so a list
    page and the map data it loads are one search) and its filters."""
    teile = sorted(
        (name, wert)
        for name, werte in request.GET.lists()
        if name not in KEINE_NEUE_SUCHE
        for wert in werte
        if wert != ""
    )
    return hashlib.blake2b(repr((liste, teile)).encode(), digest_size=8).hexdigest()


def suche_buchen(schluessel, such_schluessel, sekunden, millisekunden=0):
    """Charge one request (see suchkosten) to the budget `schluessel`; its new value."""
    punkte = suchkosten(neue_suche=False, millisekunden=millisekunden)
    cache = _zaehler_cache()
    if cache is None:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(
                SUCHE_BUCHEN_SQL,
                [
                    such_schluessel,
                    sekunden + 1,
                    schluessel,
                    punkte,
                    settings.SUCHBUDGET_NEUE_SUCHE,
                    sekunden + 1,
                ],
            )
            return cursor.fetchone()[0]
    if cache.add(such_schluessel, 1, timeout=sekunden + 1):
        punkte += settings.SUCHBUDGET_NEUE_SUCHE
    return _zaehlen(schluessel, sekunden, punkte)


class SuchbudgetMiddleware:
    """A budget of points per client address and window (SUCHBUDGET_PUNKTE per
    SUCHBUDGET_SEKUNDEN) for anonymous requests to the views in SUCHBUDGET_ANSICHTEN (URL
    names). Before the view: a client whose budget is spent gets the 429 page with Retry-After
    (JSON for the map data) in the visitor's language. After it: the request is charged what it
    cost (suchkosten: 1 point, more for a new search and for server time). Two statements per
    request, whatever it cost. SUCHBUDGET_PUNKTE = 0: no budget.

    After the session, auth and locale middleware: it needs the user and the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        beginn = time.perf_counter()
        antwort = self.get_response(request)
        if (buchung := getattr(request, "_suchbudget", None)) is not None:
            millisekunden = (time.perf_counter() - beginn) * 1000
            suche_buchen(*buchung, millisekunden=millisekunden)
        return antwort

    def process_view(self, request, view_func, view_args, view_kwargs):
        budget = settings.SUCHBUDGET_PUNKTE
        treffer = request.resolver_match
        if (
            budget <= 0
            or request.method not in ("GET", "HEAD")
            or treffer is None
            or treffer.view_name not in settings.SUCHBUDGET_ANSICHTEN
            or ist_staff(getattr(request, "user", None))
        ):
            return None
        sekunden = max(int(settings.SUCHBUDGET_SEKUNDEN), 1)
        fenster, warten = _fenster(sekunden)
        adresse = client_ip(request)
        schluessel = f"suchbudget:{adresse}:{sekunden}:{fenster}"
        if _stand(schluessel) >= budget:
            return zu_viele_anfragen(request, warten, json=request.path.endswith(".json"))
        zustand = _suchzustand(request, treffer.namespace)
        such_schluessel = f"suche:{adresse}:{sekunden}:{fenster}:{zustand}"
        request._suchbudget = (schluessel, such_schluessel, sekunden)
        return None
