"""Pieces every public list shares: forgiving paging, removable filter chips, map settings,
the filter form's choices with their counts."""

import copy
from dataclasses import dataclass
from urllib.parse import urlsplit

import django_filters
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import F, Lookup, prefetch_related_objects
from django.db.models.query import ModelIterable, get_related_populators
from django.dispatch import receiver
from django.forms import ModelChoiceField
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.filters import FilterMethod

# Place search: radius when none is chosen, and the largest one offered.
STANDARD_UMKREIS_KM = 10
MAX_UMKREIS_KM = 200


class ListenFilterSet(django_filters.FilterSet):
    """django-filter's FilterSet with less work per request and the same behaviour.

    django-filter deep-copies every filter for each FilterSet (with the querysets and choice
    lists they hold) and makes a new form class with a new field per filter; a public list
    pays that on every request. Here the form class and its fields are made once per class
    (and model), and each FilterSet gets flat copies of the filters, which a request only
    gives their `parent` and `model`. The form still deep-copies its fields, as every Django
    form does: a field's queryset is fresh in each request.
    """

    _gebaut = {}  # (FilterSet class, model) → (form class, {name: field})

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        _form, felder = self._formular(model)
        self.filters = {}
        for name, vorlage in self.base_filters.items():
            filter_ = copy.copy(vorlage)
            if vorlage.method is not None:
                filter_.filter = FilterMethod(filter_)  # resolves `method` on this FilterSet
            filter_._field = felder[name]
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    @classmethod
    def _formular(cls, model):
        """(form class, {name: field}) of this class's filters, made at the first use."""
        schluessel = (cls, model)
        if (gebaut := ListenFilterSet._gebaut.get(schluessel)) is None:
            felder = {}
            for name, vorlage in cls.base_filters.items():
                if callable(getattr(vorlage, "queryset", None)):
                    # django-filter's queryset per request: its field cannot be made once.
                    raise ImproperlyConfigured(f"{cls.__name__}.{name}: queryset per request")
                filter_ = copy.copy(vorlage)
                filter_.model = model  # a filter without a label is named after the model field
                felder[name] = filter_.field
            form = type(f"{cls.__name__}Form", (cls._meta.form,), dict(felder))
            form.base_fields = _Felder(form.base_fields)
            gebaut = ListenFilterSet._gebaut[schluessel] = (form, felder)
        return gebaut

    def get_form_class(self):
        return self._formular(self.queryset.model)[0]


class _Felder(dict):
    """A form class's fields (`base_fields`), which each form deep-copies (BaseForm.__init__):
    as Django copies them, except that the lists of choices and their (value, label) pairs are
    shared, not copied pair by pair – nothing changes them in place."""

    def __init__(self, felder):
        super().__init__(felder)
        self.geteilt = {}
        for feld in felder.values():
            for wahl in (getattr(feld, "_choices", None), getattr(feld.widget, "choices", None)):
                liste = getattr(wahl, "choices", wahl)  # django-filter's ChoiceIterator holds one
                if isinstance(liste, list | tuple):
                    self.geteilt[id(liste)] = liste
                    self.geteilt.update((id(paar), paar) for paar in liste)

    def __deepcopy__(self, memo):
        memo.update(self.geteilt)
        return {name: copy.deepcopy(feld, memo) for name, feld in self.items()}


# karten_einstellungen() by language: the same for every page until a setting changes.
_KARTEN_EINSTELLUNGEN = {}


@receiver(setting_changed)
def _karten_einstellungen_vergessen(**kwargs):
    _KARTEN_EINSTELLUNGEN.clear()


def karten_einstellungen():
    """What static/js/karte.js and stadtplan.js need from the server, the texts in the page's
    language included: the tile server, who runs it and what the button says is sent there.
    Made once per language (to be read, not changed)."""
    sprache = get_language()
    if (einstellungen := _KARTEN_EINSTELLUNGEN.get(sprache)) is None:
        einstellungen = _KARTEN_EINSTELLUNGEN[sprache] = _karten_einstellungen()
    return einstellungen


