"""Indexes for counting and paging the public rows (HSDS API): covering what the public filter
reads, so a count is an index-only scan (bench/RESULTS-api.md).

Not partial on the status: an index whose predicate is "published" can be read whole and
ANDed with a radius search (tests/angebote/test_leistung.py); the status is a payload column.
Plain SQL without model state: they serve the planner, no Django lookup names them.
"""

from django.db import migrations

INDEXE = [
    (
        "angebot_anbieter_zaehlen",
        "angebote_angebot (anbieter_id) "
        "INCLUDE (status, gueltig_von, gueltig_bis, zielgruppen_ids)",
    ),
    # The provider's status is the other half of "published": its join reads this index only.
    ("akteur_id_zaehlen", "akteure_akteur (id) INCLUDE (status, traeger_id)"),
    # /api/hsds/organizations in its order (name, id): a page without sorting every actor.
    ("akteur_name_id", "akteure_akteur (name, id)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("akteure", "0012_pflichtangaben_in_der_datenbank"),
        ("angebote", "0025_suchindex_aenderungen"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {tabelle}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, tabelle in INDEXE
    ]
