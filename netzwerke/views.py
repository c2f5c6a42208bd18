"""Public network pages: a filterable list with a map of network sites, and the Steckbrief."""

import datetime
from collections import Counter, defaultdict
from itertools import groupby
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from akteure.bereich import amtsregionen
from akteure.models import Akteur, Sozialraum
from akteure.views import AKTEURE
from atlas.karte import Karteninhalt, KartenView, ausschnitt, kartendaten
from atlas.listen import (
    NachsichtigBlaetternMixin,
    aktive_filter,
    karten_einstellungen,
    slug_url,
)
from atlas.planung import mit_zufallszugriff
from atlas.rollen import ist_staff
from atlas.tabellen import export_antwort, fehlerseite, zugang

from .filters import NetzwerkFilterSet, in_gebiet, regionen_mit_netzwerken
from .models import STECKBRIEF, Netzwerk, Partnerschaft, Programm
from .struktur import (
    PartnerstrukturTabelle,
    arten_mit_anzahl,
    netzwerke_mit_verstoessen,
    partnerstruktur,
    struktur_aus,
)

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
        # The published partners per network as a subquery, not a join grouped over all
        # networks: PostgreSQL computes it for the page's 20 rows only (after ORDER BY …
        # LIMIT), and the paginator's count leaves it out (bench/RESULTS-suchindex.md).
        partner = (
            Partnerschaft.objects.veroeffentlicht()
            .filter(netzwerk=OuterRef("pk"))
            .order_by()
            .values("netzwerk")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return mit_koordination(veroeffentlichte_netzwerke().fuer_listen()).annotate(
            partnerzahl=Coalesce(Subquery(partner), 0)
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
        zeilen = angebote[:10].listenzeilen()
        standorte = Akteur.objects.filter(pk__in=partnerliste(netzwerk).values("akteur_id"))
        return super().get_context_data(
            steckbrief=steckbrief(netzwerk),
            koordination=next((p for p in partner if p.rolle == KOORDINATION), None),
            partnergruppen=[
                (art, list(gruppe))
                for art, gruppe in groupby(partner, key=lambda p: p.akteur.einrichtungsart)
            ],
            partnerzahl=len(partner),
            struktur=partnerstruktur(partnerliste(netzwerk)),
            projekttraeger_veroeffentlicht=netzwerk.projekttraeger_veroeffentlicht,
            angebote=zeilen,
            # The page shows the first of all its offerings; the linked list and the brochure
            # (the list's FilterSet) leave out those for professionals only: "Alle N Angebote"
            # and the brochure's "too many" hint count what the list shows.
            angebote_anzahl=angebote.fuer_familien().count(),
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


# --- Partner structure: a network, a programme, a region --------------------------------------


def region_aus_anfrage(request):
    """The `?region=` of a request: (Sozialraum or None, German message or "")."""
    slug = request.GET.get("region", "").strip()
    if not slug:
        return None, ""
    raum = Sozialraum.objects.filter(slug=slug).first()
    if raum is None:
        return None, _(
            "Die Region „%(region)s“ gibt es nicht. Bitte wählen Sie eine Region aus der Liste."
        ) % {"region": slug[:60]}
    return raum, ""


def netzwerke_des_programms(programm, raum=None):
    """The published networks of `programm` (in region `raum` and below, if given)."""
    netzwerke = Netzwerk.objects.veroeffentlicht().filter(programm=programm)
    return netzwerke.filter(in_gebiet("region", raum)) if raum else netzwerke


class ProgrammListView(TemplateView):
    """All programmes with their networks and, for a region, the partner structure there."""

    template_name = "netzwerke/programm_list.html"

    def get(self, request, *args, **kwargs):
        raum, fehler = region_aus_anfrage(request)
        netzwerke = Netzwerk.objects.veroeffentlicht()
        if raum:
            netzwerke = netzwerke.filter(in_gebiet("region", raum))
        programme = Programm.objects.annotate(
            netzwerkzahl=Count("netzwerke", filter=Q(netzwerke__in=netzwerke.values("pk")))
        ).order_by("name")
        kontext = self.get_context_data(
            raum=raum,
            fehler=fehler,
            regionen=regionen_mit_netzwerken().auswahl(),
            programme=programme,
            struktur=None
            if fehler
            else partnerstruktur(
                Partnerschaft.objects.veroeffentlicht().filter(netzwerk__in=netzwerke), viele=True
            ),
        )
        return self.render_to_response(kontext, status=400 if fehler else 200)


class ProgrammDetailView(DetailView):
    """A programme: its rules, the partner structure of its networks, the networks with their
    coordinating body, partner count and freshness on a map; per Land or Kreis with
    `?region=`. Staff see which networks in their scope miss the programme's rules."""

    model = Programm
    template_name = "netzwerke/programm_detail.html"
    context_object_name = "programm"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        raum, fehler = region_aus_anfrage(request)
        kontext = self.get_context_data(object=self.object, raum=raum, fehler=fehler)
        return self.render_to_response(kontext, status=400 if fehler else 200)

    def get_context_data(self, *, raum, fehler, **kwargs):
        programm = self.object
        kontext = super().get_context_data(
            raum=raum,
            fehler=fehler,
            regionen=regionen_mit_netzwerken()
            .filter(
                Exists(
                    Netzwerk.objects.veroeffentlicht().filter(
                        in_gebiet("region", OuterRef("pk")), programm=programm
                    )
                )
            )
            .auswahl(),
            **kwargs,
        )
        if fehler:
            return kontext
        netzwerke = netzwerke_des_programms(programm, raum)
        # One statement for the table's partner counts, the coordinating bodies and the chart:
        # the public partnerships of these networks (their actors looked up by key).
        partner = mit_zufallszugriff(
            Partnerschaft.objects.veroeffentlicht()
            .filter(netzwerk__in=netzwerke)
            .order_by()
            .values_list("pk", "netzwerk_id", "rolle", "akteur__einrichtungsart_id")
        )
        partnerzahl, arten = Counter(), Counter()
        for _pk, netzwerk_id, _rolle, art in partner:
            partnerzahl[netzwerk_id] += 1
            if art is not None:
                arten[art] += 1
        koordinationen = defaultdict(list)
        for p in Partnerschaft.objects.filter(
            pk__in=[pk for pk, _n, rolle, _a in partner if rolle == KOORDINATION]
        ).select_related("akteur"):
            koordinationen[p.netzwerk_id].append(p)
        zeilen = list(netzwerke.select_related("region").order_by("name", "pk"))
        for n in zeilen:
            n.partnerzahl = partnerzahl[n.pk]
            n.koordinationen = koordinationen[n.pk]
        user = self.request.user
        regelpruefung = None
        if ist_staff(user):
            intern = Netzwerk.objects.im_bereich_von(user).filter(programm=programm)
            # A Jugendamt account: the networks of its Amtsbereich only.
            if (bereich := amtsregionen(user)) is not None:
                intern = intern.filter(region__in=bereich)
            if raum:
                intern = intern.filter(in_gebiet("region", raum))
            regelpruefung = netzwerke_mit_verstoessen(intern)
        veraltet_vor = timezone.localdate() - datetime.timedelta(days=365)
        kontext.update(
            netzwerke=zeilen,
            netzwerk_zeilen=netzwerk_zeilen(zeilen, veraltet_vor),
            struktur=struktur_aus(arten),
            regelpruefung=regelpruefung,
            veraltet_vor=veraltet_vor,
            karte=karten_einstellungen(),
            karten_abfrage=urlencode(
                {"programm": programm.slug, **({"region": raum.slug} if raum else {})}
            ),
        )
        return kontext


def netzwerk_zeilen(netzwerke, veraltet_vor):
    """The programme page's table rows as HTML (a programme has hundreds of networks; written
    here, not in a template loop, they cost a fraction): name, region, coordinating body,
    partners, last check, Netzwerkkarte."""
    seite = slug_url("netzwerke:netzwerk_detail")
    karte = slug_url("auswertung:netzwerkkarte")
    karte_text = _('<span class="sr-only">%(name)s: </span>Netzwerkkarte')
    aelter = format_html(' <strong class="regelverstoss">{}</strong>', _("(älter als 12 Monate)"))
    nie = format_html('<strong class="regelverstoss">{}</strong>', _("nie geprüft"))
    zeilen = []
    for n in netzwerke:
        if n.geprueft_am:
            stand = format_html(
                "{}{}",
                n.geprueft_am.strftime("%d.%m.%Y"),
                aelter if n.geprueft_am < veraltet_vor else "",
            )
        else:
            stand = nie
        zeilen.append(
            (
                seite(n.slug),
                n.name,
                n.region.name if n.region else "–",
                "".join(p.akteur.name for p in n.koordinationen) or "–",
                n.partnerzahl,
                stand,
                karte(n.slug),
                mark_safe(karte_text % {"name": escape(n.name)}),  # noqa: S308 – escaped
            )
        )
    return format_html_join(
        "",
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td>'
        '<td class="zahl">{}</td><td>{}</td><td><a href="{}">{}</a></td></tr>\n',
        zeilen,
    )


class PartnerstrukturExportView(View):
    """The partner structure of a network (`netzwerk`) or programme (`programm`) as CSV/XLSX."""

    art = "netzwerk"

    def get(self, request, *, slug, format):
        if self.art == "netzwerk":
            netzwerk = get_object_or_404(Netzwerk.objects.veroeffentlicht(), slug=slug)
            partnerschaften = partnerliste(netzwerk)
            filter_texte = [_("Netzwerk: %(name)s") % {"name": netzwerk.name}]
            zurueck = netzwerk.get_absolute_url()
        else:
            programm = get_object_or_404(Programm, slug=slug)
            raum, fehler = region_aus_anfrage(request)
            zurueck = reverse("programme:programm_detail", kwargs={"slug": slug})
            if fehler:
                return fehlerseite(request, [fehler], zurueck=zurueck)
            partnerschaften = Partnerschaft.objects.veroeffentlicht().filter(
                netzwerk__in=netzwerke_des_programms(programm, raum)
            )
            filter_texte = [_("Programm: %(name)s") % {"name": programm.name}]
            if raum:
                filter_texte.append(_("Region: %(name)s") % {"name": raum.name})
        abgelehnt = zugang(request, intern=False, recht="", zurueck=zurueck)
        if abgelehnt is not None:
            return abgelehnt
        arten = arten_mit_anzahl(partnerschaften)
        summe = sum(arten.values_list("anzahl", flat=True))
        return export_antwort(
            request,
            tabelle=PartnerstrukturTabelle(summe),
            queryset=arten,
            format=format,
            intern=False,
            filter_texte=filter_texte,
            stamm=f"partnerstruktur-{slug}",
        )
