"""Permission grid: roles × admin URLs × own vs. other network (pretix style).

Status codes per role, and for coordinators: nothing of the other network in any response body.
Import, export and the "geprüft" action have their own tests beside their code's tests.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from akteure.models import Akteur, Kontaktperson
from angebote.models import Angebot
from atlas import rollen
from netzwerke.models import STECKBRIEF, Netzwerk, Partnerschaft
from tests.admin_formular import formulardaten
from tests.bereich import FREMD, mit_rolle, zwei_netze

pytestmark = pytest.mark.django_db

MODELLE = [
    "netzwerke_netzwerk",
    "netzwerke_partnerschaft",
    "akteure_akteur",
    "akteure_kontaktperson",
    "angebote_angebot",
    "angebote_termin",
]
# What a coordinator may add: everything of their partners, not networks (Redaktion does that).
KOORDINATION_ANLEGEN = set(MODELLE) - {"netzwerke_netzwerk"}


@pytest.fixture
def netze():
    return zwei_netze()


def urls(prefix, obj):
    version = obj.history.latest().history_id
    return {
        "change": reverse(f"admin:{prefix}_change", args=[obj.pk]),
        "delete": reverse(f"admin:{prefix}_delete", args=[obj.pk]),
        "history": reverse(f"admin:{prefix}_history", args=[obj.pk]),
        "revert": reverse(f"admin:{prefix}_simple_history", args=[obj.pk, version]),
    }


def weitere_urls(prefix, obj):
    """Object URLs besides the four above: the bare id and the "view on site" shortcut."""
    typ = ContentType.objects.get_for_model(obj)
    return {
        "objekt": reverse("admin:index") + f"{prefix.replace('_', '/', 1)}/{obj.pk}/",
        "auf_der_seite": reverse("admin:view_on_site", args=[typ.pk, obj.pk]),
    }


def ohne_fremdes(antwort):
    assert FREMD not in antwort.content.decode(), antwort.request["PATH_INFO"]


@pytest.mark.parametrize("prefix", MODELLE)
def test_koordination_grid(client, netze, prefix):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    eigenes = dict(eigen.objekte())[prefix]
    fremdes = dict(fremd.objekte())[prefix]

    liste = client.get(reverse(f"admin:{prefix}_changelist"))
    assert liste.status_code == 200
    assert "Amsel" in liste.content.decode()
    ohne_fremdes(liste)
    # Searching for the other network's word finds nothing (the word itself is echoed back).
    suche = client.get(reverse(f"admin:{prefix}_changelist"), {"q": FREMD}).content.decode()
    assert str(fremdes) not in suche

    anlegen = client.get(reverse(f"admin:{prefix}_add"))
    assert anlegen.status_code == (200 if prefix in KOORDINATION_ANLEGEN else 403)
    ohne_fremdes(anlegen)

    for art, url in urls(prefix, eigenes).items():
        antwort = client.get(url)
        darf_loeschen = prefix != "netzwerke_netzwerk"
        assert antwort.status_code == (200 if art != "delete" or darf_loeschen else 403), art
        ohne_fremdes(antwort)
    # Out of scope looks exactly like not existing: 404 on every object URL, never 403 (which
    # would tell that the record exists) and never a redirect to it.
    for art, url in {**urls(prefix, fremdes), **weitere_urls(prefix, fremdes)}.items():
        antwort = client.get(url, follow=True)
        assert antwort.status_code == 404, art
        ohne_fremdes(antwort)
        assert client.post(url, {"post": "yes"}, follow=True).status_code == 404, art
    fremdes.refresh_from_db()  # still there, unchanged


@pytest.mark.parametrize(
    "prefix", ["netzwerke_partnerschaft", "akteure_kontaktperson", "angebote_angebot"]
)
def test_koordination_deleted_record_of_another_network_is_404(client, netze, prefix):
    """The history of a deleted record stays as hidden as the record was."""
    eigen, fremd = netze
    fremdes = dict(fremd.objekte())[prefix]
    adressen = urls(prefix, fremdes)
    type(fremdes).objects.filter(pk=fremdes.pk).delete()
    client.force_login(eigen.koordination)
    for art in ["history", "revert"]:
        assert client.get(adressen[art]).status_code == 404, art


@pytest.mark.parametrize("prefix", MODELLE)
def test_jugendamt_sees_everything_and_changes_nothing(client, netze, prefix):
    eigen, fremd = netze
    client.force_login(mit_rolle(rollen.JUGENDAMT))
    liste = client.get(reverse(f"admin:{prefix}_changelist")).content.decode()
    assert "Amsel" in liste
    assert FREMD in liste
    assert client.get(reverse(f"admin:{prefix}_add")).status_code == 403
    objekt = dict(fremd.objekte())[prefix]
    adressen = urls(prefix, objekt)
    ansicht = client.get(adressen["change"])
    assert ansicht.status_code == 200
    assert 'name="_save"' not in ansicht.content.decode()
    assert client.get(adressen["history"]).status_code == 200
    assert client.get(adressen["delete"]).status_code == 403
    assert client.post(adressen["delete"], {"post": "yes"}).status_code == 403
    assert client.post(adressen["revert"], {}).status_code == 403
    assert client.post(adressen["change"], {}).status_code == 403
    assert type(objekt).objects.filter(pk=objekt.pk).exists()


@pytest.mark.parametrize("prefix", MODELLE)
def test_redaktion_may_do_everything(client, netze, prefix):
    client.force_login(mit_rolle(rollen.REDAKTION))
    assert client.get(reverse(f"admin:{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{prefix}_add")).status_code == 200
    for netz in netze:
        for url in urls(prefix, dict(netz.objekte())[prefix]).values():
            assert client.get(url).status_code == 200


def test_staff_without_role_sees_no_rows(client, netze):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("admin:akteure_akteur_changelist")).status_code == 403
    assert Akteur.objects.im_bereich_von(UserFactory()).count() == 0


def test_anonymous_is_sent_to_login(client, netze):
    antwort = client.get(reverse("admin:akteure_akteur_changelist"))
    assert antwort.status_code == 302
    assert "/admin/login/" in antwort["Location"]


AUTOCOMPLETE = [
    ("angebote", "angebot", "anbieter"),
    ("angebote", "angebot", "kooperationspartner"),
    ("angebote", "angebot", "netzwerk"),
    ("angebote", "termin", "angebot"),
    ("akteure", "kontaktperson", "akteur"),
    ("akteure", "akteur", "traeger"),
    ("netzwerke", "partnerschaft", "netzwerk"),
    ("netzwerke", "partnerschaft", "akteur"),
]


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), AUTOCOMPLETE)
def test_autocomplete_stays_in_scope(client, netze, app_label, model_name, field_name):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    for term in ["", FREMD, "Amsel"]:
        antwort = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert antwort.status_code == 200
        ohne_fremdes(antwort)
    assert antwort.json()["results"], "the own record is offered"


def test_list_filter_choices_stay_in_scope(client, netze):
    eigen, fremd = netze
    # A partner of both networks: its offering of the other network is in scope (it is the
    # partner's offering), but the other network must not appear as a filter choice.
    Partnerschaft.objects.create(netzwerk=fremd.netzwerk, akteur=eigen.akteur)
    client.force_login(eigen.koordination)
    antwort = client.get(reverse("admin:angebote_angebot_changelist"))
    assert f"netzwerk__id__exact={eigen.netzwerk.pk}" in antwort.content.decode()
    assert f"netzwerk__id__exact={fremd.netzwerk.pk}" not in antwort.content.decode()


def test_posted_ids_outside_the_scope_are_rejected(client, netze):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:angebote_angebot_change", args=[eigen.angebot.pk])
    for feld, wert in [
        ("anbieter", fremd.akteur.pk),
        ("netzwerk", fremd.netzwerk.pk),
        ("kooperationspartner", [fremd.akteur.pk]),
    ]:
        daten = formulardaten(client.get(url), **{feld: wert})
        antwort = client.post(url, daten)
        assert antwort.status_code == 200, feld  # the form again, with an error
        assert antwort.context["adminform"].form.errors[feld]
        ohne_fremdes(antwort)
    eigen.angebot.refresh_from_db()
    assert eigen.angebot.anbieter == eigen.akteur
    assert eigen.angebot.netzwerk == eigen.netzwerk

    kontakt = client.post(
        reverse("admin:akteure_kontaktperson_add"),
        {"akteur": fremd.akteur.pk, "name": "Eingeschleust"},
    )
    assert kontakt.status_code == 200
    assert not Kontaktperson.objects.filter(name="Eingeschleust").exists()

    partner = client.post(
        reverse("admin:netzwerke_partnerschaft_add"),
        {"netzwerk": fremd.netzwerk.pk, "akteur": eigen.akteur.pk, "rolle": "partner"},
    )
    assert partner.status_code == 200
    assert not Partnerschaft.objects.filter(netzwerk=fremd.netzwerk, akteur=eigen.akteur).exists()


def test_saving_keeps_a_current_value_outside_the_scope(client, netze):
    """A Träger outside the networks stays valid on save; only new outside ids are refused."""
    eigen, fremd = netze
    Akteur.objects.filter(pk=eigen.akteur.pk).update(traeger=fremd.akteur)
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    daten = formulardaten(client.get(url), telefon="0711 123")
    antwort = client.post(url, daten)
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors
    eigen.akteur.refresh_from_db()
    assert eigen.akteur.telefon == "0711 123"
    assert eigen.akteur.traeger == fremd.akteur


def test_coordinators_new_actor_becomes_partner_of_their_network(client, netze):
    eigen, _ = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_add")
    seite = client.get(url)
    assert "Partner im Netzwerk" in seite.content.decode()
    daten = formulardaten(
        seite,
        name="Kita Sonnenschein",
        slug="kita-sonnenschein",
        einrichtungsart=eigen.akteur.einrichtungsart_id,
        partner_in=eigen.netzwerk.pk,
        status="entwurf",
    )
    antwort = client.post(url, daten)
    assert antwort.status_code == 302, antwort.context["adminform"].form.errors
    neu = Akteur.objects.get(slug="kita-sonnenschein")
    assert neu.partnerschaften.get().netzwerk == eigen.netzwerk
    assert Akteur.objects.im_bereich_von(eigen.koordination).filter(pk=neu.pk).exists()


def test_coordinator_cannot_put_a_new_actor_into_another_network(client, netze):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_add")
    daten = formulardaten(
        client.get(url),
        name="Kita Kuckuck",
        slug="kita-kuckuck",
        einrichtungsart=eigen.akteur.einrichtungsart_id,
        partner_in=fremd.netzwerk.pk,
    )
    assert client.post(url, daten).status_code == 200
    assert not Akteur.objects.filter(slug="kita-kuckuck").exists()


def test_coordinator_changes_only_steckbrief_and_status_of_their_network(client, netze):
    """README: networks: Steckbrief and status only; what the network is stays the Redaktion's."""
    eigen, fremd = netze
    Netzwerk.objects.filter(pk=eigen.netzwerk.pk).update(
        foerderung_von=datetime.date(2024, 1, 1), foerderung_bis=datetime.date(2026, 12, 31)
    )
    client.force_login(eigen.koordination)
    url = reverse("admin:netzwerke_netzwerk_change", args=[eigen.netzwerk.pk])
    seite = client.get(url)
    html = seite.content.decode()
    form = seite.context["adminform"].form
    # atlas_fassung: the version against overwriting another person's save (atlas.fassung).
    assert sorted(form.fields) == sorted([*STECKBRIEF, "status", "atlas_fassung"])
    for feld in ["name", "slug", "programm", "region", "projekttraeger", "koordinatoren"]:
        assert f'name="{feld}"' not in html, feld
    assert 'name="foerderung_von"' not in html
    assert 'name="foerderung_bis"' not in html
    # Shown, read-only: the values as text in the admin's read-only boxes.
    lesbar = {
        z.field["name"]: str(z.contents())
        for fieldset in seite.context["adminform"]
        for zeile in fieldset
        for z in zeile
        if z.is_readonly
    }
    assert lesbar["name"] == "Netzwerk Amsel"
    assert lesbar["foerderung_von"] == "1. Januar 2024"
    assert lesbar["foerderung_bis"] == "31. Dezember 2026"

    daten = formulardaten(seite, ziele="Familien früh erreichen.")
    daten.update(
        name="Netzwerk Amsel (umbenannt)",
        slug="umbenannt",
        foerderung_von="2020-01-01",
        foerderung_bis="2030-12-31",
        koordinatoren=[str(fremd.koordination.pk)],
    )
    assert client.post(url, daten).status_code == 302
    eigen.netzwerk.refresh_from_db()
    assert eigen.netzwerk.ziele == "Familien früh erreichen."
    assert eigen.netzwerk.name == "Netzwerk Amsel"
    assert eigen.netzwerk.slug == "netzwerk-amsel"
    assert eigen.netzwerk.foerderung_von == datetime.date(2024, 1, 1)
    assert eigen.netzwerk.foerderung_bis == datetime.date(2026, 12, 31)
    assert list(eigen.netzwerk.koordinatoren.all()) == [eigen.koordination]


