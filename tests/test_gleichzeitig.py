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


def test_an_inline_row_changed_on_its_own_page_is_not_overwritten(client):
    eigen, _ = zwei_netze()
    person = eigen.kontaktperson
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    seite = client.get(url)
    formular = formulardaten(seite)
    nummer = next(
        k.split("-")[1]
        for k, v in formular.items()
        if k.startswith("kontaktpersonen-") and k.endswith("-id") and v == str(person.pk)
    )
    assert f'name="kontaktpersonen-{nummer}-atlas_fassung"' in seite.content.decode()
    # Someone else changes the contact person on its own page.
    andere = Client()
    andere.force_login(mit_rolle(rollen.REDAKTION, first_name="Rita", last_name="Redakteurin"))
    eigene_seite = reverse("admin:akteure_kontaktperson_change", args=[person.pk])
    daten = formulardaten(andere.get(eigene_seite), funktion="Leitung")
    assert andere.post(eigene_seite, daten).status_code == 302

    antwort = client.post(url, {**formular, f"kontaktpersonen-{nummer}-funktion": "Beratung"})

    assert antwort.status_code == 200
    inline = antwort.context["inline_admin_formsets"][0].formset.forms[int(nummer)]
    assert inline.non_field_errors()[0].startswith(
        "„Erika Amsel“ wurde inzwischen von Rita Redakteurin geändert"
    )
    person.refresh_from_db()
    assert person.funktion == "Leitung"


def test_the_version_column_of_a_tabular_inline_is_hidden(client):
    eigen, _ = zwei_netze()
    client.force_login(mit_rolle(rollen.REDAKTION))
    url = reverse("admin:angebote_angebot_change", args=[eigen.angebot.pk])
    html = client.get(url).content.decode()
    assert '<th class="column-atlas_fassung hidden">' in html
    assert f'name="termine-0-atlas_fassung" value="{eigen.termin.history.latest().history_id}"' in (
        html
    )
