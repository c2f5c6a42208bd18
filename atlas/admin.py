"""Admin of the shared machinery: the protocols (read-only, Redaktion), reports (the
coordinators' tasks), legal texts, the outbox."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .admin_basis import NICHT_IM_BEREICH, BereichMixin
from .models import (
    Exportprotokoll,
    Importauftrag,
    Loeschprotokoll,
    Meldung,
    Postausgang,
    Rechtstext,
)
from .pruefung import admin_url


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


class MeldungZustandFilter(admin.SimpleListFilter):
    title = _("Zustand")
    parameter_name = "zustand"

    def lookups(self, request, model_admin):
        return [("offen", _("offen")), ("erledigt", _("erledigt"))]

    def queryset(self, request, queryset):
        if self.value() == "offen":
            return queryset.filter(erledigt_am__isnull=True)
        if self.value() == "erledigt":
            return queryset.filter(erledigt_am__isnull=False)
        return queryset


@admin.register(Meldung)
class MeldungAdmin(BereichMixin, admin.ModelAdmin):
    """Reports about records: each coordinator sees those about records in their scope."""

    list_display = ["erstellt_am", "eintrag", "art", "kurztext", "erledigt"]
    list_filter = [MeldungZustandFilter, "art"]
    readonly_fields = [
        "eintrag",
        "art",
        "text",
        "kontakt",
        "erstellt_am",
        "erledigt_am",
        "erledigt_von",
    ]
    fields = [*readonly_fields, "notiz"]
    actions = ["als_erledigt_markieren"]
    date_hierarchy = "erstellt_am"

    def has_add_permission(self, request):
        return False  # reports come from the public form

    def get_object(self, request, object_id, from_field=None):
        # Out of scope looks like not existing: 404, as on every admin path (admin_basis).
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(NICHT_IM_BEREICH)
        return obj

    @admin.display(description=_("Eintrag"))
    def eintrag(self, meldung):
        obj = meldung.objekt
        if obj is None:
            return _("(gelöscht)")
        try:
            url = admin_url(obj)
        except Exception:
            url = None
        name = f"{obj._meta.verbose_name}: {obj}"
        return format_html('<a href="{}">{}</a>', url, name) if url else name

    @admin.display(description=_("Meldung"))
    def kurztext(self, meldung):
        return meldung.text if len(meldung.text) <= 80 else meldung.text[:79] + "…"

    @admin.display(description=_("erledigt"), boolean=True)
    def erledigt(self, meldung):
        return meldung.erledigt_am is not None

    @admin.action(description=_("Als erledigt markieren"), permissions=["change"])
    def als_erledigt_markieren(self, request, queryset):
        anzahl = queryset.filter(erledigt_am__isnull=True).update(
            erledigt_am=timezone.now(), erledigt_von=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(anzahl)s Meldung als erledigt markiert.",
                "%(anzahl)s Meldungen als erledigt markiert.",
                anzahl,
            )
            % {"anzahl": anzahl},
            messages.SUCCESS,
        )


@admin.register(Rechtstext)
class RechtstextAdmin(SimpleHistoryAdmin):
    list_display = ["titel", "seite", "geaendert_am"]
    readonly_fields = ["seite"]
    fields = ["seite", "titel", "text"]

    def has_add_permission(self, request):
        return False  # the three pages exist from the migration on

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Postausgang)
class PostausgangAdmin(admin.ModelAdmin):
    list_display = ["erstellt_am", "an", "betreff", "zustand", "versuche", "naechster_versuch"]
    list_filter = ["zustand"]
    search_fields = ["an", "betreff"]
    readonly_fields = [
        "an",
        "betreff",
        "text",
        "zustand",
        "versuche",
        "naechster_versuch",
        "letzter_fehler",
        "erstellt_am",
        "gesendet_am",
    ]
    actions = ["erneut_versuchen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Erneut versuchen"), permissions=["view"])
    def erneut_versuchen(self, request, queryset):
        anzahl = queryset.filter(~Q(zustand=Postausgang.Zustand.GESENDET)).update(
            zustand=Postausgang.Zustand.WARTET, versuche=0, naechster_versuch=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(anzahl)s E-Mail wird erneut versucht.",
                "%(anzahl)s E-Mails werden erneut versucht.",
                anzahl,
            )
            % {"anzahl": anzahl},
        )


@admin.register(Importauftrag)
class ImportauftragAdmin(NurLesenAdmin):
    """The user's imports: progress while a worker runs one, the preview to confirm, the result
    to come back to. Coordinators see their own, the Redaktion everyone's."""

    list_display = ["dateiname", "liste", "status", "zeilen", "erstellt", "benutzer"]
    list_filter = ["status"]
    list_select_related = ["benutzer"]
    list_display_links = ["dateiname"]

    @admin.display(description=_("Liste"))
    def liste(self, obj):
        from .importauftraege import modell_admin

        try:
            return modell_admin(obj.modell).opts.verbose_name_plural
        except LookupError:
            return obj.modell

    def get_queryset(self, request):
        return super().get_queryset(request).von(request.user).defer("datei")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not (request.user.is_active and request.user.is_staff):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_urls(self):
        from django.urls import path

        eigene = [
            path(
                "<uuid:pk>/bestaetigen/",
                self.admin_site.admin_view(self.bestaetigen_view),
                name="atlas_importauftrag_bestaetigen",
            ),
            path(
                "<uuid:pk>/abbrechen/",
                self.admin_site.admin_view(self.abbrechen_view),
                name="atlas_importauftrag_abbrechen",
            ),
        ]
        return eigene + super().get_urls()

    def _auftrag(self, request, pk):
        from django.shortcuts import get_object_or_404

        if not self.has_view_permission(request):
            raise Http404
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from django.template.response import TemplateResponse

        from .importauftraege import arbeiter_starten, veraltete_auftraege_melden

        try:
            auftrag = self._auftrag(request, object_id)
        except (ValueError, ValidationError, Http404):
            raise Http404 from None
        if auftrag.laeuft:
            # A killed worker shows here, not as "läuft" forever; a job no worker took yet
            # gets one (at most every 30 s).
            veraltete_auftraege_melden()
            auftrag.refresh_from_db()
            if (
                auftrag.status in Importauftrag.WARTEND
                and (timezone.now() - auftrag.aktualisiert).total_seconds() > 30
            ):
                Importauftrag.objects.filter(pk=auftrag.pk).update(aktualisiert=timezone.now())
                arbeiter_starten()
        kontext = {
            **self.admin_site.each_context(request),
            "title": _("Import: %(datei)s") % {"datei": auftrag.dateiname},
            "opts": self.opts,
            "auftrag": auftrag,
            "liste": self.liste(auftrag),
            "eigener": auftrag.benutzer_id == request.user.pk,
            "ergebnis": auftrag.ergebnis or {},
            "ziel_url": _ziel_url(auftrag),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/atlas/importauftrag.html", kontext)

    def bestaetigen_view(self, request, pk):
        from django.shortcuts import redirect

        from .importauftraege import arbeiter_starten

        if request.method != "POST":
            return redirect("admin:atlas_importauftrag_change", pk)
        from .importauftraege import modell_admin

        auftrag = self._auftrag(request, pk)
        # Only the uploader, and only while they may still import into that list.
        if (
            auftrag.benutzer_id != request.user.pk
            or not modell_admin(auftrag.modell).has_import_permission(request)
            or not auftrag.bestaetigen()
        ):
            messages.error(request, _("Diese Vorschau ist abgelaufen."))
        else:
            arbeiter_starten()
        return redirect("admin:atlas_importauftrag_change", pk)

    def abbrechen_view(self, request, pk):
        from django.shortcuts import redirect

        if request.method != "POST":
            return redirect("admin:atlas_importauftrag_change", pk)
        auftrag = self._auftrag(request, pk)
        if auftrag.benutzer_id == request.user.pk and auftrag.abbrechen():
            messages.info(
                request, _("Der Import ist abgebrochen; die hochgeladene Datei wurde gelöscht.")
            )
        return redirect("admin:atlas_importauftrag_changelist")


def _ziel_url(auftrag):
    """The list the job imports into, for a link on its page."""
    from django.urls import NoReverseMatch, reverse

    try:
        app_label, model_name = auftrag.modell.split(".")
        return reverse(f"admin:{app_label}_{model_name}_changelist")
    except (ValueError, NoReverseMatch):
        return ""
