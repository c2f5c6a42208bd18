from django.db import migrations

# The search vector is kept by the database itself, so every write path (admin, import,
# generator, raw SQL) keeps it current without application code having to remember it.
SQL = """
CREATE TEXT SEARCH CONFIGURATION german_unaccent (COPY = german);
ALTER TEXT SEARCH CONFIGURATION german_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;

CREATE FUNCTION akteur_suchvektor_setzen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.suchvektor :=
        setweight(to_tsvector('german_unaccent', coalesce(NEW.name, '')), 'A')
        || setweight(to_tsvector('german_unaccent', coalesce(
            (SELECT name FROM akteure_einrichtungsart WHERE id = NEW.einrichtungsart_id), '')), 'B')
        || setweight(to_tsvector('german_unaccent', coalesce(NEW.ort, '')), 'B')
        || setweight(to_tsvector('german_unaccent', coalesce(NEW.beschreibung, '')), 'C');
    RETURN NEW;
END $$;

CREATE TRIGGER akteur_suchvektor
    BEFORE INSERT OR UPDATE OF name, beschreibung, ort, einrichtungsart_id, suchvektor
    ON akteure_akteur FOR EACH ROW EXECUTE FUNCTION akteur_suchvektor_setzen();

CREATE FUNCTION einrichtungsart_umbenannt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE akteure_akteur SET suchvektor = NULL WHERE einrichtungsart_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER einrichtungsart_name
    AFTER UPDATE OF name ON akteure_einrichtungsart FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION einrichtungsart_umbenannt();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS einrichtungsart_name ON akteure_einrichtungsart;
DROP FUNCTION IF EXISTS einrichtungsart_umbenannt();
DROP TRIGGER IF EXISTS akteur_suchvektor ON akteure_akteur;
DROP FUNCTION IF EXISTS akteur_suchvektor_setzen();
DROP TEXT SEARCH CONFIGURATION IF EXISTS german_unaccent;
"""


class Migration(migrations.Migration):
    dependencies = [("akteure", "0001_initial_schema")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
