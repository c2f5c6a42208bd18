"""The public offerings as an in-memory filter and facet index (atlas.suchindex).

It answers the broad searches of the list page – count, every facet count, the ids of a page –
without scanning the table: each filter is a vectorised pass over a column, each facet one
count. What it cannot answer alone becomes a set of ids from one indexed SQL query (region,
provider, words found in a translation); full text is evaluated over posting lists of the
frequent lexemes of the stored search vector, the rare ones read through its GIN index
(atlas.suchindex.Wortindex); a place search is a radius over the point columns and an order by
distance (atlas.umkreis, deciding as PostGIS does), the offerings serving the place as a whole
(Einzugsgebiet) a set of ids from SQL.

The rules are the SQL path's, restated over columns: `veroeffentlicht_q` (published, valid
today, published provider), `fuer_listen` (VERALTET_ANZEIGE) and `fuer_familien` are decided
per request from dates and flags, so a date passing needs no change. The equivalence tests
(tests/angebote/test_suchindex.py) compare both paths on many filter combinations.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.contrib.gis.db.models import PointField, Value
from django.contrib.gis.measure import D
from django.db import connection
from django.db.models import F
from django.utils import timezone

from akteure.models import Akteur
from atlas import umkreis as umkreis_
from atlas.models import EntfernungOperator, Status, veraltet_stichtag
from atlas.suchindex import (
    Auszug,
    Mehrfachwerte,
    NeuAufbauen,
    Protokoll,
    Prozessindex,
    Wortindex,
    einordnen,
    id_typ,
    kopieren,
    zeilen_der_ids,
    zeilen_tabelle,
)

from .models import LEBENSPHASEN_NACH_SLUG, Angebot, Format

PROTOKOLL = "angebote_suchindex_aenderung"
FORMATE = [wert for wert, _ in Format.choices]
# Sentinels for open ends: an empty "valid from" is the first day, an empty age range end
# matches every age.
OFFEN_ANFANG, OFFEN_ENDE = -(2**31), 2**31 - 1
ALTER_OFFEN_VON, ALTER_OFFEN_BIS = -32768, 32767
# Day numbers as Python's date.toordinal() counts them.
ORDINAL = "({0} - DATE '0001-01-01' + 1)"

# The published offerings (or some of them, by id) in "titel, pk" order, as COPY text that
# numpy reads in C: no Python object per row (about 1 s and little memory for 200,000 rows,
# instead of 14 s and 400 MB through tuples).
ZEILEN_SQL = f"""
SELECT id, anbieter_id,
    coalesce(netzwerk_id, -1),
    coalesce({ORDINAL.format("gueltig_von")}, {OFFEN_ANFANG}),
    coalesce({ORDINAL.format("gueltig_bis")}, {OFFEN_ENDE}),
    coalesce({ORDINAL.format("geprueft_am")}, -1),
    {ORDINAL.format("(erstellt_am AT TIME ZONE {zeitzone})::date")},
    coalesce(alter_von_monate, {ALTER_OFFEN_VON}),
    coalesce(alter_bis_monate, {ALTER_OFFEN_BIS}),
    coalesce(array_position({{formate}}::text[], format::text) - 1, {len(FORMATE)}),
    (kosten = 'kostenlos')::int, barrierefrei::int, kinderbetreuung::int,
    anmeldung_erforderlich::int,
    (standort IS NOT NULL OR strasse <> '' OR plz <> '' OR ort <> '')::int,
    eigener_ort::int,
    coalesce(ST_X(standort::geometry)::text, 'nan'),
    coalesce(ST_Y(standort::geometry)::text, 'nan')
