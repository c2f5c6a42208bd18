"""Exports of the offerings list: CSV, XLSX, GeoJSON, and iCalendar for their dates (Termine).

`/angebote/export.<format>?<the list's query>`: the view subclasses AngebotListView, so the rows
are the list's `filterset.qs` (published offerings; with `?intern=1` the staff user's scope,
drafts included) in the list's order.
"""

import datetime
from dataclasses import replace

from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import DetailView

from akteure.exports import (
    link_spalten,
    netzwerke_mit_rolle,
    personen,
    pruef_spalten,
)
from akteure.models import Akteur, Kontaktperson
from atlas import lesereplik, tabellen
from atlas.protokoll import export_festhalten
from atlas.tabellen import (
    DATUM,
    FORMATE,
    JANEIN,
    KOMMAZAHL,
    ZAHL,
    Breite,
    Kilometer,
    Laenge,
    ListenExportMixin,
    Spalte,
    Tabelle,
    aufzaehlung,
    datei_antwort,
    dateiname,
    export_antwort,
    filter_beschreibung,
    link_teile,
    namen,
    sichtbarer_wert,
    uebersetzungs_spalten,
    zeilen,
)
from netzwerke.models import Netzwerk

from .filters import ids_mit_index
from .models import Angebot, Format, Kosten, Termin
from .views import AngebotListView, veroeffentlichte_angebote


def kooperationspartner(leser):
    """The partners `leser` may read (None: the public)."""
    partner = Angebot.kooperationspartner.through.objects.filter(
        Akteur.objects.sichtbar_q(leser, "akteur__")
    )
    # A file by ids names them from the rows' copies (Angebot.kooperationspartner_ids).
    return replace(
        aufzaehlung(partner, "angebot_id", "akteur__name"),
        kopie="kooperationspartner_ids",
        ziele=Akteur.objects.filter(Akteur.objects.sichtbar_q(leser)),
    )


