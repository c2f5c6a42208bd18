"""One FilterSet for the public offerings: the list page, the map data and exports share it."""

import hashlib
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

import django_filters
import numpy as np
from django import forms
from django.contrib.gis.db.models import PointField, Value
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.core.cache import cache
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from akteure.filters import Mehrfachauswahl, OrtFilterSet
from akteure.models import Einrichtungsart, Sozialraum, Sprache, engste_zuerst
from atlas.models import EntfernungOperator
from netzwerke.models import Netzwerk

from . import suchindex
from .models import (
    LEBENSPHASEN,
    LEBENSPHASEN_NACH_SLUG,
    SCHWANGERSCHAFT_MONATE,
    Angebot,
    Format,
    Kosten,
    Thema,
    Zielgruppe,
)

# The units and the word for pregnancy as families type them in the site's languages
# (de, en, tr, uk, ru, ar, fa); the page shows back in the visitor's language what it understood.
EINHEIT_MONATE = (
    r"m|mo|mon|monat|monate|monaten|month|months|ay|aylık|міс|місяць|місяці|місяців"
    r"|мес|месяц|месяца|месяцев|شهر|شهرا|أشهر|شهور|ماه|ماهه"
)
EINHEIT_JAHRE = (
    r"j|y|jahr|jahre|jahren|year|years|yaş|yaşında|yıl|р|рік|роки|років|г|год|года|лет"
    r"|سنة|سنوات|عام|أعوام|سال|ساله"
)
ALTER_MUSTER = re.compile(
    rf"^(?P<zahl>\d{{1,2}})(?:[.,](?P<bruch>\d{{1,2}}))?\s*"
    rf"(?:(?P<monate>{EINHEIT_MONATE})|(?P<jahre>{EINHEIT_JAHRE}))?$"
)
# "1 Jahr 6 Monate", "2 J. 3 M."
JAHRE_UND_MONATE = re.compile(
    rf"^(?P<jahre>\d{{1,2}})\s*(?:{EINHEIT_JAHRE})\.?\s*(?:und\s+)?"
    rf"(?P<monate>\d{{1,2}})\s*(?:{EINHEIT_MONATE})\.?$"
)
SCHWANGER = {
    "schwanger", "schwangerschaft", "s", "pregnant", "pregnancy", "hamile", "hamilelik",
    "вагітна", "вагітність", "беременна", "беременная", "беременность",
    "حامل", "حاملة", "الحمل", "حمل", "باردار", "بارداری",
}  # fmt: skip
# Arabic-Indic and Persian digits and the Arabic decimal separator, as phone keyboards in those
# languages type them, read like their Latin counterparts; the Arabic comma only ever separates
# a list, so it always separates children.
ZIFFERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫،", "01234567890123456789,;")
# Between the ages of several children: ";", "/", "und", or a comma that is not a decimal comma,
# i.e. not between two digits: "1, 5" and "1 ,5" are two children, "1,5" is one and a half years.
KINDER_TRENNER = re.compile(r"[;/]|\s+(?:und|and|ve|і|и|و)\s+|,(?!\d)|(?<!\d),", re.IGNORECASE)
HOECHSTALTER_MONATE = 27 * 12


def alter_in_monaten(eingabe):
    """One child's age in months: '4' or '4 Jahre' → 48, '1,5' or '1.5' → 18 (decimal years),
    '18m' → 18, '1 Jahr 6 Monate' → 18, 'schwanger' → -5; ValueError for anything else."""
    text = " ".join((eingabe or "").translate(ZIFFERN).split()).lower()
    if text in SCHWANGER:
        return SCHWANGERSCHAFT_MONATE // 2
    if treffer := JAHRE_UND_MONATE.match(text):
        monate = int(treffer["jahre"]) * 12 + int(treffer["monate"])
        if int(treffer["monate"]) >= 12:
            raise ValueError(eingabe)
    elif treffer := ALTER_MUSTER.match(text):
        if treffer["bruch"] is None:
            zahl = int(treffer["zahl"])
            monate = zahl if treffer["monate"] else zahl * 12
        elif treffer["monate"]:
            raise ValueError(eingabe)  # "4,18m" – a decimal of months is no age anyone gives
        else:
            # Whole months, rounded half up: "1,5" → 18, "2,4" → 29.
            monate = int(float(f"{treffer['zahl']}.{treffer['bruch']}") * 12 + 0.5)
    else:
        raise ValueError(eingabe)
    if monate > HOECHSTALTER_MONATE:
        raise ValueError(eingabe)
    return monate


