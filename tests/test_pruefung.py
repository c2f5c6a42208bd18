"""Publication and freshness in the admin: completeness before publishing, "Als geprüft
markieren", "Prüfung fällig", the position proposed from the PLZ and the duplicate warning."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from akteure.models import Akteur, Postleitzahl
from angebote.models import Angebot
from atlas import rollen
from atlas.models import Status
from atlas.pruefung import pruefung_faellig, pruefung_stichtag
from netzwerke.models import Netzwerk, Partnerschaft
from tests.admin_formular import formulardaten
from tests.bereich import FREMD, mit_rolle, zwei_netze
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    ProgrammFactory,
    thema,
    zielgruppe,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def netze():
    return zwei_netze()


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def speichern(client, obj, **aenderungen):
    """POST the change form as the browser would, with some fields changed."""
    url = change_url(obj)
    return client.post(url, formulardaten(client.get(url), **aenderungen))


def fehler(antwort):
    return [str(f) for f in antwort.context["adminform"].form.non_field_errors()]


def meldungen(antwort):
    return [str(m) for m in get_messages(antwort.wsgi_request)]


def partner(netz, **kwargs):
    """An Akteur of `netz` (a tests.bereich.Netz), in the coordinator's scope."""
    akteur = AkteurFactory(**kwargs)
    PartnerschaftFactory(netzwerk=netz.netzwerk, akteur=akteur)
    return akteur


# --- Completeness before publishing ---

AKTEUR_FEHLT = [
    "Ein veröffentlichter Akteur braucht eine Adresse – mindestens PLZ oder Ort.",
    "Ein veröffentlichter Akteur braucht einen Kontaktweg: Telefon, E-Mail oder Website.",
    "Ein veröffentlichter Akteur braucht eine Beschreibung.",
]


def test_publishing_an_incomplete_akteur_names_every_missing_item(client, netze):
    eigen, _ = netze
    akteur = partner(
        eigen, status=Status.ENTWURF, strasse="", plz="", ort="", standort=None, beschreibung=""
    )
    client.force_login(eigen.koordination)
    antwort = speichern(client, akteur, status=Status.VEROEFFENTLICHT)
    assert antwort.status_code == 200
    assert fehler(antwort) == AKTEUR_FEHLT
    akteur.refresh_from_db()
    assert akteur.status == Status.ENTWURF


def test_a_complete_akteur_is_published(client, netze):
    eigen, _ = netze
    akteur = partner(eigen, status=Status.ENTWURF)
    client.force_login(eigen.koordination)
    antwort = speichern(
        client,
        akteur,
        status=Status.VEROEFFENTLICHT,
        beschreibung="Offener Treff und Beratung für Familien.",
        email="info@example.org",
    )
    assert antwort.status_code == 302, fehler(antwort)
    akteur.refresh_from_db()
    assert akteur.status == Status.VEROEFFENTLICHT


def test_an_akteur_without_public_address_needs_only_plz_or_place(client, netze):
    """A Familienhebamme: no street, no marker – PLZ and place are enough to publish."""
    eigen, _ = netze
    hebamme = partner(
        eigen,
        name="Familienhebamme Petra Muster",
        status=Status.ENTWURF,
        strasse="",
        standort=None,
        telefon="0711 555",
        beschreibung="Begleitet Familien im ersten Lebensjahr zu Hause.",
    )
    client.force_login(eigen.koordination)
    antwort = speichern(client, hebamme, status=Status.VEROEFFENTLICHT)
    assert antwort.status_code == 302, fehler(antwort)
    hebamme.refresh_from_db()
    assert hebamme.status == Status.VEROEFFENTLICHT
    assert hebamme.standort is None  # no street, no proposed position


ANGEBOT_FEHLT = [
    "Ein veröffentlichtes Angebot braucht eine Beschreibung.",
    "Ein veröffentlichtes Angebot braucht mindestens ein Thema.",
    "Ein veröffentlichtes Angebot braucht eine Zielgruppe oder eine Altersangabe.",
    "Ein veröffentlichtes Angebot braucht einen Ort – oder es ist online oder aufsuchend "
    "(Hausbesuch).",
    "Ein veröffentlichtes Angebot braucht einen Kontakt (E-Mail oder Telefon hier, oder "
    "Telefon, E-Mail oder Website beim Anbieter) oder einen Hinweis zur Anmeldung.",
]


