"""Machinery for search indexes held in each process's memory, kept true by a change log.

PostgreSQL stays the source of truth. Triggers write one row per changed record into a change
log table (`id`, `art`, `objekt_id`); every process reads the rows it has not applied yet with
one small query per request (`Protokoll.neue`) and reloads those records. There is no
per-process truth that can drift: a process that falls behind, or starts, reads everything.

Log ids come from a sequence, so a transaction that commits late can add ids below ones
already read. The reader therefore keeps every id it has applied above a *safe* point and
moves that point only once every transaction that was running when the ids above it were read
has ended (the snapshot's xmin has passed their xmax): nothing committed late is skipped.

Columns are numpy arrays, one entry per record ("row"); many-to-many values are kept as pairs
(`Mehrfachwerte`): filtering and counting a facet are a few vectorised passes over them.
"""

import itertools
import logging
import threading
import time
from contextlib import contextmanager

import numpy as np
from django.core.signals import request_finished, request_started
from django.db import connections

logger = logging.getLogger(__name__)

# A process that has applied nothing for this long reads everything again (old log rows are
# deleted after a day, see Protokoll.aufraeumen).
NEU_LESEN_NACH_SEKUNDEN = 3600
# More unapplied changes than this: reading everything again is cheaper.
MAX_AENDERUNGEN = 20_000
# After a failed build (the ids too sparse for arrays, an error), SQL answers this long.
NEU_VERSUCHEN_NACH_SEKUNDEN = 600
# Ids below the log's highest one that a freshly built index still treats as possibly
# unapplied: transactions that were running while it read everything.
RUECKBLICK = 10_000


# The request this thread is serving (a number no other request has), None outside one: an
# index is brought up to date once per request, at its first use (Prozessindex.aktuell).
_anfragen = itertools.count(1)
_faden = threading.local()


def _anfrage_beginnt(**kwargs):
    _faden.anfrage = next(_anfragen)


def _anfrage_endet(**kwargs):
    _faden.anfrage = None


request_started.connect(_anfrage_beginnt, dispatch_uid="atlas.suchindex.anfrage_beginnt")
request_finished.connect(_anfrage_endet, dispatch_uid="atlas.suchindex.anfrage_endet")


class NeuAufbauen(Exception):  # noqa: N818 – a signal, not an error
    """The index must be read again from the database."""


class Protokoll:
    """The reading position in a change log table (see the module's docstring)."""

    def __init__(self, tabelle):
        self.tabelle = tabelle
        self.sicher = 0  # every log id up to here is applied
        self.bekannt = set()  # applied ids above `sicher`
        self._bekannt_text = "{}"  # the same as an array literal, kept until it changes
        self.offen = []  # (highest id read, xmax of that read's snapshot)
        self.gelesen_um = time.monotonic()

    def anfang(self, cursor):
        """Called before the index reads everything: the position from which changes count."""
        cursor.execute(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, "
            f"coalesce(max(id), 0) FROM {self.tabelle}"
        )
        xmax, hoechste = cursor.fetchone()
        self.sicher = max(hoechste - RUECKBLICK, 0)
        cursor.execute(f"SELECT id FROM {self.tabelle} WHERE id > %s", [self.sicher])
        self.bekannt = {i for (i,) in cursor.fetchall()}
        self._bekannt_text = None
        self.offen = [(hoechste, xmax)]
        self.gelesen_um = time.monotonic()

    def neue(self, cursor):
        """The unapplied changes as [(art, objekt_id)]; NeuAufbauen when reading everything
        again is due. One query."""
        if time.monotonic() - self.gelesen_um > NEU_LESEN_NACH_SEKUNDEN:
            raise NeuAufbauen
        cursor.execute(
            "WITH s AS (SELECT pg_current_snapshot() AS s) "
            "SELECT pg_snapshot_xmin(s.s)::text::bigint, pg_snapshot_xmax(s.s)::text::bigint, "
            "l.id, l.art, l.objekt_id FROM s LEFT JOIN LATERAL ("
            f"  SELECT id, art, objekt_id FROM {self.tabelle}"
            # NOT IN a subquery is a hash lookup per row. `id <> ALL(array)` compared every
            # row with every applied id: after a build, while a long transaction keeps
            # `sicher` from moving, 10,000 × 10,000 comparisons (12 s on the bench copy) and
            # 10,000 ids converted by the driver, in every request.
            "   WHERE id > %s AND id NOT IN (SELECT unnest(%s::bigint[])) ORDER BY id LIMIT %s"
            ") l ON true",
            [self.sicher, self._bekannt_literal(), MAX_AENDERUNGEN + 1],
        )
        zeilen = cursor.fetchall()
        if len(zeilen) > MAX_AENDERUNGEN:
            raise NeuAufbauen
        xmin, xmax = zeilen[0][0], zeilen[0][1]
        aenderungen = [(art.strip(), objekt) for _, _, i, art, objekt in zeilen if i is not None]
        neu = [i for _, _, i, _, _ in zeilen if i is not None]
        if neu:
            self.bekannt.update(neu)
            self._bekannt_text = None
        self.offen.append((max(neu, default=self.sicher), xmax))
        # Every transaction running at an earlier read has ended: all ids up to what that read
        # saw are visible now, and were read now or before.
        fertig = [h for h, x in self.offen if x <= xmin]
        if fertig:
            self.sicher = max(self.sicher, *fertig)
            self.offen = [(h, x) for h, x in self.offen if x > xmin and h > self.sicher]
            self.bekannt = {i for i in self.bekannt if i > self.sicher}
            self._bekannt_text = None
        self.gelesen_um = time.monotonic()
        return aenderungen

    def _bekannt_literal(self):
        """`bekannt` as a PostgreSQL array literal, built again only after it changed."""
        if self._bekannt_text is None:
            self._bekannt_text = "{" + ",".join(map(str, sorted(self.bekannt))) + "}"
        return self._bekannt_text

    def aufraeumen(self, cursor):
        """Old log rows go: a process that has not read for an hour reads everything anyway."""
        cursor.execute(f"DELETE FROM {self.tabelle} WHERE zeit < now() - interval '1 day'")


