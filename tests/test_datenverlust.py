"""No silent data loss: a network others depend on is not deleted; what a deletion empties, a
bulk action or an import changes leaves history rows with the acting user."""

import pytest
from django.urls import reverse

from akteure.models import Akteur, Kontaktperson
from angebote.models import Angebot
from atlas import rollen
from atlas.models import Status
from netzwerke.models import Netzwerk, Partnerschaft
from tests.bereich import mit_rolle, zwei_netze
from tests.factories import (
    AkteurFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    SozialraumFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HINWEIS = (
    "Entfernen Sie zuerst die Partnerschaften und ordnen Sie die Angebote einem anderen "
    "Netzwerk zu. Soll das Netzwerk nur nicht mehr öffentlich sein, setzen Sie seinen Status auf "
    "„archiviert“; das lässt sich jederzeit rückgängig machen."
)


@pytest.fixture
def redaktion(client):
    user = mit_rolle(rollen.REDAKTION)
    client.force_login(user)
    return user


def test_network_with_partners_and_offerings_is_not_deleted(client, redaktion):
    eigen, _ = zwei_netze()
    url = reverse("admin:netzwerke_netzwerk_delete", args=[eigen.netzwerk.pk])

    seite = client.get(url).content.decode()
    antwort = client.post(url, {"post": "yes"})

    assert (
        "<p>Netzwerk „Netzwerk Amsel“ kann nicht gelöscht werden, solange noch Folgendes daran "
        "hängt:</p>" in seite
    )
    partner = reverse("admin:netzwerke_partnerschaft_change", args=[eigen.partnerschaft.pk])
    angebot = reverse("admin:angebote_angebot_change", args=[eigen.angebot.pk])
    name = "Familienzentrum Amsel – Netzwerk Amsel (Partner)"
    assert f'<li>Partnerschaft: <a href="{partner}">{name}</a></li>' in seite
    assert f'<li>Angebot: <a href="{angebot}">Elterncafé Amsel</a></li>' in seite
    assert f"<p>{HINWEIS}</p>" in seite
    assert antwort.status_code == 200  # the same page again, nothing deleted
    assert Netzwerk.objects.filter(pk=eigen.netzwerk.pk).exists()
    assert Partnerschaft.objects.filter(pk=eigen.partnerschaft.pk).exists()
    assert Angebot.objects.get(pk=eigen.angebot.pk).netzwerk == eigen.netzwerk


def test_delete_selected_refuses_networks_with_partners(client, redaktion):
    eigen, fremd = zwei_netze()
    leer = NetzwerkFactory(name="Netzwerk ohne alles")
    daten = {
        "action": "delete_selected",
        "_selected_action": [eigen.netzwerk.pk, leer.pk],
        "post": "yes",
    }

    seite = client.post(reverse("admin:netzwerke_netzwerk_changelist"), daten).content.decode()

    assert (
        "<p>Die ausgewählten Netzwerke können nicht gelöscht werden, solange noch Folgendes daran "
        "hängt:</p>" in seite
    )
    assert f"<p>{HINWEIS}</p>" in seite
    assert Netzwerk.objects.count() == 3


def test_network_without_dependants_is_deleted_with_a_history_row(client, redaktion):
    leer = NetzwerkFactory(name="Netzwerk ohne alles")
    url = reverse("admin:netzwerke_netzwerk_delete", args=[leer.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not Netzwerk.objects.filter(pk=leer.pk).exists()
    zeile = Netzwerk.history.filter(id=leer.pk).latest()
    assert (zeile.history_type, zeile.history_user) == ("-", redaktion)


def test_deleting_an_actor_leaves_a_history_row_for_each_contact_person(client, redaktion):
    akteur = AkteurFactory(name="Treff ohne Partner")
    personen = [KontaktpersonFactory(akteur=akteur, name=n) for n in ["Anna", "Ben"]]
    url = reverse("admin:akteure_akteur_delete", args=[akteur.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not Kontaktperson.objects.filter(akteur_id=akteur.pk).exists()
    for person in personen:
        zeile = Kontaktperson.history.filter(id=person.pk).latest()
        assert (zeile.history_type, zeile.history_user, zeile.name) == (
            "-",
            redaktion,
            person.name,
        )


def test_an_emptied_reference_leaves_a_history_row_with_its_reason(client, redaktion):
    raum = SozialraumFactory(name="Pliensauvorstadt")
    akteur = AkteurFactory(name="Treff Pliensau", sozialraum=raum)
    vorher = akteur.history.count()
    url = reverse("admin:akteure_sozialraum_delete", args=[raum.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    akteur.refresh_from_db()
    assert akteur.sozialraum is None
    assert akteur.history.count() == vorher + 1
    zeile = akteur.history.latest()
    assert (zeile.history_type, zeile.history_user, zeile.sozialraum_id) == ("~", redaktion, None)
    assert zeile.history_change_reason == (
        "„Sozialraum“ geleert: Sozialraum „Pliensauvorstadt“ wurde gelöscht."
    )


def test_deleting_a_staff_account_leaves_a_history_row_where_it_confirmed(db):
    pruefer = UserFactory(username="pruefer")
    akteur = AkteurFactory(geprueft_von=pruefer)

    pruefer.delete()

    zeile = akteur.history.latest()
    assert (zeile.history_type, zeile.geprueft_von_id) == ("~", None)
    assert zeile.history_change_reason == (
        "„geprüft von“ geleert: Benutzer „pruefer“ wurde gelöscht."
    )


@pytest.mark.parametrize(
    ("aktion", "feld", "wert"),
    [("als_geprueft_markieren", "geprueft_von_id", "user"), ("veroeffentlichen", "status", None)],
)
def test_bulk_actions_leave_a_history_row_per_record(client, redaktion, aktion, feld, wert):
    akteure = [
        AkteurFactory(
            name=f"Treff {i}", status=Status.ENTWURF, telefon="0711 1", beschreibung="Offener Treff"
        )
        for i in range(3)
    ]
    vorher = {a.pk: a.history.count() for a in akteure}

    client.post(
        reverse("admin:akteure_akteur_changelist"),
        {"action": aktion, "_selected_action": [a.pk for a in akteure]},
    )

    erwartet = redaktion.pk if wert == "user" else Status.VEROEFFENTLICHT
    for akteur in Akteur.objects.filter(pk__in=vorher):
        zeile = akteur.history.latest()
        assert akteur.history.count() == vorher[akteur.pk] + 1
        assert (zeile.history_type, zeile.history_user, getattr(zeile, feld)) == (
            "~",
            redaktion,
            erwartet,
        )


def test_deleting_an_actor_leaves_a_history_row_for_each_of_its_translations(client, redaktion):
    from django.contrib.contenttypes.models import ContentType

    from atlas.uebersetzung import Uebersetzung, quell_hash

    akteur = AkteurFactory(name="Treff ohne Partner", beschreibung="Offener Treff")
    uebersetzung = Uebersetzung.objects.create(
        inhaltstyp=ContentType.objects.get_for_model(Akteur),
        objekt_id=akteur.pk,
        feld="beschreibung",
        sprache="tr",
        text="Açık buluşma",
        quelle_hash=quell_hash("Offener Treff"),
    )
    url = reverse("admin:akteure_akteur_delete", args=[akteur.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not Uebersetzung.objects.filter(pk=uebersetzung.pk).exists()
    zeile = Uebersetzung.history.filter(id=uebersetzung.pk).latest()
    assert (zeile.history_type, zeile.history_user, zeile.text) == ("-", redaktion, "Açık buluşma")
