"""A deleted record comes back from its history: listed under "Gelöschte Einträge", restored by
saving an old version; within the scope rule (coordinators: records of their partners)."""

import pytest
from django.urls import reverse

from akteure.models import Akteur, Kontaktperson
from atlas import rollen
from tests.admin_formular import formulardaten
from tests.bereich import FREMD, mit_rolle, zwei_netze
from tests.factories import AkteurFactory

pytestmark = pytest.mark.django_db


def verlauf_urls(prefix, pk, version):
    return (
        reverse(f"admin:{prefix}_history", args=[pk]),
        reverse(f"admin:{prefix}_simple_history", args=[pk, version]),
    )


def test_redaktion_restores_a_deleted_actor(client):
    redaktion = mit_rolle(rollen.REDAKTION)
    client.force_login(redaktion)
    akteur = AkteurFactory(name="Treff am Bahnhof", telefon="0711 5", beschreibung="Offen")
    pk = akteur.pk
    version = akteur.history.latest().history_id
    assert client.post(reverse("admin:akteure_akteur_delete", args=[pk]), {"post": "yes"})
    assert not Akteur.objects.filter(pk=pk).exists()

    liste = client.get(reverse("admin:akteure_akteur_geloescht")).content.decode()
    verlauf, zurueck = verlauf_urls("akteure_akteur", pk, version)
    assert f'<td><a href="{verlauf}" dir="auto">Treff am Bahnhof</a></td>' in liste
    assert client.get(verlauf).status_code == 200
    formular = client.get(zurueck)
    assert formular.status_code == 200
    # The revert form carries the version too (django-simple-history replaces form_top).
    fassung = akteur.history.latest().history_id
    assert (
        f'<input type="hidden" name="atlas_fassung" value="{fassung}" id="id_atlas_fassung">'
        in formular.content.decode()
    )

    antwort = client.post(zurueck, formulardaten(formular))

    assert antwort.status_code == 302
    wieder = Akteur.objects.get(pk=pk)
    assert (wieder.name, wieder.telefon) == ("Treff am Bahnhof", "0711 5")
    zeile = wieder.history.latest()
    assert (zeile.history_type, zeile.history_user) == ("+", redaktion)
    liste = client.get(reverse("admin:akteure_akteur_geloescht")).content.decode()
    assert "Keine gelöschten Einträge." in liste


def test_changelist_links_the_deleted_records(client):
    client.force_login(mit_rolle(rollen.REDAKTION))
    html = client.get(reverse("admin:akteure_akteur_changelist")).content.decode()
    url = reverse("admin:akteure_akteur_geloescht")
    assert f'<li><a href="{url}">Gelöschte Einträge</a></li>' in html


def test_coordinator_restores_a_contact_person_of_their_partner(client):
    eigen, fremd = zwei_netze()
    client.force_login(eigen.koordination)
    person, fremde_person = eigen.kontaktperson, fremd.kontaktperson
    version = person.history.latest().history_id
    url = reverse("admin:akteure_kontaktperson_delete", args=[person.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    fremde_person.delete()

    liste = client.get(reverse("admin:akteure_kontaktperson_geloescht")).content.decode()
    assert "Erika Amsel" in liste
    assert FREMD not in liste
    verlauf, zurueck = verlauf_urls("akteure_kontaktperson", person.pk, version)
    assert client.get(verlauf).status_code == 200
    antwort = client.post(zurueck, formulardaten(client.get(zurueck)))

    assert antwort.status_code == 302
    assert Kontaktperson.objects.get(pk=person.pk).name == "Erika Amsel"
    assert Kontaktperson.objects.get(pk=person.pk).history.latest().history_user == (
        eigen.koordination
    )


def test_coordinator_cannot_restore_another_networks_record(client):
    eigen, fremd = zwei_netze()
    person = fremd.kontaktperson
    pk, version = person.pk, person.history.latest().history_id
    person.delete()
    client.force_login(eigen.koordination)
    verlauf, zurueck = verlauf_urls("akteure_kontaktperson", pk, version)

    assert client.get(verlauf).status_code == 404
    assert client.get(zurueck).status_code == 404
    assert client.post(zurueck, {"name": "Erika Zebra", "akteur": fremd.akteur.pk}).status_code == (
        404
    )
    assert not Kontaktperson.objects.filter(pk=pk).exists()


def test_jugendamt_sees_deleted_records_but_restores_nothing(client):
    eigen, _ = zwei_netze()
    person = eigen.kontaktperson
    pk, version = person.pk, person.history.latest().history_id
    person.delete()
    client.force_login(mit_rolle(rollen.JUGENDAMT))
    _verlauf, zurueck = verlauf_urls("akteure_kontaktperson", pk, version)

    liste = client.get(reverse("admin:akteure_kontaktperson_geloescht")).content.decode()
    formular = client.get(zurueck)
    antwort = client.post(zurueck, formulardaten(formular))

    assert "Erika Amsel" in liste
    assert antwort.status_code == 403
    assert not Kontaktperson.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("rolle", [rollen.REDAKTION, rollen.KOORDINATION])
def test_history_of_a_malformed_id_is_404(client, rolle):
    client.force_login(mit_rolle(rolle))
    for url in [
        "/admin/akteure/kontaktperson/None/history/",
        "/admin/akteure/kontaktperson/None/history/1/",
        "/admin/akteure/kontaktperson/1/history/abc/",
    ]:
        assert client.get(url).status_code == 404, url