def test_publishing_an_incomplete_angebot_names_every_missing_item_once(client, netze):
    eigen, _ = netze
    ohne_ort = partner(eigen, strasse="", plz="", ort="", standort=None)
    angebot = AngebotFactory(
        anbieter=ohne_ort, status=Status.ENTWURF, beschreibung="", format="kurs"
    )
    client.force_login(eigen.koordination)
    antwort = speichern(client, angebot, status=Status.VEROEFFENTLICHT)
    assert antwort.status_code == 200
    # The place rule is also a database constraint: its message appears once.
    assert sorted(fehler(antwort)) == sorted(ANGEBOT_FEHLT)
    angebot.refresh_from_db()
    assert angebot.status == Status.ENTWURF


def test_a_complete_angebot_is_published(client, netze):
    eigen, _ = netze
    angebot = AngebotFactory(anbieter=eigen.akteur, status=Status.ENTWURF, format="kurs")
    client.force_login(eigen.koordination)
    antwort = speichern(
        client,
        angebot,
        status=Status.VEROEFFENTLICHT,
        themen=[thema("elternkurs").pk],
        zielgruppen=[zielgruppe("eltern").pk],
        anmeldung_hinweis="Bitte telefonisch anmelden.",
    )
    assert antwort.status_code == 302, fehler(antwort)
    angebot.refresh_from_db()
    assert angebot.status == Status.VEROEFFENTLICHT
    assert angebot.standort == eigen.akteur.standort  # at the provider's address


def test_an_online_angebot_needs_no_place_and_uses_the_providers_contact(client, netze):
    eigen, _ = netze
    anbieter = partner(eigen, standort=None, strasse="", email="info@example.org")
    angebot = AngebotFactory(anbieter=anbieter, status=Status.ENTWURF, format="online")
    client.force_login(eigen.koordination)
    antwort = speichern(
        client,
        angebot,
        status=Status.VEROEFFENTLICHT,
        themen=[thema("elternkurs").pk],
        alter_von_monate="0",
    )
    assert antwort.status_code == 302, fehler(antwort)


NETZWERK_FEHLT = [
    "Ein veröffentlichtes Netzwerk im Programm „Elternchance“ braucht mindestens 3 Partner.",
    "Ein veröffentlichtes Netzwerk braucht einen koordinierenden Partner: eine gespeicherte "
    "Partnerschaft mit der Rolle „Koordination“.",
    "Im Steckbrief fehlen die Ziele („Das sind unsere Ziele“).",
    "Im Steckbrief fehlt neben den Zielen mindestens ein weiterer Abschnitt, z. B. „Darauf "
    "liegt unser Fokus“.",
]


def test_publishing_an_incomplete_network_names_every_missing_item_once(client, netze):
    eigen, _ = netze
    programm = ProgrammFactory(name="Elternchance", mindestanzahl_partner=3)
    Netzwerk.objects.filter(pk=eigen.netzwerk.pk).update(programm=programm, status=Status.ENTWURF)
    client.force_login(eigen.koordination)
    antwort = speichern(client, eigen.netzwerk, status=Status.VEROEFFENTLICHT)
    assert antwort.status_code == 200
    # The minimum of partners is also checked by Netzwerk.clean(): shown once.
    assert sorted(fehler(antwort)) == sorted(NETZWERK_FEHLT)
    eigen.netzwerk.refresh_from_db()
    assert eigen.netzwerk.status == Status.ENTWURF


def test_a_complete_network_is_published(client, netze):
    eigen, _ = netze
    Netzwerk.objects.filter(pk=eigen.netzwerk.pk).update(status=Status.ENTWURF)
    Partnerschaft.objects.filter(pk=eigen.partnerschaft.pk).update(rolle="koordination")
    client.force_login(eigen.koordination)
    antwort = speichern(
        client,
        eigen.netzwerk,
        status=Status.VEROEFFENTLICHT,
        ziele="Familien früh erreichen.",
        fokus="Übergang Kita – Schule.",
    )
    assert antwort.status_code == 302, fehler(antwort)
    eigen.netzwerk.refresh_from_db()
    assert eigen.netzwerk.status == Status.VEROEFFENTLICHT


