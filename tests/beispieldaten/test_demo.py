import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.db import transaction

from akteure.models import Akteur, Kontaktperson, Sozialraum
from angebote.models import LEBENSPHASEN, ORTSUNABHAENGIGE_FORMATE, Angebot, Kosten, Termin
from netzwerke.models import Netzwerk, Partnerschaft

ESSLINGEN = Point(9.3083, 48.7407, srid=4326)
MODELLE = [Sozialraum, Akteur, Kontaktperson, Netzwerk, Partnerschaft, Angebot, Termin]


def anzahlen():
    return {m.__name__: m.objects.count() for m in [*MODELLE, get_user_model()]}


@pytest.fixture(scope="module")
def demo_geladen(django_db_setup, django_db_blocker):
    """Load once per module inside a transaction that is rolled back at the end; each test
    runs in its own savepoint (the `db` fixture), so tests cannot see each other's changes."""
    ausgabe = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_laden", stdout=ausgabe)
        yield ausgabe.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_geladen, db):
    return demo_geladen


def test_demo_laedt_und_jeder_datensatz_ist_gueltig(demo):
    for modell in MODELLE:
        for obj in modell.objects.all():
            obj.full_clean()
    assert 40 <= Akteur.objects.count() <= 60
    # Five published networks and one draft below its programme's minimum (issue 14).
    assert Netzwerk.objects.count() == 6
    assert list(Netzwerk.objects.unter_mindestanzahl().values_list("slug", "status")) == [
        ("elternbegleitungsnetzwerk-friesland", "entwurf")
    ]


def test_demo_fuer_die_auswertungen(demo):
    """Issue 14: a bridge between two networks, population figures for Esslingen (demo), and
    six months of monitoring snapshots per site."""
    from auswertung.models import Bevoelkerung, Schnappschuss
    from auswertung.netzwerkkarte import netzwerkkarte_bauen

    karte = netzwerkkarte_bauen(Netzwerk.objects.filter(slug__startswith="familiengrundschul"))
    assert [k.name for k in karte.bruecken] == ["Wübben Stiftung"]
    assert Bevoelkerung.objects.filter(demo=False).count() == 0
    assert Bevoelkerung.objects.filter(sozialraum__slug="esslingen-mettingen").count() == 7
    monate = Schnappschuss.objects.order_by("monat").values_list("monat", flat=True).distinct()
    assert len(monate) == 6


def test_netzwerke_haben_genau_eine_koordination(demo):
    for netzwerk in Netzwerk.objects.all():
        koordination = netzwerk.partnerschaften.filter(rolle=Partnerschaft.Rolle.KOORDINATION)
        assert koordination.count() == 1, netzwerk
        assert netzwerk.koordinatoren.filter(is_staff=True).exists()


def test_elternbegleitungsnetzwerk(demo):
    netzwerk = Netzwerk.objects.get(slug="elternbegleitungsnetzwerk-wilhelmshaven")
    assert netzwerk.partnerschaften.count() >= 3
    koordination = netzwerk.koordination.akteur
    assert koordination.einrichtungsart.slug == "familienbildungsstatte"
    assert koordination.kontaktpersonen.filter(
        qualifikationen__icontains="Elternbegleiter"
    ).exists()


def test_angebote_decken_lebensphasen_sprachen_und_kosten_ab(demo):
    assert Angebot.objects.count() >= 150
    veroeffentlicht = Angebot.objects.veroeffentlicht()
    for phase in LEBENSPHASEN:
        assert veroeffentlicht.in_lebensphase(phase).exists(), phase.slug
    sprachen = set(veroeffentlicht.values_list("sprachen__code", flat=True)) - {"de", None}
    assert len(sprachen) >= 4
    assert veroeffentlicht.filter(kosten=Kosten.KOSTENLOS).exists()
    assert veroeffentlicht.filter(kosten=Kosten.KOSTENBEITRAG).exists()
    ohne_ort = veroeffentlicht.filter(standort__isnull=True)
    assert not ohne_ort.exclude(format__in=ORTSUNABHAENGIGE_FORMATE).exists()


def test_geschlossener_online_termin(demo):
    assert Termin.objects.filter(
        online=True, anmeldestatus=Termin.Anmeldestatus.GESCHLOSSEN
    ).exists()


def test_keine_oeffentliche_kontaktperson_ohne_einwilligung(demo):
    assert Kontaktperson.objects.filter(oeffentlich=True).exists()
    assert not Kontaktperson.objects.filter(oeffentlich=True, einwilligung_am__isnull=True).exists()


def test_ortssuche_und_einzugsgebiet(demo):
    assert Angebot.objects.veroeffentlicht().im_umkreis(ESSLINGEN, 10).exists()
    kreis = Sozialraum.objects.get(slug="landkreis-esslingen")
    assert kreis.flaeche.contains(Point(9.3083, 48.7407, srid=4326))
    assert Angebot.objects.filter(einzugsgebiet=kreis).exists()


