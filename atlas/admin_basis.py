"""The base of every admin class: scope (`im_bereich_von`) on every path, history, 404 not redirect.

A model whose QuerySet has `im_bereich_von(user)` (atlas.rollen) is *scoped*: its changelist,
object URLs (change, delete, history, revert), autocomplete results, list-filter choices and every
foreign-key or many-to-many choice pointing at it are limited to the user's scope. Vocabularies
have no scope rule; the groups' model permissions decide who may change them.
"""

import dataclasses

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import display_for_field, get_fields_from_path, unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.contrib.gis.db.models import PointField
from django.contrib.gis.gdal import GDALException
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletAdminWidget, LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .fassung import FELD as FASSUNG_FELD
from .fassung import FassungFormMixin, versionsfeld
from .kopfzeilen import aktuelle_nonce
from .positionen import PositionsFeld
from .pruefung import VERLAUF_ARTEN, VERLAUF_OHNE
from .rollen import sieht_alles
from .uebersetzung import Uebersetzung, quell_hash, veraltet_q, zielsprachen

# Lazy: translated per request (it used to be frozen in the language of the first import).
NICHT_IM_BEREICH = _("Diesen Eintrag gibt es nicht, oder er gehört nicht zu Ihrem Bereich.")


def ist_bereichsmodell(model):
    return hasattr(model._default_manager.get_queryset(), "im_bereich_von")


def bereich(model, user):
    """All rows of `model` that `user` may see: scoped models by their rule, others unscoped."""
    qs = model._default_manager.all()
    return qs.im_bereich_von(user) if ist_bereichsmodell(model) else qs


def auf_der_seite_ansehen(request, content_type_id, object_id):
    """The admin's "view on site" shortcut, which redirects to any row: 404 out of scope."""
    try:
        modell = ContentType.objects.get_for_id(content_type_id).model_class()
        im_bereich = modell is not None and bereich(modell, request.user).filter(pk=object_id)
        if not (im_bereich and im_bereich.exists()):
            raise Http404(NICHT_IM_BEREICH)
    except (ContentType.DoesNotExist, ValueError, ValidationError) as fehler:
        raise Http404(NICHT_IM_BEREICH) from fehler
    return shortcut(request, content_type_id, object_id)


class BereichFilter(admin.RelatedOnlyFieldListFilter):
    """Sidebar choices: only values used in the user's rows *and* inside the user's scope."""

    def field_choices(self, field, request, model_admin):
        benutzt = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        erlaubt = bereich(field.related_model, request.user).values("pk")
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            limit_choices_to=Q(pk__in=benutzt) & Q(pk__in=erlaubt),
            ordering=ordering,
        )