def test_coordinator_reverting_a_network_keeps_name_and_funding(client, netze):
    """A revert saves an old version whole; the fields a coordinator may not edit stay as now."""
    eigen, _ = netze
    netzwerk = eigen.netzwerk
    netzwerk.ziele = "Alte Ziele"
    netzwerk.save()
    alt = netzwerk.history.latest().history_id
    netzwerk.name, netzwerk.ziele = "Netzwerk Amsel Esslingen", "Neue Ziele"
    netzwerk.foerderung_bis = datetime.date(2027, 6, 30)
    netzwerk.save()
    client.force_login(eigen.koordination)
    url = reverse("admin:netzwerke_netzwerk_simple_history", args=[netzwerk.pk, alt])
    assert client.post(url, formulardaten(client.get(url))).status_code == 302
    netzwerk.refresh_from_db()
    assert netzwerk.ziele == "Alte Ziele"
    assert netzwerk.name == "Netzwerk Amsel Esslingen"
    assert netzwerk.foerderung_bis == datetime.date(2027, 6, 30)


def test_redaktion_renames_a_network_and_sets_its_funding(client, netze):
    eigen, _ = netze
    client.force_login(mit_rolle(rollen.REDAKTION))
    url = reverse("admin:netzwerke_netzwerk_change", args=[eigen.netzwerk.pk])
    daten = formulardaten(
        client.get(url),
        name="Netzwerk Amsel (neu)",
        foerderung_von="2025-01-01",
        foerderung_bis="2027-12-31",
    )
    assert client.post(url, daten).status_code == 302
    eigen.netzwerk.refresh_from_db()
    assert eigen.netzwerk.name == "Netzwerk Amsel (neu)"
    assert eigen.netzwerk.foerderung_von == datetime.date(2025, 1, 1)
    assert eigen.netzwerk.foerderung_bis == datetime.date(2027, 12, 31)