def _karten_einstellungen():
    wer = {
        "host": urlsplit(settings.MAP_TILE_URL).hostname or settings.MAP_TILE_URL,
        "anbieter": settings.MAP_TILE_ANBIETER,
    }
    return {
        "kachel_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "eigener_server": settings.MAP_TILE_EIGENER_SERVER,
        "umriss_url": static("vendor/world-atlas/umriss.geojson"),
        "umriss_attribution": _("Umrisse")
        + ': <a href="https://www.naturalearthdata.com/">Natural Earth</a>',
        "texte": {
            "plus": _("Vergrößern"),
            "minus": _("Verkleinern"),
            "einheit": _("Angebote – vergrößern"),
            "hier": _("an diesem Ort"),
            "mehr": _("Alle in der Liste zeigen"),
            "laden": _("Stadtplan laden (%(name)s)") % {"name": settings.MAP_TILE_NAME},
            "ausblenden": _("Stadtplan ausblenden"),
            "erklaerung": _(
                "Die Karte zeigt bisher nur Umrisse von diesem Server. Der Stadtplan kommt von "
                "%(host)s (%(anbieter)s): Ihr Browser sendet dorthin Ihre IP-Adresse und den "
                "Kartenausschnitt. Ihre Wahl speichert nur dieser Browser, ohne Cookie."
            )
            % wer,
            "geladen": _(
                "Der Stadtplan kommt von %(host)s (%(anbieter)s). Ihre Wahl ist in diesem "
                "Browser gespeichert; „Stadtplan ausblenden“ nimmt sie zurück."
            )
            % wer,
        },
    }


class NachsichtigBlaetternMixin:
    """A bad page number shows the nearest page and a hint instead of a 404."""

    page_kwarg = "seite"
    seiten_hinweis = ""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        try:
            seite = paginator.page(self.request.GET.get(self.page_kwarg) or 1)
        except PageNotAnInteger:
            seite = paginator.page(1)
            self.seiten_hinweis = _("Die Seitenzahl war ungültig – hier ist die erste Seite.")
        except EmptyPage:
            seite = paginator.page(paginator.num_pages)
            self.seiten_hinweis = _(
                "Diese Seite gibt es nicht – hier ist die letzte Seite der Ergebnisse."
            )
        return paginator, seite, seite.object_list, seite.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "seiten_hinweis": self.seiten_hinweis}


def aktive_filter(filterset):
    """Removable chips: (label, URL of the same search without that value)."""
    if not filterset.is_bound:
        return []
    daten = filterset.data
    chips = []
    for name, feld in filterset.form.fields.items():
        if name in {"lat", "lon", "sortierung", "umkreis"} or filterset.form.has_error(name):
            continue
        for wert in daten.getlist(name):
            if not wert or (name == "wo" and daten.get("lat")):
                continue
            ohne = daten.copy()
            ohne.setlist(name, [w for w in daten.getlist(name) if w != wert])
            ohne.pop("seite", None)
            chips.append((f"{feld.label}: {anzeige(feld, wert)}", "?" + ohne.urlencode()))
    if daten.get("lat") and daten.get("lon") and filterset.ort:
        ohne = daten.copy()
        for schluessel in ("lat", "lon", "seite"):
            ohne.pop(schluessel, None)
        chips.append((_("In der Nähe Ihres Standorts"), "?" + ohne.urlencode()))
    return chips


def anzeige(feld, wert):
    if hasattr(feld, "anzeige"):
        return feld.anzeige(wert)  # the field says how it understood the input
    if hasattr(feld, "queryset"):
        schluessel = feld.to_field_name or "pk"
        if (objekte := vorrat(feld)) is not None:
            gefunden = next((o for o in objekte if str(getattr(o, schluessel)) == wert), None)
        else:
            gefunden = feld.queryset.filter(**{schluessel: wert}).first()
        return str(gefunden) if gefunden else wert
    if getattr(feld, "choices", None):
        return str(dict(feld.choices).get(wert, wert))
    if wert in {"on", "true", "True", "1"}:
        return _("ja")
    return wert


@dataclass(frozen=True)
class Auswahl:
    """One choice of the filter form: a checkbox or a select option."""

    name: str
    wert: str
    text: str
    anzahl: int | None = None  # facet count; None where the list counts none
    gewaehlt: bool = False


@dataclass(frozen=True)
class Auswahlgruppe:
    """A part of the filter form (templates/_filtergruppe.html): checkboxes, or one select."""

    name: str
    label: str
    optionen: list
    liste: bool = False  # a select instead of checkboxes
    filtert: bool = True  # False for a choice that orders the list instead of narrowing it

    @property
    def aktiv(self):
        """How many of its choices narrow the list now: ticked boxes, a chosen value."""
        if not self.filtert:
            return 0
        return sum(1 for option in self.optionen if option.gewaehlt and option.wert)


def vorrat(feld):
    """The rows of a choice field's queryset from the process's current copy, if the field has
    one (akteure.filters.MehrfachauswahlFeld.vorrat), else None."""
    return feld.vorrat_liste() if hasattr(feld, "vorrat_liste") else None


