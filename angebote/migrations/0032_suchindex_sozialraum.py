"""The Sozialräume's names and tree, read by every offerings list (its "Region" select), come
from a copy beside the search index (angebote.suchindex.gelesen), as the topics, target groups
and languages do: a change to what the select shows – a row added, deleted, renamed, given a
new slug or a new parent, by any write path – makes every process read its index again, as a
vocabulary's change does (0025). An area's polygon or postcodes do not: the region filter reads
them by SQL each time.
"""

from django.db import migrations

SQL = """
CREATE TRIGGER suchindex_sozialraum AFTER INSERT OR DELETE OR TRUNCATE ON akteure_sozialraum
    FOR EACH STATEMENT EXECUTE FUNCTION angebote_suchindex_neu_aufbauen();
CREATE TRIGGER suchindex_sozialraum_auswahl AFTER UPDATE OF name, slug, uebergeordnet_id
    ON akteure_sozialraum FOR EACH STATEMENT EXECUTE FUNCTION angebote_suchindex_neu_aufbauen();
"""

RUECKWAERTS = """
DROP TRIGGER suchindex_sozialraum_auswahl ON akteure_sozialraum;
DROP TRIGGER suchindex_sozialraum ON akteure_sozialraum;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("akteure", "0018_suchindex_ort"),
        ("angebote", "0031_kooperationspartner_ids"),
    ]

    operations = [migrations.RunSQL(SQL, RUECKWAERTS)]