def test_delete_action_only_touches_rows_in_scope(client, netze):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    antwort = client.post(
        reverse("admin:angebote_termin_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [eigen.termin.pk, fremd.termin.pk],
            "post": "yes",
        },
    )
    assert antwort.status_code == 302
    assert not type(eigen.termin).objects.filter(pk=eigen.termin.pk).exists()
    assert type(fremd.termin).objects.filter(pk=fremd.termin.pk).exists()


def test_scope_rules_of_the_querysets(netze):
    eigen, fremd = netze
    user = eigen.koordination
    assert list(Angebot.objects.im_bereich_von(user)) == [eigen.angebot]
    # An offering assigned to the network, run by a provider outside it, is in scope too.
    zugeordnet = Angebot.objects.create(
        titel="Hebammensprechstunde",
        slug="hebamme",
        anbieter=fremd.akteur,
        netzwerk=eigen.netzwerk,
        format="beratung",
    )
    assert set(Angebot.objects.im_bereich_von(user)) == {eigen.angebot, zugeordnet}
    assert list(Akteur.objects.im_bereich_von(user)) == [eigen.akteur]
    assert list(Kontaktperson.objects.im_bereich_von(user)) == [eigen.kontaktperson]
    assert list(Partnerschaft.objects.im_bereich_von(user)) == [eigen.partnerschaft]


