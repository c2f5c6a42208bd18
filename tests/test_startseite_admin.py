"""The admin start page: overdue records, drafts and latest changes – only the own network."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from akteure.models import Akteur, Kontaktperson
from atlas import rollen
from atlas.models import Status
from atlas.pruefung import pruefung_stichtag
from tests.admin_formular import formulardaten
from tests.bereich import FREMD, mit_rolle, zwei_netze
from tests.factories import AkteurFactory, KontaktpersonFactory, PartnerschaftFactory, UserFactory

pytestmark = pytest.mark.django_db

START = "/admin/"


@pytest.fixture
def netze():
    eigen, fremd = zwei_netze()
    # Each network: a draft, a recently confirmed partner and one confirmed long ago.
    for netz, wort in [(eigen, "Amsel"), (fremd, FREMD)]:
        for name, status, geprueft in [
            (f"Entwurf {wort}", Status.ENTWURF, timezone.localdate()),
            (f"Frisch {wort}", Status.VEROEFFENTLICHT, timezone.localdate()),
            (f"Alt {wort}", Status.VEROEFFENTLICHT, pruefung_stichtag()),
        ]:
            akteur = AkteurFactory(name=name, status=status, geprueft_am=geprueft)
            PartnerschaftFactory(netzwerk=netz.netzwerk, akteur=akteur)
    return eigen, fremd


def abschnitt(html, id_):
    """The module `id_` of the start page."""
    anfang = html.index(f'id="{id_}"')
    return html[anfang : html.index("</table>", anfang)]


def test_a_coordinator_sees_own_overdue_records_drafts_and_changes(client, netze):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    antwort = client.get(START)
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert FREMD not in html

    faellig = abschnitt(html, "atlas-faellig")
    assert "Alt Amsel" in faellig
    assert "Familienzentrum Amsel" in faellig  # never confirmed
    assert "Frisch Amsel" not in faellig
    alt = Akteur.objects.get(name="Alt Amsel")
    assert reverse("admin:akteure_akteur_change", args=[alt.pk]) in faellig
    assert reverse("admin:akteure_akteur_changelist") + "?pruefung=faellig" in faellig

    entwuerfe = abschnitt(html, "atlas-entwuerfe")
    assert "Entwurf Amsel" in entwuerfe
    assert "Alt Amsel" not in entwuerfe

    assert "Netzwerk Amsel" in abschnitt(html, "atlas-startseite")
    # The normal app list follows.
    assert reverse("admin:akteure_akteur_changelist") in html.split('id="atlas-aenderungen"')[1]


def test_latest_changes_name_who_when_and_what_within_the_scope(client, netze):
    eigen, fremd = netze
    # The other network's coordinator edits their partner and deletes a contact person.
    client.force_login(fremd.koordination)
    url = reverse("admin:akteure_akteur_change", args=[fremd.akteur.pk])
    assert client.post(url, formulardaten(client.get(url), telefon="0441 1")).status_code == 302
    fremd.kontaktperson.delete()

    eigen.koordination.first_name, eigen.koordination.last_name = "Karla", "Koordinatorin"
    eigen.koordination.save()
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    daten = formulardaten(client.get(url), telefon="0711 1", website="https://amsel.example.org")
    assert client.post(url, daten).status_code == 302
    weg = KontaktpersonFactory(akteur=eigen.akteur, name="Erika Gelöscht")
    weg.delete()

    html = client.get(START).content.decode()
    aenderungen = abschnitt(html, "atlas-aenderungen")
    assert FREMD not in html
    assert "Karla Koordinatorin" in aenderungen
    zeile = next(z for z in aenderungen.split("<tr>") if "Telefon" in z)
    assert "Familienzentrum Amsel" in zeile
    assert "geändert: Telefon, Website" in zeile
    assert reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk]) in zeile
    assert "Erika Gelöscht</span> gelöscht" in aenderungen  # deletion shown, without a link


def test_a_partner_shared_with_another_network_shows_only_in_scope_records(client, netze):
    eigen, fremd = netze
    # The own partner is also a partner of the other network: its changes are the own
    # network's business, the other network's partners and network are not.
    PartnerschaftFactory(netzwerk=fremd.netzwerk, akteur=eigen.akteur)
    Akteur.objects.get(pk=eigen.akteur.pk).save()
    client.force_login(eigen.koordination)
    html = client.get(START).content.decode()
    assert "Familienzentrum Amsel" in abschnitt(html, "atlas-aenderungen")
    assert FREMD not in html


def test_jugendamt_gets_the_unscoped_overview(client, netze):
    client.force_login(mit_rolle(rollen.JUGENDAMT))
    html = client.get(START).content.decode()
    assert "Überblick über alle Netzwerke" in html
    faellig = abschnitt(html, "atlas-faellig")
    assert "Alt Amsel" in faellig
    assert f"Alt {FREMD}" in faellig
    assert f"Entwurf {FREMD}" in abschnitt(html, "atlas-entwuerfe")


def test_staff_without_a_role_get_the_plain_index(client, netze):
    client.force_login(UserFactory())
    antwort = client.get(START)
    assert antwort.status_code == 200
    html = antwort.content.decode()
    assert 'id="atlas-faellig"' not in html
    assert "Amsel" not in html
    assert FREMD not in html


def test_the_start_page_query_count_stays_bounded(client, netze, django_assert_max_num_queries):
    eigen, _ = netze
    for i in range(20):
        KontaktpersonFactory(akteur=eigen.akteur, name=f"Person {i}")
    Kontaktperson.objects.filter(akteur=eigen.akteur).update(funktion="Leitung")
    for person in Kontaktperson.objects.filter(akteur=eigen.akteur):
        person.telefon = "1"
        person.save()
    client.force_login(eigen.koordination)
    with django_assert_max_num_queries(50):
        assert client.get(START).status_code == 200


def test_overdue_uses_the_due_date(client, netze):
    eigen, _ = netze
    Akteur.objects.filter(name="Alt Amsel").update(
        geprueft_am=pruefung_stichtag() + datetime.timedelta(days=1)
    )
    client.force_login(eigen.koordination)
    assert "Alt Amsel" not in abschnitt(client.get(START).content.decode(), "atlas-faellig")
