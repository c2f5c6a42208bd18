"""Two import workers at once (atlas.importauftraege): each job is claimed by one of them.

Beside the browser tests because the claims must be committed to be seen by the other worker's
connection (a transactional test; their conftest puts back the data migrations' rows).
"""

import threading

import pytest
from django.db import connection, transaction

from akteure.models import Akteur
from atlas.importauftraege import abarbeiten, auftrag_anlegen, naechsten_auftrag_nehmen
from atlas.models import Importauftrag
from tests.factories import UserFactory
from tests.test_import import csv_datei


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_job():
    koordination = UserFactory(is_superuser=True)
    auftraege = [
        auftrag_anlegen(
            benutzer=koordination,
            modell="akteure.akteur",
            inhalt=csv_datei([["Name", "Einrichtungsart"], [f"Treff {i}", "Verein"]]),
            dateiname=f"{i}.csv",
            zeilen=1,
        )
        for i in range(4)
    ]

    # While one worker holds a job's row (claiming it), another skips it instead of waiting.
    gesehen = []

    def zweiter_arbeiter():
        try:
            gesehen.append(naechsten_auftrag_nehmen())
        finally:
            connection.close()

    with transaction.atomic():
        erster = Importauftrag.objects.select_for_update().get(pk=auftraege[0].pk)
        andere = Importauftrag.objects.select_for_update().exclude(pk=erster.pk)
        list(andere)  # all four held
        faden = threading.Thread(target=zweiter_arbeiter)
        faden.start()
        faden.join(timeout=30)
    assert gesehen == [None]

    # Two workers at once: each job runs once (its preview), all four are run.
    gelaufen = []

    def arbeiter():
        try:
            gelaufen.append(abarbeiten())
        finally:
            connection.close()

    faeden = [threading.Thread(target=arbeiter) for _ in range(2)]
    for faden in faeden:
        faden.start()
    for faden in faeden:
        faden.join(timeout=120)
    assert sum(gelaufen) == 4
    assert (
        sorted(Importauftrag.objects.values_list("status", "ergebnis__neu"))
        == [("vorschau_fertig", 1)] * 4
    )
    assert not Akteur.objects.filter(name__startswith="Treff ").exists()
