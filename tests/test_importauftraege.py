"""Imports outside the request: a large file becomes a job (atlas.Importauftrag) that a worker
runs (atlas.importauftraege); its file lives in the database, not on an app server."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from angebote.models import Angebot
from angebote.ressourcen import AngebotRessource
from atlas.importauftraege import (
    abarbeiten,
    auftrag_anlegen,
    veraltete_auftraege_melden,
)
from atlas.models import Importauftrag
from tests import test_import
from tests.factories import AkteurFactory, PartnerschaftFactory, SozialraumFactory
from tests.test_import import csv_datei, hochladen, mit_rolle, xlsx_datei

pytestmark = pytest.mark.django_db

welt = test_import.welt  # the import tests' fixture: our network, and another one ("Zebra")

KOPF = [
    "Titel",
    "Beschreibung",
    "Anbieter",
    "Kooperationspartner",
    "Netzwerk",
    "Themen",
    "Zielgruppen",
    "Alter von (Monate)",
    "Alter bis (Monate)",
    "Sprachen",
    "Format",
    "Kosten",
    "Hinweis zu den Kosten",
    "Anmeldung erforderlich",
    "So melden Sie sich an",
    "Kinderbetreuung",
    "Barrierefrei",
    "Hinweise zur Barrierefreiheit",
    "Straße",
    "PLZ",
    "Ort",
    "Einzugsgebiet",
    "Regelmäßige Zeiten",
    "Gültig von",
    "Gültig bis",
    "Ansprechperson",
    "Kontakt-E-Mail",
    "Kontakt-Telefon",
    "Status",
]


ORT_FEHLT = (
    "Ein veröffentlichtes Angebot braucht einen Ort – oder es ist online oder aufsuchend "
    "(Hausbesuch)."
)


def zeile(i):
    eigener_ort = i % 2 == 1
    return [
        f"Elterncafé {i}",
        f"Treff für Eltern, Nummer {i}.",
        "Familienzentrum Mitte",
        "fz-partner" if i % 3 == 0 else "",
        "Netzwerk Esslingen",
        "Geld, Arbeit & Beruf, babymassage",
        "Eltern; Väter",
        str(i % 12),
        "36",
        "Deutsch, ar",
        "Kurs" if eigener_ort else "Offener Treff",
        "mit Kostenbeitrag",
        "5 € je Termin",
        "ja",
        "per Telefon",
        "nein",
        "ja",
        "Rampe am Eingang",
        "Kirchstraße 3" if eigener_ort else "",
        "73728" if eigener_ort else "",
        "Esslingen" if eigener_ort else "",
        "Sozialraum Mitte" if i % 5 == 0 else "",
        "dienstags 9–11 Uhr",
        "01.09.2026",
        "31.07.2027",
        "Erika Muster",
        "erika@example.org",
        "0711 5",
        "veröffentlicht",
    ]


@pytest.fixture
def hintergrund(settings, welt):
    """Files over 20 rows go to the worker; no process is started (the test runs the worker)."""
    settings.IMPORT_SOFORT_ZEILEN = 20
    settings.IMPORT_ARBEITER = "dienst"
    partner = AkteurFactory(name="Partnerzentrum", slug="fz-partner")
    PartnerschaftFactory(netzwerk=welt["netzwerk"], akteur=partner)
    SozialraumFactory(name="Sozialraum Mitte", slug="sozialraum-mitte")
    return {**welt, "partner": partner}


def seite(client, auftrag):
    return client.get(reverse("admin:atlas_importauftrag_change", args=[auftrag.pk]))


def auftrag_von(antwort):
    assert antwort.status_code == 302, antwort.content.decode()[:2000]
    auftrag = Importauftrag.objects.get()
    assert antwort["Location"] == reverse("admin:atlas_importauftrag_change", args=[auftrag.pk])
    return auftrag


def bestaetigen(client, auftrag):
    return client.post(reverse("admin:atlas_importauftrag_bestaetigen", args=[auftrag.pk]))


def test_a_large_offerings_file_is_previewed_and_imported_by_the_worker(client, hintergrund):
    koordination = hintergrund["koordination"]
    client.force_login(koordination)
    vorher = (Angebot.objects.count(), Angebot.history.count())

    antwort = hochladen(
        client, "angebote_angebot", xlsx_datei([KOPF, *map(zeile, range(300))]), "kreis.xlsx"
    )
    auftrag = auftrag_von(antwort)
    assert (auftrag.status, auftrag.zeilen, auftrag.dateiname) == (
        "vorschau_wartet",
        300,
        "kreis.xlsx",
    )
    assert "Die Datei wird geprüft" in seite(client, auftrag).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in seite(client, auftrag).content.decode()

    assert abarbeiten() == 1
    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.verarbeitet) == ("vorschau_fertig", 300)
    assert (Angebot.objects.count(), Angebot.history.count()) == vorher  # a preview saves nothing
    text = seite(client, auftrag).content.decode()
    assert "Vorschau: 300 neu, 0 geändert, 0 unverändert." in text
    assert 'http-equiv="refresh"' not in text

    assert bestaetigen(client, auftrag).status_code == 302
    auftrag.refresh_from_db()
    assert auftrag.status == "import_wartet"
    assert abarbeiten() == 1
    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.datei, auftrag.ergebnis["neu"]) == ("fertig", None, 300)
    assert "Import abgeschlossen: 300 neu, 0 geändert, 0 unverändert." in (
        seite(client, auftrag).content.decode()
    )

    assert Angebot.objects.count() == vorher[0] + 300
    neue = Angebot.history.filter(anbieter=hintergrund["akteur"])
    assert neue.count() == 300
    assert set(neue.values_list("history_type", "history_user")) == {("+", koordination.pk)}

    a = Angebot.objects.get(slug="elterncafe-15-fz-mitte")
    werte = {
        feld: getattr(a, feld)
        for feld in [
            "titel",
            "beschreibung",
            "alter_von_monate",
            "alter_bis_monate",
            "format",
            "kosten",
            "kosten_hinweis",
            "anmeldung_erforderlich",
            "anmeldung_hinweis",
            "kinderbetreuung",
            "barrierefrei",
            "barrierefreiheit",
            "strasse",
            "plz",
            "ort",
            "regelmaessige_zeiten",
            "gueltig_von",
            "gueltig_bis",
            "kontakt_name",
            "kontakt_email",
            "kontakt_telefon",
            "status",
        ]
    }
    assert werte == {
        "titel": "Elterncafé 15",
        "beschreibung": "Treff für Eltern, Nummer 15.",
        "alter_von_monate": 3,
        "alter_bis_monate": 36,
        "format": "kurs",
        "kosten": "kostenbeitrag",
        "kosten_hinweis": "5 € je Termin",
        "anmeldung_erforderlich": True,
        "anmeldung_hinweis": "per Telefon",
        "kinderbetreuung": False,
        "barrierefrei": True,
        "barrierefreiheit": "Rampe am Eingang",
        "strasse": "Kirchstraße 3",
        "plz": "73728",
        "ort": "Esslingen",
        "regelmaessige_zeiten": "dienstags 9–11 Uhr",
        "gueltig_von": datetime.date(2026, 9, 1),
        "gueltig_bis": datetime.date(2027, 7, 31),
        "kontakt_name": "Erika Muster",
        "kontakt_email": "erika@example.org",
        "kontakt_telefon": "0711 5",
        "status": "veroeffentlicht",
    }
    assert (a.anbieter, a.netzwerk) == (hintergrund["akteur"], hintergrund["netzwerk"])
    assert list(a.kooperationspartner.all()) == [hintergrund["partner"]]
    assert sorted(a.themen.values_list("slug", flat=True)) == ["babymassage", "geld-arbeit-beruf"]
    assert sorted(a.zielgruppen.values_list("slug", flat=True)) == ["eltern", "vater"]
    assert sorted(a.sprachen.values_list("code", flat=True)) == ["ar", "de"]
    assert list(a.einzugsgebiet.values_list("slug", flat=True)) == ["sozialraum-mitte"]
    assert a.standort is not None
    # The facet arrays the database triggers keep follow the link rows written in bulk.
    assert sorted(a.themen_ids) == sorted(a.themen.values_list("pk", flat=True))
    assert (
        Angebot.kooperationspartner.through.objects.filter(
            angebot__titel__startswith="Elterncafé "
        ).count(),
        Angebot.einzugsgebiet.through.objects.filter(
            angebot__titel__startswith="Elterncafé "
        ).count(),
    ) == (100, 60)

    # The same file again: nothing changes, not even history.
    antwort = hochladen(
        client, "angebote_angebot", csv_datei([KOPF, *map(zeile, range(300))]), "kreis.csv"
    )
    zweiter = Importauftrag.objects.get(dateiname="kreis.csv")
    abarbeiten()
    zweiter.refresh_from_db()
    assert (zweiter.status, zweiter.ergebnis["unveraendert"]) == ("vorschau_fertig", 300)


def test_a_failure_midway_leaves_nothing(client, hintergrund, monkeypatch):
    client.force_login(hintergrund["koordination"])
    auftrag = auftrag_von(
        hochladen(client, "angebote_angebot", csv_datei([KOPF, *map(zeile, range(40))]))
    )
    abarbeiten()
    bestaetigen(client, auftrag)
    vorher = (
        Angebot.objects.count(),
        Angebot.history.count(),
        Angebot.themen.through.objects.count(),
    )
    gespeichert = []

    def nach_zeile_30_kaputt(self, instance, row, **kwargs):
        gespeichert.append(instance.pk)
        if len(gespeichert) == 30:
            raise RuntimeError("Platte voll")

    monkeypatch.setattr(AngebotRessource, "after_save_instance", nach_zeile_30_kaputt)

    abarbeiten()

    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.datei) == ("fehlgeschlagen", None)
    assert auftrag.ergebnis["meldung"] == "Der Import enthält Fehler; es wurde nichts gespeichert."
    assert auftrag.ergebnis["fehler"] == [
        {
            "zeile": 31,
            "meldungen": ["Diese Zeile konnte nicht gespeichert werden; bitte prüfen Sie sie."],
        }
    ]
    assert len(gespeichert) == 40  # 29 rows were saved before the failure, and rolled back
    assert (
        Angebot.objects.count(),
        Angebot.history.count(),
        Angebot.themen.through.objects.count(),
    ) == vorher
    text = seite(client, auftrag).content.decode()
    assert "Der Import enthält Fehler; es wurde nichts gespeichert." in text
    assert "Platte" not in text


def test_rows_with_errors_are_listed_in_german_and_cannot_be_confirmed(client, hintergrund):
    client.force_login(hintergrund["koordination"])
    zeilen = [zeile(i) for i in range(30)]
    zeilen[4][2] = "Gibt es nicht"
    zeilen[9][7] = "drei"
    auftrag = auftrag_von(hochladen(client, "angebote_angebot", csv_datei([KOPF, *zeilen])))

    abarbeiten()

    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.datei) == ("vorschau_fehler", None)
    assert auftrag.ergebnis["fehler"] == [
        {
            "zeile": 6,
            "meldungen": [
                "Anbieter: „Gibt es nicht“: nicht gefunden oder gehört nicht zu Ihren Netzwerken.",
                ORT_FEHLT,
            ],
        },
        {"zeile": 11, "meldungen": ["Alter von (Monate): „drei“ ist keine ganze Zahl."]},
    ]
    text = seite(client, auftrag).content.decode()
    assert "„drei“ ist keine ganze Zahl." in text
    assert "Import bestätigen" not in text
    assert bestaetigen(client, auftrag).status_code == 302
    auftrag.refresh_from_db()
    assert auftrag.status == "vorschau_fehler"


def test_a_broken_file_is_refused_on_the_form_as_before(client, hintergrund):
    client.force_login(hintergrund["koordination"])
    antwort = hochladen(client, "angebote_angebot", b"PK\x03\x04kaputt", "kreis.xlsx")
    assert antwort.status_code == 200
    assert antwort.context["form"].errors["import_file"] == [
        "Die Datei ist keine gültige Excel-Datei (.xlsx)."
    ]
    assert not Importauftrag.objects.exists()


def test_preview_on_one_server_and_confirmation_on_another(hintergrund, monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    koordination = hintergrund["koordination"]
    host_a, host_b = Client(), Client()
    host_a.force_login(koordination)
    host_b.force_login(koordination)

    # Small file: preview in host A's request, confirmation in host B's (another session).
    vorschau = hochladen(host_a, "angebote_angebot", csv_datei([KOPF, zeile(1), zeile(2)]))
    daten = {feld.name: feld.value() or "" for feld in vorschau.context["confirm_form"]}
    antwort = host_b.post(reverse("admin:angebote_angebot_process_import"), daten)
    assert antwort.status_code == 302
    assert Angebot.objects.filter(titel__in=["Elterncafé 1", "Elterncafé 2"]).count() == 2

    # Large file: uploaded on A, confirmed on B, run by a worker anywhere.
    auftrag = auftrag_von_neuestem(
        hochladen(host_a, "angebote_angebot", csv_datei([KOPF, *map(zeile, range(3, 33))]))
    )
    abarbeiten()
    assert bestaetigen(host_b, auftrag).status_code == 302
    abarbeiten()
    auftrag.refresh_from_db()
    assert auftrag.status == "fertig"
    assert Angebot.objects.filter(anbieter=hintergrund["akteur"]).count() == 32
    assert list(tmp_path.iterdir()) == []


def auftrag_von_neuestem(antwort):
    assert antwort.status_code == 302
    return Importauftrag.objects.order_by("-erstellt").first()


def test_coordinators_see_only_their_own_jobs(client, hintergrund):
    koordination = hintergrund["koordination"]
    client.force_login(koordination)
    auftrag = auftrag_von(
        hochladen(client, "angebote_angebot", csv_datei([KOPF, *map(zeile, range(30))]))
    )
    abarbeiten()
    liste = reverse("admin:atlas_importauftrag_changelist")

    andere = mit_rolle("Koordination")
    hintergrund["fremdes_netzwerk"].koordinatoren.add(andere)
    client.force_login(andere)
    assert client.get(liste).context["cl"].result_count == 0
    assert seite(client, auftrag).status_code == 404
    assert client.get("/admin/atlas/importauftrag/kein-auftrag/change/").status_code == 404
    assert bestaetigen(client, auftrag).status_code == 404
    assert (
        client.post(reverse("admin:atlas_importauftrag_abbrechen", args=[auftrag.pk])).status_code
        == 404
    )
    auftrag.refresh_from_db()
    assert auftrag.status == "vorschau_fertig"

    client.force_login(mit_rolle("Redaktion"))
    assert client.get(liste).context["cl"].result_count == 1
    text = seite(client, auftrag).content.decode()
    assert "Vorschau: 30 neu" in text
    assert "Import bestätigen" not in text  # only the uploader confirms

    client.force_login(koordination)
    assert list(client.get(liste).context["cl"].result_list) == [auftrag]
    antwort = client.post(reverse("admin:atlas_importauftrag_abbrechen", args=[auftrag.pk]))
    assert antwort.status_code == 302
    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.datei) == ("abgebrochen", None)


def test_the_job_runs_in_the_importers_scope(client, hintergrund):
    """The worker imports with the scope of the user who uploaded, as the request does."""
    client.force_login(hintergrund["koordination"])
    zeilen = [zeile(i) for i in range(25)]
    zeilen[0][2] = "fz-zebra"  # the other network's provider
    auftrag = auftrag_von(hochladen(client, "angebote_angebot", csv_datei([KOPF, *zeilen])))
    abarbeiten()
    auftrag.refresh_from_db()
    assert auftrag.status == "vorschau_fehler"
    assert auftrag.ergebnis["fehler"] == [
        {
            "zeile": 2,
            "meldungen": [
                "Anbieter: „fz-zebra“: nicht gefunden oder gehört nicht zu Ihren Netzwerken.",
                ORT_FEHLT,
            ],
        }
    ]
    assert "Zebra" not in seite(client, auftrag).content.decode()


def test_rules_of_the_model_are_row_errors_in_its_own_words(client, hintergrund):
    """The model's check constraints, checked per row in one query, give its messages."""
    client.force_login(hintergrund["koordination"])
    zeilen = [zeile(i) for i in range(25)]
    zeilen[3][7] = "40"  # Alter von > Alter bis (36)
    zeilen[6][23], zeilen[6][24] = "01.08.2027", "31.07.2027"  # gültig von > gültig bis
    zeilen[9][7], zeilen[9][23] = "37", "01.08.2027"  # both
    zeilen[12][7] = "36"  # equal: allowed
    auftrag = auftrag_von(hochladen(client, "angebote_angebot", csv_datei([KOPF, *zeilen])))
    vorher = (Angebot.objects.count(), Angebot.history.count())

    abarbeiten()

    auftrag.refresh_from_db()
    assert auftrag.status == "vorschau_fehler"
    alter = "„Alter von“ darf nicht größer sein als „Alter bis“."
    gueltig = "„gültig bis“ liegt vor „gültig von“."
    assert auftrag.ergebnis["fehler"] == [
        {"zeile": 5, "meldungen": [alter]},
        {"zeile": 8, "meldungen": [gueltig]},
        {"zeile": 11, "meldungen": [alter, gueltig]},
    ]
    assert (Angebot.objects.count(), Angebot.history.count()) == vorher