def alter_lesen(eingabe):
    """The ages (months) of up to six children in one input: '1, 5', '1 und 5', '1;5'."""
    teile = [
        t.strip() for t in KINDER_TRENNER.split((eingabe or "").translate(ZIFFERN)) if t.strip()
    ]
    return [alter_in_monaten(t) for t in teile[:6]]


def alter_text(monate):
    """An age as the page shows how it understood the input: "1 Jahr 6 Monate"."""
    if monate < 0:
        return gettext("Schwangerschaft")
    jahre, rest = divmod(monate, 12)
    in_monaten = ngettext("%(n)s Monat", "%(n)s Monate", rest) % {"n": rest}
    if not jahre:
        return in_monaten
    in_jahren = ngettext("%(n)s Jahr", "%(n)s Jahre", jahre) % {"n": jahre}
    if not rest:
        return in_jahren
    return gettext("%(jahre)s %(monate)s") % {"jahre": in_jahren, "monate": in_monaten}


def alter_liste(alle_monate):
    """Several children's ages as words: "4 Jahre, 1 Jahr 6 Monate und 3 Monate"."""
    texte = [alter_text(m) for m in alle_monate]
    if len(texte) < 2:
        return "".join(texte)
    erste = ", ".join(texte[:-1])
    return gettext("%(erste)s und %(letzte)s") % {"erste": erste, "letzte": texte[-1]}


