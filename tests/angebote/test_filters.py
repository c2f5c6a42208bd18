import pytest
from django.http import QueryDict

from angebote.filters import AlterField, AngebotFilterSet, alter_in_monaten, alter_lesen, facetten
from angebote.models import Angebot, Format, Kosten
from atlas.models import punkt_aus
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    NetzwerkFactory,
    SozialraumFactory,
    einrichtungsart,
    sprache,
    thema,
    zielgruppe,
)

pytestmark = pytest.mark.django_db

ESSLINGEN = punkt_aus(48.7407, 9.3083)  # PLZ 73728
OSTFILDERN = punkt_aus(48.7230, 9.2620)  # ≈ 3.9 km from Esslingen
STUTTGART = punkt_aus(48.7784, 9.1800)  # ≈ 10.3 km
KOELN = punkt_aus(50.9375, 6.9603)


def gefiltert(abfrage):
    filterset = AngebotFilterSet(
        QueryDict(abfrage), queryset=Angebot.objects.veroeffentlicht().select_related("anbieter")
    )
    return filterset, list(filterset.qs)


def titel(abfrage):
    return {a.titel for a in gefiltert(abfrage)[1]}


@pytest.mark.parametrize(
    "eingabe, monate",
    [
        ("4", 48),
        ("4 Jahre", 48),
        ("4 years", 48),
        ("18m", 18),
        ("18 Monate", 18),
        ("schwanger", -5),
        ("pregnant", -5),
        ("0", 0),
        # Decimal years, with a comma as in German or a point: whole months, half up.
        ("1,5", 18),
        ("1.5", 18),
        ("0,5", 6),
        ("2,4", 29),
        ("1,5 Jahre", 18),
        ("1 Jahr 6 Monate", 18),
        ("2 J. 3 M.", 27),
    ],
)
def test_ages_are_read_as_months(eingabe, monate):
    assert alter_in_monaten(eingabe) == monate


@pytest.mark.parametrize(
    "eingabe", ["abc", "-3", "40", "", "999m", "4,18m", "27,5", "1 Jahr 13 Monate", "1,5,3"]
)
def test_bad_ages_are_refused(eingabe):
    with pytest.raises(ValueError):
        alter_in_monaten(eingabe)


def test_free_text_with_stemming_umlauts_and_typos():
    AngebotFactory(titel="Babymassage für Neugeborene", beschreibung="")
    AngebotFactory(titel="Erziehungsberatung", beschreibung="Beratung für Eltern")
    AngebotFactory(titel="Sprachcafé", beschreibung="")
    assert titel("q=Beratungen") == {"Erziehungsberatung"}
    assert titel("q=Babymassage+fur") == {"Babymassage für Neugeborene"}
    assert titel("q=Babymasage") == {"Babymassage für Neugeborene"}


@pytest.mark.parametrize(
    "eingabe, monate, verstanden",
    [
        ("1,5", [18], "1 Jahr 6 Monate"),
        ("0,5", [6], "6 Monate"),
        # A comma with a space, "und", ";" or "/" separates children; between digits it is a
        # decimal comma.
        ("1, 5", [12, 60], "1 Jahr und 5 Jahre"),
        ("1 ,5", [12, 60], "1 Jahr und 5 Jahre"),
        ("1 und 5", [12, 60], "1 Jahr und 5 Jahre"),
        ("1;5", [12, 60], "1 Jahr und 5 Jahre"),
        ("1/5", [12, 60], "1 Jahr und 5 Jahre"),
        ("1,5, 3", [18, 36], "1 Jahr 6 Monate und 3 Jahre"),
        ("4, 18m, schwanger", [48, 18, -5], "4 Jahre, 1 Jahr 6 Monate und Schwangerschaft"),
        ("1 Monat", [1], "1 Monat"),
        ("0", [0], "0 Monate"),
    ],
)
def test_several_children_and_decimal_ages_are_told_apart(eingabe, monate, verstanden):
    assert alter_lesen(eingabe) == monate
    assert AlterField(required=False).anzeige(eingabe) == verstanden


