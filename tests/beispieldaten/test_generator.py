import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q

from akteure.models import Akteur
from angebote.models import LEBENSPHASEN, ORTSUNABHAENGIGE_FORMATE, Angebot, Termin, Thema
from beispieldaten.generator import ANGEBOTSARTEN, altersspanne, angebot_titel, daten_generieren
from netzwerke.models import Netzwerk, Partnerschaft

KLEIN = {"angebote": 300, "akteure": 120, "netzwerke": 5}


@pytest.fixture
def generiert(db):
    ausgabe = io.StringIO()
    ergebnis = daten_generieren(**KLEIN, seed=1, stdout=ausgabe)
    # The test transaction never commits: check the deferred foreign keys now.
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return ergebnis, ausgabe.getvalue()


def test_erzeugt_genau_die_angeforderten_anzahlen(generiert):
    ergebnis, ausgabe = generiert
    assert Angebot.objects.count() == 300
    assert Akteur.objects.count() == 120
    assert Netzwerk.objects.count() == 5
    assert ergebnis["angebote"] == 300
    assert ergebnis["angebot_themen"] == Angebot.themen.through.objects.count()
    assert ergebnis["termine"] == Termin.objects.count() > 0
    assert "Angebote:" in ausgabe


def test_jedes_netzwerk_hat_eine_koordination_und_mindestens_drei_partner(generiert):
    netze = Netzwerk.objects.annotate(
        n_koordination=Count("partnerschaften", filter=Q(partnerschaften__rolle="koordination")),
        n_partner=Count("partnerschaften"),
    )
    for netz in netze:
        assert netz.n_koordination == 1
        assert 3 <= netz.n_partner <= 30
    assert Netzwerk.objects.unter_mindestanzahl().count() == 0
    koordinatoren = Partnerschaft.objects.filter(rolle="koordination").values("akteur")
    assert koordinatoren.distinct().count() == 5


