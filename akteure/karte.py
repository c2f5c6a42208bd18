"""Map data for a filtered list: limited to the viewport and clustered in SQL.

Offerings, actors and network sites share it, so it lives in the app the others build on; a
`Karteninhalt` says where a row's point is and what its popup lists.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F
from django.http import JsonResponse
from django.views import View

# A grid of at most RASTER × RASTER cells keeps one response well under 1,000 features.
RASTER = 24
# Below this many points in the viewport every point is sent on its own.
EINZELN_BIS = 300
# Entries listed in the popup of one place.
MAX_LISTE = 10
# West, south, east, north: Germany, for requests without a usable viewport.
DEUTSCHLAND = (5.5, 47.0, 15.5, 55.2)


@dataclass(frozen=True)
class Karteninhalt:
    """What one kind of map shows: where a row's point is and what its popup lists."""

    schluessel: str  # JSON key of the popup list (karte.js reads data-schluessel)
    eintrag: Callable[[Any], dict]  # one popup entry: strings only, shown with textContent
    sortierung: str = "name"  # field that orders a popup's entries
    punkt: Any = "standort"  # field or expression (e.g. a Subquery) giving the point
    abfrage: Callable = lambda queryset: queryset  # select_related etc. for the popup rows


def kartendaten(queryset, *, west, sued, ost, nord, inhalt):
    """GeoJSON FeatureCollection for the rows of `queryset` whose point lies inside the box."""
    punkt = F(inhalt.punkt) if isinstance(inhalt.punkt, str) else inhalt.punkt
    zeilen_sql, zeilen_params = (
        queryset.order_by()
        .values(k_id=F("pk"), k_punkt=punkt, k_name=F(inhalt.sortierung))
        .query.sql_with_params()
    )
    # The viewport is a lon/lat rectangle; as a geography its edges would be great circles
    # bulging towards the pole and miss points along a wide map's southern edge. So the exact
    # test is planar; the circle through the farthest corner lets the GiST index pre-select.
    # Postgres pushes both conditions into the subquery, where the index can answer them.
    mitte_lon, mitte_lat = (west + ost) / 2, (sued + nord) / 2
    ecke_m = max(
        _meter(mitte_lon, mitte_lat, lon, lat) for lon in (west, ost) for lat in (sued, nord)
    )
    # Up to 180° wide the farthest point is a corner; wider, the circle would not hold the box.
    radius_m = ecke_m * 1.01 + 1000 if ost - west <= 180 else 2.1e7
    im_bild = [mitte_lon, mitte_lat, radius_m, west, sued, ost, nord]
    basis = (
        f"FROM ({zeilen_sql}) t WHERE t.k_punkt IS NOT NULL "
        "AND ST_DWithin(t.k_punkt, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s) "
        "AND ST_Intersects(t.k_punkt::geometry, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {basis}", [*zeilen_params, *im_bild])
        gesamt = cursor.fetchone()[0]
        # Few points: one feature per place (several rows may share an address).
        # Many: one feature per grid cell, whose size follows the viewport, i.e. the zoom.
        gruppe, zelle = "t.k_punkt::geometry", None
        if gesamt > EINZELN_BIS:
            gruppe = "ST_SnapToGrid(t.k_punkt::geometry, %s)"
            zelle = [max(ost - west, nord - sued, 1e-6) / RASTER]
        cursor.execute(
            "SELECT count(*), ST_X(ST_Centroid(ST_Collect(t.k_punkt::geometry))), "
            "ST_Y(ST_Centroid(ST_Collect(t.k_punkt::geometry))), "
            f"(array_agg(t.k_id ORDER BY t.k_name, t.k_id))[1:%s] {basis} GROUP BY {gruppe}",
            [MAX_LISTE, *zeilen_params, *im_bild, *(zelle or [])],
        )
        zeilen = cursor.fetchall()

    gehaeuft = zelle is not None
    sichtbar = {pk for anzahl, _, _, ids in zeilen if not gehaeuft or anzahl == 1 for pk in ids}
    details = {
        obj.pk: obj
        for obj in inhalt.abfrage(queryset.model._default_manager.filter(pk__in=sichtbar))
    }
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
    return {"type": "FeatureCollection", "gesamt": gesamt, "features": features}


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

    def get(self, request):
        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset())
        daten = kartendaten(filterset.qs, **ausschnitt(request.GET.get("bbox")), inhalt=self.inhalt)
        if filterset.errors:
            daten["fehler"] = {k: [str(m) for m in v] for k, v in filterset.errors.items()}
        return JsonResponse(daten, encoder=HtmlSicheresJSON)
