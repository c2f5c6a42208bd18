import datetime
import json

import pytest
from django.utils import timezone, translation

from akteure.models import Sozialraum
from atlas.drosselung import SUCHBUDGET_ABFRAGEN  # the search budget: check and charge
from atlas.models import punkt_aus
from netzwerke.models import Partnerschaft
from netzwerke.views import bloecke
from tests.exportdateien import csv_tabelle
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    ProgrammFactory,
    SozialraumFactory,
    einrichtungsart,
)

pytestmark = pytest.mark.django_db

KOORDINATION = Partnerschaft.Rolle.KOORDINATION
OSTFILDERN = punkt_aus(48.7230, 9.2620)
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def namen(antwort):
    return [n.name for n in antwort.context["object_list"]]


@pytest.fixture
def kreis():
    """Landkreis Esslingen › Esslingen › Pliensauvorstadt, and Stuttgart beside it."""
    land = SozialraumFactory(name="Baden-Württemberg", ebene=Sozialraum.Ebene.LAND)
    kreis = SozialraumFactory(name="Landkreis Esslingen", slug="lk-es", uebergeordnet=land)
    stadt = SozialraumFactory(name="Esslingen", slug="es", uebergeordnet=kreis)
    SozialraumFactory(
        name="Pliensauvorstadt", slug="pliensau", uebergeordnet=stadt, ebene="stadtteil"
    )
    SozialraumFactory(name="Stuttgart", slug="stuttgart", uebergeordnet=land)
    return kreis


def test_list_shows_published_networks_with_programme_region_partners(client, kreis):
    netzwerk = NetzwerkFactory(
        name="Familien stärken", programm=ProgrammFactory(name="Präventionsnetzwerke"), region=kreis
    )
    PartnerschaftFactory(netzwerk=netzwerk, rolle=KOORDINATION, akteur=AkteurFactory(name="KJA"))
    PartnerschaftFactory(netzwerk=netzwerk)
    PartnerschaftFactory(netzwerk=netzwerk, akteur=AkteurFactory(status="entwurf"))
    NetzwerkFactory(name="Entwurf", status="entwurf")
    NetzwerkFactory(name="Archiv", status="archiviert")
    antwort = client.get("/netzwerke/")
    assert namen(antwort) == ["Familien stärken"]
    inhalt = antwort.content.decode()
    for text in ("Präventionsnetzwerke", "Landkreis Esslingen", "2 Partner", "Koordination: <"):
        assert text in inhalt, text
    assert "1 Netzwerk gefunden" in inhalt


def test_programme_filter(client):
    eb = ProgrammFactory(name="Elternbegleitung", slug="eb")
    NetzwerkFactory(name="EB Esslingen", programm=eb)
    NetzwerkFactory(name="Frühe Hilfen Esslingen")
    antwort = client.get("/netzwerke/", {"programm": "eb"})
    assert namen(antwort) == ["EB Esslingen"]
    assert "Programm: Elternbegleitung" in antwort.content.decode()  # a removable chip


def test_region_filter_includes_areas_below(client, kreis):
    NetzwerkFactory(name="Kreisweit", region=kreis)
    NetzwerkFactory(name="Stadtteil", region=Sozialraum.objects.get(slug="pliensau"))
    NetzwerkFactory(name="Stuttgart", region=Sozialraum.objects.get(slug="stuttgart"))
    NetzwerkFactory(name="Ohne Region")
    assert namen(client.get("/netzwerke/", {"region": "lk-es"})) == ["Kreisweit", "Stadtteil"]
    assert namen(client.get("/netzwerke/", {"region": "es"})) == ["Stadtteil"]
    # Only areas that hold a network are offered.
    optionen = client.get("/netzwerke/").context["filter"].form.fields["region"].queryset
    assert {s.slug for s in optionen} == {
        "lk-es",
        "es",
        "pliensau",
        "stuttgart",
        Sozialraum.objects.get(name="Baden-Württemberg").slug,
    }


def test_map_shows_networks_where_their_coordinator_is(client, kreis):
    mit = NetzwerkFactory(name="Mit Koordination", region=kreis)
    PartnerschaftFactory(
        netzwerk=mit, rolle=KOORDINATION, akteur=AkteurFactory(standort=OSTFILDERN)
    )
    PartnerschaftFactory(netzwerk=mit)
    ohne = NetzwerkFactory(name="Ohne Koordination", region=kreis)
    PartnerschaftFactory(netzwerk=ohne)
    versteckt = NetzwerkFactory(name="Koordination im Entwurf", region=kreis)
    PartnerschaftFactory(
        netzwerk=versteckt, rolle=KOORDINATION, akteur=AkteurFactory(status="entwurf")
    )
    NetzwerkFactory(name="Anderes Programm")
    liste = namen(client.get("/netzwerke/", {"region": "lk-es"}))
    assert liste == ["Koordination im Entwurf", "Mit Koordination", "Ohne Koordination"]
    daten = client.get("/netzwerke/karte.json", {"region": "lk-es"}).json()
    assert daten["gesamt"] == 1
    (feature,) = daten["features"]
    assert feature["geometry"]["coordinates"] == [9.262, 48.723]
    (eintrag,) = feature["properties"]["netzwerke"]
    assert eintrag["titel"] == "Mit Koordination" and eintrag["url"] == mit.get_absolute_url()
    assert eintrag["adresse"].endswith("Marktplatz 1, 73728 Esslingen am Neckar")


