"""Exports of the network list, of a network's partner list and of its contact list.

The contact list (partners with their contact persons, one row per person) is for mail merges
and therefore staff-only and scoped: a coordinator gets it for the networks they coordinate.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akteure.exports import link_spalten, personen, pruef_spalten
from akteure.models import Akteur, Kontaktperson
from atlas.models import Status
from atlas.tabellen import (
    DATUM,
    JANEIN,
    KOMMAZAHL,
    ZAHL,
    Breite,
    Laenge,
    ListenExportMixin,
    Spalte,
    Tabelle,
    aufzaehlung,
    export_antwort,
    link,
    sichtbarer_wert,
    uebersetzungs_spalten,
    verbunden,
    zugang,
)

from .models import STECKBRIEF_SPALTEN, Netzwerk, Partnerschaft
from .views import NetzwerkDetailView, NetzwerkListView, partnerliste

KOORDINATION = Partnerschaft.Rolle.KOORDINATION


def koordination(partnerschaften, feld):
    """A field of the network's coordinating partner, from the given (visible) memberships."""
    return Subquery(
        partnerschaften.filter(netzwerk=OuterRef("pk"), rolle=KOORDINATION)
        .order_by()
        .values(feld)[:1]
    )


def anzahl(partnerschaften):
    """How many of the given memberships the network has (0, not NULL, when none)."""
    return Coalesce(
        Subquery(
            partnerschaften.filter(netzwerk=OuterRef("pk"))
            .order_by()
            .values("netzwerk")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


class NetzwerkTabelle(Tabelle):
    name = "netzwerke"
    titel = gettext_lazy("Netzwerke")
    recht = "netzwerke.export_netzwerk"

    def intern_queryset(self, user):
        return Netzwerk.objects.im_bereich_von(user)

    def spalten(self, request, *, intern, filterset=None):
        # Staff files show what the user may read, public files what everyone may.
        leser = request.user if intern else None
        mitglieder = Partnerschaft.objects.sichtbar_fuer(leser)
        spalten = [
            Spalte(gettext_lazy("Name"), "name", breite=40),
            Spalte(gettext_lazy("Programm"), "programm__name", breite=36),
            Spalte(gettext_lazy("Fördergeber"), "programm__foerdergeber", breite=30),
            Spalte(gettext_lazy("Region"), "region__name", breite=24),
            Spalte(
                gettext_lazy("Projektträger"),
                sichtbarer_wert(leser, Akteur, "projekttraeger"),
                breite=30,
                schluessel="projekttraeger",
            ),
            Spalte(gettext_lazy("Förderung von"), "foerderung_von", DATUM, breite=12),
            Spalte(gettext_lazy("Förderung bis"), "foerderung_bis", DATUM, breite=12),
            # Counted as the list counts (public partnerships); staff files count all of their
            # networks' partnerships, which are all in their scope.
            Spalte(
                gettext_lazy("Partner (Anzahl)"),
                anzahl(mitglieder),
                ZAHL,
                breite=10,
                schluessel="partnerzahl",
            ),
            Spalte(
                gettext_lazy("Koordination"),
                koordination(mitglieder, "akteur__name"),
                breite=36,
                schluessel="koordination",
            ),
            Spalte(
                gettext_lazy("Koordination: Telefon"),
                koordination(mitglieder, "akteur__telefon"),
                breite=18,
                schluessel="koordination_telefon",
            ),
            Spalte(
                gettext_lazy("Koordination: E-Mail"),
                koordination(mitglieder, "akteur__email"),
                breite=28,
                schluessel="koordination_email",
            ),
        ]
        if intern:
            spalten += [
                Spalte(
                    gettext_lazy("Koordinator:innen (Benutzerkonten)"),
                    aufzaehlung(
                        Netzwerk.koordinatoren.through.objects,
                        "netzwerk_id",
                        verbunden("user__username", "user__email"),
                        trenner="; ",
                        ordnung="user__username",
                    ),
                    breite=36,
                    schluessel="koordinatoren",
                ),
                *pruef_spalten(),
                # The Steckbrief and its translations, a column per language and section, under
                # the headers the import reads (netzwerke.ressourcen).
                Spalte(gettext_lazy("Kurzname"), "slug", breite=24),
                *(Spalte(titel, feld, breite=60) for feld, titel in STECKBRIEF_SPALTEN.items()),
                *uebersetzungs_spalten(Netzwerk, [(t, f) for f, t in STECKBRIEF_SPALTEN.items()]),
            ]
        return spalten + link_spalten(
            request, "netzwerke:netzwerk_detail", "admin:netzwerke_netzwerk_change", intern=intern
        )


class PartnerTabelle(Tabelle):
    """The partners of one network (or, in the admin, memberships of several)."""

    name = "partnerschaften"
    titel = gettext_lazy("Partner")
    standort = "akteur__standort"
    recht = "netzwerke.export_partnerschaft"

    def __init__(self, *, mit_netzwerk=False):
        self.mit_netzwerk = mit_netzwerk

    def intern_queryset(self, user):
        return Partnerschaft.objects.im_bereich_von(user)

    def spalten(self, request, *, intern, filterset=None):
        spalten = [Spalte(gettext_lazy("Netzwerk"), "netzwerk__name", breite=36)]
        if not self.mit_netzwerk:
            spalten = []
        spalten += [
            Spalte(gettext_lazy("Akteur"), "akteur__name", breite=40),
            Spalte(gettext_lazy("Einrichtungsart"), "akteur__einrichtungsart__name", breite=24),
            Spalte(gettext_lazy("Rolle"), "rolle", wahl=Partnerschaft.Rolle, breite=14),
            Spalte(gettext_lazy("Straße und Hausnummer"), "akteur__strasse", breite=28),
            Spalte(gettext_lazy("PLZ"), "akteur__plz", breite=7),
            Spalte(gettext_lazy("Ort"), "akteur__ort", breite=22),
            Spalte(gettext_lazy("Telefon"), "akteur__telefon", breite=18),
            Spalte(gettext_lazy("E-Mail"), "akteur__email", breite=28),
            Spalte(gettext_lazy("Website"), "akteur__website", breite=30),
            Spalte(
                gettext_lazy("Breite"),
                Breite("akteur__standort"),
                KOMMAZAHL,
                breite=10,
                schluessel="breite",
            ),
            Spalte(
                gettext_lazy("Länge"),
                Laenge("akteur__standort"),
                KOMMAZAHL,
                breite=10,
                schluessel="laenge",
            ),
        ]
        if intern:
            spalten += [
                Spalte(gettext_lazy("seit"), "seit", DATUM, breite=12),
                Spalte(gettext_lazy("bis"), "bis", DATUM, breite=12),
                Spalte(gettext_lazy("Notiz"), "notiz", breite=40),
                Spalte(
                    gettext_lazy("Kontaktpersonen (intern)"),
                    personen(
                        Kontaktperson.objects.sichtbar_fuer(request.user),
                        aussen="akteur_id",
                        intern=True,
                    ),
                    breite=50,
                    schluessel="kontaktpersonen",
                ),
                Spalte(
                    gettext_lazy("Status des Akteurs"), "akteur__status", wahl=Status, breite=14
                ),
                Spalte(gettext_lazy("Akteur geprüft am"), "akteur__geprueft_am", DATUM, breite=12),
            ]
        spalten.append(
            Spalte(
                gettext_lazy("Link"),
                link(request, "akteure:akteur_detail", feld="akteur__slug"),
                breite=40,
                schluessel="link",
            )
        )
        return spalten


class KontaktTabelle(Tabelle):
    """Partners with their contact persons, one row per person, for mail merges."""

    name = "kontakte"
    titel = gettext_lazy("Kontaktliste")
    recht = "akteure.export_kontaktperson"

    def spalten(self, request, *, intern, filterset=None):
        person = "akteur__kontaktpersonen__"
        return [
            Spalte(gettext_lazy("Akteur"), "akteur__name", breite=40),
            Spalte(gettext_lazy("Rolle"), "rolle", wahl=Partnerschaft.Rolle, breite=14),
            Spalte(gettext_lazy("Einrichtungsart"), "akteur__einrichtungsart__name", breite=24),
            Spalte(gettext_lazy("Kontaktperson"), f"{person}name", breite=28),
            Spalte(gettext_lazy("Funktion"), f"{person}funktion", breite=24),
            # The person's address, else the institution's: one column a mail merge can use.
            Spalte(
                gettext_lazy("E-Mail für den Serienbrief"),
                Coalesce(NullIf(f"{person}email", Value("")), NullIf("akteur__email", Value(""))),
                breite=30,
                schluessel="serienbrief_email",
            ),
            Spalte(gettext_lazy("E-Mail der Person"), f"{person}email", breite=28),
            Spalte(gettext_lazy("Telefon der Person"), f"{person}telefon", breite=18),
            Spalte(gettext_lazy("Qualifikationen"), f"{person}qualifikationen", breite=30),
            Spalte(gettext_lazy("öffentlich anzeigen"), f"{person}oeffentlich", JANEIN, breite=10),
            Spalte(gettext_lazy("Einwilligung am"), f"{person}einwilligung_am", DATUM, breite=12),
            Spalte(gettext_lazy("Akteur: E-Mail"), "akteur__email", breite=28),
            Spalte(gettext_lazy("Akteur: Telefon"), "akteur__telefon", breite=18),
            Spalte(gettext_lazy("Straße und Hausnummer"), "akteur__strasse", breite=28),
            Spalte(gettext_lazy("PLZ"), "akteur__plz", breite=7),
            Spalte(gettext_lazy("Ort"), "akteur__ort", breite=22),
            Spalte(gettext_lazy("Status des Akteurs"), "akteur__status", wahl=Status, breite=14),
        ]


NETZWERKE = NetzwerkTabelle()
PARTNER = PartnerTabelle()
KONTAKTE = KontaktTabelle()
# The partnership changelist's export: the network in each row.
PARTNERSCHAFTEN = PartnerTabelle(mit_netzwerk=True)


class NetzwerkExportView(ListenExportMixin, NetzwerkListView):
    """The network list as a file: NetzwerkListView's queryset and FilterSet, every row."""

    tabelle = NETZWERKE
    formate = ("csv", "xlsx")

    def liste_url(self):
        return reverse("netzwerke:netzwerk_list")


class PartnerExportView(NetzwerkDetailView):
    """The partner list of a network's page; staff (`?intern=1`) get every partner in scope."""

    formate = ("csv", "xlsx", "geojson")

    def get(self, request, slug, format):
        if format not in self.formate:
            raise Http404(_("Dieses Format gibt es für diese Liste nicht."))
        intern = request.GET.get("intern") == "1"
        netzwerke = Netzwerk.objects.im_bereich_von(request.user) if intern else self.get_queryset()
        abgelehnt = zugang(request, intern=intern, recht=PARTNER.recht, zurueck=self._zurueck(slug))
        if abgelehnt is not None:
            return abgelehnt
        netzwerk = get_object_or_404(netzwerke, slug=slug)
        if intern:
            partner = (
                PARTNER.intern_queryset(request.user)
                .filter(netzwerk=netzwerk)
                .order_by("rolle", "akteur__name", "pk")
            )
        else:
            partner = partnerliste(netzwerk)
        return export_antwort(
            request,
            tabelle=PARTNER,
            queryset=partner,
            format=format,
            intern=intern,
            filter_texte=[_("Netzwerk: %(name)s") % {"name": netzwerk.name}],
            stamm=f"netzwerk-{netzwerk.slug}-partner",
        )

    def _zurueck(self, slug):
        return reverse("netzwerke:netzwerk_detail", kwargs={"slug": slug})


class KontakteExportView(NetzwerkDetailView):
    """Contact list of a network for mail merges: staff only, networks in the user's scope."""

    formate = ("csv", "xlsx")

    def get(self, request, slug, format):
        if format not in self.formate:
            raise Http404(_("Dieses Format gibt es für diese Liste nicht."))
        abgelehnt = zugang(request, intern=True, recht=KONTAKTE.recht)
        if abgelehnt is not None:
            return abgelehnt
        netzwerk = get_object_or_404(Netzwerk.objects.im_bereich_von(request.user), slug=slug)
        # Scope: the network is the user's, so all its partners and their persons are too.
        zeilen = (
            Partnerschaft.objects.im_bereich_von(request.user)
            .filter(netzwerk=netzwerk)
            .order_by(
                "rolle",
                "akteur__name",
                "akteur_id",
                "akteur__kontaktpersonen__name",
                "akteur__kontaktpersonen__pk",
            )
        )
        return export_antwort(
            request,
            tabelle=KONTAKTE,
            queryset=zeilen,
            format=format,
            intern=True,
            filter_texte=[_("Netzwerk: %(name)s") % {"name": netzwerk.name}],
            stamm=f"netzwerk-{netzwerk.slug}-kontakte",
        )
