from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from .models import (
    Akteur,
    Einrichtungsart,
    Kontaktperson,
    Ort,
    Postleitzahl,
    Sozialraum,
    Sprache,
)


@admin.register(Einrichtungsart)
class EinrichtungsartAdmin(admin.ModelAdmin):
    list_display = ["name", "bereich", "reihenfolge"]
    list_filter = ["bereich"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sprache)
class SpracheAdmin(admin.ModelAdmin):
    list_display = ["name", "name_nativ", "code", "rtl"]
    list_filter = ["rtl"]
    search_fields = ["name", "name_nativ", "code"]


@admin.register(Sozialraum)
class SozialraumAdmin(LeafletGeoAdmin):
    list_display = ["name", "ebene", "uebergeordnet"]
    list_filter = ["ebene"]
    search_fields = ["name"]
    autocomplete_fields = ["uebergeordnet"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Postleitzahl)
class PostleitzahlAdmin(LeafletGeoAdmin):
    list_display = ["plz", "ort"]
    search_fields = ["plz", "ort"]


@admin.register(Ort)
class OrtAdmin(LeafletGeoAdmin):
    list_display = ["name", "plz"]
    search_fields = ["name", "plz"]


class KontaktpersonInline(admin.StackedInline):
    model = Kontaktperson
    extra = 0
    fields = [
        ("name", "funktion"),
        ("email", "telefon"),
        "qualifikationen",
        ("oeffentlich", "einwilligung_am"),
    ]


@admin.register(Akteur)
class AkteurAdmin(LeafletGeoAdmin):
    list_display = ["name", "einrichtungsart", "ort", "status", "geprueft_am", "geaendert_am"]
    list_filter = ["status", "einrichtungsart__bereich", "einrichtungsart", "barrierefrei"]
    search_fields = ["name", "ort", "plz"]
    autocomplete_fields = ["einrichtungsart", "traeger", "sozialraum", "sprachen"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["geprueft_am", "geprueft_von", "erstellt_am", "geaendert_am"]
    date_hierarchy = "geaendert_am"
    inlines = [KontaktpersonInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "einrichtungsart", "traeger", "beschreibung"]}),
        (_("Adresse und Lage"), {"fields": ["strasse", ("plz", "ort"), "sozialraum", "standort"]}),
        (
            _("Kontakt und Zugang"),
            {
                "fields": [
                    ("telefon", "email"),
                    "website",
                    "sprachen",
                    "oeffnungszeiten",
                    "barrierefrei",
                    "barrierefreiheit",
                ]
            },
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


@admin.register(Kontaktperson)
class KontaktpersonAdmin(admin.ModelAdmin):
    list_display = ["name", "funktion", "akteur", "oeffentlich", "einwilligung_am"]
    list_filter = ["oeffentlich"]
    search_fields = ["name", "akteur__name", "email"]
    autocomplete_fields = ["akteur"]
