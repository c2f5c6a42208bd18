"""Exports of any list: columns as (header, source) pairs, and the CSV, XLSX and GeoJSON writers.

One export per list: the export view subclasses the list view, so rows, filters and order are the
list's own (`filterset.qs`); an export only chooses columns. Every column is computed in that
one SQL statement – many-to-many values too, aggregated once and joined – so there is no
query per row. The rows stream: CSV and XLSX read them with `COPY … TO STDOUT` (formatted by
PostgreSQL), GeoJSON and iCalendar over a server-side cursor. Memory stays flat.

Text cells that a spreadsheet could read as a formula (starting with = + - @, tab, CR or LF) get
a leading apostrophe in CSV and XLSX. Numbers, dates and booleans stay typed values.
"""

import csv
import datetime
import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import numpy as np
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL, Ref
from django.db.models.functions import Concat, NullIf
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from isal import isal_zlib

from atlas import lesereplik
from atlas.drosselung import drosseln

from .listen import aktive_filter
from .protokoll import export_festhalten
from .rollen import ist_staff, sieht_alles
from .uebersetzung import Herkunft, Uebersetzung, zielsprachen

TEXT, ZAHL, KOMMAZAHL, DATUM, ZEIT, JANEIN = "text", "zahl", "kommazahl", "datum", "zeit", "janein"
FORMATE = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "ics": "text/calendar; charset=utf-8",
}
# Query parameters of the export itself; everything else is the list's filter.
EIGENE_PARAMETER = ("intern", "kopf", "seite")
# Rows fetched per round trip from the server-side cursor.
HAPPEN = 2000
FORMEL_ANFAENGE = "=+-@\t\r\n"


def neutral(text):
    """A text a spreadsheet shows as text, never runs: a leading ' before = + - @ tab CR LF."""
    if text and text[0] in FORMEL_ANFAENGE:
        return "'" + text
    return text


@dataclass(frozen=True)
class Spalte:
    """One column: the header first (pretix style), then where the value comes from."""

    titel: Any  # header; a lazy translation, rendered in the request's language
    quelle: Any  # field path ("anbieter__name") or an expression computed in SQL
    art: str = TEXT
    breite: int = 16  # XLSX column width in characters
    schluessel: str = ""  # GeoJSON property name; defaults to the field path
    wahl: Any = None  # TextChoices whose labels replace the stored values

    @property
    def name(self):
        return self.schluessel or str(self.quelle).replace("__", "_")

    @property
    def ausdruck(self):
        return F(self.quelle) if isinstance(self.quelle, str) else self.quelle


class Laenge(Func):
    """Longitude of a geography point; ST_X needs a geometry."""

    function = "ST_X"
    template = "%(function)s(%(expressions)s::geometry)"
    output_field = FloatField()


class Breite(Laenge):
    function = "ST_Y"


class Kilometer(Func):
    """A Distance annotation (metres) in km, two decimals."""

    template = "round((%(expressions)s / 1000.0)::numeric, 2)::float8"
    output_field = FloatField()


class TextVerbunden(Func):
    """concat_ws: the non-empty parts joined by a separator, NULL parts left out."""

    function = "concat_ws"
    output_field = TextField()


def verbunden(*teile, trenner=", "):
    return TextVerbunden(
        Value(trenner), *(NullIf(F(t) if isinstance(t, str) else t, Value("")) for t in teile)
    )


@dataclass(frozen=True)
class Aufzaehlung:
    """Column source: the related rows' values joined into one text ("Arabisch, Deutsch").

    Aggregated once for the whole table and joined to the export's rows (see export_sql()):
    a subquery per row cost about 3 µs per row and relation, an aggregate joined by hash a
    fraction of that on 250,000 offerings. With `kopie`, the row's own copy of the ids names
    them instead (Kopienamen, Kopieaufzaehlung): no link table read at all.
    """

    zeilen: Any  # queryset of the related rows (scope filters included)
    schluessel: str  # its column pointing at the export row, e.g. "angebot_id"
    wert: Any  # text per related row: a field path or an expression
    aussen: str = "pk"  # the export row's field it points at, e.g. "anbieter_id"
    ordnung: Any = None  # order inside the text; None: the database's (cheapest)
    trenner: str = ", "
    # A copy of the related ids on the export row itself, sorted (e.g. "themen_ids"), and the
    # vocabulary's (id, name) rows: an export of given ids names them per row (Kopienamen).
    kopie: str = ""
    vokabular: Any = None
    # Or, with `kopie`, the related model's rows the reader may see (scope included) and their
    # text field: the row's few related rows are named by a subquery (Kopieaufzaehlung).
    ziele: Any = None
    zielwert: str = "name"

    def sql(self, schluessel_sql=None):
        """(sql, params) of the aggregate; `schluessel_sql` (a subquery of the export rows'
        keys) limits it to the rows the export holds."""
        wert = F(self.wert) if isinstance(self.wert, str) else self.wert
        extra = {"order_by": self.ordnung} if self.ordnung else {}
        zeilen = self.zeilen
        if schluessel_sql:
            zeilen = zeilen.filter(**{f"{self.schluessel}__in": RawSQL(schluessel_sql, [])})
        abfrage = (
            zeilen.order_by()
            .annotate(export_k=F(self.schluessel))
            .values("export_k")
            # The delimiter goes in as plain text: Django 5.2's StringAgg wraps it in
            # Value(str(…)) itself, so a Value here joined "Deutsch" and "Türkisch" with
            # the text "Value(', ')".
            .annotate(text=StringAgg(wert, self.trenner, **extra))
            .values_list("export_k", "text")
        )
        return abfrage.query.sql_with_params()


def aufzaehlung(queryset, fremdschluessel, wert, *, aussen="pk", trenner=", ", ordnung=None):
    """Related values of each row joined into one text by the database (no query per row).

    `queryset` holds the related rows, `fremdschluessel` is its column pointing at the outer row
    (`aussen`), `wert` the text (a field path or an expression).
    """
    return Aufzaehlung(queryset, fremdschluessel, wert, aussen, ordnung or wert, trenner)


def namen(durch, fremdschluessel, ziel, *, feld="name", aussen="pk", trenner=", ", kopie=""):
    """Names of a row's vocabulary entries (themes, languages, …) through the M2M table `durch`.

    In the vocabulary's order (by id: "Deutsch, Türkisch"), the same in every file; the order
    the rows happen to be read in changed with the order the links were saved in. Sorting each
    group by the link table's own id column needs no further join: about 0.15 s per relation on
    250,000 offerings, within the export bench's noise. (Looking the names up in a constant
    array instead of the join measured slower: PostgreSQL parses the array literal per row.)

    `kopie`: a column of the export row holding the same ids sorted (a trigger-kept copy such
    as "themen_ids"); an export of given ids (export_sql with `ids`) names them from it.
    """
    vokabular = durch.model._meta.get_field(ziel).related_model._default_manager.values_list(
        "pk", feld
    )
    return Aufzaehlung(
        durch, fremdschluessel, f"{ziel}__{feld}", aussen, f"{ziel}_id", trenner, kopie, vokabular
    )


