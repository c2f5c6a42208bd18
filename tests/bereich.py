"""Two networks with their own records, and staff users in each role: the scope tests' world.

Everything of the *other* network carries the marker word "Zebra" in its name, so a test can
assert that no response body shows any of it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point

from atlas import rollen
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    TerminFactory,
    UserFactory,
)

FREMD = "Zebra"


def mit_rolle(rolle, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=rolle))
    return user


@dataclass
class Netz:
    netzwerk: object
    akteur: object
    kontaktperson: object
    partnerschaft: object
    angebot: object
    termin: object
    koordination: object  # the coordinating staff user

    def objekte(self):
        """(admin URL name prefix, object) for every scoped model."""
        return [
            ("netzwerke_netzwerk", self.netzwerk),
            ("netzwerke_partnerschaft", self.partnerschaft),
            ("akteure_akteur", self.akteur),
            ("akteure_kontaktperson", self.kontaktperson),
            ("angebote_angebot", self.angebot),
            ("angebote_termin", self.termin),
        ]


def netz(wort, punkt):
    netzwerk = NetzwerkFactory(name=f"Netzwerk {wort}", slug=f"netzwerk-{wort.lower()}")
    akteur = AkteurFactory(
        name=f"Familienzentrum {wort}", slug=f"fz-{wort.lower()}", standort=punkt
    )
    partnerschaft = PartnerschaftFactory(netzwerk=netzwerk, akteur=akteur)
    angebot = AngebotFactory(
        titel=f"Elterncafé {wort}", slug=f"cafe-{wort.lower()}", anbieter=akteur, netzwerk=netzwerk
    )
    koordination = mit_rolle(rollen.KOORDINATION, username=f"koordination-{wort.lower()}")
    netzwerk.koordinatoren.add(koordination)
    return Netz(
        netzwerk=netzwerk,
        akteur=akteur,
        kontaktperson=KontaktpersonFactory(akteur=akteur, name=f"Erika {wort}"),
        partnerschaft=partnerschaft,
        angebot=angebot,
        termin=TerminFactory(angebot=angebot, ort=f"Saal {wort}"),
        koordination=koordination,
    )


def zwei_netze():
    """(own, other): the other network's records all contain FREMD."""
    return netz("Amsel", Point(9.30, 48.74, srid=4326)), netz(FREMD, Point(8.10, 53.52, srid=4326))
