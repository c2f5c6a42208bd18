from django.db import migrations

from angebote.rollen import rollen_einrichten


def rollen_anlegen(apps, schema_editor):
    # The new permission "import_netzwerk" exists only after post_migrate: create it now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    rollen_einrichten(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("angebote", "0023_pflichtangaben_in_der_datenbank"),
        ("netzwerke", "0009_steckbrief_import"),
    ]

    operations = [migrations.RunPython(rollen_anlegen, migrations.RunPython.noop)]
