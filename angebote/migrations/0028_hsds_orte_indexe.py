"""Covering indexes for the count of the HSDS locations (issue 12): an offering is a location of
its own when it has a place other than its provider's; counting them compares every published
offering's address with its provider's. With the address in the index (and the status and
validity) both sides are read by an index-only merge join instead of two sequential scans of
the tables (bench/RESULTS-api.md)."""

from django.db import migrations

INDEXE = [
    (
        "angebot_ort_zaehlen",
        "angebote_angebot (anbieter_id) "
        "INCLUDE (status, gueltig_von, gueltig_bis, standort, ort, plz, strasse)",
    ),
    ("akteur_ort_zaehlen", "akteure_akteur (id) INCLUDE (status, standort, ort, plz, strasse)"),
]


class Migration(migrations.Migration):
    dependencies = [("angebote", "0027_akteur_id_zaehlen_mit_art")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {name} ON {definition}", f"DROP INDEX {name}")
        for name, definition in INDEXE
    ]
