from django.db import migrations
from django.utils.text import slugify

THEMEN = {
    "Schwangerschaft & Geburt": [
        "Schwangerschaftsberatung",
        "Geburtsvorbereitung",
        "Hebammenhilfe",
        "Rückbildung",
    ],
    "Baby & Kleinkind": [
        "Eltern-Kind-Gruppe",
        "Babymassage",
        "Stillen & Ernährung",
        "Schlafen & Schreien",
        "Frühe Hilfen",
    ],
    "Erziehung & Familienalltag": [
        "Elternkurs",
        "Erziehungsberatung",
        "Familienbildung",
        "Väterangebote",
        "Alleinerziehende",
        "Medien & Digitales",
    ],
    "Bildung & Betreuung": [
        "Kita & Kindertagespflege",
        "Sprachförderung",
        "Übergang Kita–Schule",
        "Hausaufgabenhilfe & Lernförderung",
        "Elternbeteiligung in Kita und Schule",
    ],
    "Gesundheit": [
        "Kindergesundheit",
        "Ernährung & Bewegung",
        "Psychische Gesundheit",
        "Frühförderung & Behinderung",
    ],
    "Migration & Integration": [
        "Deutschkurs",
        "Elternbegleitung für zugewanderte Familien",
        "Sprachmittlung & Dolmetschen",
        "Asyl- und Aufenthaltsberatung",
    ],
    "Geld, Arbeit & Beruf": [
        "Finanzielle Hilfen & Bildung und Teilhabe",
        "Schuldnerberatung",
        "Wiedereinstieg & Beruf",
        "Übergang Schule–Beruf",
    ],
    "Freizeit, Kultur & Sport": [
        "Sport & Bewegung",
        "Musik, Tanz & Theater",
        "Ferienangebote",
        "Offene Kinder- und Jugendarbeit",
    ],
    "Schutz & Krisen": [
        "Kinderschutz",
        "Gewaltschutz",
        "Trennung & Scheidung",
        "Krisenhilfe",
    ],
}

ZIELGRUPPEN = [
    "Eltern",
    "Schwangere",
    "Mütter",
    "Väter",
    "Alleinerziehende",
    "Neu zugewanderte Familien",
    "Familien mit Kindern mit Behinderung",
    "Pflege- und Adoptivfamilien",
    "Großeltern",
    "Kinder",
    "Jugendliche",
    "Junge Erwachsene",
    "Fachkräfte",
]


def vokabulare_anlegen(apps, schema_editor):
    Thema = apps.get_model("angebote", "Thema")
    Zielgruppe = apps.get_model("angebote", "Zielgruppe")
    for i, (ober, unter) in enumerate(THEMEN.items()):
        oberthema, _ = Thema.objects.update_or_create(
            slug=slugify(ober.replace("–", "-")), defaults={"name": ober, "reihenfolge": i, "oberthema": None}
        )
        for j, name in enumerate(unter):
            Thema.objects.update_or_create(
                slug=slugify(name.replace("–", "-")),
                defaults={"name": name, "reihenfolge": j, "oberthema": oberthema},
            )
    for name in ZIELGRUPPEN:
        Zielgruppe.objects.update_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("angebote", "0002_search_triggers")]

    operations = [migrations.RunPython(vokabulare_anlegen, migrations.RunPython.noop)]
