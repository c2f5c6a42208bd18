"""Import of Akteure and Kontaktpersonen (django-import-export) on the shared base.

The base (scope, stable keys, widgets, German messages) is atlas.ressourcen. The columns are
documented in docs/import.md.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akteure.models import Akteur, Einrichtungsart, Kontaktperson, Sozialraum, Sprache
from atlas.models import Status
from atlas.ressourcen import (
    AtlasRessource,
    AuswahlWidget,
    DatumWidget,
    JaNeinWidget,
    NachschlageListeWidget,
    NachschlageWidget,
    PlzWidget,
    WebsiteWidget,
    fremd_meldung,
    spalte,
    text,
)
from atlas.rollen import ist_koordination, sieht_alles

from . import bereich

# --- Akteure ---------------------------------------------------------------------------------


class AkteurRessource(AtlasRessource):
    name = spalte("name", "Name")
    slug = spalte("slug", "Kurzname")
    einrichtungsart = spalte(
        "einrichtungsart", "Einrichtungsart", NachschlageWidget(Einrichtungsart, ["slug", "name"])
    )
    traeger = spalte("traeger", "Träger", NachschlageWidget(Akteur, ["slug", "name"], bereich=True))
    beschreibung = spalte("beschreibung", "Beschreibung")
    strasse = spalte("strasse", "Straße")
    plz = spalte("plz", "PLZ", PlzWidget())
    ort = spalte("ort", "Ort")
    sozialraum = spalte("sozialraum", "Sozialraum", NachschlageWidget(Sozialraum, ["slug", "name"]))
    telefon = spalte("telefon", "Telefon")
    email = spalte("email", "E-Mail")
    website = spalte("website", "Website", WebsiteWidget())
    sprachen = spalte(
        "sprachen", "Sprachen", NachschlageListeWidget(Sprache, ["code", "name", "name_nativ"])
    )
    barrierefrei = spalte("barrierefrei", "Barrierefrei", JaNeinWidget())
    barrierefreiheit = spalte("barrierefreiheit", "Hinweise zur Barrierefreiheit")
    oeffnungszeiten = spalte("oeffnungszeiten", "Öffnungszeiten")
    status = spalte("status", "Status", AuswahlWidget(Status.choices), leer_behalten=True)
    # Not a field of the actor: the network whose partner it is (or becomes).
    netzwerk = spalte(
        "_import_netzwerk",
        "Netzwerk",
        NachschlageWidget(bereich.netzwerk_modell(), ["slug", "name"], bereich=True),
        leer_behalten=True,
    )

    pflichtspalten = ["Name", "Einrichtungsart"]
    aliase = {
        "Strasse": "Straße",
        "Straße und Hausnummer": "Straße",
        "Adresse": "Straße",
        "Postleitzahl": "PLZ",
        "Email": "E-Mail",
        "E-Mail-Adresse": "E-Mail",
        "Mail": "E-Mail",
        "Webseite": "Website",
        "Internet": "Website",
        "Homepage": "Website",
        "Telefonnummer": "Telefon",
        "Tel.": "Telefon",
        "Slug": "Kurzname",
        "Art": "Einrichtungsart",
    }
    schluesselspalte = "Kurzname"
    netzwerk_hilfe = gettext_lazy(
        "Neue Akteure werden Partner dieses Netzwerks. Eine Spalte „Netzwerk“ in der Datei gilt "
        "für ihre Zeile vorrangig."
    )

    class Meta(AtlasRessource.Meta):
        model = Akteur
        name = gettext_lazy("Akteure")
        import_id_fields = ["slug"]
        fields = [
            "name",
            "slug",
            "einrichtungsart",
            "traeger",
            "beschreibung",
            "strasse",
            "plz",
            "ort",
            "sozialraum",
            "telefon",
            "email",
            "website",
            "sprachen",
            "barrierefrei",
            "barrierefreiheit",
            "oeffnungszeiten",
            "status",
            "netzwerk",
        ]

    @classmethod
    def netzwerk_auswahl(cls, benutzer):
        return bereich.netzwerke_im_bereich(benutzer)

    def vorab_schluessel(self, row):
        return text(row.get("Kurzname")) or slugify(text(row.get("Name")))[:220]

    def get_instance(self, instance_loader, row):
        slug = self.vorab_schluessel(row)
        row["Kurzname"] = slug
        if not slug:
            return None
        self.einmal_je_datei(slug, _("Kurzname „%(slug)s“") % {"slug": slug})
        return self.im_bereich_suchen(slug=slug)

    def zeile_pruefen(self, instance, row):
        netzwerk = getattr(instance, "_import_netzwerk", None)
        if instance.pk is None:
            netzwerk = netzwerk or self.netzwerk or self._einziges_netzwerk()
            if netzwerk is None and ist_koordination(self.benutzer):
                raise ValidationError(
                    {
                        "_import_netzwerk": _(
                            "Ein neuer Akteur muss Partner eines Ihrer Netzwerke werden: wählen "
                            "Sie das Netzwerk im Formular oder füllen Sie die Spalte „Netzwerk“."
                        )
                    }
                )
        if netzwerk is not None and not self._netzwerk_erlaubt(netzwerk):
            raise ValidationError({"_import_netzwerk": fremd_meldung()})
        instance._import_partner_in = netzwerk
        if netzwerk is not None and instance.pk is None:
            instance._import_netzwerk = netzwerk  # the preview shows where the actor goes

    def _netzwerk_erlaubt(self, netzwerk):
        # The form's choice and the column are already limited to the user's networks; this
        # is the last line, checked once per network and import.
        if sieht_alles(self.benutzer):
            return True
        if not hasattr(self, "_erlaubte_netzwerke"):
            self._erlaubte_netzwerke = set(
                bereich.koordinierte_netzwerke(self.benutzer).values_list("pk", flat=True)
            )
        return netzwerk.pk in self._erlaubte_netzwerke

    def _einziges_netzwerk(self):
        """A coordinator of exactly one network needs not name it."""
        if not ist_koordination(self.benutzer):
            return None
        if not hasattr(self, "_einziges"):
            netzwerke = list(bereich.koordinierte_netzwerke(self.benutzer)[:2])
            self._einziges = netzwerke[0] if len(netzwerke) == 1 else None
        return self._einziges

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self._partnerschaft_fehlt(instance):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def _partnerschaft_fehlt(self, instance):
        netzwerk = getattr(instance, "_import_partner_in", None)
        if netzwerk is None:
            return False
        return instance.pk is None or not netzwerk.partnerschaften.filter(akteur=instance).exists()

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)  # the translations
        # Same transaction as the actor: a coordinator's new actor is never outside their scope.
        netzwerk = getattr(instance, "_import_partner_in", None)
        if netzwerk is None:
            return
        bereich.partner_aufnehmen(netzwerk, instance)


# --- Kontaktpersonen -------------------------------------------------------------------------


class KontaktpersonRessource(AtlasRessource):
    akteur = spalte("akteur", "Akteur", NachschlageWidget(Akteur, ["slug", "name"], bereich=True))
    name = spalte("name", "Name")
    funktion = spalte("funktion", "Funktion")
    email = spalte("email", "E-Mail")
    telefon = spalte("telefon", "Telefon")
    qualifikationen = spalte("qualifikationen", "Qualifikationen")
    oeffentlich = spalte("oeffentlich", "Öffentlich", JaNeinWidget())
    einwilligung_am = spalte("einwilligung_am", "Einwilligung am", DatumWidget())

    pflichtspalten = ["Akteur", "Name"]
    aliase = {
        "Email": "E-Mail",
        "E-Mail-Adresse": "E-Mail",
        "Mail": "E-Mail",
        "Telefonnummer": "Telefon",
        "Tel.": "Telefon",
        "Öffentlich anzeigen": "Öffentlich",
        "Einwilligung": "Einwilligung am",
        "Einrichtung": "Akteur",
    }

    class Meta(AtlasRessource.Meta):
        model = Kontaktperson
        name = gettext_lazy("Kontaktpersonen")
        import_id_fields = ["akteur", "name"]
        fields = [
            "akteur",
            "name",
            "funktion",
            "email",
            "telefon",
            "qualifikationen",
            "oeffentlich",
            "einwilligung_am",
        ]

    def get_instance(self, instance_loader, row):
        """Key: the actor and the person's name; the e-mail tells namesakes apart."""
        try:
            akteur = self.fields["akteur"].clean(row)
        except ValueError:
            return None  # import_instance reports the unknown actor
        name = text(row.get("Name"))
        if akteur is None or not name:
            return None
        email = text(row.get("E-Mail")).casefold()
        self.einmal_je_datei(
            (akteur.pk, name.casefold(), email), _("„%(name)s“ bei diesem Akteur") % {"name": name}
        )
        treffer = list(Kontaktperson.objects.filter(akteur=akteur, name__iexact=name)[:20])
        if len(treffer) > 1 and email:
            treffer = [k for k in treffer if k.email.casefold() == email]
        if len(treffer) > 1:
            raise ValidationError(
                {
                    "name": _(
                        "Bei diesem Akteur gibt es mehrere Kontaktpersonen dieses Namens; "
                        "geben Sie die E-Mail-Adresse an, um sie zu unterscheiden."
                    )
                }
            )
        return treffer[0] if treffer else None

    def _schluesselattribut(self):
        return "name"
