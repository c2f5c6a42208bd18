"""Gap analysis: published offerings per life phase × Sozialraum, per 1,000 children.

The Präventionskette's life phases (angebote.LEBENSPHASEN) are the rows, the parts of a chosen
region the columns (the region itself when it has none, and the whole region at the end).
A cell counts the region's published offerings for families (the public list's rules:
`in_region`, `in_lebensphase`, the chosen filters), and per 1,000 children of the band where
the Jugendamt has entered a population figure (the latest year). Empty and thin cells are
marked in words and colour; each cell links to the same offerings in the public list.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from akteure.models import Akteur, Region
from angebote.models import LEBENSPHASEN, Angebot, lebensphase_q
from atlas.diagramme import flaechen_pfade, stufe, stufengrenzen
from atlas.planung import mit_zufallszugriff
from atlas.tabellen import KOMMAZAHL, ZAHL, Spalte, neutral

from .models import Bevoelkerung

# At most this many offerings: a thin cell. Fewer than half the per-1,000 mean of its row: thin.
DUENN_HOECHSTENS = 2


@dataclass
class Zelle:
    anzahl: int
    url: str
    bevoelkerung: int | None = None
    je_1000: float | None = None
    demo: bool = False
    klasse: str = ""  # "leer", "duenn" or ""


@dataclass
class Bedarfstabelle:
    raeume: list  # the columns (Sozialraum), the whole region last when it has parts
    zeilen: list  # [(Lebensphase, [Zelle per column])]
    mit_gesamt: bool
    demo: bool  # some population figure shown is a demo figure
    jahre: list  # the years of the population figures shown


def bedarfstabelle(region, angebote, filter_abfrage):
    """The table for `region` (a Sozialraum) over `angebote` (published offerings, filtered);
    `filter_abfrage` ([(name, value)]) is added to each cell's link to the offerings list."""
    teile = list(region.untergeordnete.order_by("name"))
    raeume = [*teile, region] if teile else [region]
    anzahlen = dict(zip((r.pk for r in raeume), anzahlen_je_raum(angebote, raeume), strict=True))
    bevoelkerung = Bevoelkerung.objects.neueste(raeume)
    liste = reverse("angebote:angebot_list")
    zeilen, demo, jahre = [], False, set()
    for i, phase in enumerate(LEBENSPHASEN):
        zellen = []
        for raum in raeume:
            anzahl = anzahlen[raum.pk][i]
            abfrage = urlencode([("sozialraum", raum.slug), ("phase", phase.slug), *filter_abfrage])
            zelle = Zelle(anzahl=anzahl, url=f"{liste}?{abfrage}")
            zahl = bevoelkerung.get((raum.pk, phase.slug))
            if zahl is not None:
                zelle.bevoelkerung = zahl.anzahl
                zelle.demo = zahl.demo
                demo |= zahl.demo
                jahre.add(zahl.jahr)
                if zahl.anzahl:
                    zelle.je_1000 = round(anzahl * 1000 / zahl.anzahl, 1)
            zellen.append(zelle)
        # The parts compare with each other; the whole region only with the fixed limit.
        _markieren(zellen[: len(teile)] if teile else zellen)
        if teile:
            _markieren(zellen[-1:])
        zeilen.append((phase, zellen))
    return Bedarfstabelle(
        raeume=raeume, zeilen=zeilen, mit_gesamt=bool(teile), demo=demo, jahre=sorted(jahre)
    )


