from django.db import migrations

# Offerings saved in the admin or by import without an address of their own got their
# provider's point but no street, PLZ or place (Angebot.ort_vom_anbieter() now copies both):
# their public "Wo" and the export's address columns were empty. Give them the provider's
# address where the point is the provider's.
SQL = """
UPDATE angebote_angebot a
   SET strasse = k.strasse, plz = k.plz, ort = k.ort
  FROM akteure_akteur k
 WHERE k.id = a.anbieter_id
   AND a.strasse = '' AND a.plz = '' AND a.ort = ''
   AND (k.strasse <> '' OR k.plz <> '' OR k.ort <> '')
   AND a.format NOT IN ('hausbesuch', 'online')
   AND a.standort IS NOT NULL AND k.standort IS NOT NULL
   AND ST_DWithin(a.standort, k.standort, 0.01)
"""


class Migration(migrations.Migration):
    dependencies = [("angebote", "0010_link_id_copies_guarded")]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
