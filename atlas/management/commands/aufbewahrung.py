"""Delete what is kept only for a while; idempotent, meant for a daily timer (cron, systemd).

    python manage.py aufbewahrung

- login records of django-axes (attempts, failures, the access log) older than
  AUFBEWAHRUNG_ANMELDUNGEN_TAGE days;
- expired sessions (as `clearsessions`);
- uploaded import files (kept in the database with their job, atlas.Importauftrag) older than
  IMPORT_VORSCHAU_STUNDEN hours; an unconfirmed preview then expires; running jobs whose
  worker stopped reporting are marked failed;
- the rows of every model whose QuerySet names them with `loeschfaellig()`: the staff export
  protocol (AUFBEWAHRUNG_EXPORTPROTOKOLL_TAGE) and, with the same hook, reports such as
  "Fehler melden" or sent mail, whichever model brings one; finished import jobs after
  AUFBEWAHRUNG_IMPORTAUFTRAEGE_TAGE.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from atlas.importauftraege import veraltete_auftraege_melden
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
    veraltete_auftraege_melden(jetzt)
    ergebnis["Importdateien"] = veraltete_importdateien_entfernen(jetzt)
    for modell in apps.get_models():
        qs = modell._default_manager.all()
        if callable(getattr(qs, "loeschfaellig", None)):
            # Count the model's own rows only (a cascade would add others to delete()'s total).
            loeschfaellig = qs.loeschfaellig()
            anzahl = loeschfaellig.count()
            loeschfaellig.delete()
            ergebnis[str(modell._meta.verbose_name_plural)] = anzahl
    return ergebnis


class Command(BaseCommand):
    help = "Löscht abgelaufene Anmeldeprotokolle, Sitzungen, Importdateien und alte Meldungen."

    def handle(self, *args, **options):
        for was, anzahl in aufbewahrung_anwenden().items():
            self.stdout.write(f"{was}: {anzahl} gelöscht")