def _wahr(bedingung):
    """A boolean column for `bedingung` (False, not NULL, where SQL would say unknown)."""
    return Case(
        When(bedingung, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def anzahlen_je_raum(angebote, raeume):
    """For each of `raeume` (a region's direct parts, the region itself last – or the region
    alone), the number of `angebote` in it per life phase: [[n per LEBENSPHASEN] per area].

    The same as `angebote.in_region(raum).in_lebensphase(phase).count()` for each cell, in one
    grouped statement over the offerings (plus the few small look-ups of in_region, done once
    for all areas): each offering gets a yes/no per area and per life phase, and the groups of
    equal answers are counted."""
    regionen = Region.mit_teilen(raeume[-1], raeume[:-1])
    # Offerings whose Einzugsgebiet lies in or covers an area (as in_region), read once.
    gebiete = defaultdict(set)
    for angebot_id, raum_id in Angebot.einzugsgebiet.through.objects.filter(
        sozialraum_id__in=sorted({pk for r in regionen for pk in (*r.teile, *r.obere)})
    ).values_list("angebot_id", "sozialraum_id"):
        gebiete[raum_id].add(angebot_id)
    im_gebiet = [
        sorted(set().union(*(gebiete[pk] for pk in {*r.teile, *r.obere}))) for r in regionen
    ]

    def anbieter_in(r, pfad=""):
        return r.lage(standort=f"{pfad}standort", plz=f"{pfad}plz") | Q(
            **{f"{pfad}sozialraum_id__in": r.teile}
        )

    def drin(i):
        """In area i, as in_region, the provider read through the offering's join to it."""
        q = regionen[i].lage() | anbieter_in(regionen[i], "anbieter__")
        return q | Q(pk__in=im_gebiet[i]) if im_gebiet[i] else q

    # Which offerings to look at: the same conditions for all areas at once, on this table's
    # indexes (PLZ, GiST on standort, anbieter_id with the providers' ids, primary key).
    alle_plz = sorted({p for r in regionen for p in r.plz})
    flaechen = [r.flaeche for r in regionen if r.flaeche is not None]
    anbieter = Akteur.objects.filter(reduce(or_, (anbieter_in(r) for r in regionen)))
    kandidaten = Q(anbieter_id__in=list(anbieter.order_by().values_list("pk", flat=True)))
    if alle_plz:
        kandidaten |= Q(plz__in=alle_plz)
    for flaeche in {f.ewkb: f for f in flaechen}.values():
        kandidaten |= Q(standort__intersects=flaeche)
    if alle_gebiet := sorted(set().union(*im_gebiet)):
        kandidaten |= Q(pk__in=alle_gebiet)
    raum_spalten = {f"r{i}": _wahr(drin(i)) for i in range(len(regionen))}
    phase_spalten = {f"p{j}": _wahr(lebensphase_q(p)) for j, p in enumerate(LEBENSPHASEN)}
    gruppen = (
        angebote.order_by()
        .filter(kandidaten)
        .values(**raum_spalten, **phase_spalten)
        .annotate(n=Count("pk"))
    )
    anzahlen = [[0] * len(LEBENSPHASEN) for _ in regionen]
    for gruppe in mit_zufallszugriff(gruppen):
        for i, zeile in enumerate(anzahlen):
            if gruppe[f"r{i}"]:
                for j in range(len(LEBENSPHASEN)):
                    if gruppe[f"p{j}"]:
                        zeile[j] += gruppe["n"]
    return anzahlen


def _markieren(zellen):
    """Empty: no offering. Thin: at most DUENN_HOECHSTENS, or under half the row's mean per
    1,000 children (among the cells with a population figure)."""
    quoten = [z.je_1000 for z in zellen if z.je_1000 is not None]
    mittel = sum(quoten) / len(quoten) if quoten else None
    for z in zellen:
        if z.anzahl == 0:
            z.klasse = "leer"
        elif z.anzahl <= DUENN_HOECHSTENS or (
            mittel and z.je_1000 is not None and z.je_1000 < mittel / 2
        ):
            z.klasse = "duenn"


def choropleth(tabelle, phase_slug, mass):
    """The map of one row (`phase_slug`) and measure ("anzahl" or "je_1000") over the parts
    that have a boundary: {"flaechen": [(raum, path, class, value)], "grenzen", "hoehe",
    "ohne_grenze", "quellen"}, or None when no part has one."""
    raeume = tabelle.raeume[:-1] if tabelle.mit_gesamt else tabelle.raeume
    pfade, hoehe = flaechen_pfade({r.pk: r.flaeche for r in raeume})
    if not pfade:
        return None
    zellen = next(z for p, z in tabelle.zeilen if p.slug == phase_slug)
    werte = {r.pk: getattr(z, mass) for r, z in zip(raeume, zellen, strict=False)}
    grenzen = stufengrenzen([werte[pk] for pk in pfade])
    flaechen = []
    for raum in raeume:
        if raum.pk in pfade:
            wert = werte[raum.pk]
            klasse = "stufe-keine" if wert is None else f"stufe-{stufe(wert, grenzen)}"
            flaechen.append((raum, pfade[raum.pk], klasse, wert))
    return {
        "flaechen": flaechen,
        "grenzen": grenzen,
        "hoehe": hoehe,
        # Parts the map cannot show, and where the boundaries it shows come from.
        "ohne_grenze": [r for r in raeume if r.pk not in pfade],
        "quellen": sorted({r.flaeche_quelle for r, *_ in flaechen if r.flaeche_quelle}),
    }


def spaltenname(tabelle, raum):
    """The column's heading as the page shows it: the whole region last is "ganz …"."""
    if tabelle.mit_gesamt and raum is tabelle.raeume[-1]:
        return _("ganz %(name)s") % {"name": raum.name}
    return raum.name


def markierung(zelle):
    return {"leer": _("Lücke"), "duenn": _("wenig")}.get(zelle.klasse, "")


def datei_spalten(tabelle):
    """The table's columns for a file: the life phase, then per area its count, the count
    per 1,000 children and the mark – the cells of the page, each value typed."""
    spalten = [Spalte(_("Lebensphase"), "lebensphase", breite=34)]
    for raum in tabelle.raeume:
        name = spaltenname(tabelle, raum)
        spalten += [
            Spalte(_("%(raum)s: Angebote") % {"raum": name}, "anzahl", ZAHL, breite=14),
            Spalte(_("%(raum)s: je 1.000 Kinder") % {"raum": name}, "je_1000", KOMMAZAHL),
            Spalte(_("%(raum)s: Markierung") % {"raum": name}, "markierung", breite=12),
        ]
    return spalten


def datei_zeilen(tabelle, format):
    """The rows as strings for csv_zeile() ("csv": decimal comma for German Excel) or
    xlsx_schreiben() ("xlsx": numbers as XML numbers); no value: ""."""
    zeilen = []
    for phase, zellen in tabelle.zeilen:
        zeile = [neutral(str(phase.name))]
        for z in zellen:
            je_1000 = "" if z.je_1000 is None else f"{z.je_1000:.1f}"
            if format == "csv":
                je_1000 = je_1000.replace(".", ",")
            zeile += [str(z.anzahl), je_1000, markierung(z)]
        zeilen.append(zeile)
    return zeilen
