from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from akteure.bereich import koordinierte_netzwerke
from akteure.models import Akteur
from atlas.models import (
    OeffentlichQuerySet,
    Pruefbar,
    PruefbarQuerySet,
    Status,
    heute,
    status_intern_index,
)
from atlas.pflichtangaben import aus_auswahl, nicht_leer
from atlas.rollen import BereichQuerySetMixin
from atlas.uebersetzung import UebersetzbarMixin


class Programm(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    foerdergeber = models.CharField(_("Fördergeber"), max_length=300, blank=True)
    beschreibung = models.TextField(_("Beschreibung"), blank=True)
    mindestanzahl_partner = models.PositiveSmallIntegerField(
        _("Mindestanzahl Partner"),
        null=True,
        blank=True,
        help_text=_("Wie viele Partner ein veröffentlichtes Netzwerk mindestens haben muss."),
    )
    website = models.URLField(_("Website"), blank=True)
    koordination_qualifikation = models.CharField(
        _("Geforderte Qualifikation der Koordination"),
        max_length=200,
        blank=True,
        help_text=_(
            "Text, der bei einer Kontaktperson des koordinierenden Partners unter "
            "„Qualifikationen“ stehen muss, z. B. „Elternbegleiter“. Leer: keine Vorgabe."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]
        constraints = [nicht_leer("name", "programm_name_nicht_leer")]

    def __str__(self):
        return self.name


# The sections of a Präventionsnetzwerk "Steckbrief" (seeds/002), in their order.
STECKBRIEF = [
    "ziele",
    "fokus",
    "merkmale",
    "rahmenbedingungen",
    "wichtigste_partner",
    "stand_heute",
    "ziel_drei_jahre",
]

# The Steckbrief's columns in export and import files: short headers for Excel (the admin and
# the page use the fields' full labels).
STECKBRIEF_SPALTEN = {
    "ziele": _("Ziele"),
    "fokus": _("Fokus"),
    "merkmale": _("Merkmale"),
    "rahmenbedingungen": _("Rahmenbedingungen"),
    "wichtigste_partner": _("Wichtigste Partner"),
    "stand_heute": _("Stand heute"),
    "ziel_drei_jahre": _("Ziel in drei Jahren"),
}


class NetzwerkQuerySet(BereichQuerySetMixin, PruefbarQuerySet):
    def _bereich(self, user):
        return Q(pk__in=koordinierte_netzwerke(user).values("pk"))

    def mit_partnerzahl(self):
        """`partnerzahl`: the partners that count (Partnerschaft.objects.zaehlt_q())."""
        return self.annotate(
            partnerzahl=models.Count(
                "partnerschaften",
                filter=Partnerschaft.objects.zaehlt_q("partnerschaften__"),
                distinct=True,
            )
        )

    def unter_mindestanzahl(self):
        """Networks with fewer counting partners than their programme requires."""
        return self.mit_partnerzahl().filter(
            programm__mindestanzahl_partner__isnull=False,
            partnerzahl__lt=F("programm__mindestanzahl_partner"),
        )


class Netzwerk(UebersetzbarMixin, Pruefbar):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=220, unique=True)
    programm = models.ForeignKey(
        Programm, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="netzwerke"
    )
    region = models.ForeignKey(
        "akteure.Sozialraum",
        verbose_name=_("Region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="netzwerke",
    )
    projekttraeger = models.ForeignKey(
        "akteure.Akteur",
        verbose_name=_("Projektträger"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="getragene_netzwerke",
    )
    foerderung_von = models.DateField(_("Förderung von"), null=True, blank=True)
    foerderung_bis = models.DateField(_("Förderung bis"), null=True, blank=True)
    # The sections of a Präventionsnetzwerk "Steckbrief" (seeds/002).
    ziele = models.TextField(_("Das sind unsere Ziele"), blank=True)
    fokus = models.TextField(_("Darauf liegt unser Fokus"), blank=True)
    merkmale = models.TextField(_("Das sind wichtige Merkmale unseres Netzwerks"), blank=True)
    rahmenbedingungen = models.TextField(_("Das sind unsere Rahmenbedingungen vor Ort"), blank=True)
    wichtigste_partner = models.TextField(_("Das sind unsere wichtigsten Partner"), blank=True)
    stand_heute = models.TextField(_("Da stehen wir heute"), blank=True)
    ziel_drei_jahre = models.TextField(_("Da wollen wir in drei Jahren stehen"), blank=True)
    koordinatoren = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Koordinator:innen (Benutzerkonten)"),
        blank=True,
        related_name="koordinierte_netzwerke",
        help_text=_("Diese Benutzerkonten dürfen die Einträge des Netzwerks pflegen."),
    )

    uebersetzungen = GenericRelation(
        "atlas.Uebersetzung", content_type_field="inhaltstyp", object_id_field="objekt_id"
    )

    objects = NetzwerkQuerySet.as_manager()
    history = HistoricalRecords()

    # The Steckbrief is translated section by section (atlas.uebersetzung).
    uebersetzbare_felder = tuple(STECKBRIEF)

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        permissions = [
            ("export_netzwerk", _("Darf Netzwerke exportieren")),
            ("import_netzwerk", _("Darf Steckbriefe importieren")),
        ]
        ordering = ["name"]
        indexes = [status_intern_index("netzwerk_status_intern")]
        constraints = [
            models.CheckConstraint(
                condition=Q(foerderung_von__isnull=True)
                | Q(foerderung_bis__isnull=True)
                | Q(foerderung_von__lte=F("foerderung_bis")),
                name="netzwerk_foerderzeitraum_gueltig",
                violation_error_message=_("Das Förderende liegt vor dem Förderbeginn."),
            ),
            nicht_leer("name", "netzwerk_name_nicht_leer"),
            aus_auswahl("status", Status, "netzwerk_status_gueltig"),
        ]

    def __str__(self):
        return self.name

    def erinnerung_an(self):
        """A network's Steckbrief is the Projektträger's to confirm."""
        return self.projekttraeger.email if self.projekttraeger_id else ""

    def get_absolute_url(self):
        return reverse("netzwerke:netzwerk_detail", kwargs={"slug": self.slug})

    @property
    def koordination(self):
        return self.partnerschaften.filter(rolle=Partnerschaft.Rolle.KOORDINATION).first()

    def fehlende_partner(self):
        """How many partners are missing for the programme's minimum (0 when satisfied).

        Only partners that count: current partnerships with a published actor."""
        minimum = self.programm.mindestanzahl_partner or 0
        if not minimum:
            return 0
        zaehlend = self.partnerschaften.filter(Partnerschaft.objects.zaehlt_q()).count()
        return max(0, minimum - zaehlend)

    def fehlende_angaben(self, **m2m):
        """What keeps this network from being published, in German (empty: complete).

        Partners count as saved; `m2m` is accepted for a shared signature with Angebot.
        """
        fehlend = []
        minimum = self.programm.mindestanzahl_partner if self.programm_id else None
        if minimum and (self.pk is None or self.fehlende_partner()):
            # Same text as clean(), so that a form shows it once.
            fehlend.append(self._zu_wenige_partner())
        if self.pk is None or self.koordination is None:
            fehlend.append(
                _(
                    "Ein veröffentlichtes Netzwerk braucht einen koordinierenden Partner: eine "
                    "gespeicherte Partnerschaft mit der Rolle „Koordination“."
                )
            )
        if not self.ziele.strip():
            fehlend.append(_("Im Steckbrief fehlen die Ziele („Das sind unsere Ziele“)."))
        if not any(getattr(self, feld).strip() for feld in STECKBRIEF[1:]):
            fehlend.append(
                _(
                    "Im Steckbrief fehlt neben den Zielen mindestens ein weiterer Abschnitt, "
                    "z. B. „Darauf liegt unser Fokus“."
                )
            )
        return fehlend

    def clean(self):
        super().clean()
        if self.pk and self.status == Status.VEROEFFENTLICHT and self.fehlende_partner():
            raise ValidationError(self._zu_wenige_partner())

    def _zu_wenige_partner(self):
        return _(
            "Ein veröffentlichtes Netzwerk im Programm „%(programm)s“ braucht mindestens "
            "%(anzahl)s Partner."
        ) % {"programm": self.programm, "anzahl": self.programm.mindestanzahl_partner}


class PartnerschaftQuerySet(BereichQuerySetMixin, OeffentlichQuerySet):
    def _bereich(self, user):
        return Q(netzwerk__in=koordinierte_netzwerke(user).values("pk"))

    def geloeschte_im_bereich(self, user):
        # The rule reads only the parent's id, which a history row keeps.
        return self._bereich(user)

    def veroeffentlicht_q(self, pfad=""):
        """Public: network and Akteur published, and current (seit ≤ today ≤ bis, open ends)."""
        return Netzwerk.objects.veroeffentlicht_q(f"{pfad}netzwerk__") & self.zaehlt_q(pfad)

    def aktuell_q(self, pfad=""):
        """Current: seit ≤ today ≤ bis (open ends count)."""
        tag = heute()
        return (Q(**{f"{pfad}seit__isnull": True}) | Q(**{f"{pfad}seit__lte": tag})) & (
            Q(**{f"{pfad}bis__isnull": True}) | Q(**{f"{pfad}bis__gte": tag})
        )

    def zaehlt_q(self, pfad=""):
        """A partner that counts for a programme's rules: agreed (no draft), current, with a
        published actor (an ended partnership or a draft actor is no partner yet or any more)."""
        return (
            Q(**{f"{pfad}entwurf": False})
            & self.aktuell_q(pfad)
            & Akteur.objects.veroeffentlicht_q(f"{pfad}akteur__")
        )

    def aufnehmen(self, netzwerk, akteur):
        """Make `akteur` a partner of `netzwerk`; an existing partnership keeps its role."""
        return self.get_or_create(netzwerk=netzwerk, akteur=akteur)[0]


class PartnerRolle(models.TextChoices):
    KOORDINATION = "koordination", _("Koordination")
    PARTNER = "partner", _("Partner")


class Partnerschaft(models.Model):
    # Outside the class so that Meta.constraints can name it too.
    Rolle = PartnerRolle

    # PROTECT: deleting a network with partners is refused (the admin lists them); archiving is
    # the undoable way to take a network off the site.
    netzwerk = models.ForeignKey(
        Netzwerk,
        verbose_name=_("Netzwerk"),
        on_delete=models.PROTECT,
        related_name="partnerschaften",
    )
    akteur = models.ForeignKey(
        "akteure.Akteur",
        verbose_name=_("Akteur"),
        on_delete=models.PROTECT,
        related_name="partnerschaften",
    )
    rolle = models.CharField(
        _("Rolle"), max_length=20, choices=Rolle.choices, default=Rolle.PARTNER
    )
    seit = models.DateField(_("seit"), null=True, blank=True)
    bis = models.DateField(_("bis"), null=True, blank=True)
    notiz = models.TextField(_("Notiz"), blank=True)
    entwurf = models.BooleanField(
        _("Entwurf (noch nicht vereinbart)"),
        default=False,
        db_default=False,  # rows written in bulk by SQL (generator, import) are agreed ones
        help_text=_(
            "Ein vorgeschlagener Partner, mit dem noch nichts vereinbart ist: nicht öffentlich, "
            "zählt nicht für die Mindestzahl. Haken entfernen, sobald die Partnerschaft steht."
        ),
    )

    objects = PartnerschaftQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Partnerschaft")
        verbose_name_plural = _("Partnerschaften")
        permissions = [("export_partnerschaft", _("Darf Partnerschaften exportieren"))]
        ordering = ["netzwerk", "rolle", "akteur__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["netzwerk", "akteur"],
                name="partnerschaft_einmal_je_netzwerk",
                violation_error_message=_("Dieser Akteur ist bereits Partner des Netzwerks."),
            ),
            models.UniqueConstraint(
                fields=["netzwerk"],
                condition=Q(rolle="koordination"),
                name="netzwerk_hoechstens_eine_koordination",
                violation_error_message=_(
                    "Ein Netzwerk hat höchstens einen koordinierenden Partner."
                ),
            ),
            models.CheckConstraint(
                condition=Q(seit__isnull=True) | Q(bis__isnull=True) | Q(seit__lte=F("bis")),
                name="partnerschaft_zeitraum_gueltig",
                violation_error_message=_("„bis“ liegt vor „seit“."),
            ),
            aus_auswahl("rolle", PartnerRolle, "partnerschaft_rolle_gueltig"),
        ]

    def __str__(self):
        return f"{self.akteur} – {self.netzwerk} ({self.get_rolle_display()})"