FROM angebote_angebot WHERE status = '{Status.VEROEFFENTLICHT}' {{auswahl}}
ORDER BY titel, id
"""
PAARE_SQL = f"""
SELECT id, x FROM angebote_angebot CROSS JOIN unnest({{name}}_ids) x
WHERE status = '{Status.VEROEFFENTLICHT}' {{auswahl}}
"""
# Ids (None): int32 while every one is below 2**31 (atlas.suchindex.id_typ).
SPALTEN = (
    ("id", None),
    ("anbieter", None),
    ("netzwerk", None),
    ("gueltig_von", np.int32),
    ("gueltig_bis", np.int32),
    ("geprueft", np.int32),
    ("erstellt", np.int32),
    ("alter_von", np.int16),
    ("alter_bis", np.int16),
    ("format", np.int8),
    ("kostenlos", bool),
    ("barrierefrei", bool),
    ("kinderbetreuung", bool),
    ("anmeldung", bool),
    ("mit_ort", bool),  # a place or an address: an HSDS service_at_location (hsds._mit_ort)
    ("eigener_ort", bool),  # a place not the provider's: an HSDS location (hsds.angebot_orte)
    ("lon", np.float64),
    ("lat", np.float64),
)
MEHRFACH = ("themen", "zielgruppen", "sprachen")
WERTE = [name for name, _ in SPALTEN if name != "id"]
IDS = [name for name, typ in SPALTEN if typ is None]


def _lesen(cursor, ids=None):
    """The published offerings (or those of `ids` that are published) as columns in title
    order; the many-to-many values as (id, value id) pairs."""
    auswahl = ""
    if ids is not None:
        auswahl = "AND id IN ({})".format(",".join(str(int(i)) for i in ids) or "NULL")
    formate = "ARRAY[{}]".format(",".join(f"'{f}'" for f in FORMATE))
    zeitzone = "'" + settings.TIME_ZONE.replace("'", "''") + "'"
    sql = ZEILEN_SQL.format(auswahl=auswahl, zeitzone=zeitzone, formate=formate)
    # Each column in its own type, block by block: never the whole table as float64.
    teile = {name: [] for name, _ in SPALTEN}
    for block in kopieren(cursor, sql, len(SPALTEN)):
        for k, (name, typ) in enumerate(SPALTEN):
            teile[name].append(block[:, k].astype(typ or np.int64))
    daten = {}
    for name, typ in SPALTEN:
        spalte = np.concatenate([np.zeros(0, typ or np.int64), *teile.pop(name)])
        daten[name] = spalte if typ else spalte.astype(id_typ(spalte), copy=False)
    daten["ids"] = daten.pop("id")
    for name in MEHRFACH:
        sql = PAARE_SQL.format(name=name, auswahl=auswahl)
        daten[name] = np.concatenate(
            [np.zeros((0, 2), np.int64), *(b.astype(np.int64) for b in kopieren(cursor, sql, 2))]
        )
    return daten


class AngebotIndex:
    """Columns over the published offerings, rows in title order when built."""

    def __init__(self):
        self.protokoll = Protokoll(PROTOKOLL)
        with connection.cursor() as cursor:
            self.protokoll.anfang(cursor)
            self._vokabular(cursor)
            self._akteure(cursor)
            daten = _lesen(cursor)
            self.protokoll.aufraeumen(cursor)
        self.ids = daten["ids"]
        n = len(self.ids)
        self.aktiv = np.ones(n, dtype=bool)
        self.rang = np.arange(n, dtype=np.float64)  # place in "titel, pk" order
        for name in WERTE:
            setattr(self, name, daten[name])
        self._zeilen_nummern()
        for name in MEHRFACH:
            paare = daten[name]
            setattr(self, name, Mehrfachwerte(self.zeile_von(paare[:, 0]), paare[:, 1]))
            del daten[name]
        self.hauptthemen = self._hauptthemen(self.themen)
        self.fach = self._nur_fachpublikum(self.zielgruppen, n)
        self._titel_ordnung = np.arange(n, dtype=np.int32)
        self._sichtbar = self._geprueft_ordnung = None
        self.stand = 0  # counts applied changes
        with connection.cursor() as cursor:
            self.woerter = Wortindex(
                cursor,
                "angebote_angebot",
                f"t.status = '{Status.VEROEFFENTLICHT}'",
                self.zeile_von,
                n,
                settings.SUCHINDEX_WORT_AB,
            )
        self.vorraete = {}  # see vorrat()

    # --- reading -----------------------------------------------------------------------------

    def _vokabular(self, cursor):
        cursor.execute("SELECT id, slug, coalesce(oberthema_id, id) FROM angebote_thema")
        zeilen = cursor.fetchall()
        self.thema_slug = {i: s for i, s, _ in zeilen}
        self.thema_haupt = {i: h for i, _, h in zeilen}
        self.unterthemen = {}
        for i, _, h in zeilen:
            if h != i:
                self.unterthemen.setdefault(h, set()).add(i)
        cursor.execute("SELECT id, slug, fachpublikum FROM angebote_zielgruppe")
        zeilen = cursor.fetchall()
        self.zielgruppe_slug = {i: s for i, s, _ in zeilen}
        self.fachpublikum = {i for i, _, f in zeilen if f}
        cursor.execute("SELECT id, code FROM akteure_sprache")
        self.sprache_code = dict(cursor.fetchall())

    def _akteure(self, cursor):
        cursor.execute(
            "SELECT id, status = %s, coalesce(einrichtungsart_id, -1) FROM akteure_akteur",
            [Status.VEROEFFENTLICHT],
        )
        zeilen = cursor.fetchall()
        groesse = max((i for i, _, _ in zeilen), default=0) + 1
        self.akteur_oeffentlich = np.zeros(groesse, dtype=bool)
        self.akteur_art = np.full(groesse, -1, dtype=np.int32)
        self._akteure_setzen(zeilen)

    def _akteure_setzen(self, zeilen):
        groesse = max((i for i, _, _ in zeilen), default=0) + 1
        if groesse > len(self.akteur_oeffentlich):
            mehr = groesse - len(self.akteur_oeffentlich)
            self.akteur_oeffentlich = np.concatenate(
                [self.akteur_oeffentlich, np.zeros(mehr, bool)]
            )
            self.akteur_art = np.concatenate([self.akteur_art, np.full(mehr, -1, np.int32)])
        if zeilen:
            ids = np.array([i for i, _, _ in zeilen], dtype=np.int64)
            self.akteur_oeffentlich[ids] = [o for _, o, _ in zeilen]
            self.akteur_art[ids] = [a for _, _, a in zeilen]

    def _hauptthemen(self, themen):
        """(row, main topic) per row and main topic: a main topic counts offerings."""
        zeilen, werte = themen.paare()
        groesse = max(self.thema_haupt, default=0) + 1
        haupt = np.full(max(groesse, int(werte.max(initial=0)) + 1), -1, dtype=np.int64)
        haupt[list(self.thema_haupt)] = list(self.thema_haupt.values())
        werte = haupt[werte]
        bekannt = werte >= 0
        return Mehrfachwerte(zeilen[bekannt], werte[bekannt])

    def _nur_fachpublikum(self, zielgruppen, anzahl_zeilen):
        """Rows whose target groups are all a Fachpublikum (at least one)."""
        alle = zielgruppen.maske(zielgruppen.wert_ids.tolist(), anzahl_zeilen)
        andere = set(zielgruppen.wert_ids.tolist()) - self.fachpublikum
        return alle & ~zielgruppen.maske(andere, anzahl_zeilen)

    def _zeilen_nummern(self):
        # Ids are dense (an identity column): a plain array maps an id to its row.
        groesse = int(self.ids.max(initial=0)) + 1
        if groesse > 4 * len(self.ids) + 1_000_000:
            raise NeuAufbauen("ids too sparse for the index")  # caller falls back to SQL
        self.zeile_von_id = zeilen_tabelle(self.ids)

    def zeile_von(self, ids):
        """The row of each id (an array), -1 where the index holds none."""
        return zeilen_der_ids(self.zeile_von_id, ids)

    def zeilen(self, ids):
        """Rows of the given offering ids that the index holds."""
        ids = np.asarray(list(ids), dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(self.zeile_von_id))]
        z = self.zeile_von_id[ids]
        return z[z >= 0]

    # --- changes -----------------------------------------------------------------------------

    def aktualisieren(self):
        """Apply every committed change (one query when there is none)."""
        with connection.cursor() as cursor:
            aenderungen = self.protokoll.neue(cursor)
            if not aenderungen:
                return
            self.stand += 1
            if any(art == "v" for art, _ in aenderungen):
                raise NeuAufbauen
            akteure = {o for art, o in aenderungen if art == "k"}
            angebote = {o for art, o in aenderungen if art == "a"}
            if akteure:
                cursor.execute(
                    "SELECT id, status = %s, coalesce(einrichtungsart_id, -1) "
                    "FROM akteure_akteur WHERE id = ANY(%s::bigint[])",
                    [Status.VEROEFFENTLICHT, list(akteure)],
                )
                zeilen = cursor.fetchall()
                weg = akteure - {i for i, _, _ in zeilen}
                self._akteure_setzen([*zeilen, *((i, False, -1) for i in weg)])
            if angebote:
                self._angebote_neu(cursor, angebote)

    def _angebote_neu(self, cursor, ids):
        self._angebote_lesen(cursor, ids)
        self.woerter.aendern(cursor, ids, self.zeile_von, len(self.ids))

    def _angebote_lesen(self, cursor, ids):
        daten = _lesen(cursor, ids)
        # Every changed row leaves the index; those still published come back below.
        alte = self.zeilen(ids)
        self.aktiv[alte] = False
        if not len(daten["ids"]):
            return
        neue_ids = daten["ids"]
        for name in IDS:
            name = "ids" if name == "id" else name
            if np.dtype(id_typ(daten[name])).itemsize > getattr(self, name).itemsize:
                raise NeuAufbauen  # an id past 2**31: the columns are read again, wider
        vorhanden = self.zeilen(neue_ids)
        bekannt = {int(self.ids[z]): int(z) for z in vorhanden}
        hinzu = [i for i in neue_ids.tolist() if i not in bekannt]
        if hinzu:
            # New rows at the end of every column; the id map grows.
            n = len(self.ids)
            mehr = len(hinzu)
            self.ids = np.concatenate([self.ids, np.array(hinzu, dtype=self.ids.dtype)])
            self.aktiv = np.concatenate([self.aktiv, np.zeros(mehr, bool)])
            self.rang = np.concatenate([self.rang, np.zeros(mehr)])
            for name in WERTE:
                spalte = getattr(self, name)
                setattr(self, name, np.concatenate([spalte, np.zeros(mehr, spalte.dtype)]))
            self.fach = np.concatenate([self.fach, np.zeros(mehr, bool)])
            bekannt.update({i: n + k for k, i in enumerate(hinzu)})
            self._zeilen_nummern()
        # Rows of the answer (0…) → rows of the index.
        zeilen = np.array([bekannt[i] for i in neue_ids.tolist()], dtype=np.int64)
        for name in WERTE:
            getattr(self, name)[zeilen] = daten[name]
        for name in MEHRFACH:
            paare = daten[name]
            getattr(self, name).ersetzen(
                zeilen, Mehrfachwerte(self.zeile_von(paare[:, 0]), paare[:, 1])
            )
        themen = Mehrfachwerte(self.zeile_von(daten["themen"][:, 0]), daten["themen"][:, 1])
        self.hauptthemen.ersetzen(zeilen, self._hauptthemen(themen))
        fach = self._nur_fachpublikum(self.zielgruppen, len(self.ids))
        self.fach[zeilen] = fach[zeilen]
        self._einordnen(cursor, zeilen, [int(z) for z in alte])
        self.aktiv[zeilen] = True

    def _einordnen(self, cursor, zeilen, alte):
        """Give the changed rows their place in "titel, pk" order (atlas.suchindex.einordnen)."""
        einordnen(
            cursor,
            tabelle="angebote_angebot",
            spalte="titel",
            bedingung=f"a.status = '{Status.VEROEFFENTLICHT}'",
            ids=self.ids[zeilen].tolist(),
            ohne=set(self.ids[zeilen].tolist()) | set(self.ids[alte].tolist()),
            rang=self.rang,
            unveraendert=self.aktiv.copy(),
            zeile_von=self.zeile_von,
        )
        self._titel_ordnung = None

    # --- answering ---------------------------------------------------------------------------

    @property
    def titel_ordnung(self):
        if self._titel_ordnung is None:
            self._titel_ordnung = np.argsort(self.rang, kind="stable").astype(np.int32)
        return self._titel_ordnung

    @property
    def geprueft_ordnung(self):
        """All rows by "geprueft_am" (newest first, never checked last), then title."""
        if self._geprueft_ordnung is None or self._geprueft_ordnung[0] != self.stand:
            schluessel = np.where(self.geprueft >= 0, -self.geprueft.astype(np.int64), 2**40)
            ordnung = np.lexsort((self.rang, schluessel)).astype(np.int32)
            self._geprueft_ordnung = (self.stand, ordnung)
        return self._geprueft_ordnung[1]

    def sichtbar(self, tag=None, *, fuer_listen=True):
        """veroeffentlicht_q and fuer_listen (without it: veroeffentlicht_q alone, as the HSDS
        API has it), today (or on `tag`); kept until the next change or day (a copy: callers
        narrow it down)."""
        tag = (tag or timezone.localdate()).toordinal()
        schluessel = (
            tag,
            fuer_listen,
            settings.VERALTET_ANZEIGE,
            settings.VERALTET_MONATE,
            self.stand,
        )
        if self._sichtbar is None or self._sichtbar[0] != schluessel:
            self._sichtbar = (schluessel, self._sichtbar_berechnen(tag, fuer_listen))
        return self._sichtbar[1].copy()

    def _sichtbar_berechnen(self, tag, fuer_listen=True):
        maske = self.aktiv & (self.gueltig_von <= tag) & (self.gueltig_bis >= tag)
        anbieter = self.anbieter
        maske &= (anbieter < len(self.akteur_oeffentlich)) & self.akteur_oeffentlich[
            np.minimum(anbieter, len(self.akteur_oeffentlich) - 1)
        ]
        if fuer_listen and settings.VERALTET_ANZEIGE == "ausblenden":
            grenze = veraltet_stichtag(datetime.date.fromordinal(tag)).toordinal()
            maske &= np.where(self.geprueft >= 0, self.geprueft > grenze, self.erstellt > grenze)
        return maske

    def maske(self, anfrage):
        """The rows of an `Anfrage` (see anfrage_aus) and the relevance of each, or None."""
        n = len(self.ids)
        m = self.sichtbar(fuer_listen=anfrage.fuer_listen)
        if anfrage.mit_ort:
            m &= self.mit_ort
        if anfrage.eigener_ort:
            m &= self.eigener_ort
        if not anfrage.fachpublikum:
            m &= ~self.fach
        if anfrage.themen is not None:
            ids = set(anfrage.themen)
            for t in anfrage.themen:
                ids |= self.unterthemen.get(t, set())
            m &= self.themen.maske(ids, n)
        if anfrage.zielgruppen is not None:
            m &= self.zielgruppen.maske(anfrage.zielgruppen, n)
        if anfrage.sprachen is not None:
            m &= self.sprachen.maske(anfrage.sprachen, n)
        if anfrage.formate is not None:
            m &= np.isin(self.format, [FORMATE.index(f) for f in anfrage.formate])
        for name, spalte, wert in (
            ("kostenlos", self.kostenlos, True),
            ("barrierefrei", self.barrierefrei, True),
            ("kinderbetreuung", self.kinderbetreuung, True),
            ("ohne_anmeldung", self.anmeldung, False),
        ):
            if name in anfrage.merkmale:
                m &= spalte == wert
        if anfrage.alter:
            passt = np.zeros(n, dtype=bool)
            for monate in anfrage.alter:
                passt |= (self.alter_von <= monate) & (self.alter_bis >= monate)
            m &= passt
        if anfrage.phase is not None:
            m &= (self.alter_von <= anfrage.phase.bis_monate) & (
                self.alter_bis >= anfrage.phase.von_monate
            )
        if anfrage.netzwerk is not None:
            m &= self.netzwerk == anfrage.netzwerk
        if anfrage.anbieter is not None:
            m &= np.isin(self.anbieter, anfrage.anbieter)
        if anfrage.einrichtungsart is not None:
            art = self.akteur_art[np.minimum(self.anbieter, len(self.akteur_art) - 1)]
            m &= (self.anbieter < len(self.akteur_art)) & (art == anfrage.einrichtungsart)
        if anfrage.ids is not None:
            drin = np.zeros(n, dtype=bool)
            drin[self.zeilen(anfrage.ids)] = True
            m &= drin
        if anfrage.umkreis is not None:
            m &= self.im_umkreis(anfrage.umkreis, m)
        relevanz = None
        if anfrage.volltext is not None:
            treffer, relevanz = self.volltext(anfrage)
            m &= treffer
        return m, relevanz

    def im_umkreis(self, umkreis, m):
        """The rows of `m` within the radius (ST_DWithin on the ellipsoid) or serving the place
        as a whole (`umkreis.dazu`); the few at the radius's edge are asked of the database."""
        drin, unklar = umkreis_.im_umkreis(umkreis, self.lon, self.lat, m)
        ergebnis = np.zeros(len(self.ids), dtype=bool)
        ergebnis[drin] = True
        if len(unklar):
            ids = Angebot.objects.filter(
                pk__in=self.ids[unklar].tolist(),
                standort__dwithin=(umkreis.punkt, D(m=umkreis.meter)),
            ).values_list("pk", flat=True)
            ergebnis[self.zeilen(ids)] = True
        ergebnis[self.zeilen(umkreis.dazu)] = True
        return ergebnis

    def _entfernungen_sql(self, umkreis, zeilen):
        """`standort <-> punkt` of the rows as the database computes it (the list's order)."""
        entfernung = EntfernungOperator(
            F("standort"), Value(umkreis.punkt, output_field=PointField(geography=True))
        )
        werte = dict(
            Angebot.objects.filter(pk__in=self.ids[zeilen].tolist())
            .annotate(d=entfernung)
            .values_list("pk", "d")
        )
        return np.array([werte[i] for i in self.ids[zeilen].tolist()], dtype=np.float64)

    def volltext(self, anfrage):
        """The rows a full-text query finds and the relevance level of each, as
        `VolltextQuerySetMixin.suche` has them (atlas.suche, atlas.suchindex.Wortindex.suchen):
        also those found in a translation (`uebersetzt_teile`)."""
        treffer, relevanz = self.woerter.suchen(
            anfrage.volltext,
            self.zeile_von,
            len(self.ids),
            zusaetzlich=[(name.terme(weit=False), "B") for name in anfrage.uebersetzt_namen],
        )
        treffer[self.zeilen(anfrage.uebersetzt_ids)] = True
        return treffer, relevanz

    def folge(self, m, relevanz, sortierung, umkreis=None):
        """reihenfolge() for a list's pages: sorted by title or by date of check, an Auszug
        (its count, and a page computed as it is read), otherwise the whole order."""
        if sortierung == "geprueft":
            return Auszug(self.geprueft_ordnung, m)
        if (umkreis is None or sortierung not in ("entfernung", "relevanz")) and (
            relevanz is None or sortierung != "relevanz"
        ):
            return Auszug(self.titel_ordnung, m)
        return self.reihenfolge(m, relevanz, sortierung, umkreis)

    def reihenfolge(self, m, relevanz, sortierung, umkreis=None):
        """The rows of `m` in list order: with a place (`umkreis`) and sorted by distance or
        relevance, nearest first (within a relevance level), then by title."""
        if sortierung == "geprueft":
            ordnung = self.geprueft_ordnung
            return ordnung[m[ordnung]]
        if umkreis is not None and sortierung in ("entfernung", "relevanz"):
            ordnung = self.titel_ordnung
            zeilen = umkreis_.nach_entfernung(
                umkreis,
                self.lon,
                self.lat,
                ordnung[m[ordnung]],
                lambda zeilen: self._entfernungen_sql(umkreis, zeilen),
            )
            if relevanz is not None and sortierung == "relevanz":
                zeilen = zeilen[np.argsort(-relevanz[zeilen], kind="stable")]
            return zeilen
        if relevanz is not None and sortierung == "relevanz":
            # By level, then title: the hits in title order, sorted stably by level alone
            # (a radix sort of small integers, instead of sorting all hits by two keys).
            ordnung = self.titel_ordnung
            zeilen = ordnung[m[ordnung]]
            return zeilen[np.argsort(-relevanz[zeilen], kind="stable")]
        ordnung = self.titel_ordnung
        return ordnung[m[ordnung]]

    def facetten(self, m):
        zahlen = {
            name: {"on": int(np.count_nonzero(m & spalte))}
            for name, spalte in (
                ("kostenlos", self.kostenlos),
                ("barrierefrei", self.barrierefrei),
                ("kinderbetreuung", self.kinderbetreuung),
                ("ohne_anmeldung", ~self.anmeldung),
            )
        }
        gewaehlt = self.format[m]
        formate = {f: int(np.count_nonzero(gewaehlt == k)) for k, f in enumerate(FORMATE)}
        zahlen["format"] = {f: n for f, n in formate.items() if n}
        zahlen["sprache"] = _benannt(self.sprachen.zaehlen(m), self.sprache_code)
        zahlen["zielgruppe"] = _benannt(self.zielgruppen.zaehlen(m), self.zielgruppe_slug)
        zahlen["thema"] = _benannt(self.themen.zaehlen(m), self.thema_slug)
        zahlen["thema"].update(_benannt(self.hauptthemen.zaehlen(m), self.thema_slug))
        return zahlen


