"""Maps without third-party requests before consent, with the tile configuration the site ships
(settings.MAP_TILE_URL: tile.openstreetmap.org).

The browser asks for tiles exactly as it would in production; the guard (conftest.Wache) answers
them locally and fails the test on any tile request before "Stadtplan laden" was pressed.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import axe_bericht, axe_verstoesse

OSM = "tile.openstreetmap.org"


def test_tiles_load_only_after_the_click_and_the_choice_is_kept_without_a_cookie(
    familien_daten, context, page
):
    assert urlsplit(settings.MAP_TILE_URL).hostname == OSM  # the shipped configuration
    wache = context.wache
    page.goto("/angebote/?wo=73728&alter=4", wait_until="networkidle")
    expect(page.locator("#karte .leaflet-umriss-pane path").first).to_be_attached()
    expect(page.locator("#karte .leaflet-marker-icon").first).to_be_visible()
    knopf = page.get_by_role("button", name="Stadtplan laden (OpenStreetMap)")
    expect(knopf).to_be_visible()
    hilfe = page.locator(".stadtplan .hilfe")
    expect(hilfe).to_contain_text(
        f"Der Stadtplan kommt von {OSM} (OpenStreetMap Foundation, St John’s Innovation Centre, "
        "Cambridge, UK): Ihr Browser sendet dorthin Ihre IP-Adresse und den Kartenausschnitt."
    )
    assert wache.kachel_anfragen == [] and wache.fremde_anfragen == []
    assert page.locator("#karte img.leaflet-tile").count() == 0

    wache.kacheln_erlaubt = True  # from here on the visitor has agreed
    knopf.click()
    expect(page.locator("#karte img.leaflet-tile-loaded").first).to_be_visible()
    assert wache.kachel_anfragen
    assert {urlsplit(url).hostname for url in wache.kachel_anfragen} == {OSM}
    attribution = page.locator("#karte .leaflet-control-attribution")
    expect(attribution).to_contain_text("OpenStreetMap")
    expect(attribution).to_contain_text("Natural Earth")
    if verstoesse := axe_verstoesse(page):
        raise AssertionError(axe_bericht(verstoesse))
    expect(page.get_by_role("button", name="Stadtplan ausblenden")).to_be_visible()

    # Remembered in this browser (localStorage), without a cookie: the next page loads tiles.
    vorher = len(wache.kachel_anfragen)
    page.goto("/angebote/sprachcafe-muetter/", wait_until="networkidle")
    expect(page.locator("#karte img.leaflet-tile-loaded").first).to_be_visible()
    assert len(wache.kachel_anfragen) > vorher
    assert context.cookies() == []
    assert page.evaluate("localStorage.getItem('atlas.stadtplan')") == "ja"

    # Revoked: the tiles go, and the next page asks for none.
    page.get_by_role("button", name="Stadtplan ausblenden").click()
    expect(page.locator("#karte img.leaflet-tile")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('atlas.stadtplan')") is None
    wache.kacheln_erlaubt = False
    page.goto("/akteure/", wait_until="networkidle")
    expect(page.get_by_role("button", name="Stadtplan laden (OpenStreetMap)")).to_be_visible()
    assert page.locator("#karte img.leaflet-tile").count() == 0


def test_tiles_from_the_sites_own_host_load_at_once(familien_daten, settings, context, page):
    settings.MAP_TILE_URL = "/kacheln/{z}/{x}/{y}.png"
    # The site's own tile server is not part of this project: its tiles answer with an image here.
    page.route(
        "**/kacheln/**",
        lambda route: route.fulfill(content_type="image/png", body=context.wache.kachel_bild),
    )
    with page.expect_request(lambda r: "/kacheln/" in r.url) as anfrage:
        page.goto("/angebote/")
    assert urlsplit(anfrage.value.url).netloc == urlsplit(page.url).netloc
    expect(page.locator("#karte img.leaflet-tile").first).to_be_attached()
    expect(page.locator(".stadtplan__knopf")).to_have_count(0)
    assert context.wache.kachel_anfragen == []


def test_without_javascript_the_lists_work_and_no_map_loads(familien_daten, page_ohne_js):
    page_ohne_js.goto("/angebote/?wo=73728&alter=4")
    expect(page_ohne_js.get_by_role("link", name="Kita-Einstieg begleiten")).to_be_visible()
    expect(page_ohne_js.locator(".karte__ohne-js").first).to_be_visible()
    expect(page_ohne_js.locator(".stadtplan__knopf")).to_have_count(0)


def test_the_report_form_at_320_px(familien_daten, page):
    """A family reports a wrong entry on a small phone: the form fits and answers in German."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/angebote/sprachcafe-muetter/")
    page.get_by_role("link", name="Angaben falsch? Fehler melden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Angaben falsch? Fehler melden")
    page.wait_for_load_state("load")  # the stylesheet too, before measuring
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    if verstoesse := axe_verstoesse(page):
        raise AssertionError(axe_bericht(verstoesse))
    page.get_by_label("Was stimmt nicht?").fill("Das Café ist jetzt donnerstags.")
    page.wait_for_timeout(3100)  # the form refuses what is sent sooner (spam check)
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Meldung")
    assert re.search(r"/melden/angebote\.angebot/\d+/$", page.url)
