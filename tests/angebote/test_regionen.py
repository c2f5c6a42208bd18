"""Regions without boundaries: service areas found by PLZ and hierarchy, one region rule for the
public list, the admin and the exports.

The areas are the demo's (created as `demo_laden` creates them, PLZ from fixtures/orte.csv),
with every boundary removed: most real areas have none.
"""

import re

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import IntegrityError, transaction
from django.urls import reverse

from akteure.models import Sozialraum, ort_finden, plz_aus_ortsverzeichnis
from angebote.models import Angebot, Format
from atlas import rollen
from atlas.models import Status, punkt_aus
from beispieldaten.demo_daten import sozialraeume_anlegen
from tests.admin_formular import formulardaten
from tests.bereich import mit_rolle
from tests.exportdateien import csv_tabelle
from tests.factories import AkteurFactory, AngebotFactory

pytestmark = pytest.mark.django_db

OSTFILDERN = punkt_aus(48.7230, 9.2620)
KOELN = punkt_aus(50.9375, 6.9603)
NUERTINGEN = punkt_aus(48.6267, 9.3400)
# A small square in Esslingen's old town, away from every PLZ centre used here.
INNENSTADT = MultiPolygon(Polygon.from_bbox((9.300, 48.738, 9.315, 48.746)), srid=4326)
IN_DER_INNENSTADT = punkt_aus(48.7420, 9.3080)


@pytest.fixture
def raeume():
    sozialraeume_anlegen()
    Sozialraum.objects.update(flaeche=None)
    return {r.slug: r for r in Sozialraum.objects.all()}


def koelner_anbieter(**kwargs):
    return AkteurFactory(
        name="Familienzentrum Köln",
        plz="50667",
        ort="Köln",
        standort=KOELN,
        **kwargs,
    )


def merkmale_ort(html):
    """The place label of every result row, in list order."""
    return re.findall(r'<li class="merkmal merkmal--ort">([^<]*)</li>', html)


def treffer(antwort):
    return [a.titel for a in antwort.context["object_list"]]


def test_demo_areas_take_their_postcodes_from_the_shipped_place_list(raeume):
    assert raeume["nuertingen"].plz == ["72622"]
    assert raeume["esslingen-am-neckar"].plz == ["73728", "73730", "73732", "73733", "73734"]
    # Not a place name: a Kreis covers the PLZ of its Gemeinden.
    assert raeume["landkreis-esslingen"].plz == []
    assert raeume["esslingen-innenstadt"].plz == []
    assert plz_aus_ortsverzeichnis("Neuenkirchen") == []  # eleven places of that name
    assert ort_finden("Nürtingen").plz == ("72622",)
    assert ort_finden("73728").plz == ("73728",)


def test_areas_at_a_place_by_postcode_hierarchy_and_nearest_postcode(raeume):
    von_nuertingen = ["baden-wuerttemberg", "landkreis-esslingen", "nuertingen"]
    am_ort = Sozialraum.objects.am_ort(NUERTINGEN, ("72622",))
    assert sorted(am_ort.values_list("slug", flat=True)) == von_nuertingen
    # A bare point (the browser's position): the PLZ whose centre is nearest.
    assert sorted(Sozialraum.objects.am_ort(NUERTINGEN).values_list("slug", flat=True)) == (
        von_nuertingen
    )


def test_home_visits_for_a_whole_landkreis_without_boundary_are_found_near_a_place(client, raeume):
    anbieter = AkteurFactory(
        name="Familienzentrum Ostfildern",
        plz="73760",
        ort="Ostfildern",
        standort=OSTFILDERN,
        sozialraum=raeume["ostfildern"],
    )
    hausbesuch = AngebotFactory(
        titel="Familienhebamme – Hausbesuche", format=Format.HAUSBESUCH, anbieter=anbieter
    )
    hausbesuch.einzugsgebiet.set([raeume["landkreis-esslingen"]])
    koeln = AngebotFactory(
        titel="Hausbesuche in Köln", format=Format.HAUSBESUCH, anbieter=koelner_anbieter()
    )
    koeln.einzugsgebiet.set([raeume["koeln"]])
    assert hausbesuch.standort is None  # no point: only the Einzugsgebiet can find it

    for abfrage in [{"wo": "73728"}, {"wo": "Nürtingen"}, {"lat": "48.6267", "lon": "9.34"}]:
        antwort = client.get("/angebote/", abfrage)
        assert treffer(antwort) == ["Familienhebamme – Hausbesuche"], abfrage
        assert merkmale_ort(antwort.content.decode()) == ["für ganz Landkreis Esslingen"]

    antwort = client.get("/angebote/", {"wo": "50667"})
    assert treffer(antwort) == ["Hausbesuche in Köln"]
    assert merkmale_ort(antwort.content.decode()) == ["für ganz Köln"]


