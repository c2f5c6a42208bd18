"""The provider's name and status copied onto each offering (angebote migration 0033) on every
write path – admin, import, generator, raw SQL, history revert, a provider inserted late – and
the public file by the search index's ids, which reads its provider from that copy (issue 12).

After each change the copy is compared with the providers for every offering, and the public
CSV made from the index's ids is compared whole with the file the SQL filter makes (which
joins the providers), besides the rows expected.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, Q
from django.test import RequestFactory
from django.urls import reverse

from akteure.models import Akteur
from angebote.exports import ANGEBOTE
from angebote.models import Angebot
from atlas import tabellen
from atlas.models import Status
from tests import factories
from tests.admin_formular import formulardaten
from tests.exportdateien import csv_tabelle
from tests.factories import thema
from tests.test_import import importieren_ok

DATEI = "/angebote/export.csv?thema=babymassage"


def kopie_pruefen():
    """Every offering's copy (any status) is its provider's name and status now."""
    falsch = Angebot.objects.filter(
        ~Q(anbieter_name=F("anbieter__name")) | ~Q(anbieter_status=F("anbieter__status"))
    )
    assert list(falsch.values_list("titel", "anbieter_name", "anbieter__name")) == []
    assert not Angebot.objects.filter(anbieter_name="").exists()


def datei(client, settings):
    """(Titel, Anbieter) of the public file by the index's ids – the same whole file as the SQL
    filter's, which reads the providers by join."""
    dateien = []
    for mit_index in (False, True):
        settings.SUCHINDEX = mit_index
        antwort = client.get(DATEI)
        assert antwort.status_code == 200
        dateien.append(csv_tabelle(antwort))
    assert dateien[0] == dateien[1]
    return [(z["Titel"], z["Anbieter"]) for z in dateien[1][1]]


@pytest.fixture
def babymassage(db, monkeypatch, client, settings):
    """Two providers with offerings of the topic; the file made from the index's ids."""
    monkeypatch.setattr(tabellen, "ANTEIL_EINGESCHRAENKT", 10**9)  # always the index's ids
    markt = factories.AkteurFactory(name="Zentrum am Markt", slug="zentrum-am-markt")
    park = factories.AkteurFactory(name="Familienzentrum Park")
    for titel, anbieter in (("Babymassage A", markt), ("Babymassage B", park)):
        factories.AngebotFactory(titel=titel, anbieter=anbieter, themen=[thema("babymassage")])
    kopie_pruefen()
    assert datei(client, settings) == [
        ("Babymassage A", "Zentrum am Markt"),
        ("Babymassage B", "Familienzentrum Park"),
    ]
    return markt, park


def test_a_written_value_is_not_kept(babymassage):
    angebot = Angebot.objects.get(titel="Babymassage A")
    angebot.anbieter_name, angebot.anbieter_status = "Falsch", Status.ENTWURF
    angebot.save()
    kopie_pruefen()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE angebote_angebot SET anbieter_name = 'x', anbieter_status = 'y'")
    kopie_pruefen()


def test_admin_rename_and_unpublish_of_the_provider(admin_client, client, settings, babymassage):
    markt, _park = babymassage
    url = reverse("admin:akteure_akteur_change", args=[markt.pk])
    antwort = admin_client.post(
        url, formulardaten(admin_client.get(url), name="Haus der Familie am Markt")
    )
    assert antwort.status_code == 302
    kopie_pruefen()
    assert datei(client, settings) == [
        ("Babymassage A", "Haus der Familie am Markt"),
        ("Babymassage B", "Familienzentrum Park"),
    ]
    antwort = admin_client.post(url, formulardaten(admin_client.get(url), status=Status.ENTWURF))
    assert antwort.status_code == 302
    kopie_pruefen()
    assert datei(client, settings) == [("Babymassage B", "Familienzentrum Park")]


