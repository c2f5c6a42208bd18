"""Public reads from a PostgreSQL streaming replica (`REPLICA_DATABASE_URL`), writes and staff on
the primary.

A request reads from the replica only if it is a GET/HEAD without a session cookie (staff and
anyone logged in read the primary, so they see what they just saved) and without the cookie
`atlas_primaer`, which every request that may have written (POST, PUT, PATCH, DELETE) sets for
`REPLIKA_NACH_SCHREIBEN_SEKUNDEN`: the replica may lag behind by that much. Within a request, the
first write switches the rest of it to the primary. A replica that does not answer is skipped
for `REPLIKA_PAUSE_SEKUNDEN`; requests then read the primary.

What is not routed: raw SQL on `django.db.connection` (the exports' COPY) and the body of a
streaming response, which runs after the middleware: both read the primary.
"""

import contextvars
import logging
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger("atlas.lesereplik")

PRIMAER_COOKIE = "atlas_primaer"
_lesen_von = contextvars.ContextVar("atlas_lesen_von", default=None)
# Per process: until when (time.monotonic) the replica counts as down.
_pause_bis = {}
SICHERE_METHODEN = {"GET", "HEAD", "OPTIONS"}


class ReplikaRouter:
    """Reads go where the request's middleware decided (the primary unless told otherwise)."""

    def db_for_read(self, model, **hints):
        return _lesen_von.get()

    def db_for_write(self, model, **hints):
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


def replika_bereit(alias):
    """The replica's connection works (Django's own health check), or it is paused."""
    jetzt = time.monotonic()
    if _pause_bis.get(alias, 0) > jetzt:
        return False
    verbindung = connections[alias]
    try:
        verbindung.ensure_connection()
        return True
    except Exception as fehler:  # any failure: read the primary instead
        verbindung.close()
        _pause_bis[alias] = jetzt + settings.REPLIKA_PAUSE_SEKUNDEN
        logger.warning(
            "Lesereplik %s antwortet nicht, %s s lang liest alles die primäre Datenbank: %s",
            alias,
            settings.REPLIKA_PAUSE_SEKUNDEN,
            fehler,
        )
        return False


def darf_replika_lesen(request):
    return (
        request.method in SICHERE_METHODEN
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PRIMAER_COOKIE not in request.COOKIES
    )


class ReplikaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = replika_alias()
        token = None
        if alias and darf_replika_lesen(request) and replika_bereit(alias):
            token = _lesen_von.set(alias)
        try:
            antwort = self.get_response(request)
        finally:
            if token is not None:
                _lesen_von.reset(token)
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


class lesen_von:
    """`with lesen_von("replica"): …` reads there, as a public request would (tests, scripts)."""

    def __init__(self, alias):
        self.alias = alias

    def __enter__(self):
        self.token = _lesen_von.set(self.alias)

    def __exit__(self, *exc):
        _lesen_von.reset(self.token)
