"""Two people edit one record: the second save is refused with a German message naming who
changed it and when, on every change form of the domain models, and nothing is overwritten."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from atlas import rollen
from tests.admin_formular import formulardaten
from tests.bereich import mit_rolle, zwei_netze

pytestmark = pytest.mark.django_db

FELD = {
    "netzwerke_netzwerk": "ziele",
    "netzwerke_partnerschaft": "notiz",
    "akteure_akteur": "telefon",
    "akteure_kontaktperson": "funktion",
    "angebote_angebot": "kosten_hinweis",
    "angebote_termin": "ort",
}


@pytest.mark.parametrize("prefix", list(FELD))
def test_second_save_of_a_stale_form_is_refused(prefix):
    eigen, _ = zwei_netze()
    obj = dict(eigen.objekte())[prefix]
    feld = FELD[prefix]
    url = reverse(f"admin:{prefix}_change", args=[obj.pk])
    erste, zweite = Client(), Client()
    erste.force_login(eigen.koordination)
    zweite.force_login(
        mit_rolle(
            rollen.REDAKTION, username="redaktion", first_name="Rita", last_name="Redakteurin"
        )
    )
    formular_erste = formulardaten(erste.get(url))
    formular_zweite = formulardaten(zweite.get(url))

    assert zweite.post(url, {**formular_zweite, feld: "Zweite Fassung"}).status_code == 302
    antwort = erste.post(url, {**formular_erste, feld: "Erste Fassung"})

    assert antwort.status_code == 200
    zeile = type(obj).history.filter(id=obj.pk).latest()
    wann = date_format(timezone.localtime(zeile.history_date), "SHORT_DATETIME_FORMAT")
    assert antwort.context["adminform"].form.non_field_errors() == [
        f"„{type(obj).objects.get(pk=obj.pk)}“ wurde inzwischen von Rita Redakteurin geändert "
        f"({wann}). Ihre Änderungen wurden nicht gespeichert, damit sie diese Änderung nicht "
        "überschreiben. Öffnen Sie den Eintrag neu (z. B. in einem neuen Tab), um die aktuelle "
        "Fassung zu sehen, und tragen Sie Ihre Änderungen dort ein."
    ]
    obj.refresh_from_db()
    assert getattr(obj, feld) == "Zweite Fassung"


def test_an_action_in_between_also_counts_as_a_change(client):
    eigen, _ = zwei_netze()
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    formular = formulardaten(client.get(url))
    client.post(
        reverse("admin:akteure_akteur_changelist"),
        {"action": "als_geprueft_markieren", "_selected_action": [eigen.akteur.pk]},
    )

    antwort = client.post(url, {**formular, "telefon": "0711 99"})

    assert antwort.status_code == 200
    assert "wurde inzwischen von" in antwort.context["adminform"].form.non_field_errors()[0]


def test_a_fresh_form_saves_and_the_next_one_too(client):
    eigen, _ = zwei_netze()
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])

    assert client.post(url, formulardaten(client.get(url), telefon="0711 1")).status_code == 302
    assert client.post(url, formulardaten(client.get(url), telefon="0711 2")).status_code == 302

    eigen.akteur.refresh_from_db()
    assert eigen.akteur.telefon == "0711 2"


def test_the_version_is_a_hidden_field_of_the_change_form(client):
    eigen, _ = zwei_netze()
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    letzte = eigen.akteur.history.latest().history_id

    html = client.get(url).content.decode()

    assert (
        f'<input type="hidden" name="atlas_fassung" value="{letzte}" id="id_atlas_fassung">' in html
    )
