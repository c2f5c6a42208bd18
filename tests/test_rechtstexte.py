"""Legal pages in every footer, edited by the Redaktion; the verification badge and the hint on
outdated records (shown, or hidden from the lists by VERALTET_ANZEIGE)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from atlas.models import Rechtstext
from atlas.rollen import KOORDINATION, REDAKTION
from tests.bereich import mit_rolle
from tests.factories import AkteurFactory, AngebotFactory, NetzwerkFactory
from tests.seiten import text

pytestmark = pytest.mark.django_db

FUSS = (
    '<li><a href="/impressum/">Impressum</a></li>',
    '<li><a href="/datenschutz/">Datenschutz</a></li>',
    '<li><a href="/barrierefreiheit/">Barrierefreiheit</a></li>',
)
HINWEIS = "Angaben älter als 12 Monate – bitte vor dem Besuch nachfragen."


def test_every_public_page_links_the_legal_pages(client, angebot):
    netzwerk = NetzwerkFactory()
    for url in (
        "/",
        "/angebote/",
        "/akteure/",
        "/netzwerke/",
        angebot.get_absolute_url(),
        angebot.anbieter.get_absolute_url(),
        netzwerk.get_absolute_url(),
        "/impressum/",
        f"/melden/angebote.angebot/{angebot.pk}/",
    ):
        seite = client.get(url).content.decode()
        for link in FUSS:
            assert link in seite, url


def test_default_texts_name_what_the_operator_must_fill_in(client):
    seiten = {s: client.get(f"/{s}/").content.decode() for s in Rechtstext.Seite.values}
    assert "<h1>Impressum</h1>" in seiten["impressum"]
    assert "[Name der Behörde oder des Trägers" in seiten["impressum"]
    datenschutz = text(seiten["datenschutz"])
    for satz in (
        "Diese Website setzt bei Besucherinnen und Besuchern keine Cookies",
        "Die Protokolle werden nach [Anzahl] Tagen gelöscht.",
        "Erledigte Meldungen werden nach 90 Tagen gelöscht.",
        "Erst wenn Sie auf „Stadtplan laden“ klicken, lädt Ihr Browser Kartenbilder von "
        "tile.openstreetmap.org (OpenStreetMap Foundation",
    ):
        assert satz in datenschutz
    barrierefreiheit = seiten["barrierefreiheit"]
    assert re.findall(r"<h2>(.*?)</h2>", barrierefreiheit) == [
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Barrieren melden: Feedback und Kontakt",
        "Schlichtungsverfahren",
    ]
    assert '<a href="https://www.schlichtungsstelle-bgg.de"' in barrierefreiheit


def test_the_redaktion_edits_a_legal_page_and_markup_is_escaped(client):
    redaktion = mit_rolle(REDAKTION)
    client.force_login(redaktion)
    eintrag = Rechtstext.objects.get(seite="impressum")
    url = reverse("admin:atlas_rechtstext_change", args=[eintrag.pk])
    assert client.get(url).status_code == 200
    antwort = client.post(
        url,
        {
            "titel": "Impressum",
            "text": "## Anbieter\n\nStadt Beispiel <script>x</script>\nRathaus 1",
        },
    )
    assert antwort.status_code == 302
    seite = client.get("/impressum/").content.decode()
    assert "<h2>Anbieter</h2>" in seite
    assert "<p>Stadt Beispiel &lt;script&gt;x&lt;/script&gt;<br>Rathaus 1</p>" in seite
    assert list(eintrag.history.values_list("history_user", flat=True)) == [redaktion.pk]

    client.force_login(mit_rolle(KOORDINATION))
    assert client.get(url).status_code == 403


def test_the_badge_shows_the_date_and_outdated_records_carry_the_hint(client):
    aktuell = AngebotFactory(geprueft_am=timezone.localdate() - datetime.timedelta(days=30))
    alt = AngebotFactory(geprueft_am=datetime.date(2020, 1, 1))
    seite = client.get(aktuell.get_absolute_url()).content.decode()
    datum = aktuell.geprueft_am
    monate = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember"]  # fmt: skip
    assert (
        '<p class="abzeichen abzeichen--geprueft"><span aria-hidden="true">✓</span> '
        f"Zuletzt geprüft am {datum.day}. {monate[datum.month - 1]} {datum.year}</p>"
    ) in seite
    assert HINWEIS not in seite
    seite = client.get(alt.get_absolute_url()).content.decode()
    assert "Zuletzt geprüft am 1. Januar 2020" in seite
    assert f'<p class="hinweis--veraltet"><strong>{HINWEIS}</strong></p>' in seite


def test_outdated_records_are_listed_with_the_hint_or_hidden(client, settings):
    alt_akteur = AkteurFactory(name="Altes Haus", geprueft_am=datetime.date(2020, 1, 1))
    AngebotFactory(titel="Alter Treff", anbieter=alt_akteur, geprueft_am=datetime.date(2020, 1, 1))
    AngebotFactory(titel="Neuer Treff", geprueft_am=timezone.localdate())
    liste = client.get("/angebote/").content.decode()
    assert "Alter Treff" in liste and "Neuer Treff" in liste
    assert liste.count(f'<p class="hinweis--veraltet">{HINWEIS}</p>') == 1

    settings.VERALTET_ANZEIGE = "ausblenden"
    liste = client.get("/angebote/").content.decode()
    assert "Neuer Treff" in liste and "Alter Treff" not in liste
    assert "Altes Haus" not in client.get("/akteure/").content.decode()
    datei = b"".join(client.get("/angebote/export.csv").streaming_content).decode("utf-8-sig")
    assert "Neuer Treff" in datei and "Alter Treff" not in datei
    karte = client.get("/angebote/karte.json").json()
    titel = [e["titel"] for f in karte["features"] for e in f["properties"].get("angebote", [])]
    assert "Alter Treff" not in titel and "Neuer Treff" in titel
    # The detail page stays, with the hint.
    seite = client.get(alt_akteur.get_absolute_url()).content.decode()
    assert f'<p class="hinweis--veraltet"><strong>{HINWEIS}</strong></p>' in seite
