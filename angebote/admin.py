from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from atlas.admin_basis import AtlasAdmin, AtlasGeoAdmin, BereichTabularInline
from atlas.importieren import AtlasImportMixin
from atlas.pruefung import PruefungAdminMixin, PruefungFaelligFilter

from .models import Angebot, Termin, Thema, Zielgruppe
from .ressourcen import AngebotRessource


@admin.register(Thema)
class ThemaAdmin(AtlasAdmin):
    list_display = ["name", "oberthema", "reihenfolge"]
    list_filter = [("oberthema", admin.EmptyFieldListFilter)]
    search_fields = ["name", "oberthema__name"]
    autocomplete_fields = ["oberthema"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Zielgruppe)
class ZielgruppeAdmin(AtlasAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class TerminInline(BereichTabularInline):
    model = Termin
    extra = 0
    fields = ["beginn", "ende", "ort", "online", "anmeldestatus", "hinweis"]


@admin.register(Angebot)
class AngebotAdmin(PruefungAdminMixin, AtlasImportMixin, AtlasGeoAdmin):
    resource_classes = [AngebotRessource]
    list_display = ["titel", "anbieter", "format", "kosten", "status", "geprueft_am"]
    list_filter = [
        "status",
        PruefungFaelligFilter,
        "format",
        "kosten",
        "netzwerk",
        "themen__oberthema",
        "kinderbetreuung",
    ]
    actions = ["als_geprueft_markieren", "veroeffentlichen"]
    search_fields = ["titel", "anbieter__name", "ort"]
    autocomplete_fields = [
        "anbieter",
        "kooperationspartner",
        "netzwerk",
        "themen",
        "zielgruppen",
        "sprachen",
        "einzugsgebiet",
    ]
    list_select_related = ["anbieter"]
    prepopulated_fields = {"slug": ["titel"]}
    readonly_fields = ["geprueft_am", "geprueft_von", "erstellt_am", "geaendert_am"]
    inlines = [TerminInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "titel",
                    "slug",
                    "beschreibung",
                    "anbieter",
                    "kooperationspartner",
                    "netzwerk",
                ]
            },
        ),
        (
            _("Für wen"),
            {
                "fields": [
                    "themen",
                    "zielgruppen",
                    ("alter_von_monate", "alter_bis_monate"),
                    "sprachen",
                ]
            },
        ),
        (
            _("Wie und was es kostet"),
            {
                "fields": [
                    "format",
                    ("kosten", "kosten_hinweis"),
                    ("anmeldung_erforderlich", "anmeldung_hinweis"),
                    "kinderbetreuung",
                    ("barrierefrei", "barrierefreiheit"),
                ]
            },
        ),
        (
            _("Wo und wann"),
            {
                "fields": [
                    "strasse",
                    ("plz", "ort"),
                    "standort",
                    "einzugsgebiet",
                    "regelmaessige_zeiten",
                    ("gueltig_von", "gueltig_bis"),
                ]
            },
        ),
        (_("Kontakt"), {"fields": ["kontakt_name", ("kontakt_email", "kontakt_telefon")]}),
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


@admin.register(Termin)
class TerminAdmin(AtlasAdmin):
    list_display = ["angebot", "beginn", "ende", "online", "anmeldestatus"]
    list_filter = ["anmeldestatus", "online"]
    search_fields = ["angebot__titel", "ort"]
    autocomplete_fields = ["angebot"]
    date_hierarchy = "beginn"
