"""Reading import files safely, the import form, and the admin mixin for django-import-export.

A file is checked before anything is imported: size (before it is read), type, encoding, zip
structure of an .xlsx (a zip bomb is refused before openpyxl opens it; openpyxl parses its XML
with defusedxml, so entities and DTDs are refused), a budget of rows (blank ones count) and of
seconds while reading, header row against the resource's columns. Every refusal is a German
message on the form; nothing is written. The preview is a dry run in a transaction; the confirm
step imports all rows or none. The uploaded file waits in the database (DatenbankAblage, an
Importauftrag) until confirm, cancel or expiry; large files are previewed and imported by a
worker outside the request (atlas.importauftraege).
"""

import contextvars
import csv
import io
import logging
import re
import time
import uuid
import zipfile

from defusedxml import DefusedXmlException
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ImportMixin
from import_export.formats.base_formats import Format
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult
from import_export.tmp_storages import BaseStorage

from .models import Importauftrag
from .ressourcen import ImportFehler, text

logger = logging.getLogger(__name__)

MAX_DATEIGROESSE = 10 * 1024 * 1024
# An .xlsx is a zip of XML files; these bound what openpyxl may unpack.
MAX_ENTPACKT = 50 * 1024 * 1024
MAX_ZIP_EINTRAEGE = 200
MAX_KOMPRESSION = 100
# Beyond IMPORT_SOFORT_ZEILEN rows preview and import run outside the request (a job); beyond
# this a file should be split.
MAX_ZEILEN = 20_000
MAX_SPALTEN = 100
# Rows read at most, blank ones included: a sheet formatted down to row 1,048,576 kept a preview
# busy for 46 s; it now stops after this budget, in well under a second.
ZEILEN_BUDGET_FAKTOR = 2
ZIP_ANFANG = b"PK\x03\x04"


# Control characters (Unicode category Cc) but tab and line breaks: no text file has them.
STEUERZEICHEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def zeilen_budget():
    return ZEILEN_BUDGET_FAKTOR * MAX_ZEILEN


# --- Reading files ---------------------------------------------------------------------------


def _tabelle(zeilen):
    """A tablib Dataset from the rows (header first), trimmed and checked."""
    import tablib

    zeilen = iter(zeilen)
    kopf = next(zeilen, None)
    if kopf is None:
        raise ImportFehler(_("Die Datei ist leer."))
    kopf = [text(k).lstrip("\ufeff") for k in kopf]
    while kopf and not kopf[-1]:
        kopf.pop()
    if not any(kopf):
        raise ImportFehler(_("Die erste Zeile der Datei muss die Spaltenüberschriften enthalten."))
    if len(kopf) > MAX_SPALTEN:
        raise ImportFehler(
            _("Die Datei hat mehr als %(anzahl)s Spalten.") % {"anzahl": MAX_SPALTEN}
        )
    if "" in kopf:
        raise ImportFehler(
            _("Spalte %(nummer)s hat keine Überschrift.") % {"nummer": kopf.index("") + 1}
        )
    daten, leere, gefuellt = [], 0, 0
    budget, frist = zeilen_budget(), time.monotonic() + settings.IMPORT_LESEZEIT_SEKUNDEN
    for nummer, zeile in enumerate(zeilen, start=2):
        if nummer > budget + 1:
            raise ImportFehler(
                _(
                    "Die Tabelle reicht über Zeile %(anzahl)s hinaus; auch leere Zeilen zählen, "
                    "wenn sie formatiert sind. Bitte löschen Sie die leeren Zeilen unter Ihren "
                    "Daten (oder kopieren Sie nur die Daten in eine neue Mappe) und laden Sie die "
                    "Datei erneut hoch."
                )
                % {"anzahl": budget + 1}
            )
        if nummer % 500 == 0 and time.monotonic() > frist:
            raise ImportFehler(
                _(
                    "Die Datei ließ sich nicht in %(sekunden)s Sekunden lesen; bitte teilen Sie "
                    "sie auf oder speichern Sie sie als CSV."
                )
                % {"sekunden": settings.IMPORT_LESEZEIT_SEKUNDEN}
            )
        zeile = list(zeile)
        if not any(text(w) for w in zeile):
            # Blank rows count (line numbers stay those of Excel) but are kept only when data
            # follows: a sheet formatted down to row 1,048,576 must not fill the memory.
            leere += 1
            continue
        if len(zeile) > len(kopf):
            if any(text(w) for w in zeile[len(kopf) :]):
                raise ImportFehler(
                    _("Zeile %(zeile)s hat mehr Werte als die Kopfzeile Spalten.")
                    % {"zeile": nummer}
                )
            zeile = zeile[: len(kopf)]
        gefuellt += 1
        if gefuellt > MAX_ZEILEN:
            raise ImportFehler(
                _("Die Datei hat mehr als %(anzahl)s Zeilen; bitte teilen Sie sie auf.")
                % {"anzahl": MAX_ZEILEN}
            )
        daten.extend([""] * len(kopf) for _leer in range(leere))
        leere = 0
        daten.append(zeile + [""] * (len(kopf) - len(zeile)))
    if not daten:
        raise ImportFehler(_("Die Datei enthält nur die Kopfzeile, keine Daten."))
    tabelle = tablib.Dataset(*daten, headers=kopf)
    tabelle.atlas_zeilen = gefuellt  # rows with data (blank ones between them not counted)
    return tabelle


