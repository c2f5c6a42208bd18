"""The HSDS API's offering lists answered by the in-memory index against the same lists in SQL.

Whole responses are compared (total_items, every field of every row of the page), with the
index switched on and off, over many parameter combinations of the data of test_suchindex
(validity dates, Fachpublikum-only, unpublished providers, outdated records, shared titles).
"""

import pytest
from django.core.cache import cache
from django.http import QueryDict

from akteure.models import Akteur
from angebote import hsds
from angebote.api_filters import HsdsAngebotFilterSet
from angebote.models import Angebot, Format, Thema, Zielgruppe
from atlas.models import Status
from tests.akteure.test_suchindex import akteure_erzeugen, zufaellige_suchen
from tests.angebote.test_suchindex import daten  # noqa: F401 – the fixture

API = "/api/hsds"


@pytest.fixture(autouse=True)
def _leerer_cache(settings):
    settings.DROSSELUNG_ANFRAGEN = 0
    cache.clear()
    yield
    cache.clear()


def antwort(client, pfad, parameter):
    cache.clear()  # the count cache of the SQL path: each answer counts anew
    antwort = client.get(f"{API}/{pfad}?{parameter}")
    assert antwort.status_code == 200, (parameter, antwort.content[:300])
    return antwort.json()


@pytest.fixture
def hsds_daten(daten):  # noqa: F811
    """test_suchindex's data, some offerings (online ones, no place needed) without place or
    address: no service_at_location; some with an address but no point."""
    ids = list(Angebot.objects.values_list("pk", flat=True))
    ohne = daten.sample(ids, 25)
    leer = {"standort": None, "strasse": "", "plz": "", "ort": "", "format": Format.ONLINE}
    Angebot.objects.filter(pk__in=ohne[:15]).update(**leer)
    Angebot.objects.filter(pk__in=ohne[15:]).update(**(leer | {"plz": "70173"}))
    return daten


def beide(client, settings, pfad, parameter):
    # The index answers this search (else both would be SQL).
    filterset = HsdsAngebotFilterSet(QueryDict(parameter), queryset=hsds.angebote())
    assert filterset.anfrage() is not None, parameter
    settings.SUCHINDEX = False
    sql = antwort(client, pfad, parameter)
    settings.SUCHINDEX = True
    return sql, antwort(client, pfad, parameter)


def hsds_suchen(rng, anzahl):
    themen = [hsds.hsds_id(hsds.THEMA, pk) for pk in Thema.objects.values_list("pk", flat=True)]
    zielgruppen = [
        hsds.hsds_id(hsds.ZIELGRUPPE, pk) for pk in Zielgruppe.objects.values_list("pk", flat=True)
    ]
    organisationen = [
        hsds.hsds_id(hsds.ORGANIZATION, pk)
        for pk in Angebot.objects.values_list("anbieter_id", flat=True).distinct()[:40]
    ]
    woerter = ["Beratung", "Eltern", "Kurs", "Hebame", "und", "Baby"]
    suchen = []
    for _ in range(anzahl):
        teile = []
        if rng.random() < 0.4:
            teile.append("taxonomy_term_id=" + ",".join(rng.sample(themen, rng.randint(1, 2))))
        if rng.random() < 0.2:
            teile.append("taxonomy_term_id=" + rng.choice(zielgruppen))
        if rng.random() < 0.3:
            teile.append("search=" + rng.choice(woerter))
        if rng.random() < 0.1:
            teile.append("organization_id=" + ",".join(rng.sample(organisationen, 3)))
        if rng.random() < 0.2:
            teile.append("kostenlos=on")
        if rng.random() < 0.2:
            teile.append("alter=" + rng.choice(["4", "1, 5", "schwanger"]))
        if rng.random() < 0.3:
            teile.append(f"page={rng.randint(1, 4)}&per_page={rng.choice([5, 20, 100])}")
        if rng.random() < 0.1:
            teile.append("full=true")
        suchen.append("&".join(teile))
    return suchen


BESONDERE = [
    "",
    "page=2",
    "page=9999",
    "per_page=100&page=3",
    "search=%3F%21",  # no word in it
    "search=und",  # a stop word only
    "q=Eltern",
    "search=Eltern&q=Eltern",
    "search=Eltern&sortierung=name",
    "full=true&per_page=7",
]


