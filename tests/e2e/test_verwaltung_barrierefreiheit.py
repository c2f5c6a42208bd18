"""axe-core (WCAG 2.0/2.1 A + AA) on the coordinators' admin pages: the change forms of Akteur,
Angebot, Netzwerk and Partnerschaft (autocomplete fields, the map widget, inlines) and their
changelists (filters, search, actions), as a coordinator sees them."""

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
    }
    befunde = []
    for name, pfad in seiten.items():
        page.goto(pfad)
        page.wait_for_load_state("networkidle")
        assert page.locator("#content").count() == 1, pfad
        if verstoesse := axe_verstoesse(page):
            befunde.append(f"{name} ({pfad}):\n{axe_bericht(verstoesse)}")
    assert not befunde, "axe-core found:\n" + "\n".join(befunde)
