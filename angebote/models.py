import re
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from akteure.bereich import koordinierte_netzwerke, partner_von
from akteure.models import Akteur, Region, Sprache, plz_mittelpunkt, plz_warnung
from atlas.models import (
    GeoQuerySetMixin,
    OeffentlichQuerySet,
    Pruefbar,
    PruefbarQuerySet,
    Standortvorschlag,
    Status,
    heute,
    status_intern_index,
)
from atlas.pflichtangaben import aus_auswahl, fuenfstellige_plz, nicht_leer
from atlas.positionen import POSITION_UNGUELTIG, gueltige_position
from atlas.rollen import BereichQuerySetMixin
from atlas.suche import VolltextQuerySetMixin, roh, suchanfrage
from atlas.uebersetzung import (
    UebersetzbarMixin,
    aktive_sprache,
    texte_anhaengen,
    treffer_q,
    uebersetzt_treffer,
    uebersetzte_namen,
    uebersetzter_name,
)

SCHWANGERSCHAFT_MONATE = -9


def _adressteil(wert):
    return " ".join((wert or "").split()).casefold()


def am_ort_des_anbieters(*, strasse, plz, ort, anbieter):
    """An offering is at its provider's place when it names no address of its own, or the
    provider's: the same street and PLZ (they say where), or with neither the same place."""
    if not (strasse or plz or ort):
        return True
    if anbieter is None:
        return False
    if strasse or plz:
        eigene, seine = (strasse, plz), (anbieter.strasse, anbieter.plz)
    else:
        eigene, seine = (ort,), (anbieter.ort,)
    return [_adressteil(w) for w in eigene] == [_adressteil(w) for w in seine]


def gleicher_punkt(a, b):
    """Both empty, or the same place to a centimetre (a point posted back by the map widget
    went through JSON and may differ in the last digit)."""
    if a is None or b is None:
        return a is None and b is None
    return a.equals_exact(b, 1e-7)


@dataclass(frozen=True)
class Lebensphase:
    """A fixed age band of the Präventionskette, in months (pregnancy as negative months)."""

    slug: str
    name: str
    von_monate: int
    bis_monate: int


LEBENSPHASEN = [
    Lebensphase("schwangerschaft", _("Schwangerschaft & Geburt"), SCHWANGERSCHAFT_MONATE, 0),
    Lebensphase("0-1", _("0–1 Jahr"), 0, 11),
    Lebensphase("1-3", _("1–3 Jahre"), 12, 35),
    Lebensphase("3-6", _("3–6 Jahre (Kita)"), 36, 71),
    Lebensphase("6-10", _("6–10 Jahre (Grundschule)"), 72, 119),
    Lebensphase("10-16", _("10–16 Jahre"), 120, 191),
    Lebensphase("16-27", _("16–27 Jahre (Übergang Schule–Beruf)"), 192, 323),
]
LEBENSPHASEN_NACH_SLUG = {phase.slug: phase for phase in LEBENSPHASEN}


def lebensphase_q(phase, pfad=""):
    """Q: the offering's age range overlaps the life phase's band (open ends overlap)."""
    return (
        Q(**{f"{pfad}alter_von_monate__isnull": True})
        | Q(**{f"{pfad}alter_von_monate__lte": phase.bis_monate})
    ) & (
        Q(**{f"{pfad}alter_bis_monate__isnull": True})
        | Q(**{f"{pfad}alter_bis_monate__gte": phase.von_monate})
    )


