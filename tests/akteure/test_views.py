import datetime
import json

import pytest
from django.utils import translation

from atlas import karte
from atlas.drosselung import SUCHBUDGET_ABFRAGEN  # the search budget: check and charge
from atlas.models import punkt_aus
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    einrichtungsart,
    sprache,
)

pytestmark = pytest.mark.django_db

OSTFILDERN = punkt_aus(48.7230, 9.2620)
HEILBRONN = punkt_aus(49.1427, 9.2109)
KOELN = punkt_aus(50.9375, 6.9603)
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def namen(antwort):
    return [a.name for a in antwort.context["object_list"]]


def karten_urls(daten, schluessel="akteure"):
    return {e["url"] for f in daten["features"] for e in f["properties"][schluessel]}


def test_list_shows_only_published_actors(client):
    AkteurFactory(name="Sichtbar")
    AkteurFactory(name="Entwurf", status="entwurf")
    AkteurFactory(name="Archiv", status="archiviert")
    antwort = client.get("/akteure/")
    assert namen(antwort) == ["Sichtbar"]
    assert "1 Einrichtung gefunden" in antwort.content.decode()


def test_text_search_stems_folds_umlauts_and_forgives_typos(client):
    AkteurFactory(name="Evangelische Familienbildungsstätte", beschreibung="Kurse für Väter")
    AkteurFactory(name="Sportverein Zollberg", einrichtungsart=einrichtungsart("sportverein"))
    assert namen(client.get("/akteure/", {"q": "Familienbildungsstatte"})) == [
        "Evangelische Familienbildungsstätte"
    ]
    assert namen(client.get("/akteure/", {"q": "Vater"})) == ["Evangelische Familienbildungsstätte"]
    assert namen(client.get("/akteure/", {"q": "Sportverien"})) == ["Sportverein Zollberg"]


def test_text_search_reads_ae_oe_ue_and_ranks_names_before_descriptions(client):
    AkteurFactory(name="Familienzentrum Nord", beschreibung="Mit Mütterzentrum und Café.")
    AkteurFactory(name="Mütterzentrum Esslingen", beschreibung="")
    AkteurFactory(name="Ärztehaus Mitte", standort=HEILBRONN, beschreibung="")
    AkteurFactory(name="Ärztehaus am Markt", standort=OSTFILDERN, beschreibung="")
    assert namen(client.get("/akteure/", {"q": "Muetterzentrum"})) == [
        "Mütterzentrum Esslingen",
        "Familienzentrum Nord",
    ]
    # Near a place: the best matches first, then the nearest (by name "Mitte" would come first).
    assert namen(client.get("/akteure/", {"q": "Aerztehaus", "wo": "73728", "umkreis": "50"})) == [
        "Ärztehaus am Markt",
        "Ärztehaus Mitte",
    ]


def test_several_einrichtungsarten_are_alternatives_with_counts(client):
    AkteurFactory(name="Kita Sonnenschein", einrichtungsart=einrichtungsart("kita"))
    AkteurFactory(name="Kita Regenbogen", einrichtungsart=einrichtungsart("kita"))
    AkteurFactory(name="Jugendamt", einrichtungsart=einrichtungsart("jugendamt"))
    AkteurFactory(name="Familienzentrum")
    antwort = client.get("/akteure/", {"einrichtungsart": ["kita", "jugendamt"]})
    assert namen(antwort) == ["Jugendamt", "Kita Regenbogen", "Kita Sonnenschein"]
    inhalt = antwort.content.decode()
    # Counts ignore the Einrichtungsart choice itself, so a third kind can still be ticked.
    assert 'value="familienzentrum"> Familienzentrum <span class="anzahl">(1)' in inhalt
    assert 'value="kita" checked> Kita <span class="anzahl">(2)' in inhalt
    assert "Einrichtungsart: Kita" in inhalt  # a removable chip


def test_bereich_filter(client):
    AkteurFactory(name="Kinderarzt", einrichtungsart=einrichtungsart("arztpraxis"))
    AkteurFactory(name="Familienzentrum")
    assert namen(client.get("/akteure/", {"bereich": "gesundheit"})) == ["Kinderarzt"]


def test_language_filter_matches_any_chosen_language(client):
    arabisch = AkteurFactory(name="A")
    arabisch.sprachen.set([sprache("ar"), sprache("de")])
    AkteurFactory(name="B").sprachen.set([sprache("tr")])
    AkteurFactory(name="C").sprachen.set([sprache("uk")])
    assert namen(client.get("/akteure/", {"sprache": ["ar", "tr"]})) == ["A", "B"]
    inhalt = client.get("/akteure/", {"sprache": "ar"}).content.decode()
    assert 'lang="ar" dir="rtl"' in inhalt


