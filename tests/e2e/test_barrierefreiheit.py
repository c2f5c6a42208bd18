"""axe-core (WCAG 2.0/2.1 A + AA) on every public page type, and a 320 px wide phone.

Each test visits its pages in one browser session with one set of data (every test here pays a
database flush) and reports the findings of all pages together.
"""

from django.conf import settings
from django.utils import translation

from tests.e2e.conftest import axe_bericht, axe_verstoesse

SPRACHEN = {code for code, _name in settings.LANGUAGES}
SEITEN = {
    "Start": "/",
    "Angebote, leer": "/angebote/?q=Zauberwuerfelturnier",
    "Angebote, Treffer": "/angebote/?wo=73728&alter=4",
    "Angebote, Fehlermeldung": "/angebote/?wo=99999",
    "Angebot": "/angebote/sprachcafe-muetter/",
    "Einrichtungen": "/akteure/",
    "Einrichtung": "/akteure/fz-nord/",
    "Netzwerke": "/netzwerke/",
    "Netzwerk": "/netzwerke/ebn-esslingen/",
    "Start (en)": "/en/",
    "Angebote, Treffer (en)": "/en/angebote/?wo=73728&alter=4",
    "Impressum": "/impressum/",
    "Datenschutz": "/datenschutz/",
    "Barrierefreiheit": "/barrierefreiheit/",
    "Fehler melden": "/melden/angebote.angebot/{angebot}/",
}
# Every page type right to left (Arabic), and the two pages families use most in the other
# languages: one browser visit per page keeps the run short.
SEITEN.update(
    {f"{name} (ar)": f"/ar{pfad}" for name, pfad in list(SEITEN.items()) if "(en)" not in name}
)
SEITEN["Leichte Sprache"] = "/leichte-sprache/"
SEITEN["Einrichtungen erklärt (ar)"] = "/ar/akteure/erklaert/"
for _sprache in ["tr", "uk", "ru", "fa"]:
    SEITEN[f"Angebote, Treffer ({_sprache})"] = f"/{_sprache}/angebote/?wo=73728&alter=4"
    SEITEN[f"Angebot ({_sprache})"] = f"/{_sprache}/angebote/sprachcafe-muetter/"


# Every page with a map shows the local background's attribution, link included, and the button
# that loads the city map (tests/e2e/test_stadtplan.py presses it).
KARTENSEITEN = {
    "Angebote, leer",
    "Angebote, Treffer",
    "Angebote, Fehlermeldung",
    "Angebot",
    "Einrichtungen",
    "Einrichtung",
    "Netzwerke",
    "Netzwerk",
    "Angebote, Treffer (en)",
}
KARTENSEITEN |= {name for name in SEITEN if name.split(" (")[0] in KARTENSEITEN}


def test_every_public_page_type_has_no_axe_violations(familien_daten, context, page):
    links = ["https://www.naturalearthdata.com/"]
    befunde = []
    for name, pfad in SEITEN.items():
        pfad = pfad.format(angebot=familien_daten["angebote"]["arabisch"].pk)
        # networkidle: the map has drawn its tiles and markers, so axe sees the finished page.
        antwort = page.goto(pfad, wait_until="networkidle")
        if antwort.status != 200:
            befunde.append(f"{name} ({pfad}): HTTP {antwort.status}")
            continue
        karte = page.locator("#karte .leaflet-control-attribution")
        if name in KARTENSEITEN:
            gezeigt = (
                karte.inner_text(),
                karte.locator("a").evaluate_all("l => l.map(a => a.href)"),
            )
            # The outline's attribution in the page's language ("Umrisse", "الحدود", …).
            sprache = pfad.split("/")[1] if pfad.split("/")[1] in SPRACHEN else "de"
            with translation.override(sprache):
                attribution = f"{translation.gettext('Umrisse')}: Natural Earth"
            if gezeigt != (attribution, links):
                befunde.append(f"{name} ({pfad}): attribution {gezeigt}")
            if not page.locator("#karte .leaflet-umriss-pane path").count():
                befunde.append(f"{name} ({pfad}): no outline drawn")
            if not page.locator(".stadtplan__knopf").is_visible():
                befunde.append(f"{name} ({pfad}): no button for the city map")
        elif karte.count():
            befunde.append(f"{name} ({pfad}): a map where none was expected")
        if verstoesse := axe_verstoesse(page):
            befunde.append(f"{name} ({pfad}):\n{axe_bericht(verstoesse)}")
    assert not befunde, "axe-core found:\n" + "\n".join(befunde)
    assert context.cookies() == []
    # No tile was asked for: nobody pressed "Stadtplan laden".
    assert context.wache.kachel_anfragen == []


def test_no_horizontal_scrolling_at_320_px(familien_daten, page):
    page.set_viewport_size({"width": 320, "height": 640})
    zu_breit = []
    for pfad in [
        "/",
        "/angebote/?wo=73728&alter=4&sprache=ar",
        "/angebote/sprachcafe-muetter/",
        "/ar/",
        "/ar/angebote/?wo=73728&alter=4&sprache=ar",
        "/ar/angebote/sprachcafe-muetter/",
        "/uk/angebote/?wo=73728&alter=4",
    ]:
        page.goto(pfad, wait_until="networkidle")
        breite = page.evaluate("document.documentElement.scrollWidth")
        if breite > 320:
            # The outermost culprits; the map's own tiles are clipped by it and do not count.
            elemente = page.evaluate(
                """() => [...document.querySelectorAll("body *")]
                    .filter((e) => !e.closest(".leaflet-container"))
                    .filter((e) => {
                        const r = e.getBoundingClientRect();
                        return r.right > 320.5 || r.left < -0.5;  // right to left overflows left
                    })
                    .slice(0, 5).map((e) => e.outerHTML.slice(0, 100))"""
            )
            zu_breit.append(f"{pfad}: scrollWidth {breite}; {elemente}")
    assert not zu_breit, "\n".join(zu_breit)