@pytest.mark.parametrize("pfad", ["services", "service_at_locations"])
def test_index_und_sql_gleich(client, settings, hsds_daten, pfad):
    rng = hsds_daten
    anzahlen = []
    fach = Zielgruppe.objects.filter(fachpublikum=True).first()
    besondere = [
        *BESONDERE,
        f"zielgruppe={fach.slug}",  # Fachpublikum chosen: its offerings come back
        f"taxonomy_term_id={hsds.hsds_id(hsds.ZIELGRUPPE, fach.pk)}",  # not so by this name
    ]
    for parameter in besondere + hsds_suchen(rng, 60):
        sql, mit_index = beide(client, settings, pfad, parameter)
        assert mit_index == sql, parameter
        anzahlen.append(sql["total_items"])
    assert min(anzahlen) == 0
    assert sum(1 for n in anzahlen if n > 20) >= 20


def test_index_und_sql_gleich_ohne_veraltete(client, settings, daten):  # noqa: F811
    # The lists leave outdated offerings out; the API (a directory's feed) does not.
    settings.VERALTET_ANZEIGE = "ausblenden"
    for parameter in ["", "search=Eltern", "kostenlos=on&per_page=100"]:
        sql, mit_index = beide(client, settings, "services", parameter)
        assert mit_index == sql, parameter


def test_exakte_anzahl(client, settings, hsds_daten):
    """total_items is the number of published offerings, outdated ones included, without those
    only for professionals; with a place or address for service_at_locations."""
    alle = Angebot.objects.veroeffentlicht().fuer_familien()
    mit_ort = alle.exclude(standort__isnull=True, strasse="", plz="", ort="")
    settings.VERALTET_ANZEIGE = "ausblenden"
    settings.SUCHINDEX = True
    assert antwort(client, "services", "")["total_items"] == alle.count()
    assert antwort(client, "service_at_locations", "")["total_items"] == mit_ort.count()
    # Unpublishing a provider takes its offerings out of the next answer.
    vorher = alle.count()
    anbieter = Akteur.objects.get(pk=alle.values_list("anbieter_id", flat=True).first())
    weg = alle.filter(anbieter=anbieter).count()
    assert weg > 0
    anbieter.status = Status.ARCHIVIERT
    anbieter.save()
    assert antwort(client, "services", "")["total_items"] == vorher - weg


@pytest.mark.parametrize(
    "parameter",
    [
        "postcode=73728",
        "modified_after=2020-01-01",
        "lat=48.7&lon=9.2&proximity=5000",
        f"taxonomy_id={hsds.hsds_id(hsds.TAXONOMIE, hsds.THEMEN_TAXONOMIE)}",
        "search=Eltern&q=Kurs",
    ],
)
def test_was_der_index_nicht_kann_bleibt_bei_sql(client, settings, daten, parameter):  # noqa: F811
    filterset = HsdsAngebotFilterSet(QueryDict(parameter), queryset=hsds.angebote())
    assert filterset.anfrage() is None
    settings.SUCHINDEX = False
    sql = antwort(client, "services", parameter)
    settings.SUCHINDEX = True
    assert antwort(client, "services", parameter) == sql


# --- organizations: the count from the actor index (akteure.suchindex) ----------------------


@pytest.fixture
def akteur_daten(db):
    return akteure_erzeugen()


@pytest.mark.parametrize("veraltet", ["anzeigen", "ausblenden"])
def test_organizations_index_und_sql_gleich(client, settings, akteur_daten, veraltet):
    settings.VERALTET_ANZEIGE = veraltet
    anzahlen = []
    # With words the count comes from the index's full text (akteure.suchindex), the rows SQL's.
    woerter = ["search=Familie", "search=Familie&page=2", "q=Kita&per_page=5", "search=Hebame"]
    for parameter in [
        "",
        "page=3&per_page=50",
        "page=999",
        *woerter,
        *zufaellige_suchen(akteur_daten, 30),
    ]:
        settings.SUCHINDEX = False
        sql = antwort(client, "organizations", parameter)
        settings.SUCHINDEX = True
        assert antwort(client, "organizations", parameter) == sql, parameter
        anzahlen.append(sql["total_items"])
    # Outdated actors count too: every published one, by kind and language.
    assert anzahlen[0] == Akteur.objects.filter(status=Status.VEROEFFENTLICHT).count()
    assert min(anzahlen) == 0
    assert sum(1 for n in anzahlen if n > 20) >= 10
