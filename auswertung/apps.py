from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def rechte_nach_migrate(sender, plan=None, **kwargs):
    """The planning permissions, added again after every `migrate`: a role migration of a lower
    app (angebote's `rollen_einrichten` sets each group's permissions anew) may run after
    auswertung's own migration and would otherwise drop them — which migration runs first is
    not fixed by the graph."""
    if plan is None:
        return  # `flush` (tests emptying the database) sends the signal too, without a plan
    from django.contrib.auth.models import Group, Permission

    from .rollen import rechte_ergaenzen

    rechte_ergaenzen(Group, Permission)


class AuswertungConfig(AppConfig):
    name = "auswertung"
    verbose_name = _("Auswertungen")

    def ready(self):
        # After django.contrib.auth's own receiver (its app is listed first), which creates the
        # permissions of this app's models.
        post_migrate.connect(rechte_nach_migrate, sender=self)
