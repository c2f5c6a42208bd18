from django.contrib.auth.management import create_permissions
from django.db import migrations

from auswertung.rollen import rechte_ergaenzen


def rechte_anlegen(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate).
    app_config = apps.get_app_config("auswertung")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    rechte_ergaenzen(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("auswertung", "0001_bevoelkerung"),
        ("angebote", "0006_rollen"),
    ]

    operations = [migrations.RunPython(rechte_anlegen, migrations.RunPython.noop)]
