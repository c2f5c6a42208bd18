from django.core.management.base import BaseCommand, CommandError

from beispieldaten.demo_daten import DemoDatenVorhanden, demo_laden, demo_logins


class Command(BaseCommand):
    help = (
        "Lädt erfundene Demodaten (Sozialräume, Akteure, Netzwerke, Angebote, Termine und "
        "Demo-Konten) in eine leere Datenbank – alles oder nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wenn-leer",
            action="store_true",
            help="Nichts tun (ohne Fehler), wenn schon Akteure in der Datenbank sind.",
        )

    def handle(self, *args, wenn_leer=False, **options):
        try:
            anzahl = demo_laden()
        except DemoDatenVorhanden:
            if not wenn_leer:
                raise CommandError(
                    "Die Datenbank enthält bereits Akteure – Demodaten werden nur in eine leere "
                    "Datenbank geladen. Es wurde nichts geändert."
                ) from None
            self.stdout.write(
                "Demodaten übersprungen: Die Datenbank ist nicht leer (es gibt bereits Akteure)."
            )
        else:
            zeilen = ", ".join(f"{wert} {name}" for name, wert in anzahl.items())
            self.stdout.write(self.style.SUCCESS(f"Demodaten geladen: {zeilen}."))
        self.logins_ausgeben()

    def logins_ausgeben(self):
        logins = demo_logins()
        if not logins:
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "Demo-Konten – nur für die lokale Nutzung, niemals auf einem öffentlichen Server:"
            )
        )
        breite = max(len(name) for name, _ in logins)
        for name, passwort in logins:
            self.stdout.write(f"  {name.ljust(breite)}  Passwort: {passwort}")