def test_an_edit_may_not_make_a_published_record_incomplete(client, netze):
    eigen, _ = netze
    akteur = partner(eigen, beschreibung="Beratung.", telefon="0711 1")
    client.force_login(eigen.koordination)
    antwort = speichern(client, akteur, beschreibung="")
    assert fehler(antwort) == ["Ein veröffentlichter Akteur braucht eine Beschreibung."]
    akteur.refresh_from_db()
    assert akteur.beschreibung == "Beratung."


def test_a_record_published_before_the_check_can_still_be_corrected(client, netze):
    """Old published records lacking something are not locked: other edits still save."""
    eigen, _ = netze
    client.force_login(eigen.koordination)
    assert eigen.akteur.fehlende_angaben()  # published by the factory without a description
    antwort = speichern(client, eigen.akteur, telefon="0711 2")
    assert antwort.status_code == 302, fehler(antwort)


def test_the_publish_action_publishes_only_complete_records(client, netze):
    eigen, fremd = netze
    vollstaendig = partner(
        eigen, status=Status.ENTWURF, beschreibung="Beratung.", website="https://example.org"
    )
    unvollstaendig = partner(eigen, name="Kita Lückenhaft", status=Status.ENTWURF)
    Akteur.objects.filter(pk=fremd.akteur.pk).update(
        status=Status.ENTWURF, beschreibung="Beratung.", telefon="1"
    )
    client.force_login(eigen.koordination)
    antwort = client.post(
        changelist_url(Akteur),
        {
            "action": "veroeffentlichen",
            "_selected_action": [vollstaendig.pk, unvollstaendig.pk, fremd.akteur.pk],
        },
    )
    assert antwort.status_code == 302
    status = dict(Akteur.objects.values_list("pk", "status"))
    assert status[vollstaendig.pk] == Status.VEROEFFENTLICHT
    assert status[unvollstaendig.pk] == Status.ENTWURF
    assert status[fremd.akteur.pk] == Status.ENTWURF  # outside the scope: untouched
    texte = meldungen(antwort)
    assert "1 Eintrag veröffentlicht." in texte
    assert any(
        "„Kita Lückenhaft“ bleibt unveröffentlicht" in t
        and "braucht eine Beschreibung" in t
        and "Kontaktweg" in t
        for t in texte
    )
    assert not any(FREMD in t for t in texte)


# --- "Als geprüft markieren" ---


def test_the_action_marks_own_rows_only_and_keeps_the_last_change(client, netze):
    eigen, fremd = netze
    vorher = eigen.akteur.geaendert_am
    client.force_login(eigen.koordination)
    # A crafted POST naming the other network's row too.
    antwort = client.post(
        changelist_url(Akteur),
        {
            "action": "als_geprueft_markieren",
            "_selected_action": [eigen.akteur.pk, fremd.akteur.pk],
        },
    )
    assert antwort.status_code == 302
    eigen.akteur.refresh_from_db()
    fremd.akteur.refresh_from_db()
    assert eigen.akteur.geprueft_am == timezone.localdate()
    assert eigen.akteur.geprueft_von == eigen.koordination
    # Confirming is not editing: the last change stays what it was.
    assert eigen.akteur.geaendert_am == vorher
    assert fremd.akteur.geprueft_am is None
    assert fremd.akteur.geprueft_von is None
    zeile = eigen.akteur.history.latest()
    assert zeile.history_user == eigen.koordination
    assert zeile.geprueft_am == timezone.localdate()
    assert "1 Eintrag als geprüft markiert." in meldungen(antwort)


@pytest.mark.parametrize("model", [Netzwerk, Angebot])
def test_the_action_works_for_networks_and_offerings(client, netze, model):
    eigen, fremd = netze
    eigenes = {Netzwerk: eigen.netzwerk, Angebot: eigen.angebot}[model]
    fremdes = {Netzwerk: fremd.netzwerk, Angebot: fremd.angebot}[model]
    client.force_login(eigen.koordination)
    client.post(
        changelist_url(model),
        {"action": "als_geprueft_markieren", "_selected_action": [eigenes.pk, fremdes.pk]},
    )
    assert model.objects.get(pk=eigenes.pk).geprueft_von == eigen.koordination
    assert model.objects.get(pk=fremdes.pk).geprueft_von is None


