import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

# (name, bereich): the usual partners and the "untypical" ones of seeds/001.
EINRICHTUNGSARTEN = [
    ("Kita", "bildung"),
    ("Kindertagespflege", "bildung"),
    ("Grundschule", "bildung"),
    ("Weiterführende Schule", "bildung"),
    ("Familiengrundschulzentrum", "bildung"),
    ("Volkshochschule", "bildung"),
    ("Bibliothek", "bildung"),
    ("Familienzentrum", "familie"),
    ("Familienbildungsstätte", "familie"),
    ("Beratungsstelle", "familie"),
    ("Erziehungsberatungsstelle", "familie"),
    ("Schwangerschaftsberatungsstelle", "familie"),
    ("Stadtteilzentrum", "familie"),
    ("Verein", "familie"),
    ("Wohlfahrtsverband", "familie"),
    ("Kirchengemeinde", "familie"),
    ("Jugendzentrum", "familie"),
    ("Arztpraxis", "gesundheit"),
    ("Kinder- und Jugendarztpraxis", "gesundheit"),
    ("Hebamme / Familienhebamme", "gesundheit"),
    ("Geburtsklinik", "gesundheit"),
    ("Frühförderstelle", "gesundheit"),
    ("Gesundheitsamt", "gesundheit"),
    ("Migrationsberatung", "migration"),
    ("Migrantenorganisation", "migration"),
    ("Gemeinschaftsunterkunft", "migration"),
    ("Sportverein", "freizeit"),
    ("Musik-, Tanz- oder Theaterschule", "freizeit"),
    ("Museum", "freizeit"),
    ("Jobcenter / Agentur für Arbeit", "arbeit"),
    ("Schuldnerberatung", "arbeit"),
    ("Jugendamt", "verwaltung"),
    ("Kommune / Stadtverwaltung", "verwaltung"),
    ("Landratsamt / Kreisverwaltung", "verwaltung"),
    ("Unternehmen", "wirtschaft"),
    ("Stiftung", "wirtschaft"),
]

# (ISO 639 code, German name, own name, right-to-left)
SPRACHEN = [
    ("de", "Deutsch", "Deutsch", False),
    ("en", "Englisch", "English", False),
    ("tr", "Türkisch", "Türkçe", False),
    ("ar", "Arabisch", "العربية", True),
    ("uk", "Ukrainisch", "Українська", False),
    ("ru", "Russisch", "Русский", False),
    ("fa", "Persisch (Farsi)", "فارسی", True),
    ("prs", "Dari", "دری", True),
    ("pl", "Polnisch", "Polski", False),
    ("ro", "Rumänisch", "Română", False),
    ("bg", "Bulgarisch", "Български", False),
    ("ku", "Kurdisch (Kurmancî)", "Kurmancî", False),
    ("ckb", "Kurdisch (Sorani)", "کوردی", True),
    ("ti", "Tigrinya", "ትግርኛ", False),
    ("so", "Somali", "Soomaali", False),
    ("ps", "Paschtu", "پښتو", True),
    ("sq", "Albanisch", "Shqip", False),
    ("it", "Italienisch", "Italiano", False),
    ("es", "Spanisch", "Español", False),
    ("fr", "Französisch", "Français", False),
    ("vi", "Vietnamesisch", "Tiếng Việt", False),
    ("hr", "Kroatisch", "Hrvatski", False),
    ("sr", "Serbisch", "Српски", False),
    ("el", "Griechisch", "Ελληνικά", False),
    ("gsg", "Deutsche Gebärdensprache", "DGS", False),
]

PLZ_DATEI = Path(__file__).resolve().parents[2] / "fixtures" / "plz.csv"


def vokabulare_anlegen(apps, schema_editor):
    Einrichtungsart = apps.get_model("akteure", "Einrichtungsart")
    Sprache = apps.get_model("akteure", "Sprache")
    for i, (name, bereich) in enumerate(EINRICHTUNGSARTEN):
        Einrichtungsart.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "bereich": bereich, "reihenfolge": i}
        )
    for code, name, nativ, rtl in SPRACHEN:
        Sprache.objects.update_or_create(
            code=code, defaults={"name": name, "name_nativ": nativ, "rtl": rtl}
        )


def postleitzahlen_laden(apps, schema_editor):
    from django.contrib.gis.geos import Point

    Postleitzahl = apps.get_model("akteure", "Postleitzahl")
    with PLZ_DATEI.open(encoding="utf-8", newline="") as f:
        zeilen = [
            Postleitzahl(
                plz=z["plz"],
                ort=z["ort"],
                punkt=Point(float(z["lon"]), float(z["lat"]), srid=4326),
            )
            for z in csv.DictReader(f)
        ]
    Postleitzahl.objects.bulk_create(zeilen, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("akteure", "0002_search_triggers")]

    operations = [
        migrations.RunPython(vokabulare_anlegen, migrations.RunPython.noop),
        migrations.RunPython(postleitzahlen_laden, migrations.RunPython.noop),
    ]
