"""Machinery for search indexes held in each process's memory, kept true by a change log.

PostgreSQL stays the source of truth. Triggers write one row per changed record into a change
log table (`id`, `art`, `objekt_id`); every process reads the rows it has not applied yet with
one small query per request (`Protokoll.neue`) and reloads those records. There is no
per-process truth that can drift: a process that falls behind, or starts, reads everything.

Log ids come from a sequence, so a transaction that commits late can add ids below ones
already read. The reader therefore keeps every id it has applied above a *safe* point and
moves that point only once every transaction that was running when the ids above it were read
has ended (the snapshot's xmin has passed their xmax): nothing committed late is skipped.

Columns are numpy arrays, one entry per record ("row"), in the narrowest type that holds them
(every worker keeps its own copy: issue 12 asks for < 300 MB each); many-to-many values are a
bit set per value (`Mehrfachwerte`): filtering and counting a facet are a few vectorised passes
over them. Words of a stored tsvector are posting lists of its frequent lexemes (`Wortindex`).
"""

import bisect
import ctypes
import functools
import itertools
import json
import logging
import os
import pickle
import select
import signal
import threading
import time
import traceback
from contextlib import contextmanager, suppress

import numpy as np
from asgiref.local import Local
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connection, connections

logger = logging.getLogger(__name__)

# A process that has applied nothing for this long reads everything again (old log rows are
# deleted after a day, see Protokoll.aufraeumen).
NEU_LESEN_NACH_SEKUNDEN = 3600
# More unapplied changes than this: reading everything again is cheaper.
MAX_AENDERUNGEN = 20_000
# After a failed build (the ids too sparse for arrays, an error), SQL answers this long.
NEU_VERSUCHEN_NACH_SEKUNDEN = 600
# A build child that has handed nothing back after this long is ended: a child forked while
# another thread held a lock it then needs would otherwise wait for ever, and its worker with
# it (the 1M bench builds in 40–90 s).
KIND_HOECHSTENS_SEKUNDEN = 1800
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
        self.offen = [(hoechste, xmax)]
        self.gelesen_um = time.monotonic()
        self._vorruecken()

    def neue(self, cursor):
        """The unapplied changes as [(art, objekt_id)]; NeuAufbauen when reading everything
        again is due. One query."""
        if time.monotonic() - self.gelesen_um > NEU_LESEN_NACH_SEKUNDEN:
            raise NeuAufbauen
        cursor.execute(
            "WITH s AS (SELECT pg_current_snapshot() AS s) "
            "SELECT pg_snapshot_xmin(s.s)::text::bigint, pg_snapshot_xmax(s.s)::text::bigint, "
            "l.id, l.art, l.objekt_id FROM s LEFT JOIN LATERAL ("
            f"  SELECT id, art, objekt_id FROM {self.tabelle} WHERE id > %s AND NOT EXISTS ("
            "    SELECT FROM unnest(%s::bigint[], %s::bigint[]) b(von, bis)"
            "    WHERE id BETWEEN b.von AND b.bis"
            "  ) ORDER BY id LIMIT %s"
            ") l ON true",
            [self.sicher, *_laeufe(self.bekannt), MAX_AENDERUNGEN + 1],
        )
        zeilen = cursor.fetchall()
        if len(zeilen) > MAX_AENDERUNGEN:
            raise NeuAufbauen
        xmin, xmax = zeilen[0][0], zeilen[0][1]
        aenderungen = [(art.strip(), objekt) for _, _, i, art, objekt in zeilen if i is not None]
        neu = [i for _, _, i, _, _ in zeilen if i is not None]
        self.bekannt.update(neu)
        hoechste = max(neu, default=self.sicher)
        # A read that saw nothing new adds nothing: the earlier entry with the same highest id
        # is settled no later (smaller xmax) and then moves `sicher` just as far.
        if not self.offen or self.offen[-1][0] != hoechste:
            self.offen.append((hoechste, xmax))
        # Every transaction running at an earlier read has ended: all ids up to what that read
        # saw are visible now, and were read now or before.
        fertig = [h for h, x in self.offen if x <= xmin]
        if fertig:
            self.sicher = max(self.sicher, *fertig)
            self.offen = [(h, x) for h, x in self.offen if x > xmin and h > self.sicher]
            self.bekannt = {i for i in self.bekannt if i > self.sicher}
        self._vorruecken()
        self.gelesen_um = time.monotonic()
        return aenderungen

    def _vorruecken(self):
        """Applied ids right above `sicher`, without a gap, are applied too: `sicher` moves up
        over them. Ids come from one sequence, so no change can turn up there later; what
        stays above `sicher` is only what lies beyond the first gap. Without this a fresh index
        sent and the database checked its RUECKBLICK known ids on every request for as long as
        any transaction older than the build ran (a backup, a long export): ~14 ms of
        PostgreSQL and ~1 ms of Python per request at 10,000 ids."""
        if self.sicher + 1 not in self.bekannt:
            return
        while self.sicher + 1 in self.bekannt:
            self.sicher += 1
            self.bekannt.discard(self.sicher)
        self.offen = [(h, x) for h, x in self.offen if h > self.sicher]

    def aufraeumen(self, cursor):
        """Old log rows go: a process that has not read for an hour reads everything anyway."""
        cursor.execute(f"DELETE FROM {self.tabelle} WHERE zeit < now() - interval '1 day'")


