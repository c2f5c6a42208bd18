from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuswertungConfig(AppConfig):
    name = "auswertung"
    verbose_name = _("Auswertungen")
