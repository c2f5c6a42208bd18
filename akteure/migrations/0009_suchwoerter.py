from django.db import migrations

from atlas.suchwort_sql import rueckwaerts_sql, trigger_sql

# The public words of actors and kinds count in the search vocabulary (atlas 0001): the same
# columns as their search vectors (migration 0002), an actor's only while it is published.
QUELLEN = {
    "akteure_akteur": (
        ("name", "ort", "beschreibung", "status"),
        "CASE WHEN t.status = 'veroeffentlicht'"
        " THEN concat_ws(' ', t.name, t.ort, t.beschreibung) END",
    ),
    "akteure_einrichtungsart": (("name",), "t.name"),
}


class Migration(migrations.Migration):
    dependencies = [("akteure", "0008_sozialraum_plz"), ("atlas", "0001_suchwort")]

    operations = [
        migrations.RunSQL(trigger_sql(t, *q), rueckwaerts_sql(t, *q)) for t, q in QUELLEN.items()
    ]
