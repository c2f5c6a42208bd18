"""The actor index also holds the words of the search vector and the "name, id" order
(akteure.suchindex): a change of the name or of the vector (name, description, place, the
kind's name) is logged as well."""

from django.db import migrations

BEDINGUNG_ALT = """OLD.id <> NEW.id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.einrichtungsart_id IS DISTINCT FROM NEW.einrichtungsart_id
        OR OLD.barrierefrei IS DISTINCT FROM NEW.barrierefrei
        OR OLD.geprueft_am IS DISTINCT FROM NEW.geprueft_am
        OR OLD.erstellt_am IS DISTINCT FROM NEW.erstellt_am"""
BEDINGUNG_NEU = (
    BEDINGUNG_ALT
    + """
        OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.suchvektor IS DISTINCT FROM NEW.suchvektor"""
)


def trigger(bedingung):
    return f"""
DROP TRIGGER suchindex_akteure_geaendert ON akteure_akteur;
CREATE TRIGGER suchindex_akteure_geaendert AFTER UPDATE ON akteure_akteur
    FOR EACH ROW WHEN ({bedingung})
    EXECUTE FUNCTION akteure_suchindex_akteur();
-- Every process reads its index again, now with words and order.
INSERT INTO akteure_suchindex_aenderung (art, objekt_id) VALUES ('v', 0);
"""


class Migration(migrations.Migration):
    dependencies = [("akteure", "0016_amtsbereich_verlauf")]

    operations = [migrations.RunSQL(trigger(BEDINGUNG_NEU), trigger(BEDINGUNG_ALT))]
