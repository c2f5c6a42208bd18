"""Two people edit the same partner at once: the one who saves second is told, in German, who
changed it and when, and the first person's change stays. A deleted record comes back."""

import pytest
from playwright.sync_api import expect

from akteure.models import Kontaktperson
from atlas import rollen
from tests.bereich import mit_rolle, zwei_netze
from tests.e2e.conftest import _kontext
from tests.e2e.test_koordination import PASSWORT, anmelden


@pytest.fixture
def netze(transactional_db):
    eigen, fremd = zwei_netze()
    eigen.koordination.set_password(PASSWORT)
    eigen.koordination.save()
    return eigen, fremd


def test_second_save_is_refused_with_a_message(netze, page, browser, live_server):
    eigen, _ = netze
    redaktion = mit_rolle(
        rollen.REDAKTION, username="rita", first_name="Rita", last_name="Redakteurin"
    )
    redaktion.set_password(PASSWORT)
    redaktion.save()
    url = f"/admin/akteure/akteur/{eigen.akteur.pk}/change/"
    zweiter_kontext = _kontext(browser, live_server)
    try:
        andere = zweiter_kontext.new_page()
        anmelden(page, eigen.koordination)
        anmelden(andere, redaktion)
        page.goto(url)
        andere.goto(url)

        andere.locator("#id_telefon").fill("0711 222")
        andere.get_by_role("button", name="Sichern", exact=True).click()
        expect(andere.locator(".messagelist")).to_contain_text("erfolgreich geändert")

        page.locator("#id_telefon").fill("0711 111")
        page.get_by_role("button", name="Sichern", exact=True).click()

        fehler = page.locator(".errornote + ul.errorlist.nonfield, ul.errorlist.nonfield").first
        expect(fehler).to_contain_text(
            "„Familienzentrum Amsel“ wurde inzwischen von Rita Redakteurin geändert"
        )
        expect(fehler).to_contain_text("Ihre Änderungen wurden nicht gespeichert")
        # What the person typed is still in the form, to carry over after reloading.
        expect(page.locator("#id_telefon")).to_have_value("0711 111")
    finally:
        zweiter_kontext.close()
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.telefon == "0711 222"


def test_redaktion_restores_a_deleted_contact_person(netze, page, axe):
    eigen, _ = netze
    redaktion = mit_rolle(rollen.REDAKTION, username="rita")
    redaktion.set_password(PASSWORT)
    redaktion.save()
    person = eigen.kontaktperson
    pk = person.pk
    person.delete()
    anmelden(page, redaktion)

    page.goto("/admin/akteure/kontaktperson/")
    page.get_by_role("link", name="Gelöschte Einträge").click()
    expect(page.locator("h1")).to_have_text("Gelöschte Kontaktpersonen")
    axe(page)
    page.get_by_role("link", name="Erika Amsel").click()
    # The history: the version before the deletion is the one to bring back.
    page.locator("#change-history tbody tr").nth(1).get_by_role("link").click()
    page.get_by_role("button", name="Wiederherstellen").click()

    expect(page.locator(".messagelist")).to_contain_text("Erika Amsel")
    assert Kontaktperson.objects.filter(pk=pk, name="Erika Amsel").exists()
