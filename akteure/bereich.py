"""Who coordinates what: the networks of a coordinator and their partners.

The scope of an Akteur (and of what hangs on it) is defined by the networks it is a partner in,
and networks sit one layer above this app. So this module, and only this one in akteure, looks
the network models up by name at call time: the one reach upward the import contract allows,
with its reason (`.importlinter`). Everything in akteure that needs a network asks here.
"""

from django.apps import apps

from atlas.rollen import ist_staff


def netzwerk_modell():
    """The Netzwerk model (e.g. for the import's "Netzwerk" column)."""
    return apps.get_model("netzwerke", "Netzwerk")


def koordinierte_netzwerke(user):
    """The networks `user` coordinates (a queryset, usable as a subquery)."""
    Netzwerk = netzwerk_modell()
    if not ist_staff(user):
        return Netzwerk.objects.none()
    return Netzwerk.objects.filter(koordinatoren=user)


def netzwerke_im_bereich(user):
    """The networks `user` may see: all for Redaktion and Jugendamt, else those coordinated."""
    return netzwerk_modell().objects.im_bereich_von(user)


def partner_von(user):
    """Ids of the Akteure that are partners in the networks `user` coordinates (a subquery).

    A draft partnership (a suggested partner, not agreed yet) gives no scope: a coordinator
    may not edit an actor only because they proposed it."""
    Partnerschaft = apps.get_model("netzwerke", "Partnerschaft")
    return Partnerschaft.objects.filter(
        netzwerk__in=koordinierte_netzwerke(user), entwurf=False
    ).values("akteur_id")


def partner_aufnehmen(netzwerk, akteur):
    """Make `akteur` a partner of `netzwerk` (a coordinator's new actor joins their scope)."""
    return apps.get_model("netzwerke", "Partnerschaft").objects.aufnehmen(netzwerk, akteur)
