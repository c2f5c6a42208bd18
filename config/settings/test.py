"""Test settings: real PostGIS, fast hashing, plain static storage for the live server."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("SITE_URL", "http://testserver")
# Two-factor login stays off locally; `check --deploy` warns about it.
os.environ.setdefault("OTP_REQUIRED", "false")
# Playwright drives the browser from the test thread while the live server runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .base import *  # noqa: E402,F403

DEBUG = False
# Tests read their own uncommitted rows: the search index is built in the request's connection.
SUCHINDEX_HINTERGRUND = False
# … and in the test's own process: a child's connection would not see them either
# (tests/angebote/test_suchindex_kindprozess.py builds one in a child on committed rows).
SUCHINDEX_KINDPROZESS = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The map keeps the tile URL and attribution the site ships (MAP_TILE_URL, MAP_ATTRIBUTION): the
# browser tests answer tile requests themselves (tests/e2e/conftest.py), nothing leaves the machine.
# Serve static files straight from the app folders, as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A replica alias for the routing tests (tests/test_mehrere_server.py): the test database over a
# second connection, which sees only committed rows, as a lagging replica would. Nothing is
# routed to it unless a test sets REPLIKA_DATENBANK.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