class BereichMixin:
    """Scope for ModelAdmin and InlineModelAdmin alike: rows, permissions, choices."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.im_bereich_von(request.user) if hasattr(qs, "im_bereich_von") else qs

    def im_bereich(self, request, obj):
        if obj is None or obj.pk is None or not ist_bereichsmodell(type(obj)):
            return True
        if sieht_alles(request.user):
            return True  # no query per row for Redaktion and Jugendamt
        cache = request.__dict__.setdefault("_atlas_bereich", {})
        schluessel = (obj._meta.label, obj.pk)
        if schluessel not in cache:
            cache[schluessel] = bereich(obj._meta.model, request.user).filter(pk=obj.pk).exists()
        return cache[schluessel]

    def has_view_permission(self, request, obj=None):
        # Inlines are asked with the parent object; ModelAdmins with their own row.
        return super().has_view_permission(request, obj) and self.im_bereich(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.im_bereich(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.im_bereich(request, obj)

    def get_field_queryset(self, db, db_field, request):
        """Foreign-key and many-to-many choices: the related model's scope, plus current values.

        The current values stay valid so that a coordinator can save a record whose Träger,
        say, lies outside their networks; posting any *other* outside id is rejected.
        """
        qs = super().get_field_queryset(db, db_field, request)
        modell = db_field.remote_field.model
        if qs is None:
            qs = modell._default_manager.using(db).all()
        if not ist_bereichsmodell(modell):
            return qs
        aktuell = self._aktuelle_werte(request, db_field)
        erlaubt = Q(pk__in=bereich(modell, request.user).values("pk"))
        return qs.filter(erlaubt | Q(pk__in=aktuell)) if aktuell else qs.filter(erlaubt)

    def _aktuelle_werte(self, request, db_field):
        obj = getattr(request, "_atlas_objekt", None)
        if obj is None or obj.pk is None or not isinstance(obj, db_field.model):
            return []
        if db_field.many_to_many:
            return list(getattr(obj, db_field.name).values_list("pk", flat=True))
        wert = getattr(obj, db_field.attname)
        return [] if wert is None else [wert]


# Deleted records listed at most (newest first); older ones are still in the history tables.
GELOESCHT_LAENGE = 200

# An empty value in the history: a dash, as in the changelists, never "None".
LEER = "–"


class Verlaufswerte(HistoricalRecordContextHelper):
    """A change in the history as the admin shows values: choice labels, local dates, names
    joined by commas, a dash for nothing; the automatic timestamps left out."""

    def context_for_delta_changes(self, delta):
        changes = [c for c in delta.changes if c.field not in VERLAUF_OHNE]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        feld = self.model._meta.get_field(change.field)
        if feld.many_to_many:
            return ", ".join(map(str, super().prepare_delta_change_value(change, value))) or LEER
        return display_for_field(value, feld, LEER)


class AtlasAdminMixin(BereichMixin):
    """Scope, history (who/when/what, revert within scope) and 404 for rows out of scope."""

    history_list_display = ["status"]
    # The history table in the site's words and translations (django-simple-history's own
    # headings lack translations, and it prints "None" for an empty user or reason).
    object_history_list_template = "admin/atlas/object_history_list.html"
    # Export links (atlas.tabellen); django-import-export's templates extend this one.
    change_list_template = "admin/atlas/change_list.html"
    #: The Tabelle (atlas.tabellen) the changelist exports, with its filters; None: no export.
    export_tabelle = None
    # Deleting a record that others depend on (PROTECT) names them in German, with a hint.
    delete_confirmation_template = "admin/atlas/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/atlas/delete_selected_confirmation.html"
    #: What to do instead when a delete is refused (shown below the list of what hangs on it).
    loeschen_hinweis = None

    def render_delete_form(self, request, context):
        context["loeschen_hinweis"] = self.loeschen_hinweis
        return super().render_delete_form(request, context)

    def get_deleted_objects(self, objs, request):
        # The "delete selected" page has no hook of its own for extra context.
        request.atlas_loeschen_hinweis = self.loeschen_hinweis
        return super().get_deleted_objects(objs, request)

    def get_urls(self):
        from django.urls import path

        from .tabellen import admin_export_urls

        opts = self.model._meta
        geloescht = path(
            "geloescht/",
            self.admin_site.admin_view(self.geloescht_view),
            name=f"{opts.app_label}_{opts.model_name}_geloescht",
        )
        return [geloescht, *admin_export_urls(self), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        from .tabellen import admin_exportlinks

        extra_context = {
            **(extra_context or {}),
            "exporte": admin_exportlinks(self, request),
            "geloescht_url": self._geloescht_url() if self.has_view_permission(request) else None,
        }
        return super().changelist_view(request, extra_context)

    # -- deleted records: listed, and restored from their history

    def _geloescht_url(self):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_geloescht")

    def geloeschte(self, request):
        """The last history row of each deleted record the user may see: all for Redaktion and
        Jugendamt, for coordinators those whose parent is in their scope now (the QuerySet's
        `geloeschte_im_bereich`), newest first."""
        verlauf = self.model.history.model._default_manager
        pk = self.model._meta.pk.attname
        letzte = verlauf.order_by(pk, "-history_id").distinct(pk).values("history_id")
        zeilen = verlauf.filter(history_id__in=letzte, history_type="-").exclude(
            **{f"{pk}__in": self.model._default_manager.values("pk")}
        )
        if not sieht_alles(request.user):
            bedingung = self._geloeschte_bedingung(request.user)
            if bedingung is None:
                return verlauf.none()
            zeilen = zeilen.filter(bedingung)
        return zeilen.select_related("history_user").order_by("-history_date")

    def _geloeschte_bedingung(self, user):
        qs = self.model._default_manager.all()
        return qs.geloeschte_im_bereich(user) if hasattr(qs, "geloeschte_im_bereich") else None

    def geloescht_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        zeilen = list(self.geloeschte(request)[:GELOESCHT_LAENGE])
        for zeile in zeilen:
            zeile.verlauf_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history",
                args=[getattr(zeile, opts.pk.attname)],
            )
        kontext = {
            **self.admin_site.each_context(request),
            "title": _("Gelöschte %(modelle)s") % {"modelle": opts.verbose_name_plural},
            "opts": opts,
            "zeilen": zeilen,
            "laenge": GELOESCHT_LAENGE,
            "darf_wiederherstellen": self.has_add_permission(request)
            and self.has_change_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/atlas/geloescht.html", kontext)

    def _geloescht_im_bereich(self, request, object_id):
        """A deleted record whose last history row lies in the user's scope (see geloeschte)."""
        pk = self.model._meta.pk.attname
        try:
            return self.geloeschte(request).filter(**{pk: object_id}).exists()
        except (ValueError, ValidationError):
            return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._atlas_objekt = obj
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and not issubclass(form, FassungFormMixin):
            # Every change form carries the record's version (atlas.fassung).
            form = type(form.__name__, (FassungFormMixin, form), {})
        return form

    def get_list_filter(self, request):
        filter_ = []
        for eintrag in super().get_list_filter(request):
            if isinstance(eintrag, str):
                feld = get_fields_from_path(self.model, eintrag)[-1]
                if feld.is_relation and ist_bereichsmodell(feld.related_model):
                    eintrag = (eintrag, BereichFilter)
            filter_.append(eintrag)
        return filter_

    def get_history_list_display(self, request):
        felder = {f.name for f in self.model._meta.fields}
        return [f for f in self.history_list_display if f in felder]

    def get_object(self, request, object_id, from_field=None):
        # Out of scope must look exactly like not existing on every object URL (change, delete,
        # history, revert): a 404 before any permission check, since a 403 for a row that a
        # 404 hides elsewhere tells that it exists. Django would redirect to the index instead.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(NICHT_IM_BEREICH)
        return obj

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(NICHT_IM_BEREICH)

    def _nur_im_bereich(self, request, object_id):
        """The row as the user may see it now, or 404.

        Redaktion and Jugendamt keep reading the history of deleted rows (django-simple-history
        shows their last version); for a coordinator a deleted row has no scope, so 404.
        """
        try:
            # django-simple-history would pass a malformed id ("None") on to the database: 500.
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as fehler:
            raise Http404(NICHT_IM_BEREICH) from fehler
        if sieht_alles(request.user):
            return None
        try:
            return self.get_object(request, unquote(object_id))
        except Http404:
            # A deleted record stays reachable where its parent (partner, network) is in scope.
            if self._geloescht_im_bereich(request, unquote(object_id)):
                request._atlas_geloescht = (self.model._meta.label, str(unquote(object_id)))
                return None
            raise

    def im_bereich(self, request, obj):
        if super().im_bereich(request, obj):
            return True
        # The deleted record _nur_im_bereich found in scope (its history and revert pages).
        return getattr(request, "_atlas_geloescht", None) == (obj._meta.label, str(obj.pk))

    def history_view(self, request, object_id, extra_context=None):
        self._nur_im_bereich(request, object_id)
        spalten = [
            capfirst(self.model._meta.get_field(name).verbose_name)
            for name in self.get_history_list_display(request)
        ]
        extra_context = {"verlauf_spalten": spalten, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return Verlaufswerte(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        felder = [self.model._meta.get_field(n) for n in self.get_history_list_display(request)]
        for zeile in historical_records:
            zeile.verlauf_art = VERLAUF_ARTEN.get(zeile.history_type, zeile.history_type)
            zeile.verlauf_werte = [
                display_for_field(getattr(zeile, feld.attname), feld, LEER) for feld in felder
            ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404(NICHT_IM_BEREICH)
        obj = self._nur_im_bereich(request, object_id)
        # django-simple-history lets anyone who may *view* the history post a revert; reverting
        # is a change and needs the change permission on the row as it is now.
        if request.method == "POST":
            obj = obj or self.get_queryset(request).filter(pk=unquote(object_id)).first()
            if obj is not None and not self.has_change_permission(request, obj):
                raise PermissionDenied
            if obj is None and not (
                # A deleted record comes back as a new row: adding and changing are needed.
                self.has_add_permission(request) and self.has_change_permission(request)
            ):
                raise PermissionDenied
            request._atlas_wiederherstellen = True
            # django-simple-history saves without a transaction; the version check locks the
            # row inside one, as the admin's change form does.
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if getattr(request, "_atlas_wiederherstellen", False):
            self._nur_lesbare_behalten(request, obj)
        super().save_model(request, obj, form, change)

    def _nur_lesbare_behalten(self, request, obj):
        """A revert saves an old version whole: fields read-only for this user stay as they are."""
        nur_lesbar = set(self.get_readonly_fields(request, obj))
        felder = [f.attname for f in obj._meta.concrete_fields if f.name in nur_lesbar]
        aktuell = type(obj)._default_manager.filter(pk=obj.pk).values(*felder).first()
        for name, wert in (aktuell or {}).items():
            setattr(obj, name, wert)


class AtlasAdmin(AtlasAdminMixin, SimpleHistoryAdmin):
    pass


class PositionsWidget(LeafletAdminWidget):
    """The admin's map widget; input it cannot read shows an empty map instead of a 500."""

    def get_context(self, name, value, attrs):
        # Its inline script runs only with the request's CSP nonce (atlas/kopfzeilen.py).
        self.csp_nonce = aktuelle_nonce()
        return super().get_context(name, value, attrs)

    def deserialize(self, value):
        try:
            return super().deserialize(value)
        except GDALException:
            # GeoJSON such as {"type": "Point", "coordinates": []}: GDAL, not GEOS, refuses it,
            # and Django's widget catches only GEOS' errors when it renders the form again.
            return None


class AtlasGeoAdmin(AtlasAdminMixin, SimpleHistoryAdmin, LeafletGeoAdmin):
    widget = PositionsWidget

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        if isinstance(db_field, PointField):
            kwargs.setdefault("form_class", PositionsFeld)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FassungInlineMixin:
    """Each inline row carries its own version (atlas.fassung): a row changed on its own page
    since the parent's form was opened is not overwritten by that form."""

    def get_formset(self, request, obj=None, **kwargs):
        form = kwargs.get("form", self.form)
        if not issubclass(form, FassungFormMixin):
            kwargs["form"] = type(
                form.__name__, (FassungFormMixin, form), {FASSUNG_FELD: versionsfeld()}
            )
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        felder = list(super().get_fields(request, obj))
        if self.has_change_permission(request, obj) and FASSUNG_FELD not in felder:
            felder.append(FASSUNG_FELD)
        return felder


class BereichTabularInline(FassungInlineMixin, BereichMixin, admin.TabularInline):
    pass


class BereichStackedInline(FassungInlineMixin, BereichMixin, admin.StackedInline):
    pass


class UebersetzungFormSet(BaseGenericInlineFormSet):
    """Each saved translation records the German text it was made from (its hash): the text
    as saved with it, so that a translation edited together with its source is current."""

    def clean(self):
        super().clean()
        gesehen = set()
        for form in self.forms:
            daten = getattr(form, "cleaned_data", None)
            if not daten or daten.get("DELETE") or not daten.get("feld"):
                continue
            schluessel = (daten["feld"], daten.get("sprache"))
            if schluessel in gesehen:
                raise ValidationError(
                    _("Jedes Feld kann je Sprache nur eine Übersetzung haben."), code="doppelt"
                )
            gesehen.add(schluessel)

    def _quelle_merken(self, uebersetzung):
        uebersetzung.quelle_hash = quell_hash(getattr(self.instance, uebersetzung.feld))

    def save_new(self, form, commit=True):
        self._quelle_merken(form.instance)
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        self._quelle_merken(obj)
        return super().save_existing(form, obj, commit)


class UebersetzungVeraltetFilter(admin.SimpleListFilter):
    """Records with a translation whose German text changed after it was made: in any language
    or in one. The changelist's queryset is already the user's scope."""

    title = _("Übersetzung veraltet")
    parameter_name = "uebersetzung_veraltet"
    ALLE = "alle"

    def lookups(self, request, model_admin):
        return [(self.ALLE, _("in einer Sprache oder mehr")), *zielsprachen()]

    def queryset(self, request, queryset):
        wert = self.value()
        if wert == self.ALLE:
            return queryset.filter(veraltet_q(queryset.model))
        if wert in dict(zielsprachen()):
            return queryset.filter(veraltet_q(queryset.model, wert))
        return queryset


class UebersetzungInline(BereichMixin, GenericTabularInline):
    """Translations of a record beside its German text, in the record's own change form: whoever
    may change the record (its scope) may change its translations, nobody else."""

    model = Uebersetzung
    formset = UebersetzungFormSet
    ct_field = "inhaltstyp"
    ct_fk_field = "objekt_id"
    extra = 0
    fields = [
        "feld",
        "sprache",
        "deutscher_text",
        "text",
        "herkunft",
        "uebersetzt_von",
        "geprueft",
        "stand",
    ]
    readonly_fields = ["deutscher_text", "stand"]
    classes = ["collapse"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "feld":
            felder = self.parent_model.uebersetzbare_felder
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[
                    (f, capfirst(self.parent_model._meta.get_field(f).verbose_name)) for f in felder
                ],
            )
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 40, "dir": "auto"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("deutscher Text"))
    def deutscher_text(self, obj):
        return getattr(obj.objekt, obj.feld, "") if obj.pk else ""

    @admin.display(description=_("Stand"))
    def stand(self, obj):
        if not obj.pk:
            return ""
        if obj.veraltet_gegen(getattr(obj.objekt, obj.feld, "")):
            return _("veraltet: der deutsche Text wurde danach geändert")
        return _("aktuell")


def veraltete_uebersetzungen(user, model_admins):
    """For the admin start page: per model whose changelist has UebersetzungVeraltetFilter, how
    many records in the user's scope have an outdated translation (models with none left out)."""
    ergebnis = []
    for model_admin in model_admins:
        model = model_admin.model
        if UebersetzungVeraltetFilter not in model_admin.list_filter:
            continue
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        anzahl = model._default_manager.im_bereich_von(user).filter(veraltet_q(model)).count()
        if anzahl:
            meta = model._meta
            ergebnis.append(
                {
                    "modell": meta.verbose_name_plural,
                    "anzahl": anzahl,
                    "url": reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
                    + f"?{UebersetzungVeraltetFilter.parameter_name}="
                    + UebersetzungVeraltetFilter.ALLE,
                }
            )
    return ergebnis