def test_hausbesuche_einer_gemeinde_ohne_flaeche_werden_dort_gefunden(demo, client):
    nuertingen = Sozialraum.objects.get(slug="nuertingen")
    assert nuertingen.flaeche is None and nuertingen.plz == ["72622"]
    fuer_nuertingen = set(
        Angebot.objects.veroeffentlicht()
        .filter(einzugsgebiet=nuertingen)
        .values_list("titel", flat=True)
    )
    assert fuer_nuertingen
    antwort = client.get("/angebote/", {"wo": "Nürtingen", "umkreis": "2"})
    zeilen = {a.titel: a.gebiet for a in antwort.context["object_list"]}
    assert {titel: zeilen.get(titel) for titel in fuer_nuertingen} == dict.fromkeys(
        fuer_nuertingen, "Nürtingen"
    )


def test_region_oeffentlich_und_in_der_verwaltung_gleich(demo, client):
    from django.urls import reverse

    from atlas import rollen
    from tests.bereich import mit_rolle

    oeffentlich = client.get("/angebote/", {"sozialraum": "landkreis-esslingen"})
    client.force_login(mit_rolle(rollen.REDAKTION))
    verwaltung = client.get(
        reverse("admin:angebote_angebot_changelist"), {"sozialraum": "landkreis-esslingen"}
    )
    sichtbar = verwaltung.context["cl"].queryset.filter(
        pk__in=Angebot.objects.veroeffentlicht().values("pk")
    )
    assert oeffentlich.context["paginator"].count == sichtbar.count() > 50


def test_wenn_leer_ueberspringt_gefuellte_datenbank(demo, capsys):
    vorher = anzahlen()
    call_command("demo_laden", "--wenn-leer")
    assert anzahlen() == vorher
    ausgabe = capsys.readouterr().out
    assert "übersprungen" in ausgabe
    assert "demo-esslingen-2026" in ausgabe


def test_ohne_flag_auf_gefuellter_datenbank_fehler(demo):
    vorher = anzahlen()
    with pytest.raises(CommandError):
        call_command("demo_laden")
    assert anzahlen() == vorher


def test_logins_werden_ausgegeben(demo):
    ausgabe = demo
    assert "nur für die lokale Nutzung" in ausgabe
    for name in ["koordination-koeln", "jugendamt", "admin"]:
        assert name in ausgabe
    assert get_user_model().objects.get(username="admin").is_superuser


def test_familien_in_koeln_finden_keinen_fachtag(demo, client):
    """A 3-month-old in Köln: the Fachtag for coordinators is no family offering."""
    abfrage = {"wo": "Köln", "alter": "3m"}
    treffer = [a.titel for a in client.get("/angebote/", abfrage).context["paginator"].object_list]
    assert treffer and "Fachtag Netzwerke Frühe Hilfen" not in treffer
    fach = client.get("/angebote/", {**abfrage, "zielgruppe": "fachkrafte"})
    assert "Fachtag Netzwerke Frühe Hilfen" in [
        a.titel for a in fach.context["paginator"].object_list
    ]


def test_demo_angebote_sind_mit_herkunft_uebersetzt_und_eines_ist_veraltet(demo):
    from django.utils import translation

    from atlas.uebersetzung import Herkunft, Uebersetzung

    angebote = list(
        Angebot.objects.veroeffentlicht().filter(
            ort__in=["Esslingen am Neckar", "Köln", "Ostfildern", "Nürtingen"]
        )
    )
    uebersetzt = {
        (u.objekt_id, u.sprache)
        for u in Uebersetzung.objects.filter(
            feld="titel", objekt_id__in=[a.pk for a in angebote]
        ).exclude(inhaltstyp__model__in=["thema", "zielgruppe"])
    }
    in_allen_drei = [
        a for a in angebote if all((a.pk, s) in uebersetzt for s in ("tr", "ar", "uk"))
    ]
    assert len(in_allen_drei) >= 20
    herkunft = set(
        Uebersetzung.objects.exclude(feld="name").values_list("sprache", "herkunft", "geprueft")
    )
    assert herkunft == {
        ("tr", Herkunft.UEBERSETZUNG, True),
        ("ar", Herkunft.UEBERSETZUNG, True),
        ("ar", Herkunft.MASCHINELL, False),
        ("uk", Herkunft.ANBIETER, True),
    }
    veraltet = []
    with translation.override("tr"):
        for angebot in Angebot.objects.filter(pk__in={pk for pk, _s in uebersetzt}):
            if any(t.veraltet for t in angebot.texte.values()):
                veraltet.append(angebot.titel)
    assert veraltet == ["Stillcafé"]
    assert Angebot.objects.exclude(leichte_sprache="").filter(titel="Stillcafé").exists()