class AlterField(forms.CharField):
    """Ages of one or more children: '4, 18m, schwanger', '1,5' (one and a half years)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        try:
            return alter_lesen(value)
        except ValueError as fehler:
            raise forms.ValidationError(
                _(
                    "„%(eingabe)s“ verstehen wir nicht als Alter. Bitte Jahre (z. B. 4 oder 1,5), "
                    "Monate (z. B. 18m) oder „schwanger“ angeben, mehrere Kinder mit Komma und "
                    "Leerzeichen getrennt (z. B. „1, 5“)."
                ),
                params={"eingabe": str(fehler)[:30]},
            ) from None

    def anzeige(self, wert):
        """How the input was understood ("1 Jahr 6 Monate und 5 Jahre"); the input if unreadable.

        Shown beside the field and in the filter chips, so that "2,4" read as two years and
        five months, not as two children, can be seen and corrected.
        """
        try:
            return alter_liste(alter_lesen(wert)) or wert
        except ValueError:
            return wert


class AlterFilter(django_filters.Filter):
    field_class = AlterField


def boolean_filter(label, **kwargs):
    return django_filters.BooleanFilter(
        label=label, widget=forms.CheckboxInput, method="nur_wenn_gesetzt", **kwargs
    )


class AngebotFilterSet(OrtFilterSet):
    q = django_filters.CharFilter(label=_("Was?"), method="filter_text", max_length=200)
    alter = AlterFilter(label=_("Alter des Kindes"), method="filter_alter", max_length=60)
    phase = django_filters.ChoiceFilter(
        label=_("Lebensphase"),
        choices=[(p.slug, p.name) for p in LEBENSPHASEN],
        method="filter_phase",
        empty_label=_("alle Lebensphasen"),
    )
    thema = Mehrfachauswahl(
        label=_("Thema"),
        # Main topics each followed by their subtopics.
        queryset=Thema.objects.select_related("oberthema").order_by(
            Coalesce("oberthema__reihenfolge", "reihenfolge"),
            F("oberthema").asc(nulls_first=True),
            "reihenfolge",
        ),
        field_name="themen",
        to_field_name="slug",
        method="filter_thema",
        widget=forms.CheckboxSelectMultiple,
        vorrat=partial(suchindex.vorrat, schluessel="thema"),
    )
    zielgruppe = Mehrfachauswahl(
        label=_("Für wen"),
        queryset=Zielgruppe.objects.all(),
        field_name="zielgruppen",
        to_field_name="slug",
        method="filter_verknuepft",
        widget=forms.CheckboxSelectMultiple,
        vorrat=partial(suchindex.vorrat, schluessel="zielgruppe"),
    )
    sprache = Mehrfachauswahl(
        label=_("Sprache"),
        queryset=Sprache.objects.all(),
        field_name="sprachen",
        to_field_name="code",
        method="filter_verknuepft",
        widget=forms.CheckboxSelectMultiple,
        vorrat=partial(suchindex.vorrat, schluessel="sprache"),
    )
    format = django_filters.MultipleChoiceFilter(
        # "Format" alone is translated "Dateiformat" by django-import-export's catalogue.
        label=pgettext_lazy("Angebot", "Format"),
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kostenlos = boolean_filter(_("kostenlos"))
    barrierefrei = boolean_filter(_("barrierefrei"))
    kinderbetreuung = boolean_filter(_("mit Kinderbetreuung"))
    ohne_anmeldung = boolean_filter(_("ohne Anmeldung"))
    sozialraum = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Sozialraum.objects.all(),
        to_field_name="slug",
        method="filter_sozialraum",
    )
    netzwerk = django_filters.ModelChoiceFilter(
        label=_("Netzwerk"), queryset=Netzwerk.objects.veroeffentlicht(), to_field_name="slug"
    )
    anbieter = django_filters.CharFilter(
        label=_("Anbieter"), field_name="anbieter__slug", max_length=220
    )
    einrichtungsart = django_filters.ModelChoiceFilter(
        label=_("Einrichtungsart"),
        queryset=Einrichtungsart.objects.all(),
        field_name="anbieter__einrichtungsart",
        to_field_name="slug",
    )
    sortierung = django_filters.ChoiceFilter(
        label=_("Sortierung"),
        choices=[
            ("relevanz", _("Relevanz")),
            ("entfernung", _("Entfernung")),
            ("name", _("Name")),
            ("geprueft", _("zuletzt geprüft")),
        ],
        method="ohne",
        empty_label=None,
    )

    name_feld = "titel"

    class Meta(OrtFilterSet.Meta):
        model = Angebot
        fields = []

    def nur_wenn_gesetzt(self, queryset, name, value):
        if not value:
            return queryset
        bedingung = {
            "kostenlos": Q(kosten=Kosten.KOSTENLOS),
            "barrierefrei": Q(barrierefrei=True),
            "kinderbetreuung": Q(kinderbetreuung=True),
            "ohne_anmeldung": Q(anmeldung_erforderlich=False),
        }[name]
        return queryset.filter(bedingung)

    def filter_alter(self, queryset, name, value):
        return queryset.fuer_alter(*value) if value else queryset

    def filter_phase(self, queryset, name, value):
        return queryset.in_lebensphase(LEBENSPHASEN_NACH_SLUG[value])

    def filter_verknuepft(self, queryset, name, value):
        """Any of the chosen values; a semi-join instead of JOIN + DISTINCT over wide rows."""
        through = getattr(Angebot, name).through
        ziel = getattr(Angebot, name).field.m2m_reverse_field_name()
        return queryset.filter(
            pk__in=through.objects.filter(**{f"{ziel}__in": value}).values("angebot_id")
        )

    def filter_thema(self, queryset, name, value):
        # Choosing a main topic includes its subtopics.
        ids = {t.pk for t in value}
        if (themen := self.form.fields["thema"].vorrat_liste()) is not None:
            ids |= {t.pk for t in themen if t.oberthema_id in ids}
        else:
            ids |= set(Thema.objects.filter(oberthema__in=value).values_list("pk", flat=True))
        return queryset.filter(
            pk__in=Angebot.themen.through.objects.filter(thema_id__in=ids).values("angebot_id")
        )

    def filter_sozialraum(self, queryset, name, value):
        return queryset.in_region(value)

    # The Sozialräume at the searched place and the offerings serving one of them as a whole
    # (Einzugsgebiet), once per request (gebiet_am_ort): read by the SQL (nach_ort), the index
    # (suchindex.Anfrage) and the page's rows (mit_entfernung).
    einzugsgebiet_raeume = einzugsgebiet_ids = None

    def gebiet_am_ort(self):
        """(ids of the Sozialräume at the searched place, ids of the offerings whose
        Einzugsgebiet names one of them); ([], []) without a place."""
        if self.einzugsgebiet_raeume is None:
            ort = self.ort
            self.einzugsgebiet_raeume, self.einzugsgebiet_ids = (
                einzugsgebiet(ort[0], self.form.plz) if ort else ([], [])
            )
        return self.einzugsgebiet_raeume, self.einzugsgebiet_ids

    def nach_ort(self, queryset, punkt, km):
        self.gebiet_am_ort()
        return im_umkreis_oder_einzugsgebiet(
            queryset,
            punkt,
            km,
            raeume=self.einzugsgebiet_raeume,
            angebot_ids=self.einzugsgebiet_ids,
        )

    @property
    def qs(self):
        # Unbound (a list without parameters), django-filter skips filter_queryset().
        if not self.is_bound and not hasattr(self, "_qs"):
            self._qs = self.queryset.all().fuer_familien().order_by("titel", "pk")
        return super().qs

    def fachpublikum_gewaehlt(self):
        """Whether the search asks for offerings for professionals: a Fachpublikum among the
        chosen target groups ("Für wen: Fachkräfte")."""
        daten = (
            self.form.cleaned_data if self.is_bound and hasattr(self.form, "cleaned_data") else {}
        )
        return any(z.fachpublikum for z in daten.get("zielgruppe") or ())

    def filter_queryset(self, queryset):
        # Families do not look for Fachtage: offerings only for professionals are left out of
        # every list, map and file made with this FilterSet unless the search asks for them.
        if not self.fachpublikum_gewaehlt():
            queryset = queryset.fuer_familien()
        # Ordered by relevance (with a query), then distance (with a place), then title.
        queryset = super().filter_queryset(queryset)
        sortierung = self.form.cleaned_data.get("sortierung") if self.is_bound else None
        if sortierung == "geprueft":
            return queryset.order_by(F("geprueft_am").desc(nulls_last=True), "titel", "pk")
        if sortierung == "name" or (sortierung == "entfernung" and not self.ort):
            return queryset.order_by("titel", "pk")
        if sortierung == "entfernung" and self.suchanfrage:
            return queryset.order_by(*queryset.query.order_by[1:])  # without "-rang"
        return queryset


def einzugsgebiet(punkt, plz=None):
    """(ids of the Sozialräume that contain the place – by polygon or PLZ, see
    Sozialraum.objects.am_ort –, ids of the offerings whose Einzugsgebiet names one of them)."""
    raeume = list(Sozialraum.objects.am_ort(punkt, plz).values_list("pk", flat=True))
    gebiete = Angebot.einzugsgebiet.through.objects.filter(sozialraum_id__in=raeume)
    return raeume, list(gebiete.values_list("angebot_id", flat=True).distinct())


def mit_entfernung(queryset, punkt, raeume):
    """The rows annotated as a place search shows them: `entfernung` (a Distance, None without
    a point) and `gebiet`, the narrowest of the place's areas their Einzugsgebiet names."""
    gebiet_name = Subquery(
        Angebot.einzugsgebiet.through.objects.filter(
            sozialraum_id__in=raeume, angebot_id=OuterRef("pk")
        )
        .order_by(engste_zuerst("sozialraum__ebene"), "sozialraum__name")
        .values("sozialraum__name")[:1]
    )
    return queryset.annotate(entfernung=Distance("standort", punkt), gebiet=gebiet_name)