class AngebotTabelle(Tabelle):
    name = "angebote"
    titel = gettext_lazy("Angebote")
    standort = "standort"
    recht = "angebote.export_angebot"

    def intern_queryset(self, user):
        return Angebot.objects.im_bereich_von(user).select_related("anbieter")

    def spalten(self, request, *, intern, filterset=None):
        user = request.user
        # Staff files show what the user may read, public files what everyone may.
        leser = user if intern else None
        spalten = [
            Spalte(gettext_lazy("Titel"), "titel", breite=40),
            # The provider's name as copied onto the row (migration 0033): no provider read.
            Spalte(gettext_lazy("Anbieter"), "anbieter_name", breite=32),
        ]
        if filterset is not None and getattr(filterset, "ort", None):
            spalten += [
                Spalte(
                    gettext_lazy("Entfernung (km)"),
                    Kilometer("entfernung"),
                    KOMMAZAHL,
                    breite=10,
                    schluessel="entfernung_km",
                ),
                Spalte(gettext_lazy("Gefunden über Einzugsgebiet"), "gebiet", breite=20),
            ]
        spalten += [
            # "Format" alone is translated "Dateiformat" by django-import-export's catalogue.
            Spalte(pgettext_lazy("Angebot", "Format"), "format", wahl=Format, breite=16),
            Spalte(
                gettext_lazy("Themen"),
                namen(Angebot.themen.through.objects, "angebot_id", "thema", kopie="themen_ids"),
                breite=30,
                schluessel="themen",
            ),
            Spalte(
                gettext_lazy("Zielgruppen"),
                namen(
                    Angebot.zielgruppen.through.objects,
                    "angebot_id",
                    "zielgruppe",
                    kopie="zielgruppen_ids",
                ),
                breite=26,
                schluessel="zielgruppen",
            ),
            Spalte(
                gettext_lazy("Sprachen"),
                namen(
                    Angebot.sprachen.through.objects, "angebot_id", "sprache", kopie="sprachen_ids"
                ),
                breite=22,
                schluessel="sprachen",
            ),
            Spalte(gettext_lazy("Alter von (Monate)"), "alter_von_monate", ZAHL, breite=10),
            Spalte(gettext_lazy("Alter bis (Monate)"), "alter_bis_monate", ZAHL, breite=10),
            Spalte(gettext_lazy("Kosten"), "kosten", wahl=Kosten, breite=16),
            Spalte(gettext_lazy("Hinweis zu den Kosten"), "kosten_hinweis", breite=24),
            Spalte(
                gettext_lazy("Anmeldung erforderlich"), "anmeldung_erforderlich", JANEIN, breite=12
            ),
            Spalte(gettext_lazy("So melden Sie sich an"), "anmeldung_hinweis", breite=30),
            Spalte(gettext_lazy("Kinderbetreuung"), "kinderbetreuung", JANEIN, breite=12),
            Spalte(gettext_lazy("barrierefrei"), "barrierefrei", JANEIN, breite=12),
            Spalte(gettext_lazy("Hinweise zur Barrierefreiheit"), "barrierefreiheit", breite=30),
            Spalte(gettext_lazy("Straße und Hausnummer"), "strasse", breite=28),
            Spalte(gettext_lazy("PLZ"), "plz", breite=7),
            Spalte(gettext_lazy("Ort"), "ort", breite=22),
            Spalte(
                gettext_lazy("Breite"),
                Breite("standort"),
                KOMMAZAHL,
                breite=10,
                schluessel="breite",
            ),
            Spalte(
                gettext_lazy("Länge"), Laenge("standort"), KOMMAZAHL, breite=10, schluessel="laenge"
            ),
            Spalte(
                gettext_lazy("Einzugsgebiet"),
                aufzaehlung(
                    Angebot.einzugsgebiet.through.objects,
                    "angebot_id",
                    "sozialraum__name",
                ),
                breite=24,
                schluessel="einzugsgebiet",
            ),
            Spalte(gettext_lazy("Regelmäßige Zeiten"), "regelmaessige_zeiten", breite=30),
            Spalte(gettext_lazy("gültig von"), "gueltig_von", DATUM, breite=12),
            Spalte(gettext_lazy("gültig bis"), "gueltig_bis", DATUM, breite=12),
            Spalte(gettext_lazy("Ansprechperson"), "kontakt_name", breite=24),
            Spalte(gettext_lazy("Kontakt-E-Mail"), "kontakt_email", breite=28),
            Spalte(gettext_lazy("Kontakt-Telefon"), "kontakt_telefon", breite=18),
            Spalte(
                gettext_lazy("Netzwerk"),
                sichtbarer_wert(leser, Netzwerk, "netzwerk"),
                breite=30,
                schluessel="netzwerk",
            ),
            Spalte(
                gettext_lazy("Kooperationspartner"),
                kooperationspartner(leser),
                breite=30,
                schluessel="kooperationspartner",
            ),
        ]
        if intern:
            spalten += [
                Spalte(
                    gettext_lazy("Träger des Anbieters"),
                    sichtbarer_wert(user, Akteur, "anbieter__traeger"),
                    breite=30,
                    schluessel="traeger",
                ),
                Spalte(
                    gettext_lazy("Netzwerke des Anbieters (Rolle)"),
                    netzwerke_mit_rolle(user, aussen="anbieter_id"),
                    breite=40,
                    schluessel="anbieter_netzwerke",
                ),
                Spalte(
                    gettext_lazy("Kontaktpersonen des Anbieters (intern)"),
                    personen(
                        Kontaktperson.objects.sichtbar_fuer(user),
                        aussen="anbieter_id",
                        intern=True,
                    ),
                    breite=50,
                    schluessel="kontaktpersonen",
                ),
                *pruef_spalten(),
            ]
        spalten.append(Spalte(gettext_lazy("Beschreibung"), "beschreibung", breite=60))
        if intern:
            # The translations, a column per language and field: the import reads them back.
            spalten += uebersetzungs_spalten(
                Angebot,
                [
                    (gettext_lazy("Titel"), "titel"),
                    (gettext_lazy("Beschreibung"), "beschreibung"),
                    (gettext_lazy("Regelmäßige Zeiten"), "regelmaessige_zeiten"),
                    (gettext_lazy("Hinweis zu den Kosten"), "kosten_hinweis"),
                    (gettext_lazy("So melden Sie sich an"), "anmeldung_hinweis"),
                ],
            )
        return spalten + link_spalten(
            request, "angebote:angebot_detail", "admin:angebote_angebot_change", intern=intern
        )


ANGEBOTE = AngebotTabelle()


# --- iCalendar (RFC 5545) ----------------------------------------------------------------------


