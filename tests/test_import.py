"""Import of Akteure, Kontaktpersonen and Angebote through the admin (django-import-export).

Files are built in the tests (CSV as German Excel writes it, XLSX with openpyxl). Everything of
the other network carries the word "Zebra", so a test can assert that no page shows any of it.
"""

import csv
import functools
import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from akteure.models import Akteur, Kontaktperson
from angebote.models import Angebot
from atlas import importieren
from atlas.models import Importauftrag, Status
from netzwerke.models import Partnerschaft
from tests.admin_formular import formulardaten
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    UserFactory,
    einrichtungsart,
    thema,
)

pytestmark = pytest.mark.django_db

FREMD = "Zebra"
KOPF = ["Name", "Kurzname", "Einrichtungsart", "Straße", "PLZ", "Ort", "Telefon", "Sprachen"]
ZEILEN = [
    [
        "Familienzentrum Süd",
        "",
        "Familienzentrum",
        "Hauptstraße 5",
        "73728",
        "Esslingen",
        "0711 1",
        "de, Türkisch",
    ],
    [
        "Bürgertreff Nürtingen",
        "buergertreff",
        "stadtteilzentrum",
        "",
        "72622",
        "Nürtingen",
        "",
        "ar",
    ],
]


def mit_rolle(rolle):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=rolle))
    return user


@pytest.fixture
def welt():
    """Our network with a coordinator and a partner; another network ("Zebra") with its own."""
    netzwerk = NetzwerkFactory(name="Netzwerk Esslingen", slug="netzwerk-esslingen")
    akteur = AkteurFactory(name="Familienzentrum Mitte", slug="fz-mitte")
    PartnerschaftFactory(netzwerk=netzwerk, akteur=akteur)
    koordination = mit_rolle("Koordination")
    netzwerk.koordinatoren.add(koordination)

    fremdes_netzwerk = NetzwerkFactory(name=f"Netzwerk {FREMD}", slug="netzwerk-zebra")
    fremder = AkteurFactory(name=f"Familienzentrum {FREMD}", slug="fz-zebra", telefon="0999 777")
    PartnerschaftFactory(netzwerk=fremdes_netzwerk, akteur=fremder)
    fremdes_angebot = AngebotFactory(
        titel=f"Elterncafé {FREMD}", slug="cafe-zebra", anbieter=fremder
    )
    fremde_person = KontaktpersonFactory(akteur=fremder, name=f"Erika {FREMD}")
    return {
        "netzwerk": netzwerk,
        "akteur": akteur,
        "koordination": koordination,
        "fremdes_netzwerk": fremdes_netzwerk,
        "fremder": fremder,
        "fremdes_angebot": fremdes_angebot,
        "fremde_person": fremde_person,
    }


def csv_datei(zeilen, kodierung="utf-8-sig", trenner=";"):
    puffer = io.StringIO()
    csv.writer(puffer, delimiter=trenner, lineterminator="\r\n").writerows(zeilen)
    return puffer.getvalue().encode(kodierung)


def xlsx_datei(zeilen):
    mappe = openpyxl.Workbook()
    for zeile in zeilen:
        mappe.active.append(zeile)
    puffer = io.BytesIO()
    mappe.save(puffer)
    return puffer.getvalue()


def url(modell, was="import"):
    return reverse(f"admin:{modell}_{was}")


def hochladen(client, modell, inhalt, dateiname="liste.csv", **felder):
    datei = SimpleUploadedFile(dateiname, inhalt)
    return client.post(url(modell), {"import_file": datei, "resource": "0", **felder})


def bestaetigen(client, modell, vorschau):
    form = vorschau.context["confirm_form"]
    daten = {feld.name: feld.value() or "" for feld in form}
    return client.post(url(modell, "process_import"), daten)


def importieren_ok(client, modell, inhalt, dateiname="liste.csv", **felder):
    vorschau = hochladen(client, modell, inhalt, dateiname, **felder)
    assert vorschau.status_code == 200
    assert vorschau.context.get("confirm_form") is not None, fehlertext(vorschau)
    antwort = bestaetigen(client, modell, vorschau)
    assert antwort.status_code == 302, antwort.content.decode()[:3000]
    return vorschau


def fehlertext(antwort):
    ergebnis = antwort.context.get("result")
    zeilen = [r.error_dict for r in ergebnis.invalid_rows] if ergebnis else []
    return f"{antwort.context['form'].errors} {zeilen}"


def anzahlen():
    return (
        Akteur.objects.count(),
        Kontaktperson.objects.count(),
        Angebot.objects.count(),
        Partnerschaft.objects.count(),
        Akteur.history.count(),
    )


# --- Akteure: formats and encodings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kodierung", "trenner"),
    [("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", ","), ("cp1252", ",")],
    ids=["utf8-bom", "cp1252", "utf8-komma", "cp1252-komma"],
)
def test_coordinator_imports_csv_and_new_actors_become_partners(client, welt, kodierung, trenner):
    client.force_login(welt["koordination"])
    importieren_ok(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN], kodierung, trenner))

    sued = Akteur.objects.get(slug="familienzentrum-sud")
    assert sued.name == "Familienzentrum Süd"
    assert sued.strasse == "Hauptstraße 5"
    assert sued.einrichtungsart.slug == "familienzentrum"
    assert sorted(sued.sprachen.values_list("code", flat=True)) == ["de", "tr"]
    assert sued.status == Status.ENTWURF
    treff = Akteur.objects.get(slug="buergertreff")
    assert treff.ort == "Nürtingen"
    for akteur in (sued, treff):
        assert akteur.partnerschaften.get().netzwerk == welt["netzwerk"]
    assert set(Akteur.objects.im_bereich_von(welt["koordination"])) >= {sued, treff}