@dataclass(frozen=True)
class Uebersetzungswert:
    """Column source: one translation text or its language's provenance (uebersetzungs_spalten).

    The translation columns of one content type are one relation: atlas_uebersetzung grouped
    once by record, each column a filtered aggregate, joined by hash to the export's rows (see
    export_sql()). A subquery per column and row cost ~42 SubPlans per row on the staff offering
    export (bench/RESULTS-export.md). (inhaltstyp, objekt_id, feld, sprache) is unique
    (uebersetzung_eine_je_feld_und_sprache), so a text's aggregate sees at most one row.
    """

    inhaltstyp: int  # ContentType id
    sprache: str
    feld: str  # the translated field, or with `herkunft` "uebersetzt_von"/"herkunft"/"geprueft"
    herkunft: bool = False
    aussen = "pk"

    def aggregat(self):
        """(sql, params) of this column's aggregate over the rows `u` of one record."""
        if self.herkunft:
            # The language's first translation with a translator's name, else its first, by
            # field name: as the page names its provenance.
            return (
                f"(array_agg(u.{self.feld} ORDER BY u.uebersetzt_von = '', u.feld) "
                "FILTER (WHERE u.sprache = %s))[1]",
                [self.sprache],
            )
        text = "max(u.text) FILTER (WHERE u.sprache = %s AND u.feld = %s)"
        return text, [self.sprache, self.feld]


def _uebersetzungen_sql(inhaltstyp, werte, schluessel_sql=None):
    """(sql, params): the record's translation columns `werte` (Uebersetzungswert) as w0, w1, …
    per objekt_id (export_k); `schluessel_sql` limits it to the export's keys."""
    auswahl, params = [], []
    for i, wert in enumerate(werte):
        sql, extra = wert.aggregat()
        auswahl.append(f"{sql} AS w{i}")
        params += extra
    tabelle = connections["default"].ops.quote_name(Uebersetzung._meta.db_table)
    sql = (
        f"SELECT u.objekt_id AS export_k, {', '.join(auswahl)} FROM {tabelle} u "
        "WHERE u.inhaltstyp_id = %s"
    )
    params.append(inhaltstyp)
    if schluessel_sql:
        sql += f" AND u.objekt_id IN ({schluessel_sql})"
    return sql + " GROUP BY u.objekt_id", params


# Relations with an id copy on the row (`Aufzaehlung.kopie`) are named from it in every file
# (Kopienamen, Kopieaufzaehlung); off, from their link tables – the tests' reference.
AUS_KOPIEN = True
# A vocabulary with ids above this is named by the aggregate, not by a per-id array.
KOPIE_HOECHSTE_ID = 10_000
# Rows with at most this many ids are named without a subquery (most have one to three).
KOPIE_DIREKT = 4


class Kopienamen(Func):
    """The names of the ids in a row's sorted id copy (`kopie`), joined: "Deutsch, Türkisch".

    The names arrive as one array indexed by id, evaluated once per statement (an InitPlan,
    not parsed per row); a row with up to KOPIE_DIREKT ids is named by plain subscripts,
    without a subquery per row. Same text as the aggregate: the copy is sorted by id, as
    namen() orders, and a row without ids gives NULL.
    """

    output_field = TextField()

    def __init__(self, kopie, namen, trenner):
        super().__init__(F(kopie))
        self.namen, self.trenner = namen, trenner

    def as_sql(self, compiler, connection, **extra):
        spalte, spalte_params = compiler.compile(self.source_expressions[0])
        if spalte_params:
            raise ValueError("Kopienamen: a plain column is expected")
        namen = "(SELECT %s::text[])"
        direkt = ", ".join(f"{namen}[{spalte}[{k}]]" for k in range(1, KOPIE_DIREKT + 1))
        sql = (
            f"CASE WHEN cardinality({spalte}) <= {KOPIE_DIREKT} "
            f"THEN NULLIF(concat_ws(%s, {direkt}), '') "
            f"ELSE (SELECT string_agg({namen}[x], %s) FROM unnest({spalte}) x) END"
        )
        return sql, [self.trenner, *[self.namen] * KOPIE_DIREKT, self.namen, self.trenner]


class Kopieaufzaehlung(Func):
    """The texts of the related rows whose ids a row's sorted copy (`kopie`) holds, joined in
    the order of that text – the aggregate's text – for the rows that have any: a subquery
    only where the copy is not empty (partners: one row in six on the bench)."""

    output_field = TextField()

    def __init__(self, kopie, ziele, wert, trenner):
        super().__init__(F(kopie))
        self.ziele, self.wert, self.trenner = ziele, wert, trenner

    def as_sql(self, compiler, connection, **extra):
        spalte, spalte_params = compiler.compile(self.source_expressions[0])
        if spalte_params:
            raise ValueError("Kopieaufzaehlung: a plain column is expected")
        modell, name = self.ziele.model._meta, connection.ops.quote_name
        schluessel = f"{name(modell.db_table)}.{name(modell.pk.column)}"
        sichtbar = self.ziele.order_by().filter(
            RawSQL(f"{schluessel} = ANY({spalte})", [], output_field=BooleanField())
        )
        innen, params = sichtbar.values("pk").query.sql_with_params()
        wert = f"z.{name(modell.get_field(self.wert).column)}"
        sql = (
            f"CASE WHEN cardinality({spalte}) > 0 THEN (SELECT string_agg({wert}, %s "
            f"ORDER BY {wert}) FROM {name(modell.db_table)} z "
            f"WHERE z.{name(modell.pk.column)} IN ({innen})) END"
        )
        return sql, [self.trenner, *params]


def _namen_nach_id(aufzaehlung):
    """[name of id 1, name of id 2, …] of the Aufzaehlung's vocabulary; None when it has no
    id copy or its ids do not fit a small array."""
    if not aufzaehlung.kopie or aufzaehlung.vokabular is None:
        return None
    paare = list(aufzaehlung.vokabular.order_by())
    if not paare:
        return []
    hoechste = max(pk for pk, _ in paare)
    if min(pk for pk, _ in paare) < 1 or hoechste > KOPIE_HOECHSTE_ID:
        return None
    namen = [None] * hoechste
    for pk, name in paare:
        namen[pk - 1] = name
    return namen


def link_teile(request, url_name, beispiel="slug-platzhalter", argument="slug"):
    """The absolute URL of `url_name` split around its slug (or pk): one reverse() per export."""
    url = request.build_absolute_uri(reverse(url_name, kwargs={argument: beispiel}))
    return url.split(str(beispiel))


class Adresse(Concat):
    """A URL we build ourselves ("https://…"): it can never read as a formula."""

    def __init__(self, *teile):
        super().__init__(*teile, output_field=TextField())


