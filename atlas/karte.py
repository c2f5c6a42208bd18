"""Map data for a filtered list: limited to the viewport and clustered in SQL.

Offerings, actors and network sites share it; each list's `Karteninhalt` says where a row's
point is and what its popup lists.
"""

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F
from django.http import JsonResponse
from django.views import View

# A grid of at most about RASTER × RASTER cells (up to 2 × RASTER along a wide map) keeps one
# response well under 1,000 features.
RASTER = 24
# Below this many points in the viewport every point is sent on its own.
EINZELN_BIS = 300
# Entries listed in the popup of one place.
MAX_LISTE = 10
# Rows of an in-memory index read at a time for a map (kartendaten_aus_punkten).
BLOCK = 1 << 16
# West, south, east, north: Germany, for requests without a usable viewport.
DEUTSCHLAND = (5.5, 47.0, 15.5, 55.2)
# Without an index on the planar cast, viewports up to this size (circle radius in metres)
# pre-select with the geography index; wider ones hold most rows anyway, and its exact distance
# test per row would cost more than reading the whole table with the cheap planar test.
INDEX_BIS_M = 100_000
# Grids of clusters over at least this many rows are kept in the cache for CACHE_SEKUNDEN:
# computing them reads thousands of rows, and clusters of thousands that are a minute old
# are still true enough. Smaller ones are computed on every request.
CACHE_AB = 1000
CACHE_SEKUNDEN = 60


@dataclass(frozen=True)
class Karteninhalt:
    """What one kind of map shows: where a row's point is and what its popup lists."""

    schluessel: str  # JSON key of the popup list (karte.js reads data-schluessel)
    eintrag: Callable[[Any], dict]  # one popup entry: strings only, shown with textContent
    sortierung: str = "name"  # field that orders a popup's entries
    punkt: Any = "standort"  # field or expression (e.g. a Subquery) giving the point
    abfrage: Callable = lambda queryset: queryset  # select_related etc. for the popup rows
    # True when the point has a GiST index on its planar cast (`punkt::geometry`, e.g.
    # angebote 0007): the viewport test alone then uses an index, at every zoom.
    geometrie_index: bool = False


def kartendaten(queryset, *, west, sued, ost, nord, inhalt):
    """GeoJSON FeatureCollection for the rows of `queryset` whose point lies inside the box.

    Up to EINZELN_BIS points: one feature per place, exactly those in the box. More: one
    feature per cell of a grid whose cell size follows the zoom; cells are whole (a cluster
    does not change while the map moves by less than a cell) and `gesamt` counts their rows.
    """
    punkt = F(inhalt.punkt) if isinstance(inhalt.punkt, str) else inhalt.punkt
    zeilen_sql, zeilen_params = (
        queryset.order_by()
        .values(k_id=F("pk"), k_punkt=punkt, k_name=F(inhalt.sortierung))
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        zelle, zellen = _zellen(cursor, zeilen_sql, zeilen_params, inhalt, west, sued, ost, nord)
        # Cells wholly inside the viewport bound its count from below, all cells from above;
        # only when the bounds leave it open is the viewport counted (up to EINZELN_BIS + 1).
        innen = sum(
            n
            for n, _, _, _, i, j in zellen
            if west <= i * zelle and (i + 1) * zelle <= ost
            if sued <= j * zelle and (j + 1) * zelle <= nord
        )
        gehaeuft = innen > EINZELN_BIS
        basis, params = _im_bild(zeilen_sql, zeilen_params, inhalt, west, sued, ost, nord)
        if not gehaeuft and sum(n for n, *_ in zellen) > EINZELN_BIS:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 {basis} LIMIT %s) x", [*params, EINZELN_BIS + 1]
            )
            gehaeuft = cursor.fetchone()[0] > EINZELN_BIS
        if gehaeuft:
            zeilen = [(n, lon, lat, ids) for n, lon, lat, ids, _, _ in zellen]
        else:
            # One feature per place (several rows may share an address).
            cursor.execute(
                "SELECT count(*), ST_X(t.k_punkt::geometry), ST_Y(t.k_punkt::geometry), "
                f"(array_agg(t.k_id ORDER BY t.k_name, t.k_id))[1:%s] {basis} "
                "GROUP BY t.k_punkt::geometry",
                [MAX_LISTE, *params],
            )
            zeilen = cursor.fetchall()

    # Through the filtered queryset: cached cells must not show a row that has left it since.
    return _features(queryset, zeilen, gehaeuft, inhalt)


