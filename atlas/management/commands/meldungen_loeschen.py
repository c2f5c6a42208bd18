from django.conf import settings
from django.core.management.base import BaseCommand

from atlas.models import Meldung


class Command(BaseCommand):
    help = "Löscht Meldungen, die seit MELDUNG_LOESCHEN_TAGE Tagen erledigt sind (täglich)."

    def handle(self, *args, **options):
        anzahl, _ = Meldung.objects.loeschfaellig().delete()
        self.stdout.write(
            f"{anzahl} erledigte Meldungen gelöscht (älter als "
            f"{settings.MELDUNG_LOESCHEN_TAGE} Tage)."
        )
