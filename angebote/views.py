from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from akteure.models import Kontaktperson, Sozialraum
from atlas.karte import Karteninhalt, KartenView
from atlas.listen import (
    OrtListeMixin,
    Zeilenabfrage,
    auswahl_objekte,
    auswahlgruppe,
    auswahlliste,
    karten_einstellungen,
    merkmalgruppe,
    versteckte_felder,
)

from . import suchindex
from .filters import (
    AngebotFilterSet,
    IndexAuswertung,
    auswerten,
    auswerten_mit_index,
    mit_entfernung,
    punkte_mit_index,
)
from .models import LEBENSPHASEN, Angebot, Thema, listenzeilen, verschlagwortung

PRO_SEITE = 20
LISTENFELDER = (
    "titel",
    "slug",
    "ort",
    "format",
    "kosten",
    "anmeldung_erforderlich",
    "alter_von_monate",
    "alter_bis_monate",
    "anbieter_name",
    "sprachen_ids",
    "geprueft_am",  # the hint on outdated records
    "erstellt_am",
)
# The filter form beside the list: yes/no boxes, checkbox groups with counts, and the search
# parameters of the form above it, which it carries along as hidden fields.
MERKMALE = ("kostenlos", "barrierefrei", "kinderbetreuung", "ohne_anmeldung")
AUSWAHLGRUPPEN = ("format", "thema", "sprache")  # and "zielgruppe", see get_context_data
VERSTECKT = (
    "q",
    "wo",
    "lat",
    "lon",
    "alter",
    "netzwerk",
    "anbieter",
    "einrichtungsart",
)

ANGEBOTE = Karteninhalt(
    schluessel="angebote",
    sortierung="titel",
    geometrie_index=True,
    abfrage=lambda qs: qs.select_related(None).only(
        "titel", "slug", "strasse", "plz", "ort", "anbieter_name"
    ),
    eintrag=lambda a: {
        "titel": a.titel,
        "url": a.get_absolute_url(),
        "anbieter": a.anbieter_name,
        "adresse": a.adresse,
    },
)


def veroeffentlichte_angebote():
    return Angebot.objects.veroeffentlicht().select_related("anbieter")


def listenangebote():
    """The offerings of the public lists, their maps and files: published, valid today and not
    outdated (fuer_listen). The provider's status and name come from the row's copy
    (`anbieter_status`, `anbieter_name`, migration 0033): no provider is joined or read."""
    return Angebot.objects.filter(
        Angebot.objects.veroeffentlicht_q(anbieter_kopie=True)
    ).fuer_listen()


class StartView(TemplateView):
    template_name = "angebote/start.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=AngebotFilterSet(queryset=Angebot.objects.none()),
            lebensphasen=LEBENSPHASEN,
            hauptthemen=Thema.objects.filter(oberthema__isnull=True),
            **kwargs,
        )


class LeichteSpracheView(TemplateView):
    """The site explained in Leichte Sprache (German; linked from every page)."""

    template_name = "angebote/leichte_sprache.html"


# AngebotListView.get_queryset() by day and settings (one entry), with the statement that
# reads a page's rows from it.
_LISTENZEILEN = {}


class IndexZeilen:
    """The rows the in-memory index found, in its order, as a sequence: a part of it is read
    by id alone (`lesen`, a Zeilenabfrage of the published offerings with only the list's
    columns), one statement, and put into the index's order. The list's `object_list` when
    the index answers: the filter was the index's, and the FilterSet's SQL is never built."""

    def __init__(self, lesen, auswertung):
        self.lesen, self.auswertung = lesen, auswertung
        self.model = lesen.queryset.model

    def __len__(self):
        return self.auswertung.anzahl

    def __getitem__(self, teil):
        ids = self.auswertung.ids[self.auswertung.ordnung[teil]].tolist()
        nach_id = {a.pk: a for a in self.lesen(ids)}
        # A row changed since the index read it (unpublished this instant) is left out.
        return [nach_id[i] for i in ids if i in nach_id]

    def __iter__(self):
        return iter(self[:])


