from django.db import migrations, models

HILFE = (
    "Angebote nur für solche Zielgruppen (z. B. Fachtage für Fachkräfte) erscheinen in der Suche "
    "für Familien nur, wenn jemand diese Zielgruppe auswählt."
)


def fachkraefte_markieren(apps, schema_editor):
    """The vocabulary's professional audience (0003_vocabularies): "Fachkräfte"."""
    Zielgruppe = apps.get_model("angebote", "Zielgruppe")
    Zielgruppe.objects.filter(slug="fachkrafte").update(fachpublikum=True)


class Migration(migrations.Migration):
    dependencies = [("angebote", "0013_angebot_plz_index")]

    operations = [
        migrations.AddField(
            model_name="historicalzielgruppe",
            name="fachpublikum",
            field=models.BooleanField(default=False, help_text=HILFE, verbose_name="Fachpublikum"),
        ),
        migrations.AddField(
            model_name="zielgruppe",
            name="fachpublikum",
            field=models.BooleanField(default=False, help_text=HILFE, verbose_name="Fachpublikum"),
        ),
        migrations.RunPython(fachkraefte_markieren, migrations.RunPython.noop),
    ]
