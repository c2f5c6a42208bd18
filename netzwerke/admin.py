from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from atlas.admin_basis import AtlasAdmin, BereichTabularInline
from atlas.pruefung import PruefungAdminMixin, PruefungFaelligFilter, VerlaufAdminMixin
from atlas.rollen import bearbeitet_alles

from .exports import NETZWERKE, PARTNERSCHAFTEN
from .models import STECKBRIEF, Netzwerk, Partnerschaft, Programm


@admin.register(Programm)
class ProgrammAdmin(AtlasAdmin):
    list_display = ["name", "foerdergeber", "mindestanzahl_partner"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PartnerschaftInline(BereichTabularInline):
    model = Partnerschaft
    extra = 0
    autocomplete_fields = ["akteur"]
    fields = ["akteur", "rolle", "seit", "bis", "notiz"]


@admin.register(Netzwerk)
class NetzwerkAdmin(PruefungAdminMixin, AtlasAdmin):
    list_display = ["name", "programm", "region", "status", "geprueft_am"]
    export_tabelle = NETZWERKE
    list_filter = ["status", PruefungFaelligFilter, "programm"]
    actions = ["als_geprueft_markieren", "veroeffentlichen"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["programm", "region", "projekttraeger", "koordinatoren"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["geprueft_am", "geprueft_von", "erstellt_am", "geaendert_am"]
    inlines = [PartnerschaftInline]
    # Who coordinates a network, and what it is, is decided by the Redaktion.
    nur_redaktion = ["programm", "region", "projekttraeger", "koordinatoren"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "programm",
                    "region",
                    "projekttraeger",
                    ("foerderung_von", "foerderung_bis"),
                    "koordinatoren",
                ]
            },
        ),
        (
            _("Steckbrief"),
            {"fields": STECKBRIEF},
        ),
        (
            _("Veröffentlichung"),
            {
                "fields": [
                    "status",
                    ("geprueft_am", "geprueft_von"),
                    ("erstellt_am", "geaendert_am"),
                ]
            },
        ),
    ]
    hilfetexte = {
        "name": _("Der Name des Netzwerks, wie er öffentlich erscheinen soll."),
        "programm": _("Das Förderprogramm; es legt die Mindestzahl der Partner fest."),
        "region": _("Landkreis, Stadt oder Stadtteil, in dem das Netzwerk arbeitet."),
        "projekttraeger": _("Der Akteur, der das Netzwerk trägt."),
        "ziele": _("Nötig zum Veröffentlichen, dazu mindestens ein weiterer Abschnitt."),
    }

    def get_readonly_fields(self, request, obj=None):
        felder = super().get_readonly_fields(request, obj)
        if bearbeitet_alles(request.user):
            return felder
        return [*felder, *self.nur_redaktion]


@admin.register(Partnerschaft)
class PartnerschaftAdmin(VerlaufAdminMixin, AtlasAdmin):
    list_display = ["akteur", "netzwerk", "rolle", "seit", "bis"]
    export_tabelle = PARTNERSCHAFTEN
    list_filter = ["rolle", "netzwerk__programm"]
    search_fields = ["akteur__name", "netzwerk__name"]
    autocomplete_fields = ["netzwerk", "akteur"]

    def verlauf_abfrage(self, qs):
        return qs.select_related("akteur", "netzwerk")

    def verlauf_bezeichnung(self, zeile):
        # Both names from the joined rows, not a query each.
        return f"{zeile.akteur} – {zeile.netzwerk}"
