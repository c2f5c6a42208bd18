"""Partner structure (chart, table, files) and the programme rules (issue 14, point 1)."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from atlas.models import Status
from atlas.rollen import KOORDINATION as KOORDINATION_GRUPPE
from atlas.rollen import REDAKTION
from netzwerke.models import Netzwerk, Partnerschaft
from netzwerke.struktur import netzwerke_mit_verstoessen, partnerstruktur
from tests.exportdateien import csv_tabelle, xlsx_tabelle
from tests.factories import (
    AkteurFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    ProgrammFactory,
    SozialraumFactory,
    UserFactory,
    einrichtungsart,
)
from tests.seiten import text

pytestmark = pytest.mark.django_db
KOORDINATION = Partnerschaft.Rolle.KOORDINATION


def partner(netzwerk, art="kita", **kwargs):
    akteur_felder = {k: kwargs.pop(k) for k in ["status"] if k in kwargs}
    return PartnerschaftFactory(
        netzwerk=netzwerk,
        akteur=AkteurFactory(einrichtungsart=einrichtungsart(art), **akteur_felder),
        **kwargs,
    )


def test_ended_partnerships_and_draft_actors_do_not_count_for_the_minimum():
    netzwerk = NetzwerkFactory(programm=ProgrammFactory(mindestanzahl_partner=3))
    partner(netzwerk, rolle=KOORDINATION)
    partner(netzwerk)
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    partner(netzwerk, seit=datetime.date(2020, 1, 1), bis=gestern)
    partner(netzwerk, status=Status.ENTWURF)
    assert netzwerk.fehlende_partner() == 1
    assert list(Netzwerk.objects.unter_mindestanzahl()) == [netzwerk]
    assert Netzwerk.objects.mit_partnerzahl().get().partnerzahl == 2

    partner(netzwerk, seit=gestern)
    assert netzwerk.fehlende_partner() == 0
    assert not Netzwerk.objects.unter_mindestanzahl().exists()


def test_partner_structure_counts_and_shares_by_type():
    netzwerk = NetzwerkFactory()
    partner(netzwerk, "kita")
    partner(netzwerk, "kita")
    partner(netzwerk, "grundschule")
    partner(netzwerk, "sportverein")
    struktur = partnerstruktur(Partnerschaft.objects.filter(netzwerk=netzwerk))
    assert [(b.beschriftung, b.anzahl, b.anteil) for b in struktur["balken"]] == [
        ("Kita", 2, 50.0),
        ("Grundschule", 1, 25.0),
        ("Sportverein", 1, 25.0),
    ]
    assert struktur["summe"] == 4
    # The largest count has the full bar, the others their share of it.
    assert [b.breite for b in struktur["balken"]] == [300, 150, 150]


def test_network_page_shows_the_chart_with_title_description_and_table(client):
    netzwerk = NetzwerkFactory(name="Netz Nord")
    partner(netzwerk, "kita", rolle=KOORDINATION)
    partner(netzwerk, "grundschule")
    partner(netzwerk, "grundschule", status=Status.ENTWURF)  # not public: not counted
    seite = client.get(netzwerk.get_absolute_url()).content.decode()
    svg = re.search(r'<svg class="diagramm__svg".*?</svg>', seite, re.S).group(0)
    assert 'role="img"' in svg
    assert text(re.search(r"<title[^>]*>(.*?)</title>", svg).group(1)) == (
        "Partner nach Einrichtungsart"
    )
    assert text(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)).startswith(
        "Balkendiagramm: die 2 Partner des Netzwerks „Netz Nord“ nach Einrichtungsart"
    )
    tabelle = re.search(r'<table class="datentabelle">(.*?)</table>', seite, re.S).group(1)
    zeilen = [text(z) for z in re.findall(r"<tr>(.*?)</tr>", tabelle, re.S)]
    assert zeilen == [
        "Einrichtungsart Anzahl Anteil",
        "Kita 1 50,0 %",  # equal counts: in the vocabulary's order
        "Grundschule 1 50,0 %",
        "Summe 2 100 %",
    ]


def test_partner_structure_files_of_a_network(client):
    netzwerk = NetzwerkFactory()
    partner(netzwerk, "kita")
    partner(netzwerk, "kita")
    partner(netzwerk, "jobcenter-agentur-fur-arbeit")
    antwort = client.get(f"/netzwerke/{netzwerk.slug}/partnerstruktur.csv")
    kopf, zeilen = csv_tabelle(antwort)
    assert kopf == ["Einrichtungsart", "Bereich", "Partner (Anzahl)", "Anteil (%)"]
    assert [list(z.values()) for z in zeilen] == [
        ["Kita", "Bildung & Betreuung", "2", "66,7"],
        ["Jobcenter / Agentur für Arbeit", "Arbeit & Finanzen", "1", "33,3"],
    ]
    _blatt, _block, kopf, zeilen = xlsx_tabelle(
        client.get(f"/netzwerke/{netzwerk.slug}/partnerstruktur.xlsx")
    )
    assert [z["Partner (Anzahl)"] for z in zeilen] == [2, 1]


def test_draft_network_has_no_partner_structure_file(client):
    netzwerk = NetzwerkFactory(status=Status.ENTWURF)
    assert client.get(f"/netzwerke/{netzwerk.slug}/partnerstruktur.csv").status_code == 404


def elternbegleitung():
    return ProgrammFactory(
        name="Elternbegleitung",
        slug="eb",
        mindestanzahl_partner=3,
        koordination_qualifikation="Elternbegleiter",
    )


def test_rules_list_the_networks_that_miss_them():
    programm = elternbegleitung()
    zu_klein = NetzwerkFactory(name="A zu klein", programm=programm)
    koordination = partner(zu_klein, "familienbildungsstatte", rolle=KOORDINATION)
    KontaktpersonFactory(akteur=koordination.akteur, qualifikationen="Elternbegleiterin")
    partner(zu_klein)

    ohne_qualifikation = NetzwerkFactory(name="B ohne Qualifikation", programm=programm)
    partner(ohne_qualifikation, rolle=KOORDINATION)
    partner(ohne_qualifikation)
    partner(ohne_qualifikation)

    ohne_koordination = NetzwerkFactory(
        name="C ohne Koordination", programm=programm, status=Status.ENTWURF
    )

    gut = NetzwerkFactory(name="D gut", programm=programm)
    koordination = partner(gut, rolle=KOORDINATION)
    KontaktpersonFactory(akteur=koordination.akteur, qualifikationen="Elternbegleiter (EC)")
    partner(gut)
    partner(gut)

    assert [(n.name, fehlt) for n, fehlt in netzwerke_mit_verstoessen(Netzwerk.objects.all())] == [
        ("A zu klein", ["2 von mindestens 3 Partnern"]),
        (
            "B ohne Qualifikation",
            ["beim koordinierenden Partner keine Fachkraft mit „Elternbegleiter“"],
        ),
        ("C ohne Koordination", ["0 von mindestens 3 Partnern", "kein koordinierender Partner"]),
    ]
    assert ohne_koordination.pk and gut.pk


def regelpruefung(antwort):
    seite = antwort.content.decode()
    abschnitt = re.search(r'<section aria-labelledby="regeln-titel".*?</section>', seite, re.S)
    if abschnitt is None:
        return None
    return [text(z) for z in re.findall(r"<tbody>.*?</tbody>", abschnitt.group(0), re.S)]


def test_rule_misses_are_shown_to_staff_within_their_scope(client):
    programm = elternbegleitung()
    eigenes = NetzwerkFactory(name="Eigenes Netz", programm=programm)
    partner(eigenes, rolle=KOORDINATION)
    fremdes = NetzwerkFactory(name="Fremdes Netz", programm=programm)
    partner(fremdes)

    assert regelpruefung(client.get("/programme/eb/")) is None  # the public sees no misses

    koordinatorin = UserFactory()
    koordinatorin.groups.add(Group.objects.get(name=KOORDINATION_GRUPPE))
    eigenes.koordinatoren.add(koordinatorin)
    client.force_login(koordinatorin)
    assert regelpruefung(client.get("/programme/eb/")) == [
        "Eigenes Netz veröffentlicht 1 von mindestens 3 Partnern; beim koordinierenden Partner "
        "keine Fachkraft mit „Elternbegleiter“"
    ]

    redaktion = UserFactory()
    redaktion.groups.add(Group.objects.get(name=REDAKTION))
    client.force_login(redaktion)
    assert len(regelpruefung(client.get("/programme/eb/"))[0].split("Netz ")) == 3


def test_programme_page_per_region_and_its_file(client):
    programm = elternbegleitung()
    land = SozialraumFactory(name="Niedersachsen", slug="nds", ebene="land")
    kreis = SozialraumFactory(name="Friesland", slug="friesland", ebene="kreis", uebergeordnet=land)
    drinnen = NetzwerkFactory(name="Netz Friesland", programm=programm, region=kreis)
    partner(drinnen, "kita", rolle=KOORDINATION)
    draussen = NetzwerkFactory(name="Netz anderswo", programm=programm)
    partner(draussen, "grundschule")

    seite = client.get("/programme/eb/?region=nds").content.decode()
    assert "Netz Friesland" in seite and "Netz anderswo" not in seite
    kopf, zeilen = csv_tabelle(client.get("/programme/eb/partnerstruktur.csv?region=nds"))
    assert [(z["Einrichtungsart"], z["Partner (Anzahl)"]) for z in zeilen] == [("Kita", "1")]
    kopf, zeilen = csv_tabelle(client.get("/programme/eb/partnerstruktur.csv"))
    assert [(z["Einrichtungsart"], z["Partner (Anzahl)"]) for z in zeilen] == [
        ("Kita", "1"),
        ("Grundschule", "1"),
    ]


def test_unknown_region_gives_a_german_message(client):
    elternbegleitung()
    antwort = client.get("/programme/eb/?region=atlantis")
    assert antwort.status_code == 400
    fehler = re.search(r'<p class="hinweis--fehler"[^>]*>(.*?)</p>', antwort.content.decode())
    assert text(fehler.group(1)) == (
        "Die Region „atlantis“ gibt es nicht. Bitte wählen Sie eine Region aus der Liste."
    )
    assert client.get("/programme/eb/partnerstruktur.csv?region=atlantis").status_code == 400
    assert client.get("/programme/?region=atlantis").status_code == 400
    assert client.get("/programme/gibt-es-nicht/").status_code == 404


def test_programme_page_table_and_chart_exact(client):
    """The table's rows (written in the view) and the chart (counted over the partnerships) with
    everything that must not count: an ended partnership, a draft partner actor, a draft
    network, another programme."""
    programm = elternbegleitung()
    heute = timezone.localdate()
    kreis = SozialraumFactory(name="Friesland", slug="friesland", ebene="kreis")
    nord = NetzwerkFactory(name="Netz <Nord>", programm=programm, region=kreis, geprueft_am=heute)
    koordination = partner(nord, "kita", rolle=KOORDINATION)
    koordination.akteur.name = "Kita & Co"
    koordination.akteur.save()
    partner(nord, "grundschule")
    partner(nord, "grundschule", bis=heute - datetime.timedelta(days=1))  # ended
    partner(nord, "sportverein", status=Status.ENTWURF)  # draft actor
    alt = NetzwerkFactory(
        name="Netz Alt", programm=programm, geprueft_am=heute - datetime.timedelta(days=400)
    )
    partner(alt, "grundschule")
    NetzwerkFactory(name="Netz Nie", programm=programm, geprueft_am=None)
    partner(NetzwerkFactory(name="Entwurf", programm=programm, status=Status.ENTWURF), "museum")
    partner(NetzwerkFactory(name="Anderes Programm"), "museum")

    seite = client.get("/programme/eb/").content.decode()
    abschnitt = seite.split('id="netzwerke-titel"')[1]
    tbody = re.search(r"<tbody>(.*?)</tbody>", abschnitt, re.S).group(1)
    zeilen = re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
    alt_datum = (heute - datetime.timedelta(days=400)).strftime("%d.%m.%Y")
    # By name as the database sorts ("<" before letters).
    assert [text(z) for z in zeilen] == [
        f"Netz <Nord> Friesland Kita & Co 2 {heute:%d.%m.%Y} Netz <Nord>: Netzwerkkarte",
        f"Netz Alt – – 1 {alt_datum} (älter als 12 Monate) Netz Alt: Netzwerkkarte",
        "Netz Nie – – 0 nie geprüft Netz Nie: Netzwerkkarte",
    ]
    assert "Netz &lt;Nord&gt;" in zeilen[0] and "Kita &amp; Co" in zeilen[0]
    assert f'<a href="/netzwerke/{nord.slug}/">' in zeilen[0]
    assert f'<a href="/netzwerke/{nord.slug}/netzwerkkarte/">' in zeilen[0]
    tabelle = re.search(r"Die Zahlen des Diagramms.*?<tbody>(.*?)</tbody>", seite, re.S)
    assert [text(z) for z in re.findall(r"<tr>(.*?)</tr>", tabelle.group(1), re.S)] == [
        "Grundschule 2 66,7 %",
        "Kita 1 33,3 %",
    ]