def test_redaktion_assigns_a_coordinator_who_then_sees_the_network(client, netze):
    eigen, fremd = netze
    neu = mit_rolle(rollen.KOORDINATION, username="neue-koordination")
    assert not Akteur.objects.im_bereich_von(neu).exists()
    client.force_login(mit_rolle(rollen.REDAKTION))
    gefunden = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "netzwerke",
            "model_name": "netzwerk",
            "field_name": "koordinatoren",
            "term": "neue",
        },
    ).json()["results"]
    assert [r["id"] for r in gefunden] == [str(neu.pk)]
    url = reverse("admin:netzwerke_netzwerk_change", args=[fremd.netzwerk.pk])
    daten = formulardaten(client.get(url))
    daten["koordinatoren"] = [str(fremd.koordination.pk), str(neu.pk)]
    assert client.post(url, daten).status_code == 302
    assert list(Akteur.objects.im_bereich_von(neu)) == [fremd.akteur]


IMPORTIERBAR = {"akteure_akteur", "akteure_kontaktperson", "angebote_angebot"}
EXPORTIERBAR = set(MODELLE) - {"angebote_termin"}


@pytest.mark.parametrize("prefix", MODELLE)
@pytest.mark.parametrize(
    ("rolle", "darf_importieren"),
    [(rollen.KOORDINATION, True), (rollen.JUGENDAMT, False), (rollen.REDAKTION, True)],
)
def test_import_and_export_urls_per_role(client, netze, prefix, rolle, darf_importieren):
    """The grid's import and export columns (their own behaviour: test_import, test_exports*)."""
    eigen, _ = netze
    user = eigen.koordination if rolle == rollen.KOORDINATION else mit_rolle(rolle)
    client.force_login(user)
    if prefix in IMPORTIERBAR:
        antwort = client.get(reverse(f"admin:{prefix}_import"))
        assert antwort.status_code == (200 if darf_importieren else 403)
        if rolle == rollen.KOORDINATION:
            ohne_fremdes(antwort)
    for format_ in ["csv", "xlsx"]:
        antwort = client.get(reverse(f"admin:{prefix}_export", args=[format_]))
        if prefix not in EXPORTIERBAR:
            assert antwort.status_code in (403, 404)
            continue
        assert antwort.status_code == 200, (prefix, format_)
        inhalt = b"".join(antwort.streaming_content) if antwort.streaming else antwort.content
        if format_ == "csv":
            text = inhalt.decode("utf-8-sig")
            assert "Amsel" in text
            if rolle == rollen.KOORDINATION:
                assert FREMD not in text
            else:
                assert FREMD in text
