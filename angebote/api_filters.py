"""The HSDS API's parameters as FilterSets over the public lists' own.

`HsdsAngebotFilterSet` is the offering list's `AngebotFilterSet` with the HSDS names added as
aliases of its filters (`search` → the list's full text, `taxonomy_term_id` → its topics and
target groups, `postcode`/`lat`/`lon`/`proximity` → its place search): a query answered by the
list and by the API finds the same offerings, and a change to the list's rules reaches both.
`HsdsAkteurFilterSet` does the same for organizations. Bad values are German messages that
name their parameter (api_views answers them with HTTP 400).
"""

import datetime
import math
import re

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from akteure.filters import AkteurFilterSet, OrtFilterForm, OrtFilterSet
from akteure.models import ort_finden
from atlas.listen import MAX_UMKREIS_KM, STANDARD_UMKREIS_KM

from . import hsds, suchindex
from .filters import AngebotFilterSet
from .models import Angebot, Thema, Zielgruppe

MAX_SUCHTEXT = 200


def _text(wert):
    # NUL bytes cannot reach PostgreSQL; a search text with one is searched without it.
    return (wert or "").replace("\x00", "").strip()


class HsdsSuchtext(forms.CharField):
    def __init__(self, *, name, **kwargs):
        self.name = name
        super().__init__(**kwargs)

    def to_python(self, value):
        return _text(value)

    def validate(self, value):
        if len(value) > MAX_SUCHTEXT:
            raise forms.ValidationError(
                _("Der Suchtext darf höchstens %(anzahl)s Zeichen lang sein.")
                % {"anzahl": MAX_SUCHTEXT}
            )


class HsdsZahl(forms.Field):
    """A number from `minimum` to `maximum` (a whole one with `ganz`); NaN and ∞ are refused."""

    def __init__(self, *, name, minimum, maximum, ganz=False, **kwargs):
        self.name, self.minimum, self.maximum, self.ganz = name, minimum, maximum, ganz
        super().__init__(**kwargs)

    def to_python(self, value):
        text = _text(value)
        if not text:
            return None
        if self.ganz:
            zahl = int(text) if re.fullmatch(r"\d{1,9}", text) else math.nan
        else:
            try:
                zahl = float(text)
            except ValueError:
                zahl = math.nan
        if not self.minimum <= zahl <= self.maximum:  # also false for NaN and infinity
            werte = {"name": self.name, "minimum": self.minimum, "maximum": self.maximum}
            if self.ganz:
                meldung = _("„%(name)s“ muss eine ganze Zahl von %(minimum)s bis %(maximum)s sein.")
            else:
                meldung = _("„%(name)s“ muss eine Zahl von %(minimum)s bis %(maximum)s sein.")
            raise forms.ValidationError(meldung % werte)
        return zahl


class HsdsIds(forms.Field):
    """Comma-separated HSDS ids of the given kinds, as (kind, primary key) pairs."""

    def __init__(self, *, name, arten, **kwargs):
        self.name, self.arten = name, arten
        super().__init__(**kwargs)

    def to_python(self, value):
        paare = []
        for teil in filter(None, (t.strip() for t in _text(value).split(","))):
            art, pk = next(
                ((art, pk) for art in self.arten if (pk := hsds.pk_aus(art, teil)) is not None),
                (None, None),
            )
            if art is None:
                raise forms.ValidationError(
                    _("„%(wert)s“ ist keine gültige ID für „%(name)s“.")
                    % {"wert": teil[:60], "name": self.name}
                )
            paare.append((art, pk))
        return paare


class HsdsZeitpunkt(forms.Field):
    """A date or an ISO 8601 time; without an offset it is the site's time zone."""

    def to_python(self, value):
        text = _text(value)
        if not text:
            return None
        try:
            zeitpunkt = parse_datetime(text)
            if zeitpunkt is None and (datum := parse_date(text)):
                zeitpunkt = datetime.datetime.combine(datum, datetime.time())
        except ValueError:
            zeitpunkt = None
        if zeitpunkt is None:
            raise forms.ValidationError(
                _(
                    "„modified_after“ muss ein Datum oder Zeitpunkt sein, z. B. 2026-01-31 oder "
                    "2026-01-31T12:00:00+01:00."
                )
            )
        return timezone.make_aware(zeitpunkt) if timezone.is_naive(zeitpunkt) else zeitpunkt