def im_umkreis_oder_einzugsgebiet(queryset, punkt, km, plz=None, *, raeume=None, angebot_ids=None):
    """Offerings within `km`, nearest first, then those whose Einzugsgebiet contains the place
    (see einzugsgebiet(), or its `raeume` and `angebot_ids` when already known), marked with
    the narrowest such area."""
    if raeume is None:
        raeume, angebot_ids = einzugsgebiet(punkt, plz)
    # The few area-wide offerings are looked up first, so that the radius and they combine
    # into one OR over two indexes (GiST on standort, primary key): the table is read once,
    # and a page fetched by its ids (`pk__in`) does not run the radius search again.
    im_gebiet = Q(pk__in=angebot_ids)
    return mit_entfernung(
        queryset.filter(Q(standort__dwithin=(punkt, D(km=km))) | im_gebiet), punkt, raeume
    ).order_by(
        EntfernungOperator(
            F("standort"), Value(punkt, output_field=PointField(geography=True))
        ).asc(nulls_last=True),
        "titel",
        "pk",
    )


# Result sets at least this large keep their count, facet counts and visited pages in the
# cache for CACHE_SEKUNDEN: counting them costs a scan of most of the table (hundreds of
# milliseconds), and a count of thousands that is a minute old is still true enough. Smaller
# ones are counted afresh on every request – a few milliseconds – so that an edit shows at once.
CACHE_AB = 1000
CACHE_SEKUNDEN = 60

