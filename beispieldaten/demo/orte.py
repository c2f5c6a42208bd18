"""Sozialräume of the demo: three Länder, the places of the seed texts and some Stadtteile."""

# Rough bounding boxes (lon_min, lat_min, lon_max, lat_max) so "Einzugsgebiet contains point"
# works for Landkreis-wide or city-wide offerings.
LANDKREIS_ESSLINGEN_BOX = (9.05, 48.55, 9.65, 48.82)
KOELN_BOX = (6.77, 50.83, 7.16, 51.09)

# (slug, name, ebene, übergeordnet, box or None)
SOZIALRAEUME = [
    ("baden-wuerttemberg", "Baden-Württemberg", "land", None, None),
    (
        "landkreis-esslingen",
        "Landkreis Esslingen",
        "kreis",
        "baden-wuerttemberg",
        LANDKREIS_ESSLINGEN_BOX,
    ),
    ("esslingen-am-neckar", "Esslingen am Neckar", "gemeinde", "landkreis-esslingen", None),
    ("esslingen-pliensauvorstadt", "Pliensauvorstadt", "stadtteil", "esslingen-am-neckar", None),
    ("esslingen-mettingen", "Mettingen", "stadtteil", "esslingen-am-neckar", None),
    ("esslingen-zollberg", "Zollberg", "stadtteil", "esslingen-am-neckar", None),
    ("esslingen-innenstadt", "Innenstadt", "stadtteil", "esslingen-am-neckar", None),
    ("ostfildern", "Ostfildern", "gemeinde", "landkreis-esslingen", None),
    ("nuertingen", "Nürtingen", "gemeinde", "landkreis-esslingen", None),
    ("filderstadt", "Filderstadt", "gemeinde", "landkreis-esslingen", None),
    ("kirchheim-unter-teck", "Kirchheim unter Teck", "gemeinde", "landkreis-esslingen", None),
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
