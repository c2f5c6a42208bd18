"""HSDS /locations with the stored fact `Angebot.eigener_ort` (angebote migration 0029) and its
counts from the in-memory indexes (issue 12).

The reference is the old SQL answer: an offering's own place decided by comparing it with its
provider in the query, both arms in one uncut UNION in the list's order (name, actor before
offering, id), each row shown as the API shows it. Every page is compared whole, with the
indexes on and off, before and after each write path (admin, import, generator, raw SQL,
history revert, deletion).
"""

import datetime
import json
import random

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.cache import cache
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q, Value
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from akteure.models import Akteur
from angebote import hsds
from angebote.models import Angebot, Format
from atlas.models import Status
from tests import factories
from tests.admin_formular import formulardaten
from tests.test_import import importieren_ok

API = "/api/hsds"


class _GleicherPunkt(Func):
    template = "COALESCE(%(expressions)s::geometry, false)"
    arg_joiner = "::geometry = "
    output_field = BooleanField()


def _alte_regel():
    """The rule as the view had it before: compared with the provider in the query."""
    mit_ort = Q(standort__isnull=False) | ~Q(strasse="", plz="", ort="")
    gleich = (
        Q(standort__isnull=True, anbieter__standort__isnull=True)
        | Q(_GleicherPunkt(F("standort"), F("anbieter__standort")))
    ) & Q(strasse=F("anbieter__strasse"), plz=F("anbieter__plz"), ort=F("anbieter__ort"))
    return Angebot.objects.filter(mit_ort).exclude(gleich)


def fakt_pruefen():
    """The stored fact of every offering (any status) is the rule, in SQL and in Python."""
    gespeichert = dict(Angebot.objects.values_list("pk", "eigener_ort"))
    regel = set(_alte_regel().values_list("pk", flat=True))
    python = {a.pk for a in Angebot.objects.select_related("anbieter") if hsds.eigener_ort(a)}
    assert {pk for pk, wert in gespeichert.items() if wert} == regel == python
    return regel


def referenz(parameter):
    """The whole list /locations answers for `parameter` (organization_id, postcode or
    lat/lon/proximity), from the old rule without any cut."""
    akteur_orte = hsds.akteur_orte().annotate(
        art=Value(hsds.AKTEUR_ORT), nr=F("pk"), sortname=F("name")
    )
    angebot_orte = (
        _alte_regel()
        .filter(Angebot.objects.veroeffentlicht_q())
        .annotate(art=Value(hsds.ANGEBOT_ORT), nr=F("pk"), sortname=F("titel"))
    )
    if "organization_id" in parameter:
        pks = [hsds.pk_aus(hsds.ORGANIZATION, t) for t in parameter["organization_id"].split(",")]
        akteur_orte = akteur_orte.filter(pk__in=pks)
        angebot_orte = angebot_orte.filter(anbieter_id__in=pks)
    spalten, ordnung = ["art", "nr", "sortname"], ["sortname", "art", "nr"]
    if "lat" in parameter:
        punkt = Point(float(parameter["lon"]), float(parameter["lat"]), srid=4326)
        km = int(parameter["proximity"]) / 1000
        akteur_orte, angebot_orte = (
            qs.filter(standort__dwithin=(punkt, D(km=km))).annotate(
                entfernung=Distance("standort", punkt)
            )
            for qs in (akteur_orte, angebot_orte)
        )
        spalten, ordnung = [*spalten, "entfernung"], ["entfernung", *ordnung]
    zeilen = (
        akteur_orte.order_by()
        .values_list(*spalten)
        .union(angebot_orte.order_by().values_list(*spalten), all=True)
        .order_by(*ordnung)
    )
    anfrage = RequestFactory().get(API + "/locations")
    akteure = hsds.akteure().select_related(*hsds.SOZIALRAUM_KETTE).prefetch_related("sprachen")
    ergebnis = []
    for art, pk, *_ in zeilen:
        if art == hsds.AKTEUR_ORT:
            ergebnis.append(hsds.akteur_location(akteure.get(pk=pk), anfrage, voll=True))
        else:
            angebot = Angebot.objects.select_related("anbieter").get(pk=pk)
            ergebnis.append(hsds.angebot_location(angebot, anfrage, voll=True))
    return json.loads(json.dumps(ergebnis, cls=DjangoJSONEncoder))


