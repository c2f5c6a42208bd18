"""Seven UI languages: the switch on every page, right to left for ar/fa, 24-hour times."""

import datetime
import re
import zoneinfo

import pytest

from tests.factories import AngebotFactory, TerminFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _schalter(inhalt):
    nav = inhalt[
        inhalt.index('<nav class="sprachen"') : inhalt.index(
            "</nav>", inhalt.index('<nav class="sprachen"')
        )
    ]
    return re.findall(
        r'<a href="([^"]*)" lang="(\w+)" hreflang="\w+" dir="(\w+)"'
        r'( aria-current="true")?>([^<]+)</a>',
        nav,
    )


def test_the_switch_keeps_path_and_query_and_names_each_language_in_itself(client):
    angebot = AngebotFactory(slug="stillcafe")
    inhalt = client.get(f"/tr/angebote/{angebot.slug}/", {"zurueck": "1"}).content.decode()
    assert _schalter(inhalt) == [
        ("/angebote/stillcafe/?zurueck=1", "de", "ltr", "", "Deutsch"),
        ("/en/angebote/stillcafe/?zurueck=1", "en", "ltr", "", "English"),
        ("/tr/angebote/stillcafe/?zurueck=1", "tr", "ltr", ' aria-current="true"', "Türkçe"),
        ("/ar/angebote/stillcafe/?zurueck=1", "ar", "rtl", "", "العربيّة"),
        ("/uk/angebote/stillcafe/?zurueck=1", "uk", "ltr", "", "Українська"),
        ("/ru/angebote/stillcafe/?zurueck=1", "ru", "ltr", "", "Русский"),
        ("/fa/angebote/stillcafe/?zurueck=1", "fa", "rtl", "", "فارسی"),
    ]


@pytest.mark.parametrize(
    ("sprache", "kopf"),
    [
        ("de", '<html lang="de" dir="ltr">'),
        ("tr", '<html lang="tr" dir="ltr">'),
        ("ar", '<html lang="ar" dir="rtl">'),
        ("uk", '<html lang="uk" dir="ltr">'),
        ("ru", '<html lang="ru" dir="ltr">'),
        ("fa", '<html lang="fa" dir="rtl">'),
    ],
)
def test_every_language_has_its_pages_with_lang_and_direction(client, sprache, kopf):
    praefix = "" if sprache == "de" else f"/{sprache}"
    for pfad in ["/", "/angebote/", "/akteure/", "/netzwerke/"]:
        antwort = client.get(praefix + pfad)
        assert antwort.status_code == 200
        assert kopf in antwort.content.decode()


def test_the_admin_stays_under_its_language_prefix(client):
    assert client.get("/en/admin/login/").status_code == 200
    assert client.get("/ar/admin/login/").status_code == 200


@pytest.mark.parametrize(
    ("sprache", "erwartet"),
    [
        ("", "Dienstag, 8. Dezember 2026, 19–21 Uhr"),
        ("/en", "Tuesday, Dec. 8, 2026, 19:00–21:00"),
        ("/tr", "Salı, 08 Aralık 2026, 19:00–21:00"),
        # (the commas between day, date and time are the catalogue's: Arabic takes "،")
        ("/ar", "الثلاثاء، 8 ديسمبر، 2026، 19:00–21:00"),
        ("/uk", "Вівторок, 08 грудня 2026 р., 19:00–21:00"),
    ],
)
def test_dates_are_localised_and_time_ranges_are_24_hours_in_every_language(
    client, sprache, erwartet
):
    termin = TerminFactory(
        beginn=datetime.datetime(2026, 12, 8, 19, 0, tzinfo=BERLIN),
        ende=datetime.datetime(2026, 12, 8, 21, 0, tzinfo=BERLIN),
    )
    inhalt = client.get(f"{sprache}/angebote/{termin.angebot.slug}/").content.decode()
    gezeigt = re.search(r'<time datetime="2026-12-08T19:00:00\+01:00">([^<]*)</time>', inhalt)
    assert gezeigt.group(1) == erwartet


def test_half_hours_and_a_time_without_end(client):
    termin = TerminFactory(
        beginn=datetime.datetime(2026, 12, 8, 9, 30, tzinfo=BERLIN),
        ende=datetime.datetime(2026, 12, 8, 11, 0, tzinfo=BERLIN),
    )
    TerminFactory(
        angebot=termin.angebot,
        beginn=datetime.datetime(2026, 12, 9, 18, 0, tzinfo=BERLIN),
        ende=None,
    )
    inhalt = client.get(f"/angebote/{termin.angebot.slug}/").content.decode()
    assert "Dienstag, 8. Dezember 2026, 9:30–11 Uhr</time>" in inhalt
    assert "Mittwoch, 9. Dezember 2026, 18 Uhr</time>" in inhalt
    englisch = client.get(f"/en/angebote/{termin.angebot.slug}/").content.decode()
    assert "Tuesday, Dec. 8, 2026, 09:30–11:00</time>" in englisch
