"""Staff roles and the scope rule every admin path, import and export asks.

The roles are groups (`angebote.rollen`, created by migration angebote/0006_rollen):
*Koordination* sees and edits what belongs to the networks its members coordinate
(`Netzwerk.koordinatoren`), *Jugendamt* sees everything and edits nothing, *Redaktion* sees and
edits everything. Which rows a user may see is decided by each model's QuerySet
(`im_bereich_von(user)`), which asks `sieht_alles()` here; what a user may do with them comes
from the groups' model permissions.
"""

from django.db.models import Q

KOORDINATION = "Koordination"
JUGENDAMT = "Jugendamt"
REDAKTION = "Redaktion"


def _gruppen(user):
    # Cached on the user object: one query per request, however many rows are checked.
    if not hasattr(user, "_atlas_gruppen"):
        user._atlas_gruppen = set(user.groups.values_list("name", flat=True))
    return user._atlas_gruppen


def ist_staff(user):
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def hat_rolle(user, rolle):
    """Whether the staff account `user` is in the group `rolle`."""
    return ist_staff(user) and rolle in _gruppen(user)


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


class BereichQuerySetMixin:
    """Who may read which rows. Each model states two rules: `_bereich(user)` (a staff user's
    scope) and `veroeffentlicht_q(pfad)` (what anyone may see, atlas.models.OeffentlichQuerySet).

    - `im_bereich_von(user)`: the scope; what a staff user works on (admin, import, staff files);
    - `sichtbar_fuer(user)`: public ∪ scope; what `user` may read, e.g. a related name in an
      export. Anonymous visitors (or `None`: the public) get the published rows.
    """

    def im_bereich_von(self, user):
        if not ist_staff(user):
            return self.none()
        if sieht_alles(user):
            return self
        return self.filter(self._bereich(user))

    def _bereich(self, user):
        raise NotImplementedError

    def sichtbar_fuer(self, user):
        """What `user` may read: published rows, for staff also those in scope (Redaktion and
        Jugendamt: all)."""
        return self.filter(self.sichtbar_q(user))

    def sichtbar_q(self, user, pfad=""):
        """`sichtbar_fuer(user)` as a Q, also across a relation (`"traeger__"`)."""
        if sieht_alles(user):
            return Q(**{f"{pfad}pk__isnull": False}) if pfad else Q()
        bedingung = self.veroeffentlicht_q(pfad)
        if ist_staff(user):
            bereich = self.model._default_manager.im_bereich_von(user).values("pk")
            bedingung |= Q(**{f"{pfad}pk__in": bereich})
        return bedingung

    def geloeschte_im_bereich(self, user):
        """A Q over the model's history rows: deleted records whose parent (partner, network) is
        in `user`'s scope now; None when a deleted record leaves no trace in any scope."""
        return None


def gruppen_einrichten(Group, Permission, rollenrechte, *, alles_in_apps=None):
    """Create one group per role with its model permissions; idempotent (migration and tests).

    `rollenrechte` maps a role to {"app.model": ["view", …]}; `alles_in_apps` maps a role to the
    app labels whose every permission it gets.
    """
    alles_in_apps = alles_in_apps or {}
    for rolle, rechte in rollenrechte.items():
        gruppe, _ = Group.objects.get_or_create(name=rolle)
        codenames = Q(pk__in=[])
        for modell, aktionen in rechte.items():
            app_label, model = modell.split(".")
            codenames |= Q(
                content_type__app_label=app_label,
                codename__in=[f"{aktion}_{model}" for aktion in aktionen],
            )
        if alles_in_apps.get(rolle):
            codenames |= Q(content_type__app_label__in=alles_in_apps[rolle])
        gruppe.permissions.set(Permission.objects.filter(codenames))
