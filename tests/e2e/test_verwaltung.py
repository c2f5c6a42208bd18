"""The admin at laptop width (1280 × 800): buttons never cover a page title, tables are not cut off.

Records with names as long as the demo's; the Redaktion sees every button (import, add, three
exports). German at /admin/, English at /en/admin/.
"""

import pytest
from playwright.sync_api import expect

from atlas import rollen
from tests.bereich import mit_rolle, zwei_netze
from tests.factories import AkteurFactory, AngebotFactory, PartnerschaftFactory

PASSWORT = "Redaktion-2026!"

# Boxes of the page titles and of the object tools, whether they overlap, and how wide the
# results table is against its box and the page against the window.
MESSEN = """() => {
  const kasten = (e) => e.getBoundingClientRect();
  const ueberlappen = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const titel = [...document.querySelectorAll("#content > h1, #content > h2")];
  const knoepfe = [...document.querySelectorAll(".object-tools a")];
  const verdeckt = [];
  for (const t of titel)
    for (const k of knoepfe)
      if (ueberlappen(kasten(t), kasten(k)))
        verdeckt.push(`${k.textContent.trim()} über ${t.textContent.trim()}`);
  const tabelle = document.querySelector("#result_list");
  const bereich = tabelle && tabelle.closest(".atlas-ergebnisse");
  return {
    titel: titel.length,
    knoepfe: knoepfe.length,
    verdeckt,
    tabelle: tabelle && {
      breite: tabelle.scrollWidth,
      platz: tabelle.closest(".results").clientWidth,
      rollbar: getComputedStyle(bereich).overflowX,
      tabindex: bereich.getAttribute("tabindex"),
    },
    seite: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  };
}"""


@pytest.fixture
def redaktion(transactional_db):
    eigen, _ = zwei_netze()
    beratung = AkteurFactory(
        name="Psychologische Beratungsstelle für Eltern, Kinder und Jugendliche des Landkreises "
        "Esslingen",
        slug="beratungsstelle",
    )
    AngebotFactory(
        titel="Kooperation Schule–Jugendhilfe: Strukturlösungen im Sozialraum am Beispiel der "
        "Familiengrundschulzentren",
        anbieter=beratung,
        netzwerk=eigen.netzwerk,
    )
    eigen.netzwerk.name = "Präventionsnetzwerk „Familien stärken“ Landkreis Esslingen"
    eigen.netzwerk.save()
    PartnerschaftFactory(
        netzwerk=eigen.netzwerk,
        akteur=beratung,
        notiz="Berät Familien im ganzen Landkreis, auch in Türkisch und Arabisch.",
    )
    user = mit_rolle(rollen.REDAKTION, username="redaktion")
    user.set_password(PASSWORT)
    user.save()
    return eigen


def anmelden(page):
    page.goto("/admin/")
    page.get_by_label("Benutzername").fill("redaktion")
    page.get_by_label("Passwort").fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#user-tools")).to_be_visible()


@pytest.mark.parametrize("sprache", ["", "/en"])
def test_admin_at_1280_titles_free_and_tables_whole(redaktion, page, sprache):
    page.set_viewport_size({"width": 1280, "height": 800})
    anmelden(page)
    angebot = redaktion.netzwerk.angebote.exclude(pk=redaktion.angebot.pk).get()
    seiten = {
        "angebote": "/admin/angebote/angebot/",
        "akteure": "/admin/akteure/akteur/",
        "netzwerke": "/admin/netzwerke/netzwerk/",
        "partnerschaften": "/admin/netzwerke/partnerschaft/",
        "angebot": f"/admin/angebote/angebot/{angebot.pk}/change/",
        "netzwerk": f"/admin/netzwerke/netzwerk/{redaktion.netzwerk.pk}/change/",
    }
    for name, pfad in seiten.items():
        page.goto(sprache + pfad)
        messung = page.evaluate(MESSEN)
        assert messung["titel"] >= 1 and messung["knoepfe"] >= 2, (name, messung)
        assert messung["verdeckt"] == [], name
        assert messung["seite"][0] <= messung["seite"][1], (name, messung["seite"])
        if messung["tabelle"] is not None:
            tabelle = messung["tabelle"]
            assert tabelle["breite"] <= tabelle["platz"], (name, tabelle)
            # Wider data would scroll inside a box the keyboard reaches.
            assert (tabelle["rollbar"], tabelle["tabindex"]) == ("auto", "0"), name
    assert page.locator("html").get_attribute("lang") == ("en" if sprache else "de")
