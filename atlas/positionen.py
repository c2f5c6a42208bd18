"""Map positions that are true points on the earth: the database rule, the form field, and the
warning when a point lies far from its postcode (the admin's widget: atlas.admin_basis).

PostGIS' geography type quietly folds what it cannot hold: latitude 91 becomes 89, longitude
190 becomes −170, an infinite number becomes NaN – after which the map data of a whole list
answered 500. Forms refuse such input with a German message before it reaches the database;
the database refuses what is left (NaN, an empty point) with a CHECK constraint.
"""

import math

from django.contrib.gis import forms
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException
from django.db.models import BooleanField, F, FloatField, Func, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# 99 % of the 8,168 German postcodes have another postcode's centre within 11.6 km of their own
# (the largest gap: 43 km, Helgoland). A marker more than 30 km from the centre of its PLZ lies
# in another postcode's area: a marker dropped in the wrong place, a wrong PLZ, or latitude and
# longitude swapped. Worth a warning, never a refusal (the address may be the wrong part).
PLZ_ABSTAND_WARNUNG_KM = 30
ERDRADIUS_KM = 6371.0088


class _Geometrie(Func):
    template = "%(function)s(%(expressions)s::geometry)"


class Laengengrad(_Geometrie):
    """Longitude of a geography point (ST_X needs a geometry)."""

    function = "ST_X"
    output_field = FloatField()


class Breitengrad(_Geometrie):
    function = "ST_Y"
    output_field = FloatField()


class IstLeer(_Geometrie):
    function = "ST_IsEmpty"
    output_field = BooleanField()


def gueltige_position(feld):
    """Q for a CHECK constraint: `feld` is empty (NULL) or a finite point on the earth.

    NaN compares greater than every number in PostgreSQL, so the range checks exclude it. An
    empty point has no X and Y (NULL, which a CHECK would let pass): hence the explicit test.
    """
    x, y = Laengengrad(F(feld)), Breitengrad(F(feld))
    return Q(**{f"{feld}__isnull": True}) | Q(
        ~Q(IstLeer(F(feld))),
        GreaterThanOrEqual(x, -180),
        LessThanOrEqual(x, 180),
        GreaterThanOrEqual(y, -90),
        LessThanOrEqual(y, 90),
    )


POSITION_UNGUELTIG = _(
    "Die Position ist kein Punkt auf der Erde. Bitte setzen Sie die Markierung neu."
)


def positionsfehler(punkt):
    """What is wrong with a point given as longitude/latitude (SRID 4326), in German; [] if fine."""
    if punkt.empty:
        return [gettext("Die Position ist leer. Bitte setzen Sie die Markierung auf der Karte.")]
    if punkt.hasz:
        return [gettext("Die Position braucht genau zwei Zahlen – Länge und Breite, keine Höhe.")]
    laenge, breite = punkt.x, punkt.y
    if not (math.isfinite(laenge) and math.isfinite(breite)):
        return [
            gettext(
                "Die Position enthält keine gültige Zahl (z. B. eine unendlich große). Bitte "
                "setzen Sie die Markierung neu."
            )
        ]
    fehler = []
    if not -90 <= breite <= 90:
        fehler.append(
            gettext("Die Breite muss zwischen −90 und 90 Grad liegen, nicht %(wert)s.")
            % {"wert": f"{breite:g}"}
        )
    if not -180 <= laenge <= 180:
        fehler.append(
            gettext("Die Länge muss zwischen −180 und 180 Grad liegen, nicht %(wert)s.")
            % {"wert": f"{laenge:g}"}
        )
    if fehler and -90 <= laenge <= 90 and -180 <= breite <= 180:
        fehler.append(gettext("Sind Breite und Länge vertauscht?"))
    return fehler


class PositionsFeld(forms.PointField):
    """A point on the map: anything that is no finite longitude/latitude is refused in German."""

    default_error_messages = {
        "invalid_geom": POSITION_UNGUELTIG,
        "invalid_geom_type": _("Die Position muss ein einzelner Punkt sein."),
        "transform_error": POSITION_UNGUELTIG,
    }

    def clean(self, value):
        if isinstance(value, str) and not value.strip():
            value = ""  # nothing but spaces: no position, as an empty field
        try:
            punkt = super().clean(value)
        except (GDALException, GEOSException, ValueError, TypeError):
            raise forms.ValidationError(
                self.error_messages["invalid_geom"], code="invalid_geom"
            ) from None
        if punkt is None:
            return None
        fehler = positionsfehler(punkt)
        if fehler:
            raise forms.ValidationError(fehler, code="position")
        return punkt


def entfernung_km(a, b):
    """Great-circle distance of two longitude/latitude points (haversine, the earth a sphere)."""
    l1, b1, l2, b2 = map(math.radians, (a.x, a.y, b.x, b.y))
    h = math.sin((b2 - b1) / 2) ** 2 + math.cos(b1) * math.cos(b2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * ERDRADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def plz_abstandswarnung(*, name, punkt, plz, mitte):
    """The warning for a point more than PLZ_ABSTAND_WARNUNG_KM from the centre `mitte` of its
    PLZ, in German; "" when it is near (or there is nothing to compare)."""
    if punkt is None or mitte is None or punkt.empty:
        return ""
    km = entfernung_km(punkt, mitte)
    if km <= PLZ_ABSTAND_WARNUNG_KM:
        return ""
    text = gettext(
        "Die Position von „%(name)s“ liegt %(km)s km vom Mittelpunkt der PLZ %(plz)s entfernt. "
        "Bitte prüfen Sie die Markierung auf der Karte und die Postleitzahl."
    ) % {"name": name, "km": f"{km:.0f}", "plz": plz}
    vertauscht = type(punkt)(punkt.y, punkt.x, srid=punkt.srid)
    if entfernung_km(vertauscht, mitte) <= PLZ_ABSTAND_WARNUNG_KM:
        text += " " + gettext("Breite und Länge scheinen vertauscht zu sein.")
    return text
