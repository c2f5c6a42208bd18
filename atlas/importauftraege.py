"""Import jobs: a file's preview and import run by a worker, outside the request.

A job (atlas.models.Importauftrag) holds the uploaded file in the database, so any app server
may show its preview and take its confirmation. `manage.py importe_abarbeiten` takes waiting
jobs with SELECT … FOR UPDATE SKIP LOCKED (several workers on several hosts never run one job
twice) and runs each step as the request would: the preview as a dry run that is rolled back,
the import in one transaction — every row or none. While it runs, a thread reports the progress
and a heartbeat over its own connection; a job whose heartbeat stops (worker killed, host gone)
is marked failed with a German message, and its transaction died with its connection.
"""

import datetime
import logging
import os
import socket
import subprocess
import sys
import threading
import types
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.results import RowResult
from simple_history.models import HistoricalRecords

from .models import Importauftrag

logger = logging.getLogger(__name__)

Status = Importauftrag.Status
# Messages of at most this many rows are kept for the result page (the file has them all).
MAX_GEMELDETE_ZEILEN = 200
FORTSCHRITT_SEKUNDEN = 2


def modell_admin(modell):
    """The admin class that imports `modell` ("app_label.model_name"): only what the admin
    offers to import can be a job."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower == modell:
            return model_admin
    raise LookupError(modell)


def ressource_klasse(auftrag):
    return modell_admin(auftrag.modell).resource_classes[auftrag.ressource]


def auftrag_anlegen(
    *,
    benutzer,
    modell,
    inhalt,
    dateiname,
    netzwerk=None,
    format_index=None,
    ressource=0,
    zeilen=0,
    status=Status.VORSCHAU_WARTET,
):
    """A new job with the file; the format is recognised as the upload form does."""
    from .importieren import FORMATE, MAX_DATEIGROESSE, ZIP_ANFANG, XLSXFormat

    if len(inhalt) > MAX_DATEIGROESSE:
        raise ValueError("Datei zu groß")
    if format_index is None:
        ist_xlsx = dateiname.lower().endswith((".xlsx", ".xlsm")) or inhalt.startswith(ZIP_ANFANG)
        format_index = FORMATE.index(XLSXFormat) if ist_xlsx else 0
    return Importauftrag.objects.create(
        benutzer=benutzer,
        modell=modell,
        ressource=ressource,
        netzwerk_id=getattr(netzwerk, "pk", netzwerk),
        format=format_index,
        dateiname=Path(dateiname).name[:255],
        datei=bytes(inhalt),
        groesse=len(inhalt),
        sprache=translation.get_language() or settings.LANGUAGE_CODE,
        status=status,
        zeilen=zeilen,
    )


def tabelle_lesen(auftrag):
    from .importieren import FORMATE

    return FORMATE[auftrag.format]().create_dataset(bytes(auftrag.datei))


def ressource_anlegen(auftrag):
    """The resource as the request builds it: the user's scope, the network checked again."""
    klasse = ressource_klasse(auftrag)
    netzwerk = None
    if auftrag.netzwerk_id is not None:
        auswahl = klasse.netzwerk_auswahl(auftrag.benutzer)
        netzwerk = auswahl.filter(pk=auftrag.netzwerk_id).first() if auswahl is not None else None
        if netzwerk is None:
            from .ressourcen import ImportFehler

            raise ImportFehler(_("Das gewählte Netzwerk gehört nicht zu Ihren Netzwerken."))
    return klasse(benutzer=auftrag.benutzer, netzwerk=netzwerk)


def importieren(ressource, tabelle, *, trocken):
    """django-import-export's run as the admin's: all-or-nothing, rows with errors included."""
    return ressource.import_data(
        tabelle,
        dry_run=trocken,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        collect_failed_rows=False,
    )


def summen(ergebnis):
    return {
        "neu": ergebnis.totals[RowResult.IMPORT_TYPE_NEW],
        "geaendert": ergebnis.totals[RowResult.IMPORT_TYPE_UPDATE],
        "unveraendert": ergebnis.totals[RowResult.IMPORT_TYPE_SKIP],
    }


