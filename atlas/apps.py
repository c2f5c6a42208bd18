from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    """Machinery the three domain apps share; imports none of them."""

    name = "atlas"
    verbose_name = _("Netzwerkatlas")

    def ready(self):
        from .verlauf import verbinden

        verbinden()
