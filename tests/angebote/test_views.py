import datetime
import importlib
import json
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.urls import clear_url_caches
from django.utils import timezone

from atlas import karte
from atlas.drosselung import SUCHBUDGET_ABFRAGEN  # the search budget: check and charge
from atlas.models import punkt_aus
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    NetzwerkFactory,
    TerminFactory,
    sprache,
)

pytestmark = pytest.mark.django_db

OSTFILDERN = punkt_aus(48.7230, 9.2620)
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def test_start_page_offers_search_life_phases_and_topics(client):
    antwort = client.get("/")
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert 'name="wo"' in inhalt and 'name="alter"' in inhalt and 'name="q"' in inhalt
    assert "?phase=schwangerschaft" in inhalt and "?phase=16-27" in inhalt
    assert "?thema=schwangerschaft-geburt" in inhalt


def test_list_shows_distance_and_count(client):
    AngebotFactory(titel="Elterncafé Ostfildern", standort=OSTFILDERN)
    antwort = client.get("/angebote/", {"wo": "73728"})
    inhalt = antwort.content.decode()
    assert "Elterncafé Ostfildern" in inhalt
    assert "3,8 km entfernt" in inhalt or "3,9 km entfernt" in inhalt
    assert "1 Angebot gefunden" in inhalt
    assert "Angebote in der Nähe von 73728 Esslingen am Neckar" in inhalt


def test_english_version(client):
    AngebotFactory(standort=OSTFILDERN)
    antwort = client.get("/en/angebote/", {"wo": "73728"})
    assert antwort.status_code == 200
    assert '<html lang="en"' in antwort.content.decode()


def test_active_filters_are_removable_chips(client):
    AngebotFactory(sprachen=[sprache("ar")])
    inhalt = client.get("/angebote/", {"sprache": "ar", "kostenlos": "on"}).content.decode()
    assert "Sprache: Arabisch" in inhalt
    assert 'href="?kostenlos=on"' in inhalt


def test_empty_state_offers_wider_radius(client):
    AngebotFactory(standort=punkt_aus(50.9375, 6.9603))
    inhalt = client.get("/angebote/", {"wo": "73728", "umkreis": "5"}).content.decode()
    assert "Leider haben wir dazu nichts gefunden" in inhalt
    assert "umkreis=50" in inhalt


@pytest.mark.parametrize(
    "abfrage, meldung",
    [
        ({"wo": "99999"}, "kennen wir nicht"),
        ({"umkreis": "abc"}, "Umkreis"),
        ({"umkreis": "100000"}, "Umkreis"),
        ({"lat": "x", "lon": "y"}, "Breite"),
        ({"seite": "99999"}, "Diese Seite gibt es nicht"),
        ({"seite": "abc"}, "Seitenzahl war ungültig"),
        ({"thema": "999"}, "Thema"),
        ({"sprache": "<script>"}, "Sprache"),
        ({"q": "Treff\x00"}, "Was?"),
        ({"alter": "zwölf"}, "verstehen wir nicht als Alter"),
    ],
)
def test_bad_parameters_never_break_the_page(client, abfrage, meldung):
    AngebotFactory()
    antwort = client.get("/angebote/", abfrage)
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert meldung in inhalt
    assert 'role="alert"' in inhalt
    assert "<script>" not in inhalt.split("<body>")[1].replace("<script src=", "")


def test_pagination(client):
    for i in range(25):
        AngebotFactory(titel=f"Angebot {i:02d}")
    erste = client.get("/angebote/").content.decode()
    zweite = client.get("/angebote/", {"seite": "2"}).content.decode()
    assert "Angebot 00" in erste and "Angebot 24" not in erste
    assert "Angebot 24" in zweite
    assert "Seite 2 von 2" in zweite