def _laeufe(ids):
    """The ids as runs of consecutive numbers, ([firsts], [lasts]): the applied ids go to the
    database as a few ranges, not as thousands of numbers (a fresh index knows RUECKBLICK ids
    above its safe point until every transaction older than it has ended – on a busy server
    that can take a while, and sending 10,000 numbers per request cost ~100 ms)."""
    folge = sorted(ids)
    von, bis = [], []
    for i in folge:
        if bis and i == bis[-1] + 1:
            bis[-1] = i
        else:
            von.append(i)
            bis.append(i)
    return von, bis


def zeilen_der_ids(zeile_von_id, ids):
    """The row of each id in `ids` by the table `zeile_von_id` (id → row, -1 for none); -1
    for ids outside the table too."""
    ids = np.asarray(ids, dtype=np.int64)
    zeilen = np.full(len(ids), -1, dtype=np.int64)
    drin = (ids >= 0) & (ids < len(zeile_von_id))
    zeilen[drin] = zeile_von_id[ids[drin]]
    return zeilen


def zeilen_tabelle(ids, groesse=None):
    """The table id → row (-1 for none) of rows holding `ids`, as int32: row numbers are below
    2**31, and half the bytes of int64 (the table has an entry for every id up to the
    largest)."""
    groesse = max(int(np.max(ids, initial=-1)) + 1, groesse or 0)
    tabelle = np.full(groesse, -1, dtype=np.int32)
    tabelle[ids] = np.arange(len(ids), dtype=np.int32)
    return tabelle


def id_typ(werte):
    """The narrowest of int32 and int64 that holds the ids `werte` (database keys are bigint,
    but rarely above 2**31)."""
    return np.int32 if int(np.max(werte, initial=0)) < 2**31 else np.int64


def kopieren(cursor, sql, spalten, parameter=None, ohne=b""):
    """The rows of a COPY of `sql` (every value a number) as float64 arrays (rows × `spalten`)
    of about BLOCK_BYTES of text each, one block at a time: the COPY text never lies in memory
    whole, and numpy parses it in C, without a Python object per value. Integers are exact
    up to 2**53. The bytes `ohne` are dropped (the braces of an array)."""
    # One growing buffer, not a bytes object per row (~50 bytes each beyond the data, kept by
    # Python's allocator once freed).
    puffer = bytearray()
    with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", parameter) as kopie:
        for zeile in kopie:  # libpq gives one row per read
            puffer += zeile
            if len(puffer) >= BLOCK_BYTES:
                yield _block(puffer, spalten, ohne)
                puffer = bytearray()
    yield _block(puffer, spalten, ohne)


TRENNER = bytes.maketrans(b"\t\n", b",,")


def _block(puffer, spalten, ohne):
    text = bytes(puffer).translate(TRENNER, ohne)
    del puffer[:]
    return np.fromstring(text, dtype=np.float64, sep=",").reshape(-1, spalten)


class Mehrfachwerte:
    """The values of a many-to-many field as one bit set per value (uint64 words, row r is bit
    r % 64 of word r // 64). A value's rows are its bits unpacked; a facet's counts are an AND
    and a popcount per value – over the words that hold a chosen row, when the rows are few.
    A value costs one bit per row: far less than the pairs themselves for the few values of a
    vocabulary (topics, target groups, languages)."""

    def __init__(self, zeilen, werte):
        zeilen = np.asarray(zeilen, dtype=np.int64)
        werte = np.asarray(werte, dtype=np.int64)
        # A pair whose row the index does not hold (published between two reads) counts for
        # none; its record's change is read next.
        drin = zeilen >= 0
        zeilen, werte = zeilen[drin], werte[drin]
        self.wert_ids = np.unique(werte)
        worte = (int(zeilen.max(initial=-1)) + 64) // 64
        self.bits = np.zeros((len(self.wert_ids), worte), dtype=np.uint64)
        self._setzen(zeilen, werte)

    def _setzen(self, zeilen, werte):
        np.bitwise_or.at(
            self.bits,
            (np.searchsorted(self.wert_ids, werte), zeilen >> 6),
            np.left_shift(np.uint64(1), (zeilen & 63).astype(np.uint64)),
        )

    def paare(self):
        """(rows, value ids) of every pair, by value."""
        zeilen = [np.flatnonzero(_entpacken(worte, len(worte) * 64)) for worte in self.bits]
        anzahl = [len(z) for z in zeilen]
        return (
            np.concatenate([np.zeros(0, np.int64), *zeilen]),
            np.repeat(self.wert_ids, anzahl),
        )

    def ersetzen(self, zeilen, neue):
        """The rows `zeilen` get the values of `neue` (a Mehrfachwerte over the same rows)."""
        zeilen = np.asarray(zeilen, dtype=np.int64)
        neu_zeilen, neu_werte = neue.paare()
        worte = max(
            self.bits.shape[1],
            (int(max(zeilen.max(initial=-1), neu_zeilen.max(initial=-1))) + 64) // 64,
        )
        wert_ids = np.union1d(self.wert_ids, neu_werte).astype(np.int64)
        if worte != self.bits.shape[1] or len(wert_ids) != len(self.wert_ids):
            bits = np.zeros((len(wert_ids), worte), dtype=np.uint64)
            bits[np.searchsorted(wert_ids, self.wert_ids), : self.bits.shape[1]] = self.bits
            self.bits, self.wert_ids = bits, wert_ids
        weg = np.zeros(worte, dtype=np.uint64)
        np.bitwise_or.at(
            weg, zeilen >> 6, np.left_shift(np.uint64(1), (zeilen & 63).astype(np.uint64))
        )
        self.bits &= ~weg
        self._setzen(neu_zeilen, neu_werte)

    def maske(self, werte, anzahl_zeilen):
        """Rows with any of the value ids `werte`."""
        gewaehlt = np.flatnonzero(np.isin(self.wert_ids, list(set(werte))))
        if not len(gewaehlt):
            return np.zeros(anzahl_zeilen, dtype=bool)
        return _entpacken(np.bitwise_or.reduce(self.bits[gewaehlt], axis=0), anzahl_zeilen)

    def zaehlen(self, maske):
        """{value id: rows among `maske` with it}, values with at least one row."""
        if not len(self.wert_ids):
            return {}
        worte = self.bits.shape[1]
        # The mask packed the same way; rows past the last one with a value count for none.
        gepackt = np.zeros(worte * 8, dtype=np.uint8)
        teil = np.packbits(maske[: worte * 64], bitorder="little")
        gepackt[: len(teil)] = teil
        gepackt = gepackt.view(np.uint64)
        belegt = np.flatnonzero(gepackt)
        if len(belegt) * 4 < worte:
            # Few rows (a place, a narrow search): only the words that hold one.
            anzahl = np.bitwise_count(self.bits[:, belegt] & gepackt[belegt]).sum(
                axis=1, dtype=np.int64
            )
        else:
            anzahl = np.bitwise_count(self.bits & gepackt).sum(axis=1, dtype=np.int64)
        return {int(w): int(n) for w, n in zip(self.wert_ids, anzahl, strict=True) if n}


