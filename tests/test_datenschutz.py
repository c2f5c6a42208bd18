"""Privacy: erasing a person everywhere (history, admin log), retention, the protocol of staff
exports, and withdrawn consent leaving the API's caches."""

import datetime
from urllib.parse import unquote_plus

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from akteure.models import Kontaktperson
from angebote import hsds
from angebote.models import Angebot
from atlas import rollen
from atlas.loeschung import historien
from atlas.models import Exportprotokoll, Loeschprotokoll
from tests.admin_formular import formulardaten
from tests.bereich import mit_rolle, zwei_netze
from tests.factories import AkteurFactory, AngebotFactory, KontaktpersonFactory

pytestmark = pytest.mark.django_db

NAME, MAIL, TELEFON = "Erika Müllerschön", "erika.muellerschoen@example.org", "0711 4455667"


def spuren(*texte):
    """Where any of `texte` still stands: history tables, the admin log, the erasure protocol."""
    funde = []
    for historie in historien():
        felder = [
            f.name
            for f in historie._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField", "EmailField")
        ]
        for feld in felder:
            for text in texte:
                if historie._default_manager.filter(**{f"{feld}__contains": text}).exists():
                    funde.append(f"{historie._meta.label}.{feld}: {text}")
    for feld in ("object_repr", "change_message"):
        for text in texte:
            for form in (text, text.replace("ü", "\\u00fc").replace("ö", "\\u00f6")):
                if LogEntry.objects.filter(**{f"{feld}__contains": form}).exists():
                    funde.append(f"LogEntry.{feld}: {text}")
    for zeile in Loeschprotokoll.objects.values():
        funde += [f"Loeschprotokoll: {t}" for t in texte if t in str(zeile)]
    for zeile in Exportprotokoll.objects.values("filter", "adresse"):
        funde += [f"Exportprotokoll: {t}" for t in texte if t in unquote_plus(str(zeile))]
    return funde


@pytest.fixture
def person(client):
    """A contact person edited in the admin (history and log), named in two offerings."""
    eigen, _ = zwei_netze()
    person = KontaktpersonFactory(akteur=eigen.akteur, name="Erika Musterfrau", email=MAIL)
    client.force_login(eigen.koordination)
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    daten = formulardaten(client.get(url))
    nummer = next(
        k.split("-")[1]
        for k, v in daten.items()
        if k.startswith("kontaktpersonen-") and k.endswith("-id") and v == str(person.pk)
    )
    daten.update(
        {f"kontaktpersonen-{nummer}-name": NAME, f"kontaktpersonen-{nummer}-telefon": TELEFON}
    )
    assert client.post(url, daten).status_code == 302
    # A search for her in a staff export, recorded in the export protocol.
    assert client.get("/akteure/export.csv", {"q": NAME, "intern": "1"}).status_code == 200
    eigenes = AngebotFactory(anbieter=eigen.akteur, kontakt_name=NAME, kontakt_telefon=TELEFON)
    eigenes.kontakt_email = MAIL
    eigenes.save()
    # A namesake at another provider, with another address: another person.
    namensvetterin = AngebotFactory(kontakt_name=NAME, kontakt_email="andere@example.org")
    return {"person": person, "angebot": eigenes, "namensvetterin": namensvetterin, **vars(eigen)}


def test_erasing_a_contact_person_removes_them_from_history_and_log(person):
    pk = person["person"].pk
    assert spuren(NAME, MAIL, TELEFON)  # the fixture left traces everywhere

    call_command("person_loeschen", kontaktperson=[pk], durch="Datenschutz (R. Meier)")

    assert not Kontaktperson.objects.filter(pk=pk).exists()
    assert spuren(MAIL, TELEFON, "Erika Musterfrau") == []
    # The name stays only where it is the namesake's, at another provider.
    assert spuren(NAME) == ["angebote.HistoricalAngebot.kontakt_name: Erika Müllerschön"]
    assert set(Angebot.history.filter(kontakt_name=NAME).values_list("id", flat=True)) == {
        person["namensvetterin"].pk
    }
    angebot = Angebot.objects.get(pk=person["angebot"].pk)
    assert (angebot.kontakt_name, angebot.kontakt_email, angebot.kontakt_telefon) == ("", "", "")
    namensvetterin = Angebot.objects.get(pk=person["namensvetterin"].pk)
    assert (namensvetterin.kontakt_name, namensvetterin.kontakt_email) == (
        NAME,
        "andere@example.org",
    )
    assert list(
        Loeschprotokoll.objects.values_list("art", "kennung", "durch", "geaenderte_zeilen")
    ) == [("kontaktperson", str(pk), "Datenschutz (R. Meier)", 10)]
    # The history keeps that the record existed and was deleted, without the person.
    zeilen = Kontaktperson.history.filter(id=pk).order_by("history_id")
    assert [(z.history_type, z.name, z.email) for z in zeilen] == [
        ("+", "[gelöscht]", ""),
        ("~", "[gelöscht]", ""),
        ("-", "[gelöscht]", ""),
    ]


