# The map tests "point in the viewport" planar (atlas/karte.py): a lon/lat rectangle as a
# geography would have great-circle edges. This index on the planar cast lets that test use an
# index at every zoom, and its statistics let the planner estimate how many rows a viewport
# holds. Raw SQL, so the model state is unchanged (Meta.indexes cannot express it without an
# entry in angebote/models.py); ANALYZE gathers the expression's statistics right away.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("angebote", "0006_rollen")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX angebot_standort_geometrie ON angebote_angebot "
            "USING gist ((standort::geometry)); ANALYZE angebote_angebot;",
            "DROP INDEX angebot_standort_geometrie;",
        )
    ]
