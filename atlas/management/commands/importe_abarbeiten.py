"""Run waiting import jobs (preview or import) outside the request.

    python manage.py importe_abarbeiten              # until no job waits (started by a request)
    python manage.py importe_abarbeiten --dauerhaft  # as a service: wait for jobs, poll every 5 s

Any number may run, on any host: each job is claimed with SELECT … FOR UPDATE SKIP LOCKED.
"""

import time

from django.core.management.base import BaseCommand

from atlas.importauftraege import abarbeiten


class Command(BaseCommand):
    help = "Führt wartende Importe (Vorschau oder Import) aus."

    def add_arguments(self, parser):
        parser.add_argument("--dauerhaft", action="store_true", help="Auf neue Importe warten.")
        parser.add_argument("--pause", type=float, default=5.0, help="Sekunden zwischen Abfragen.")

    def handle(self, *args, dauerhaft=False, pause=5.0, **options):
        while True:
            anzahl = abarbeiten()
            if anzahl:
                self.stdout.write(f"{anzahl} Import-Schritte ausgeführt")
            if not dauerhaft:
                return
            time.sleep(pause)
