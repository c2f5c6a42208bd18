"""The tests run the map configuration the site ships: tile URL and attribution come from
config.settings.base (the environment), not from a test override that hides what users get."""

import json

import pytest
from django.conf import settings

from config.settings import base

pytestmark = pytest.mark.django_db


def test_tests_use_the_shipped_tile_url_and_attribution():
    assert settings.MAP_TILE_URL == base.MAP_TILE_URL
    assert settings.MAP_ATTRIBUTION == base.MAP_ATTRIBUTION
    # The admin's maps (django-leaflet) load no tiles themselves: they get the public maps'
    # local background and button (static/js/karte_admin.js).
    assert settings.LEAFLET_CONFIG["TILES"] == []
    # django-leaflet normalises the plugin list in place: its own form scripts, then ours.
    assert settings.LEAFLET_CONFIG["PLUGINS"]["forms"]["js"][-2:] == [
        "/static/js/stadtplan.js",
        "/static/js/karte_admin.js",
    ]


def karten_daten(html):
    anfang = html.index('<script id="karten-einstellungen" type="application/json">')
    return json.loads(html[html.index(">", anfang) + 1 : html.index("</script>", anfang)])


def test_every_public_map_gets_the_shipped_tile_server_and_what_it_is_told(client):
    daten = karten_daten(client.get("/angebote/").content.decode())
    assert {k: v for k, v in daten.items() if k != "texte"} == {
        "kachel_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "eigener_server": False,
        "umriss_url": "/static/vendor/world-atlas/umriss.geojson",
        "umriss_attribution": (
            'Umrisse: <a href="https://www.naturalearthdata.com/">Natural Earth</a>'
        ),
    }
    assert daten["texte"]["laden"] == "Stadtplan laden (OpenStreetMap)"
    assert daten["texte"]["erklaerung"] == (
        "Die Karte zeigt bisher nur Umrisse von diesem Server. Der Stadtplan kommt von "
        "tile.openstreetmap.org (OpenStreetMap Foundation, St John’s Innovation Centre, "
        "Cambridge, UK): Ihr Browser sendet dorthin Ihre IP-Adresse und den Kartenausschnitt. "
        "Ihre Wahl speichert nur dieser Browser, ohne Cookie."
    )


def test_the_outline_file_is_shipped_with_its_licence():
    ordner = settings.BASE_DIR / "static" / "vendor" / "world-atlas"
    daten = json.loads((ordner / "umriss.geojson").read_text(encoding="utf-8"))
    namen = [f["properties"]["name"] for f in daten["features"] if f["properties"]["deutschland"]]
    assert namen == ["Germany"]
    assert "Copyright 2013-2019 Michael Bostock" in (ordner / "LICENSE").read_text()
    assert "Natural Earth" in (ordner / "README.md").read_text()


def test_the_admin_pages_carry_the_map_settings(admin_client):
    html = admin_client.get("/admin/akteure/akteur/add/").content.decode()
    assert karten_daten(html)["texte"]["laden"] == "Stadtplan laden (OpenStreetMap)"
    assert "/static/js/stadtplan.js" in html and "/static/js/karte_admin.js" in html
