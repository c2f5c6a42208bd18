"""The planners' pages: Netzwerkkarte, gap analysis, monitoring."""

import io
from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from akteure.bereich import amtsregionen, eigene_regionen
from akteure.models import Akteur, Bereich, Sozialraum
from angebote.filters import AngebotFilterSet
from angebote.models import LEBENSPHASEN, LEBENSPHASEN_NACH_SLUG, Angebot, Format
from atlas.diagramme import balkendiagramm
from atlas.listen import slug_url
from atlas.protokoll import export_festhalten
from atlas.rollen import ist_staff, sieht_alles
from atlas.tabellen import (
    FORMATE,
    csv_zeile,
    datei_antwort,
    dateiname,
    fehlerseite,
    filter_beschreibung,
    filterfehler,
    kopfblock,
    neutral,
    xlsx_schreiben,
    zugang,
)
from netzwerke.filters import in_gebiet, regionen_mit_netzwerken
from netzwerke.models import Netzwerk, Programm
from netzwerke.views import region_aus_anfrage

from .bedarf import DUENN_HOECHSTENS, bedarfstabelle, choropleth, datei_spalten, datei_zeilen
from .models import Schnappschuss
from .monitoring import kennzahlen, standorte
from .netzwerkkarte import csv_zeilen, graphml, netzwerkkarte_bauen
from .vorschlaege import UMKREISE_KM, partnervorschlaege, vorschlag_annehmen

# A region's Netzwerkkarte with more networks is no longer a picture anyone can read.
HOECHSTENS_NETZWERKE = 60


