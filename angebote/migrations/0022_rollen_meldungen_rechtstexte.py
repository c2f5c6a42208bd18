from django.db import migrations

from angebote.rollen import rollen_einrichten


def rollen_anlegen(apps, schema_editor):
    # The permissions of atlas's new models exist only after post_migrate: create them now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    rollen_einrichten(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("angebote", "0021_protokolle_fuer_redaktion"),
        ("atlas", "0006_rechtstexte_vorlagen"),
    ]

    operations = [migrations.RunPython(rollen_anlegen, migrations.RunPython.noop)]
