"""The Netzwerkkarte: who works with whom, as a graph laid out by Graphviz and drawn as SVG.

Nodes are the networks and their partners (by Einrichtungsart); edges are partnerships and
shared published offerings (provider and Kooperationspartner, or two Kooperationspartner of one
offering). An actor that is a partner in more than one published network is a bridge; a partner
without any shared offering is isolated. Everything is public data (published records only).

Graphviz `neato` (Debian package `graphviz`, installed by scripts/setup.sh) computes the
positions (`-Tplain`); the SVG itself is drawn by our template, so it has a title, a
description, CSS classes instead of inline styles and no script. Without `neato` the nodes stand
on a circle, so the page never fails.
"""

import math
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from angebote.models import Angebot
from netzwerke.models import Partnerschaft

# Beyond this many nodes a drawing is no longer readable: the tables stand alone.
HOECHSTENS_KNOTEN = 250
ZOLL = 72  # Graphviz works in inches; the SVG in points.
RAND = 40


@dataclass
class Knoten:
    schluessel: str  # "n<pk>" for a network, "a<pk>" for an actor
    art: str  # "netzwerk" or "akteur"
    name: str
    url: str
    einrichtungsart: str = ""
    bereich: str = ""
    netzwerke: list = field(default_factory=list)  # an actor's networks (names), all published
    verbindungen: int = 0
    bruecke: bool = False
    isoliert: bool = False
    x: float = 0.0
    y: float = 0.0

    @property
    def kurzname(self):
        return self.name if len(self.name) <= 26 else self.name[:25] + "…"


@dataclass
class Kante:
    von: Knoten
    nach: Knoten
    art: str  # "partnerschaft", "koordination" or "kooperation"
    angebote: list = field(default_factory=list)  # titles of the shared offerings

    @property
    def beschreibung(self):
        if self.art == "koordination":
            return _("koordiniert das Netzwerk")
        if self.art == "partnerschaft":
            return _("Partner im Netzwerk")
        return _("gemeinsame Angebote: %(titel)s") % {"titel": ", ".join(self.angebote)}


@dataclass
class Netzwerkkarte:
    knoten: list
    kanten: list
    breite: float = 0
    hoehe: float = 0
    gezeichnet: bool = False

    @property
    def akteure(self):
        return sorted(
            (k for k in self.knoten if k.art == "akteur"), key=lambda k: (-k.verbindungen, k.name)
        )

    @property
    def netzwerke(self):
        return [k for k in self.knoten if k.art == "netzwerk"]

    @property
    def bruecken(self):
        return [k for k in self.akteure if k.bruecke]

    @property
    def isolierte(self):
        return [k for k in self.akteure if k.isoliert]

    @property
    def kooperationen(self):
        return [k for k in self.kanten if k.art == "kooperation"]

    @property
    def verbindungen_je_akteur(self):
        akteure = self.akteure
        if not akteure:
            return 0.0
        return round(sum(k.verbindungen for k in akteure) / len(akteure), 1)


