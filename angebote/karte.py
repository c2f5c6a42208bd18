"""Map data for a filtered set of offerings: limited to the viewport and clustered in SQL."""

from django.db import connection

# A grid of at most RASTER × RASTER cells keeps one response well under 1,000 features.
RASTER = 24
# Below this many points in the viewport every point is sent on its own.
EINZELN_BIS = 300
# Offerings listed in the popup of one place.
MAX_LISTE = 10


def kartendaten(queryset, *, west, sued, ost, nord):
    """GeoJSON FeatureCollection for the offerings of `queryset` inside the box."""
    ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    huelle = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)::geography"
    box = [west, sued, ost, nord]
    basis = (
        f"FROM angebote_angebot a WHERE a.id IN ({ids_sql}) "
        f"AND a.standort IS NOT NULL AND ST_Intersects(a.standort, {huelle})"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {basis}", [*ids_params, *box])
        gesamt = cursor.fetchone()[0]
        # Few points: one feature per place (several offerings may share an address).
        # Many: one feature per grid cell, whose size follows the viewport, i.e. the zoom.
        gruppe, zelle = "a.standort::geometry", None
        if gesamt > EINZELN_BIS:
            gruppe = "ST_SnapToGrid(a.standort::geometry, %s)"
            zelle = [max(ost - west, nord - sued, 1e-6) / RASTER]
        cursor.execute(
            "SELECT count(*), ST_X(ST_Centroid(ST_Collect(a.standort::geometry))), "
            "ST_Y(ST_Centroid(ST_Collect(a.standort::geometry))), "
            f"(array_agg(a.id ORDER BY a.titel, a.id))[1:%s] {basis} GROUP BY {gruppe}",
            [MAX_LISTE, *ids_params, *box, *(zelle or [])],
        )
        zeilen = cursor.fetchall()

    gehaeuft = zelle is not None
    sichtbar = {pk for anzahl, _, _, ids in zeilen if not gehaeuft or anzahl == 1 for pk in ids}
    details = {
        a.pk: a
        for a in queryset.model.objects.filter(pk__in=sichtbar)
        .select_related("anbieter")
        .only("titel", "slug", "strasse", "plz", "ort", "anbieter__name")
    }
    features = []
    for anzahl, lon, lat, ids in zeilen:
        eigenschaften = {"anzahl": anzahl, "cluster": gehaeuft and anzahl > 1}
        if not eigenschaften["cluster"]:
            eigenschaften["angebote"] = [
                {
                    "titel": details[pk].titel,
                    "url": details[pk].get_absolute_url(),
                    "anbieter": details[pk].anbieter.name,
                    "adresse": details[pk].adresse,
                }
                for pk in ids
                if pk in details
            ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": eigenschaften,
            }
        )
    return {"type": "FeatureCollection", "gesamt": gesamt, "features": features}
