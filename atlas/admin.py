"""The protocols in the admin: read-only, for whoever has their view permission (Redaktion)."""

from django.contrib import admin

from .models import Exportprotokoll, Loeschprotokoll


class NurLesenAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Exportprotokoll)
class ExportprotokollAdmin(NurLesenAdmin):
    list_display = ["zeitpunkt", "benutzer", "liste", "format", "intern", "filter"]
    list_filter = ["format", "intern", "liste"]
    search_fields = ["liste", "filter", "benutzer__username"]
    date_hierarchy = "zeitpunkt"
    list_select_related = ["benutzer"]


@admin.register(Loeschprotokoll)
class LoeschprotokollAdmin(NurLesenAdmin):
    list_display = ["zeitpunkt", "art", "kennung", "durch", "geaenderte_zeilen"]
    list_filter = ["art"]
