# Names, PLZ and choice values the forms demand, now also rules of the database. Existing rows
# that break them stop the migration with a German list of ids (atlas/pflichtangaben.py):
# correct them in the admin, then migrate again.

from django.db import migrations, models

from atlas.pflichtangaben import pruefung_davor


class Migration(migrations.Migration):

    dependencies = [
        ('netzwerke', '0007_partnerschaft_entwurf'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='netzwerk',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='netzwerk_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
        migrations.AddConstraint(
            model_name='netzwerk',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['entwurf', 'veroeffentlicht', 'archiviert'])), name='netzwerk_status_gueltig', violation_error_message='Dieser Wert steht nicht zur Auswahl.'),
        ),
        migrations.AddConstraint(
            model_name='partnerschaft',
            constraint=models.CheckConstraint(condition=models.Q(('rolle__in', ['koordination', 'partner'])), name='partnerschaft_rolle_gueltig', violation_error_message='Dieser Wert steht nicht zur Auswahl.'),
        ),
        migrations.AddConstraint(
            model_name='programm',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='programm_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
    ]


Migration.operations = pruefung_davor(
    Migration.operations,
    {
        "netzwerk": lambda apps: apps.get_model("netzwerke", "Netzwerk"),
        "partnerschaft": lambda apps: apps.get_model("netzwerke", "Partnerschaft"),
        "programm": lambda apps: apps.get_model("netzwerke", "Programm"),
    },
)
