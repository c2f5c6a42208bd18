"""Exports of the actor list and of contact persons; column helpers the other apps' exports share.

Anonymous users get the public list's rows and public columns. Staff (`?intern=1`, permission
`akteure.export_akteur`) get drafts and internal columns, always inside their scope: a name,
membership or contact person outside it appears only where it is public anyway
(`sichtbar_fuer(user)` of each model).
"""

from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from akteure.models import Akteur, Bereich, Kontaktperson
from atlas.models import Status
from atlas.tabellen import (
    DATUM,
    JANEIN,
    KOMMAZAHL,
    ZEIT,
    Adresse,
    Breite,
    Kilometer,
    Laenge,
    ListenExportMixin,
    Spalte,
    Tabelle,
    aufzaehlung,
    link,
    link_teile,
    namen,
    sichtbarer_wert,
    uebersetzungs_spalten,
    verbunden,
)

from .views import AkteurListView


def netzwerke_mit_rolle(user, *, aussen="pk"):
    """ "Netzwerk A (Koordination), Netzwerk B (Partner)" for the actor at `aussen`: the
    memberships `user` may read."""
    # The memberships' own QuerySet (netzwerke), reached through Akteur's reverse relation:
    # no import upward, and the rule stays netzwerke's.
    partnerschaften = Akteur.partnerschaften.rel.related_model.objects.sichtbar_fuer(user)
    rolle = Case(
        When(rolle="koordination", then=Value(str(_("Koordination")))),
        default=Value(str(_("Partner"))),
    )
    return aufzaehlung(
        partnerschaften,
        "akteur_id",
        Concat("netzwerk__name", Value(" ("), rolle, Value(")")),
        aussen=aussen,
        ordnung="netzwerk__name",
    )


def personen(queryset, *, aussen="pk", intern=False):
    """Contact persons of the actor at `aussen`: "Name, Funktion, E-Mail, Telefon; …"."""
    teile = ["name", "funktion", "email", "telefon"]
    if intern:
        teile.append("qualifikationen")
    return aufzaehlung(
        queryset, "akteur_id", verbunden(*teile), aussen=aussen, trenner="; ", ordnung="name"
    )


def verwaltungslink(request, url_name):
    """Expression: the absolute URL of each row's admin page, for staff files."""
    vorne, hinten = link_teile(request, url_name, beispiel=999999999, argument="object_id")
    return Adresse(Value(vorne), Cast("pk", TextField()), Value(hinten))


def pruef_spalten():
    """Staff columns of every `Pruefbar` record: status, who confirmed it when, timestamps."""
    return [
        Spalte(_("Status"), "status", wahl=Status, breite=14),
        Spalte(_("geprüft am"), "geprueft_am", DATUM, breite=12),
        Spalte(_("geprüft von"), "geprueft_von__username", breite=16),
        Spalte(_("erstellt am"), "erstellt_am", ZEIT, breite=17),
        Spalte(_("geändert am"), "geaendert_am", ZEIT, breite=17),
    ]


def link_spalten(request, oeffentlich, verwaltung, *, intern):
    """The public page's address; for staff also the admin page's."""
    spalten = [Spalte(_("Link"), link(request, oeffentlich), breite=40, schluessel="link")]
    if intern:
        spalten.append(
            Spalte(
                _("Link zur Verwaltung"),
                verwaltungslink(request, verwaltung),
                breite=40,
                schluessel="verwaltung",
            )
        )
    return spalten