def test_coordinator_imports_xlsx(client, welt):
    client.force_login(welt["koordination"])
    zeilen = [KOPF, *ZEILEN, [None] * len(KOPF)]
    zeilen[1][4] = 73728  # Excel keeps a PLZ as a number
    importieren_ok(client, "akteure_akteur", xlsx_datei(zeilen), "partner.xlsx")

    sued = Akteur.objects.get(slug="familienzentrum-sud")
    assert (sued.name, sued.plz) == ("Familienzentrum Süd", "73728")
    assert sued.partnerschaften.get().netzwerk == welt["netzwerk"]


def test_reimport_of_the_same_file_changes_nothing(client, welt):
    client.force_login(welt["koordination"])
    inhalt = csv_datei([KOPF, *ZEILEN])
    importieren_ok(client, "akteure_akteur", inhalt)
    vorher = anzahlen()
    geaendert = dict(Akteur.objects.values_list("slug", "geaendert_am"))

    vorschau = importieren_ok(client, "akteure_akteur", inhalt)

    summen = vorschau.context["result"].totals
    assert (summen["new"], summen["update"], summen["skip"]) == (0, 0, 2)
    assert anzahlen() == vorher
    assert dict(Akteur.objects.values_list("slug", "geaendert_am")) == geaendert


def test_changed_row_updates_the_record_in_scope(client, welt):
    client.force_login(welt["koordination"])
    inhalt = csv_datei(
        [
            ["Kurzname", "Name", "Einrichtungsart", "Telefon"],
            ["fz-mitte", "Familienzentrum Mitte", "familienzentrum", "0711 42"],
        ]
    )
    vorschau = importieren_ok(client, "akteure_akteur", inhalt)

    assert vorschau.context["result"].totals["update"] == 1
    welt["akteur"].refresh_from_db()
    assert welt["akteur"].telefon == "0711 42"


# --- Scope ----------------------------------------------------------------------------------


def test_row_with_another_networks_slug_is_an_error_not_an_overwrite(client, welt):
    client.force_login(welt["koordination"])
    inhalt = csv_datei(
        [
            ["Kurzname", "Name", "Einrichtungsart", "Telefon"],
            ["fz-zebra", "Übernommen", "familienzentrum", "0711 666"],
            *[[z[1] or "neu", z[0], z[2], ""] for z in ZEILEN],
        ]
    )
    vorher = anzahlen()

    vorschau = hochladen(client, "akteure_akteur", inhalt)

    assert vorschau.status_code == 200
    assert "confirm_form" not in vorschau.context
    inhalt_seite = vorschau.content.decode()
    assert "gehört nicht zu Ihren Netzwerken" in inhalt_seite
    assert FREMD not in inhalt_seite
    assert "0999 777" not in inhalt_seite
    assert anzahlen() == vorher
    welt["fremder"].refresh_from_db()
    assert (welt["fremder"].name, welt["fremder"].telefon) == (
        f"Familienzentrum {FREMD}",
        "0999 777",
    )


@pytest.mark.parametrize(
    ("spalte", "wert"),
    [
        ("Träger", "fz-zebra"),
        ("Träger", f"Familienzentrum {FREMD}"),
        ("Netzwerk", "netzwerk-zebra"),
    ],
)
def test_references_outside_the_scope_are_errors(client, welt, spalte, wert):
    client.force_login(welt["koordination"])
    inhalt = csv_datei([["Name", "Einrichtungsart", spalte], ["Neuer Treff", "Verein", wert]])
    vorher = anzahlen()

    vorschau = hochladen(client, "akteure_akteur", inhalt)

    assert "confirm_form" not in vorschau.context
    seite = vorschau.content.decode()
    assert "nicht gefunden oder gehört nicht zu Ihren Netzwerken" in seite
    # The importer's own cell may be repeated; nothing else of the other network shows.
    assert FREMD not in seite.replace(wert, "")
    assert "0999 777" not in seite
    assert anzahlen() == vorher


def test_import_page_and_preview_show_no_other_network(client, welt):
    client.force_login(welt["koordination"])
    seite = client.get(url("akteure_akteur"))
    assert seite.status_code == 200
    assert "Netzwerk Esslingen" in seite.content.decode()
    assert FREMD not in seite.content.decode()

    inhalt = csv_datei(
        [
            ["Kurzname", "Name", "Einrichtungsart", "Träger"],
            ["fz-mitte", "Familienzentrum Mitte", "familienzentrum", ""],
            ["neu", "Neuer Treff", "Verein", "fz-mitte"],
        ]
    )
    vorschau = hochladen(client, "akteure_akteur", inhalt)
    assert vorschau.context.get("confirm_form") is not None
    assert FREMD not in vorschau.content.decode()


def test_forged_network_choice_is_refused(client, welt):
    client.force_login(welt["koordination"])
    inhalt = csv_datei([["Name", "Einrichtungsart"], ["Neuer Treff", "Verein"]])
    vorher = anzahlen()

    antwort = hochladen(client, "akteure_akteur", inhalt, netzwerk=str(welt["fremdes_netzwerk"].pk))

    assert "confirm_form" not in antwort.context
    assert antwort.context["form"].errors["netzwerk"]
    assert FREMD not in antwort.content.decode()
    assert anzahlen() == vorher


