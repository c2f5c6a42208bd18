"""axe-core (WCAG 2.0/2.1 A + AA) on the coordinators' admin pages: the change forms of Akteur,
Angebot, Netzwerk and Partnerschaft (autocomplete fields, the map widget, tabular inlines) and
their changelists, as a coordinator sees them; and the names a screen reader announces for the
fields that had none (templates/admin/edit_inline/tabular.html, static/js/admin_beschriftung.js).
"""

import pytest
from playwright.sync_api import expect

from tests.bereich import zwei_netze
from tests.e2e.conftest import axe_bericht, axe_verstoesse

PASSWORT = "Koordination-2026!"


@pytest.fixture
def koordination(transactional_db):
    eigen, _ = zwei_netze()
    eigen.koordination.set_password(PASSWORT)
    eigen.koordination.save()
    return eigen


def anmelden(page, benutzer):
    page.goto("/admin/")
    page.get_by_label("Benutzername").fill(benutzer.username)
    page.get_by_label("Passwort").fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#user-tools")).to_be_visible()


def pruefen(page, befunde, name):
    # The admin's forms.css @imports widgets.css: no CSSOM preload (tests/e2e/conftest.py).
    if verstoesse := axe_verstoesse(page, cssom=False):
        befunde.append(f"{name} ({page.url}):\n{axe_bericht(verstoesse)}")


def test_coordinators_admin_pages_have_no_axe_violations(koordination, page):
    netz = koordination
    anmelden(page, netz.koordination)
    seiten = {
        "Akteur": f"/admin/akteure/akteur/{netz.akteur.pk}/change/",
        "Akteur neu": "/admin/akteure/akteur/add/",
        "Angebot": f"/admin/angebote/angebot/{netz.angebot.pk}/change/",
        "Netzwerk": f"/admin/netzwerke/netzwerk/{netz.netzwerk.pk}/change/",
        "Partnerschaft": f"/admin/netzwerke/partnerschaft/{netz.partnerschaft.pk}/change/",
        "Akteure": "/admin/akteure/akteur/",
        "Angebote": "/admin/angebote/angebot/",
        "Netzwerke": "/admin/netzwerke/netzwerk/",
        "Partnerschaften": "/admin/netzwerke/partnerschaft/",
        "Akteure, gesucht": "/admin/akteure/akteur/?q=Familienzentrum",
    }
    befunde = []
    for name, pfad in seiten.items():
        page.goto(pfad)
        # networkidle: the map widget has drawn, Select2 has built its boxes.
        page.wait_for_load_state("networkidle")
        expect(page.locator("#content h1")).to_have_count(1)
        pruefen(page, befunde, name)
    # A partner row added in the page: its autocomplete field is named too.
    page.goto(f"/admin/netzwerke/netzwerk/{netz.netzwerk.pk}/change/")
    page.get_by_role("button", name="Partnerschaft hinzufügen").click()
    expect(page.locator("#partnerschaften-1")).to_be_visible()
    pruefen(page, befunde, "Netzwerk mit neuer Partnerzeile")
    assert not befunde, "axe-core found:\n" + "\n".join(befunde)


def test_fields_are_announced_by_their_labels(koordination, page):
    netz = koordination
    anmelden(page, netz.koordination)
    page.goto(f"/admin/akteure/akteur/{netz.akteur.pk}/change/")
    page.wait_for_load_state("networkidle")
    # The autocomplete combobox: the field's label, then the chosen value (none here).
    expect(page.get_by_role("combobox", name="Träger:", exact=True)).to_have_count(1)
    page.goto(f"/admin/angebote/angebot/{netz.angebot.pk}/change/")
    page.wait_for_load_state("networkidle")
    # A row of the tabular dates inline: each input named by its column.
    zeile = page.locator("#termine-0")
    expect(zeile.get_by_label("Beginn Datum:", exact=True)).to_have_count(1)
    expect(zeile.get_by_label("Beginn Zeit:", exact=True)).to_have_count(1)
    expect(zeile.get_by_label("Ort", exact=True)).to_have_value(netz.termin.ort)
    expect(zeile.get_by_label("Löschen?", exact=True)).not_to_be_checked()
    page.goto(f"/admin/netzwerke/netzwerk/{netz.netzwerk.pk}/change/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#partnerschaften-0").get_by_label("Rolle", exact=True)).to_have_count(1)
