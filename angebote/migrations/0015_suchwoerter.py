from django.db import migrations

from atlas.suchwort_sql import rueckwaerts_sql, trigger_sql

# The public words of offerings and topics count in the search vocabulary (atlas 0001): the
# columns of their search vectors (migration 0002), an offering's only while it is published.
# (Provider names are counted with the actors, akteure 0009.)
QUELLEN = {
    "angebote_angebot": (
        ("titel", "beschreibung", "status"),
        "CASE WHEN t.status = 'veroeffentlicht' THEN concat_ws(' ', t.titel, t.beschreibung) END",
    ),
    "angebote_thema": (("name",), "t.name"),
}


class Migration(migrations.Migration):
    dependencies = [("angebote", "0014_zielgruppe_fachpublikum"), ("atlas", "0001_suchwort")]

    operations = [
        migrations.RunSQL(trigger_sql(t, *q), rueckwaerts_sql(t, *q)) for t, q in QUELLEN.items()
    ]
