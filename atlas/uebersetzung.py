"""Translations of content, per field, with where they come from.

German is the source. A translation is one row per record × field × language (`Uebersetzung`),
in one table for every model: a model names its translatable fields in `uebersetzbare_felder`
(the hook). Each row says who made it and how (`herkunft`, `uebersetzt_von`), whether a person
checked it, and the hash of the German text it was made from: when the German text changes
afterwards, the translation is shown as outdated (`veraltet`) until someone saves it again.
Why a table of its own and not django-modeltranslation or django-parler: see the README,
"Translated content".
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Left
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

QUELLSPRACHE = "de"
# No stemming for translations: one configuration for seven languages, words matched as
# prefixes ("emzir" finds "emzirme").
UEBERSETZUNG_SUCHKONFIGURATION = "simple"


def zielsprachen():
    return [(code, name) for code, name in settings.LANGUAGES if code != QUELLSPRACHE]


def quell_hash(text):
    """Fingerprint of the German text a translation was made from (whitespace at the ends and
    line endings do not count)."""
    normal = "\n".join(zeile.rstrip() for zeile in (text or "").strip().splitlines())
    return hashlib.sha256(normal.encode()).hexdigest()[:16]


# quell_hash() in SQL, for lists of outdated translations (admin filter, start page): the same
# normalisation with the characters Python's str.strip() and str.splitlines() use.
_LEERZEICHEN = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_ZEILENENDEN = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LEER_IN_ZEILE = "".join(z for z in _LEERZEICHEN if z not in _ZEILENENDEN)


def _ersetzen(ausdruck, muster, ersatz):
    return Func(
        ausdruck,
        Value(muster),
        Value(ersatz),
        Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


def _sha(text):
    digest = Func(Func(text, Value("UTF8"), function="convert_to"), function="sha256")
    return Left(Func(digest, Value("hex"), function="encode", output_field=models.TextField()), 16)


def quell_hash_sql(ausdruck):
    """quell_hash() of a text expression, computed by PostgreSQL."""
    text = Coalesce(ausdruck, Value(""), output_field=models.TextField())
    text = _ersetzen(text, f"^[{_LEERZEICHEN}]+|[{_LEERZEICHEN}]+$", "")
    text = _ersetzen(text, f"\r\n|[{_ZEILENENDEN}]", "\n")
    text = _ersetzen(text, f"[{_LEER_IN_ZEILE}]+\n", "\n")
    return _sha(text)


def veraltet_q(model, sprache=None):
    """Records of `model` with a translation (in `sprache`, or any) whose German text changed
    after it was made, as a filter: one EXISTS over the translations of the record."""
    felder = model.uebersetzbare_felder
    original = Case(
        *(When(feld=feld, then=OuterRef(feld)) for feld in felder),
        output_field=models.TextField(),
    )
    zeilen = Uebersetzung.objects.filter(
        inhaltstyp=ContentType.objects.get_for_model(model),
        objekt_id=OuterRef("pk"),
        feld__in=felder,
    )
    if sprache:
        zeilen = zeilen.filter(sprache=sprache)
    # Most German texts need no normalising: their plain fingerprint matches, and PostgreSQL
    # evaluates the cheaper condition first, so the regular expressions run only for the rest.
    zeilen = (
        zeilen.annotate(roh=_sha(Coalesce(original, Value(""))), soll=quell_hash_sql(original))
        .exclude(quelle_hash=F("roh"))
        .exclude(quelle_hash=F("soll"))
    )
    return Q(Exists(zeilen))


def aktive_sprache():
    return (get_language() or QUELLSPRACHE).split("-")[0]


class Herkunft(models.TextChoices):
    ANBIETER = "anbieter", _("Anbieter")
    UEBERSETZUNG = "uebersetzung", _("Übersetzer:in")
    MASCHINELL = "maschinell", _("maschinell")


class Uebersetzung(models.Model):
    inhaltstyp = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    objekt_id = models.PositiveBigIntegerField()
    objekt = GenericForeignKey("inhaltstyp", "objekt_id")
    feld = models.CharField(_("Feld"), max_length=40)
    sprache = models.CharField(_("Sprache"), max_length=8, choices=zielsprachen)
    text = models.TextField(_("Übersetzung"))
    herkunft = models.CharField(
        _("übersetzt durch"), max_length=20, choices=Herkunft.choices, default=Herkunft.UEBERSETZUNG
    )
    uebersetzt_von = models.CharField(
        _("übersetzt von"),
        max_length=150,
        blank=True,
        help_text=_("Name, wie er öffentlich gezeigt wird („Übersetzt von …“)."),
    )
    geprueft = models.BooleanField(_("geprüft"), default=False)
    quelle_hash = models.CharField(max_length=16, editable=False)
    geaendert_am = models.DateTimeField(_("geändert am"), auto_now=True)

    # Like every record: who changed or deleted a translation, also when its record's deletion
    # takes it along (the GenericRelation cascades).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Übersetzung")
        verbose_name_plural = _("Übersetzungen")
        ordering = ["sprache", "feld"]
        constraints = [
            models.UniqueConstraint(
                fields=["inhaltstyp", "objekt_id", "feld", "sprache"],
                name="uebersetzung_eine_je_feld_und_sprache",
            )
        ]
        indexes = [
            # A page in one language reads its rows: (type, language, record).
            models.Index(fields=["inhaltstyp", "sprache", "objekt_id"], name="uebersetzung_seite"),
            GinIndex(
                SearchVector("text", config=UEBERSETZUNG_SUCHKONFIGURATION),
                name="uebersetzung_suche",
            ),
        ]

    def __str__(self):
        return f"{self.feld} ({self.sprache})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _namen_geaendert()

    def delete(self, *args, **kwargs):
        _namen_geaendert()
        return super().delete(*args, **kwargs)

    def veraltet_gegen(self, original):
        """Whether the German text changed after this translation was made."""
        return self.quelle_hash != quell_hash(original)


@dataclass
class Feldtext:
    """A field's text as a page in the visitor's language shows it."""

    text: str
    sprache: str  # the language of `text`
    uebersetzung: Uebersetzung | None = None
    veraltet: bool = False
    # Set when the page's translated texts differ in provenance: then each says its own.
    eigene_herkunft: bool = False

    @property
    def herkunft_satz(self):
        """Who translated this text and how ("" for German text)."""
        u = self.uebersetzung
        return herkunft_satz(u.herkunft, u.uebersetzt_von, u.geprueft) if u else ""

    @property
    def nur_deutsch(self):
        """German text on a page in another language (it needs lang="de")."""
        return self.sprache == QUELLSPRACHE and aktive_sprache() != QUELLSPRACHE

    @property
    def attribute(self):
        """lang="de" for German text on a page in another language, else "" (the elements
        carry dir="auto", so German text runs left to right on a right-to-left page too)."""
        return mark_safe(' lang="de"') if self.nur_deutsch and self.text else ""

    def __str__(self):
        return self.text


class UebersetzbarMixin:
    """For a model with translatable texts: `texte` in the visitor's language (a list sets them
    for all its rows at once with texte_anhaengen)."""

    uebersetzbare_felder = ()

    @cached_property
    def texte(self):
        texte_anhaengen([self])
        return self.__dict__["texte"]


def uebersetzungen(objekte, sprache, felder=None):
    """{(pk, field): Uebersetzung} of these records (one model) in one language: one query."""
    objekte = list(objekte)
    if not objekte or sprache == QUELLSPRACHE:
        return {}
    zeilen = Uebersetzung.objects.filter(
        inhaltstyp=ContentType.objects.get_for_model(objekte[0]),
        sprache=sprache,
        objekt_id__in=[o.pk for o in objekte],
    )
    if felder:
        zeilen = zeilen.filter(feld__in=felder)
    return {(u.objekt_id, u.feld): u for u in zeilen}


def texte_anhaengen(objekte, felder=None, sprache=None):
    """Give each record `texte`: {field: Feldtext} in the active language, German where no
    translation exists. One query for all records."""
    objekte = list(objekte)
    if not objekte:
        return objekte
    sprache = sprache or aktive_sprache()
    felder = felder or type(objekte[0]).uebersetzbare_felder
    vorhanden = uebersetzungen(objekte, sprache, felder)
    for objekt in objekte:
        texte = {}
        for feld in felder:
            original = getattr(objekt, feld)
            u = vorhanden.get((objekt.pk, feld))
            if u and original:
                texte[feld] = Feldtext(u.text, sprache, u, u.veraltet_gegen(original))
            else:
                texte[feld] = Feldtext(original, QUELLSPRACHE)
        if len(_herkuenfte(texte)) > 1:
            for t in texte.values():
                t.eigene_herkunft = t.uebersetzung is not None
        objekt.texte = texte
    return objekte


def _herkuenfte(texte):
    """The distinct provenances of the translated, non-empty texts, in page order."""
    return list(
        dict.fromkeys(
            (t.uebersetzung.herkunft, t.uebersetzung.uebersetzt_von, t.uebersetzung.geprueft)
            for t in texte.values()
            if t.text and t.uebersetzung
        )
    )


def herkunft_satz(herkunft, von, geprueft):
    """The sentence telling a visitor who made a translation and how."""
    from django.utils.translation import gettext as _g

    if herkunft == Herkunft.MASCHINELL:
        if geprueft and von:
            return _g("Automatisch übersetzt, geprüft von %(von)s.") % {"von": von}
        if geprueft:
            return _g("Automatisch übersetzt und geprüft.")
        return _g("Automatisch übersetzt – ungeprüft.")
    if herkunft == Herkunft.ANBIETER:
        return (
            _g("Übersetzt von %(von)s (Anbieter).") % {"von": von}
            if von
            else _g("Vom Anbieter übersetzt.")
        )
    return (
        _g("Übersetzt von %(von)s.") % {"von": von}
        if von
        else _g("Von einer Übersetzerin oder einem Übersetzer übersetzt.")
    )


def herkunft_saetze(texte):
    """What the visitor is told about the translations on a page (no sentence on German pages)."""
    from django.utils.translation import gettext as _g

    if aktive_sprache() == QUELLSPRACHE:
        return []
    gefuellt = [t for t in texte.values() if t.text]
    uebersetzt = [t.uebersetzung for t in gefuellt if t.uebersetzung]
    herkuenfte = _herkuenfte(texte)
    if len(herkuenfte) > 1:
        # Each text says its own (Feldtext.eigene_herkunft); one sentence points there.
        saetze = [
            _g("Diese Angaben wurden auf verschiedene Weise übersetzt: bei jeder steht, wie.")
        ]
    else:
        saetze = [herkunft_satz(*h) for h in herkuenfte]
    if not uebersetzt and gefuellt:
        saetze.append(
            _g("Diese Angaben gibt es noch nicht in Ihrer Sprache: hier steht der deutsche Text.")
        )
    elif len(uebersetzt) < len(gefuellt):
        saetze.append(_g("Manche Angaben gibt es nur auf Deutsch."))
    if any(t.veraltet for t in gefuellt):
        saetze.append(
            _g(
                "Der deutsche Text wurde nach der Übersetzung geändert: "
                "die markierten Abschnitte sind vielleicht nicht mehr aktuell."
            )
        )
    return saetze


def _tsquery(woerter, praefix):
    teile = ("'" + w.lower().replace("\\", "\\\\").replace("'", "''") + "'" for w in woerter)
    return " & ".join(t + (":*" if praefix else "") for t in teile)


def uebersetzt_treffer(modelle, text, grenze=2000):
    """{model: [ids]} of the records of these models whose translation has every word of
    `text`: in the visitor's language also as beginnings of words ("emzir" on a Turkish page),
    in the others as whole words only (so that German "Kurs" does not find Turkish "kursu").
    At most `grenze` ids per model (any of them, not the first by id), so that many offerings
    cannot crowd out a topic.

    One query, a union of one part per model and condition, each with its own limit: PostgreSQL
    stops reading rows when it has enough, and a small model (topics) is read through the type
    index. On the bench copy (125k Arabic translations, an Arabic word in 20k of them) this took
    17 ms where one query over all models took 200 ms to sort every match, and an OR of the two
    conditions 470 ms to recompute the text vector of every matching row."""
    woerter = (text or "").split()[:8]
    if not woerter:
        return {}
    typen = ContentType.objects.get_for_models(*modelle)
    sql, parameter = _treffer_sql(typen, aktive_sprache(), grenze)
    abfragen = {WOERTER[False]: _tsquery(woerter, False), WOERTER[True]: _tsquery(woerter, True)}
    parameter = [abfragen.get(p, p) if isinstance(p, str) else p for p in parameter]
    with connections[Uebersetzung.objects.db].cursor() as cursor:
        cursor.execute(sql, parameter)
        gefunden = cursor.fetchall()
    nach_typ = {typ.pk: model for model, typ in typen.items()}
    ergebnis = {}
    for typ, objekt_id in sorted(gefunden):
        ids = ergebnis.setdefault(nach_typ[typ], [])
        if len(ids) < grenze:
            ids.append(objekt_id)
    return ergebnis


# uebersetzt_treffer()'s statement per (content types, language, limit), compiled once: only
# its words change, and compiling the up to six parts through the ORM on every search cost
# about 10,000 Python calls (a tenth of an Arabic list request). The words are bound in place
# of these stand-ins (False: whole words, True: also as beginnings).
_TREFFER_SQL = {}
WOERTER = {False: "\uffffwoerter\uffff", True: "\uffffwoerter:*\uffff"}


def _treffer_sql(typen, sprache, grenze):
    """(SQL, parameters with WOERTER as stand-ins) of uebersetzt_treffer()."""
    schluessel = (tuple((model._meta.label, typ.pk) for model, typ in typen.items()), sprache)
    if (schluessel, grenze) in _TREFFER_SQL:
        return _TREFFER_SQL[schluessel, grenze]
    bedingungen = [(False, {})]
    if sprache != QUELLSPRACHE:
        bedingungen.append((True, {"sprache": sprache}))
    sql, parameter = [], []
    for typ in typen.values():
        for praefix, bedingung in bedingungen:
            abfrage = SearchQuery(
                WOERTER[praefix], config=UEBERSETZUNG_SUCHKONFIGURATION, search_type="raw"
            )
            teil = (
                Uebersetzung.objects.annotate(
                    v=SearchVector("text", config=UEBERSETZUNG_SUCHKONFIGURATION)
                )
                .filter(v=abfrage, inhaltstyp=typ, **bedingung)
                .order_by()
                .values_list("inhaltstyp_id", "objekt_id")[:grenze]
            )
            teil_sql, teil_parameter = teil.query.sql_with_params()
            sql.append(f"({teil_sql})")
            parameter += teil_parameter
    ergebnis = _TREFFER_SQL[schluessel, grenze] = (" UNION ".join(sql), tuple(parameter))
    return ergebnis


def treffer_q(ids):
    """A filter on these primary keys as one array parameter: up to `grenze` ids from
    uebersetzt_treffer() as one value, not thousands of placeholders (the list's cache key
    spelled every one of them out: 177 ms of a 476 ms request on the bench copy)."""
    return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))) if ids else Q()


# Names of vocabularies (topics, target groups) by language, kept in each process: a filter
# list shows dozens of them. Saving or deleting a translation raises a version number in the
# shared cache (Redis with REDIS_URL); each process compares it at most every
# NAMEN_VERSION_PRUEFEN seconds and reloads when it changed, so a change shows on every server
# within a second. Without a shared cache (one server, per-process memory) the others' copies
# expire after NAMEN_GUELTIG seconds.
_NAMEN = {}
NAMEN_GUELTIG = 60
NAMEN_VERSION_PRUEFEN = 1
NAMEN_VERSION_SCHLUESSEL = "atlas:uebersetzung:namen-version"
_version = {"wert": None, "geprueft": float("-inf")}


def _namen_version():
    """The shared version of the names, read from the cache at most every few seconds."""
    jetzt = time.monotonic()
    if jetzt - _version["geprueft"] >= NAMEN_VERSION_PRUEFEN:
        _version["wert"] = cache.get(NAMEN_VERSION_SCHLUESSEL)
        _version["geprueft"] = jetzt
    return _version["wert"]


def namen_version_erhoehen():
    """Tell every process that translated names changed."""
    try:
        cache.incr(NAMEN_VERSION_SCHLUESSEL)
    except ValueError:
        # No version yet (or evicted): start from the clock, never from a number used before.
        cache.set(NAMEN_VERSION_SCHLUESSEL, time.time_ns(), None)


def _namen_geaendert():
    _NAMEN.clear()
    _version["geprueft"] = float("-inf")
    namen_version_erhoehen()
    # Again after the commit: a process that reloaded in between read the old rows.
    transaction.on_commit(namen_version_erhoehen)


def uebersetzter_name(objekt, feld="name"):
    """A vocabulary entry's name in the active language, German where none is translated."""
    namen = uebersetzte_namen(type(objekt), feld)
    return (namen and namen.get(objekt.pk)) or getattr(objekt, feld)


def uebersetzte_namen(modell, feld="name"):
    """{id: name} of a vocabulary's entries translated into the active language, None in
    German: what uebersetzter_name reads for one entry, for a whole list at once (a filter
    form names dozens)."""
    sprache = aktive_sprache()
    if sprache == QUELLSPRACHE:
        return None
    schluessel = (modell._meta.label, feld, sprache)
    version = _namen_version()
    eintrag = _NAMEN.get(schluessel)
    if eintrag is None or eintrag[0] < time.monotonic() or eintrag[2] != version:
        namen = dict(
            Uebersetzung.objects.filter(
                inhaltstyp=ContentType.objects.get_for_model(modell), sprache=sprache, feld=feld
            ).values_list("objekt_id", "text")
        )
        eintrag = _NAMEN[schluessel] = (time.monotonic() + NAMEN_GUELTIG, namen, version)
    return eintrag[1]