def test_a_large_file_with_one_bad_row_in_the_middle_writes_nothing(
    client, hintergrund, monkeypatch
):
    """1,000 rows written in batches of 150 (a Landkreis's 10,000 rows use batches of 2,000:
    bench/RESULTS-import.md); between preview and confirmation the provider of row 701 leaves
    the network: the import stops at that row, names it, and nothing of the four batches
    already written stays (links, history, offerings)."""
    monkeypatch.setattr(AngebotRessource, "M2M_STAPEL", 150)
    client.force_login(hintergrund["koordination"])
    kopf = ["Titel", "Anbieter", "Netzwerk", "Format", "Themen", "Status"]
    rest = ["Netzwerk Esslingen", "Online", "babymassage", "Entwurf"]
    zeilen = [[f"Online-Kurs {i}", "Familienzentrum Mitte", *rest] for i in range(1_000)]
    zeilen[700][1] = "Partnerzentrum"
    auftrag = auftrag_von(hochladen(client, "angebote_angebot", csv_datei([kopf, *zeilen])))
    abarbeiten()
    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.ergebnis["neu"], auftrag.ergebnis["fehler"]) == (
        "vorschau_fertig",
        1_000,
        [],
    )
    hintergrund["partner"].partnerschaften.all().delete()
    vorher = (
        Angebot.objects.count(),
        Angebot.history.count(),
        Angebot.themen.through.objects.count(),
    )
    bestaetigen(client, auftrag)

    assert abarbeiten() == 1

    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.datei) == ("fehlgeschlagen", None)
    assert auftrag.ergebnis["meldung"] == "Der Import enthält Fehler; es wurde nichts gespeichert."
    assert auftrag.ergebnis["fehler"] == [
        {
            "zeile": 702,
            "meldungen": [
                "Anbieter: „Partnerzentrum“: nicht gefunden oder gehört nicht zu Ihren Netzwerken."
            ],
        }
    ]
    assert (
        Angebot.objects.count(),
        Angebot.history.count(),
        Angebot.themen.through.objects.count(),
    ) == vorher
    assert not Angebot.objects.filter(titel__startswith="Online-Kurs").exists()


