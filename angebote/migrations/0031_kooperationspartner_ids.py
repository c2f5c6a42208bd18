"""`Angebot.kooperationspartner_ids`: the partners' ids, sorted, on the offering's row.

A public file of a filtered list (atlas.tabellen.export_sql with the search index's ids) names
the partners of the rows that have any – one in six on the bench – from this copy, instead of
looking up all 27,895 rows' links to find them (bench/RESULTS-export.md, Session 10). Kept as
the copies of 0009 are: statement triggers on the link table (admin, import, generator, raw
SQL, an actor's deletion), and 0010's guard, so a stale Model.save() or a direct UPDATE cannot
change it. The names are looked up when the file is made: a renamed or unpublished partner
needs no trigger.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

SQL = """
CREATE FUNCTION angebot_kooperationspartner_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE angebote_angebot a SET kooperationspartner_ids = ARRAY(
        SELECT x.akteur_id FROM angebote_angebot_kooperationspartner x
        WHERE x.angebot_id = a.id ORDER BY x.akteur_id)
    WHERE id IN (SELECT DISTINCT angebot_id FROM geaendert);
    RETURN NULL;
END $$;
CREATE TRIGGER angebot_kooperationspartner_eingefuegt
    AFTER INSERT ON angebote_angebot_kooperationspartner REFERENCING NEW TABLE AS geaendert
    FOR EACH STATEMENT EXECUTE FUNCTION angebot_kooperationspartner_ids();
CREATE TRIGGER angebot_kooperationspartner_geloescht
    AFTER DELETE ON angebote_angebot_kooperationspartner REFERENCING OLD TABLE AS geaendert
    FOR EACH STATEMENT EXECUTE FUNCTION angebot_kooperationspartner_ids();

-- Before the guard below knows the column: this UPDATE runs outside any trigger.
UPDATE angebote_angebot a SET kooperationspartner_ids = ARRAY(
    SELECT x.akteur_id FROM angebote_angebot_kooperationspartner x
    WHERE x.angebot_id = a.id ORDER BY x.akteur_id)
WHERE EXISTS (SELECT FROM angebote_angebot_kooperationspartner x WHERE x.angebot_id = a.id);

CREATE OR REPLACE FUNCTION angebot_kopien_schuetzen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        NEW.themen_ids := OLD.themen_ids;
        NEW.zielgruppen_ids := OLD.zielgruppen_ids;
        NEW.sprachen_ids := OLD.sprachen_ids;
        NEW.kooperationspartner_ids := OLD.kooperationspartner_ids;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER angebot_kopien ON angebote_angebot;
CREATE TRIGGER angebot_kopien
    BEFORE UPDATE OF themen_ids, zielgruppen_ids, sprachen_ids, kooperationspartner_ids
    ON angebote_angebot FOR EACH ROW EXECUTE FUNCTION angebot_kopien_schuetzen();
"""

RUECKWAERTS = """
DROP TRIGGER angebot_kopien ON angebote_angebot;
CREATE OR REPLACE FUNCTION angebot_kopien_schuetzen() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP TRIGGER angebot_kooperationspartner_geloescht ON angebote_angebot_kooperationspartner;
DROP TRIGGER angebot_kooperationspartner_eingefuegt ON angebote_angebot_kooperationspartner;
DROP FUNCTION angebot_kooperationspartner_ids();
"""


class Migration(migrations.Migration):
    dependencies = [("angebote", "0030_anbieter_name_index")]

    operations = [
        migrations.AddField(
            model_name="angebot",
            name="kooperationspartner_ids",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(),
                db_default=[],
                default=list,
                editable=False,
                size=None,
            ),
        ),
        migrations.RunSQL(SQL, RUECKWAERTS),
    ]
