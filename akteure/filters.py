"""One FilterSet for the public actor list: the list page and the map data share it."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from akteure.models import Akteur, Bereich, Einrichtungsart, Sprache, ort_finden
from atlas.listen import MAX_UMKREIS_KM, STANDARD_UMKREIS_KM, ListenFilterSet
from atlas.models import punkt_aus
from atlas.suche import suchanfrage


class MehrfachauswahlFeld(django_filters.fields.ModelMultipleChoiceField):
    """Nothing ticked cleans to [] instead of `queryset.none()`: django-filter then skips the
    filter, and no `if not value` has to compile the vocabulary's query to find it empty.

    `vorrat`: a callable (queryset → list or None) that gives the queryset's rows from a
    per-process copy that is known to be current (angebote.suchindex.vorrat), None when there
    is none. With it, checking the ticked values, the list's choices (atlas.listen) and the
    filter chips need no query of their own; without it, the queryset is asked as usual.
    """

    def __init__(self, *args, vorrat=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vorrat = vorrat

    def vorrat_liste(self):
        """The queryset's rows from `vorrat`, in the queryset's order; None: ask the queryset."""
        return self.vorrat(self.queryset) if self.vorrat is not None else None

    def clean(self, value):
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value):
        objekte = self.vorrat_liste()
        if objekte is None:
            return super()._check_values(value)
        # As ModelMultipleChoiceField._check_values, over the rows at hand: the same errors,
        # the chosen rows in the queryset's order.
        try:
            werte = {str(wert) for wert in frozenset(value)}
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for wert in werte:
            self.validate_no_null_characters(wert)
        schluessel = self.to_field_name or "pk"
        vorhanden = {str(getattr(o, schluessel)) for o in objekte}
        for wert in werte:
            if wert not in vorhanden:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": wert},
                )
        return [o for o in objekte if str(getattr(o, schluessel)) in werte]


class Mehrfachauswahl(django_filters.ModelMultipleChoiceFilter):
    field_class = MehrfachauswahlFeld


class OrtFilterForm(forms.Form):
    # The resolved place of a search; kept off cleaned_data, which holds filter values only.
    # `plz`: the typed place's PLZ; None for a bare point (the nearest PLZ stands in).
    punkt, ortsname, plz = None, "", None

    def clean(self):
        daten = super().clean()
        wo, lat, lon = daten.get("wo"), daten.get("lat"), daten.get("lon")
        if lat is not None and lon is not None:
            self.punkt, self.ortsname = punkt_aus(lat, lon), _("Ihrem Standort")
        elif (lat is None) != (lon is None) and not (
            self.has_error("lat") or self.has_error("lon")
        ):
            self.add_error("lat", _("Für einen Standort braucht es Breite und Länge."))
        elif wo:
            gefunden = ort_finden(wo)
            if gefunden is None:
                self.add_error(
                    "wo",
                    _(
                        "„%(wo)s“ kennen wir nicht. Bitte eine fünfstellige Postleitzahl oder "
                        "einen Ortsnamen eingeben."
                    )
                    % {"wo": wo[:40]},
                )
            else:
                self.ort_uebernehmen(gefunden)
        return daten

    def ort_uebernehmen(self, gefunden):
        """Search near the place ort_finden() found (the HSDS API's `postcode` too)."""
        self.punkt, self.ortsname, self.plz = gefunden


class OrtFilterSet(ListenFilterSet):
    """Search near a PLZ, a place name or the browser's position, nearest first."""

    wo = django_filters.CharFilter(label=_("Wo? (PLZ oder Ort)"), method="ohne", max_length=80)
    lat = django_filters.NumberFilter(
        label=_("Breite"), method="ohne", min_value=47, max_value=55.1, widget=forms.HiddenInput
    )
    lon = django_filters.NumberFilter(
        label=_("Länge"), method="ohne", min_value=5.8, max_value=15.1, widget=forms.HiddenInput
    )
    umkreis = django_filters.NumberFilter(
        label=_("Umkreis (km)"), method="ohne", min_value=1, max_value=MAX_UMKREIS_KM
    )

    class Meta:
        form = OrtFilterForm

    # The place filters do their work in filter_queryset: radius and order depend on each other.
    def ohne(self, queryset, name, value):
        return queryset

    @property
    def ort(self):
        """(point, place label, radius km) of a valid place search, else None."""
        if not self.is_bound:
            return None
        self.is_valid()  # validating the form resolves the place
        if self.form.punkt is None:
            return None
        km = self.form.cleaned_data.get("umkreis") or STANDARD_UMKREIS_KM
        return self.form.punkt, self.form.ortsname, float(km)

    # Ties (several rows in one building) are broken by name, so paging stays stable.
    name_feld = "name"

    def nach_ort(self, queryset, punkt, km):
        return queryset.im_umkreis(punkt, km)

    # The free-text query as understood (atlas.suche.Suchanfrage), once the filter has run.
    suchanfrage = None

    def filter_text(self, queryset, name, value):
        return queryset.suche(self.text_lesen(value))

    def text_lesen(self, value):
        """The free-text query as understood, kept as `suchanfrage`."""
        # A second FilterSet over the same query may be handed the first one's reading.
        if self.suchanfrage is None or self.suchanfrage.text != value:
            self.suchanfrage = suchanfrage(value)
        return self.suchanfrage

    def vorbereiten(self):
        """What `qs` learns on its way besides its SQL, without building it: the form checked
        and the free-text query read (`suchanfrage`). An in-memory index answers from these
        (angebote.suchindex.anfrage_aus); the SQL is built only when SQL answers."""
        if not self.is_bound:
            return
        self.is_valid()
        # As filter_queryset applies the filters: in the form's order, empty values skipped.
        for name, wert in self.form.cleaned_data.items():
            if self.filters[name].method == "filter_text" and wert not in EMPTY_VALUES:
                self.text_lesen(wert)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if ort := self.ort:
            queryset = self.nach_ort(queryset, ort[0], ort[2])
        ordnung = queryset.query.order_by
        if self.suchanfrage:
            # Best matches first; within a relevance level the nearest, then by name.
            ordnung = ("-rang", *ordnung)
        return queryset.order_by(*ordnung, self.name_feld, "pk")


class AkteurFilterSet(OrtFilterSet):
    q = django_filters.CharFilter(label=_("Was?"), method="filter_text", max_length=200)
    bereich = django_filters.ChoiceFilter(
        label=_("Bereich"),
        choices=Bereich.choices,
        field_name="einrichtungsart__bereich",
        empty_label=_("alle Bereiche"),
    )
    einrichtungsart = Mehrfachauswahl(
        label=_("Einrichtungsart"),
        queryset=Einrichtungsart.objects.all(),
        to_field_name="slug",
        method="filter_einrichtungsart",
        widget=forms.CheckboxSelectMultiple,
    )
    sprache = Mehrfachauswahl(
        label=_("Sprache"),
        queryset=Sprache.objects.all(),
        to_field_name="code",
        method="filter_sprache",
        widget=forms.CheckboxSelectMultiple,
    )
    barrierefrei = django_filters.BooleanFilter(
        label=_("barrierefrei zugänglich"),
        widget=forms.CheckboxInput,
        method="filter_barrierefrei",
    )

    class Meta(OrtFilterSet.Meta):
        model = Akteur
        fields = []

    def filter_einrichtungsart(self, queryset, name, value):
        return queryset.filter(einrichtungsart__in=value)

    def filter_sprache(self, queryset, name, value):
        # A subquery rather than a join: no DISTINCT, so ranking and distance order stay usable.
        return queryset.filter(
            pk__in=Akteur.sprachen.through.objects.filter(sprache__in=value).values("akteur_id")
        )

    def filter_barrierefrei(self, queryset, name, value):
        # An unticked checkbox means "don't care", not "not accessible".
        return queryset.filter(barrierefrei=True) if value else queryset


def facetten(filterset):
    """Counts per choice for the current results, in SQL. Einrichtungsart counts leave out that
    filter's own choice: its boxes are alternatives, so a second kind must stay tickable."""
    ids = filterset.qs.order_by().values("pk")
    andere = ids
    if filterset.data.get("einrichtungsart"):
        daten = filterset.data.copy()
        daten.pop("einrichtungsart")
        ohne_art = type(filterset)(daten, queryset=filterset.queryset)
        ohne_art.suchanfrage = filterset.suchanfrage  # the same words: not looked up again
        andere = ohne_art.qs.order_by().values("pk")

    def zaehle(queryset, feld, zaehlfeld="pk"):
        return dict(
            queryset.order_by()
            .values_list(feld)
            .annotate(n=Count(zaehlfeld, distinct=True))
            .values_list(feld, "n")
        )

    return {
        "einrichtungsart": zaehle(Akteur.objects.filter(pk__in=andere), "einrichtungsart__slug"),
        "sprache": zaehle(
            Akteur.sprachen.through.objects.filter(akteur_id__in=ids), "sprache__code", "akteur_id"
        ),
        "barrierefrei": {"on": Akteur.objects.filter(pk__in=ids, barrierefrei=True).count()},
    }