class Thema(models.Model):
    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    oberthema = models.ForeignKey(
        "self",
        verbose_name=_("Oberthema"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unterthemen",
    )
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    uebersetzungen = GenericRelation(
        "atlas.Uebersetzung", content_type_field="inhaltstyp", object_id_field="objekt_id"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["reihenfolge", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(oberthema=F("id")), name="thema_nicht_eigenes_oberthema"
            ),
            nicht_leer("name", "thema_name_nicht_leer"),
        ]

    uebersetzbare_felder = ("name",)

    def __str__(self):
        return self.namen([self])[0]

    @property
    def anzeigename(self):
        """The name in the visitor's language (atlas.uebersetzung)."""
        return uebersetzter_name(self)

    @classmethod
    def namen(cls, themen):
        """str() of each topic ("Oberthema › Thema" in the visitor's language), the language's
        names looked up once for all (a filter form lists every topic: atlas.listen)."""
        uebersetzt = uebersetzte_namen(cls) or {}

        def text(thema):
            name = uebersetzt.get(thema.pk) or thema.name
            return f"{text(thema.oberthema)} › {name}" if thema.oberthema_id else name

        return [text(thema) for thema in themen]


class Zielgruppe(models.Model):
    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    fachpublikum = models.BooleanField(
        _("Fachpublikum"),
        default=False,
        help_text=_(
            "Angebote nur für solche Zielgruppen (z. B. Fachtage für Fachkräfte) erscheinen in "
            "der Suche für Familien nur, wenn jemand diese Zielgruppe auswählt."
        ),
    )

    uebersetzungen = GenericRelation(
        "atlas.Uebersetzung", content_type_field="inhaltstyp", object_id_field="objekt_id"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")
        ordering = ["name"]
        constraints = [nicht_leer("name", "zielgruppe_name_nicht_leer")]

    uebersetzbare_felder = ("name",)

    def __str__(self):
        return self.anzeigename

    @property
    def anzeigename(self):
        return uebersetzter_name(self)

    @classmethod
    def namen(cls, zielgruppen):
        """str() of each target group, the language's names looked up once for all."""
        uebersetzt = uebersetzte_namen(cls) or {}
        return [uebersetzt.get(z.pk) or z.name for z in zielgruppen]


class Format(models.TextChoices):
    OFFENER_TREFF = "offener_treff", _("Offener Treff")
    KURS = "kurs", _("Kurs")
    BERATUNG = "beratung", _("Beratung")
    HAUSBESUCH = "hausbesuch", _("Hausbesuch")
    VERANSTALTUNG = "veranstaltung", _("Veranstaltung")
    ONLINE = "online", _("Online")


# Formats that reach families without a fixed place: they need no location to be published.
ORTSUNABHAENGIGE_FORMATE = [Format.HAUSBESUCH, Format.ONLINE]


class Kosten(models.TextChoices):
    KOSTENLOS = "kostenlos", _("kostenlos")
    KOSTENBEITRAG = "kostenbeitrag", _("mit Kostenbeitrag")


class AngebotQuerySet(
    BereichQuerySetMixin, GeoQuerySetMixin, VolltextQuerySetMixin, PruefbarQuerySet
):
    def _bereich(self, user):
        """The offerings of the user's partners, and those assigned to the user's networks."""
        return Q(anbieter_id__in=partner_von(user)) | Q(
            netzwerk_id__in=koordinierte_netzwerke(user).values("pk")
        )

    def geloeschte_im_bereich(self, user):
        # The rule reads only the parent's id, which a history row keeps.
        return self._bereich(user)

    def veroeffentlicht_q(self, pfad="", *, anbieter_kopie=False):
        """Published, valid today (gültig von ≤ today ≤ gültig bis; an open end counts) and
        offered by a published actor – with `anbieter_kopie` read from the provider's status
        copied onto the row (migration 0033), without joining the provider. (An actor is
        published by its status alone: akteure.models.AkteurQuerySet has no other rule.)"""
        tag = heute()
        if anbieter_kopie:
            anbieter = Q(**{f"{pfad}anbieter_status": Status.VEROEFFENTLICHT})
        else:
            anbieter = Akteur.objects.veroeffentlicht_q(f"{pfad}anbieter__")
        return (
            super().veroeffentlicht_q(pfad)
            & (Q(**{f"{pfad}gueltig_von__isnull": True}) | Q(**{f"{pfad}gueltig_von__lte": tag}))
            & (Q(**{f"{pfad}gueltig_bis__isnull": True}) | Q(**{f"{pfad}gueltig_bis__gte": tag}))
            & anbieter
        )

    def fuer_familien(self):
        """Without the offerings for professionals only: those whose target groups are all a
        Fachpublikum (the Fachtag for coordinators). One for families and Fachkräfte alike, or
        one without target groups, stays.

        Reads the copied ids on each row (`zielgruppen_ids`, migration 0009) against the
        Fachpublikum's ids, computed once per query: no join, no index needed for a condition
        that keeps nearly every row.
        """
        fach = ArraySubquery(Zielgruppe.objects.filter(fachpublikum=True).order_by().values("pk"))
        return self.exclude(Q(zielgruppen_ids__contained_by=fach) & ~Q(zielgruppen_ids=[]))

    def fuer_alter(self, *monate):
        """Offerings that fit any of the given children's ages (in months; open ends match)."""
        bedingung = Q()
        for m in monate:
            bedingung |= (Q(alter_von_monate__isnull=True) | Q(alter_von_monate__lte=m)) & (
                Q(alter_bis_monate__isnull=True) | Q(alter_bis_monate__gte=m)
            )
        return self.filter(bedingung) if monate else self

    def in_lebensphase(self, phase):
        """Offerings whose age range overlaps the life phase's band."""
        return self.filter(lebensphase_q(phase))

    def in_region(self, raum):
        """Offerings in region `raum`: their place or their provider lies in it, or their
        Einzugsgebiet lies in it or covers it."""
        region = Region(raum)
        # Ids looked up first (few, from small tables), so that the four conditions are one
        # OR over indexes of this table (plz, GiST on standort, anbieter_id, primary key).
        anbieter = Akteur.objects.in_region(region).values_list("pk", flat=True)
        gebiet = Angebot.einzugsgebiet.through.objects.filter(
            sozialraum_id__in=[*region.teile, *region.obere]
        ).values_list("angebot_id", flat=True)
        return self.filter(
            region.lage() | Q(anbieter_id__in=list(anbieter)) | Q(pk__in=list(gebiet.distinct()))
        )

    def uebersetzt_q(self, anfrage):
        """Offerings found in another language (hook of atlas.suche): by a translation of their
        own texts, or of a topic or target group ("breastfeeding" → Stillen & Ernährung), which
        is searched by its German name in the German search vector (topics are in it, weight B)
        – so the search stays on the vector's GIN index. One query when nothing matches."""
        ids, namen = self.uebersetzt_teile(anfrage)
        q = treffer_q(ids)
        for anfrage in namen:
            q |= Q(suchvektor=roh(anfrage.tsquery(weit=False, gewichte="B")))
        return q

    def uebersetzt_teile(self, anfrage):
        """What `uebersetzt_q` searches, as data: ([ids of offerings found by a translation],
        [Suchanfrage of each topic or target group name found, to be searched by its words as
        they are (no longer forms, no compound parts) among the topics and target groups of
        the vector (weight B)]). The in-memory index (angebote.suchindex) evaluates the same.

        `anfrage` is the Suchanfrage: a list's FilterSet (its SQL filter) and the index ask for
        the same query, looked up once per query and language."""
        return anfrage.gemerkt(
            ("angebote.uebersetzt_teile", aktive_sprache()),
            lambda: self._uebersetzt_teile(anfrage.text),
        )

    def _uebersetzt_teile(self, text):
        gefunden = uebersetzt_treffer([Angebot, Thema, Zielgruppe], text)
        namen = []
        for model in (Thema, Zielgruppe):
            if model in gefunden:
                for name in model.objects.filter(pk__in=gefunden[model][:5]).values_list(
                    "name", flat=True
                ):
                    if (anfrage := suchanfrage(name)) and anfrage.tsquery(weit=False, gewichte="B"):
                        namen.append(anfrage)
        return list(gefunden.get(Angebot) or []), namen

    def listenzeilen(self):
        """The offerings as list rows (see listenzeilen()); the pages of actors and networks
        show their offerings this way without importing this app."""
        return listenzeilen(self)


class Angebot(UebersetzbarMixin, Pruefbar):
    titel = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=220, unique=True)
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    anbieter = models.ForeignKey(
        "akteure.Akteur",
        verbose_name=_("Anbieter"),
        on_delete=models.PROTECT,
        related_name="angebote",
    )
    kooperationspartner = models.ManyToManyField(
        "akteure.Akteur",
        verbose_name=_("Kooperationspartner"),
        blank=True,
        related_name="kooperationsangebote",
    )
    # PROTECT, like the network's partnerships: no offering loses its network unseen.
    netzwerk = models.ForeignKey(
        "netzwerke.Netzwerk",
        verbose_name=_("Netzwerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="angebote",
    )
    themen = models.ManyToManyField(
        Thema, verbose_name=_("Themen"), blank=True, related_name="angebote"
    )
    zielgruppen = models.ManyToManyField(
        Zielgruppe, verbose_name=_("Zielgruppen"), blank=True, related_name="angebote"
    )
    alter_von_monate = models.SmallIntegerField(
        _("Alter von (Monate)"),
        null=True,
        blank=True,
        help_text=_("Alter des Kindes in Monaten; Schwangerschaft als negative Monate (−9 … −1)."),
    )
    alter_bis_monate = models.SmallIntegerField(_("Alter bis (Monate)"), null=True, blank=True)
    sprachen = models.ManyToManyField(
        "akteure.Sprache", verbose_name=_("Sprachen"), blank=True, related_name="angebote"
    )
    # "Format" alone is translated "Dateiformat" by django-import-export's catalogue.
    format = models.CharField(
        pgettext_lazy("Angebot", "Format"), max_length=20, choices=Format.choices
    )
    kosten = models.CharField(
        _("Kosten"), max_length=20, choices=Kosten.choices, default=Kosten.KOSTENLOS
    )
    kosten_hinweis = models.CharField(_("Hinweis zu den Kosten"), max_length=300, blank=True)
    anmeldung_erforderlich = models.BooleanField(_("Anmeldung erforderlich"), default=False)
    anmeldung_hinweis = models.TextField(_("So melden Sie sich an"), blank=True)
    kinderbetreuung = models.BooleanField(_("Kinderbetreuung während des Angebots"), default=False)
    barrierefrei = models.BooleanField(_("barrierefrei"), default=False)
    barrierefreiheit = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)
    strasse = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    plz = models.CharField(_("PLZ"), max_length=5, blank=True)
    ort = models.CharField(_("Ort"), max_length=120, blank=True)
    standort = models.PointField(
        _("Standort"),
        geography=True,
        srid=4326,
        null=True,
        blank=True,
        help_text=_("Leer lassen, um den Standort des Anbieters zu übernehmen."),
    )
    einzugsgebiet = models.ManyToManyField(
        "akteure.Sozialraum",
        verbose_name=_("Einzugsgebiet"),
        blank=True,
        related_name="angebote_im_einzugsgebiet",
        help_text=_(
            "Für Angebote, die ein ganzes Gebiet versorgen (Hotline, Hausbesuche, online)."
        ),
    )
    regelmaessige_zeiten = models.TextField(_("Regelmäßige Zeiten"), blank=True)
    gueltig_von = models.DateField(_("gültig von"), null=True, blank=True)
    gueltig_bis = models.DateField(_("gültig bis"), null=True, blank=True)
    kontakt_name = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    kontakt_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    kontakt_telefon = models.CharField(_("Kontakt-Telefon"), max_length=50, blank=True)
    leichte_sprache = models.TextField(
        _("In Leichter Sprache"),
        blank=True,
        default="",
        db_default="",  # rows written by SQL (generator, COPY) need no value
        help_text=_(
            "Optional: das Angebot in Leichter Sprache – kurze Sätze, ein Gedanke je Satz, "
            "schwere Wörter erklärt. Die Seite zeigt es hinter „Leichte Sprache“."
        ),
    )
    uebersetzungen = GenericRelation(
        "atlas.Uebersetzung", content_type_field="inhaltstyp", object_id_field="objekt_id"
    )
    suchvektor = SearchVectorField(null=True, editable=False)
    # Copies of the link tables' ids, kept current by triggers (migration 0009): the list counts
    # its facets from the rows it reads anyway, instead of one index lookup per hit and table.
    themen_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    zielgruppen_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    sprachen_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    # The partners' ids, sorted, kept the same way (migration 0031): a public file by ids names
    # the partners of the few rows that have any, instead of looking up every row's links.
    kooperationspartner_ids = ArrayField(
        models.BigIntegerField(), default=list, db_default=[], editable=False
    )
    # An HSDS location of its own: a place other than the provider's (hsds.eigener_ort()). Set
    # by the database on every write, also when the provider moves (migration 0029).
    eigener_ort = models.BooleanField(default=False, db_default=False, editable=False)
    # The provider's name and status, set by the same trigger and rewritten when the provider
    # is renamed or (un)published (migration 0033): a public file by ids reads no provider row.
    anbieter_name = models.TextField(default="", db_default="", editable=False)
    anbieter_status = models.TextField(default="", db_default="", editable=False)

    objects = AngebotQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "suchvektor",
            "themen_ids",
            "zielgruppen_ids",
            "sprachen_ids",
            "kooperationspartner_ids",
            "eigener_ort",
            "anbieter_name",
            "anbieter_status",
        ]
    )

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        permissions = [
            ("import_angebot", _("Darf Angebote importieren")),
            ("export_angebot", _("Darf Angebote exportieren")),
        ]
        ordering = ["titel"]
        indexes = [
            GinIndex(fields=["suchvektor"], name="angebot_suchvektor_gin"),
            GinIndex(name="angebot_titel_trgm", fields=["titel"], opclasses=["gin_trgm_ops"]),
            # The list's default order; lets "first 20 by title" stop early instead of sorting.
            models.Index(fields=["titel", "id"], name="angebot_titel_id"),
            status_intern_index("angebot_status_intern"),
            models.Index(fields=["plz"], name="angebot_plz"),  # in_region()
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(alter_von_monate__isnull=True)
                | Q(alter_bis_monate__isnull=True)
                | Q(alter_von_monate__lte=F("alter_bis_monate")),
                name="angebot_alter_von_bis",
                violation_error_message=_("„Alter von“ darf nicht größer sein als „Alter bis“."),
            ),
            models.CheckConstraint(
                condition=Q(gueltig_von__isnull=True)
                | Q(gueltig_bis__isnull=True)
                | Q(gueltig_von__lte=F("gueltig_bis")),
                name="angebot_gueltigkeit_von_bis",
                violation_error_message=_("„gültig bis“ liegt vor „gültig von“."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.VEROEFFENTLICHT)
                | Q(standort__isnull=False)
                | Q(format__in=ORTSUNABHAENGIGE_FORMATE),
                name="angebot_veroeffentlicht_mit_ort",
                violation_error_message=_(
                    "Ein veröffentlichtes Angebot braucht einen Ort – oder es ist online oder "
                    "aufsuchend (Hausbesuch)."
                ),
            ),
            models.CheckConstraint(
                condition=gueltige_position("standort"),
                name="angebot_standort_gueltig",
                violation_error_message=POSITION_UNGUELTIG,
            ),
            nicht_leer("titel", "angebot_titel_nicht_leer"),
            fuenfstellige_plz("plz", "angebot_plz_fuenfstellig"),
            aus_auswahl("status", Status, "angebot_status_gueltig"),
            aus_auswahl("format", Format, "angebot_format_gueltig"),
            aus_auswahl("kosten", Kosten, "angebot_kosten_gueltig"),
        ]

    # Set by a search near a place (`im_umkreis_oder_einzugsgebiet`); None in other lists, so
    # that templates can ask for them without a failing attribute lookup per row.
    entfernung = None
    gebiet = None

    # Texts translated per field (atlas.uebersetzung), in the order the page shows them.
    uebersetzbare_felder = (
        "titel",
        "beschreibung",
        "regelmaessige_zeiten",
        "kosten_hinweis",
        "anmeldung_hinweis",
    )

    def __str__(self):
        return self.titel

    def erinnerung_an(self):
        """Reminders go to the offering's contact address, else its provider's."""
        return self.kontakt_email or self.anbieter.email

    def get_absolute_url(self):
        # listenzeilen() sets it for a page of rows: one reverse() for all of them.
        if url := self.__dict__.get("_listen_url"):
            return url
        return reverse("angebote:angebot_detail", kwargs={"slug": self.slug})

    @property
    def format_anzeige(self):
        """The format's label: get_format_display() builds and hashes all choices per call."""
        return FORMAT_LABEL.get(self.format, self.format)

    def save(self, *args, **kwargs):
        self.ort_ergaenzen()
        super().save(*args, **kwargs)

    def ort_ergaenzen(self):
        """An offering without a point gets the one standort_vorschlag() proposes; at its
        provider's place (am_ort_des_anbieters) also the provider's address with that point.

        Called by save(), the import and the demo data before validation; the admin form sets
        the same proposal in clean() and tells the coordinator where it came from.
        """
        if self.format in ORTSUNABHAENGIGE_FORMATE:
            return
        if self.standort is None:
            vorschlag = self.standort_vorschlag(self._wert)
            self.standort = vorschlag.punkt if vorschlag else None
        anbieter = self._wert("anbieter")
        # A point of its own (a marker moved elsewhere) gets no provider's address.
        if (
            anbieter is not None
            and am_ort_des_anbieters(
                strasse=self.strasse, plz=self.plz, ort=self.ort, anbieter=anbieter
            )
            and gleicher_punkt(self.standort, anbieter.standort)
        ):
            # Only what is missing: a place name spelt differently stays as it was typed.
            self.strasse = self.strasse or anbieter.strasse
            self.plz = self.plz or anbieter.plz
            self.ort = self.ort or anbieter.ort

    def _wert(self, name):
        """A field's value for standort_vorschlag(); None for a provider not yet chosen."""
        return getattr(self, name, None)

    @property
    def adresse(self):
        return ", ".join(p for p in [self.strasse, f"{self.plz} {self.ort}".strip()] if p)

    dubletten_feld = "titel"

    def dubletten_kreis(self):
        """The same provider's offerings, and those at the same PLZ."""
        kreis = Q(anbieter_id=self.anbieter_id)
        return (kreis | Q(plz=self.plz)) if self.plz else kreis

    def positionswarnung(self):
        return plz_warnung(self)

    @classmethod
    def standort_vorschlag(cls, wert):
        """The one rule for an offering without a point: at its provider's place the provider's
        point, at an address of its own the centre of its PLZ (none for an unknown PLZ), online
        or as home visits none."""
        if wert("format") in ORTSUNABHAENGIGE_FORMATE:
            return None
        anbieter = wert("anbieter")
        if not am_ort_des_anbieters(
            strasse=wert("strasse"), plz=wert("plz"), ort=wert("ort"), anbieter=anbieter
        ):
            return Standortvorschlag.aus_plz_mitte(plz_mittelpunkt(wert("plz")))
        if anbieter is None or anbieter.standort is None:
            return None
        return Standortvorschlag(
            anbieter.standort, _("Position des Anbieters vorgeschlagen – bitte prüfen.")
        )

    def fehlende_angaben(self, **m2m):
        """What keeps this offering from being published, in German (empty: complete).

        `m2m`: many-to-many values about to be saved (a form's `themen`, …); default the stored.
        """
        themen = m2m.get("themen", self.themen.all() if self.pk else [])
        zielgruppen = m2m.get("zielgruppen", self.zielgruppen.all() if self.pk else [])
        anbieter = self.anbieter if self.anbieter_id else None
        fehlend = []
        if not self.beschreibung.strip():
            fehlend.append(_("Ein veröffentlichtes Angebot braucht eine Beschreibung."))
        if not themen:
            fehlend.append(_("Ein veröffentlichtes Angebot braucht mindestens ein Thema."))
        if not zielgruppen and self.alter_von_monate is None and self.alter_bis_monate is None:
            fehlend.append(
                _("Ein veröffentlichtes Angebot braucht eine Zielgruppe oder eine Altersangabe.")
            )
        # save() takes the proposed position, so that counts as a place; same text as the
        # database constraint, so that a form shows it once.
        vorschlag = None if self.standort else self.standort_vorschlag(self._wert)
        ort = self.standort or (vorschlag and vorschlag.punkt)
        if not ort and self.format not in ORTSUNABHAENGIGE_FORMATE:
            fehlend.append(
                _(
                    "Ein veröffentlichtes Angebot braucht einen Ort – oder es ist online oder "
                    "aufsuchend (Hausbesuch)."
                )
            )
        # The public page falls back to the provider's telephone, e-mail and website.
        kontakt = [self.kontakt_email, self.kontakt_telefon, self.anmeldung_hinweis.strip()]
        if anbieter:
            kontakt += [anbieter.telefon, anbieter.email, anbieter.website]
        if not any(kontakt):
            fehlend.append(
                _(
                    "Ein veröffentlichtes Angebot braucht einen Kontakt (E-Mail oder Telefon hier, "
                    "oder Telefon, E-Mail oder Website beim Anbieter) oder einen Hinweis zur "
                    "Anmeldung."
                )
            )
        return fehlend

    @property
    def lebensphasen(self):
        von = SCHWANGERSCHAFT_MONATE if self.alter_von_monate is None else self.alter_von_monate
        bis = 10_000 if self.alter_bis_monate is None else self.alter_bis_monate
        return [p for p in LEBENSPHASEN if von <= p.bis_monate and bis >= p.von_monate]


