import django.db.models.lookups
from django.db import migrations, models

import atlas.positionen

# PostGIS folds what a geography cannot hold (latitude 91 → 89, an infinite number → NaN), and
# nothing refused it: a NaN position broke the map data of every list showing the row. Before
# the rule, positions that are no point on the earth (NaN, empty) become no position at all; an
# Akteur needs none (a Familienhebamme has no public address).
REPARATUR = """
UPDATE akteure_akteur SET standort = NULL
 WHERE standort IS NOT NULL
   AND (ST_IsEmpty(standort::geometry)
        OR NOT (ST_X(standort::geometry) BETWEEN -180 AND 180
                AND ST_Y(standort::geometry) BETWEEN -90 AND 90))
"""


def gueltig(feld):
    """The CHECK of atlas.positionen.gueltige_position(), as it was when this was written."""
    x = atlas.positionen.Laengengrad(models.F(feld))
    y = atlas.positionen.Breitengrad(models.F(feld))
    return models.Q(
        (f"{feld}__isnull", True),
        models.Q(
            models.Q(atlas.positionen.IstLeer(models.F(feld)), _negated=True),
            django.db.models.lookups.GreaterThanOrEqual(x, -180),
            django.db.models.lookups.LessThanOrEqual(x, 180),
            django.db.models.lookups.GreaterThanOrEqual(y, -90),
            django.db.models.lookups.LessThanOrEqual(y, 90),
        ),
        _connector="OR",
    )


MELDUNG = "Die Position ist kein Punkt auf der Erde. Bitte setzen Sie die Markierung neu."


class Migration(migrations.Migration):
    dependencies = [("akteure", "0006_indizes_fuer_oeffentliche_suche")]

    operations = [
        migrations.RunSQL(REPARATUR, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="akteur",
            constraint=models.CheckConstraint(
                condition=gueltig("standort"),
                name="akteur_standort_gueltig",
                violation_error_message=MELDUNG,
            ),
        ),
        migrations.AddConstraint(
            model_name="ort",
            constraint=models.CheckConstraint(
                condition=gueltig("punkt"), name="ort_punkt_gueltig", violation_error_message=MELDUNG
            ),
        ),
        migrations.AddConstraint(
            model_name="postleitzahl",
            constraint=models.CheckConstraint(
                condition=gueltig("punkt"),
                name="postleitzahl_punkt_gueltig",
                violation_error_message=MELDUNG,
            ),
        ),
    ]