def test_the_narrowest_area_of_a_service_area_is_named(client, raeume):
    online = AngebotFactory(titel="Online-Sprechstunde", format=Format.ONLINE)
    online.einzugsgebiet.set([raeume["landkreis-esslingen"], raeume["nuertingen"]])
    nuertingen = client.get("/angebote/", {"wo": "Nürtingen"}).content.decode()
    assert merkmale_ort(nuertingen) == ["für ganz Nürtingen"]
    esslingen = client.get("/angebote/", {"wo": "73728"}).content.decode()
    assert merkmale_ort(esslingen) == ["für ganz Landkreis Esslingen"]


@pytest.fixture
def region_welt(raeume):
    """Offerings in and out of Landkreis Esslingen, each in it by another part of the rule."""
    innenstadt = raeume["esslingen-innenstadt"]
    innenstadt.flaeche = INNENSTADT
    innenstadt.save()
    koeln = koelner_anbieter(sozialraum=raeume["koeln"])
    nuertinger = AkteurFactory(plz="72622", ort="Nürtingen", standort=NUERTINGEN)
    hebamme = AkteurFactory(plz="", ort="", strasse="", standort=None)
    hebamme.sozialraum = raeume["esslingen-mettingen"]
    hebamme.save()
    online = {"format": Format.ONLINE, "anbieter": koeln}

    AngebotFactory(titel="PLZ in Ostfildern", anbieter=koeln, plz="73760", standort=OSTFILDERN)
    AngebotFactory(titel="Punkt in der Innenstadt", anbieter=koeln, standort=IN_DER_INNENSTADT)
    AngebotFactory(titel="Online aus Nürtingen", format=Format.ONLINE, anbieter=nuertinger)
    AngebotFactory(titel="Hausbesuche aus Mettingen", format=Format.HAUSBESUCH, anbieter=hebamme)
    AngebotFactory(titel="Online für Filderstadt", **online).einzugsgebiet.set(
        [raeume["filderstadt"]]
    )
    AngebotFactory(titel="Landeshotline", **online).einzugsgebiet.set(
        [raeume["baden-wuerttemberg"]]
    )
    AngebotFactory(
        titel="Entwurf in Ostfildern", anbieter=koeln, plz="73760", status=Status.ENTWURF
    )
    # Outside: in Köln, and for the whole of Nordrhein-Westfalen.
    AngebotFactory(titel="Treff in Köln", anbieter=koeln)
    AngebotFactory(titel="NRW-Hotline", **online).einzugsgebiet.set([raeume["nordrhein-westfalen"]])
    return raeume


IM_KREIS = [
    "Hausbesuche aus Mettingen",
    "Landeshotline",
    "Online aus Nürtingen",
    "Online für Filderstadt",
    "PLZ in Ostfildern",
    "Punkt in der Innenstadt",
]


def test_one_region_rule_for_public_list_admin_and_exports(client, region_welt):
    region = {"sozialraum": "landkreis-esslingen"}
    oeffentlich = client.get("/angebote/", region)
    assert treffer(oeffentlich) == IM_KREIS
    assert oeffentlich.context["paginator"].count == 6
    _, zeilen = csv_tabelle(client.get("/angebote/export.csv", region))
    assert sorted(z["Titel"] for z in zeilen) == IM_KREIS

    client.force_login(mit_rolle(rollen.REDAKTION))
    liste = reverse("admin:angebote_angebot_changelist")
    veroeffentlicht = client.get(liste, {**region, "status__exact": Status.VEROEFFENTLICHT})
    assert veroeffentlicht.context["cl"].result_count == 6
    assert sorted(a.titel for a in veroeffentlicht.context["cl"].result_list) == IM_KREIS
    alle = client.get(liste, region)
    assert alle.context["cl"].result_count == 7  # and the draft
    export = reverse("admin:angebote_angebot_export", args=["csv"])
    _, zeilen = csv_tabelle(client.get(export, {**region, "status__exact": "veroeffentlicht"}))
    assert sorted(z["Titel"] for z in zeilen) == IM_KREIS

    # A Stadtteil: what lies in it, and the areas' offerings that cover it.
    assert sorted(
        Angebot.objects.in_region(region_welt["esslingen-innenstadt"]).values_list(
            "titel", flat=True
        )
    ) == ["Landeshotline", "Punkt in der Innenstadt"]


def test_admin_sidebar_offers_the_regions_as_a_tree(client, raeume):
    client.force_login(mit_rolle(rollen.REDAKTION))
    antwort = client.get(reverse("admin:angebote_angebot_changelist"))
    html = antwort.content.decode()
    wahl = re.findall(r'<a href="\?sozialraum=([a-z-]+)">([^<]*)</a>', html)
    assert wahl[:4] == [
        ("baden-wuerttemberg", "Baden-Württemberg"),
        ("landkreis-esslingen", "\u00a0\u00a0Landkreis Esslingen"),
        ("esslingen-am-neckar", "\u00a0\u00a0\u00a0\u00a0Esslingen am Neckar"),
        ("esslingen-innenstadt", "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0Innenstadt"),
    ]
    assert len(wahl) == Sozialraum.objects.count()