def csv_lesen(daten):
    """CSV as German Excel writes it: `;` (or `,` or tab), UTF-8 with or without BOM, or cp1252."""
    if daten.startswith(ZIP_ANFANG):
        raise ImportFehler(
            _(
                "Das ist eine Excel-Datei, keine CSV-Datei. Wählen Sie das Format "
                "„Excel-Arbeitsmappe (.xlsx)“."
            )
        )
    if b"\x00" in daten:
        raise ImportFehler(
            _(
                "Die Datei ist keine CSV-Textdatei. Speichern Sie sie in Excel als „CSV UTF-8“ "
                "oder „CSV (Trennzeichen-getrennt)“, oder als Excel-Arbeitsmappe (.xlsx)."
            )
        )
    try:
        inhalt = daten.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # What Excel on Windows writes as "CSV (Trennzeichen-getrennt)".
            inhalt = daten.decode("cp1252")
        except UnicodeDecodeError:
            inhalt = None
    if inhalt is None or STEUERZEICHEN.search(inhalt):
        raise ImportFehler(
            _(
                "Die Zeichenkodierung der Datei wurde nicht erkannt. Erwartet wird eine CSV-Datei "
                "in UTF-8 oder Windows-1252 (so speichert Excel), oder eine .xlsx-Datei."
            )
        )
    erste_zeile = inhalt.split("\n", 1)[0].strip()
    if erste_zeile.lower().startswith("sep=") and len(erste_zeile) == 5:
        # Excel's hint line for the separator.
        trenner = erste_zeile[4]
        inhalt = inhalt.split("\n", 1)[1] if "\n" in inhalt else ""
    else:
        trenner = max([";", ",", "\t"], key=erste_zeile.count)
    try:
        return _tabelle(csv.reader(io.StringIO(inhalt, newline=""), delimiter=trenner))
    except csv.Error:
        raise ImportFehler(
            _("Die CSV-Datei ist fehlerhaft (z. B. ein nicht geschlossenes Anführungszeichen).")
        ) from None


