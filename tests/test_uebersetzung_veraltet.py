"""Outdated translations in the admin: a changelist filter (any language or one) on offerings,
actors and networks, and a count on the start page – within the coordinator's scope."""

import re

import pytest
from django.db.models import Value

from atlas.uebersetzung import quell_hash, quell_hash_sql
from netzwerke.models import Netzwerk
from tests.bereich import FREMD, mit_rolle, zwei_netze
from tests.factories import AngebotFactory, NetzwerkFactory
from tests.test_mehrsprachig import uebersetzen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Stillcafé",
        "  Zeile eins  \r\n Zeile zwei\t\n\n\tZeile drei \u00a0 ",
        "\u3000Anfang\u2028Mitte\u2029Ende\x85Schluss\u00a0",
        "a\x1f\nb\x0bc\x0cd\x1ce\re",
        "Leerzeilen \n \n\t\nam Ende\n\n",
        "مقهى الأهل\r\nلقاء مفتوح",
    ],
)
def test_the_database_fingerprints_a_german_text_as_python_does(text):
    netzwerk = NetzwerkFactory()
    (sql,) = Netzwerk.objects.filter(pk=netzwerk.pk).values_list(
        quell_hash_sql(Value(text)), flat=True
    )
    assert sql == quell_hash(text)


@pytest.fixture
def netze():
    eigen, fremd = zwei_netze()
    aktuell = AngebotFactory(titel="Aktuell", anbieter=eigen.akteur, netzwerk=eigen.netzwerk)
    uebersetzen(aktuell, "titel", "tr", "Güncel")
    # Own offering: Arabic outdated (title changed afterwards), Turkish current.
    uebersetzen(eigen.angebot, "titel", "ar", "مقهى")
    uebersetzen(eigen.angebot, "beschreibung", "tr", "Açık buluşma.")
    eigen.angebot.titel = "Elterncafé Amsel am Markt"
    eigen.angebot.save()
    # The other network's offering is outdated too (and never shown to us).
    uebersetzen(fremd.angebot, "titel", "tr", f"{FREMD} kafesi")
    fremd.angebot.titel = f"Elterncafé {FREMD} neu"
    fremd.angebot.save()
    # Own actor and network: outdated Ukrainian description, outdated Steckbrief.
    eigen.akteur.beschreibung = "Alt."
    eigen.akteur.save()
    uebersetzen(eigen.akteur, "beschreibung", "uk", "Старе.")
    eigen.akteur.beschreibung = "Neu."
    eigen.akteur.save()
    Netzwerk.objects.filter(pk=eigen.netzwerk.pk).update(ziele="Familien stärken.")
    eigen.netzwerk.refresh_from_db()
    uebersetzen(eigen.netzwerk, "ziele", "fa", "تقویت خانواده‌ها.")
    Netzwerk.objects.filter(pk=eigen.netzwerk.pk).update(ziele="Familien stärken, gemeinsam.")
    return eigen, fremd


def treffer(client, modell, **filter_):
    antwort = client.get(f"/admin/{modell}/", filter_)
    assert antwort.status_code == 200
    return sorted(str(o) for o in antwort.context["cl"].result_list)


def test_the_changelists_filter_outdated_translations_in_the_coordinators_scope(client, netze):
    eigen, _fremd = netze
    client.force_login(eigen.koordination)
    angebote = "angebote/angebot"
    assert treffer(client, angebote, uebersetzung_veraltet="alle") == ["Elterncafé Amsel am Markt"]
    assert treffer(client, angebote, uebersetzung_veraltet="ar") == ["Elterncafé Amsel am Markt"]
    assert treffer(client, angebote, uebersetzung_veraltet="tr") == []
    assert treffer(client, "akteure/akteur", uebersetzung_veraltet="uk") == [
        "Familienzentrum Amsel"
    ]
    assert treffer(client, "akteure/akteur", uebersetzung_veraltet="tr") == []
    assert treffer(client, "netzwerke/netzwerk", uebersetzung_veraltet="alle") == ["Netzwerk Amsel"]
    seite = client.get("/admin/angebote/angebot/").content.decode()
    assert "?uebersetzung_veraltet=ar" in seite
    assert FREMD not in seite


def test_the_redaktion_sees_every_outdated_translation(client, netze):
    client.force_login(mit_rolle("Redaktion"))
    assert treffer(client, "angebote/angebot", uebersetzung_veraltet="alle") == [
        "Elterncafé Amsel am Markt",
        f"Elterncafé {FREMD} neu",
    ]


def modul(html):
    anfang = html.index('id="atlas-uebersetzungen-veraltet"')
    teil = html[anfang : html.index("</table>", anfang)]
    return re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td>', teil)


def test_the_start_page_counts_records_with_outdated_translations(client, netze):
    eigen, _fremd = netze
    client.force_login(eigen.koordination)
    assert modul(client.get("/admin/").content.decode()) == [
        ("/admin/akteure/akteur/?uebersetzung_veraltet=alle", "Akteure", "1"),
        ("/admin/netzwerke/netzwerk/?uebersetzung_veraltet=alle", "Netzwerke", "1"),
        ("/admin/angebote/angebot/?uebersetzung_veraltet=alle", "Angebote", "1"),
    ]
    client.force_login(mit_rolle("Redaktion"))
    assert ("/admin/angebote/angebot/?uebersetzung_veraltet=alle", "Angebote", "2") in modul(
        client.get("/admin/").content.decode()
    )


def test_without_outdated_translations_the_start_page_has_no_such_module(client):
    eigen, _fremd = zwei_netze()
    uebersetzen(eigen.angebot, "titel", "tr", "Veli kafesi")
    client.force_login(eigen.koordination)
    assert 'id="atlas-uebersetzungen-veraltet"' not in client.get("/admin/").content.decode()
