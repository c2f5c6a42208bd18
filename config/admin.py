from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class AtlasAdminSite(admin.AdminSite):
    """The staff side: titled like the deployment."""

    site_header = settings.SITE_TITLE
    site_title = settings.SITE_TITLE
    index_title = _("Verwaltung")
