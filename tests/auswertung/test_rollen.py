"""The planning permissions survive the role migrations of the apps below."""

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from angebote.rollen import rollen_einrichten
from atlas.rollen import JUGENDAMT, REDAKTION

PFLEGE = {"view_bevoelkerung", "add_bevoelkerung", "change_bevoelkerung", "delete_bevoelkerung"}


def planungsrechte(rolle):
    gruppe = Group.objects.get(name=rolle)
    return set(
        gruppe.permissions.filter(content_type__app_label="auswertung").values_list(
            "codename", flat=True
        )
    )


def test_a_later_role_migration_does_not_take_the_population_figures_away(db):
    # angebote's role migrations set each group's permissions anew; the migration graph may run
    # one after auswertung's own (as angebote 0024 did on a fresh database: the Jugendamt got a
    # 403 on the population import).
    rollen_einrichten(Group, Permission)
    assert planungsrechte(JUGENDAMT) == set()
    call_command("migrate", verbosity=0)
    assert planungsrechte(JUGENDAMT) == PFLEGE
    assert planungsrechte(REDAKTION) == PFLEGE
