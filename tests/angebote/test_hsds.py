"""The Open Referral HSDS 3.0 API, validated against the official schemas, and the rate limit."""

import datetime
import io
import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.cache import cache
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from akteure.models import Akteur, Sozialraum
from angebote import hsds
from angebote.models import Angebot, Thema
from atlas.drosselung import client_ip, gedrosselt
from atlas.models import Status, punkt_aus
from tests.exportdateien import csv_tabelle
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    SozialraumFactory,
    TerminFactory,
    UserFactory,
    sprache,
    thema,
    zielgruppe,
)

pytestmark = pytest.mark.django_db

API = "/api/hsds"
OSTFILDERN = punkt_aus(48.7230, 9.2620)
KOELN = punkt_aus(50.9375, 6.9603)
SCHEMA_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


# --- The official schemas, read where they are shipped (never copied into the project) -------


def _schema_ordner():
    return Path(
        os.environ.get("HSDS_SCHEMA_DIR") or settings.BASE_DIR.parent / "shared" / "hsds-3.0"
    )


@pytest.fixture(scope="session")
def hsds_schemas():
    ordner = _schema_ordner()
    if not (ordner / "service.json").is_file():
        pytest.skip(
            f"HSDS-3.0-Schemas nicht gefunden in {ordner} (HSDS_SCHEMA_DIR setzen); "
            "Schema-Prüfung übersprungen."
        )
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    from referencing.jsonschema import DRAFT202012

    ressourcen = []
    for datei in [*ordner.glob("*.json"), *ordner.glob("compiled/*.json")]:
        inhalt = json.loads(datei.read_text(encoding="utf-8"))
        url = SCHEMA_URL + datei.relative_to(ordner).as_posix()
        ressourcen.append((url, referencing.Resource.from_contents(inhalt, DRAFT202012)))
    registry = referencing.Registry().with_resources(ressourcen)
    openapi = json.loads((ordner / "openapi.json").read_text(encoding="utf-8"))
    return jsonschema, registry, openapi["components"]["schemas"]["Page"]


