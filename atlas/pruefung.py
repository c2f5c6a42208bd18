"""Keeping records true in the admin: the review workflow of the `Pruefbar` models.

- a completeness check before publishing (the model's `vollstaendigkeit_fehler()`, which the
  import asks too), in the form and in the "Veröffentlichen" action;
- "Als geprüft markieren" as an action and as a button on the change form (`geprueft_am`,
  `geprueft_von`; the last save stays in `geaendert_am`);
- the list filter "Prüfung fällig" (`PRUEFUNG_FAELLIG_MONATE`);
- a proposed map position (the model's `standort_vorschlag()`), and a warning about likely
  duplicates (the model's `dubletten_kreis()` and `dubletten_feld`);
- the admin start page: overdue records, drafts and the latest changes within the user's scope,
  of the models whose admins use PruefungAdminMixin / VerlaufAdminMixin.

Nothing here names a domain model: each one brings its rules through these hooks (atlas.models,
the ModelAdmin attributes below).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import F, Q
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Status, stichtag
from .rollen import sieht_alles

# pg_trgm similarity from which two names count as "probably the same" (same PLZ given).
DUBLETTEN_SCHWELLE = 0.5
GEPRUEFT_KNOPF = "_geprueft"

STATUS_HILFE = _(
    "Entwurf: nur in der Verwaltung sichtbar. Veröffentlicht: öffentlich sichtbar – vorher wird "
    "geprüft, ob alles Nötige angegeben ist. Archiviert: nicht mehr öffentlich."
)

# --- "Prüfung fällig" ---


def pruefung_stichtag(heute=None):
    """A confirmation on or before this day is overdue: PRUEFUNG_FAELLIG_MONATE months ago."""
    return stichtag(settings.PRUEFUNG_FAELLIG_MONATE, heute)


def pruefung_faellig(queryset):
    """Rows never confirmed, or last confirmed PRUEFUNG_FAELLIG_MONATE months ago or longer."""
    return queryset.filter(Q(geprueft_am__isnull=True) | Q(geprueft_am__lte=pruefung_stichtag()))


class PruefungFaelligFilter(admin.SimpleListFilter):
    title = _("Prüfung")
    parameter_name = "pruefung"

    def lookups(self, request, model_admin):
        monate = settings.PRUEFUNG_FAELLIG_MONATE
        return [
            ("faellig", _("Prüfung fällig")),
            (
                "aktuell",
                ngettext(
                    "geprüft im letzten Monat",
                    "geprüft in den letzten %(monate)s Monaten",
                    monate,
                )
                % {"monate": monate},
            ),
        ]

    def queryset(self, request, queryset):
        if self.value() == "faellig":
            return pruefung_faellig(queryset)
        if self.value() == "aktuell":
            return queryset.filter(geprueft_am__gt=pruefung_stichtag())
        return queryset


class PruefungFormMixin:
    """Position proposal and completeness check for the change forms of Pruefbar models."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.standort_vorschlag = self.standort_herkunft = None
        self.standort_gespeichert = getattr(self.instance, "standort", None)
        feld = self.fields.get("standort")
        if feld is None or self.instance.pk is None or self.standort_gespeichert is not None:
            return
        vorschlag = type(self.instance).standort_vorschlag(self._gespeichert)
        if vorschlag:
            # The widget shows the proposal; saved as is, it becomes the position (clean()).
            self.standort_vorschlag = self.initial["standort"] = vorschlag.punkt
            feld.help_text = vorschlag.hinweis

    def _gespeichert(self, name):
        return getattr(self.instance, name, None)

    def _neu(self, name):
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return self._gespeichert(name)

    def clean(self):
        daten = super().clean()
        if "standort" not in self.fields or "standort" in self.changed_data:
            return daten  # a position the user set or cleared stays as it is
        if daten.get("standort") is None or self.standort_vorschlag is not None:
            # An untouched proposal follows the address: a new PLZ, a new proposal.
            self.standort_herkunft = type(self.instance).standort_vorschlag(self._neu)
            daten["standort"] = self.standort_herkunft.punkt if self.standort_herkunft else None
        return daten

    def _post_clean(self):
        # After the model's own validation, so the instance holds the posted values.
        super()._post_clean()
        instanz = self.instance
        m2m = {
            f.name: self.cleaned_data[f.name]
            for f in instanz._meta.many_to_many
            if f.name in self.cleaned_data
        }
        fehlend = instanz.vollstaendigkeit_fehler(**m2m)
        schon_gemeldet = set(self.non_field_errors())  # e.g. a database constraint's message
        for meldung in fehlend:
            if meldung not in schon_gemeldet:
                self.add_error(None, meldung)


