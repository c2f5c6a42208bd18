from django.core.management.base import BaseCommand, CommandError

from atlas.erinnerung import erinnerungen_senden
from atlas.post import senden


class Command(BaseCommand):
    help = (
        "Erinnert die Anbieter fälliger Einträge (erste und zweite Erinnerung, dann die "
        "Koordination) und sendet den Postausgang. Täglich ausführen; ein zweiter Lauf am "
        "selben Tag sendet nichts doppelt."
    )

    def handle(self, *args, **options):
        try:
            schritte = erinnerungen_senden()
        except ValueError as fehler:
            raise CommandError(str(fehler)) from None
        gesendet, fehlgeschlagen = senden()
        self.stdout.write(
            f"Erste Erinnerungen: {schritte[1]}, zweite: {schritte[2]}, "
            f"an die Koordination: {schritte[3]}. E-Mails gesendet: {gesendet}, "
            f"fehlgeschlagen (werden wiederholt): {fehlgeschlagen}."
        )
