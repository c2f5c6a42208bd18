from django.contrib.admin.apps import AdminConfig


class AtlasAdminConfig(AdminConfig):
    default_site = "config.admin.AtlasAdminSite"

    def ready(self):
        super().ready()
        from config import pruefungen  # noqa: F401  (registers the deploy checks)