def test_the_file_by_ids_checks_the_copied_status_itself(babymassage):
    """Ids from an index that has not yet seen the provider's unpublishing: the row is left
    out by the copy, as the join would leave it out."""
    markt, park = babymassage
    ids = list(Angebot.objects.order_by("titel").values_list("pk", flat=True))
    Akteur.objects.filter(pk=markt.pk).update(status=Status.ARCHIVIERT)
    anfrage = RequestFactory().get("/")
    anfrage.user = AnonymousUser()
    spalten = ANGEBOTE.spalten(anfrage, intern=False)
    zeilen = []
    for kopie in (True, False):
        sql, params = tabellen.export_sql(
            Angebot.objects.filter(Angebot.objects.veroeffentlicht_q(anbieter_kopie=kopie)),
            spalten,
            ids=ids,
        )
        verbunden = '"angebote_angebot"."anbieter_id" = "akteure_akteur"."id"' in sql
        assert verbunden is not kopie
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            zeilen.append([z[:2] for z in cursor.fetchall()])
    assert zeilen[0] == zeilen[1] == [("Babymassage B", "Familienzentrum Park")]


def test_raw_sql(client, settings, babymassage):
    markt, park = babymassage
    angebot = Angebot.objects.get(titel="Babymassage A")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE akteure_akteur SET name = 'Markthaus' WHERE id = %s", [markt.pk])
        kopie_pruefen()
        cursor.execute(
            "UPDATE angebote_angebot SET anbieter_id = %s WHERE id = %s", [park.pk, angebot.pk]
        )
        kopie_pruefen()
        assert datei(client, settings) == [
            ("Babymassage A", "Familienzentrum Park"),
            ("Babymassage B", "Familienzentrum Park"),
        ]
        cursor.execute("UPDATE akteure_akteur SET status = 'entwurf' WHERE id = %s", [park.pk])
        kopie_pruefen()
        assert datei(client, settings) == []
        cursor.execute(
            "UPDATE akteure_akteur SET status = 'veroeffentlicht', name = 'Parkhaus' WHERE id = %s",
            [park.pk],
        )
    kopie_pruefen()
    assert datei(client, settings) == [
        ("Babymassage A", "Parkhaus"),
        ("Babymassage B", "Parkhaus"),
    ]


def test_provider_inserted_after_its_offering(client, settings, babymassage):
    """Foreign keys are checked at commit: an offering may be written before its provider."""
    with transaction.atomic():
        angebot, pk = factories.angebot_vor_seinem_anbieter(titel="Babymassage C")
        angebot.themen.set([thema("babymassage")])
        assert Angebot.objects.get(pk=angebot.pk).anbieter_name == ""  # no provider yet
        factories.AkteurFactory(pk=pk, name="Spät eingefügt")
    kopie_pruefen()
    assert datei(client, settings)[-1] == ("Babymassage C", "Spät eingefügt")


def test_import(admin_client, client, settings, babymassage):
    inhalt = (
        "Kurzname;Titel;Anbieter;Format;Status;PLZ;Ort;Beschreibung;Themen;Zielgruppen;"
        "Kontakt-E-Mail\r\n"
        "babymassage-neu;Babymassage Neu;zentrum-am-markt;Kurs;veröffentlicht;73728;"
        "Esslingen am Neckar;Kurs.;babymassage;Eltern;a@example.org\r\n"
    ).encode()
    importieren_ok(admin_client, "angebote_angebot", inhalt)  # preview, confirm, redirect
    kopie_pruefen()
    assert datei(client, settings) == [
        ("Babymassage A", "Zentrum am Markt"),
        ("Babymassage B", "Familienzentrum Park"),
        ("Babymassage Neu", "Zentrum am Markt"),
    ]


def test_generate_data(babymassage):
    vorher = Angebot.objects.count()
    call_command("generate_data", angebote=40, akteure=20, netzwerke=1, seed=5)
    assert Angebot.objects.count() == vorher + 40
    kopie_pruefen()


def test_history_revert_to_the_former_provider(admin_client, client, settings, babymassage):
    markt, park = babymassage
    angebot = Angebot.objects.get(titel="Babymassage A")
    vorher = angebot.history.latest()
    url = reverse("admin:angebote_angebot_change", args=[angebot.pk])
    antwort = admin_client.post(url, formulardaten(admin_client.get(url), anbieter=park.pk))
    assert antwort.status_code == 302
    kopie_pruefen()
    assert datei(client, settings)[0] == ("Babymassage A", "Familienzentrum Park")
    zurueck = reverse("admin:angebote_angebot_simple_history", args=[angebot.pk, vorher.history_id])
    antwort = admin_client.post(zurueck, formulardaten(admin_client.get(zurueck)))
    assert antwort.status_code == 302
    kopie_pruefen()
    assert datei(client, settings)[0] == ("Babymassage A", "Zentrum am Markt")
