"""Past one machine: public reads from a replica (atlas/lesereplik.py), cache, sessions and
counters in Redis (REDIS_URL). The replica here is a second connection to the test database:
it sees only committed rows, so a row this test wrote (uncommitted) is what a lagging replica
does not have yet — which tells where a request read."""

import os
import subprocess
import sys
import threading
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.test import RequestFactory, override_settings

from angebote.models import Angebot
from atlas import lesereplik
from atlas.drosselung import suche_buchen, warten_noetig
from atlas.lesereplik import PRIMAER_COOKIE, ReplikaRouter, lesen_von
from tests import factories

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REPLIK = "replica"  # config/settings/test.py: the test database over a second connection
MIT_REPLIK = pytest.mark.django_db(databases=["default", REPLIK])


@pytest.fixture
def replik(settings):
    """The site reads public pages from the replica alias."""
    settings.REPLIKA_DATENBANK = REPLIK
    lesereplik._pause_bis.clear()
    yield REPLIK
    connections[REPLIK].close()
    lesereplik._pause_bis.clear()


def test_router_reads_where_told_and_writes_the_primary():
    router = ReplikaRouter()
    assert Angebot.objects.all().db == "default"
    with lesen_von("replica"):
        assert Angebot.objects.all().db == "replica"
        assert router.db_for_write(Angebot) == "default"
        # After a write the request reads its own writes.
        assert Angebot.objects.all().db == "default"
    assert router.allow_migrate("replica", "angebote") is False
    assert router.allow_migrate("default", "angebote") is True


@MIT_REPLIK
def test_anonymous_reads_the_replica_staff_and_writers_the_primary(client, replik):
    angebot = factories.AngebotFactory(titel="Noch nicht repliziert")  # uncommitted
    pfad = angebot.get_absolute_url()
    assert client.get(pfad).status_code == 404, "the replica does not have it yet"
    # Someone who just wrote (the cookie a POST leaves) reads the primary.
    client.cookies[PRIMAER_COOKIE] = "1"
    assert client.get(pfad).status_code == 200
    del client.cookies[PRIMAER_COOKIE]
    # Staff (a session) read the primary.
    client.force_login(factories.UserFactory(is_superuser=True))
    assert client.get(pfad).status_code == 200
    assert client.get(f"/admin/angebote/angebot/{angebot.pk}/change/").status_code == 200


@MIT_REPLIK
def test_a_post_sets_the_primary_cookie(client, replik, settings):
    antwort = client.post("/-/csp-bericht/", "{}", content_type="application/csp-report")
    assert antwort.status_code == 204
    keks = antwort.cookies[PRIMAER_COOKIE]
    assert keks.value == "1"
    assert keks["max-age"] == settings.REPLIKA_NACH_SCHREIBEN_SEKUNDEN == 10
    assert keks["httponly"] is True
    assert client.get("/").status_code == 200
    assert PRIMAER_COOKIE not in client.get("/").cookies


@MIT_REPLIK
def test_a_replica_that_is_down_is_skipped(client, replik, caplog):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        tot = sock.getsockname()[1]
    echt = connections[REPLIK]
    # The replica's connection, but to a port where nothing listens (a stopped server).
    connections[REPLIK] = type(echt)({**echt.settings_dict, "PORT": tot}, REPLIK)
    try:
        angebot = factories.AngebotFactory(titel="Nur auf der primären Datenbank")
        assert client.get(angebot.get_absolute_url()).status_code == 200
        assert "Lesereplik replica antwortet nicht" in caplog.text
        # Paused: the next request does not even try.
        caplog.clear()
        assert client.get(angebot.get_absolute_url()).status_code == 200
        assert caplog.text == ""
    finally:
        connections[REPLIK].close()
        connections[REPLIK] = echt


@pytest.mark.django_db
def test_without_replica_everything_reads_the_primary(client):
    assert settings.REPLIKA_DATENBANK is None
    angebot = factories.AngebotFactory()
    assert client.get(angebot.get_absolute_url()).status_code == 200
    assert PRIMAER_COOKIE not in client.post("/-/csp-bericht/", "{}", content_type="x").cookies


# --- Redis ---------------------------------------------------------------------------------------