def test_detail_page_content(client, kreis):
    programm = ProgrammFactory(name="Präventionsnetzwerke", foerdergeber="Land Baden-Württemberg")
    netzwerk = NetzwerkFactory(
        name="Familien stärken",
        programm=programm,
        region=Sozialraum.objects.get(slug="pliensau"),
        projekttraeger=AkteurFactory(name="Landratsamt Esslingen"),
        foerderung_von=datetime.date(2021, 1, 1),
        foerderung_bis=datetime.date(2023, 12, 31),
        ziele="- Zugänge erleichtern\n- Familien erreichen\n\nUnd noch ein Satz.",
        fokus="Angebotslücken erkennen.",
        geprueft_am=datetime.date(2026, 2, 1),
    )
    koordination = AkteurFactory(
        name="Kreisjugendamt", einrichtungsart=einrichtungsart("jugendamt")
    )
    PartnerschaftFactory(netzwerk=netzwerk, akteur=koordination, rolle=KOORDINATION)
    for name in ("Kita Sonne", "Kita Mond"):
        PartnerschaftFactory(
            netzwerk=netzwerk,
            akteur=AkteurFactory(name=name, einrichtungsart=einrichtungsart("kita")),
        )
    PartnerschaftFactory(
        netzwerk=netzwerk, akteur=AkteurFactory(name="Geheimer Partner", status="entwurf")
    )
    AngebotFactory(titel="Elterncafé im Netzwerk", netzwerk=netzwerk)
    AngebotFactory(titel="Entwurfsangebot", netzwerk=netzwerk, status="entwurf")
    antwort = client.get(netzwerk.get_absolute_url())
    inhalt = antwort.content.decode()
    for text in (
        "Familien stärken",
        "Präventionsnetzwerke",
        "Land Baden-Württemberg",
        "Baden-Württemberg › Landkreis Esslingen › Esslingen › Pliensauvorstadt",
        "Landratsamt Esslingen",
        "1. Januar 2021 – 31. Dezember 2023",
        "Das sind unsere Ziele",
        "<li>Zugänge erleichtern</li>",
        "<p>Und noch ein Satz.</p>",
        "Darauf liegt unser Fokus",
        'class="koordination"',
        "koordiniert das Netzwerk",
        "<h3>Kita</h3>",
        "<h3>Jugendamt</h3>",
        "Elterncafé im Netzwerk",
        f"/angebote/?netzwerk={netzwerk.slug}",
        "Zuletzt geprüft am 1. Februar 2026",
    ):
        assert text in inhalt, text
    for text in ("Geheimer Partner", "Entwurfsangebot", "Da stehen wir heute"):
        assert text not in inhalt, text
    assert inhalt.index("Kita Mond") < inhalt.index("Kita Sonne")
    karte = json.loads(inhalt.split('id="partner-karte" type="application/json">')[1].split("<")[0])
    assert sum(f["properties"]["anzahl"] for f in karte["features"]) == 3


@pytest.mark.parametrize("status", ["entwurf", "archiviert"])
def test_unpublished_network_is_404(client, status):
    assert client.get(NetzwerkFactory(status=status).get_absolute_url()).status_code == 404


def test_contact_persons_of_partners_never_appear_without_consent(client):
    netzwerk = NetzwerkFactory()
    akteur = AkteurFactory()
    PartnerschaftFactory(netzwerk=netzwerk, akteur=akteur, rolle=KOORDINATION)
    KontaktpersonFactory(akteur=akteur, name="Otto Ohne", einwilligung_am="2026-01-15")
    for url in ("/netzwerke/", netzwerk.get_absolute_url(), "/netzwerke/karte.json"):
        assert "Otto Ohne" not in client.get(url).content.decode()


def test_xss_payloads_stay_inert(client):
    netzwerk = NetzwerkFactory(
        name=XSS, ziele=f"- {XSS}\n{XSS}", programm=ProgrammFactory(name=XSS, foerdergeber=XSS)
    )
    PartnerschaftFactory(netzwerk=netzwerk, rolle=KOORDINATION, akteur=AkteurFactory(name=XSS))
    for url in ("/netzwerke/", netzwerk.get_absolute_url()):
        inhalt = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in inhalt
        assert "<img src=x" not in inhalt
    antwort = client.get("/netzwerke/karte.json")
    assert "<" not in antwort.content.decode()
    eintrag = antwort.json()["features"][0]["properties"]["netzwerke"][0]
    assert eintrag["titel"] == XSS and eintrag["art"] == XSS


