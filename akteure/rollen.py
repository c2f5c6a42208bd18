"""Staff roles and the scope rule every admin path, import and export asks.

The roles are groups (created by migration angebote/0006_rollen): *Koordination* sees and edits
what belongs to the networks its members coordinate (`Netzwerk.koordinatoren`), *Jugendamt* sees
everything and edits nothing, *Redaktion* sees and edits everything. Which rows a user may see is
decided by each model's QuerySet (`im_bereich_von(user)`), which asks `sieht_alles()` here; what a
user may do with them comes from the groups' model permissions.
"""

from django.apps import apps
from django.db.models import Q

KOORDINATION = "Koordination"
JUGENDAMT = "Jugendamt"
REDAKTION = "Redaktion"

# Which model permissions each role gets; "import"/"export" are the models' own permissions.
PFLEGE = ["view", "add", "change", "delete"]
ROLLENRECHTE = {
    KOORDINATION: {
        "akteure.akteur": [*PFLEGE, "import", "export"],
        "akteure.kontaktperson": [*PFLEGE, "import", "export"],
        "angebote.angebot": [*PFLEGE, "import", "export"],
        "angebote.termin": PFLEGE,
        "netzwerke.netzwerk": ["view", "change", "export"],
        "netzwerke.partnerschaft": [*PFLEGE, "export"],
        # Vocabularies: read-only, needed for the choices and autocomplete fields.
        "akteure.einrichtungsart": ["view"],
        "akteure.sprache": ["view"],
        "akteure.sozialraum": ["view"],
        "netzwerke.programm": ["view"],
        "angebote.thema": ["view"],
        "angebote.zielgruppe": ["view"],
    },
    JUGENDAMT: {
        "akteure.akteur": ["view", "export"],
        "akteure.kontaktperson": ["view", "export"],
        "angebote.angebot": ["view", "export"],
        "angebote.termin": ["view"],
        "netzwerke.netzwerk": ["view", "export"],
        "netzwerke.partnerschaft": ["view", "export"],
        "akteure.einrichtungsart": ["view"],
        "akteure.sprache": ["view"],
        "akteure.sozialraum": ["view"],
        "akteure.postleitzahl": ["view"],
        "akteure.ort": ["view"],
        "netzwerke.programm": ["view"],
        "angebote.thema": ["view"],
        "angebote.zielgruppe": ["view"],
    },
    # Redaktion: every permission of the three domain apps, plus reading user accounts so it
    # can assign coordinators to networks. Creating accounts stays with superusers.
    REDAKTION: {"auth.user": ["view"]},
}
DOMAIN_APPS = ["akteure", "netzwerke", "angebote"]


def rollen_einrichten(Group, Permission):
    """Create the three groups with their permissions; idempotent (migration and tests)."""
    for rolle, rechte in ROLLENRECHTE.items():
        gruppe, _ = Group.objects.get_or_create(name=rolle)
        codenames = Q(pk__in=[])
        for modell, aktionen in rechte.items():
            app_label, model = modell.split(".")
            codenames |= Q(
                content_type__app_label=app_label,
                codename__in=[f"{aktion}_{model}" for aktion in aktionen],
            )
        if rolle == REDAKTION:
            codenames |= Q(content_type__app_label__in=DOMAIN_APPS)
        gruppe.permissions.set(Permission.objects.filter(codenames))


def _gruppen(user):
    # Cached on the user object: one query per request, however many rows are checked.
    if not hasattr(user, "_atlas_gruppen"):
        user._atlas_gruppen = set(user.groups.values_list("name", flat=True))
    return user._atlas_gruppen


def ist_staff(user):
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def sieht_alles(user):
    """Redaktion, Jugendamt and superusers see every row, drafts included."""
    if not ist_staff(user):
        return False
    return user.is_superuser or bool(_gruppen(user) & {REDAKTION, JUGENDAMT})


def bearbeitet_alles(user):
    return ist_staff(user) and (user.is_superuser or REDAKTION in _gruppen(user))


def ist_koordination(user):
    """A coordinator in the narrow sense: scoped to their networks, not Redaktion/Jugendamt."""
    return ist_staff(user) and not sieht_alles(user)


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


class BereichQuerySetMixin:
    """`im_bereich_von(user)`: the rows a staff user may see; each model states `_bereich(user)`."""

    def im_bereich_von(self, user):
        if not ist_staff(user):
            return self.none()
        if sieht_alles(user):
            return self
        return self.filter(self._bereich(user))

    def _bereich(self, user):
        raise NotImplementedError