class AkteurTabelle(Tabelle):
    name = "akteure"
    titel = _("Einrichtungen")
    standort = "standort"
    recht = "akteure.export_akteur"

    def intern_queryset(self, user):
        return Akteur.objects.im_bereich_von(user).select_related("einrichtungsart")

    def spalten(self, request, *, intern, filterset=None):
        user = request.user
        spalten = [
            Spalte(_("Name"), "name", breite=40),
            Spalte(_("Einrichtungsart"), "einrichtungsart__name", breite=24),
            Spalte(_("Bereich"), "einrichtungsart__bereich", wahl=Bereich, breite=22),
        ]
        if filterset is not None and getattr(filterset, "ort", None):
            spalten.append(
                Spalte(
                    _("Entfernung (km)"),
                    Kilometer("entfernung"),
                    KOMMAZAHL,
                    breite=10,
                    schluessel="entfernung_km",
                )
            )
        spalten += [
            Spalte(_("Straße und Hausnummer"), "strasse", breite=28),
            Spalte(_("PLZ"), "plz", breite=7),
            Spalte(_("Ort"), "ort", breite=22),
            Spalte(_("Sozialraum"), "sozialraum__name", breite=20),
            Spalte(_("Breite"), Breite("standort"), KOMMAZAHL, breite=10, schluessel="breite"),
            Spalte(_("Länge"), Laenge("standort"), KOMMAZAHL, breite=10, schluessel="laenge"),
            Spalte(_("Telefon"), "telefon", breite=18),
            Spalte(_("E-Mail"), "email", breite=28),
            Spalte(_("Website"), "website", breite=30),
            Spalte(
                _("Sprachen"),
                namen(Akteur.sprachen.through.objects, "akteur_id", "sprache"),
                breite=24,
                schluessel="sprachen",
            ),
            Spalte(_("barrierefrei"), "barrierefrei", JANEIN, breite=12),
            Spalte(_("Hinweise zur Barrierefreiheit"), "barrierefreiheit", breite=30),
            Spalte(_("Öffnungszeiten"), "oeffnungszeiten", breite=30),
        ]
        if intern:
            spalten += [
                Spalte(
                    _("Kontaktpersonen (intern)"),
                    personen(Kontaktperson.objects.sichtbar_fuer(user), intern=True),
                    breite=50,
                    schluessel="kontaktpersonen",
                ),
                Spalte(
                    _("Träger"),
                    sichtbarer_wert(user, Akteur, "traeger"),
                    breite=30,
                    schluessel="traeger",
                ),
                Spalte(
                    _("Netzwerke (Rolle)"),
                    netzwerke_mit_rolle(user),
                    breite=40,
                    schluessel="netzwerke",
                ),
                *pruef_spalten(),
            ]
        else:
            spalten.append(
                Spalte(
                    _("Ansprechpersonen"),
                    personen(Kontaktperson.objects.veroeffentlicht()),
                    breite=50,
                    schluessel="ansprechpersonen",
                )
            )
        spalten.append(Spalte(_("Beschreibung"), "beschreibung", breite=60))
        if intern:
            # The translations, a column per language: the import reads them back.
            spalten += uebersetzungs_spalten(Akteur, [(_("Beschreibung"), "beschreibung")])
        return spalten + link_spalten(
            request, "akteure:akteur_detail", "admin:akteure_akteur_change", intern=intern
        )


class KontaktpersonTabelle(Tabelle):
    """Contact persons (admin changelist only: personal data is never exported publicly)."""

    name = "kontaktpersonen"
    titel = _("Kontaktpersonen")
    recht = "akteure.export_kontaktperson"

    def intern_queryset(self, user):
        return Kontaktperson.objects.im_bereich_von(user)

    def spalten(self, request, *, intern, filterset=None):
        return [
            Spalte(_("Name"), "name", breite=28),
            Spalte(_("Funktion"), "funktion", breite=24),
            Spalte(_("E-Mail"), "email", breite=28),
            Spalte(_("Telefon"), "telefon", breite=18),
            Spalte(_("Qualifikationen"), "qualifikationen", breite=30),
            Spalte(_("öffentlich anzeigen"), "oeffentlich", JANEIN, breite=10),
            Spalte(_("Einwilligung am"), "einwilligung_am", DATUM, breite=12),
            Spalte(_("Akteur"), "akteur__name", breite=36),
            Spalte(_("Akteur: Straße und Hausnummer"), "akteur__strasse", breite=28),
            Spalte(_("Akteur: PLZ"), "akteur__plz", breite=7),
            Spalte(_("Akteur: Ort"), "akteur__ort", breite=22),
            Spalte(_("Akteur: Telefon"), "akteur__telefon", breite=18),
            Spalte(_("Akteur: E-Mail"), "akteur__email", breite=28),
        ]


AKTEURE = AkteurTabelle()
KONTAKTPERSONEN = KontaktpersonTabelle()


class AkteurExportView(ListenExportMixin, AkteurListView):
    """The actor list as a file: AkteurListView's queryset and FilterSet, every row."""

    tabelle = AKTEURE

    def liste_url(self):
        return reverse("akteure:akteur_list")
