"""Delete what is kept only for a while; idempotent, meant for a daily timer (cron, systemd).

    python manage.py aufbewahrung

- login records of django-axes (attempts, failures, the access log) older than
  AUFBEWAHRUNG_ANMELDUNGEN_TAGE days;
- expired sessions (as `clearsessions`);
- uploaded import files older than IMPORT_VORSCHAU_STUNDEN hours (atlas.importieren);
- rows of every model that names its retention as `aufbewahrung = ("date field", "SETTING")`:
  the staff export protocol (AUFBEWAHRUNG_EXPORTPROTOKOLL_TAGE) and, with the same hook, reports
  such as "Fehler melden" (AUFBEWAHRUNG_MELDUNGEN_TAGE).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from atlas.importieren import veraltete_importdateien_entfernen


def aufbewahrung_anwenden(jetzt=None):
    """{what: rows or files deleted}; a second run right after deletes nothing."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    jetzt = jetzt or timezone.now()
    grenze = jetzt - datetime.timedelta(days=settings.AUFBEWAHRUNG_ANMELDUNGEN_TAGE)
    ergebnis = {}
    for modell in (AccessAttempt, AccessFailureLog, AccessLog):
        geloescht = modell.objects.filter(attempt_time__lt=grenze).delete()[0]
        ergebnis[str(modell._meta.verbose_name_plural)] = geloescht
    ergebnis["Sitzungen"] = Session.objects.filter(expire_date__lt=jetzt).delete()[0]
    ergebnis["Importdateien"] = veraltete_importdateien_entfernen(jetzt.timestamp())
    for modell in apps.get_models():
        regel = getattr(modell, "aufbewahrung", None)
        if not (isinstance(regel, tuple) and len(regel) == 2):
            continue
        feld, einstellung = regel
        tage = getattr(settings, einstellung)
        grenze = jetzt - datetime.timedelta(days=tage)
        geloescht = modell._default_manager.filter(**{f"{feld}__lt": grenze}).delete()[0]
        ergebnis[str(modell._meta.verbose_name_plural)] = geloescht
    return ergebnis


class Command(BaseCommand):
    help = "Löscht abgelaufene Anmeldeprotokolle, Sitzungen, Importdateien und alte Meldungen."

    def handle(self, *args, **options):
        for was, anzahl in aufbewahrung_anwenden().items():
            self.stdout.write(f"{was}: {anzahl} gelöscht")
