from django.db import migrations

# The public words of actors and kinds count in the search vocabulary (atlas 0001): the same
# columns as their search vectors (migration 0002), an actor's only while it is published.
QUELLEN = {
    "akteure_akteur": (
        ("name", "ort", "beschreibung", "status"),
        "CASE WHEN t.status = 'veroeffentlicht'"
        " THEN concat_ws(' ', t.name, t.ort, t.beschreibung) END",
    ),
    "akteure_einrichtungsart": (("name",), "t.name"),
}


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


class Migration(migrations.Migration):
    dependencies = [("akteure", "0008_sozialraum_plz"), ("atlas", "0001_suchwort")]

    operations = [
        migrations.RunSQL(trigger_sql(t, *q), rueckwaerts_sql(t, *q)) for t, q in QUELLEN.items()
    ]