def auswahl_objekte(feld):
    """The rows a choice field offers: from its copy (vorrat) or its queryset."""
    objekte = vorrat(feld)
    return feld.queryset if objekte is None else objekte


def _choices(feld):
    """(value, label) of a form field's choices, read straight from its queryset if it has one.

    Iterating a bound field instead builds a widget per choice, which costs more than the rest of
    a list page (bench/RESULTS.md); the labels are the same.
    """
    if hasattr(feld, "queryset"):
        schluessel = feld.to_field_name or "pk"
        objekte = list(auswahl_objekte(feld))
        if (
            hasattr(feld.queryset.model, "namen")
            and type(feld).label_from_instance is ModelChoiceField.label_from_instance
        ):
            # The model's str() of all its rows in one call (hook: a vocabulary's `namen`).
            texte = feld.queryset.model.namen(objekte)
        else:
            texte = [feld.label_from_instance(o) for o in objekte]
        return [(str(getattr(o, schluessel)), t) for o, t in zip(objekte, texte, strict=True)]
    return [(str(wert), str(text)) for wert, text in feld.choices]


def auswahlgruppe(filterset, facetten, name, *, immer=()):
    """A checkbox group with facet counts: choices without a hit are left out unless ticked.

    `immer`: values offered even without a hit and counted only when ticked – choices that widen
    the results (whose count the current results cannot tell).
    """
    feld = filterset.form.fields[name]
    gewaehlt = set(filterset.data.getlist(name)) if filterset.is_bound else set()
    zahlen = (facetten or {}).get(name) or {}
    optionen = []
    for wert, text in _choices(feld):
        if wert in immer and wert not in gewaehlt:
            optionen.append(Auswahl(name, wert, text))
        elif zahlen.get(wert) or wert in gewaehlt:
            optionen.append(Auswahl(name, wert, text, zahlen.get(wert, 0), wert in gewaehlt))
    return Auswahlgruppe(name, str(feld.label), optionen)


def merkmalgruppe(filterset, facetten, label, namen):
    """Yes/no filters (one checkbox each, value "on") as one group; all shown, with counts."""
    optionen = []
    for name in namen:
        zahl = (facetten.get(name) or {}).get("on", 0) if facetten else None
        optionen.append(
            Auswahl(
                name,
                "on",
                str(filterset.form.fields[name].label),
                zahl,
                filterset.is_bound and bool(filterset.form[name].value()),
            )
        )
    return Auswahlgruppe("", str(label), optionen)


def auswahlliste(filterset, name, *, ohne=(), standard="", label=None, choices=None, filtert=True):
    """The options of a select: the chosen one marked (else `standard`), `ohne` left out;
    `choices` (value, text) in place of the field's own, e.g. in another order."""
    feld = filterset.form.fields[name]
    gewaehlt = filterset.data.get(name, "") if filterset.is_bound else ""
    choices = _choices(feld) if choices is None else choices
    choices = [(wert, text) for wert, text in choices if wert not in ohne]
    if gewaehlt not in {wert for wert, _text in choices}:
        gewaehlt = standard
    optionen = [Auswahl(name, wert, text, gewaehlt=wert == gewaehlt) for wert, text in choices]
    return Auswahlgruppe(name, str(label or feld.label), optionen, liste=True, filtert=filtert)


class _EinerVon(Lookup):
    """`lhs = ANY(%s)`: the values as one array parameter, where `__in` writes one per value."""

    lookup_name = "einer_von"
    prepare_rhs = False  # the value is passed through as it is (Zeilenabfrage's stand-in)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


_IDS = object()  # where the ids go among a compiled statement's parameters
_zeilenabfragen_stand = [0]  # a setting changed (a test): every statement is compiled anew


@receiver(setting_changed)
def _zeilenabfragen_vergessen(**kwargs):
    _zeilenabfragen_stand[0] += 1


