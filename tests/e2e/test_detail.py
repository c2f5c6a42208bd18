"""A detail page printed or saved: the print button, and what the paper shows of links."""

from playwright.sync_api import expect

# Each link as printed: its text, then what print.css writes after it.
GEDRUCKTE_LINKS = """() => [...document.querySelectorAll(".detail a")]
    .filter((a) => a.checkVisibility())
    .map((a) => {
        const danach = getComputedStyle(a, "::after").content;
        return a.innerText + (danach === "none" ? "" : JSON.parse(danach));
    })"""


def test_print_button_opens_the_print_dialogue(familien_daten, page):
    page.add_init_script("window.gedruckt = 0; window.print = () => { window.gedruckt += 1; };")
    page.goto(familien_daten["angebote"]["arabisch"].get_absolute_url())
    knopf = page.get_by_role("button", name="Drucken")
    expect(knopf).to_be_visible()
    knopf.click()
    assert page.evaluate("window.gedruckt") == 1


def test_without_javascript_there_is_no_dead_print_button(familien_daten, page_ohne_js):
    page_ohne_js.goto(familien_daten["angebote"]["arabisch"].get_absolute_url())
    expect(page_ohne_js.locator(".js-drucken")).to_be_hidden()
    expect(page_ohne_js.get_by_role("button", name="Drucken")).to_have_count(0)


def test_printed_links_show_each_address_once(familien_daten, page):
    nord = familien_daten["akteure"]["nord"]
    nord.email, nord.website = "info@fz-nord.example", "https://fz-nord.example/"
    nord.save()
    programm = familien_daten["netzwerk"].programm
    programm.website = "https://programm.example/"
    programm.save()
    page.emulate_media(media="print")

    page.goto(familien_daten["angebote"]["arabisch"].get_absolute_url())
    assert page.evaluate(GEDRUCKTE_LINKS) == [
        "Alle Angebote",
        "Familienzentrum Esslingen-Nord",
        "0711 123456",
        "info@fz-nord.example",
        "https://fz-nord.example/",
        "Familienzentrum Esslingen-Nord",
    ]
    page.goto(nord.get_absolute_url())
    assert page.evaluate(GEDRUCKTE_LINKS)[:4] == [
        "Alle Einrichtungen",
        "0711 123456",
        "info@fz-nord.example",
        "https://fz-nord.example/",
    ]
    # A link whose text is not its address prints the address once, after the text.
    page.goto(familien_daten["netzwerk"].get_absolute_url())
    assert page.evaluate(GEDRUCKTE_LINKS)[:2] == [
        "Alle Netzwerke",
        f"{programm.name} (https://programm.example/)",
    ]
