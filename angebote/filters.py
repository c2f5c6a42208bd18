"""One FilterSet for the public offerings: the list page, the map data and exports share it."""

import re

import django_filters
from django import forms
from django.contrib.gis.db.models import PointField, Value
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from akteure.filters import OrtFilterSet
from akteure.models import (
    SUCHKONFIGURATION,
    Einrichtungsart,
    EntfernungOperator,
    Sozialraum,
    Sprache,
)
from netzwerke.models import Netzwerk

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

ALTER_MUSTER = re.compile(
    r"^\s*(\d{1,2})\s*(m|mo|monat|monate|month|months|j|y|jahr|jahre|year|years)?\s*$",
    re.IGNORECASE,
)
SCHWANGER = {"schwanger", "schwangerschaft", "s", "pregnant", "pregnancy"}


def alter_in_monaten(eingabe):
    """'4' or '4 Jahre' → 48, '18m' → 18, 'schwanger' → -5; ValueError for anything else."""
    text = (eingabe or "").strip().lower()
    if text in SCHWANGER:
        return SCHWANGERSCHAFT_MONATE // 2
    treffer = ALTER_MUSTER.match(text)
    if not treffer:
        raise ValueError(text)
    zahl, einheit = int(treffer.group(1)), (treffer.group(2) or "j")
    monate = zahl if einheit.startswith("m") else zahl * 12
    if monate > 27 * 12:
        raise ValueError(text)
    return monate


class AlterField(forms.CharField):
    """Ages of one or more children, comma- or space-separated: '4, 18m, schwanger'."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        teile = [t for t in re.split(r"[,;/]+|\s+und\s+", value) if t.strip()]
        try:
            return [alter_in_monaten(t) for t in teile[:6]]
        except ValueError as fehler:
            raise forms.ValidationError(
                _(
                    "„%(eingabe)s“ verstehen wir nicht als Alter. Bitte Jahre (z. B. 4), Monate "
                    "(z. B. 18m) oder „schwanger“ angeben, mehrere Kinder mit Komma getrennt."
                ),
                params={"eingabe": str(fehler)[:30]},
            ) from None


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
    )
    thema = django_filters.ModelMultipleChoiceFilter(
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
    )
    zielgruppe = django_filters.ModelMultipleChoiceFilter(
        label=_("Für wen"),
        queryset=Zielgruppe.objects.all(),
        field_name="zielgruppen",
        to_field_name="slug",
        method="filter_verknuepft",
        widget=forms.CheckboxSelectMultiple,
    )
    sprache = django_filters.ModelMultipleChoiceFilter(
        label=_("Sprache"),
        queryset=Sprache.objects.all(),
        field_name="sprachen",
        to_field_name="code",
        method="filter_verknuepft",
        widget=forms.CheckboxSelectMultiple,
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"), choices=Format.choices, widget=forms.CheckboxSelectMultiple
    )
    kostenlos = boolean_filter(_("kostenlos"))
    barrierefrei = boolean_filter(_("barrierefrei"))
    kinderbetreuung = boolean_filter(_("mit Kinderbetreuung"))
    ohne_anmeldung = boolean_filter(_("ohne Anmeldung"))
    sozialraum = django_filters.ModelChoiceFilter(
        label=_("Sozialraum / Ort"),
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

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Full text first; a trigram match on the title catches typos ("Babymasage").
        query = SearchQuery(value, config=SUCHKONFIGURATION, search_type="websearch")
        return queryset.filter(Q(suchvektor=query) | Q(titel__trigram_word_similar=value))

    def filter_alter(self, queryset, name, value):
        return queryset.fuer_alter(*value) if value else queryset

    def filter_phase(self, queryset, name, value):
        return queryset.in_lebensphase(LEBENSPHASEN_NACH_SLUG[value])

    def filter_verknuepft(self, queryset, name, value):
        """Any of the chosen values; a semi-join instead of JOIN + DISTINCT over wide rows."""
        if not value:
            return queryset
        through = getattr(Angebot, name).through
        ziel = getattr(Angebot, name).field.m2m_reverse_field_name()
        return queryset.filter(
            pk__in=through.objects.filter(**{f"{ziel}__in": value}).values("angebot_id")
        )

    def filter_thema(self, queryset, name, value):
        if not value:
            return queryset
        # Choosing a main topic includes its subtopics.
        ids = {t.pk for t in value} | set(
            Thema.objects.filter(oberthema__in=value).values_list("pk", flat=True)
        )
        return queryset.filter(
            pk__in=Angebot.themen.through.objects.filter(thema_id__in=ids).values("angebot_id")
        )

    def filter_sozialraum(self, queryset, name, value):
        ids, ebene = {value.pk}, [value.pk]
        while ebene:
            ebene = list(
                Sozialraum.objects.filter(uebergeordnet__in=ebene).values_list("pk", flat=True)
            )
            ids.update(ebene)
        return queryset.filter(
            Q(anbieter__sozialraum__in=ids)
            | Q(
                pk__in=Angebot.einzugsgebiet.through.objects.filter(sozialraum_id__in=ids).values(
                    "angebot_id"
                )
            )
        )

    def nach_ort(self, queryset, punkt, km):
        return im_umkreis_oder_einzugsgebiet(queryset, punkt, km)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sortierung = self.form.cleaned_data.get("sortierung") if self.is_bound else None
        if self.ort and sortierung in (None, "", "entfernung"):
            return queryset
        if sortierung == "geprueft":
            return queryset.order_by(F("geprueft_am").desc(nulls_last=True), "titel", "pk")
        return queryset.order_by("titel", "pk")


def im_umkreis_oder_einzugsgebiet(queryset, punkt, km):
    """Offerings within `km`, nearest first, then those whose Einzugsgebiet covers the point."""
    gebiete = Angebot.einzugsgebiet.through.objects.filter(sozialraum__flaeche__intersects=punkt)
    gebiet_name = Subquery(
        gebiete.filter(angebot_id=OuterRef("pk")).order_by("pk").values("sozialraum__name")[:1]
    )

    return (
        # A UNION, not an OR: each half can use its own index (GiST on standort).
        queryset.filter(
            pk__in=Angebot.objects.filter(standort__dwithin=(punkt, D(km=km)))
            .order_by()  # Meta.ordering would sort this half for nothing
            .values("pk")
            .union(gebiete.values("angebot_id"))
        )
        .annotate(entfernung=Distance("standort", punkt), gebiet=gebiet_name)
        .order_by(
            EntfernungOperator(
                F("standort"), Value(punkt, output_field=PointField(geography=True))
            ).asc(nulls_last=True),
            "titel",
            "pk",
        )
    )


FACETTEN_SQL = """
WITH treffer (id) AS MATERIALIZED ({ids}),
zeilen AS MATERIALIZED (
    SELECT a.format, a.kosten, a.barrierefrei, a.kinderbetreuung, a.anmeldung_erforderlich
    FROM angebote_angebot a JOIN treffer t ON t.id = a.id
)
SELECT 'format', format, count(*) FROM zeilen GROUP BY format
UNION ALL SELECT 'kostenlos', 'on', count(*) FILTER (WHERE kosten = 'kostenlos') FROM zeilen
UNION ALL SELECT 'barrierefrei', 'on', count(*) FILTER (WHERE barrierefrei) FROM zeilen
UNION ALL SELECT 'kinderbetreuung', 'on', count(*) FILTER (WHERE kinderbetreuung) FROM zeilen
UNION ALL SELECT 'ohne_anmeldung', 'on', count(*) FILTER (WHERE NOT anmeldung_erforderlich)
    FROM zeilen
