"""Public reads from a PostgreSQL streaming replica (`REPLICA_DATABASE_URL`), writes and staff on
the primary.

A request reads from the replica only if it is a GET/HEAD without a session cookie (staff and
anyone logged in read the primary, so they see what they just saved) and without the cookie
`atlas_primaer`, which every request that may have written (POST, PUT, PATCH, DELETE) sets for
`REPLIKA_NACH_SCHREIBEN_SEKUNDEN`: the replica may lag behind by that much. Within a request, the
first write switches the rest of it to the primary. A replica that does not answer is skipped
for `REPLIKA_PAUSE_SEKUNDEN`; requests then read the primary.

A replica that fails while a request reads from it (stopped, crashed, connection cut) costs the
visitor nothing: if the request is a GET or HEAD and wrote nothing, the middleware pauses the
replica and runs the request once more from the start, on the primary. The failed attempt's
error never reaches the error page, the log's "Internal Server Error" or the client. The whole
request runs again rather than the one failed query: what the first attempt computed from the
replica (cached querysets, a broken transaction) cannot be trusted, and a request that wrote
nothing can safely run twice.

Streaming bodies (exports) run after the middleware has returned: `strom()` wraps them so they
read where the request read, after checking the replica's connection once more. A replica that
dies in the middle of a stream cuts that download short, as the primary would. Raw SQL on
`django.db.connection` reads the primary; `verbindung()` is the connection the request reads.
"""

import contextvars
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse

logger = logging.getLogger("atlas.lesereplik")

PRIMAER_COOKIE = "atlas_primaer"
_lesen_von = contextvars.ContextVar("atlas_lesen_von", default=None)
# Set by the router when the current request writes (then it is never run twice).
_geschrieben = contextvars.ContextVar("atlas_geschrieben", default=False)
# Per process: until when (time.monotonic) the replica counts as down.
_pause_bis = {}
SICHERE_METHODEN = {"GET", "HEAD", "OPTIONS"}
# Requests that may be run a second time after a replica failure: nothing in them writes.
WIEDERHOLBAR = {"GET", "HEAD"}
AUSFALL = (OperationalError, InterfaceError)


class ReplikaRouter:
    """Reads go where the request's middleware decided (the primary unless told otherwise)."""

    def db_for_read(self, model, **hints):
        return _lesen_von.get()

    def db_for_write(self, model, **hints):
        _geschrieben.set(True)
        if _lesen_von.get() is not None:
            # From now on this request reads its own writes.
            _lesen_von.set(None)
        # Explicit: an object read from the replica must still be saved on the primary.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def replika_alias():
    return getattr(settings, "REPLIKA_DATENBANK", None)


def replika_pausieren(alias, fehler):
    connections[alias].close()
    _pause_bis[alias] = time.monotonic() + settings.REPLIKA_PAUSE_SEKUNDEN
    logger.warning(
        "Lesereplik %s antwortet nicht, %s s lang liest alles die primäre Datenbank: %s",
        alias,
        settings.REPLIKA_PAUSE_SEKUNDEN,
        fehler,
    )


def replika_bereit(alias, *, pruefen=False):
    """The replica's connection works, or it is paused.

    `pruefen` also sends a `SELECT 1` over an open connection (Django's health check), for
    code that runs outside the request's own checks (a streaming body).
    """
    if _pause_bis.get(alias, 0) > time.monotonic():
        return False
    verbindung = connections[alias]
    try:
        if pruefen and verbindung.connection is not None and not verbindung.is_usable():
            verbindung.close()
        verbindung.ensure_connection()
    except Exception as fehler:  # any failure: read the primary instead
        replika_pausieren(alias, fehler)
        return False
    # Errors from an earlier request are no evidence against the replica now.
    verbindung.errors_occurred = False
    return True


def darf_replika_lesen(request):
    return (
        request.method in SICHERE_METHODEN
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PRIMAER_COOKIE not in request.COOKIES
    )


def _ist_ausfall(fehler):
    """A broken or refused connection, not a bad query nor a statement timeout (which would
    only take as long again on the primary)."""
    ausfall = False
    while fehler is not None:
        if getattr(fehler, "sqlstate", None) == "57014":  # query_canceled: statement_timeout
            return False
        ausfall = ausfall or isinstance(fehler, AUSFALL)
        fehler = fehler.__cause__ or fehler.__context__
    return ausfall


class _ReplikaAusgefallen(HttpResponse):
    """Stands in for the answer of an attempt the middleware repeats on the primary."""

    status_code = 503


class ReplikaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = replika_alias()
        if alias and darf_replika_lesen(request) and replika_bereit(alias):
            antwort = self._versuch(request, alias)
            if isinstance(antwort, _ReplikaAusgefallen):
                replika_pausieren(alias, request._replika_fehler)
                logger.warning(
                    "%s %s: Lesereplik ausgefallen, die Anfrage läuft noch einmal auf der "
                    "primären Datenbank",
                    request.method,
                    request.path,
                )
                antwort = self._versuch(request, None)
        else:
            antwort = self._versuch(request, None)
        if alias and request.method not in SICHERE_METHODEN:
            antwort.set_cookie(
                PRIMAER_COOKIE,
                "1",
                max_age=settings.REPLIKA_NACH_SCHREIBEN_SEKUNDEN,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return antwort

    def _versuch(self, request, alias):
        """The request's answer, read from `alias` (None: the primary)."""
        request._replika_fehler = None
        token, geschrieben = _lesen_von.set(alias), _geschrieben.set(False)
        try:
            return self.get_response(request)
        finally:
            _lesen_von.reset(token)
            _geschrieben.reset(geschrieben)

    def process_exception(self, request, exception):
        """A read on the replica broke: answer nothing yet, the request runs again (above)."""
        alias = _lesen_von.get()
        if (
            alias is not None
            and request.method in WIEDERHOLBAR
            and not _geschrieben.get()
            and _ist_ausfall(exception)
            # The replica's connection failed in this request (Django marks it), not the
            # primary's: a primary that is down gets the 503 page at once.
            and connections[alias].errors_occurred
        ):
            request._replika_fehler = exception
            return _ReplikaAusgefallen()
        return None


def strom(teile):
    """A streaming body (a generator) that reads where the request that made it reads.

    Django runs the body after the middleware has returned, when the request would read the
    primary. Call it in the view; the replica's connection is checked when the body starts,
    and a replica that is down then is paused and the primary read instead.
    """
    alias = _lesen_von.get()

    def lesen():
        ziel = alias if alias and replika_bereit(alias, pruefen=True) else None
        iterator = iter(teile)
        try:
            while True:
                # Set around each step only: between two steps the server, not this body, runs.
                token = _lesen_von.set(ziel)
                try:
                    stueck = next(iterator)
                except StopIteration:
                    return
                finally:
                    _lesen_von.reset(token)
                yield stueck
        finally:
            schliessen = getattr(iterator, "close", None)
            if schliessen is not None:
                token = _lesen_von.set(ziel)
                try:
                    schliessen()
                finally:
                    _lesen_von.reset(token)

    return lesen()


def verbindung():
    """The connection this request reads from, for raw SQL (`django.db.connection` is the
    primary's)."""
    return connections[_lesen_von.get() or "default"]


class lesen_von:
    """`with lesen_von("replica"): …` reads there, as a public request would (tests, scripts)."""

    def __init__(self, alias):
        self.alias = alias

    def __enter__(self):
        self.token = _lesen_von.set(self.alias)

    def __exit__(self, *exc):
        _lesen_von.reset(self.token)