def sichtbarer_wert(user, modell, pfad, feld="name"):
    """Expression: `feld` of the `modell` record at `pfad` (e.g. "traeger"), empty where `user`
    may not read that record (`sichtbar_q`; `user` None: the public).

    A join along the foreign key, not a subquery per row; a scope is one hashed subquery.
    """
    wert = F(f"{pfad}__{feld}")
    if sieht_alles(user):
        return wert
    return Case(When(modell._default_manager.sichtbar_q(user, f"{pfad}__"), then=wert))


def link(request, url_name, feld="slug"):
    """Expression: the absolute URL of each row's page, built in SQL."""
    vorne, hinten = link_teile(request, url_name)
    return Adresse(Value(vorne), F(feld), Value(hinten))


class Tabelle:
    """What one list exports: columns, file name, point for GeoJSON, permission and scope."""

    name = ""  # file-name stem: angebote-2026-11-21.csv
    titel = ""  # sheet name and first line of the header block
    standort = None  # path of a PointField: rows get a GeoJSON geometry
    recht = ""  # "app.export_model": needed for non-public rows and columns

    def spalten(self, request, *, intern, filterset=None):
        raise NotImplementedError

    def intern_queryset(self, user):
        """The rows a staff user may export: drafts included, within the user's scope."""
        raise NotImplementedError


def _sortierung(queryset):
    """The queryset without its ORDER BY, the order's terms as columns, and the ORDER BY.

    The terms are resolved by Django's compiler exactly as for the list page (an ordering by a
    relation becomes that model's ordering, an annotation its expression) and selected as
    export_sort_<i>, so the export sorts once, after the joins, in the list's order.
    """
    query = queryset.query.clone()
    begriffe = []
    for i, (ordnung, _sql) in enumerate(query.get_compiler(queryset.db).get_order_by()):
        ausdruck = ordnung.expression
        if isinstance(ausdruck, Ref):
            ausdruck = ausdruck.source
        query.add_annotation(ausdruck, f"export_sort_{i}")
        richtung = "DESC" if ordnung.descending else "ASC"
        if ordnung.nulls_first:
            richtung += " NULLS FIRST"
        elif ordnung.nulls_last:
            richtung += " NULLS LAST"
        begriffe.append((f"export_sort_{i}", richtung))
    query.clear_ordering(force=True)
    ohne_ordnung = queryset.all()
    ohne_ordnung.query = query
    return ohne_ordnung, begriffe


# Below this share of the table's rows (the planner's estimate) an export aggregates its
# relations for its own rows only.
ANTEIL_EINGESCHRAENKT = 0.4


