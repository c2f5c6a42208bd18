"""The change log the in-process actor index follows (atlas.suchindex, akteure.suchindex).

Every write to an actor or to its languages leaves a row here, and a change of the vocabularies
(kinds of institution with their Bereich, languages) one that makes every process read the index
again – written by the database itself: admin, import, generate_data, raw SQL and history revert
alike.
"""

from django.db import migrations

SQL = """
CREATE TABLE akteure_suchindex_aenderung (
    id bigserial PRIMARY KEY,
    art char(1) NOT NULL,  -- k: Akteur (its row or its languages), v: vocabulary (rebuild)
    objekt_id bigint NOT NULL,
    zeit timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX akteure_suchindex_aenderung_zeit ON akteure_suchindex_aenderung (zeit);

CREATE FUNCTION akteure_suchindex_akteur() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO akteure_suchindex_aenderung (art, objekt_id) VALUES ('k', OLD.id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO akteure_suchindex_aenderung (art, objekt_id) VALUES ('k', NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION akteure_suchindex_sprachen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO akteure_suchindex_aenderung (art, objekt_id) VALUES ('k', OLD.akteur_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO akteure_suchindex_aenderung (art, objekt_id) VALUES ('k', NEW.akteur_id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION akteure_suchindex_neu_aufbauen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO akteure_suchindex_aenderung (art, objekt_id) VALUES ('v', 0);
    RETURN NULL;
END $$;

-- Only what the index reads of an actor.
CREATE TRIGGER suchindex_akteure AFTER INSERT OR DELETE ON akteure_akteur
    FOR EACH ROW EXECUTE FUNCTION akteure_suchindex_akteur();
CREATE TRIGGER suchindex_akteure_geaendert AFTER UPDATE ON akteure_akteur
    FOR EACH ROW WHEN (OLD.id <> NEW.id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.einrichtungsart_id IS DISTINCT FROM NEW.einrichtungsart_id
        OR OLD.barrierefrei IS DISTINCT FROM NEW.barrierefrei
        OR OLD.geprueft_am IS DISTINCT FROM NEW.geprueft_am
        OR OLD.erstellt_am IS DISTINCT FROM NEW.erstellt_am)
    EXECUTE FUNCTION akteure_suchindex_akteur();
CREATE TRIGGER suchindex_akteure_sprachen AFTER INSERT OR UPDATE OR DELETE
    ON akteure_akteur_sprachen FOR EACH ROW EXECUTE FUNCTION akteure_suchindex_sprachen();
CREATE TRIGGER suchindex_akteure_geleert AFTER TRUNCATE ON akteure_akteur
    FOR EACH STATEMENT EXECUTE FUNCTION akteure_suchindex_neu_aufbauen();
CREATE TRIGGER suchindex_akteure_sprachen_geleert AFTER TRUNCATE ON akteure_akteur_sprachen
    FOR EACH STATEMENT EXECUTE FUNCTION akteure_suchindex_neu_aufbauen();
CREATE TRIGGER suchindex_akteure_einrichtungsart AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON akteure_einrichtungsart FOR EACH STATEMENT EXECUTE FUNCTION akteure_suchindex_neu_aufbauen();
CREATE TRIGGER suchindex_akteure_sprache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON akteure_sprache FOR EACH STATEMENT EXECUTE FUNCTION akteure_suchindex_neu_aufbauen();
"""

RUECKWAERTS = """
DROP TRIGGER suchindex_akteure_sprache ON akteure_sprache;
DROP TRIGGER suchindex_akteure_einrichtungsart ON akteure_einrichtungsart;
DROP TRIGGER suchindex_akteure_sprachen_geleert ON akteure_akteur_sprachen;
DROP TRIGGER suchindex_akteure_geleert ON akteure_akteur;
DROP TRIGGER suchindex_akteure_sprachen ON akteure_akteur_sprachen;
DROP TRIGGER suchindex_akteure_geaendert ON akteure_akteur;
DROP TRIGGER suchindex_akteure ON akteure_akteur;
DROP FUNCTION akteure_suchindex_neu_aufbauen();
DROP FUNCTION akteure_suchindex_sprachen();
DROP FUNCTION akteure_suchindex_akteur();
DROP TABLE akteure_suchindex_aenderung;
"""


class Migration(migrations.Migration):
    dependencies = [("akteure", "0013_sozialraum_flaeche_quelle")]

    operations = [migrations.RunSQL(SQL, RUECKWAERTS)]
