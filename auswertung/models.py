from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from angebote.models import LEBENSPHASEN

LEBENSPHASE_WAHL = [(phase.slug, phase.name) for phase in LEBENSPHASEN]


class BevoelkerungQuerySet(models.QuerySet):
    def neueste(self, raeume):
        """{(sozialraum_id, lebensphase): row} with the latest year for each area and band."""
        zeilen = {}
        for zeile in self.filter(sozialraum__in=raeume).order_by("jahr"):
            zeilen[(zeile.sozialraum_id, zeile.lebensphase)] = zeile
        return zeilen


class Bevoelkerung(models.Model):
    """How many children (or, for pregnancy, births a year) of one life phase live in a
    Sozialraum in one year: the Jugendamt's planning figures, the base of "per 1,000"."""

    sozialraum = models.ForeignKey(
        "akteure.Sozialraum",
        verbose_name=_("Sozialraum"),
        on_delete=models.CASCADE,
        related_name="bevoelkerung",
    )
    lebensphase = models.CharField(_("Lebensphase"), max_length=20, choices=LEBENSPHASE_WAHL)
    jahr = models.PositiveSmallIntegerField(_("Jahr"))
    anzahl = models.PositiveIntegerField(_("Anzahl"))
    demo = models.BooleanField(
        _("Demozahl"),
        default=False,
        help_text=_("Erfundene Zahl der Beispieldaten; die Seiten kennzeichnen sie."),
    )

    objects = BevoelkerungQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Bevölkerungszahl")
        verbose_name_plural = _("Bevölkerungszahlen")
        ordering = ["sozialraum__name", "lebensphase", "-jahr"]
        constraints = [
            models.UniqueConstraint(
                fields=["sozialraum", "lebensphase", "jahr"],
                name="bevoelkerung_einmal_je_raum_phase_jahr",
                violation_error_message=_(
                    "Für diesen Sozialraum, diese Lebensphase und dieses Jahr gibt es schon eine "
                    "Zahl."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(jahr__gte=1990, jahr__lte=2100),
                name="bevoelkerung_jahr_plausibel",
                violation_error_message=_("Das Jahr muss zwischen 1990 und 2100 liegen."),
            ),
        ]

    def __str__(self):
        return f"{self.sozialraum} – {self.get_lebensphase_display()} {self.jahr}: {self.anzahl}"


class SchnappschussQuerySet(models.QuerySet):
    def verlauf(self, akteur):
        return self.filter(akteur=akteur).order_by("monat")


class Schnappschuss(models.Model):
    """The monitoring figures of one site (an actor) in one month, written by the scheduled,
    idempotent command `monitoring_schnappschuss` (auswertung/monitoring.py)."""

    akteur = models.ForeignKey(
        "akteure.Akteur",
        verbose_name=_("Standort (Akteur)"),
        on_delete=models.CASCADE,
        related_name="schnappschuesse",
    )
    monat = models.DateField(_("Monat"), help_text=_("Der Erste des Monats."))
    angebote = models.PositiveIntegerField(_("Angebote"))
    nach_lebensphase = models.JSONField(_("Angebote nach Lebensphase"), default=dict)
    nach_format = models.JSONField(_("Angebote nach Format"), default=dict)
    partner = models.PositiveIntegerField(_("Kooperationspartner"))
    netzwerke = models.PositiveIntegerField(_("Netzwerke"))
    anteil_geprueft = models.DecimalField(
        _("Anteil in 12 Monaten geprüft (%)"), max_digits=4, decimal_places=1
    )
    erstellt_am = models.DateTimeField(_("erstellt am"), auto_now=True)

    objects = SchnappschussQuerySet.as_manager()

    class Meta:
        verbose_name = _("Monitoring-Schnappschuss")
        verbose_name_plural = _("Monitoring-Schnappschüsse")
        ordering = ["akteur", "monat"]
        constraints = [
            models.UniqueConstraint(
                fields=["akteur", "monat"], name="schnappschuss_einmal_je_akteur_monat"
            ),
            models.CheckConstraint(
                condition=models.Q(monat__day=1), name="schnappschuss_monatserster"
            ),
        ]

    def __str__(self):
        return f"{self.akteur} {self.monat:%m/%Y}"