class HsdsPostleitzahl(forms.CharField):
    def to_python(self, value):
        return _text(value)

    def validate(self, value):
        if value and not re.fullmatch(r"\d{5}", value):
            raise forms.ValidationError(_("„postcode“ muss eine fünfstellige Postleitzahl sein."))


class HsdsFilter(django_filters.Filter):
    """A filter with one of the fields above; `method` decides what it does (by default
    nothing itself: the place parameters act together in filter_queryset)."""

    def __init__(self, feld, *, method="ohne", **kwargs):
        self.field_class = feld
        super().__init__(method=method, **kwargs)


class HsdsOrtForm(OrtFilterForm):
    """The list's place search (`wo`, `lat` + `lon`) plus HSDS's `postcode` and `proximity`
    (metres): `punkt`, `ortsname` and `km` of the search, or `punkt` None."""

    km = STANDARD_UMKREIS_KM

    def clean(self):
        daten = super().clean()
        plz, meter = daten.get("postcode"), daten.get("proximity")
        anderer_ort = any(self.data.get(name) for name in ("lat", "lon", "wo"))
        if plz and anderer_ort:
            self.add_error("postcode", _("Bitte entweder „postcode“ oder „lat“/„lon“ angeben."))
        elif plz:
            gefunden = ort_finden(plz)
            if gefunden is None:
                self.add_error(
                    "postcode", _("Die Postleitzahl %(plz)s kennen wir nicht.") % {"plz": plz}
                )
            else:
                self.ort_uebernehmen(gefunden)
        if meter is not None and self.punkt is None and not self.errors:
            self.add_error("proximity", _("„proximity“ braucht „postcode“ oder „lat“/„lon“."))
        if meter is not None:
            self.km = meter / 1000
        elif daten.get("umkreis"):
            self.km = float(daten["umkreis"])
        return daten


class HsdsOrtFilterSet(OrtFilterSet):
    """HSDS's place parameters over a list's place search (nearest first, the list's radius
    rule); `lat`/`lon` anywhere on earth, as HSDS has no notion of our country."""

    postcode = HsdsFilter(HsdsPostleitzahl)
    lat = HsdsFilter(HsdsZahl, name="lat", minimum=-90, maximum=90)
    lon = HsdsFilter(HsdsZahl, name="lon", minimum=-180, maximum=180)
    proximity = HsdsFilter(
        HsdsZahl, name="proximity", minimum=1, maximum=MAX_UMKREIS_KM * 1000, ganz=True
    )

    class Meta(OrtFilterSet.Meta):
        form = HsdsOrtForm

    @property
    def ort(self):
        if not self.is_bound or not self.is_valid() or self.form.punkt is None:
            return None
        return self.form.punkt, self.form.ortsname, self.form.km

    def fehler(self):
        """(parameter, German message) of the first bad parameter; None when all are good."""
        for name, meldungen in self.form.errors.items():
            return name, meldungen[0]
        return None


class HsdsOrteFilterSet(HsdsOrtFilterSet):
    """The parameters of /locations: a place, and organizations (the view filters two kinds of
    rows with them)."""

    organization_id = HsdsFilter(HsdsIds, name="organization_id", arten=(hsds.ORGANIZATION,))


