"""Import of population figures from CSV (Sozialraum key, life phase, count, year).

All or nothing: a file with any error writes no row, and every error is named in German with
its line, so the Jugendamt can fix the file and try again.
"""

import csv
import io

from django.db import transaction
from django.utils.translation import gettext as _

from akteure.models import Sozialraum
from angebote.models import LEBENSPHASEN_NACH_SLUG

from .models import Bevoelkerung

SPALTEN = ["sozialraum", "lebensphase", "anzahl", "jahr"]


class ImportFehler(Exception):
    def __init__(self, meldungen):
        super().__init__("; ".join(meldungen))
        self.meldungen = meldungen


def _text(daten):
    try:
        return daten.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in its code page.
        return daten.decode("cp1252")


def zeilen_lesen(daten):
    """The file's rows as dicts with the four columns; ImportFehler for a wrong header."""
    text = _text(daten)
    if not text.strip():
        raise ImportFehler([_("Die Datei ist leer.")])
    erste = text.splitlines()[0]
    trenner = ";" if erste.count(";") >= erste.count(",") else ","
    leser = csv.reader(io.StringIO(text, newline=""), delimiter=trenner)
    kopf = [spalte.strip().lower() for spalte in next(leser)]
    fehlend = [s for s in SPALTEN if s not in kopf]
    unbekannt = [s for s in kopf if s and s not in SPALTEN]
    meldungen = []
    if fehlend:
        meldungen.append(
            _("Es fehlen die Spalten: %(fehlend)s. Erwartet werden: %(spalten)s.")
            % {"fehlend": ", ".join(fehlend), "spalten": ", ".join(SPALTEN)}
        )
    if unbekannt:
        meldungen.append(_("Unbekannte Spalten: %(spalten)s.") % {"spalten": ", ".join(unbekannt)})
    if meldungen:
        raise ImportFehler(meldungen)
    zeilen = []
    for nummer, werte in enumerate(leser, start=2):
        if not any(w.strip() for w in werte):
            continue
        zeilen.append((nummer, dict(zip(kopf, (w.strip() for w in werte), strict=False))))
    if not zeilen:
        raise ImportFehler([_("Die Datei enthält keine Datenzeilen, nur die Kopfzeile.")])
    return zeilen


def _ganzzahl(wert):
    try:
        return int(wert.replace(".", "").replace(" ", ""))
    except ValueError:
        return None


def bevoelkerung_importieren(*, daten, bereich=None):
    """Read the CSV bytes and save every row (update or create); returns the number of rows.
    `bereich` (a Sozialraum queryset, akteure.bereich.amtsregionen): the areas the importing
    account may give figures for; None: all.

    Raises ImportFehler with all messages when anything is wrong; then nothing is saved."""
    zeilen = zeilen_lesen(daten)
    slugs = {w.get("sozialraum", "") for _, w in zeilen}
    raeume = {r.slug: r for r in Sozialraum.objects.filter(slug__in=slugs)}
    fremd = (
        set()
        if bereich is None
        else set(raeume) - set(bereich.filter(slug__in=slugs).values_list("slug", flat=True))
    )
    meldungen, gueltig, gesehen = [], [], set()
    for nummer, werte in zeilen:
        raum = raeume.get(werte.get("sozialraum", ""))
        phase = werte.get("lebensphase", "")
        anzahl = _ganzzahl(werte.get("anzahl", ""))
        jahr = _ganzzahl(werte.get("jahr", ""))
        fehler = []
        if raum is None:
            fehler.append(
                _("Sozialraum „%(wert)s“ gibt es nicht (Kurzname erwartet).")
                % {"wert": werte.get("sozialraum", "")}
            )
        elif raum.slug in fremd:
            fehler.append(
                _("Der Sozialraum „%(wert)s“ gehört nicht zum Bereich Ihres Jugendamts.")
                % {"wert": raum.slug}
            )
        if phase not in LEBENSPHASEN_NACH_SLUG:
            fehler.append(
                _("Lebensphase „%(wert)s“ gibt es nicht; erlaubt sind %(erlaubt)s.")
                % {"wert": phase, "erlaubt": ", ".join(LEBENSPHASEN_NACH_SLUG)}
            )
        if anzahl is None or anzahl < 0:
            fehler.append(
                _("Anzahl „%(wert)s“ ist keine ganze Zahl ≥ 0.") % {"wert": werte.get("anzahl")}
            )
        if jahr is None or not 1990 <= jahr <= 2100:
            fehler.append(
                _("Jahr „%(wert)s“ ist kein Jahr zwischen 1990 und 2100.")
                % {"wert": werte.get("jahr")}
            )
        schluessel = (werte.get("sozialraum"), phase, jahr)
        if not fehler and schluessel in gesehen:
            fehler.append(
                _("Diese Kombination aus Sozialraum, Lebensphase und Jahr steht doppelt.")
            )
        gesehen.add(schluessel)
        if fehler:
            meldungen += [
                _("Zeile %(nummer)s: %(fehler)s") % {"nummer": nummer, "fehler": f} for f in fehler
            ]
        else:
            gueltig.append((raum, phase, jahr, anzahl))
    if meldungen:
        raise ImportFehler(meldungen)
    with transaction.atomic():
        for raum, phase, jahr, anzahl in gueltig:
            Bevoelkerung.objects.update_or_create(
                sozialraum=raum,
                lebensphase=phase,
                jahr=jahr,
                defaults={"anzahl": anzahl, "demo": False},
            )
    return len(gueltig)
