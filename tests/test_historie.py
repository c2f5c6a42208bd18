"""Every admin write path records who, when and what; coordinators revert within their scope."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from akteure.models import Kontaktperson
from tests.admin_formular import formulardaten
from tests.bereich import FREMD, zwei_netze

pytestmark = pytest.mark.django_db


@pytest.fixture
def netze():
    return zwei_netze()


def test_change_form_records_user_and_changed_fields(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    antwort = client.post(url, formulardaten(client.get(url), telefon="0711 4711"))
    assert antwort.status_code == 302
    letzter = eigen.akteur.history.latest()
    assert letzter.history_user == eigen.koordination
    assert letzter.history_type == "~"
    delta = letzter.diff_against(letzter.prev_record)
    assert [c.field for c in delta.changes] == ["telefon"]


def test_inline_records_user(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    daten = formulardaten(client.get(url))
    gesamt = int(daten["kontaktpersonen-TOTAL_FORMS"])
    daten.update(
        {
            "kontaktpersonen-TOTAL_FORMS": str(gesamt + 1),
            f"kontaktpersonen-{gesamt}-name": "Nadia Haddad",
            f"kontaktpersonen-{gesamt}-funktion": "Elternbegleiterin",
        }
    )
    assert client.post(url, daten).status_code == 302
    neu = Kontaktperson.objects.get(name="Nadia Haddad")
    assert neu.history.get().history_user == eigen.koordination


def test_delete_action_records_user(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    termin_id = eigen.termin.pk
    client.post(
        reverse("admin:angebote_termin_changelist"),
        {"action": "delete_selected", "_selected_action": [termin_id], "post": "yes"},
    )
    geloescht = type(eigen.termin).history.filter(id=termin_id).latest()
    assert geloescht.history_type == "-"
    assert geloescht.history_user == eigen.koordination


def test_history_page_shows_who_changed_what(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_change", args=[eigen.angebot.pk])
    client.post(url, formulardaten(client.get(url), titel="Elterncafé Amsel am Markt"))
    seite = client.get(reverse("admin:angebote_angebot_history", args=[eigen.angebot.pk]))
    text = seite.content.decode()
    assert eigen.koordination.username in text
    assert "Elterncafé Amsel am Markt" in text


def test_coordinator_reverts_a_change_in_scope(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    vorher = eigen.akteur.history.latest()
    client.post(url, formulardaten(client.get(url), name="Familienzentrum Falsch"))
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.name == "Familienzentrum Falsch"

    zurueck = reverse(
        "admin:akteure_akteur_simple_history", args=[eigen.akteur.pk, vorher.history_id]
    )
    seite = client.get(zurueck)
    assert seite.status_code == 200
    antwort = client.post(zurueck, formulardaten(seite))
    assert antwort.status_code == 302
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.name == "Familienzentrum Amsel"
    assert eigen.akteur.history.latest().history_user == eigen.koordination


def test_coordinator_cannot_revert_other_networks_records(client, netze):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    version = fremd.akteur.history.latest().history_id
    zurueck = reverse("admin:akteure_akteur_simple_history", args=[fremd.akteur.pk, version])
    for antwort in [client.get(zurueck), client.post(zurueck, {"name": "Gekapert"})]:
        assert antwort.status_code in (403, 404)
        assert FREMD not in antwort.content.decode()
    fremd.akteur.refresh_from_db()
    assert fremd.akteur.name == f"Familienzentrum {FREMD}"


def kopfzeile(inhalt):
    return re.findall(r'<th scope="col">([^<]*)</th>', inhalt)


def zellen(inhalt):
    """The history table's rows, newest first: the text of each cell, whitespace folded."""
    tabelle = re.search(r'<table id="change-history">.*?<tbody>(.*?)</tbody>', inhalt, re.S)[1]
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", zelle)).split())
            for zelle in re.findall(r"<td>(.*?)</td>", zeile, re.S)
        ]
        for zeile in re.findall(r"<tr>(.*?)</tr>", tabelle, re.S)
    ]


@pytest.mark.parametrize(
    ("sprache", "spalten", "unbekannt", "angelegt", "geaendert", "titel"),
    [
        (
            "",
            ["Eintrag", "Status", "Wann", "Wer", "Was"],
            "unbekannt",
            "angelegt",
            "geändert",
            "Titel",
        ),
        (
            "/en",
            ["Entry", "Status", "When", "Who", "What"],
            "unknown",
            "created",
            "changed",
            "Title",
        ),
    ],
)
def test_history_page_names_its_columns_and_never_shows_none(
    client, netze, sprache, spalten, unbekannt, angelegt, geaendert, titel
):
    eigen, _ = netze
    angebot = eigen.angebot  # created by a factory: no user, no reason
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_change", args=[angebot.pk])
    client.post(url, formulardaten(client.get(url), titel="Elterncafé Amsel am Markt"))
    seite = client.get(f"{sprache}{reverse('admin:angebote_angebot_history', args=[angebot.pk])}")
    assert seite.status_code == 200
    inhalt = seite.content.decode()
    assert kopfzeile(inhalt) == spalten
    neu, alt = zellen(inhalt)
    status = "veröffentlicht" if not sprache else "published"
    assert neu[:2] == ["Elterncafé Amsel am Markt", status]
    assert neu[3:] == [
        eigen.koordination.username,
        f"{geaendert} {titel}: Elterncafé Amsel → Elterncafé Amsel am Markt",
    ]
    with translation.override(sprache.strip("/") or "de"):
        wann = [
            date_format(timezone.localtime(z.history_date), "SHORT_DATETIME_FORMAT")
            for z in angebot.history.order_by("-history_date")
        ]
    assert [neu[2], alt[2]] == wann
    assert alt[:2] == ["Elterncafé Amsel", status]
    assert alt[3:] == [unbekannt, angelegt]
    assert "None" not in inhalt