class Auszug:
    """`ordnung[maske[ordnung]]` – the rows of a mask in a fixed order (by title, by date of
    check) – computed only as far as it is read: its length is the mask's count, and a slice
    from the start scans the order in growing blocks until it holds enough rows. A list page
    needs its count and twenty rows; the whole order of a broad search took 0.6–1 ms of its
    request (bench/RESULTS-suchindex.md, session 12). Any other index gives the whole order
    first. `ordnung` and `maske` must not change afterwards (the index makes new arrays)."""

    ERSTER_BLOCK = 1024

    def __init__(self, ordnung, maske):
        self.ordnung, self.maske = ordnung, maske
        self.anzahl = int(np.count_nonzero(maske))
        self._ganz = None

    def __len__(self):
        return self.anzahl

    def __array__(self, dtype=None, copy=None):
        if self._ganz is None:
            self._ganz = self.ordnung[self.maske[self.ordnung]]
        return self._ganz if dtype is None else self._ganz.astype(dtype)

    def __getitem__(self, teil):
        if self._ganz is not None or not isinstance(teil, slice):
            return np.asarray(self)[teil]
        von, bis, schritt = teil.indices(self.anzahl)
        if schritt != 1:
            return np.asarray(self)[teil]
        if bis <= von:
            return self.ordnung[:0]
        gefunden, anzahl, anfang, block = [], 0, 0, max(self.ERSTER_BLOCK, 4 * bis)
        while anzahl < bis and anfang < len(self.ordnung):
            stueck = self.ordnung[anfang : anfang + block]
            treffer = stueck[self.maske[stueck]]
            gefunden.append(treffer)
            anzahl += len(treffer)
            anfang += block
            block *= 2
        return np.concatenate(gefunden)[von:bis]


def _entpacken(worte, anzahl_zeilen):
    """A bit set (uint64 words) as a boolean row mask of `anzahl_zeilen` rows."""
    bits = np.unpackbits(
        worte.view(np.uint8), count=min(len(worte) * 64, anzahl_zeilen), bitorder="little"
    )
    if len(bits) < anzahl_zeilen:
        bits = np.concatenate([bits, np.zeros(anzahl_zeilen - len(bits), dtype=np.uint8)])
    return bits.view(bool)


def speicher_zurueckgeben():
    """Give the memory the build freed back to the system (glibc's malloc_trim; elsewhere
    nothing). Freed blocks below the allocator's mmap threshold – which rises to the size of
    the largest array freed – stay in the process otherwise: 15–25 MB at 250k offerings."""
    with suppress(OSError, AttributeError):
        _libc().malloc_trim(0)


# glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD (mallopt), and the threshold set below.
M_MMAP_THRESHOLD, M_TRIM_THRESHOLD = -3, -1
MMAP_SCHWELLE = 32 * 2**20


def grosse_bloecke_behalten():
    """Let glibc keep freed blocks of up to 32 MB for the next request (glibc only).

    A search over a million rows makes temporary arrays of megabytes. glibc maps each block
    above its mmap threshold (128 KB at start) afresh and unmaps it when freed, so every
    request pays the kernel's page faults for them again: +2–3 ms of CPU per list search at
    1M offerings (bench/RESULTS-suchindex.md, session 11). glibc raises the threshold by
    itself when a large mapped block is freed – in a process that built its index, at once –
    but a process that got its index from a child (im_kindprozess) never freed one."""
    with suppress(OSError, AttributeError):
        _libc().mallopt(M_MMAP_THRESHOLD, MMAP_SCHWELLE)
        _libc().mallopt(M_TRIM_THRESHOLD, 2 * MMAP_SCHWELLE)


@functools.cache
def _libc():
    return ctypes.CDLL("libc.so.6")


