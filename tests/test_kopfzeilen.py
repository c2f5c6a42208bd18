"""Security headers and compression (atlas/kopfzeilen.py, CONTENT_SECURITY_POLICY in settings)."""

import gzip
import json
import logging
import re

import pytest
from django.conf import settings

from tests import factories

POLITIK = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def richtlinie(antwort):
    return dict(
        (teil.split(" ", 1) + [""])[:2] for teil in antwort["Content-Security-Policy"].split("; ")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pfad", ["/", "/angebote/", "/akteure/", "/api/hsds/services", "/gibtsnicht/"]
)
def test_every_response_has_the_policy_with_a_fresh_nonce(client, pfad):
    erste, zweite = client.get(pfad), client.get(pfad)
    teile = richtlinie(erste)
    assert teile["default-src"] == "'self'"
    assert teile["style-src"] == "'self'"
    assert teile["object-src"] == "'none'"
    assert teile["frame-ancestors"] == "'none'"
    assert teile["img-src"] == "'self' data: https://tile.openstreetmap.org"
    assert teile["report-uri"] == "/-/csp-bericht/"
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9+/=]{24}'", teile["script-src"])
    assert POLITIK.search(erste["Content-Security-Policy"]).group(1) != POLITIK.search(
        zweite["Content-Security-Policy"]
    ).group(1)
    assert erste["Cross-Origin-Opener-Policy"] == "same-origin"
    assert erste["Permissions-Policy"].startswith("geolocation=(self), camera=(), microphone=()")


def test_tile_origin_for_img_src():
    from config.settings.base import _kachel_quelle

    assert _kachel_quelle("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    assert _kachel_quelle("https://kacheln.example.de:8443/{z}/{x}/{y}.png") == (
        "https://kacheln.example.de:8443"
    )
    assert _kachel_quelle("/static/kacheln/{z}/{x}/{y}.png") is None


@pytest.mark.django_db
def test_admin_map_widget_script_carries_the_response_nonce(client):
    redaktion = factories.UserFactory(is_superuser=True)
    akteur = factories.AkteurFactory()
    client.force_login(redaktion)
    antwort = client.get(f"/admin/akteure/akteur/{akteur.pk}/change/")
    assert antwort.status_code == 200
    nonce = POLITIK.search(antwort["Content-Security-Policy"]).group(1)
    html = antwort.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    ausfuehrbar = [a for a in inline if "application/json" not in a]
    assert ausfuehrbar, "the map widget has inline scripts"
    assert all(f'nonce="{nonce}"' in a for a in ausfuehrbar), ausfuehrbar


@pytest.mark.django_db
def test_public_html_is_compressed_staff_pages_are_not(client):
    antwort = client.get("/angebote/", HTTP_ACCEPT_ENCODING="gzip")
    assert antwort["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(antwort.content)
    client.force_login(factories.UserFactory(is_superuser=True))
    for pfad in ["/angebote/", "/admin/"]:
        antwort = client.get(pfad, HTTP_ACCEPT_ENCODING="gzip")
        assert antwort.status_code == 200
        assert "Content-Encoding" not in antwort, pfad


@pytest.mark.django_db
def test_csp_report_is_logged(client, caplog):
    bericht = {
        "csp-report": {
            "document-uri": "https://atlas.example/angebote/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level(logging.WARNING, logger="atlas.csp"):
        antwort = client.post(
            "/-/csp-bericht/", json.dumps(bericht), content_type="application/csp-report"
        )
    assert antwort.status_code == 204
    assert caplog.messages == [
        "CSP-Verstoß: script-src-elem blockiert inline auf https://atlas.example/angebote/"
    ]
    assert client.post("/-/csp-bericht/", "kein json", content_type="text/plain").status_code == 204
    assert client.get("/-/csp-bericht/").status_code == 405


def test_settings_ship_the_policy():
    assert "csp" in settings.INSTALLED_APPS
    assert settings.SECURE_REDIRECT_EXEMPT == [r"^-/"]