def test_admin_takes_a_municipalitys_postcodes_and_refuses_bad_ones(client, raeume):
    client.force_login(mit_rolle(rollen.REDAKTION))
    url = reverse("admin:akteure_sozialraum_add")
    daten = formulardaten(
        client.get(url),
        name="Wendlingen am Neckar",
        slug="wendlingen",
        ebene="gemeinde",
        uebergeordnet=raeume["landkreis-esslingen"].pk,
    )
    assert client.post(url, daten).status_code == 302
    assert Sozialraum.objects.get(slug="wendlingen").plz == ["73240"]

    daten.update(slug="wendlingen-2", plz="73240, 7324")
    antwort = client.post(url, daten)
    assert antwort.status_code == 200
    assert not Sozialraum.objects.filter(slug="wendlingen-2").exists()
    assert antwort.context["adminform"].form.errors["plz"] == [
        "„7324“ ist keine Postleitzahl: Sie hat fünf Ziffern."
    ]

    daten.update(slug="wendlingen-3", plz="73240 73240;72622")
    assert client.post(url, daten).status_code == 302
    assert Sozialraum.objects.get(slug="wendlingen-3").plz == ["72622", "73240"]


def test_database_refuses_a_postcode_that_is_not_five_digits(raeume):
    with pytest.raises(IntegrityError), transaction.atomic():
        Sozialraum.objects.filter(slug="nuertingen").update(plz=["72622", "7262x"])


def test_public_filter_form_offers_the_regions_as_a_tree(client, raeume):
    html = client.get("/angebote/", {"sozialraum": "nuertingen"}).content.decode()
    formular = re.search(r'<form[^>]*class="filter__form">(.*?)</form>', html, re.S).group(1)
    assert '<label for="id_sozialraum">Region</label>' in formular
    auswahl = re.search(
        r'<select name="sozialraum" id="id_sozialraum">(.*?)</select>', formular, re.S
    )
    optionen = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', auswahl[1])
    assert optionen[:3] == [
        ("", "", "alle Regionen"),
        ("baden-wuerttemberg", "", "Baden-Württemberg"),
        ("landkreis-esslingen", "", "\u00a0\u00a0Landkreis Esslingen"),
    ]
    assert [o for o in optionen if o[1]] == [
        ("nuertingen", " selected", "\u00a0" * 4 + "Nürtingen")
    ]
    assert len(optionen) == Sozialraum.objects.count() + 1
    # Chosen in the form itself, not carried along a second time as a hidden field.
    assert 'type="hidden" name="sozialraum"' not in html
    assert re.findall(r'<a class="chip" href="[^"]*">([^<]*) <span', html) == ["Region: Nürtingen"]


def _regionen_im_formular(client):
    html = client.get("/angebote/").content.decode()
    auswahl = re.search(r'<select name="sozialraum" id="id_sozialraum">(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', auswahl[1])


def test_regionen_der_liste_aus_der_kopie_beim_index_und_jede_aenderung_sichtbar(client, raeume):
    """The list's Region select comes from the copy beside the search index (no statement for
    it once the index is current); adding, renaming or deleting an area – by the ORM or by raw
    SQL – makes the index read everything again and the select show it at once; an area's
    polygon or postcodes do not (the region filter reads those by SQL)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vorher = _regionen_im_formular(client)
    assert vorher[:2] == [("", "alle Regionen"), ("baden-wuerttemberg", "Baden-Württemberg")]
    assert len(vorher) == Sozialraum.objects.count() + 1
    with CaptureQueriesContext(connection) as abfragen:
        assert _regionen_im_formular(client) == vorher
    assert [a["sql"] for a in abfragen if "akteure_sozialraum" in a["sql"]] == []

    def neu_aufbauen_eintraege():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM angebote_suchindex_aenderung WHERE art = 'v'")
            return cursor.fetchone()[0]

    stand = neu_aufbauen_eintraege()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE akteure_sozialraum SET plz = '{72622}', flaeche = NULL "
            "WHERE slug = 'nuertingen'"
        )
    assert neu_aufbauen_eintraege() == stand
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE akteure_sozialraum SET name = 'Nürtingen (Stadt)' WHERE slug = 'nuertingen'"
        )
    umbenannt = [
        (wert, "\u00a0" * 4 + "Nürtingen (Stadt)" if wert == "nuertingen" else text)
        for wert, text in vorher
    ]
    assert _regionen_im_formular(client) == umbenannt

    kreis = raeume["landkreis-esslingen"]
    Sozialraum.objects.create(
        name="Aichtal", slug="aichtal", ebene=Sozialraum.Ebene.GEMEINDE, uebergeordnet=kreis
    )
    nachher = _regionen_im_formular(client)
    # In tree order: under its Landkreis, among its siblings by name.
    assert sorted(nachher) == sorted([*umbenannt, ("aichtal", "\u00a0" * 4 + "Aichtal")])
    assert nachher.index(("aichtal", "\u00a0" * 4 + "Aichtal")) > nachher.index(
        ("landkreis-esslingen", "\u00a0\u00a0Landkreis Esslingen")
    )

    Sozialraum.objects.filter(slug="aichtal").delete()
    assert _regionen_im_formular(client) == umbenannt
