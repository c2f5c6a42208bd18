from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.utils.translation import gettext_lazy as _

from atlas.admin_basis import (
    AtlasAdmin,
    BereichTabularInline,
    UebersetzungInline,
    UebersetzungVeraltetFilter,
)
from atlas.importieren import AtlasImportMixin
from atlas.pruefung import PruefungAdminMixin, PruefungFaelligFilter, VerlaufAdminMixin
from atlas.rollen import bearbeitet_alles

from .exports import NETZWERKE, PARTNERSCHAFTEN
from .models import STECKBRIEF, Netzwerk, Partnerschaft, Programm
from .ressourcen import NetzwerkRessource


@admin.register(Programm)
class ProgrammAdmin(AtlasAdmin):
    list_display = ["name", "foerdergeber", "mindestanzahl_partner"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PartnerschaftInline(BereichTabularInline):
    model = Partnerschaft
    extra = 0
    autocomplete_fields = ["akteur"]
    fields = ["akteur", "rolle", "seit", "bis", "notiz", "entwurf"]


@admin.register(Netzwerk)
class NetzwerkAdmin(PruefungAdminMixin, AtlasImportMixin, AtlasAdmin):
    list_display = ["name", "programm", "region", "status", "geprueft_am"]
    # Steckbriefe and their translations of existing networks (an agency's file comes back).
    resource_classes = [NetzwerkRessource]
    export_tabelle = NETZWERKE
    list_filter = ["status", PruefungFaelligFilter, UebersetzungVeraltetFilter, "programm"]
    actions = ["als_geprueft_markieren", "veroeffentlichen"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["programm", "region", "projekttraeger", "koordinatoren"]
    readonly_fields = ["geprueft_am", "geprueft_von", "erstellt_am", "geaendert_am"]
    inlines = [PartnerschaftInline, UebersetzungInline]
    loeschen_hinweis = _(
        "Entfernen Sie zuerst die Partnerschaften und ordnen Sie die Angebote einem anderen "
        "Netzwerk zu. Soll das Netzwerk nur nicht mehr öffentlich sein, setzen Sie seinen Status "
        "auf „archiviert“; das lässt sich jederzeit rückgängig machen."
    )
    # What a network is (name, programme, region, Träger, funding, coordinators) is decided by
    # the Redaktion; its coordinators keep the Steckbrief and the status true (README, roles).
    koordination_bearbeitet = [*STECKBRIEF, "status"]
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

    def has_import_permission(self, request):
        # The import creates no network: the model's import and change permissions suffice.
        return request.user.has_perm("netzwerke.import_netzwerk") and self.has_change_permission(
            request
        )

    def get_readonly_fields(self, request, obj=None):
        felder = list(super().get_readonly_fields(request, obj))
        if bearbeitet_alles(request.user):
            return felder
        alle = flatten_fieldsets(self.fieldsets)
        return [*felder, *(f for f in alle if f not in felder + self.koordination_bearbeitet)]

    def get_prepopulated_fields(self, request, obj=None):
        # The slug follows the name only where the name can be edited. Not an attribute:
        # django-simple-history's revert form reads that one whatever the user may edit.
        return {"slug": ["name"]} if bearbeitet_alles(request.user) else {}


@admin.register(Partnerschaft)
class PartnerschaftAdmin(VerlaufAdminMixin, AtlasAdmin):
    list_display = ["akteur", "netzwerk", "rolle", "seit", "bis", "entwurf"]
    export_tabelle = PARTNERSCHAFTEN
    list_filter = ["rolle", "entwurf", "netzwerk__programm"]
    search_fields = ["akteur__name", "netzwerk__name"]
    autocomplete_fields = ["netzwerk", "akteur"]

    def verlauf_abfrage(self, qs):
        return qs.select_related("akteur", "netzwerk")

    def verlauf_bezeichnung(self, zeile):
        # Both names from the joined rows, not a query each.
        return f"{zeile.akteur} – {zeile.netzwerk}"
