from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from akteure.bereich import amtsregionen

from .bevoelkerung import SPALTEN, ImportFehler, bevoelkerung_importieren
from .models import Bevoelkerung


class BevoelkerungImportForm(forms.Form):
    datei = forms.FileField(
        label=gettext_lazy("CSV-Datei"),
        allow_empty_file=True,  # bevoelkerung_importieren() says so in its own words
        help_text=gettext_lazy(
            "Spalten: sozialraum (Kurzname), lebensphase (schwangerschaft, 0-1, 1-3, 3-6, 6-10, "
            "10-16, 16-27), anzahl, jahr; getrennt durch Semikolon oder Komma."
        ),
    )


@admin.register(Bevoelkerung)
class BevoelkerungAdmin(SimpleHistoryAdmin):
    list_display = ["sozialraum", "lebensphase", "jahr", "anzahl", "demo"]
    list_filter = ["lebensphase", "jahr", "demo"]
    search_fields = ["sozialraum__name", "sozialraum__slug"]
    autocomplete_fields = ["sozialraum"]
    change_list_template = "admin/auswertung/bevoelkerung/change_list.html"

    # A Jugendamt account keeps the figures of its Amtsbereich only (akteure.bereich).
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        bereich = amtsregionen(request.user)
        return qs if bereich is None else qs.filter(sozialraum__in=bereich)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        bereich = amtsregionen(request.user)
        if db_field.name == "sozialraum" and bereich is not None:
            kwargs["queryset"] = bereich
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "importieren/",
                self.admin_site.admin_view(self.importieren),
                name="auswertung_bevoelkerung_import",
            ),
            *super().get_urls(),
        ]

    def importieren(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BevoelkerungImportForm(request.POST or None, request.FILES or None)
        fehler = []
        if request.method == "POST" and form.is_valid():
            try:
                anzahl = bevoelkerung_importieren(
                    daten=form.cleaned_data["datei"].read(), bereich=amtsregionen(request.user)
                )
            except ImportFehler as e:
                fehler = e.meldungen
            else:
                self.message_user(
                    request,
                    _("%(anzahl)s Bevölkerungszahlen gespeichert.") % {"anzahl": anzahl},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:auswertung_bevoelkerung_changelist"))
        return TemplateResponse(
            request,
            "admin/auswertung/bevoelkerung/importieren.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Bevölkerungszahlen aus CSV importieren"),
                "form": form,
                "fehler": fehler,
                "spalten": SPALTEN,
            },
            status=400 if fehler else 200,
        )