class TrefferPaginator(Paginator):
    """Count and page ids from the statement that also counts the facets (`auswerten`), or
    from the in-memory index (`object_list` then an IndexZeilen)."""

    def __init__(self, object_list, per_page, *, auswertung, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.auswertung = auswertung

    @cached_property
    def count(self):
        return self.auswertung.anzahl

    def page(self, number):
        number = self.validate_number(number)
        if isinstance(self.object_list, IndexZeilen):
            von = (number - 1) * self.per_page
            return self._get_page(self.object_list[von : von + self.per_page], number, self)
        ids = self.auswertung.seite(number)
        # The ids only pick the rows: order, annotations and the filter stay the list's.
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class AngebotListView(OrtListeMixin, FilterView):
    """The offerings list; its FilterSet also drives the map data and the exports."""

    filterset_class = AngebotFilterSet
    template_name = "angebote/angebot_list.html"
    paginate_by = PRO_SEITE
    strict = False  # an invalid field is left out and explained, the rest still filters

    def get_queryset(self):
        # Only what a row shows (angebote/templatetags/trefferliste.py): no description, no
        # search vector.
        # Built once a day per process (its SQL names the day records count as outdated from,
        # fuer_listen; "today" of the validity is the database's); each request gets a copy.
        return self._listenzeilen()[0].all()

    @staticmethod
    def _listenzeilen():
        """(the list's rows as a queryset, its Zeilenabfrage), made once a day."""
        schluessel = (timezone.localdate(), settings.VERALTET_ANZEIGE, settings.VERALTET_MONATE)
        if (gemerkt := _LISTENZEILEN.get(schluessel)) is None:
            _LISTENZEILEN.clear()
            queryset = listenangebote().only(*LISTENFELDER)
            gemerkt = _LISTENZEILEN[schluessel] = (queryset, Zeilenabfrage(queryset))
        return gemerkt

    def get(self, request, *args, **kwargs):
        # As FilterView.get (not strict: an invalid field is left out and explained).
        self.filterset = self.get_filterset(self.get_filterset_class())
        if isinstance(self.auswertung, IndexAuswertung):
            if ort := self.filterset.ort:
                # A place search's rows show their distance or area, as the SQL path annotates:
                # a statement of its own. The FilterSet's unfiltered queryset is
                # get_queryset()'s.
                lesen = Zeilenabfrage(
                    mit_entfernung(
                        self.filterset.queryset, ort[0], self.filterset.gebiet_am_ort()[0]
                    )
                )
            else:
                lesen = self._listenzeilen()[1]
            self.object_list = IndexZeilen(lesen, self.auswertung)
        else:
            self.object_list = self.filterset.qs
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    @cached_property
    def auswertung(self):
        try:
            seite = max(int(self.request.GET.get(self.page_kwarg) or 1), 1)
        except ValueError:
            seite = 1  # the paginator explains the bad number and shows page 1
        return auswerten_mit_index(self.filterset, seite=seite, pro_seite=PRO_SEITE) or auswerten(
            self.filterset.qs, seite=seite, pro_seite=PRO_SEITE
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        return TrefferPaginator(queryset, per_page, auswertung=self.auswertung, **kwargs)

    def facetten(self):
        return self.auswertung.facetten

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset, zahlen = self.filterset, context["facetten"]
        context.update(
            object_list=listenzeilen(context["object_list"]),
            versteckt=versteckte_felder(filterset, VERSTECKT),
            filtergruppen=[
                merkmalgruppe(filterset, zahlen, _("Besonders wichtig"), MERKMALE),
                *(auswahlgruppe(filterset, zahlen, name) for name in AUSWAHLGRUPPEN),
                # "Fachkräfte" is always offered: its offerings are not among the family results
                # counted here, so ticking it widens them (AngebotFilterSet.filter_queryset).
                auswahlgruppe(
                    filterset,
                    zahlen,
                    "zielgruppe",
                    immer={
                        z.slug
                        for z in auswahl_objekte(filterset.form.fields["zielgruppe"])
                        if z.fachpublikum
                    },
                ),
                auswahlliste(filterset, "phase"),
                # The areas in tree order: Landkreis, its Gemeinden, their Stadtteile.
                auswahlliste(
                    filterset,
                    "sozialraum",
                    choices=[
                        ("", _("alle Regionen")),
                        *suchindex.gelesen(Sozialraum.objects.auswahl, "sozialraum"),
                    ],
                ),
                # Relevance first when there is a query, else distance when there is a place,
                # else name; "Relevanz" and "Entfernung" are choices only with a query or place.
                auswahlliste(
                    filterset,
                    "sortierung",
                    ohne=tuple(
                        wahl
                        for wahl, moeglich in (
                            ("relevanz", filterset.suchanfrage),
                            ("entfernung", filterset.ort),
                        )
                        if not moeglich
                    ),
                    standard="relevanz"
                    if filterset.suchanfrage
                    else "entfernung"
                    if filterset.ort
                    else "name",
                    label=_("Sortieren nach"),
                    filtert=False,
                ),
            ],
        )
        return context


class AngebotKarteView(KartenView):
    filterset_class = AngebotFilterSet
    inhalt = ANGEBOTE

    def get_queryset(self):
        return listenangebote()

    def punkte(self, filterset):
        return punkte_mit_index(filterset)


class AngebotDetailView(DetailView):
    template_name = "angebote/angebot_detail.html"
    context_object_name = "angebot"

    def get_queryset(self):
        return (
            veroeffentlichte_angebote()
            .select_related("netzwerk", "anbieter__einrichtungsart")
            .mit_veroeffentlicht("netzwerk")
        )

    def get_context_data(self, **kwargs):
        angebot = self.object
        # Topics (list and explanation link) and languages (page and JSON-LD) are shown twice.
        woerter = verschlagwortung(angebot)
        return super().get_context_data(
            termine=angebot.termine.filter(beginn__gte=timezone.now())[:10],
            # Most offerings have no partners: the row's copy of their ids (migration 0031)
            # says so without a query.
            partner=(
                angebot.kooperationspartner.veroeffentlicht()
                if angebot.kooperationspartner_ids
                else []
            ),
            netzwerk=angebot.netzwerk if angebot.netzwerk_veroeffentlicht else None,
            kontaktpersonen=Kontaktperson.objects.veroeffentlicht().filter(akteur=angebot.anbieter),
            karte=karten_einstellungen(),
            json_ld=angebot_json_ld(angebot, self.request, sprachen=woerter["sprachen"]),
            **woerter,
            **kwargs,
        )


def angebot_json_ld(angebot, request, *, sprachen):
    """schema.org description of an offering; json_script escapes it for the page."""
    daten = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": angebot.titel,
        "description": angebot.beschreibung,
        "url": request.build_absolute_uri(angebot.get_absolute_url()),
        "provider": {
            "@type": "Organization",
            "name": angebot.anbieter.name,
            "url": request.build_absolute_uri(angebot.anbieter.get_absolute_url()),
        },
        "isAccessibleForFree": angebot.kosten == "kostenlos",
        "availableLanguage": [s.code for s in sprachen],
    }
    if angebot.adresse:
        daten["areaServed"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": angebot.strasse,
                "postalCode": angebot.plz,
                "addressLocality": angebot.ort,
                "addressCountry": "DE",
            },
        }
        if angebot.standort:
            daten["areaServed"]["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": round(angebot.standort.y, 6),
                "longitude": round(angebot.standort.x, 6),
            }
    return daten