def test_barrierefrei_filter_only_when_ticked(client):
    AkteurFactory(name="Mit Rampe", barrierefrei=True)
    AkteurFactory(name="Treppe")
    assert namen(client.get("/akteure/", {"barrierefrei": "on"})) == ["Mit Rampe"]
    assert namen(client.get("/akteure/", {"bereich": ""})) == ["Mit Rampe", "Treppe"]


def test_place_search_within_radius_nearest_first(client):
    AkteurFactory(name="Ostfildern", standort=OSTFILDERN)
    AkteurFactory(name="Esslingen")
    AkteurFactory(name="Heilbronn", standort=HEILBRONN)
    AkteurFactory(name="Familienhebamme", standort=None, strasse="", plz="", ort="")
    antwort = client.get("/akteure/", {"wo": "73728"})
    assert namen(antwort) == ["Esslingen", "Ostfildern"]
    inhalt = antwort.content.decode()
    assert "Einrichtungen in der Nähe von 73728 Esslingen am Neckar" in inhalt
    assert "km entfernt" in inhalt
    assert namen(client.get("/akteure/", {"wo": "Esslingen", "umkreis": "2"})) == ["Esslingen"]
    assert "Heilbronn" in namen(client.get("/akteure/", {"wo": "73728", "umkreis": "50"}))


def test_actor_without_location_is_listed_but_not_on_the_map(client):
    AkteurFactory(name="Stadtteilzentrum")
    hebamme = AkteurFactory(
        name="Familienhebamme Maier",
        einrichtungsart=einrichtungsart("hebamme-familienhebamme"),
        standort=None,
        strasse="",
        plz="",
        ort="",
    )
    antwort = client.get("/akteure/")
    assert "Familienhebamme Maier" in namen(antwort)
    assert "ohne öffentliche Adresse" in antwort.content.decode()
    daten = client.get("/akteure/karte.json").json()
    assert daten["gesamt"] == 1
    assert hebamme.get_absolute_url() not in karten_urls(daten)


def test_map_data_agrees_with_the_list(client):
    for i in range(5):
        AkteurFactory(
            standort=punkt_aus(48.70 + i * 0.01, 9.25), einrichtungsart=einrichtungsart("kita")
        )
    AkteurFactory(standort=OSTFILDERN)
    AkteurFactory(standort=KOELN, einrichtungsart=einrichtungsart("kita"))
    AkteurFactory(standort=None, einrichtungsart=einrichtungsart("kita"))
    abfrage = {"einrichtungsart": "kita", "wo": "73728", "umkreis": "20", "seite": "1"}
    liste = client.get("/akteure/", abfrage).context["paginator"].object_list
    daten = client.get("/akteure/karte.json", abfrage).json()
    assert karten_urls(daten) == {a.get_absolute_url() for a in liste}
    assert daten["gesamt"] == 5
    eintrag = daten["features"][0]["properties"]["akteure"][0]
    assert set(eintrag) == {"titel", "url", "art", "adresse"} and eintrag["art"] == "Kita"