def _wenige_zeilen(queryset, sql, params):
    """Whether the planner expects the export's rows to be a small part of the table."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        tabelle = cursor.fetchone()[0]
    # reltuples is -1 for a table never analysed: then the rows' own estimate decides.
    return plan[0]["Plan"]["Plan Rows"] < ANTEIL_EINGESCHRAENKT * max(tabelle, 1000)


def export_sql(queryset, spalten, formatieren=None, ids=None):
    """The one statement of an export: the list's query with the export's columns.

        SELECT <columns, formatted> FROM (<the list's query, unordered>) t
          LEFT JOIN (<relation aggregated by key>) a0 ON a0.export_k = t.schluessel_pk …
        ORDER BY t.export_sort_0, …          -- the list's ORDER BY, see _sortierung()

    The inner query is the queryset itself – its filters and scope exactly as the list's –
    with one alias per plain column. When the planner expects it to hold a small part of the
    table (`_wenige_zeilen`), it becomes `WITH t AS MATERIALIZED (…)` and each relation is
    aggregated only for the keys in t: a filtered list no longer aggregates whole link tables.

    `ids` (the rows' keys in list order, from a search index that has already filtered them):
    the inner query is `queryset` limited to those keys (`pk = ANY(…)`, an index scan; the
    queryset then only needs its cheap conditions), and the file is ordered by each key's
    place in `ids` – no filter, no sort by title; relations are aggregated for those keys.

    In every shape, relations with an id copy on the row (`Aufzaehlung.kopie`) are named from
    it (Kopienamen, Kopieaufzaehlung; see AUS_KOPIEN), not aggregated from their link table.

    `formatieren(spalte, sql)` may wrap each column for CSV
    or XLSX; the columns are named only by alias there, so a value is computed once however
    often a format repeats it. Returns (sql, params).
    """
    werte, relationen, quellen = {}, [], []
    uebersetzungen = {}  # content type id: its Uebersetzungswert columns, one relation
    if ids is not None:
        werte["schluessel_pk"] = F("pk")
    for i, spalte in enumerate(spalten):
        quelle = spalte.quelle
        if isinstance(quelle, Aufzaehlung):
            namen = _namen_nach_id(quelle) if AUS_KOPIEN else None
            if namen is not None and quelle.aussen == "pk":
                werte[f"spalte_{i}"] = Kopienamen(quelle.kopie, namen, quelle.trenner)
                quellen.append(f"t.spalte_{i}")
                continue
            if AUS_KOPIEN and quelle.ziele is not None and quelle.aussen == "pk":
                werte[f"spalte_{i}"] = Kopieaufzaehlung(
                    quelle.kopie, quelle.ziele, quelle.zielwert, quelle.trenner
                )
                quellen.append(f"t.spalte_{i}")
                continue
            werte.setdefault(f"schluessel_{quelle.aussen}", F(quelle.aussen))
            quellen.append(f"a{len(relationen)}.text")
            relationen.append(quelle)
        elif isinstance(quelle, Uebersetzungswert):
            werte.setdefault("schluessel_pk", F("pk"))
            spalten_des_typs = uebersetzungen.setdefault(quelle.inhaltstyp, [])
            k = list(uebersetzungen).index(quelle.inhaltstyp)
            quellen.append(f"u{k}.w{len(spalten_des_typs)}")
            spalten_des_typs.append(quelle)
        else:
            werte[f"spalte_{i}"] = spalte.ausdruck
            quellen.append(f"t.spalte_{i}")
    ordnung, ordnung_params = "", []
    if ids is not None:
        # As literals: psycopg would dump a list of 30,000 ints in Python (~0.3 s). Digits and
        # commas only, so the keys' subquery may hold the literal itself.
        ids = np.asarray(ids, dtype=np.int64)
        reihe = np.argsort(ids, kind="stable")
        schluessel_liste = "{" + ",".join(map(str, ids[reihe].tolist())) + "}"
        modell, name = queryset.model._meta, connections[queryset.db].ops.quote_name
        spalte = f"{name(modell.db_table)}.{name(modell.pk.column)}"
        basis = (
            queryset.prefetch_related(None)
            .order_by()
            .filter(
                RawSQL(
                    f"{spalte} = ANY(%s::bigint[])",
                    [schluessel_liste],
                    output_field=BooleanField(),
                )
            )
        )
        innen_sql, innen_params = (
            basis.annotate(**werte).values_list(*werte).query.sql_with_params()
        )
        # Each key's place in the list: width_bucket() finds the key in the sorted keys by
        # binary search, the second array holds that key's place. Joining the keys WITH
        # ORDINALITY cost a hash of the wide rows besides the sort (bench/RESULTS-export.md).
        ordnung = " ORDER BY (%s::int[])[width_bucket(t.schluessel_pk, %s::bigint[])]"
        ordnung_params = ["{" + ",".join(map(str, reihe.tolist())) + "}", schluessel_liste]
    else:
        basis, begriffe = _sortierung(queryset.prefetch_related(None))
        innen = basis.annotate(**werte).values_list(*werte, *(name for name, _ in begriffe))
        innen_sql, innen_params = innen.query.sql_with_params()
        if begriffe:
            ordnung = " ORDER BY " + ", ".join(f"t.{name} {r}" for name, r in begriffe)
    auswahl, params = [], []
    for spalte, quelle in zip(spalten, quellen, strict=True):
        sql, extra = formatieren(spalte, quelle) if formatieren else (quelle, [])
        auswahl.append(sql)
        params += extra
    mit = ""
    if ids is not None:
        # The rows read by key, no CTE: it copied each wide row once more. OFFSET 0 keeps the
        # subquery whole – flattened, a column's subquery (names from a copy, the partners)
        # ran once per mention in its formatting, up to three times per row.
        von = f"({innen_sql} OFFSET 0) t"
        params += innen_params
        schluessel = {"pk": f"SELECT unnest('{schluessel_liste}'::bigint[])"}
    elif (relationen or uebersetzungen) and _wenige_zeilen(queryset, innen_sql, innen_params):
        # A filtered list (a topic's 30,000 of 250,000 rows): its rows once, as a CTE, and
        # each relation aggregated for those rows only, not for the whole link table.
        mit, von = f"WITH t AS MATERIALIZED ({innen_sql}) ", "t"
        params = [*innen_params, *params]
        schluessel = {r.aussen: f"SELECT t.schluessel_{r.aussen} FROM t" for r in relationen}
        schluessel["pk"] = "SELECT t.schluessel_pk FROM t"
    else:
        # Most of the table: aggregating every link row costs less than the semi-joins, and
        # the rows need not be materialised (bench/RESULTS-export.md). OFFSET 0 keeps the
        # subquery whole: flattened, a column's subquery ran once per mention in its format.
        von = f"({innen_sql} OFFSET 0) t"
        params += innen_params
        schluessel = {}
    for j, relation in enumerate(relationen):
        sql, extra = relation.sql(schluessel.get(relation.aussen))
        von += f" LEFT JOIN ({sql}) a{j} ON a{j}.export_k = t.schluessel_{relation.aussen}"
        params += extra
    for k, (inhaltstyp, spalten_des_typs) in enumerate(uebersetzungen.items()):
        sql, extra = _uebersetzungen_sql(inhaltstyp, spalten_des_typs, schluessel.get("pk"))
        von += f" LEFT JOIN ({sql}) u{k} ON u{k}.export_k = t.schluessel_pk"
        params += extra
    return f"{mit}SELECT {', '.join(auswahl)} FROM {von}{ordnung}", [*params, *ordnung_params]


def _wandler(spalte):
    if spalte.wahl is not None:
        texte = {wert: str(text) for wert, text in spalte.wahl.choices}
        return lambda wert: texte.get(wert, wert)
    if spalte.art == ZEIT:
        # Local time with its offset, as the pages show it.
        return lambda wert: timezone.localtime(wert) if wert else wert
    return None


def _exportsitzung(cursor, *, nach_schluessel=False):
    # The planner's large cost estimate for a whole-table export would switch on JIT
    # compilation: seconds of compiling for a query that runs a few. A little more sort
    # memory keeps the final sort off the disk more often. This transaction only.
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL work_mem = '32MB'")
    if nach_schluessel:
        # A file by ids reads its rows by key. Once the table's rows have moved (an UPDATE of
        # many rows), the planner took a sequential scan of the whole table for a tenth of
        # its rows: 0.65 s of backend CPU against 0.58 s by key (bench/RESULTS-export.md).
        cursor.execute("SET LOCAL enable_seqscan = off")


def zeilen(queryset, spalten, ids=None):
    """The rows as lists of Python values over a server-side cursor (GeoJSON, iCalendar).

    Inside a transaction, psycopg's named cursor reads HAPPEN rows per round trip while the
    query runs; outside one Django would declare it WITH HOLD, which makes PostgreSQL compute
    the whole result before the first row. The generator holds the transaction until the last
    row or until it is closed (the client went away), which rolls back a read-only transaction.
    """
    sql, params = export_sql(queryset, spalten, ids=ids)
    wandler = [(i, f) for i, spalte in enumerate(spalten) if (f := _wandler(spalte))]
    verbindung = connections[queryset.db]
    with transaction.atomic(using=queryset.db):
        with verbindung.cursor() as cursor:
            _exportsitzung(cursor, nach_schluessel=ids is not None)
        cursor = verbindung.chunked_cursor()
        try:
            cursor.execute(sql, params)
            while happen := cursor.fetchmany(HAPPEN):
                for zeile in happen:
                    if wandler:
                        zeile = list(zeile)
                        for i, f in wandler:
                            zeile[i] = f(zeile[i])
                    yield zeile
        finally:
            cursor.close()


# --- Reading the rows with COPY ------------------------------------------------------------------
# CSV and XLSX read the rows with COPY (<export_sql()>) TO STDOUT: PostgreSQL formats the values
# in C and keeps sending while Python writes, where a cursor would wait for each batch. The
# outer SELECT formats each column (text neutralised, numbers, dates, booleans, choices). A
# Python csv.writer alone managed about 16,000 rows/s with the staff columns on the bench
# machine (bench/RESULTS-export.md has the figures of this path).

# ascii() of the first character: an integer, no text copied per cell as left(…, 1) would.
FORMEL_SQL = ", ".join(str(ord(z)) for z in FORMEL_ANFAENGE)


def _format_sql(spalte, wert, flavour):
    """SQL formatting one column (`wert` names it) for "csv" or "xlsx"; (sql, params)."""
    if spalte.wahl is not None:
        wenn = " ".join("WHEN %s THEN %s" for _ in spalte.wahl.choices)
        params = [x for schluessel, text in spalte.wahl.choices for x in (schluessel, str(text))]
        return f"CASE {wert} {wenn} ELSE {wert} END", params
    art = spalte.art
    if art == TEXT and isinstance(spalte.quelle, Adresse):
        return wert, []
    if art == TEXT:
        sql = f"CASE WHEN ascii({wert}) IN ({FORMEL_SQL}) THEN '''' || {wert} ELSE {wert} END"
        # Excel holds at most 32,767 characters in a cell.
        return (sql if flavour == "csv" else f"left({sql}, {EXCEL_TEXT_MAX})"), []
    if art == JANEIN:
        ja, nein = (_("ja"), _("nein")) if flavour == "csv" else ("1", "0")
        return f"CASE WHEN {wert} THEN %s WHEN NOT {wert} THEN %s END", [ja, nein]
    if flavour == "csv":
        if art == KOMMAZAHL:
            # German Excel reads "48.74" as a date or text; the decimal comma keeps it a number.
            return f"replace(({wert})::text, '.', ',')", []
        if art == DATUM:
            return f"to_char({wert}, 'DD.MM.YYYY')", []
        if art == ZEIT:
            return f"to_char({wert} AT TIME ZONE %s, 'DD.MM.YYYY HH24:MI')", [_zone()]
        return f"({wert})::text", []
    # XLSX: dates as Excel's serial numbers (days since 1899-12-30), local time for times.
    if art == DATUM:
        return f"(({wert}) - DATE '1899-12-30')::text", []
    if art == ZEIT:
        tage = f"extract(epoch FROM ({wert}) AT TIME ZONE %s - TIMESTAMP '1899-12-30') / 86400"
        return f"round({tage}, 6)::text", [_zone()]
    return f"({wert})::text", []


def _zone():
    return timezone.get_current_timezone_name()


# The cells' separator in COPY's CSV: ";" for German Excel; a tab for XLSX, whose blocks are
# escaped for XML before they are parsed (xml_sicher), and "&amp;" holds a ";".
TRENNER = {"csv": ";", "xlsx": "\t"}


def kopie(queryset, spalten, flavour, ids=None):
    """The formatted rows as COPY CSV blocks (one row per block, LF line ends)."""
    sql, params = export_sql(queryset, spalten, lambda s, w: _format_sql(s, w, flavour), ids=ids)
    befehl = f"COPY ({sql}) TO STDOUT (FORMAT csv, DELIMITER '{TRENNER[flavour]}')"
    with transaction.atomic(using=queryset.db), connections[queryset.db].cursor() as cursor:
        _exportsitzung(cursor, nach_schluessel=ids is not None)
        # psycopg merges the params client-side: COPY takes no bound parameters.
        with cursor.cursor.copy(befehl, params) as daten:
            yield from daten


# --- CSV -----------------------------------------------------------------------------------------


def csv_zeile(werte):
    puffer = io.StringIO()
    csv.writer(puffer, delimiter=";", lineterminator="\r\n").writerow(werte)
    return puffer.getvalue()


class Zeilenenden:
    """LF → CRLF at the ends of CSV records, not inside quoted cells (COPY writes LF only).

    Quotes occur only around quoted cells (doubled inside them), so their count tells whether
    a position is inside a cell; the state carries over from one block to the next.
    """

    def __init__(self):
        self.in_zelle = False

    def __call__(self, block):
        teile = block.split(b'"')
        for i in range(1 if self.in_zelle else 0, len(teile), 2):
            teile[i] = teile[i].replace(b"\n", b"\r\n")
        if len(teile) % 2 == 0:  # an odd number of quotes
            self.in_zelle = not self.in_zelle
        return b'"'.join(teile)


def csv_teile(queryset, spalten, *, kopfzeilen=(), ids=None):
    """CSV for German Excel: UTF-8 with BOM (umlauts survive a double-click), `;`, CRLF."""
    kopf = "".join(csv_zeile([f"# {z}"]) for z in kopfzeilen)
    kopf += csv_zeile([neutral(str(s.titel)) for s in spalten])
    yield ("\ufeff" + kopf).encode()
    crlf = Zeilenenden()
    puffer, groesse = [], 0
    for block in kopie(queryset, spalten, "csv", ids):
        puffer.append(block)
        groesse += len(block)
        if groesse >= 256 * 1024:
            yield crlf(b"".join(puffer))
            puffer, groesse = [], 0
    yield crlf(b"".join(puffer))


def xlsx_werte(queryset, spalten, ids=None):
    """The rows as lists of strings formatted for XLSX and escaped for its XML (xml_sicher;
    '' = empty), parsed from COPY CSV. Read in blocks of about 256 kB: each is escaped and
    decoded at once, so Python does no work per cell before writing it."""
    puffer, groesse = [], 0
    for block in kopie(queryset, spalten, "xlsx", ids):
        # One block per record (the server sends one message per row): a batch ends with one.
        puffer.append(block)
        groesse += len(block)
        if groesse >= 256 * 1024:
            yield from _csv_werte(puffer)
            puffer, groesse = [], 0
    yield from _csv_werte(puffer)


def _csv_werte(bloecke):
    text = xml_sicher(b"".join(bloecke)).decode()
    return csv.reader(io.StringIO(text, newline=""), delimiter=TRENNER["xlsx"])


# --- XLSX --------------------------------------------------------------------------------------
# Written by hand rather than with openpyxl: its write-only mode managed about 2,700 rows/s with
# 27 columns on the bench machine (lxml made no difference), far from the 15,000 required. The
# package below is the minimal SpreadsheetML that Excel, LibreOffice and openpyxl read: inline
# strings, typed number/date/boolean cells, one style sheet, frozen header, autofilter.

XML_KOPF = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# Characters XML 1.0 does not allow (control characters except tab, LF, CR) are dropped.
# A literal CR would read back as LF (XML line-end handling), so it is written as a reference.
XML_TABELLE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", 13: "&#13;"} | {
    c: None for c in range(32) if c not in (9, 10, 13)
}
XML_TABELLE |= {0xFFFE: None, 0xFFFF: None}
EXCEL_TEXT_MAX = 32767
# Excel's day 0 is 1899-12-30 (counting the 1900 leap day that never was).
EXCEL_EPOCHE = datetime.date(1899, 12, 30).toordinal()
# cellXfs in STILE: 0 default, 1 title, 2 header, 3 date, 4 date and time
STIL_TITEL, STIL_KOPF, STIL_DATUM, STIL_ZEIT = 1, 2, 3, 4

INHALTSTYPEN = (
    XML_KOPF + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
PAKET_BEZIEHUNGEN = (
    XML_KOPF + f'<Relationships xmlns="{NS_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{NS_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
MAPPE_BEZIEHUNGEN = (
    XML_KOPF + f'<Relationships xmlns="{NS_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{NS_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{NS_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STILE = (
    XML_KOPF + f'<styleSheet xmlns="{NS_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy hh:mm"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE7EEF5"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    # 14: the short date of the reader's locale (TT.MM.JJJJ in German Excel).
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Standard" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def spaltenbuchstabe(nummer):
    """1 → A, 27 → AA."""
    buchstaben = ""
    while nummer:
        nummer, rest = divmod(nummer - 1, 26)
        buchstaben = chr(65 + rest) + buchstaben
    return buchstaben


# The control characters XML 1.0 does not allow, as bytes (UTF-8 never uses them otherwise).
_STEUERBYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


def xml_sicher(daten):
    """COPY CSV output (bytes) with every cell's text escaped as XML_TABELLE does per text:
    & < > and CR as references, the characters XML does not allow dropped.

    Safe on whole records: none of these is CSV syntax (; " LF), and COPY ends its records
    with LF, so a CR can only stand inside a quoted cell. Numbers and dates hold none of them.
    """
    daten = daten.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
    daten = daten.replace(b"\r", b"&#13;").translate(None, _STEUERBYTES)
    if b"\xef\xbf" in daten:  # U+FFFE, U+FFFF
        daten = daten.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return daten


# str.translate with a dict costs about a microsecond per call; most texts need no escaping.
_XML_SONDERZEICHEN = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]").search


def xml_text(text):
    text = neutral(text)[:EXCEL_TEXT_MAX]
    return text.translate(XML_TABELLE) if _XML_SONDERZEICHEN(text) else text


# Attributes of a value cell per kind (values arrive formatted by SQL, see kopie());
# None: an inline string.
XLSX_ATTRIBUTE = {
    TEXT: None,
    ZAHL: "",
    KOMMAZAHL: "",
    DATUM: f' s="{STIL_DATUM}"',
    ZEIT: f' s="{STIL_ZEIT}"',
    JANEIN: ' t="b"',
}


def blatt_kompressor():
    """Raw deflate (as a zip entry holds it) for the sheet XML: ISA-L's level 1 took 0.04 s of
    CPU for the 50 MB sheet of 27,895 offerings where zlib's level 1 took 0.16–0.31 s, for a
    file of the same size (bench/RESULTS-export.md, Session 9). zipfile keeps computing the
    entry's CRC and sizes; only its compressor object is replaced."""
    return isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)


def blattname(titel):
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(titel)).strip()[:31] or "Export"


def xlsx_schreiben(datei, *, titel, kopfblock, spalten, zeilen, maskiert=False):
    """Write an XLSX workbook to the open binary file `datei`; returns the number of rows.

    `zeilen` holds the values as strings formatted for XLSX ('' is empty); `maskiert`: their
    texts are escaped for XML already (xlsx_werte), else each text is escaped here.
    The header block (title, export date, filters) sits above the table; everything above
    the first data row is frozen, and the column headers carry an autofilter.
    """
    kopfzeile = len(kopfblock) + 2  # the block, one empty row, then the column headers
    letzte_spalte = spaltenbuchstabe(len(spalten))
    buchstaben = [spaltenbuchstabe(i) for i in range(1, len(spalten) + 1)]
    arten = [None if s.wahl is not None else XLSX_ATTRIBUTE[s.art] for s in spalten]
    sonder = _XML_SONDERZEICHEN
    blatt = blattname(titel)
    with zipfile.ZipFile(datei, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as paket:
        paket.writestr("[Content_Types].xml", INHALTSTYPEN)
        paket.writestr("_rels/.rels", PAKET_BEZIEHUNGEN)
        paket.writestr("docProps/core.xml", _eigenschaften(titel))
        paket.writestr("docProps/app.xml", _anwendung())
        paket.writestr("xl/_rels/workbook.xml.rels", MAPPE_BEZIEHUNGEN)
        paket.writestr("xl/styles.xml", STILE)
        with paket.open("xl/worksheets/sheet1.xml", "w") as xml:
            # The sheet is nearly all of the work after the rows: its deflate by ISA-L.
            # zipfile offers no public way to choose the compressor of an entry.
            xml._compressor = blatt_kompressor()
            breiten = "".join(
                f'<col min="{i}" max="{i}" width="{s.breite}" customWidth="1"/>'
                for i, s in enumerate(spalten, 1)
            )
            oben = f"A{kopfzeile + 1}"
            teile = [
                XML_KOPF,
                f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">',
                '<sheetViews><sheetView workbookViewId="0">'
                f'<pane ySplit="{kopfzeile}" topLeftCell="{oben}" activePane="bottomLeft" '
                'state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{oben}" sqref="{oben}"/>'
                "</sheetView></sheetViews>",
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{breiten}</cols><sheetData>',
            ]
            for r, text in enumerate(kopfblock, 1):
                stil = STIL_TITEL if r == 1 else 0
                teile.append(
                    f'<row r="{r}"><c r="A{r}" t="inlineStr" s="{stil}"><is>'
                    f'<t xml:space="preserve">{xml_text(text)}</t></is></c></row>'
                )
            teile.append(f'<row r="{kopfzeile}">')
            for b, s in zip(buchstaben, spalten, strict=True):
                teile.append(
                    f'<c r="{b}{kopfzeile}" t="inlineStr" s="{STIL_KOPF}"><is>'
                    f'<t xml:space="preserve">{xml_text(str(s.titel))}</t></is></c>'
                )
            teile.append("</row>")
            r = kopfzeile
            for zeile in zeilen:
                r += 1
                nummer = str(r)
                zeichen = [f'<row r="{nummer}">']
                # One search per row: most rows hold nothing to escape.
                escapen = not maskiert and sonder("".join(zeile)) is not None
                for b, attribute, wert in zip(buchstaben, arten, zeile, strict=False):
                    # Empty stays empty: no cell at all, never "None".
                    if not wert:
                        continue
                    if attribute is None:
                        # Neutralised and cut to Excel's 32,767 characters by the SQL already.
                        if escapen and sonder(wert):
                            wert = wert.translate(XML_TABELLE)
                        zeichen.append(
                            f'<c r="{b}{nummer}" t="inlineStr"><is><t xml:space="preserve">{wert}'
                            "</t></is></c>"
                        )
                    else:
                        zeichen.append(f'<c r="{b}{nummer}"{attribute}><v>{wert}</v></c>')
                zeichen.append("</row>")
                teile.append("".join(zeichen))
                if len(teile) >= 500:
                    xml.write("".join(teile).encode())
                    teile.clear()
            bereich = f"A{kopfzeile}:{letzte_spalte}{r}"
            teile.append(f'</sheetData><autoFilter ref="{bereich}"/></worksheet>')
            xml.write("".join(teile).encode())
        absolut = f"$A${kopfzeile}:${letzte_spalte}${r}"
        blatt_ref = "'" + blatt.replace("'", "''") + "'"
        paket.writestr(
            "xl/workbook.xml",
            XML_KOPF + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
            f'<sheets><sheet name={quoteattr(blatt)} sheetId="1" r:id="rId1"/></sheets>'
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
            f'hidden="1">{escape(blatt_ref)}!{absolut}</definedName></definedNames></workbook>',
        )
    return r - kopfzeile


def _eigenschaften(titel):
    jetzt = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        XML_KOPF + "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(str(titel))}</dc:title>"
        f"<dc:creator>{xml_text(settings.SITE_TITLE)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{jetzt}</dcterms:created>'
        "</cp:coreProperties>"
    )


def _anwendung():
    return (
        XML_KOPF + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>'
        f"{xml_text(settings.SITE_TITLE)}</Application></Properties>"
    )


def _datei_teile(datei, block=256 * 1024):
    try:
        while daten := datei.read(block):
            yield daten
    finally:
        datei.close()


# --- GeoJSON -----------------------------------------------------------------------------------


def geojson_teile(spalten, zeilen, *, eigenschaften):
    """A GeoJSON FeatureCollection (RFC 7946, lon/lat), one feature per row, streamed.

    Each row ends with longitude and latitude; rows without a point get `"geometry": null`, so
    the file counts what the list counts.
    """
    schluessel = [s.name for s in spalten]
    kodierer = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))
    kopf = {"type": "FeatureCollection", **eigenschaften}
    yield (kodierer.encode(kopf)[:-1] + ',"features":[\n').encode()
    teile, erste = [], True
    for zeile in zeilen:
        *werte, lon, lat = zeile
        geometrie = (
            {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
            if lon is not None
            else None
        )
        merkmal = {
            "type": "Feature",
            "geometry": geometrie,
            "properties": dict(zip(schluessel, werte, strict=True)),
        }
        teile.append(("" if erste else ",\n") + kodierer.encode(merkmal))
        erste = False
        if len(teile) >= 500:
            yield "".join(teile).encode()
            teile.clear()
    teile.append("\n]}\n")
    yield "".join(teile).encode()


# --- Responses ---------------------------------------------------------------------------------


def dateiname(stamm, format):
    """angebote-2026-11-21.xlsx: the local date of the export."""
    return f"{stamm}-{timezone.localdate().isoformat()}.{format}"


def kopfblock(titel, filter_texte, *, intern, user=None):
    """Lines saying what the file is: title, export date, filters, public or internal."""
    jetzt = timezone.localtime()
    zeilen = [
        str(titel),
        _("Exportiert am %(datum)s um %(zeit)s Uhr")
        % {"datum": date_format(jetzt, "d.m.Y"), "zeit": date_format(jetzt, "H:i")},
        _("Filter: %(filter)s")
        % {"filter": "; ".join(filter_texte) if filter_texte else _("keine")},
    ]
    if intern:
        zeilen.append(
            _(
                "Mit internen Angaben und Entwürfen aus dem Bereich von %(nutzer)s – "
                "nicht weitergeben."
            )
            % {"nutzer": user.get_username()}
        )
    else:
        zeilen.append(_("Nur veröffentlichte Einträge und öffentliche Angaben."))
    return zeilen


def export_antwort(
    request,
    *,
    tabelle,
    queryset,
    format,
    intern,
    filter_texte,
    filterset=None,
    stamm=None,
    ids=None,
):
    """The file of `queryset` in `format` (csv, xlsx, geojson) with `tabelle`'s columns;
    `ids`: its rows' keys in list order, already filtered (see export_sql)."""
    spalten = tabelle.spalten(request, intern=intern, filterset=filterset)
    name = dateiname(stamm or tabelle.name, format)
    block = kopfblock(tabelle.titel, filter_texte, intern=intern, user=request.user)
    if format == "csv":
        # The comment lines are optional (?kopf=1): Excel shows them as rows above the table.
        kopfzeilen = block if request.GET.get("kopf") == "1" else ()
        antwort = StreamingHttpResponse(
            lesereplik.strom(csv_teile(queryset, spalten, kopfzeilen=kopfzeilen, ids=ids)),
            content_type=FORMATE["csv"],
        )
    elif format == "xlsx":
        # A zip cannot be sent before its last row is in; the file goes to disk (a spooled
        # temporary file) row by row and is then streamed, so memory stays flat either way.
        # Closed by the response once sent.
        datei = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
        xlsx_schreiben(
            datei,
            titel=tabelle.titel,
            kopfblock=block,
            spalten=spalten,
            zeilen=xlsx_werte(queryset, spalten, ids),
            maskiert=True,
        )
        groesse = datei.tell()
        datei.seek(0)
        antwort = StreamingHttpResponse(_datei_teile(datei), content_type=FORMATE["xlsx"])
        antwort["Content-Length"] = str(groesse)
    elif format == "geojson" and tabelle.standort:
        punkt = tabelle.standort
        mit_punkt = [*spalten, Spalte("lon", Laenge(punkt)), Spalte("lat", Breite(punkt))]
        eigenschaften = {
            "name": str(tabelle.titel),
            "exportiert_am": timezone.localtime().isoformat(timespec="seconds"),
            "filter": filter_texte,
            "hinweis": block[-1],
        }
        antwort = StreamingHttpResponse(
            lesereplik.strom(
                geojson_teile(
                    spalten, zeilen(queryset, mit_punkt, ids), eigenschaften=eigenschaften
                )
            ),
            content_type=FORMATE["geojson"],
        )
    else:
        raise Http404(_("Dieses Format gibt es für diese Liste nicht."))
    export_festhalten(
        request, liste=tabelle.titel, format=format, filter_texte=filter_texte, intern=intern
    )
    return datei_antwort(antwort, name, intern=intern)


def datei_antwort(antwort, name, *, intern):
    antwort["Content-Disposition"] = content_disposition_header(True, name)
    if intern:
        # Non-public data: no browser or proxy cache may keep a copy.
        patch_cache_control(antwort, no_store=True, private=True)
    return antwort


def fehlerseite(request, meldungen, *, status=400, zurueck=None, titel=None):
    """The German page for an export that cannot be made; nothing is exported."""
    return render(
        request,
        "export_fehler.html",
        {"meldungen": meldungen, "zurueck": zurueck, "titel": titel},
        status=status,
    )


def filterfehler(filterset):
    """The filter's errors as "label: message" lines."""
    felder = filterset.form.fields
    meldungen = []
    for feld, fehler in filterset.errors.items():
        label = felder[feld].label if feld in felder else ""
        meldungen += [f"{label}: {m}" if label else str(m) for m in fehler]
    return meldungen


def filter_beschreibung(filterset):
    """The applied filters as readable lines, as the list's chips show them."""
    texte = [text for text, _url in aktive_filter(filterset)]
    ort = getattr(filterset, "ort", None)
    if ort:
        texte.append(_("Umkreis: %(km)s km um %(ort)s") % {"km": f"{ort[2]:g}", "ort": ort[1]})
    daten = filterset.form.cleaned_data if filterset.is_bound else {}
    if sortierung := daten.get("sortierung"):
        feld = filterset.form.fields["sortierung"]
        texte.append(f"{feld.label}: {dict(feld.choices).get(sortierung, sortierung)}")
    return texte


def zugang(request, *, intern, recht, zurueck=""):
    """None if the export may go ahead; else the login, the refusal (403) or the 429 answer.

    Internal exports need what the admin needs (staff, second factor where required) plus the
    model's export permission; anonymous exports are rate-limited, staff never.
    """
    if intern:
        if not admin.site.has_permission(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not request.user.has_perm(recht):
            return fehlerseite(
                request,
                [_("Für den Export mit internen Angaben fehlt Ihrem Konto die Berechtigung.")],
                status=403,
                zurueck=zurueck,
            )
        return None
    if ist_staff(request.user):
        return None
    return drosseln(request, bereich="export")


class ListenExportMixin:
    """Mixed into a subclass of a list view: the same queryset and FilterSet, every row.

    `?intern=1` asks for the staff version (drafts in the user's scope, internal columns);
    `?kopf=1` adds the comment lines to a CSV. Anonymous exports are rate-limited.
    """

    tabelle = None  # a Tabelle
    formate = ("csv", "xlsx", "geojson")
    intern = False

    def get_queryset(self):
        if self.intern:
            return self.tabelle.intern_queryset(self.request.user)
        return super().get_queryset()

    def liste_url(self):
        return ""

    def get(self, request, *args, format, **kwargs):
        if format not in self.formate:
            raise Http404(_("Dieses Format gibt es für diese Liste nicht."))
        self.intern = request.GET.get("intern") == "1"
        daten = request.GET.copy()
        for name in EIGENE_PARAMETER:
            daten.pop(name, None)
        zurueck = self.liste_url() + (f"?{daten.urlencode()}" if daten else "")
        abgelehnt = zugang(request, intern=self.intern, recht=self.tabelle.recht, zurueck=zurueck)
        if abgelehnt is not None:
            return abgelehnt
        # Always bound: the FilterSet's own order (…, name, pk) then makes the file reproducible.
        filterset = self.filterset_class(daten, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            return fehlerseite(request, filterfehler(filterset), zurueck=zurueck)
        return self.antwort(request, filterset, format)

    def antwort(self, request, filterset, format):
        return export_antwort(
            request,
            tabelle=self.tabelle,
            queryset=filterset.qs,
            format=format,
            intern=self.intern,
            filter_texte=filter_beschreibung(filterset),
            filterset=filterset,
        )


# --- Admin -------------------------------------------------------------------------------------

ADMIN_FORMATE = ("csv", "xlsx", "geojson")


def admin_recht(model):
    return f"{model._meta.app_label}.export_{model._meta.model_name}"


def admin_export_urls(model_admin):
    """URL of the changelist export; its view builds the rows from the changelist itself."""
    opts = model_admin.model._meta
    return [
        path(
            "export.<str:format>",
            model_admin.admin_site.admin_view(
                lambda request, format: admin_export(model_admin, request, format)
            ),
            name=f"{opts.app_label}_{opts.model_name}_export",
        )
    ]


def admin_exportlinks(model_admin, request):
    """(label, URL) of the export links for the changelist, with its filters and search."""
    model = model_admin.model
    tabelle = model_admin.export_tabelle
    if tabelle is None or not request.user.has_perm(admin_recht(model)):
        return []
    opts = model._meta
    abfrage = request.GET.copy()
    for name in ("p", "e", "_changelist_filters"):
        abfrage.pop(name, None)
    basis = reverse(f"admin:{opts.app_label}_{opts.model_name}_export", args=["FORMAT"])
    namen = {"csv": "CSV (Excel)", "xlsx": "XLSX", "geojson": "GeoJSON"}
    return [
        (namen[f], basis.replace("FORMAT", f) + ("?" + abfrage.urlencode() if abfrage else ""))
        for f in ADMIN_FORMATE
        if f != "geojson" or tabelle.standort
    ]


def admin_export(model_admin, request, format):
    """The changelist's own rows (filters, search, order, scope) as a file."""
    model = model_admin.model
    tabelle = model_admin.export_tabelle
    if tabelle is None or format not in ADMIN_FORMATE:
        raise Http404(_("Dieses Format gibt es für diese Liste nicht."))
    if not (model_admin.has_view_permission(request) and request.user.has_perm(admin_recht(model))):
        raise PermissionDenied
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    # The ChangeList reads every GET parameter as a filter; the export's own must not reach it.
    eigene = request.GET.copy()
    request.GET = request.GET.copy()
    for name in EIGENE_PARAMETER:
        request.GET.pop(name, None)
    try:
        cl = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        return fehlerseite(request, [_("Diese Filter passen nicht zur Liste.")], zurueck=changelist)
    filter_texte = _admin_filter_texte(cl)
    request.GET = eigene
    return export_antwort(
        request,
        tabelle=tabelle,
        queryset=cl.queryset,
        format=format,
        intern=True,
        filter_texte=filter_texte,
    )


def _admin_filter_texte(cl):
    texte = []
    for spec in cl.filter_specs:
        if not getattr(spec, "used_parameters", None):
            continue
        for wahl in spec.choices(cl):
            if wahl.get("selected") and wahl.get("display") not in (None, ""):
                texte.append(f"{spec.title}: {wahl['display']}")
    if cl.query:
        texte.append(_("Suche: %(text)s") % {"text": cl.query})
    return texte


def uebersetzungs_spalten(model, felder):
    """Staff files: a column per language and translatable field ("Titel [tr]") and where the
    translations of that language come from ("Übersetzt von [tr]", "Übersetzt durch [tr]",
    "Geprüft [tr]") – the headers the import reads (atlas.ressourcen.AtlasRessource
    .uebersetzungsspalten), so an agency can translate offline and a file restores them.
    `felder`: (label, field) as the file's German columns name them.

    The provenance is one per language: that of the language's first translation with a
    translator's name (else its first), by field name. Where the fields of one language differ,
    the file names one of them; an import keeps the provenance of every text it does not change.
    """
    typ = ContentType.objects.get_for_model(model).pk

    def herkunft(code, feld):
        return Uebersetzungswert(typ, code, feld, herkunft=True)

    spalten = []
    for code, _name in zielsprachen():
        for titel, feld in felder:
            spalten.append(
                Spalte(
                    format_lazy("{} [{}]", titel, code),
                    Uebersetzungswert(typ, code, feld),
                    breite=30,
                    schluessel=f"{feld}_{code}",
                )
            )
        spalten += [
            Spalte(
                format_lazy("Übersetzt von [{}]", code),
                herkunft(code, "uebersetzt_von"),
                breite=20,
                schluessel=f"uebersetzt_von_{code}",
            ),
            Spalte(
                format_lazy("Übersetzt durch [{}]", code),
                herkunft(code, "herkunft"),
                breite=14,
                schluessel=f"herkunft_{code}",
                wahl=Herkunft,
            ),
            Spalte(
                format_lazy("Geprüft [{}]", code),
                herkunft(code, "geprueft"),
                JANEIN,
                breite=10,
                schluessel=f"geprueft_{code}",
            ),
        ]
    return spalten
