"""Germany's outline and its neighbours for the map's local background, from Natural Earth.

Reads world-atlas's countries-10m.json (TopoJSON, Natural Earth 1:10m, public domain; installed
by `npm ci` from package-lock.json), keeps the countries around Germany, simplifies their rings
(Douglas-Peucker, 0.005° ≈ 400 m for Germany, 0.02° for the neighbours), rounds to 3 decimals and
writes GeoJSON. Run again after updating world-atlas:

    python scripts/umriss.py node_modules/world-atlas/countries-10m.json \
        static/vendor/world-atlas/umriss.geojson
"""

import json
import sys

DEUTSCHLAND = "276"  # ISO 3166-1 numeric, the id world-atlas gives each country
# West, south, east, north: the area a map of Germany shows.
RAHMEN = (1.0, 44.5, 21.0, 57.5)


def boegen(topo):
    """The arcs as lists of (lon, lat): delta-decoded and transformed."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    ergebnis = []
    for bogen in topo["arcs"]:
        x = y = 0
        punkte = []
        for dx, dy in bogen:
            x, y = x + dx, y + dy
            punkte.append((x * sx + tx, y * sy + ty))
        ergebnis.append(punkte)
    return ergebnis


def ring(indizes, alle):
    punkte = []
    for i in indizes:
        teil = alle[i] if i >= 0 else list(reversed(alle[~i]))
        punkte += teil[1:] if punkte else teil
    return punkte


def vereinfachen(punkte, toleranz):
    """Douglas-Peucker on a ring (first and last point kept)."""
    if len(punkte) < 4:
        return punkte
    behalten = [False] * len(punkte)
    behalten[0] = behalten[-1] = True
    stapel = [(0, len(punkte) - 1)]
    while stapel:
        a, b = stapel.pop()
        (x1, y1), (x2, y2) = punkte[a], punkte[b]
        dx, dy = x2 - x1, y2 - y1
        laenge = (dx * dx + dy * dy) ** 0.5
        weiteste, abstand = None, toleranz
        for i in range(a + 1, b):
            px, py = punkte[i]
            if laenge == 0:
                d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / laenge
            if d > abstand:
                weiteste, abstand = i, d
        if weiteste is not None:
            behalten[weiteste] = True
            stapel += [(a, weiteste), (weiteste, b)]
    return [p for p, k in zip(punkte, behalten, strict=True) if k]


def im_rahmen(punkte):
    west, sued, ost, nord = RAHMEN
    return any(west <= x <= ost and sued <= y <= nord for x, y in punkte)


def umriss(topo):
    alle = boegen(topo)
    features = []
    for land in topo["objects"]["countries"]["geometries"]:
        polygone = land["arcs"] if land["type"] == "MultiPolygon" else [land["arcs"]]
        if land["type"] not in {"Polygon", "MultiPolygon"}:
            continue
        ist_de = land.get("id") == DEUTSCHLAND
        toleranz = 0.005 if ist_de else 0.02
        neue = []
        for polygon in polygone:
            ringe = [ring(r, alle) for r in polygon]
            if not im_rahmen(ringe[0]):
                continue
            ringe = [vereinfachen(r, toleranz) for r in ringe]
            ringe = [[[round(x, 3), round(y, 3)] for x, y in r] for r in ringe if len(r) >= 4]
            if ringe:
                neue.append(ringe)
        if neue:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": land["properties"]["name"], "deutschland": ist_de},
                    "geometry": {"type": "MultiPolygon", "coordinates": neue},
                }
            )
    features.sort(key=lambda f: f["properties"]["deutschland"])  # Germany drawn last, on top
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    quelle, ziel = sys.argv[1:3]
    with open(quelle, encoding="utf-8") as f:
        daten = umriss(json.load(f))
    with open(ziel, "w", encoding="utf-8") as f:
        json.dump(daten, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
