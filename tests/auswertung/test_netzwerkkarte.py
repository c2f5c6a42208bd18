"""The Netzwerkkarte: graph, metrics, tables and files (issue 14, point 3)."""

import re
import xml.etree.ElementTree as ET

import pytest

from atlas.models import Status
from auswertung.netzwerkkarte import netzwerkkarte_bauen
from netzwerke.models import Netzwerk, Partnerschaft
from tests.exportdateien import csv_tabelle, inhalt
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    SozialraumFactory,
    einrichtungsart,
)
from tests.seiten import text

pytestmark = pytest.mark.django_db
KOORDINATION = Partnerschaft.Rolle.KOORDINATION


@pytest.fixture
def zwei_netze():
    """Netz A (Kita koordiniert, Schule, Sportverein), Netz B (Jobcenter, Kita): the Kita is a
    bridge; Kita and Schule run an offering together; the Sportverein is isolated."""
    region = SozialraumFactory(name="Beispielkreis", slug="beispielkreis", ebene="kreis")
    a = NetzwerkFactory(name="Netz A", slug="netz-a", region=region)
    b = NetzwerkFactory(name="Netz B", slug="netz-b", region=region)
    kita = AkteurFactory(name="Kita Sonne", einrichtungsart=einrichtungsart("kita"))
    schule = AkteurFactory(name="Schule Mond", einrichtungsart=einrichtungsart("grundschule"))
    verein = AkteurFactory(name="TSV Stern", einrichtungsart=einrichtungsart("sportverein"))
    jobcenter = AkteurFactory(
        name="Jobcenter", einrichtungsart=einrichtungsart("jobcenter-agentur-fur-arbeit")
    )
    PartnerschaftFactory(netzwerk=a, akteur=kita, rolle=KOORDINATION)
    PartnerschaftFactory(netzwerk=a, akteur=schule)
    PartnerschaftFactory(netzwerk=a, akteur=verein)
    PartnerschaftFactory(netzwerk=b, akteur=jobcenter)
    PartnerschaftFactory(netzwerk=b, akteur=kita)
    AngebotFactory(titel="Lesecafé", anbieter=kita, kooperationspartner=[schule])
    # A draft offering makes no link.
    AngebotFactory(
        titel="Entwurf", anbieter=verein, kooperationspartner=[schule], status=Status.ENTWURF
    )
    return a, b


def test_graph_of_one_network_with_bridge_cooperation_and_isolated_partner(zwei_netze):
    a, _b = zwei_netze
    karte = netzwerkkarte_bauen(Netzwerk.objects.filter(pk=a.pk))
    assert [k.name for k in karte.netzwerke] == ["Netz A", "Netz B"]
    assert [(k.name, k.verbindungen, k.bruecke, k.isoliert) for k in karte.akteure] == [
        ("Kita Sonne", 3, True, False),
        ("Schule Mond", 2, False, False),
        ("TSV Stern", 1, False, True),
    ]
    assert [(k.von.name, k.nach.name, k.art, k.angebote) for k in karte.kooperationen] == [
        ("Kita Sonne", "Schule Mond", "kooperation", ["Lesecafé"])
    ]
    assert karte.verbindungen_je_akteur == 2.0
    assert karte.gezeichnet
    assert all(k.x > 0 and k.y > 0 for k in karte.knoten)


def test_page_draws_svg_and_the_accessible_tables(client, zwei_netze):
    antwort = client.get("/netzwerke/netz-a/netzwerkkarte/")
    seite = antwort.content.decode()
    svg = re.search(r'<svg class="diagramm__svg graph__svg".*?</svg>', seite, re.S).group(0)
    assert svg.count("<circle") == 3 and svg.count("<rect") == 2
    assert svg.count("graph__kante--kooperation") == 1
    assert "<script" not in seite.split("<main")[-1].split("</main>")[0]
    kennzahlen = re.search(r'<dl class="angaben kennzahlen">(.*?)</dl>', seite, re.S).group(1)
    assert text(kennzahlen) == (
        "Netzwerke 2 Partner (Akteure) 3 Verbindungen je Akteur (Durchschnitt) 2,0 "
        "Kooperationen (gemeinsame Angebote) 1 Brücken (in mehreren Netzwerken) 1: Kita Sonne "
        "Isolierte Partner (ohne gemeinsames Angebot) 1: TSV Stern"
    )
    beziehungen = re.search(
        r'<section aria-labelledby="beziehungen-titel">.*?<tbody>(.*?)</tbody>', seite, re.S
    ).group(1)
    assert [text(z) for z in re.findall(r"<tr>(.*?)</tr>", beziehungen, re.S)] == [
        "Netz A Kita Sonne koordiniert das Netzwerk",
        "Netz A Schule Mond Partner im Netzwerk",
        "Netz A TSV Stern Partner im Netzwerk",
        "Netz B Kita Sonne Partner im Netzwerk",
        "Kita Sonne Schule Mond gemeinsame Angebote: Lesecafé",
    ]


def test_files_graphml_and_csv(client, zwei_netze):
    antwort = client.get("/netzwerke/netz-a/netzwerkkarte.graphml")
    assert antwort["Content-Type"] == "application/graphml+xml"
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    graph = ET.fromstring(inhalt(antwort)).find("g:graph", ns)
    assert len(graph.findall("g:node", ns)) == 5
    assert len(graph.findall("g:edge", ns)) == 5
    bruecken = [
        n.find("g:data[@key='name']", ns).text
        for n in graph.findall("g:node", ns)
        if n.find("g:data[@key='bruecke']", ns).text == "true"
    ]
    assert bruecken == ["Kita Sonne"]

    kopf, zeilen = csv_tabelle(client.get("/netzwerke/netz-a/netzwerkkarte.csv"))
    assert kopf == [
        "Von",
        "Von: Art",
        "Nach",
        "Nach: Einrichtungsart",
        "Beziehung",
        "Gemeinsame Angebote",
        "Nach: Brücke",
    ]
    assert list(zeilen[-1].values()) == [
        "Kita Sonne",
        "Kita",
        "Schule Mond",
        "Grundschule",
        "Kooperation",
        "Lesecafé",
        "nein",
    ]


def test_region_graph_and_bad_input(client, zwei_netze):
    seite = client.get("/auswertung/netzwerkkarte/?region=beispielkreis").content.decode()
    assert "Netzwerkkarte: Beispielkreis" in seite
    svg = re.search(r'<svg class="diagramm__svg graph__svg".*?</svg>', seite, re.S).group(0)
    assert svg.count("<circle") == 4
    antwort = client.get("/auswertung/netzwerkkarte/?region=atlantis")
    assert antwort.status_code == 400
    assert "Die Region „atlantis“ gibt es nicht." in antwort.content.decode()
    assert client.get("/auswertung/netzwerkkarte/").status_code == 200
    assert client.get("/auswertung/netzwerkkarte.csv?region=atlantis").status_code == 400


def test_unpublished_network_has_no_netzwerkkarte(client):
    NetzwerkFactory(slug="geheim", status=Status.ENTWURF)
    assert client.get("/netzwerke/geheim/netzwerkkarte/").status_code == 404
    assert client.get("/netzwerke/geheim/netzwerkkarte.graphml").status_code == 404
