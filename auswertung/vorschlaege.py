"""Partner suggestions for a network's coordinators (issue 14, point 4).

Published actors near the network (in its region, or within a radius of its coordinating
partner) that are not yet its partners, grouped by the Einrichtungsarten the network lacks;
the "untypische Netzwerkpartner" of the Elternbegleitung workshop (seeds/001: Arztpraxen,
Migrationsorganisationen, Sportvereine, Musik/Tanz/Theater, Museen, Volkshochschulen, Agentur
für Arbeit/Jobcenter, Schuldnerberatungen, Unternehmen) first and marked.
"""

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.gis.db.models.functions import Distance
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from akteure.models import Akteur
from angebote.models import Angebot
from netzwerke.models import Partnerschaft

UNTYPISCHE_ARTEN = [
    "arztpraxis",
    "kinder-und-jugendarztpraxis",
    "migrantenorganisation",
    "sportverein",
    "musik-tanz-oder-theaterschule",
    "museum",
    "volkshochschule",
    "jobcenter-agentur-fur-arbeit",
    "schuldnerberatung",
    "unternehmen",
]
UMKREISE_KM = [5, 10, 20, 50]
HOECHSTENS = 200  # suggestions shown; the nearest first within each type


@dataclass
class Vorschlaege:
    gebiet: str  # "in Landkreis Esslingen" or "bis 10 km um …"
    gruppen: list = field(default_factory=list)  # [(Einrichtungsart, untypisch, [Akteur])]
    fehler: str = ""


def mittelpunkt(netzwerk):
    """Where the network is: its coordinating partner's place, else any placed partner's."""
    partner = (
        Partnerschaft.objects.filter(netzwerk=netzwerk, akteur__standort__isnull=False)
        .order_by("rolle", "pk")  # "koordination" before "partner"
        .select_related("akteur")
        .first()
    )
    return partner.akteur if partner else None


def partnervorschlaege(netzwerk, *, km=None):
    """The suggestions for `netzwerk`: within `km` of its centre, or (no km) in its region."""
    vorhanden = Partnerschaft.objects.filter(netzwerk=netzwerk)
    arten = Akteur.objects.filter(
        pk__in=vorhanden.filter(Partnerschaft.objects.zaehlt_q()).values("akteur_id")
    ).values("einrichtungsart_id")
    kandidaten = (
        Akteur.objects.veroeffentlicht()
        .exclude(pk__in=vorhanden.values("akteur_id"))
        .exclude(einrichtungsart_id__in=arten)
    )
    mitte = mittelpunkt(netzwerk)
    if km is None and netzwerk.region_id:
        kandidaten = kandidaten.in_region(netzwerk.region)
        gebiet = _("in %(region)s") % {"region": netzwerk.region.name}
        if mitte:
            kandidaten = kandidaten.annotate(entfernung=Distance("standort", mitte.standort))
    elif mitte:
        km = km or 10
        kandidaten = kandidaten.im_umkreis(mitte.standort, km)
        gebiet = _("bis %(km)s km um %(ort)s") % {"km": km, "ort": mitte.name}
    else:
        return Vorschlaege(
            gebiet="",
            fehler=_(
                "Das Netzwerk hat weder eine Region noch einen Partner mit Standort – es gibt "
                "keinen Ort, um den herum gesucht werden kann."
            ),
        )
    kandidaten = (
        kandidaten.select_related("einrichtungsart")
        .annotate(
            angebote_anzahl=Count(
                "angebote", filter=Angebot.objects.veroeffentlicht_q("angebote__"), distinct=True
            )
        )
        .prefetch_related(
            Prefetch(
                "angebote",
                queryset=Angebot.objects.veroeffentlicht().order_by("titel"),
                to_attr="oeffentliche_angebote",
            )
        )
    )
    liste = sorted(
        kandidaten[:HOECHSTENS],
        key=lambda a: (
            a.einrichtungsart.slug not in UNTYPISCHE_ARTEN,
            a.einrichtungsart.name,
            getattr(a, "entfernung", None) is None,
            getattr(getattr(a, "entfernung", None), "m", 0),
            a.name,
        ),
    )
    gruppen = [
        (art, art.slug in UNTYPISCHE_ARTEN, list(akteure))
        for art, akteure in groupby(liste, key=lambda a: a.einrichtungsart)
    ]
    return Vorschlaege(gebiet=gebiet, gruppen=gruppen)


def vorschlag_annehmen(netzwerk, akteur):
    """A draft partnership (not public, not counted) of `akteur` in `netzwerk`."""
    return Partnerschaft.objects.create(
        netzwerk=netzwerk,
        akteur=akteur,
        entwurf=True,
        notiz=_("Aus den Partnervorschlägen angelegt – noch nicht vereinbart."),
    )
