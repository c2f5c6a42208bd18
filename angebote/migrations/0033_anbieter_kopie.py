"""`Angebot.anbieter_name` and `Angebot.anbieter_status`: the provider's name and status, copied
onto the offering's row by the database.

A public file of a filtered list (atlas.tabellen.export_sql with the search index's ids) read
each row's provider by key for its name and for the condition "published provider": about
0.05 s of the database's 0.39 s for 27,895 rows (bench/RESULTS-export.md, Session 12). With the
copy it reads the offering's row alone.

Kept on every write path (admin, import, generator, raw SQL, history revert), as 0029 keeps
`eigener_ort`: the offering's trigger, now one for both facts, sets the copy on every insert
and update (a value written to it is overwritten), and a provider's rename, change of status or
late insert (foreign keys are checked at commit) rewrites its offerings' copies. The provider
is read FOR SHARE: a concurrent rename is either committed before (and read) or waits for this
transaction (and then rewrites this offering).

The backfill writes every offering once, with the table locked until the migration commits:
34 s for 250,000 offerings on the bench machine. Plan it for a quiet moment, and run
`VACUUM ANALYZE angebote_angebot` afterwards (the old row versions).
"""

from django.db import migrations, models

SQL = """
CREATE FUNCTION angebot_vom_anbieter_setzen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    SELECT standort, strasse, plz, ort, name, status INTO k FROM akteure_akteur
        WHERE id = NEW.anbieter_id FOR SHARE;
    IF NOT FOUND THEN
        NEW.eigener_ort := angebote_eigener_ort(
            NEW.standort, NEW.strasse, NEW.plz, NEW.ort, NULL, NULL, NULL, NULL);
        NEW.anbieter_name := '';
        NEW.anbieter_status := '';
    ELSE
        NEW.eigener_ort := angebote_eigener_ort(
            NEW.standort, NEW.strasse, NEW.plz, NEW.ort, k.standort, k.strasse, k.plz, k.ort);
        NEW.anbieter_name := k.name;
        NEW.anbieter_status := k.status;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER angebot_eigener_ort ON angebote_angebot;
DROP FUNCTION angebot_eigener_ort_setzen();
CREATE TRIGGER angebot_vom_anbieter BEFORE INSERT OR UPDATE ON angebote_angebot
    FOR EACH ROW EXECUTE FUNCTION angebot_vom_anbieter_setzen();

-- Only the offerings whose copy differs are written (their own trigger sets it again).
CREATE FUNCTION anbieter_kopie_geaendert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE angebote_angebot a SET anbieter_name = NEW.name, anbieter_status = NEW.status
    WHERE a.anbieter_id = NEW.id
      AND (a.anbieter_name IS DISTINCT FROM NEW.name
           OR a.anbieter_status IS DISTINCT FROM NEW.status);
    RETURN NULL;
END $$;
CREATE TRIGGER anbieter_kopie_neu AFTER INSERT ON akteure_akteur
    FOR EACH ROW EXECUTE FUNCTION anbieter_kopie_geaendert();
CREATE TRIGGER anbieter_kopie AFTER UPDATE ON akteure_akteur FOR EACH ROW
    WHEN (OLD.id <> NEW.id OR OLD.name IS DISTINCT FROM NEW.name
        OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION anbieter_kopie_geaendert();

-- Every row is written once: on 250,000 offerings longer than a request may take.
SET LOCAL statement_timeout = 0;
-- The backfill sets what the offering's trigger would, and the copies are no part of the
-- search index: neither trigger runs for it.
ALTER TABLE angebote_angebot DISABLE TRIGGER angebot_vom_anbieter;
ALTER TABLE angebote_angebot DISABLE TRIGGER suchindex_angebot;
UPDATE angebote_angebot a SET anbieter_name = k.name, anbieter_status = k.status
    FROM akteure_akteur k WHERE k.id = a.anbieter_id;
ALTER TABLE angebote_angebot ENABLE TRIGGER suchindex_angebot;
ALTER TABLE angebote_angebot ENABLE TRIGGER angebot_vom_anbieter;
"""

RUECKWAERTS = """
DROP TRIGGER anbieter_kopie ON akteure_akteur;
DROP TRIGGER anbieter_kopie_neu ON akteure_akteur;
DROP FUNCTION anbieter_kopie_geaendert();
DROP TRIGGER angebot_vom_anbieter ON angebote_angebot;
DROP FUNCTION angebot_vom_anbieter_setzen();
CREATE FUNCTION angebot_eigener_ort_setzen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    SELECT standort, strasse, plz, ort INTO k FROM akteure_akteur
        WHERE id = NEW.anbieter_id FOR SHARE;
    IF NOT FOUND THEN
        NEW.eigener_ort := angebote_eigener_ort(
            NEW.standort, NEW.strasse, NEW.plz, NEW.ort, NULL, NULL, NULL, NULL);
    ELSE
        NEW.eigener_ort := angebote_eigener_ort(
            NEW.standort, NEW.strasse, NEW.plz, NEW.ort, k.standort, k.strasse, k.plz, k.ort);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER angebot_eigener_ort BEFORE INSERT OR UPDATE ON angebote_angebot
    FOR EACH ROW EXECUTE FUNCTION angebot_eigener_ort_setzen();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("akteure", "0018_suchindex_ort"),
        ("angebote", "0032_suchindex_sozialraum"),
    ]

    operations = [
        migrations.AddField(
            model_name="angebot",
            name="anbieter_name",
            field=models.TextField(db_default="", default="", editable=False),
        ),
        migrations.AddField(
            model_name="angebot",
            name="anbieter_status",
            field=models.TextField(db_default="", default="", editable=False),
        ),
        migrations.RunSQL(SQL, RUECKWAERTS),
    ]
