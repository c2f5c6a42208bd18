"""Charts drawn on the server: the geometry of SVG bar charts, choropleths and graphs.

The templates (`templates/_balkendiagramm.html`, …) turn these numbers into SVG with a title,
a description and a data table beside it; no JavaScript, no inline styles (colours come from
classes in static/css/auswertung.css), so they print and pass a strict CSP.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Balken:
    beschriftung: str
    anzahl: int
    anteil: float  # percent of the total, one decimal
    y: float
    breite: float
    text_x: float  # where the value stands, after the bar
    text_y: float  # baseline of the label and the value


# viewBox units: labels on the left, bars after them, the value after each bar.
BREITE, LINKS, BALKEN_MAX, ZEILE, BALKEN_HOEHE = 640, 230, 300, 26, 18


def anteil(anzahl, summe):
    """`anzahl` as a percentage of `summe`, one decimal (0 when the total is 0)."""
    return round(anzahl * 100 / summe, 1) if summe else 0.0


def balkendiagramm(zeilen):
    """Horizontal bars for [(label, count)], longest bar = largest count.

    Returns {"balken": [Balken], "hoehe": viewBox height, "breite", "links", "summe"}.
    """
    zeilen = list(zeilen)
    summe = sum(anzahl for _, anzahl in zeilen)
    groesste = max((anzahl for _, anzahl in zeilen), default=0)
    balken = []
    for i, (beschriftung, anzahl) in enumerate(zeilen):
        breite = round(BALKEN_MAX * anzahl / groesste, 1) if groesste else 0
        balken.append(
            Balken(
                beschriftung=str(beschriftung),
                anzahl=anzahl,
                anteil=anteil(anzahl, summe),
                y=i * ZEILE + 4,
                breite=breite,
                text_x=LINKS + breite + 6,
                text_y=i * ZEILE + 4 + 14,
            )
        )
    return {
        "balken": balken,
        "hoehe": len(zeilen) * ZEILE + 8,
        "breite": BREITE,
        "links": LINKS,
        "beschriftung_x": LINKS - 8,
        "balken_hoehe": BALKEN_HOEHE,
        "summe": summe,
    }


def stufe(wert, grenzen):
    """The class (0…len(grenzen)) of `wert` for a choropleth: how many limits it reaches."""
    if wert is None:
        return None
    return sum(1 for g in grenzen if wert >= g)


def stufengrenzen(werte, stufen=4):
    """Limits between `stufen` classes of equal width over the values (no limits for none)."""
    werte = [w for w in werte if w is not None]
    if not werte:
        return []
    klein, gross = min(werte), max(werte)
    if gross == klein:
        return []
    schritt = (gross - klein) / stufen
    return [round(klein + schritt * i, 1) for i in range(1, stufen)]


def flaechen_pfade(flaechen, breite=600, hoehe=420, rand=10):
    """SVG paths for {key: MultiPolygon (lon/lat)}: one shared projection (longitude scaled by
    the cosine of the mean latitude) fitted into breite × hoehe. Returns ({key: path}, height)."""
    flaechen = {k: f for k, f in flaechen.items() if f is not None and not f.empty}
    if not flaechen:
        return {}, 0
    xs, ys = [], []
    for f in flaechen.values():
        x0, y0, x1, y1 = f.extent
        xs += [x0, x1]
        ys += [y0, y1]
    mitte = math.cos(math.radians((min(ys) + max(ys)) / 2))
    weite = max((max(xs) - min(xs)) * mitte, 1e-9)
    tiefe = max(max(ys) - min(ys), 1e-9)
    massstab = min((breite - 2 * rand) / weite, (hoehe - 2 * rand) / tiefe)
    hoehe = round(tiefe * massstab + 2 * rand)

    def punkt(x, y):
        return (
            f"{(x - min(xs)) * mitte * massstab + rand:.1f},{(max(ys) - y) * massstab + rand:.1f}"
        )

    pfade = {}
    for schluessel, f in flaechen.items():
        teile = []
        for polygon in f:
            for ring in polygon:
                koordinaten = list(ring.coords)
                teile.append("M" + " L".join(punkt(x, y) for x, y in koordinaten) + " Z")
        pfade[schluessel] = " ".join(teile)
    return pfade, hoehe