def test_coordinator_of_two_networks_chooses_the_network(client, welt):
    zweites = NetzwerkFactory(name="Netzwerk Plochingen")
    zweites.koordinatoren.add(welt["koordination"])
    client.force_login(welt["koordination"])
    inhalt = csv_datei(
        [
            ["Name", "Einrichtungsart", "Netzwerk"],
            ["Treff A", "Verein", ""],
            ["Treff B", "Verein", "Netzwerk Plochingen"],
        ]
    )

    ohne = hochladen(client, "akteure_akteur", inhalt)
    assert "confirm_form" not in ohne.context
    assert "muss Partner eines Ihrer Netzwerke werden" in ohne.content.decode()

    importieren_ok(client, "akteure_akteur", inhalt, netzwerk=str(welt["netzwerk"].pk))
    assert Akteur.objects.get(name="Treff A").partnerschaften.get().netzwerk == welt["netzwerk"]
    assert Akteur.objects.get(name="Treff B").partnerschaften.get().netzwerk == zweites


def test_redaktion_imports_anything(client, welt):
    client.force_login(mit_rolle("Redaktion"))
    inhalt = csv_datei(
        [
            ["Kurzname", "Name", "Einrichtungsart", "Telefon"],
            ["fz-zebra", f"Familienzentrum {FREMD}", "familienzentrum", "0999 1"],
            ["ganz-neu", "Ganz neu", "Verein", ""],
        ]
    )
    importieren_ok(client, "akteure_akteur", inhalt)

    welt["fremder"].refresh_from_db()
    assert welt["fremder"].telefon == "0999 1"
    assert not Akteur.objects.get(slug="ganz-neu").partnerschaften.exists()

    angebote = csv_datei(
        [
            ["Titel", "Anbieter", "Format", "Netzwerk"],
            ["Krabbelgruppe", "fz-zebra", "Offener Treff", "netzwerk-esslingen"],
        ]
    )
    importieren_ok(client, "angebote_angebot", angebote)
    assert Angebot.objects.get(titel="Krabbelgruppe").anbieter == welt["fremder"]


# --- Permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("modell", ["akteure_akteur", "akteure_kontaktperson", "angebote_angebot"])
def test_jugendamt_may_not_import(client, welt, modell):
    client.force_login(mit_rolle("Jugendamt"))
    vorher = anzahlen()
    assert client.get(url(modell)).status_code == 403
    inhalt = csv_datei([KOPF, *ZEILEN])
    assert hochladen(client, modell, inhalt).status_code == 403
    antwort = client.post(
        url(modell, "process_import"),
        {"import_file_name": "tmpx", "original_file_name": "a.csv", "format": "0"},
    )
    assert antwort.status_code == 403
    liste = client.get(url(modell, "changelist"))
    assert liste.status_code == 200
    assert url(modell) not in liste.content.decode()
    assert anzahlen() == vorher


@pytest.mark.parametrize("modell", ["akteure_akteur", "akteure_kontaktperson", "angebote_angebot"])
def test_import_button_for_coordinators(client, welt, modell):
    client.force_login(welt["koordination"])
    assert url(modell) in client.get(url(modell, "changelist")).content.decode()


def test_change_permission_alone_does_not_allow_import(client, welt):
    from django.contrib.auth.models import Permission

    user = UserFactory()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="akteure",
            codename__in=["view_akteur", "add_akteur", "change_akteur"],
        )
    )
    client.force_login(user)
    assert client.get(url("akteure_akteur")).status_code == 403


# --- Malformed files ---------------------------------------------------------------------------


@functools.cache
def xlsx_bombe(mb=60, eintraege=1):
    """A zip that looks like an .xlsx and unpacks to `mb` megabytes of zeros."""
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as archiv:
        archiv.writestr("[Content_Types].xml", "<Types/>")
        archiv.writestr("xl/worksheets/sheet1.xml", b"\0" * (mb * 1024 * 1024))
        for i in range(eintraege - 1):
            archiv.writestr(f"xl/media/bild{i}.png", b"")
    return puffer.getvalue()


@pytest.mark.parametrize(
    ("dateiname", "inhalt", "meldung"),
    [
        ("leer.csv", b"", "leer"),
        ("kopf.csv", b"Name;Einrichtungsart\r\n", "nur die Kopfzeile"),
        ("falsch.csv", csv_datei([["Name", "Telefonnr"], ["A", "1"]]), "„Einrichtungsart“"),
        (
            "falsch.csv",
            csv_datei([["Name", "Telefonnr"], ["A", "1"]]),
            "Unbekannte Spalten: „Telefonnr“",
        ),
        ("muell.csv", bytes(range(1, 256)) * 40, "Zeichenkodierung"),
        ("utf16.csv", "Name;Einrichtungsart".encode("utf-16"), "keine CSV-Textdatei"),
        ("muell.xlsx", bytes(range(256)) * 40, "keine gültige Excel-Datei"),
        ("text.xlsx", csv_datei([KOPF, *ZEILEN]), "keine gültige Excel-Datei"),
        ("bombe.xlsx", xlsx_bombe, "entpackt zu groß"),
        ("dicht.xlsx", functools.partial(xlsx_bombe, mb=5), "entpackt zu groß"),
        ("viele.xlsx", functools.partial(xlsx_bombe, mb=0, eintraege=300), "entpackt zu groß"),
        ("ohne-endung", xlsx_bombe, "entpackt zu groß"),
        ("alt.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Dateiformat wird nicht gelesen"),
    ],
)
def test_malformed_files_are_refused_with_a_german_message(
    client, welt, dateiname, inhalt, meldung
):
    client.force_login(welt["koordination"])
    vorher = anzahlen()

    inhalt = inhalt() if callable(inhalt) else inhalt  # zip bombs are built only when needed
    antwort = hochladen(client, "akteure_akteur", inhalt, dateiname)

    assert antwort.status_code == 200
    assert "confirm_form" not in antwort.context
    fehler = " ".join(antwort.context["form"].errors.get("import_file", []))
    assert meldung in fehler
    assert anzahlen() == vorher


