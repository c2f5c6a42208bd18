"""Past one machine: public reads from a replica (atlas/lesereplik.py), cache, sessions and
counters in Redis (REDIS_URL). The replica here is a second connection to the test database:
it sees only committed rows, so a row this test wrote (uncommitted) is what a lagging replica
does not have yet — which tells where a request read."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, connections
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


def test_raw_sql_reads_where_the_request_reads():
    assert lesereplik.verbindung().alias == "default"
    with lesen_von(REPLIK):
        assert lesereplik.verbindung().alias == REPLIK
        ReplikaRouter().db_for_write(Angebot)  # a write: the rest of the request, the primary
        assert lesereplik.verbindung().alias == "default"


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


class Trennstelle:
    """A TCP relay in front of PostgreSQL that cuts its connections: a replica that dies.

    `schneiden_bei` (bytes): the first client message containing it is not passed on, both
    sockets of that connection are closed (the server ends the backend, the client reads
    "server closed the connection"). `stoppen()` closes every connection and the port, as a
    stopped server would.
    """

    def __init__(self, ziel):
        self.ziel = ziel
        self.schneiden_bei = None
        self.verbindungen = 0
        self.geschnitten = 0
        self.offen = []
        self.lauscher = socket.create_server(("127.0.0.1", 0))
        self.port = self.lauscher.getsockname()[1]
        threading.Thread(target=self._annehmen, daemon=True).start()

    def _annehmen(self):
        while True:
            try:
                kunde, _ = self.lauscher.accept()
            except OSError:
                return
            self.verbindungen += 1
            server = socket.create_connection(self.ziel)
            self.offen += [kunde, server]
            threading.Thread(target=self._pumpen, args=(kunde, server, True), daemon=True).start()
            threading.Thread(target=self._pumpen, args=(server, kunde, False), daemon=True).start()

    def _pumpen(self, von, nach, vom_kunden):
        try:
            while daten := von.recv(65536):
                if vom_kunden and self.schneiden_bei and self.schneiden_bei in daten:
                    self.geschnitten += 1
                    break
                nach.sendall(daten)
        except OSError:
            pass
        for s in (von, nach):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def stoppen(self):
        # shutdown() first: close() alone leaves a thread blocked in accept() listening.
        with contextlib.suppress(OSError):
            self.lauscher.shutdown(socket.SHUT_RDWR)
        self.lauscher.close()
        for s in self.offen:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def replik_ueber_trennstelle(replik):
    """The replica alias, connected through a Trennstelle (without TLS, so it can read)."""
    echt = connections[REPLIK]
    daten = echt.settings_dict
    trennstelle = Trennstelle((daten["HOST"] or "127.0.0.1", int(daten["PORT"] or 5432)))
    einstellungen = {
        **daten,
        "HOST": "127.0.0.1",
        "PORT": trennstelle.port,
        "OPTIONS": {**daten["OPTIONS"], "sslmode": "disable"},
    }
    connections[REPLIK] = type(echt)(einstellungen, REPLIK)
    try:
        yield trennstelle
    finally:
        connections[REPLIK].close()
        connections[REPLIK] = echt
        trennstelle.stoppen()


@MIT_REPLIK
def test_a_replica_that_dies_mid_request_costs_the_visitor_nothing(
    client, replik_ueber_trennstelle, caplog
):
    trennstelle = replik_ueber_trennstelle
    angebot = factories.AngebotFactory(titel="Nur auf der primären Datenbank")  # uncommitted
    pfad = angebot.get_absolute_url()
    # Through the relay, the replica answers (and does not have the offering yet).
    assert client.get(pfad).status_code == 404
    assert trennstelle.verbindungen == 1
    # Now the replica's connection breaks when the page asks for the offering: the request
    # runs again on the primary, and the visitor gets the page.
    trennstelle.schneiden_bei = b"angebote_angebot"
    caplog.clear()
    antwort = client.get(pfad)
    assert trennstelle.geschnitten == 1
    assert antwort.status_code == 200
    assert "Nur auf der primären Datenbank" in antwort.content.decode()
    # Two warnings, no "Internal Server Error".
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [
        "Lesereplik replica antwortet nicht, 5 s lang liest alles die primäre Datenbank",
        f"GET {pfad}",
    ]
    assert caplog.records[1].getMessage() == (
        f"GET {pfad}: Lesereplik ausgefallen, die Anfrage läuft noch einmal auf der primären "
        "Datenbank"
    )
    # Paused: the next requests do not even try the replica.
    assert client.head(pfad).status_code == 200
    assert trennstelle.verbindungen == 1
    assert trennstelle.geschnitten == 1


@MIT_REPLIK
def test_a_head_request_is_repeated_too_a_statement_timeout_is_not(
    client, replik_ueber_trennstelle, caplog
):
    trennstelle = replik_ueber_trennstelle
    angebot = factories.AngebotFactory(titel="Kopf")
    trennstelle.schneiden_bei = b"angebote_angebot"
    assert client.head(angebot.get_absolute_url()).status_code == 200
    assert trennstelle.geschnitten == 1
    # A statement timeout on the replica is a slow query, not a dead replica: not repeated
    # (it would take as long again on the primary) and the replica is not paused.
    lesereplik._pause_bis.clear()
    caplog.clear()
    trennstelle.schneiden_bei = None
    with connections[REPLIK].cursor() as cursor:
        cursor.execute("SET statement_timeout = 1")
        with pytest.raises(OperationalError) as fehler:
            cursor.execute("SELECT pg_sleep(0.1)")
    assert lesereplik._ist_ausfall(fehler.value) is False
    connections[REPLIK].close()


@MIT_REPLIK
def test_streamed_exports_read_the_replica_and_fall_back_when_it_is_gone(
    client, replik_ueber_trennstelle, caplog
):
    trennstelle = replik_ueber_trennstelle
    angebot = factories.AngebotFactory(titel="Noch nicht repliziert")  # uncommitted
    factories.TerminFactory(angebot=angebot)
    for format in ("csv", "geojson", "ics"):
        # Read where the request read: the replica, which does not have the offering yet.
        antwort = client.get(f"/angebote/export.{format}")
        assert antwort.status_code == 200
        inhalt = b"".join(antwort.streaming_content).decode("utf-8-sig")
        assert "Noch nicht repliziert" not in inhalt, format
        assert trennstelle.verbindungen == 1
        # Someone who just wrote reads the primary, the streamed body too.
        client.cookies[PRIMAER_COOKIE] = "1"
        inhalt = b"".join(client.get(f"/angebote/export.{format}").streaming_content)
        assert "Noch nicht repliziert" in inhalt.decode("utf-8-sig"), format
        del client.cookies[PRIMAER_COOKIE]
    # The replica stops between the view and its streamed body: the body reads the primary.
    antwort = client.get("/angebote/export.csv")
    trennstelle.stoppen()
    zeilen = b"".join(antwort.streaming_content).decode("utf-8-sig").splitlines()
    assert len(zeilen) == 2
    assert "Noch nicht repliziert" in zeilen[1]
    assert "Lesereplik replica antwortet nicht" in caplog.text


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