class Mehrfachwerte:
    """The values of a many-to-many field as (row, value id) pairs, sorted by value: the rows
    of one value are one slice."""

    def __init__(self, zeilen, werte):
        zeilen = np.asarray(zeilen, dtype=np.int32)
        werte = np.asarray(werte, dtype=np.int32)
        folge = np.argsort(werte, kind="stable")
        self.zeilen, self.werte = zeilen[folge], werte[folge]
        # Each value once, and where its slice begins.
        self.wert_ids, self.anfaenge = np.unique(self.werte, return_index=True)

    def ersetzen(self, zeilen, neue):
        """The rows `zeilen` get the values of `neue` (a Mehrfachwerte over the same rows)."""
        behalten = ~np.isin(self.zeilen, zeilen)
        self.__init__(
            np.concatenate([self.zeilen[behalten], neue.zeilen]),
            np.concatenate([self.werte[behalten], neue.werte]),
        )

    def maske(self, werte, anzahl_zeilen):
        """Rows with any of the value ids `werte`."""
        maske = np.zeros(anzahl_zeilen, dtype=bool)
        for wert in set(werte):
            von, bis = np.searchsorted(self.werte, [wert, wert + 1])
            maske[self.zeilen[von:bis]] = True
        return maske

    def zaehlen(self, maske):
        """{value id: rows among `maske` with it}, values with at least one row."""
        if not len(self.werte):
            return {}
        drin = maske[self.zeilen].view(np.uint8)
        anzahl = np.add.reduceat(drin, self.anfaenge, dtype=np.int64)
        return {int(w): int(n) for w, n in zip(self.wert_ids, anzahl, strict=True) if n}


class Prozessindex:
    """One index per process, built on first use and brought up to date on every use."""

    def __init__(self, bauen):
        self.bauen = bauen  # () → an index object with .aktualisieren()
        self.index = None
        self.sperre = threading.RLock()
        self.baut = False
        self.fehlgeschlagen_um = None  # a failed build is not retried on every request
        self.aktuell_in = None  # the request in which the index was last brought up to date

    @contextmanager
    def aktuell(self, *, warten=True):
        """The index with every committed change applied (one query when nothing changed),
        held for the caller: no change is applied while it reads. Without `warten`, a missing
        index is built in a thread and None is given meanwhile (the caller asks SQL): a new
        worker answers at once instead of after seconds of reading.

        Within one request the changes are read once, at the first use: the list page asks
        for its vocabularies, counts and page from the same state, with one query."""
        anfrage = getattr(_faden, "anfrage", None)
        with self.sperre:
            if self.index is not None and (anfrage is None or anfrage != self.aktuell_in):
                try:
                    self.index.aktualisieren()
                    self.aktuell_in = anfrage
                except NeuAufbauen:
                    self.index = None
            if self.index is None:
                if (
                    self.fehlgeschlagen_um is not None
                    and time.monotonic() - self.fehlgeschlagen_um < NEU_VERSUCHEN_NACH_SEKUNDEN
                ):
                    yield None
                    return
                if not warten:
                    self._im_hintergrund_bauen()
                    yield None
                    return
                try:
                    self.index = self.bauen()
                    self.aktuell_in = anfrage
                except NeuAufbauen:
                    self.fehlgeschlagen_um = time.monotonic()
                    raise
            yield self.index

    def _im_hintergrund_bauen(self):
        if self.baut:
            return
        self.baut = True

        def bauen():
            try:
                index = self.bauen()
                with self.sperre:
                    self.index = index
            except Exception:
                self.fehlgeschlagen_um = time.monotonic()
                logger.exception("Suchindex konnte nicht aufgebaut werden")
            finally:
                self.baut = False
                connections.close_all()  # this thread's own connection

        threading.Thread(target=bauen, name="suchindex", daemon=True).start()

    def verwerfen(self):
        """Forget the index: the next use reads everything again."""
        with self.sperre:
            self.index = None
            self.fehlgeschlagen_um = None