def test_several_children_match_any():
    AngebotFactory(titel="Krabbelgruppe", alter_von_monate=6, alter_bis_monate=24)
    AngebotFactory(titel="Hausaufgabenhilfe", alter_von_monate=72, alter_bis_monate=119)
    AngebotFactory(titel="Jobcoaching", alter_von_monate=192, alter_bis_monate=323)
    assert titel("alter=1, 8") == {"Krabbelgruppe", "Hausaufgabenhilfe"}
    assert titel("alter=18m") == {"Krabbelgruppe"}
    # One child of one year and eight months (20), not two children of 1 and 8.
    assert titel("alter=1,8") == {"Krabbelgruppe"}
    assert titel("alter=1,5") == {"Krabbelgruppe"}


def test_pregnancy_and_life_phase():
    AngebotFactory(titel="Geburtsvorbereitung", alter_von_monate=-9, alter_bis_monate=0)
    AngebotFactory(titel="Krabbelgruppe", alter_von_monate=6, alter_bis_monate=24)
    assert titel("alter=schwanger") == {"Geburtsvorbereitung"}
    assert titel("phase=1-3") == {"Krabbelgruppe"}
    assert titel("phase=schwangerschaft") == {"Geburtsvorbereitung"}


def test_topic_includes_subtopics_and_several_topics_widen():
    AngebotFactory(titel="Massage", themen=[thema("babymassage")])
    AngebotFactory(titel="Deutsch", themen=[thema("deutschkurs")])
    AngebotFactory(titel="Ohne")
    assert titel("thema=baby-kleinkind") == {"Massage"}
    assert titel("thema=babymassage&thema=deutschkurs") == {"Massage", "Deutsch"}


def test_language_target_group_format_and_switches():
    arabisch = AngebotFactory(
        titel="Elterncafé arabisch",
        sprachen=[sprache("ar")],
        format=Format.OFFENER_TREFF,
        kosten=Kosten.KOSTENLOS,
        barrierefrei=True,
        kinderbetreuung=True,
        anmeldung_erforderlich=False,
    )
    arabisch.zielgruppen.set([zielgruppe("vater")])
    AngebotFactory(
        titel="Kurs",
        format=Format.KURS,
        kosten=Kosten.KOSTENBEITRAG,
        anmeldung_erforderlich=True,
        sprachen=[sprache("tr")],
    )
    assert titel("sprache=ar") == {"Elterncafé arabisch"}
    assert titel("sprache=ar&sprache=tr") == {"Elterncafé arabisch", "Kurs"}
    assert titel("zielgruppe=vater") == {"Elterncafé arabisch"}
    assert titel("format=kurs") == {"Kurs"}
    for schalter in ("kostenlos", "barrierefrei", "kinderbetreuung", "ohne_anmeldung"):
        assert titel(f"{schalter}=on") == {"Elterncafé arabisch"}
    assert titel("kostenlos=on&format=kurs") == set()


def test_network_provider_einrichtungsart_and_area():
    netzwerk = NetzwerkFactory()
    kreis = SozialraumFactory(name="Landkreis Esslingen", ebene="kreis")
    stadt = SozialraumFactory(name="Ostfildern", uebergeordnet=kreis)
    schule = AkteurFactory(einrichtungsart=einrichtungsart("grundschule"), sozialraum=stadt)
    AngebotFactory(titel="Im Netzwerk", netzwerk=netzwerk)
    AngebotFactory(titel="Schulangebot", anbieter=schule)
    assert titel(f"netzwerk={netzwerk.slug}") == {"Im Netzwerk"}
    assert titel(f"anbieter={schule.slug}") == {"Schulangebot"}
    assert titel("einrichtungsart=grundschule") == {"Schulangebot"}
    assert titel(f"sozialraum={kreis.slug}") == {"Schulangebot"}


def test_near_a_place_nearest_first_with_distances():
    AngebotFactory(titel="Stuttgart", standort=STUTTGART)
    AngebotFactory(titel="Ostfildern", standort=OSTFILDERN)
    AngebotFactory(titel="Köln", standort=KOELN)
    filterset, treffer = gefiltert("wo=73728")
    assert [a.titel for a in treffer] == ["Ostfildern"]  # default radius 10 km
    filterset, treffer = gefiltert("wo=Esslingen&umkreis=20")
    assert [a.titel for a in treffer] == ["Ostfildern", "Stuttgart"]
    assert treffer[0].entfernung.km == pytest.approx(3.8, abs=0.3)
    assert treffer[1].entfernung.km == pytest.approx(10.2, abs=0.4)
    assert filterset.ort[1] == "Esslingen am Neckar"


