"""The published actors as an in-memory count, facet and full-text index (atlas.suchindex).

The actor list's count and facet counts (Einrichtungsart, Sprache, barrierefrei) over ~86,000
published actors cost seconds in SQL (COUNT DISTINCT over joins); here each is a vectorised pass
over a column. A full-text query is evaluated over posting lists of the frequent lexemes of the
stored search vector, the rare ones through its GIN index (atlas.suchindex.Wortindex). The page's
ids come from the index too: (relevance level, with a query, then) each row's rank in the
database's "name, id" order (read when built, changed rows placed between their neighbours,
atlas.suchindex.einordnen); SQL reads just those 20 rows by id. A place search is left to SQL
entirely.

The rules are the SQL path's, restated over columns: published (the status), `fuer_listen`
(VERALTET_ANZEIGE) decided per request from the dates. The equivalence tests
(tests/akteure/test_suchindex.py) compare both paths on many filter combinations; every write
reaches the index through the change log of akteure migration 0014 (triggers).
"""

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from akteure.models import Akteur
from atlas.models import Status, veraltet_stichtag
from atlas.suchindex import (
    Mehrfachwerte,
    NeuAufbauen,
    Protokoll,
    Prozessindex,
    Wortindex,
    einordnen,
    id_typ,
    zeilen_der_ids,
)

PROTOKOLL = "akteure_suchindex_aenderung"
ORDINAL = "({0} - DATE '0001-01-01' + 1)"
ZEILEN_SQL = f"""
SELECT id, einrichtungsart_id, barrierefrei::int,
    coalesce({ORDINAL.format("geprueft_am")}, -1),
    {ORDINAL.format("(erstellt_am AT TIME ZONE %s)::date")},
    (standort IS NOT NULL OR strasse <> '' OR plz <> '' OR ort <> '')::int
FROM akteure_akteur WHERE status = '{Status.VEROEFFENTLICHT}' {{auswahl}}
ORDER BY name, id
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
    inactive and it comes back as a new row), until the index is read again. Built in "name,
    id" order (`rang`)."""

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
        self.zeile_von_id = np.full(0, -1, dtype=np.int32)
        self.sprachen = Mehrfachwerte([], [])
        self.rang = np.zeros(0, dtype=np.float64)  # place in "name, id" order
        self._anhaengen(zeilen, paare)
        self.rang[:] = np.arange(len(self.ids))
        self._namen_ordnung = None
        with connection.cursor() as cursor:
            self.woerter = Wortindex(
                cursor,
                "akteure_akteur",
                f"t.status = '{Status.VEROEFFENTLICHT}'",
                self.zeile_von,
                len(self.ids),
                settings.SUCHINDEX_WORT_AB,
            )

    def _anhaengen(self, zeilen, paare):
        n = len(self.ids)
        ids = np.concatenate([self.ids, zeilen[:, 0]])
        self.ids = ids.astype(id_typ(ids), copy=False)
        self.aktiv = np.concatenate([self.aktiv, np.ones(len(zeilen), dtype=bool)])
        self.art = np.concatenate([self.art, zeilen[:, 1].astype(np.int32)])
        self.barrierefrei = np.concatenate([self.barrierefrei, zeilen[:, 2].astype(bool)])
        self.geprueft = np.concatenate([self.geprueft, zeilen[:, 3].astype(np.int32)])
        self.erstellt = np.concatenate([self.erstellt, zeilen[:, 4].astype(np.int32)])
        self.mit_ort = np.concatenate([self.mit_ort, zeilen[:, 5].astype(bool)])
        self.rang = np.concatenate([self.rang, np.zeros(len(zeilen))])
        groesse = int(self.ids.max(initial=0)) + 1
        if groesse > 4 * len(self.ids) + 1_000_000:
            raise NeuAufbauen("ids too sparse for the index")  # caller falls back to SQL
        if groesse > len(self.zeile_von_id):
            mehr = np.full(groesse - len(self.zeile_von_id), -1, dtype=np.int32)
            self.zeile_von_id = np.concatenate([self.zeile_von_id, mehr])
        self.zeile_von_id[zeilen[:, 0]] = np.arange(n, n + len(zeilen), dtype=np.int32)
        # New rows only: nothing of the old ones changes.
        self.sprachen.ersetzen([], Mehrfachwerte(self.zeile_von(paare[:, 0]), paare[:, 1]))

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
            unveraendert = self.aktiv.copy()
            zeilen, paare = _lesen(cursor, ids.tolist())
            self._anhaengen(zeilen, paare)
            unveraendert = np.concatenate(
                [unveraendert, np.zeros(len(self.ids) - len(unveraendert), dtype=bool)]
            )
            einordnen(
                cursor,
                tabelle="akteure_akteur",
                spalte="name",
                bedingung=f"a.status = '{Status.VEROEFFENTLICHT}'",
                ids=zeilen[:, 0].tolist(),
                ohne=ids.tolist(),
                rang=self.rang,
                unveraendert=unveraendert,
                zeile_von=self.zeile_von,
            )
            self._namen_ordnung = None
            self.woerter.aendern(cursor, ids.tolist(), self.zeile_von, len(self.ids))

    def zeile_von(self, ids):
        """The row of each id (an array), -1 where the index holds none."""
        return zeilen_der_ids(self.zeile_von_id, ids)

    @property
    def namen_ordnung(self):
        """All rows in "name, id" order (inactive ones among them)."""
        if self._namen_ordnung is None:
            self._namen_ordnung = np.argsort(self.rang, kind="stable").astype(np.int32)
        return self._namen_ordnung

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
        if anfrage.volltext is not None:
            m &= self.volltext(anfrage)[0]
        return m

    def volltext(self, anfrage):
        """(hits, relevance level of each row) of the full-text query, as
        `VolltextQuerySetMixin.suche` has them, with the actors found by a translation of
        their description; computed once per Anfrage (the facets ask again)."""
        if anfrage.volltext_ergebnis is None:
            treffer, relevanz = self.woerter.suchen(anfrage.volltext, self.zeile_von, len(self.ids))
            uebersetzt = self.zeile_von(anfrage.uebersetzt_ids)
            treffer[uebersetzt[uebersetzt >= 0]] = True
            anfrage.volltext_ergebnis = (treffer, relevanz)
        return anfrage.volltext_ergebnis

    def reihenfolge(self, m, anfrage):
        """The rows of `m` in list order: by name and id; with a query by relevance level
        first."""
        ordnung = self.namen_ordnung
        zeilen = ordnung[m[ordnung]]
        if anfrage.volltext is None:
            return zeilen
        # By level, then name: stably sorted by level alone.
        relevanz = self.volltext(anfrage)[1]
        return zeilen[np.argsort(-relevanz[zeilen], kind="stable")]

    def auswerten(self, anfrage):
        """(count, facet counts as akteure.filters.facetten gives them, the ids in list
        order)."""
        m = self.maske(anfrage)
        andere = self.maske(anfrage, ohne_art=True) if anfrage.arten is not None else m
        arten = np.bincount(self.art[andere], minlength=1)
        ids = self.ids[self.reihenfolge(m, anfrage)]
        return (
            int(np.count_nonzero(m)),
            {
                "einrichtungsart": {
                    self.art_slug[i]: int(n)
                    for i, n in enumerate(arten)
                    if n and i in self.art_slug
                },
                "sprache": {
                    self.sprache_code[i]: n
                    for i, n in self.sprachen.zaehlen(m).items()
                    if i in self.sprache_code
                },
                "barrierefrei": {"on": int(np.count_nonzero(m & self.barrierefrei))},
            },
            ids,
        )


