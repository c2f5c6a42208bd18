import contextlib
import contextvars
from collections import defaultdict
from typing import Any, NamedTuple

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.contrib.gis.db.models.aggregates import Union
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.lookups import Regex
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from atlas.models import (
    EntfernungOperator,
    GeoQuerySetMixin,
    OeffentlichQuerySet,
    Pruefbar,
    PruefbarQuerySet,
    Standortvorschlag,
    Status,
    Suchform,  # noqa: F401  (named by migration 0006_indizes_fuer_oeffentliche_suche)
    status_intern_index,
)
from atlas.pflichtangaben import aus_auswahl, nicht_leer
from atlas.positionen import POSITION_UNGUELTIG, gueltige_position, plz_abstandswarnung
from atlas.rollen import BereichQuerySetMixin
from atlas.suche import UMLAUT_UMSCHRIFT, VolltextQuerySetMixin
from atlas.uebersetzung import (
    UebersetzbarMixin,
    aktive_sprache,
    treffer_q,
    uebersetzt_treffer,
    uebersetzter_name,
)

from .bereich import partner_von


class Bereich(models.TextChoices):
    BILDUNG = "bildung", _("Bildung & Betreuung")
    FAMILIE = "familie", _("Familie & Beratung")
    GESUNDHEIT = "gesundheit", _("Gesundheit")
    MIGRATION = "migration", _("Migration & Integration")
    FREIZEIT = "freizeit", _("Kultur / Sport / Freizeit")
    ARBEIT = "arbeit", _("Arbeit & Finanzen")
    VERWALTUNG = "verwaltung", _("Verwaltung")
    WIRTSCHAFT = "wirtschaft", _("Wirtschaft")