def test_the_button_saves_and_marks_as_checked(client, netze):
    eigen, _ = netze
    akteur = eigen.akteur
    Akteur.objects.filter(pk=akteur.pk).update(
        geprueft_am=datetime.date(2020, 1, 1), geaendert_am=timezone.now() - datetime.timedelta(3)
    )
    client.force_login(eigen.koordination)
    seite = client.get(change_url(akteur))
    assert 'name="_geprueft"' in seite.content.decode()
    assert "Zuletzt geprüft am 01.01.2020" in seite.content.decode()
    daten = formulardaten(seite, telefon="0711 99", _geprueft="Als geprüft markieren")
    antwort = client.post(change_url(akteur), daten)
    assert antwort.status_code == 302
    akteur.refresh_from_db()
    assert akteur.telefon == "0711 99"  # the form's changes are saved with it
    assert akteur.geprueft_am == timezone.localdate()
    assert akteur.geprueft_von == eigen.koordination
    assert akteur.history.latest().history_user == eigen.koordination
    assert any("ist als geprüft markiert" in t for t in meldungen(antwort))


def test_a_plain_save_does_not_mark_as_checked(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    assert speichern(client, eigen.akteur, telefon="0711 98").status_code == 302
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.geprueft_am is None
    assert eigen.akteur.geaendert_am > eigen.akteur.erstellt_am


def test_jugendamt_can_neither_see_nor_use_the_check(client, netze):
    eigen, _ = netze
    client.force_login(mit_rolle(rollen.JUGENDAMT))
    liste = client.get(changelist_url(Akteur)).content.decode()
    assert "als_geprueft_markieren" not in liste
    assert "veroeffentlichen" not in liste
    assert 'name="_geprueft"' not in client.get(change_url(eigen.akteur)).content.decode()
    client.post(
        changelist_url(Akteur),
        {"action": "als_geprueft_markieren", "_selected_action": [eigen.akteur.pk]},
    )
    antwort = client.post(change_url(eigen.akteur), {"_geprueft": "1"})
    assert antwort.status_code == 403
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.geprueft_am is None


def test_the_button_cannot_mark_another_networks_record(client, netze):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    antwort = client.post(change_url(fremd.akteur), {"_geprueft": "1"})
    assert antwort.status_code in (403, 404)
    fremd.akteur.refresh_from_db()
    assert fremd.akteur.geprueft_am is None


# --- "Prüfung fällig" ---


@pytest.mark.parametrize(
    ("heute", "monate", "stichtag"),
    [
        (datetime.date(2026, 3, 10), 12, datetime.date(2025, 3, 10)),
        (datetime.date(2026, 1, 15), 1, datetime.date(2025, 12, 15)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2023, 2, 28)),
        (datetime.date(2026, 3, 10), 30, datetime.date(2023, 9, 10)),
    ],
)
def test_the_due_date_is_whole_months_back(heute, monate, stichtag):
    with override_settings(PRUEFUNG_FAELLIG_MONATE=monate):
        assert pruefung_stichtag(heute) == stichtag


def test_due_means_never_checked_or_checked_on_or_before_the_due_date(client, netze):
    eigen, _ = netze
    stichtag = pruefung_stichtag()
    faellig = partner(eigen, name="Genau zwölf Monate", geprueft_am=stichtag)
    nie = partner(eigen, name="Nie geprüft", geprueft_am=None)
    aktuell = partner(
        eigen, name="Einen Tag jünger", geprueft_am=stichtag + datetime.timedelta(days=1)
    )
    assert set(
        pruefung_faellig(Akteur.objects.filter(pk__in=[faellig.pk, nie.pk, aktuell.pk]))
    ) == {
        faellig,
        nie,
    }
    client.force_login(eigen.koordination)
    liste = client.get(changelist_url(Akteur), {"pruefung": "faellig"}).content.decode()
    assert "Genau zwölf Monate" in liste
    assert "Nie geprüft" in liste
    assert "Einen Tag jünger" not in liste
    assert FREMD not in liste
    gegenteil = client.get(changelist_url(Akteur), {"pruefung": "aktuell"}).content.decode()
    assert "Einen Tag jünger" in gegenteil
    assert "Genau zwölf Monate" not in gegenteil
    assert "Nie geprüft" not in gegenteil