def test_files_over_10_mb_are_refused_before_reading(client, welt, monkeypatch):
    client.force_login(welt["koordination"])
    gelesen = []
    monkeypatch.setattr(importieren, "csv_lesen", lambda daten: gelesen.append(daten))
    inhalt = b"Name;Einrichtungsart\r\n" + b"A;Verein\r\n" * (1024 * 1024 + 10)

    antwort = hochladen(client, "akteure_akteur", inhalt)

    assert "größer als 10 MB" in " ".join(antwort.context["form"].errors["import_file"])
    assert gelesen == []
    assert Akteur.objects.filter(name="A").count() == 0


def test_one_bad_row_means_nothing_is_written(client, welt):
    client.force_login(welt["koordination"])
    zeilen = [KOPF, *ZEILEN, ["Kaputt", "", "Gibt es nicht", "", "1234", "", "", "xx"]]
    vorher = anzahlen()

    vorschau = hochladen(client, "akteure_akteur", csv_datei(zeilen))

    assert "confirm_form" not in vorschau.context
    seite = vorschau.content.decode()
    assert "„Gibt es nicht“: nicht gefunden" in seite
    assert "„xx“: nicht gefunden" in seite
    assert anzahlen() == vorher


def test_cells_are_checked_and_normalised(client, welt):
    client.force_login(welt["koordination"])
    kopf = ["name", " E-Mail ", "Einrichtungsart*", "PLZ", "Webseite", "Barrierefrei"]
    gut = ["Treff", "a@example.org", "Verein", "01067", "www.treff.de", "x"]
    schlecht = ["Treff 2", "keine-mail", "Verein", "1234", "", "vielleicht"]

    vorschau = hochladen(client, "akteure_akteur", csv_datei([kopf, gut, schlecht]))
    seite = vorschau.content.decode()
    assert "„1234“ ist keine fünfstellige PLZ." in seite
    assert "„vielleicht“ ist weder „ja“ noch „nein“." in seite
    assert "E-Mail" in seite and "keine-mail" in seite

    importieren_ok(client, "akteure_akteur", csv_datei([kopf, gut]))
    treff = Akteur.objects.get(name="Treff")
    assert (treff.plz, treff.website, treff.barrierefrei) == ("01067", "https://www.treff.de", True)


def test_duplicate_rows_in_one_file_are_refused(client, welt):
    client.force_login(welt["koordination"])
    zeilen = [KOPF, ZEILEN[0], ZEILEN[0]]
    vorschau = hochladen(client, "akteure_akteur", csv_datei(zeilen))
    assert "confirm_form" not in vorschau.context
    assert "steht schon in Zeile 2" in vorschau.content.decode()


def test_confirm_step_imports_all_or_nothing_when_data_changed(client, welt):
    client.force_login(welt["koordination"])
    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    assert vorschau.context.get("confirm_form") is not None
    # Between preview and confirmation another network takes the second row's key.
    AkteurFactory(slug="buergertreff", name=f"Treff {FREMD}")
    vorher = anzahlen()

    antwort = bestaetigen(client, "akteure_akteur", vorschau)

    assert antwort.status_code == 400
    assert "es wurde nichts gespeichert" in antwort.content.decode()
    assert FREMD not in antwort.content.decode()
    assert anzahlen() == vorher
    assert not Akteur.objects.filter(slug="familienzentrum-sud").exists()


def test_confirm_step_reads_only_this_sessions_preview(client, welt):
    client.force_login(welt["koordination"])
    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    form = vorschau.context["confirm_form"]
    daten = {feld.name: feld.value() or "" for feld in form}

    andere = UserFactory(is_superuser=True)
    client.force_login(andere)
    antwort = client.post(url("akteure_akteur", "process_import"), daten)

    assert antwort.status_code == 400
    assert "Vorschau ist abgelaufen" in antwort.content.decode()
    assert not Akteur.objects.filter(slug="buergertreff").exists()


def test_publishing_by_import_needs_complete_records(client, welt):
    client.force_login(welt["koordination"])
    inhalt = csv_datei(
        [["Name", "Einrichtungsart", "Status"], ["Treff", "Verein", "veröffentlicht"]]
    )
    vorschau = hochladen(client, "akteure_akteur", inhalt)
    assert "confirm_form" not in vorschau.context
    assert "braucht eine Beschreibung" in vorschau.content.decode()


# --- History ----------------------------------------------------------------------------------