def netzwerkkarte_bauen(netzwerke):
    """The graph of the published networks in `netzwerke` (a queryset) and their partners."""
    partnerschaften = list(
        Partnerschaft.objects.veroeffentlicht()
        .filter(netzwerk__in=netzwerke.values("pk"))
        .select_related("akteur__einrichtungsart", "netzwerk")
        .order_by("netzwerk__name", "akteur__name", "pk")
    )
    knoten, kanten = {}, []
    akteur_ids = {p.akteur_id for p in partnerschaften}
    # Every published network of these actors: a bridge is drawn with its other networks.
    alle = (
        Partnerschaft.objects.veroeffentlicht()
        .filter(akteur_id__in=akteur_ids)
        .select_related("akteur__einrichtungsart", "netzwerk")
        .order_by("netzwerk__name", "akteur__name", "pk")
    )
    netzwerke_je_akteur = defaultdict(list)
    for p in alle:
        netzwerke_je_akteur[p.akteur_id].append(p.netzwerk.name)
        n = knoten.setdefault(
            f"n{p.netzwerk_id}",
            Knoten(f"n{p.netzwerk_id}", "netzwerk", p.netzwerk.name, p.netzwerk.get_absolute_url()),
        )
        a = knoten.setdefault(
            f"a{p.akteur_id}",
            Knoten(
                f"a{p.akteur_id}",
                "akteur",
                p.akteur.name,
                p.akteur.get_absolute_url(),
                einrichtungsart=p.akteur.einrichtungsart.name,
                bereich=p.akteur.einrichtungsart.bereich,
            ),
        )
        art = "koordination" if p.rolle == Partnerschaft.Rolle.KOORDINATION else "partnerschaft"
        kanten.append(Kante(n, a, art))
    for schluessel, namen in netzwerke_je_akteur.items():
        a = knoten[f"a{schluessel}"]
        a.netzwerke = namen
        a.bruecke = len(namen) > 1

    # Shared published offerings among these actors (provider or Kooperationspartner).
    beteiligte = defaultdict(set)
    titel = {}
    durch = Angebot.kooperationspartner.through.objects.filter(
        akteur_id__in=akteur_ids,
        angebot__in=Angebot.objects.veroeffentlicht().values("pk"),
    ).values_list("angebot_id", "angebot__anbieter_id", "akteur_id", "angebot__titel")
    for angebot_id, anbieter_id, partner_id, angebot_titel in durch:
        beteiligte[angebot_id].add(partner_id)
        if anbieter_id in akteur_ids:
            beteiligte[angebot_id].add(anbieter_id)
        titel[angebot_id] = angebot_titel
    paare = defaultdict(list)
    for angebot_id, ids in beteiligte.items():
        for a, b in combinations(sorted(ids), 2):
            paare[(a, b)].append(titel[angebot_id])
    for (a, b), angebote in sorted(paare.items()):
        kanten.append(Kante(knoten[f"a{a}"], knoten[f"a{b}"], "kooperation", sorted(angebote)))

    nachbarn = defaultdict(set)
    for k in kanten:
        nachbarn[k.von.schluessel].add(k.nach.schluessel)
        nachbarn[k.nach.schluessel].add(k.von.schluessel)
    kooperierend = {s.schluessel for k in kanten if k.art == "kooperation" for s in (k.von, k.nach)}
    for k in knoten.values():
        k.verbindungen = len(nachbarn[k.schluessel])
        k.isoliert = k.art == "akteur" and k.schluessel not in kooperierend
    karte = Netzwerkkarte(
        knoten=sorted(knoten.values(), key=lambda k: (k.art != "netzwerk", k.name, k.schluessel)),
        kanten=kanten,
    )
    if 0 < len(karte.knoten) <= HOECHSTENS_KNOTEN:
        anordnen(karte)
    return karte


def dot_text(karte):
    """The graph in Graphviz's DOT language; node names are our keys (n12, a34)."""
    zeilen = [
        "graph G {",
        '  graph [overlap=false, splines=false, sep="+20", start=1];',
        "  node [shape=circle, fixedsize=true, width=0.35];",
    ]
    for k in karte.knoten:
        breite = 0.6 if k.art == "netzwerk" else 0.35
        zeilen.append(f"  {k.schluessel} [width={breite}];")
    for k in karte.kanten:
        laenge = 3.0 if k.art == "kooperation" else 2.4
        zeilen.append(f"  {k.von.schluessel} -- {k.nach.schluessel} [len={laenge}];")
    zeilen.append("}")
    return "\n".join(zeilen)