def xlsx_pruefen(daten):
    """Refuse what is no .xlsx, or would unpack to far more than its size (a zip bomb).

    The sizes come from the zip directory; Python's zipfile never unpacks more than a member
    declares, so the declared sizes bound what openpyxl can read.
    """
    keine_xlsx = ImportFehler(_("Die Datei ist keine gültige Excel-Datei (.xlsx)."))
    if not daten.startswith(ZIP_ANFANG):
        raise keine_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(daten)) as archiv:
            eintraege = archiv.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise keine_xlsx from None
    namen = {e.filename for e in eintraege}
    if "[Content_Types].xml" not in namen or not any(n.startswith("xl/") for n in namen):
        raise keine_xlsx
    zu_gross = ImportFehler(
        _("Die Excel-Datei würde entpackt zu groß (mehr als %(mb)s MB); sie wird nicht gelesen.")
        % {"mb": MAX_ENTPACKT // (1024 * 1024)}
    )
    if len(eintraege) > MAX_ZIP_EINTRAEGE:
        raise zu_gross
    if sum(e.file_size for e in eintraege) > MAX_ENTPACKT:
        raise zu_gross
    for eintrag in eintraege:
        if eintrag.file_size > 1024 * 1024 and (
            eintrag.file_size > MAX_KOMPRESSION * max(eintrag.compress_size, 1)
        ):
            raise zu_gross


# openpyxl reads with defusedxml when it is installed (a dependency): entity declarations, DTDs
# and external references end the parse with this error instead of being expanded or fetched.
XML_UNSICHER = gettext_lazy(
    "Die Excel-Datei enthält XML-Anweisungen (Entitäten oder eine DTD), die Excel selbst nicht "
    "schreibt; aus Sicherheitsgründen wird sie nicht gelesen. Speichern Sie die Tabelle in Excel "
    "neu oder als CSV."
)


def _unlesbar(fehler):
    """The German message for an error of openpyxl (which wraps defusedxml's in a ValueError)."""
    ursache = fehler
    while ursache is not None:
        if isinstance(ursache, DefusedXmlException):
            return ImportFehler(XML_UNSICHER)
        ursache = ursache.__cause__ or ursache.__context__
    logger.info("XLSX nicht lesbar", exc_info=fehler)
    return ImportFehler(_("Die Datei ist keine gültige Excel-Datei (.xlsx)."))


def xlsx_lesen(daten):
    """The first (active) sheet of an .xlsx, values only (formulas as their cached results)."""
    import openpyxl

    xlsx_pruefen(daten)
    try:
        mappe = openpyxl.load_workbook(io.BytesIO(daten), read_only=True, data_only=True)
    except Exception as fehler:
        # openpyxl raises many kinds of errors on broken files; none of them is for the page.
        raise _unlesbar(fehler) from None
    try:
        blatt = mappe.active
        zeilen = blatt.iter_rows(values_only=True, max_col=MAX_SPALTEN + 1)
        return _tabelle(zeilen)
    except ImportFehler:
        raise
    except Exception as fehler:
        raise _unlesbar(fehler) from None
    finally:
        mappe.close()


class CSVFormat(Format):
    """Binary for django-import-export: we decode ourselves (UTF-8 or cp1252)."""

    titel = gettext_lazy("CSV (Excel, Trennzeichen ; oder ,)")

    def __init__(self, *args, **kwargs):
        pass

    def get_title(self):
        return str(self.titel)

    def create_dataset(self, in_stream):
        return csv_lesen(in_stream)

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True


class XLSXFormat(CSVFormat):
    titel = gettext_lazy("Excel-Arbeitsmappe (.xlsx)")

    def create_dataset(self, in_stream):
        return xlsx_lesen(in_stream)

    def get_extension(self):
        return "xlsx"


FORMATE = [CSVFormat, XLSXFormat]


def datei_lesen(datei, format_index=None):
    """(format index, Dataset) of an uploaded file; ImportFehler with a German message."""
    if datei.size > MAX_DATEIGROESSE:
        raise ImportFehler(
            _("Die Datei ist größer als %(mb)s MB.") % {"mb": MAX_DATEIGROESSE // (1024 * 1024)}
        )
    name = (datei.name or "").lower()
    if name.endswith((".xls", ".ods", ".numbers")):
        raise ImportFehler(
            _(
                "Dieses Dateiformat wird nicht gelesen. Speichern Sie die Tabelle als .xlsx "
                "oder CSV."
            )
        )
    datei.seek(0)
    daten = datei.read(MAX_DATEIGROESSE + 1)
    datei.seek(0)
    if not daten:
        raise ImportFehler(_("Die Datei ist leer."))
    if format_index is None:
        ist_xlsx = name.endswith((".xlsx", ".xlsm")) or daten.startswith(ZIP_ANFANG)
        format_index = FORMATE.index(XLSXFormat if ist_xlsx else CSVFormat)
    return format_index, FORMATE[format_index]().create_dataset(daten)


# --- Forms -----------------------------------------------------------------------------------


class AtlasImportForm(ImportForm):
    """Upload form: the format is recognised (no JavaScript needed), the file checked here."""

    def __init__(self, formats, resources, netzwerke=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.ressourcen = resources
        datei = self.fields["import_file"]
        datei.label = _("Datei (CSV oder Excel)")
        datei.help_text = _(
            "Höchstens %(mb)s MB und %(zeilen)s Zeilen; die erste Zeile enthält die "
            "Spaltenüberschriften."
        ) % {"mb": MAX_DATEIGROESSE // (1024 * 1024), "zeilen": MAX_ZEILEN}
        datei.widget.attrs = {"accept": ".csv,.xlsx,.txt"}
        format_ = self.fields["format"]
        format_.required = False
        format_.label = _("Dateiformat")
        format_.choices = [("", _("automatisch erkennen"))] + [
            (str(i), f().get_title()) for i, f in enumerate(formats)
        ]
        format_.widget.attrs = {}
        if netzwerke is not None:
            self.fields["netzwerk"] = forms.ModelChoiceField(
                queryset=netzwerke,
                required=False,
                label=_("Netzwerk für neue Einträge"),
                help_text=resources[0].netzwerk_hilfe,
                initial=netzwerke.first() if len(netzwerke) == 1 else None,
            )

    @property
    def media(self):
        return forms.Media()

    def clean(self):
        daten = super().clean()
        datei = daten.get("import_file")
        if datei is None:
            return daten
        try:
            index, tabelle = datei_lesen(datei, _index(daten.get("format")))
            ressource = self.ressourcen[_index(daten.get("resource")) or 0]
            ressource.spalten_zuordnen(tabelle.headers)
        except ImportFehler as fehler:
            self.add_error("import_file", str(fehler))
            return daten
        except IndexError:
            self.add_error("format", _("Unbekanntes Format."))
            return daten
        daten["format"] = str(index)
        daten["zeilen"] = getattr(tabelle, "atlas_zeilen", len(tabelle))
        return daten


def _index(wert):
    try:
        return int(wert)
    except (TypeError, ValueError):
        return None


class AtlasBestaetigungsForm(ConfirmImportForm):
    netzwerk = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput, label=""
    )


# --- The uploaded file between preview and confirm -------------------------------------------

# The request whose upload the storage below keeps (django-import-export creates the storage
# without it).
_anfrage = contextvars.ContextVar("atlas_import_anfrage", default=None)


class DatenbankAblage(BaseStorage):
    """django-import-export's temporary file, kept in the database as an import job
    (atlas.Importauftrag): preview on one app server, confirmation on another."""

    def __init__(self, modell=None, **kwargs):
        super().__init__(**kwargs)
        self.modell = modell

    def save(self, data):
        from .importauftraege import auftrag_anlegen

        anfrage = _anfrage.get()
        if anfrage is None or not self.modell:
            raise ImportFehler(_("Die Datei ist nicht lesbar."))
        if isinstance(data, str):
            data = data.encode("utf-8")
        # Ready once the preview in the request has no errors (AtlasImportMixin.import_action).
        auftrag = auftrag_anlegen(
            benutzer=anfrage.user,
            modell=self.modell,
            inhalt=data,
            dateiname=getattr(anfrage, "_atlas_import_dateiname", "") or "import",
            status=Importauftrag.Status.VORSCHAU_FERTIG,
        )
        self.name = str(auftrag.pk)

    def auftrag(self):
        try:
            return Importauftrag.objects.filter(pk=uuid.UUID(str(self.name))).first()
        except ValueError:
            return None

    def read(self):
        auftrag = self.auftrag()
        if auftrag is None or auftrag.datei is None:
            raise OSError("Importdatei fehlt")
        return bytes(auftrag.datei)

    def remove(self):
        Importauftrag.objects.filter(pk=self.name).update(datei=None)


def veraltete_importdateien_entfernen(jetzt=None):
    """Delete the uploaded files older than IMPORT_VORSCHAU_STUNDEN; the number deleted."""
    from .importauftraege import importdateien_entfernen

    return importdateien_entfernen(jetzt)


# --- Admin -----------------------------------------------------------------------------------

ABBRECHEN = "_abbrechen"


class AtlasImportMixin(ImportMixin):
    """django-import-export's import for our admin classes: scoped, German, all-or-nothing.

    Put it before the Atlas admin base and name the resource: `resource_classes = [...]`.
    Files up to IMPORT_SOFORT_ZEILEN rows are previewed and imported in the request; larger ones
    become a job that a worker runs outside it (atlas.importauftraege), with a progress page.
    Either way the uploaded file waits in the database (an Importauftrag), not on this server.
    """

    import_formats = FORMATE
    import_form_class = AtlasImportForm
    tmp_storage_class = DatenbankAblage
    confirm_form_class = AtlasBestaetigungsForm
    import_template_name = "admin/import_export/atlas_import.html"
    import_export_change_list_template = "admin/import_export/atlas_change_list_import.html"

    def has_import_permission(self, request):
        # The model's own import permission (settings: IMPORT_EXPORT_IMPORT_PERMISSION_CODE),
        # and since an import creates and changes rows, those permissions too.
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def get_tmp_storage_class_kwargs(self):
        return {**super().get_tmp_storage_class_kwargs(), "modell": self.opts.label_lower}

    def _netzwerke(self, request):
        """The resource's choice of a network for new records (a queryset), or None."""
        for ressource in self.get_import_resource_classes(request):
            auswahl = ressource.netzwerk_auswahl(request.user)
            if auswahl is not None:
                return auswahl
        return None

    def get_import_form_kwargs(self, request):
        kwargs = super().get_import_form_kwargs(request)
        kwargs["netzwerke"] = self._netzwerke(request)
        return kwargs

    def create_import_form(self, request):
        # Checked once per request: the large-file branch below and django-import-export's
        # view share the form (and its reading of the file).
        if getattr(request, "_atlas_import_form", None) is None:
            request._atlas_import_form = super().create_import_form(request)
        return request._atlas_import_form

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        netzwerke = self._netzwerke(request)
        if netzwerke is None:
            del form.fields["netzwerk"]
        else:
            form.fields["netzwerk"].queryset = netzwerke
        return form

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            netzwerk = import_form.cleaned_data.get("netzwerk")
            initial["netzwerk"] = netzwerk.pk if netzwerk else None
            # The job's id (DatenbankAblage); the confirm step reads only the user's own jobs.
            initial["import_file_name"] = str(initial["import_file_name"])
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        daten = getattr(form, "cleaned_data", None) or {}
        return {"benutzer": request.user, "netzwerk": daten.get("netzwerk")}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # Any row with an error rolls back the whole import, not only rows with exceptions.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        meldung = str(e) if isinstance(e, ImportFehler) else _("Die Datei ist nicht lesbar.")
        form.add_error("import_file", meldung)

    def get_import_context_data(self, **kwargs):
        ressource = self.get_import_resource_classes(None)[0]
        return {
            "pflichtspalten": ressource.pflichtspalten,
            "alle_spalten": ressource.spalten(),
            "sofort_zeilen": settings.IMPORT_SOFORT_ZEILEN,
        }

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and form.cleaned_data["zeilen"] > settings.IMPORT_SOFORT_ZEILEN:
                return self._im_hintergrund(request, form)
            datei = form.cleaned_data.get("import_file") if form.is_valid() else None
            request._atlas_import_dateiname = getattr(datei, "name", "")
        marke = _anfrage.set(request)
        try:
            antwort = super().import_action(request, **kwargs)
        finally:
            _anfrage.reset(marke)
        kontext = getattr(antwort, "context_data", None) or {}
        form = kontext.get("form")
        datei = getattr(form, "cleaned_data", {}).get("import_file") if form else None
        name = getattr(datei, "tmp_storage_name", None)
        if request.method == "POST" and name:
            from .importauftraege import zusammenfassen

            ergebnis = kontext.get("result")
            felder = {"ergebnis": zusammenfassen(ergebnis) if ergebnis else {}}
            if ergebnis is not None:
                felder["zeilen"] = felder["verarbeitet"] = len(ergebnis.rows)
            if "confirm_form" not in kontext:
                # A preview with errors leads to no confirm step: its file is not needed.
                felder.update(
                    status=Importauftrag.Status.VORSCHAU_FEHLER, datei=None, beendet=timezone.now()
                )
            Importauftrag.objects.filter(pk=name).update(**felder)
        return antwort

    def _im_hintergrund(self, request, form):
        """A large file: preview and import by the worker; the user goes to the job's page."""
        from .importauftraege import arbeiter_starten, auftrag_anlegen

        datei = form.cleaned_data["import_file"]
        datei.seek(0)
        netzwerk = form.cleaned_data.get("netzwerk")
        auftrag = auftrag_anlegen(
            benutzer=request.user,
            modell=self.opts.label_lower,
            inhalt=datei.read(),
            dateiname=datei.name or "import",
            netzwerk=netzwerk,
            format_index=int(form.cleaned_data["format"]),
            ressource=_index(form.cleaned_data.get("resource")) or 0,
            zeilen=form.cleaned_data["zeilen"],
        )
        arbeiter_starten()
        return redirect("admin:atlas_importauftrag_change", auftrag.pk)

    def _auftrag(self, request, name):
        """The user's previewed job for this model, by the confirm form's id; else None."""
        try:
            kennung = uuid.UUID(str(name))
        except ValueError:
            return None
        return Importauftrag.objects.filter(
            pk=kennung, benutzer=request.user, modell=self.opts.label_lower
        ).first()

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirm step: read the previewed file again and import every row, or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self._seite(request, fehler=_("Die Angaben zum Import sind ungültig."))
        auftrag = self._auftrag(request, form.cleaned_data["import_file_name"])
        if ABBRECHEN in request.POST:
            if auftrag is not None:
                auftrag.abbrechen()
            messages.info(
                request, _("Der Import ist abgebrochen; die hochgeladene Datei wurde gelöscht.")
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        format_index = _index(form.cleaned_data["format"])
        abgelaufen = _("Diese Vorschau ist abgelaufen.")
        if auftrag is None or format_index not in range(len(FORMATE)):
            return self._seite(request, fehler=abgelaufen)
        # Taken once: a second click (here or on another server) finds it taken.
        if not auftrag.bestaetigen(sofort=True):
            return self._seite(request, fehler=abgelaufen)
        alter = timezone.now() - auftrag.erstellt
        try:
            if alter.total_seconds() > settings.IMPORT_VORSCHAU_STUNDEN * 3600:
                raise ImportFehler(abgelaufen)
            tabelle = FORMATE[format_index]().create_dataset(bytes(auftrag.datei))
        except ImportFehler:
            Importauftrag.objects.filter(pk=auftrag.pk).update(
                status=Importauftrag.Status.ABGELAUFEN, datei=None, beendet=timezone.now()
            )
            return self._seite(request, fehler=abgelaufen)
        from .importauftraege import Fortschritt, zusammenfassen

        herzschlag = Fortschritt(auftrag.pk)
        herzschlag.start()
        try:
            ergebnis = self.process_dataset(tabelle, form, request, **kwargs)
        finally:
            herzschlag.ende.set()
            herzschlag.join()

        fehlerhaft = ergebnis.has_errors() or ergebnis.has_validation_errors()
        Importauftrag.objects.filter(pk=auftrag.pk).update(
            status=Importauftrag.Status.FEHLGESCHLAGEN
            if fehlerhaft
            else Importauftrag.Status.FERTIG,
            ergebnis=zusammenfassen(ergebnis),
            datei=None,
            beendet=timezone.now(),
        )
        if fehlerhaft:
            # The data changed since the preview (or a rule did): everything was rolled back.
            return self._seite(
                request,
                fehler=_("Der Import enthält Fehler; es wurde nichts gespeichert."),
                result=ergebnis,
            )
        return self.process_result(ergebnis, request)

    def _seite(self, request, fehler, **kontext):
        """The upload page again, with a message on top."""
        messages.error(request, fehler)
        kontext.update(self.get_import_context_data())
        kontext.update(self.admin_site.each_context(request))
        form_class = self.get_import_form_class(request)
        form = form_class(
            self.get_import_formats(),
            self.get_import_resource_classes(request),
            netzwerke=self._netzwerke(request),
        )
        kontext.update(
            {
                "title": _("Importieren"),
                "form": form,
                "opts": self.opts,
                "media": self.media,
                "import_error_display": self.import_error_display,
            }
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], kontext, status=400)

    def add_success_message(self, result, request):
        summen = result.totals
        messages.success(
            request,
            _("Import abgeschlossen: %(neu)s neu, %(geaendert)s geändert, %(gleich)s unverändert.")
            % {
                "neu": summen[RowResult.IMPORT_TYPE_NEW],
                "geaendert": summen[RowResult.IMPORT_TYPE_UPDATE],
                "gleich": summen[RowResult.IMPORT_TYPE_SKIP],
            },
        )
