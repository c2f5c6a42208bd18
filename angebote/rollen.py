"""What each staff role may do with the models of the three domain apps (groups by migration)."""

from atlas.rollen import JUGENDAMT, KOORDINATION, REDAKTION, gruppen_einrichten

# Which model permissions each role gets; "import"/"export" are the models' own permissions.
PFLEGE = ["view", "add", "change", "delete"]
ROLLENRECHTE = {
    KOORDINATION: {
        "akteure.akteur": [*PFLEGE, "import", "export"],
        "akteure.kontaktperson": [*PFLEGE, "import", "export"],
        "angebote.angebot": [*PFLEGE, "import", "export"],
        "angebote.termin": PFLEGE,
        # "import": the Steckbrief and its translations (netzwerke.ressourcen); no new networks.
        "netzwerke.netzwerk": ["view", "change", "export", "import"],
        "netzwerke.partnerschaft": [*PFLEGE, "export"],
        # Vocabularies: read-only, needed for the choices and autocomplete fields.
        "akteure.einrichtungsart": ["view"],
        "akteure.sprache": ["view"],
        "akteure.sozialraum": ["view"],
        "netzwerke.programm": ["view"],
        "angebote.thema": ["view"],
        "angebote.zielgruppe": ["view"],
        # Translations are edited in the change form of their record, within its scope.
        "atlas.uebersetzung": PFLEGE,
        # Reports about their records ("Angaben falsch?"): their task list.
        "atlas.meldung": ["view", "change"],
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
        "atlas.uebersetzung": ["view"],
    },
    # Redaktion: every permission of the three domain apps, plus reading user accounts so it
    # can assign coordinators to networks. Creating accounts stays with superusers.
    # It also reads the protocols of staff exports and of erasures (atlas.models), edits the
    # legal pages, handles every report and watches the outbox.
    REDAKTION: {
        "auth.user": ["view"],
        "atlas.uebersetzung": PFLEGE,
        "atlas.exportprotokoll": ["view"],
        "atlas.loeschprotokoll": ["view"],
        "atlas.rechtstext": ["view", "change"],
        "atlas.meldung": ["view", "change", "delete"],
        "atlas.postausgang": ["view"],
    },
}
DOMAIN_APPS = ["akteure", "netzwerke", "angebote"]


def rollen_einrichten(Group, Permission):
    """Create the three groups with their permissions; idempotent (migration and tests)."""
    gruppen_einrichten(Group, Permission, ROLLENRECHTE, alles_in_apps={REDAKTION: DOMAIN_APPS})