def test_unpublished_archived_and_expired_are_404(client):
    entwurf = AngebotFactory(status="entwurf")
    archiv = AngebotFactory(status="archiviert")
    abgelaufen = AngebotFactory(gueltig_bis=timezone.localdate() - datetime.timedelta(days=1))
    anbieter_entwurf = AngebotFactory(anbieter=AkteurFactory(status="entwurf"))
    for angebot in (entwurf, archiv, abgelaufen, anbieter_entwurf):
        assert client.get(angebot.get_absolute_url()).status_code == 404


def test_detail_page_content(client):
    angebot = AngebotFactory(
        titel="Geburtsvorbereitung",
        alter_von_monate=-9,
        alter_bis_monate=0,
        regelmaessige_zeiten="dienstags 18–20 Uhr",
        kosten="kostenbeitrag",
        kosten_hinweis="40 € für 6 Abende",
        anmeldung_erforderlich=True,
        anmeldung_hinweis="Telefonisch bei der Hebamme",
        geprueft_am=datetime.date(2026, 10, 1),
        sprachen=[sprache("ar")],
    )
    TerminFactory(angebot=angebot, beginn=timezone.now() + datetime.timedelta(days=3))
    inhalt = client.get(angebot.get_absolute_url()).content.decode()
    for text in (
        "Geburtsvorbereitung",
        "dienstags 18–20 Uhr",
        "40 € für 6 Abende",
        "Telefonisch bei der Hebamme",
        "Zuletzt geprüft am 1. Oktober 2026",
        "openstreetmap.org/directions",
        'lang="ar" dir="rtl"',
        "Anmeldung offen",
        'rel="canonical"',
        'type="application/ld+json"',
    ):
        assert text in inhalt, text


def test_xss_payloads_stay_inert(client):
    anbieter = AkteurFactory(name=XSS)
    angebot = AngebotFactory(titel=XSS, beschreibung=XSS, anbieter=anbieter, slug="xss")
    for url in ("/angebote/", angebot.get_absolute_url()):
        inhalt = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in inhalt
        assert "<img src=x" not in inhalt
    detail = client.get(angebot.get_absolute_url()).content.decode()
    json_ld = detail.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in json_ld
    assert json.loads(json_ld)["name"] == XSS
    daten = client.get("/angebote/karte.json").json()
    assert daten["features"][0]["properties"]["angebote"][0]["titel"] == XSS


def test_map_data_agrees_with_the_list(client):
    for i in range(6):
        AngebotFactory(standort=punkt_aus(48.70 + i * 0.01, 9.25), sprachen=[sprache("ar")])
    AngebotFactory(standort=OSTFILDERN, sprachen=[sprache("tr")])
    AngebotFactory(standort=punkt_aus(50.9375, 6.9603), sprachen=[sprache("ar")])
    abfrage = {"sprache": "ar", "wo": "73728", "umkreis": "20"}
    liste = client.get("/angebote/", abfrage).context["paginator"].object_list
    daten = client.get("/angebote/karte.json", abfrage).json()
    in_karte = {a["url"] for f in daten["features"] for a in f["properties"]["angebote"]}
    assert in_karte == {a.get_absolute_url() for a in liste}
    assert daten["gesamt"] == 6


