"""Free-text search as families type it: the "Was?" field of the public lists and the API.

A query is read word by word, and every word must be found (AND). Each word is searched
- as typed and, where it has ae/oe/ue, also with the umlaut: "Muetter" finds "Mütter". Both
  forms, never only the rewritten one: "Steuer", "Poesie" and "Dauer" are spelt so;
- as the beginning of longer words once its stem has four letters: German writes compounds as
  one word, and "Rückbildung" should find the "Rückbildungskurs";
- when the public texts hardly contain it, also by its first part, if the word splits into two
  known words: "Stillberatung" finds the Stillcafé and the Stillgruppe;
- when they do not contain it at all and it does not split, replaced by the most similar known
  word (pg_trgm): "Hebame" finds the Hebammen offerings, and the list says "Ergebnisse für
  „Hebamme“". A word that is known but rare, next to a much more frequent similar one, is
  searched as typed, with "Meinten Sie …?".
"Known" is decided by the vocabulary of the public texts (`Suchwort`, kept by triggers), with
one to three small indexed look-ups per search; no dictionary files are needed on the database
server (see the README, "Search").

Hits are ranked in levels (`relevanz`): where the words are – title, then topics/provider/kind,
then description – and within each, the words as typed before their longer forms. The levels
are coarse on purpose: the lists order by level, then by distance or title.
"""

import itertools
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from .models import SUCHKONFIGURATION

