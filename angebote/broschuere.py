"""The offerings list as a printed brochure (A4, or an A5 booklet to fold), and a one-page
Aushang per offering for notice boards.

`/angebote/broschuere-a4.pdf?<the list's query>`: the view subclasses AngebotListView, so the
offerings are exactly the list's `filterset.qs` (published ones only) in the list's order; the
network and actor pages link it with `?netzwerk=` and `?anbieter=`, as they link the list.
"""

from collections import defaultdict
from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from akteure.models import Akteur, Kontaktperson
from atlas.broschuere import (
    HOECHSTENS,
    heft,
    pdf_antwort,
    pdf_aus_html,
    pdf_zwischengespeichert,
    qr_bild,
    sprache_und_richtung,
)
from atlas.drosselung import drosseln
from atlas.rollen import ist_staff
from atlas.tabellen import fehlerseite, filter_beschreibung, filterfehler
from atlas.uebersetzung import texte_anhaengen

from .models import LEBENSPHASEN, Termin, Thema
from .views import AngebotListView, veroeffentlichte_angebote

GLIEDERUNGEN = {
    "thema": gettext_lazy("nach Thema"),
    "lebensphase": gettext_lazy("nach Lebensphase"),
}
EIGENE_PARAMETER = ("seite", "gliederung")
STYLESHEETS = ("css/broschuere.css",)
TERMINE_JE_ANGEBOT = 3


def zu_viele_text(anzahl):
    return _(
        "Eine Broschüre kann höchstens %(hoechstens)s Angebote enthalten, diese Liste hat "
        "%(anzahl)s. Bitte grenzen Sie die Liste mit den Filtern ein (z. B. Ort, Alter, Thema) "
        "und laden Sie die Broschüre dann erneut."
    ) % {"hoechstens": number_format(HOECHSTENS), "anzahl": number_format(anzahl)}


def drossel(request):
    """Making a PDF costs seconds: anonymous requests count against the export limit."""
    return None if ist_staff(request.user) else drosseln(request, bereich="export")


def stand():
    return timezone.localdate()


def angebote_mit_angaben(queryset):
    """The offerings with all a brochure entry shows, in the list's order: languages, topics,
    the next dates, and the provider's contact persons with recorded consent (as on the public
    page, `Kontaktperson.objects.veroeffentlicht()`)."""
    angebote = list(
        queryset.select_related("anbieter").prefetch_related(
            "sprachen", Prefetch("themen", queryset=Thema.objects.select_related("oberthema"))
        )
    )
    ids = [a.pk for a in angebote]
    termine = defaultdict(list)
    for termin in Termin.objects.filter(angebot_id__in=ids, beginn__gte=timezone.now()).order_by(
        "angebot_id", "beginn"
    ):
        if len(termine[termin.angebot_id]) < TERMINE_JE_ANGEBOT:
            termine[termin.angebot_id].append(termin)
    personen = defaultdict(list)
    for person in Kontaktperson.objects.veroeffentlicht().filter(
        akteur_id__in={a.anbieter_id for a in angebote}
    ):
        personen[person.akteur_id].append(person)
    for angebot in angebote:
        angebot.naechste_termine = termine[angebot.pk]
        angebot.kontaktpersonen = kontakte(angebot, personen[angebot.anbieter_id])
    # Texts and topic names in the visitor's language where translated (German otherwise, with
    # lang="de"), as on the public pages: one query each.
    texte_anhaengen(angebote)
    # Every instance (each offering has its own), so that none looks its texts up alone.
    themen = [t for a in angebote for t in a.themen.all()]
    texte_anhaengen(themen + [t.oberthema for t in themen if t.oberthema_id])
    return angebote


def kontakte(angebot, personen):
    """The detail page's rule: the offering's own contact (with the function of the matching
    public contact person), else the provider's public contact persons; each person once."""
    if angebot.kontakt_name:
        funktion = next(
            (p.funktion for p in personen if p.name == angebot.kontakt_name and p.funktion), ""
        )
        return [(angebot.kontakt_name, funktion)]
    return [(p.name, p.funktion) for p in personen]


