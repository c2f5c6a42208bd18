"""The budget of anonymous lists and searches as a visitor meets it, and counters that every
worker shares without Redis (atlas/drosselung.py).

The worker tests are here because they need committed rows (another worker's connection sees
only those): this folder's conftest refills the data migrations' rows after each flush.
"""

import threading

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from playwright.sync_api import expect

from atlas.drosselung import warten_noetig
from tests.e2e.conftest import axe_bericht, axe_verstoesse
from tests.factories import AngebotFactory, thema

THEMEN = ["babymassage", "familienbildung", "erziehungsberatung", "sprachforderung"]


def test_the_429_page_in_the_visitors_language_is_accessible(context, settings, familien_daten):
    # A new search costs 5 points: the budget is spent after the first page.
    settings.SUCHBUDGET_PUNKTE = 5
    settings.SUCHBUDGET_SEKUNDEN = 86400  # no window ends during the test
    context.wache.erwartete_status.add(429)  # the map data of that page, and the next page
    page = context.new_page()
    with page.expect_response(lambda antwort: "/karte.json" in antwort.url) as karte:
        assert page.goto("/angebote/?thema=familienbildung").status == 200
    # The page's map data is the next request: refused in JSON, the map stays as it is.
    assert karte.value.status == 429
    antwort = page.goto("/angebote/?thema=babymassage")
    assert antwort.status == 429
    assert 1 <= int(antwort.headers["retry-after"]) <= 86400
    expect(page.locator("h1")).to_have_text("Zu viele Anfragen")
    expect(page.locator("main p").first).to_contain_text("Bitte warten Sie")
    verstoesse = axe_verstoesse(page)
    assert page.goto("/en/angebote/?thema=babymassage").status == 429
    expect(page.locator("h1")).to_have_text("Too many requests")
    verstoesse += axe_verstoesse(page)
    assert not verstoesse, axe_bericht(verstoesse)


def _in_anderem_worker(funktion):
    """Run `funktion` in another thread: its own database connection, as another worker has."""
    ergebnis = []

    def laufen():
        try:
            ergebnis.append(funktion())
        finally:
            connections.close_all()

    faden = threading.Thread(target=laufen)
    faden.start()
    faden.join()
    return ergebnis[0]


@pytest.mark.django_db(transaction=True)
def test_the_search_budget_is_shared_by_two_workers(settings):
    for slug in THEMEN:
        AngebotFactory(themen=[thema(slug)])
    settings.SUCHBUDGET_PUNKTE = 20  # four new searches
    settings.SUCHBUDGET_SEKUNDEN = 86400  # no window ends during the test
    erster, zweiter = Client(), Client()
    assert erster.get("/angebote/", {"thema": THEMEN[0]}).status_code == 200
    assert erster.get("/angebote/", {"thema": THEMEN[1]}).status_code == 200
    anderer = _in_anderem_worker(
        lambda: [zweiter.get("/angebote/", {"thema": t}).status_code for t in THEMEN[2:]]
    )
    # Each worker answered two new searches: 20 points, unless server time added some.
    assert anderer in ([200, 200], [200, 429])
    assert erster.get("/angebote/", {"thema": THEMEN[0], "seite": "2"}).status_code == 429
    assert _in_anderem_worker(lambda: zweiter.get("/akteure/").status_code) == 429


@pytest.mark.django_db(transaction=True)
def test_api_and_export_counters_are_shared_by_workers_without_redis(settings):
    """Three workers let DROSSELUNG_ANFRAGEN through together, not each."""
    assert settings.DROSSELUNG_CACHE == ""  # no Redis: the database table
    anfrage = RequestFactory().get("/api/hsds/services/", REMOTE_ADDR="203.0.113.9")
    anfrage.user = None

    def zaehlen():
        return warten_noetig(anfrage, bereich="api", anfragen=3, sekunden=86400)

    assert [zaehlen(), _in_anderem_worker(zaehlen), _in_anderem_worker(zaehlen)] == [None] * 3
    warten = zaehlen()
    assert warten is not None and 1 <= warten <= 86400