# In a forked child: the parent's database connections, referenced until os._exit so that
# nothing closes them (see im_kindprozess).
_GEERBT = []


class KindFehlgeschlagen(Exception):
    """The child process building an index ended without handing one back."""


def im_kindprozess(bauen):
    """`bauen()` run in a forked child process, its result handed back pickled through a pipe.

    Building holds transient copies of what it reads (COPY text, every posting's sort key,
    unsorted columns): at 1M offerings some 200 MB above the finished index, and glibc keeps
    much of the freed heap in the process. Built in a child, the worker only ever holds the
    finished arrays (read from the pipe straight into their buffers: pickle protocol 5, out of
    band); the child's memory ends with it (bench/RESULTS-suchindex.md, session 11).

    The child opens its own database connections: the parent's stay untouched (closing one
    there would end the parent's session on the shared socket), and it leaves by os._exit (no
    atexit handlers, no finalisers on what it shares with the parent). An exception of
    `bauen` is raised again here."""
    lesen, schreiben = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(lesen)
            _GEERBT.extend(c.connection for c in connections.all(initialized_only=True))
            connections._connections = Local(connections.thread_critical)
            with os.fdopen(schreiben, "wb") as ausgabe:
                _senden(ausgabe, bauen)
            code = 0
        finally:
            os._exit(code)
    os.close(schreiben)
    try:
        with os.fdopen(lesen, "rb") as eingabe:
            if not select.select([eingabe], [], [], KIND_HOECHSTENS_SEKUNDEN)[0]:
                os.kill(pid, signal.SIGKILL)
                raise EOFError
            gelungen, ergebnis = _empfangen(eingabe)
    except (EOFError, pickle.UnpicklingError):
        gelungen, ergebnis = False, None
    finally:
        _, status = os.waitpid(pid, 0)
    if not gelungen:
        raise ergebnis or KindFehlgeschlagen(f"Kindprozess {pid} endete mit Status {status}")
    return ergebnis


def _senden(ausgabe, bauen):
    """(True, bauen()) or (False, its exception) into `ausgabe`: a pickle whose arrays' data
    follow it out of band, each as it is (see _empfangen)."""
    puffer = []
    try:
        kopf = pickle.dumps((True, bauen()), protocol=5, buffer_callback=puffer.append)
    except Exception as fehler:
        traceback.print_exc()
        puffer = []
        try:
            kopf = pickle.dumps((False, fehler))
        except Exception:
            kopf = pickle.dumps((False, KindFehlgeschlagen(repr(fehler))))
    daten = [p.raw() for p in puffer]
    pickle.dump((kopf, [d.nbytes for d in daten]), ausgabe)
    for d in daten:
        ausgabe.write(d)


def _empfangen(eingabe):
    """What _senden wrote. Each array's data is read from the pipe into a buffer of its own
    that numpy allocated, and the array made over it: one allocation per array, no copy."""
    kopf, groessen = pickle.load(eingabe)
    puffer = []
    for groesse in groessen:
        ziel = np.empty(groesse, dtype=np.uint8)
        sicht, gelesen = memoryview(ziel), 0
        while gelesen < groesse:
            anzahl = eingabe.readinto(sicht[gelesen:])
            if not anzahl:
                raise EOFError
            gelesen += anzahl
        puffer.append(ziel)
    return pickle.loads(kopf, buffers=puffer)


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
                    self.index = self._bauen()
                    speicher_zurueckgeben()
                    self.aktuell_in = anfrage
                except NeuAufbauen:
                    self.fehlgeschlagen_um = time.monotonic()
                    raise
            yield self.index

    def _bauen(self):
        """A new index: in a child process (`SUCHINDEX_KINDPROZESS`, where the system forks),
        else in this one."""
        if settings.SUCHINDEX_KINDPROZESS and hasattr(os, "fork"):
            index = im_kindprozess(self.bauen)
            grosse_bloecke_behalten()
            return index
        return self.bauen()

    def _im_hintergrund_bauen(self):
        if self.baut:
            return
        self.baut = True

        def bauen():
            try:
                index = self._bauen()
                speicher_zurueckgeben()
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


# --- words: posting lists of the frequent lexemes of a tsvector column ---------------------------

# Bits of a posting: the lexeme has a position of weight A (title), of weight B, and at all. The
# searches ask for A, A or B, and any weight (atlas.suche.STUFEN); C and D are not told apart.
GEWICHT_BITS = {"A": 1, "B": 2}
VORHANDEN = 4
# SQL of those bits for a row of unnest(tsvector) named `l`.
BITS_SQL = "(('A' = ANY(l.weights))::int | ('B' = ANY(l.weights))::int * 2 | 4)"
# Overlay postings (changed rows) from which they are merged into the main arrays.
ZUSAMMENFUEHREN_AB = 200_000
# Bytes of COPY text parsed at once while building (bounds the memory of the build).
BLOCK_BYTES = 1_000_000


# The weight bits of the four postings packed in a byte (two bits each, the first lowest).
GEWICHTE_JE_BYTE = (np.arange(256, dtype=np.uint8)[:, None] >> np.array([0, 2, 4, 6])) & 3
GEWICHTE_JE_BYTE = (GEWICHTE_JE_BYTE | VORHANDEN).astype(np.uint8)
# The same four bytes as one uint32 per byte value: unpacking is then one `take` of 4-byte
# words (0.05 ms for a common word's 230k postings, where indexing the 256×4 table took 0.55).
GEWICHTE_JE_BYTE_32 = np.ascontiguousarray(GEWICHTE_JE_BYTE).view(np.uint32).ravel()


