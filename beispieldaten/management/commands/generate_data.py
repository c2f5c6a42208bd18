import argparse

from django.core.management.base import BaseCommand, CommandError

from atlas.betrieb import ohne_zeitlimit
from beispieldaten.generator import GeneratorFehler, daten_generieren, zahl


def ganzzahl(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine ganze Zahl.") from None


class Command(BaseCommand):
    help = (
        "Fügt plausible Testdaten (Akteure, Netzwerke, Angebote in ganz Deutschland) hinzu, "
        "z. B. --angebote 250000 --akteure 100000 --netzwerke 1000 --seed 1. "
        "Gleicher Seed, gleiche Daten; vorhandene Daten bleiben erhalten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--angebote", type=ganzzahl, default=2500, help="Anzahl Angebote")
        parser.add_argument("--akteure", type=ganzzahl, default=1000, help="Anzahl Akteure")
        parser.add_argument("--netzwerke", type=ganzzahl, default=20, help="Anzahl Netzwerke")
        parser.add_argument("--seed", type=ganzzahl, default=1, help="Startwert des Zufalls")

    def handle(self, *args, angebote, akteure, netzwerke, seed, **options):
        # Its batches of 25,000 rows (and their statement triggers) outlast the web timeout.
        ohne_zeitlimit()
        try:
            ergebnis = daten_generieren(
                angebote=angebote,
                akteure=akteure,
                netzwerke=netzwerke,
                seed=seed,
                stdout=self.stdout,
            )
        except GeneratorFehler as fehler:
            raise CommandError(str(fehler)) from fehler
        sekunden = ergebnis.pop("sekunden")
        zeilen = sum(ergebnis.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Fertig in {sekunden:.1f} s: {zahl(zeilen)} Zeilen "
                f"({zahl(round(zeilen / max(sekunden, 0.1)))} Zeilen/s)"
            )
        )
        for name, anzahl in ergebnis.items():
            self.stdout.write(f"  {name.replace('_', ' ').capitalize():<22}{zahl(anzahl):>10}")
