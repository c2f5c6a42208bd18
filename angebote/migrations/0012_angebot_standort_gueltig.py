import django.db.models.lookups
from django.db import migrations, models

import atlas.positionen

# See akteure 0007_gueltige_positionen. An offering whose position is no point on the earth
# (NaN, empty) takes its provider's (repaired there, so valid or none); a published offering
# left without any place and not online or home visits goes back to draft, as the rule
# angebot_veroeffentlicht_mit_ort requires.
REPARATUR = """
UPDATE angebote_angebot a
   SET standort = k.standort,
       status = CASE
           WHEN k.standort IS NULL AND a.status = 'veroeffentlicht'
                AND a.format NOT IN ('hausbesuch', 'online') THEN 'entwurf'
           ELSE a.status END
  FROM akteure_akteur k
 WHERE k.id = a.anbieter_id
   AND a.standort IS NOT NULL
   AND (ST_IsEmpty(a.standort::geometry)
        OR NOT (ST_X(a.standort::geometry) BETWEEN -180 AND 180
                AND ST_Y(a.standort::geometry) BETWEEN -90 AND 90))
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


class Migration(migrations.Migration):
    dependencies = [
        ("akteure", "0007_gueltige_positionen"),
        ("angebote", "0011_angebot_adresse_vom_anbieter"),
    ]

    operations = [
        migrations.RunSQL(REPARATUR, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="angebot",
            constraint=models.CheckConstraint(
                condition=gueltig("standort"),
                name="angebot_standort_gueltig",
                violation_error_message=(
                    "Die Position ist kein Punkt auf der Erde. Bitte setzen Sie die Markierung "
                    "neu."
                ),
            ),
        ),
    ]
