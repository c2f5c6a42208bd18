from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView, View

from akteure.models import Kontaktperson, Status

from .filters import STANDARD_UMKREIS_KM, AngebotFilterSet, facetten
from .karte import kartendaten
from .models import LEBENSPHASEN, Angebot, Thema

PRO_SEITE = 20


def veroeffentlichte_angebote():
    return Angebot.objects.veroeffentlicht().select_related("anbieter")


def karten_einstellungen():
    return {"kachel_url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION}


class StartView(TemplateView):
    template_name = "angebote/start.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=AngebotFilterSet(queryset=Angebot.objects.none()),
            lebensphasen=LEBENSPHASEN,
            hauptthemen=Thema.objects.filter(oberthema__isnull=True),
            **kwargs,
        )


class AngebotListView(TemplateView):
    """The offerings list; its FilterSet also drives the map data and the exports."""

    template_name = "angebote/angebot_list.html"

    def get_context_data(self, **kwargs):
        filterset = AngebotFilterSet(self.request.GET or None, queryset=veroeffentlichte_angebote())
        ergebnisse = filterset.qs
        seite, hinweis = self.seite(ergebnisse)
        ort = filterset.ort
        return super().get_context_data(
            filter=filterset,
            seite=seite,
            angebote=seite.object_list,
            anzahl=seite.paginator.count,
            seiten_hinweis=hinweis,
            facetten=facetten(ergebnisse) if seite.paginator.count else {},
            ort=ort,
            umkreis_km=ort[2] if ort else STANDARD_UMKREIS_KM,
            umkreis_optionen=sorted({2, 5, 10, 20, 50, 100, int(ort[2]) if ort else 10}),
            chips=aktive_filter(filterset),
            karte=karten_einstellungen(),
            **kwargs,
        )

    def seite(self, ergebnisse):
        paginator = Paginator(
            ergebnisse.prefetch_related("sprachen"), PRO_SEITE, allow_empty_first_page=True
        )
        nummer = self.request.GET.get("seite") or 1
        try:
            return paginator.page(nummer), ""
        except PageNotAnInteger:
            return paginator.page(1), _("Die Seitenzahl war ungültig – hier ist die erste Seite.")
        except EmptyPage:
            return paginator.page(paginator.num_pages), _(
                "Diese Seite gibt es nicht – hier ist die letzte Seite der Ergebnisse."
            )


def aktive_filter(filterset):
    """Removable chips: (label, URL of the same search without that value)."""
    if not filterset.is_bound:
        return []
    daten = filterset.data
    chips = []
    for name, feld in filterset.form.fields.items():
        if name in {"lat", "lon", "sortierung", "umkreis"} or filterset.form.has_error(name):
            continue
        for wert in daten.getlist(name):
            if not wert or (name == "wo" and daten.get("lat")):
                continue
            ohne = daten.copy()
            ohne.setlist(name, [w for w in daten.getlist(name) if w != wert])
            ohne.pop("seite", None)
            chips.append((f"{feld.label}: {anzeige(feld, wert)}", "?" + ohne.urlencode()))
    if daten.get("lat") and daten.get("lon") and filterset.ort:
        ohne = daten.copy()
        for schluessel in ("lat", "lon", "seite"):
            ohne.pop(schluessel, None)
        chips.append((_("In der Nähe Ihres Standorts"), "?" + ohne.urlencode()))
    return chips


def anzeige(feld, wert):
    if hasattr(feld, "queryset"):
        schluessel = feld.to_field_name or "pk"
        gefunden = feld.queryset.filter(**{schluessel: wert}).first()
        return str(gefunden) if gefunden else wert
    if getattr(feld, "choices", None):
        return str(dict(feld.choices).get(wert, wert))
    if wert in {"on", "true", "True", "1"}:
        return _("ja")
    return wert


class AngebotKarteView(View):
    """GeoJSON for the map: the list's FilterSet, limited to the viewport, clustered."""

    def get(self, request):
        filterset = AngebotFilterSet(request.GET or None, queryset=veroeffentlichte_angebote())
        try:
            west, sued, ost, nord = (float(x) for x in request.GET.get("bbox", "").split(","))
            if not (-180 <= west < ost <= 180 and -90 <= sued < nord <= 90):
                raise ValueError
        except ValueError:
            west, sued, ost, nord = 5.5, 47.0, 15.5, 55.2
        daten = kartendaten(filterset.qs, west=west, sued=sued, ost=ost, nord=nord)
        if filterset.errors:
            daten["fehler"] = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        return JsonResponse(daten)


class AngebotDetailView(DetailView):
    template_name = "angebote/angebot_detail.html"
    context_object_name = "angebot"

    def get_queryset(self):
        return veroeffentlichte_angebote().select_related("netzwerk", "anbieter__einrichtungsart")

    def get_context_data(self, **kwargs):
        angebot = self.object
        return super().get_context_data(
            termine=angebot.termine.filter(beginn__gte=timezone.now())[:10],
            partner=angebot.kooperationspartner.veroeffentlicht(),
            netzwerk=angebot.netzwerk
            if angebot.netzwerk_id and angebot.netzwerk.status == Status.VEROEFFENTLICHT
            else None,
            kontaktpersonen=Kontaktperson.objects.oeffentlich().filter(akteur=angebot.anbieter),
            karte=karten_einstellungen(),
            json_ld=angebot_json_ld(angebot, self.request),
            **kwargs,
        )


def angebot_json_ld(angebot, request):
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
        "availableLanguage": [s.code for s in angebot.sprachen.all()],
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
