from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from atlas.admin_basis import AtlasAdmin, BereichTabularInline
from atlas.pruefung import PruefungAdminMixin, PruefungFaelligFilter
from atlas.rollen import bearbeitet_alles

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

    def get_readonly_fields(self, request, obj=None):
        felder = super().get_readonly_fields(request, obj)
        if bearbeitet_alles(request.user):
            return felder
        return [*felder, *self.nur_redaktion]


@admin.register(Partnerschaft)
class PartnerschaftAdmin(AtlasAdmin):
    list_display = ["akteur", "netzwerk", "rolle", "seit", "bis"]
    list_filter = ["rolle", "netzwerk__programm"]
    search_fields = ["akteur__name", "netzwerk__name"]
    autocomplete_fields = ["netzwerk", "akteur"]
