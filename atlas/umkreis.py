"""A radius search over point columns in memory, deciding as PostGIS does (atlas.suchindex).

The SQL path filters with `ST_DWithin(standort::geography, punkt, meter)` – the distance on the
WGS84 ellipsoid (geodesic, PostGIS through PROJ) – and orders by `standort <-> punkt`, which for
geography is the distance on a sphere of radius (2a + b) / 3. Both are restated here over
numpy columns: a bounding box that no point within the radius can leave, then Vincenty's
ellipsoidal distance (within a tenth of a millimetre of the geodesic) and PostGIS's own sphere
formula. Floating point in numpy is not PostgreSQL's to the last bit, so what a last bit could
decide is left to the database: points within GRENZ_BAND of the radius, and distinct points
whose sphere distances lie within GLEICH_BAND of each other (their order). Callers ask the
database about those few rows; everything else is decided here, exactly as SQL would.
"""

import math
from dataclasses import dataclass, field

import numpy as np

# WGS84, as PROJ gives it to PostGIS (spheroid_init: radius = (2a + b) / 3).
A = 6378137.0
F = 1 / 298.257223563
B = A * (1 - F)
KUGEL_RADIUS = (2.0 * A + B) / 3.0
# The shortest meridian radius of curvature (at the equator): no path moves further in latitude.
MERIDIAN_MIN = A * (1 - F * (2 - F))
# Vincenty differs from the geodesic by well under a millimetre at these distances; rows
# nearer the radius than this are decided by ST_DWithin itself.
GRENZ_BAND = 0.01
# Distinct points whose sphere distances are this close (metres) are ordered by `<->` itself.
GLEICH_BAND = 1e-6
# The geodesic on the ellipsoid against the distance on the sphere of KUGEL_RADIUS between the
# same latitudes and longitudes: along any path the ellipsoid's line element is between the
# sphere's times M/R and N/R (meridian and prime vertical radius of curvature, M ≤ N), so the
# geodesic lies between (smallest M) / R and (largest N) / R times the sphere distance: b²/a
# at the equator and a²/b at the poles. Rounded outwards.
GEODAETE_MIN = B * B / A / KUGEL_RADIUS * (1 - 1e-6)
GEODAETE_MAX = A * A / B / KUGEL_RADIUS * (1 + 1e-6)
# Metres by which kugel_entfernung over float32 coordinates may miss the float64 result: the
# coordinates rounded to 24 bits (< 1 m), each step's rounding (a few metres at most on the
# Earth's radius). Ten times that.
KUGEL32_FEHLER = 50.0


@dataclass
class Umkreis:
    """A search near a point: within `meter` of (lon, lat), plus the rows of `dazu` (offerings
    whose Einzugsgebiet contains the place, whatever their distance)."""

    lon: float
    lat: float
    meter: float
    punkt: object = None  # the GEOS point, for the questions to the database
    dazu: list = field(default_factory=list)


def rahmen(umkreis, lon, lat):
    """Rows (boolean mask) inside a box that holds every point within the radius.

    Along any path on the ellipsoid ds ≥ M dφ with M ≥ MERIDIAN_MIN, and ds ≥ a cos φ dλ: the
    latitude moves by at most meter / MERIDIAN_MIN, the longitude by meter / (a cos φ) at the
    largest |φ| the path can reach."""
    d_lat = math.degrees(umkreis.meter / MERIDIAN_MIN) * 1.000001 + 1e-9
    maske = (lat >= umkreis.lat - d_lat) & (lat <= umkreis.lat + d_lat)
    hoechste = abs(umkreis.lat) + d_lat
    if hoechste < 89.0:
        d_lon = math.degrees(umkreis.meter / (A * math.cos(math.radians(hoechste))))
        d_lon = d_lon * 1.000001 + 1e-9
        if umkreis.lon - d_lon > -180.0 and umkreis.lon + d_lon < 180.0:
            maske &= (lon >= umkreis.lon - d_lon) & (lon <= umkreis.lon + d_lon)
    return maske


