from django.db import migrations

# Title, topics, provider name and description feed the stored German search vector. Triggers
# keep it current on every write path; the statement-level triggers on the topic table make a
# bulk load (generator, import) cost one UPDATE, not one per row.
SQL = """
CREATE FUNCTION angebot_suchvektor_setzen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.suchvektor :=
        setweight(to_tsvector('german_unaccent', coalesce(NEW.titel, '')), 'A')
        || setweight(to_tsvector('german_unaccent', coalesce(
            (SELECT string_agg(t.name, ' ') FROM angebote_angebot_themen at
             JOIN angebote_thema t ON t.id = at.thema_id WHERE at.angebot_id = NEW.id), '')), 'B')
        || setweight(to_tsvector('german_unaccent', coalesce(
            (SELECT name FROM akteure_akteur WHERE id = NEW.anbieter_id), '')), 'B')
        || setweight(to_tsvector('german_unaccent', coalesce(NEW.beschreibung, '')), 'C');
    RETURN NEW;
END $$;

CREATE TRIGGER angebot_suchvektor
    BEFORE INSERT OR UPDATE OF titel, beschreibung, anbieter_id, suchvektor
    ON angebote_angebot FOR EACH ROW EXECUTE FUNCTION angebot_suchvektor_setzen();

CREATE FUNCTION angebot_themen_neu() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE angebote_angebot SET suchvektor = NULL
    WHERE id IN (SELECT DISTINCT angebot_id FROM geaendert);
    RETURN NULL;
END $$;

CREATE TRIGGER angebot_themen_eingefuegt
    AFTER INSERT ON angebote_angebot_themen REFERENCING NEW TABLE AS geaendert
    FOR EACH STATEMENT EXECUTE FUNCTION angebot_themen_neu();
CREATE TRIGGER angebot_themen_geloescht
    AFTER DELETE ON angebote_angebot_themen REFERENCING OLD TABLE AS geaendert
    FOR EACH STATEMENT EXECUTE FUNCTION angebot_themen_neu();

CREATE FUNCTION anbieter_oder_thema_umbenannt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'akteure_akteur' THEN
        UPDATE angebote_angebot SET suchvektor = NULL WHERE anbieter_id = NEW.id;
    ELSE
        UPDATE angebote_angebot SET suchvektor = NULL WHERE id IN (
            SELECT angebot_id FROM angebote_angebot_themen WHERE thema_id = NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER anbieter_name
    AFTER UPDATE OF name ON akteure_akteur FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION anbieter_oder_thema_umbenannt();
CREATE TRIGGER thema_name
    AFTER UPDATE OF name ON angebote_thema FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION anbieter_oder_thema_umbenannt();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS thema_name ON angebote_thema;
DROP TRIGGER IF EXISTS anbieter_name ON akteure_akteur;
DROP FUNCTION IF EXISTS anbieter_oder_thema_umbenannt();
DROP TRIGGER IF EXISTS angebot_themen_geloescht ON angebote_angebot_themen;
DROP TRIGGER IF EXISTS angebot_themen_eingefuegt ON angebote_angebot_themen;
DROP FUNCTION IF EXISTS angebot_themen_neu();
DROP TRIGGER IF EXISTS angebot_suchvektor ON angebote_angebot;
DROP FUNCTION IF EXISTS angebot_suchvektor_setzen();
"""


class Migration(migrations.Migration):
    dependencies = [("angebote", "0001_initial_schema"), ("akteure", "0002_search_triggers")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