def kartendaten_aus_punkten(queryset, punkte, *, west, sued, ost, nord, inhalt):
    """`kartendaten` for rows already chosen in memory (a search index): `punkte` holds the
    index's numpy arrays over all its rows – `ids`, `lon`, `lat` (NaN: no point), `rang` (the
    popup's order, see Karteninhalt.sortierung) – and `maske`, the filtered rows. They are read
    block by block (BLOCK rows): a map of a million rows holds no copy of them (at 1M
    offerings a country map's copies and cell numbers took ~30 MB per request,
    bench/RESULTS-suchindex.md, session 11). The same grid, cells and features as in SQL.
    """
    maske, ids, lon, lat = punkte["maske"], punkte["ids"], punkte["lon"], punkte["lat"]
    breite, hoehe = max(ost - west, 1e-6), max(nord - sued, 1e-6)
    mindestens = max(math.sqrt(breite * hoehe) / RASTER, max(breite, hoehe) / (2 * RASTER))
    zelle = 360 / 2 ** math.floor(math.log2(360 / mindestens))
    g_west, g_sued = math.floor(west / zelle) * zelle, math.floor(sued / zelle) * zelle
    g_ost, g_nord = math.ceil(ost / zelle) * zelle, math.ceil(nord / zelle) * zelle
    # One number per cell of the grid (column, then row): counting is a bincount. A point's
    # column floor(lon / zelle) lies between those of the grid's edges (division and floor
    # keep the order).
    s0, r0 = math.floor(g_west / zelle), math.floor(g_sued / zelle)
    hoehe_zellen = math.floor(g_nord / zelle) - r0 + 1
    n_zellen = (math.floor(g_ost / zelle) - s0 + 1) * hoehe_zellen
    anzahl = np.zeros(n_zellen, dtype=np.int64)
    summe_lon, summe_lat = np.zeros(n_zellen), np.zeros(n_zellen)
    # In the ids' own type: ufunc.at with a cast is some 30 times slower.
    kleinste = np.full(n_zellen, np.iinfo(ids.dtype).max, dtype=ids.dtype)
    im_bild = []  # per block: the positions of the filtered points in the viewport
    for anfang in range(0, len(ids), BLOCK):
        teil = slice(anfang, anfang + BLOCK)
        b_lon, b_lat = lon[teil], lat[teil]
        drin = maske[teil] & (b_lon >= g_west) & (b_lon <= g_ost)
        drin &= (b_lat >= g_sued) & (b_lat <= g_nord)
        stellen = np.flatnonzero(drin)
        if not len(stellen):
            continue
        b_lon, b_lat = b_lon[stellen], b_lat[stellen]
        schluessel = np.floor(b_lon / zelle).astype(np.int64)
        schluessel -= s0
        schluessel *= hoehe_zellen
        schluessel += np.floor(b_lat / zelle).astype(np.int64)
        schluessel -= r0
        anzahl += np.bincount(schluessel, minlength=n_zellen)
        summe_lon += np.bincount(schluessel, weights=b_lon, minlength=n_zellen)
        summe_lat += np.bincount(schluessel, weights=b_lat, minlength=n_zellen)
        np.minimum.at(kleinste, schluessel, ids[teil][stellen])
        sichtbar = (b_lon >= west) & (b_lon <= ost) & (b_lat >= sued) & (b_lat <= nord)
        im_bild.append(stellen[sichtbar] + anfang)
    zellen = []
    for k in np.flatnonzero(anzahl):
        n = int(anzahl[k])
        i, j = divmod(int(k), hoehe_zellen)
        zellen.append(
            (
                n,
                float(summe_lon[k] / n),
                float(summe_lat[k] / n),
                [int(kleinste[k])],
                i + s0,
                j + r0,
            )
        )
    innen = sum(
        n
        for n, _, _, _, i, j in zellen
        if west <= i * zelle and (i + 1) * zelle <= ost
        if sued <= j * zelle and (j + 1) * zelle <= nord
    )
    im_bild = np.concatenate(im_bild) if im_bild else np.zeros(0, dtype=np.int64)
    gehaeuft = innen > EINZELN_BIS or len(im_bild) > EINZELN_BIS
    if gehaeuft:
        zeilen = [(n, x, y, k) for n, x, y, k, _, _ in zellen]
    else:
        # One feature per place (several rows may share an address), its rows in popup order.
        b_ids, b_lon, b_lat = ids[im_bild], lon[im_bild], lat[im_bild]
        folge = np.lexsort((punkte["rang"][im_bild], b_lat, b_lon))
        zeilen, orte = [], {}
        for k in folge:
            orte.setdefault((float(b_lon[k]), float(b_lat[k])), []).append(int(b_ids[k]))
        zeilen = [(len(v), x, y, v[:MAX_LISTE]) for (x, y), v in orte.items()]
    return _features(queryset, zeilen, gehaeuft, inhalt)