# One statement over the filtered rows, computed once (a materialised CTE): the count, the ids
# of the requested page and every facet's counts. The linked ids come with each row (copies of
# the link tables, migration 0009); they are grouped by id, then named.
AUSWERTUNG_SQL = """
WITH treffer AS MATERIALIZED ({treffer}),
themen AS MATERIALIZED (
    SELECT t.t_id AS angebot_id, x.id AS thema_id, coalesce(th.oberthema_id, th.id) AS haupt_id
    FROM treffer t CROSS JOIN LATERAL unnest(t.t_themen) x (id)
    JOIN angebote_thema th ON th.id = x.id
)
SELECT v.facette, v.wert, v.anzahl FROM (
    SELECT count(*) AS alle,
        count(*) FILTER (WHERE t_kosten = 'kostenlos') AS kostenlos,
        count(*) FILTER (WHERE t_barrierefrei) AS barrierefrei,
        count(*) FILTER (WHERE t_kinderbetreuung) AS kinderbetreuung,
        count(*) FILTER (WHERE NOT t_anmeldung) AS ohne_anmeldung
    FROM treffer
) z CROSS JOIN LATERAL (VALUES ('anzahl', '', z.alle), ('kostenlos', 'on', z.kostenlos),
    ('barrierefrei', 'on', z.barrierefrei), ('kinderbetreuung', 'on', z.kinderbetreuung),
    ('ohne_anmeldung', 'on', z.ohne_anmeldung)) v (facette, wert, anzahl)
UNION ALL SELECT 'seite', t_id::text, t_nr FROM treffer WHERE t_nr > %s AND t_nr <= %s
UNION ALL SELECT 'format', t_format, count(*) FROM treffer GROUP BY t_format
UNION ALL SELECT 'sprache', s.code, n FROM (
    SELECT x.id, count(*) AS n FROM treffer CROSS JOIN LATERAL unnest(t_sprachen) x (id)
    GROUP BY x.id
) z JOIN akteure_sprache s ON s.id = z.id
UNION ALL SELECT 'zielgruppe', g.slug, n FROM (
    SELECT x.id, count(*) AS n FROM treffer CROSS JOIN LATERAL unnest(t_zielgruppen) x (id)
    GROUP BY x.id
) z JOIN angebote_zielgruppe g ON g.id = z.id
UNION ALL SELECT 'thema', th.slug, n FROM (
    SELECT thema_id, count(*) AS n FROM themen GROUP BY thema_id
) z JOIN angebote_thema th ON th.id = z.thema_id
UNION ALL SELECT 'hauptthema', th.slug, n FROM (
    SELECT haupt_id, count(*) AS n FROM (SELECT DISTINCT angebot_id, haupt_id FROM themen) d
    GROUP BY haupt_id
) z JOIN angebote_thema th ON th.id = z.haupt_id
"""