def hauptthema(angebot):
    """The first main topic of an offering (topic order), or None."""
    haupt = {(t.oberthema if t.oberthema_id else t) for t in angebot.themen.all()}
    return min(haupt, key=lambda t: (t.reihenfolge, t.name, t.pk), default=None)


def lebensphase(angebot):
    """The life phase an offering's age range starts in; None for all ages."""
    if angebot.alter_von_monate is None and angebot.alter_bis_monate is None:
        return None
    return angebot.lebensphasen[0] if angebot.lebensphasen else None


def gruppen(angebote, gliederung):
    """(heading, offerings) in the order of the topics or life phases; each offering once, the
    list's order within a group; offerings without a topic / age limits last."""
    if gliederung == "lebensphase":
        rang = {p.slug: i for i, p in enumerate(LEBENSPHASEN)}
        schluessel = lebensphase
        ordnung = lambda p: rang[p.slug] if p else len(rang)  # noqa: E731
        name = lambda p: str(p.name) if p else _("Für alle Altersgruppen")  # noqa: E731
    else:
        schluessel = hauptthema
        ordnung = lambda t: (0, t.reihenfolge, t.name) if t else (1, 0, "")  # noqa: E731
        name = lambda t: str(t.texte["name"]) if t else _("Weitere Angebote")  # noqa: E731
    zugeordnet = sorted(
        ((schluessel(a), i, a) for i, a in enumerate(angebote)),
        key=lambda z: (ordnung(z[0]), z[1]),
    )
    return [
        (name(gruppe), [a for _g, _i, a in zeilen])
        for gruppe, zeilen in groupby(zugeordnet, key=lambda z: z[0])
    ]


def nummerieren(gruppen):
    """Each offering's running number in the brochure (1, 2, … in the order printed), and per
    group the first and last: the contents and the index refer to entries by number, not by
    page. Page numbers (CSS target-counter) made WeasyPrint lay out the contents and every
    index page three times, a fifth of a brochure's time (bench/RESULTS-broschuere.md)."""
    nummer = 0
    nummeriert = []
    for name, angebote in gruppen:
        for angebot in angebote:
            nummer += 1
            angebot.nummer = nummer
        nummeriert.append((name, angebote, angebote[0].nummer, angebote[-1].nummer))
    return nummeriert


def anbieterverzeichnis(angebote):
    """The providers A–Z with their offerings in the order of their numbers."""
    nach_anbieter = defaultdict(list)
    for angebot in sorted(angebote, key=lambda a: a.nummer):
        nach_anbieter[angebot.anbieter_id].append(angebot)
    return sorted(
        ((liste[0].anbieter, liste) for liste in nach_anbieter.values()),
        key=lambda eintrag: (eintrag[0].name.casefold(), eintrag[0].pk),
    )


def titel_der_liste(filterset):
    """What the cover says the list is: a network, a provider, a region, a place, or all."""
    daten = filterset.form.cleaned_data
    if netzwerk := daten.get("netzwerk"):
        return _("Angebote des Netzwerks %(name)s") % {"name": netzwerk.name}
    if slug := daten.get("anbieter"):
        akteur = Akteur.objects.veroeffentlicht().filter(slug=slug).first()
        if akteur:
            return _("Angebote von %(name)s") % {"name": akteur.name}
    if raum := daten.get("sozialraum"):
        return _("Angebote in %(name)s") % {"name": raum.name}
    if ort := filterset.ort:
        return _("Angebote in der Nähe von %(ort)s") % {"ort": ort[1]}
    return _("Angebote für Familien")


def seitenkopf(request):
    """What the page margins of every page show: the site's address and the data's date."""
    return {
        "website": request.build_absolute_uri("/").rstrip("/"),
        "stand": stand(),
    }


def mit_qr(request, angebote):
    for angebot in angebote:
        angebot.url_absolut = request.build_absolute_uri(angebot.get_absolute_url())
        angebot.qr = qr_bild(
            angebot.url_absolut,
            alt=_("QR-Code: %(url)s") % {"url": angebot.url_absolut},
        )
    return angebote


