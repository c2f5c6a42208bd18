from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetzwerkeConfig(AppConfig):
    name = "netzwerke"
    verbose_name = _("Netzwerke")