@pytest.fixture
def redis_cache():
    """Django's RedisCache under a prefix of its own (the server is shared)."""
    praefix = f"test-{uuid.uuid4().hex[:12]}"
    einstellung = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": praefix,
        }
    }
    direkt = redis.Redis.from_url(REDIS_URL)
    direkt.ping()  # scripts/setup.sh starts Redis for the tests
    # With REDIS_URL the settings count rate limits in this cache (DROSSELUNG_CACHE).
    with override_settings(
        CACHES=einstellung,
        SESSION_ENGINE="django.contrib.sessions.backends.cache",
        DROSSELUNG_CACHE="default",
    ):
        yield praefix, direkt
    for schluessel in direkt.scan_iter(f"{praefix}:*"):
        direkt.delete(schluessel)


def _in_anderem_prozess(funktion):
    """Run `funktion` in another thread: its own cache client, as another app server has."""
    ergebnis = []
    faden = threading.Thread(target=lambda: ergebnis.append(funktion()))
    faden.start()
    faden.join()
    return ergebnis[0]


def test_rate_limit_counts_across_app_servers(redis_cache):
    anfrage = RequestFactory().get("/api/hsds/services/", REMOTE_ADDR="203.0.113.9")
    anfrage.user = None
    zaehlen = lambda: warten_noetig(anfrage, bereich="api", anfragen=3, sekunden=60)  # noqa: E731
    assert [zaehlen(), _in_anderem_prozess(zaehlen), zaehlen()] == [None, None, None]
    warten = _in_anderem_prozess(zaehlen)
    assert warten is not None and 1 <= warten <= 60


def test_search_budget_counts_across_app_servers(redis_cache, settings):
    """Two app servers (two cache clients) charge one budget; a search one server has seen is
    not new to the other."""
    praefix, direkt = redis_cache
    settings.SUCHBUDGET_NEUE_SUCHE = 4
    budget, suche = "suchbudget:203.0.113.9:60:1", "suche:203.0.113.9:60:1:abc"
    assert suche_buchen(budget, suche, 60) == 5
    assert _in_anderem_prozess(lambda: suche_buchen(budget, suche, 60)) == 6
    assert _in_anderem_prozess(lambda: suche_buchen(budget, suche + "d", 60)) == 11
    assert int(direkt.get(f"{praefix}:1:{budget}")) == 11


@pytest.mark.django_db
def test_sessions_live_in_redis_and_any_server_reads_them(client, redis_cache):
    praefix, direkt = redis_cache
    client.force_login(factories.UserFactory(is_superuser=True, username="redaktion"))
    schluessel = client.cookies[settings.SESSION_COOKIE_NAME].value
    gespeichert = [k.decode() for k in direkt.scan_iter(f"{praefix}:*{schluessel}")]
    assert len(gespeichert) == 1
    assert caches["default"].__class__.__name__ == "RedisCache"
    # Another app server (another thread, another client) finds the login.
    from django.contrib.sessions.backends.cache import SessionStore

    daten = _in_anderem_prozess(lambda: dict(SessionStore(session_key=schluessel).load()))
    assert daten["_auth_user_id"] == str(
        factories.UserFactory._meta.model.objects.get(username="redaktion").pk
    )
    assert client.get("/admin/").status_code == 200


def test_redis_url_switches_cache_and_sessions_replica_url_the_router():
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], "
        "s.SESSION_ENGINE, s.REPLIKA_DATENBANK, "
        "s.DATABASES['replica']['NAME'], s.DATABASES['replica']['OPTIONS']['connect_timeout'], "
        "s.DROSSELUNG_CACHE)"
    )
    ergebnis = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SECRET_KEY": "x" * 50,
            "REDIS_URL": "redis://10.0.0.5:6379/1",
            "REPLICA_DATABASE_URL": "postgis://atlas@10.0.0.6:5432/atlas",
        },
        capture_output=True,
        text=True,
    )
    assert ergebnis.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://10.0.0.5:6379/1",
        "django.contrib.sessions.backends.cache",
        "replica",
        "atlas",
        "3",
        "default",  # rate-limit counters in Redis too
    ], ergebnis.stderr
