from django.db import migrations

# Model.save() writes every column, so an instance loaded before its links changed (a second
# browser tab, a history revert) would write old copies back. Only the link tables' triggers,
# whose UPDATE runs one trigger level down, may change them; a direct UPDATE keeps the stored.
SQL = """
CREATE FUNCTION angebot_kopien_schuetzen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        NEW.themen_ids := OLD.themen_ids;
        NEW.zielgruppen_ids := OLD.zielgruppen_ids;
        NEW.sprachen_ids := OLD.sprachen_ids;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER angebot_kopien
    BEFORE UPDATE OF themen_ids, zielgruppen_ids, sprachen_ids ON angebote_angebot
    FOR EACH ROW EXECUTE FUNCTION angebot_kopien_schuetzen();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS angebot_kopien ON angebote_angebot;
DROP FUNCTION IF EXISTS angebot_kopien_schuetzen();
"""


class Migration(migrations.Migration):
    dependencies = [("angebote", "0009_link_ids_for_facets")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
