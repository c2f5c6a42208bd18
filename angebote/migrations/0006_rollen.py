from django.contrib.auth.management import create_permissions
from django.db import migrations

from angebote.rollen import rollen_einrichten


def rollen_anlegen(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate); the groups
    # need them now, including the import/export permissions added just before.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    rollen_einrichten(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("akteure", "0005_history_and_import_export_permissions"),
        ("netzwerke", "0003_history_and_export_permissions"),
        ("angebote", "0005_history_and_import_export_permissions"),
    ]

    operations = [migrations.RunPython(rollen_anlegen, migrations.RunPython.noop)]
