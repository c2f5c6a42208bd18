"""The published actors as an in-memory count and facet index (atlas.suchindex).

The actor list's count and facet counts (Einrichtungsart, Sprache, barrierefrei) over ~86,000
published actors cost seconds in SQL (COUNT DISTINCT over joins); here each is a vectorised pass
over a column. The page itself stays SQL (`ORDER BY name, id LIMIT 20` on its index): the index
keeps no order, so a change is a row out and a row in, never a re-sort. A free-text or place
search is left to SQL entirely.

The rules are the SQL path's, restated over columns: published (the status), `fuer_listen`
(VERALTET_ANZEIGE) decided per request from the dates. The equivalence tests
(tests/akteure/test_suchindex.py) compare both paths on many filter combinations; every write
reaches the index through the change log of akteure migration 0014 (triggers).
"""

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from atlas.models import Status, veraltet_stichtag
from atlas.suchindex import Mehrfachwerte, NeuAufbauen, Protokoll, Prozessindex

PROTOKOLL = "akteure_suchindex_aenderung"
ORDINAL = "({0} - DATE '0001-01-01' + 1)"
ZEILEN_SQL = f"""
SELECT id, einrichtungsart_id, barrierefrei::int,
    coalesce({ORDINAL.format("geprueft_am")}, -1),
    {ORDINAL.format("(erstellt_am AT TIME ZONE %s)::date")},
    (standort IS NOT NULL OR strasse <> '' OR plz <> '' OR ort <> '')::int
FROM akteure_akteur WHERE status = '{Status.VEROEFFENTLICHT}' {{auswahl}}
"""
SPRACHEN_SQL = f"""
SELECT s.akteur_id, s.sprache_id FROM akteure_akteur_sprachen s
JOIN akteure_akteur a ON a.id = s.akteur_id
WHERE a.status = '{Status.VEROEFFENTLICHT}' {{auswahl}}
"""


def _lesen(cursor, ids=None):
    """Columns of the published actors (or of those of `ids` that are published), and their
    languages as (id, language id) pairs."""
    auswahl, parameter = "", []
    if ids is not None:
        auswahl, parameter = "AND {}id = ANY(%s::bigint[])", [list(ids)]
    cursor.execute(ZEILEN_SQL.format(auswahl=auswahl.format("")), [settings.TIME_ZONE, *parameter])
    zeilen = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 6)
    cursor.execute(SPRACHEN_SQL.format(auswahl=auswahl.format("a.")), parameter)
    paare = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    return zeilen, paare


class AkteurIndex:
    """Columns over the published actors; rows only grow (a changed actor's old row is set
    inactive and it comes back as a new row), until the index is read again."""

    def __init__(self):
        self.protokoll = Protokoll(PROTOKOLL)
        with connection.cursor() as cursor:
            self.protokoll.anfang(cursor)
            cursor.execute("SELECT id, slug, bereich FROM akteure_einrichtungsart")
            arten = cursor.fetchall()
            cursor.execute("SELECT id, code FROM akteure_sprache")
            self.sprache_code = dict(cursor.fetchall())
            zeilen, paare = _lesen(cursor)
            self.protokoll.aufraeumen(cursor)
        self.art_slug = {i: s for i, s, _ in arten}
        self.art_bereich = {i: b for i, _, b in arten}
        self.ids = np.zeros(0, dtype=np.int64)
        self.aktiv = np.zeros(0, dtype=bool)
        self.art = np.zeros(0, dtype=np.int32)
        self.barrierefrei = np.zeros(0, dtype=bool)
        self.geprueft = np.zeros(0, dtype=np.int32)
        self.erstellt = np.zeros(0, dtype=np.int32)
        self.mit_ort = np.zeros(0, dtype=bool)
        self.zeile_von_id = np.full(0, -1, dtype=np.int64)
        self.sprachen = Mehrfachwerte([], [])
        self._anhaengen(zeilen, paare)

    def _anhaengen(self, zeilen, paare):
        n = len(self.ids)
        self.ids = np.concatenate([self.ids, zeilen[:, 0]])
        self.aktiv = np.concatenate([self.aktiv, np.ones(len(zeilen), dtype=bool)])
        self.art = np.concatenate([self.art, zeilen[:, 1].astype(np.int32)])
        self.barrierefrei = np.concatenate([self.barrierefrei, zeilen[:, 2].astype(bool)])
        self.geprueft = np.concatenate([self.geprueft, zeilen[:, 3].astype(np.int32)])
        self.erstellt = np.concatenate([self.erstellt, zeilen[:, 4].astype(np.int32)])
        self.mit_ort = np.concatenate([self.mit_ort, zeilen[:, 5].astype(bool)])
        groesse = int(self.ids.max(initial=0)) + 1
        if groesse > 4 * len(self.ids) + 1_000_000:
            raise NeuAufbauen("ids too sparse for the index")  # caller falls back to SQL
        if groesse > len(self.zeile_von_id):
            mehr = np.full(groesse - len(self.zeile_von_id), -1, dtype=np.int64)
            self.zeile_von_id = np.concatenate([self.zeile_von_id, mehr])
        self.zeile_von_id[zeilen[:, 0]] = np.arange(n, n + len(zeilen))
        self.sprachen = Mehrfachwerte(
            np.concatenate([self.sprachen.zeilen, self.zeile_von_id[paare[:, 0]]]),
            np.concatenate([self.sprachen.werte, paare[:, 1]]),
        )

    def aktualisieren(self):
        """Apply every committed change (one query when there is none)."""
        with connection.cursor() as cursor:
            aenderungen = self.protokoll.neue(cursor)
            if not aenderungen:
                return
            if any(art == "v" for art, _ in aenderungen):
                raise NeuAufbauen
            ids = np.array(sorted({o for _, o in aenderungen}), dtype=np.int64)
            # Every changed actor leaves the index; those still published come back as new rows.
            bekannt = ids[ids < len(self.zeile_von_id)]
            alte = self.zeile_von_id[bekannt]
            self.aktiv[alte[alte >= 0]] = False
            self.zeile_von_id[bekannt] = -1
            self._anhaengen(*_lesen(cursor, ids.tolist()))

    # --- answering ---------------------------------------------------------------------------

    def maske(self, anfrage, *, ohne_art=False):
        """The rows of an `Anfrage` (anfrage_aus); `ohne_art`: without its Einrichtungsart
        filter (that facet's counts)."""
        m = self.aktiv.copy()
        if anfrage.fuer_listen and settings.VERALTET_ANZEIGE == "ausblenden":
            grenze = veraltet_stichtag(timezone.localdate()).toordinal()
            m &= np.where(self.geprueft >= 0, self.geprueft > grenze, self.erstellt > grenze)
        if anfrage.bereich is not None:
            arten = [i for i, b in self.art_bereich.items() if b == anfrage.bereich]
            m &= np.isin(self.art, arten)
        if anfrage.arten is not None and not ohne_art:
            m &= np.isin(self.art, anfrage.arten)
        if anfrage.sprachen is not None:
            m &= self.sprachen.maske(anfrage.sprachen, len(self.ids))
        if anfrage.barrierefrei:
            m &= self.barrierefrei
        if anfrage.mit_ort:
            m &= self.mit_ort
        return m

    def auswerten(self, anfrage):
        """(count, facet counts as akteure.filters.facetten gives them)."""
        m = self.maske(anfrage)
        andere = self.maske(anfrage, ohne_art=True) if anfrage.arten is not None else m
        arten = np.bincount(self.art[andere], minlength=1)
        return int(np.count_nonzero(m)), {
            "einrichtungsart": {
                self.art_slug[i]: int(n) for i, n in enumerate(arten) if n and i in self.art_slug
            },
            "sprache": {
                self.sprache_code[i]: n
                for i, n in self.sprachen.zaehlen(m).items()
                if i in self.sprache_code
            },
            "barrierefrei": {"on": int(np.count_nonzero(m & self.barrierefrei))},
        }