@pytest.mark.parametrize(
    "abfrage, meldung",
    [
        ({"programm": "gibt-es-nicht"}, "Programm"),
        ({"region": "atlantis"}, "Region"),
        ({"region": "\x00"}, "Region"),
        ({"seite": "99999"}, "Diese Seite gibt es nicht"),
        ({"seite": "-1"}, "Diese Seite gibt es nicht"),
        ({"seite": "abc"}, "Seitenzahl war ungültig"),
    ],
)
def test_bad_parameters_never_break_the_page(client, abfrage, meldung):
    NetzwerkFactory()
    antwort = client.get("/netzwerke/", abfrage)
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert meldung in inhalt and 'role="alert"' in inhalt
    assert client.get("/netzwerke/karte.json", abfrage).status_code == 200


def test_list_and_map_query_counts_do_not_grow_with_results(
    client, kreis, django_assert_max_num_queries
):
    for i in range(30):
        netzwerk = NetzwerkFactory(region=kreis)
        PartnerschaftFactory(
            netzwerk=netzwerk,
            rolle=KOORDINATION,
            akteur=AkteurFactory(standort=punkt_aus(48.7 + i * 0.001, 9.3)),
        )
        PartnerschaftFactory(netzwerk=netzwerk)
    with django_assert_max_num_queries(8 + SUCHBUDGET_ABFRAGEN):
        antwort = client.get("/netzwerke/", {"region": "lk-es"})
    assert antwort.context["paginator"].count == 30
    with django_assert_max_num_queries(6 + SUCHBUDGET_ABFRAGEN):
        daten = client.get("/netzwerke/karte.json", {"region": "lk-es"}).json()
    assert daten["gesamt"] == 30


def test_detail_query_count_is_bounded(client, kreis, django_assert_max_num_queries):
    netzwerk = NetzwerkFactory(region=kreis, projekttraeger=AkteurFactory())
    PartnerschaftFactory(netzwerk=netzwerk, rolle=KOORDINATION)
    for _ in range(20):
        PartnerschaftFactory(netzwerk=netzwerk)
        AngebotFactory(netzwerk=netzwerk)
    with django_assert_max_num_queries(10):
        client.get(netzwerk.get_absolute_url())


def test_steckbrief_text_becomes_paragraphs_and_lists():
    text = "Einleitung\nzweite Zeile\n\n- eins\n  - zwei\n\nSchluss"
    assert bloecke(text) == [
        ("absatz", "Einleitung\nzweite Zeile"),
        ("liste", ["eins", "zwei"]),
        ("absatz", "Schluss"),
    ]
    assert bloecke("   \n") == []


def test_english_pages(client):
    netzwerk = NetzwerkFactory()
    PartnerschaftFactory(netzwerk=netzwerk, rolle=KOORDINATION)
    for url in ("/en/netzwerke/", f"/en{netzwerk.get_absolute_url()}"):
        # The locale middleware leaves the request's language active; later tests expect German.
        with translation.override("de"):
            antwort = client.get(url)
        assert antwort.status_code == 200
        assert '<html lang="en"' in antwort.content.decode()


def test_one_rule_for_public_partnerships_on_pages_map_and_exports(client):
    """Network and Akteur published, and current: the network's page, its list row, the
    actor's page and the public exports all show the same partnerships."""
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    netzwerk = NetzwerkFactory(name="Frühe Hilfen Esslingen", slug="fh-es")
    aktuell = AkteurFactory(name="Aktueller Partner", slug="aktuell")
    ehemalig = AkteurFactory(name="Ehemaliger Partner", slug="ehemalig")
    PartnerschaftFactory(netzwerk=netzwerk, akteur=aktuell, rolle=KOORDINATION)
    PartnerschaftFactory(netzwerk=netzwerk, akteur=ehemalig, bis=gestern)
    PartnerschaftFactory(netzwerk=netzwerk, akteur=AkteurFactory(name="Entwurf", status="entwurf"))
    PartnerschaftFactory(
        netzwerk=NetzwerkFactory(name="Netz im Entwurf", status="entwurf"), akteur=aktuell
    )

    seite = client.get("/netzwerke/fh-es/")
    assert [p.akteur.name for _, gruppe in seite.context["partnergruppen"] for p in gruppe] == [
        "Aktueller Partner"
    ]
    assert seite.context["partnerzahl"] == 1
    karte = seite.context["partnerkarte"]
    assert [e["titel"] for f in karte["features"] for e in f["properties"]["akteure"]] == [
        "Aktueller Partner"
    ]
    [zeile] = client.get("/netzwerke/").context["object_list"]
    assert zeile.partnerzahl == 1
    assert [p.akteur.name for p in zeile.koordinationen] == ["Aktueller Partner"]

    def netzwerke_des_akteurs(slug):
        return [p.netzwerk.name for p in client.get(f"/akteure/{slug}/").context["partnerschaften"]]

    assert netzwerke_des_akteurs("aktuell") == ["Frühe Hilfen Esslingen"]
    assert netzwerke_des_akteurs("ehemalig") == []

    _, [liste] = csv_tabelle(client.get("/netzwerke/export.csv"))
    assert (liste["Partner (Anzahl)"], liste["Koordination"]) == ("1", "Aktueller Partner")
    _, partner = csv_tabelle(client.get("/netzwerke/fh-es/partner.csv"))
    assert [z["Akteur"] for z in partner] == ["Aktueller Partner"]
