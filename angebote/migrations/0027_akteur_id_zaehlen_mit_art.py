"""The actors' covering index (0026) also carries the Einrichtungsart: the partner structure
(netzwerke.struktur, counted per type over a programme's partnerships) then reads each
partner's status and type from the index alone (bench/RESULTS-auswertung.md)."""

from django.db import migrations


def ersetzen(spalten):
    return (
        f"CREATE INDEX akteur_id_zaehlen_neu ON akteure_akteur (id) INCLUDE ({spalten}); "
        "DROP INDEX IF EXISTS akteur_id_zaehlen; "
        "ALTER INDEX akteur_id_zaehlen_neu RENAME TO akteur_id_zaehlen"
    )


class Migration(migrations.Migration):
    dependencies = [("angebote", "0026_oeffentlich_zaehlen_indexe")]

    operations = [
        migrations.RunSQL(
            ersetzen("status, traeger_id, einrichtungsart_id"),
            ersetzen("status, traeger_id"),
        )
    ]
