"""Reminders (`erinnerungen_senden`), the one-use link "Angaben sind noch aktuell", the outbox."""

import datetime
import io
import re
import socket
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from angebote.models import Angebot
from atlas import post
from atlas.erinnerung import link_token
from atlas.models import Erinnerung, Postausgang
from atlas.rollen import KOORDINATION
from tests.bereich import mit_rolle
from tests.factories import AkteurFactory, AngebotFactory, NetzwerkFactory, PartnerschaftFactory

pytestmark = pytest.mark.django_db

VOR_13_MONATEN = timezone.localdate() - datetime.timedelta(days=400)


@pytest.fixture(autouse=True)
def _zaehler_leeren():
    cache.clear()  # the rate limit's counters


@pytest.fixture
def faellig():
    """A due offering of a coordinated network, its coordinator and another network's."""
    anbieter = AkteurFactory(name="Familienzentrum Nord", email="info@fz-nord.example")
    angebot = AngebotFactory(
        titel="Elterncafé Nord",
        anbieter=anbieter,
        kontakt_email="cafe@fz-nord.example",
        geprueft_am=VOR_13_MONATEN,
    )
    netzwerk = NetzwerkFactory()
    PartnerschaftFactory(netzwerk=netzwerk, akteur=anbieter)
    koordination = mit_rolle(KOORDINATION, email="koordination@example.org")
    netzwerk.koordinatoren.add(koordination)
    fremd = mit_rolle(KOORDINATION, email="fremd@example.org")
    NetzwerkFactory().koordinatoren.add(fremd)
    return angebot, koordination


def link_aus(nachricht):
    return re.search(r"http://testserver(/angaben-aktuell/\S+)", nachricht.body).group(1)


def test_the_command_mails_the_provider_once_however_often_it_runs(faellig):
    angebot, _ = faellig
    call_command("erinnerungen_senden", stdout=io.StringIO())
    call_command("erinnerungen_senden", stdout=io.StringIO())
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["cafe@fz-nord.example"], "Sind die Angaben zu „Elterncafé Nord“ noch aktuell?")
    ]
    assert list(Postausgang.objects.values_list("an", "zustand", "versuche")) == [
        ("cafe@fz-nord.example", "gesendet", 1)
    ]
    text = mail.outbox[0].body
    assert f"http://testserver/angebote/{angebot.slug}/" in text
    assert f"http://testserver/melden/angebote.angebot/{angebot.pk}/?art=aenderung" in text
    assert "(Der Link gilt 30 Tage und nur einmal.)" in text