def test_a_contact_person_deleted_before_is_erased_from_the_history_too(person):
    pk = person["person"].pk
    Kontaktperson.objects.filter(pk=pk).delete()

    call_command("person_loeschen", kontaktperson=[pk])

    assert spuren(MAIL, TELEFON, "Erika Musterfrau") == []
    assert not Angebot.history.filter(kontakt_name=NAME, anbieter=person["akteur"]).exists()


def test_erasing_an_unknown_contact_person_is_a_german_error(db):
    with pytest.raises(CommandError) as fehler:
        call_command("person_loeschen", kontaktperson=[999999])
    assert str(fehler.value) == "Kontaktperson 999999 gibt es nicht, auch nicht im Verlauf."
    assert Loeschprotokoll.objects.count() == 0


def test_erasing_a_staff_account_anonymises_it_everywhere(client):
    eigen, _ = zwei_netze()
    user = eigen.koordination
    user.first_name, user.last_name, user.email = "Karla", "Koordinatorius", MAIL
    user.save()
    alter_name = user.username
    # Traces: a session, login records, an edit in the admin, the admin log about the account.
    client.force_login(user)
    AccessLog.objects.create(username=alter_name, ip_address="127.0.0.1", user_agent="x")
    AccessAttempt.objects.create(
        username=alter_name, ip_address="127.0.0.1", user_agent="x", failures_since_start=1
    )
    url = reverse("admin:akteure_akteur_change", args=[eigen.akteur.pk])
    assert client.post(url, formulardaten(client.get(url), telefon="0711 2")).status_code == 302
    LogEntry.objects.log_actions(
        user_id=mit_rolle(rollen.REDAKTION).pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=f"Konto von Karla Koordinatorius ({MAIL}) geändert",
    )

    call_command("person_loeschen", konto=[alter_name], durch="Datenschutz")

    user.refresh_from_db()
    assert (user.username, user.first_name, user.last_name, user.email) == (
        f"geloescht-{user.pk}",
        "",
        "",
        "",
    )
    assert not (user.is_active or user.is_staff or user.has_usable_password())
    assert not user.groups.exists()
    assert not user.koordinierte_netzwerke.exists()
    assert spuren(alter_name, "Koordinatorius", MAIL) == []
    assert not AccessLog.objects.filter(username=alter_name).exists()
    assert not AccessAttempt.objects.filter(username=alter_name).exists()
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(user.pk) for s in Session.objects.all()
    )
    # "Who" stays in the history, as the anonymous account.
    assert eigen.akteur.history.latest().history_user == user
    assert client.get("/admin/").status_code == 302  # the session is gone
    assert list(Loeschprotokoll.objects.values_list("art", "kennung")) == [("konto", str(user.pk))]


def test_erasure_needs_a_person(db):
    with pytest.raises(CommandError) as fehler:
        call_command("person_loeschen")
    assert str(fehler.value) == "Bitte --kontaktperson NUMMER oder --konto NAME angeben."


# --- Retention ---------------------------------------------------------------------------------


def test_retention_job_deletes_old_records_only_and_is_idempotent(settings, tmp_path, capsys):
    jetzt = timezone.now()
    alt = jetzt - datetime.timedelta(days=91)
    for zeitpunkt in (alt, jetzt):
        eintrag = AccessLog.objects.create(username="a", ip_address="127.0.0.1", user_agent="x")
        AccessLog.objects.filter(pk=eintrag.pk).update(attempt_time=zeitpunkt)
        protokoll = Exportprotokoll.objects.create(liste="Angebote", format="csv", adresse="/")
        Exportprotokoll.objects.filter(pk=protokoll.pk).update(
            zeitpunkt=zeitpunkt - datetime.timedelta(days=300)
        )
    Session.objects.create(
        session_key="abgelaufen", session_data="", expire_date=jetzt - datetime.timedelta(hours=1)
    )
    Session.objects.create(
        session_key="gueltig", session_data="", expire_date=jetzt + datetime.timedelta(hours=1)
    )

    call_command("aufbewahrung")
    erster_lauf = capsys.readouterr().out
    call_command("aufbewahrung")
    zweiter_lauf = capsys.readouterr().out

    assert AccessLog.objects.count() == 1
    assert Exportprotokoll.objects.count() == 1  # 300 days + 91 > 365, 300 days < 365
    assert list(Session.objects.values_list("session_key", flat=True)) == ["gueltig"]
    assert "Sitzungen: 1 gelöscht" in erster_lauf
    assert "Exporte (Protokoll): 1 gelöscht" in erster_lauf
    assert all(zeile.endswith(": 0 gelöscht") for zeile in zweiter_lauf.splitlines())


# --- Export protocol ---------------------------------------------------------------------------


