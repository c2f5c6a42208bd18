"""A coordinator keeps a partner's record true: log in, move its marker, mark it verified, save."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.bereich import FREMD, zwei_netze

PASSWORT = "Koordination-2026!"


@pytest.fixture
def netze(transactional_db):
    eigen, fremd = zwei_netze()
    eigen.koordination.set_password(PASSWORT)
    eigen.koordination.save()
    return eigen, fremd


def anmelden(page, user):
    page.goto("/admin/")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill(PASSWORT)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#user-tools")).to_contain_text(user.username, ignore_case=True)


def marker_verschieben(page, dx, dy):
    """Leaflet.draw: 'edit layers', drag the marker by (dx, dy) pixels, 'save'."""
    karte = page.locator("#id_standort-map")
    karte.scroll_into_view_if_needed()
    page.locator(".leaflet-draw-edit-edit").click()
    marker = karte.locator(".leaflet-marker-icon")
    kasten = marker.bounding_box()
    x, y = kasten["x"] + kasten["width"] / 2, kasten["y"] + kasten["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    for schritt in range(1, 11):
        page.mouse.move(x + dx * schritt / 10, y + dy * schritt / 10)
    page.mouse.up()
    page.locator(".leaflet-draw-actions a", has_text=re.compile("Save|Speichern")).first.click()


def test_coordinator_moves_marker_marks_verified_and_sees_it_public(netze, page):
    eigen, _ = netze
    akteur = eigen.akteur
    vorher = akteur.standort
    anmelden(page, eigen.koordination)

    # Only the own network's records in the list.
    page.goto("/admin/akteure/akteur/")
    expect(page.locator("#result_list")).to_contain_text(akteur.name)
    expect(page.locator("body")).not_to_contain_text(FREMD)

    page.get_by_role("link", name=akteur.name).click()
    expect(page.locator("h2", has_text="Adresse und Lage")).to_be_visible()
    marker_verschieben(page, 60, -40)
    expect(page.locator("#id_standort")).not_to_have_value("")

    page.get_by_role("button", name="Als geprüft markieren").click()
    expect(page.locator(".messagelist")).to_contain_text("geprüft")

    akteur.refresh_from_db()
    nachher = akteur.standort
    assert nachher.distance(vorher) > 0.0005, "the marker moved the stored point"
    assert nachher.x > vorher.x and nachher.y > vorher.y  # right and up = east and north
    assert akteur.geprueft_am == timezone.localdate()
    assert akteur.geprueft_von == eigen.koordination

    # The public page shows the new position and the verification date.
    page.goto(akteur.get_absolute_url())
    heute = date_format(timezone.localdate(), "j. F Y")
    expect(page.locator(".abzeichen--geprueft")).to_have_text(f"✓ Zuletzt geprüft am {heute}")
    route = page.get_by_role("link", name="Route planen (OpenStreetMap)")
    expect(route).to_have_attribute("href", re.compile(rf"to={nachher.y:.5f}%2C{nachher.x:.5f}"))
