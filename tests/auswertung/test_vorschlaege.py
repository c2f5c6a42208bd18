"""Partner suggestions in the admin and draft partnerships (issue 14, point 4)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point

from akteure.models import Akteur
from atlas.models import Status
from atlas.rollen import KOORDINATION as KOORDINATION_GRUPPE
from netzwerke.models import Netzwerk, Partnerschaft
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    ProgrammFactory,
    UserFactory,
    einrichtungsart,
)
from tests.seiten import text

pytestmark = pytest.mark.django_db
KOORDINATION = Partnerschaft.Rolle.KOORDINATION


def akteur(name, art, lat, lon, **kwargs):
    return AkteurFactory(
        name=name, einrichtungsart=einrichtungsart(art), standort=Point(lon, lat), **kwargs
    )


@pytest.fixture
def lage():
    """A network (Kita coordinates, a Grundschule) and actors around it."""
    netzwerk = NetzwerkFactory(name="Netz", programm=ProgrammFactory(mindestanzahl_partner=2))
    kita = akteur("Kita Mitte", "kita", 48.74, 9.30)
    PartnerschaftFactory(netzwerk=netzwerk, akteur=kita, rolle=KOORDINATION)
    PartnerschaftFactory(netzwerk=netzwerk, akteur=akteur("Schule", "grundschule", 48.741, 9.30))
    museum = akteur("Stadtmuseum", "museum", 48.749, 9.30)  # 1 km
    AngebotFactory(titel="Familienführung", anbieter=museum)
    akteur("Beratungsstelle", "beratungsstelle", 48.758, 9.30)  # 2 km
    akteur("Andere Kita", "kita", 48.745, 9.30)  # a type the network has
    akteur("Fernes Museum", "museum", 49.1, 9.30)  # 40 km
    akteur("Museum im Entwurf", "museum", 48.742, 9.30, status=Status.ENTWURF)
    koordinatorin = UserFactory()
    koordinatorin.groups.add(Group.objects.get(name=KOORDINATION_GRUPPE))
    netzwerk.koordinatoren.add(koordinatorin)
    return netzwerk, koordinatorin


def gruppen(antwort):
    seite = antwort.content.decode()
    ergebnis = []
    for titel, tabelle in re.findall(
        r"<h3>(.*?)</h3>\s*<table.*?<tbody>(.*?)</tbody>", seite, re.S
    ):
        zeilen = re.findall(r"<tr>(.*?)</tr>", tabelle, re.S)
        ergebnis.append(
            (text(titel), [text(re.sub(r"<form.*?</form>", "", z, flags=re.S)) for z in zeilen])
        )
    return ergebnis


def test_suggestions_by_missing_type_untypical_first_with_distance_and_offerings(client, lage):
    netzwerk, koordinatorin = lage
    client.force_login(koordinatorin)
    url = f"/admin/netzwerke/netzwerk/{netzwerk.pk}/partnervorschlaege/?km=5"
    assert gruppen(client.get(url)) == [
        (
            "Museum – untypischer Netzwerkpartner",
            ["Stadtmuseum Marktplatz 1, 73728 Esslingen am Neckar 1,0 km 1: Familienführung"],
        ),
        ("Beratungsstelle", ["Beratungsstelle Marktplatz 1, 73728 Esslingen am Neckar 2,0 km 0"]),
    ]
    assert "Fernes Museum" in client.get(url.replace("km=5", "km=50")).content.decode()
    antwort = client.get(url.replace("km=5", "km=7"))
    assert antwort.status_code == 400
    assert "Bitte wählen Sie einen Umkreis aus der Liste." in antwort.content.decode()


def test_one_click_makes_a_draft_partnership_that_neither_counts_nor_shows(client, lage):
    netzwerk, koordinatorin = lage
    client.force_login(koordinatorin)
    museum = Akteur.objects.get(name="Stadtmuseum")
    antwort = client.post(
        f"/admin/netzwerke/netzwerk/{netzwerk.pk}/partnervorschlaege/?km=5", {"akteur": museum.pk}
    )
    entwurf = Partnerschaft.objects.get(netzwerk=netzwerk, akteur=museum)
    assert antwort["Location"] == f"/admin/netzwerke/partnerschaft/{entwurf.pk}/change/"
    assert entwurf.entwurf is True
    assert not Partnerschaft.objects.veroeffentlicht().filter(pk=entwurf.pk).exists()
    assert Netzwerk.objects.mit_partnerzahl().get(pk=netzwerk.pk).partnerzahl == 2
    # A suggestion does not put the actor into the coordinator's scope.
    assert not Akteur.objects.im_bereich_von(koordinatorin).filter(pk=museum.pk).exists()
    seite = client.get(f"/admin/netzwerke/netzwerk/{netzwerk.pk}/partnervorschlaege/?km=5")
    assert [titel for titel, _zeilen in gruppen(seite)] == ["Beratungsstelle"]
    # Twice, or a draft actor: refused, nothing made.
    client.post(
        f"/admin/netzwerke/netzwerk/{netzwerk.pk}/partnervorschlaege/", {"akteur": museum.pk}
    )
    entwurf_akteur = Akteur.objects.get(name="Museum im Entwurf")
    client.post(
        f"/admin/netzwerke/netzwerk/{netzwerk.pk}/partnervorschlaege/",
        {"akteur": entwurf_akteur.pk},
    )
    assert netzwerk.partnerschaften.count() == 3


def test_suggestions_only_within_the_coordinators_scope(client, lage):
    _netzwerk, koordinatorin = lage
    fremd = NetzwerkFactory()
    client.force_login(koordinatorin)
    url = f"/admin/netzwerke/netzwerk/{fremd.pk}/partnervorschlaege/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"akteur": Akteur.objects.first().pk}).status_code == 404
    assert not fremd.partnerschaften.exists()
