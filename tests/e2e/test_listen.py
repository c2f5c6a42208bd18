"""The frame of the public lists in a browser: where the filters are, and what comes first."""

import re

from playwright.sync_api import expect

LISTEN_OHNE_FILTER = ["/angebote/", "/akteure/"]


def barrierefrei(page):
    # One checkbox both filter forms always offer (with a count even when it is zero).
    return page.locator(".filter").get_by_role("checkbox", name=re.compile(r"^barrierefrei"))


def test_filters_are_open_beside_the_list_at_desktop_width(familien_daten, page):
    for pfad in LISTEN_OHNE_FILTER:
        page.goto(pfad)
        expect(barrierefrei(page)).to_be_visible()
        expect(page.get_by_role("button", name="Filter anwenden")).to_be_visible()
        # Beside the results, not above them.
        filter_kasten = page.locator(".filter").bounding_box()
        ergebnisse = page.locator(".ergebnisse").bounding_box()
        assert filter_kasten["x"] + filter_kasten["width"] <= ergebnisse["x"], pfad


def test_filters_can_be_opened_at_desktop_width_without_javascript(familien_daten, page_ohne_js):
    page = page_ohne_js
    for pfad in LISTEN_OHNE_FILTER:
        page.goto(pfad)
        umschalter = page.locator(".filter > summary")
        expect(umschalter).to_be_visible()
        if not barrierefrei(page).is_visible():
            umschalter.click()
        expect(barrierefrei(page)).to_be_visible()
        expect(page.get_by_role("button", name="Filter anwenden")).to_be_visible()