FORMAT_LABEL = dict(Format.choices)
SLUG_PLATZHALTER = "slug-platzhalter"
SLUG_ZEICHEN = re.compile(r"[-a-zA-Z0-9_]+")  # the URL's <slug:…>, which reverse() leaves as is


def listenzeilen(angebote):
    """The offerings as list rows, each with `weitere_sprachen` (its languages besides German,
    by name) from its copied ids: one small query for all rows instead of a prefetch; and the
    URL of its page, reversed once for all rows."""
    from .suchindex import vorrat  # the index reads this module

    angebote = list(angebote)
    ids = {pk for a in angebote for pk in a.sprachen_ids}
    if (alle := vorrat(Sprache.objects.all(), "sprache")) is not None:
        sprachen = {s.pk: s for s in alle if s.pk in ids}
    else:
        sprachen = Sprache.objects.in_bulk(ids)
    muster = reverse("angebote:angebot_detail", kwargs={"slug": SLUG_PLATZHALTER})
    vorne, hinten = muster.split(SLUG_PLATZHALTER)
    for angebot in angebote:
        if SLUG_ZEICHEN.fullmatch(angebot.slug):
            angebot._listen_url = f"{vorne}{angebot.slug}{hinten}"
        angebot.weitere_sprachen = sorted(
            (s for pk in angebot.sprachen_ids if (s := sprachen.get(pk)) and s.code != "de"),
            key=lambda s: s.name,
        )
    # The title in the visitor's language where translated: one query for the page.
    return texte_anhaengen(angebote, ["titel"])