def _features(queryset, zeilen, gehaeuft, inhalt):
    """The FeatureCollection of the cells or places `zeilen` (count, lon, lat, ids)."""
    sichtbar = {pk for anzahl, _, _, ids in zeilen if anzahl == 1 or not gehaeuft for pk in ids}
    details = {obj.pk: obj for obj in inhalt.abfrage(queryset.filter(pk__in=sichtbar))}
    features = []
    for anzahl, lon, lat, ids in zeilen:
        eigenschaften = {"anzahl": anzahl, "cluster": gehaeuft and anzahl > 1}
        if not eigenschaften["cluster"]:
            eigenschaften[inhalt.schluessel] = [
                inhalt.eintrag(details[pk]) for pk in ids if pk in details
            ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": eigenschaften,
            }
        )
    gesamt = sum(anzahl for anzahl, *_ in zeilen)
    return {"type": "FeatureCollection", "gesamt": gesamt, "features": features}


def _im_bild(zeilen_sql, zeilen_params, inhalt, west, sued, ost, nord):
    """FROM … WHERE for the rows whose point lies in the box, with its parameters."""
    # The viewport is a lon/lat rectangle; as a geography its edges would be great circles
    # bulging towards the pole and miss points along a wide map's southern edge. So the test is
    # planar; without an index for it, the circle through the farthest corner lets the
    # geography index pre-select. Postgres pushes both conditions into the subquery.
    mitte_lon, mitte_lat = (west + ost) / 2, (sued + nord) / 2
    ecke_m = max(
        _meter(mitte_lon, mitte_lat, lon, lat) for lon in (west, ost) for lat in (sued, nord)
    )
    sql = f"FROM ({zeilen_sql}) t WHERE t.k_punkt IS NOT NULL "
    params = [*zeilen_params]
    if not inhalt.geometrie_index and ecke_m <= INDEX_BIS_M:
        sql += "AND ST_DWithin(t.k_punkt, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s) "
        params += [mitte_lon, mitte_lat, ecke_m * 1.01 + 1000]
    sql += "AND t.k_punkt::geometry && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
    return sql, [*params, west, sued, ost, nord]