@dataclass
class Anfrage:
    """What the index filters by: a list's FilterSet read (anfrage_aus)."""

    fachpublikum: bool = False
    themen: list | None = None
    zielgruppen: list | None = None
    sprachen: list | None = None
    formate: list | None = None
    merkmale: set = field(default_factory=set)
    alter: list = field(default_factory=list)
    phase: object = None
    netzwerk: int | None = None
    anbieter: list | None = None
    einrichtungsart: int | None = None
    ids: set | None = None  # from SQL: region
    volltext: object = None  # the full-text query (atlas.suche.Suchanfrage), evaluated here
    uebersetzt_ids: list = field(default_factory=list)  # found by a translation
    uebersetzt_namen: list = field(default_factory=list)  # topic names found by a translation
    sortierung: str = "name"
    fuer_listen: bool = True  # False: every published offering, outdated or not (the HSDS API)
    umkreis: object = None  # a place search (atlas.umkreis.Umkreis)
    mit_ort: bool = False  # only those with a place or an address (HSDS service_at_locations)
    eigener_ort: bool = False  # only those with a place not their provider's (HSDS locations)


def anfrage_aus(filterset, *, mit_umkreis=False):
    """The FilterSet's search as an Anfrage; None when the index cannot answer it (a place,
    unless `mit_umkreis`: the list's pages and map, whose rows the index orders by distance)."""
    filterset.vorbereiten()  # validates the form, reads the full-text query; no SQL built
    if not filterset.is_bound:
        return Anfrage()
    if filterset.ort and not mit_umkreis:
        return None
    daten = filterset.form.cleaned_data
    anfrage = Anfrage(fachpublikum=filterset.fachpublikum_gewaehlt())
    if ort := filterset.ort:
        punkt, _name, km = ort
        anfrage.umkreis = umkreis_.Umkreis(
            lon=punkt.x,
            lat=punkt.y,
            meter=D(km=km).m,
            punkt=punkt,
            dazu=filterset.gebiet_am_ort()[1],
        )
    if daten.get("thema"):
        anfrage.themen = [t.pk for t in daten["thema"]]
    if daten.get("zielgruppe"):
        anfrage.zielgruppen = [z.pk for z in daten["zielgruppe"]]
    if daten.get("sprache"):
        anfrage.sprachen = [s.pk for s in daten["sprache"]]
    if daten.get("format"):
        anfrage.formate = list(daten["format"])
    anfrage.merkmale = {
        name
        for name in ("kostenlos", "barrierefrei", "kinderbetreuung", "ohne_anmeldung")
        if daten.get(name)
    }
    anfrage.alter = list(daten.get("alter") or [])
    if daten.get("phase"):
        anfrage.phase = LEBENSPHASEN_NACH_SLUG[daten["phase"]]
    if daten.get("netzwerk"):
        anfrage.netzwerk = daten["netzwerk"].pk
    if daten.get("anbieter"):
        anfrage.anbieter = list(
            Akteur.objects.filter(slug=daten["anbieter"]).values_list("pk", flat=True)
        )
    if daten.get("einrichtungsart"):
        anfrage.einrichtungsart = daten["einrichtungsart"].pk
    if daten.get("sozialraum"):
        anfrage.ids = set(
            Angebot.objects.in_region(daten["sozialraum"]).values_list("pk", flat=True)
        )
    # Set by filter_text when the list's `q` (or the API's `search`) has words.
    if filterset.suchanfrage is not None:
        # Evaluated over the index's posting lists (AngebotIndex.volltext); what was found in
        # a translation comes from SQL (atlas_uebersetzung, a few small indexed queries).
        anfrage.volltext = filterset.suchanfrage
        anfrage.uebersetzt_ids, anfrage.uebersetzt_namen = Angebot.objects.uebersetzt_teile(
            filterset.suchanfrage
        )
    sortierung = daten.get("sortierung")
    if sortierung == "geprueft":
        anfrage.sortierung = "geprueft"
    elif sortierung not in ("name", "entfernung") and anfrage.volltext is not None:
        anfrage.sortierung = "relevanz"  # with a place: within a level, nearest first
    elif sortierung != "name" and anfrage.umkreis is not None:
        anfrage.sortierung = "entfernung"
    return anfrage