def test_second_reminder_after_two_weeks_then_the_coordinator(faellig):
    angebot, koordination = faellig
    call_command("erinnerungen_senden", stdout=io.StringIO())
    Erinnerung.objects.update(gesendet_am=timezone.now() - datetime.timedelta(days=13))
    call_command("erinnerungen_senden", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # 13 days: not yet
    Erinnerung.objects.update(gesendet_am=timezone.now() - datetime.timedelta(days=14))
    call_command("erinnerungen_senden", stdout=io.StringIO())
    assert [m.subject for m in mail.outbox][1:] == [
        "Erinnerung: Sind die Angaben zu „Elterncafé Nord“ noch aktuell?"
    ]
    assert link_aus(mail.outbox[0]) != link_aus(mail.outbox[1])
    Erinnerung.objects.filter(stufe=2).update(
        gesendet_am=timezone.now() - datetime.timedelta(days=14)
    )
    call_command("erinnerungen_senden", stdout=io.StringIO())
    call_command("erinnerungen_senden", stdout=io.StringIO())
    assert [(m.to, m.subject) for m in mail.outbox][2:] == [
        (["koordination@example.org"], "Prüfung fällig: „Elterncafé Nord“")
    ]
    assert f"/admin/angebote/angebot/{angebot.pk}/change/" in mail.outbox[2].body


def test_without_a_provider_address_the_coordinator_is_told_at_once(faellig):
    angebot, _ = faellig
    Angebot.objects.filter(pk=angebot.pk).update(kontakt_email="")
    angebot.anbieter.__class__.objects.filter(pk=angebot.anbieter_id).update(email="")
    call_command("erinnerungen_senden", stdout=io.StringIO())
    call_command("erinnerungen_senden", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["koordination@example.org"]]
    assert "keine E-Mail-Adresse" in mail.outbox[0].body


def test_records_confirmed_recently_or_unpublished_get_no_reminder(faellig):
    angebot, _ = faellig
    Angebot.objects.filter(pk=angebot.pk).update(geprueft_am=timezone.localdate())
    AngebotFactory(status="entwurf", geprueft_am=VOR_13_MONATEN, kontakt_email="x@example.org")
    call_command("erinnerungen_senden", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_link_confirms_once_and_leaves_history(client, faellig):
    angebot, _ = faellig
    call_command("erinnerungen_senden", stdout=io.StringIO())
    link = link_aus(mail.outbox[0])
    seite = client.get(link)
    assert seite.status_code == 200
    assert '<button type="submit" class="knopf">Angaben sind noch aktuell</button>' in (
        seite.content.decode()
    )
    angebot.refresh_from_db()
    assert angebot.geprueft_am == VOR_13_MONATEN  # opening the link changes nothing

    antwort = client.post(link)
    assert antwort.status_code == 200
    angebot.refresh_from_db()
    assert (angebot.geprueft_am, angebot.geprueft_von) == (timezone.localdate(), None)
    zeile = angebot.history.first()
    assert (zeile.geprueft_am, zeile.history_user, zeile.history_change_reason) == (
        timezone.localdate(),
        None,
        "Angaben als aktuell bestätigt (Link aus der Erinnerung an cafe@fz-nord.example)",
    )
    assert not client.cookies  # no cookie for the provider

    zeilen = angebot.history.count()
    wieder = client.post(link)
    assert wieder.status_code == 409
    assert "Dieser Link wurde schon benutzt" in wieder.content.decode()
    assert angebot.history.count() == zeilen


def test_a_tampered_foreign_or_expired_link_is_refused(client, faellig):
    angebot, _ = faellig
    call_command("erinnerungen_senden", stdout=io.StringIO())
    link = link_aus(mail.outbox[0])
    anderes = AngebotFactory(kontakt_email="b@example.org")
    verfaelscht = link[:-2] + ("B" if link[-2] == "A" else "A") + "/"
    fremd = link.replace(f"/{angebot.pk}/", f"/{anderes.pk}/")
    for url in (verfaelscht, fremd):
        for antwort in (client.get(url), client.post(url)):
            assert antwort.status_code == 404
            assert "Dieser Link ist ungültig." in antwort.content.decode()

    erinnerung = Erinnerung.objects.get()
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
        alt = link_token(erinnerung, angebot)
    abgelaufen = f"/angaben-aktuell/angebote.angebot/{angebot.pk}/{alt}/"
    antwort = client.post(abgelaufen)
    assert antwort.status_code == 410
    assert "Dieser Link ist abgelaufen: Er gilt 30 Tage." in antwort.content.decode()
    for obj in (angebot, anderes):
        assert Angebot.objects.get(pk=obj.pk).geprueft_am == obj.geprueft_am


def test_a_link_of_an_earlier_round_is_used_up(client, faellig):
    """Confirmed meanwhile (in the admin): the old link confirms nothing."""
    angebot, _ = faellig
    call_command("erinnerungen_senden", stdout=io.StringIO())
    link = link_aus(mail.outbox[0])
    Angebot.objects.filter(pk=angebot.pk).update(geprueft_am=datetime.date(2026, 1, 2))
    antwort = client.post(link)
    assert antwort.status_code == 409
    assert Angebot.objects.get(pk=angebot.pk).geprueft_am == datetime.date(2026, 1, 2)


def geschlossener_port():
    """A local port nobody listens on: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_outbox_keeps_and_retries_what_a_failing_smtp_server_refuses(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", geschlossener_port()
    settings.POST_MAX_VERSUCHE = 3
    [brief] = post.einreihen(an="a@example.org", betreff="Test", text="Hallo")
    jetzt = timezone.now()
    assert post.senden(jetzt=jetzt) == (0, 1)
    brief.refresh_from_db()
    assert (brief.zustand, brief.versuche) == ("wartet", 1)
    assert brief.letzter_fehler.startswith("ConnectionRefusedError: ")
    assert brief.naechster_versuch == jetzt + datetime.timedelta(minutes=5)
    assert post.senden(jetzt=jetzt) == (0, 0)  # not due again yet
    assert post.senden(jetzt=jetzt + datetime.timedelta(minutes=5)) == (0, 1)
    brief.refresh_from_db()
    assert (brief.versuche, brief.naechster_versuch) == (
        2,
        jetzt + datetime.timedelta(minutes=15),
    )

    # The server is back: the next run sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert post.senden(jetzt=jetzt + datetime.timedelta(minutes=15)) == (1, 0)
    brief.refresh_from_db()
    assert (brief.zustand, brief.versuche, brief.letzter_fehler) == ("gesendet", 3, "")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["a@example.org"], "Test", "Hallo")
    ]


def test_the_outbox_gives_up_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", geschlossener_port()
    settings.POST_MAX_VERSUCHE = 2
    [brief] = post.einreihen(an="a@example.org", betreff="Test", text="Hallo")
    spaeter = timezone.now() + datetime.timedelta(days=1)
    assert post.senden() == (0, 1)
    assert post.senden(jetzt=spaeter) == (0, 1)
    assert post.senden(jetzt=spaeter + datetime.timedelta(days=1)) == (0, 0)
    brief.refresh_from_db()
    assert (brief.zustand, brief.versuche) == ("aufgegeben", 2)
