"""Model building blocks the domain apps share: publication status, review, geo, text search."""

import calendar
import datetime
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.contrib.gis.measure import D
from django.contrib.postgres.indexes import GinIndex
from django.db.models import BooleanField, ExpressionWrapper, F, FloatField, Func, Q
from django.db.models.functions import Coalesce, Now, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .uebersetzung import Uebersetzung  # noqa: F401 – a model of this app, in its own module

# Text search configuration created in migration 0002: German stemming after unaccent, so that
# "Familienbildungsstatte" and "Familienbildungsstätte" share one lexeme.
SUCHKONFIGURATION = "german_unaccent"


class Status(models.TextChoices):
    ENTWURF = "entwurf", _("Entwurf")
    VEROEFFENTLICHT = "veroeffentlicht", _("veröffentlicht")
    ARCHIVIERT = "archiviert", _("archiviert")


class EntfernungOperator(Func):
    """PostGIS `<->`: the only ordering that lets the GiST index answer nearest-first."""

    arg_joiner = " <-> "
    template = "(%(expressions)s)"
    output_field = FloatField()


def punkt_aus(lat, lon):
    from django.contrib.gis.geos import Point

    return Point(float(lon), float(lat), srid=4326)


class GeoQuerySetMixin:
    standort_feld = "standort"

    def im_umkreis(self, punkt, km):
        """Rows within `km` of `punkt`, nearest first, annotated with `entfernung` (a Distance)."""
        from django.contrib.gis.db.models.functions import Distance

        feld = self.standort_feld
        return (
            self.filter(**{f"{feld}__dwithin": (punkt, D(km=km))})
            .annotate(entfernung=Distance(feld, punkt))
            .order_by(EntfernungOperator(F(feld), models.Value(punkt, output_field=self._geo())))
        )

    def _geo(self):
        return models.PointField(geography=True, srid=4326)


def heute():
    """Today in the site's time zone, computed by the database when the query runs.

    Never a Python date: a queryset built once (at import, in a cached object) would keep the
    day it was built on.
    """
    return TruncDate(Now())


class OeffentlichQuerySet(models.QuerySet):
    """What anyone may see. Each model states its rule once, as `veroeffentlicht_q(pfad)`: a Q
    that also works across a relation (`Akteur.objects.veroeffentlicht_q("anbieter__")`)."""

    def veroeffentlicht_q(self, pfad=""):
        raise NotImplementedError

    def veroeffentlicht(self):
        return self.filter(self.veroeffentlicht_q())

    def mit_veroeffentlicht(self, *pfade):
        """Annotate whether the record at each foreign-key path is published, by its model's
        own rule: "traeger" → `traeger_veroeffentlicht`, "anbieter__traeger" →
        `anbieter_traeger_veroeffentlicht` (True; False or None when not, or when empty).

        A page decides whether to link a Träger without a query, and without the rule in Python.
        """
        markierungen = {}
        for pfad in pfade:
            modell = self.model
            for name in pfad.split("__"):
                modell = modell._meta.get_field(name).related_model
            bedingung = modell._default_manager.veroeffentlicht_q(f"{pfad}__")
            name = f"{pfad.replace('__', '_')}_veroeffentlicht"
            markierungen[name] = ExpressionWrapper(bedingung, output_field=BooleanField())
        return self.annotate(**markierungen)


def stichtag(monate, heute=None):
    """The same day `monate` months before `heute` (the month's last day where it is shorter)."""
    heute = heute or timezone.localdate()
    jahr, monat = divmod(heute.year * 12 + heute.month - 1 - monate, 12)
    tag = min(heute.day, calendar.monthrange(jahr, monat + 1)[1])
    return datetime.date(jahr, monat + 1, tag)


def veraltet_stichtag(heute=None):
    """Records whose details were last confirmed (or, never confirmed, created) on or before
    this day are older than VERALTET_MONATE: shown with a hint or hidden from the lists."""
    return stichtag(settings.VERALTET_MONATE, heute)


