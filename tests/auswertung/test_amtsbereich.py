"""A Jugendamt account sees the staff-only planning figures of its own region only (issue 14:
"Staff-only numbers respect the scope rule"); the Redaktion sees all."""

import re

import pytest
from django.contrib.auth.models import Group

from akteure.models import Amtsbereich
from atlas.models import Exportprotokoll
from atlas.rollen import JUGENDAMT, REDAKTION
from auswertung.models import Bevoelkerung
from netzwerke.models import Partnerschaft
from tests.auswertung.test_bedarf import als, hochladen, importfehler, stadt, tabelle  # noqa: F401
from tests.exportdateien import csv_zeilen
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    ProgrammFactory,
    SozialraumFactory,
    UserFactory,
)
from tests.seiten import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def zwei_kreise(stadt):  # noqa: F811
    """Stadt (Nord, Süd; see test_bedarf) and another Kreis, Land, with one offering for 0–1."""
    land = SozialraumFactory(name="Land", slug="land")
    AngebotFactory(
        anbieter=AkteurFactory(sozialraum=land, standort=None, plz=""),
        alter_von_monate=1,
        alter_bis_monate=11,
        format="hausbesuch",
    )
    Bevoelkerung.objects.create(sozialraum=land, lebensphase="0-1", jahr=2025, anzahl=80)
    return stadt, land


def regionen(antwort):
    auswahl = re.search(r'<select id="region-wahl".*?</select>', antwort.content.decode(), re.S)
    return [text(o) for o in re.findall(r'<option value="[^"]+"[^>]*>(.*?)</option>', auswahl[0])]


def test_jugendamt_sees_its_region_and_below_only(client, zwei_kreise):
    als(client, JUGENDAMT, bereich=["stadt"])
    antwort = client.get("/auswertung/bedarf/")
    assert regionen(antwort) == ["Stadt", "Nord", "Süd"]
    assert client.get("/auswertung/bedarf/?region=nord").status_code == 200
    assert tabelle(client.get("/auswertung/bedarf/?region=stadt"))[1] == [
        "0–1 Jahr",
        "1 wenig 5,0 je 1.000",
        "0 Lücke 0,0 je 1.000*",
        "1 wenig",
    ]
    antwort = client.get("/auswertung/bedarf/?region=land")
    assert antwort.status_code == 403
    seite = antwort.content.decode()
    assert (
        "Die Region „Land“ gehört nicht zum Bereich Ihres Jugendamts (Stadt). Bitte wählen Sie "
        "eine Region aus der Liste." in seite
    )
    assert '<a href="?region=stadt">Stadt</a>' in seite
    assert 'class="datentabelle bedarf"' not in seite


def test_jugendamt_files_only_for_its_region_with_exact_counts(client, zwei_kreise):
    als(client, JUGENDAMT, bereich=["stadt"])
    for format in ("csv", "xlsx"):
        antwort = client.get(f"/auswertung/bedarf.{format}?region=land")
        assert antwort.status_code == 403
        assert "Die Region „Land“ gehört nicht zum Bereich Ihres Jugendamts" in (
            antwort.content.decode()
        )
    assert not Exportprotokoll.objects.exists()
    zeilen = csv_zeilen(client.get("/auswertung/bedarf.csv?region=stadt"))
    assert zeilen[8] == ["0–1 Jahr", "1", "5,0", "wenig", "0", "0,0", "Lücke", "1", "", "wenig"]
    assert Exportprotokoll.objects.count() == 1


def test_redaktion_sees_every_region(client, zwei_kreise):
    als(client, REDAKTION)
    assert regionen(client.get("/auswertung/bedarf/")) == ["Land", "Stadt", "Nord", "Süd"]
    assert tabelle(client.get("/auswertung/bedarf/?region=land"))[1] == [
        "0–1 Jahr",
        "1 wenig 12,5 je 1.000",
    ]
    zeilen = csv_zeilen(client.get("/auswertung/bedarf.csv?region=land"))
    assert zeilen[-6] == ["0–1 Jahr", "1", "12,5", "wenig"]


def test_jugendamt_without_a_region_is_told_so(client, zwei_kreise):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=JUGENDAMT))
    client.force_login(user)
    antwort = client.get("/auswertung/bedarf/?region=stadt")
    assert antwort.status_code == 403
    assert (
        "Ihrem Konto ist noch keine Region zugeordnet. Die Redaktion trägt sie in der Verwaltung "
        "unter „Bereiche der Jugendämter“ ein." in antwort.content.decode()
    )
    assert regionen(client.get("/auswertung/bedarf/")) == []


