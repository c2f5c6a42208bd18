"""The Steckbrief of the Präventionsnetzwerk "Familien stärken" (seeds/002), field by field."""

ZIELE = """\
- Zugänge verstärken und erleichtern, Barrieren abbauen
- Familien erreichen, stärken und begleiten (mehrsprachig)
- Niederschwellige, transparente und aufsuchende Maßnahmen
- Sensibilisierung und Qualifikation aller Bildungsakteure
- Bildungsübergänge (-gerechtigkeit)
- Nachhaltigen Strukturen von Kooperationen und Netzwerken schaffen
- Wissen aller Bildungsakteure über ein Präventionsnetzwerk
- Aufbau oder die konzeptionelle Weiterentwicklung von Präventionsnetzwerken gegen Kinderarmut
- Bestmögliche Bildungsbeteiligung für Kinder und ihre Lebenswelten für mehr Chancengleichheit.
- Lücken von Präventionsketten von Geburt bis zum Übergang in Schule bis in den Beruf schließen."""

FOKUS = """\
Unser Fokus liegt zunächst darauf, Angebotslücken zu erkennen und zu schließen sowie bestehende \
Strukturen besonders zu stärken. Dabei steht das Kind mit seiner Familie und seinen Lebenswelten \
im Fokus aller Angebote und Prozesse. Wir werden lokale Präventionsketten erkennen und \
weiterentwickeln.

Wir konzentrieren uns bei der Umsetzung auf die Arbeit in Kindertageseinrichtungen, \
Familienzentren und Grundschulen sowie auf gelingende Übergänge. Die Zusammenarbeit mit \
kommunalen Stadtverwaltungen ist dabei wichtiger Bestandteil.

Ein Schwerpunkt wird sein, eine Vernetzungsplattform der bestehenden Angebote und Akteure des \
Landkreises zu etablieren, die einfach und schnell funktioniert und somit einen Mehrwert für alle \
Beteiligten darstellt. Es geht darum, die Komplexität der Angebotsvielfalt zu reduzieren und das \
breite Angebot auf einen Blick sichtbar zu machen um somit bestehende Ressourcen zu nutzen und \
eine schnelle Zusammenarbeit zu ermöglichen.

Dabei im besonderen Fokus steht die Sensibilisierung und Qualifikation der Fachkräfte um \
armutssensible Pädagogik als ein Anspruch aller Bildungsakteure etablieren."""

MERKMALE = """\
- bestehende Strukturen nutzen und stärken. Akteure der Bildungslandschaft nachhaltig verbinden:
  - Reduktion von Komplexität durch eine gemeinsame Plattform,
  - Schnelle und niederschwellige Vermittlung zu Hilfesystemen.
- Armutssensible und vorurteilsbewusste Haltung als Standard"""

RAHMENBEDINGUNGEN = """\
- Stellen bei der Landkreisverwaltung
- 50% Stelle für das Projekt „Präventionsnetzwerke gegen Kinderarmut“"""

WICHTIGSTE_PARTNER = (
    "Freie Träger der Kinder- und Jugendhilfe, Bildungsstätten, Kindertagespflege, Kitas, "
    "Beratungsstellen, kommunale Stadtverwaltung, Vereine und Weitere Partner"
)

STAND_HEUTE = """\
Wir befinden uns in der 1. Projektphase in der Erstellung einer Netzwerkkarte sowie \
Netzwerkarbeit. Dazu hat bereits am 01.12.2021 eine Auftaktveranstaltung stattgefunden. Eine \
Bestandsaufnahme sowie Bedarfsanalyse der vorhandenen Angebote wird durchgeführt. Weiter sind wir \
gerade dabei eine Projektstruktur aufzubauen und die nächsten Schritte und Veranstaltungen zu \
planen."""

ZIEL_DREI_JAHRE = """\
- Nachhaltig funktionierende Präventionsketten sind im Landkreis etabliert
- Fest verankertes Qualifizierungsprogramm von Fachkräften – Armutssensible Pädagogik
- Eine funktionale Vernetzungsplattform für den Landkreis besteht"""
