"""A family's way through the public site: search, filter, map, detail – with and without JS."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import XSS_TITEL


def suchen(page):
    """Start page → PLZ and the child's age → result list."""
    page.goto("/")
    page.get_by_label(re.compile(r"^Wo\?")).fill("73728")
    page.get_by_label(re.compile(r"^Alter des Kindes")).fill("4")
    page.get_by_role("button", name="Angebote finden").click()
    page.wait_for_url(re.compile(r"/angebote/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Angebote in der Nähe von 73728 Esslingen am Neckar"
    )
    # Age 4 within 10 km: not the baby course, not homework help, not Köln.
    expect(page.locator("#ergebnis-titel")).to_have_text("5 Angebote gefunden")
    expect(page.locator(".treffer")).to_have_count(5)
    expect(page.locator(".treffer .merkmal--ort").first).to_contain_text("km entfernt")
    expect(page.locator(".treffer .merkmal--ort")).to_have_count(5)


def filter_oeffnen(page):
    """The filters fold behind "Filter (n)" (open beside the list on a wide screen with JS)."""
    if page.locator("details.filter:not([open])").count():
        page.locator(".filter > summary").click()


def sprache_waehlen(page):
    filter_oeffnen(page)
    page.get_by_role("checkbox", name=re.compile(r"^Arabisch")).check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(r"sprache=ar"))
    expect(page.locator("#ergebnis-titel")).to_have_text("3 Angebote gefunden")
    expect(page.locator(".chips")).to_contain_text("Sprache: Arabisch")
    # Place and age survive the second form.
    expect(page.locator("#id_wo")).to_have_value("73728")
    expect(page.locator("#id_alter")).to_have_value("4")


def bbox_breite(url):
    west, _sued, ost, _nord = map(float, parse_qs(urlsplit(url).query)["bbox"][0].split(","))
    return ost - west


def test_family_finds_offering_on_list_and_map(familien_daten, monkeypatch, context, page):
    # Three points on the map; above two the server groups them into grid cells (clusters).
    monkeypatch.setattr("atlas.karte.EINZELN_BIS", 2)
    suchen(page)
    with page.expect_response(re.compile(r"/angebote/karte\.json\?.*sprache=ar")) as erste:
        sprache_waehlen(page)
    breite_vorher = bbox_breite(erste.value.url)

    karte = page.locator("#karte")
    karte.scroll_into_view_if_needed()
    expect(karte.locator(".karte__ohne-js")).to_have_count(0)
    # Two offerings at one address form a cluster; the third is 8 km south, on its own.
    cluster = karte.locator(".leaflet-marker-icon.cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_have_text("2")
    expect(cluster).to_have_attribute("aria-label", "2 Angebote – vergrößern")
    expect(karte.locator(".leaflet-marker-icon:not(.cluster)")).to_have_count(1)

    with page.expect_response(re.compile(r"/angebote/karte\.json")) as danach:
        cluster.click()
    assert bbox_breite(danach.value.url) < breite_vorher / 3  # zoomed in by two levels

    # Zoomed in, only the two offerings at that address are in view: one ordinary marker.
    expect(karte.locator(".leaflet-marker-icon.cluster")).to_have_count(0)
    marker = karte.locator(".leaflet-marker-icon:not(.cluster)")
    expect(marker).to_have_count(1)
    marker.click()

    popup = karte.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link")).to_have_count(2)
    # Data become text, never markup: the title shows literally and no <img> is created.
    link = popup.get_by_role("link", name=XSS_TITEL, exact=True)
    expect(link).to_have_text(XSS_TITEL)
    expect(popup.locator("img")).to_have_count(0)
    expect(page.locator('img[src="x"]')).to_have_count(0)
    expect(popup).to_contain_text("Familienzentrum Esslingen-Nord")

    link.click()
    page.wait_for_url("**/angebote/xss-test/")
    expect(page.get_by_role("heading", level=1)).to_have_text(XSS_TITEL)
    expect(page.locator('img[src="x"]')).to_have_count(0)
    expect(page.locator("#karte .leaflet-marker-icon")).to_have_attribute("title", XSS_TITEL)

    assert context.cookies() == []
    context.wache.pruefen()  # no dialog from the title, no third-party request, no JS error


def test_family_journey_without_javascript(familien_daten, context_ohne_js, page_ohne_js):
    page = page_ohne_js
    suchen(page)
    # Without JS the filters open with their summary; the map says why it is missing.
    sprache_waehlen(page)
    expect(page.locator("#karte")).to_contain_text("Die Karte braucht JavaScript")
    expect(page.locator(".js-standort")).to_be_hidden()

    page.get_by_role("link", name="Kita-Einstieg begleiten").click()
    page.wait_for_url("**/angebote/kita-einstieg/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kita-Einstieg begleiten")
    expect(page.locator(".adresse")).to_have_text("Hauptstraße 10, 73728 Esslingen am Neckar")
    expect(page.locator("#karte")).to_contain_text("Die Karte braucht JavaScript")

    page.get_by_role("link", name="Alle Angebote").click()
    expect(page.locator("#ergebnis-titel")).to_have_text("8 Angebote gefunden")
    assert context_ohne_js.cookies() == []


def test_arabic_title_is_readable_right_to_left(familien_daten, page):
    angebot = familien_daten["angebote"]["arabisch"]
    page.goto(angebot.get_absolute_url())
    titel = page.get_by_role("heading", level=1)
    expect(titel).to_have_text(angebot.titel)
    assert titel.evaluate("(e) => getComputedStyle(e).direction") == "rtl"
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