def _pruefen(hsds_schemas, daten, schema_datei, liste=False):
    """Validate against the official schema, and allow only field names the schema knows."""
    jsonschema, registry, page = hsds_schemas
    eintrag = {"$ref": SCHEMA_URL + schema_datei}
    schema = eintrag
    if liste:
        umschlag = {"required": [*page["properties"], "contents"]}
        contents = {"type": "array", "items": eintrag}
        schema = {"allOf": [page, umschlag], "properties": {"contents": contents}}
    validator = jsonschema.Draft202012Validator(
        schema,
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    fehler = [f"{list(f.absolute_path)}: {f.message}" for f in validator.iter_errors(daten)]
    assert not fehler, fehler
    resolver = registry.resolver()
    if liste:
        assert set(daten) == {*page["properties"], "contents"}
        for objekt in daten["contents"]:
            assert not list(_fremde_felder(objekt, eintrag, resolver))
    else:
        assert not list(_fremde_felder(daten, eintrag, resolver))


def _fremde_felder(wert, schema, resolver, pfad="$"):
    """Keys of `wert` that the (resolved) schema does not name."""
    if "$ref" in schema:
        gefunden = resolver.lookup(schema["$ref"])
        schema, resolver = gefunden.contents, gefunden.resolver
    if isinstance(wert, dict):
        felder = schema.get("properties", {})
        for name, inhalt in wert.items():
            if name not in felder:
                yield f"{pfad}.{name}"
            else:
                yield from _fremde_felder(inhalt, felder[name], resolver, f"{pfad}.{name}")
    elif isinstance(wert, list):
        for nummer, inhalt in enumerate(wert):
            yield from _fremde_felder(
                inhalt, schema.get("items", {}), resolver, f"{pfad}[{nummer}]"
            )


def _datum_pruefen(daten):
    """The schemas type dates as plain strings; they must still parse as ISO dates."""
    if isinstance(daten, dict):
        for name, wert in daten.items():
            if name in ("assured_date", "valid_from", "valid_to", "dtstart"):
                datetime.date.fromisoformat(wert)
            elif name == "last_modified":
                assert datetime.datetime.fromisoformat(wert).tzinfo is not None
            else:
                _datum_pruefen(wert)
    elif isinstance(daten, list):
        for wert in daten:
            _datum_pruefen(wert)


# --- Test data ------------------------------------------------------------------------------


@pytest.fixture
def atlas():
    """A published actor with a Träger, contacts and offerings, plus records that must not show."""
    land = SozialraumFactory(name="Baden-Württemberg", ebene=Sozialraum.Ebene.LAND)
    kreis = SozialraumFactory(
        name="Landkreis Esslingen",
        ebene=Sozialraum.Ebene.KREIS,
        uebergeordnet=land,
        flaeche=MultiPolygon(Polygon.from_bbox((9.0, 48.5, 9.7, 48.85)), srid=4326),
    )
    stadt = SozialraumFactory(name="Esslingen", uebergeordnet=kreis)
    traeger = AkteurFactory(name="Kreisdiakonieverband")
    akteur = AkteurFactory(
        name="Familienzentrum Pliensauvorstadt",
        traeger=traeger,
        sozialraum=stadt,
        beschreibung="Treffpunkt für Familien.",
        telefon="0711 123456",
        email="info@fz-beispiel.de",
        website="https://fz-beispiel.de/",
        barrierefrei=True,
        oeffnungszeiten="Mo–Fr 9–12 Uhr",
    )
    akteur.sprachen.set([sprache("de"), sprache("ar")])
    oeffentlich = KontaktpersonFactory(
        akteur=akteur,
        name="Erika Öffentlich",
        email="erika@fz-beispiel.de",
        telefon="0711 99",
        oeffentlich=True,
        einwilligung_am=datetime.date(2025, 1, 10),
    )
    KontaktpersonFactory(akteur=akteur, name="Max Intern", email="max@intern.de")

    massage = thema("babymassage")
    kurs = AngebotFactory(
        titel="Babymassage für Väter",
        anbieter=akteur,
        themen=[massage],
        sprachen=[sprache("ar")],
        alter_von_monate=-3,
        alter_bis_monate=11,
        kosten="kostenbeitrag",
        kosten_hinweis="5 € pro Termin",
        anmeldung_erforderlich=True,
        anmeldung_hinweis="Telefonisch anmelden",
        regelmaessige_zeiten="dienstags 10 Uhr",
        kontakt_name="Frau Beispiel",
        kontakt_email="kurs@fz-beispiel.de",
        kontakt_telefon="0711 555",
        geprueft_am=datetime.date(2026, 1, 5),
        gueltig_von=datetime.date(2025, 1, 1),
    )
    kurs.zielgruppen.set([zielgruppe("vater")])
    kurs.einzugsgebiet.set([kreis])
    TerminFactory(
        angebot=kurs,
        beginn=timezone.now() + datetime.timedelta(days=3),
        ende=timezone.now() + datetime.timedelta(days=3, hours=2),
        hinweis="Bitte Handtuch mitbringen",
    )
    TerminFactory(angebot=kurs, beginn=timezone.now() - datetime.timedelta(days=3))
    woanders = AngebotFactory(
        titel="Elterncafé im Bürgerhaus",
        anbieter=akteur,
        strasse="Bürgerstraße 2",
        plz="73760",
        ort="Ostfildern",
        standort=OSTFILDERN,
    )
    online = AngebotFactory(titel="Online-Elternabend", anbieter=akteur, format="online")

    entwurf = AngebotFactory(titel="Geheimer Entwurf", anbieter=akteur, status=Status.ENTWURF)
    abgelaufen = AngebotFactory(
        titel="Abgelaufenes Angebot",
        anbieter=akteur,
        gueltig_von=datetime.date(2020, 1, 1),
        gueltig_bis=datetime.date(2020, 12, 31),
    )
    unveroeffentlicht = AkteurFactory(name="Unveröffentlichter Verein", status=Status.ENTWURF)
    beim_entwurf = AngebotFactory(titel="Angebot eines Entwurfs", anbieter=unveroeffentlicht)
    return {
        "akteur": akteur,
        "traeger": traeger,
        "kurs": kurs,
        "woanders": woanders,
        "online": online,
        "oeffentlich": oeffentlich,
        "massage": massage,
        "verborgen": [entwurf, abgelaufen, beim_entwurf],
        "unveroeffentlicht": unveroeffentlicht,
    }


def _get(client, pfad, **parameter):
    antwort = client.get(API + pfad, parameter)
    assert antwort["Content-Type"] == "application/json"
    return antwort


def _namen(antwort):
    assert antwort.status_code == 200, antwort.content
    return [eintrag["name"] for eintrag in antwort.json()["contents"]]


@pytest.fixture(autouse=True)
def _leerer_cache():
    # The rate limit counts in the cache; every test starts with fresh counters.
    cache.clear()
    yield
    cache.clear()


# --- Ids ------------------------------------------------------------------------------------


def test_ids_are_stable_uuids_that_lead_back_to_the_record():
    kennung = hsds.hsds_id(hsds.SERVICE, 42)
    assert kennung == hsds.hsds_id(hsds.SERVICE, 42)
    assert kennung[14] == "8"  # UUID version 8 (custom)
    assert hsds.pk_aus(hsds.SERVICE, kennung) == 42
    assert hsds.pk_aus(hsds.SERVICE, kennung.upper()) == 42
    # The kind is part of the id: an organization id is no service id.
    assert hsds.pk_aus(hsds.ORGANIZATION, kennung) is None
    assert hsds.hsds_id(hsds.ORGANIZATION, 42) != kennung
    for unsinn in ["", "42", "kein-uuid", "00000000-0000-0000-0000-000000000000"]:
        assert hsds.pk_aus(hsds.SERVICE, unsinn) is None


# --- Schemas --------------------------------------------------------------------------------


def test_every_endpoint_answers_valid_hsds(client, atlas, hsds_schemas):
    kurs, akteur = atlas["kurs"], atlas["akteur"]
    pruefungen = [
        ("/services", {}, "compiled/service_list.json", True),
        ("/services", {"full": "true"}, "compiled/service.json", True),
        (f"/services/{hsds.hsds_id(hsds.SERVICE, kurs.pk)}", {}, "compiled/service.json", False),
        ("/service_at_locations", {}, "compiled/service_at_location_list.json", True),
        ("/service_at_locations", {"full": "true"}, "compiled/service_at_location.json", True),
        (
            f"/service_at_locations/{hsds.hsds_id(hsds.SERVICE_AT_LOCATION, kurs.pk)}",
            {},
            "compiled/service_at_location.json",
            False,
        ),
        ("/organizations", {}, "compiled/organization_list.json", True),
        ("/organizations", {"full": "true"}, "compiled/organization.json", True),
        (
            f"/organizations/{hsds.hsds_id(hsds.ORGANIZATION, akteur.pk)}",
            {},
            "compiled/organization.json",
            False,
        ),
        ("/locations", {}, "location.json", True),
        (f"/locations/{hsds.hsds_id(hsds.AKTEUR_ORT, akteur.pk)}", {}, "location.json", False),
        ("/taxonomies", {}, "taxonomy.json", True),
        (f"/taxonomies/{hsds.hsds_id(hsds.TAXONOMIE, 1)}", {}, "taxonomy.json", False),
        ("/taxonomy_terms", {"per_page": "100"}, "taxonomy_term.json", True),
        (
            f"/taxonomy_terms/{hsds.hsds_id(hsds.THEMA, atlas['massage'].pk)}",
            {},
            "taxonomy_term.json",
            False,
        ),
    ]
    for pfad, parameter, schema, liste in pruefungen:
        antwort = _get(client, pfad, **parameter)
        assert antwort.status_code == 200, (pfad, antwort.content)
        daten = antwort.json()
        _pruefen(hsds_schemas, daten, schema, liste=liste)
        _datum_pruefen(daten)
        if liste:
            assert daten["contents"], pfad


def test_service_maps_our_fields_to_hsds(client, atlas):
    kurs, akteur = atlas["kurs"], atlas["akteur"]
    daten = _get(client, f"/services/{hsds.hsds_id(hsds.SERVICE, kurs.pk)}").json()
    assert daten["id"] == hsds.hsds_id(hsds.SERVICE, kurs.pk)
    assert daten["name"] == "Babymassage für Väter"
    assert daten["status"] == "active"
    assert daten["url"] == f"http://testserver/angebote/{kurs.slug}/"
    assert daten["organization_id"] == hsds.hsds_id(hsds.ORGANIZATION, akteur.pk)
    assert daten["organization"]["name"] == akteur.name
    assert daten["organization"]["parent_organization_id"] == hsds.hsds_id(
        hsds.ORGANIZATION, atlas["traeger"].pk
    )
    assert daten["assured_date"] == "2026-01-05"
    assert daten["minimum_age"] == 0 and daten["maximum_age"] == 0.92
    assert daten["eligibility_description"] == "Schwangerschaft bis 11 Monate"
    assert daten["application_process"] == "Anmeldung erforderlich. Telefonisch anmelden"
    assert daten["fees_description"] == "Kostenbeitrag – 5 € pro Termin"
    assert daten["cost_options"][0]["amount_description"] == "5 € pro Termin"
    assert [s["code"] for s in daten["languages"]] == ["ar"]
    assert [a["name"] for a in daten["service_areas"]] == ["Landkreis Esslingen"]
    begriffe = {a["taxonomy_term"]["name"]: a["taxonomy_term"] for a in daten["attributes"]}
    assert set(begriffe) == {atlas["massage"].name, "Väter"}
    assert begriffe["Väter"]["taxonomy"] == "Zielgruppen"
    # Only dates still to come, plus the regular times.
    zeiten = daten["schedules"]
    assert zeiten[0]["description"] == "dienstags 10 Uhr"
    assert len(zeiten) == 2 and zeiten[1]["description"] == "Bitte Handtuch mitbringen"
    assert zeiten[1]["opens_at"][5:] in ("+01:00", "+02:00")
    kontakt = daten["contacts"][0]
    assert kontakt["name"] == "Frau Beispiel" and kontakt["phones"][0]["number"] == "0711 555"
    ort = daten["service_at_locations"][0]["location"]
    assert ort["id"] == hsds.hsds_id(hsds.AKTEUR_ORT, akteur.pk)
    adresse = ort["addresses"][0]
    assert adresse["state_province"] == "Baden-Württemberg"
    assert adresse["region"] == "Landkreis Esslingen"
    assert (adresse["postal_code"], adresse["country"]) == ("73728", "DE")


def test_offering_elsewhere_has_its_own_location(client, atlas):
    woanders, akteur = atlas["woanders"], atlas["akteur"]
    daten = _get(client, f"/services/{hsds.hsds_id(hsds.SERVICE, woanders.pk)}").json()
    ort = daten["service_at_locations"][0]["location"]
    assert ort["id"] == hsds.hsds_id(hsds.ANGEBOT_ORT, woanders.pk)
    assert ort["organization_id"] == hsds.hsds_id(hsds.ORGANIZATION, akteur.pk)
    assert ort["addresses"][0]["city"] == "Ostfildern"
    assert _get(client, f"/locations/{ort['id']}").json()["id"] == ort["id"]
    # The list holds the actor's location and the offering's own one, once each.
    orte = _get(client, "/locations").json()["contents"]
    ids = [o["id"] for o in orte]
    assert hsds.hsds_id(hsds.AKTEUR_ORT, akteur.pk) in ids and ort["id"] in ids
    assert len(ids) == len(set(ids))
    # An online offering has no place and no service_at_location.
    online = _get(client, f"/services/{hsds.hsds_id(hsds.SERVICE, atlas['online'].pk)}").json()
    assert "service_at_locations" not in online


def test_own_location_rule_agrees_in_sql_and_python(atlas):
    in_sql = set(hsds.angebot_orte().values_list("pk", flat=True))
    alle = hsds.angebote().filter(status=Status.VEROEFFENTLICHT)
    assert in_sql == {a.pk for a in alle if hsds.eigener_ort(a)} == {atlas["woanders"].pk}


def test_organization_with_its_locations_services_and_public_contacts(client, atlas):
    akteur = atlas["akteur"]
    daten = _get(client, f"/organizations/{hsds.hsds_id(hsds.ORGANIZATION, akteur.pk)}").json()
    assert daten["parent_organization_id"] == hsds.hsds_id(hsds.ORGANIZATION, atlas["traeger"].pk)
    assert daten["phones"][0]["number"] == "0711 123456"
    assert daten["website"] == "https://fz-beispiel.de/"
    assert [k["name"] for k in daten["contacts"]] == ["Erika Öffentlich"]
    assert daten["contacts"][0]["phones"][0]["number"] == "0711 99"
    assert {s["name"] for s in daten["services"]} == {
        "Babymassage für Väter",
        "Elterncafé im Bürgerhaus",
        "Online-Elternabend",
    }
    ort = daten["locations"][0]
    assert ort["schedules"][0]["description"] == "Mo–Fr 9–12 Uhr"
    assert ort["accessibility"][0]["description"] == "barrierefrei zugänglich"
    assert {s["code"] for s in ort["languages"]} == {"de", "ar"}


def test_contacts_only_with_consent(client, atlas):
    inhalt = _get(client, "/organizations", full="true").content.decode()
    assert "Erika Öffentlich" in inhalt
    assert "Max Intern" not in inhalt and "max@intern.de" not in inhalt
    # Withdrawn consent: gone from the API at once.
    atlas["oeffentlich"].oeffentlich = False
    atlas["oeffentlich"].save()
    inhalt = _get(client, "/organizations", full="true").content.decode()
    assert "Erika Öffentlich" not in inhalt


def test_unpublished_records_are_absent(client, atlas):
    verborgen = atlas["verborgen"]
    for pfad in ["/services", "/service_at_locations"]:
        inhalt = _get(client, pfad, full="true", per_page="100").content.decode()
        for angebot in verborgen:
            assert angebot.titel not in inhalt
    for angebot in verborgen:
        assert _get(client, f"/services/{hsds.hsds_id(hsds.SERVICE, angebot.pk)}").status_code == (
            404
        )
    entwurf = atlas["unveroeffentlicht"]
    assert entwurf.name not in _namen(_get(client, "/organizations", per_page="100"))
    assert entwurf.name not in _namen(_get(client, "/locations", per_page="100"))
    for pfad in [
        f"/organizations/{hsds.hsds_id(hsds.ORGANIZATION, entwurf.pk)}",
        f"/locations/{hsds.hsds_id(hsds.AKTEUR_ORT, entwurf.pk)}",
    ]:
        antwort = _get(client, pfad)
        assert antwort.status_code == 404 and antwort.json() == {"error": "Nicht gefunden."}


def test_unpublished_traeger_is_not_referenced(client, atlas):
    traeger = atlas["traeger"]
    traeger.status = Status.ENTWURF
    traeger.save()
    akteur = atlas["akteur"]
    daten = _get(client, f"/organizations/{hsds.hsds_id(hsds.ORGANIZATION, akteur.pk)}").json()
    assert "parent_organization_id" not in daten
    # Nor in the organization nested in each of its services.
    for eintrag in _get(client, "/services", full="true").json()["contents"]:
        assert "parent_organization_id" not in eintrag["organization"]


# --- Paging ---------------------------------------------------------------------------------


def test_paging_envelope(client):
    anbieter = AkteurFactory()
    for nummer in range(25):
        AngebotFactory(titel=f"Angebot {nummer:02d}", anbieter=anbieter)
    erste = _get(client, "/services", per_page="10").json()
    assert {k: v for k, v in erste.items() if k != "contents"} == {
        "total_items": 25,
        "total_pages": 3,
        "page_number": 1,
        "size": 10,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert [s["name"] for s in erste["contents"]][:2] == ["Angebot 00", "Angebot 01"]
    letzte = _get(client, "/services", per_page="10", page="3").json()
    assert (letzte["size"], letzte["last_page"], letzte["first_page"]) == (5, True, False)
    assert letzte["contents"][-1]["name"] == "Angebot 24"
    danach = _get(client, "/services", per_page="10", page="4").json()
    assert (danach["empty"], danach["contents"], danach["last_page"]) == (True, [], True)
    # The default page size, and no page overlaps another.
    standard = _get(client, "/services").json()
    assert standard["size"] == 20 and standard["total_pages"] == 2
    ids = [
        s["id"]
        for seite in (1, 2, 3)
        for s in _get(client, "/services", per_page="10", page=str(seite)).json()["contents"]
    ]
    assert len(set(ids)) == 25


def test_empty_result(client):
    daten = _get(client, "/services").json()
    assert daten["total_items"] == 0 and daten["empty"] and daten["contents"] == []


# --- Filters --------------------------------------------------------------------------------


def test_search_uses_german_full_text(client, atlas):
    # "Vätern" finds "Väter" (stemming), "Babymassagen" finds "Babymassage".
    assert _namen(_get(client, "/services", search="Vätern")) == ["Babymassage für Väter"]
    assert _namen(_get(client, "/services", q="Babymassagen")) == ["Babymassage für Väter"]
    assert _namen(_get(client, "/services", search="Elterncafé")) == ["Elterncafé im Bürgerhaus"]
    assert _namen(_get(client, "/organizations", search="Pliensauvorstadt")) == [
        "Familienzentrum Pliensauvorstadt"
    ]


def test_taxonomy_term_filter(client, atlas):
    massage = atlas["massage"]
    sonst = AngebotFactory(titel="Deutschkurs", themen=[thema("deutschkurs")])
    term = hsds.hsds_id(hsds.THEMA, massage.pk)
    assert _namen(_get(client, "/services", taxonomy_term_id=term)) == ["Babymassage für Väter"]
    # A main topic includes its subtopics.
    if massage.oberthema_id:
        haupt = hsds.hsds_id(hsds.THEMA, massage.oberthema_id)
        assert "Babymassage für Väter" in _namen(_get(client, "/services", taxonomy_term_id=haupt))
    vaeter = hsds.hsds_id(hsds.ZIELGRUPPE, zielgruppe("vater").pk)
    assert _namen(_get(client, "/services", taxonomy_term_id=vaeter)) == ["Babymassage für Väter"]
    beide = f"{term},{hsds.hsds_id(hsds.THEMA, thema('deutschkurs').pk)}"
    assert set(_namen(_get(client, "/services", taxonomy_term_id=beide))) == {
        "Babymassage für Väter",
        sonst.titel,
    }
    themen = hsds.hsds_id(hsds.TAXONOMIE, hsds.THEMEN_TAXONOMIE)
    assert set(_namen(_get(client, "/services", taxonomy_id=themen))) == {
        "Babymassage für Väter",
        sonst.titel,
    }
    zielgruppen = hsds.hsds_id(hsds.TAXONOMIE, hsds.ZIELGRUPPEN_TAXONOMIE)
    assert _namen(_get(client, "/services", taxonomy_id=zielgruppen)) == ["Babymassage für Väter"]


def test_organization_and_modified_after_filters(client, atlas):
    anderer = AngebotFactory(titel="Anderer Anbieter")
    org = hsds.hsds_id(hsds.ORGANIZATION, anderer.anbieter_id)
    assert _namen(_get(client, "/services", organization_id=org)) == ["Anderer Anbieter"]
    assert _namen(_get(client, "/locations", organization_id=org)) == [anderer.anbieter.name]
    from angebote.models import Angebot

    Angebot.objects.exclude(pk=anderer.pk).update(
        geaendert_am=timezone.now() - datetime.timedelta(days=30)
    )
    gestern = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert _namen(_get(client, "/services", modified_after=gestern)) == ["Anderer Anbieter"]
    assert (
        _get(client, "/services", modified_after=f"{gestern}T00:00:00+01:00").json()["total_items"]
        == 1
    )


def test_near_a_point_nearest_first_and_service_areas(client, atlas):
    AngebotFactory(titel="In Köln", anbieter=AkteurFactory(standort=KOELN, plz="50667"))
    AngebotFactory(titel="Spielgruppe", anbieter=atlas["akteur"])
    # Ostfildern first (≈ 0 km), then the actor in Esslingen (≈ 4 km); the online evening
    # serves the whole Landkreis through its Einzugsgebiet, as does the course; Köln is too far.
    atlas["online"].einzugsgebiet.set(atlas["kurs"].einzugsgebiet.all())
    namen = _namen(_get(client, "/services", lat="48.7230", lon="9.2620", proximity="10000"))
    assert namen[0] == "Elterncafé im Bürgerhaus"
    assert set(namen) == {
        "Elterncafé im Bürgerhaus",
        "Babymassage für Väter",
        "Spielgruppe",
        "Online-Elternabend",
    }
    assert namen[-1] == "Online-Elternabend"
    # proximity is in metres, as HSDS says: 2 km around Ostfildern leaves Esslingen out,
    # except what serves the whole Landkreis.
    namen = _namen(_get(client, "/services", lat="48.7230", lon="9.2620", proximity="2000"))
    assert namen[0] == "Elterncafé im Bürgerhaus"
    assert set(namen[1:]) == {"Babymassage für Väter", "Online-Elternabend"}
    # Without proximity: the default radius of the public search (10 km).
    assert "Spielgruppe" in _namen(_get(client, "/services", postcode="73760"))
    inhalt = _get(client, "/service_at_locations", postcode="50667", proximity="5000").json()
    assert [s["service"]["name"] for s in inhalt["contents"]] == ["In Köln"]
    orte = _get(client, "/locations", lat="48.7230", lon="9.2620", proximity="10000").json()
    assert [o["name"] for o in orte["contents"]][0] == "Bürgerstraße 2, 73760 Ostfildern"
    assert "In Köln" not in json.dumps(orte)


def test_taxonomy_terms_and_filters(client, atlas):
    massage = atlas["massage"]
    alle = _get(client, "/taxonomy_terms", per_page="100").json()
    assert alle["total_items"] >= 2
    ids = {t["id"] for t in alle["contents"]}
    assert hsds.hsds_id(hsds.THEMA, massage.pk) in ids
    assert hsds.hsds_id(hsds.ZIELGRUPPE, zielgruppe("vater").pk) in ids
    zielgruppen = hsds.hsds_id(hsds.TAXONOMIE, hsds.ZIELGRUPPEN_TAXONOMIE)
    nur = _get(client, "/taxonomy_terms", taxonomy_id=zielgruppen, per_page="100").json()
    assert {t["taxonomy"] for t in nur["contents"]} == {"Zielgruppen"}
    oben = _get(client, "/taxonomy_terms", top_only="true", per_page="100").json()["contents"]
    assert all("parent_id" not in t for t in oben)
    if massage.oberthema_id:
        eltern = hsds.hsds_id(hsds.THEMA, massage.oberthema_id)
        kinder = _get(client, "/taxonomy_terms", parent_id=eltern, per_page="100").json()
        assert massage.name in [t["name"] for t in kinder["contents"]]
    assert _namen(_get(client, "/taxonomies")) == ["Themen", "Zielgruppen"]
    assert _get(client, f"/taxonomy_terms/{hsds.hsds_id(hsds.THEMA, 0)}").status_code == 404


# --- Bad input ------------------------------------------------------------------------------


DEUTSCH = r"\b(muss|Bitte|braucht|keine|kennen|höchstens|Unterstützt)\b"


@pytest.mark.parametrize(
    "pfad, parameter",
    [
        ("/services", {"page": "0"}),
        ("/services", {"page": "eins"}),
        ("/services", {"per_page": "1000"}),
        ("/services", {"per_page": "-5"}),
        ("/services", {"full": "vielleicht"}),
        ("/services", {"format": "ndjson"}),
        ("/services", {"search": "x" * 201}),
        ("/services", {"taxonomy_term_id": "babymassage"}),
        ("/services", {"taxonomy_term_id": "00000000-0000-0000-0000-000000000000"}),
        ("/services", {"taxonomy_id": "Themen"}),
        ("/services", {"organization_id": "12"}),
        ("/services", {"modified_after": "gestern"}),
        ("/services", {"modified_after": "2026-13-45"}),
        ("/services", {"lat": "48.7"}),
        ("/services", {"lat": "abc", "lon": "9.2"}),
        ("/services", {"lat": "NaN", "lon": "9.2"}),
        ("/services", {"lat": "91", "lon": "9.2"}),
        ("/services", {"lat": "48.7", "lon": "9.2", "proximity": "0"}),
        ("/services", {"lat": "48.7", "lon": "9.2", "proximity": "10km"}),
        ("/services", {"lat": "48.7", "lon": "9.2", "proximity": "999999999"}),
        ("/services", {"proximity": "5000"}),
        ("/services", {"postcode": "7372"}),
        ("/services", {"postcode": "00000"}),
        ("/services", {"postcode": "73728", "lat": "48.7", "lon": "9.2"}),
        ("/service_at_locations", {"postcode": "abcde"}),
        ("/organizations", {"page": "-1"}),
        ("/locations", {"lat": "x", "lon": "y"}),
        ("/taxonomy_terms", {"parent_id": "nein"}),
        ("/taxonomy_terms", {"top_only": "2"}),
        ("/taxonomies", {"format": "xml"}),
    ],
)
def test_bad_parameters_are_answered_with_400_in_german(client, pfad, parameter):
    AngebotFactory()
    antwort = _get(client, pfad, **parameter)
    assert antwort.status_code == 400
    daten = antwort.json()
    assert set(daten) == {"error", "parameter"}
    assert daten["parameter"] in parameter
    assert re.search(DEUTSCH, daten["error"]), daten["error"]


def test_error_messages_say_what_is_wrong(client):
    assert _get(client, "/services", per_page="1000").json() == {
        "error": "„per_page“ muss eine ganze Zahl von 1 bis 100 sein.",
        "parameter": "per_page",
    }
    assert _get(client, "/services", postcode="00000").json()["error"] == (
        "Die Postleitzahl 00000 kennen wir nicht."
    )


@pytest.mark.parametrize(
    "text", ["Baby\x00massage", "'\"&|!:*()<>\\", "-", "OR", "ü" * 200, "مساعدة", "  "]
)
def test_odd_search_text_never_fails(client, text):
    AngebotFactory()
    for pfad in ["/services", "/service_at_locations", "/organizations", "/taxonomy_terms"]:
        assert _get(client, pfad, search=text).status_code == 200


@pytest.mark.parametrize("kennung", ["kein-uuid", "%00", "00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_404(client, kennung):
    for pfad in ["services", "organizations", "locations", "taxonomies", "taxonomy_terms"]:
        antwort = _get(client, f"/{pfad}/{kennung}")
        assert antwort.status_code == 404


def test_an_organization_id_is_no_service_id(client, atlas):
    falsch = hsds.hsds_id(hsds.ORGANIZATION, atlas["kurs"].pk)
    assert _get(client, f"/services/{falsch}").status_code == 404


def test_read_only(client, atlas):
    assert client.post(f"{API}/services").status_code == 405
    assert client.head(f"{API}/services").status_code == 200


# --- Headers and query counts ---------------------------------------------------------------


def test_public_responses_are_cacheable_and_set_no_cookie(client, atlas):
    antwort = _get(client, "/services")
    assert antwort["Cache-Control"] == "public, max-age=60, must-revalidate"
    assert antwort["Access-Control-Allow-Origin"] == "*"
    assert not antwort.cookies


def test_query_count_is_bounded_per_page(client, django_assert_max_num_queries):
    anbieter = AkteurFactory(sozialraum=SozialraumFactory())
    for nummer in range(30):
        angebot = AngebotFactory(
            titel=f"Kurs {nummer}",
            anbieter=anbieter if nummer % 2 else AkteurFactory(),
            themen=[thema("babymassage")],
            sprachen=[sprache("ar"), sprache("tr")],
        )
        angebot.zielgruppen.set([zielgruppe("vater")])
        TerminFactory(angebot=angebot)
        KontaktpersonFactory(
            akteur=angebot.anbieter, oeffentlich=True, einwilligung_am=datetime.date(2025, 1, 1)
        )
    AngebotFactory(titel="Anderswo", anbieter=anbieter, standort=OSTFILDERN, plz="73760")
    # The search indexes (offerings, actors) are read once per process (their first use), not
    # per page; per page each asks for changes (one query) instead of counting.
    assert _get(client, "/services").status_code == 200
    assert _get(client, "/organizations").status_code == 200
    for pfad, parameter, hoechstens in [
        ("/services", {"full": "true", "per_page": "30"}, 10),
        ("/services", {"per_page": "30"}, 3),
        ("/service_at_locations", {"full": "true", "per_page": "30"}, 10),
        ("/organizations", {"full": "true", "per_page": "30"}, 6),
        ("/locations", {"per_page": "30"}, 6),
        ("/locations", {"per_page": "30", "postcode": "73728"}, 7),
        ("/taxonomy_terms", {"per_page": "100"}, 2),
    ]:
        # Plus the rate-limit counter: one upsert (a table row without Redis, atlas.drosselung).
        with django_assert_max_num_queries(hoechstens + 1):
            assert _get(client, pfad, **parameter).status_code == 200


# --- Rate limit -----------------------------------------------------------------------------


@override_settings(DROSSELUNG_ANFRAGEN=3, DROSSELUNG_SEKUNDEN=60)
def test_anonymous_clients_get_429_with_retry_after(client):
    for _ in range(3):
        assert _get(client, "/taxonomies").status_code == 200
    antwort = _get(client, "/taxonomies")
    assert antwort.status_code == 429
    assert 1 <= int(antwort["Retry-After"]) <= 60
    assert "Zu viele Anfragen" in antwort.json()["error"]
    assert "no-store" in antwort["Cache-Control"]
    assert antwort["Access-Control-Allow-Origin"] == "*"
    # German whatever the browser prefers.
    englisch = client.get(f"{API}/taxonomies", HTTP_ACCEPT_LANGUAGE="en")
    assert "Zu viele Anfragen" in englisch.json()["error"]
    # Another address has its own budget.
    assert client.get(f"{API}/taxonomies", REMOTE_ADDR="10.0.0.9").status_code == 200


@override_settings(DROSSELUNG_ANFRAGEN=2, DROSSELUNG_SEKUNDEN=60)
def test_staff_are_never_limited(client):
    client.force_login(UserFactory())
    for _ in range(5):
        assert _get(client, "/taxonomies").status_code == 200


@override_settings(DROSSELUNG_ANFRAGEN=2, DROSSELUNG_SEKUNDEN=60)
def test_logged_in_non_staff_are_limited(client):
    client.force_login(UserFactory(is_staff=False))
    assert [_get(client, "/taxonomies").status_code for _ in range(3)] == [200, 200, 429]


@override_settings(DROSSELUNG_ANFRAGEN=0)
def test_zero_means_no_limit(client):
    assert {_get(client, "/taxonomies").status_code for _ in range(5)} == {200}


@gedrosselt(bereich="test")
def _seite_mit_limit(request):
    return HttpResponse("ok")


@override_settings(DROSSELUNG_ANFRAGEN=1, DROSSELUNG_SEKUNDEN=30)
def test_rate_limit_on_a_plain_view_answers_html():
    anfrage = RequestFactory().get("/irgendwo/")
    anfrage.user = AnonymousUser()
    assert _seite_mit_limit(anfrage).status_code == 200
    antwort = _seite_mit_limit(anfrage)
    assert antwort.status_code == 429
    assert 1 <= int(antwort["Retry-After"]) <= 30
    assert antwort["Content-Type"].startswith("text/html")
    assert "Zu viele Anfragen" in antwort.content.decode()
    # Limits count per area: the API's budget is separate.
    api_anfrage = RequestFactory().get("/irgendwo/")
    api_anfrage.user = AnonymousUser()
    assert (
        gedrosselt(bereich="anders")(lambda r: HttpResponse("ok"))(api_anfrage).status_code == 200
    )


def test_client_ip_from_a_trusted_proxy_header_only_when_configured():
    anfrage = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7"
    )
    assert client_ip(anfrage) == "10.0.0.1"
    with override_settings(REAL_IP_HEADER="X-Forwarded-For"):
        # The entry the proxy appended, not the one the client may have forged.
        assert client_ip(anfrage) == "198.51.100.7"
    with override_settings(REAL_IP_HEADER="HTTP_X_REAL_IP"):
        assert client_ip(anfrage) == "10.0.0.1"  # header missing: REMOTE_ADDR
    ipv6 = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert client_ip(ipv6) == "2001:db8:1:2::"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="kaputt")) == "unbekannt"


def test_the_demo_data_pulled_page_by_page_is_valid_hsds(client, hsds_schemas):
    """What another directory would do: pull every list completely, fully nested."""
    call_command("demo_laden", stdout=io.StringIO())
    for pfad, schema in [
        ("/services", "compiled/service.json"),
        ("/service_at_locations", "compiled/service_at_location.json"),
        ("/organizations", "compiled/organization.json"),
    ]:
        seite, gesehen = 1, []
        while True:
            daten = _get(client, pfad, full="true", per_page="100", page=str(seite)).json()
            _pruefen(hsds_schemas, daten, schema, liste=True)
            _datum_pruefen(daten)
            gesehen += [eintrag["id"] for eintrag in daten["contents"]]
            if daten["last_page"]:
                break
            seite += 1
        assert len(gesehen) == len(set(gesehen)) == daten["total_items"] > 0
    orte = _get(client, "/locations", per_page="100").json()
    _pruefen(hsds_schemas, orte, "location.json", liste=True)
    assert orte["total_items"] > 0


# --- The API and the public lists agree ---------------------------------------------------


def _alle_seiten(client, pfad, **parameter):
    """Every item of a list, page by page (as another directory pulls it)."""
    seite, eintraege = 1, []
    while True:
        antwort = _get(client, pfad, per_page="100", page=str(seite), **parameter)
        assert antwort.status_code == 200, antwort.content
        daten = antwort.json()
        eintraege += daten["contents"]
        if daten["last_page"]:
            return eintraege
        seite += 1


def _export_links(client, pfad, parameter):
    _kopf, zeilen = csv_tabelle(client.get(pfad, parameter))
    return {zeile["Link"] for zeile in zeilen}


def test_the_api_finds_exactly_what_the_list_finds(client, settings):
    """For each query, the offerings the API serves are the offerings the public list (its
    export: every row, not just page one) shows for the same query in the list's terms."""
    settings.DROSSELUNG_ANFRAGEN = 10_000
    call_command("demo_laden", stdout=io.StringIO())
    haupt = Thema.objects.filter(oberthema__isnull=True, unterthemen__angebote__isnull=False)
    haupt = haupt.distinct().order_by("reihenfolge").first()
    beispiel = (
        Angebot.objects.veroeffentlicht()
        .filter(themen__oberthema__isnull=False, zielgruppen__isnull=False)
        .order_by("titel")
        .first()
    )
    unter = beispiel.themen.exclude(oberthema=None).first()
    gruppe = beispiel.zielgruppen.first()
    thema_id, unter_id = hsds.hsds_id(hsds.THEMA, haupt.pk), hsds.hsds_id(hsds.THEMA, unter.pk)
    gruppe_id = hsds.hsds_id(hsds.ZIELGRUPPE, gruppe.pk)
    gleiche_fragen = [
        ({"search": "Eltern"}, {"q": "Eltern"}),
        # A typo the list's search forgives.
        ({"search": "Babymasage"}, {"q": "Babymasage"}),
        ({"taxonomy_term_id": thema_id}, {"thema": haupt.slug}),
        (
            {"taxonomy_term_id": f"{unter_id},{gruppe_id}"},
            {"thema": unter.slug, "zielgruppe": gruppe.slug},
        ),
        ({"postcode": "73728", "proximity": "15000"}, {"wo": "73728", "umkreis": "15"}),
        (
            {"lat": "48.7407", "lon": "9.3083", "search": "Beratung"},
            {"lat": "48.7407", "lon": "9.3083", "q": "Beratung"},
        ),
        # The list's own parameters work in the API too.
        ({"alter": "1,5", "kostenlos": "on"}, {"alter": "1,5", "kostenlos": "on"}),
    ]
    for api, liste in gleiche_fragen:
        erwartet = _export_links(client, "/angebote/export.csv", liste)
        assert erwartet, liste  # a query that finds nothing would prove nothing
        gefunden = {s["url"] for s in _alle_seiten(client, "/services", **api)}
        assert gefunden == erwartet, api
        an_orten = _alle_seiten(client, "/service_at_locations", **api)
        mit_ort = {e["service"]["url"] for e in an_orten}
        assert mit_ort <= erwartet and mit_ort, api
    for api, liste in [
        ({"search": "Familienzentrum"}, {"q": "Familienzentrum"}),
        ({"postcode": "73728", "proximity": "5000"}, {"wo": "73728", "umkreis": "5"}),
    ]:
        erwartet = _export_links(client, "/akteure/export.csv", liste)
        assert erwartet, liste
        assert {o["uri"] for o in _alle_seiten(client, "/organizations", **api)} == erwartet


def test_a_bad_list_parameter_in_the_api_is_a_400_naming_it(client):
    AngebotFactory()
    antwort = _get(client, "/services", alter="hundert")
    assert antwort.status_code == 400
    daten = antwort.json()
    assert daten["parameter"] == "alter"
    assert daten["error"].startswith("„hundert“ verstehen wir nicht als Alter.")
    assert _get(client, "/services", thema="gibt-es-nicht").json()["parameter"] == "thema"
    assert _get(client, "/services", wo="Nirgendwo am See").json() == {
        "error": "„Nirgendwo am See“ kennen wir nicht. Bitte eine fünfstellige Postleitzahl "
        "oder einen Ortsnamen eingeben.",
        "parameter": "wo",
    }


def test_locations_pages_whole_in_one_order_with_the_public_rules(client):
    """Issue 12: /locations is cut per arm (actors' places, offerings' own places) before the
    merge; pages 1, 2 and the last are whole and exactly what the rules and the order give:
    name, then actor before offering, then id; only published, valid records with a place."""
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    lang_her = timezone.now() - datetime.timedelta(days=5 * 365)
    sichtbar = []
    for nummer in range(9):
        akteur = AkteurFactory(name=f"Ort {nummer:02d}")
        sichtbar.append((f"Ort {nummer:02d}", 0, akteur.pk, hsds.AKTEUR_ORT))
    # Same name twice (by id) and a title equal to an actor's name (the actor first).
    doppelt = AkteurFactory(name="Ort 03")
    sichtbar.append(("Ort 03", 0, doppelt.pk, hsds.AKTEUR_ORT))
    anbieter = AkteurFactory(name="Ort 99 Anbieter")
    sichtbar.append(("Ort 99 Anbieter", 0, anbieter.pk, hsds.AKTEUR_ORT))
    # Outdated provider: still public in the API, as before.
    veraltet = AkteurFactory(name="Ort 98 Veraltet")
    Akteur.objects.filter(pk=veraltet.pk).update(geprueft_am=None, erstellt_am=lang_her)
    sichtbar.append(("Ort 98 Veraltet", 0, veraltet.pk, hsds.AKTEUR_ORT))
    koeln = {"strasse": "Domplatz 1", "plz": "50667", "ort": "Köln", "standort": KOELN}
    fach = zielgruppe("fachkrafte")
    assert fach.fachpublikum
    for titel, wer, extra in [
        ("Ort 03", anbieter, {}),
        ("Ort 05 Kurs", veraltet, {}),
        ("Ort 00 Fachtag", anbieter, {"zielgruppen": [fach]}),
        ("Ort 07", anbieter, {}),
    ]:
        angebot = AngebotFactory(titel=titel, anbieter=wer, **koeln, **extra)
        sichtbar.append((titel, 1, angebot.pk, hsds.ANGEBOT_ORT))
    # Not locations: drafts, an expired offering, one of a draft provider, one at its
    # provider's address, one without a place, an actor without a place.
    entwurf = AkteurFactory(name="Ort 01 Entwurf", status=Status.ENTWURF)
    AngebotFactory(titel="Ort 02 Entwurf", anbieter=anbieter, status=Status.ENTWURF, **koeln)
    AngebotFactory(titel="Ort 02 Abgelaufen", anbieter=anbieter, gueltig_bis=gestern, **koeln)
    AngebotFactory(titel="Ort 02 Vom Entwurf", anbieter=entwurf, **koeln)
    AngebotFactory(
        titel="Ort 02 Beim Anbieter",
        anbieter=anbieter,
        strasse=anbieter.strasse,
        plz=anbieter.plz,
        ort=anbieter.ort,
        standort=anbieter.standort,
    )
    AngebotFactory(titel="Ort 02 Ohne Ort", anbieter=anbieter)
    AkteurFactory(name="Ort 02 Ohne Ort", strasse="", plz="", ort="", standort=None)

    sichtbar.sort()
    assert len(sichtbar) == 16
    anfrage = RequestFactory().get(API + "/locations")
    akteure = hsds.akteure().select_related(*hsds.SOZIALRAUM_KETTE).prefetch_related("sprachen")

    def dargestellt(zeile):
        _name, _reihe, pk, art = zeile
        if art == hsds.AKTEUR_ORT:
            return hsds.akteur_location(akteure.get(pk=pk), anfrage, voll=True)
        return hsds.angebot_location(Angebot.objects.get(pk=pk), anfrage, voll=True)

    for seite, groesse, erwartet in [
        (1, 6, sichtbar[0:6]),
        (2, 6, sichtbar[6:12]),
        (3, 6, sichtbar[12:16]),
        (4, 6, []),
        (1, 20, sichtbar),
    ]:
        daten = _get(client, "/locations", page=str(seite), per_page=str(groesse)).json()
        assert daten == {
            "total_items": 16,
            "total_pages": 3 if groesse == 6 else 1,
            "page_number": seite,
            "size": len(erwartet),
            "first_page": seite == 1,
            "last_page": seite >= (3 if groesse == 6 else 1),
            "empty": not erwartet,
            "contents": json.loads(
                json.dumps([dargestellt(z) for z in erwartet], cls=DjangoJSONEncoder)
            ),
        }
