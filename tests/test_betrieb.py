"""Operations: health checks, database timeouts, German error pages (atlas/betrieb.py)."""

import os
import socket
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory

from atlas.betrieb import datenbank_antwortet, serverfehler


def test_alive_needs_no_database(client):
    antwort = client.get("/-/alive/")
    assert antwort.status_code == 200
    assert antwort.content == b"ok\n"
    assert "no-cache" in antwort["Cache-Control"]


@pytest.mark.django_db
def test_ready_when_the_database_answers(client):
    antwort = client.get("/-/ready/")
    assert antwort.status_code == 200
    assert antwort.json() == {"status": "bereit", "datenbank": "ok"}


@contextmanager
def haengender_server():
    """A port that accepts TCP connections and never says a word, like a stalled server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def freier_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def datenbank_port(port):
    alt = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = port
    try:
        yield
    finally:
        connection.settings_dict["PORT"] = alt


@pytest.mark.django_db
def test_ready_is_503_when_the_database_is_down_or_hangs(client):
    with datenbank_port(freier_port()):
        antwort = client.get("/-/ready/")
    assert antwort.status_code == 503
    assert antwort.json() == {"status": "nicht bereit", "datenbank": "keine Antwort"}
    with haengender_server() as port, datenbank_port(port):
        assert datenbank_antwortet(sekunden=0.5) is False
    assert datenbank_antwortet(sekunden=1) is True


@pytest.mark.django_db
def test_connections_have_connect_and_statement_timeouts():
    optionen = settings.DATABASES["default"]["OPTIONS"]
    assert optionen["connect_timeout"] == 3
    assert optionen["options"] == (
        "-c jit=off -c max_parallel_workers_per_gather=0 -c statement_timeout=30000"
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)


def _im_prozess(code, **umgebung):
    """Run `code` with the test settings and the given environment in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PGOPTIONS"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", **umgebung)
    ergebnis = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ergebnis.returncode == 0, ergebnis.stderr
    return ergebnis.stdout


ANFRAGE = """
import django; django.setup()
from django.test import Client
antwort = Client(raise_request_exception=False).get("/angebote/?q=Eltern")
print(antwort.status_code, antwort["Retry-After"])
print(antwort.content.decode())
"""


@pytest.mark.parametrize("art", ["aus", "haengt"])
def test_a_request_gets_the_german_503_page_when_the_database_is_down(art):
    with haengender_server() as haengt:
        port = freier_port() if art == "aus" else haengt
        ausgabe = _im_prozess(
            ANFRAGE,
            DATABASE_URL=f"postgis://netzwerkatlas@127.0.0.1:{port}/netzwerkatlas",
            DB_CONNECT_TIMEOUT="2",
        )
    kopf, html = ausgabe.split("\n", 1)
    assert kopf == "503 30"
    assert "<h1>Vorübergehend nicht erreichbar</h1>" in html
    assert "Bitte versuchen Sie es in 30 Sekunden noch einmal." in html


def test_timeouts_come_from_the_environment():
    ausgabe = _im_prozess(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'])",
        DB_CONNECT_TIMEOUT="5",
        DB_STATEMENT_TIMEOUT_MS="0",
        PGOPTIONS="-c work_mem=8MB",
    )
    assert ausgabe.strip() == "{'connect_timeout': 5}"
    ausgabe = _im_prozess(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'])",
        DB_STATEMENT_TIMEOUT_MS="1500",
        PGOPTIONS="-c work_mem=8MB",
    )
    assert ausgabe.strip() == (
        "{'connect_timeout': 3, 'options': '-c work_mem=8MB -c statement_timeout=1500'}"
    )


@pytest.mark.django_db
def test_404_page_is_german(client):
    antwort = client.get("/angebote/gibt-es-nicht/")
    assert antwort.status_code == 404
    html = antwort.content.decode()
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert '<a href="/angebote/">Alle Angebote</a>' in html


def test_500_page_is_german_and_503_for_a_lost_database():
    anfrage = RequestFactory().get("/angebote/")
    try:
        raise ValueError("kaputt")
    except ValueError:
        antwort = serverfehler(anfrage)
    assert antwort.status_code == 500
    assert "<h1>Ein Fehler ist aufgetreten</h1>" in antwort.content.decode()
    assert "Retry-After" not in antwort
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        antwort = serverfehler(anfrage)
    assert antwort.status_code == 503
    assert antwort["Retry-After"] == "30"


@pytest.mark.django_db
def test_gesundheitspruefung_ohne_abfrage_und_nach_abbruch():
    """A persistent connection's health check (atlas.postgis): a live idle connection is
    usable without a statement sent; one the server ended is found unusable, and the next
    request's first statement runs on a new connection."""
    import time

    from django.db import connections

    zweite = connections.create_connection("default")
    try:
        with zweite.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        assert zweite.health_check_enabled

        roh = zweite.connection
        gesendet = []
        echter_cursor = roh.cursor
        roh.cursor = lambda *a, **k: gesendet.append(a) or echter_cursor(*a, **k)
        assert zweite.is_usable() is True
        assert gesendet == []

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(50):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() == (0,):
                    break
                time.sleep(0.1)
        assert zweite.is_usable() is False

        # As at the start of the next request: the check throws the connection away …
        zweite.close_if_unusable_or_obsolete()
        zweite.close_if_health_check_failed()
        assert zweite.connection is None
        # … and the next statement gets a new one.
        with zweite.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        zweite.close()
