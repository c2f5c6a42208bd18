"""Public network pages: a filterable list with a map of network sites, and the Steckbrief."""

from itertools import groupby

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.views.generic import DetailView
from django_filters.views import FilterView

from akteure.models import Akteur
from akteure.views import AKTEURE
from atlas.karte import Karteninhalt, KartenView, ausschnitt, kartendaten
from atlas.listen import NachsichtigBlaetternMixin, aktive_filter, karten_einstellungen

from .filters import NetzwerkFilterSet
from .models import STECKBRIEF, Netzwerk, Partnerschaft

KOORDINATION = Partnerschaft.Rolle.KOORDINATION


def mit_koordination(netzwerke):
    """Attach the published coordinating partner as `koordinationen` (a list of at most one)."""
    return netzwerke.prefetch_related(
        Prefetch(
            "partnerschaften",
            queryset=Partnerschaft.objects.veroeffentlicht()
            .filter(rolle=KOORDINATION)
            .select_related("akteur"),
            to_attr="koordinationen",
        )
    )


def veroeffentlichte_netzwerke():
    return (
        Netzwerk.objects.veroeffentlicht()
        .select_related("programm", "region")
        .order_by("name", "pk")
    )


# A network sits on the map where its coordinating partner is: one marker per network, so the
# map counts what the list counts (minus networks without a placed, published coordinator).
NETZWERKE = Karteninhalt(
    schluessel="netzwerke",
    punkt=Subquery(
        Partnerschaft.objects.veroeffentlicht()
        .filter(netzwerk=OuterRef("pk"), rolle=KOORDINATION)
        .order_by()
        .values("akteur__standort")[:1]
    ),
    abfrage=lambda qs: mit_koordination(qs.select_related("programm")),
    eintrag=lambda n: {
        "titel": n.name,
        "url": n.get_absolute_url(),
        "art": n.programm.name,
        "adresse": ", ".join(
            teil for p in n.koordinationen for teil in (p.akteur.name, p.akteur.adresse) if teil
        ),
    },
)


class NetzwerkListView(NachsichtigBlaetternMixin, FilterView):
    filterset_class = NetzwerkFilterSet
    template_name = "netzwerke/netzwerk_list.html"
    paginate_by = 20
    strict = False  # an invalid field is left out and explained, the rest still filters

    def get_queryset(self):
        return mit_koordination(veroeffentlichte_netzwerke().fuer_listen()).annotate(
            partnerzahl=Count(
                "partnerschaften",
                filter=Partnerschaft.objects.veroeffentlicht_q("partnerschaften__"),
                distinct=True,
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            chips=aktive_filter(self.filterset), karte=karten_einstellungen(), **kwargs
        )


class NetzwerkKarteView(KartenView):
    filterset_class = NetzwerkFilterSet
    inhalt = NETZWERKE

    def get_queryset(self):
        return veroeffentlichte_netzwerke().fuer_listen()


class NetzwerkDetailView(DetailView):
    template_name = "netzwerke/netzwerk_detail.html"
    context_object_name = "netzwerk"

    def get_queryset(self):
        return (
            veroeffentlichte_netzwerke()
            .select_related("projekttraeger", "region__uebergeordnet__uebergeordnet__uebergeordnet")
            .mit_veroeffentlicht("projekttraeger")
        )

    def get_context_data(self, **kwargs):
        netzwerk = self.object
        partner = list(partnerliste(netzwerk))
        # The offerings' own QuerySet (angebote) makes the list rows: no import upward.
        angebote = netzwerk.angebote.veroeffentlicht().select_related("anbieter")
        standorte = Akteur.objects.filter(pk__in=partnerliste(netzwerk).values("akteur_id"))
        return super().get_context_data(
            steckbrief=steckbrief(netzwerk),
            koordination=next((p for p in partner if p.rolle == KOORDINATION), None),
            partnergruppen=[
                (art, list(gruppe))
                for art, gruppe in groupby(partner, key=lambda p: p.akteur.einrichtungsart)
            ],
            partnerzahl=len(partner),
            projekttraeger_veroeffentlicht=netzwerk.projekttraeger_veroeffentlicht,
            angebote=angebote[:10].listenzeilen(),
            angebote_anzahl=angebote.count(),
            # Few points: embedded in the page (json_script) instead of a second request.
            partnerkarte=kartendaten(standorte, **ausschnitt(None), inhalt=AKTEURE),
            karte=karten_einstellungen(),
            **kwargs,
        )


def partnerliste(netzwerk):
    """The partner list of the detail page (its export uses the same query)."""
    return (
        Partnerschaft.objects.veroeffentlicht()
        .filter(netzwerk=netzwerk)
        .select_related("akteur__einrichtungsart")
        .order_by(
            "akteur__einrichtungsart__bereich",
            "akteur__einrichtungsart__reihenfolge",
            "akteur__einrichtungsart__name",
            "akteur__name",
            "pk",
        )
    )


def steckbrief(netzwerk):
    """The filled Steckbrief sections as (heading, blocks, text); headings are the field labels,
    the text is the visitor's language where translated (atlas.uebersetzung.Feldtext)."""
    return [
        (Netzwerk._meta.get_field(feld).verbose_name, bloecke(text.text), text)
        for feld in STECKBRIEF
        if getattr(netzwerk, feld).strip() and (text := netzwerk.texte[feld])
    ]


def _blockart(zeile):
    return "liste" if zeile.startswith("- ") else "absatz" if zeile else ""


def bloecke(text):
    """Paragraphs and lists of a Steckbrief text: runs of lines starting with "- " are a list,
    other lines a paragraph, blank lines separate."""
    ergebnis = []
    for art, zeilen in groupby((z.strip() for z in text.splitlines()), key=_blockart):
        if art == "liste":
            ergebnis.append((art, [z[2:].strip() for z in zeilen]))
        elif art == "absatz":
            ergebnis.append((art, "\n".join(zeilen)))
    return ergebnis
