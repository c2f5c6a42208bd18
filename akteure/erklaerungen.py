"""Short explanations of the kinds of institution families meet ("Was ist ein Jugendamt?").

German source texts in gettext, so they are translated with the UI catalogues. Keyed by the
Einrichtungsart's slug (vocabulary of migration 0003); "fruehe-hilfen" is a programme, not a
kind, and is linked from the offerings of the topic "Frühe Hilfen". Checked against the public
descriptions of the Nationales Zentrum Frühe Hilfen (fruehehilfen.de), the bke
(Bundeskonferenz für Erziehungsberatung), the BAMF (Migrationsberatung) and the SGB VIII.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Erklaerung:
    schluessel: str  # the Einrichtungsart's slug, the page's anchor
    frage: str
    text: str


ERKLAERUNGEN = [
    Erklaerung(
        "familienzentrum",
        _("Was ist ein Familienzentrum?"),
        _(
            "Ein Familienzentrum ist ein Treffpunkt für Familien im Stadtteil, oft in einer "
            "Kita. Dort gibt es vieles an einem Ort: ein Eltern-Café, Spielgruppen, Elternkurse "
            "und Sprechstunden von Beratungsstellen. Die meisten Angebote sind kostenlos und "
            "offen für alle Familien."
        ),
    ),
    Erklaerung(
        "jugendamt",
        _("Was ist ein Jugendamt?"),
        _(
            "Das Jugendamt ist das Amt der Stadt oder des Landkreises für Kinder, Jugendliche "
            "und Familien. Es berät Eltern bei Fragen zur Erziehung, bei Trennung und zum "
            "Unterhalt, hilft Familien in schwierigen Lagen und schützt Kinder vor Gefahren. "
            "Es ist auch für Kita-Plätze und Kindertagespflege zuständig. Die Beratung ist "
            "kostenlos."
        ),
    ),
    Erklaerung(
        "erziehungsberatungsstelle",
        _("Was ist eine Erziehungsberatungsstelle?"),
        _(
            "In einer Erziehungsberatungsstelle beraten Fachleute – zum Beispiel Psychologinnen "
            "und Sozialpädagogen – Eltern, Kinder und Jugendliche: bei Fragen zur Erziehung, bei "
            "Streit in der Familie, bei Trennung oder wenn ein Kind Sorgen hat. Die Beratung ist "
            "kostenlos, freiwillig und vertraulich. Sie brauchen keine Überweisung."
        ),
    ),
    Erklaerung(
        "hebamme-familienhebamme",
        _("Was ist eine Hebamme, was eine Familienhebamme?"),
        _(
            "Eine Hebamme begleitet Frauen in der Schwangerschaft, bei der Geburt und in den "
            "Wochen danach, auch zu Hause; die Krankenkasse bezahlt das. Eine Familienhebamme "
            "hat eine Zusatzausbildung: Sie besucht Familien, die mehr Unterstützung brauchen, "
            "meist bis zum ersten Geburtstag des Kindes. Das ist kostenlos und gehört zu den "
            "Frühen Hilfen."
        ),
    ),
    Erklaerung(
        "fruehe-hilfen",
        _("Was sind Frühe Hilfen?"),
        _(
            "Frühe Hilfen sind Angebote für Eltern von der Schwangerschaft bis zum dritten "
            "Geburtstag des Kindes: Besuche von Familienhebammen, Beratung, Eltern-Kind-Gruppen "
            "und Lotsen, die mit Ihnen passende Hilfe finden. Sie sind freiwillig und meist "
            "kostenlos. Jede Stadt und jeder Landkreis hat ein Netzwerk Frühe Hilfen."
        ),
    ),
    Erklaerung(
        "schwangerschaftsberatungsstelle",
        _("Was ist eine Schwangerschaftsberatungsstelle?"),
        _(
            "Eine Schwangerschaftsberatungsstelle berät kostenlos und vertraulich, auf Wunsch "
            "auch ohne Namen: zu Schwangerschaft und Geburt, zu Elterngeld und anderen "
            "Leistungen und in Konflikten. Sie hilft auch beim Antrag auf Geld von der "
            "Bundesstiftung Mutter und Kind."
        ),
    ),
    Erklaerung(
        "familienbildungsstatte",
        _("Was ist eine Familienbildungsstätte?"),
        _(
            "Eine Familienbildungsstätte bietet Kurse für Eltern und Familien an: "
            "Geburtsvorbereitung, Eltern-Kind-Gruppen, Elternkurse, Kochen und Bewegung. Manche "
            "Kurse kosten einen Beitrag; oft gibt es eine Ermäßigung."
        ),
    ),
    Erklaerung(
        "migrationsberatung",
        _("Was ist eine Migrationsberatung?"),
        _(
            "Die Migrationsberatung für erwachsene Zugewanderte (MBE) und der "
            "Jugendmigrationsdienst (JMD) beraten kostenlos: zu Sprachkursen, Aufenthalt, Arbeit, "
            "Wohnung, Schule und Briefen von Ämtern."
        ),
    ),
    Erklaerung(
        "fruhforderstelle",
        _("Was ist eine Frühförderstelle?"),
        _(
            "Eine Frühförderstelle berät und fördert Kinder von der Geburt bis zur Schule, die "
            "sich langsamer entwickeln oder eine Behinderung haben. Die Beratung ist kostenlos; "
            "die Förderung bezahlen Krankenkasse und Sozialamt."
        ),
    ),
    Erklaerung(
        "kindertagespflege",
        _("Was ist Kindertagespflege?"),
        _(
            "In der Kindertagespflege betreut eine Tagesmutter oder ein Tagesvater wenige "
            "Kinder, meist unter drei Jahren, in der eigenen Wohnung oder in anderen Räumen. "
            "Das Jugendamt prüft die Tagespflegepersonen und vermittelt Plätze."
        ),
    ),
]

NACH_SCHLUESSEL = {e.schluessel: e for e in ERKLAERUNGEN}
# Offerings of this topic link the explanation of the programme.
THEMA_ERKLAERUNG = {"fruhe-hilfen": "fruehe-hilfen"}


def erklaerung_fuer(einrichtungsart=None, themen=()):
    """The explanation for an institution kind, else for one of the topics, else None."""
    if einrichtungsart is not None and einrichtungsart.slug in NACH_SCHLUESSEL:
        return NACH_SCHLUESSEL[einrichtungsart.slug]
    for thema in themen:
        if thema.slug in THEMA_ERKLAERUNG:
            return NACH_SCHLUESSEL[THEMA_ERKLAERUNG[thema.slug]]
    return None
