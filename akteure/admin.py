import re

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from akteure.models import (
    EBENEN_MIT_ORTSNAMEN,
    Akteur,
    Amtsbereich,
    Einrichtungsart,
    Kontaktperson,
    Ort,
    Postleitzahl,
    Sozialraum,
    Sprache,
    plz_aus_ortsverzeichnis,
)
from atlas.admin_basis import (
    AtlasAdmin,
    AtlasGeoAdmin,
    BereichStackedInline,
    UebersetzungInline,
    UebersetzungVeraltetFilter,
)
from atlas.importieren import AtlasImportMixin
from atlas.pruefung import PruefungAdminMixin, PruefungFaelligFilter, VerlaufAdminMixin
from atlas.rollen import bearbeitet_alles, ist_koordination

from . import bereich
from .exports import AKTEURE, KONTAKTPERSONEN
from .ressourcen import AkteurRessource, KontaktpersonRessource


@admin.register(Einrichtungsart)
class EinrichtungsartAdmin(AtlasAdmin):
    list_display = ["name", "bereich", "reihenfolge"]
    list_filter = ["bereich"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [UebersetzungInline]


@admin.register(Sprache)
class SpracheAdmin(AtlasAdmin):
    list_display = ["name", "name_nativ", "code", "rtl"]
    list_filter = ["rtl"]
    search_fields = ["name", "name_nativ", "code"]


class RegionFilter(admin.SimpleListFilter):
    """The sidebar's region choice: the same rule as the public `?sozialraum=` (`in_region`)."""

    title = _("Region")
    parameter_name = "sozialraum"

    def lookups(self, request, model_admin):
        return Sozialraum.objects.auswahl()

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        raum = Sozialraum.objects.filter(slug=self.value()).first()
        return queryset.in_region(raum) if raum else queryset.none()


class PlzListeFeld(forms.CharField):
    """Postcodes as typed, separated by commas, semicolons or spaces; each one five digits."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        teile = [t for t in re.split(r"[,;\s]+", super().to_python(value) or "") if t]
        for plz in teile:
            if not re.fullmatch(r"[0-9]{5}", plz):
                raise forms.ValidationError(
                    _("„%(plz)s“ ist keine Postleitzahl: Sie hat fünf Ziffern."),
                    params={"plz": plz[:20]},
                )
        return sorted(set(teile))


class SozialraumForm(forms.ModelForm):
    plz = PlzListeFeld(
        label=Sozialraum._meta.get_field("plz").verbose_name,
        help_text=Sozialraum._meta.get_field("plz").help_text,
        required=False,
    )


@admin.register(Sozialraum)
class SozialraumAdmin(AtlasGeoAdmin):
    form = SozialraumForm
    list_display = ["name", "ebene", "uebergeordnet", "plz_liste"]
    list_filter = ["ebene"]
    search_fields = ["name", "plz"]
    autocomplete_fields = ["uebergeordnet"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "ebene", "uebergeordnet", "plz", "flaeche", "flaeche_quelle"]

    @admin.display(description=_("Postleitzahlen"))
    def plz_liste(self, obj):
        return ", ".join(obj.plz)

    def save_model(self, request, obj, form, change):
        if not obj.plz and obj.ebene in EBENEN_MIT_ORTSNAMEN:
            obj.plz = plz_aus_ortsverzeichnis(obj.name)
            if obj.plz:
                self.message_user(
                    request,
                    _("Postleitzahlen aus dem Ortsverzeichnis übernommen: %(plz)s")
                    % {"plz": ", ".join(obj.plz)},
                    messages.INFO,
                )
        super().save_model(request, obj, form, change)


@admin.register(Amtsbereich)
class AmtsbereichAdmin(SimpleHistoryAdmin):
    """Which region each Jugendamt account sees in the staff-only planning figures; kept by the
    Redaktion. A Jugendamt account sees its own entry."""

    list_display = ["user", "regionen_liste"]
    search_fields = ["user__username", "regionen__name"]
    autocomplete_fields = ["regionen"]

    @admin.display(description=_("Regionen"))
    def regionen_liste(self, obj):
        return ", ".join(r.name for r in obj.regionen.all())

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user").prefetch_related("regionen")
        return qs if bearbeitet_alles(request.user) else qs.filter(user=request.user)


@admin.register(Postleitzahl)
class PostleitzahlAdmin(AtlasGeoAdmin):
    list_display = ["plz", "ort"]
    search_fields = ["plz", "ort"]


@admin.register(Ort)
class OrtAdmin(AtlasGeoAdmin):
    list_display = ["name", "plz"]
    search_fields = ["name", "plz"]


class KontaktpersonInline(BereichStackedInline):
    model = Kontaktperson
    extra = 0
    fields = [
        ("name", "funktion"),
        ("email", "telefon"),
        "qualifikationen",
        ("oeffentlich", "einwilligung_am"),
    ]


def anlegen_formular(netzwerke):
    """The add form for coordinators: a new actor must become a partner of one of their networks."""

    class AkteurAnlegenForm(forms.ModelForm):
        partner_in = forms.ModelChoiceField(
            label=_("Partner im Netzwerk"),
            queryset=netzwerke,
            initial=netzwerke.first() if len(netzwerke) == 1 else None,
            help_text=_("Der neue Akteur wird Partner dieses Netzwerks, das Sie koordinieren."),
        )

    return AkteurAnlegenForm


@admin.register(Akteur)
class AkteurAdmin(PruefungAdminMixin, AtlasImportMixin, AtlasGeoAdmin):
    resource_classes = [AkteurRessource]
    export_tabelle = AKTEURE
    list_display = ["name", "einrichtungsart", "ort", "status", "geprueft_am", "geaendert_am"]
    list_filter = [
        "status",
        PruefungFaelligFilter,
        UebersetzungVeraltetFilter,
        "einrichtungsart__bereich",
        "einrichtungsart",
        RegionFilter,
        "barrierefrei",
    ]
    actions = ["als_geprueft_markieren", "veroeffentlichen"]
    search_fields = ["name", "ort", "plz"]
    autocomplete_fields = ["einrichtungsart", "traeger", "sozialraum", "sprachen"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [
        "geprueft_am",
        "geprueft_von",
        "erstellt_am",
        "geaendert_am",
        "angebote_des_akteurs",
    ]
    date_hierarchy = "geaendert_am"
    inlines = [KontaktpersonInline, UebersetzungInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "einrichtungsart",
                    "traeger",
                    "beschreibung",
                    "leichte_sprache",
                ]
            },
        ),
        (
            _("Adresse und Lage"),
            {
                "fields": ["strasse", ("plz", "ort"), "sozialraum", "standort"],
                "description": _(
                    "Ohne gesetzten Punkt schlägt die Karte die Mitte der Postleitzahl vor; "
                    "ziehen Sie die Markierung an die richtige Stelle."
                ),
            },
        ),
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
        (_("Angebote"), {"fields": ["angebote_des_akteurs"]}),
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
        "name": _("Der Name, unter dem Familien die Einrichtung kennen."),
        "slug": _("Teil der Internetadresse; wird aus dem Namen gebildet."),
        "einrichtungsart": _("Welche Art von Einrichtung – bestimmt Filter und Symbol."),
        "traeger": _("Der Akteur, der diese Einrichtung trägt (falls im Atlas erfasst)."),
        "beschreibung": _(
            "Was Familien hier finden, in einfacher Sprache; nötig zum Veröffentlichen."
        ),
        "strasse": _("Nur eine öffentliche Adresse; leer lassen, wenn es keine gibt."),
        "plz": _("Fünfstellig. PLZ, Ort oder Kartenposition braucht es zum Veröffentlichen."),
        "sozialraum": _("Stadtteil oder Gemeinde, in der die Einrichtung liegt."),
        "telefon": _("Telefon, E-Mail oder Website: mindestens eins zum Veröffentlichen."),
        "email": _("Eine Funktionsadresse, keine persönliche ohne Einwilligung."),
        "website": _("Die vollständige Adresse, z. B. https://www.familienzentrum-beispiel.de"),
        "sprachen": _("Sprachen, in denen Familien hier beraten werden können."),
        "oeffnungszeiten": _("z. B. „Mo–Fr 9–12 Uhr, Di 14–17 Uhr“"),
        "barrierefreiheit": _("z. B. Aufzug, Rampe, barrierefreies WC, Gebärdensprache."),
    }

    def _neu_fuer_koordination(self, request, obj):
        return obj is None and ist_koordination(request.user)

    def get_form(self, request, obj=None, **kwargs):
        if self._neu_fuer_koordination(request, obj):
            kwargs["form"] = anlegen_formular(bereich.koordinierte_netzwerke(request.user))
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            f
            for f in super().get_fieldsets(request, obj)
            if obj is not None or "angebote_des_akteurs" not in f[1]["fields"]
        ]
        if self._neu_fuer_koordination(request, obj):
            kopf, optionen = fieldsets[0]
            fieldsets[0] = (kopf, {**optionen, "fields": ["partner_in", *optionen["fields"]]})
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        netzwerk = form.cleaned_data.get("partner_in")
        if not change and netzwerk is not None:
            # Same transaction as the actor (the admin's change form is atomic): a coordinator's
            # new actor is never outside their scope, not even for a moment.
            bereich.partner_aufnehmen(netzwerk, obj)

    @admin.display(description=_("Angebote dieses Akteurs"))
    def angebote_des_akteurs(self, obj):
        anzahl = obj.angebote.count()
        liste = reverse("admin:angebote_angebot_changelist") + f"?anbieter__id__exact={obj.pk}"
        neu = reverse("admin:angebote_angebot_add") + f"?anbieter={obj.pk}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            liste,
            ngettext("%(anzahl)s Angebot ansehen", "%(anzahl)s Angebote ansehen", anzahl)
            % {"anzahl": anzahl},
            neu,
            _("Neues Angebot dieses Akteurs anlegen"),
        )


@admin.register(Kontaktperson)
class KontaktpersonAdmin(VerlaufAdminMixin, AtlasImportMixin, AtlasAdmin):
    resource_classes = [KontaktpersonRessource]
    export_tabelle = KONTAKTPERSONEN
    list_display = ["name", "funktion", "akteur", "oeffentlich", "einwilligung_am"]
    list_filter = ["oeffentlich"]
    search_fields = ["name", "akteur__name", "email"]
    autocomplete_fields = ["akteur"]
