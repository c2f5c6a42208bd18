import django.contrib.postgres.indexes
from django.db import migrations, models

# The vocabulary of the public texts (atlas/suche.py). Its words are counted by triggers that the
# apps put on their searched tables (akteure 0009, angebote 0015):
#   atlas_suchwoerter_zaehlen('<SQL expression of a row's public text, NULL if not public>')
# as a statement trigger AFTER INSERT (REFERENCING NEW TABLE AS neu) and AFTER DELETE
# (REFERENCING OLD TABLE AS alt), and as a row trigger AFTER UPDATE with a WHEN clause that
# compares the text's columns. Inserts and deletes thus cost one statement however many rows a
# COPY or bulk delete has, and the many UPDATEs that do not touch the text cost nothing.
SQL = r"""
-- The words of a text as the vocabulary counts them: the text search parser's words (also the
-- parts of hyphenated ones), at least three letters, each once; key lower case and unaccented.
CREATE FUNCTION atlas_suchwoerter(text) RETURNS TABLE (schluessel text, wort text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k, max(w) FROM (
        SELECT lower(public.unaccent('public.unaccent'::regdictionary, t.token)) AS k,
               lower(t.token) AS w
        FROM ts_parse('default', $1) t
        -- asciiword, word, hword_part, hword_asciipart: letters only
        WHERE t.tokid IN (1, 2, 10, 11) AND length(t.token) >= 3
    ) x WHERE length(k) <= 60 GROUP BY k
$$;

-- Adds n (negative: removes) to each word's count; words no record uses any more go.
-- In key order, so that concurrent writers lock the rows in the same order.
CREATE FUNCTION atlas_suchwoerter_buchen(k text[], w text[], n bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO atlas_suchwort AS s (schluessel, wort, stamm, anzahl)
    SELECT x.k, x.w, coalesce((SELECT lexeme FROM unnest(to_tsvector('german_unaccent', x.k))
                               ORDER BY lexeme LIMIT 1), ''), x.n
    FROM unnest(k, w, n) x (k, w, n) ORDER BY x.k
    ON CONFLICT (schluessel) DO UPDATE
        -- Of "mutter" and "mütter" the umlaut one is shown (it sorts last byte-wise).
        SET anzahl = s.anzahl + excluded.anzahl,
            wort = greatest(s.wort COLLATE "C", excluded.wort COLLATE "C");
    DELETE FROM atlas_suchwort s USING unnest(k) x (k) WHERE s.schluessel = x.k AND s.anzahl <= 0;
END $$;

CREATE FUNCTION atlas_suchwoerter_zaehlen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    zeilen text := 'SELECT w.schluessel, w.wort, %s::bigint AS n FROM %s t, atlas_suchwoerter(%s) w';
    summe text := 'SELECT array_agg(schluessel ORDER BY schluessel), array_agg(wort ORDER BY schluessel),
        array_agg(n ORDER BY schluessel) FROM (SELECT schluessel, max(wort) AS wort, sum(n) AS n
        FROM (%s) z GROUP BY schluessel) d WHERE n <> 0';
    k text[];
    w text[];
    n bigint[];
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        EXECUTE format(summe, format(zeilen, -1, '(SELECT ($1).*)', TG_ARGV[0])
            || ' UNION ALL ' || format(zeilen, 1, '(SELECT ($2).*)', TG_ARGV[0]))
            INTO k, w, n USING OLD, NEW;
    ELSIF TG_OP = 'INSERT' THEN
        EXECUTE format(summe, format(zeilen, 1, 'neu', TG_ARGV[0])) INTO k, w, n;
    ELSE
        EXECUTE format(summe, format(zeilen, -1, 'alt', TG_ARGV[0])) INTO k, w, n;
    END IF;
    IF k IS NOT NULL THEN
        PERFORM atlas_suchwoerter_buchen(k, w, n);
    END IF;
    RETURN NULL;
END $$;
"""

REVERSE_SQL = """
DROP FUNCTION IF EXISTS atlas_suchwoerter_zaehlen();
DROP FUNCTION IF EXISTS atlas_suchwoerter_buchen(text[], text[], bigint[]);
DROP FUNCTION IF EXISTS atlas_suchwoerter(text);
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        # Both are also created by akteure 0001, which owns them; the vocabulary needs them itself.
        migrations.RunSQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;",
            migrations.RunSQL.noop,
        ),
        migrations.CreateModel(
            name="Suchwort",
            fields=[
                (
                    "schluessel",
                    models.CharField(
                        db_collation="C", max_length=60, primary_key=True, serialize=False
                    ),
                ),
                ("wort", models.CharField(max_length=60)),
                ("stamm", models.CharField(db_collation="C", db_index=True, max_length=60)),
                ("anzahl", models.IntegerField()),
            ],
            options={
                "verbose_name": "Suchwort",
                "verbose_name_plural": "Suchwörter",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False,
                        fields=["schluessel"],
                        name="suchwort_trgm",
                        opclasses=["gin_trgm_ops"],
                    )
                ],
            },
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
    ]
