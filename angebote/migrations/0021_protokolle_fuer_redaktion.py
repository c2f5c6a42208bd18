from django.contrib.auth.management import create_permissions
from django.db import migrations

from angebote.rollen import rollen_einrichten


def rollen_anlegen(apps, schema_editor):
    # As in 0006: the protocols' view permissions must exist before the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    rollen_einrichten(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("angebote", "0020_netzwerk_loeschen_geschuetzt"),
        ("atlas", "0003_protokolle"),
    ]

    operations = [migrations.RunPython(rollen_anlegen, migrations.RunPython.noop)]
