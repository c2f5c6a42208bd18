"""The demo shows what the gap analysis is for: a real gap in Landkreis Esslingen and a map over
drawn demo outlines, marked as such (issue 14, point 7)."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from akteure.models import Sozialraum
from tests.auswertung.test_bedarf import tabelle
from tests.seiten import text

pytestmark = pytest.mark.django_db

QUELLE = "Demo-Umriss, nicht amtlich (für die Beispieldaten gezeichnet)"


@pytest.fixture
def demo(client):
    call_command("demo_laden", stdout=io.StringIO())
    # The demo's Jugendamt account: Landkreis Esslingen.
    client.force_login(User.objects.get(username="jugendamt"))


def karte(seite):
    return re.findall(r'<path class="flaeche ([^"]+)" d="[^"]+"><title>(.*?)</title>', seite)


def test_landkreis_esslingen_has_a_gap_and_a_map(client, demo):
    antwort = client.get("/auswertung/bedarf/?region=landkreis-esslingen&karte=16-27&mass=anzahl")
    assert antwort.status_code == 200
    seite = antwort.content.decode()
    kopf = [text(k) for k in re.findall(r'<th scope="col">(.*?)</th>', seite)]
    assert kopf == [
        "Lebensphase",
        "Esslingen am Neckar",
        "Filderstadt",
        "Kirchheim unter Teck",
        "Nürtingen",
        "Ostfildern",
        "ganz Landkreis Esslingen",
    ]
    zeilen = tabelle(antwort)
    luecken = [
        (zeile[0], kopf[i]) for zeile in zeilen for i, zelle in enumerate(zeile) if "Lücke" in zelle
    ]
    # No offering for the transition from school to work in Filderstadt (5,400 young people).
    assert luecken == [("16–27 Jahre (Übergang Schule–Beruf)", "Filderstadt")]
    assert zeilen[-1][2] == "0 Lücke 0,0 je 1.000*"
    # The map of that row: four Gemeinden with a (demo) outline; Nürtingen has none.
    assert karte(seite) == [
        ("stufe-3", "Esslingen am Neckar: 22"),
        ("stufe-0", "Filderstadt: 0"),
        ("stufe-0", "Kirchheim unter Teck: 4"),
        ("stufe-0", "Ostfildern: 3"),
    ]
    # Its accessible alternative: the figure's title and description, and the table above.
    assert (
        '<svg class="diagramm__svg" viewBox="0 0 600 ' in seite
        and 'role="img" aria-labelledby="choropleth-titel choropleth-desc"' in seite
    )
    assert (
        '<title id="choropleth-titel">Zahl der Angebote, 16–27 Jahre (Übergang Schule–Beruf), '
        "in Landkreis Esslingen</title>" in seite
    )
    assert "Dieselben Werte stehen in der Tabelle oben." in seite
    hinweise = [text(h) for h in re.findall(r'<p class="hilfe[^"]*">(.*?)</p>', seite, re.S)]
    assert "Ohne hinterlegte Grenze, nur in der Tabelle: Nürtingen" in hinweise
    assert f"Quelle der Grenzen: {QUELLE}" in hinweise


def test_esslingen_stadtteile_on_the_map(client, demo):
    seite = client.get("/auswertung/bedarf/?region=esslingen-am-neckar").content.decode()
    assert [titel.split(":")[0] for _klasse, titel in karte(seite)] == [
        "Innenstadt",
        "Mettingen",
        "Pliensauvorstadt",
        "Zollberg",
    ]
    assert "Ohne hinterlegte Grenze" not in seite
    assert f"Quelle der Grenzen: {QUELLE}" in seite


def test_demo_outlines_are_marked_do_not_overlap_and_nest(demo):
    mit_flaeche = Sozialraum.objects.exclude(flaeche=None)
    assert set(mit_flaeche.values_list("flaeche_quelle", flat=True)) == {QUELLE}
    assert not Sozialraum.objects.filter(flaeche=None).exclude(flaeche_quelle="").exists()
    for ebene, oben in [("gemeinde", "landkreis-esslingen"), ("stadtteil", "esslingen-am-neckar")]:
        raeume = list(mit_flaeche.filter(ebene=ebene, uebergeordnet__slug=oben))
        assert len(raeume) == 4
        umfassend = Sozialraum.objects.get(slug=oben).flaeche
        for i, raum in enumerate(raeume):
            assert umfassend.contains(raum.flaeche), raum
            for anderer in raeume[i + 1 :]:
                assert raum.flaeche.intersection(anderer.flaeche).area == 0, (raum, anderer)