class PruefbarQuerySet(OeffentlichQuerySet):
    def veroeffentlicht_q(self, pfad=""):
        """Published: the status says so (models with more conditions add them)."""
        return Q(**{f"{pfad}status": Status.VEROEFFENTLICHT})

    def veraltet(self):
        """Details last confirmed (never confirmed: created) VERALTET_MONATE months ago or
        earlier."""
        stand = Coalesce(F("geprueft_am"), TruncDate("erstellt_am"))
        return self.alias(angaben_stand=stand).filter(angaben_stand__lte=veraltet_stichtag())

    def fuer_listen(self):
        """What the public lists, their maps and files show: without the outdated records when
        VERALTET_ANZEIGE is "ausblenden" (their detail pages stay, with the hint)."""
        if settings.VERALTET_ANZEIGE != "ausblenden":
            return self
        grenze = veraltet_stichtag()
        return self.filter(
            Q(geprueft_am__gt=grenze) | Q(geprueft_am__isnull=True, erstellt_am__date__gt=grenze)
        )


def status_intern_index(name):
    """An index over the records that are not public: drafts to finish, archived ones.

    The public status covers most rows. A plain index on it is worthless for the public pages
    and tempts the planner into ANDing it with the radius search, which then reads the whole
    index (16 ms of a 25 ms search with 250,000 offerings, bench/RESULTS.md).
    """
    return models.Index(fields=["status"], condition=~Q(status=Status.VEROEFFENTLICHT), name=name)


class Pruefbar(models.Model):
    """Publication status plus the human confirmation that a record is true (HSDS assured_date)."""

    # Indexed by each model with status_intern_index().
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.ENTWURF
    )
    geprueft_am = models.DateField(
        _("geprüft am"),
        null=True,
        blank=True,
        help_text=_("Wann eine Person zuletzt bestätigt hat, dass die Angaben stimmen."),
    )
    geprueft_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geprüft von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    # Hooks of the review workflow (atlas.pruefung); each model states its own rule.

    #: The field whose similar spelling (pg_trgm) marks a likely duplicate.
    dubletten_feld = "name"

    class Meta:
        abstract = True

    def dubletten_kreis(self):
        """Among which rows a similar name means a likely duplicate (a Q), or None: no check."""
        return None

    def positionswarnung(self):
        """A warning about the saved map position (e.g. far from its PLZ), or ""."""
        return ""

    def erinnerung_an(self):
        """The provider's e-mail address the reminders go to, or "" (then the coordination
        is told at once)."""
        return ""

    @property
    def angaben_stand(self):
        """The day the details were last confirmed, else the day the record was created."""
        if self.geprueft_am:
            return self.geprueft_am
        return timezone.localdate(self.erstellt_am) if self.erstellt_am else None

    @property
    def angaben_veraltet(self):
        """Older than VERALTET_MONATE: the public pages add "bitte vor dem Besuch nachfragen"."""
        return self.veraltet_seit(veraltet_stichtag())

    def veraltet_seit(self, stichtag):
        """angaben_veraltet against a veraltet_stichtag() already known (a list asks per row)."""
        stand = self.angaben_stand
        return stand is not None and stand <= stichtag

    @classmethod
    def standort_vorschlag(cls, wert):
        """A map position to propose for a record without one (a Standortvorschlag), or None.

        `wert(name)` gives the record's value of a field: the saved one, or the one about to be
        saved.
        """
        return None

    def fehlende_angaben(self, **m2m):
        """What keeps this record from being published, in German (empty: complete).

        `m2m`: many-to-many values about to be saved (a form's or an import row's), by field.
        """
        return []

    def vollstaendigkeit_fehler(self, **m2m):
        """Why this record may not be saved as it is, in German (empty: it may).

        A record saved as published must be complete; one that is public already may not become
        less complete, but may keep the gaps it had (it was published before a rule existed).
        The admin form and the import both ask here.
        """
        if self.status != Status.VEROEFFENTLICHT:
            return []
        fehlend = [str(m) for m in self.fehlende_angaben(**m2m)]
        vorher = (
            type(self)._default_manager.filter(pk=self.pk, status=Status.VEROEFFENTLICHT).first()
            if self.pk
            else None
        )
        if vorher is not None:
            bekannt = {str(m) for m in vorher.fehlende_angaben()}
            fehlend = [m for m in fehlend if m not in bekannt]
        return fehlend


@dataclass(frozen=True)
class Standortvorschlag:
    """A proposed map position and the note the form shows with it."""

    punkt: Any
    hinweis: str
    # From the PLZ's centre: after saving, the user is asked to move the marker to the address.
    aus_plz: bool = False

    @classmethod
    def aus_plz_mitte(cls, punkt):
        """The proposal for the centre of a PLZ (None without a point)."""
        if punkt is None:
            return None
        hinweis = _(
            "Position aus der Postleitzahl vorgeschlagen – bitte Markierung auf die genaue "
            "Adresse ziehen."
        )
        return cls(punkt, hinweis, aus_plz=True)