def test_every_imported_write_records_the_importing_user(client, welt):
    koordination = welt["koordination"]
    client.force_login(koordination)
    importieren_ok(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    importieren_ok(
        client,
        "akteure_akteur",
        csv_datei(
            [
                ["Kurzname", "Name", "Einrichtungsart", "Telefon"],
                ["fz-mitte", "Familienzentrum Mitte", "familienzentrum", "0711 9"],
            ]
        ),
    )

    sued = Akteur.objects.get(slug="familienzentrum-sud")
    eintrag = sued.history.get()
    assert (eintrag.history_type, eintrag.history_user) == ("+", koordination)
    partnerschaft = sued.partnerschaften.get()
    assert partnerschaft.history.get().history_user == koordination
    aenderung = welt["akteur"].history.latest()
    assert (aenderung.history_type, aenderung.history_user, aenderung.telefon) == (
        "~",
        koordination,
        "0711 9",
    )


# --- Kontaktpersonen --------------------------------------------------------------------------


def test_contact_persons_import_idempotent_and_scoped(client, welt):
    koordination = welt["koordination"]
    client.force_login(koordination)
    inhalt = csv_datei(
        [
            ["Akteur", "Name", "Funktion", "E-Mail", "Öffentlich", "Einwilligung am"],
            ["fz-mitte", "Jörg Müller", "Leitung", "jm@example.org", "ja", "01.02.2024"],
            ["Familienzentrum Mitte", "Ayşe Yılmaz", "Elternbegleiterin", "", "nein", ""],
        ],
        kodierung="utf-8-sig",
    )
    importieren_ok(client, "akteure_kontaktperson", inhalt)

    joerg = Kontaktperson.objects.get(name="Jörg Müller")
    assert (joerg.akteur, joerg.oeffentlich, str(joerg.einwilligung_am)) == (
        welt["akteur"],
        True,
        "2024-02-01",
    )
    assert joerg.history.get().history_user == koordination
    assert Kontaktperson.objects.get(name="Ayşe Yılmaz").akteur == welt["akteur"]

    vorher = anzahlen()
    wieder = importieren_ok(client, "akteure_kontaktperson", inhalt)
    assert wieder.context["result"].totals["skip"] == 2
    assert anzahlen() == vorher
    assert Kontaktperson.history.count() == 3  # two imported, one from the fixture; none added


def test_contact_person_of_another_network_is_refused(client, welt):
    client.force_login(welt["koordination"])
    inhalt = csv_datei([["Akteur", "Name", "Telefon"], ["fz-zebra", f"Erika {FREMD}", "0711 1"]])
    vorher = anzahlen()

    vorschau = hochladen(client, "akteure_kontaktperson", inhalt)

    assert "confirm_form" not in vorschau.context
    assert "nicht gefunden oder gehört nicht zu Ihren Netzwerken" in vorschau.content.decode()
    assert anzahlen() == vorher
    welt["fremde_person"].refresh_from_db()
    assert welt["fremde_person"].telefon == ""


def test_public_contact_person_needs_consent(client, welt):
    client.force_login(welt["koordination"])
    inhalt = csv_datei([["Akteur", "Name", "Öffentlich"], ["fz-mitte", "Ohne Einwilligung", "ja"]])
    vorschau = hochladen(client, "akteure_kontaktperson", inhalt)
    assert "confirm_form" not in vorschau.context
    assert "nur mit Datum der Einwilligung" in vorschau.content.decode()


# --- Angebote ---------------------------------------------------------------------------------

ANGEBOT_KOPF = [
    "Titel",
    "Anbieter",
    "Format",
    "Themen",
    "Zielgruppen",
    "Sprachen",
    "Alter von (Monate)",
    "Alter bis (Monate)",
    "Kosten",
    "Gültig von",
    "Netzwerk",
]
ANGEBOT = [
    "Elterncafé",
    "fz-mitte",
    "Offener Treff",
    "Geld, Arbeit & Beruf, babymassage",
    "Eltern; Väter",
    "Deutsch, ar",
    "0",
    "36",
    "kostenlos",
    "01.09.2025",
    "Netzwerk Esslingen",
]


def test_coordinator_imports_offerings_idempotently(client, welt):
    koordination = welt["koordination"]
    client.force_login(koordination)
    inhalt = xlsx_datei([ANGEBOT_KOPF, ANGEBOT])
    importieren_ok(client, "angebote_angebot", inhalt, "angebote.xlsx")

    angebot = Angebot.objects.get(slug="elterncafe-fz-mitte")
    assert angebot.anbieter == welt["akteur"]
    assert angebot.netzwerk == welt["netzwerk"]
    assert sorted(angebot.themen.values_list("slug", flat=True)) == [
        "babymassage",
        "geld-arbeit-beruf",
    ]
    assert sorted(angebot.zielgruppen.values_list("slug", flat=True)) == ["eltern", "vater"]
    assert sorted(angebot.sprachen.values_list("code", flat=True)) == ["ar", "de"]
    assert (angebot.alter_von_monate, angebot.alter_bis_monate) == (0, 36)
    assert angebot.standort == welt["akteur"].standort
    assert angebot.history.get().history_user == koordination

    vorher = (Angebot.objects.count(), Angebot.history.count())
    wieder = importieren_ok(client, "angebote_angebot", inhalt, "angebote.xlsx")
    assert wieder.context["result"].totals["skip"] == 1
    assert (Angebot.objects.count(), Angebot.history.count()) == vorher


@pytest.mark.parametrize(
    ("spalten", "werte", "meldung"),
    [
        (["Titel", "Anbieter", "Format"], ["Café", "fz-zebra", "Kurs"], "nicht gefunden oder"),
        (
            ["Kurzname", "Titel", "Anbieter", "Format"],
            ["cafe-zebra", "Café", "fz-mitte", "Kurs"],
            "gehört nicht zu Ihren Netzwerken",
        ),
        (
            ["Titel", "Anbieter", "Format", "Kooperationspartner"],
            ["Café", "fz-mitte", "Kurs", "fz-zebra"],
            "nicht gefunden oder",
        ),
        (
            ["Titel", "Anbieter", "Format", "Netzwerk"],
            ["Café", "fz-mitte", "Kurs", "netzwerk-zebra"],
            "nicht gefunden oder",
        ),
    ],
    ids=["anbieter", "kurzname", "kooperationspartner", "netzwerk"],
)
def test_offerings_outside_the_scope_are_refused(client, welt, spalten, werte, meldung):
    client.force_login(welt["koordination"])
    vorher = anzahlen()

    vorschau = hochladen(client, "angebote_angebot", csv_datei([spalten, werte]))

    assert "confirm_form" not in vorschau.context
    seite = vorschau.content.decode()
    assert meldung in seite
    assert f"Elterncafé {FREMD}" not in seite and f"Familienzentrum {FREMD}" not in seite
    assert anzahlen() == vorher
    welt["fremdes_angebot"].refresh_from_db()
    assert welt["fremdes_angebot"].titel == f"Elterncafé {FREMD}"


def test_offering_of_our_network_by_an_outside_provider_stays_ours(client, welt):
    """The current provider stays allowed (as in the admin form); the network may not go."""
    angebot = AngebotFactory(
        titel="Netzwerkcafé",
        slug="netzwerkcafe",
        anbieter=welt["fremder"],
        netzwerk=welt["netzwerk"],
    )
    client.force_login(welt["koordination"])
    kopf = ["Kurzname", "Titel", "Anbieter", "Format", "Netzwerk"]

    importieren_ok(
        client,
        "angebote_angebot",
        csv_datei(
            [kopf, ["netzwerkcafe", "Netzwerkcafé neu", "fz-zebra", "Kurs", "netzwerk-esslingen"]]
        ),
    )
    angebot.refresh_from_db()
    assert (angebot.titel, angebot.anbieter, angebot.format) == (
        "Netzwerkcafé neu",
        welt["fremder"],
        "kurs",
    )

    vorschau = hochladen(
        client,
        "angebote_angebot",
        csv_datei([kopf, ["netzwerkcafe", "Weg", "fz-zebra", "Kurs", ""]]),
    )
    assert "confirm_form" not in vorschau.context
    assert "läge danach außerhalb Ihrer Netzwerke" in vorschau.content.decode()
    angebot.refresh_from_db()
    assert angebot.netzwerk == welt["netzwerk"]


def test_publishing_an_offering_needs_a_complete_record(client, welt):
    client.force_login(welt["koordination"])
    kopf = ["Titel", "Anbieter", "Format", "Status", "Beschreibung", "Themen", "Zielgruppen"]
    unvollstaendig = ["Kurs A", "fz-mitte", "Kurs", "veröffentlicht", "", "", ""]
    vorschau = hochladen(client, "angebote_angebot", csv_datei([kopf, unvollstaendig]))
    assert "confirm_form" not in vorschau.context
    assert "braucht mindestens ein Thema" in vorschau.content.decode()

    vollstaendig = [
        "Kurs B",
        "fz-mitte",
        "Kurs",
        "veröffentlicht",
        "Für Eltern.",
        "Babymassage",
        "Eltern",
    ]
    kopf_kontakt = [*kopf, "Kontakt-E-Mail"]
    importieren_ok(
        client, "angebote_angebot", csv_datei([kopf_kontakt, [*vollstaendig, "kurs@example.org"]])
    )
    assert Angebot.objects.get(titel="Kurs B").status == Status.VEROEFFENTLICHT


def test_namesakes_at_one_actor_are_told_apart_by_email(client, welt):
    KontaktpersonFactory(akteur=welt["akteur"], name="Anna Schmidt", email="a1@example.org")
    KontaktpersonFactory(akteur=welt["akteur"], name="Anna Schmidt", email="a2@example.org")
    client.force_login(welt["koordination"])
    kopf = ["Akteur", "Name", "E-Mail", "Funktion"]

    ohne = hochladen(
        client, "akteure_kontaktperson", csv_datei([kopf, ["fz-mitte", "Anna Schmidt", "", "X"]])
    )
    assert "mehrere Kontaktpersonen dieses Namens" in ohne.content.decode()

    importieren_ok(
        client,
        "akteure_kontaktperson",
        csv_datei([kopf, ["fz-mitte", "Anna Schmidt", "a2@example.org", "Beratung"]]),
    )
    funktionen = dict(
        Kontaktperson.objects.filter(name="Anna Schmidt").values_list("email", "funktion")
    )
    assert funktionen == {"a1@example.org": "Leitung", "a2@example.org": "Beratung"}


def test_unexpected_failure_is_a_row_error_without_details(client, welt, monkeypatch):
    from akteure.ressourcen import AkteurRessource

    def kaputt(self, instance, row, **kwargs):
        raise RuntimeError(f"Geheimnis aus der Datenbank: {FREMD}")

    monkeypatch.setattr(AkteurRessource, "after_save_instance", kaputt)
    client.force_login(welt["koordination"])
    vorher = anzahlen()

    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))

    assert vorschau.status_code == 200
    seite = vorschau.content.decode()
    assert "konnte nicht gespeichert werden" in seite
    assert "Geheimnis" not in seite and FREMD not in seite
    assert anzahlen() == vorher


