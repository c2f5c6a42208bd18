"""Public pages of the shared machinery: confirming a record through a reminder's link,
reporting a problem, the legal pages.

The two forms are exempt from CSRF on purpose: they need no session, and a CSRF cookie would be
the only cookie a visitor ever gets (the Datenschutzerklärung says there is none). Whoever
sends them acts only on public data; the link's signature and the spam checks protect them.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .drosselung import drosseln
from .erinnerung import (
    LinkAbgelaufen,
    LinkBenutzt,
    LinkUngueltig,
    bestaetigen,
    link_pruefen,
    pruefbares_modell,
)
from .meldungen import MeldungForm, melden
from .models import Meldung, Rechtstext
from .rechtstexte import abschnitte, standardtext


def _oeffentlich(modell_schluessel, pk):
    modell = pruefbares_modell(modell_schluessel)
    return get_object_or_404(modell._default_manager.veroeffentlicht(), pk=pk)


def _link_fehler(request, obj, fehler):
    if isinstance(fehler, LinkAbgelaufen):
        meldung, status = (
            _(
                "Dieser Link ist abgelaufen: Er gilt %(tage)s Tage. Sie bekommen einen neuen mit "
                "der nächsten Erinnerung – oder schlagen Sie gleich eine Änderung vor."
            )
            % {"tage": settings.ERINNERUNG_LINK_GUELTIG_TAGE},
            410,
        )
    elif isinstance(fehler, LinkBenutzt):
        meldung, status = (
            _("Dieser Link wurde schon benutzt: Die Angaben wurden bereits bestätigt."),
            409,
        )
    else:
        meldung, status = (
            _(
                "Dieser Link ist ungültig. Bitte öffnen Sie den Link aus der E-Mail vollständig "
                "und unverändert."
            ),
            404,
        )
    return render(
        request,
        "atlas/angaben_aktuell.html",
        {"objekt": obj, "fehler": meldung, "art": obj._meta.verbose_name},
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def angaben_aktuell(request, modell, pk, token):
    """ "Angaben sind noch aktuell": the link shows a button; only the button (a POST) confirms,
    so that a mail program that opens links to check them uses nothing up."""
    if antwort := drosseln(request, bereich="bestaetigen"):
        return antwort
    obj = _oeffentlich(modell, pk)
    kontext = {"objekt": obj, "art": obj._meta.verbose_name}
    try:
        if request.method == "POST":
            obj = bestaetigen(obj, token)
            kontext.update(objekt=obj, bestaetigt=True)
        else:
            link_pruefen(obj, token)
    except (LinkUngueltig, LinkAbgelaufen, LinkBenutzt) as fehler:
        return _link_fehler(request, obj, fehler)
    return render(request, "atlas/angaben_aktuell.html", kontext)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meldung_view(request, modell, pk):
    """ "Angaben falsch? Fehler melden" and, from a reminder, "Änderung vorschlagen"."""
    obj = _oeffentlich(modell, pk)
    art = Meldung.Art.AENDERUNG if request.GET.get("art") == "aenderung" else Meldung.Art.FEHLER
    kontext = {"objekt": obj, "art": obj._meta.verbose_name, "aenderung": art == "aenderung"}
    if request.method == "POST":
        if antwort := drosseln(
            request,
            bereich="meldung",
            anfragen=settings.MELDUNG_ANFRAGEN,
            sekunden=settings.MELDUNG_SEKUNDEN,
        ):
            return antwort
        form = MeldungForm(request.POST)
        if form.is_valid():
            melden(
                obj=obj,
                art=art,
                text=form.cleaned_data["text"],
                kontakt=form.cleaned_data["kontakt"],
                request=request,
            )
            return render(request, "atlas/meldung_danke.html", kontext)
        status = 400
    else:
        form, status = MeldungForm(), 200
    return render(request, "atlas/meldung.html", {**kontext, "form": form}, status=status)


def rechtstext(request, seite):
    if seite not in Rechtstext.Seite.values:
        raise Http404
    eintrag = Rechtstext.objects.filter(seite=seite).first()
    titel = eintrag.titel if eintrag else Rechtstext.Seite(seite).label
    text = eintrag.text if eintrag else standardtext(seite)
    return render(
        request,
        "atlas/rechtstext.html",
        {"titel": titel, "abschnitte": abschnitte(text), "eintrag": eintrag},
    )
