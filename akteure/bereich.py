"""Who coordinates what: the networks of a coordinator and their partners.

The scope of an Akteur (and of what hangs on it) is defined by the networks it is a partner in,
and networks sit one layer above this app. So this module, and only this one in akteure, looks
the network models up by name at call time: the one reach upward the import contract allows,
with its reason (`.importlinter`). Everything in akteure that needs a network asks here.
"""

from django.apps import apps
from django.db.models import Q

from atlas.rollen import JUGENDAMT, bearbeitet_alles, hat_rolle, ist_staff

# How many levels an area may have below a Jugendamt's region (Land > Kreis > Gemeinde > Teil).
EBENEN_DARUNTER = 3


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


def amtsregionen(user):
    """The areas whose staff-only planning figures `user` may see: None for "all" (Redaktion,
    superusers, and accounts without the Jugendamt role, which other rules govern), else a
    queryset of Sozialräume: the regions of the account's Amtsbereich and every area below them
    (none when the Jugendamt account has no Amtsbereich yet)."""
    if not ist_staff(user) or bearbeitet_alles(user) or not hat_rolle(user, JUGENDAMT):
        return None
    return apps.get_model("akteure", "Sozialraum").objects.filter(unter_amtsbereich_q(user))


def eigene_regionen(user):
    """The regions named in `user`'s Amtsbereich (without the areas below), by name."""
    return (
        apps.get_model("akteure", "Sozialraum")
        .objects.filter(pk__in=_eigene(user))
        .order_by("name")
    )


def _eigene(user):
    Amtsbereich = apps.get_model("akteure", "Amtsbereich")
    return Amtsbereich.regionen.through.objects.filter(amtsbereich__user=user).values(
        "sozialraum_id"
    )


def unter_amtsbereich_q(user, feld="pk"):
    """Q over Sozialräume (or, with `feld`, a Sozialraum reached by it, e.g. "region"):
    an area of `user`'s Amtsbereich or one below it."""
    eigene = _eigene(user)
    pfad = "" if feld == "pk" else f"{feld}__"
    bedingung = Q(**{f"{pfad}pk__in": eigene})
    for tiefe in range(1, EBENEN_DARUNTER + 1):
        bedingung |= Q(**{f"{pfad}{'uebergeordnet__' * tiefe}pk__in": eigene})
    return bedingung