def ellipsoid_entfernung(lon1, lat1, lon2, lat2):
    """Metres on the WGS84 ellipsoid (Vincenty's inverse formula) from one point to many."""
    lon2, lat2 = np.asarray(lon2, dtype=np.float64), np.asarray(lat2, dtype=np.float64)
    gross_l = np.radians(lon2 - lon1)
    u1 = math.atan((1 - F) * math.tan(math.radians(lat1)))
    u2 = np.arctan((1 - F) * np.tan(np.radians(lat2)))
    sin_u1, cos_u1 = math.sin(u1), math.cos(u1)
    sin_u2, cos_u2 = np.sin(u2), np.cos(u2)
    lam = gross_l
    for _ in range(50):
        sin_lam, cos_lam = np.sin(lam), np.cos(lam)
        sin_sig = np.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        cos_sig = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sig = np.arctan2(sin_sig, cos_sig)
        with np.errstate(invalid="ignore", divide="ignore"):
            sin_alpha = np.where(sin_sig == 0, 0.0, cos_u1 * cos_u2 * sin_lam / sin_sig)
            cos2_alpha = 1 - sin_alpha**2
            cos_2sm = np.where(cos2_alpha == 0, 0.0, cos_sig - 2 * sin_u1 * sin_u2 / cos2_alpha)
        c = F / 16 * cos2_alpha * (4 + F * (4 - 3 * cos2_alpha))
        vorher = lam
        lam = gross_l + (1 - c) * F * sin_alpha * (
            sig + c * sin_sig * (cos_2sm + c * cos_sig * (-1 + 2 * cos_2sm**2))
        )
        if not len(lam) or np.max(np.abs(lam - vorher)) < 1e-13:
            break
    u_2 = cos2_alpha * (A * A - B * B) / (B * B)
    gross_a = 1 + u_2 / 16384 * (4096 + u_2 * (-768 + u_2 * (320 - 175 * u_2)))
    gross_b = u_2 / 1024 * (256 + u_2 * (-128 + u_2 * (74 - 47 * u_2)))
    d_sig = (
        gross_b
        * sin_sig
        * (
            cos_2sm
            + gross_b
            / 4
            * (
                cos_sig * (-1 + 2 * cos_2sm**2)
                - gross_b / 6 * cos_2sm * (-3 + 4 * sin_sig**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return B * gross_a * (sig - d_sig)


def sin_cos(x):
    """(sin x, cos x) of an array from the tangent of the half angle: numpy's float64 tangent is
    vectorised, its sine and cosine are not (ten to forty times the time). Within a few units
    in the last place of np.sin and np.cos for |x| ≤ 2π."""
    t = np.tan(x * 0.5)
    tt = t * t
    nenner = 1.0 + tt
    return 2.0 * t / nenner, (1.0 - tt) / nenner


def kugel_entfernung(lon1, lat1, lon2, lat2):
    """Metres as PostGIS's geography `<->` has them: sphere_distance() of lwgeodetic.c (within
    nanometres: the sines and cosines from sin_cos)."""
    s_lat, s_lon = math.pi * lat1 / 180.0, math.pi * lon1 / 180.0
    e_lat, e_lon = np.pi * np.asarray(lat2) / 180.0, np.pi * np.asarray(lon2) / 180.0
    sin_d_lon, cos_d_lon = sin_cos(e_lon - s_lon)
    sin_lat_e, cos_lat_e = sin_cos(e_lat)
    cos_lat_s, sin_lat_s = math.cos(s_lat), math.sin(s_lat)
    a1 = (cos_lat_e * sin_d_lon) ** 2
    a2 = (cos_lat_s * sin_lat_e - sin_lat_s * cos_lat_e * cos_d_lon) ** 2
    a = np.sqrt(a1 + a2)
    b = sin_lat_s * sin_lat_e + cos_lat_s * cos_lat_e * cos_d_lon
    return np.arctan2(a, b) * KUGEL_RADIUS


def im_umkreis(umkreis, lon, lat, maske):
    """Of the rows of `maske`: (those within the radius, those too near its edge to tell – ask
    ST_DWithin), as row numbers. Rows without a point (NaN) are in neither."""
    zeilen = np.flatnonzero(maske & rahmen(umkreis, lon, lat))
    band = GRENZ_BAND + umkreis.meter * 1e-12
    # The sphere distance settles all rows but a ring around the radius (about 1 % of its width
    # on either side, see GEODAETE_MIN); Vincenty decides that ring. In single precision, since
    # numpy's float32 sine and cosine are vectorised and its float64 ones are not (40 times
    # the time): its error, a few metres at most, is covered by KUGEL32_FEHLER.
    kugel = kugel_entfernung(
        umkreis.lon, umkreis.lat, lon[zeilen].astype(np.float32), lat[zeilen].astype(np.float32)
    )
    sicher = kugel * GEODAETE_MAX < umkreis.meter - band - KUGEL32_FEHLER
    ring = zeilen[~sicher & (kugel * GEODAETE_MIN <= umkreis.meter + band + KUGEL32_FEHLER)]
    d = ellipsoid_entfernung(umkreis.lon, umkreis.lat, lon[ring], lat[ring])
    drin = np.concatenate([zeilen[sicher], ring[d < umkreis.meter - band]])
    drin.sort()
    return drin, ring[np.abs(d - umkreis.meter) <= band]


def nach_entfernung(umkreis, lon, lat, zeilen, genau):
    """`zeilen` (in title order) nearest first by `<->`, rows without a point last, ties in the
    given order. `genau(zeilen)` gives the database's `<->` of rows whose order a last bit of
    floating point could change (distinct points nearly equally far)."""
    hat = ~np.isnan(lon[zeilen])
    mit = zeilen[hat]
    # Rows in one building are equally far, to the bit: the same inputs, the same arithmetic.
    d = kugel_entfernung(umkreis.lon, umkreis.lat, lon[mit], lat[mit])
    reihe = np.argsort(d, kind="stable")
    if len(reihe) > 1:
        folge = mit[reihe]
        nah = np.flatnonzero(
            (np.diff(d[reihe]) <= GLEICH_BAND)
            & ((np.diff(lon[folge]) != 0) | (np.diff(lat[folge]) != 0))
        )
        if len(nah):
            # Every row of those distances, so that all rows of a point get the same value.
            unsicher = np.flatnonzero(np.isin(d, d[reihe[np.concatenate([nah, nah + 1])]]))
            d[unsicher] = genau(mit[unsicher])
            reihe = np.argsort(d, kind="stable")
    return np.concatenate([mit[reihe], zeilen[~hat]])
