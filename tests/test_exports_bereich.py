"""Who exports what: anonymous vs staff columns and rows, the coordinator's scope, admin lists,
the network lists and the contact list for mail merges."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from atlas import rollen
from atlas.models import Status
from netzwerke.models import Partnerschaft
from tests.bereich import FREMD, mit_rolle, zwei_netze
from tests.exportdateien import csv_tabelle, geojson, inhalt, xlsx_tabelle
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    NetzwerkFactory,
    PartnerschaftFactory,
    UserFactory,
    einrichtungsart,
)

pytestmark = pytest.mark.django_db

INTERN_ANGEBOTE = [
    "Status",
    "geprüft am",
    "Träger des Anbieters",
    "Netzwerke des Anbieters (Rolle)",
    "Kontaktpersonen des Anbieters (intern)",
]


@pytest.fixture(autouse=True)
def ohne_drosselung(settings):
    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()


@pytest.fixture
def jugendamt(client):
    client.force_login(mit_rolle(rollen.JUGENDAMT))
    return client


@pytest.fixture
def angebote_mit_entwurf(db):
    traeger = AkteurFactory(name="Stadt Esslingen", status=Status.ENTWURF)
    anbieter = AkteurFactory(name="Familienzentrum Mitte", traeger=traeger)
    KontaktpersonFactory(akteur=anbieter, name="Petra Intern", email="petra@example.org")
    netzwerk = NetzwerkFactory(name="Frühe Hilfen Esslingen")
    PartnerschaftFactory(netzwerk=netzwerk, akteur=anbieter, rolle=Partnerschaft.Rolle.KOORDINATION)
    AngebotFactory(titel="Elterncafé", anbieter=anbieter, geprueft_am=datetime.date(2026, 3, 1))
    AngebotFactory(titel="Neuer Kurs (Entwurf)", anbieter=anbieter, status=Status.ENTWURF)


def test_anonymous_get_published_rows_and_public_columns(client, angebote_mit_entwurf):
    kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv"))
    assert [z["Titel"] for z in zeilen] == ["Elterncafé"]
    assert not set(INTERN_ANGEBOTE) & set(kopf)
    text = inhalt(client.get("/angebote/export.csv")).decode()
    assert "Petra" not in text and "Stadt Esslingen" not in text


def test_staff_get_drafts_and_internal_columns(jugendamt, angebote_mit_entwurf):
    antwort = jugendamt.get("/angebote/export.csv", {"intern": "1"})
    assert antwort.status_code == 200
    assert "no-store" in antwort["Cache-Control"] and "private" in antwort["Cache-Control"]
    kopf, zeilen = csv_tabelle(antwort)
    assert set(INTERN_ANGEBOTE) <= set(kopf)
    nach_titel = {z["Titel"]: z for z in zeilen}
    assert set(nach_titel) == {"Elterncafé", "Neuer Kurs (Entwurf)"}
    cafe = nach_titel["Elterncafé"]
    assert cafe["Status"] == "veröffentlicht" and cafe["geprüft am"] == "01.03.2026"
    assert nach_titel["Neuer Kurs (Entwurf)"]["Status"] == "Entwurf"
    assert cafe["Träger des Anbieters"] == "Stadt Esslingen"
    assert cafe["Netzwerke des Anbieters (Rolle)"] == "Frühe Hilfen Esslingen (Koordination)"
    assert (
        cafe["Kontaktpersonen des Anbieters (intern)"] == "Petra Intern, Leitung, petra@example.org"
    )
    assert cafe["Link zur Verwaltung"].startswith("http://testserver/admin/angebote/angebot/")
    # The same staff user without ?intern=1 gets the public file, not rate-limited.
    _kopf, oeffentlich = csv_tabelle(jugendamt.get("/angebote/export.csv"))
    assert [z["Titel"] for z in oeffentlich] == ["Elterncafé"]


def test_internal_xlsx_and_geojson_say_so(jugendamt, angebote_mit_entwurf):
    antwort = jugendamt.get("/angebote/export.xlsx", {"intern": "1"})
    assert "no-store" in antwort["Cache-Control"]
    _blatt, block, kopf, zeilen = xlsx_tabelle(antwort)
    assert block[3].startswith("Mit internen Angaben und Entwürfen")
    assert len(zeilen) == 2 and "Status" in kopf
    assert isinstance(zeilen[0]["erstellt am"], datetime.datetime)
    daten = geojson(jugendamt.get("/angebote/export.geojson", {"intern": "1"}))
    assert {m["properties"]["status"] for m in daten["features"]} == {"veröffentlicht", "Entwurf"}


def test_internal_export_needs_login_and_the_export_permission(client, angebote_mit_entwurf):
    antwort = client.get("/angebote/export.csv", {"intern": "1", "sprache": "ar"})
    assert antwort.status_code == 302
    assert antwort["Location"].startswith("/admin/login/?next=")
    client.force_login(UserFactory())  # staff, but no role: no export permission
    abgelehnt = client.get("/angebote/export.xlsx", {"intern": "1"})
    assert abgelehnt.status_code == 403
    assert "fehlt Ihrem Konto die Berechtigung" in abgelehnt.content.decode()
    client.force_login(UserFactory(is_staff=False))
    assert client.get("/angebote/export.csv", {"intern": "1"}).status_code == 302


@pytest.fixture
def netze(db):
    """Own network Amsel and a foreign one (Zebra) with a draft offering and a shared partner."""
    eigen, fremd = zwei_netze()
    fremd.angebot.status = Status.ENTWURF
    fremd.angebot.save()
    fremd.netzwerk.status = Status.ENTWURF
    fremd.netzwerk.save()
    # The own partner is also a member of the foreign draft network: not public, not in scope.
    PartnerschaftFactory(netzwerk=fremd.netzwerk, akteur=eigen.akteur)
    return eigen, fremd


def test_coordinator_exports_only_their_scope(client, netze):
    eigen, _fremd = netze
    client.force_login(eigen.koordination)
    for url in ("/angebote/export.csv", "/akteure/export.csv", "/netzwerke/export.csv"):
        antwort = client.get(url, {"intern": "1"})
        assert antwort.status_code == 200, url
        text = inhalt(antwort).decode()
        assert "Amsel" in text, url
        assert FREMD not in text, url
    for format in ("xlsx", "geojson", "ics"):
        antwort = client.get(f"/angebote/export.{format}", {"intern": "1"})
        assert FREMD.encode() not in inhalt(antwort), format
    _kopf, (zeile,) = csv_tabelle(client.get("/angebote/export.csv", {"intern": "1"}))
    assert zeile["Netzwerke des Anbieters (Rolle)"] == "Netzwerk Amsel (Partner)"
    assert zeile["Kontaktpersonen des Anbieters (intern)"] == "Erika Amsel, Leitung"


def test_coordinator_cannot_export_another_networks_lists(client, netze):
    eigen, fremd = netze
    client.force_login(eigen.koordination)
    slug = fremd.netzwerk.slug
    assert client.get(f"/netzwerke/{slug}/kontakte.csv").status_code == 404
    assert client.get(f"/netzwerke/{slug}/partner.xlsx", {"intern": "1"}).status_code == 404
    # The draft network has no public page either.
    assert client.get(f"/netzwerke/{slug}/partner.csv").status_code == 404
    for model in (
        "angebote/angebot",
        "akteure/akteur",
        "akteure/kontaktperson",
        "netzwerke/netzwerk",
        "netzwerke/partnerschaft",
    ):
        antwort = client.get(f"/admin/{model}/export.csv")
        assert antwort.status_code == 200, model
        assert FREMD.encode() not in inhalt(antwort), model


def test_jugendamt_sees_every_network(jugendamt, netze):
    text = inhalt(jugendamt.get("/angebote/export.csv", {"intern": "1"})).decode()
    assert "Elterncafé Amsel" in text and f"Elterncafé {FREMD}" in text
    assert f"Netzwerk {FREMD} (Partner)" in text


def test_actor_export_public_and_internal(client, jugendamt, db):
    akteur = AkteurFactory(name="Beratungsstelle Nord", einrichtungsart=einrichtungsart("verein"))
    AkteurFactory(name="Familienzentrum Süd")
    AkteurFactory(name="Entwurf e. V.", status=Status.ENTWURF)
    KontaktpersonFactory(
        akteur=akteur,
        name="Öffentliche Person",
        oeffentlich=True,
        einwilligung_am=datetime.date(2026, 1, 1),
    )
    KontaktpersonFactory(akteur=akteur, name="Interne Person")
    anonym = client.get("/akteure/export.csv", {"einrichtungsart": "verein"})
    _kopf, (zeile,) = csv_tabelle(anonym)
    assert zeile["Name"] == "Beratungsstelle Nord"
    assert zeile["Ansprechpersonen"] == "Öffentliche Person, Leitung"
    assert b"Interne Person" not in inhalt(client.get("/akteure/export.csv"))

    kopf, zeilen = csv_tabelle(jugendamt.get("/akteure/export.csv", {"intern": "1"}))
    assert {z["Name"] for z in zeilen} == {
        "Beratungsstelle Nord",
        "Familienzentrum Süd",
        "Entwurf e. V.",
    }
    nord = next(z for z in zeilen if z["Name"] == "Beratungsstelle Nord")
    assert (
        nord["Kontaktpersonen (intern)"] == "Interne Person, Leitung; Öffentliche Person, Leitung"
    )
    assert {"Status", "Träger", "Netzwerke (Rolle)", "geprüft am"} <= set(kopf)
    merkmale = geojson(client.get("/akteure/export.geojson"))["features"]
    assert len(merkmale) == 2 and merkmale[0]["geometry"]["coordinates"] == [9.3083, 48.7407]


def test_network_list_and_partner_list(client, jugendamt):
    netzwerk = NetzwerkFactory(name="Präventionsnetzwerk Süd")
    NetzwerkFactory(name="Netzwerk im Entwurf", status=Status.ENTWURF)
    koordination = PartnerschaftFactory(
        netzwerk=netzwerk,
        rolle=Partnerschaft.Rolle.KOORDINATION,
        akteur=AkteurFactory(name="Koordinierendes FZ", email="fz@example.org"),
    )
    PartnerschaftFactory(netzwerk=netzwerk, akteur=AkteurFactory(name="Kita Sonne"))
    PartnerschaftFactory(
        netzwerk=netzwerk,
        akteur=AkteurFactory(name="Verein im Entwurf", status=Status.ENTWURF),
        notiz="intern",
    )
    _kopf, (zeile,) = csv_tabelle(client.get("/netzwerke/export.csv"))
    assert zeile["Name"] == "Präventionsnetzwerk Süd"
    assert zeile["Partner (Anzahl)"] == "2"
    assert zeile["Koordination"] == "Koordinierendes FZ"
    assert zeile["Koordination: E-Mail"] == "fz@example.org"
    *_rest, zeilen = xlsx_tabelle(jugendamt.get("/netzwerke/export.xlsx", {"intern": "1"}))
    assert {z["Name"] for z in zeilen} == {"Präventionsnetzwerk Süd", "Netzwerk im Entwurf"}
    sued = next(z for z in zeilen if z["Name"] == "Präventionsnetzwerk Süd")
    assert sued["Partner (Anzahl)"] == 3  # staff count the draft partner too

    seite = client.get(netzwerk.get_absolute_url())
    oeffentlich = [p.akteur.name for p in seite.context["partnergruppen"][0][1]]
    _kopf, partner = csv_tabelle(client.get(f"/netzwerke/{netzwerk.slug}/partner.csv"))
    assert [p["Akteur"] for p in partner] == oeffentlich == ["Kita Sonne", "Koordinierendes FZ"]
    assert {p["Rolle"] for p in partner} == {"Partner", "Koordination"}
    assert (
        koordination.akteur.name
        in inhalt(client.get(f"/netzwerke/{netzwerk.slug}/partner.geojson")).decode()
    )
    _kopf, intern = csv_tabelle(
        jugendamt.get(f"/netzwerke/{netzwerk.slug}/partner.csv", {"intern": "1"})
    )
    assert {p["Akteur"] for p in intern} == {*oeffentlich, "Verein im Entwurf"}
    assert next(p for p in intern if p["Notiz"])["Notiz"] == "intern"
    assert f'href="/netzwerke/{netzwerk.slug}/partner.csv"' in seite.content.decode()


def test_contact_list_for_mail_merges(client, netze):
    eigen, _fremd = netze
    ohne_person = AkteurFactory(name="Kita ohne Ansprechperson", email="kita@example.org")
    PartnerschaftFactory(netzwerk=eigen.netzwerk, akteur=ohne_person)
    KontaktpersonFactory(akteur=eigen.akteur, name="Anna Amsel", email="anna@example.org")
    url = f"/netzwerke/{eigen.netzwerk.slug}/kontakte.csv"
    assert client.get(url).status_code == 302  # login first
    client.force_login(eigen.koordination)
    antwort = client.get(url)
    assert "no-store" in antwort["Cache-Control"]
    assert antwort["Content-Disposition"].startswith(
        f'attachment; filename="netzwerk-{eigen.netzwerk.slug}-kontakte-'
    )
    _kopf, zeilen = csv_tabelle(antwort)
    assert [(z["Akteur"], z["Kontaktperson"]) for z in zeilen] == [
        ("Familienzentrum Amsel", "Anna Amsel"),
        ("Familienzentrum Amsel", "Erika Amsel"),
        ("Kita ohne Ansprechperson", ""),
    ]
    assert zeilen[0]["E-Mail für den Serienbrief"] == "anna@example.org"
    assert zeilen[2]["E-Mail für den Serienbrief"] == "kita@example.org"
    *_rest, xlsx = xlsx_tabelle(client.get(url.replace(".csv", ".xlsx")))
    assert len(xlsx) == 3
    # The admin change page of the network links to it.
    seite = client.get(f"/admin/netzwerke/netzwerk/{eigen.netzwerk.pk}/change/")
    assert f"/netzwerke/{eigen.netzwerk.slug}/kontakte.xlsx" in seite.content.decode()


def test_admin_changelist_exports_what_the_page_shows(admin_client):
    AngebotFactory(titel="Elterncafé Nord", status=Status.ENTWURF)
    AngebotFactory(titel="Elterncafé Süd", status=Status.ENTWURF)
    AngebotFactory(titel="Krabbelgruppe", status=Status.ENTWURF)
    AngebotFactory(titel="Elterncafé West")
    abfrage = {"status__exact": "entwurf", "q": "Elterncafé"}
    seite = admin_client.get("/admin/angebote/angebot/", abfrage)
    erwartet = [a.titel for a in seite.context["cl"].queryset]
    assert sorted(erwartet) == ["Elterncafé Nord", "Elterncafé Süd"]
    text = seite.content.decode()
    assert "/admin/angebote/angebot/export.csv?status__exact=entwurf&amp;q=Elterncaf" in text
    assert "/admin/angebote/angebot/export.geojson?" in text

    antwort = admin_client.get("/admin/angebote/angebot/export.csv", abfrage)
    assert "no-store" in antwort["Cache-Control"]
    _kopf, zeilen = csv_tabelle(antwort)
    assert [z["Titel"] for z in zeilen] == erwartet
    _blatt, block, _kopf, xlsx = xlsx_tabelle(
        admin_client.get("/admin/angebote/angebot/export.xlsx", abfrage)
    )
    assert [z["Titel"] for z in xlsx] == erwartet
    assert "Status: Entwurf" in block[2] and "Suche: Elterncafé" in block[2]
    # No place, no GeoJSON link; bad lookups get the German page.
    kontakte = admin_client.get("/admin/akteure/kontaktperson/").content.decode()
    assert "kontaktperson/export.csv" in kontakte and "kontaktperson/export.geojson" not in kontakte
    fehler = admin_client.get("/admin/angebote/angebot/export.csv", {"gibt_es_nicht": "1"})
    assert fehler.status_code == 400 and "Export nicht möglich" in fehler.content.decode()


def test_admin_export_needs_the_export_permission(client):
    AngebotFactory()
    client.force_login(mit_rolle(rollen.JUGENDAMT))
    assert client.get("/admin/angebote/angebot/export.xlsx").status_code == 200
    assert "angebot/export.csv" in client.get("/admin/angebote/angebot/").content.decode()
    ohne = UserFactory()
    ohne.user_permissions.add(*Permission.objects.filter(codename="view_angebot"))
    client.force_login(ohne)
    assert client.get("/admin/angebote/angebot/").status_code == 200
    assert "angebot/export.csv" not in client.get("/admin/angebote/angebot/").content.decode()
    assert client.get("/admin/angebote/angebot/export.csv").status_code == 403
    client.logout()
    assert client.get("/admin/angebote/angebot/export.csv").status_code == 302


def test_multi_valued_staff_cells_hold_exactly_the_joined_values(jugendamt):
    """Every staff column that joins several values, in CSV, XLSX and (where there is one)
    GeoJSON: whole cells, separators included."""
    from tests.test_exports import zellen

    anbieter = AkteurFactory(name="Familienzentrum Mitte")
    for name, qualifikation in (("Petra Intern", "Elternbegleiterin"), ("Anna Intern", "")):
        KontaktpersonFactory(akteur=anbieter, name=name, qualifikationen=qualifikation)
    nord = NetzwerkFactory(name="Netzwerk Nord", slug="netzwerk-nord")
    sued = NetzwerkFactory(name="Netzwerk Süd", slug="netzwerk-sued")
    PartnerschaftFactory(netzwerk=sued, akteur=anbieter, rolle=Partnerschaft.Rolle.KOORDINATION)
    PartnerschaftFactory(netzwerk=nord, akteur=anbieter)
    for name in ("koordination-b", "koordination-a"):
        nord.koordinatoren.add(UserFactory(username=name, email=f"{name}@example.org"))
    AngebotFactory(titel="Elterncafé", anbieter=anbieter)

    personen = "Anna Intern, Leitung; Petra Intern, Leitung, Elternbegleiterin"
    netzwerke = "Netzwerk Nord (Partner), Netzwerk Süd (Koordination)"
    intern = {"intern": "1"}
    angebot = zellen(
        jugendamt,
        "/angebote/export",
        intern,
        {
            "Netzwerke des Anbieters (Rolle)": "anbieter_netzwerke",
            "Kontaktpersonen des Anbieters (intern)": "kontaktpersonen",
        },
    )
    assert angebot == {
        "Netzwerke des Anbieters (Rolle)": (netzwerke,) * 3,
        "Kontaktpersonen des Anbieters (intern)": (personen,) * 3,
    }
    akteur = zellen(
        jugendamt,
        "/akteure/export",
        intern,
        {"Netzwerke (Rolle)": "netzwerke", "Kontaktpersonen (intern)": "kontaktpersonen"},
    )
    assert akteur == {
        "Netzwerke (Rolle)": (netzwerke,) * 3,
        "Kontaktpersonen (intern)": (personen,) * 3,
    }
    netzwerk = zellen(
        jugendamt,
        "/netzwerke/export",
        {**intern, "programm": nord.programm.slug},
        {"Koordinator:innen (Benutzerkonten)": None},
    )
    konten = (
        "koordination-a, koordination-a@example.org; koordination-b, koordination-b@example.org"
    )
    assert netzwerk == {"Koordinator:innen (Benutzerkonten)": (konten,) * 3}
    partner = zellen(
        jugendamt,
        "/netzwerke/netzwerk-nord/partner",
        intern,
        {"Kontaktpersonen (intern)": "kontaktpersonen"},
    )
    assert partner == {"Kontaktpersonen (intern)": (personen,) * 3}