class PruefungForm(PruefungFormMixin, forms.ModelForm):
    pass


# --- Likely duplicates ---


def aehnliche_eintraege(obj):
    """Other rows that are probably the same record: a similar name among the rows the model's
    `dubletten_kreis()` names (same PLZ, same provider, …)."""
    kreis = obj.dubletten_kreis()
    if kreis is None:
        return type(obj)._default_manager.none()
    feld = obj.dubletten_feld
    return (
        type(obj)
        ._default_manager.filter(kreis)
        .exclude(pk=obj.pk)
        .annotate(aehnlichkeit=TrigramSimilarity(feld, getattr(obj, feld)))
        .filter(aehnlichkeit__gte=DUBLETTEN_SCHWELLE)
        .order_by("-aehnlichkeit")
    )


def dubletten_meldungen(request, obj):
    """Warnings naming similar rows in the user's scope; outside it, only that one exists."""
    aehnlich = aehnliche_eintraege(obj)
    bereich = type(obj)._default_manager.im_bereich_von(request.user).values("pk")
    eigene = list(aehnlich.filter(pk__in=bereich)[:5])
    meldungen = []
    if eigene:
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((admin_url(e), str(e)) for e in eigene),
        )
        meldungen.append(
            format_html(
                "{} {}",
                _("Möglicherweise doppelt – ähnliche Einträge gibt es schon:"),
                links,
            )
        )
    if aehnlich.exclude(pk__in=bereich).exists():
        meldungen.append(
            _(
                "Einen ähnlichen Eintrag gibt es außerdem in einem anderen Netzwerk. Falls es "
                "derselbe ist, wenden Sie sich bitte an die Redaktion."
            )
        )
    return meldungen


def admin_url(obj, aktion="change"):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{aktion}", args=[obj.pk])


# --- The admin mixin ---


class VerlaufAdminMixin:
    """The model's history appears under "Letzte Änderungen" on the admin start page.

    Its QuerySet may name `geloeschte_im_bereich(user)` (atlas.rollen) so that coordinators
    also see deletions within their scope.
    """

    def verlauf_abfrage(self, qs):
        """The history rows to read (e.g. with select_related for `verlauf_bezeichnung`)."""
        return qs

    def verlauf_bezeichnung(self, zeile):
        """How a history row names its record."""
        return str(zeile.instance)


