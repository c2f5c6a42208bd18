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
    # The admin's maps (django-leaflet) draw the same layer.
    assert settings.LEAFLET_CONFIG["TILES"] == [
        ("OpenStreetMap", settings.MAP_TILE_URL, {"attribution": settings.MAP_ATTRIBUTION})
    ]


def test_every_public_map_gets_the_shipped_tile_url_and_attribution(client):
    html = client.get("/angebote/").content.decode()
    anfang = html.index('<script id="karten-einstellungen" type="application/json">')
    daten = json.loads(html[html.index(">", anfang) + 1 : html.index("</script>", anfang)])
    assert daten == {
        "kachel_url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        # karte.js has no text of its own: the page gives them in its language.
        "texte": {
            "plus": "Vergrößern",
            "minus": "Verkleinern",
            "einheit": "Angebote – vergrößern",
            "hier": "an diesem Ort",
            "mehr": "Alle in der Liste zeigen",
        },
    }