def test_near_coordinates_and_combined_with_other_filters():
    AngebotFactory(titel="Ostfildern arabisch", standort=OSTFILDERN, sprachen=[sprache("ar")])
    AngebotFactory(titel="Ostfildern deutsch", standort=OSTFILDERN, sprachen=[sprache("de")])
    assert titel("lat=48.7407&lon=9.3083&umkreis=5&sprache=ar") == {"Ostfildern arabisch"}


def test_offerings_for_a_whole_area_are_found_beyond_the_radius():
    from django.contrib.gis.geos import MultiPolygon, Polygon

    kreis = SozialraumFactory(
        name="Landkreis Esslingen",
        ebene="kreis",
        flaeche=MultiPolygon(Polygon.from_bbox((9.0, 48.5, 9.7, 48.85)), srid=4326),
    )
    hotline = AngebotFactory(titel="Elterntelefon", format=Format.ONLINE)
    hotline.einzugsgebiet.set([kreis])
    AngebotFactory(titel="Nah", standort=OSTFILDERN)
    AngebotFactory(titel="Köln", standort=KOELN)
    _, treffer = gefiltert("wo=73728&umkreis=5")
    assert [a.titel for a in treffer] == ["Nah", "Elterntelefon"]
    assert treffer[1].gebiet == "Landkreis Esslingen"


def test_sorting_by_name_and_verification():
    AngebotFactory(titel="B", geprueft_am="2026-01-01")
    AngebotFactory(titel="A", geprueft_am="2025-01-01")
    AngebotFactory(titel="C")
    assert [a.titel for a in gefiltert("sortierung=name")[1]] == ["A", "B", "C"]
    assert [a.titel for a in gefiltert("sortierung=geprueft")[1]] == ["B", "A", "C"]


@pytest.mark.parametrize(
    "abfrage, feld",
    [
        ("wo=99999", "wo"),
        ("wo=Xyzzyhausen", "wo"),
        ("umkreis=abc", "umkreis"),
        ("umkreis=9999", "umkreis"),
        ("lat=abc&lon=9", "lat"),
        ("lat=48.7", "lat"),
        ("thema=gibt-es-nicht", "thema"),
        ("sprache=xx", "sprache"),
        ("format=zauberei", "format"),
        ("alter=alt", "alter"),
        ("q=Beratung%00", "q"),
    ],
)
def test_bad_parameters_give_a_german_message_and_are_ignored(abfrage, feld):
    AngebotFactory()
    filterset, treffer = gefiltert(abfrage)
    assert feld in filterset.errors
    assert len(treffer) == 1


def test_facet_counts_equal_filtered_counts():
    for _ in range(3):
        AngebotFactory(sprachen=[sprache("ar")], themen=[thema("babymassage")], format="kurs")
    AngebotFactory(sprachen=[sprache("tr")], themen=[thema("deutschkurs")], kosten="kostenbeitrag")
    AngebotFactory(sprachen=[sprache("ar"), sprache("tr")], barrierefrei=True)
    filterset, treffer = gefiltert("alter=3")
    zahlen = facetten(filterset.qs)
    for code in ("ar", "tr"):
        assert zahlen["sprache"][code] == len(titel(f"alter=3&sprache={code}"))
    for slug in ("babymassage", "baby-kleinkind", "deutschkurs"):
        assert zahlen["thema"][slug] == len(titel(f"alter=3&thema={slug}"))
    assert zahlen["format"]["kurs"] == len(titel("alter=3&format=kurs"))
    assert zahlen["kostenlos"]["on"] == len(titel("alter=3&kostenlos=on")) == 4
    assert zahlen["barrierefrei"]["on"] == 1


@pytest.mark.parametrize(
    "eingabe, monate",
    [
        ("hamile", [-5]),
        ("вагітна", [-5]),
        ("беременность", [-5]),
        ("حامل", [-5]),
        ("باردار", [-5]),
        ("4 yaş", [48]),
        ("18 ay", [18]),
        ("1 рік 6 місяців", [18]),
        ("3 года", [36]),
        ("٤", [48]),
        ("۱٫۵", [18]),
        # The Arabic comma separates children, with or without a space.
        ("١،٥", [12, 60]),
        ("4 ve 2", [48, 24]),
        ("4 и 2", [48, 24]),
        ("4 و 2", [48, 24]),
    ],
)
def test_ages_typed_in_the_other_ui_languages(eingabe, monate):
    assert alter_lesen(eingabe) == monate