class PruefungAdminMixin(VerlaufAdminMixin):
    """For the admins of Akteur, Netzwerk and Angebot; list `PruefungFaelligFilter` and the
    actions `als_geprueft_markieren`, `veroeffentlichen` in the admin class.

    Registered on the admin site, it puts the model's overdue records and drafts on the start
    page (`startseite`).
    """

    form = PruefungForm
    # Fields whose change is worth a new look for duplicates.
    dubletten_felder = {"name", "titel", "plz", "anbieter"}
    #: Help texts of the change form's fields, by field name.
    hilfetexte = {}
    #: The admin start page lists this model's overdue records and drafts.
    startseite_pruefung = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Extend whatever change form another mixin brings (e.g. import-export's), else the
        # admin's own per-model lookup.
        meta = self.opts
        self.pruefung_basis_template = self.change_form_template or [
            f"admin/{meta.app_label}/{meta.model_name}/change_form.html",
            f"admin/{meta.app_label}/change_form.html",
            "admin/change_form.html",
        ]
        self.change_form_template = "admin/atlas/pruefbar_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "form" in kwargs and not issubclass(kwargs["form"], PruefungFormMixin):
            kwargs["form"] = type(kwargs["form"].__name__, (PruefungFormMixin, kwargs["form"]), {})
        hilfe = {"status": STATUS_HILFE, **self.hilfetexte}
        kwargs["help_texts"] = {**hilfe, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, change=change, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["pruefung_basis_template"] = select_template(
            [self.pruefung_basis_template]
            if isinstance(self.pruefung_basis_template, str)
            else self.pruefung_basis_template
        )
        context["kann_pruefen"] = self.has_change_permission(request, obj) and (
            obj is not None or self.has_add_permission(request)
        )
        context["pruefung_knopf"] = GEPRUEFT_KNOPF
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        hinweise = request.__dict__.setdefault("_atlas_hinweise", [])
        if GEPRUEFT_KNOPF in request.POST:
            obj.geprueft_am, obj.geprueft_von = timezone.localdate(), request.user
            hinweise.append((messages.SUCCESS, geprueft_meldung(obj)))
        super().save_model(request, obj, form, change)
        herkunft = getattr(form, "standort_herkunft", None)
        if herkunft is not None and herkunft.aus_plz and form.standort_gespeichert is None:
            hinweise.append(
                (
                    messages.INFO,
                    _(
                        "Die Position von „%(name)s“ wurde aus der Postleitzahl %(plz)s "
                        "übernommen. Bitte prüfen Sie sie auf der Karte und ziehen Sie die "
                        "Markierung auf die genaue Adresse."
                    )
                    % {"name": obj, "plz": obj.plz},
                )
            )
        if not change or self.dubletten_felder & set(form.changed_data):
            hinweise += [(messages.WARNING, m) for m in dubletten_meldungen(request, obj)]
        # A warning, not an error: the address may be the part that is wrong, or right.
        geaendert = not change or {"standort", "plz"} & set(form.changed_data)
        if geaendert and (warnung := obj.positionswarnung()):
            hinweise.append((messages.WARNING, warnung))

    def _hinweise_zeigen(self, request, antwort):
        # After the admin's own "saved" message, so that warnings read as a follow-up.
        for stufe, text in request.__dict__.pop("_atlas_hinweise", []):
            messages.add_message(request, stufe, text)
        return antwort

    def response_add(self, request, obj, post_url_continue=None):
        return self._hinweise_zeigen(request, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._hinweise_zeigen(request, super().response_change(request, obj))

    @admin.action(description=_("Als geprüft markieren"), permissions=["change"])
    def als_geprueft_markieren(self, request, queryset):
        # The changelist's queryset is already the user's scope, and permissions=["change"]
        # keeps the action from view-only users: no check per row needed.
        heute, anzahl = timezone.localdate(), 0
        for obj in queryset:
            obj.geprueft_am, obj.geprueft_von = heute, request.user
            # Only these two columns: geaendert_am (auto_now) keeps the last real change.
            # simple-history still writes a row, with the user from its middleware.
            obj.save(update_fields=["geprueft_am", "geprueft_von"])
            self.log_change(request, obj, str(_("Als geprüft markiert.")))
            anzahl += 1
        self.message_user(
            request,
            ngettext(
                "%(anzahl)s Eintrag als geprüft markiert.",
                "%(anzahl)s Einträge als geprüft markiert.",
                anzahl,
            )
            % {"anzahl": anzahl},
            messages.SUCCESS,
        )

    @admin.action(description=_("Veröffentlichen (wenn vollständig)"), permissions=["change"])
    def veroeffentlichen(self, request, queryset):
        anzahl, unvollstaendig = 0, []
        for obj in queryset.exclude(status=Status.VEROEFFENTLICHT):
            obj.status = Status.VEROEFFENTLICHT
            if fehlend := obj.vollstaendigkeit_fehler():
                unvollstaendig.append((obj, fehlend))
                continue
            obj.save()
            self.log_change(request, obj, str(_("Veröffentlicht.")))
            anzahl += 1
        self.message_user(
            request,
            ngettext(
                "%(anzahl)s Eintrag veröffentlicht.",
                "%(anzahl)s Einträge veröffentlicht.",
                anzahl,
            )
            % {"anzahl": anzahl},
            messages.SUCCESS if anzahl else messages.INFO,
        )
        for obj, fehlend in unvollstaendig:
            self.message_user(
                request,
                _("„%(name)s“ bleibt unveröffentlicht: %(fehlend)s")
                % {"name": obj, "fehlend": " ".join(str(m) for m in fehlend)},
                messages.ERROR,
            )


def geprueft_meldung(obj):
    return _("„%(name)s“ ist als geprüft markiert (%(datum)s).") % {
        "name": obj,
        "datum": date_format(obj.geprueft_am, "SHORT_DATE_FORMAT"),
    }


# --- The admin start page ---

VERLAUF_ARTEN = {"+": _("angelegt"), "~": _("geändert"), "-": _("gelöscht")}
# Not worth naming in "what changed".
VERLAUF_OHNE = ["geaendert_am", "erstellt_am"]
LISTENLAENGE = 10
VERLAUF_LAENGE = 15


def _darf_sehen(user, model):
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def _changelist(model, abfrage):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + abfrage


def _liste(model, qs, ordnung, abfrage):
    return {
        "modell": model._meta.verbose_name_plural,
        "anzahl": qs.count(),
        "eintraege": [
            {
                "name": str(obj),
                "url": admin_url(obj),
                "geprueft_am": obj.geprueft_am,
                "geaendert_am": obj.geaendert_am,
            }
            for obj in qs.order_by(*ordnung)[:LISTENLAENGE]
        ],
        "alle_url": _changelist(model, abfrage),
    }


def _verlauf_bereich(model, user):
    """Which history rows `user` may see: those of rows in scope now, and deletions of rows
    whose parent (partner, network) is in scope now (the QuerySet's `geloeschte_im_bereich`)."""
    manager = model._default_manager
    bedingung = Q(id__in=manager.im_bereich_von(user).values("pk"))
    geloescht = manager.geloeschte_im_bereich(user)
    if geloescht is not None:
        bedingung |= Q(history_type="-") & geloescht
    return bedingung


def letzte_aenderungen(user, model_admins, anzahl=VERLAUF_LAENGE):
    """The latest history rows of the models whose admins show them on the start page, newest
    first: who, when, what."""
    zeilen, admins = [], {}
    for model_admin in model_admins:
        model = model_admin.model
        if not isinstance(model_admin, VerlaufAdminMixin) or not _darf_sehen(user, model):
            continue
        admins[model] = model_admin
        qs = model_admin.verlauf_abfrage(model.history.select_related("history_user"))
        if not sieht_alles(user):
            qs = qs.filter(_verlauf_bereich(model, user))
        zeilen += qs.order_by("-history_date")[:anzahl]
    zeilen = sorted(zeilen, key=lambda z: z.history_date, reverse=True)[:anzahl]
    vorhanden = {}
    for zeile in zeilen:
        vorhanden.setdefault(zeile.instance_type, set()).add(zeile.id)
    for model, ids in vorhanden.items():
        vorhanden[model] = set(
            model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
        )
    eintraege = []
    for zeile in zeilen:
        model = zeile.instance_type
        felder = []
        vorher = zeile.prev_record if zeile.history_type == "~" else None
        if vorher is not None:
            diff = zeile.diff_against(vorher, excluded_fields=VERLAUF_OHNE)
            felder = [str(model._meta.get_field(n).verbose_name) for n in diff.changed_fields]
        try:
            url = admin_url(zeile.instance) if zeile.id in vorhanden[model] else None
        except NoReverseMatch:
            url = None
        eintraege.append(
            {
                "wann": zeile.history_date,
                "wer": zeile.history_user,
                "art": VERLAUF_ARTEN.get(zeile.history_type, zeile.history_type),
                "modell": model._meta.verbose_name,
                "name": admins[model].verlauf_bezeichnung(zeile),
                "url": url,
                "felder": felder,
            }
        )
    return eintraege


def startseite(request, model_admins, *, koordiniert=None):
    """Context for the admin index: the user's overdue records, drafts and latest changes.

    `model_admins`: the admin site's registered admins; those with PruefungAdminMixin list
    their overdue records and drafts. `koordiniert(user)`: the records a coordinator is
    responsible for, named at the top (their networks).
    """
    user = request.user
    model_admins = list(model_admins)
    modelle = [
        m.model
        for m in model_admins
        if isinstance(m, PruefungAdminMixin)
        and m.startseite_pruefung
        and _darf_sehen(user, m.model)
    ]
    if not modelle:
        return {}
    faellig, entwuerfe = [], []
    for model in modelle:
        qs = model._default_manager.im_bereich_von(user)
        faellig.append(
            _liste(
                model,
                pruefung_faellig(qs),
                [F("geprueft_am").asc(nulls_first=True), "pk"],
                "?pruefung=faellig",
            )
        )
        entwuerfe.append(
            _liste(
                model,
                qs.filter(status=Status.ENTWURF),
                ["-geaendert_am", "pk"],
                f"?status__exact={Status.ENTWURF}",
            )
        )
    return {
        "startseite": {
            "alles": sieht_alles(user),
            "koordiniert": [
                {"name": str(obj), "url": admin_url(obj)}
                for obj in (koordiniert(user) if koordiniert else [])
            ],
            "faellig": faellig,
            "entwuerfe": entwuerfe,
            "aenderungen": letzte_aenderungen(user, model_admins),
            "monate": settings.PRUEFUNG_FAELLIG_MONATE,
        }
    }
