from django.db import migrations

from atlas.rechtstexte import TITEL, standardtext


def vorlagen_anlegen(apps, schema_editor):
    # Texts that name what the operator must fill in ([…]); the Redaktion edits them.
    Rechtstext = apps.get_model("atlas", "Rechtstext")
    for seite, titel in TITEL.items():
        Rechtstext.objects.get_or_create(
            seite=seite, defaults={"titel": titel, "text": standardtext(seite)}
        )


class Migration(migrations.Migration):
    dependencies = [("atlas", "0005_erinnerungen_meldungen_rechtstexte")]

    operations = [migrations.RunPython(vorlagen_anlegen, migrations.RunPython.noop)]
