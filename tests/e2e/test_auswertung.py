"""axe-core on the planners' pages (issue 14): programme, Netzwerkkarte, gap analysis."""

from tests.e2e.conftest import axe_bericht, axe_verstoesse

SEITEN = {
    "Netzwerk mit Partnerstruktur": "/netzwerke/ebn-esslingen/",
    "Programme": "/programme/",
    "Programm": "/programme/{programm}/",
    "Programm, unbekannte Region": "/programme/{programm}/?region=atlantis",
    "Netzwerkkarte": "/netzwerke/ebn-esslingen/netzwerkkarte/",
    "Netzwerkkarte einer Region": "/auswertung/netzwerkkarte/",
    "Monitoring eines Standorts": "/auswertung/monitoring/fz-nord/",
    "Standorte im Vergleich": "/auswertung/monitoring/?programm={programm}",
}


def test_planners_pages_have_no_axe_violations(familien_daten, page):
    from auswertung.monitoring import schnappschuesse_schreiben

    schnappschuesse_schreiben()
    programm = familien_daten["netzwerk"].programm.slug
    befunde = []
    for name, pfad in SEITEN.items():
        pfad = pfad.format(programm=programm)
        antwort = page.goto(pfad, wait_until="networkidle")
        if antwort.status not in (200, 400):
            befunde.append(f"{name} ({pfad}): HTTP {antwort.status}")
            continue
        if verstoesse := axe_verstoesse(page):
            befunde.append(f"{name} ({pfad}):\n{axe_bericht(verstoesse)}")
    assert not befunde, "axe-core found:\n" + "\n".join(befunde)


def test_netzwerkkarte_draws_without_javascript(familien_daten, page_ohne_js):
    page_ohne_js.goto("/netzwerke/ebn-esslingen/netzwerkkarte/")
    svg = page_ohne_js.locator("svg.graph__svg")
    assert svg.locator("circle").count() == 3
    assert (
        page_ohne_js.get_by_role(
            "img", name="Netzwerkkarte: Elternbegleitungsnetzwerk Esslingen"
        ).count()
        == 1
    )


def test_gap_analysis_has_no_axe_violations(familien_daten, page, settings):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from auswertung.models import Bevoelkerung
    from tests.factories import SozialraumFactory

    def box(x0, y0, x1, y1):
        return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))))

    settings.BEDARF_OEFFENTLICH = True
    stadt = SozialraumFactory(name="Esslingen", slug="es-test", plz=["73728", "73730"])
    nord = SozialraumFactory(
        name="Nord",
        slug="es-nord",
        uebergeordnet=stadt,
        plz=["73728"],
        flaeche=box(9.2, 48.74, 9.4, 48.8),
    )
    SozialraumFactory(
        name="Süd",
        slug="es-sued",
        uebergeordnet=stadt,
        plz=["73730"],
        flaeche=box(9.2, 48.68, 9.4, 48.74),
    )
    Bevoelkerung.objects.create(
        sozialraum=nord, lebensphase="0-1", jahr=2025, anzahl=300, demo=True
    )
    page.goto("/auswertung/bedarf/?region=es-test&karte=0-1&mass=je_1000")
    assert page.locator("table.bedarf tbody tr").count() == 7
    assert page.locator("path.flaeche").count() == 2
    befunde = axe_verstoesse(page)
    assert not befunde, axe_bericht(befunde)
