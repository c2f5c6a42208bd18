"""The base every import shares: cells to values with German messages, scope, stable keys.

Every row is forced into the importer's scope (atlas.rollen): an existing record is found by its
stable key and must lie in `im_bereich_von(user)`, otherwise the row is an error and nothing is
overwritten; references to scoped models are looked up only inside that scope, vocabularies by
name, slug or code. Error messages repeat only what the importer wrote, never another network's
data. The domain apps' resources (akteure.ressourcen, angebote.ressourcen) build on it; reading
the file and the admin side are in atlas.importieren.
"""

import contextlib
import copy
import dataclasses
import datetime
import functools
import logging
import re
from collections import OrderedDict

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.db.models.constraints import CheckConstraint
from django.db.models.expressions import DatabaseDefault
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.exceptions import ImportError as ZeilenFehler
from import_export.resources import Diff
from import_export.results import Error, RowResult
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object

from .uebersetzung import Herkunft, Uebersetzung, quell_hash, zielsprachen

logger = logging.getLogger(__name__)


class ImportFehler(ValueError):
    """A problem with the importer's own data; its message is safe to show them."""


def zeile_in_datei(nummer):
    """Data row `nummer` (1-based) as the line number Excel shows: the header is line 1."""
    return nummer + 1


def text(wert):
    """A cell as clean text: Excel hands over numbers, dates and None as well as strings."""
    if wert is None:
        return ""
    if isinstance(wert, bool):
        return _("ja") if wert else _("nein")
    if isinstance(wert, float) and wert.is_integer():
        wert = int(wert)
    if isinstance(wert, datetime.datetime):
        wert = wert.date()
    if isinstance(wert, datetime.date):
        return wert.strftime("%d.%m.%Y")
    return str(wert).replace("\x00", "").strip()


def fremd_meldung():
    return _(
        "Dieser Eintrag gehört nicht zu Ihren Netzwerken. Er wird nicht überschrieben; "
        "für einen neuen Eintrag geben Sie einen anderen Kurznamen an."
    )


# --- Widgets: one cell to one value, German messages ---------------------------------------


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PlzWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        wert = text(value)
        # Excel turns "01067" into the number 1067.
        if isinstance(value, int | float) and not isinstance(value, bool):
            wert = wert.zfill(5)
        if wert and not re.fullmatch(r"[0-9]{5}", wert):
            raise ImportFehler(_("„%(wert)s“ ist keine fünfstellige PLZ.") % {"wert": wert})
        return wert


class WebsiteWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        wert = text(value)
        # Lists say "www.example.de"; the model wants a full address.
        if wert and "://" not in wert:
            wert = f"https://{wert}"
        return wert


def in_allen_sprachen(wort):
    """`wort` as every UI language writes it, casefolded: an export made in Turkish says
    "evet", and the same file has to import again."""
    return _in_sprachen(wort, tuple(code for code, _name in settings.LANGUAGES))


@functools.cache
def _in_sprachen(wort, codes):
    woerter = set()
    for code in codes:
        with translation.override(code):
            woerter.add(_(wort).casefold())
    return frozenset(woerter)


