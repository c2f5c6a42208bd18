"""Browser tests: headless Chromium (Playwright, sync API) against pytest-django's live server.

Every test here uses `live_server`, hence `transactional_db`, whose flush empties *every* table,
including the rows the data migrations load (postcodes, places, languages, topics, programmes).
`_grunddaten` copies those rows once and puts them back after each flush, so later tests and
the next `--reuse-db` run still find them.
"""

import functools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection, transaction
from playwright.sync_api import expect, sync_playwright

from atlas.models import punkt_aus
from tests import factories
from tests.factories import AkteurFactory, AngebotFactory, NetzwerkFactory, PartnerschaftFactory

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Generous for a loaded CI machine, short enough that a hang fails the run quickly.
WARTEZEIT_MS = 10_000
expect.set_options(timeout=WARTEZEIT_MS)

# The tiles of the map come from the host the site ships (settings.MAP_TILE_URL, by default
# tile.openstreetmap.org), and only after the visitor pressed "Stadtplan laden". The browser asks
# for them as the site would; the tests answer with this image instead, so no request leaves the
# machine. A tile request before a test declared that click (`wache.kacheln_erlaubt = True`)
# counts as a request to a third-party host.
KACHEL_BILD = Path(settings.BASE_DIR) / "static" / "img" / "tile-placeholder.png"
XSS_TITEL = "<img src=x onerror=alert(1)>"
ARABISCHER_TITEL = "مقهى اللغة للأمهات"


# --- Data migrations' rows survive the flushes ---------------------------------------------

# post_migrate refills these after a flush, but with new ids: the roles' permissions
# (auth_group_permissions) point at the old ones, so the old rows come back instead.
NEU_NUMMERIERT = {"django_content_type", "auth_permission"}


