"""atlas.umkreis without a database: the shortcuts of the radius search decide as the full
computation does (the comparison with PostGIS itself: tests/angebote/test_suchindex_umkreis.py)."""

import math

import numpy as np
import pytest

from atlas import umkreis

STUTTGART = (9.1800, 48.7758)


def kugel_mit_numpy(lon1, lat1, lon2, lat2):
    """PostGIS's sphere_distance() with numpy's own sine and cosine, as a reference."""
    s_lat, s_lon = math.radians(lat1), math.radians(lon1)
    e_lat, e_lon = np.radians(np.asarray(lat2)), np.radians(np.asarray(lon2))
    d_lon = e_lon - s_lon
    a = np.hypot(
        np.cos(e_lat) * np.sin(d_lon),
        math.cos(s_lat) * np.sin(e_lat) - math.sin(s_lat) * np.cos(e_lat) * np.cos(d_lon),
    )
    b = math.sin(s_lat) * np.sin(e_lat) + math.cos(s_lat) * np.cos(e_lat) * np.cos(d_lon)
    return np.arctan2(a, b) * umkreis.KUGEL_RADIUS


def test_sinus_und_kosinus_aus_dem_halben_winkel_wie_numpy():
    x = np.linspace(-2 * np.pi, 2 * np.pi, 400_001)
    sinus, kosinus = umkreis.sin_cos(x)
    assert np.max(np.abs(sinus - np.sin(x))) <= 4.5e-16
    assert np.max(np.abs(kosinus - np.cos(x))) <= 4.5e-16


def test_kugelentfernung_wie_mit_numpys_winkelfunktionen():
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(-180, 180, 50_000), rng.uniform(-89.9, 89.9, 50_000)
    for lon0, lat0 in [STUTTGART, (-179.5, -60.0), (0.0, 0.0), (120.0, 89.0)]:
        d = umkreis.kugel_entfernung(lon0, lat0, lon, lat)
        assert np.max(np.abs(d - kugel_mit_numpy(lon0, lat0, lon, lat))) < 1e-7


def test_die_geodaete_liegt_zwischen_den_kugelfaktoren():
    """Ellipsoid / sphere between b²/(aR) and a²/(bR), everywhere (poles and equator included),
    and the bounds are near what occurs: the ring Vincenty decides stays narrow."""
    rng = np.random.default_rng(11)
    verhaeltnisse = []
    for lon0, lat0 in [STUTTGART, (0.0, 0.0), (30.0, 89.5), (-70.0, -85.0), (150.0, 20.0)]:
        lon = lon0 + rng.uniform(-3, 3, 20_000)
        lat = np.clip(lat0 + rng.uniform(-3, 3, 20_000), -89.99, 89.99)
        kugel = umkreis.kugel_entfernung(lon0, lat0, lon, lat)
        ellipsoid = umkreis.ellipsoid_entfernung(lon0, lat0, lon, lat)
        weit = kugel > 1.0
        verhaeltnisse.append(ellipsoid[weit] / kugel[weit])
    alle = np.concatenate(verhaeltnisse)
    assert umkreis.GEODAETE_MIN < alle.min() < umkreis.GEODAETE_MIN + 0.001
    assert umkreis.GEODAETE_MAX - 0.001 < alle.max() < umkreis.GEODAETE_MAX


def im_umkreis_mit_vincenty_allein(u, lon, lat, maske):
    """The radius search as before the sphere shortcut: Vincenty for every row in the box."""
    zeilen = np.flatnonzero(maske & umkreis.rahmen(u, lon, lat))
    d = umkreis.ellipsoid_entfernung(u.lon, u.lat, lon[zeilen], lat[zeilen])
    band = umkreis.GRENZ_BAND + u.meter * 1e-12
    return zeilen[d < u.meter - band], zeilen[np.abs(d - u.meter) <= band]