def test_suchvektoren_gefuellt_und_enthalten_themen(generiert):
    assert not Angebot.objects.filter(suchvektor__isnull=True).exists()
    assert not Akteur.objects.filter(suchvektor__isnull=True).exists()
    # The topic links were loaded before the offerings; each vector must still hold its topics.
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*) FROM angebote_angebot_themen at
            JOIN angebote_thema t ON t.id = at.thema_id
            JOIN angebote_angebot a ON a.id = at.angebot_id
            WHERE NOT a.suchvektor @@ plainto_tsquery('german_unaccent', t.name)
            """
        )
        assert cur.fetchone()[0] == 0


def test_volltextsuche_findet_erzeugte_zeilen(generiert):
    # Public ones: only their words are in the search vocabulary that the COPY filled too.
    angebot = Angebot.objects.filter(status="veroeffentlicht").order_by("id").first()
    thema = angebot.themen.first()
    assert angebot in Angebot.objects.suche(thema.name)
    akteur = Akteur.objects.filter(status="veroeffentlicht").order_by("id").first()
    assert akteur in Akteur.objects.suche(akteur.name)


def test_veroeffentlichte_angebote_haben_ort_oder_sind_ortsunabhaengig(generiert):
    ohne_ort = Angebot.objects.filter(status="veroeffentlicht", standort__isnull=True)
    assert not ohne_ort.exclude(format__in=ORTSUNABHAENGIGE_FORMATE).exists()
    assert Angebot.objects.filter(status="veroeffentlicht").count() > 200


def test_angebote_haben_ein_bis_drei_themen_und_passende_altersspannen(generiert):
    themen = Angebot.objects.annotate(n=Count("themen")).values_list("n", flat=True)
    assert set(themen) <= {1, 2, 3}
    grenzen = {p.von_monate for p in LEBENSPHASEN}, {p.bis_monate for p in LEBENSPHASEN}
    for von, bis in Angebot.objects.exclude(alter_von_monate=None).values_list(
        "alter_von_monate", "alter_bis_monate"
    ):
        assert von in grenzen[0] and bis in grenzen[1] and von <= bis


def test_slugs_tragen_die_id(generiert):
    for pk, slug in Angebot.objects.values_list("id", "slug")[:50]:
        assert slug.endswith(f"-{pk}")


def test_gleicher_seed_gleiche_daten(db):
    daten_generieren(**KLEIN, seed=5)
    erste = list(Angebot.objects.order_by("id").values_list("titel", "format", "status"))
    daten_generieren(**KLEIN, seed=5)
    alle = list(Angebot.objects.order_by("id").values_list("titel", "format", "status"))
    assert alle[300:] == erste
    # …and the second run added rows with fresh ids and slugs instead of colliding.
    assert Angebot.objects.count() == 600


def test_titel_und_alter_sind_deterministisch():
    def entwurf(seed):
        rng = random.Random(seed)
        return [
            (angebot_titel(rng, art, "Esslingen am Neckar", "Familienzentrum Mitte"),
             altersspanne(rng, art))
            for art in ANGEBOTSARTEN
        ]  # fmt: skip

    assert entwurf(3) == entwurf(3)
    assert entwurf(3) != entwurf(4)


@pytest.mark.parametrize(
    "optionen, meldung",
    [
        ({"angebote": 0}, "--angebote muss mindestens 1 sein"),
        ({"akteure": -5}, "--akteure muss mindestens 1 sein"),
        ({"netzwerke": 0}, "--netzwerke muss mindestens 1 sein"),
        ({"angebote": 5_000_001}, "zu groß"),
        ({"akteure": 10, "netzwerke": 11}, "Mehr Netzwerke (11) als Akteure (10)"),
        ({"akteure": 2, "netzwerke": 1}, "mindestens 3 Partner"),
    ],
)
def test_falsche_argumente_geben_deutsche_fehler(db, optionen, meldung):
    with pytest.raises(CommandError, match=meldung.replace("(", r"\(").replace(")", r"\)")):
        call_command("generate_data", **{**KLEIN, **optionen})
    assert not Angebot.objects.exists()


def test_keine_ganzzahl_gibt_deutsche_meldung(db):
    with pytest.raises(CommandError, match="keine ganze Zahl"):
        call_command("generate_data", "--angebote", "viele")


def test_leeres_vokabular_verweist_auf_migrate(db):
    Thema.objects.filter(oberthema__isnull=False).delete()
    Thema.objects.all().delete()
    with pytest.raises(CommandError, match="migrate"):
        call_command("generate_data", **KLEIN)


def test_kommando_meldet_anzahlen_und_dauer(db):
    ausgabe = io.StringIO()
    call_command("generate_data", **KLEIN, seed=2, stdout=ausgabe)
    text = ausgabe.getvalue()
    assert "Fertig in" in text
    assert "Angebote" in text and "300" in text


def test_kommando_laeuft_ohne_das_zeitlimit_der_webanfragen(db):
    """The web's statement timeout (DB_STATEMENT_TIMEOUT_MS) cut the bench generator off at
    225,000 offerings; the command lifts it for its own session."""
    with connection.cursor() as cur:
        cur.execute("SET statement_timeout = 1")  # one millisecond: any real batch outlasts it
    call_command("generate_data", **KLEIN, stdout=io.StringIO())
    assert Angebot.objects.count() == 300
    with connection.cursor() as cur:
        cur.execute("SHOW statement_timeout")
        assert cur.fetchone() == ("0",)


def test_angebote_bringen_die_kopien_ihrer_verknuepfungen_mit(generiert):
    """The rows carry the ids the triggers of migrations 0009 and 0031 would have written."""
    with connection.cursor() as cur:
        for feld, spalte in (
            ("themen", "thema_id"),
            ("zielgruppen", "zielgruppe_id"),
            ("sprachen", "sprache_id"),
            ("kooperationspartner", "akteur_id"),
        ):
            cur.execute(
                f"""
                SELECT count(*) FROM angebote_angebot a WHERE a.{feld}_ids IS DISTINCT FROM
                ARRAY(SELECT x.{spalte} FROM angebote_angebot_{feld} x
                      WHERE x.angebot_id = a.id ORDER BY x.{spalte})
                """
            )
            assert cur.fetchone()[0] == 0, feld
    assert not Angebot.objects.filter(themen_ids=[]).exists()
    assert Angebot.objects.exclude(kooperationspartner_ids=[]).exists()
