""" "Angaben falsch? Fehler melden": the form on every detail page, its spam checks, the
coordinators' task list in the admin (scope rule), deletion after resolution."""

import datetime
import io
import time

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from atlas.meldungen import ZEIT_SALZ
from atlas.models import Meldung
from atlas.rollen import KOORDINATION
from tests.bereich import mit_rolle
from tests.factories import AkteurFactory, AngebotFactory, NetzwerkFactory, PartnerschaftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _zaehler_leeren():
    cache.clear()


@pytest.fixture
def zwei_netze():
    """Two networks, each with a coordinator and a partner offering; the other one is "Zebra"."""
    welt = {}
    for name in ("eigen", "fremd"):
        akteur = AkteurFactory(
            name=f"Familienzentrum {name.title()}" if name == "eigen" else "Zebra-Haus"
        )
        netzwerk = NetzwerkFactory()
        PartnerschaftFactory(netzwerk=netzwerk, akteur=akteur)
        user = mit_rolle(KOORDINATION, email=f"{name}@example.org")
        netzwerk.koordinatoren.add(user)
        angebot = AngebotFactory(anbieter=akteur, titel=f"Treff {name}")
        welt[name] = {"akteur": akteur, "netzwerk": netzwerk, "user": user, "angebot": angebot}
    return welt


def melde_url(obj):
    return reverse("atlas:melden", args=[obj._meta.label_lower, obj.pk])


def vor(sekunden):
    return signing.dumps(time.time() - sekunden, salt=ZEIT_SALZ)


def daten(**mehr):
    return {
        "text": "Die Adresse ist falsch.",
        "kontakt": "",
        "homepage": "",
        "zeit": vor(10),
        **mehr,
    }


def test_every_detail_page_links_to_the_report_form(client, zwei_netze):
    eigen = zwei_netze["eigen"]
    for obj in (eigen["angebot"], eigen["akteur"], eigen["netzwerk"]):
        seite = client.get(obj.get_absolute_url()).content.decode()
        assert f'<a href="{melde_url(obj)}">Angaben falsch? Fehler melden</a>' in seite
        formular = client.get(melde_url(obj))
        assert formular.status_code == 200
        assert not formular.cookies  # no CSRF cookie: visitors get none


def test_a_report_becomes_a_task_for_the_coordinator_in_scope(
    client, zwei_netze, django_capture_on_commit_callbacks
):
    angebot = zwei_netze["eigen"]["angebot"]
    # The notification is sent once the report is committed.
    with django_capture_on_commit_callbacks(execute=True):
        antwort = client.post(melde_url(angebot), daten(kontakt="0711 123"))
    assert antwort.status_code == 200
    assert "Vielen Dank für Ihre Meldung" in antwort.content.decode()
    meldung = Meldung.objects.get()
    assert (meldung.objekt, meldung.art, meldung.text, meldung.kontakt) == (
        angebot,
        "fehler",
        "Die Adresse ist falsch.",
        "0711 123",
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["eigen@example.org"], "Neue Meldung zu „Treff eigen“")
    ]
    assert f"/admin/atlas/meldung/{meldung.pk}/change/" in mail.outbox[0].body

    client.force_login(zwei_netze["eigen"]["user"])
    liste = client.get(reverse("admin:atlas_meldung_changelist"))
    assert "Die Adresse ist falsch." in liste.content.decode()
    assert client.get(reverse("admin:atlas_meldung_change", args=[meldung.pk])).status_code == 200

    client.force_login(zwei_netze["fremd"]["user"])
    liste = client.get(reverse("admin:atlas_meldung_changelist"))
    assert liste.status_code == 200
    assert "Die Adresse ist falsch." not in liste.content.decode()
    assert client.get(reverse("admin:atlas_meldung_change", args=[meldung.pk])).status_code == 404


def test_a_change_proposal_from_the_reminder_is_marked_so(client, zwei_netze):
    akteur = zwei_netze["eigen"]["akteur"]
    seite = client.get(melde_url(akteur) + "?art=aenderung")
    assert "<h1>Änderung vorschlagen</h1>" in seite.content.decode()
    client.post(melde_url(akteur) + "?art=aenderung", daten())
    assert Meldung.objects.get().art == "aenderung"


@pytest.mark.parametrize(
    ("falsch", "fehler"),
    [
        ({"homepage": "http://spam.example"}, "Bitte lassen Sie dieses Feld leer."),
        (
            {"zeit": "gerade eben"},
            "Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie erneut.",
        ),
        (
            {"zeit": "gefälscht"},
            "Das Formular ist unvollständig angekommen. Bitte senden Sie es noch einmal.",
        ),
        ({"text": ""}, "Bitte beschreiben Sie kurz, was nicht stimmt."),
    ],
)
def test_spam_checks_refuse_with_a_message_and_save_nothing(client, zwei_netze, falsch, fehler):
    if falsch.get("zeit") == "gerade eben":
        falsch = {"zeit": vor(1)}  # shown a second ago
    antwort = client.post(melde_url(zwei_netze["eigen"]["angebot"]), daten(**falsch))
    assert antwort.status_code == 400
    assert fehler in antwort.content.decode()
    assert Meldung.objects.count() == 0
    assert mail.outbox == []


def test_reports_are_rate_limited_per_address(client, settings, zwei_netze):
    settings.MELDUNG_ANFRAGEN = 2
    url = melde_url(zwei_netze["eigen"]["angebot"])
    assert [client.post(url, daten()).status_code for _ in range(3)] == [200, 200, 429]
    assert Meldung.objects.count() == 2


def test_unpublished_records_and_unknown_models_have_no_form(client, zwei_netze):
    entwurf = AngebotFactory(status="entwurf")
    assert client.get(melde_url(entwurf)).status_code == 404
    assert client.get("/melden/auth.user/1/").status_code == 404
    assert client.get("/melden/kaputt/1/").status_code == 404


def test_resolved_reports_are_deleted_after_the_set_time(settings, zwei_netze):
    settings.MELDUNG_LOESCHEN_TAGE = 90
    angebot = zwei_netze["eigen"]["angebot"]
    jetzt = timezone.now()
    for text, erledigt in [
        ("offen", None),
        ("vor 89 Tagen erledigt", jetzt - datetime.timedelta(days=89)),
        ("vor 91 Tagen erledigt", jetzt - datetime.timedelta(days=91)),
    ]:
        Meldung.objects.create(objekt=angebot, text=text, erledigt_am=erledigt)
    call_command("meldungen_loeschen", stdout=io.StringIO())
    assert sorted(Meldung.objects.values_list("text", flat=True)) == [
        "offen",
        "vor 89 Tagen erledigt",
    ]


def test_the_coordinator_marks_a_report_resolved(client, zwei_netze):
    eigen = zwei_netze["eigen"]
    meldung = Meldung.objects.create(objekt=eigen["angebot"], text="Zeiten stimmen nicht")
    client.force_login(eigen["user"])
    antwort = client.post(
        reverse("admin:atlas_meldung_changelist"),
        {"action": "als_erledigt_markieren", "_selected_action": [meldung.pk]},
    )
    assert antwort.status_code == 302
    meldung.refresh_from_db()
    assert meldung.erledigt_von == eigen["user"]
    assert meldung.erledigt_am is not None