def gewicht_maske(gewichte):
    """The bits of a tsquery's weight marks ("AB"); "" is any weight."""
    return sum(GEWICHT_BITS[g] for g in gewichte) if gewichte else VORHANDEN


def _nachfolger(praefix):
    """The first string after every string that begins with `praefix` (code point order, which
    is the byte order of UTF-8 and so PostgreSQL's order of lexemes)."""
    return praefix[:-1] + chr(ord(praefix[-1]) + 1) if praefix else "\U0010ffff"


class Wortindex:
    """Which rows contain which lexeme of a stored tsvector, for the frequent lexemes.

    A full-text search with a common word is slow in SQL: the GIN index is not chosen for a
    third of the table, and the sequential scan evaluates every row's vector. Here each lexeme
    found in at least `ab` rows has a posting list (rows, weight bits) in memory; the rarer
    ones stay with the GIN index (one query for all of them, fast for few rows). Lexemes are
    those PostgreSQL stored (`unnest(tsvector)`), so stemming and weights are its own: a tsquery
    of lexemes (`'berat':*AB & 'elt'`) gives the same rows evaluated here.

    `tabelle`, `bedingung` (SQL over its rows, alias t) and `zeile_von` (ids → rows, -1 for
    none) come from the index that holds the rows. Changed rows (`aendern`) get their postings
    in an overlay until it is large, then everything is merged.
    """

    def __init__(self, cursor, tabelle, bedingung, zeile_von, anzahl_zeilen, ab, feld="suchvektor"):
        self.tabelle, self.bedingung, self.feld = tabelle, bedingung, feld
        # Reading every vector takes seconds (in a thread, see Prozessindex): longer than the
        # statement timeout meant for requests under load.
        cursor.execute("SET statement_timeout = 0")
        try:
            self._aufbauen(cursor, zeile_von, anzahl_zeilen, ab)
        finally:
            cursor.execute("RESET statement_timeout")
        self.geaendert = np.zeros(0, dtype=bool)  # rows whose postings are in the overlay
        self.ueber = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8))

    def _aufbauen(self, cursor, zeile_von, anzahl_zeilen, ab):
        auswahl = f"SELECT {self.feld} FROM {self.tabelle} t WHERE {self.bedingung}"
        cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [auswahl])
        woerter = sorted(cursor.fetchall())
        self.haeufig = [w for w, n in woerter if n >= ab]  # sorted: prefixes are ranges
        self.nummer = {w: k for k, w in enumerate(self.haeufig)}
        self.selten = [w for w, n in woerter if n < ab]
        self._selten_neu = set()  # seen in changed rows since, not yet in `selten`
        schluessel, breite, bits = self._postings(cursor, "", zeile_von, anzahl_zeilen)
        self._gewichte_setzen(bits)
        del bits
        # Slices by lexeme straight from the numbers; the rows in place of them.
        # In the numbers' own type: searchsorted would copy them to the wider one.
        grenzen = np.arange(len(self.haeufig) + 1, dtype=schluessel.dtype) * breite
        self.anfaenge = np.searchsorted(schluessel, grenzen)
        np.remainder(schluessel, breite, out=schluessel)
        self._zeilen_setzen(schluessel.astype(np.int32, copy=False))

    def _postings(self, cursor, auswahl, zeile_von, anzahl_zeilen):
        """(numbers lexeme × breite + row, breite, weight bits) of the postings of the frequent
        lexemes in the rows, sorted. Read in one pass: every lexeme of a vector (bit
        VORHANDEN) and those with weight A and B (`ts_filter`) – unnesting the vector with its
        positions and weights costs about three times as much in PostgreSQL –, a lexeme's
        number looked up in a jsonb object (joined to the list of lexemes instead, the planner
        hashed the millions of postings rather than the list and spilled them to disk: 3× the
        time at 250k offerings). One array per record, `{-id, lexeme × 8 + bit, …}`: a COPY
        row per record, not per posting, is what keeps reading it cheap in Python."""
        sql = (
            f"SELECT ARRAY[-t.id] || ARRAY(SELECT x FROM (SELECT (%s::jsonb ->> l.wort)::int * 8"
            " + l.bit AS x FROM ("
            f"  SELECT {VORHANDEN} AS bit, unnest(tsvector_to_array(t.{self.feld})) AS wort"
            f"  UNION ALL SELECT {GEWICHT_BITS['A']},"
            f"    unnest(tsvector_to_array(ts_filter(t.{self.feld}, '{{a}}')))"
            f"  UNION ALL SELECT {GEWICHT_BITS['B']},"
            f"    unnest(tsvector_to_array(ts_filter(t.{self.feld}, '{{b}}')))"
            ") l) p WHERE x IS NOT NULL) "
            f"FROM {self.tabelle} t WHERE {self.bedingung} {auswahl}"
        )
        # One sortable number per posting (lexeme, row), by bit; the numbers of all postings
        # sorted in place, without an index array, to keep the build's memory small.
        breite = max(anzahl_zeilen, 1)
        typ = np.int32 if (len(self.haeufig) + 1) * breite < 2**31 else np.int64
        nach_bit = self._kopieren(cursor, sql, zeile_von, breite, typ)
        schluessel = nach_bit.pop(VORHANDEN)
        schluessel.sort()
        ergebnis_bits = np.full(len(schluessel), VORHANDEN, dtype=np.uint8)
        for bit in list(nach_bit):
            gewichtet = nach_bit.pop(bit)
            # Every weighted posting is among all postings: its place there gets the bit (in
            # parts: the places are int64, twice the numbers).
            for von in range(0, len(gewichtet), 1_000_000):
                ergebnis_bits[np.searchsorted(schluessel, gewichtet[von : von + 1_000_000])] |= bit
            del gewichtet
        return schluessel, breite, ergebnis_bits

    def _kopieren(self, cursor, sql, zeile_von, breite, typ):
        """{bit: numbers lexeme × breite + row} of the COPY of `_postings`."""
        teile = [
            self._lesen(werte[:, 0], zeile_von, breite, typ)
            for werte in kopieren(cursor, sql, 1, [json.dumps(self.nummer)], ohne=b"{}")
        ]
        ergebnis = {}
        for bit in (VORHANDEN, *GEWICHT_BITS.values()):
            # Into one array, each block let go once copied: not every posting twice at once.
            stuecke = [t.pop(bit) for t in reversed(teile)]
            alle = ergebnis[bit] = np.empty(sum(len(x) for x in stuecke), dtype=typ)
            stelle = 0
            while stuecke:
                stueck = stuecke.pop()
                alle[stelle : stelle + len(stueck)] = stueck
                stelle += len(stueck)
        return ergebnis

    @staticmethod
    def _lesen(werte, zeile_von, breite, typ):
        # A negative number is a record's id; the codes after it are its postings.
        marke = werte < 0
        zeile_je_satz = zeile_von(-werte[marke].astype(np.int64))
        zeilen = zeile_je_satz[np.cumsum(marke)[~marke] - 1]
        codes = werte[~marke].astype(np.int64)
        drin = zeilen >= 0
        schluessel = ((codes >> 3) * breite + zeilen).astype(typ)
        bits = codes & 7
        return {
            bit: schluessel[drin & (bits == bit)] for bit in (VORHANDEN, *GEWICHT_BITS.values())
        }

    def _setzen(self, lexeme, zeilen, bits):
        """The postings as one slice per lexeme (`lexeme` sorted)."""
        self._gewichte_setzen(bits)
        self.anfaenge = np.searchsorted(lexeme, np.arange(len(self.haeufig) + 1))
        self._zeilen_setzen(zeilen)

    def _zeilen_setzen(self, zeilen):
        """Keep the postings' rows (int32, ascending in each lexeme's slice) as their low 16
        bits, and for each lexeme where its rows of each block of 65,536 rows begin
        (`bloecke`): 2 bytes a posting instead of 4, the postings being most of the index."""
        anzahl_bloecke = (int(zeilen.max(initial=-1)) >> 16) + 1
        grenzen = np.arange(anzahl_bloecke + 1, dtype=np.int64) << 16
        self.bloecke = np.zeros((len(self.haeufig), anzahl_bloecke + 1), dtype=np.int64)
        for k in range(len(self.haeufig)):
            von, bis = self.anfaenge[k], self.anfaenge[k + 1]
            self.bloecke[k] = von + np.searchsorted(zeilen[von:bis], grenzen)
        self.tief = zeilen.astype(np.uint16)  # the low 16 bits (an integer cast wraps)

    def _zeilen(self, k):
        """The rows of lexeme k's postings (int32)."""
        return self._zeilen_von_bis(k, k + 1)

    def _zeilen_von_bis(self, von, bis):
        """The rows of the postings of lexemes von … bis - 1, one after the other (int32)."""
        bloecke = self.bloecke[von:bis]
        # Every (lexeme, block) slice in turn: its block's high bits, then the low ones added.
        grenzen = np.append(bloecke[:, :-1].ravel(), bloecke[-1, -1])
        hoch = (np.arange(len(grenzen) - 1) % max(bloecke.shape[1] - 1, 1)).astype(np.int32) << 16
        zeilen = np.repeat(hoch, np.diff(grenzen))
        zeilen += self.tief[bloecke[0, 0] : bloecke[-1, -1]]
        return zeilen

    def _gewichte_setzen(self, bits):
        """Keep the postings' weight bits (A, B; VORHANDEN is every posting's) as two bits
        each, four postings a byte."""
        gewichte = np.zeros((len(bits) + 3) // 4 * 4, dtype=np.uint8)
        np.bitwise_and(bits, 3, out=gewichte[: len(bits)])
        gewichte = gewichte.reshape(-1, 4)
        self.gewichte = (
            gewichte[:, 0] | gewichte[:, 1] << 2 | gewichte[:, 2] << 4 | gewichte[:, 3] << 6
        )

    def _bits(self, von, bis):
        """The weight bits of the postings von … bis - 1 (uint8, VORHANDEN set): each byte's
        four from a table, in one pass."""
        bits = np.take(GEWICHTE_JE_BYTE_32, self.gewichte[von >> 2 : (bis + 3) >> 2])
        return bits.view(np.uint8)[von & 3 : (von & 3) + bis - von]

    def speicher(self):
        """Bytes of the arrays (the word lists aside)."""
        return sum(
            a.nbytes for a in (self.tief, self.bloecke, self.gewichte, self.anfaenge, *self.ueber)
        )

    # --- changes -----------------------------------------------------------------------------

    def aendern(self, cursor, ids, zeile_von, anzahl_zeilen):
        """Read the postings of the rows of these ids again (rows that left are dropped by the
        holder's visibility mask; their old postings no longer count either)."""
        if len(self.geaendert) < anzahl_zeilen:
            self.geaendert = np.concatenate(
                [self.geaendert, np.zeros(anzahl_zeilen - len(self.geaendert), dtype=bool)]
            )
        liste = [int(i) for i in ids]
        zeilen = zeile_von(np.asarray(liste, dtype=np.int64))
        zeilen = zeilen[zeilen >= 0]
        # Lexemes new to the vocabulary: the rare ones' list must know them for prefixes.
        cursor.execute(
            f"SELECT DISTINCT l.lexeme FROM {self.tabelle} t, unnest(t.{self.feld}) l "
            f"WHERE t.id = ANY(%s::bigint[]) AND {self.bedingung}",
            [liste],
        )
        for (wort,) in cursor.fetchall():
            if wort not in self.nummer:
                self._selten_neu.add(wort)
        auswahl = "AND t.id IN ({})".format(",".join(map(str, liste)) or "NULL")
        schluessel, breite, bits = self._postings(cursor, auswahl, zeile_von, anzahl_zeilen)
        lexeme = (schluessel // breite).astype(np.int32)
        neue_zeilen = (schluessel % breite).astype(np.int32)
        alt_lex, alt_zeilen, alt_bits = self.ueber
        behalten = ~np.isin(alt_zeilen, zeilen)
        self.ueber = (
            np.concatenate([alt_lex[behalten], lexeme]),
            np.concatenate([alt_zeilen[behalten], neue_zeilen]),
            np.concatenate([alt_bits[behalten], bits]),
        )
        self.geaendert[zeilen] = True
        if len(self.ueber[0]) > ZUSAMMENFUEHREN_AB:
            self._zusammenfuehren()
            speicher_zurueckgeben()

    def _zusammenfuehren(self):
        lex = np.repeat(np.arange(len(self.haeufig), dtype=np.int32), np.diff(self.anfaenge))
        zeilen = np.concatenate(
            [np.zeros(0, np.int32)] + [self._zeilen(k) for k in range(len(self.haeufig))]
        )
        bleibt = ~self.geaendert[zeilen]
        ue_lex, ue_zeilen, ue_bits = self.ueber
        lex = np.concatenate([lex[bleibt], ue_lex])
        folge = np.argsort(lex, kind="stable")
        self._setzen(
            lex[folge],
            np.concatenate([zeilen[bleibt], ue_zeilen])[folge],
            np.concatenate([self._bits(0, len(self.tief))[bleibt], ue_bits])[folge],
        )
        self.geaendert[:] = False
        self.ueber = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8))

    # --- answering ---------------------------------------------------------------------------

    def _seltene_liste(self):
        if self._selten_neu:
            self.selten = sorted(set(self.selten) | self._selten_neu)
            self._selten_neu = set()
        return self.selten

    @staticmethod
    def _bereich(liste, wort, praefix):
        von = bisect.bisect_left(liste, wort)
        bis = (
            bisect.bisect_left(liste, _nachfolger(wort))
            if praefix
            else von + (von < len(liste) and liste[von] == wort)
        )
        return von, bis

    def abfrage(self, cursor, terme, zeile_von, anzahl_zeilen):
        """The weight bits of each term (lexeme, prefix?) in every row: {term: uint8 array over
        the rows, 0 where the row lacks it}. The rare lexemes of all the terms are read from
        the database in one query (its GIN index answers: each is in few rows)."""
        selten = self._seltene_liste()
        noetig = set()
        for wort, praefix in terme:
            von, bis = self._bereich(selten, wort, praefix)
            noetig.update(selten[von:bis])
        seltene = {}
        if noetig:
            abfrage = " | ".join(
                "'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in sorted(noetig)
            )
            cursor.execute(
                f"SELECT t.id, l.lexeme, {BITS_SQL} FROM {self.tabelle} t, "
                f"unnest(t.{self.feld}) l WHERE t.{self.feld} @@ %s::tsquery "
                f"AND {self.bedingung} AND l.lexeme = ANY(%s::text[])",
                [abfrage, sorted(noetig)],
            )
            for pk, wort, bits in cursor.fetchall():
                seltene.setdefault(wort, []).append((pk, bits))
        for wort, liste in seltene.items():
            zeilen = zeile_von(np.array([p for p, _ in liste], dtype=np.int64))
            bits = np.array([b for _, b in liste], dtype=np.uint8)
            seltene[wort] = (zeilen[zeilen >= 0], bits[zeilen >= 0])
        ue_lex, ue_zeilen, ue_bits = self.ueber
        geaendert = self.geaendert
        ergebnis = {}
        for wort, praefix in terme:
            bits_je_zeile = np.zeros(anzahl_zeilen, dtype=np.uint8)
            von, bis = self._bereich(self.haeufig, wort, praefix)
            if bis > von:
                # The range's postings decoded at once (a prefix may cover many lexemes).
                anfang = self.anfaenge[von]
                alle_z, alle_bits = (
                    self._zeilen_von_bis(von, bis),
                    self._bits(anfang, self.anfaenge[bis]),
                )
            for k in range(von, bis):
                # One lexeme's rows are distinct: `|=` through an index array is exact.
                a, b = self.anfaenge[k] - anfang, self.anfaenge[k + 1] - anfang
                z, bits = alle_z[a:b], alle_bits[a:b]
                if len(geaendert):
                    gilt = ~geaendert[z]
                    z, bits = z[gilt], bits[gilt]
                bits_je_zeile[z] |= bits
            if len(ue_lex) and bis > von:
                # Changed rows: one may have several lexemes of the range.
                drin = (ue_lex >= von) & (ue_lex < bis)
                np.bitwise_or.at(bits_je_zeile, ue_zeilen[drin], ue_bits[drin])
            von, bis = self._bereich(selten, wort, praefix)
            for w in selten[von:bis]:
                if w in seltene:
                    z, bits = seltene[w]
                    bits_je_zeile[z] |= bits
            ergebnis[(wort, praefix)] = bits_je_zeile
        return ergebnis

    def suchen(self, such, zeile_von, anzahl_zeilen, *, zusaetzlich=()):
        """The rows a full-text query finds and the relevance level of each, as
        `atlas.suche.VolltextQuerySetMixin.suche` has them: the query's words (AND), each by
        any of its forms (OR), or one of `zusaetzlich` ([(term groups, weights)]: a name found
        in a translation, searched by its words); the level is the first test of
        `Suchanfrage.stufen()` the row passes, else 1. Hits found in translations by id are
        the holder's to add."""
        stufen = such.stufen()
        gruppen_alle = [
            *such.terme(weit=True),
            *(g for _, gruppen, _ in stufen for g in gruppen),
            *(g for gruppen, _ in zusaetzlich for g in gruppen),
        ]
        with connection.cursor() as cursor:
            bits = self.abfrage(
                cursor, {t for g in gruppen_alle for t in g}, zeile_von, anzahl_zeilen
            )

        je_gruppe = {}  # the levels test the same words with other weights: OR'd once

        def passt(gruppen, gewichte):
            if not gruppen:
                return np.zeros(anzahl_zeilen, dtype=bool)
            maske_bits = gewicht_maske(gewichte)
            ergebnis = np.ones(anzahl_zeilen, dtype=bool)
            for gruppe in gruppen:
                schluessel = tuple(gruppe)
                if (je_zeile := je_gruppe.get(schluessel)) is None:
                    je_zeile = np.zeros(anzahl_zeilen, dtype=np.uint8)
                    for term in gruppe:
                        je_zeile |= bits[term]
                    je_gruppe[schluessel] = je_zeile
                ergebnis &= (je_zeile & maske_bits) != 0
            return ergebnis

        treffer = passt(such.terme(weit=True), "")
        for gruppen, gewichte in zusaetzlich:
            treffer |= passt(gruppen, gewichte)
        relevanz = np.ones(anzahl_zeilen, dtype=np.int16)
        for gewichte, gruppen, stufe in reversed(stufen):  # the first that passes wins
            relevanz[passt(gruppen, gewichte)] = stufe
        return treffer, relevanz