class Suchform(models.Func):
    """A name for comparing: upper case, accents removed ("Göppingen" → "GOPPINGEN").

    `atlas_unaccent` (migration akteure 0006_indizes_fuer_oeffentliche_suche) is unaccent with its
    dictionary fixed, which PostgreSQL accepts as immutable: so the place names can be indexed in
    this form.
    """

    template = "UPPER(atlas_unaccent(%(expressions)s))"
    output_field = models.TextField()


class Suchwort(models.Model):
    """A word of the public texts the search looks in, with how many records use it.

    Triggers on the searched tables keep it (atlas migration 0001 and the apps' migrations that
    name their columns); the search reads it to tell known words from typos and to split
    compounds (atlas/suche.py). Only published records count, so that no draft's words are
    suggested to the public.
    """

    # Lower case without accents ("mutter" for "Mütter"); byte order, so that a prefix is a
    # range of the primary key.
    schluessel = models.CharField(primary_key=True, max_length=60, db_collation="C")
    wort = models.CharField(max_length=60)  # as written, lower case: shown as a correction
    # Its stem in the search configuration: "beratungen" is known when "beratung" is.
    stamm = models.CharField(max_length=60, db_collation="C", db_index=True)
    anzahl = models.IntegerField()

    class Meta:
        verbose_name = _("Suchwort")
        verbose_name_plural = _("Suchwörter")
        indexes = [
            # Without the pending list: every search reads this index, and a long list of
            # words a bulk load has just counted would be scanned by each (12 ms instead of
            # 0.05 ms with 7,000 words).
            GinIndex(
                name="suchwort_trgm",
                fields=["schluessel"],
                opclasses=["gin_trgm_ops"],
                fastupdate=False,
            )
        ]

    def __str__(self):
        return self.wort


# --- Protocols: what staff exported, which persons' data were erased ---


class ExportprotokollQuerySet(models.QuerySet):
    def loeschfaellig(self):
        """Older than AUFBEWAHRUNG_EXPORTPROTOKOLL_TAGE days (`manage.py aufbewahrung`)."""
        tage = settings.AUFBEWAHRUNG_EXPORTPROTOKOLL_TAGE
        return self.filter(zeitpunkt__lt=Now() - timedelta(days=tage))


class Exportprotokoll(models.Model):
    """One staff export: who, which list with which filters, when (read by the Redaktion)."""

    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    liste = models.CharField(_("Liste"), max_length=200)
    format = models.CharField(pgettext_lazy("Exportprotokoll", "Format"), max_length=20)
    intern = models.BooleanField(_("mit internen Angaben"), default=False)
    filter = models.TextField(_("Filter"), blank=True)
    adresse = models.TextField(_("Adresse"), help_text=_("Pfad und Parameter der Anfrage."))

    objects = ExportprotokollQuerySet.as_manager()

    class Meta:
        verbose_name = _("Export (Protokoll)")
        verbose_name_plural = _("Exporte (Protokoll)")
        ordering = ["-zeitpunkt", "-pk"]

    def __str__(self):
        return f"{self.liste} ({self.format})"


class Loeschprotokoll(models.Model):
    """That a person's data were erased (`manage.py person_loeschen`), without those data."""

    class Art(models.TextChoices):
        KONTAKTPERSON = "kontaktperson", _("Kontaktperson")
        KONTO = "konto", _("Benutzerkonto")

    zeitpunkt = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices)
    kennung = models.CharField(
        _("Kennung"), max_length=40, help_text=_("Die Nummer des Eintrags, kein Name.")
    )
    durch = models.CharField(_("Ausgeführt von"), max_length=150, blank=True)
    geaenderte_zeilen = models.PositiveIntegerField(_("Geänderte oder gelöschte Zeilen"))

    class Meta:
        verbose_name = _("Löschung personenbezogener Daten")
        verbose_name_plural = _("Löschungen personenbezogener Daten")
        ordering = ["-zeitpunkt", "-pk"]

    def __str__(self):
        return f"{self.get_art_display()} {self.kennung}"