def test_a_job_whose_worker_died_is_reported_failed_in_german(client, hintergrund):
    koordination = hintergrund["koordination"]
    client.force_login(koordination)
    alt, frisch = (
        auftrag_anlegen(
            benutzer=koordination,
            modell="angebote.angebot",
            inhalt=csv_datei([KOPF, zeile(1)]),
            dateiname=name,
            status=Importauftrag.Status.IMPORT_LAEUFT,
        )
        for name in ("alt.csv", "frisch.csv")
    )
    Importauftrag.objects.filter(pk=alt.pk).update(
        herzschlag=timezone.now() - datetime.timedelta(minutes=5)
    )
    Importauftrag.objects.filter(pk=frisch.pk).update(herzschlag=timezone.now())

    text = seite(client, alt).content.decode()  # the page looks itself

    assert (
        "Der Import wurde unterbrochen (der Hintergrundprozess hat sich nicht mehr gemeldet); "
        "es wurde nichts gespeichert. Bitte laden Sie die Datei erneut hoch."
    ) in text
    alt.refresh_from_db()
    frisch.refresh_from_db()
    assert (alt.status, alt.datei) == ("fehlgeschlagen", None)
    assert frisch.status == "import_laeuft"
    assert veraltete_auftraege_melden() == 0


def test_the_preview_in_the_request_shows_the_lists_of_new_records(client, hintergrund):
    client.force_login(hintergrund["koordination"])
    vorschau = hochladen(client, "angebote_angebot", csv_datei([KOPF, zeile(15)]))
    (zeile_,) = vorschau.context["result"].valid_rows()
    werte = dict(zip(vorschau.context["result"].diff_headers, zeile_.diff, strict=True))
    assert {k: werte[k] for k in ["Kooperationspartner", "Sprachen", "Einzugsgebiet"]} == {
        "Kooperationspartner": '<ins style="background:#e6ffe6;">Partnerzentrum</ins>',
        "Sprachen": '<ins style="background:#e6ffe6;">Arabisch, Deutsch</ins>',
        "Einzugsgebiet": '<ins style="background:#e6ffe6;">Sozialraum Mitte</ins>',
    }


def test_the_request_starts_a_detached_worker_and_the_command_runs_the_job(
    client, hintergrund, settings, monkeypatch
):
    import subprocess
    import sys

    from django.core.management import call_command

    gestartet = []

    class Prozess:
        def __init__(self, argumente, **optionen):
            gestartet.append((argumente, optionen["start_new_session"]))

        def poll(self):
            return 0

    monkeypatch.setattr(subprocess, "Popen", Prozess)
    settings.IMPORT_ARBEITER = "prozess"
    client.force_login(hintergrund["koordination"])

    auftrag = auftrag_von(
        hochladen(client, "angebote_angebot", csv_datei([KOPF, *map(zeile, range(30))]))
    )

    assert gestartet == [
        ([sys.executable, str(settings.BASE_DIR / "manage.py"), "importe_abarbeiten"], True)
    ]
    call_command("importe_abarbeiten")
    auftrag.refresh_from_db()
    assert auftrag.status == "vorschau_fertig"
    bestaetigen(client, auftrag)
    assert len(gestartet) == 2
    call_command("importe_abarbeiten")
    auftrag.refresh_from_db()
    assert (auftrag.status, auftrag.ergebnis["neu"]) == ("fertig", 30)