def test_map_clusters_on_the_server(client, monkeypatch):
    monkeypatch.setattr(karte, "EINZELN_BIS", 5)
    for i in range(40):
        AngebotFactory(standort=punkt_aus(48.0 + (i % 8) * 0.01, 8.0 + (i // 8) * 0.01))
    daten = client.get("/angebote/karte.json", {"bbox": "5,47,15,55"}).json()
    assert daten["gesamt"] == 40
    assert sum(f["properties"]["anzahl"] for f in daten["features"]) == 40
    assert len(daten["features"]) < 40
    assert any(f["properties"]["cluster"] for f in daten["features"])
    nur_ausschnitt = client.get("/angebote/karte.json", {"bbox": "7.99,47.99,8.005,48.005"}).json()
    assert nur_ausschnitt["gesamt"] == 1


def test_map_ignores_a_broken_bbox(client):
    AngebotFactory()
    for bbox in ("abc", "1,2,3", "10,10,5,5", "nan,nan,nan,nan"):
        antwort = client.get("/angebote/karte.json", {"bbox": bbox})
        assert antwort.status_code == 200


def test_list_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for _ in range(30):
        AngebotFactory(standort=OSTFILDERN, sprachen=[sprache("ar"), sprache("de")])
    client.get("/angebote/")  # the process's search index is built once (its own queries)
    with django_assert_max_num_queries(16 + SUCHBUDGET_ABFRAGEN):
        client.get("/angebote/", {"wo": "73728", "alter": "3", "sprache": "ar", "q": "Eltern"})


def test_detail_query_count_is_bounded(client, django_assert_max_num_queries):
    angebot = AngebotFactory(sprachen=[sprache("ar"), sprache("tr")])
    for _ in range(5):
        TerminFactory(angebot=angebot)
    with django_assert_max_num_queries(14):
        client.get(angebot.get_absolute_url())


def test_public_pages_set_no_cookies(client):
    angebot = AngebotFactory()
    for url in ("/", "/angebote/", "/angebote/?wo=99999", angebot.get_absolute_url(), "/en/"):
        assert not client.get(url).cookies, url


def sitemap_adressen(client):
    antwort = client.get("/sitemap.xml")
    assert antwort.status_code == 200
    wurzel = ElementTree.fromstring(antwort.content)
    namensraum = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {loc.text for loc in wurzel.findall("s:url/s:loc", namensraum)}


@pytest.fixture
def seit_gestern_geladen(monkeypatch):
    """The site as a server process started yesterday sees it: URLconf and sitemaps imported
    while the clock said yesterday. Restored (imported afresh) afterwards."""
    import config.sitemaps
    import config.urls

    jetzt = timezone.now()
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: jetzt - datetime.timedelta(days=1))
        importlib.reload(config.sitemaps)
        importlib.reload(config.urls)
    clear_url_caches()
    yield
    importlib.reload(config.sitemaps)
    importlib.reload(config.urls)
    clear_url_caches()


def test_sitemap_lists_exactly_the_published_pages_of_today(client, seit_gestern_geladen):
    heute, tag = timezone.localdate(), datetime.timedelta(days=1)
    akteur = AkteurFactory()
    angebote = [
        AngebotFactory(titel="Ohne Zeitraum", anbieter=akteur),
        AngebotFactory(titel="Bis heute", gueltig_bis=heute, anbieter=akteur),
        AngebotFactory(titel="Ab heute", gueltig_von=heute, anbieter=akteur),
    ]
    # Expired yesterday: a process that took its date at import would still list it.
    AngebotFactory(titel="Bis gestern", gueltig_bis=heute - tag, anbieter=akteur)
    AngebotFactory(titel="Erst morgen", gueltig_von=heute + tag, anbieter=akteur)
    AngebotFactory(titel="Entwurf", status="entwurf", anbieter=akteur)
    AngebotFactory(titel="Beim Entwurf", anbieter=AkteurFactory(status="entwurf"))
    netzwerk = NetzwerkFactory()
    NetzwerkFactory(status="archiviert")
    erwartet = {
        f"http://testserver{url}"
        for url in [
            "/",
            "/angebote/",
            "/akteure/",
            "/netzwerke/",
            *(a.get_absolute_url() for a in angebote),
            akteur.get_absolute_url(),
            netzwerk.get_absolute_url(),
        ]
    }
    assert sitemap_adressen(client) == erwartet


def explain(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(zeile[0] for zeile in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    return plan


def test_text_geo_and_facet_queries_use_their_indexes():
    from django.http import QueryDict

    from angebote.filters import AngebotFilterSet, auswertung_sql
    from angebote.models import Angebot

    anbieter = AkteurFactory()
    Angebot.objects.bulk_create(
        Angebot(
            titel=f"Kurs {i}",
            slug=f"kurs-{i}",
            anbieter=anbieter,
            format="kurs",
            status="veroeffentlicht",
            standort=punkt_aus(47.5 + (i % 70) * 0.1, 6.0 + (i // 70) * 0.1),
        )
        for i in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE angebote_angebot")

    def plan(abfrage, sortiert=True):
        qs = AngebotFilterSet(QueryDict(abfrage), queryset=Angebot.objects.all()).qs
        if not sortiert:
            qs = qs.order_by()
        return explain(*qs.query.sql_with_params())

    # Without the order: on a reused test database full of dead rows the planner may prefer
    # walking the title index; what this proves is that the *filter* can use the GIN index.
    assert "angebot_suchvektor_gin" in plan("q=Beratung", sortiert=False)
    assert "Index Scan using angebote_angebot_standort" in plan("wo=73728")
    # A language filter finds its offerings through the link table's index on the language.
    assert "angebote_angebot_sprachen_sprache_id" in plan("sprache=ar")
    # The facets are counted from the hits' own rows (their copied ids): the statement that
    # counts them reads no link table at all, so it costs no index lookup per hit.
    qs = AngebotFilterSet(QueryDict("wo=73728"), queryset=Angebot.objects.all()).qs
    facetten = explain(*auswertung_sql(qs, seite=1, pro_seite=20))
    assert "Index Scan using angebote_angebot_standort" in facetten
    for tabelle in (
        "angebote_angebot_themen",
        "angebote_angebot_sprachen",
        "angebote_angebot_zielgruppen",
    ):
        assert tabelle not in facetten


@pytest.mark.parametrize(
    "eingabe, verstanden",
    [
        ("1,5", "1 Jahr 6 Monate"),
        ("1.5", "1 Jahr 6 Monate"),
        ("0,5", "6 Monate"),
        ("1, 5", "1 Jahr und 5 Jahre"),
        ("4 und schwanger", "4 Jahre und Schwangerschaft"),
    ],
)
def test_the_page_says_how_the_age_was_understood(client, eingabe, verstanden):
    from tests.seiten import chips, verstanden_alter

    AngebotFactory(titel="Krabbelgruppe", alter_von_monate=6, alter_bis_monate=24)
    antwort = client.get("/angebote/", {"alter": eingabe})
    assert verstanden_alter(antwort) == f"Verstanden als: {verstanden}"
    assert chips(antwort) == [f"Alter des Kindes: {verstanden}"]


def test_a_one_and_a_half_year_old_finds_toddler_offerings_not_school_ones(client):
    AngebotFactory(titel="Krabbelgruppe", alter_von_monate=12, alter_bis_monate=24)
    AngebotFactory(titel="Hausaufgabenhilfe", alter_von_monate=60, alter_bis_monate=119)
    antwort = client.get("/angebote/", {"alter": "1,5"})
    assert [a.titel for a in antwort.context["object_list"]] == ["Krabbelgruppe"]
    zwei = client.get("/angebote/", {"alter": "1, 5"})
    assert [a.titel for a in zwei.context["object_list"]] == ["Hausaufgabenhilfe", "Krabbelgruppe"]


def test_an_unreadable_age_gets_no_understood_note(client):
    from tests.seiten import suchfehler, verstanden_alter

    antwort = client.get("/angebote/", {"alter": "4,18m"})
    assert verstanden_alter(antwort) == ""
    assert suchfehler(antwort) == [
        "Alter des Kindes: „4,18m“ verstehen wir nicht als Alter. Bitte Jahre (z. B. 4 oder 1,5), "
        "Monate (z. B. 18m) oder „schwanger“ angeben, mehrere Kinder mit Komma und Leerzeichen "
        "getrennt (z. B. „1, 5“)."
    ]