def graphviz_positionen(dot):
    """{node: (x, y)} in inches from `neato -Tplain`, or None when Graphviz is not there or
    fails (then the caller lays the nodes out itself)."""
    programm = shutil.which("neato")
    if programm is None:
        return None
    try:
        ergebnis = subprocess.run(
            [programm, "-Tplain"], input=dot, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if ergebnis.returncode != 0:
        return None
    positionen = {}
    for zeile in ergebnis.stdout.splitlines():
        teile = zeile.split()
        if len(teile) >= 4 and teile[0] == "node":
            positionen[teile[1]] = (float(teile[2]), float(teile[3]))
    return positionen


def anordnen(karte):
    """Positions in SVG points: Graphviz neato, else a circle."""
    positionen = graphviz_positionen(dot_text(karte))
    if not positionen or len(positionen) != len(karte.knoten):
        anzahl = len(karte.knoten)
        radius = max(1.5, anzahl * 0.25)
        positionen = {
            k.schluessel: (
                radius + radius * math.cos(2 * math.pi * i / anzahl),
                radius + radius * math.sin(2 * math.pi * i / anzahl),
            )
            for i, k in enumerate(karte.knoten)
        }
    xs = [x for x, _ in positionen.values()]
    ys = [y for _, y in positionen.values()]
    for k in karte.knoten:
        x, y = positionen[k.schluessel]
        k.x = round((x - min(xs)) * ZOLL + RAND + 60, 1)
        # Graphviz counts y upwards, SVG downwards.
        k.y = round((max(ys) - y) * ZOLL + RAND, 1)
    karte.breite = round((max(xs) - min(xs)) * ZOLL + 2 * RAND + 120, 1)
    karte.hoehe = round((max(ys) - min(ys)) * ZOLL + 2 * RAND, 1)
    karte.gezeichnet = True


# --- Files -------------------------------------------------------------------------------------


def graphml(karte, titel):
    """The graph as GraphML (yEd, Gephi, Cytoscape read it), nodes with type and metrics."""
    teile = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        '  <key id="name" for="node" attr.name="name" attr.type="string"/>\n'
        '  <key id="art" for="node" attr.name="art" attr.type="string"/>\n'
        '  <key id="einrichtungsart" for="node" attr.name="einrichtungsart" attr.type="string"/>\n'
        '  <key id="verbindungen" for="node" attr.name="verbindungen" attr.type="int"/>\n'
        '  <key id="bruecke" for="node" attr.name="bruecke" attr.type="boolean"/>\n'
        '  <key id="isoliert" for="node" attr.name="isoliert" attr.type="boolean"/>\n'
        '  <key id="beziehung" for="edge" attr.name="beziehung" attr.type="string"/>\n'
        '  <key id="angebote" for="edge" attr.name="angebote" attr.type="string"/>\n'
        f'  <graph id={quoteattr(titel)} edgedefault="undirected">\n'
    ]
    for k in karte.knoten:
        teile.append(
            f'    <node id="{k.schluessel}">'
            f'<data key="name">{escape(k.name)}</data>'
            f'<data key="art">{k.art}</data>'
            f'<data key="einrichtungsart">{escape(k.einrichtungsart)}</data>'
            f'<data key="verbindungen">{k.verbindungen}</data>'
            f'<data key="bruecke">{str(k.bruecke).lower()}</data>'
            f'<data key="isoliert">{str(k.isoliert).lower()}</data></node>\n'
        )
    for i, k in enumerate(karte.kanten):
        teile.append(
            f'    <edge id="e{i}" source="{k.von.schluessel}" target="{k.nach.schluessel}">'
            f'<data key="beziehung">{k.art}</data>'
            f'<data key="angebote">{escape("; ".join(k.angebote))}</data></edge>\n'
        )
    teile.append("  </graph>\n</graphml>\n")
    return "".join(teile)


def csv_zeilen(karte):
    """The relations as rows for a CSV: header first."""
    kopf = [
        _("Von"),
        _("Von: Art"),
        _("Nach"),
        _("Nach: Einrichtungsart"),
        _("Beziehung"),
        _("Gemeinsame Angebote"),
        _("Nach: Brücke"),
    ]
    arten = {
        "koordination": _("Koordination"),
        "partnerschaft": _("Partnerschaft"),
        "kooperation": _("Kooperation"),
    }
    zeilen = [kopf]
    for k in karte.kanten:
        zeilen.append(
            [
                k.von.name,
                _("Netzwerk") if k.von.art == "netzwerk" else k.von.einrichtungsart,
                k.nach.name,
                k.nach.einrichtungsart,
                arten[k.art],
                "; ".join(k.angebote),
                _("ja") if k.nach.bruecke else _("nein"),
            ]
        )
    return zeilen