class Zeilenabfrage:
    """The rows of `queryset` with some ids, as the queryset gives them (its columns,
    select_related and annotations, the same objects, in no particular order), from a
    statement compiled once per database: the ids are one array parameter (`pk = ANY(%s)`),
    so its text is the same for every page. A list page reads its twenty rows by id this way:
    compiling the statement anew took 0.6 of the 1.4 ms of CPU those rows cost
    (bench/RESULTS-suchindex.md, session 12). Whatever the queryset leaves to the database
    (today's date of the visibility rule) stays there; what it fixed in Python (a day in the
    SQL) stays fixed, so a caller keeps one Zeilenabfrage no longer than its queryset. A
    changed setting (a test's override) compiles it anew."""

    def __init__(self, queryset):
        if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
            # values() rows, or a related manager's parent set on each row: not done here.
            raise TypeError("Zeilenabfrage liest Objekte eines einfachen QuerySets")
        self.queryset = queryset
        # Database → the compiled statement and how its rows become objects (a replica's
        # and the primary's side by side), as of the settings' stand.
        self._uebersetzt, self._stand = {}, _zeilenabfragen_stand[0]

    def __call__(self, ids):
        if not ids:
            return []
        db = self.queryset.db
        if self._stand != _zeilenabfragen_stand[0]:
            self._uebersetzt, self._stand = {}, _zeilenabfragen_stand[0]
        if (teile := self._uebersetzt.get(db)) is None:
            teile = self._uebersetzt[db] = self._uebersetzen(db)
        sql, params, stelle, model, von, bis, felder, verwandte, annotationen, umwandeln = teile
        params = list(params)
        params[stelle] = list(ids)
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            zeilen = cursor.fetchall()
        objekte = []
        for zeile in zeilen:
            # As ModelIterable makes them (django.db.models.query).
            if umwandeln:
                zeile = list(zeile)
                for spalte, (umwandler, ausdruck) in umwandeln:
                    for umwandler_ in umwandler:
                        zeile[spalte] = umwandler_(zeile[spalte], ausdruck, connection)
            objekt = model.from_db(db, felder, zeile[von:bis])
            for verwandt in verwandte:
                verwandt.populate(zeile, objekt)
            for name, spalte in annotationen:
                setattr(objekt, name, zeile[spalte])
            objekte.append(objekt)
        if self.queryset._prefetch_related_lookups:
            prefetch_related_objects(objekte, *self.queryset._prefetch_related_lookups)
        return objekte

    def _uebersetzen(self, db):
        abfrage = self.queryset.order_by().filter(_EinerVon(F("pk"), _IDS))
        compiler = abfrage.query.get_compiler(db)
        sql, params = compiler.as_sql()
        stelle = next(i for i, p in enumerate(params) if p is _IDS)
        select, klass_info = compiler.select, compiler.klass_info
        von, bis = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        umwandeln = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        return (
            sql,
            tuple(params),
            stelle,
            klass_info["model"],
            von,
            bis,
            [s[0].target.attname for s in select[von:bis]],
            get_related_populators(klass_info, select, db),
            tuple(compiler.annotation_col_map.items()),
            tuple(umwandeln.items()),
        )


def versteckte_felder(filterset, namen):
    """(name, value) of the search parameters a second form on the page must carry along."""
    if not filterset.is_bound:
        return []
    return [(name, wert) for name in namen for wert in filterset.data.getlist(name) if wert]


class OrtListeMixin(NachsichtigBlaetternMixin):
    """Context of a public list with place search: place, radius choices, chips, map, facets."""

    def facetten(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):

        ort = self.filterset.ort
        context = super().get_context_data(
            facetten=self.facetten(),
            ort=ort,
            umkreis_km=ort[2] if ort else STANDARD_UMKREIS_KM,
            umkreis_optionen=sorted({2, 5, 10, 20, 50, 100, int(ort[2]) if ort else 10}),
            chips=aktive_filter(self.filterset),
            karte=karten_einstellungen(),
            **kwargs,
        )
        paginator = context.get("paginator")
        context["suchhinweis"] = suchhinweis(self.filterset, paginator.count if paginator else 0)
        return context


def suchhinweis(filterset, anzahl):
    """What the list says about how the free text was understood (_suchhinweis.html), or None.

    "Ergebnisse für „Hebamme“" when unknown words were replaced – only with results, so that a
    replacement never hints at a word of a record the public cannot see; "Meinten Sie …?" (a
    link) when a rare word has a far more frequent similar one.
    """
    anfrage = getattr(filterset, "suchanfrage", None)
    if anfrage is None:
        return None
    if anfrage.korrigiert and anzahl:
        return {"art": "korrigiert", "text": anfrage.korrigiert, "eingabe": anfrage.text.strip()}
    if anfrage.vorschlag:
        return {"art": "vorschlag", "text": anfrage.vorschlag}
    return None


def slug_url(name, **kwargs):
    """A function slug → reverse(name, kwargs={"slug": slug, **kwargs}) that reverses once: for
    long tables with a link per row (a slug is [-a-zA-Z0-9_]: nothing to quote)."""
    muster = reverse(name, kwargs={"slug": "SLUG", **kwargs})
    vorne, hinten = muster.split("SLUG", 1)
    return lambda slug: f"{vorne}{slug}{hinten}"
