"""axe-core (WCAG 2.0/2.1 A + AA) on every public page type, and a 320 px wide phone.

Each test visits its pages in one browser session with one set of data (every test here pays a
database flush) and reports the findings of all pages together.
"""

from tests.e2e.conftest import axe_bericht, axe_verstoesse

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
}


def test_every_public_page_type_has_no_axe_violations(familien_daten, context, page):
    befunde = []
    for name, pfad in SEITEN.items():
        # networkidle: the map has drawn its tiles and markers, so axe sees the finished page.
        antwort = page.goto(pfad, wait_until="networkidle")
        if antwort.status != 200:
            befunde.append(f"{name} ({pfad}): HTTP {antwort.status}")
        elif verstoesse := axe_verstoesse(page):
            befunde.append(f"{name} ({pfad}):\n{axe_bericht(verstoesse)}")
    assert not befunde, "axe-core found:\n" + "\n".join(befunde)
    assert context.cookies() == []


def test_no_horizontal_scrolling_at_320_px(familien_daten, page):
    page.set_viewport_size({"width": 320, "height": 640})
    zu_breit = []
    for pfad in ["/", "/angebote/?wo=73728&alter=4&sprache=ar", "/angebote/sprachcafe-muetter/"]:
        page.goto(pfad, wait_until="networkidle")
        breite = page.evaluate("document.documentElement.scrollWidth")
        if breite > 320:
            # The outermost culprits; the map's own tiles are clipped by it and do not count.
            elemente = page.evaluate(
                """() => [...document.querySelectorAll("body *")]
                    .filter((e) => !e.closest(".leaflet-container"))
                    .filter((e) => e.getBoundingClientRect().right > 320.5)
                    .slice(0, 5).map((e) => e.outerHTML.slice(0, 100))"""
            )
            zu_breit.append(f"{pfad}: scrollWidth {breite}; {elemente}")
    assert not zu_breit, "\n".join(zu_breit)
