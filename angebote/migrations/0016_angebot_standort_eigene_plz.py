from django.db import migrations

# Offerings saved by import or model code with an address of their own but without a point took
# their provider's point (Angebot.standort_vorschlag() now decides for every write path): the
# map showed them at the provider's, in another PLZ. Put them at the centre of their own PLZ, as
# the admin proposes. Only where the PLZ differs from the provider's: within the provider's PLZ
# its point is as good a guess as the centre.
SQL = """
UPDATE angebote_angebot a
   SET standort = p.punkt
  FROM akteure_akteur k, akteure_postleitzahl p
 WHERE k.id = a.anbieter_id
   AND p.plz = a.plz
   AND a.plz <> k.plz
   AND a.format NOT IN ('hausbesuch', 'online')
   AND a.standort IS NOT NULL AND k.standort IS NOT NULL
   AND ST_DWithin(a.standort, k.standort, 0.01)
"""


class Migration(migrations.Migration):
    dependencies = [("angebote", "0015_suchwoerter")]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
