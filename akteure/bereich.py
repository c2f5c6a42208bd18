"""Who coordinates what: the networks of a coordinator and their partners.

The scope of an Akteur (and of what hangs on it) is defined by the networks it is a partner in,
and networks sit one layer above this app. The models are looked up by name at call time, the
one reach upward the import contract allows (`.importlinter`).
"""

from django.apps import apps

from atlas.rollen import ist_staff


def koordinierte_netzwerke(user):
    """The networks `user` coordinates (a queryset, usable as a subquery)."""
    Netzwerk = apps.get_model("netzwerke", "Netzwerk")
    if not ist_staff(user):
        return Netzwerk.objects.none()
    return Netzwerk.objects.filter(koordinatoren=user)


def partner_von(user):
    """Ids of the Akteure that are partners in the networks `user` coordinates (a subquery)."""
    Partnerschaft = apps.get_model("netzwerke", "Partnerschaft")
    return Partnerschaft.objects.filter(netzwerk__in=koordinierte_netzwerke(user)).values(
        "akteur_id"
    )