# --- order: a rank per row in the database's order of a column -----------------------------------


def einordnen(cursor, *, tabelle, spalte, bedingung, ids, ohne, rang, unveraendert, zeile_von):
    """Give the rows of the records `ids` (changed, held by the index) their rank in "spalte,
    id" order, in place in `rang`: between their nearest unchanged neighbours, as the database
    orders them (its collation decides, not Python's). `unveraendert`: the rows that keep their
    rank and may serve as neighbours; `ohne`: every changed record (none is a neighbour);
    `bedingung`: the indexed records, SQL over alias `a`. NeuAufbauen when the ranks cannot
    be told apart any more or too much changed at once: then the order is read again."""
    if not len(ids):
        return
    # A few candidates each: one published meanwhile whose change is not read yet is not
    # in the index and is passed over.
    cursor.execute(
        f"SELECT c.id, ARRAY(SELECT a.id FROM {tabelle} a "
        f"  WHERE {bedingung} AND (a.{spalte}, a.id) < (c.{spalte}, c.id) "
        f"  AND a.id <> ALL(%s::bigint[]) ORDER BY a.{spalte} DESC, a.id DESC LIMIT 8) "
        f"FROM {tabelle} c WHERE c.id = ANY(%s::bigint[]) ORDER BY c.{spalte}, c.id",
        [[int(i) for i in ohne], [int(i) for i in ids]],
    )
    gruppen = {}
    for pk, kandidaten in cursor.fetchall():
        vorher = None
        for kandidat in kandidaten:
            z = zeile_von([kandidat])
            if z[0] >= 0 and unveraendert[z[0]]:
                vorher = int(z[0])
                break
        else:
            if kandidaten:
                raise NeuAufbauen  # too much changed at once around this value
        gruppen.setdefault(vorher, []).append(pk)
    for vorher, pks in gruppen.items():
        # Before the first unchanged row: below all of them.
        unten = rang[vorher] if vorher is not None else rang[unveraendert].min(initial=0.0) - 1.0
        hoeher = rang[unveraendert & (rang > unten)]
        oben = hoeher.min() if len(hoeher) else unten + len(pks) + 1.0
        schritt = (oben - unten) / (len(pks) + 1)
        if schritt <= abs(unten) * 1e-12 + 1e-300:
            raise NeuAufbauen  # ranks worn too fine: read the order again
        for k, pk in enumerate(pks, start=1):
            z = zeile_von([pk])
            if z[0] >= 0:
                rang[z[0]] = unten + k * schritt
