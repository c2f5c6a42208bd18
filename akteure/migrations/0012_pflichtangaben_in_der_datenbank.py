# Names, PLZ and choice values the forms demand, now also rules of the database. Existing rows
# that break them stop the migration with a German list of ids (atlas/pflichtangaben.py):
# correct them in the admin, then migrate again.

from django.db import migrations, models

from atlas.pflichtangaben import pruefung_davor


class Migration(migrations.Migration):

    dependencies = [
        ('akteure', '0011_einrichtungsarten_uebersetzt'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='akteur',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='akteur_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
        migrations.AddConstraint(
            model_name='akteur',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['entwurf', 'veroeffentlicht', 'archiviert'])), name='akteur_status_gueltig', violation_error_message='Dieser Wert steht nicht zur Auswahl.'),
        ),
        migrations.AddConstraint(
            model_name='einrichtungsart',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='einrichtungsart_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
        migrations.AddConstraint(
            model_name='kontaktperson',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='kontaktperson_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
        migrations.AddConstraint(
            model_name='sozialraum',
            constraint=models.CheckConstraint(condition=models.Q(('name__regex', '\\S')), name='sozialraum_name_nicht_leer', violation_error_message='Dieses Feld darf nicht leer sein.'),
        ),
    ]


Migration.operations = pruefung_davor(
    Migration.operations,
    {
        "akteur": lambda apps: apps.get_model("akteure", "Akteur"),
        "einrichtungsart": lambda apps: apps.get_model("akteure", "Einrichtungsart"),
        "kontaktperson": lambda apps: apps.get_model("akteure", "Kontaktperson"),
        "sozialraum": lambda apps: apps.get_model("akteure", "Sozialraum"),
    },
)
