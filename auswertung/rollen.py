"""What the staff roles may do with the planning figures (added to the groups by migration)."""

from atlas.rollen import JUGENDAMT, REDAKTION

PFLEGE = ["view", "add", "change", "delete"]
# The Jugendamt maintains the population figures of its Sozialräume (issue 14); otherwise it
# reads only. The Redaktion may do everything.
# Which region a Jugendamt account covers (akteure.Amtsbereich) is the Redaktion's to set; the
# Jugendamt reads its own.
ROLLENRECHTE = {
    JUGENDAMT: {"auswertung.bevoelkerung": PFLEGE, "akteure.amtsbereich": ["view"]},
    REDAKTION: {"auswertung.bevoelkerung": PFLEGE, "akteure.amtsbereich": PFLEGE},
}


def rechte_ergaenzen(Group, Permission):
    """Add these permissions to the existing groups (the others stay); idempotent."""
    for rolle, rechte in ROLLENRECHTE.items():
        gruppe, _ = Group.objects.get_or_create(name=rolle)
        for modell, aktionen in rechte.items():
            app_label, model = modell.split(".")
            gruppe.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{aktion}_{model}" for aktion in aktionen],
                )
            )