def zusammenfassen(ergebnis):
    """What the result page shows: counts, the first rows' messages, the file's errors."""
    fehler = []
    for zeile in ergebnis.invalid_rows[:MAX_GEMELDETE_ZEILEN]:
        meldungen = [
            f"{spalte}: {meldung}"
            for spalte, liste in zeile.field_specific_errors.items()
            for meldung in liste
        ] + [str(m) for m in zeile.non_field_specific_errors]
        fehler.append({"zeile": zeile.number + 1, "meldungen": meldungen})
    return {
        **summen(ergebnis),
        "fehlerhafte_zeilen": len(ergebnis.invalid_rows),
        "fehler": fehler,
        "dateifehler": [str(e.error) for e in ergebnis.base_errors],
    }


class Fortschritt(threading.Thread):
    """Reports rows done and a heartbeat every few seconds, over the thread's own connection:
    the import's transaction is not committed yet, so it cannot carry them."""

    def __init__(self, auftrag_id):
        super().__init__(daemon=True)
        self.auftrag_id = auftrag_id
        self.zeilen = 0
        self.ende = threading.Event()

    def run(self):
        try:
            while not self.ende.wait(FORTSCHRITT_SEKUNDEN):
                self.melden()
        finally:
            connection.close()

    def melden(self):
        try:
            Importauftrag.objects.filter(pk=self.auftrag_id).update(
                verarbeitet=self.zeilen, herzschlag=timezone.now()
            )
        except Exception:  # a lost report is no reason to stop the import
            logger.warning("Import: Fortschritt nicht gemeldet", exc_info=True)

    def __call__(self, zeilen):
        self.zeilen = zeilen


def auftrag_ausfuehren(auftrag):
    """Run the job's next step (preview or import) now, in this process."""
    trocken = auftrag.status in (Status.VORSCHAU_WARTET, Status.VORSCHAU_LAEUFT)
    Importauftrag.objects.filter(pk=auftrag.pk).update(
        status=Status.VORSCHAU_LAEUFT if trocken else Status.IMPORT_LAEUFT,
        herzschlag=timezone.now(),
        verarbeitet=0,
        arbeiter=f"{socket.gethostname()}:{os.getpid()}"[:200],
    )
    fortschritt = Fortschritt(auftrag.pk)
    fortschritt.start()
    vorher = getattr(HistoricalRecords.context, "request", None)
    # History rows name the importing user, as in the request (HistoryRequestMiddleware).
    HistoricalRecords.context.request = types.SimpleNamespace(user=auftrag.benutzer)
    try:
        with translation.override(auftrag.sprache):
            status, ergebnis = _schritt(auftrag, trocken, fortschritt)
    except Exception:
        logger.exception("Import %s fehlgeschlagen", auftrag.pk)
        status = Status.FEHLGESCHLAGEN
        with translation.override(auftrag.sprache):
            ergebnis = {"meldung": _("Der Import ist fehlgeschlagen; es wurde nichts gespeichert.")}
    finally:
        HistoricalRecords.context.request = vorher
        fortschritt.ende.set()
        fortschritt.join()
    felder = {"status": status, "ergebnis": ergebnis, "herzschlag": timezone.now()}
    if status != Status.VORSCHAU_FERTIG:
        # Imported, refused or failed: the file is not needed any more.
        felder.update(datei=None, beendet=timezone.now())
    if status in (Status.VORSCHAU_FERTIG, Status.FERTIG):
        felder["verarbeitet"] = auftrag.zeilen
    Importauftrag.objects.filter(pk=auftrag.pk).update(**felder)
    auftrag.refresh_from_db()
    return auftrag


def _schritt(auftrag, trocken, fortschritt):
    from .ressourcen import ImportFehler

    try:
        tabelle = tabelle_lesen(auftrag)
        ressource = ressource_anlegen(auftrag)
    except ImportFehler as fehler:
        return Status.VORSCHAU_FEHLER if trocken else Status.FEHLGESCHLAGEN, {
            "meldung": str(fehler)
        }
    if auftrag.zeilen != len(tabelle):
        Importauftrag.objects.filter(pk=auftrag.pk).update(zeilen=len(tabelle))
        auftrag.zeilen = len(tabelle)
    ressource.fortschritt = fortschritt
    ressource.ohne_vergleich = True
    ergebnis = importieren(ressource, tabelle, trocken=trocken)
    zusammenfassung = zusammenfassen(ergebnis)
    if ergebnis.has_errors() or ergebnis.has_validation_errors():
        if trocken:
            return Status.VORSCHAU_FEHLER, zusammenfassung
        zusammenfassung["meldung"] = _("Der Import enthält Fehler; es wurde nichts gespeichert.")
        return Status.FEHLGESCHLAGEN, zusammenfassung
    return (Status.VORSCHAU_FERTIG if trocken else Status.FERTIG), zusammenfassung


