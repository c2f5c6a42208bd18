"""A family switches the site to Arabic, finds an offering, opens and prints it – with and
without JavaScript; the page runs right to left and so does the map's furniture."""

from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from atlas.uebersetzung import Uebersetzung, quell_hash

ARABISCH = "تدليك الرضّع"


def _uebersetzen(angebot):
    Uebersetzung.objects.create(
        inhaltstyp=ContentType.objects.get_for_model(angebot),
        objekt_id=angebot.pk,
        feld="titel",
        sprache="ar",
        text=ARABISCH,
        herkunft="uebersetzung",
        uebersetzt_von="Sprachmittlung Esslingen",
        quelle_hash=quell_hash(angebot.titel),
    )


def _finden_oeffnen_drucken(page):
    page.goto("/")
    page.locator('.sprachen a[hreflang="ar"]').click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.locator("#id_wo").fill("73728")
    page.locator("#id_wo").press("Enter")
    page.wait_for_url("**/ar/angebote/?*")
    page.get_by_role("link", name=ARABISCH).click()
    expect(page.locator("h1")).to_have_text(ARABISCH)
    assert page.url.endswith("/ar/angebote/babymassage/")
    # The German original is one link away, marked as German.
    original = page.locator(".uebersetzung-hinweis a")
    expect(original).to_have_attribute("href", "/angebote/babymassage/")
    expect(original).to_have_attribute("lang", "de")
    # Mirrored: the title's text sits at the right edge of the page.
    links, rechts = page.evaluate(
        """() => { const r = document.createRange();
            r.selectNodeContents(document.querySelector("h1"));
            const b = r.getBoundingClientRect(); return [b.left, innerWidth - b.right]; }"""
    )
    assert rechts < links
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".kopf")).to_be_hidden()
    expect(page.locator("#karte")).to_be_hidden()
    page.emulate_media(media="screen")


def test_in_arabic_with_javascript(familien_daten, page):
    _uebersetzen(familien_daten["angebote"]["babymassage"])
    page.add_init_script("window.gedruckt = 0; window.print = () => { window.gedruckt += 1; };")
    _finden_oeffnen_drucken(page)
    page.locator(".js-drucken").click()
    assert page.evaluate("window.gedruckt") == 1
    # The map's zoom buttons sit on the right, its attribution on the left.
    page.goto("/ar/angebote/?wo=73728", wait_until="networkidle")
    expect(page.locator("#karte .leaflet-top.leaflet-right .leaflet-control-zoom")).to_have_count(1)
    expect(
        page.locator("#karte .leaflet-bottom.leaflet-left .leaflet-control-attribution")
    ).to_have_count(1)


def test_in_arabic_without_javascript(familien_daten, page_ohne_js):
    _uebersetzen(familien_daten["angebote"]["babymassage"])
    _finden_oeffnen_drucken(page_ohne_js)
    expect(page_ohne_js.locator(".js-drucken")).to_be_hidden()