class JaNeinWidget(widgets.Widget):
    JA = {"ja", "j", "x", "1", "wahr", "true", "yes", "y"}
    NEIN = {"", "nein", "n", "0", "falsch", "false", "no", "-"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        wert = text(value).casefold()
        if wert in self.JA or wert in in_allen_sprachen("ja"):
            return True
        if wert in self.NEIN or wert in in_allen_sprachen("nein"):
            return False
        raise ImportFehler(_("„%(wert)s“ ist weder „ja“ noch „nein“.") % {"wert": text(value)})

    def render(self, value, obj=None, **kwargs):
        return _("ja") if value else _("nein")


class DatumWidget(widgets.Widget):
    FORMATE = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        wert = text(value)
        if not wert:
            return None
        for format_ in self.FORMATE:
            try:
                return datetime.datetime.strptime(wert, format_).date()
            except ValueError:
                continue
        raise ImportFehler(_("„%(wert)s“ ist kein Datum (TT.MM.JJJJ).") % {"wert": wert})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if value else ""


class GanzzahlWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        wert = text(value).replace(",", ".").replace("−", "-")
        if not wert:
            return None
        try:
            zahl = float(wert)
        except ValueError:
            zahl = None
        if zahl is None or not zahl.is_integer() or abs(zahl) > 32000:
            raise ImportFehler(_("„%(wert)s“ ist keine ganze Zahl.") % {"wert": text(value)})
        return int(zahl)


class AuswahlWidget(widgets.Widget):
    """A choice by its key or its German (or current) label; empty keeps the current value."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def _zuordnung(self):
        # Built once per language of the run (the labels are translated lazily).
        sprache = translation.get_language()
        gemerkt = self.__dict__.setdefault("_zuordnungen", {})
        if sprache not in gemerkt:
            gemerkt[sprache] = self._zuordnung_bauen()
        return gemerkt[sprache]

    def _zuordnung_bauen(self):
        zuordnung = {}
        for wert, label in self.choices:
            zuordnung[str(wert).casefold()] = wert
            zuordnung[str(label).casefold()] = wert
            with translation.override("de"):
                zuordnung[str(label).casefold()] = wert
        return zuordnung

    def clean(self, value, row=None, **kwargs):
        wert = text(value)
        if not wert:
            return None
        try:
            return self._zuordnung()[wert.casefold()]
        except KeyError:
            erlaubt = ", ".join(str(label) for _wert, label in self.choices)
            raise ImportFehler(
                _("„%(wert)s“ ist kein erlaubter Wert (erlaubt: %(erlaubt)s).")
                % {"wert": wert, "erlaubt": erlaubt}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


def _einfache_schreibung(wert):
    """Whether Python's and PostgreSQL's case rules surely agree on `wert` (no letter that
    changes its length in upper or lower case, like ß or İ): a value not found in a read
    vocabulary then does not exist there."""
    return all(len(z.lower()) == 1 and len(z.upper()) == 1 for z in wert)


class NachschlageWidget(widgets.Widget):
    """A foreign key by one of several text fields (slug, name, code), ignoring case.

    With `bereich=True` the model is scoped: only rows in the importer's scope are found (plus the
    record's current values, which the importer already sees), and "not found" and "not yours"
    read the same, so that a lookup reveals nothing about other networks.
    """

    def __init__(self, model, felder, bereich=False, **kwargs):
        self.model = model
        self.felder = felder
        self.bereich = bereich
        self.benutzer = None
        self.aktuell = set()
        self.gemerkt = {}
        self.im_bereich_gefunden = {}
        self.verzeichnis = None
        self.verzeichnis_pks = set()
        super().__init__(**kwargs)

    #: Vocabularies up to this size are read whole, once per import, instead of per value.
    VERZEICHNIS_HOECHSTENS = 5000

    def _verzeichnis(self):
        """{field: {lowercased value: [rows]}} of a small vocabulary; {} for a large one."""
        zeilen = list(self.queryset()[: self.VERZEICHNIS_HOECHSTENS + 1])
        if len(zeilen) > self.VERZEICHNIS_HOECHSTENS:
            return {}
        self.verzeichnis_pks = {zeile.pk for zeile in zeilen}
        verzeichnis = {feld: {} for feld in self.felder}
        for zeile in zeilen:
            for feld in self.felder:
                wert = getattr(zeile, feld)
                if wert:
                    verzeichnis[feld].setdefault(str(wert).lower(), []).append(zeile)
        return verzeichnis

    def _im_verzeichnis(self, wert):
        """As _finden() from the read vocabulary; None when nothing matches (the database is
        then asked, as its case rules may differ from Python's in rare letters)."""
        for feld in self.felder:
            treffer = self.verzeichnis[feld].get(wert.lower(), [])
            if len(treffer) == 1:
                return treffer[0]
            if treffer:
                return ImportFehler(
                    _("„%(wert)s“ ist nicht eindeutig; bitte geben Sie den Kurznamen an.")
                    % {"wert": wert}
                )
        return None

    def queryset(self):
        qs = self.model._default_manager.all()
        if not self.bereich:
            return qs
        erlaubt = Q(pk__in=self.model._default_manager.im_bereich_von(self.benutzer).values("pk"))
        return qs.filter(erlaubt | Q(pk__in=self.aktuell)) if self.aktuell else qs.filter(erlaubt)

    def finden(self, wert):
        """The one row matching `wert`, or None; two or more rows are an error."""
        if self.bereich:
            # The scope only grows during an import (new partners): a row found inside it stays
            # allowed. What is not found, or found only as a record's current value, is looked
            # up again each time.
            if wert in self.im_bereich_gefunden:
                return self.im_bereich_gefunden[wert]
            treffer = self._im_bereich_verzeichnis(wert)
            if treffer is not None:
                if isinstance(treffer, ImportFehler):
                    raise treffer
                self.im_bereich_gefunden[wert] = treffer
                return treffer
            treffer = self._finden(wert)
            if treffer is not None and not self.aktuell:
                self.im_bereich_gefunden[wert] = treffer
            return treffer
        # Vocabularies do not change during an import; a file names the same few many times.
        if wert not in self.gemerkt and self.verzeichnis is None:
            self.verzeichnis = self._verzeichnis()
        if wert not in self.gemerkt and self.verzeichnis:
            treffer = self._im_verzeichnis(wert)
            if treffer is not None or _einfache_schreibung(wert):
                self.gemerkt[wert] = treffer
        if wert not in self.gemerkt:
            try:
                self.gemerkt[wert] = self._finden(wert)
            except ImportFehler as fehler:
                self.gemerkt[wert] = fehler
        if isinstance(self.gemerkt[wert], ImportFehler):
            raise self.gemerkt[wert]
        return self.gemerkt[wert]

    def _im_bereich_verzeichnis(self, wert):
        """As _finden() from the scope read once per import (when it is small), or None: then
        the database is asked. Only while the record's current values lie inside the scope
        (then scope and current values together are the scope alone); a value not in it may be
        a partner added during the import, or spelt by a case rule Python does not share."""
        if self.verzeichnis is None:
            aktuell, self.aktuell = self.aktuell, set()
            try:
                self.verzeichnis = self._verzeichnis()
            finally:
                self.aktuell = aktuell
        if not self.verzeichnis or not self.aktuell <= self.verzeichnis_pks:
            return None
        return self._im_verzeichnis(wert)

    def _finden(self, wert):
        qs = self.queryset()
        for feld in self.felder:
            treffer = list(qs.filter(**{f"{feld}__iexact": wert})[:2])
            if len(treffer) == 1:
                return treffer[0]
            if treffer:
                raise ImportFehler(
                    _("„%(wert)s“ ist nicht eindeutig; bitte geben Sie den Kurznamen an.")
                    % {"wert": wert}
                )
        return None

    def nicht_gefunden(self, werte):
        liste = ", ".join(f"„{w}“" for w in werte)
        if self.bereich:
            return ImportFehler(
                _("%(liste)s: nicht gefunden oder gehört nicht zu Ihren Netzwerken.")
                % {"liste": liste}
            )
        return ImportFehler(
            _("%(liste)s: nicht gefunden (%(art)s).")
            % {"liste": liste, "art": self.model._meta.verbose_name}
        )

    def clean(self, value, row=None, **kwargs):
        wert = text(value)
        if not wert:
            return None
        treffer = self.finden(wert)
        if treffer is None:
            raise self.nicht_gefunden([wert])
        return treffer

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NachschlageListeWidget(widgets.ManyToManyWidget):
    """A many-to-many list: entries separated by commas (or ; | line breaks), each looked up.

    Some vocabulary names contain commas ("Geld, Arbeit & Beruf"), so the longest run of
    comma-separated parts that names an entry wins.
    """

    def __init__(self, model, felder, bereich=False, **kwargs):
        self.einzeln = NachschlageWidget(model, felder, bereich=bereich)
        super().__init__(model, separator=", ", **kwargs)

    def clean(self, value, row=None, **kwargs):
        # A vocabulary does not change during an import and a row's list is cleaned several
        # times (check, completeness, diff, save): each distinct cell is looked up once.
        if self.einzeln.bereich:
            return self._clean(value)
        gemerkt = self.__dict__.setdefault("_gemerkt", {})
        schluessel = text(value)
        if schluessel not in gemerkt:
            try:
                gemerkt[schluessel] = self._clean(value)
            except ImportFehler as fehler:
                gemerkt[schluessel] = fehler
        if isinstance(gemerkt[schluessel], ImportFehler):
            raise gemerkt[schluessel]
        return list(gemerkt[schluessel])

    def _clean(self, value):
        gefunden, fehlend = [], []
        for abschnitt in re.split(r"[;|\n]", text(value)):
            teile = [t.strip() for t in abschnitt.split(",")]
            teile = [t for t in teile if t]
            i = 0
            while i < len(teile):
                for j in range(len(teile), i, -1):
                    treffer = self.einzeln.finden(", ".join(teile[i:j]))
                    if treffer is not None:
                        if treffer not in gefunden:
                            gefunden.append(treffer)
                        i = j
                        break
                else:
                    fehlend.append(teile[i])
                    i += 1
        if fehlend:
            raise self.einzeln.nicht_gefunden(fehlend)
        return gefunden

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(str(o) for o in value.all())


def spalte(attribut, name, widget=None, leer_behalten=False):
    """A resource field; `leer_behalten`: an empty cell keeps the current (or default) value."""
    return fields.Field(
        attribute=attribut,
        column_name=name,
        widget=widget or TextWidget(),
        saves_null_values=not leer_behalten,
    )


# Where a language's translations in a row come from: the headers before " [tr]".
HERKUNFTSSPALTEN = ("Übersetzt von", "Übersetzt durch", "Geprüft")


def normiert(spaltenname):
    return " ".join(str(spaltenname or "").replace("*", "").split()).casefold()


# --- The shared base -------------------------------------------------------------------------


class KeinVergleich(Diff):
    """No diff of a row (AtlasRessource.ohne_vergleich)."""

    def __init__(self, resource, instance, new):
        self.left, self.right, self.new = [], [], new

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


def bedingungen_pruefen(instance, exclude=(), spaeter=None):
    """The model's constraints as Model.validate_constraints() checks them, the check
    constraints in one query together; raises the same ValidationError.

    With `spaeter` (a list), check constraints the quick path can ask are not asked now: their
    Pruefauftrag is appended to it, for pruefauftraege_ausfuehren() with other rows' and
    verletzungen_eintragen() into this row's errors."""
    using = router.db_for_write(instance.__class__, instance=instance)
    pruefungen, fehler = [], {}
    for modell, bedingungen in instance.get_constraints():
        for bedingung in bedingungen:
            if isinstance(bedingung, CheckConstraint):
                pruefungen.append((modell, bedingung))
                continue
            try:
                bedingung.validate(modell, instance, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(bedingung.fields) == 1:
                    fehler.setdefault(bedingung.fields[0], []).append(e)
                else:
                    fehler = e.update_error_dict(fehler)
    auftrag = None
    if spaeter is not None and pruefungen:
        auftrag = _schnell_vorbereiten(instance, pruefungen, exclude, using)
    if isinstance(auftrag, Pruefauftrag):
        spaeter.append(auftrag)
        verletzt = []
    else:
        verletzt = _verletzte_pruefungen(instance, pruefungen, exclude, using)
    fehler = verletzungen_eintragen(verletzt, fehler)
    if fehler:
        raise ValidationError(fehler)


def verletzungen_eintragen(verletzt, fehler):
    """`fehler` (a dict of a row's errors) with the messages of the violated check
    constraints added, as Model.validate_constraints() adds them."""
    for bedingung in verletzt:
        e = ValidationError(
            bedingung.get_violation_error_message(), code=bedingung.violation_error_code
        )
        fehler = e.update_error_dict(fehler)
    return fehler


def _verletzte_pruefungen(instance, pruefungen, exclude, using):
    """The check constraints `instance` violates, asked in one SELECT (as Q.check() asks one).
    A constraint on an excluded field is left out, as Django leaves it out."""
    if not pruefungen:
        return []
    schnell = _schnell_pruefen(instance, pruefungen, exclude, using)
    if schnell is not None:
        return schnell
    query = Query(None)
    werte = {}
    for modell, _bedingung in pruefungen:
        for name, wert in instance._get_field_expression_map(
            meta=modell._meta, exclude=exclude
        ).items():
            werte.setdefault(name, wert)
    for name, wert in werte.items():
        if not hasattr(wert, "resolve_expression"):
            wert = Value(wert)
        query.add_annotation(wert, name, select=False)
    gefragt = []
    for i, (_modell, bedingung) in enumerate(pruefungen):
        ausdruck = Coalesce(
            ExpressionWrapper(Q(bedingung.condition), output_field=BooleanField()),
            True,
            output_field=BooleanField(),
        )
        try:
            query.add_annotation(ausdruck, f"_pruefung_{i}")
        except FieldError:
            continue  # refers to an excluded field
        gefragt.append(bedingung)
    if not gefragt:
        return []
    try:
        with (
            transaction.atomic(using=using)
            if connections[using].in_atomic_block
            else (contextlib.nullcontext())
        ):
            zeile = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        logger.warning("Import: Bedingungen nicht prüfbar", exc_info=True)
        return []
    return [b for b, erfuellt in zip(gefragt, zeile, strict=True) if not erfuellt]


#: SELECT list of the check constraints per (model, constraints, database), compiled once.
_PRUEF_SQL = {}


def _pruef_typ(feld, wert):
    """The SQL type to cast `wert` of `feld` to in _schnell_pruefen(), or None: then a value
    that could make the cast itself fail (such rows take the general path)."""
    if wert is None:
        return "NULL"
    if isinstance(wert, bool):
        return "boolean" if isinstance(feld, models.BooleanField) else None
    if isinstance(feld, models.ForeignKey):
        return "bigint" if isinstance(wert, int) and abs(wert) < 2**62 else None
    if isinstance(feld, models.CharField | models.TextField) and isinstance(wert, str):
        return "text"
    if isinstance(feld, models.IntegerField) and isinstance(wert, int) and abs(wert) < 2**62:
        return "bigint"
    if isinstance(feld, models.DateTimeField):
        return "timestamptz" if isinstance(wert, datetime.datetime) else None
    if isinstance(feld, models.DateField) and isinstance(wert, datetime.date):
        return "date" if not isinstance(wert, datetime.datetime) else None
    if (
        getattr(feld, "geom_type", None) == "POINT"
        and getattr(wert, "geom_type", None) == "Point"
        and wert.srid == feld.srid
    ):
        return "geography" if feld.geography else "geometry"
    return None


@dataclasses.dataclass
class Pruefauftrag:
    """One row's check constraints, ready to be asked (_schnell_vorbereiten)."""

    select: str
    select_params: tuple
    tabelle: str
    gefragt: list
    teile: tuple
    werte: list
    using: str

    def gestalt(self):
        """Rows of one shape (same constraints, same column types) share one SELECT."""
        return (self.select, self.select_params, self.tabelle, self.teile, self.using)


def _schnell_pruefen(instance, pruefungen, exclude, using):
    """_verletzte_pruefungen() for the common case, or None: the constraints' SELECT list is
    compiled once per model against the table's columns, and each row's values come in as a
    one-row subselect in its place (same conditions, same NULL rule, one query, no building of
    a query per row). Only for constraints of the model itself on plain values that cannot
    make the casts fail."""
    auftrag = _schnell_vorbereiten(instance, pruefungen, exclude, using)
    if not isinstance(auftrag, Pruefauftrag):
        return auftrag
    sql = f"{auftrag.select} FROM (SELECT {', '.join(auftrag.teile)}) AS {auftrag.tabelle}"
    with connections[using].cursor() as cursor:
        cursor.execute(sql, (*auftrag.select_params, *auftrag.werte))
        zeile = cursor.fetchone()
    return [b for b, erfuellt in zip(auftrag.gefragt, zeile, strict=True) if not erfuellt]


#: Rows per SELECT of pruefauftraege_ausfuehren().
PRUEF_STAPEL = 500


def pruefauftraege_ausfuehren(auftraege):
    """The violated constraints of each Pruefauftrag (a list each, in order): the rows of one
    shape as one VALUES list in the table's place, PRUEF_STAPEL per SELECT
    (the same conditions as _schnell_pruefen asks per row). A SELECT the database refuses is
    asked again row by row; a row it still refuses counts as checked, as in
    _verletzte_pruefungen (the INSERT then meets the constraint)."""
    ergebnis = [None] * len(auftraege)
    gruppen = {}
    for i, auftrag in enumerate(auftraege):
        gruppen.setdefault(auftrag.gestalt(), []).append(i)
    for (select, select_params, tabelle, teile, using), nummern in gruppen.items():
        verbindung = connections[using]
        marke = verbindung.ops.quote_name("_import_zeile")
        ausdruecke = [t.rsplit(" AS ", 1)[0] for t in teile]
        namen = ", ".join(t.rsplit(" AS ", 1)[1] for t in teile)
        for k in range(0, len(nummern), PRUEF_STAPEL if teile else 1):
            teil = nummern[k : k + PRUEF_STAPEL]
            if not teile:  # constraints on no column: nothing to list
                ergebnis[teil[0]] = _einzeln_pruefen(auftraege[teil[0]])
                continue
            # One VALUES list in the table's place (a UNION ALL of one-row subselects costs the
            # server a subquery to plan per row: seconds per statement under load).
            zeilen = ", ".join(f"({', '.join(ausdruecke)}, {j})" for j in teil)
            sql = f"{select}, {marke} FROM (VALUES {zeilen}) AS {tabelle} ({namen}, {marke})"
            werte = [wert for j in teil for wert in auftraege[j].werte]
            try:
                with transaction.atomic(using=using), verbindung.cursor() as cursor:
                    cursor.execute(sql, (*select_params, *werte))
                    antworten = cursor.fetchall()
            except DatabaseError:
                logger.warning("Import: Bedingungen nicht gemeinsam prüfbar", exc_info=True)
                for j in teil:
                    ergebnis[j] = _einzeln_pruefen(auftraege[j])
                continue
            for *erfuellt, j in antworten:
                gefragt = auftraege[j].gefragt
                ergebnis[j] = [b for b, ok in zip(gefragt, erfuellt, strict=True) if not ok]
    return ergebnis


def _einzeln_pruefen(auftrag):
    sql = f"{auftrag.select} FROM (SELECT {', '.join(auftrag.teile)}) AS {auftrag.tabelle}"
    try:
        with transaction.atomic(using=auftrag.using), connections[auftrag.using].cursor() as c:
            c.execute(sql, (*auftrag.select_params, *auftrag.werte))
            zeile = c.fetchone()
    except DatabaseError:
        logger.warning("Import: Bedingungen nicht prüfbar", exc_info=True)
        return []
    return [b for b, erfuellt in zip(auftrag.gefragt, zeile, strict=True) if not erfuellt]


def _schnell_vorbereiten(instance, pruefungen, exclude, using):
    """The Pruefauftrag of _schnell_pruefen(), [] when no constraint is to be asked, or None
    when the quick path does not apply."""
    modell = instance.__class__
    meta = modell._meta
    gefragt, spalten = [], {}
    for besitzer, bedingung in pruefungen:
        if besitzer is not modell:
            return None
        namen = bedingung.condition.referenced_base_fields
        if namen & set(exclude):
            continue
        for name in namen:
            try:
                feld = meta.pk if name == "pk" else meta.get_field(name)
            except Exception:
                return None
            if not feld.concrete or feld.generated or feld.model is not modell:
                return None
            spalten[feld.column] = feld
        gefragt.append(bedingung)
    if not gefragt:
        return []
    schluessel = (modell, tuple(b.name for b in gefragt), using)
    if schluessel not in _PRUEF_SQL:
        query = Query(modell)
        query.default_cols = False
        query.default_ordering = False
        for i, bedingung in enumerate(gefragt):
            query.add_annotation(
                Coalesce(
                    ExpressionWrapper(Q(bedingung.condition), output_field=BooleanField()),
                    True,
                    output_field=BooleanField(),
                ),
                f"_pruefung_{i}",
            )
        sql, params = query.get_compiler(using=using).as_sql()
        tabelle = connections[using].ops.quote_name(meta.db_table)
        ende = f" FROM {tabelle}"
        _PRUEF_SQL[schluessel] = (
            (sql[: -len(ende)], tuple(params), tabelle) if sql.endswith(ende) else None
        )
    vorlage = _PRUEF_SQL[schluessel]
    if vorlage is None:
        return None
    select, select_params, tabelle = vorlage
    verbindung = connections[using]
    teile, werte = [], []
    for spalte_, feld in sorted(spalten.items()):
        wert = getattr(instance, feld.attname)
        if isinstance(wert, DatabaseDefault) or hasattr(wert, "resolve_expression"):
            return None
        typ = _pruef_typ(feld, wert)
        if typ is None:
            return None
        name = verbindung.ops.quote_name(spalte_)
        if wert is None:
            null_typ = feld.cast_db_type(verbindung)
            if not null_typ:
                return None
            teile.append(f"CAST(NULL AS {null_typ}) AS {name}")
            continue
        teile.append(f"CAST(%s AS {typ}) AS {name}")
        werte.append(feld.get_db_prep_value(wert, verbindung, prepared=False))
    return Pruefauftrag(select, select_params, tabelle, gefragt, tuple(teile), werte, using)


#: Python types of prepared values COPY writes as an INSERT would (psycopg's dumpers).
COPY_TYPEN = (str, int, float, bool, datetime.date, datetime.time, type(None))


def _kopierbar(wert, verbindung):
    if isinstance(wert, list):
        return all(isinstance(w, COPY_TYPEN) and w is not None for w in wert)
    return isinstance(wert, COPY_TYPEN) or type(wert) is verbindung.ops.Adapter


def neue_einfuegen(modell, objekte, using):
    """INSERT new records as bulk_create() does (the fields' pre_save and database values, ids
    in the order of `objekte`), by COPY: the ids are drawn from the table's sequence first, and
    the rows need no statement text with a parameter per value. Values only an INSERT can write
    (an expression, DEFAULT, a type COPY does not know) take bulk_create(). Unlike
    bulk_create(), columns a trigger sets are not read back into the instances."""
    verbindung = connections[using]
    meta = modell._meta
    felder = [f for f in meta.concrete_fields if not f.generated and f is not meta.pk]
    zeilen = []
    for objekt in objekte:
        if objekt.pk is not None or not isinstance(meta.pk, models.AutoField):
            zeilen = None
            break
        objekt._prepare_related_fields_for_save(operation_name="bulk_create")
        zeile = []
        for feld in felder:
            wert = feld.pre_save(objekt, add=True)
            if hasattr(wert, "resolve_expression"):
                zeile = None
                break
            wert = feld.get_db_prep_save(wert, verbindung)
            if not _kopierbar(wert, verbindung):
                zeile = None
                break
            zeile.append(wert)
        if zeile is None:
            zeilen = None
            break
        zeilen.append(zeile)
    if zeilen is None:
        modell._default_manager.using(using).bulk_create(objekte)
        return
    q = verbindung.ops.quote_name
    # COPY goes past Django's cursor wrapper: its errors are made Django's as an INSERT's are.
    with verbindung.cursor() as cursor, verbindung.wrap_database_errors:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            (q(meta.db_table), meta.pk.column, len(zeilen)),
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        spalten = ", ".join(q(f.column) for f in [meta.pk, *felder])
        with cursor.copy(f"COPY {q(meta.db_table)} ({spalten}) FROM STDIN") as kopie:
            for pk, zeile in zip(ids, zeilen, strict=True):
                kopie.write_row((pk, *zeile))
    for pk, objekt in zip(ids, objekte, strict=True):
        objekt.pk = pk
        objekt._state.adding = False
        objekt._state.db = using


def links_einfuegen(m2m, quellen, ziele):
    """INSERT the link rows (quellen[i], ziele[i]) of a many-to-many field, in this order, as
    bulk_create() of its auto-created through model writes them."""
    through = m2m.remote_field.through
    quelle = through._meta.get_field(m2m.m2m_field_name())
    ziel = through._meta.get_field(m2m.m2m_reverse_field_name())
    if not through._meta.auto_created:  # a through model of its own may add columns
        through._default_manager.bulk_create(
            [
                through(**{quelle.attname: q, ziel.attname: z})
                for q, z in zip(quellen, ziele, strict=True)
            ]
        )
        return
    using = router.db_for_write(through)
    verbindung = connections[using]
    q = verbindung.ops.quote_name
    sql = (
        f"INSERT INTO {q(through._meta.db_table)} ({q(quelle.column)}, {q(ziel.column)}) "
        f"SELECT * FROM unnest(%s::{quelle.db_type(verbindung)}[], "
        f"%s::{ziel.db_type(verbindung)}[])"
    )
    with verbindung.cursor() as cursor:
        cursor.execute(sql, (quellen, ziele))


#: The columns simple_history adds to a history table; verlauf_aus_tabelle() writes these.
VERLAUF_SPALTEN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
}


def verlauf_aus_tabelle(modell, manager_name, objekte):
    """The history rows ("+") of records just INSERTed, in one INSERT … SELECT from their
    table: the same rows bulk_history_create() builds from the instances (each record's
    `_history_date`, user and change reason; ids in the order of `objekte`), without a model
    instance and a parameter per value. Only for records whose stored values are the instance's
    (no trigger changes a column the history keeps). False when the history model has columns
    of its own (then bulk_history_create() is needed)."""
    manager = getattr(modell, manager_name)
    historie = manager.model
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return True
    if hasattr(historie, "history_relation"):
        return False
    verfolgt = [(historie._meta.get_field(f.name), f) for f in historie.tracked_fields]
    spalten = {f.attname for f in historie._meta.concrete_fields}
    if spalten != {h.attname for h, _f in verfolgt} | VERLAUF_SPALTEN:
        return False
    using = router.db_for_write(historie)
    verbindung = connections[using]
    q = verbindung.ops.quote_name
    pk = modell._meta.pk
    nutzer = historie._meta.get_field("history_user")
    ids, daten, gruende, nutzer_ids = [], [], [], []
    for objekt in objekte:
        user = getattr(objekt, "_history_user", None)
        if not hasattr(objekt, "_history_user"):
            user = historie.get_default_history_user(objekt)
        ids.append(objekt.pk)
        daten.append(getattr(objekt, "_history_date", None) or timezone.now())
        gruende.append(get_change_reason_from_object(objekt) or "")
        nutzer_ids.append(getattr(user, "pk", user))
    ziel = ", ".join(
        [q(h.column) for h, _f in verfolgt]
        + [q(n) for n in ("history_date", "history_change_reason", "history_type")]
        + [q(nutzer.column)]
    )
    quelle = ", ".join(f"t.{q(f.column)}" for _h, f in verfolgt)
    sql = (
        f"INSERT INTO {q(historie._meta.db_table)} ({ziel}) "
        f"SELECT {quelle}, v.datum, v.grund, %s, v.nutzer "
        f"FROM unnest(%s::{pk.db_type(verbindung)}[], %s::timestamptz[], %s::text[], "
        f"%s::{nutzer.db_type(verbindung)}[]) WITH ORDINALITY AS v(pk, datum, grund, nutzer, nr) "
        f"JOIN {q(modell._meta.db_table)} AS t ON t.{q(pk.column)} = v.pk ORDER BY v.nr"
    )
    with verbindung.cursor() as cursor:
        cursor.execute(sql, ("+", ids, daten, gruende, nutzer_ids))
    return True


def _verlaufsnutzer():
    """The user simple_history's post_save would name: the request's (the import job sets
    one), if signed in."""
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _einmal(fehler):
    """Each message once: the completeness check and a database constraint word one gap alike
    (a published offering without a place), as the admin form shows it once too."""
    return list({tuple(f.messages): f for f in fehler}.values())


def _als_fehlerzeile(ergebnis, meldung):
    """A row result made an error row afterwards, as if its row had failed there and then
    (no record, no diff)."""
    ergebnis.import_type = RowResult.IMPORT_TYPE_INVALID
    ergebnis.errors = []
    ergebnis.validation_error = meldung
    ergebnis.diff = ergebnis.object_id = ergebnis.object_repr = None
    ergebnis.instance = ergebnis.original = None


#: Values whose cleaned value _felder_pruefen() may remember: immutable, compared by value (the
#: type is part of the key: True == 1).
SAUBER_MERKBAR = frozenset({str, int, bool, float, datetime.date, type(None)})
SAUBER_HOECHSTENS = 100_000


class AtlasRessource(resources.ModelResource):
    """Scope, stable keys, German messages and all-or-nothing for every import."""

    #: Columns a file must have (German headers).
    pflichtspalten = []
    #: Other spellings people use in Excel, mapped to our headers.
    aliase = {}
    #: The column holding the stable key when the key is the slug; filled in when empty.
    schluesselspalte = None
    #: Help text of the import form's "Netzwerk für neue Einträge" (see netzwerk_auswahl).
    netzwerk_hilfe = ""
    #: Called with the number of the row being imported (the job's progress), or None.
    fortschritt = None
    #: True: no per-row diff of old and new values (the job's result page shows counts and
    #: errors only); saves two reads of every field, many-to-many ones included, per row.
    ohne_vergleich = False

    def get_diff_class(self):
        return KeinVergleich if self.ohne_vergleich else super().get_diff_class()

    def get_import_fields(self):
        # The same list for every row of a run (django-import-export builds it per call).
        if "_import_felder" not in self.__dict__:
            self._import_felder = super().get_import_fields()
        return list(self._import_felder)

    def _ohne_kopie(self):
        """With ohne_vergleich, no diff is built and a new record is not deep-copied for
        skip_row (django-import-export copies every record before filling it): this resource's
        own options say skip_diff, and after_init_instance() keeps what skip_row compares."""
        if self.ohne_vergleich and not self._meta.skip_diff:
            self._meta = copy.copy(type(self)._meta)
            self._meta.skip_diff = True

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if self._meta.skip_diff and self.ohne_vergleich:
            # A new record is fresh from init_instance(): a shallow copy (with its own _state,
            # Model.__reduce__) holds the same values; an existing one is copied deep as before.
            self._original = copy.copy(instance) if new else copy.deepcopy(instance)
            self._original_neu = new

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As django-import-export's, with the model's check constraints in one query per row
        instead of one each (same messages, same order, same fields left out)."""
        fehler = dict(import_validation_errors or {})
        if not self._meta.clean_model_instances:
            if fehler:
                raise ValidationError(fehler)
            return
        ohne = set(fehler)
        try:
            self._felder_pruefen(instance, ohne)
        except ValidationError as e:
            fehler = e.update_error_dict(fehler)
        try:
            instance.clean()
        except ValidationError as e:
            fehler = e.update_error_dict(fehler)
        ohne |= {name for name in fehler if name != NON_FIELD_ERRORS}
        if validate_unique:
            try:
                instance.validate_unique(exclude=ohne | self._schluessel_frei(instance))
            except ValidationError as e:
                fehler = e.update_error_dict(fehler)
            ohne |= {name for name in fehler if name != NON_FIELD_ERRORS}
        # A new record of a job is written at the end (neue_sammeln): its check constraints
        # are asked there too, with the other rows' (pruefungen_nachholen).
        spaeter = [] if self._sammeln() and instance._state.adding else None
        try:
            bedingungen_pruefen(instance, exclude=ohne, spaeter=spaeter)
        except ValidationError as e:
            fehler = e.update_error_dict(fehler)
        if spaeter:
            self._pruefung = (spaeter[0], {k: list(v) for k, v in fehler.items()})
        if fehler:
            raise ValidationError(fehler)

    def _schluessel_frei(self, instance):
        """{"slug"} when the row's slug is known to be free for it, else {}: it was read ahead
        (before_import) and no other record had it then, or this one, and it stands only once
        in the file (einmal_je_datei), so no other row of this import took it."""
        slug = getattr(instance, "slug", None)
        if not slug or slug not in getattr(self, "_vorab_gefragt", ()):
            return set()
        if self._schluessel.get(slug) != self._zeile:
            return set()
        vorhanden = self._vorab.get(slug)
        if vorhanden is not None and vorhanden.pk != instance.pk:
            return set()
        return {"slug"}

    def _felder_pruefen(self, instance, ohne):
        """Model.clean_fields(), except that a reference already confirmed in this import is not
        looked up again (Django asks the database once per reference and row), and a plain
        value a field has accepted before is taken as it was cleaned then (a field's checks
        depend on the value alone; a file repeats most of its values)."""
        bestaetigt = self.__dict__.setdefault("_bestaetigte_verweise", set())
        sauber = self.__dict__.setdefault("_saubere_werte", {})
        fehler = {}
        for feld in instance._meta.fields:
            if feld.name in ohne or feld.generated:
                continue
            roh = getattr(instance, feld.attname)
            if (feld.blank and roh in feld.empty_values) or isinstance(roh, DatabaseDefault):
                continue
            merkbar = not feld.many_to_one and type(roh) in SAUBER_MERKBAR
            if merkbar and (feld, type(roh), roh) in sauber:
                setattr(instance, feld.attname, sauber[feld, type(roh), roh])
                continue
            if feld.many_to_one and (feld.name, roh) not in bestaetigt:
                self._verweise_vorab_bestaetigen(feld, instance, bestaetigt)
            try:
                if feld.many_to_one and (feld.name, roh) in bestaetigt:
                    wert = feld.to_python(roh)
                    models.Field.validate(feld, wert, instance)
                    feld.run_validators(wert)
                else:
                    wert = feld.clean(roh, instance)
                    if feld.many_to_one:
                        bestaetigt.add((feld.name, roh))
                if merkbar and type(wert) in SAUBER_MERKBAR and len(sauber) < SAUBER_HOECHSTENS:
                    sauber[feld, type(roh), roh] = wert
                setattr(instance, feld.attname, wert)
            except ValidationError as e:
                fehler[feld.name] = e.error_list
        if fehler:
            raise ValidationError(fehler)

    def _verweise_vorab_bestaetigen(self, feld, instance, bestaetigt):
        """ForeignKey.validate()'s existence check for every row the lookup of this column has
        read (its scope, NachschlageWidget.verzeichnis), in one query at the field's first
        reference instead of one per referenced row."""
        gefragt = self.__dict__.setdefault("_vorab_bestaetigt", set())
        if feld.name in gefragt:
            return
        gefragt.add(feld.name)
        ziel = feld.remote_field
        if ziel.field_name != ziel.model._meta.pk.name:
            return
        pks = set()
        for spalte_ in self.fields.values():
            widget = spalte_.widget
            if spalte_.attribute == feld.name and isinstance(widget, NachschlageWidget):
                pks |= widget.verzeichnis_pks if widget.verzeichnis else set()
        if not pks:
            return
        using = router.db_for_read(ziel.model, instance=instance)
        qs = ziel.model._base_manager.using(using).filter(pk__in=pks)
        for pk in qs.complex_filter(feld.get_limit_choices_to()).values_list("pk", flat=True):
            bestaetigt.add((feld.name, pk))

    def save_m2m(self, instance, row, **kwargs):
        """A new record's many-to-many rows are collected and written in batches (nothing to
        compare or delete; no signal handlers listen to these tables, the facet arrays are kept
        by database triggers); changed records as before. A record still to be written
        (neue_sammeln) keeps its rows with it until its INSERT."""
        offen = self.__dict__.get("_offen")
        if offen is not None and offen.get("instanz") is instance:
            offen["links"] = self._links(instance, row)
            return
        if self._sammeln() and not getattr(instance, "_import_neu", False):
            with transaction.atomic(using=self.get_db_connection_name()):
                return super().save_m2m(instance, row, **kwargs)
        if (
            not getattr(instance, "_import_neu", False)
            or self._is_dry_run(kwargs)
            and not (self._is_using_transactions(kwargs))
        ):
            return super().save_m2m(instance, row, **kwargs)
        self._links_einreihen(instance.pk, self._links(instance, row))
        # With a diff (the preview table in the request) the row's links must be there at once.
        if (
            not self.ohne_vergleich
            or sum(len(quellen) for quellen, _z in self._m2m_warteschlange.values())
            >= self.M2M_STAPEL
        ):
            self.m2m_schreiben()

    def _links(self, instance, row):
        """{many-to-many field: [keys of the linked rows]} of a new record's cells."""
        links = {}
        for feld in self.get_import_fields():
            if not isinstance(feld.widget, widgets.ManyToManyWidget):
                continue
            if feld.column_name not in row:
                continue
            werte = self._m2m_clean(feld, row)
            if werte:
                links[instance._meta.get_field(feld.attribute)] = [wert.pk for wert in werte]
        return links

    def _links_einreihen(self, pk, links):
        """Queue the link rows of the record `pk` for m2m_schreiben()."""
        for m2m, ziele in links.items():
            quellen, ziel_pks = self._m2m_warteschlange.setdefault(m2m, ([], []))
            quellen.extend([pk] * len(ziele))
            ziel_pks.extend(ziele)

    #: Link rows of new records are written in batches of about this many.
    M2M_STAPEL = 2000

    def m2m_schreiben(self):
        """Write the waiting link rows, one INSERT per table (the keys as two arrays, so that
        the statement stays short); called per batch and at the end of the import, inside its
        transaction. The tables are Django's own (auto-created, no other columns)."""
        for m2m, (quellen, ziele) in self._m2m_warteschlange.items():
            links_einfuegen(m2m, quellen, ziele)
        self._m2m_warteschlange = {}

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        self._ohne_kopie()
        self._m2m_warteschlange = {}
        self._verlauf_warteschlange = {}
        self._neue = []
        self._nachpruefen = []
        if self._sammeln() and using_transactions:
            return self._zeilen_importieren(
                dataset, dry_run, raise_errors, collect_failed_rows, **kwargs
            )
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )

    def _zeilen_importieren(self, dataset, dry_run, raise_errors, collect_failed_rows, **kwargs):
        """django-import-export's import_data_inner() (in one transaction, use_bulk off), but
        without a SAVEPOINT around each row: a collected row writes nothing until
        neue_schreiben(), and a changed record's writes take their own (save_instance,
        save_m2m), so that a statement the database refuses still costs only its row."""
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        using = self.get_db_connection_name()
        try:
            with transaction.atomic(using=using):
                self.before_import(dataset, **kwargs)
            self._check_import_id_fields(dataset.headers)
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        instance_loader = self._meta.instance_loader_class(self, dataset)
        result.total_rows = len(dataset)
        if collect_failed_rows:
            result.add_dataset_headers(dataset.headers)
        for i, data_row in enumerate(dataset, 1):
            row = OrderedDict(zip(dataset.headers, data_row, strict=False))
            kwargs.update({"dry_run": dry_run, "using_transactions": True, "row_number": i})
            row_result = self.import_row(row, instance_loader, **kwargs)
            result.increment_row_result_total(row_result)
            if row_result.errors:
                result.append_error_row(i, row, row_result.errors)
                if collect_failed_rows:
                    result.append_failed_row(row, row_result.errors[0])
                if raise_errors:
                    raise ZeilenFehler(row_result.errors[-1].error, number=i, row=row)
            elif row_result.validation_error:
                result.append_invalid_row(i, row, row_result.validation_error)
                if collect_failed_rows:
                    result.append_failed_row(row, row_result.validation_error)
                if raise_errors:
                    raise ZeilenFehler(row_result.validation_error, number=i, row=row)
            if row_result.import_type != RowResult.IMPORT_TYPE_SKIP or self._meta.report_skipped:
                result.append_row_result(row_result)
        try:
            with transaction.atomic(using=using):
                self.after_import(dataset, result, **kwargs)
        except Exception as e:
            self.handle_import_error(result, e, raise_errors)
        return result

    def after_import(self, dataset, result, **kwargs):
        # Before the transaction ends (and before a dry run is rolled back), so that the
        # preview also meets every database rule of the link tables.
        self.pruefungen_nachholen(result)
        self.neue_schreiben(result)
        self.m2m_schreiben()
        self.verlauf_schreiben()
        super().after_import(dataset, result, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        instance._import_neu = is_create
        if self._sammeln() and not is_create:
            # No SAVEPOINT per row here (_zeilen_importieren): a change takes its own.
            with transaction.atomic(using=self.get_db_connection_name()):
                return super().save_instance(instance, is_create, row, **kwargs)
        super().save_instance(instance, is_create, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        """The record's own INSERT or UPDATE as before; its history row (simple_history) is
        written with others in one INSERT per batch, with the same values, user, time and type
        ("+" new, "~" changed) it would have got from the save."""
        name = getattr(instance._meta, "simple_history_manager_attribute", None)
        if name is None:
            return super().do_instance_save(instance, is_create)
        instance._history_date = timezone.now()
        if not hasattr(instance, "_history_user"):
            instance._history_user = _verlaufsnutzer()
        if is_create and self._sammeln():
            # Written by neue_schreiben() with the other new records of the file.
            self.speichern_vorbereiten(instance)
            self._offen = {"instanz": instance, "links": {}, "verlauf": name}
            return
        instance.skip_history_when_saving = True
        try:
            super().do_instance_save(instance, is_create)
        finally:
            del instance.skip_history_when_saving
        warteschlange = self.__dict__.setdefault("_verlauf_warteschlange", {})
        warteschlange.setdefault((type(instance), name, is_create, False), []).append(instance)
        if sum(map(len, warteschlange.values())) >= self.M2M_STAPEL:
            self.verlauf_schreiben()

    #: True: the new records of a job (ohne_vergleich) are written together at the end of the
    #: run, in multi-row INSERTs of NEUE_STAPEL rows, instead of one INSERT each. Only for a
    #: resource whose rows never depend on a record an earlier row of the file created (its
    #: lookups do not find its own model; a key twice in a file is refused by einmal_je_datei).
    neue_sammeln = False
    NEUE_STAPEL = 1000

    def _sammeln(self):
        return self.neue_sammeln and self.ohne_vergleich and hasattr(self, "_neue")

    def speichern_vorbereiten(self, instance):
        """What the model's save() does before its INSERT, for a record written by
        neue_schreiben() (bulk_create calls no save()); a hook."""

    def _zeile_abschliessen(self, ergebnis, row, nummer):
        """A row's new record, once the row is done without error, waits for its INSERT."""
        offen = self.__dict__.pop("_offen", None)
        if offen is None or ergebnis.errors or ergebnis.validation_error is not None:
            return
        self._neue.append((offen, row, ergebnis, nummer))

    def pruefungen_nachholen(self, result):
        """The check constraints of the collected rows (validate_instance), asked together; a
        row that violates one gets the messages it would have got at once: a row without other
        errors becomes an error row (its record is not written), a row with errors gets them
        added after its own, as in Model.full_clean()."""
        nachpruefen, self._nachpruefen = self.__dict__.get("_nachpruefen", []), []
        if not nachpruefen:
            return
        verletzt = pruefauftraege_ausfuehren([eintrag[0] for eintrag in nachpruefen])
        abgelehnt = set()
        for (_auftrag, fehler, ergebnis, nummer, row), bedingungen in zip(
            nachpruefen, verletzt, strict=True
        ):
            if not bedingungen:
                continue
            meldung = self._mit_spaltennamen(
                ValidationError(verletzungen_eintragen(bedingungen, fehler))
            )
            if ergebnis.validation_error is None and not ergebnis.errors:
                result.totals[ergebnis.import_type] -= 1
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
                abgelehnt.add(id(ergebnis))
            else:
                result.invalid_rows = [z for z in result.invalid_rows if z.number != nummer]
            _als_fehlerzeile(ergebnis, meldung)
            result.append_invalid_row(nummer, row, meldung)
        if abgelehnt:
            self._neue = [z for z in self._neue if id(z[2]) not in abgelehnt]
        result.invalid_rows.sort(key=lambda zeile: zeile.number)

    def neue_schreiben(self, result):
        """INSERT the collected new records (NEUE_STAPEL per statement, ids in file order),
        then queue their links and history rows and save their translations as the row-by-row
        save would have. A statement the database refuses is rolled back and its records are
        written one by one, so that the row it refuses becomes that row's error, as it was."""
        neue, self._neue = self.__dict__.get("_neue", []), []
        if not neue:
            return
        modell = self._meta.model
        using = router.db_for_write(modell)
        for i in range(0, len(neue), self.NEUE_STAPEL):
            teil = neue[i : i + self.NEUE_STAPEL]
            try:
                with transaction.atomic(using=using):
                    neue_einfuegen(modell, [offen["instanz"] for offen, *_rest in teil], using)
                gespeichert = teil
            except DatabaseError:
                logger.info("Import: Stapel abgelehnt, Zeilen einzeln", exc_info=True)
                gespeichert = [z for z in teil if self._einzeln_speichern(*z, result, using)]
            for offen, row, ergebnis, _nummer in gespeichert:
                instanz = offen["instanz"]
                instanz._state.adding = False
                ergebnis.object_id = instanz.pk
                self._links_einreihen(instanz.pk, offen["links"])
                # Stored as the instance says (the model's triggers change no column its
                # history keeps): the history rows are copied from the table.
                self._verlauf_warteschlange.setdefault(
                    (type(instanz), offen["verlauf"], True, True), []
                ).append(instanz)
                if self.uebersetzungsspalten():
                    self.uebersetzungen_speichern(instanz, row)

    def _einzeln_speichern(self, offen, row, ergebnis, nummer, result, using):
        """One collected record's INSERT as the row-by-row import does it; a refusal turns its
        row into an error row. True if saved."""
        instanz = offen["instanz"]
        instanz.pk = None
        instanz.skip_history_when_saving = True
        try:
            with transaction.atomic(using=using):
                instanz.save(force_insert=True, using=using)
            return True
        except Exception as fehler:
            logger.warning("Import: Zeile %s", nummer, exc_info=fehler)
            _als_fehlerzeile(
                ergebnis,
                ValidationError(
                    _("Diese Zeile konnte nicht gespeichert werden; bitte prüfen Sie sie.")
                ),
            )
            result.totals[RowResult.IMPORT_TYPE_NEW] -= 1
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
            result.append_invalid_row(nummer, row, ergebnis.validation_error)
            result.invalid_rows.sort(key=lambda zeile: zeile.number)
            return False
        finally:
            del instanz.skip_history_when_saving

    def verlauf_schreiben(self):
        """Write the waiting history rows; per batch and at the end of the import, inside its
        transaction."""
        warteschlange = self.__dict__.pop("_verlauf_warteschlange", {})
        for (modell, name, neu, aus_tabelle), objekte in warteschlange.items():
            if aus_tabelle and verlauf_aus_tabelle(modell, name, objekte):
                continue
            getattr(modell, name).bulk_history_create(
                objekte, batch_size=self.M2M_STAPEL, update=not neu
            )

    def __init__(self, benutzer=None, netzwerk=None, **kwargs):
        super().__init__(**kwargs)
        self.benutzer = benutzer
        self.netzwerk = netzwerk
        self._schluessel = {}
        self._zeile = None
        for feld in self.fields.values():
            for widget in self._nachschlage_widgets(feld):
                widget.benutzer = benutzer

    @classmethod
    def netzwerk_auswahl(cls, benutzer):
        """The networks the import form offers for new records (a queryset), or None: no choice.

        The choice reaches the resource as `netzwerk`.
        """
        return None

    @staticmethod
    def _nachschlage_widgets(feld):
        if isinstance(feld.widget, NachschlageListeWidget):
            return [feld.widget.einzeln]
        if isinstance(feld.widget, NachschlageWidget):
            return [feld.widget]
        return []

    @classmethod
    def spalten(cls):
        return [cls.fields[name].column_name for name in cls._meta.fields] + [
            spalte_ for spalte_, _feld, _sprache in cls.uebersetzungsspalten()
        ]

    @classmethod
    def uebersetzungsspalten(cls):
        """(header, field, language) of the translations a file may carry: "Titel [tr]" for
        each translatable field of the model (hook `uebersetzbare_felder`) and each language
        besides German, then where that language's translations come from (field None): who
        ("Übersetzt von [tr]"), how ("Übersetzt durch [tr]": Anbieter, Übersetzer:in,
        maschinell) and whether a person checked them ("Geprüft [tr]")."""
        felder = [
            (cls.fields[name].column_name, name)
            for name in cls._meta.fields
            if name in getattr(cls._meta.model, "uebersetzbare_felder", ())
        ]
        if not felder:
            return []
        spalten_ = []
        for code, _name in zielsprachen():
            spalten_ += [(f"{kopf} [{code}]", feld, code) for kopf, feld in felder]
            spalten_ += [(f"{kopf} [{code}]", None, code) for kopf in HERKUNFTSSPALTEN]
        return spalten_

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if instance.pk is not None and self.uebersetzungsspalten():
            self.uebersetzungen_speichern(instance, row)

    def herkunft_aus_zeile(self, row, sprache):
        """(herkunft, uebersetzt_von, geprueft) of a language's translations in this row; empty
        cells: made by a translator, no name, not checked. Raises ImportFehler."""
        von, durch, geprueft = (text(row.get(f"{kopf} [{sprache}]")) for kopf in HERKUNFTSSPALTEN)
        herkunft = AuswahlWidget(Herkunft.choices).clean(durch) or Herkunft.UEBERSETZUNG
        return herkunft, von[:150], JaNeinWidget().clean(geprueft)

    def herkunft_pruefen(self, row):
        """The provenance cells of the row, as errors keyed by their column (for the preview).
        A column the file does not have holds nothing wrong."""
        fehler = {}
        for spalte_, widget in self._herkunftszellen():
            if spalte_ not in row:
                continue
            try:
                widget.clean(row.get(spalte_))
            except ImportFehler as e:
                fehler[spalte_] = [str(e)]
        return fehler

    def _herkunftszellen(self):
        """(column, widget) of the checked provenance cells, built once per resource."""
        if "_herkunftszellen_" not in self.__dict__:
            zellen = []
            for code, _name in zielsprachen() if self.uebersetzungsspalten() else ():
                zellen += [
                    (f"{HERKUNFTSSPALTEN[1]} [{code}]", AuswahlWidget(Herkunft.choices)),
                    (f"{HERKUNFTSSPALTEN[2]} [{code}]", JaNeinWidget()),
                ]
            self._herkunftszellen_ = zellen
        return self._herkunftszellen_

    def uebersetzungen_speichern(self, instance, row):
        """The translation columns of a row. A changed or new text is saved with the row's
        provenance of its language ("Übersetzt von/durch", "Geprüft"; empty: by a translator,
        unchecked) as made from the German text of this row; an unchanged one keeps who made it,
        whether it was checked and whether it is outdated; an empty cell removes nothing (a file
        without translations must not delete them)."""
        spalten_ = [(s, f, c) for s, f, c in self.uebersetzungsspalten() if f and text(row.get(s))]
        if not spalten_:
            return
        vorhanden = {(u.feld, u.sprache): u for u in instance.uebersetzungen.all()}
        for spalte_, feld, sprache in spalten_:
            wert = text(row.get(spalte_)) if feld else ""
            if not wert:
                continue
            alt = vorhanden.get((feld, sprache))
            if alt is not None and alt.text == wert:
                continue
            u = alt or Uebersetzung(objekt=instance, feld=feld, sprache=sprache)
            u.text = wert
            u.herkunft, u.uebersetzt_von, u.geprueft = self.herkunft_aus_zeile(row, sprache)
            u.quelle_hash = quell_hash(getattr(instance, feld))
            u.save()

    @classmethod
    def spalten_zuordnen(cls, kopfzeile):
        """Our header for each column of the file; raises ImportFehler naming what is wrong."""
        bekannt = {normiert(s): s for s in cls.spalten()}
        bekannt.update({normiert(alias): s for alias, s in cls.aliase.items()})
        neu, unbekannt, doppelt = [], [], []
        for kopf in kopfzeile:
            spalte_ = bekannt.get(normiert(kopf))
            if spalte_ is None:
                unbekannt.append(str(kopf))
            elif spalte_ in neu:
                doppelt.append(spalte_)
            neu.append(spalte_ or str(kopf))
        fehlend = [s for s in cls.pflichtspalten if s not in neu]
        meldungen = []
        if fehlend:
            meldungen.append(
                _("Es fehlen die Pflichtspalten: %(spalten)s.")
                % {"spalten": ", ".join(f"„{s}“" for s in fehlend)}
            )
        if unbekannt:
            meldungen.append(
                _("Unbekannte Spalten: %(spalten)s.")
                % {"spalten": ", ".join(f"„{s}“" for s in unbekannt)}
            )
        if doppelt:
            meldungen.append(
                _("Doppelte Spalten: %(spalten)s.")
                % {"spalten": ", ".join(f"„{s}“" for s in doppelt)}
            )
        if meldungen:
            meldungen.append(
                _("Erlaubt sind: %(spalten)s.")
                % {"spalten": ", ".join(f"„{s}“" for s in cls.spalten())}
            )
            raise ImportFehler(" ".join(meldungen))
        return neu

    # -- the import run

    def before_import(self, dataset, **kwargs):
        dataset.headers = self.spalten_zuordnen(dataset.headers or [])
        if self.schluesselspalte and self.schluesselspalte not in dataset.headers:
            # The key is derived per row (get_instance) and imported like a written one.
            dataset.append_col([""] * len(dataset), header=self.schluesselspalte)
        self._vorab = {}
        self._vorab_gefragt = set()
        schluessel = set()
        for zeile in dataset.dict:
            try:
                wert = self.vorab_schluessel(dict(zeile))
            except (ValueError, ValidationError):
                wert = None
            if wert:
                schluessel.add(wert)
        if schluessel:
            self._vorab_laden(sorted(schluessel))

    #: Keys are read ahead in batches of this many.
    VORAB_STAPEL = 1000

    def vorab_schluessel(self, row):
        """The slug get_instance() will look up for this row, or None (then it asks itself);
        a hook: records found by slug are read ahead in batches, with their scope."""
        return None

    def _vorab_laden(self, schluessel):
        manager = self._meta.model._default_manager
        bereich = manager.im_bereich_von(self.benutzer)
        for i in range(0, len(schluessel), self.VORAB_STAPEL):
            teil = schluessel[i : i + self.VORAB_STAPEL]
            for obj in manager.filter(slug__in=teil).annotate(
                _im_bereich=Exists(bereich.filter(pk=OuterRef("pk")))
            ):
                self._vorab[obj.slug] = obj
            self._vorab_gefragt.update(teil)

    def import_row(self, row, instance_loader, **kwargs):
        self._zeile = kwargs.get("row_number")
        if self.fortschritt is not None and self._zeile:
            self.fortschritt(self._zeile - 1)
        if all(not text(wert) for wert in row.values()):
            leer = self.get_row_result_class()()
            leer.import_type = RowResult.IMPORT_TYPE_SKIP
            return leer
        for feld in self.fields.values():
            for widget in self._nachschlage_widgets(feld):
                widget.aktuell = set()
        self._offen = self._pruefung = None
        self._m2m_zeile = {}
        self._original, self._original_neu = None, True
        ergebnis = super().import_row(row, instance_loader, **kwargs)
        self._m2m_zeile = {}
        # What django-import-export gives a row with KeinVergleich as its diff class.
        if (
            self._meta.skip_diff
            and self.ohne_vergleich
            and ergebnis.import_type
            not in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR)
        ):
            ergebnis.diff = []
            if not self._original_neu:
                ergebnis.original = self._original
        self._original = None
        if self._sammeln():
            if self._pruefung is not None:
                auftrag, fehler = self._pruefung
                self._nachpruefen.append((auftrag, fehler, ergebnis, self._zeile, row))
            self._zeile_abschliessen(ergebnis, row, self._zeile)
        if ergebnis.errors:
            # An unexpected failure becomes a row error with a safe message; the details go to
            # the log, not to the page (they may quote database rows).
            fehler = ergebnis.errors[0].error
            if isinstance(fehler, ImportFehler):
                meldung = str(fehler)
            else:
                logger.warning("Import: Zeile %s", self._zeile, exc_info=fehler)
                meldung = _("Diese Zeile konnte nicht gespeichert werden; bitte prüfen Sie sie.")
            ergebnis.errors = []
            ergebnis.import_type = RowResult.IMPORT_TYPE_INVALID
            ergebnis.validation_error = ValidationError(meldung)
        if ergebnis.validation_error is not None:
            ergebnis.validation_error = self._mit_spaltennamen(ergebnis.validation_error)
        return ergebnis

    def _mit_spaltennamen(self, fehler):
        """Field errors keyed by the file's column names, as the importer knows them."""
        if not hasattr(fehler, "error_dict"):
            return fehler
        namen = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        return ValidationError(
            {
                (k if k == NON_FIELD_ERRORS else namen.get(k, k)): _einmal(v)
                for k, v in fehler.error_dict.items()
            }
        )

    def handle_import_error(self, result, error, raise_errors=False):
        if not isinstance(error, ImportFehler):
            logger.warning("Import fehlgeschlagen", exc_info=error)
            error = ImportFehler(_("Der Import ist fehlgeschlagen; es wurde nichts gespeichert."))
        if result is not None:
            result.append_base_error(Error(error))
        if raise_errors:
            raise error

    # -- finding the record a row means

    def im_bereich_suchen(self, **schluessel):
        """The existing record with this key, which must be in the importer's scope."""
        if list(schluessel) == ["slug"] and schluessel["slug"] in getattr(
            self, "_vorab_gefragt", ()
        ):
            obj = self._vorab.get(schluessel["slug"])
            if obj is not None and not obj._im_bereich:
                raise ValidationError({self._schluesselattribut(): fremd_meldung()})
            return obj
        manager = self._meta.model._default_manager
        obj = (
            manager.filter(**schluessel)
            .annotate(
                _im_bereich=Exists(manager.im_bereich_von(self.benutzer).filter(pk=OuterRef("pk")))
            )
            .first()
        )
        if obj is None:
            return None
        if not obj._im_bereich:
            raise ValidationError({self._schluesselattribut(): fremd_meldung()})
        return obj

    def _schluesselattribut(self):
        return self.get_import_id_fields()[0]

    def einmal_je_datei(self, schluessel, beschreibung):
        """Two rows meaning the same record would silently overwrite each other: refuse."""
        erste = self._schluessel.setdefault(schluessel, self._zeile)
        if erste != self._zeile:
            raise ValidationError(
                {
                    self._schluesselattribut(): _(
                        "Derselbe Eintrag (%(was)s) steht schon in Zeile %(zeile)s der Datei."
                    )
                    % {"was": beschreibung, "zeile": zeile_in_datei(erste)}
                }
            )

    def get_instance(self, instance_loader, row):
        raise NotImplementedError

    # -- filling the record

    def import_instance(self, instance, row, **kwargs):
        self._aktuelle_werte_merken(instance)
        fehler = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            fehler = e.update_error_dict(fehler)
        # Many-to-many values are only written after the save; check them now so that a wrong
        # entry shows in the preview as an error of its row.
        for feld in self.get_import_fields():
            if isinstance(feld.widget, widgets.ManyToManyWidget) and feld.column_name in row:
                try:
                    self._m2m_clean(feld, row)
                except ValueError as e:
                    fehler.setdefault(feld.attribute, []).append(str(e))
        try:
            self.zeile_pruefen(instance, row)
        except ValidationError as e:
            fehler = e.update_error_dict(fehler)
        fehler.update(self.herkunft_pruefen(row))
        if not fehler:
            fehlend = self._fehlende_angaben(instance, row)
            if fehlend:
                fehler[NON_FIELD_ERRORS] = fehlend
        if fehler:
            raise ValidationError(fehler)

    def _fehlende_angaben(self, instance, row):
        """The completeness check of the admin form: the model's vollstaendigkeit_fehler()."""
        if not hasattr(instance, "vollstaendigkeit_fehler"):
            return []  # e.g. contact persons: nothing to publish
        m2m = {}
        for feld in self.get_import_fields():
            if isinstance(feld.widget, widgets.ManyToManyWidget) and feld.column_name in row:
                m2m[feld.attribute] = self._m2m_clean(feld, row)
        return instance.vollstaendigkeit_fehler(**m2m)

    def _m2m_clean(self, feld, row):
        """feld.clean(row) of a many-to-many column, cleaned once per row (the check, the
        completeness, skip_row and the links ask for it): a fresh list each time."""
        gemerkt = self.__dict__.setdefault("_m2m_zeile", {})
        schluessel = (feld.column_name, id(row))
        if schluessel not in gemerkt:
            gemerkt[schluessel] = (row, feld.clean(row))
        return list(gemerkt[schluessel][1])

    def zeile_pruefen(self, instance, row):
        """Checks of the whole row after its values are set; raise ValidationError."""

    def _aktuelle_werte_merken(self, instance):
        """A record's current references stay allowed, as in the admin's change form."""
        if instance.pk is None:
            return
        for feld in self.fields.values():
            for widget in self._nachschlage_widgets(feld):
                wert = feld.get_value(instance)
                if wert is None:
                    continue
                if hasattr(wert, "all"):
                    widget.aktuell = set(wert.values_list("pk", flat=True))
                else:
                    widget.aktuell = {wert.pk}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Unchanged rows are skipped: a second import of the same file writes nothing, not even
        # history.
        if import_validation_errors:
            return False
        if original is None:
            original = self._original
        for feld in self.get_import_fields():
            if feld.attribute is None or feld.column_name not in row:
                continue
            if isinstance(feld.widget, widgets.ManyToManyWidget):
                neu = sorted(o.pk for o in self._m2m_clean(feld, row))
                alt = (
                    []
                    if original.pk is None
                    else sorted(feld.get_value(original).values_list("pk", flat=True))
                )
                if neu != alt:
                    return False
            elif feld.attribute.startswith("_"):
                continue
            elif feld.get_value(instance) != feld.get_value(original):
                return False
        return not self._neue_uebersetzungen(original, row)

    def _neue_uebersetzungen(self, original, row):
        """Whether the row brings a translation text the record does not have yet."""
        spalten_ = [(s, f, c) for s, f, c in self.uebersetzungsspalten() if f and text(row.get(s))]
        if not spalten_:
            return False
        if original.pk is None:
            return True
        vorhanden = {(u.feld, u.sprache): u.text for u in original.uebersetzungen.all()}
        return any(vorhanden.get((f, c)) != text(row.get(s)) for s, f, c in spalten_)

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
