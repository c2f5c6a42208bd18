"""Indexes for counting and paging the public rows (HSDS API, exports): partial to published rows,
covering what the public filter reads, so a count is an index-only scan (bench/RESULTS-api.md).

Plain SQL without model state: they serve the planner, no Django lookup names them.
"""

from django.db import migrations

INDEXE = [
    (
        "angebot_oeffentlich_zaehlen",
        "angebote_angebot (anbieter_id) INCLUDE (gueltig_von, gueltig_bis, zielgruppen_ids)",
    ),
    # The provider's status is the other half of "published": its join reads this index only.
    ("akteur_oeffentlich_id", "akteure_akteur (id) INCLUDE (traeger_id)"),
    # /api/hsds/organizations in its order (name, id): a page without sorting every actor.
    ("akteur_oeffentlich_name", "akteure_akteur (name, id)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("akteure", "0012_pflichtangaben_in_der_datenbank"),
        ("angebote", "0023_pflichtangaben_in_der_datenbank"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {tabelle} WHERE status = 'veroeffentlicht'",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, tabelle in INDEXE
    ]
