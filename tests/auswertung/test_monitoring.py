"""Monitoring per site and its monthly snapshots (issue 14, point 5)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from akteure.models import Akteur
from atlas.models import Status
from auswertung.models import Schnappschuss
from auswertung.monitoring import kennzahlen, schnappschuesse_schreiben
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    ProgrammFactory,
)
from tests.seiten import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def standort():
    """A Familiengrundschulzentrum in a network: three offerings (one with a partner, one
    verified long ago), a draft that does not count."""
    programm = ProgrammFactory(name="FGZ", slug="fgz")
    netzwerk = NetzwerkFactory(programm=programm)
    fgz = AkteurFactory(name="FGZ Schalke", slug="fgz-schalke")
    verein = AkteurFactory(name="TSV")
    PartnerschaftFactory(netzwerk=netzwerk, akteur=fgz)
    heute = timezone.localdate()
    AngebotFactory(
        anbieter=fgz,
        alter_von_monate=72,
        alter_bis_monate=119,
        format="kurs",
        kooperationspartner=[verein],
        geprueft_am=heute,
    )
    AngebotFactory(anbieter=fgz, alter_von_monate=72, alter_bis_monate=119, geprueft_am=heute)
    AngebotFactory(
        anbieter=fgz,
        alter_von_monate=36,
        alter_bis_monate=71,
        geprueft_am=heute - datetime.timedelta(days=500),
    )
    AngebotFactory(anbieter=fgz, status=Status.ENTWURF)
    return fgz


def test_figures_of_a_site(standort):
    werte = kennzahlen(Akteur.objects.filter(pk=standort.pk))[standort.pk]
    assert werte["angebote"] == 3
    assert werte["nach_lebensphase"] == {
        "schwangerschaft": 0,
        "0-1": 0,
        "1-3": 0,
        "3-6": 1,
        "6-10": 2,
        "10-16": 0,
        "16-27": 0,
    }
    assert werte["nach_format"]["kurs"] == 1 and werte["nach_format"]["offener_treff"] == 2
    assert werte["partner"] == 1
    assert werte["netzwerke"] == 1
    assert werte["anteil_geprueft"] == Decimal("66.7")


def test_snapshot_command_is_idempotent(standort):
    ausgabe = io.StringIO()
    call_command("monitoring_schnappschuss", "--monat", "2026-10", stdout=ausgabe)
    call_command("monitoring_schnappschuss", "--monat", "2026-10", stdout=ausgabe)
    assert ausgabe.getvalue().splitlines() == [
        "1 Standorte für 10/2026 gespeichert.",
        "1 Standorte für 10/2026 gespeichert.",
    ]
    assert list(Schnappschuss.objects.values_list("akteur__slug", "monat", "angebote")) == [
        ("fgz-schalke", datetime.date(2026, 10, 1), 3)
    ]
    with pytest.raises(CommandError, match="„Oktober“ ist kein Monat im Format JJJJ-MM"):
        call_command("monitoring_schnappschuss", "--monat", "Oktober")


def test_site_page_and_programme_comparison(client, standort):
    schnappschuesse_schreiben(datetime.date(2026, 9, 1))
    Schnappschuss.objects.filter(monat=datetime.date(2026, 9, 1)).update(angebote=1)
    schnappschuesse_schreiben(datetime.date(2026, 10, 1))
    seite = client.get("/auswertung/monitoring/fgz-schalke/").content.decode()
    verlauf = re.search(
        r"<caption>Monatliche Schnappschüsse</caption>.*?<tbody>(.*?)</tbody>", seite, re.S
    )
    assert [text(z) for z in re.findall(r"<tr>(.*?)</tr>", verlauf.group(1), re.S)] == [
        "09/2026 1 1 1 66,7 %",
        "10/2026 3 1 1 66,7 %",
    ]
    seite = client.get("/auswertung/monitoring/?programm=fgz").content.decode()
    tabelle = re.search(r"<tbody>(.*?)</tbody>", seite, re.S).group(1)
    assert [text(z) for z in re.findall(r"<tr>(.*?)</tr>", tabelle, re.S)] == [
        "FGZ Schalke Familienzentrum 3 +2 1 66,7 %"
    ]


def test_bad_programme_and_unpublished_site(client, standort):
    antwort = client.get("/auswertung/monitoring/?programm=atlantis")
    assert antwort.status_code == 400
    assert "Das Programm „atlantis“ gibt es nicht." in antwort.content.decode()
    AkteurFactory(slug="entwurf", status=Status.ENTWURF)
    assert client.get("/auswertung/monitoring/entwurf/").status_code == 404