# --- Mail, reminders, reports, legal pages (atlas/post.py, erinnerung.py, meldungen.py) ---


class PostausgangQuerySet(models.QuerySet):
    def loeschfaellig(self):
        """Sent or given up more than AUFBEWAHRUNG_POSTAUSGANG_TAGE days ago: a mail's copy holds
        an address and a text, kept only as long as staff need to see what went out."""
        tage = settings.AUFBEWAHRUNG_POSTAUSGANG_TAGE
        return self.exclude(zustand=Postausgang.Zustand.WARTET).filter(
            erstellt_am__lt=Now() - timedelta(days=tage)
        )


class Postausgang(models.Model):
    """One mail waiting to go out, sent or given up: sent by `atlas.post.senden()`, retried."""

    class Zustand(models.TextChoices):
        WARTET = "wartet", _("wartet")
        GESENDET = "gesendet", _("gesendet")
        AUFGEGEBEN = "aufgegeben", _("aufgegeben")

    an = models.EmailField(_("an"))
    betreff = models.CharField(_("Betreff"), max_length=250)
    text = models.TextField(_("Text"))
    zustand = models.CharField(
        _("Zustand"), max_length=20, choices=Zustand.choices, default=Zustand.WARTET
    )
    versuche = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    naechster_versuch = models.DateTimeField(_("nächster Versuch"), default=timezone.now)
    letzter_fehler = models.TextField(_("letzter Fehler"), blank=True)
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    gesendet_am = models.DateTimeField(_("gesendet am"), null=True, blank=True)

    objects = PostausgangQuerySet.as_manager()

    class Meta:
        verbose_name = _("E-Mail im Postausgang")
        verbose_name_plural = _("Postausgang")
        ordering = ["-erstellt_am"]
        indexes = [
            models.Index(
                fields=["naechster_versuch"],
                condition=Q(zustand="wartet"),
                name="postausgang_wartet",
            )
        ]

    def __str__(self):
        return f"{self.betreff} → {self.an}"


