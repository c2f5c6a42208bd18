"""`Angebot.eigener_ort`: the offering is an HSDS location of its own – it has a place or an
address, and not its provider's (hsds.eigener_ort() is the rule in Python). Kept by the
database on every write path (admin, import, generator, raw SQL, history revert): a trigger
sets it on every insert and update of an offering (a value written to it is overwritten), and
a change of a provider's point or address recomputes its offerings (issue 12: the /locations
count compared ~190,000 offerings with their providers on every request; bench/RESULTS-api.md).

The offering's trigger reads its provider FOR SHARE: a provider's address changed by a
concurrent transaction is either committed before (and read) or waits for this one (and then
recomputes this offering). A provider not there yet (foreign keys are checked at commit)
counts as having no place; its INSERT recomputes its offerings.
"""

import django.db.models
from django.db import migrations

SQL = """
CREATE FUNCTION angebote_eigener_ort(
    a_standort geography, a_strasse text, a_plz text, a_ort text,
    k_standort geography, k_strasse text, k_plz text, k_ort text
) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (a_standort IS NOT NULL OR a_strasse <> '' OR a_plz <> '' OR a_ort <> '')
        AND NOT (
            ((a_standort IS NULL AND k_standort IS NULL)
                OR coalesce(a_standort::geometry = k_standort::geometry, false))
            AND a_strasse IS NOT DISTINCT FROM k_strasse
            AND a_plz IS NOT DISTINCT FROM k_plz
            AND a_ort IS NOT DISTINCT FROM k_ort
        )
$$;

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

-- Only the offerings whose fact changes are written (their own trigger computes it again).
CREATE FUNCTION anbieter_ort_geaendert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE angebote_angebot a SET eigener_ort = NOT a.eigener_ort
    WHERE a.anbieter_id = NEW.id
      AND a.eigener_ort IS DISTINCT FROM angebote_eigener_ort(
          a.standort, a.strasse, a.plz, a.ort, NEW.standort, NEW.strasse, NEW.plz, NEW.ort);
    RETURN NULL;
END $$;

CREATE TRIGGER anbieter_ort_neu AFTER INSERT ON akteure_akteur
    FOR EACH ROW EXECUTE FUNCTION anbieter_ort_geaendert();
-- Points compared by their binary form: `geometry = geometry` in a trigger's condition cannot
-- be restored from a pg_dump file (ambiguous under its empty search_path).
CREATE TRIGGER anbieter_ort AFTER UPDATE ON akteure_akteur FOR EACH ROW
    WHEN (OLD.id <> NEW.id
        OR ST_AsBinary(OLD.standort) IS DISTINCT FROM ST_AsBinary(NEW.standort)
        OR OLD.strasse IS DISTINCT FROM NEW.strasse
        OR OLD.plz IS DISTINCT FROM NEW.plz OR OLD.ort IS DISTINCT FROM NEW.ort)
    EXECUTE FUNCTION anbieter_ort_geaendert();

-- The page of /locations walks the own places in title order, and their count reads this
-- index alone (status and validity in it; the provider's status by its primary key). Built before
-- the rows are set: built after, in the same transaction, it would be unusable until every
-- transaction older than it has ended (pg_index.indcheckxmin).
CREATE INDEX angebot_eigener_ort ON angebote_angebot (titel, id)
    INCLUDE (anbieter_id, status, gueltig_von, gueltig_bis) WHERE eigener_ort;
-- Near a place: the own places within the radius, not every offering there read from the table.
CREATE INDEX angebot_eigener_ort_standort ON angebote_angebot USING gist (standort)
    WHERE eigener_ort;

UPDATE angebote_angebot a SET eigener_ort = true
    FROM akteure_akteur k
    WHERE k.id = a.anbieter_id
      AND angebote_eigener_ort(a.standort, a.strasse, a.plz, a.ort,
                               k.standort, k.strasse, k.plz, k.ort);

-- The count no longer compares addresses (angebote 0028).
DROP INDEX angebot_ort_zaehlen;
-- A few percent of the rows changed: too few for autovacuum to analyze, but the planner must
-- know how rare the fact is to walk the index above.
ANALYZE angebote_angebot;
"""

RUECKWAERTS = """
CREATE INDEX angebot_ort_zaehlen ON angebote_angebot (anbieter_id)
    INCLUDE (status, gueltig_von, gueltig_bis, standort, ort, plz, strasse);
DROP INDEX angebot_eigener_ort_standort;
DROP INDEX angebot_eigener_ort;
DROP TRIGGER anbieter_ort ON akteure_akteur;
DROP TRIGGER anbieter_ort_neu ON akteure_akteur;
DROP FUNCTION anbieter_ort_geaendert();
DROP TRIGGER angebot_eigener_ort ON angebote_angebot;
DROP FUNCTION angebot_eigener_ort_setzen();
DROP FUNCTION angebote_eigener_ort(geography, text, text, text, geography, text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("akteure", "0016_amtsbereich_verlauf"),
        ("angebote", "0028_hsds_orte_indexe"),
    ]

    operations = [
        migrations.AddField(
            model_name="angebot",
            name="eigener_ort",
            field=django.db.models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunSQL(SQL, RUECKWAERTS),
    ]
