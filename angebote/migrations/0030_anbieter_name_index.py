"""The provider's and the partners' names for the offering exports, read from an index.

A public file of a filtered list (atlas.tabellen.export_sql with the search index's ids) looks
up each row's provider – its status (published?) and its name – and each partner's, by key:
27,895 lookups for a topic's offerings. With the status and the name in this index each lookup
is an index-only scan instead of an index and a heap page of the wide actors' table
(bench/RESULTS-export.md, Session 10). Not partial on the status: the staff files read the
names of unpublished providers too. Plain SQL without model state, as angebote 0026.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("angebote", "0029_angebot_eigener_ort")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX akteur_name_lesen ON akteure_akteur (id) INCLUDE (status, name)",
            "DROP INDEX akteur_name_lesen",
        )
    ]