def vorrat(queryset, schluessel):
    """The rows of a vocabulary's queryset (topics, target groups, languages: the tables whose
    every change makes the index read everything again, see the change log's triggers) from
    a copy this process keeps beside its index, or None when there is no current index.

    The copy belongs to the index: a change to such a table, by any write path, rebuilds the
    index and with it every copy, so it is exactly as current as the counts of the list. It
    saves the list page its vocabulary queries (checking the ticked values, the choices of the
    filter form, the chips, the languages of the rows): the rows are model instances shared
    by the requests of this process, to be read, never changed. Names in the visitor's
    language still come from atlas.uebersetzung (its own cache) when they are shown.
    `schluessel` names the queryset (one name, one queryset).
    """
    return _aus_vorrat(schluessel, lambda: list(queryset.all()))


def gelesen(lesen, schluessel):
    """What `lesen()` returns, from the copy beside the index (see `vorrat`) when there is a
    current one, else from `lesen()` itself: for values computed from tables whose changes
    rebuild the index – the Sozialräume's select (`Sozialraum.objects.auswahl`, migration
    0032), which every offerings list shows. `schluessel` names it, as in `vorrat`."""
    werte = _aus_vorrat(schluessel, lesen)
    return lesen() if werte is None else werte


def _aus_vorrat(schluessel, lesen):
    if not settings.SUCHINDEX or INDEX.index is None:
        return None  # never built for this: the list's first search builds it
    try:
        with INDEX.aktuell(warten=not settings.SUCHINDEX_HINTERGRUND) as index:
            if index is None:
                return None
            werte = index.vorraete.get(schluessel)
            if werte is None:
                werte = index.vorraete[schluessel] = lesen()
            return werte
    except NeuAufbauen:
        return None


def beantworten(frage, auswerten):
    """`auswerten(index, anfrage)` on the index, held up to date while it reads, for the
    Anfrage that `frage()` gives (asked only when the index is on); None – then the caller asks
    SQL, with the same results – when the index is off, `frage()` gives None (a question it
    cannot express, e.g. a place search), it is still being built (in the background: SQL
    answers meanwhile) or must be read anew (ids too sparse for its arrays)."""
    if not settings.SUCHINDEX or (anfrage := frage()) is None:
        return None
    try:
        with INDEX.aktuell(warten=not settings.SUCHINDEX_HINTERGRUND) as index:
            if index is None:
                return None
            return auswerten(index, anfrage)
    except NeuAufbauen:
        return None


def _benannt(zahlen, namen):
    return {namen[i]: n for i, n in zahlen.items() if i in namen}


INDEX = Prozessindex(AngebotIndex)
