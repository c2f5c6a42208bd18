from django.core.management.base import BaseCommand

from atlas.post import senden


class Command(BaseCommand):
    help = "Sendet die fälligen E-Mails des Postausgangs (alle paar Minuten ausführen)."

    def handle(self, *args, **options):
        gesendet, fehlgeschlagen = senden()
        self.stdout.write(
            f"E-Mails gesendet: {gesendet}, fehlgeschlagen (werden wiederholt): {fehlgeschlagen}."
        )