def test_tampered_confirm_step_is_refused(client, welt):
    client.force_login(welt["koordination"])
    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    form = vorschau.context["confirm_form"]
    daten = {feld.name: feld.value() or "" for feld in form}
    vorher = anzahlen()

    for aenderung in (
        {"netzwerk": str(welt["fremdes_netzwerk"].pk)},
        {"import_file_name": "../../etc/passwd"},
        {"format": "7"},
    ):
        antwort = client.post(url("akteure_akteur", "process_import"), {**daten, **aenderung})
        assert antwort.status_code == 400
        assert FREMD not in antwort.content.decode()
    assert anzahlen() == vorher

    # The untouched preview still works afterwards, once.
    assert client.post(url("akteure_akteur", "process_import"), daten).status_code == 302
    assert client.post(url("akteure_akteur", "process_import"), daten).status_code == 400
    assert Akteur.objects.filter(slug="buergertreff").count() == 1


def test_blank_rows_and_excel_separator_line(client, welt):
    client.force_login(welt["koordination"])
    inhalt = b"sep=,\r\n" + csv_datei(
        [["Name", "Einrichtungsart"], ["Treff A", "Verein"], ["", ""], ["Treff B", "Kaputt"]],
        kodierung="utf-8",
        trenner=",",
    )
    vorschau = hochladen(client, "akteure_akteur", inhalt)
    ergebnis = vorschau.context["result"]
    # Line numbers as Excel shows them after the hint line: header 1, data from 2.
    assert [zeile.number + 1 for zeile in ergebnis.invalid_rows] == [4]

    leer_unten = xlsx_datei(
        [["Name", "Einrichtungsart"], ["Treff C", "Verein"]] + [[None, None]] * 50
    )
    importieren_ok(client, "akteure_akteur", leer_unten, "liste.xlsx")
    assert Akteur.objects.filter(name="Treff C").exists()