class HsdsAngebotFilterSet(HsdsOrtFilterSet, AngebotFilterSet):
    """The offering list's FilterSet with the HSDS parameters (docs/hsds.md)."""

    search = HsdsFilter(HsdsSuchtext, name="search", method="filter_text")
    q = HsdsFilter(HsdsSuchtext, name="q", method="filter_text")
    taxonomy_term_id = HsdsFilter(
        HsdsIds,
        name="taxonomy_term_id",
        arten=(hsds.THEMA, hsds.ZIELGRUPPE),
        method="filter_begriffe",
    )
    taxonomy_id = HsdsFilter(
        HsdsIds, name="taxonomy_id", arten=(hsds.TAXONOMIE,), method="filter_taxonomie"
    )
    organization_id = HsdsFilter(
        HsdsIds, name="organization_id", arten=(hsds.ORGANIZATION,), method="filter_organisation"
    )
    modified_after = HsdsFilter(HsdsZeitpunkt, method="filter_geaendert")
    # `format` is the response format in HSDS (api_views), not the offering's.
    format = None

    class Meta(AngebotFilterSet.Meta):
        form = HsdsOrtForm

    def filter_begriffe(self, queryset, name, value):
        """Topics as the list's `thema` (a main topic includes its subtopics), target groups as
        its `zielgruppe`: any of one kind, and both kinds together."""
        themen = [pk for art, pk in value if art == hsds.THEMA]
        zielgruppen = [pk for art, pk in value if art == hsds.ZIELGRUPPE]
        if themen:
            queryset = self.filter_thema(queryset, "themen", Thema.objects.filter(pk__in=themen))
        if zielgruppen:
            auswahl = Zielgruppe.objects.filter(pk__in=zielgruppen)
            queryset = self.filter_verknuepft(queryset, "zielgruppen", auswahl)
        return queryset

    def filter_taxonomie(self, queryset, name, value):
        """Offerings with any term of each given taxonomy."""
        for _art, nummer in value:
            verknuepfung = {
                hsds.THEMEN_TAXONOMIE: Angebot.themen.through,
                hsds.ZIELGRUPPEN_TAXONOMIE: Angebot.zielgruppen.through,
            }.get(nummer)
            if verknuepfung is None:
                return queryset.none()
            queryset = queryset.filter(pk__in=verknuepfung.objects.values("angebot_id"))
        return queryset

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(anbieter_id__in=[pk for _art, pk in value]) if value else queryset

    def filter_geaendert(self, queryset, name, value):
        return queryset.filter(geaendert_am__gte=value)

    def anfrage(self):
        """The search as the in-memory index's Anfrage (angebote.suchindex) over every published
        offering, as `qs` finds them; None when a parameter has no counterpart there (a place,
        `modified_after`, `taxonomy_id`, a filter given twice by its two names): SQL answers."""
        anfrage = suchindex.anfrage_aus(self)
        if anfrage is None:
            return None
        anfrage.fuer_listen = False
        if not self.is_bound:
            return anfrage
        daten = self.form.cleaned_data
        if daten.get("modified_after") or daten.get("taxonomy_id"):
            return None
        if daten.get("search") and daten.get("q") and daten["search"] != daten["q"]:
            return None  # two texts, both required
        begriffe = daten.get("taxonomy_term_id") or []
        themen = [pk for art, pk in begriffe if art == hsds.THEMA]
        zielgruppen = [pk for art, pk in begriffe if art == hsds.ZIELGRUPPE]
        if themen:
            if anfrage.themen is not None:
                return None
            anfrage.themen = themen
        if zielgruppen:
            if anfrage.zielgruppen is not None:
                return None
            anfrage.zielgruppen = zielgruppen
        if organisationen := daten.get("organization_id"):
            if anfrage.anbieter is not None:
                return None
            anfrage.anbieter = [pk for _art, pk in organisationen]
        return anfrage


class HsdsAkteurFilterSet(HsdsOrtFilterSet, AkteurFilterSet):
    """The actor list's FilterSet with the HSDS parameters of organizations."""

    search = HsdsFilter(HsdsSuchtext, name="search", method="filter_text")
    q = HsdsFilter(HsdsSuchtext, name="q", method="filter_text")

    class Meta(AkteurFilterSet.Meta):
        form = HsdsOrtForm