class Einrichtungsart(models.Model):
    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    bereich = models.CharField(_("Bereich"), max_length=20, choices=Bereich.choices)
    reihenfolge = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    uebersetzungen = GenericRelation(
        "atlas.Uebersetzung", content_type_field="inhaltstyp", object_id_field="objekt_id"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Einrichtungsart")
        verbose_name_plural = _("Einrichtungsarten")
        ordering = ["bereich", "reihenfolge", "name"]
        constraints = [nicht_leer("name", "einrichtungsart_name_nicht_leer")]

    uebersetzbare_felder = ("name",)

    def __str__(self):
        return self.anzeigename

    @property
    def anzeigename(self):
        """The name in the visitor's language (atlas.uebersetzung)."""
        return uebersetzter_name(self)


class Sprache(models.Model):
    code = models.CharField(_("ISO-639-Code"), max_length=3, unique=True)
    name = models.CharField(_("Name (deutsch)"), max_length=60)
    name_nativ = models.CharField(_("Eigenbezeichnung"), max_length=60)
    rtl = models.BooleanField(_("von rechts nach links"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SozialraumQuerySet(models.QuerySet):
    def mit_teilen(self):
        """These areas and every area inside them (Land › Kreis › Gemeinde › Stadtteil)."""
        return self._entlang("uebergeordnet_id", "pk")

    def mit_oberen(self):
        """These areas and every area they belong to, up to the Land."""
        return self._entlang("pk", "uebergeordnet_id")

    def _entlang(self, von, nach):
        # One small query per level (four at most); the ids come back as a literal list that
        # the filters of actors and offerings combine with their own indexes.
        ids = set(self.values_list("pk", flat=True))
        neu = ids
        while neu:
            schritt = Sozialraum.objects.filter(**{f"{von}__in": neu, f"{nach}__isnull": False})
            neu = set(schritt.values_list(nach, flat=True)) - ids
            ids |= neu
        return Sozialraum.objects.filter(pk__in=sorted(ids))

    def am_ort(self, punkt, plz=None):
        """Areas that contain a place: its point lies in their polygon, or one of its PLZ is in
        their list or in a part's list. Without `plz`, the PLZ whose centre is nearest counts."""
        if plz is None:
            naechste = Postleitzahl.objects.naechste(punkt)
            plz = [naechste.plz] if naechste else []
        return self.filter(Q(flaeche__intersects=punkt) | Q(plz__overlap=list(plz))).mit_oberen()

    def als_baum(self):
        """(area, depth) in tree order: each area followed by its parts, by name."""
        raeume = list(self.order_by("name"))
        ids = {raum.pk for raum in raeume}
        teile = defaultdict(list)
        for raum in raeume:
            teile[raum.uebergeordnet_id if raum.uebergeordnet_id in ids else None].append(raum)
        baum = []

        def anhaengen(oben, tiefe):
            for raum in teile[oben]:
                baum.append((raum, tiefe))
                anhaengen(raum.pk, tiefe + 1)

        anhaengen(None, 0)
        return baum

    def auswahl(self):
        """(slug, name) in tree order, indented by level, for a select or the admin sidebar."""
        # Non-breaking spaces: HTML folds plain ones, and a select offers no other indent.
        # Only the columns shown: the areas' polygons can be large.
        baum = self.only("name", "slug", "uebergeordnet").als_baum()
        return [(raum.slug, "\u00a0\u00a0" * tiefe + raum.name) for raum, tiefe in baum]


class Sozialraum(models.Model):
    class Ebene(models.TextChoices):
        LAND = "land", _("Land")
        KREIS = "kreis", _("Kreis / kreisfreie Stadt")
        GEMEINDE = "gemeinde", _("Gemeinde")
        STADTTEIL = "stadtteil", _("Stadtteil / Sozialraum")

    name = models.CharField(_("Name"), max_length=150)
    slug = models.SlugField(_("Kurzname"), max_length=150, unique=True)
    ebene = models.CharField(_("Ebene"), max_length=20, choices=Ebene.choices)
    uebergeordnet = models.ForeignKey(
        "self",
        verbose_name=_("gehört zu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="untergeordnete",
    )
    flaeche = models.MultiPolygonField(_("Fläche"), srid=4326, null=True, blank=True)
    flaeche_quelle = models.CharField(
        _("Quelle der Fläche"),
        max_length=200,
        blank=True,
        help_text=_(
            "Woher die Grenze stammt, mit Lizenz (z. B. „© GeoBasis-DE / BKG, dl-de/by-2-0“) "
            "oder „Demo-Umriss, nicht amtlich“; Karten nennen sie unter der Fläche."
        ),
    )
    # Where no boundary is at hand (most areas), the postcodes tell what lies in an area.
    plz = ArrayField(
        models.CharField(
            max_length=5,
            validators=[RegexValidator(r"^[0-9]{5}$", _("Eine Postleitzahl hat fünf Ziffern."))],
        ),
        verbose_name=_("Postleitzahlen"),
        blank=True,
        default=list,
        help_text=_(
            "Die Postleitzahlen dieses Gebiets, mit Komma getrennt. Ein Kreis oder Land umfasst "
            "auch die seiner Teile. Bei einer Gemeinde oder kreisfreien Stadt leer lassen: Sie "
            "werden dann aus dem Ortsverzeichnis übernommen, wenn der Name eindeutig ist."
        ),
    )

    objects = SozialraumQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Sozialraum")
        verbose_name_plural = _("Sozialräume")
        ordering = ["name"]
        indexes = [GinIndex(fields=["plz"], name="sozialraum_plz_gin")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(uebergeordnet=F("id")), name="sozialraum_nicht_eigenes_elternteil"
            ),
            models.CheckConstraint(
                condition=Regex(
                    Func(
                        F("plz"),
                        Value(" "),
                        function="array_to_string",
                        output_field=TextField(),
                    ),
                    r"^([0-9]{5}( |$))*$",
                ),
                name="sozialraum_plz_fuenfstellig",
                violation_error_message=_("Eine Postleitzahl hat fünf Ziffern."),
            ),
            nicht_leer("name", "sozialraum_name_nicht_leer"),
        ]

    def __str__(self):
        return self.name

    def pfad(self):
        """The chain Land › Kreis › Gemeinde › Stadtteil, root first."""
        kette, knoten = [], self
        while knoten is not None and len(kette) < 10:
            kette.append(knoten)
            knoten = knoten.uebergeordnet
        return list(reversed(kette))


def engste_zuerst(ebene="ebene"):
    """An order for areas: Stadtteil before Gemeinde before Kreis before Land."""
    reihenfolge = [Sozialraum.Ebene.STADTTEIL, Sozialraum.Ebene.GEMEINDE, Sozialraum.Ebene.KREIS]
    return Case(*(When(**{ebene: e}, then=n) for n, e in enumerate(reihenfolge)), default=9)


# Levels whose name is a place of the shipped directory (fixtures/orte.csv), and so gives the PLZ.
EBENEN_MIT_ORTSNAMEN = [Sozialraum.Ebene.GEMEINDE, Sozialraum.Ebene.KREIS]


def plz_aus_ortsverzeichnis(name):
    """The PLZ of the one place called `name` in fixtures/orte.csv; [] for none or several."""
    gefunden = list(Ort.objects.filter(name=name).values_list("plz", flat=True)[:2])
    return sorted(gefunden[0].split()) if len(gefunden) == 1 else []


class Region:
    """A Sozialraum as a filter, read once: the ids of it and its parts, of it and the areas
    above it, and where it lies (its parts' PLZ, its polygon or the union of its parts')."""

    def __init__(self, raum):
        self.raum = raum
        eins = Sozialraum.objects.filter(pk=raum.pk)
        teile = eins.mit_teilen()
        self.teile = list(teile.values_list("pk", flat=True))
        self.obere = list(eins.mit_oberen().values_list("pk", flat=True))
        self.plz = sorted({p for liste in teile.values_list("plz", flat=True) for p in liste})
        self.flaeche = raum.flaeche or teile.aggregate(f=Union("flaeche"))["f"]

    @classmethod
    def mit_teilen(cls, raum, teile):
        """[Region(t) for t in teile] + [Region(raum)] for `teile`, direct parts of `raum`,
        the same as constructing each, in a fixed few queries instead of a dozen each (the
        columns of the gap analysis)."""
        # The tree below raum, level by level, as _entlang walks it.
        eltern, plz, mit_flaeche = {}, {raum.pk: list(raum.plz)}, set()
        neu = {raum.pk}
        while neu:
            schritt = Sozialraum.objects.filter(uebergeordnet_id__in=neu).values_list(
                "pk", "uebergeordnet_id", "plz", Q(flaeche__isnull=False)
            )
            neu = set()
            for pk, oben, liste, hat_flaeche in schritt:
                if pk not in plz:
                    eltern[pk], plz[pk] = oben, liste
                    neu.add(pk)
                if hat_flaeche:
                    mit_flaeche.add(pk)
        unter = defaultdict(list)
        for pk, oben in eltern.items():
            unter[oben].append(pk)

        def darunter(pk):
            ids, offen = {pk}, [pk]
            while offen:
                for kind in unter[offen.pop()]:
                    if kind not in ids:
                        ids.add(kind)
                        offen.append(kind)
            return ids

        oberhalb = list(
            Sozialraum.objects.filter(pk=raum.pk).mit_oberen().values_list("pk", flat=True)
        )
        regionen = []
        for teil in [*teile, raum]:
            region = cls.__new__(cls)
            region.raum = teil
            ids = darunter(teil.pk)
            region.teile = sorted(ids)
            region.obere = sorted({teil.pk, *oberhalb})
            region.plz = sorted({p for pk in ids for p in plz[pk]})
            region.flaeche = teil.flaeche
            regionen.append(region)
        # The union of the parts' boundaries, where an area has none of its own: one query.
        ohne = {
            i: r.teile
            for i, r in enumerate(regionen)
            if not r.flaeche and mit_flaeche.intersection(r.teile)
        }
        if ohne:
            vereinigt = Sozialraum.objects.aggregate(
                **{f"f{i}": Union("flaeche", filter=Q(pk__in=ids)) for i, ids in ohne.items()}
            )
            for i in ohne:
                regionen[i].flaeche = vereinigt[f"f{i}"]
        return regionen

    def lage(self, *, standort="standort", plz="plz"):
        """Rows whose point lies in the region's polygon or whose PLZ is the region's (a Q)."""
        bedingung = Q(**{f"{plz}__in": self.plz}) if self.plz else Q(pk__in=[])
        if self.flaeche is not None:
            bedingung |= Q(**{f"{standort}__intersects": self.flaeche})
        return bedingung


class PostleitzahlQuerySet(models.QuerySet):
    def naechste(self, punkt):
        """The PLZ whose centre lies nearest to `punkt`: the PLZ of a point, near enough."""
        ziel = Value(punkt, output_field=models.PointField(geography=True, srid=4326))
        return self.order_by(EntfernungOperator(F("punkt"), ziel)).first()


class Postleitzahl(models.Model):
    plz = models.CharField(_("PLZ"), max_length=5, primary_key=True)
    ort = models.CharField(_("Ort"), max_length=120, blank=True, db_index=True)
    punkt = models.PointField(_("Mittelpunkt"), geography=True, srid=4326)

    objects = PostleitzahlQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Postleitzahl")
        verbose_name_plural = _("Postleitzahlen")
        ordering = ["plz"]
        constraints = [
            models.CheckConstraint(
                condition=gueltige_position("punkt"),
                name="postleitzahl_punkt_gueltig",
                violation_error_message=POSITION_UNGUELTIG,
            )
        ]

    def __str__(self):
        return f"{self.plz} {self.ort}".strip()


_plz_gemerkt = contextvars.ContextVar("plz_gemerkt", default=None)


@contextlib.contextmanager
def plz_mittelpunkte_merken():
    """Within the block plz_mittelpunkt() asks each postcode once (an import of many rows)."""
    token = _plz_gemerkt.set({})
    try:
        yield
    finally:
        _plz_gemerkt.reset(token)


def plz_mittelpunkte_vorab(plzs):
    """Inside plz_mittelpunkte_merken(): the centres of these postcodes read in one query (the
    postcodes of a file), as plz_mittelpunkt() would read each."""
    gemerkt = _plz_gemerkt.get()
    fehlend = {plz for plz in plzs if plz} - set(gemerkt or ())
    if gemerkt is None or not fehlend:
        return
    gefunden = dict(Postleitzahl.objects.filter(plz__in=fehlend).values_list("plz", "punkt"))
    for plz in fehlend:
        gemerkt[plz] = gefunden.get(plz)


def plz_mittelpunkt(plz):
    """The centre of a German postcode, or None for an unknown or empty one."""
    gemerkt = _plz_gemerkt.get()
    if gemerkt is not None and plz in gemerkt:
        # A copy: each record gets a point of its own, as from the database.
        return gemerkt[plz] and gemerkt[plz].clone()
    treffer = Postleitzahl.objects.filter(plz=plz).first() if plz else None
    punkt = treffer.punkt if treffer else None
    if gemerkt is not None:
        gemerkt[plz] = punkt
    return punkt


def plz_warnung(obj):
    """The warning for a record whose position lies far from the centre of its PLZ, or ""."""
    if obj.standort is None or not obj.plz:
        return ""
    return plz_abstandswarnung(
        name=str(obj), punkt=obj.standort, plz=obj.plz, mitte=plz_mittelpunkt(obj.plz)
    )


class OrtQuerySet(models.QuerySet):
    def passend(self, text):
        """Places whose name starts with `text` (ignoring case and accents), largest first."""
        from django.db.models.functions import Length

        eingabe = Suchform(models.Value(text.strip(), output_field=models.TextField()))
        return (
            # Uses the index ort_suchform; the input's form is folded to a constant.
            self.alias(suchform=Suchform("name"))
            .filter(suchform__startswith=eingabe)
            .annotate(
                exakt=models.ExpressionWrapper(
                    Q(suchform=eingabe), output_field=models.BooleanField()
                ),
                laenge=Length("name"),
                # More postcodes, bigger town: "Neustadt" should find the large one first.
                groesse=Length("plz"),
            )
            .order_by("-groesse", "-exakt", "laenge", "name")
        )


class Ort(models.Model):
    """A German place (Gemeinde) with a point, for "Wo?" searches without an online geocoder."""

    name = models.CharField(_("Name"), max_length=120, db_index=True)
    punkt = models.PointField(_("Lage"), geography=True, srid=4326)
    plz = models.CharField(_("Postleitzahlen"), max_length=2000, blank=True)

    objects = OrtQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")
        ordering = ["name"]
        indexes = [
            # "Wo?" by name: a prefix search over ~11,000 places without reading them all.
            models.Index(OpClass(Suchform("name"), name="text_pattern_ops"), name="ort_suchform")
        ]
        constraints = [
            models.CheckConstraint(
                condition=gueltige_position("punkt"),
                name="ort_punkt_gueltig",
                violation_error_message=POSITION_UNGUELTIG,
            )
        ]

    def __str__(self):
        return self.name


class Fundort(NamedTuple):
    """A place typed into "Wo?": its point, its name as shown, its PLZ."""

    punkt: Any
    name: str
    plz: tuple


def ort_finden(text):
    """Resolve a PLZ or a place name to a Fundort; None when nothing matches."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return None
    if text.isdigit():
        plz = Postleitzahl.objects.filter(plz=text).first() if len(text) == 5 else None
        return Fundort(plz.punkt, str(plz), (plz.plz,)) if plz else None
    ort = Ort.objects.passend(text).first()
    if ort is None and (umschrieben := UMLAUT_UMSCHRIFT.sub(r"\1", text)) != text:
        # Typed without umlaut keys: "Muenchen", "Goettingen". Only when the spelling as typed
        # finds nothing, so that "Soest" and "Bad Oeynhausen" stay what they are.
        ort = Ort.objects.passend(umschrieben).first()
    return Fundort(ort.punkt, ort.name, tuple(ort.plz.split())) if ort else None


class AkteurQuerySet(
    BereichQuerySetMixin, GeoQuerySetMixin, VolltextQuerySetMixin, PruefbarQuerySet
):
    def uebersetzt_q(self, anfrage):
        """Actors found by a translation of their description (hook of atlas.suche, given the
        Suchanfrage)."""
        return treffer_q(self.uebersetzt_ids(anfrage))

    def uebersetzt_ids(self, anfrage):
        """The ids `uebersetzt_q` filters by: the list's SQL filter and the in-memory index
        (akteure.suchindex) ask the same Suchanfrage, looked up once per query and language."""
        return anfrage.gemerkt(
            ("akteure.uebersetzt_ids", aktive_sprache()),
            lambda: list(uebersetzt_treffer([Akteur], anfrage.text).get(Akteur) or []),
        )

    def _bereich(self, user):
        return Q(pk__in=partner_von(user))

    def in_region(self, raum):
        """Actors in region `raum` (a Sozialraum or Region): their Sozialraum is it or one of its
        parts, or their point or PLZ lies in it."""
        region = raum if isinstance(raum, Region) else Region(raum)
        return self.filter(region.lage() | Q(sozialraum_id__in=region.teile))


class Akteur(UebersetzbarMixin, Pruefbar):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=220, unique=True)
    einrichtungsart = models.ForeignKey(
        Einrichtungsart,
        verbose_name=_("Einrichtungsart"),
        on_delete=models.PROTECT,
        related_name="akteure",
    )
    traeger = models.ForeignKey(
        "self",
        verbose_name=_("Träger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="einrichtungen",
    )
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    strasse = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    plz = models.CharField(_("PLZ"), max_length=5, blank=True)
    ort = models.CharField(_("Ort"), max_length=120, blank=True)
    sozialraum = models.ForeignKey(
        Sozialraum,
        verbose_name=_("Sozialraum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="akteure",
    )
    standort = models.PointField(
        _("Standort"),
        geography=True,
        srid=4326,
        null=True,
        blank=True,
        help_text=_("Leer lassen, wenn es keine öffentliche Adresse gibt (z. B. Familienhebamme)."),
    )
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    sprachen = models.ManyToManyField(
        Sprache, verbose_name=_("gesprochene Sprachen"), blank=True, related_name="akteure"
    )
    barrierefrei = models.BooleanField(_("barrierefrei zugänglich"), default=False)
    barrierefreiheit = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)
    oeffnungszeiten = models.TextField(_("Öffnungszeiten"), blank=True)
    leichte_sprache = models.TextField(
        _("In Leichter Sprache"),
        blank=True,
        default="",
        db_default="",  # rows written by SQL (generator, COPY) need no value
        help_text=_(
            "Optional: die Einrichtung in Leichter Sprache – kurze Sätze, ein Gedanke je Satz, "
            "schwere Wörter erklärt. Die Seite zeigt es hinter „Leichte Sprache“."
        ),
    )
    suchvektor = SearchVectorField(null=True, editable=False)
    uebersetzungen = GenericRelation(
        "atlas.Uebersetzung", content_type_field="inhaltstyp", object_id_field="objekt_id"
    )

    objects = AkteurQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["suchvektor"])

    # Texts translated per field (atlas.uebersetzung).
    uebersetzbare_felder = ("beschreibung",)

    class Meta:
        verbose_name = _("Akteur")
        verbose_name_plural = _("Akteure")
        permissions = [
            ("import_akteur", _("Darf Akteure importieren")),
            ("export_akteur", _("Darf Akteure exportieren")),
        ]
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["suchvektor"], name="akteur_suchvektor_gin"),
            GinIndex(name="akteur_name_trgm", fields=["name"], opclasses=["gin_trgm_ops"]),
            status_intern_index("akteur_status_intern"),
            models.Index(fields=["plz"], name="akteur_plz"),  # Region.lage()
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(traeger=F("id")), name="akteur_nicht_eigener_traeger"
            ),
            models.CheckConstraint(
                condition=Q(plz="") | Q(plz__regex=r"^[0-9]{5}$"), name="akteur_plz_fuenfstellig"
            ),
            models.CheckConstraint(
                condition=gueltige_position("standort"),
                name="akteur_standort_gueltig",
                violation_error_message=POSITION_UNGUELTIG,
            ),
            nicht_leer("name", "akteur_name_nicht_leer"),
            aus_auswahl("status", Status, "akteur_status_gueltig"),
        ]

    def __str__(self):
        return self.name

    def erinnerung_an(self):
        return self.email

    def get_absolute_url(self):
        return reverse("akteure:akteur_detail", kwargs={"slug": self.slug})

    @property
    def adresse(self):
        return ", ".join(p for p in [self.strasse, f"{self.plz} {self.ort}".strip()] if p)

    def dubletten_kreis(self):
        return Q(plz=self.plz) if self.plz else None

    def positionswarnung(self):
        return plz_warnung(self)

    @classmethod
    def standort_vorschlag(cls, wert):
        """The PLZ's centre, but only with a street: an address without one (a Familienhebamme
        with just PLZ and place) is not worth a marker."""
        if not wert("strasse"):
            return None
        return Standortvorschlag.aus_plz_mitte(plz_mittelpunkt(wert("plz")))

    def fehlende_angaben(self, **m2m):
        """What keeps this Akteur from being published, in German (empty: complete).

        `m2m` (many-to-many values about to be saved) is accepted for a shared signature with
        Angebot; no rule here needs one.
        """
        fehlend = []
        if not self.einrichtungsart_id:
            fehlend.append(_("Ein veröffentlichter Akteur braucht eine Einrichtungsart."))
        # A Familienhebamme has no public address: PLZ or place is enough, a street is not needed.
        if not (self.standort or self.plz or self.ort):
            fehlend.append(
                _("Ein veröffentlichter Akteur braucht eine Adresse – mindestens PLZ oder Ort.")
            )
        if not (self.telefon or self.email or self.website):
            fehlend.append(
                _(
                    "Ein veröffentlichter Akteur braucht einen Kontaktweg: Telefon, E-Mail oder "
                    "Website."
                )
            )
        if not self.beschreibung.strip():
            fehlend.append(_("Ein veröffentlichter Akteur braucht eine Beschreibung."))
        return fehlend


class KontaktpersonQuerySet(BereichQuerySetMixin, OeffentlichQuerySet):
    def _bereich(self, user):
        return Q(akteur_id__in=partner_von(user))

    def geloeschte_im_bereich(self, user):
        # The rule reads only the parent's id, which a history row keeps.
        return self._bereich(user)

    def veroeffentlicht_q(self, pfad=""):
        """Public only with recorded consent (personal data), and only with a published Akteur."""
        return Q(
            **{f"{pfad}oeffentlich": True, f"{pfad}einwilligung_am__isnull": False}
        ) & Akteur.objects.veroeffentlicht_q(f"{pfad}akteur__")


class Kontaktperson(models.Model):
    akteur = models.ForeignKey(
        Akteur, verbose_name=_("Akteur"), on_delete=models.CASCADE, related_name="kontaktpersonen"
    )
    name = models.CharField(_("Name"), max_length=150)
    funktion = models.CharField(_("Funktion"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    telefon = models.CharField(_("Telefon"), max_length=50, blank=True)
    qualifikationen = models.CharField(
        _("Qualifikationen"),
        max_length=300,
        blank=True,
        help_text=_("z. B. „Elternbegleiter:in (Elternchance)“"),
    )
    oeffentlich = models.BooleanField(
        _("öffentlich anzeigen"),
        default=False,
        help_text=_("Nur mit dokumentierter Einwilligung der Person."),
    )
    einwilligung_am = models.DateField(_("Einwilligung am"), null=True, blank=True)

    objects = KontaktpersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Kontaktperson")
        verbose_name_plural = _("Kontaktpersonen")
        permissions = [
            ("import_kontaktperson", _("Darf Kontaktpersonen importieren")),
            ("export_kontaktperson", _("Darf Kontaktpersonen exportieren")),
        ]
        ordering = ["akteur", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(oeffentlich=False) | Q(einwilligung_am__isnull=False),
                name="kontaktperson_oeffentlich_nur_mit_einwilligung",
                violation_error_message=_(
                    "Eine Kontaktperson darf nur mit Datum der Einwilligung öffentlich sein."
                ),
            ),
            nicht_leer("name", "kontaktperson_name_nicht_leer"),
        ]

    def __str__(self):
        return self.name


class Amtsbereich(models.Model):
    """The region of a Jugendamt account: its Kreis or Sozialräume (and all below them).

    The staff-only planning figures (the gap analysis when it is not public, the programme rule
    check, the population figures and their import) show a Jugendamt account only these areas;
    a Jugendamt account without one sees none of them. Redaktion and superusers see all."""

    user = models.OneToOneField(
        "auth.User",
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="amtsbereich",
        limit_choices_to={"groups__name": "Jugendamt", "is_staff": True},
    )
    regionen = models.ManyToManyField(
        Sozialraum,
        verbose_name=_("Regionen"),
        related_name="+",
        help_text=_(
            "Der Kreis oder die Sozialräume des Jugendamts; die Gebiete darunter gehören dazu."
        ),
    )

    # Who widened or narrowed an office's region, and when: the regions are the record.
    history = HistoricalRecords(m2m_fields=[regionen])

    class Meta:
        verbose_name = _("Bereich eines Jugendamts")
        verbose_name_plural = _("Bereiche der Jugendämter")
        ordering = ["user__username"]

    def __str__(self):
        return self.user.get_username()