def test_too_many_rows_are_refused(client, welt, monkeypatch):
    monkeypatch.setattr(importieren, "MAX_ZEILEN", 3)
    client.force_login(welt["koordination"])
    zeilen = [["Name", "Einrichtungsart"]] + [[f"Treff {i}", "Verein"] for i in range(4)]
    antwort = hochladen(client, "akteure_akteur", csv_datei(zeilen))
    assert "mehr als 3 Zeilen" in " ".join(antwort.context["form"].errors["import_file"])


def test_uploaded_files_wait_in_the_database_and_are_removed(client, welt, monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client.force_login(welt["koordination"])

    def dateien():
        return list(Importauftrag.objects.filter(datei__isnull=False).values_list("groesse"))

    hochladen(client, "akteure_akteur", csv_datei([KOPF, ["Kaputt", "", "Gibt es nicht"]]))
    assert dateien() == []

    inhalt = csv_datei([KOPF, *ZEILEN])
    vorschau = hochladen(client, "akteure_akteur", inhalt)
    assert dateien() == [(len(inhalt),)]  # kept for the confirm step
    bestaetigen(client, "akteure_akteur", vorschau)
    assert dateien() == []
    # Nothing of it on this server's disk.
    assert list(tmp_path.iterdir()) == []
    assert list(
        Importauftrag.objects.order_by("erstellt").values_list("status", "zeilen", "dateiname")
    ) == [("vorschau_fehler", 1, "liste.csv"), ("fertig", 2, "liste.csv")]


def test_an_imported_offering_without_address_takes_the_providers_address(client, welt):
    from tests.seiten import wo

    welt["akteur"].strasse, welt["akteur"].plz, welt["akteur"].ort = (
        "Hauptstraße 5",
        "73728",
        "Esslingen am Neckar",
    )
    welt["akteur"].save()
    client.force_login(welt["koordination"])
    kopf = ["Titel", "Anbieter", "Format", "Status", "Beschreibung", "Themen", "Zielgruppen"]
    zeile = ["Kurs B", "fz-mitte", "Kurs", "veröffentlicht", "Für Eltern.", "Babymassage", "Eltern"]
    inhalt = csv_datei([[*kopf, "Kontakt-E-Mail"], [*zeile, "kurs@example.org"]])
    importieren_ok(client, "angebote_angebot", inhalt)

    angebot = Angebot.objects.get(titel="Kurs B")
    assert angebot.standort == welt["akteur"].standort
    assert (angebot.strasse, angebot.plz, angebot.ort) == (
        "Hauptstraße 5",
        "73728",
        "Esslingen am Neckar",
    )
    assert wo(client.get(angebot.get_absolute_url())) == "Hauptstraße 5, 73728 Esslingen am Neckar"
    # The same file again changes nothing.
    wieder = importieren_ok(client, "angebote_angebot", inhalt)
    assert wieder.context["result"].totals["skip"] == 1


def test_an_imported_offering_at_an_address_of_its_own_is_placed_at_its_plz(client, welt):
    """Not at the provider's point in Esslingen: the map showed it there, 20 km away."""
    from akteure.models import Postleitzahl
    from tests.seiten import wo

    anbieter = welt["akteur"]
    assert (anbieter.plz, anbieter.ort) == ("73728", "Esslingen am Neckar")
    client.force_login(welt["koordination"])
    kopf = ["Titel", "Anbieter", "Format", "Status", "Beschreibung", "Themen", "Zielgruppen"]
    rest = ["veröffentlicht", "Für Eltern.", "Babymassage", "Eltern", "kurs@example.org"]
    inhalt = csv_datei(
        [
            [*kopf, "Kontakt-E-Mail", "Straße", "PLZ", "Ort"],
            ["Kurs N", "fz-mitte", "Kurs", *rest, "Hauptstraße 5", "72622", "Nürtingen"],
            ["Kurs E", "fz-mitte", "Kurs", *rest, "", "", ""],
        ]
    )
    importieren_ok(client, "angebote_angebot", inhalt)

    mitte = Postleitzahl.objects.get(plz="72622").punkt
    nuertingen = Angebot.objects.get(titel="Kurs N")
    assert nuertingen.standort.coords == mitte.coords
    assert (nuertingen.strasse, nuertingen.plz, nuertingen.ort) == (
        "Hauptstraße 5",
        "72622",
        "Nürtingen",
    )
    assert wo(client.get(nuertingen.get_absolute_url())) == "Hauptstraße 5, 72622 Nürtingen"
    beim_anbieter = Angebot.objects.get(titel="Kurs E")
    assert beim_anbieter.standort.coords == anbieter.standort.coords
    assert (beim_anbieter.strasse, beim_anbieter.plz, beim_anbieter.ort) == (
        "Marktplatz 1",
        "73728",
        "Esslingen am Neckar",
    )
    # The public map puts each where its page says it is.
    karte = client.get("/angebote/karte.json", {"q": "Kurs"}).json()
    orte = {
        a["titel"]: f["geometry"]["coordinates"]
        for f in karte["features"]
        for a in f["properties"]["angebote"]
    }
    assert orte == {
        "Kurs N": [round(mitte.x, 6), round(mitte.y, 6)],
        "Kurs E": [round(anbieter.standort.x, 6), round(anbieter.standort.y, 6)],
    }
    # The same file again changes nothing.
    wieder = importieren_ok(client, "angebote_angebot", inhalt)
    assert wieder.context["result"].totals["skip"] == 2


def test_an_imported_offering_at_an_unknown_plz_of_its_own_is_not_published(client, welt):
    """No centre to propose and not the provider's place: the row says so, nothing is saved."""
    client.force_login(welt["koordination"])
    kopf = ["Titel", "Anbieter", "Format", "Status", "Beschreibung", "Themen", "Zielgruppen"]
    zeile = ["Kurs X", "fz-mitte", "Kurs", "veröffentlicht", "Für Eltern.", "Babymassage", "Eltern"]
    inhalt = csv_datei(
        [
            [*kopf, "Kontakt-E-Mail", "Straße", "PLZ", "Ort"],
            [*zeile, "kurs@example.org", "Hauptstraße 5", "99999", "Nirgendwo"],
        ]
    )
    vorschau = hochladen(client, "angebote_angebot", inhalt)
    assert vorschau.context.get("confirm_form") is None
    (zeile_fehler,) = [r.error_dict for r in vorschau.context["result"].invalid_rows]
    assert [str(m) for m in zeile_fehler["__all__"]] == [
        "Ein veröffentlichtes Angebot braucht einen Ort – oder es ist online oder aufsuchend "
        "(Hausbesuch)."
    ]
    assert not Angebot.objects.filter(titel="Kurs X").exists()


# --- One completeness rule for the admin form and the import -----------------------------------


def _zeilenfehler(vorschau):
    """The messages of the preview's one invalid row, as the page lists them."""
    assert "confirm_form" not in vorschau.context
    (zeile,) = vorschau.context["result"].invalid_rows
    return [str(m) for meldungen in zeile.error_dict.values() for m in meldungen]


def _formularfehler(client, obj, **aenderungen):
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    antwort = client.post(url, formulardaten(client.get(url), **aenderungen))
    assert antwort.status_code == 200
    return [str(f) for f in antwort.context["adminform"].form.non_field_errors()]


def test_admin_form_and_import_refuse_the_same_loss_in_the_same_words(client, welt):
    """A published offering may not lose its description and topics by either path, but may
    keep a gap it had before (no target group or age), in both paths alike."""
    angebot = AngebotFactory(
        titel="Elterncafé",
        slug="elterncafe-mitte",
        anbieter=welt["akteur"],
        themen=[thema("babymassage")],
    )
    client.force_login(welt["koordination"])
    erwartet = [
        "Ein veröffentlichtes Angebot braucht eine Beschreibung.",
        "Ein veröffentlichtes Angebot braucht mindestens ein Thema.",
    ]
    assert _formularfehler(client, angebot, beschreibung="", themen=[]) == erwartet
    kopf = ["Kurzname", "Titel", "Anbieter", "Format", "Status", "Beschreibung", "Themen"]
    zeile = [
        "elterncafe-mitte",
        "Elterncafé",
        "fz-mitte",
        "Offener Treff",
        "veröffentlicht",
        "",
        "",
    ]
    vorschau = hochladen(client, "angebote_angebot", csv_datei([kopf, zeile]))
    assert _zeilenfehler(vorschau) == erwartet
    angebot.refresh_from_db()
    assert (angebot.beschreibung, list(angebot.themen.all())) == (
        "Ein offener Treff für Eltern mit Kindern.",
        [thema("babymassage")],
    )

    # The old gap (no target group, no age) stays allowed: both paths save the same edit.
    anders = "Ein Treff am Dienstag."
    antwort = client.post(
        reverse("admin:angebote_angebot_change", args=[angebot.pk]),
        formulardaten(
            client.get(reverse("admin:angebote_angebot_change", args=[angebot.pk])),
            beschreibung=anders,
        ),
    )
    assert antwort.status_code == 302
    zeile = [*zeile[:5], "Ein Treff am Mittwoch.", "babymassage"]
    importieren_ok(client, "angebote_angebot", csv_datei([kopf, zeile]))
    angebot.refresh_from_db()
    assert angebot.beschreibung == "Ein Treff am Mittwoch."


def test_admin_form_and_import_name_the_same_gaps_of_a_new_record(client, welt):
    client.force_login(welt["koordination"])
    daten = formulardaten(
        client.get(reverse("admin:akteure_akteur_add")),
        name="Treff am Markt",
        einrichtungsart=str(einrichtungsart("verein").pk),
        status=Status.VEROEFFENTLICHT,
        plz="73728",
        ort="Esslingen",
    )
    antwort = client.post(reverse("admin:akteure_akteur_add"), daten)
    assert antwort.status_code == 200
    im_formular = [str(f) for f in antwort.context["adminform"].form.non_field_errors()]
    kopf = ["Name", "Einrichtungsart", "Status", "PLZ", "Ort"]
    zeile = ["Treff am Markt", "Verein", "veröffentlicht", "73728", "Esslingen"]
    im_import = _zeilenfehler(hochladen(client, "akteure_akteur", csv_datei([kopf, zeile])))
    assert (
        im_formular
        == im_import
        == [
            "Ein veröffentlichter Akteur braucht einen Kontaktweg: Telefon, E-Mail oder Website.",
            "Ein veröffentlichter Akteur braucht eine Beschreibung.",
        ]
    )


@pytest.mark.parametrize("sprache", ["de", "en", "tr", "uk", "ru", "ar", "fa"])
def test_yes_and_no_exported_in_any_ui_language_import_again(sprache):
    from django.utils import translation

    from atlas.ressourcen import JaNeinWidget

    widget = JaNeinWidget()
    with translation.override(sprache):
        ja, nein = widget.render(True), widget.render(False)
    # Whatever language the importer's own page is in.
    assert (widget.clean(ja), widget.clean(nein), widget.clean(ja.upper())) == (True, False, True)
    if sprache != "de":
        assert ja != "ja"
