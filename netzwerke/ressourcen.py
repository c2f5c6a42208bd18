"""Import of network Steckbriefe and their translations (django-import-export) on the shared base.

A file changes the Steckbrief sections and their translations of existing networks in the
importer's scope, found by their Kurzname; it creates no network (the Redaktion does, in the
admin) and leaves name, programme and coordinators alone: what a coordinator may change in the
admin form (NetzwerkAdmin.koordination_bearbeitet) without the status. The columns are those of
the staff export (netzwerke.exports), so an exported file can go to a translation agency and
come back.
"""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from atlas.ressourcen import AtlasRessource, TextWidget, spalte, text

from .models import STECKBRIEF, Netzwerk

# The German headers of netzwerke.models.STECKBRIEF_SPALTEN (files are read in German).
STECKBRIEF_KOEPFE = {
    "ziele": "Ziele",
    "fokus": "Fokus",
    "merkmale": "Merkmale",
    "rahmenbedingungen": "Rahmenbedingungen",
    "wichtigste_partner": "Wichtigste Partner",
    "stand_heute": "Stand heute",
    "ziel_drei_jahre": "Ziel in drei Jahren",
}


class NetzwerkRessource(AtlasRessource):
    slug = spalte("slug", "Kurzname")
    # For the reader of the file; the name is the Redaktion's to change.
    name = fields.Field(attribute="name", column_name="Name", widget=TextWidget(), readonly=True)
    ziele = spalte("ziele", STECKBRIEF_KOEPFE["ziele"])
    fokus = spalte("fokus", STECKBRIEF_KOEPFE["fokus"])
    merkmale = spalte("merkmale", STECKBRIEF_KOEPFE["merkmale"])
    rahmenbedingungen = spalte("rahmenbedingungen", STECKBRIEF_KOEPFE["rahmenbedingungen"])
    wichtigste_partner = spalte("wichtigste_partner", STECKBRIEF_KOEPFE["wichtigste_partner"])
    stand_heute = spalte("stand_heute", STECKBRIEF_KOEPFE["stand_heute"])
    ziel_drei_jahre = spalte("ziel_drei_jahre", STECKBRIEF_KOEPFE["ziel_drei_jahre"])

    pflichtspalten = ["Kurzname"]
    with translation.override("de"):
        # The admin form's headings ("Das sind unsere Ziele") name the sections too.
        aliase = {
            "Slug": "Kurzname",
            **{
                str(Netzwerk._meta.get_field(f).verbose_name): k
                for f, k in STECKBRIEF_KOEPFE.items()
            },
        }

    class Meta(AtlasRessource.Meta):
        model = Netzwerk
        name = gettext_lazy("Steckbriefe")
        import_id_fields = ["slug"]
        fields = ["slug", "name", *STECKBRIEF]

    def get_instance(self, instance_loader, row):
        slug = text(row.get("Kurzname"))
        if not slug:
            raise ValidationError({"slug": _("Der Kurzname des Netzwerks fehlt.")})
        self.einmal_je_datei(slug, _("Kurzname „%(slug)s“") % {"slug": slug})
        netzwerk = self.im_bereich_suchen(slug=slug)
        if netzwerk is None:
            raise ValidationError(
                {
                    "slug": _(
                        "Es gibt kein Netzwerk mit dem Kurznamen „%(slug)s“. Der Import ändert "
                        "nur Steckbriefe; ein neues Netzwerk legt die Redaktion in der "
                        "Verwaltung an."
                    )
                    % {"slug": slug}
                }
            )
        return netzwerk
