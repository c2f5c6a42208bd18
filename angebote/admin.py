from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from akteure.admin import RegionFilter
from atlas.admin_basis import (
    AtlasAdmin,
    AtlasGeoAdmin,
    BereichTabularInline,
    UebersetzungInline,
    UebersetzungVeraltetFilter,
)
from atlas.importieren import AtlasImportMixin
from atlas.pruefung import PruefungAdminMixin, PruefungFaelligFilter

from .exports import ANGEBOTE
from .models import Angebot, Termin, Thema, Zielgruppe
from .ressourcen import AngebotRessource


@admin.register(Thema)
class ThemaAdmin(AtlasAdmin):
    list_display = ["name", "oberthema", "reihenfolge"]
    list_filter = [("oberthema", admin.EmptyFieldListFilter)]
    search_fields = ["name", "oberthema__name"]
    autocomplete_fields = ["oberthema"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [UebersetzungInline]


@admin.register(Zielgruppe)
class ZielgruppeAdmin(AtlasAdmin):
    list_display = ["name", "fachpublikum"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [UebersetzungInline]


class TerminInline(BereichTabularInline):
    model = Termin
    extra = 0
    fields = ["beginn", "ende", "ort", "online", "anmeldestatus", "hinweis"]


@admin.register(Angebot)
class AngebotAdmin(PruefungAdminMixin, AtlasImportMixin, AtlasGeoAdmin):
    resource_classes = [AngebotRessource]
    export_tabelle = ANGEBOTE
    list_display = ["titel", "anbieter", "format", "kosten", "status", "geprueft_am"]
    list_filter = [
        "status",
        PruefungFaelligFilter,
        UebersetzungVeraltetFilter,
        "format",
        "kosten",
        "netzwerk",
        RegionFilter,
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
    inlines = [TerminInline, UebersetzungInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "titel",
                    "slug",
                    "beschreibung",
                    "leichte_sprache",
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
    hilfetexte = {
        "titel": _("Kurz und aussagekräftig, z. B. „Elterncafé am Dienstag“."),
        "slug": _("Teil der Internetadresse; wird aus dem Titel gebildet."),
        "beschreibung": _(
            "Was Familien erwartet, in einfacher Sprache; nötig zum Veröffentlichen."
        ),
        "anbieter": _("Der Akteur, der das Angebot durchführt."),
        "kooperationspartner": _("Weitere Akteure, die mitwirken."),
        "netzwerk": _("Das Netzwerk, dem das Angebot zugeordnet ist (falls eins)."),
        "themen": _("Mindestens ein Thema zum Veröffentlichen."),
        "zielgruppen": _("Eine Zielgruppe oder eine Altersangabe braucht es zum Veröffentlichen."),
        "alter_bis_monate": _("Leer lassen, wenn es keine Obergrenze gibt."),
        "format": _("Online und Hausbesuch brauchen keinen Ort."),
        "kosten_hinweis": _("z. B. „5 € pro Treffen, ermäßigt frei“"),
        "anmeldung_hinweis": _("Wie und wo man sich anmeldet; zählt auch als Kontakt."),
        "strasse": _("Leer lassen, wenn das Angebot beim Anbieter stattfindet."),
        "regelmaessige_zeiten": _("z. B. „jeden Dienstag 9:30–11 Uhr, nicht in den Ferien“"),
        "gueltig_von": _("Vorher erscheint das Angebot nicht im Atlas."),
        "gueltig_bis": _("Danach verschwindet das Angebot von selbst aus dem Atlas."),
        "kontakt_email": _("Ohne eigene Kontaktdaten zeigt der Atlas die des Anbieters."),
    }


@admin.register(Termin)
class TerminAdmin(AtlasAdmin):
    list_display = ["angebot", "beginn", "ende", "online", "anmeldestatus"]
    list_filter = ["anmeldestatus", "online"]
    search_fields = ["angebot__titel", "ort"]
    autocomplete_fields = ["angebot"]
    date_hierarchy = "beginn"