def ics_text(text):
    """TEXT value: backslash, semicolon, comma and line breaks escaped, control characters out."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(z for z in text if z >= " " or z in "\n\t")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_zeile(zeile):
    """One content line, folded after 75 octets (never inside a UTF-8 character), CRLF."""
    daten = zeile.encode()
    teile, anfang, grenze = [], 0, 75
    while len(daten) - anfang > grenze:
        ende = anfang + grenze
        while daten[ende] & 0xC0 == 0x80:  # a continuation byte: step back to the start
            ende -= 1
        teile.append(daten[anfang:ende])
        anfang, grenze = ende, 74  # the folded line's leading space is the 75th octet
    teile.append(daten[anfang:])
    return b"\r\n ".join(teile) + b"\r\n"


def ics_zeit(wert):
    return wert.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


TERMIN_SPALTEN = [
    Spalte("", name)
    for name in (
        "pk",
        "beginn",
        "ende",
        "ort",
        "online",
        "anmeldestatus",
        "hinweis",
        "angebot__titel",
        "angebot__slug",
        "angebot__anbieter__name",
        "angebot__strasse",
        "angebot__plz",
        "angebot__ort",
    )
]


def termine(angebote):
    """The dates of the given offerings from today on, earliest first."""
    heute = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Termin.objects.filter(angebot__in=angebote.order_by().values("pk"))
        .filter(Q(ende__gte=heute) | Q(ende__isnull=True, beginn__gte=heute))
        .order_by("beginn", "pk")
    )


def ics_teile(request, termine_qs, *, titel, filter_texte):
    anmeldung = dict(Termin.Anmeldestatus.choices)
    vorne, hinten = link_teile(request, "angebote:angebot_detail")
    host = request.get_host()
    if ":" in host and host.rsplit(":", 1)[1].isdigit():
        host = host.rsplit(":", 1)[0]
    jetzt = ics_zeit(timezone.now())
    kopf = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ics_text(str(titel))}//Netzwerkatlas//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_text(str(titel))}",
    ]
    if filter_texte:
        beschreibung = _("Filter: %(filter)s") % {"filter": "; ".join(filter_texte)}
        kopf.append(f"X-WR-CALDESC:{ics_text(beschreibung)}")
    yield b"".join(ics_zeile(z) for z in kopf)
    puffer = []
    for (
        pk,
        beginn,
        ende,
        ort,
        online,
        status,
        hinweis,
        angebot,
        slug,
        anbieter,
        strasse,
        plz,
        angebot_ort,
    ) in zeilen(termine_qs, TERMIN_SPALTEN):
        url = f"{vorne}{slug}{hinten}"
        if online:
            wo = _("online")
        else:
            wo = ort or ", ".join(t for t in (strasse, f"{plz} {angebot_ort}".strip()) if t)
        beschreibung = "\n".join(
            t for t in (anbieter, str(anmeldung.get(status, status)), hinweis, url) if t
        )
        ereignis = [
            "BEGIN:VEVENT",
            f"UID:termin-{pk}@{host}",
            f"DTSTAMP:{jetzt}",
            f"DTSTART:{ics_zeit(beginn)}",
            *([f"DTEND:{ics_zeit(ende)}"] if ende else []),
            f"SUMMARY:{ics_text(angebot)}",
            *([f"LOCATION:{ics_text(wo)}"] if wo else []),
            f"DESCRIPTION:{ics_text(beschreibung)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
        puffer.append(b"".join(ics_zeile(z) for z in ereignis))
        if len(puffer) >= 200:
            yield b"".join(puffer)
            puffer.clear()
    puffer.append(ics_zeile("END:VCALENDAR"))
    yield b"".join(puffer)


class AngebotExportView(ListenExportMixin, AngebotListView):
    """The offerings list as a file: AngebotListView's queryset and FilterSet, every row."""

    tabelle = ANGEBOTE
    formate = ("csv", "xlsx", "geojson", "ics")

    def liste_url(self):
        return reverse("angebote:angebot_list")

    def antwort(self, request, filterset, format):
        if format != "ics":
            # A public file of part of the list: its rows' ids, in list order, come from the
            # search index, as the list's pages do; the export reads just those rows.
            ids = None
            if not self.intern:
                ids = ids_mit_index(filterset, hoechstens=tabellen.ANTEIL_EINGESCHRAENKT)
            return export_antwort(
                request,
                tabelle=self.tabelle,
                # By ids: the list's rows (listenangebote()), their cheap conditions checked
                # again on the row alone.
                queryset=filterset.queryset if ids is not None else filterset.qs,
                format=format,
                intern=self.intern,
                filter_texte=filter_beschreibung(filterset),
                filterset=filterset,
                ids=ids,
            )
        antwort = StreamingHttpResponse(
            lesereplik.strom(
                ics_teile(
                    request,
                    termine(filterset.qs),
                    titel=self.tabelle.titel,
                    filter_texte=filter_beschreibung(filterset),
                )
            ),
            content_type=FORMATE["ics"],
        )
        export_festhalten(
            request,
            liste=self.tabelle.titel,
            format="ics",
            filter_texte=filter_beschreibung(filterset),
            intern=self.intern,
        )
        return datei_antwort(antwort, dateiname(self.tabelle.name, "ics"), intern=self.intern)


class AngebotTermineView(DetailView):
    """The dates of one published offering as an iCalendar file: the link on its page."""

    def get_queryset(self):
        return veroeffentlichte_angebote()

    def render_to_response(self, context, **kwargs):
        angebot = self.object
        teile = ics_teile(
            self.request,
            termine(Angebot.objects.filter(pk=angebot.pk)),
            titel=angebot.titel,
            filter_texte=[],
        )
        antwort = HttpResponse(b"".join(teile), content_type=FORMATE["ics"])
        return datei_antwort(antwort, f"{angebot.slug}.ics", intern=False)
