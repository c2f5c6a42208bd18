"""Sozialräume of the demo: three Länder, the places of the seed texts and some Stadtteile."""

# Rough bounding boxes (lon_min, lat_min, lon_max, lat_max) so "Einzugsgebiet contains point"
# works for Landkreis-wide or city-wide offerings.
LANDKREIS_ESSLINGEN_BOX = (9.05, 48.55, 9.65, 48.82)
KOELN_BOX = (6.77, 50.83, 7.16, 51.09)

# Simple hand-drawn outlines (lon, lat rings) of the Esslingen Gemeinden and Stadtteile, so that
# the gap analysis shows its map: drawn around the demo's places, not the real boundaries
# (FLAECHE_QUELLE says so under every map). They do not overlap; the Stadtteile lie inside
# Esslingen am Neckar. Nürtingen has none on purpose: an area known by its PLZ alone.
ESSLINGEN_UMRISS = (
    (9.275, 48.725), (9.300, 48.712), (9.350, 48.712), (9.372, 48.730), (9.365, 48.765),
    (9.285, 48.765), (9.275, 48.725),
)  # fmt: skip
OSTFILDERN_UMRISS = (
    (9.225, 48.700), (9.272, 48.700), (9.274, 48.735), (9.240, 48.740), (9.225, 48.725),
    (9.225, 48.700),
)  # fmt: skip
FILDERSTADT_UMRISS = (
    (9.170, 48.640), (9.250, 48.640), (9.255, 48.690), (9.210, 48.698), (9.170, 48.680),
    (9.170, 48.640),
)  # fmt: skip
KIRCHHEIM_UMRISS = (
    (9.410, 48.620), (9.500, 48.620), (9.500, 48.680), (9.450, 48.690), (9.420, 48.680),
    (9.410, 48.620),
)  # fmt: skip
INNENSTADT_UMRISS = (
    (9.296, 48.736), (9.322, 48.736), (9.322, 48.750), (9.300, 48.752), (9.296, 48.736),
)  # fmt: skip
PLIENSAUVORSTADT_UMRISS = (
    (9.283, 48.728), (9.295, 48.726), (9.306, 48.727), (9.306, 48.7355), (9.283, 48.7355),
    (9.283, 48.728),
)  # fmt: skip
ZOLLBERG_UMRISS = (
    (9.3065, 48.715), (9.335, 48.715), (9.335, 48.733), (9.3065, 48.733), (9.3065, 48.715),
)  # fmt: skip
METTINGEN_UMRISS = (
    (9.330, 48.7335), (9.360, 48.7335), (9.362, 48.745), (9.332, 48.746), (9.330, 48.7335),
)  # fmt: skip
FLAECHE_QUELLE = "Demo-Umriss, nicht amtlich (für die Beispieldaten gezeichnet)"

# (slug, name, ebene, übergeordnet, box, ring or None)
SOZIALRAEUME = [
    ("baden-wuerttemberg", "Baden-Württemberg", "land", None, None),
    (
        "landkreis-esslingen",
        "Landkreis Esslingen",
        "kreis",
        "baden-wuerttemberg",
        LANDKREIS_ESSLINGEN_BOX,
    ),
    (
        "esslingen-am-neckar",
        "Esslingen am Neckar",
        "gemeinde",
        "landkreis-esslingen",
        ESSLINGEN_UMRISS,
    ),
    (
        "esslingen-pliensauvorstadt",
        "Pliensauvorstadt",
        "stadtteil",
        "esslingen-am-neckar",
        PLIENSAUVORSTADT_UMRISS,
    ),
    ("esslingen-mettingen", "Mettingen", "stadtteil", "esslingen-am-neckar", METTINGEN_UMRISS),
    ("esslingen-zollberg", "Zollberg", "stadtteil", "esslingen-am-neckar", ZOLLBERG_UMRISS),
    ("esslingen-innenstadt", "Innenstadt", "stadtteil", "esslingen-am-neckar", INNENSTADT_UMRISS),
    ("ostfildern", "Ostfildern", "gemeinde", "landkreis-esslingen", OSTFILDERN_UMRISS),
    ("nuertingen", "Nürtingen", "gemeinde", "landkreis-esslingen", None),
    ("filderstadt", "Filderstadt", "gemeinde", "landkreis-esslingen", FILDERSTADT_UMRISS),
    (
        "kirchheim-unter-teck",
        "Kirchheim unter Teck",
        "gemeinde",
        "landkreis-esslingen",
        KIRCHHEIM_UMRISS,
    ),
    ("nordrhein-westfalen", "Nordrhein-Westfalen", "land", None, None),
    ("gelsenkirchen", "Gelsenkirchen", "kreis", "nordrhein-westfalen", None),
    ("gelsenkirchen-schalke", "Schalke", "stadtteil", "gelsenkirchen", None),
    ("gelsenkirchen-bismarck", "Bismarck", "stadtteil", "gelsenkirchen", None),
    ("gelsenkirchen-ueckendorf", "Ückendorf", "stadtteil", "gelsenkirchen", None),
    ("gelsenkirchen-hassel", "Hassel", "stadtteil", "gelsenkirchen", None),
    ("moenchengladbach", "Mönchengladbach", "kreis", "nordrhein-westfalen", None),
    ("moenchengladbach-rheydt", "Rheydt", "stadtteil", "moenchengladbach", None),
    ("moenchengladbach-gladbach", "Gladbach", "stadtteil", "moenchengladbach", None),
    ("moenchengladbach-hardt", "Hardt", "stadtteil", "moenchengladbach", None),
    ("koeln", "Köln", "kreis", "nordrhein-westfalen", KOELN_BOX),
    ("koeln-chorweiler", "Chorweiler", "stadtteil", "koeln", None),
    ("koeln-muelheim", "Mülheim", "stadtteil", "koeln", None),
    ("koeln-kalk", "Kalk", "stadtteil", "koeln", None),
    ("koeln-ehrenfeld", "Ehrenfeld", "stadtteil", "koeln", None),
    ("niedersachsen", "Niedersachsen", "land", None, None),
    ("wilhelmshaven", "Wilhelmshaven", "kreis", "niedersachsen", None),
]

# Per Gemeinde / kreisfreie Stadt: the town name for addresses, phone prefix, and the languages
# that families there often speak besides German.
STAEDTE = {
    "esslingen-am-neckar": ("Esslingen am Neckar", "0711", ["tr", "ru", "ar", "el", "it"]),
    "ostfildern": ("Ostfildern", "0711", ["tr", "ru", "hr"]),
    "nuertingen": ("Nürtingen", "07022", ["tr", "ar", "ro"]),
    "filderstadt": ("Filderstadt", "0711", ["tr", "uk", "it"]),
    "kirchheim-unter-teck": ("Kirchheim unter Teck", "07021", ["tr", "ar", "sq"]),
    "landkreis-esslingen": ("Esslingen am Neckar", "0711", ["tr", "ar", "uk"]),
    "wilhelmshaven": ("Wilhelmshaven", "04421", ["ar", "fa", "ru", "uk", "ti"]),
    "gelsenkirchen": ("Gelsenkirchen", "0209", ["tr", "ar", "ro", "bg", "pl"]),
    "moenchengladbach": ("Mönchengladbach", "02161", ["tr", "ru", "pl", "ar"]),
    "koeln": ("Köln", "0221", ["tr", "ar", "en", "fa", "ru", "uk"]),
}
