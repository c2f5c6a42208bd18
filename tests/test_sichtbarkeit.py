"""One rule "visible to this user" per model: published rows for everyone, plus the scope for
staff (everything for Redaktion and Jugendamt), the same in a query of its own and across a
relation, and in the staff export columns that name related records."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from akteure.models import Akteur, Kontaktperson
from angebote.models import Angebot, Termin
from atlas import rollen
from atlas.models import Status
from netzwerke.models import Netzwerk, Partnerschaft
from tests.bereich import FREMD, mit_rolle, zwei_netze
from tests.exportdateien import csv_tabelle
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EINWILLIGUNG = datetime.date(2026, 1, 15)


@pytest.fixture
def welt():
    """Networks Amsel (the coordinator's) and Zebra, each with a draft partner, a draft offering
    and an internal contact person; Zebra also has a contact person who consented."""
    eigen, fremd = zwei_netze()
    for netz, wort in ((eigen, "Amsel"), (fremd, FREMD)):
        entwurf = AkteurFactory(name=f"Entwurf {wort}", status=Status.ENTWURF)
        PartnerschaftFactory(netzwerk=netz.netzwerk, akteur=entwurf)
        AngebotFactory(titel=f"Kurs {wort} (Entwurf)", anbieter=netz.akteur, status="entwurf")
    KontaktpersonFactory(
        akteur=fremd.akteur, name="Öffentlich Zebra", oeffentlich=True, einwilligung_am=EINWILLIGUNG
    )
    NetzwerkFactory(name=f"Netz {FREMD} im Entwurf", status=Status.ENTWURF)
    return eigen, fremd


def namen(queryset):
    return {str(objekt) for objekt in queryset}


def test_the_public_and_a_coordinator_see_what_the_rule_says(welt):
    eigen, _fremd = welt
    koordination = eigen.koordination
    erwartet = {
        # model: (public, coordinator of Amsel)
        Akteur: (
            {"Familienzentrum Amsel", "Familienzentrum Zebra"},
            {"Familienzentrum Amsel", "Familienzentrum Zebra", "Entwurf Amsel"},
        ),
        Kontaktperson: ({"Öffentlich Zebra"}, {"Öffentlich Zebra", "Erika Amsel"}),
        Netzwerk: ({"Netzwerk Amsel", "Netzwerk Zebra"}, {"Netzwerk Amsel", "Netzwerk Zebra"}),
        Angebot: (
            {"Elterncafé Amsel", "Elterncafé Zebra"},
            {"Elterncafé Amsel", "Elterncafé Zebra", "Kurs Amsel (Entwurf)"},
        ),
    }
    for modell, (oeffentlich, fuer_koordination) in erwartet.items():
        for niemand in (None, AnonymousUser(), UserFactory(is_staff=False)):
            assert namen(modell.objects.sichtbar_fuer(niemand)) == oeffentlich, modell
        assert namen(modell.objects.sichtbar_fuer(koordination)) == fuer_koordination, modell
    partner = {
        (p.netzwerk.name, p.akteur.name) for p in Partnerschaft.objects.sichtbar_fuer(koordination)
    }
    assert partner == {
        ("Netzwerk Amsel", "Familienzentrum Amsel"),
        ("Netzwerk Amsel", "Entwurf Amsel"),
        ("Netzwerk Zebra", "Familienzentrum Zebra"),
    }


@pytest.mark.parametrize("rolle", [rollen.REDAKTION, rollen.JUGENDAMT])
def test_redaktion_and_jugendamt_see_everything(welt, rolle):
    user = mit_rolle(rolle)
    for modell in (Akteur, Kontaktperson, Netzwerk, Partnerschaft, Angebot, Termin):
        assert set(modell.objects.sichtbar_fuer(user)) == set(modell.objects.all()), modell


@pytest.mark.parametrize("wer", ["niemand", "koordination", "jugendamt"])
def test_the_rule_across_a_relation_is_the_same_rule(welt, wer):
    eigen, _fremd = welt
    user = {
        "niemand": None,
        "koordination": eigen.koordination,
        "jugendamt": mit_rolle(rollen.JUGENDAMT),
    }[wer]
    faelle = [
        (Angebot, Akteur, "anbieter"),
        (Partnerschaft, Akteur, "akteur"),
        (Partnerschaft, Netzwerk, "netzwerk"),
        (Kontaktperson, Akteur, "akteur"),
        (Akteur, Angebot, "angebote"),
    ]
    for modell, ziel, pfad in faelle:
        ueber_q = modell.objects.filter(ziel.objects.sichtbar_q(user, f"{pfad}__")).distinct()
        ueber_menge = modell.objects.filter(**{f"{pfad}__in": ziel.objects.sichtbar_fuer(user)})
        assert set(ueber_q) == set(ueber_menge.distinct()), (modell, pfad)


@pytest.fixture
def exporte(client, settings):
    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()
    return client


def test_staff_columns_name_only_related_records_the_user_may_read(exporte, welt):
    """A coordinator's file names a draft Träger of their own partner, and a published one of
    another network's partner, but not another network's draft Träger or draft network."""
    eigen, fremd = welt
    eigener_traeger = AkteurFactory(name="Träger Amsel (Entwurf)", status=Status.ENTWURF)
    PartnerschaftFactory(netzwerk=eigen.netzwerk, akteur=eigener_traeger)
    eigen.akteur.traeger = eigener_traeger
    eigen.akteur.save()
    fremder_traeger = AkteurFactory(name=f"Träger {FREMD} (Entwurf)", status=Status.ENTWURF)
    PartnerschaftFactory(netzwerk=fremd.netzwerk, akteur=fremder_traeger)
    fremd.akteur.traeger = fremder_traeger
    fremd.akteur.save()
    # The own partner is also a partner of a published and of a draft network of others.
    PartnerschaftFactory(netzwerk=fremd.netzwerk, akteur=eigen.akteur)
    PartnerschaftFactory(
        netzwerk=Netzwerk.objects.get(name=f"Netz {FREMD} im Entwurf"), akteur=eigen.akteur
    )
    # An offering of Amsel's partner, run with the Zebra partner.
    eigen.angebot.kooperationspartner.set([fremd.akteur, eigener_traeger, fremder_traeger])

    exporte.force_login(eigen.koordination)
    _kopf, zeilen = csv_tabelle(exporte.get("/akteure/export.csv", {"intern": "1"}))
    amsel = next(z for z in zeilen if z["Name"] == "Familienzentrum Amsel")
    assert amsel["Träger"] == "Träger Amsel (Entwurf)"
    assert amsel["Netzwerke (Rolle)"] == "Netzwerk Amsel (Partner), Netzwerk Zebra (Partner)"
    _kopf, zeilen = csv_tabelle(exporte.get("/angebote/export.csv", {"intern": "1"}))
    cafe = next(z for z in zeilen if z["Titel"] == "Elterncafé Amsel")
    assert cafe["Netzwerk"] == "Netzwerk Amsel"
    assert sorted(cafe["Kooperationspartner"].split(", ")) == [
        "Familienzentrum Zebra",
        "Träger Amsel (Entwurf)",
    ]
    assert cafe["Netzwerke des Anbieters (Rolle)"] == (
        "Netzwerk Amsel (Partner), Netzwerk Zebra (Partner)"
    )

    # The same files for the public: only what is published.
    exporte.logout()
    _kopf, zeilen = csv_tabelle(exporte.get("/angebote/export.csv"))
    cafe = next(z for z in zeilen if z["Titel"] == "Elterncafé Amsel")
    assert cafe["Kooperationspartner"] == "Familienzentrum Zebra"
    assert cafe["Netzwerk"] == "Netzwerk Amsel"