def rand_punkte(lon0, lat0, meter, abstaende):
    """Points at `meter` + each of `abstaende` from (lon0, lat0) in 36 directions, on the
    ellipsoid (Vincenty's direct problem by bisection along each azimuth)."""
    lon, lat = [], []
    for azimut in np.radians(np.arange(0, 360, 10)):
        for ziel in meter + np.asarray(abstaende, dtype=float):
            unten, oben = 0.0, ziel * 1.1 / 111_000  # degrees along the azimuth
            for _ in range(80):
                mitte = (unten + oben) / 2
                x = lon0 + mitte * math.sin(azimut) / math.cos(math.radians(lat0))
                y = lat0 + mitte * math.cos(azimut)
                if umkreis.ellipsoid_entfernung(lon0, lat0, [x], [y])[0] < ziel:
                    unten = mitte
                else:
                    oben = mitte
            lon.append(x)
            lat.append(y)
    return np.array(lon), np.array(lat)


@pytest.mark.parametrize("km", [1, 10, 50, 200])
def test_im_umkreis_wie_vincenty_allein(km):
    rng = np.random.default_rng(km)
    lon0, lat0 = STUTTGART
    meter = km * 1000.0
    rand_lon, rand_lat = rand_punkte(
        lon0, lat0, meter, [-60, -51, -49, -5, -0.02, -0.005, 0, 0.005, 0.02, 5, 49, 51, 60]
    )
    weite = 3 * km / 100
    lon = np.concatenate([rand_lon, lon0 + rng.uniform(-weite, weite, 30_000), [np.nan]])
    lat = np.concatenate([rand_lat, lat0 + rng.uniform(-weite, weite, 30_000), [np.nan]])
    maske = rng.random(len(lon)) < 0.9
    maske[: len(rand_lon)] = True
    u = umkreis.Umkreis(lon=lon0, lat=lat0, meter=meter)
    drin, unklar = umkreis.im_umkreis(u, lon, lat, maske)
    erwartet_drin, erwartet_unklar = im_umkreis_mit_vincenty_allein(u, lon, lat, maske)
    assert drin.tolist() == erwartet_drin.tolist()
    assert unklar.tolist() == erwartet_unklar.tolist()
    assert len(unklar) == 36 * 3  # -0.005, 0 and 0.005 m from the radius
    assert 0 < len(drin) < maske.sum()


def test_nach_entfernung_wie_nach_der_kugelentfernung_selbst():
    """Nearest first, rows of one building in title order, distinct points at (nearly) the
    same distance ordered by the database's value: here the reference's."""
    rng = np.random.default_rng(3)
    lon0, lat0 = STUTTGART
    haeuser_lon = lon0 + rng.uniform(-1, 1, 2_000)
    haeuser_lat = lat0 + rng.uniform(-1, 1, 2_000)
    # Mirror images across the centre's meridian: the same distance, up to the last bit.
    haeuser_lon = np.concatenate([haeuser_lon, 2 * lon0 - haeuser_lon[:300]])
    haeuser_lat = np.concatenate([haeuser_lat, haeuser_lat[:300]])
    haus = rng.integers(0, len(haeuser_lon), 12_000)  # several rows per building
    lon = np.concatenate([haeuser_lon[haus], [np.nan, np.nan]])
    lat = np.concatenate([haeuser_lat[haus], [np.nan, np.nan]])
    zeilen = rng.permutation(len(lon))  # "title order"
    gefragt = []

    def genau(z):
        gefragt.append(len(z))
        return kugel_mit_numpy(lon0, lat0, lon[z], lat[z])

    u = umkreis.Umkreis(lon=lon0, lat=lat0, meter=200_000.0)
    reihe = umkreis.nach_entfernung(u, lon, lat, zeilen, genau)
    mit = zeilen[~np.isnan(lon[zeilen])]
    erwartet = mit[np.argsort(kugel_mit_numpy(lon0, lat0, lon[mit], lat[mit]), kind="stable")]
    assert reihe.tolist() == erwartet.tolist() + zeilen[np.isnan(lon[zeilen])].tolist()
    # The rows of mirrored buildings (and perhaps a chance pair), nothing else.
    bewohnt = np.zeros(len(haeuser_lon), dtype=bool)
    bewohnt[haus] = True
    paar = np.flatnonzero(bewohnt[:300] & bewohnt[2_000:])
    gespiegelt = int(np.count_nonzero(np.isin(haus, np.concatenate([paar, paar + 2_000]))))
    assert gespiegelt <= sum(gefragt) <= gespiegelt + 20
