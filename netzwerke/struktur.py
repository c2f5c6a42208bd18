"""Partner structure of networks (partner types with counts and shares) and the programme rules.

The Elternbegleitung programme charts "An den Netzwerken beteiligte Einrichtungen" by type
(seeds/000); the same chart is drawn for one network, a programme and a region. Counted are
partnerships: an actor in two networks counts in each (the programme's "Netzwerkpartner").
"""

from django.db.models import CharField, Count, DecimalField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akteure.models import Bereich, Einrichtungsart, Kontaktperson
from atlas.diagramme import anteil, balkendiagramm
from atlas.tabellen import KOMMAZAHL, ZAHL, Spalte, Tabelle

from .models import Partnerschaft

KOORDINATION = Partnerschaft.Rolle.KOORDINATION


def arten_mit_anzahl(partnerschaften):
    """Einrichtungsarten with `anzahl`, the number of the given partnerships with an actor of
    that type; types without any are left out. Most first."""
    return (
        Einrichtungsart.objects.filter(akteure__partnerschaften__in=partnerschaften.values("pk"))
        .annotate(anzahl=Count("akteure__partnerschaften"))
        .order_by("-anzahl", "bereich", "reihenfolge", "name", "pk")
    )


def partnerstruktur(partnerschaften):
    """The chart's data: balkendiagramm() of the partner types, plus `zeilen` for the table
    (Einrichtungsart, anzahl, anteil)."""
    arten = list(arten_mit_anzahl(partnerschaften))
    diagramm = balkendiagramm((art.name, art.anzahl) for art in arten)
    diagramm["zeilen"] = [(art, art.anzahl, anteil(art.anzahl, diagramm["summe"])) for art in arten]
    return diagramm


class PartnerstrukturTabelle(Tabelle):
    """The chart's numbers as a file: one row per Einrichtungsart."""

    name = "partnerstruktur"
    titel = gettext_lazy("Partnerstruktur")

    def __init__(self, summe):
        self.summe = summe

    def spalten(self, request, *, intern, filterset=None):
        return [
            Spalte(gettext_lazy("Einrichtungsart"), "name", breite=36),
            Spalte(gettext_lazy("Bereich"), "bereich", breite=28, wahl=Bereich),
            Spalte(gettext_lazy("Partner (Anzahl)"), "anzahl", ZAHL, breite=12),
            Spalte(
                gettext_lazy("Anteil (%)"),
                Cast(
                    F("anzahl") * Value(100.0) / Value(self.summe or 1),
                    DecimalField(max_digits=5, decimal_places=1),
                ),
                KOMMAZAHL,
                breite=12,
                schluessel="anteil",
            ),
        ]


def mit_regelpruefung(netzwerke):
    """Networks annotated for the programme rules: `partnerzahl` (counting partners),
    `hat_koordination`, `koordination_qualifiziert` (a contact person of the coordinating
    partner names the programme's required qualification; True when none is required)."""
    koordination = Partnerschaft.objects.filter(
        Partnerschaft.objects.zaehlt_q(), netzwerk=OuterRef("pk"), rolle=KOORDINATION
    )
    # One filter() call: the conditions hold for the same partnership row.
    qualifiziert = Kontaktperson.objects.filter(
        Partnerschaft.objects.zaehlt_q("akteur__partnerschaften__"),
        akteur__partnerschaften__netzwerk=OuterRef("pk"),
        akteur__partnerschaften__rolle=KOORDINATION,
        qualifikationen__icontains=Cast(
            OuterRef("programm__koordination_qualifikation"), CharField()
        ),
    )
    return netzwerke.mit_partnerzahl().annotate(
        hat_koordination=Exists(koordination),
        koordination_qualifiziert=Exists(qualifiziert),
    )


def regelverstoesse(netzwerk):
    """What `netzwerk` (annotated by mit_regelpruefung) misses of its programme's rules, in
    German; empty when it meets them."""
    programm = netzwerk.programm
    fehlt = []
    minimum = programm.mindestanzahl_partner
    if minimum and netzwerk.partnerzahl < minimum:
        fehlt.append(
            _("%(anzahl)s von mindestens %(minimum)s Partnern")
            % {"anzahl": netzwerk.partnerzahl, "minimum": minimum}
        )
    if not netzwerk.hat_koordination:
        fehlt.append(_("kein koordinierender Partner"))
    elif programm.koordination_qualifikation and not netzwerk.koordination_qualifiziert:
        fehlt.append(
            _("beim koordinierenden Partner keine Fachkraft mit „%(qualifikation)s“")
            % {"qualifikation": programm.koordination_qualifikation}
        )
    return fehlt


def netzwerke_mit_verstoessen(netzwerke):
    """[(network, misses)] of the networks that miss a rule of their programme, by name."""
    geprueft = mit_regelpruefung(netzwerke.select_related("programm", "region")).order_by(
        "name", "pk"
    )
    return [(n, fehlt) for n in geprueft if (fehlt := regelverstoesse(n))]