@override_settings(PRUEFUNG_FAELLIG_MONATE=6)
def test_the_due_period_comes_from_the_setting(client, netze):
    eigen, _ = netze
    heute = timezone.localdate()
    partner(eigen, name="Vor sieben Monaten", geprueft_am=heute - datetime.timedelta(days=214))
    partner(eigen, name="Vor fünf Monaten", geprueft_am=heute - datetime.timedelta(days=150))
    client.force_login(eigen.koordination)
    liste = client.get(changelist_url(Akteur), {"pruefung": "faellig"}).content.decode()
    assert "geprüft in den letzten 6 Monaten" in liste
    assert "Vor sieben Monaten" in liste
    assert "Vor fünf Monaten" not in liste


@pytest.mark.parametrize("model", [Netzwerk, Angebot])
def test_the_filter_is_on_every_checkable_list(client, netze, model):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    antwort = client.get(changelist_url(model), {"pruefung": "faellig"})
    assert antwort.status_code == 200
    assert "Prüfung fällig" in antwort.content.decode()


# --- Position proposed from the PLZ ---

HINWEIS = "Position aus der Postleitzahl vorgeschlagen – bitte Markierung auf die genaue Adresse"


def plz_punkt(plz):
    return Postleitzahl.objects.get(plz=plz).punkt


def test_the_change_form_proposes_the_plz_centroid(client, netze):
    eigen, _ = netze
    akteur = partner(eigen, standort=None, strasse="Pliensaustraße 12", plz="73728")
    client.force_login(eigen.koordination)
    seite = client.get(change_url(akteur))
    form = seite.context["adminform"].form
    assert form["standort"].value().equals_exact(plz_punkt("73728"), 1e-9)
    assert HINWEIS in seite.content.decode()
    # Saved untouched, the proposal becomes the position, and the user is told.
    antwort = client.post(change_url(akteur), formulardaten(seite))
    assert antwort.status_code == 302
    akteur.refresh_from_db()
    assert akteur.standort.equals_exact(plz_punkt("73728"), 1e-9)
    assert any("aus der Postleitzahl 73728 übernommen" in t for t in meldungen(antwort))


def test_a_cleared_proposal_stays_empty(client, netze):
    eigen, _ = netze
    akteur = partner(eigen, standort=None, strasse="Pliensaustraße 12", plz="73728")
    client.force_login(eigen.koordination)
    antwort = speichern(client, akteur, standort="")
    assert antwort.status_code == 302
    akteur.refresh_from_db()
    assert akteur.standort is None


def test_a_moved_marker_is_kept(client, netze):
    eigen, _ = netze
    akteur = partner(eigen, standort=None, strasse="Pliensaustraße 12", plz="73728")
    client.force_login(eigen.koordination)
    speichern(client, akteur, standort="SRID=4326;POINT (9.31 48.735)")
    akteur.refresh_from_db()
    assert (round(akteur.standort.x, 3), round(akteur.standort.y, 3)) == (9.31, 48.735)


def test_an_untouched_proposal_follows_a_new_plz(client, netze):
    eigen, _ = netze
    akteur = partner(eigen, standort=None, strasse="Pliensaustraße 12", plz="73728")
    client.force_login(eigen.koordination)
    speichern(client, akteur, plz="73730")
    akteur.refresh_from_db()
    assert akteur.standort.equals_exact(plz_punkt("73730"), 1e-9)


def test_no_proposal_without_a_street(client, netze):
    """Without a public address (Familienhebamme) there is nothing to put a marker on."""
    eigen, _ = netze
    akteur = partner(eigen, standort=None, strasse="", plz="73728")
    client.force_login(eigen.koordination)
    seite = client.get(change_url(akteur))
    assert seite.context["adminform"].form["standort"].value() is None
    assert HINWEIS not in seite.content.decode()
    antwort = client.post(change_url(akteur), formulardaten(seite))
    assert antwort.status_code == 302
    akteur.refresh_from_db()
    assert akteur.standort is None


