"""Partner structure of networks (partner types with counts and shares) and the programme rules.

The Elternbegleitung programme charts "An den Netzwerken beteiligte Einrichtungen" by type
(seeds/000); the same chart is drawn for one network, a programme and a region. Counted are
partnerships: an actor in two networks counts in each (the programme's "Netzwerkpartner").
"""

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akteure.models import Bereich, Einrichtungsart, Kontaktperson
from atlas.diagramme import anteil, balkendiagramm
from atlas.planung import mit_zufallszugriff
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


def arten_zaehlen(partnerschaften, *, viele=False):
    """{Einrichtungsart id: number of the given partnerships with an actor of that type}, one
    grouped statement over the partnerships; `viele` (thousands of partnerships): the actors
    looked up by key all the same (atlas.planung)."""
    gruppen = (
        partnerschaften.filter(akteur__einrichtungsart__isnull=False)
        .order_by()
        .values_list("akteur__einrichtungsart_id")
        .annotate(n=Count("pk"))
    )
    return dict(mit_zufallszugriff(gruppen) if viele else gruppen)


def struktur_aus(anzahlen):
    """partnerstruktur() from {Einrichtungsart id: count} (counts of 0 left out): the types in
    arten_mit_anzahl()'s order (most first, then the vocabulary's order)."""
    arten = [
        art
        for art in Einrichtungsart.objects.filter(
            pk__in=[pk for pk, n in anzahlen.items() if n]
        ).order_by("bereich", "reihenfolge", "name", "pk")
    ]
    for art in arten:
        art.anzahl = anzahlen[art.pk]
    arten.sort(key=lambda art: -art.anzahl)  # stable: ties keep the vocabulary's order
    diagramm = balkendiagramm((art.name, art.anzahl) for art in arten)
    diagramm["zeilen"] = [(art, art.anzahl, anteil(art.anzahl, diagramm["summe"])) for art in arten]
    return diagramm


def partnerstruktur(partnerschaften, *, viele=False):
    """The chart's data: balkendiagramm() of the partner types, plus `zeilen` for the table
    (Einrichtungsart, anzahl, anteil)."""
    return struktur_aus(arten_zaehlen(partnerschaften, viele=viele))


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
    # A correlated count rather than mit_partnerzahl()'s join and GROUP BY: the network's wide
    # rows are not sorted and grouped, and the Exists below run once per network, not once per
    # partner (bench/RESULTS-auswertung.md).
    zaehlende = (
        Partnerschaft.objects.filter(Partnerschaft.objects.zaehlt_q(), netzwerk=OuterRef("pk"))
        .order_by()
        .values("netzwerk")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return netzwerke.annotate(
        partnerzahl=Coalesce(Subquery(zaehlende), 0),
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