@dataclass
class Auswertung:
    """Count, facet counts and page ids of a filtered, ordered set of offerings."""

    queryset: Any
    pro_seite: int
    anzahl: int
    facetten: dict
    seiten: dict  # page number → ids in list order
    schluessel: str  # cache key of this order and page size; "" when not cached

    def seite(self, nummer):
        """The ids of page `nummer`; a page the statement did not fetch is queried now."""
        if nummer not in self.seiten:
            von = (nummer - 1) * self.pro_seite
            ids = list(self.queryset.values_list("pk", flat=True)[von : von + self.pro_seite])
            self.seiten[nummer] = ids
            if self.schluessel:
                cache.set(f"{self.schluessel}:{nummer}", ids, CACHE_SEKUNDEN)
        return self.seiten[nummer]


class IndexAuswertung(Auswertung):
    """An Auswertung from the in-memory index: every page comes from its list order."""

    def __init__(self, queryset, pro_seite, anzahl, facetten, ids, ordnung):
        super().__init__(queryset, pro_seite, anzahl, facetten, {}, "")
        # The index's rows in list order; `ids` maps a row to its offering (rows only grow).
        self.ids, self.ordnung = ids, ordnung

    def seite(self, nummer):
        von = (nummer - 1) * self.pro_seite
        return self.ids[self.ordnung[von : von + self.pro_seite]].tolist()


def _mit_index(filterset, auswerten, *, mit_umkreis=True):
    """`auswerten(index, anfrage)` for the FilterSet's question (angebote.suchindex.beantworten);
    None: SQL answers. `mit_umkreis=False`: a search near a place goes to SQL (the export, whose
    rows carry their distance from there)."""
    return suchindex.beantworten(
        lambda: suchindex.anfrage_aus(filterset, mit_umkreis=mit_umkreis), auswerten
    )


def auswerten_mit_index(filterset, *, seite=1, pro_seite=20):
    """`auswerten` for the public list's FilterSet, answered by the in-memory index; None:
    `auswerten` runs in SQL."""

    def zaehlen(index, anfrage):
        maske, relevanz = index.maske(anfrage)
        ordnung = index.folge(maske, relevanz, anfrage.sortierung, anfrage.umkreis)
        return len(ordnung), index.facetten(maske), index.ids, ordnung

    ergebnis = _mit_index(filterset, zaehlen)
    # The pages come from the index's order: the FilterSet's SQL is not needed.
    return ergebnis and IndexAuswertung(filterset.queryset, pro_seite, *ergebnis)


def punkte_mit_index(filterset):
    """The map points of the FilterSet's rows from the in-memory index (ids, lon, lat and the
    title order for popups, see atlas.karte.kartendaten_aus_punkten); None: the map in SQL."""

    def punkte(index, anfrage):
        maske, _ = index.maske(anfrage)
        # The index's own arrays and the filtered rows: no copy per request (a country map at
        # 1M offerings, bench/RESULTS-suchindex.md, session 11).
        return {
            "maske": maske,
            "ids": index.ids,
            "lon": index.lon,
            "lat": index.lat,
            "rang": index.rang,
        }

    return _mit_index(filterset, punkte)


def ids_mit_index(filterset, *, hoechstens=1.0):
    """The ids of the FilterSet's rows in list order from the in-memory index (an export reads
    just those rows, atlas.tabellen.export_sql); None when the index cannot answer, or when
    the rows are more than `hoechstens` of the published offerings (then one pass over the
    table costs less than reading each row by its key)."""

    def ids(index, anfrage):
        maske, relevanz = index.maske(anfrage)
        ordnung = index.reihenfolge(maske, relevanz, anfrage.sortierung)
        if len(ordnung) > hoechstens * max(int(np.count_nonzero(index.aktiv)), 1):
            return None
        return index.ids[ordnung]

    return _mit_index(filterset, ids, mit_umkreis=False)


