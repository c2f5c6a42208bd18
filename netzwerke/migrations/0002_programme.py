from django.db import migrations

PROGRAMME = [
    {
        "slug": "elternbegleitungsnetzwerke",
        "name": "Bundesmodellprogramm Elternbegleitungsnetzwerke",
        "foerdergeber": "Bundesministerium für Familie, Senioren, Frauen und Jugend (BMFSFJ) "
        "und Europäischer Sozialfonds (ESF), Programm „Elternchance II“",
        "beschreibung": "Auf- und Ausbau verbindlicher Netzwerk- und Kooperationsstrukturen von "
        "Elternbegleitung und Partnern der Kinder-, Jugend- und Familienhilfe sowie der "
        "Flüchtlingsarbeit und Integration. Jedes Netzwerk besteht aus mindestens drei Partnern; "
        "die Koordination liegt bei Netzwerkpartner 1, in der Regel einer Einrichtung der "
        "Familienbildung mit mindestens einer qualifizierten Elternbegleiterin bzw. einem "
        "Elternbegleiter.",
        "mindestanzahl_partner": 3,
    },
    {
        "slug": "fruehe-hilfen",
        "name": "Netzwerke Frühe Hilfen (Bundesstiftung Frühe Hilfen)",
        "foerdergeber": "Bundesministerium für Familie, Senioren, Frauen und Jugend (BMFSFJ), "
        "Nationales Zentrum Frühe Hilfen als Bundeskoordinierungsstelle",
        "beschreibung": "Kommunale Netzwerke Früher Hilfen, koordiniert durch eine fachlich "
        "qualifizierte Koordinierungsstelle beim Jugendamt; multiprofessionelle, frühzeitige "
        "Angebote für Familien in Schwangerschaft und mit Kindern bis drei Jahre, einschließlich "
        "Familienhebammen.",
        "mindestanzahl_partner": None,
    },
    {
        "slug": "praeventionsnetzwerke-kinderarmut",
        "name": "Präventionsnetzwerke gegen Kinderarmut",
        "foerdergeber": "Land Baden-Württemberg (Landesmittel)",
        "beschreibung": "Aufbau und Weiterentwicklung kommunaler Präventionsnetzwerke und "
        "Präventionsketten gegen Kinderarmut – von der Geburt bis zum Übergang in den Beruf.",
        "mindestanzahl_partner": None,
    },
    {
        "slug": "familiengrundschulzentren",
        "name": "Familiengrundschulzentren",
        "foerdergeber": "Kommunen mit Unterstützung der Wübben Stiftung",
        "beschreibung": "Familienzentren an Grundschulen als niedrigschwellige sozialräumliche "
        "Knotenpunkte: Kooperation von Schule, Jugendhilfe und weiteren Akteuren im Sozialraum.",
        "mindestanzahl_partner": None,
    },
]


def programme_anlegen(apps, schema_editor):
    Programm = apps.get_model("netzwerke", "Programm")
    for daten in PROGRAMME:
        Programm.objects.update_or_create(slug=daten["slug"], defaults=daten)


class Migration(migrations.Migration):
    dependencies = [("netzwerke", "0001_initial_schema")]

    operations = [migrations.RunPython(programme_anlegen, migrations.RunPython.noop)]
