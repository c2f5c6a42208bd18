"""Import of Angebote (django-import-export) on the shared base (atlas.ressourcen)."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akteure.models import (
    Akteur,
    Sozialraum,
    Sprache,
    plz_mittelpunkte_merken,
    plz_mittelpunkte_vorab,
)
from atlas.models import Status
from atlas.ressourcen import (
    AtlasRessource,
    AuswahlWidget,
    DatumWidget,
    GanzzahlWidget,
    JaNeinWidget,
    NachschlageListeWidget,
    NachschlageWidget,
    PlzWidget,
    spalte,
    text,
)
from atlas.rollen import sieht_alles
from netzwerke.models import Netzwerk

from .models import Angebot, Format, Kosten, Thema, Zielgruppe


class AngebotRessource(AtlasRessource):
    titel = spalte("titel", "Titel")
    slug = spalte("slug", "Kurzname")
    beschreibung = spalte("beschreibung", "Beschreibung")
    anbieter = spalte(
        "anbieter", "Anbieter", NachschlageWidget(Akteur, ["slug", "name"], bereich=True)
    )
    kooperationspartner = spalte(
        "kooperationspartner",
        "Kooperationspartner",
        NachschlageListeWidget(Akteur, ["slug", "name"], bereich=True),
    )
    netzwerk = spalte(
        "netzwerk", "Netzwerk", NachschlageWidget(Netzwerk, ["slug", "name"], bereich=True)
    )
    themen = spalte("themen", "Themen", NachschlageListeWidget(Thema, ["slug", "name"]))
    zielgruppen = spalte(
        "zielgruppen", "Zielgruppen", NachschlageListeWidget(Zielgruppe, ["slug", "name"])
    )
    alter_von_monate = spalte("alter_von_monate", "Alter von (Monate)", GanzzahlWidget())
    alter_bis_monate = spalte("alter_bis_monate", "Alter bis (Monate)", GanzzahlWidget())
    sprachen = spalte(
        "sprachen", "Sprachen", NachschlageListeWidget(Sprache, ["code", "name", "name_nativ"])
    )
    format = spalte("format", "Format", AuswahlWidget(Format.choices), leer_behalten=True)
    kosten = spalte("kosten", "Kosten", AuswahlWidget(Kosten.choices), leer_behalten=True)
    kosten_hinweis = spalte("kosten_hinweis", "Hinweis zu den Kosten")
    anmeldung_erforderlich = spalte(
        "anmeldung_erforderlich", "Anmeldung erforderlich", JaNeinWidget()
    )
    anmeldung_hinweis = spalte("anmeldung_hinweis", "So melden Sie sich an")
    kinderbetreuung = spalte("kinderbetreuung", "Kinderbetreuung", JaNeinWidget())
    barrierefrei = spalte("barrierefrei", "Barrierefrei", JaNeinWidget())
    barrierefreiheit = spalte("barrierefreiheit", "Hinweise zur Barrierefreiheit")
    strasse = spalte("strasse", "Straße")
    plz = spalte("plz", "PLZ", PlzWidget())
    ort = spalte("ort", "Ort")
    einzugsgebiet = spalte(
        "einzugsgebiet", "Einzugsgebiet", NachschlageListeWidget(Sozialraum, ["slug", "name"])
    )
    regelmaessige_zeiten = spalte("regelmaessige_zeiten", "Regelmäßige Zeiten")
    gueltig_von = spalte("gueltig_von", "Gültig von", DatumWidget())
    gueltig_bis = spalte("gueltig_bis", "Gültig bis", DatumWidget())
    kontakt_name = spalte("kontakt_name", "Ansprechperson")
    kontakt_email = spalte("kontakt_email", "Kontakt-E-Mail")
    kontakt_telefon = spalte("kontakt_telefon", "Kontakt-Telefon")
    status = spalte("status", "Status", AuswahlWidget(Status.choices), leer_behalten=True)

    pflichtspalten = ["Titel", "Anbieter", "Format"]
    aliase = {
        "Name": "Titel",
        "Slug": "Kurzname",
        "Träger": "Anbieter",
        "Thema": "Themen",
        "Zielgruppe": "Zielgruppen",
        "Anmeldung": "So melden Sie sich an",
        "Strasse": "Straße",
        "Straße und Hausnummer": "Straße",
        "Postleitzahl": "PLZ",
        "Zeiten": "Regelmäßige Zeiten",
        "Kontakt": "Ansprechperson",
        "E-Mail": "Kontakt-E-Mail",
        "Email": "Kontakt-E-Mail",
        "Telefon": "Kontakt-Telefon",
    }
    schluesselspalte = "Kurzname"
    # Offerings find providers, networks and vocabularies, never other offerings.
    neue_sammeln = True

    class Meta(AtlasRessource.Meta):
        model = Angebot
        name = gettext_lazy("Angebote")
        import_id_fields = ["slug"]
        fields = [
            "titel",
            "slug",
            "beschreibung",
            "anbieter",
            "kooperationspartner",
            "netzwerk",
            "themen",
            "zielgruppen",
            "alter_von_monate",
            "alter_bis_monate",
            "sprachen",
            "format",
            "kosten",
            "kosten_hinweis",
            "anmeldung_erforderlich",
            "anmeldung_hinweis",
            "kinderbetreuung",
            "barrierefrei",
            "barrierefreiheit",
            "strasse",
            "plz",
            "ort",
            "einzugsgebiet",
            "regelmaessige_zeiten",
            "gueltig_von",
            "gueltig_bis",
            "kontakt_name",
            "kontakt_email",
            "kontakt_telefon",
            "status",
        ]

    def get_instance(self, instance_loader, row):
        """Key: the slug; when empty, derived from title *and* provider.

        Two providers of one network may both run an "Elterncafé"; a key from the title alone
        would let the second row overwrite the first provider's offering.
        """
        slug = self.vorab_schluessel(row)
        row["Kurzname"] = slug
        if not slug:
            return None
        self.einmal_je_datei(slug, _("Kurzname „%(slug)s“") % {"slug": slug})
        return self.im_bereich_suchen(slug=slug)

    def vorab_schluessel(self, row):
        slug = text(row.get("Kurzname"))
        if not slug:
            try:
                anbieter = self.fields["anbieter"].clean(row)
            except ValueError:
                anbieter = None  # import_instance reports the unknown provider
            titel = text(row.get("Titel"))
            slug = slugify(f"{titel} {anbieter.slug}" if anbieter and titel else titel)[:220]
        return slug

    def zeile_pruefen(self, instance, row):
        if instance.anbieter_id is None:
            return
        if not sieht_alles(self.benutzer) and not self._im_bereich(
            instance.anbieter_id, instance.netzwerk_id
        ):
            raise ValidationError(
                {"netzwerk": _("Das Angebot läge danach außerhalb Ihrer Netzwerke.")}
            )
        # As Angebot.save() does, so that validation and the preview see the place (point and
        # address) a published offering needs.
        instance.ort_ergaenzen()

    def speichern_vorbereiten(self, instance):
        # Angebot.save() completes the place before its INSERT.
        instance.ort_ergaenzen()

    def _im_bereich(self, anbieter_id, netzwerk_id):
        """Whether the provider is in the user's scope, or else the network is.

        The provider may be a current value outside the scope (an offering of the network run
        by an outside provider); then the network must stay one of the user's. The scope is
        read once per import (its keys only): an offerings import does not change it.
        """
        if not hasattr(self, "_bereich_pks"):
            self._bereich_pks = (
                set(Akteur.objects.im_bereich_von(self.benutzer).values_list("pk", flat=True)),
                set(Netzwerk.objects.im_bereich_von(self.benutzer).values_list("pk", flat=True)),
            )
        akteure, netzwerke = self._bereich_pks
        return anbieter_id in akteure or (netzwerk_id is not None and netzwerk_id in netzwerke)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if "PLZ" in dataset.headers:
            # The centres of the file's postcodes in one query (standort_vorschlag asks them).
            plzs = set()
            for wert in dataset["PLZ"]:
                try:
                    plzs.add(self.fields["plz"].widget.clean(wert))
                except ValueError:
                    continue  # the row reports it
            plz_mittelpunkte_vorab(plzs)

    def import_data_inner(self, *args, **kwargs):
        # The centres of the postcodes do not change during an import: each asked once.
        with plz_mittelpunkte_merken():
            return super().import_data_inner(*args, **kwargs)