@pytest.fixture(scope="session")
def _grunddaten(django_db_setup, django_db_blocker):
    """Copy every non-empty table once; `wiederherstellen()` refills the tables a flush emptied."""
    qn = connection.ops.quote_name
    with django_db_blocker.unblock():
        tabellen = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        kopien = {}
        with connection.cursor() as cursor:
            for tabelle in tabellen:
                with cursor.cursor.copy(f"COPY {qn(tabelle)} TO STDOUT (FORMAT binary)") as copy:
                    daten = b"".join(bytes(block) for block in copy)
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {qn(tabelle)})")
                if cursor.fetchone()[0]:
                    kopien[tabelle] = daten
    # An interrupted run can leave the reused database flushed, or holding its test rows.
    if "akteure_sprache" not in kopien or "akteure_postleitzahl" not in kopien:
        pytest.fail("The test database lacks the data migrations' rows: run with --create-db.")
    if kopien.keys() & {"akteure_akteur", "angebote_angebot", "netzwerke_netzwerk"}:
        pytest.fail("The test database holds rows of an earlier run: run with --create-db.")

    def wiederherstellen():
        with django_db_blocker.unblock(), transaction.atomic(), connection.cursor() as cursor:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: table order is free.
            for tabelle, daten in kopien.items():
                if tabelle in NEU_NUMMERIERT:
                    cursor.execute(f"DELETE FROM {qn(tabelle)}")
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {qn(tabelle)})")
                if cursor.fetchone()[0]:
                    continue  # not flushed
                with cursor.cursor.copy(f"COPY {qn(tabelle)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(daten)

    yield wiederherstellen
    wiederherstellen()  # after the last test's flush


@pytest.fixture(autouse=True)
def _grunddaten_wiederherstellen(_grunddaten):
    _grunddaten()


# --- Browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install it: make setup-test)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def kachel_muster(vorlage):
    """A regex for the URLs of a Leaflet tile template ({s}, {z}, {x}, {y}, {r})."""
    platzhalter = {
        "{s}": "[a-z0-9-]+",
        "{z}": r"\d+",
        "{x}": r"\d+",
        "{y}": r"\d+",
        "{r}": "(@2x)?",
    }
    teile = re.split(r"(\{[a-z]\})", vorlage)
    return re.compile("".join(platzhalter.get(t, re.escape(t)) for t in teile) + "$")


class Wache:
    """What a page did that it must not: requests to other hosts, JS errors, console errors
    (a Content-Security-Policy violation is one), CSP reports, dialogs.

    Requests for map tiles (the shipped tile URL) are answered with a local image and counted;
    unless the test has pressed "Stadtplan laden" (`kacheln_erlaubt`) they are also third-party
    requests, which fail the test."""

    def __init__(self, erlaubt):
        self.erlaubt = erlaubt
        self.kacheln_erlaubt = False
        self.kacheln = kachel_muster(settings.MAP_TILE_URL)
        self.kachel_bild = KACHEL_BILD.read_bytes()
        self.kachel_anfragen, self.fremde_anfragen, self.js_fehler, self.dialoge = [], [], [], []
        self.konsolenfehler, self.csp_berichte = [], []
        # A test that provokes an error page on purpose lists the expected status codes here.
        self.erwartete_status = set()

    def route(self, route):
        url = route.request.url
        teile = urlsplit(url)
        if teile.path == "/-/csp-bericht/":
            self.csp_berichte.append(route.request.post_data or url)
            route.fulfill(status=204)
        elif self.kacheln.match(url) and teile.netloc != self.erlaubt:
            self.kachel_anfragen.append(url)
            if not self.kacheln_erlaubt:
                self.fremde_anfragen.append(url)
            route.fulfill(status=200, content_type="image/png", body=self.kachel_bild)
        elif teile.scheme in {"http", "https", "ws", "wss"} and teile.netloc != self.erlaubt:
            self.fremde_anfragen.append(url)
            route.abort()  # nothing leaves the machine, even when a test is about to fail
        else:
            route.continue_()

    def seite_beobachten(self, seite):
        seite.on("pageerror", lambda fehler: self.js_fehler.append(f"{seite.url}: {fehler}"))
        seite.on("console", functools.partial(self._konsole, seite))
        # Violations the browser reports to the page itself (a policy could lack report-uri).
        seite.add_init_script(
            """document.addEventListener("securitypolicyviolation", (e) => console.error(
                `CSP-Verstoß: ${e.violatedDirective} blockiert ${e.blockedURI} `
                + `(${e.sourceFile}:${e.lineNumber})`));"""
        )

        def dialog(d):
            self.dialoge.append(f"{d.type}: {d.message}")
            d.dismiss()

        seite.on("dialog", dialog)

    def _konsole(self, seite, nachricht):
        if nachricht.type != "error":
            return
        text = nachricht.text
        # The document of a page the test opened expecting an error status (404, 429 …).
        if text.startswith("Failed to load resource: the server responded with a status of"):
            status = int(text.split("status of ", 1)[1].split()[0])
            if status in self.erwartete_status:
                return
        quelle = (nachricht.location or {}).get("url") or ""
        if quelle.endswith("/favicon.ico"):
            return  # the browser asks for it on its own; the site names no icon
        if quelle and quelle == seite.url and text.startswith("Failed to load resource"):
            return  # the page's own status (a 400 or 404 a test asks for); tests check it
        self.konsolenfehler.append(f"{seite.url}: {text}" + (f" [{quelle}]" if quelle else ""))

    def pruefen(self):
        assert not self.csp_berichte, "CSP violation reports:\n" + "\n".join(
            map(str, self.csp_berichte)
        )
        assert not self.konsolenfehler, "console errors:\n" + "\n".join(self.konsolenfehler)
        assert not self.fremde_anfragen, "requests to third-party hosts:\n" + "\n".join(
            self.fremde_anfragen
        )
        assert not self.js_fehler, "JavaScript errors:\n" + "\n".join(self.js_fehler)
        assert not self.dialoge, "dialogs opened:\n" + "\n".join(self.dialoge)


def _kontext(browser, live_server, **optionen):
    wache = Wache(urlsplit(live_server.url).netloc)
    optionen = {"viewport": {"width": 1280, "height": 900}, **optionen}
    kontext = browser.new_context(
        base_url=live_server.url, locale="de-DE", timezone_id="Europe/Berlin", **optionen
    )
    kontext.set_default_timeout(WARTEZEIT_MS)
    kontext.route("**/*", wache.route)
    kontext.on("page", wache.seite_beobachten)
    kontext.wache = wache
    return kontext


@pytest.fixture
def context(browser, live_server):
    kontext = _kontext(browser, live_server)
    yield kontext
    kontext.close()
    kontext.wache.pruefen()


@pytest.fixture
def page(context):
    return context.new_page()


# A common phone (390 × 844 CSS pixels), touch, as a family holds it.
HANDY = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def context_handy(browser, live_server):
    kontext = _kontext(browser, live_server, **HANDY)
    yield kontext
    kontext.close()
    kontext.wache.pruefen()


@pytest.fixture
def page_handy(context_handy):
    return context_handy.new_page()


@pytest.fixture
def context_handy_ohne_js(browser, live_server):
    kontext = _kontext(browser, live_server, java_script_enabled=False, **HANDY)
    yield kontext
    kontext.close()
    kontext.wache.pruefen()


@pytest.fixture
def context_ohne_js(browser, live_server):
    kontext = _kontext(browser, live_server, java_script_enabled=False)
    yield kontext
    kontext.close()
    kontext.wache.pruefen()


@pytest.fixture
def page_ohne_js(context_ohne_js):
    return context_ohne_js.new_page()


# --- axe-core ----------------------------------------------------------------------------------


@functools.cache
def _axe_quelltext():
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run `make setup-test` (npm ci)")
    return AXE.read_text(encoding="utf-8")


# Rules whose undecided results count as violations. A link that axe cannot tell apart from its
# text (the map's attribution over a tile image) is one a reader may not tell apart either: a
# link must stand out by more than colour whatever lies beneath it.
UNENTSCHIEDEN_VERBOTEN = ["link-in-text-block"]


def axe_verstoesse(seite, *, cssom=True):
    """Run axe-core (WCAG 2.0/2.1, A and AA) on the page; its violations, compact.

    `cssom=False` for pages whose stylesheets use @import (Django's admin: forms.css imports
    widgets.css): axe's CSSOM preload copies an imported sheet into a <style> element, which
    the strict CSP refuses (a report, and a relative URL resolved against the page: a 404).
    Only css-orientation-lock needs it; it stays undecided then (the admin locks no orientation).
    """
    # evaluate(), not a <script> tag: a Content-Security-Policy cannot block it.
    seite.evaluate(_axe_quelltext())
    return seite.evaluate(
        """async ([tags, unentschieden, cssom]) => {
            const ergebnis = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations", "incomplete"],
                preload: cssom,
            });
            const verstoesse = ergebnis.violations.concat(
                ergebnis.incomplete.filter((v) => unentschieden.includes(v.id))
            );
            return verstoesse.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                ziele: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        [WCAG_TAGS, UNENTSCHIEDEN_VERBOTEN, cssom],
    )


def axe_bericht(verstoesse):
    """One line per rule (id, impact, help), then the selectors of the offending elements."""
    zeilen = []
    for v in verstoesse:
        zeilen.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        zeilen += [f"    {ziel}" for ziel in v["ziele"][:10]]
    return "\n".join(zeilen)


@pytest.fixture
def axe():
    """`axe(page)` fails the test with a readable list when axe-core finds violations."""

    def pruefen(seite):
        verstoesse = axe_verstoesse(seite)
        if verstoesse:
            pytest.fail(f"axe-core on {seite.url}:\n{axe_bericht(verstoesse)}", pytrace=False)
        return verstoesse

    return pruefen


# --- Data ---------------------------------------------------------------------------------------


@pytest.fixture
def familien_daten(live_server):
    """Three actors in Esslingen with a few offerings, one actor in Köln.

    The two Arabic-language offerings for a 4-year-old share one address (they form a cluster
    when the map groups points); a third one lies 8 km south, so zooming in splits them.
    """
    ar, tr, de = factories.sprache("ar"), factories.sprache("tr"), factories.sprache("de")
    nord = AkteurFactory(
        name="Familienzentrum Esslingen-Nord",
        slug="fz-nord",
        strasse="Obertor 3",
        standort=punkt_aus(48.7770, 9.3083),
        telefon="0711 123456",
    )
    mitte = AkteurFactory(name="Stadtteilhaus Pliensau", slug="stadtteilhaus-pliensau")
    sued = AkteurFactory(
        name="Kinder- und Familienzentrum Zell",
        slug="kifaz-zell",
        strasse="Hauptstraße 10",
        standort=punkt_aus(48.7050, 9.3083),
    )
    koeln = AkteurFactory(
        name="Familienbüro Köln",
        slug="familienbuero-koeln",
        plz="50667",
        ort="Köln",
        standort=punkt_aus(50.9405, 6.9440),
    )
    angebote = {
        "arabisch": AngebotFactory(
            titel=ARABISCHER_TITEL,
            slug="sprachcafe-muetter",
            anbieter=nord,
            alter_von_monate=0,
            alter_bis_monate=72,
            sprachen=[ar, de],
        ),
        "xss": AngebotFactory(
            titel=XSS_TITEL,
            slug="xss-test",
            anbieter=nord,
            alter_von_monate=36,
            alter_bis_monate=72,
            sprachen=[ar],
        ),
        "kita": AngebotFactory(
            titel="Kita-Einstieg begleiten",
            slug="kita-einstieg",
            anbieter=sued,
            alter_von_monate=24,
            alter_bis_monate=72,
            sprachen=[ar, de],
            anmeldung_erforderlich=True,
        ),
        "elterncafe": AngebotFactory(
            titel="Elterncafé am Marktplatz",
            slug="elterncafe-marktplatz",
            anbieter=mitte,
            alter_von_monate=0,
            alter_bis_monate=72,
            sprachen=[de, tr],
        ),
        "turnen": AngebotFactory(
            titel="Eltern-Kind-Turnen",
            slug="eltern-kind-turnen",
            anbieter=sued,
            alter_von_monate=36,
            alter_bis_monate=84,
            sprachen=[tr],
            kosten="kostenbeitrag",
        ),
        "babymassage": AngebotFactory(
            titel="Babymassage",
            slug="babymassage",
            anbieter=mitte,
            alter_von_monate=0,
            alter_bis_monate=12,
            format="kurs",
        ),
        "hausaufgaben": AngebotFactory(
            titel="Hausaufgabenhilfe",
            slug="hausaufgabenhilfe",
            anbieter=nord,
            alter_von_monate=72,
            alter_bis_monate=144,
            sprachen=[ar, tr],
        ),
        "koeln": AngebotFactory(
            titel="Familientreff Köln", slug="familientreff-koeln", anbieter=koeln, sprachen=[ar]
        ),
    }
    netzwerk = NetzwerkFactory(
        name="Elternbegleitungsnetzwerk Esslingen",
        slug="ebn-esslingen",
        ziele="Familien früh erreichen.",
    )
    PartnerschaftFactory(netzwerk=netzwerk, akteur=mitte, rolle="koordination")
    PartnerschaftFactory(netzwerk=netzwerk, akteur=nord)
    PartnerschaftFactory(netzwerk=netzwerk, akteur=sued)
    return {
        "akteure": {"nord": nord, "mitte": mitte, "sued": sued, "koeln": koeln},
        "angebote": angebote,
        "netzwerk": netzwerk,
    }