def netzwerkkarte_datei(request, karte, *, stamm, titel, format):
    """The graph as GraphML or CSV (German Excel: BOM, `;`, CRLF)."""
    abgelehnt = zugang(request, intern=False, recht="")
    if abgelehnt is not None:
        return abgelehnt
    if format == "graphml":
        antwort = HttpResponse(graphml(karte, titel), content_type="application/graphml+xml")
    elif format == "csv":
        text = "".join(csv_zeile([neutral(str(w)) for w in z]) for z in csv_zeilen(karte))
        antwort = HttpResponse(("\ufeff" + text).encode(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404(_("Dieses Format gibt es für diese Liste nicht."))
    return datei_antwort(antwort, dateiname(stamm, format), intern=False)


class NetzwerkkarteView(TemplateView):
    """/netzwerke/<slug>/netzwerkkarte/: one network, its partners and their other networks."""

    template_name = "auswertung/netzwerkkarte.html"
    extra_context = {"bereiche": Bereich.choices}

    def get(self, request, *, slug, format=None):
        netzwerk = get_object_or_404(Netzwerk.objects.veroeffentlicht(), slug=slug)
        karte = netzwerkkarte_bauen(Netzwerk.objects.filter(pk=netzwerk.pk))
        if format:
            return netzwerkkarte_datei(
                request,
                karte,
                stamm=f"netzwerkkarte-{netzwerk.slug}",
                titel=netzwerk.name,
                format=format,
            )
        return self.render_to_response(
            self.get_context_data(
                karte=karte,
                netzwerk=netzwerk,
                titel=_("Netzwerkkarte: %(name)s") % {"name": netzwerk.name},
            )
        )


class RegionNetzwerkkarteView(TemplateView):
    """/auswertung/netzwerkkarte/?region=…: all published networks of a region."""

    template_name = "auswertung/netzwerkkarte.html"
    extra_context = {"bereiche": Bereich.choices}

    def get(self, request, *, format=None):
        raum, fehler = region_aus_anfrage(request)
        kontext = {
            "regionen": regionen_mit_netzwerken().auswahl(),
            "raum": raum,
            "region_seite": True,
            "titel": _("Netzwerkkarte einer Region")
            if raum is None
            else _("Netzwerkkarte: %(name)s") % {"name": raum.name},
        }
        if raum is None and not fehler:
            return self.render_to_response(self.get_context_data(**kontext))
        netzwerke = Netzwerk.objects.veroeffentlicht()
        if raum is not None:
            netzwerke = netzwerke.filter(in_gebiet("region", raum))
            anzahl = netzwerke.count()
            if anzahl > HOECHSTENS_NETZWERKE:
                fehler = _(
                    "In %(region)s gibt es %(anzahl)s Netzwerke – zu viele für eine "
                    "Netzwerkkarte (höchstens %(hoechstens)s). Bitte wählen Sie eine kleinere "
                    "Region."
                ) % {"region": raum.name, "anzahl": anzahl, "hoechstens": HOECHSTENS_NETZWERKE}
        if fehler:
            return self.render_to_response(
                self.get_context_data(fehler=fehler, **kontext), status=400
            )
        karte = netzwerkkarte_bauen(netzwerke)
        if format:
            return netzwerkkarte_datei(
                request, karte, stamm=f"netzwerkkarte-{raum.slug}", titel=raum.name, format=format
            )
        return self.render_to_response(
            self.get_context_data(
                karte=karte,
                datei_abfrage=f"?region={raum.slug}",
                **kontext,
            )
        )


class BedarfView(TemplateView):
    """/auswertung/bedarf/: life phases × the Sozialräume of a region (auswertung.bedarf).

    For Jugendamt and Redaktion (and superusers); for everyone when BEDARF_OEFFENTLICH is set.
    """

    template_name = "auswertung/bedarf.html"
    filter_felder = ("thema", "format", "kostenlos", "sprache")
    masse = {
        "anzahl": gettext_lazy("Zahl der Angebote"),
        "je_1000": gettext_lazy("Angebote je 1.000 Kinder"),
    }

    def get(self, request, format=None):
        if not (settings.BEDARF_OEFFENTLICH or sieht_alles(request.user)):
            if not ist_staff(request.user):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            return self.render_to_response(
                {
                    "verweigert": _(
                        "Die Bedarfsanalyse ist für das Jugendamt und die Redaktion freigegeben. "
                        "Ihrem Konto fehlt diese Rolle."
                    )
                },
                status=403,
            )
        raum, fehler = region_aus_anfrage(request)
        # Not public: a Jugendamt account sees only the areas of its Amtsbereich.
        bereich = None if settings.BEDARF_OEFFENTLICH else amtsregionen(request.user)
        if raum is not None and bereich is not None and not bereich.filter(pk=raum.pk).exists():
            return self.ausserhalb(request, raum, bereich, format)
        meldungen = [fehler] if fehler else []
        daten = QueryDict(mutable=True)
        for name in self.filter_felder:
            daten.setlist(name, request.GET.getlist(name))
        filterset = AngebotFilterSet(
            daten, queryset=Angebot.objects.veroeffentlicht(), request=request
        )
        if not filterset.is_valid():
            meldungen += filterfehler(filterset)
        filter_abfrage = [
            (name, wert) for name in self.filter_felder for wert in daten.getlist(name) if wert
        ]
        if format:
            if raum is None and not meldungen:
                meldungen.append(_("Bitte wählen Sie eine Region."))
            zurueck = reverse("auswertung:bedarf") + (
                "?" + request.GET.urlencode() if request.GET else ""
            )
            if meldungen:
                return fehlerseite(request, meldungen, zurueck=zurueck)
            return self.datei(request, raum, filterset, filter_abfrage, format, zurueck)
        karte_phase = request.GET.get("karte", "0-1")
        mass = request.GET.get("mass", "anzahl")
        if karte_phase not in LEBENSPHASEN_NACH_SLUG or mass not in self.masse:
            meldungen.append(_("Diese Kennzahl für die Karte gibt es nicht."))
        kontext = {
            "raum": raum,
            "fehler": "",
            "meldungen": meldungen,
            "regionen": (Sozialraum.objects if bereich is None else bereich).auswahl(),
            "felder": [filterset.form[name] for name in self.filter_felder],
            "lebensphasen": LEBENSPHASEN,
            "karte_phase": karte_phase,
            "mass": mass,
            "masse": self.masse,
            "duenn_hoechstens": DUENN_HOECHSTENS,
        }
        if meldungen or raum is None:
            return self.render_to_response(kontext, status=400 if meldungen else 200)
        tabelle = bedarfstabelle(raum, filterset.qs, filter_abfrage)
        kontext.update(
            tabelle=tabelle,
            datei_abfrage=urlencode([("region", raum.slug), *filter_abfrage]),
            karte=choropleth(tabelle, karte_phase, mass),
            karte_titel=_("%(mass)s, %(phase)s, in %(region)s")
            % {
                "mass": self.masse[mass],
                "phase": LEBENSPHASEN_NACH_SLUG[karte_phase].name,
                "region": raum.name,
            },
        )
        return self.render_to_response(kontext)

    def ausserhalb(self, request, raum, bereich, format):
        """403: `raum` lies outside the Jugendamt account's Amtsbereich."""
        if bereich.exists():
            meldung = _(
                "Die Region „%(region)s“ gehört nicht zum Bereich Ihres Jugendamts "
                "(%(bereich)s). Bitte wählen Sie eine Region aus der Liste."
            ) % {
                "region": raum.name,
                "bereich": ", ".join(eigene_regionen(request.user).values_list("name", flat=True)),
            }
        else:
            meldung = _(
                "Ihrem Konto ist noch keine Region zugeordnet. Die Redaktion trägt sie in der "
                "Verwaltung unter „Bereiche der Jugendämter“ ein."
            )
        if format:
            return fehlerseite(request, [meldung], status=403, zurueck=reverse("auswertung:bedarf"))
        return self.render_to_response(
            {"verweigert": meldung, "regionen": bereich.auswahl()}, status=403
        )

    def datei(self, request, raum, filterset, filter_abfrage, format, zurueck):
        """The table as CSV or XLSX: a header block (title, date, region, filters, the
        population figures' years), then the table's cells as on the page."""
        abgelehnt = zugang(request, intern=False, recht="", zurueck=zurueck)
        if abgelehnt is not None:
            return abgelehnt
        tabelle = bedarfstabelle(raum, filterset.qs, filter_abfrage)
        titel = _("Bedarfsanalyse: %(region)s") % {"region": raum.name}
        filter_texte = [_("Region: %(name)s") % {"name": raum.name}]
        filter_texte += filter_beschreibung(filterset)
        block = kopfblock(titel, filter_texte, intern=False)
        if tabelle.jahre:
            block.append(
                _("Bevölkerungszahlen: %(jahre)s.")
                % {"jahre": ", ".join(str(j) for j in tabelle.jahre)}
            )
        if tabelle.demo:
            block.append(
                _(
                    "Demozahlen: Die Bevölkerungszahlen dieser Region sind erfundene "
                    "Beispielzahlen, keine amtliche Statistik."
                )
            )
        spalten = datei_spalten(tabelle)
        zeilen = datei_zeilen(tabelle, format)
        if format == "csv":
            text = "".join(csv_zeile([f"# {z}"]) for z in block)
            text += csv_zeile([neutral(str(s.titel)) for s in spalten])
            text += "".join(csv_zeile(z) for z in zeilen)
            antwort = HttpResponse(("\ufeff" + text).encode(), content_type=FORMATE["csv"])
        else:
            datei = io.BytesIO()
            xlsx_schreiben(datei, titel=titel, kopfblock=block, spalten=spalten, zeilen=zeilen)
            antwort = HttpResponse(datei.getvalue(), content_type=FORMATE["xlsx"])
        export_festhalten(
            request, liste=_("Bedarfsanalyse"), format=format, filter_texte=filter_texte
        )
        return datei_antwort(
            antwort, dateiname(f"bedarfsanalyse-{raum.slug}", format), intern=False
        )


class PartnervorschlaegeView(TemplateView):
    """Admin page: suggestions for one network in the user's scope; POST makes a draft."""

    template_name = "admin/auswertung/partnervorschlaege.html"
    admin_site = None

    def dispatch(self, request, *args, **kwargs):
        self.netzwerk = get_object_or_404(
            Netzwerk.objects.im_bereich_von(request.user).select_related("region"),
            pk=kwargs["pk"],
        )
        if not request.user.has_perm("netzwerke.add_partnerschaft"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        akteur = Akteur.objects.veroeffentlicht().filter(pk=request.POST.get("akteur")).first()
        if akteur is None or self.netzwerk.partnerschaften.filter(akteur=akteur).exists():
            messages.error(
                request,
                _(
                    "Dieser Akteur kann nicht vorgeschlagen werden (unbekannt, nicht "
                    "veröffentlicht oder schon Partner)."
                ),
            )
        else:
            partnerschaft = vorschlag_annehmen(self.netzwerk, akteur)
            messages.success(
                request,
                _("„%(akteur)s“ steht jetzt als Entwurf in den Partnern von „%(netzwerk)s“.")
                % {"akteur": akteur.name, "netzwerk": self.netzwerk.name},
            )
            return redirect(
                reverse("admin:netzwerke_partnerschaft_change", args=[partnerschaft.pk])
            )
        return redirect(request.get_full_path())

    def get(self, request, pk):
        km = request.GET.get("km")
        fehler = ""
        if km is not None:
            try:
                km = int(km)
            except ValueError:
                km = None
            if km not in UMKREISE_KM:
                fehler = _("Bitte wählen Sie einen Umkreis aus der Liste.")
                km = None
        vorschlaege = partnervorschlaege(self.netzwerk, km=km)
        return self.render_to_response(
            {
                **admin.site.each_context(request),
                "title": _("Partnervorschläge für %(name)s") % {"name": self.netzwerk.name},
                "netzwerk": self.netzwerk,
                "vorschlaege": vorschlaege,
                "fehler": fehler or vorschlaege.fehler,
                "umkreise": UMKREISE_KM,
                "km": km,
                "opts": Netzwerk._meta,
            },
            status=400 if fehler else 200,
        )


class MonitoringView(TemplateView):
    """/auswertung/monitoring/<slug>/: one site's figures now and month by month."""

    template_name = "auswertung/monitoring.html"

    def get(self, request, slug):
        akteur = get_object_or_404(
            Akteur.objects.veroeffentlicht().select_related("einrichtungsart"), slug=slug
        )
        werte = kennzahlen(Akteur.objects.filter(pk=akteur.pk))[akteur.pk]
        verlauf = list(Schnappschuss.objects.verlauf(akteur))
        return self.render_to_response(
            self.get_context_data(
                akteur=akteur,
                werte=werte,
                verlauf=verlauf,
                phasen=balkendiagramm(
                    (p.name, werte["nach_lebensphase"][p.slug]) for p in LEBENSPHASEN
                ),
                formate=balkendiagramm((f.label, werte["nach_format"][f.value]) for f in Format),
                zeitreihe=balkendiagramm((f"{s.monat:%m/%Y}", s.angebote) for s in verlauf),
            )
        )


class MonitoringVergleichView(TemplateView):
    """/auswertung/monitoring/?programm=…: the sites of a programme side by side, from the
    latest monthly snapshot, with the change since the month before."""

    template_name = "auswertung/monitoring_vergleich.html"

    def get(self, request):
        slug = request.GET.get("programm", "").strip()
        kontext = {"programme": Programm.objects.order_by("name"), "programm": None}
        if not slug:
            return self.render_to_response(self.get_context_data(**kontext))
        programm = Programm.objects.filter(slug=slug).first()
        if programm is None:
            kontext["fehler"] = _(
                "Das Programm „%(programm)s“ gibt es nicht. Bitte wählen Sie eines aus der Liste."
            ) % {"programm": slug[:60]}
            return self.render_to_response(self.get_context_data(**kontext), status=400)
        # The sites once (their ids then go into the two look-ups), only the shown fields:
        # a programme may have over a thousand sites.
        orte = list(
            standorte(programm)
            .order_by("name", "pk")
            .values_list("pk", "slug", "name", "einrichtungsart__name", named=True)
        )
        ids = [ort.pk for ort in orte]
        monate = list(
            Schnappschuss.objects.filter(akteur_id__in=ids)
            .order_by("-monat")
            .values_list("monat", flat=True)
            .distinct()[:2]
        )
        stand = defaultdict(dict)
        for s in Schnappschuss.objects.filter(akteur_id__in=ids, monat__in=monate).values_list(
            "akteur_id", "monat", "angebote", "partner", "anteil_geprueft", named=True
        ):
            stand[s.akteur_id][s.monat] = s
        url = slug_url("auswertung:monitoring")
        komma = get_format("DECIMAL_SEPARATOR")
        zeilen = []
        for ort in orte:
            jetzt = stand[ort.pk].get(monate[0]) if monate else None
            vorher = stand[ort.pk].get(monate[1]) if len(monate) > 1 else None
            veraenderung = jetzt.angebote - vorher.angebote if jetzt and vorher else None
            zeilen.append(
                (
                    url(ort.slug),
                    ort.name,
                    ort.einrichtungsart__name or "",
                    "–" if jetzt is None else jetzt.angebote,
                    "–"
                    if veraenderung is None
                    else f"+{veraenderung}"
                    if veraenderung > 0
                    else veraenderung,
                    "–" if jetzt is None else jetzt.partner,
                    "–"
                    if jetzt is None
                    else f"{jetzt.anteil_geprueft:.1f}".replace(".", komma) + " %",
                )
            )
        # The rows as HTML here, not in a template loop: over a thousand rows of six cells
        # cost the template engine more than everything else on the page.
        zeilen = format_html_join(
            "",
            '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td class="zahl">{}</td>'
            '<td class="zahl">{}</td><td class="zahl">{}</td><td class="zahl">{}</td></tr>\n',
            zeilen,
        )
        kontext.update(programm=programm, zeilen=zeilen, monate=monate)
        return self.render_to_response(self.get_context_data(**kontext))
