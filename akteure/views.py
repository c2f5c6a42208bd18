"""Public actor pages: a filterable list with its map, and a detail page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from akteure.models import Akteur, Kontaktperson
from atlas.karte import Karteninhalt, KartenView
from atlas.listen import (
    OrtListeMixin,
    auswahlgruppe,
    auswahlliste,
    karten_einstellungen,
    merkmalgruppe,
    versteckte_felder,
)

from . import suchindex
from .erklaerungen import ERKLAERUNGEN
from .filters import AkteurFilterSet, facetten

AKTEURE = Karteninhalt(
    schluessel="akteure",
    abfrage=lambda qs: qs.select_related("einrichtungsart").only(
        "name", "slug", "strasse", "plz", "ort", "einrichtungsart__name"
    ),
    eintrag=lambda a: {
        "titel": a.name,
        "url": a.get_absolute_url(),
        "art": a.einrichtungsart.name,
        "adresse": a.adresse,
    },
)


def veroeffentlichte_akteure():
    return Akteur.objects.veroeffentlicht().select_related("einrichtungsart")


class GezaehlterPaginator(Paginator):
    """A paginator whose count is known (from the index): the page alone is asked of SQL.

    `ids`: the ids in list order from the index: the page's rows are read by id alone from
    `zeilen` (the published actors) and put into that order."""

    def __init__(self, object_list, per_page, *, anzahl, ids=None, zeilen=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.anzahl, self.ids, self.zeilen = anzahl, ids, zeilen

    @cached_property
    def count(self):
        return self.anzahl

    def page(self, number):
        if self.ids is None:
            return super().page(number)
        number = self.validate_number(number)
        von = (number - 1) * self.per_page
        ids = self.ids[von : von + self.per_page].tolist()
        nach_id = {a.pk: a for a in self.zeilen.filter(pk__in=ids)}
        return self._get_page([nach_id[i] for i in ids if i in nach_id], number, self)


class AkteurListView(OrtListeMixin, FilterView):
    """The actor list; its FilterSet also drives the map data."""

    filterset_class = AkteurFilterSet
    template_name = "akteure/akteur_list.html"
    paginate_by = 20
    strict = False  # an invalid field is left out and explained, the rest still filters

    def get_queryset(self):
        return veroeffentlichte_akteure().fuer_listen().prefetch_related("sprachen")

    @cached_property
    def auswertung(self):
        """(count, facet counts, ids in list order) from the in-memory index; None: all in
        SQL."""
        return suchindex.auswerten(self.filterset)

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.auswertung is None:
            return super().get_paginator(queryset, per_page, **kwargs)
        anzahl, _, ids = self.auswertung
        # The FilterSet's unfiltered queryset is get_queryset()'s (built once per request).
        return GezaehlterPaginator(
            queryset, per_page, anzahl=anzahl, ids=ids, zeilen=self.filterset.queryset, **kwargs
        )

    def facetten(self):
        if self.auswertung is None:
            return facetten(self.filterset)
        return self.auswertung[1]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, zahlen = self.filterset, context["facetten"]
        context.update(
            versteckt=versteckte_felder(filterset, ("q", "wo", "lat", "lon")),
            filtergruppen=[
                merkmalgruppe(filterset, zahlen, _("Zugang"), ["barrierefrei"]),
                auswahlliste(filterset, "bereich"),
                *(
                    auswahlgruppe(filterset, zahlen, name)
                    for name in ("einrichtungsart", "sprache")
                ),
            ],
        )
        return context


class AkteurKarteView(KartenView):
    filterset_class = AkteurFilterSet
    inhalt = AKTEURE

    def get_queryset(self):
        return veroeffentlichte_akteure().fuer_listen()


class ErklaerungenView(TemplateView):
    """Short explanations of the kinds of institution ("Was ist ein Jugendamt?")."""

    template_name = "akteure/erklaerungen.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(erklaerungen=ERKLAERUNGEN, **kwargs)


class AkteurDetailView(DetailView):
    template_name = "akteure/akteur_detail.html"
    context_object_name = "akteur"

    def get_queryset(self):
        return (
            veroeffentlichte_akteure()
            .select_related("traeger", "sozialraum")
            .mit_veroeffentlicht("traeger")
            .prefetch_related("sprachen")
        )

    def get_context_data(self, **kwargs):
        akteur = self.object
        # The offerings' own QuerySet (angebote) makes the list rows: no import upward.
        angebote = akteur.angebote.veroeffentlicht().select_related("anbieter")
        zeilen = angebote[:20].listenzeilen()
        return super().get_context_data(
            traeger_veroeffentlicht=akteur.traeger_veroeffentlicht,
            angebote=zeilen,
            # The page shows the first 20 of all its offerings; the linked list and the brochure
            # (the list's FilterSet) leave out those for professionals only: "Alle N Angebote"
            # and the brochure's "too many" hint count what the list shows.
            angebote_anzahl=angebote.fuer_familien().count(),
            weitere_angebote=len(zeilen) == 20 and angebote.count() > 20,
            partnerschaften=akteur.partnerschaften.veroeffentlicht()
            .select_related("netzwerk__programm")
            .order_by("netzwerk__name"),
            einrichtungen=akteur.einrichtungen.veroeffentlicht().select_related("einrichtungsart"),
            kontaktpersonen=Kontaktperson.objects.veroeffentlicht().filter(akteur=akteur),
            karte=karten_einstellungen(),
            json_ld=akteur_json_ld(akteur, self.request),
            **kwargs,
        )


def akteur_json_ld(akteur, request):
    """schema.org Organization with its address and position; the json_ld filter escapes it."""
    daten = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": akteur.name,
        "description": akteur.beschreibung,
        "url": request.build_absolute_uri(akteur.get_absolute_url()),
        "knowsLanguage": [s.code for s in akteur.sprachen.all()],
    }
    daten.update(
        {
            schluessel: wert
            for schluessel, wert in [
                ("telephone", akteur.telefon),
                ("email", akteur.email),
                ("sameAs", akteur.website),
            ]
            if wert
        }
    )
    if akteur.traeger_veroeffentlicht:
        daten["parentOrganization"] = {
            "@type": "Organization",
            "name": akteur.traeger.name,
            "url": request.build_absolute_uri(akteur.traeger.get_absolute_url()),
        }
    if akteur.adresse:
        daten["address"] = {
            "@type": "PostalAddress",
            "streetAddress": akteur.strasse,
            "postalCode": akteur.plz,
            "addressLocality": akteur.ort,
            "addressCountry": "DE",
        }
    if akteur.standort:
        geo = {
            "@type": "GeoCoordinates",
            "latitude": round(akteur.standort.y, 6),
            "longitude": round(akteur.standort.x, 6),
        }
        daten["location"] = {"@type": "Place", "geo": geo}
        if "address" in daten:
            daten["location"]["address"] = daten["address"]
    return daten