def seite(client, parameter, nummer, groesse):
    cache.clear()  # the count cache of the SQL path: each answer counts anew
    antwort = client.get(
        f"{API}/locations", {**parameter, "page": str(nummer), "per_page": str(groesse)}
    )
    assert antwort.status_code == 200, antwort.content[:300]
    return antwort.json()


def alle_seiten_pruefen(client, parameter=None, groessen=(7, 100)):
    """Every page (and one past the end) of /locations is the reference's slice, whole."""
    parameter = parameter or {}
    erwartet = referenz(parameter)
    for groesse in groessen:
        seiten = -(-len(erwartet) // groesse)
        for nummer in range(1, seiten + 2):
            inhalt = erwartet[(nummer - 1) * groesse : nummer * groesse]
            assert seite(client, parameter, nummer, groesse) == {
                "total_items": len(erwartet),
                "total_pages": seiten,
                "page_number": nummer,
                "size": len(inhalt),
                "first_page": nummer == 1,
                "last_page": nummer >= seiten,
                "empty": not inhalt,
                "contents": inhalt,
            }, (parameter, groesse, nummer)
    return len(erwartet)


@pytest.fixture(autouse=True)
def _einstellungen(settings):
    settings.DROSSELUNG_ANFRAGEN = 0
    settings.SUCHINDEX = True
    settings.SUCHINDEX_HINTERGRUND = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def orte(db):
    """Generated data plus every case of the rule: offerings at their provider's address with
    its point, at its address with another point, at its point with another street, with only
    a PLZ, without any place; providers without a point or an address; shared titles and names
    (ties by id, actor before offering); drafts, expired offerings, unpublished providers."""
    call_command("generate_data", angebote=150, akteure=60, netzwerke=3, seed=11)
    rng = random.Random(11)
    ids = list(Angebot.objects.values_list("pk", flat=True))
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    anbieter = {a.pk: a for a in Akteur.objects.all()}
    for pk in rng.sample(ids, 40):
        a = anbieter[Angebot.objects.get(pk=pk).anbieter_id]
        Angebot.objects.filter(pk=pk).update(
            strasse=a.strasse, plz=a.plz, ort=a.ort, standort=a.standort
        )
    for pk in rng.sample(ids, 10):
        a = anbieter[Angebot.objects.get(pk=pk).anbieter_id]
        Angebot.objects.filter(pk=pk).update(
            strasse=a.strasse, plz=a.plz, ort=a.ort, standort=Point(9.31, 48.74, srid=4326)
        )
    for pk in rng.sample(ids, 10):
        a = anbieter[Angebot.objects.get(pk=pk).anbieter_id]
        Angebot.objects.filter(pk=pk).update(
            strasse="Andere Gasse 2", plz=a.plz, ort=a.ort, standort=a.standort
        )
    for pk in rng.sample(ids, 8):
        Angebot.objects.filter(pk=pk).update(
            strasse="", plz="73728", ort="", standort=None, format=Format.ONLINE
        )
    for pk in rng.sample(ids, 8):
        Angebot.objects.filter(pk=pk).update(
            strasse="", plz="", ort="", standort=None, format=Format.ONLINE
        )
    for pk in rng.sample(ids, 15):
        Angebot.objects.filter(pk=pk).update(titel="Elterncafé")
    for pk in rng.sample(ids, 10):
        Angebot.objects.filter(pk=pk).update(status=Status.ENTWURF)
    for pk in rng.sample(ids, 10):
        Angebot.objects.filter(pk=pk).update(gueltig_bis=gestern)
    akteur_ids = list(anbieter)
    for pk in rng.sample(akteur_ids, 5):
        Akteur.objects.filter(pk=pk).update(standort=None)
    for pk in rng.sample(akteur_ids, 4):
        Akteur.objects.filter(pk=pk).update(standort=None, strasse="", plz="", ort="")
    for pk in rng.sample(akteur_ids, 5):
        Akteur.objects.filter(pk=pk).update(name="Elterncafé")
    for pk in rng.sample(akteur_ids, 4):
        Akteur.objects.filter(pk=pk).update(status=Status.ARCHIVIERT)
    # A provider's offering shows a place of its own only where it has one.
    assert 20 < len(fakt_pruefen()) < Angebot.objects.count() - 40
    return rng


def _organisationen(anzahl, rng):
    pks = list(_alte_regel().values_list("anbieter_id", flat=True).distinct().order_by("pk"))
    return ",".join(hsds.hsds_id(hsds.ORGANIZATION, pk) for pk in rng.sample(pks, anzahl))


@pytest.mark.parametrize("index", [True, False])
def test_alle_seiten_wie_die_alte_abfrage(client, settings, orte, index):
    settings.SUCHINDEX = index
    assert alle_seiten_pruefen(client) > 50
    assert alle_seiten_pruefen(client, {"organization_id": _organisationen(3, orte)}) > 3
    nah = {"lat": "48.7407", "lon": "9.3083", "proximity": "15000"}
    assert alle_seiten_pruefen(client, nah, groessen=(5,)) > 5


def test_veraltete_bleiben(client, settings, orte):
    # The lists leave outdated records out; the API (a directory's feed) does not.
    settings.VERALTET_ANZEIGE = "ausblenden"
    Akteur.objects.update(geprueft_am=None, erstellt_am=timezone.now() - datetime.timedelta(1e3))
    Angebot.objects.update(geprueft_am=None, erstellt_am=timezone.now() - datetime.timedelta(1e3))
    assert alle_seiten_pruefen(client, groessen=(100,)) > 50


# --- every write path keeps the fact, the index sees it -----------------------------------------


@pytest.fixture
def orte_vorher(client, orte):
    """The pages answered once before the change: the indexes are built and must follow it."""
    assert alle_seiten_pruefen(client, groessen=(100,))
    return orte


def _am_anbieter(akteur, **extra):
    return factories.AngebotFactory(
        anbieter=akteur,
        strasse=akteur.strasse,
        plz=akteur.plz,
        ort=akteur.ort,
        standort=akteur.standort,
        **extra,
    )


def test_admin_angebot_verlegt_und_zurueck(admin_client, client, orte_vorher):
    akteur = factories.AkteurFactory(name="Zentrum am Markt")
    angebot = _am_anbieter(akteur, titel="Krabbelgruppe am Markt")
    assert not Angebot.objects.get(pk=angebot.pk).eigener_ort
    url = reverse("admin:angebote_angebot_change", args=[angebot.pk])
    vorher = angebot.history.latest()
    antwort = admin_client.post(url, formulardaten(admin_client.get(url), strasse="Kirchgasse 9"))
    assert antwort.status_code == 302
    assert fakt_pruefen() >= {angebot.pk}
    alle_seiten_pruefen(client, groessen=(100,))
    # History revert: back at the provider's address.
    zurueck = reverse("admin:angebote_angebot_simple_history", args=[angebot.pk, vorher.history_id])
    antwort = admin_client.post(zurueck, formulardaten(admin_client.get(zurueck)))
    assert antwort.status_code == 302
    assert Angebot.objects.get(pk=angebot.pk).strasse == "Marktplatz 1"
    assert angebot.pk not in fakt_pruefen()
    alle_seiten_pruefen(client, groessen=(100,))


def test_admin_anbieter_zieht_um(admin_client, client, orte_vorher):
    akteur = factories.AkteurFactory(name="Zentrum am Markt")
    dort = _am_anbieter(akteur, titel="Krabbelgruppe am Markt")
    woanders = factories.AngebotFactory(
        anbieter=akteur, titel="Waldgruppe", strasse="Waldweg 1", plz="73728", ort="Esslingen"
    )
    assert fakt_pruefen() >= {woanders.pk}
    assert dort.pk not in fakt_pruefen()
    url = reverse("admin:akteure_akteur_change", args=[akteur.pk])
    antwort = admin_client.post(url, formulardaten(admin_client.get(url), strasse="Rathausplatz 2"))
    assert antwort.status_code == 302
    # The offering stayed where it was: now a place of its own.
    assert fakt_pruefen() >= {dort.pk, woanders.pk}
    alle_seiten_pruefen(client, groessen=(100,))
    # The provider moves to where the other offering is held: that one joins its location.
    antwort = admin_client.post(
        url,
        formulardaten(
            admin_client.get(url),
            strasse="Waldweg 1",
            plz="73728",
            ort="Esslingen",
            standort=woanders.standort.ewkt,
        ),
    )
    assert antwort.status_code == 302
    regel = fakt_pruefen()
    assert dort.pk in regel and woanders.pk not in regel
    alle_seiten_pruefen(client, groessen=(100,))


def test_rohes_sql(client, orte_vorher):
    akteur = factories.AkteurFactory(name="Zentrum am Markt")
    angebot = _am_anbieter(akteur, titel="Krabbelgruppe am Markt")
    anderer = factories.AkteurFactory(name="Anderes Zentrum", strasse="Burgweg 4")
    with connection.cursor() as cursor:
        # A value written to the fact is not kept: the database decides it.
        cursor.execute("UPDATE angebote_angebot SET eigener_ort = NOT eigener_ort")
        assert fakt_pruefen() == set(_alte_regel().values_list("pk", flat=True))
        cursor.execute(
            "UPDATE angebote_angebot SET anbieter_id = %s WHERE id = %s", [anderer.pk, angebot.pk]
        )
        assert angebot.pk in fakt_pruefen()
        alle_seiten_pruefen(client, groessen=(100,))
        cursor.execute(
            "UPDATE akteure_akteur SET strasse = 'Marktplatz 1' WHERE id = %s", [anderer.pk]
        )
        assert angebot.pk not in fakt_pruefen()
        cursor.execute(
            "UPDATE akteure_akteur SET standort = ST_GeogFromText('POINT(9.4 48.7)') WHERE id = %s",
            [anderer.pk],
        )
        assert angebot.pk in fakt_pruefen()
        alle_seiten_pruefen(client, groessen=(100,))
        # Without any place the provider is no location; its offering keeps its own.
        cursor.execute(
            "UPDATE akteure_akteur SET standort = NULL, strasse = '', plz = '', ort = '' "
            "WHERE id = %s",
            [anderer.pk],
        )
        assert angebot.pk in fakt_pruefen()
        alle_seiten_pruefen(client, groessen=(100,))


def test_anbieter_erst_nach_dem_angebot_eingefuegt(client, orte_vorher):
    """Foreign keys are checked at commit: an offering may be written before its provider."""
    with transaction.atomic():
        angebot, pk = factories.angebot_vor_seinem_anbieter(titel="Spielgruppe")
        assert Angebot.objects.get(pk=angebot.pk).eigener_ort  # no provider yet: no match
        factories.AkteurFactory(pk=pk, name="Spät eingefügt")
    assert angebot.pk not in fakt_pruefen()
    alle_seiten_pruefen(client, groessen=(100,))


def test_import(admin_client, client, orte_vorher):
    akteur = factories.AkteurFactory(name="Zentrum am Markt", slug="zentrum-am-markt")
    angebot = _am_anbieter(akteur, titel="Krabbelgruppe am Markt", slug="krabbelgruppe")
    inhalt = (
        "Kurzname;Titel;Anbieter;Format;Status;Straße und Hausnummer;PLZ;Ort;Beschreibung;"
        "Themen;Zielgruppen;Kontakt-E-Mail\r\n"
        "krabbelgruppe;Krabbelgruppe am Markt;zentrum-am-markt;Offener Treff;veröffentlicht;"
        "Kirchgasse 9;73728;Esslingen am Neckar;Treff.;babymassage;Eltern;a@example.org\r\n"
        "neu-im-park;Neu im Park;zentrum-am-markt;Offener Treff;veröffentlicht;"
        "Parkweg 1;73728;Esslingen am Neckar;Treff.;babymassage;Eltern;a@example.org\r\n"
    ).encode()
    importieren_ok(admin_client, "angebote_angebot", inhalt)  # preview, confirm, redirect
    neu = Angebot.objects.get(slug="neu-im-park")
    assert fakt_pruefen() >= {angebot.pk, neu.pk}
    alle_seiten_pruefen(client, groessen=(100,))


def test_generate_data(client, orte_vorher):
    vorher = Angebot.objects.count()
    call_command("generate_data", angebote=40, akteure=20, netzwerke=1, seed=5)
    assert Angebot.objects.count() == vorher + 40
    fakt_pruefen()
    alle_seiten_pruefen(client, groessen=(100,))


def test_loeschen(admin_client, client, orte_vorher):
    akteur = factories.AkteurFactory(name="Zentrum am Markt")
    angebot = factories.AngebotFactory(
        anbieter=akteur, titel="Waldgruppe", strasse="Waldweg 1", plz="73728", ort="Esslingen"
    )
    assert angebot.pk in fakt_pruefen()
    antwort = admin_client.post(
        reverse("admin:angebote_angebot_delete", args=[angebot.pk]), {"post": "yes"}
    )
    assert antwort.status_code == 302
    alle_seiten_pruefen(client, groessen=(100,))
    Akteur.objects.filter(pk=akteur.pk).delete()
    fakt_pruefen()
    alle_seiten_pruefen(client, groessen=(100,))
