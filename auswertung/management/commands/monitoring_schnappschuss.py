import datetime

from django.core.management.base import BaseCommand, CommandError

from auswertung.monitoring import schnappschuesse_schreiben


class Command(BaseCommand):
    help = (
        "Schreibt die Monitoring-Zahlen aller Standorte für einen Monat (Standard: den "
        "laufenden). Mehrfach aufrufbar: die Zahlen des Monats werden ersetzt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--monat", help="Monat als JJJJ-MM, z. B. 2026-11")

    def handle(self, *args, monat=None, **options):
        tag = None
        if monat:
            try:
                tag = datetime.datetime.strptime(monat, "%Y-%m").date()
            except ValueError as fehler:
                raise CommandError(
                    f"„{monat}“ ist kein Monat im Format JJJJ-MM (z. B. 2026-11)."
                ) from fehler
        anzahl = schnappschuesse_schreiben(tag)
        monat = tag or datetime.date.today()
        self.stdout.write(f"{anzahl} Standorte für {monat:%m/%Y} gespeichert.")
