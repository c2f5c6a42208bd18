"""Rate limits of anonymous requests (atlas/drosselung.py): the budget of lists, maps and searches,
and counters every worker shares – in the database without Redis (the shipped default here),
in Redis with REDIS_URL (tests/test_mehrere_server.py)."""

import itertools

import pytest

from angebote.models import Format
from atlas.drosselung import suche_buchen, suchkosten
from atlas.models import Drosselungszaehler
from tests.factories import AkteurFactory, AngebotFactory, UserFactory, sprache, thema

THEMEN = [
    "babymassage",
    "schwangerschaft-geburt",
    "familienbildung",
    "sprachforderung",
    "erziehungsberatung",
]


@pytest.fixture
def ein_fenster(settings):
    """A window of a day: one that ended during a test (windows are fixed, the minute ends
    every minute) would reopen the budget mid-test."""
    settings.SUCHBUDGET_SEKUNDEN = 86400


@pytest.fixture
def angebote(db):
    for nummer, slug in enumerate(THEMEN):
        AngebotFactory(titel=f"Angebot {nummer}", themen=[thema(slug)], sprachen=[sprache("de")])
    AkteurFactory(name="Familienzentrum Nord")


def test_the_shipped_settings_count_in_the_database_without_redis(settings):
    assert not settings.REDIS_URL
    assert settings.DROSSELUNG_CACHE == ""
    assert settings.SUCHBUDGET_PUNKTE == 300
    assert "atlas.drosselung.SuchbudgetMiddleware" in settings.MIDDLEWARE


def test_cost_of_a_request(settings):
    assert suchkosten(neue_suche=False, millisekunden=12) == 1
    assert suchkosten(neue_suche=True, millisekunden=12) == 5
    # A broad search that missed the result cache: its server time counts.
    assert suchkosten(neue_suche=True, millisekunden=450) == 9
    settings.SUCHBUDGET_MS_PRO_PUNKT = 50
    assert suchkosten(neue_suche=False, millisekunden=450) == 10


def test_a_familys_forty_normal_requests_are_never_limited(client, angebote, ein_fenster):
    bbox = "9.2,48.6,9.4,48.8"
    anfragen = [
        ("/angebote/", {}),
        ("/angebote/", {"wo": "73728"}),
        ("/angebote/", {"wo": "73728", "alter": "2"}),
        ("/angebote/", {"wo": "73728", "alter": "2, 5"}),
        ("/angebote/", {"wo": "73728", "alter": "2, 5", "thema": "babymassage"}),
        ("/angebote/", {"wo": "73728", "alter": "2, 5", "kostenlos": "on"}),
        ("/angebote/", {"wo": "73728", "alter": "2, 5", "kostenlos": "on", "seite": "2"}),
        ("/angebote/", {"wo": "73728", "alter": "2, 5", "sortierung": "name"}),
        ("/angebote/", {"thema": "familienbildung"}),
        ("/angebote/", {"thema": "familienbildung", "seite": "2"}),
        ("/angebote/", {"thema": "familienbildung", "seite": "3"}),
        ("/angebote/", {"q": "Babymassage"}),
        ("/angebote/", {"q": "Babymassage", "wo": "73728"}),
        ("/akteure/", {}),
        ("/akteure/", {"wo": "73728"}),
        ("/netzwerke/", {}),
        ("/en/angebote/", {"wo": "73728"}),
    ]
    # Panning and zooming the map of one search: the same search, other viewports.
    for schritt in range(15):
        westen = 9.2 + schritt * 0.01
        anfragen.append(
            (
                "/angebote/karte.json",
                {"wo": "73728", "alter": "2, 5", "bbox": f"{westen},48.6,{westen + 0.2},48.8"},
            )
        )
    anfragen += [("/angebote/karte.json", {"bbox": bbox})] * 2
    anfragen += [
        ("/angebote/", {"wo": "73728", "alter": "2, 5", "seite": str(s)}) for s in (1, 2, 3)
    ]
    anfragen += [("/akteure/karte.json", {"bbox": bbox}), ("/angebote/", {"barrierefrei": "on"})]
    anfragen += [("/angebote/", {"wo": "73728", "alter": "2, 5", "kinderbetreuung": "on"})]
    assert len(anfragen) == 40
    antworten = [client.get(pfad, daten) for pfad, daten in anfragen]
    assert [a.status_code for a in antworten] == [200] * 40
    # 14 distinct searches (5 points each; a list's map data is the list's search) and 26
    # requests within them (1 point each), plus server time: far below 300.
    stand = Drosselungszaehler.objects.get(schluessel__startswith="suchbudget:127.0.0.1:").wert
    assert 14 * 5 + 26 <= stand < 200


def _breite_suchen():
    """Distinct broad searches (topic × free of charge × format × age), as a crawler walks them."""
    for slug, kostenlos, format, alter in itertools.product(
        THEMEN, ("", "on"), ("", *Format.values), ("", "3")
    ):
        yield {"thema": slug, "kostenlos": kostenlos, "format": format, "alter": alter}


def test_a_crawlers_distinct_broad_searches_get_the_german_429(client, angebote, ein_fenster):
    codes = []
    for daten in _breite_suchen():
        antwort = client.get("/angebote/", daten)
        codes.append(antwort.status_code)
        if antwort.status_code == 429:
            break
    # At least 5 points per new search (more for server time): refused by the 61st search.
    assert set(codes[:-1]) == {200}
    assert codes[-1] == 429
    assert 30 < len(codes) <= 61
    assert 1 <= int(antwort["Retry-After"]) <= 86400
    assert antwort["Content-Type"] == "text/html; charset=utf-8"
    assert "no-store" in antwort["Cache-Control"]
    seite = antwort.content.decode()
    assert "<h1>Zu viele Anfragen</h1>" in seite
    assert "Bitte warten Sie" in seite
    # The map data says it in JSON; the English site in English; the API has its own limit.
    karte = client.get("/angebote/karte.json", {"bbox": "9.2,48.6,9.4,48.8"})
    assert karte.status_code == 429
    assert karte.json()["retry_after"] == int(karte["Retry-After"])
    assert karte.json()["error"].startswith("Zu viele Anfragen. Bitte warten Sie")
    englisch = client.get("/en/akteure/")
    assert englisch.status_code == 429
    assert "<h1>Too many requests</h1>" in englisch.content.decode()
    # The pages of single offerings, another address and staff are not limited.
    assert client.get("/impressum/").status_code == 200
    assert client.get("/angebote/", REMOTE_ADDR="203.0.113.7").status_code == 200
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/angebote/", {"thema": "babymassage", "q": "neu"}).status_code == 200


def test_no_budget_with_zero_points(client, angebote, settings):
    settings.SUCHBUDGET_PUNKTE = 0
    suchen = itertools.islice(_breite_suchen(), 65)
    codes = {client.get("/angebote/", daten).status_code for daten in suchen}
    assert codes == {200}
    assert not Drosselungszaehler.objects.exists()


def test_searches_are_new_once_per_window(db):
    schluessel, suche = "suchbudget:198.51.100.1:60:1", "suche:198.51.100.1:60:1:abc"
    assert suche_buchen(schluessel, suche, 60) == 5
    assert suche_buchen(schluessel, suche, 60) == 6
    assert suche_buchen(schluessel, suche + "d", 60) == 11
    # A slow request: one point more per full 100 ms.
    assert suche_buchen(schluessel, suche, 60, millisekunden=250) == 14