# --- Workers -----------------------------------------------------------------------------------


def naechsten_auftrag_nehmen():
    """A waiting job, claimed for this worker; None when there is none. Locked rows (another
    worker is claiming them) are skipped, so two workers never take the same job."""
    with transaction.atomic():
        auftrag = (
            Importauftrag.objects.select_for_update(skip_locked=True)
            .filter(status__in=Importauftrag.WARTEND)
            .order_by("erstellt")
            .first()
        )
        if auftrag is None:
            return None
        auftrag.status = (
            Status.VORSCHAU_LAEUFT
            if auftrag.status == Status.VORSCHAU_WARTET
            else Status.IMPORT_LAEUFT
        )
        auftrag.herzschlag = timezone.now()
        auftrag.arbeiter = f"{socket.gethostname()}:{os.getpid()}"[:200]
        auftrag.save(update_fields=["status", "herzschlag", "arbeiter", "aktualisiert"])
    return auftrag


def abarbeiten(*, hoechstens=None):
    """Run waiting jobs until none is left (or `hoechstens` were run); the number run."""
    veraltete_auftraege_melden()
    anzahl = 0
    while hoechstens is None or anzahl < hoechstens:
        if not connection.in_atomic_block:
            # A long-running worker drops a connection the database has closed.
            close_old_connections()
        auftrag = naechsten_auftrag_nehmen()
        if auftrag is None:
            break
        auftrag_ausfuehren(auftrag)
        anzahl += 1
    return anzahl


def veraltete_auftraege_melden(jetzt=None):
    """Running jobs without a heartbeat for IMPORT_HERZSCHLAG_SEKUNDEN: their worker is gone.
    Marked failed with a German message (nothing was saved: the transaction ended with the
    worker's connection); the number marked."""
    jetzt = jetzt or timezone.now()
    grenze = jetzt - datetime.timedelta(seconds=settings.IMPORT_HERZSCHLAG_SEKUNDEN)
    veraltet = Importauftrag.objects.filter(
        status__in=[Status.VORSCHAU_LAEUFT, Status.IMPORT_LAEUFT], herzschlag__lt=grenze
    )
    anzahl = 0
    for auftrag in veraltet:
        with translation.override(auftrag.sprache):
            meldung = _(
                "Der Import wurde unterbrochen (der Hintergrundprozess hat sich nicht mehr "
                "gemeldet); es wurde nichts gespeichert. Bitte laden Sie die Datei erneut hoch."
            )
        anzahl += Importauftrag.objects.filter(
            pk=auftrag.pk, status=auftrag.status, herzschlag__lt=grenze
        ).update(
            status=Status.FEHLGESCHLAGEN,
            ergebnis={**auftrag.ergebnis, "meldung": meldung},
            datei=None,
            beendet=jetzt,
        )
    return anzahl


def arbeiter_starten():
    """Start `manage.py importe_abarbeiten` detached from the request (IMPORT_ARBEITER
    "prozess"); it ends when no job waits. Any number may run: they skip each other's jobs."""
    if settings.IMPORT_ARBEITER != "prozess":
        return False
    manage = Path(settings.BASE_DIR) / "manage.py"
    # Reap the workers this process started earlier that have ended (no zombies).
    _gestartet[:] = [p for p in _gestartet if p.poll() is None]
    try:
        prozess = subprocess.Popen(  # noqa: S603 – fixed arguments
            [sys.executable, str(manage), "importe_abarbeiten"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        logger.exception("Import-Arbeiter nicht gestartet")
        return False
    _gestartet.append(prozess)
    return True


_gestartet = []


def importdateien_entfernen(jetzt=None):
    """Files of jobs older than IMPORT_VORSCHAU_STUNDEN that no worker needs any more: the
    preview expires. The number of files removed (`manage.py aufbewahrung`)."""
    jetzt = jetzt or timezone.now()
    grenze = jetzt - datetime.timedelta(hours=settings.IMPORT_VORSCHAU_STUNDEN)
    alt = Importauftrag.objects.filter(datei__isnull=False, erstellt__lt=grenze)
    # A preview not confirmed in time, or a job no worker took in time.
    anzahl = alt.filter(status__in=[Status.VORSCHAU_FERTIG, *Importauftrag.WARTEND]).update(
        datei=None, status=Status.ABGELAUFEN, beendet=jetzt
    )
    return anzahl + alt.exclude(status__in=Importauftrag.LAUFEND).update(datei=None)
