"""The change log the in-process search index follows (atlas.suchindex, angebote.suchindex).

Every write to an offering, an actor (its status decides whether its offerings are public) or a
vocabulary (topics, target groups, languages: slugs and the Fachpublikum flag) leaves a row here,
written by the database itself: admin, import, generate_data, raw SQL and history revert alike.
"""

from django.db import migrations

SQL = """
CREATE TABLE angebote_suchindex_aenderung (
    id bigserial PRIMARY KEY,
    art char(1) NOT NULL,  -- a: Angebot, k: Akteur, v: vocabulary (rebuild)
    objekt_id bigint NOT NULL,
    zeit timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX angebote_suchindex_aenderung_zeit ON angebote_suchindex_aenderung (zeit);

CREATE FUNCTION angebote_suchindex_merken() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO angebote_suchindex_aenderung (art, objekt_id) VALUES (TG_ARGV[0], OLD.id);
        RETURN OLD;
    END IF;
    INSERT INTO angebote_suchindex_aenderung (art, objekt_id) VALUES (TG_ARGV[0], NEW.id);
    IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
        INSERT INTO angebote_suchindex_aenderung (art, objekt_id) VALUES (TG_ARGV[0], OLD.id);
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION angebote_suchindex_neu_aufbauen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO angebote_suchindex_aenderung (art, objekt_id) VALUES ('v', 0);
    RETURN NULL;
END $$;

CREATE TRIGGER suchindex_angebot AFTER INSERT OR UPDATE OR DELETE ON angebote_angebot
    FOR EACH ROW EXECUTE FUNCTION angebote_suchindex_merken('a');
-- Only what the index reads of an actor: whether it is public, and its kind.
CREATE TRIGGER suchindex_akteur AFTER INSERT OR DELETE ON akteure_akteur
    FOR EACH ROW EXECUTE FUNCTION angebote_suchindex_merken('k');
CREATE TRIGGER suchindex_akteur_geaendert AFTER UPDATE ON akteure_akteur
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
        OR OLD.einrichtungsart_id IS DISTINCT FROM NEW.einrichtungsart_id OR OLD.id <> NEW.id)
    EXECUTE FUNCTION angebote_suchindex_merken('k');
CREATE TRIGGER suchindex_thema AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON angebote_thema
    FOR EACH STATEMENT EXECUTE FUNCTION angebote_suchindex_neu_aufbauen();
CREATE TRIGGER suchindex_zielgruppe AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON angebote_zielgruppe FOR EACH STATEMENT EXECUTE FUNCTION angebote_suchindex_neu_aufbauen();
CREATE TRIGGER suchindex_sprache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON akteure_sprache
    FOR EACH STATEMENT EXECUTE FUNCTION angebote_suchindex_neu_aufbauen();
CREATE TRIGGER suchindex_angebot_geleert AFTER TRUNCATE ON angebote_angebot
    FOR EACH STATEMENT EXECUTE FUNCTION angebote_suchindex_neu_aufbauen();
"""

RUECKWAERTS = """
DROP TRIGGER suchindex_angebot_geleert ON angebote_angebot;
DROP TRIGGER suchindex_sprache ON akteure_sprache;
DROP TRIGGER suchindex_zielgruppe ON angebote_zielgruppe;
DROP TRIGGER suchindex_thema ON angebote_thema;
DROP TRIGGER suchindex_akteur_geaendert ON akteure_akteur;
DROP TRIGGER suchindex_akteur ON akteure_akteur;
DROP TRIGGER suchindex_angebot ON angebote_angebot;
DROP FUNCTION angebote_suchindex_neu_aufbauen();
DROP FUNCTION angebote_suchindex_merken();
DROP TABLE angebote_suchindex_aenderung;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("akteure", "0012_pflichtangaben_in_der_datenbank"),
        ("angebote", "0024_rollen_steckbrief_import"),
    ]

    operations = [migrations.RunSQL(SQL, RUECKWAERTS)]