def test_a_new_akteur_gets_its_position_from_the_plz(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_add")
    daten = formulardaten(
        client.get(url),
        name="Kita Regenbogen",
        slug="kita-regenbogen",
        einrichtungsart=eigen.akteur.einrichtungsart_id,
        partner_in=eigen.netzwerk.pk,
        status=Status.ENTWURF,
        strasse="Kirchstraße 3",
        plz="73732",
        ort="Esslingen",
    )
    antwort = client.post(url, daten)
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors
    neu = Akteur.objects.get(slug="kita-regenbogen")
    assert neu.standort.equals_exact(plz_punkt("73732"), 1e-9)
    assert any("aus der Postleitzahl 73732 übernommen" in t for t in meldungen(antwort))


def test_an_angebot_elsewhere_gets_its_own_plz_proposed(client, netze):
    eigen, _ = netze
    angebot = AngebotFactory(
        anbieter=eigen.akteur,
        strasse="Schulstraße 5",
        plz="73732",
        ort="Esslingen",
        status=Status.ENTWURF,
    )
    Angebot.objects.filter(pk=angebot.pk).update(standort=None)
    client.force_login(eigen.koordination)
    seite = client.get(change_url(angebot))
    assert (
        seite.context["adminform"].form["standort"].value().equals_exact(plz_punkt("73732"), 1e-9)
    )
    assert HINWEIS in seite.content.decode()


def test_an_angebot_at_the_providers_address_gets_the_providers_point(client, netze):
    eigen, _ = netze
    angebot = AngebotFactory(anbieter=eigen.akteur, status=Status.ENTWURF)
    Angebot.objects.filter(pk=angebot.pk).update(standort=None)
    client.force_login(eigen.koordination)
    seite = client.get(change_url(angebot))
    assert seite.context["adminform"].form["standort"].value() == eigen.akteur.standort
    assert "Position des Anbieters vorgeschlagen" in seite.content.decode()


# --- Likely duplicates ---


def test_a_duplicate_in_scope_is_named_one_outside_only_mentioned(client, netze):
    eigen, fremd = netze
    eigenes = partner(eigen, name="Kinderhaus Sonnenblume", plz="73730")
    fremdes = AkteurFactory(name="Kinderhaus Sonnenblume Zebra", plz="73730")
    PartnerschaftFactory(netzwerk=fremd.netzwerk, akteur=fremdes)
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_add")
    daten = formulardaten(
        client.get(url),
        name="Kinderhaus Sonnenblumen",
        slug="kinderhaus-sonnenblumen",
        einrichtungsart=eigen.akteur.einrichtungsart_id,
        partner_in=eigen.netzwerk.pk,
        status=Status.ENTWURF,
        plz="73730",
    )
    antwort = client.post(url, daten, follow=True)
    assert antwort.status_code == 200
    texte = meldungen(antwort)
    warnung = next(t for t in texte if "Möglicherweise doppelt" in t)
    assert f'<a href="{change_url(eigenes)}">Kinderhaus Sonnenblume</a>' in warnung
    assert any("in einem anderen Netzwerk" in t and "Redaktion" in t for t in texte)
    assert FREMD not in antwort.content.decode()
    assert not any(FREMD in t or str(fremdes.pk) in t for t in texte)


def test_no_duplicate_warning_for_a_different_name_or_plz(client, netze):
    eigen, _ = netze
    partner(eigen, name="Kinderhaus Sonnenblume", plz="73730")
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_add")
    for name, plz in [("Jugendmusikschule", "73730"), ("Kinderhaus Sonnenblume", "73732")]:
        daten = formulardaten(
            client.get(url),
            name=name,
            slug=f"neu-{plz}",
            einrichtungsart=eigen.akteur.einrichtungsart_id,
            partner_in=eigen.netzwerk.pk,
            status=Status.ENTWURF,
            plz=plz,
        )
        antwort = client.post(url, daten)
        assert antwort.status_code == 302
        assert not any("doppelt" in t or "anderen Netzwerk" in t for t in meldungen(antwort))


def test_renaming_into_a_duplicate_warns_and_unrelated_edits_do_not(client, netze):
    eigen, _ = netze
    partner(eigen, name="Stadtteilmütter Pliensauvorstadt", plz="73728")
    client.force_login(eigen.koordination)
    antwort = speichern(client, eigen.akteur, name="Stadtteilmütter Pliensauvorstadt e.V.")
    assert any("Möglicherweise doppelt" in t for t in meldungen(antwort))
    antwort = speichern(client, eigen.akteur, telefon="0711 4")
    assert not any("doppelt" in t for t in meldungen(antwort))


def test_a_similar_offering_of_the_same_provider_warns(client, netze):
    eigen, _ = netze
    AngebotFactory(titel="Babymassage für Eltern", anbieter=eigen.akteur)
    client.force_login(eigen.koordination)
    antwort = speichern(client, eigen.angebot, titel="Babymassage für Eltern am Abend")
    assert antwort.status_code == 302
    assert any("Babymassage für Eltern</a>" in t for t in meldungen(antwort))


def test_network_forms_work_without_a_location(client, netze):
    """Networks have no location or duplicate check; their form still renders and saves."""
    eigen, _ = netze
    client.force_login(mit_rolle(rollen.REDAKTION))
    netzwerk = NetzwerkFactory()
    assert client.get(change_url(netzwerk)).status_code == 200
    assert speichern(client, netzwerk, name="Netzwerk Neu").status_code == 302


# --- An offering at its provider's place takes point and address ---


def test_a_new_angebot_without_address_takes_the_providers_point_and_address(client, netze):
    from tests.exportdateien import csv_tabelle
    from tests.seiten import wo

    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_add")
    daten = formulardaten(
        client.get(url),
        titel="Krabbelgruppe",
        slug="krabbelgruppe",
        beschreibung="Für Eltern mit Babys.",
        anbieter=eigen.akteur.pk,
        format="offener_treff",
        themen=[thema("eltern-kind-gruppe").pk],
        zielgruppen=[zielgruppe("eltern").pk],
        anmeldung_hinweis="Einfach vorbeikommen.",
        status=Status.VEROEFFENTLICHT,
    )
    antwort = client.post(url, daten)
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors
    neu = Angebot.objects.get(slug="krabbelgruppe")
    assert neu.standort == eigen.akteur.standort
    assert (neu.strasse, neu.plz, neu.ort) == ("Marktplatz 1", "73728", "Esslingen am Neckar")
    assert wo(client.get(neu.get_absolute_url())) == "Marktplatz 1, 73728 Esslingen am Neckar"
    _kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv", {"q": "Krabbelgruppe"}))
    assert [(z["Straße und Hausnummer"], z["PLZ"], z["Ort"]) for z in zeilen] == [
        ("Marktplatz 1", "73728", "Esslingen am Neckar")
    ]


def test_a_marker_of_its_own_without_address_gets_no_providers_address(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_add")
    daten = formulardaten(
        client.get(url),
        titel="Spielplatztreff",
        slug="spielplatztreff",
        anbieter=eigen.akteur.pk,
        format="offener_treff",
        status=Status.ENTWURF,
        standort="SRID=4326;POINT (9.31 48.735)",
    )
    assert client.post(url, daten).status_code == 302
    neu = Angebot.objects.get(slug="spielplatztreff")
    assert (neu.strasse, neu.plz, neu.ort) == ("", "", "")
    assert (round(neu.standort.x, 3), round(neu.standort.y, 3)) == (9.31, 48.735)


def test_a_new_angebot_at_an_address_of_its_own_gets_its_plz_and_says_so(client, netze):
    eigen, _ = netze
    assert (eigen.akteur.plz, eigen.akteur.ort) == ("73728", "Esslingen am Neckar")
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_add")
    daten = formulardaten(
        client.get(url),
        titel="Elterncafé Nürtingen",
        slug="elterncafe-nuertingen",
        anbieter=eigen.akteur.pk,
        format="offener_treff",
        status=Status.ENTWURF,
        strasse="Hauptstraße 5",
        plz="72622",
        ort="Nürtingen",
    )
    antwort = client.post(url, daten)
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors
    neu = Angebot.objects.get(slug="elterncafe-nuertingen")
    assert neu.standort.coords == plz_punkt("72622").coords
    assert (neu.strasse, neu.plz, neu.ort) == ("Hauptstraße 5", "72622", "Nürtingen")
    assert (
        "Die Position von „Elterncafé Nürtingen“ wurde aus der Postleitzahl 72622 übernommen. "
        "Bitte prüfen Sie sie auf der Karte und ziehen Sie die Markierung auf die genaue Adresse."
    ) in meldungen(antwort)