class Erinnerung(models.Model):
    """One step of the reminders about a record whose confirmation is due.

    `stand` is the record's `geprueft_am` when the round began (None: never confirmed): a
    confirmation starts a new round. Unique per record, round and step, so a second run of the
    daily command (even a concurrent one) sends nothing twice.
    """

    class Stufe(models.IntegerChoices):
        ERSTE = 1, _("erste Erinnerung")
        ZWEITE = 2, _("zweite Erinnerung")
        KOORDINATION = 3, _("Koordination informiert")

    inhalt_typ = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    objekt_id = models.BigIntegerField()
    stand = models.DateField(_("Stand"), null=True, blank=True)
    stufe = models.PositiveSmallIntegerField(_("Stufe"), choices=Stufe.choices)
    an = models.EmailField(_("an"), blank=True)
    gesendet_am = models.DateTimeField(_("gesendet am"), default=timezone.now)
    benutzt_am = models.DateTimeField(_("Link benutzt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        constraints = [
            models.UniqueConstraint(
                fields=["inhalt_typ", "objekt_id", "stand", "stufe"],
                nulls_distinct=False,
                name="erinnerung_einmal_je_stufe",
            )
        ]

    def __str__(self):
        return f"{self.get_stufe_display()} ({self.inhalt_typ.model} {self.objekt_id})"


class MeldungQuerySet(models.QuerySet):
    def im_bereich_von(self, user):
        """Reports about the records in `user`'s scope (each model's own scope rule)."""
        from .rollen import ist_staff, sieht_alles

        if not ist_staff(user):
            return self.none()
        if sieht_alles(user):
            return self
        bedingung = Q(pk__in=[])
        for typ_id in self.values_list("inhalt_typ", flat=True).distinct().order_by():
            modell = ContentType.objects.get_for_id(typ_id).model_class()
            if modell is None or not hasattr(modell._default_manager, "im_bereich_von"):
                continue
            bereich = modell._default_manager.im_bereich_von(user).values("pk")
            bedingung |= Q(inhalt_typ_id=typ_id, objekt_id__in=bereich)
        return self.filter(bedingung)

    def loeschfaellig(self):
        """Resolved reports older than MELDUNG_LOESCHEN_TAGE since their resolution."""
        grenze = timezone.now() - timedelta(days=settings.MELDUNG_LOESCHEN_TAGE)
        return self.filter(erledigt_am__isnull=False, erledigt_am__lte=grenze)


class Meldung(models.Model):
    """ "Angaben falsch?": a visitor's or provider's report about a record, a task for its
    coordinators in the admin. Deleted MELDUNG_LOESCHEN_TAGE after it is resolved."""

    class Art(models.TextChoices):
        FEHLER = "fehler", _("Fehler gemeldet")
        AENDERUNG = "aenderung", _("Änderung vorgeschlagen (aus der Erinnerung)")

    inhalt_typ = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("Art des Eintrags"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    objekt_id = models.BigIntegerField(_("Eintrag-Nr."))
    objekt = GenericForeignKey("inhalt_typ", "objekt_id")
    art = models.CharField(_("Art"), max_length=20, choices=Art.choices, default=Art.FEHLER)
    text = models.TextField(_("Was stimmt nicht?"))
    kontakt = models.CharField(_("Kontakt für Rückfragen"), max_length=200, blank=True)
    erstellt_am = models.DateTimeField(_("gemeldet am"), auto_now_add=True)
    erledigt_am = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    erledigt_von = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erledigt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notiz = models.TextField(_("interne Notiz"), blank=True)

    objects = MeldungQuerySet.as_manager()

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["erledigt_am", "-erstellt_am"]
        indexes = [models.Index(fields=["inhalt_typ", "objekt_id"], name="meldung_objekt")]

    def __str__(self):
        return _("Meldung vom %(datum)s") % {
            "datum": timezone.localtime(self.erstellt_am).strftime("%d.%m.%Y %H:%M")
            if self.erstellt_am
            else "–"
        }


class Rechtstext(models.Model):
    """Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit: one per deployment,
    edited by the Redaktion; migration atlas 0003 fills in texts that name the gaps."""

    class Seite(models.TextChoices):
        IMPRESSUM = "impressum", _("Impressum")
        DATENSCHUTZ = "datenschutz", _("Datenschutzerklärung")
        BARRIEREFREIHEIT = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")

    seite = models.CharField(_("Seite"), max_length=30, choices=Seite.choices, unique=True)
    titel = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(
        _("Text"),
        help_text=_(
            "Absätze durch eine Leerzeile trennen. „## “ am Zeilenanfang: Überschrift, "
            "„### “: Unterüberschrift, „- “: Aufzählung. Adressen (https://…, E-Mail) werden "
            "zu Links. Stellen in [eckigen Klammern] müssen Sie ausfüllen."
        ),
    )
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")
        ordering = ["seite"]

    def __str__(self):
        return self.titel


# --- Import jobs (atlas/importauftraege.py) -----------------------------------------------------


class ImportauftragQuerySet(models.QuerySet):
    def von(self, user):
        """The jobs a staff user sees: their own; the Redaktion (sees everything) all."""
        from .rollen import sieht_alles

        return self if sieht_alles(user) else self.filter(benutzer=user)

    def loeschfaellig(self):
        """Finished more than AUFBEWAHRUNG_IMPORTAUFTRAEGE_TAGE days ago (`manage.py
        aufbewahrung`): the list of imports is for coming back to, not an archive."""
        tage = settings.AUFBEWAHRUNG_IMPORTAUFTRAEGE_TAGE
        return self.exclude(status__in=Importauftrag.LAUFEND).filter(
            erstellt__lt=Now() - timedelta(days=tage)
        )


class Importauftrag(models.Model):
    """One import of a file: preview, then (after confirmation) the import, each run by a
    worker outside the request (`manage.py importe_abarbeiten`). The uploaded file is kept here,
    in the database, until the import, its cancellation or expiry: any app server may show the
    preview and take the confirmation."""

    class Status(models.TextChoices):
        VORSCHAU_WARTET = "vorschau_wartet", _("Vorschau wartet")
        VORSCHAU_LAEUFT = "vorschau_laeuft", _("Vorschau läuft")
        VORSCHAU_FERTIG = "vorschau_fertig", _("Vorschau fertig, wartet auf Bestätigung")
        VORSCHAU_FEHLER = "vorschau_fehler", _("Fehler in der Datei")
        IMPORT_WARTET = "import_wartet", _("Import wartet")
        IMPORT_LAEUFT = "import_laeuft", _("Import läuft")
        FERTIG = "fertig", _("Importiert")
        FEHLGESCHLAGEN = "fehlgeschlagen", _("Fehlgeschlagen, nichts gespeichert")
        ABGEBROCHEN = "abgebrochen", _("Abgebrochen")
        ABGELAUFEN = "abgelaufen", _("Abgelaufen")

    WARTEND = [Status.VORSCHAU_WARTET, Status.IMPORT_WARTET]
    LAUFEND = [
        Status.VORSCHAU_WARTET,
        Status.VORSCHAU_LAEUFT,
        Status.IMPORT_WARTET,
        Status.IMPORT_LAEUFT,
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    benutzer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    modell = models.CharField(_("Liste"), max_length=100, help_text="app_label.model_name")
    ressource = models.PositiveSmallIntegerField(default=0)
    # The network chosen for new records; an id, as atlas knows no domain model.
    netzwerk_id = models.BigIntegerField(null=True, blank=True)
    format = models.PositiveSmallIntegerField(pgettext_lazy("Importdatei", "Format"))
    dateiname = models.CharField(_("Datei"), max_length=255)
    datei = models.BinaryField(null=True, editable=False)
    groesse = models.PositiveIntegerField(_("Größe (Bytes)"), default=0)
    sprache = models.CharField(max_length=10, default="de")
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.VORSCHAU_WARTET
    )
    zeilen = models.PositiveIntegerField(_("Zeilen"), default=0)
    verarbeitet = models.PositiveIntegerField(_("verarbeitet"), default=0)
    ergebnis = models.JSONField(_("Ergebnis"), default=dict, blank=True)
    arbeiter = models.CharField(max_length=200, blank=True)
    erstellt = models.DateTimeField(_("hochgeladen"), auto_now_add=True)
    aktualisiert = models.DateTimeField(auto_now=True)
    herzschlag = models.DateTimeField(null=True, blank=True)
    beendet = models.DateTimeField(_("beendet"), null=True, blank=True)

    objects = ImportauftragQuerySet.as_manager()

    class Meta:
        # "Import" alone is the verb "Importieren" in django-import-export's catalogue.
        verbose_name = pgettext_lazy("Importauftrag", "Import")
        verbose_name_plural = _("Importe")
        ordering = ["-erstellt"]
        indexes = [
            models.Index(
                fields=["erstellt"],
                condition=Q(status__in=["vorschau_wartet", "import_wartet"]),
                name="importauftrag_wartet",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verarbeitet__lte=F("zeilen")), name="importauftrag_fortschritt"
            )
        ]

    def __str__(self):
        return self.dateiname

    @property
    def laeuft(self):
        return self.status in self.LAUFEND

    @property
    def prozent(self):
        return int(100 * self.verarbeitet / self.zeilen) if self.zeilen else 0

    def bestaetigen(self, sofort=False):
        """Queue the import of a finished preview (`sofort`: the request runs it itself); False
        when it is no longer one (expired, cancelled, already confirmed – e.g. by a second click
        on another server)."""
        geaendert = Importauftrag.objects.filter(
            pk=self.pk, status=self.Status.VORSCHAU_FERTIG, datei__isnull=False
        ).update(
            status=self.Status.IMPORT_LAEUFT if sofort else self.Status.IMPORT_WARTET,
            verarbeitet=0,
            herzschlag=timezone.now(),
        )
        self.refresh_from_db()
        return bool(geaendert)

    def abbrechen(self):
        """Cancel a preview: the file is deleted; False when it is no longer one."""
        geaendert = Importauftrag.objects.filter(
            pk=self.pk, status__in=[self.Status.VORSCHAU_FERTIG, self.Status.VORSCHAU_WARTET]
        ).update(status=self.Status.ABGEBROCHEN, datei=None, beendet=timezone.now())
        self.refresh_from_db()
        return bool(geaendert)


# --- Rate-limit counters without Redis ---


class Drosselungszaehler(models.Model):
    """A rate-limit counter (atlas/drosselung.py) shared by every worker and host through the
    database, for sites without Redis: one row per client, area and time window.

    The table is UNLOGGED (migration 0007): counters are lost in a crash, which only reopens
    the windows; in return an increment writes no WAL.
    """

    schluessel = models.CharField(primary_key=True, max_length=200, db_collation="C")
    wert = models.BigIntegerField()
    ablauf = models.DateTimeField()

    class Meta:
        verbose_name = _("Zähler der Drosselung")
        verbose_name_plural = _("Zähler der Drosselung")
        default_permissions = ()