def test_staff_exports_are_recorded_with_list_filter_and_user(client):
    eigen, _ = zwei_netze()
    client.force_login(eigen.koordination)

    client.get("/angebote/export.csv", {"kostenlos": "on", "intern": "1"})
    client.get(reverse("admin:akteure_akteur_export", args=["xlsx"]), {"q": "Amsel"})
    client.get("/api/hsds/services")

    zeilen = list(
        Exportprotokoll.objects.order_by("pk").values_list(
            "benutzer", "liste", "format", "intern", "filter", "adresse"
        )
    )
    assert zeilen == [
        (
            eigen.koordination.pk,
            "Angebote",
            "csv",
            True,
            "kostenlos: ja",
            "/angebote/export.csv?kostenlos=on&intern=1",
        ),
        (
            eigen.koordination.pk,
            "Einrichtungen",
            "xlsx",
            True,
            "Suche: Amsel",
            "/admin/akteure/akteur/export.xlsx?q=Amsel",
        ),
        (
            eigen.koordination.pk,
            "HSDS-API /api/hsds/services",
            "json",
            False,
            "",
            "/api/hsds/services",
        ),
    ]


def test_anonymous_downloads_are_not_recorded(client):
    cache.clear()
    AngebotFactory()
    assert client.get("/angebote/export.csv").status_code == 200
    assert client.get("/api/hsds/services").status_code == 200
    assert Exportprotokoll.objects.count() == 0


@pytest.mark.parametrize(
    ("rolle", "status"),
    [(rollen.REDAKTION, 200), (rollen.JUGENDAMT, 403), (rollen.KOORDINATION, 403)],
)
def test_only_the_redaktion_reads_the_protocols(client, rolle, status):
    client.force_login(mit_rolle(rolle))
    for modell in ("exportprotokoll", "loeschprotokoll"):
        assert client.get(reverse(f"admin:atlas_{modell}_changelist")).status_code == status


def test_nobody_changes_the_export_protocol(client):
    client.force_login(mit_rolle(rollen.REDAKTION))
    eintrag = Exportprotokoll.objects.create(liste="Angebote", format="csv", adresse="/")
    assert client.get(reverse("admin:atlas_exportprotokoll_add")).status_code == 403
    url = reverse("admin:atlas_exportprotokoll_delete", args=[eintrag.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Exportprotokoll.objects.filter(pk=eintrag.pk).exists()


# --- Withdrawn consent -------------------------------------------------------------------------


def test_withdrawn_consent_leaves_the_api_at_once_and_caches_within_a_minute(client):
    cache.clear()
    akteur = AkteurFactory(beschreibung="Treff", telefon="0711 1")
    person = KontaktpersonFactory(
        akteur=akteur, name=NAME, oeffentlich=True, einwilligung_am=datetime.date(2025, 1, 1)
    )
    url = f"/api/hsds/organizations/{hsds.hsds_id(hsds.ORGANIZATION, akteur.pk)}"
    vorher = client.get(url)
    assert [k["name"] for k in vorher.json()["contacts"]] == [NAME]
    assert vorher["Cache-Control"] == "public, max-age=60, must-revalidate"
    # Unchanged: a cache revalidating with the ETag gets a 304.
    assert client.get(url, HTTP_IF_NONE_MATCH=vorher["ETag"]).status_code == 304

    Kontaktperson.objects.filter(pk=person.pk).update(oeffentlich=False)

    nachher = client.get(url, HTTP_IF_NONE_MATCH=vorher["ETag"])
    assert nachher.status_code == 200
    assert "Müllerschön" not in nachher.content.decode("utf-8")
    assert nachher["ETag"] != vorher["ETag"]


def test_user_model_is_the_one_erased(db):
    assert get_user_model()._meta.label == "auth.User"
    assert ContentType.objects.get_for_model(get_user_model()).model == "user"


def test_erasure_removes_mails_to_the_person_and_cleans_reports(person):
    from atlas.models import Meldung, Postausgang

    Postausgang.objects.create(an=MAIL, betreff="Erinnerung", text="Guten Tag")
    Postausgang.objects.create(an="andere@example.org", betreff="Erinnerung", text="Guten Tag")
    meldung = Meldung.objects.create(
        inhalt_typ=ContentType.objects.get_for_model(Angebot),
        objekt_id=person["angebot"].pk,
        text=f"Frau {NAME} ist nicht mehr da.",
        kontakt=f"{NAME}, {TELEFON}",
    )

    call_command("person_loeschen", kontaktperson=[person["person"].pk])

    assert list(Postausgang.objects.values_list("an", flat=True)) == ["andere@example.org"]
    meldung.refresh_from_db()
    assert (meldung.text, meldung.kontakt) == (
        "Frau [gelöscht] ist nicht mehr da.",
        "[gelöscht], [gelöscht]",
    )


def test_retention_deletes_old_mail_copies_but_never_a_waiting_mail(db, settings):
    from atlas.models import Postausgang

    settings.AUFBEWAHRUNG_POSTAUSGANG_TAGE = 30
    alt = timezone.now() - datetime.timedelta(days=31)
    for zustand in Postausgang.Zustand.values:
        for erstellt in (alt, timezone.now()):
            mail = Postausgang.objects.create(an="a@example.org", betreff=zustand, text="x")
            Postausgang.objects.filter(pk=mail.pk).update(zustand=zustand, erstellt_am=erstellt)

    call_command("aufbewahrung")

    assert sorted(Postausgang.objects.values_list("zustand", flat=True)) == sorted(
        ["aufgegeben", "gesendet", "wartet", "wartet"]
    )
