from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeispieldatenConfig(AppConfig):
    """Demo and synthetic data (`demo_laden`, `generate_data`): only management commands, no
    models; it sits above the domain apps and nothing imports it."""

    name = "beispieldaten"
    verbose_name = _("Beispieldaten")
