"""The Content-Security-Policy in a real browser: public pages and the admin's map widget work
under it, and the suite's watch (conftest.Wache) notices a violation."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_koordination import anmelden, netze  # noqa: F401  (fixture)


def test_a_violation_fails_the_watch(context, familien_daten):
    page = context.new_page()
    page.goto("/")
    # An inline script without the nonce, as a careless template would add it.
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.lief = true"; document.body.append(s); }"""
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.lief === undefined")
    wache = context.wache
    assert any("script-src" in text for text in wache.konsolenfehler + wache.csp_berichte), (
        wache.konsolenfehler,
        wache.csp_berichte,
    )
    wache.konsolenfehler.clear()
    wache.csp_berichte.clear()


@pytest.mark.parametrize(
    "pfad",
    [
        "/",
        "/angebote/",
        "/angebote/?wo=73728&alter=4",
        "/angebote/sprachcafe-muetter/",
        "/akteure/",
        "/akteure/fz-nord/",
        "/netzwerke/",
        "/netzwerke/ebn-esslingen/",
        "/en/angebote/",
    ],
)
def test_public_pages_run_under_the_policy(page, familien_daten, pfad):
    antwort = page.goto(pfad)
    assert antwort.status == 200
    assert "default-src 'self'" in antwort.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    # The watch (conftest.Wache) fails the test on any CSP report or console error.


def test_admin_map_widget_runs_under_the_policy(netze, page):  # noqa: F811
    eigen, _ = netze
    anmelden(page, eigen.koordination)
    antwort = page.goto(f"/admin/akteure/akteur/{eigen.akteur.pk}/change/")
    nonce = antwort.headers["content-security-policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    karte = page.locator("#id_standort-map")
    karte.scroll_into_view_if_needed()
    # Leaflet ran (its nonce'd inline script): tiles, the marker and the draw toolbar are there.
    expect(karte.locator(".leaflet-marker-icon")).to_be_visible()
    expect(page.locator(".leaflet-draw-edit-edit")).to_be_visible()
    assert page.locator("script[nonce]").count() >= 1
    # The browser hides a nonce attribute from the DOM; the header's nonce is the page's.
    assert nonce
    for pfad in ["/admin/", "/admin/akteure/akteur/", "/admin/angebote/angebot/add/"]:
        page.goto(pfad)
        page.wait_for_load_state("networkidle")
