"""SQL that lets a domain table count its public words in the search vocabulary (atlas.Suchwort).

Used by the domain apps' migrations (akteure 0009, angebote 0015): `ausdruck` is the text of a row
`t` that counts, NULL when the row is not public; `spalten` are the columns it depends on. The
SQL functions it calls are created by atlas 0001_suchwort. Migrations import this module, so its
output must stay what those migrations ran.
"""


def trigger_sql(tabelle, spalten, ausdruck):
    argument = ausdruck.replace("'", "''")
    alt = ", ".join(f"OLD.{s}" for s in spalten)
    neu = ", ".join(f"NEW.{s}" for s in spalten)
    return f"""
CREATE TRIGGER {tabelle}_suchwoerter_neu AFTER INSERT ON {tabelle}
    REFERENCING NEW TABLE AS neu FOR EACH STATEMENT
    EXECUTE FUNCTION atlas_suchwoerter_zaehlen('{argument}');
CREATE TRIGGER {tabelle}_suchwoerter_weg AFTER DELETE ON {tabelle}
    REFERENCING OLD TABLE AS alt FOR EACH STATEMENT
    EXECUTE FUNCTION atlas_suchwoerter_zaehlen('{argument}');
CREATE TRIGGER {tabelle}_suchwoerter_geaendert AFTER UPDATE OF {", ".join(spalten)} ON {tabelle}
    FOR EACH ROW WHEN (ROW({alt}) IS DISTINCT FROM ROW({neu}))
    EXECUTE FUNCTION atlas_suchwoerter_zaehlen('{argument}');
-- The words already there.
SELECT atlas_suchwoerter_buchen(array_agg(schluessel ORDER BY schluessel),
    array_agg(wort ORDER BY schluessel), array_agg(n ORDER BY schluessel))
FROM (SELECT w.schluessel, max(w.wort) AS wort, count(*) AS n
      FROM {tabelle} t, atlas_suchwoerter({ausdruck}) w GROUP BY w.schluessel) d;
ANALYZE atlas_suchwort;
"""


def rueckwaerts_sql(tabelle, spalten, ausdruck):
    return f"""
SELECT atlas_suchwoerter_buchen(array_agg(schluessel ORDER BY schluessel),
    array_agg(wort ORDER BY schluessel), array_agg(-n ORDER BY schluessel))
FROM (SELECT w.schluessel, max(w.wort) AS wort, count(*) AS n
      FROM {tabelle} t, atlas_suchwoerter({ausdruck}) w GROUP BY w.schluessel) d;
DROP TRIGGER IF EXISTS {tabelle}_suchwoerter_geaendert ON {tabelle};
DROP TRIGGER IF EXISTS {tabelle}_suchwoerter_weg ON {tabelle};
DROP TRIGGER IF EXISTS {tabelle}_suchwoerter_neu ON {tabelle};
"""
