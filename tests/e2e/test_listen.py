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


def filter_knopf(page):
    return page.locator("details.filter > summary")


def test_on_a_phone_the_results_come_first_and_the_map_is_one_tap_away(
    familien_daten, page_handy, axe
):
    page = page_handy
    hoehe = page.viewport_size["height"]
    page.goto("/")
    page.get_by_label(re.compile(r"^Wo\?")).fill("73728")
    page.get_by_label(re.compile(r"^Alter des Kindes")).fill("4")
    page.get_by_role("button", name="Angebote finden").click()
    page.wait_for_url(re.compile(r"/angebote/\?"))
    expect(page.locator("#ergebnis-titel")).to_have_text("5 Angebote gefunden")
    expect(filter_knopf(page)).to_have_text("Filter")
    expect(page.get_by_role("button", name="Filter anwenden")).to_be_hidden()

    filter_knopf(page).click()
    formular = page.locator(".filter__form")
    for name in (r"^kostenlos", r"^Offener Treff", r"^Arabisch"):
        formular.get_by_role("checkbox", name=re.compile(name)).check()
    formular.get_by_label("Lebensphase").select_option("3-6")
    formular.get_by_label("Sortieren nach").select_option("name")  # orders, filters nothing
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(r"sprache=ar"))

    expect(page.locator("#ergebnis-titel")).to_have_text("3 Angebote gefunden")
    # Four filters narrow the list (three boxes and the life phase); the sort order is none.
    expect(filter_knopf(page)).to_have_text("Filter (4)")
    expect(page.get_by_role("button", name="Filter anwenden")).to_be_hidden()
    expect(page.locator("#id_wo")).to_be_hidden()  # "Suche ändern" folds the search form too
    # The whole first result lies on the first screen, without scrolling.
    erster = page.locator(".treffer").first.bounding_box()
    assert erster["y"] + erster["height"] <= hoehe, erster

    page.get_by_role("link", name="Zur Karte").click()
    expect(page.locator("#karte")).to_be_in_viewport()
    assert page.locator("#karte-titel").bounding_box()["y"] < hoehe / 4
    filter_knopf(page).click()
    page.wait_for_load_state("networkidle")
    axe(page)


def test_on_a_phone_without_javascript_the_filter_button_opens_the_filters(
    familien_daten, context_handy_ohne_js
):
    page = context_handy_ohne_js.new_page()
    page.goto("/angebote/?wo=73728&alter=4&kostenlos=on&sprache=ar")
    expect(filter_knopf(page)).to_have_text("Filter (2)")
    erster = page.locator(".treffer").first.bounding_box()
    assert erster["y"] + erster["height"] <= page.viewport_size["height"], erster

    filter_knopf(page).click()
    page.get_by_role("checkbox", name=re.compile(r"^ohne Anmeldung")).check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url(re.compile(r"ohne_anmeldung=on"))
    expect(filter_knopf(page)).to_have_text("Filter (3)")

    page.get_by_text("Suche ändern").click()
    expect(page.locator("#id_wo")).to_have_value("73728")
    expect(page.locator("#id_wo")).to_be_visible()