def test_public_gap_analysis_is_the_same_for_everyone(client, zwei_kreise, settings):
    settings.BEDARF_OEFFENTLICH = True
    als(client, JUGENDAMT, bereich=["stadt"])
    assert client.get("/auswertung/bedarf/?region=land").status_code == 200
    assert client.get("/auswertung/bedarf.csv?region=land").status_code == 200


def test_population_figures_of_the_own_region_only(client, zwei_kreise):
    als(client, JUGENDAMT, bereich=["stadt"])
    vorher = sorted(Bevoelkerung.objects.values_list("sozialraum__slug", "jahr", "anzahl"))
    antwort = hochladen(
        client, "sozialraum;lebensphase;anzahl;jahr\nnord;0-1;250;2025\nland;0-1;90;2025\n"
    )
    assert antwort.status_code == 400
    assert importfehler(antwort) == [
        "Zeile 3: Der Sozialraum „land“ gehört nicht zum Bereich Ihres Jugendamts."
    ]
    assert sorted(Bevoelkerung.objects.values_list("sozialraum__slug", "jahr", "anzahl")) == vorher
    liste = client.get("/admin/auswertung/bevoelkerung/").content.decode()
    assert "3 Bevölkerungszahlen" in liste
    fremd = Bevoelkerung.objects.get(sozialraum__slug="land")
    antwort = client.get(f"/admin/auswertung/bevoelkerung/{fremd.pk}/change/")
    assert antwort.status_code == 302  # "does not exist" back to the list, as for any other row
    antwort = client.post(
        "/admin/auswertung/bevoelkerung/add/",
        {"sozialraum": fremd.sozialraum_id, "lebensphase": "1-3", "jahr": 2025, "anzahl": 5},
    )
    assert antwort.status_code == 200 and "Bitte eine gültige Auswahl treffen." in (
        antwort.content.decode()
    )
    assert Bevoelkerung.objects.count() == 4


def test_rule_check_on_the_programme_page_within_the_region(client, zwei_kreise):
    kreis, land = zwei_kreise
    programm = ProgrammFactory(slug="prog", mindestanzahl_partner=3)
    for name, region in [("Netz Nord", "nord"), ("Netz Land", "land")]:
        netz = NetzwerkFactory(name=name, programm=programm, region_id=None)
        netz.region = land if region == "land" else kreis.untergeordnete.get(slug=region)
        netz.save()
        PartnerschaftFactory(netzwerk=netz, rolle=Partnerschaft.Rolle.KOORDINATION)

    def pruefung():
        seite = client.get("/programme/prog/").content.decode()
        teil = seite.split('id="regeln-titel"')[1].split("</section>")[0]
        return [text(z) for z in re.findall(r"<tr><th scope=\"row\">(.*?)</th>", teil, re.S)]

    als(client, JUGENDAMT, bereich=["stadt"])
    assert pruefung() == ["Netz Nord"]
    als(client, REDAKTION)
    assert pruefung() == ["Netz Land", "Netz Nord"]


def test_amtsbereich_in_the_admin(client, zwei_kreise):
    jugendamt = als(client, JUGENDAMT, bereich=["stadt"])
    andere = UserFactory(username="amt-land")
    Amtsbereich.objects.create(user=andere).regionen.set([zwei_kreise[1]])
    seite = client.get("/admin/akteure/amtsbereich/").content.decode()
    assert jugendamt.username in seite and "amt-land" not in seite
    assert client.get("/admin/akteure/amtsbereich/add/").status_code == 403
    als(client, REDAKTION)
    seite = client.get("/admin/akteure/amtsbereich/").content.decode()
    assert jugendamt.username in seite and "amt-land" in seite
    assert client.get("/admin/akteure/amtsbereich/add/").status_code == 200


def test_a_changed_region_is_kept_in_the_history(client, zwei_kreise):
    """The Redaktion widens an office's region in the admin: the record's history shows who
    did it and which regions it had before and after."""
    jugendamt = als(client, JUGENDAMT, bereich=["stadt"])
    bereich = Amtsbereich.objects.get(user=jugendamt)
    redaktion = als(client, REDAKTION)
    antwort = client.post(
        f"/admin/akteure/amtsbereich/{bereich.pk}/change/",
        {"user": jugendamt.pk, "regionen": [r.pk for r in zwei_kreise]},
    )
    assert antwort.status_code == 302
    letzte = bereich.history.latest()
    assert (letzte.history_user, letzte.history_type) == (redaktion, "~")
    assert sorted(r.sozialraum.slug for r in letzte.regionen.all()) == sorted(
        r.slug for r in zwei_kreise
    )
    assert client.get(f"/admin/akteure/amtsbereich/{bereich.pk}/history/").status_code == 200
