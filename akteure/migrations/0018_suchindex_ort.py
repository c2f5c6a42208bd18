"""The actor index also reads whether an actor has a place (akteure.suchindex: the HSDS
/locations count): a change of its point or address must reach the change log too. Points are
compared by their binary form (exact coordinates): `geometry = geometry` in a trigger's
condition cannot be restored from a pg_dump file (its empty search_path makes the operator
ambiguous; tests/e2e/test_sicherung.py)."""

from django.db import migrations

WENN = """OLD.id <> NEW.id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.einrichtungsart_id IS DISTINCT FROM NEW.einrichtungsart_id
        OR OLD.barrierefrei IS DISTINCT FROM NEW.barrierefrei
        OR OLD.geprueft_am IS DISTINCT FROM NEW.geprueft_am
        OR OLD.erstellt_am IS DISTINCT FROM NEW.erstellt_am
        OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.suchvektor IS DISTINCT FROM NEW.suchvektor"""
ORT = """
        OR ST_AsBinary(OLD.standort) IS DISTINCT FROM ST_AsBinary(NEW.standort)
        OR OLD.strasse IS DISTINCT FROM NEW.strasse
        OR OLD.plz IS DISTINCT FROM NEW.plz OR OLD.ort IS DISTINCT FROM NEW.ort"""


def ausloeser(bedingung):
    return f"""
DROP TRIGGER suchindex_akteure_geaendert ON akteure_akteur;
CREATE TRIGGER suchindex_akteure_geaendert AFTER UPDATE ON akteure_akteur
    FOR EACH ROW WHEN ({bedingung})
    EXECUTE FUNCTION akteure_suchindex_akteur();
"""


class Migration(migrations.Migration):
    dependencies = [("akteure", "0017_suchindex_name_und_woerter")]

    operations = [migrations.RunSQL(ausloeser(WENN + ORT), ausloeser(WENN))]
