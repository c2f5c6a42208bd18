"""Restore drill: `make backup`, `make restore FILE=…` into a scratch database, same data.

The rows must be committed for pg_dump to see them, hence a transactional test, here beside the
browser tests: their conftest puts back the data migrations' rows that its flush empties.
"""

import os
import subprocess

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from atlas.models import punkt_aus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _url(name):
    d = connection.settings_dict
    passwort = f":{d['PASSWORD']}" if d.get("PASSWORD") else ""
    return f"postgis://{d['USER']}{passwort}@{d['HOST']}:{d['PORT']}/{name}"


def _verwaltung(sql):
    d = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=d["USER"],
        password=d.get("PASSWORD") or None,
        host=d["HOST"],
        port=d["PORT"],
        autocommit=True,
    ) as direkt:
        direkt.execute(sql)


def _skript(name, *argumente, **umgebung):
    return subprocess.run(
        ["bash", f"scripts/{name}", *argumente],
        cwd=settings.BASE_DIR,
        env={**os.environ, "PY": os.path.join(settings.BASE_DIR, ".venv/bin/python"), **umgebung},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _inhalt(url):
    """Per table of the project: row count and a checksum of all rows in a fixed order."""
    from scripts.pg_umgebung import umgebung

    u = umgebung(url)
    tabellen = connection.introspection.django_table_names(only_existing=True)
    ergebnis = {}
    with psycopg.connect(
        dbname=u["PGDATABASE"],
        user=u["PGUSER"],
        password=u.get("PGPASSWORD"),
        host=u["PGHOST"],
        port=u["PGPORT"],
    ) as direkt:
        for tabelle in sorted(tabellen):
            ergebnis[tabelle] = direkt.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{tabelle}" t'
            ).fetchone()
        ergebnis["Probe"] = direkt.execute(
            "SELECT name, ST_AsText(standort), suchvektor::text FROM akteure_akteur "
            "WHERE name = 'Familienzentrum Sicherung'"
        ).fetchall()
    return ergebnis


def test_backup_and_restore_into_an_empty_database(tmp_path):
    akteur = factories.AkteurFactory(
        name="Familienzentrum Sicherung", standort=punkt_aus(48.7770, 9.3083)
    )
    netzwerk = factories.NetzwerkFactory(name="Netzwerk Sicherung")
    factories.PartnerschaftFactory(netzwerk=netzwerk, akteur=akteur, rolle="koordination")
    factories.KontaktpersonFactory(akteur=akteur, name="Erika Muster")
    factories.AngebotFactory(titel="Elterncafé Sicherung", anbieter=akteur, netzwerk=netzwerk)

    quelle = connection.settings_dict["NAME"]
    ziel = f"{quelle}_wiederherstellung"
    ordner = tmp_path / "sicherungen"
    umgebung = {"DATABASE_URL": _url(quelle), "BACKUP_DIR": str(ordner), "BACKUP_BEHALTEN": "2"}
    for _ in range(3):
        lauf = _skript("backup.sh", **umgebung)
        assert lauf.returncode == 0, lauf.stderr
        assert lauf.stdout.startswith(f"Sicherung geschrieben: {ordner}/{quelle}-")
    dateien = sorted(ordner.glob("*.dump"))
    assert len(dateien) == 2, "retention keeps the newest two"
    assert "Alte Sicherung gelöscht" in lauf.stdout

    _verwaltung(f'DROP DATABASE IF EXISTS "{ziel}"')
    _verwaltung(f'CREATE DATABASE "{ziel}"')
    try:
        lauf = _skript("restore.sh", str(dateien[-1]), DATABASE_URL=_url(ziel))
        assert lauf.returncode == 0, lauf.stderr
        vorher, nachher = _inhalt(_url(quelle)), _inhalt(_url(ziel))
        assert nachher == vorher
        assert nachher["akteure_akteur"][0] == 1
        assert nachher["akteure_postleitzahl"][0] > 8000
        assert nachher["Probe"][0][:2] == ("Familienzentrum Sicherung", "POINT(9.3083 48.777)")

        # A second restore into the now filled database is refused, and changes nothing.
        lauf = _skript("restore.sh", str(dateien[-1]), DATABASE_URL=_url(ziel))
        assert lauf.returncode == 1
        assert lauf.stderr.splitlines()[-1] == (
            "Wiederherstellen nur in eine leere Datenbank: bitte eine neue anlegen und "
            "DATABASE_URL darauf setzen."
        )
        assert lauf.stderr.startswith(f"Die Datenbank „{ziel}“ ist nicht leer (")
        assert _inhalt(_url(ziel)) == vorher
    finally:
        _verwaltung(f'DROP DATABASE IF EXISTS "{ziel}"')


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    kaputt = tmp_path / "kaputt.dump"
    kaputt.write_text("kein Dump")
    lauf = _skript("restore.sh", str(kaputt), DATABASE_URL=_url("egal"))
    assert lauf.returncode == 2
    assert lauf.stderr == f"„{kaputt}“ ist keine Sicherung im pg_dump-Format (custom).\n"
    lauf = _skript("restore.sh", DATABASE_URL=_url("egal"))
    assert lauf.stderr == (
        "Bitte die Sicherungsdatei angeben: make restore FILE=backups/<name>.dump\n"
    )