def _zellen(cursor, zeilen_sql, zeilen_params, inhalt, west, sued, ost, nord):
    """The cell size, and per cell of the grid over the viewport: count, lon, lat, [the id
    if it is the only one], column, row. Grids over CACHE_AB rows or more come from the cache."""
    # Cell sizes are powers of two of the whole circle: the grid stays put while the map moves,
    # and a zoom level always gets the same one.
    breite, hoehe = max(ost - west, 1e-6), max(nord - sued, 1e-6)
    mindestens = max(math.sqrt(breite * hoehe) / RASTER, max(breite, hoehe) / (2 * RASTER))
    zelle = 360 / 2 ** math.floor(math.log2(360 / mindestens))
    west, sued = math.floor(west / zelle) * zelle, math.floor(sued / zelle) * zelle
    ost, nord = math.ceil(ost / zelle) * zelle, math.ceil(nord / zelle) * zelle
    text = connection.ops.compose_sql(zeilen_sql, zeilen_params)
    roh = f"{text}|{zelle}|{west}|{sued}|{ost}|{nord}"
    schluessel = "karte:" + hashlib.sha256(roh.encode()).hexdigest()
    if (zellen := cache.get(schluessel)) is not None:
        return zelle, zellen
    basis, params = _im_bild(zeilen_sql, zeilen_params, inhalt, west, sued, ost, nord)
    # A cell's marker sits at the mean of its points: the centroid of a set of points.
    cursor.execute(
        "SELECT count(*), avg(ST_X(t.k_punkt::geometry)), avg(ST_Y(t.k_punkt::geometry)), "
        "array[min(t.k_id)], floor(ST_X(t.k_punkt::geometry) / %s)::int, "
        f"floor(ST_Y(t.k_punkt::geometry) / %s)::int {basis} GROUP BY 5, 6",
        [zelle, zelle, *params],
    )
    zellen = cursor.fetchall()
    if sum(n for n, *_ in zellen) >= CACHE_AB:
        cache.set(schluessel, zellen, CACHE_SEKUNDEN)
    return zelle, zellen


def _meter(lon1, lat1, lon2, lat2):
    """Great-circle distance on a sphere (haversine); the caller adds the spheroid's margin."""
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_009 * math.asin(min(1, math.sqrt(h)))


def ausschnitt(bbox):
    """The viewport of a `bbox=west,south,east,north` parameter; Germany when unusable."""
    try:
        west, sued, ost, nord = (float(x) for x in (bbox or "").split(","))
        # Zoomed far out, Leaflet reports longitudes beyond ±180: the whole width is meant.
        west, ost = max(west, -180.0), min(ost, 180.0)
        sued, nord = max(sued, -90.0), min(nord, 90.0)
        if not west < ost or not sued < nord:
            raise ValueError
    except ValueError:
        west, sued, ost, nord = DEUTSCHLAND
    return {"west": west, "sued": sued, "ost": ost, "nord": nord}


class HtmlSicheresJSON(DjangoJSONEncoder):
    """Escapes <, > and & like json_script: data can never read as markup, whoever opens it."""

    def encode(self, o):
        return (
            super()
            .encode(o)
            .translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"})
        )


class KartenView(View):
    """GeoJSON for a list's map: the list's FilterSet, limited to the viewport, clustered."""

    filterset_class = None
    inhalt = None  # a Karteninhalt

    def get_queryset(self):
        raise ImproperlyConfigured(f"{type(self).__name__} braucht get_queryset().")

    def punkte(self, filterset):
        """Hook: the filtered rows' points from a search index (see kartendaten_aus_punkten),
        or None to compute the map in SQL."""
        return None

    def get(self, request):
        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset())
        bild = ausschnitt(request.GET.get("bbox"))
        if (punkte := self.punkte(filterset)) is not None:
            daten = kartendaten_aus_punkten(filterset.qs, punkte, **bild, inhalt=self.inhalt)
        else:
            daten = kartendaten(filterset.qs, **bild, inhalt=self.inhalt)
        if filterset.errors:
            daten["fehler"] = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        return JsonResponse(daten, encoder=HtmlSicheresJSON)