# Tokens of PostgreSQL's text search parser (ts_token_type('default')): the query is cut into
# words exactly as the texts were. Words (also the parts of hyphenated ones) are looked up in
# the vocabulary; hyphenated wholes and blanks are left out (the parts stand for them); anything
# else (an e-mail address, "Ketzin/Havel" as a path, a number) must occur as it is.
WORT_TOKEN = {1, 2, 3, 9, 10, 11}
OHNE_TOKEN = {12, 15, 16, 17}
# Most queries are letters and spaces only; their words need no parser.
NUR_BUCHSTABEN = re.compile(r"\s*[^\W\d_]+(?:\s+[^\W\d_]+)*\s*")
# Umlauts typed without umlaut keys: "Muenchen", "Muetter". Also used by the place look-up.
UMLAUT_UMSCHRIFT = re.compile(r"([aou])e", re.IGNORECASE)
UMLAUTE = {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"}

MAX_WOERTER = 8
# A stem this long also finds longer words; shorter ones only themselves ("Bad", "Tag").
PRAEFIX_AB = 4
# A word in fewer public records than this may be a compound or a typo.
SELTEN = 3
# Parts of a compound: a first part of at least 3 letters, a rest of at least 4.
TEIL_MIN, REST_MIN = 3, 4
# pg_trgm similarity from which an unknown word is replaced, and from which a rare one gets a
# suggestion that is at least VORSCHLAG_FAKTOR times as frequent.
KORREKTUR_AB = 0.45
VORSCHLAG_AB = 0.5
VORSCHLAG_FAKTOR = 10

# Relevance levels: (weights of the vector, longer forms too?, level). Weights as the triggers
# set them: A title/name, B topics, provider, kind and place, C description.
STUFEN = (("A", False, 6), ("A", True, 5), ("AB", False, 4), ("AB", True, 3), ("", False, 2))


def umlaut_formen(wort):
    """The word as typed, then with ä/ö/ü for each combination of its (first three) ae/oe/ue."""
    stellen = list(UMLAUT_UMSCHRIFT.finditer(wort))[:3]
    formen = []
    for auswahl in itertools.product((False, True), repeat=len(stellen)):
        teile, pos = [], 0
        for stelle, ersetzen in zip(stellen, auswahl, strict=True):
            teile += [
                wort[pos : stelle.start()],
                UMLAUTE[stelle.group(1)] if ersetzen else stelle.group(0),
            ]
            pos = stelle.end()
        formen.append("".join([*teile, wort[pos:]]))
    return formen


@dataclass
class Wort:
    """One word of a query and what the vocabulary says about it."""

    eingabe: str  # as typed
    formen: list  # lower case: as typed, then with umlauts for ae/oe/ue
    fest: bool = False  # not a word (an address, a number): only as it is
    schluessel: dict = field(default_factory=dict)  # form → lower case without accents
    staemme: dict = field(default_factory=dict)  # form → its stem ("" for a stop word)
    anzahl: int = 0  # public records with a word of this stem or beginning (best form)
    teil: str = ""  # known first part of a compound the texts hardly contain (unaccented)
    korrektur: tuple = ()  # (key, shown word, stem) of the known word searched instead
    vorschlag: str = ""  # a far more frequent similar word, offered as a link

    def begriffe(self, *, weit, gewichte):
        """This word's part of a tsquery: its forms as alternatives ("" when none is left)."""
        begriffe = [
            _lexem(text, "*" if praefix else "", gewichte)
            for text, praefix in self.terme(weit=weit)
        ]
        return f"({' | '.join(dict.fromkeys(begriffe))})" if begriffe else ""

    def terme(self, *, weit):
        """This word's alternatives as (lexeme, also as beginning of longer ones?), in the order
        of `begriffe` – what an in-memory index evaluates in its place (angebote.suchindex)."""
        if self.korrektur:
            quellen = [(self.korrektur[0], self.korrektur[2])]
        else:
            quellen = [(self.schluessel[form], self.staemme[form]) for form in self.formen]
        begriffe = []
        for schluessel, stamm in quellen:
            if not stamm:
                continue  # a stop word: the text search ignores it anyway
            if not weit:
                begriffe.append((stamm, False))
            elif len(stamm) >= PRAEFIX_AB:
                begriffe.append((stamm, True))
            else:
                # A short stem ("mau" of "Mauer") whole; the word as typed may begin others
                # ("Mauerweg").
                begriffe.append((stamm, False))
                if len(schluessel) >= PRAEFIX_AB:
                    begriffe.append((schluessel, True))
        if weit and self.teil:
            begriffe.append((self.teil, True))
        return list(dict.fromkeys(begriffe))


def _lexem(text, praefix, gewichte):
    """A lexeme in tsquery syntax, quoted: 'mutt':*A."""
    marke = praefix + gewichte
    quotiert = "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quotiert}:{marke}" if marke else quotiert


def _gross_wie(eingabe, wort):
    return wort[:1].upper() + wort[1:] if eingabe[:1].isupper() else wort


@dataclass
class Suchanfrage:
    """A free-text query as understood: its words, their forms, parts and corrections."""

    text: str
    woerter: list
    # What was looked up for this query once (a request asks its SQL filter and its in-memory
    # index the same: atlas_uebersetzung is read once), see `gemerkt`.
    merker: dict = field(default_factory=dict, repr=False, compare=False)

    def gemerkt(self, schluessel, berechnen):
        """`berechnen()` the first time `schluessel` is asked for this query, then its result."""
        if schluessel not in self.merker:
            self.merker[schluessel] = berechnen()
        return self.merker[schluessel]

    def tsquery(self, *, weit=True, gewichte=""):
        """A tsquery of stems (cast, not normalised again): every word (AND), each by any of its
        forms (OR); `weit` adds the longer words they begin and first parts of compounds,
        `gewichte` keeps to those parts of the vector ("A": title)."""
        teile = [t for w in self.woerter if (t := w.begriffe(weit=weit, gewichte=gewichte))]
        return " & ".join(teile)

    def terme(self, *, weit=True):
        """`tsquery` as data: one list of (lexeme, prefix?) alternatives per word, all of which
        must be found (AND); empty when the query has only stop words."""
        return [t for w in self.woerter if (t := w.terme(weit=weit))]

    def stufen(self):
        """The tests of `relevanz` as data: [(weights, terms, level)], best first; a hit that
        passes none has level 1."""
        stufen, gesehen = [], set()
        for gewichte, weit, stufe in STUFEN:
            abfrage = self.tsquery(weit=weit, gewichte=gewichte)
            if abfrage and abfrage not in gesehen:
                gesehen.add(abfrage)
                stufen.append((gewichte, self.terme(weit=weit), stufe))
        return stufen

    def treffer(self, feld="suchvektor"):
        """The condition on the stored search vector (its GIN index answers it)."""
        abfrage = self.tsquery()
        if not abfrage:  # only stop words ("und", "die"): nothing to find, as before
            # Not `pk__in=[]`: that cannot be compiled into the list's own statement (auswerten).
            return Q(pk__isnull=True)
        return Q(**{feld: roh(abfrage)})

    def relevanz(self, feld="suchvektor"):
        """The relevance level of a hit (see STUFEN); 1 for a hit by a longer form only."""
        faelle, gesehen = [], set()
        for gewichte, weit, stufe in STUFEN:
            abfrage = self.tsquery(weit=weit, gewichte=gewichte)
            if abfrage and abfrage not in gesehen:  # no longer forms: skip the same test
                gesehen.add(abfrage)
                faelle.append(When(Q(**{feld: roh(abfrage)}), then=Value(stufe)))
        return Case(*faelle, default=Value(1), output_field=IntegerField())

    def _mit(self, ersatz):
        """The query text with some words replaced ({index of the word: new word})."""
        teile, pos = [], 0
        for i, wort in enumerate(self.woerter):
            stelle = self.text.find(wort.eingabe, pos)
            if stelle < 0:
                continue
            teile += [self.text[pos:stelle], ersatz.get(i, wort.eingabe)]
            pos = stelle + len(wort.eingabe)
        return "".join([*teile, self.text[pos:]]).strip()

    @property
    def korrigiert(self):
        """The query as searched when unknown words were replaced, else ""."""
        ersatz = {
            i: _gross_wie(w.eingabe, w.korrektur[1])
            for i, w in enumerate(self.woerter)
            if w.korrektur
        }
        return self._mit(ersatz) if ersatz else ""

    @property
    def vorschlag(self):
        """The query with rare words replaced by far more frequent similar ones, else ""."""
        ersatz = {
            i: _gross_wie(w.eingabe, w.vorschlag) for i, w in enumerate(self.woerter) if w.vorschlag
        }
        return self._mit(ersatz) if ersatz else ""


class Tsquery(SearchQuery):
    """A tsquery written out in lexemes, which are already stems: no second normalisation."""

    template = "%(expressions)s::tsquery"


def roh(abfrage):
    return Tsquery(abfrage)


# Stem and frequency of each string: the public records that use a word of the same stem, or a
# word beginning with the string ("rückbildung" → "rückbildungskurs").
BEKANNT_SQL = """
SELECT x.f, x.k, x.s, coalesce((
    SELECT sum(w.anzahl) FROM atlas_suchwort w
    WHERE w.stamm = x.s OR (w.schluessel >= x.k AND w.schluessel < x.k || chr(1114111))
), 0)
FROM (
    SELECT f, lower(public.unaccent(f)) AS k, coalesce(
        (SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, f)) ORDER BY lexeme LIMIT 1), ''
    ) AS s
    FROM unnest(%s::text[]) f
) x
"""

# The most similar known words of each string (trigram index of the vocabulary).
AEHNLICH_SQL = """
SELECT f.f, w.schluessel, w.wort, w.stamm, w.anzahl, w.aehnlichkeit
FROM unnest(%s::text[]) f
CROSS JOIN LATERAL (
    SELECT v.*, similarity(v.schluessel, lower(public.unaccent(f.f))) AS aehnlichkeit
    FROM atlas_suchwort v WHERE v.schluessel %% lower(public.unaccent(f.f))
    ORDER BY aehnlichkeit DESC, v.anzahl DESC, v.schluessel LIMIT 3
) w
"""


def _bekannt(texte):
    """{string: (key, stem, frequency)} for the given lower-case strings."""
    if not texte:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(BEKANNT_SQL, [SUCHKONFIGURATION, sorted(set(texte))])
        return {f: (k, s, int(n)) for f, k, s, n in cursor.fetchall()}


def _zerlegungen(wort):
    """(first part, rest) of each way to cut a word, the longest first part first."""
    return [(wort[:i], wort[i:]) for i in range(len(wort) - REST_MIN, TEIL_MIN - 1, -1)]


def _zerlegen(woerter):
    """Give each word that splits into two known words its first part (`teil`)."""
    kandidaten = [(w, [z for form in w.formen for z in _zerlegungen(form)]) for w in woerter]
    bekannt = _bekannt([t for _w, zerlegungen in kandidaten for z in zerlegungen for t in z])
    for wort, zerlegungen in kandidaten:
        for teil, rest in zerlegungen:
            # The first part must begin more words than the word itself does.
            if bekannt[teil][2] > wort.anzahl and bekannt[rest][2]:
                wort.teil = bekannt[teil][0]
                break


def _aehnliche(woerter):
    """Find a correction for each unknown word and a suggestion for each rare one."""
    formen = [form for w in woerter for form in w.formen]
    with connection.cursor() as cursor:
        cursor.execute(AEHNLICH_SQL, [formen])
        zeilen = cursor.fetchall()
    for wort in woerter:
        # Best first: the SQL orders each form's candidates, here all forms' are merged.
        kandidaten = sorted(
            (z for z in zeilen if z[0] in wort.formen), key=lambda z: (-z[5], -z[4], z[1])
        )
        for _form, schluessel, anzeige, stamm, anzahl, aehnlichkeit in kandidaten:
            if not wort.anzahl and aehnlichkeit >= KORREKTUR_AB:
                wort.korrektur = (schluessel, anzeige, stamm)
                break
            if (
                wort.anzahl
                and aehnlichkeit >= VORSCHLAG_AB
                and anzahl >= VORSCHLAG_FAKTOR * wort.anzahl
                and stamm not in wort.staemme.values()
            ):
                wort.vorschlag = anzeige
                break


def suchanfrage(text):
    """The query as understood (see the module's docstring); None when it has no word."""
    text = text or ""
    if NUR_BUCHSTABEN.fullmatch(text):
        tokens = [(2, wort) for wort in text.split()]  # what the parser would say, unasked
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tokid, token FROM ts_parse('default', %s)", [text])
            tokens = cursor.fetchall()
    woerter = [
        Wort(token, umlaut_formen(token.lower()))
        if tokid in WORT_TOKEN
        else Wort(token, [token.lower()], fest=True)
        for tokid, token in tokens
        if tokid not in OHNE_TOKEN
    ][:MAX_WOERTER]
    if not woerter:
        return None
    bekannt = _bekannt([form for w in woerter for form in w.formen])
    for wort in woerter:
        wort.schluessel = {form: bekannt[form][0] for form in wort.formen}
        wort.staemme = {form: bekannt[form][1] for form in wort.formen}
        wort.anzahl = max(bekannt[form][2] for form in wort.formen)
    # Stop words ("für", "und") are left to the text search; only real words are looked at.
    selten = [w for w in woerter if not w.fest and w.anzahl < SELTEN and any(w.staemme.values())]
    if selten:
        _zerlegen([w for w in selten if max(map(len, w.formen)) >= TEIL_MIN + REST_MIN])
        _aehnliche([w for w in selten if not w.teil])
    return Suchanfrage(text, woerter)


class VolltextQuerySetMixin:
    """`suche()` for a QuerySet whose model has a `suchvektor` kept by triggers."""

    def suche(self, anfrage):
        """Records matching a free-text query (text or Suchanfrage), with their level `rang`."""
        if isinstance(anfrage, str):
            anfrage = suchanfrage(anfrage)
        if anfrage is None:  # no word in it ("?!"): nothing to narrow down by
            return self.annotate(rang=Value(0))
        treffer = anfrage.treffer()
        # Also in the translations (hook: the model's QuerySet, atlas.uebersetzung); empty when
        # nothing translated matches, so that a German search keeps its plan.
        if hasattr(self, "uebersetzt_q") and (anders := self.uebersetzt_q(anfrage)):
            treffer |= anders
        return self.filter(treffer).annotate(rang=anfrage.relevanz())
