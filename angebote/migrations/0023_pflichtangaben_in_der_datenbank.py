# Names, PLZ and choice values the forms demand, now also rules of the database. Existing rows
# that break them stop the migration with a German list of ids (atlas/pflichtangaben.py):
# correct them in the admin, then migrate again.

from django.db import migrations, models

from atlas.pflichtangaben import pruefung_davor


class Migration(migrations.Migration):

    dependencies = [
        ('angebote', '0022_rollen_meldungen_rechtstexte'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='angebot',
            constraint=models.CheckConstraint(condition=models.Q(('titel__regex', '\\S')), name='angebot_titel_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
        migrations.AddConstraint(
            model_name='angebot',
            constraint=models.CheckConstraint(condition=models.Q(('plz', ''), ('plz__regex', '^[0-9]{5}$'), _connector='OR'), name='angebot_plz_fuenfstellig', violation_error_message='Die Postleitzahl hat fünf Ziffern.'),
        ),
        migrations.AddConstraint(
            model_name='angebot',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['entwurf', 'veroeffentlicht', 'archiviert'])), name='angebot_status_gueltig', violation_error_message='Dieser Wert steht nicht zur Auswahl.'),
        ),
        migrations.AddConstraint(
            model_name='angebot',
            constraint=models.CheckConstraint(condition=models.Q(('format__in', ['offener_treff', 'kurs', 'beratung', 'hausbesuch', 'veranstaltung', 'online'])), name='angebot_format_gueltig', violation_error_message='Dieser Wert steht nicht zur Auswahl.'),
        ),
        migrations.AddConstraint(
            model_name='angebot',
            constraint=models.CheckConstraint(condition=models.Q(('kosten__in', ['kostenlos', 'kostenbeitrag'])), name='angebot_kosten_gueltig', violation_error_message='Dieser Wert steht nicht zur Auswahl.'),
        ),
        migrations.AddConstraint(
            model_name='thema',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='thema_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
        migrations.AddConstraint(
            model_name='zielgruppe',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='zielgruppe_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
    ]


Migration.operations = pruefung_davor(
    Migration.operations,
    {
        "angebot": lambda apps: apps.get_model("angebote", "Angebot"),
        "thema": lambda apps: apps.get_model("angebote", "Thema"),
        "zielgruppe": lambda apps: apps.get_model("angebote", "Zielgruppe"),
    },
)