def _sql_schluessel(queryset):
    """A cache key for exactly this query: its SQL with the parameters filled in, hashed."""
    sql, params = queryset.query.sql_with_params()
    text = connection.ops.compose_sql(sql, params)
    return "angebote:" + hashlib.sha256(text.encode()).hexdigest()


def auswerten(queryset, *, seite=1, pro_seite=20):
    """The list's count, facet counts and the ids of page `seite`, in one statement.

    The filter runs once instead of three times (count, page, facets). Large result sets come
    from the cache (see CACHE_AB); their pages too, each once it has been asked for.
    """
    ungeordnet = queryset.order_by()
    zaehl_schluessel = _sql_schluessel(ungeordnet.values("pk"))
    seiten_schluessel = f"{_sql_schluessel(queryset.values('pk'))}:{pro_seite}"
    if (gespeichert := cache.get(zaehl_schluessel)) is not None:
        anzahl, zahlen = gespeichert
        ids = cache.get(f"{seiten_schluessel}:{seite}")
        seiten = {} if ids is None else {seite: ids}
        return Auswertung(queryset, pro_seite, anzahl, zahlen, seiten, seiten_schluessel)

    zahlen = {name: {} for name in ("format", "sprache", "zielgruppe", "thema")}
    haupt, seite_nr, anzahl = {}, [], 0
    with connection.cursor() as cursor:
        cursor.execute(*auswertung_sql(queryset, seite=seite, pro_seite=pro_seite))
        for facette, wert, n in cursor.fetchall():
            if facette == "anzahl":
                anzahl = n
            elif facette == "seite":
                seite_nr.append((n, int(wert)))  # n: the row's place in the list
            else:
                ziel = haupt if facette == "hauptthema" else zahlen.setdefault(facette, {})
                ziel[wert] = n
    # A main topic counts every offering filed under it or any of its subtopics.
    zahlen["thema"].update(haupt)
    ids = [pk for _, pk in sorted(seite_nr)]
    # A page beyond the last one has no rows here; the paginator then asks for the last page.
    seiten = {seite: ids} if ids or seite == 1 else {}
    if anzahl < CACHE_AB:
        return Auswertung(queryset, pro_seite, anzahl, zahlen, seiten, "")
    cache.set(zaehl_schluessel, (anzahl, zahlen), CACHE_SEKUNDEN)
    if seiten:
        cache.set(f"{seiten_schluessel}:{seite}", ids, CACHE_SEKUNDEN)
    return Auswertung(queryset, pro_seite, anzahl, zahlen, seiten, seiten_schluessel)


def auswertung_sql(queryset, *, seite, pro_seite):
    """The statement of `auswerten` and its parameters."""
    ordnung = queryset.query.order_by or queryset.model._meta.ordering
    treffer_sql, params = (
        queryset.order_by()
        .annotate(t_nr=Window(RowNumber(), order_by=list(ordnung)))
        .values(
            "t_nr",
            t_id=F("pk"),
            t_format=F("format"),
            t_kosten=F("kosten"),
            t_barrierefrei=F("barrierefrei"),
            t_kinderbetreuung=F("kinderbetreuung"),
            t_anmeldung=F("anmeldung_erforderlich"),
            t_themen=F("themen_ids"),
            t_zielgruppen=F("zielgruppen_ids"),
            t_sprachen=F("sprachen_ids"),
        )
        .query.sql_with_params()
    )
    von = (seite - 1) * pro_seite
    return AUSWERTUNG_SQL.format(treffer=treffer_sql), [*params, von, von + pro_seite]


def facetten(queryset):
    """Counts per choice for the current (already filtered) result set."""
    return auswerten(queryset).facetten