class Anfrage:
    """What the index filters by: the actor list's FilterSet read (anfrage_aus)."""

    def __init__(
        self,
        bereich=None,
        arten=None,
        sprachen=None,
        barrierefrei=False,
        volltext=None,
        uebersetzt_ids=(),
    ):
        self.bereich, self.arten = bereich, arten
        self.sprachen, self.barrierefrei = sprachen, barrierefrei
        # The full-text query (atlas.suche.Suchanfrage) and the actors found by a translation.
        self.volltext, self.uebersetzt_ids = volltext, list(uebersetzt_ids)
        self.volltext_ergebnis = None  # (hits, levels), see AkteurIndex.volltext
        # False: every published actor, outdated or not (the HSDS API's organizations).
        self.fuer_listen = True
        self.mit_ort = False  # only those with a place or an address (HSDS locations)


def anfrage_aus(filterset):
    """The FilterSet's search as an Anfrage; None when the index cannot answer it (a place:
    SQL)."""
    if not filterset.is_bound:
        return Anfrage()
    filterset.qs  # noqa: B018 – validates the form and reads the full-text query
    if filterset.ort:
        return None
    daten = filterset.form.cleaned_data
    such = filterset.suchanfrage  # set by filter_text when `q` (the API's `search`) has words
    return Anfrage(
        bereich=daten.get("bereich") or None,
        arten=[a.pk for a in daten["einrichtungsart"]] if daten.get("einrichtungsart") else None,
        sprachen=[s.pk for s in daten["sprache"]] if daten.get("sprache") else None,
        barrierefrei=bool(daten.get("barrierefrei")),
        volltext=such,
        uebersetzt_ids=Akteur.objects.uebersetzt_ids(such) if such is not None else (),
    )


def auswerten(filterset, *, fuer_listen=True, nur_anzahl=False):
    """(count, facet counts, ids in list order) of the actor list's FilterSet from the index
    (`nur_anzahl`: the count alone); None when it cannot answer (a place, SUCHINDEX off, being
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
