"""An offering's page: each contact once, its own dates as an iCalendar file, its topics, target
groups and languages from the index's copies as from the links, its published partners."""

import datetime
import re

import pytest
from django.utils import timezone

from angebote import suchindex
from angebote.models import Thema
from atlas.models import Status
from tests.exportdateien import ics_ereignisse
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    TerminFactory,
    sprache,
    thema,
    zielgruppe,
)

pytestmark = pytest.mark.django_db

EINWILLIGUNG = datetime.date(2026, 1, 15)


def oeffentliche_person(akteur, name, funktion):
    return KontaktpersonFactory(
        akteur=akteur, name=name, funktion=funktion, oeffentlich=True, einwilligung_am=EINWILLIGUNG
    )


def kontakt(html):
    """The text of the page's contact section, tags removed, spaces collapsed."""
    abschnitt = re.search(r'<section aria-labelledby="kontakt">(.*?)</section>', html, re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", abschnitt.group(1)).split())
    return text.replace(" ,", ",")


def test_the_contact_person_of_an_offering_appears_once(client):
    anbieter = AkteurFactory(telefon="0711 123456", email="info@fz.example", website="")
    oeffentliche_person(anbieter, "Erika Beispiel", "Leitung")
    oeffentliche_person(anbieter, "Max Muster", "Verwaltung")
    angebot = AngebotFactory(anbieter=anbieter, kontakt_name="Erika Beispiel")
    html = client.get(angebot.get_absolute_url()).content.decode()
    assert html.count("Erika Beispiel") == 1
    assert kontakt(html) == (
        "Kontakt Ansprechperson Erika Beispiel, Leitung Telefon 0711 123456 E-Mail info@fz.example"
    )


def test_without_a_named_contact_the_providers_contact_persons_appear_once_each(client):
    anbieter = AkteurFactory(telefon="", email="", website="https://fz.example/")
    oeffentliche_person(anbieter, "Erika Beispiel", "Leitung")
    oeffentliche_person(anbieter, "Max Muster", "")
    KontaktpersonFactory(akteur=anbieter, name="Ohne Einwilligung")
    angebot = AngebotFactory(anbieter=anbieter, kontakt_name="")
    html = client.get(angebot.get_absolute_url()).content.decode()
    assert kontakt(html) == (
        "Kontakt Ansprechpersonen Erika Beispiel, Leitung Max Muster Website https://fz.example/"
    )
    assert "Ohne Einwilligung" not in html


def test_an_offering_with_dates_links_a_calendar_of_exactly_its_dates(client):
    jetzt = timezone.now().replace(microsecond=0)
    kurs = AngebotFactory(titel="Babymassage, Kurs; Frühjahr")
    beginne = [jetzt + datetime.timedelta(days=tage) for tage in (9, 2, 16)]
    termine = [
        TerminFactory(angebot=kurs, beginn=b, ende=b + datetime.timedelta(hours=1)) for b in beginne
    ]
    TerminFactory(angebot=kurs, beginn=jetzt - datetime.timedelta(days=7))  # over
    anderes = AngebotFactory(titel="Anderes Angebot")
    TerminFactory(angebot=anderes, beginn=jetzt + datetime.timedelta(days=2))
    TerminFactory(angebot=anderes, beginn=jetzt + datetime.timedelta(days=3))

    html = client.get(kurs.get_absolute_url()).content.decode()
    links = re.findall(r'<a href="([^"]*\.ics)" download>([^<]*)</a>', html)
    assert links == [
        (
            f"/angebote/{kurs.slug}/termine.ics",
            "Termine in den eigenen Kalender übernehmen (iCalendar)",
        )
    ]

    antwort = client.get(links[0][0])
    assert antwort.status_code == 200
    assert antwort["Content-Type"] == "text/calendar; charset=utf-8"
    assert antwort["Content-Disposition"] == f'attachment; filename="{kurs.slug}.ics"'
    kalender, ereignisse = ics_ereignisse(antwort)
    assert kalender["X-WR-CALNAME"] == kurs.titel
    assert len(ereignisse) == 3
    assert [e["SUMMARY"] for e in ereignisse] == [kurs.titel] * 3
    # Earliest first, each date once, with its own id.
    zeitpunkte = sorted(b.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ") for b in beginne)
    assert [e["DTSTART"] for e in ereignisse] == zeitpunkte
    reihenfolge = sorted(termine, key=lambda t: t.beginn)
    assert [e["UID"] for e in ereignisse] == [f"termin-{t.pk}@testserver" for t in reihenfolge]


def test_an_offering_without_dates_has_no_calendar_link(client):
    angebot = AngebotFactory()
    html = client.get(angebot.get_absolute_url()).content.decode()
    assert ".ics" not in html
    _kalender, ereignisse = ics_ereignisse(client.get(f"/angebote/{angebot.slug}/termine.ics"))
    assert ereignisse == []


@pytest.mark.parametrize("status", [Status.ENTWURF, Status.ARCHIVIERT])
def test_the_calendar_of_an_unpublished_offering_is_404(client, status):
    angebot = AngebotFactory(status=status)
    TerminFactory(angebot=angebot, beginn=timezone.now() + datetime.timedelta(days=1))
    assert client.get(f"/angebote/{angebot.slug}/termine.ics").status_code == 404


def abschnitt(html, name):
    """The text of one section of the page, tags removed, spaces collapsed."""
    teil = re.search(rf'<section aria-labelledby="{name}">(.*?)</section>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", teil.group(1)).split()).replace(" ,", ",")


def ohne_nonce(html):
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.fixture
def verschlagwortet():
    return AngebotFactory(
        themen=[thema("hebammenhilfe"), thema("geburtsvorbereitung")],
        zielgruppen=[zielgruppe("vater"), zielgruppe("eltern")],
        sprachen=[sprache("tr"), sprache("de")],
    )


def index_aufbauen(client):
    """A list page builds the process's search index (tests: within the request)."""
    client.get("/angebote/?q=Eltern")
    assert suchindex.INDEX.index is not None


def test_topics_groups_and_languages_from_the_index_copies_as_from_the_links(
    client, verschlagwortet
):
    url = verschlagwortet.get_absolute_url()
    gelesen = client.get(url).content.decode()
    index_aufbauen(client)
    aus_dem_index = client.get(url).content.decode()
    assert ohne_nonce(aus_dem_index) == ohne_nonce(gelesen)
    assert abschnitt(aus_dem_index, "fuer-wen") == (
        "Für wen Alter alle Altersgruppen Zielgruppen Eltern, Väter "
        "Themen Geburtsvorbereitung, Hebammenhilfe Sprachen Deutsch, Türkçe (Türkisch)"
    )
    assert '"availableLanguage": ["de", "tr"]' in aus_dem_index


def test_the_page_shows_a_renamed_topic_and_a_removed_link_once_the_index_exists(
    client, verschlagwortet
):
    index_aufbauen(client)
    Thema.objects.filter(slug="hebammenhilfe").update(name="Hebammen")
    verschlagwortet.zielgruppen.remove(zielgruppe("vater"))
    html = client.get(verschlagwortet.get_absolute_url()).content.decode()
    assert abschnitt(html, "fuer-wen") == (
        "Für wen Alter alle Altersgruppen Zielgruppen Eltern "
        "Themen Geburtsvorbereitung, Hebammen Sprachen Deutsch, Türkçe (Türkisch)"
    )


def test_the_page_reads_five_statements_when_the_index_is_current(
    client, verschlagwortet, django_assert_num_queries
):
    # The offering with its provider and network, the index's change log, the next dates,
    # the catchment areas and the provider's contact persons: no partners, and the
    # vocabularies from the copies the first page read.
    index_aufbauen(client)
    client.get(verschlagwortet.get_absolute_url())
    with django_assert_num_queries(5):
        assert client.get(verschlagwortet.get_absolute_url()).status_code == 200


def test_only_published_partners_are_named(client):
    partner = AkteurFactory(name="Hebammenpraxis Mitte")
    verborgen = AkteurFactory(name="Verborgener Partner", status=Status.ENTWURF)
    angebot = AngebotFactory(kooperationspartner=[partner, verborgen])
    ohne = AngebotFactory(anbieter=angebot.anbieter)
    html = client.get(angebot.get_absolute_url()).content.decode()
    assert abschnitt(html, "wer").endswith("In Kooperation mit: Hebammenpraxis Mitte")
    assert "In Kooperation mit" not in client.get(ohne.get_absolute_url()).content.decode()
