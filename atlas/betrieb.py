"""Operations: health checks for a load balancer, and error pages that need no database.

`/-/alive/` answers while the process runs; `/-/ready/` only when the database answers within
`BEREIT_SEKUNDEN` (1 s), else 503 — a load balancer then sends no requests to this instance.
A request that finds the database down gets a German 503 page with Retry-After instead of a 500;
with `DB_CONNECT_TIMEOUT` it does so after seconds, not when gunicorn kills the worker.
"""

import logging
import math
import sys
import threading

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

logger = logging.getLogger("atlas.betrieb")

BEREIT_SEKUNDEN = 1.0
WIEDERHOLEN_NACH = 30  # seconds, Retry-After of the 503 page


def datenbank_antwortet(alias="default", sekunden=BEREIT_SEKUNDEN):
    """True if the database answers `SELECT 1` on a fresh connection within `sekunden`.

    A fresh connection in a thread: the request's own connection could hang on a stalled server
    (libpq has no client-side timeout for a statement), the thread is given up after `sekunden`.
    """
    verbindung = connections[alias]
    parameter = verbindung.get_connection_params()
    # libpq's smallest connect timeout is 2 s; the thread is abandoned earlier anyway.
    parameter["connect_timeout"] = max(2, math.ceil(sekunden))
    parameter["options"] = (
        f"{parameter.get('options', '')} -c statement_timeout={int(sekunden * 1000)}".strip()
    )
    ergebnis = {}

    def pruefen():
        try:
            with verbindung.Database.connect(**parameter) as direkt:
                direkt.execute("SELECT 1")
            ergebnis["ok"] = True
        except Exception as fehler:  # any failure means "not ready"
            ergebnis["fehler"] = fehler

    faden = threading.Thread(target=pruefen, name=f"bereit-{alias}", daemon=True)
    faden.start()
    faden.join(sekunden)
    if "fehler" in ergebnis:
        logger.warning("Datenbank %s antwortet nicht: %s", alias, ergebnis["fehler"])
    return ergebnis.get("ok", False)


def ohne_zeitlimit(alias="default"):
    """Lift DB_STATEMENT_TIMEOUT_MS for this connection's session: for batch commands.

    The timeout keeps a web request from hanging on a stalled database; a command that loads or
    rewrites a whole table (the generator, a data migration on a large database) legitimately
    runs statements for longer.
    """
    with connections[alias].cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")


@never_cache
def lebt(request):
    """The process answers (no database involved)."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
def bereit(request):
    """Ready for traffic: the database answers within a second."""
    if datenbank_antwortet():
        return JsonResponse({"status": "bereit", "datenbank": "ok"})
    antwort = JsonResponse({"status": "nicht bereit", "datenbank": "keine Antwort"}, status=503)
    antwort["Retry-After"] = "5"
    return antwort


DATENBANK_FEHLER = (OperationalError, InterfaceError)


def _ist_datenbank_ausfall(fehler):
    """A connection that failed or broke, not a bad query (that stays a 500)."""
    while fehler is not None:
        if isinstance(fehler, DATENBANK_FEHLER):
            return True
        if isinstance(fehler, DatabaseError):
            return False
        fehler = fehler.__cause__ or fehler.__context__
    return False


def _seite(vorlage, status, request=None):
    # Rendered without context processors and without the user: neither may touch the database.
    html = loader.get_template(vorlage).render(
        {"SITE_TITLE": settings.SITE_TITLE, "wiederholen_nach": WIEDERHOLEN_NACH}
    )
    return HttpResponse(html, status=status)


def serverfehler(request):
    """handler500: 503 with Retry-After when the database is down, else the German 500 page."""
    fehler = sys.exc_info()[1]
    if _ist_datenbank_ausfall(fehler):
        antwort = _seite("503.html", 503, request)
        antwort["Retry-After"] = str(WIEDERHOLEN_NACH)
    else:
        antwort = _seite("500.html", 500, request)
    add_never_cache_headers(antwort)
    return antwort
