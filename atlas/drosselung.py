"""Rate limit for anonymous API calls and exports: a fixed window per client IP in Django's cache.

Settings (from the environment, see .env.example): `DROSSELUNG_ANFRAGEN` requests per
`DROSSELUNG_SEKUNDEN` seconds (0 requests = no limit), `REAL_IP_HEADER` for the client address
behind a trusted proxy. Staff are never limited. Counters live in the cache `DROSSELUNG_CACHE`
(default "default"): shared by all processes with Redis (`REDIS_URL`), per process with the
local-memory cache.

Use as a decorator (`@gedrosselt(bereich="api", json=True)`) or, where only part of a view is
limited (an export on a list page), call `drosseln(request, bereich="export")` and return its
response when it is not None.
"""

import functools
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext

from atlas.rollen import ist_staff

from .anfrage import client_ip_adresse


def client_ip(request):
    """The client's address as a counter key (see atlas.anfrage.client_ip_adresse)."""
    return client_ip_adresse(request) or "unbekannt"


def _zaehlen(schluessel, sekunden):
    cache = caches[getattr(settings, "DROSSELUNG_CACHE", "default")]
    # add() is atomic and only sets a missing key; incr() is atomic on Redis and locmem.
    cache.add(schluessel, 0, timeout=sekunden + 1)
    try:
        return cache.incr(schluessel)
    except ValueError:
        # The key expired between add() and incr(): this request opens the window again.
        cache.add(schluessel, 1, timeout=sekunden + 1)
        return 1


def warten_noetig(request, *, bereich="standard", anfragen=None, sekunden=None):
    """Count this request; seconds until the window reopens if it is over the limit, else None."""
    if ist_staff(getattr(request, "user", None)):
        return None
    anfragen = int(settings.DROSSELUNG_ANFRAGEN if anfragen is None else anfragen)
    sekunden = max(int(settings.DROSSELUNG_SEKUNDEN if sekunden is None else sekunden), 1)
    if anfragen <= 0:
        return None
    jetzt = time.time()
    fenster = int(jetzt // sekunden)
    schluessel = f"drosselung:{bereich}:{client_ip(request)}:{sekunden}:{fenster}"
    if _zaehlen(schluessel, sekunden) <= anfragen:
        return None
    return max(math.ceil((fenster + 1) * sekunden - jetzt), 1)


def _fenster_schluessel(request, bereich, sekunden):
    jetzt = time.time()
    fenster = int(jetzt // sekunden)
    schluessel = f"fehlschlag:{bereich}:{client_ip(request)}:{sekunden}:{fenster}"
    return schluessel, max(math.ceil((fenster + 1) * sekunden - jetzt), 1)


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
    cache = caches[getattr(settings, "DROSSELUNG_CACHE", "default")]
    if (cache.get(schluessel) or 0) < anzahl:
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