UNION ALL SELECT 'sprache', s.code, count(*) FROM angebote_angebot_sprachen x
    JOIN treffer t ON t.id = x.angebot_id JOIN akteure_sprache s ON s.id = x.sprache_id
    GROUP BY s.code
UNION ALL SELECT 'zielgruppe', z.slug, count(*) FROM angebote_angebot_zielgruppen x
    JOIN treffer t ON t.id = x.angebot_id JOIN angebote_zielgruppe z ON z.id = x.zielgruppe_id
    GROUP BY z.slug
UNION ALL SELECT 'thema', th.slug, count(*) FROM angebote_angebot_themen x
    JOIN treffer t ON t.id = x.angebot_id JOIN angebote_thema th ON th.id = x.thema_id
    GROUP BY th.slug
UNION ALL SELECT 'hauptthema', coalesce(o.slug, th.slug), count(DISTINCT x.angebot_id)
    FROM angebote_angebot_themen x JOIN treffer t ON t.id = x.angebot_id
    JOIN angebote_thema th ON th.id = x.thema_id
    LEFT JOIN angebote_thema o ON o.id = th.oberthema_id
    GROUP BY coalesce(o.slug, th.slug)
"""


def facetten(queryset):
    """Counts per choice for the current (already filtered) result set.

    One statement: the filtered ids are computed once (a materialised CTE) and every facet
    counts from them, instead of one query per facet each re-running the whole filter.
    """
    ids_sql, params = queryset.order_by().values("pk").query.sql_with_params()
    zahlen = {name: {} for name in ("format", "sprache", "zielgruppe", "thema")}
    haupt = {}
    with connection.cursor() as cursor:
        cursor.execute(FACETTEN_SQL.format(ids=ids_sql), params)
        for facette, wert, anzahl in cursor.fetchall():
            ziel = haupt if facette == "hauptthema" else zahlen.setdefault(facette, {})
            ziel[wert] = anzahl
    # A main topic counts every offering filed under it or any of its subtopics.
    zahlen["thema"].update(haupt)
    return zahlen