def verschlagwortung(angebot):
    """The offering's topics, target groups and languages, each in its table's order: by the
    row's copies of their ids (migration 0009) from this process's copies of the vocabularies
    beside the search index (suchindex.vorrat), which the list pages keep current; without a
    current index, read through the links (three queries)."""
    from .suchindex import vorrat  # the index reads this module

    woerter = {}
    for name, vokabular, schluessel, ids in (
        ("themen", Thema.objects.all(), "thema_alle", angebot.themen_ids),
        ("zielgruppen", Zielgruppe.objects.all(), "zielgruppe", angebot.zielgruppen_ids),
        ("sprachen", Sprache.objects.all(), "sprache", angebot.sprachen_ids),
    ):
        if (alle := vorrat(vokabular, schluessel)) is not None:
            ids = set(ids)
            woerter[name] = [wort for wort in alle if wort.pk in ids]
        else:
            woerter[name] = list(getattr(angebot, name).all())
    return woerter


class TerminQuerySet(BereichQuerySetMixin, OeffentlichQuerySet):
    def _bereich(self, user):
        return Q(angebot__in=Angebot.objects.im_bereich_von(user).values("pk"))

    def veroeffentlicht_q(self, pfad=""):
        """A date is public with its offering."""
        return Angebot.objects.veroeffentlicht_q(f"{pfad}angebot__")


class Termin(models.Model):
    class Anmeldestatus(models.TextChoices):
        OFFEN = "offen", _("Anmeldung offen")
        AUSGEBUCHT = "ausgebucht", _("ausgebucht")
        GESCHLOSSEN = "geschlossen", _("Anmeldung geschlossen")

    angebot = models.ForeignKey(
        Angebot, verbose_name=_("Angebot"), on_delete=models.CASCADE, related_name="termine"
    )
    beginn = models.DateTimeField(_("Beginn"))
    ende = models.DateTimeField(_("Ende"), null=True, blank=True)
    ort = models.CharField(_("Ort"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    anmeldestatus = models.CharField(
        _("Anmeldung"),
        max_length=20,
        choices=Anmeldestatus.choices,
        default=Anmeldestatus.OFFEN,
    )
    hinweis = models.CharField(_("Hinweis"), max_length=300, blank=True)

    objects = TerminQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["beginn"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ende__isnull=True) | Q(ende__gte=F("beginn")),
                name="termin_ende_nach_beginn",
                violation_error_message=_("Das Ende liegt vor dem Beginn."),
            )
        ]

    def __str__(self):
        return f"{self.angebot} – {timezone.localtime(self.beginn):%d.%m.%Y %H:%M}"