def test_map_clusters_on_the_server_and_honours_the_viewport(client, monkeypatch):
    monkeypatch.setattr(karte, "EINZELN_BIS", 5)
    for i in range(30):
        AkteurFactory(standort=punkt_aus(48.0 + (i % 6) * 0.01, 8.0 + (i // 6) * 0.01))
    daten = client.get("/akteure/karte.json", {"bbox": "5,47,15,55"}).json()
    assert daten["gesamt"] == 30
    assert sum(f["properties"]["anzahl"] for f in daten["features"]) == 30
    assert any(f["properties"]["cluster"] for f in daten["features"])
    assert (
        client.get("/akteure/karte.json", {"bbox": "7.99,47.99,8.005,48.005"}).json()["gesamt"] == 1
    )
    for bbox in ("abc", "1,2,3", "10,10,5,5", "nan,nan,nan,nan", "\x00", "-400,-100,400,100"):
        assert client.get("/akteure/karte.json", {"bbox": bbox}).status_code == 200


def test_wide_map_keeps_points_near_its_southern_edge(client):
    # As a geography the box's southern edge would bulge north past Esslingen (48.74°N).
    AkteurFactory()
    daten = client.get("/akteure/karte.json", {"bbox": "-1.98,48.39,22.59,53.66"}).json()
    assert daten["gesamt"] == 1
    assert client.get("/akteure/karte.json", {"bbox": "-200,-95,200,95"}).json()["gesamt"] == 1


def test_detail_page_content(client):
    traeger = AkteurFactory(
        name="Caritasverband", einrichtungsart=einrichtungsart("wohlfahrtsverband")
    )
    akteur = AkteurFactory(
        name="Familienzentrum Pliensauvorstadt",
        traeger=traeger,
        beschreibung="Offene Türen für alle Familien.",
        telefon="0711 123 45",
        email="info@fz.example.org",
        website="https://fz.example.org",
        barrierefrei=True,
        barrierefreiheit="Rampe am Seiteneingang",
        oeffnungszeiten="Mo–Fr 9–12 Uhr",
        geprueft_am=datetime.date(2026, 3, 1),
    )
    akteur.sprachen.set([sprache("ar"), sprache("de")])
    AngebotFactory(titel="Elterncafé am Montag", anbieter=akteur)
    AngebotFactory(titel="Alter Kurs", anbieter=akteur, status="archiviert")
    PartnerschaftFactory(akteur=akteur, netzwerk=NetzwerkFactory(name="Netzwerk Esslingen"))
    PartnerschaftFactory(akteur=akteur, netzwerk=NetzwerkFactory(name="Geheim", status="entwurf"))
    inhalt = client.get(akteur.get_absolute_url()).content.decode()
    for text in (
        "Familienzentrum Pliensauvorstadt",
        f'<a href="{traeger.get_absolute_url()}" dir="auto">Caritasverband</a>',
        "Offene Türen für alle Familien.",
        "Marktplatz 1, 73728 Esslingen am Neckar",
        "openstreetmap.org/directions",
        "Mo–Fr 9–12 Uhr",
        '<span lang="ar" dir="rtl">العربية</span> (Arabisch)',
        "Rampe am Seiteneingang",
        'href="tel:071112345"',
        "mailto:info@fz.example.org",
        "Elterncafé am Montag",
        "Netzwerk Esslingen",
        "Rolle: Partner",
        "Zuletzt geprüft am 1. März 2026",
        'rel="canonical"',
    ):
        assert text in inhalt, text
    assert "Alter Kurs" not in inhalt and "Geheim" not in inhalt
    json_ld = json.loads(
        inhalt.split('<script type="application/ld+json">')[1].split("</script>")[0]
    )
    assert json_ld["@type"] == "Organization"
    assert json_ld["address"]["postalCode"] == "73728"
    assert json_ld["location"]["geo"]["latitude"] == pytest.approx(48.7407)
    assert json_ld["parentOrganization"]["name"] == "Caritasverband"
    assert json_ld["knowsLanguage"] == ["ar", "de"]


def test_unpublished_traeger_is_named_but_not_linked(client):
    traeger = AkteurFactory(name="Verein im Aufbau", status="entwurf")
    inhalt = client.get(AkteurFactory(traeger=traeger).get_absolute_url()).content.decode()
    assert "Verein im Aufbau" in inhalt
    assert traeger.get_absolute_url() not in inhalt


@pytest.mark.parametrize("status", ["entwurf", "archiviert"])
def test_unpublished_actor_is_404(client, status):
    assert client.get(AkteurFactory(status=status).get_absolute_url()).status_code == 404


def test_contact_persons_only_with_consent(client):
    akteur = AkteurFactory()
    KontaktpersonFactory(
        akteur=akteur, name="Erika Einverstanden", oeffentlich=True, einwilligung_am="2026-01-15"
    )
    KontaktpersonFactory(akteur=akteur, name="Otto Ohne", einwilligung_am="2026-01-15")
    KontaktpersonFactory(akteur=akteur, name="Nina Nie")
    for url in (akteur.get_absolute_url(), "/akteure/", "/akteure/karte.json"):
        inhalt = client.get(url).content.decode()
        assert "Otto Ohne" not in inhalt and "Nina Nie" not in inhalt
    assert "Erika Einverstanden" in client.get(akteur.get_absolute_url()).content.decode()


def test_xss_payloads_stay_inert(client):
    traeger = AkteurFactory(name=XSS, slug="xss-traeger")
    akteur = AkteurFactory(
        name=XSS, beschreibung=XSS, oeffnungszeiten=XSS, barrierefreiheit=XSS, traeger=traeger
    )
    akteur.sprachen.set([sprache("ar")])
    KontaktpersonFactory(akteur=akteur, name=XSS, oeffentlich=True, einwilligung_am="2026-01-15")
    for url in ("/akteure/", "/akteure/?q=%3Cscript%3E", akteur.get_absolute_url()):
        inhalt = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in inhalt
        assert "<img src=x" not in inhalt
    detail = client.get(akteur.get_absolute_url()).content.decode()
    json_ld = detail.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in json_ld
    assert json.loads(json_ld)["name"] == XSS
    antwort = client.get("/akteure/karte.json")
    assert "<" not in antwort.content.decode()
    assert antwort.json()["features"][0]["properties"]["akteure"][0]["titel"] == XSS


@pytest.mark.parametrize(
    "abfrage, meldung",
    [
        ({"wo": "99999"}, "kennen wir nicht"),
        ({"wo": "Nirgendwohausen"}, "kennen wir nicht"),
        ({"wo": "73728", "umkreis": "abc"}, "Umkreis"),
        ({"wo": "73728", "umkreis": "9999"}, "Umkreis"),
        ({"lat": "48.7"}, "Breite"),
        ({"seite": "99999"}, "Diese Seite gibt es nicht"),
        ({"seite": "abc"}, "Seitenzahl war ungültig"),
        ({"seite": "\x00"}, "Seitenzahl war ungültig"),
        ({"q": "Kita\x00"}, "Was?"),
        ({"wo": "\x00"}, "Wo?"),
        ({"einrichtungsart": "gibt-es-nicht"}, "Einrichtungsart"),
        ({"einrichtungsart": "kita\x00"}, "Einrichtungsart"),
        ({"sprache": "<script>"}, "Sprache"),
        ({"bereich": "weltraum"}, "Bereich"),
    ],
)
def test_bad_parameters_never_break_the_page(client, abfrage, meldung):
    AkteurFactory()
    antwort = client.get("/akteure/", abfrage)
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert meldung in inhalt
    assert 'role="alert"' in inhalt
    assert "<script>" not in inhalt.split("<body>")[1].replace("<script src=", "")
    assert client.get("/akteure/karte.json", abfrage).status_code == 200


def test_pagination(client):
    for i in range(25):
        AkteurFactory(name=f"Einrichtung {i:02d}")
    erste = client.get("/akteure/").content.decode()
    zweite = client.get("/akteure/", {"seite": "2"}).content.decode()
    assert "Einrichtung 00" in erste and "Einrichtung 24" not in erste
    assert "Einrichtung 24" in zweite and "Seite 2 von 2" in zweite


def test_list_and_map_query_counts_do_not_grow_with_results(client, django_assert_max_num_queries):
    for i in range(30):
        akteur = AkteurFactory(standort=punkt_aus(48.72 + i * 0.001, 9.26), barrierefrei=True)
        akteur.sprachen.set([sprache("ar"), sprache("de")])
    abfrage = {"wo": "73728", "sprache": "ar", "einrichtungsart": "familienzentrum", "q": "Familie"}
    # One of them looks the words of "Familie" up in the search vocabulary (atlas/suche.py),
    # one in the translations (atlas/uebersetzung.py).
    with django_assert_max_num_queries(18 + SUCHBUDGET_ABFRAGEN):
        antwort = client.get("/akteure/", abfrage)
    assert antwort.context["paginator"].count == 30
    with django_assert_max_num_queries(8 + SUCHBUDGET_ABFRAGEN):
        client.get("/akteure/karte.json", abfrage)


def test_detail_query_count_is_bounded(client, django_assert_max_num_queries):
    akteur = AkteurFactory(traeger=AkteurFactory())
    akteur.sprachen.set([sprache("ar"), sprache("tr")])
    for _ in range(5):
        AngebotFactory(anbieter=akteur, sprachen=[sprache("ar")])
        PartnerschaftFactory(akteur=akteur)
        KontaktpersonFactory(akteur=akteur, oeffentlich=True, einwilligung_am="2026-01-15")
    with django_assert_max_num_queries(10):
        client.get(akteur.get_absolute_url())


def test_english_pages(client):
    akteur = AkteurFactory()
    for url in ("/en/akteure/", f"/en{akteur.get_absolute_url()}", "/en/akteure/?wo=73728"):
        # The locale middleware leaves the request's language active; later tests expect German.
        with translation.override("de"):
            antwort = client.get(url)
        assert antwort.status_code == 200
        assert '<html lang="en"' in antwort.content.decode()