class Anfrage:
    """What the index filters by: the actor list's FilterSet read (anfrage_aus)."""

    def __init__(self, bereich=None, arten=None, sprachen=None, barrierefrei=False):
        self.bereich, self.arten = bereich, arten
        self.sprachen, self.barrierefrei = sprachen, barrierefrei
        # False: every published actor, outdated or not (the HSDS API's organizations).
        self.fuer_listen = True
        self.mit_ort = False  # only those with a place or an address (HSDS locations)


def anfrage_aus(filterset):
    """The FilterSet's search as an Anfrage; None when the index cannot answer it (a place, a
    free text: SQL)."""
    if not filterset.is_bound:
        return Anfrage()
    filterset.qs  # noqa: B018 – validates the form
    if filterset.ort or filterset.suchanfrage is not None:
        return None
    daten = filterset.form.cleaned_data
    return Anfrage(
        bereich=daten.get("bereich") or None,
        arten=[a.pk for a in daten["einrichtungsart"]] if daten.get("einrichtungsart") else None,
        sprachen=[s.pk for s in daten["sprache"]] if daten.get("sprache") else None,
        barrierefrei=bool(daten.get("barrierefrei")),
    )


def auswerten(filterset, *, fuer_listen=True, nur_anzahl=False):
    """(count, facet counts) of the actor list's FilterSet from the index (`nur_anzahl`: the
    count alone); None when it cannot answer (a place, a free text, SUCHINDEX off, being
    built): then SQL, with the same numbers. Without `fuer_listen`: every published actor
    (the HSDS API)."""
    if not settings.SUCHINDEX or (anfrage := anfrage_aus(filterset)) is None:
        return None
    anfrage.fuer_listen = fuer_listen
    try:
        with INDEX.aktuell(warten=not settings.SUCHINDEX_HINTERGRUND) as index:
            if index is None:
                return None
            if nur_anzahl:
                return int(np.count_nonzero(index.maske(anfrage)))
            return index.auswerten(anfrage)
    except NeuAufbauen:
        return None


def orte_zaehlen():
    """The published actors with a place or an address (hsds.akteur_orte(): HSDS locations,
    outdated ones included) from the index; None when it cannot answer (SUCHINDEX off, being
    built): then SQL, with the same number."""
    if not settings.SUCHINDEX:
        return None
    anfrage = Anfrage()
    anfrage.fuer_listen, anfrage.mit_ort = False, True
    try:
        with INDEX.aktuell(warten=not settings.SUCHINDEX_HINTERGRUND) as index:
            if index is None:
                return None
            return int(np.count_nonzero(index.maske(anfrage)))
    except NeuAufbauen:
        return None


INDEX = Prozessindex(AkteurIndex)