class AngebotBroschuereView(AngebotListView):
    """The list as a PDF brochure: cover, contents, offerings grouped, providers' index."""

    def get_queryset(self):
        return veroeffentlichte_angebote()

    def get(self, request, *args, format, **kwargs):
        daten = request.GET.copy()
        # By topic, unless the list is one of chosen topics: then by life phase.
        gliederung = daten.get("gliederung") or ("lebensphase" if daten.get("thema") else "thema")
        for name in EIGENE_PARAMETER:
            daten.pop(name, None)
        liste = reverse("angebote:angebot_list")
        zurueck = liste + (f"?{daten.urlencode()}" if daten else "")
        if gliederung not in GLIEDERUNGEN:
            return fehlerseite(
                request,
                [_("Diese Gliederung gibt es nicht: möglich sind „thema“ und „lebensphase“.")],
                zurueck=zurueck,
                titel=_("Broschüre nicht möglich"),
            )
        filterset = self.filterset_class(daten, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            return fehlerseite(
                request,
                filterfehler(filterset),
                zurueck=zurueck,
                titel=_("Broschüre nicht möglich"),
            )
        anzahl = filterset.qs.count()
        if anzahl > HOECHSTENS:
            return fehlerseite(
                request, [zu_viele_text(anzahl)], zurueck=zurueck, titel=_("Zu viele Angebote")
            )
        abgelehnt = drossel(request)
        if abgelehnt is not None:
            return abgelehnt
        angebote = mit_qr(request, angebote_mit_angaben(filterset.qs))
        sprache, rtl = sprache_und_richtung()
        listen_url = request.build_absolute_uri(zurueck)
        gegliedert = nummerieren(gruppen(angebote, gliederung))
        html = render_to_string(
            "angebote/broschuere.html",
            {
                "format": format,
                "titel": titel_der_liste(filterset),
                "filter_texte": filter_beschreibung(filterset),
                "gruppen": gegliedert,
                "gliederung": GLIEDERUNGEN[gliederung],
                "anbieter": anbieterverzeichnis(angebote),
                "anzahl": len(angebote),
                "liste_url": listen_url,
                "liste_qr": qr_bild(
                    listen_url, alt=_("QR-Code: %(url)s") % {"url": listen_url}, klasse="qr-gross"
                ),
                "SITE_TITLE": settings.SITE_TITLE,
                **seitenkopf(request),
            },
            request=request,
        )

        def erzeugen(html):
            if format == "a5":
                pdf = pdf_aus_html(html, stylesheets=STYLESHEETS, getaggt=False)
                return heft(pdf, rtl=rtl, sprache=sprache)
            return pdf_aus_html(html, stylesheets=STYLESHEETS)

        pdf = pdf_zwischengespeichert(f"broschuere-{format}", html, erzeugen)
        name = "broschuere-a5-heft.pdf" if format == "a5" else "broschuere.pdf"
        return pdf_antwort(pdf, name)


class AngebotAushangView(DetailView):
    """One A4 page for a notice board: big title, the key facts, a large QR code."""

    def get_queryset(self):
        return veroeffentlichte_angebote()

    def render_to_response(self, context, **kwargs):
        abgelehnt = drossel(self.request)
        if abgelehnt is not None:
            return abgelehnt
        zeilen = angebote_mit_angaben(veroeffentlichte_angebote().filter(pk=self.object.pk))
        angebot = mit_qr(self.request, zeilen)[0]
        angebot.qr = qr_bild(
            angebot.url_absolut,
            alt=_("QR-Code: %(url)s") % {"url": angebot.url_absolut},
            klasse="qr-gross",
        )
        html = render_to_string(
            "angebote/aushang.html",
            {"angebot": angebot, "SITE_TITLE": settings.SITE_TITLE, **seitenkopf(self.request)},
            request=self.request,
        )
        pdf = pdf_zwischengespeichert(
            "aushang", html, lambda h: pdf_aus_html(h, stylesheets=STYLESHEETS)
        )
        return pdf_antwort(pdf, f"aushang-{angebot.slug}.pdf")
