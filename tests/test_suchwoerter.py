"""The search vocabulary (atlas.Suchwort): the words of the published texts with the number of
records using each, kept by triggers on every write path (atlas 0001, akteure 0009, angebote
0015). atlas/suche.py decides by it what is a known word, a compound or a typo."""

import pytest
from django.db import connection

from atlas.models import Suchwort
from tests.factories import AkteurFactory, AngebotFactory, einrichtungsart, thema

pytestmark = pytest.mark.django_db


def zaehlung(*woerter):
    return dict(Suchwort.objects.filter(schluessel__in=woerter).values_list("wort", "anzahl"))


def angebot(titel, beschreibung="", **felder):
    return AngebotFactory(
        titel=titel,
        beschreibung=beschreibung,
        anbieter=AkteurFactory(name="Haus am Park"),
        **felder,
    )


def test_each_published_offering_counts_each_word_once():
    eins = angebot("Stillgruppe Mütter", "Für Mütter.")
    zwei = angebot("Stillgruppe am Abend")
    angebot("Stillgruppe im Entwurf", status="entwurf")
    assert zaehlung("stillgruppe", "mutter", "abend", "entwurf") == {
        "stillgruppe": 2,
        "mütter": 1,
        "abend": 1,
    }
    zwei.titel = "Stillcafé am Abend"
    zwei.save()
    assert zaehlung("stillgruppe", "stillcafe", "abend") == {
        "stillgruppe": 1,
        "stillcafé": 1,
        "abend": 1,
    }
    eins.status = "archiviert"
    eins.save()
    assert zaehlung("stillgruppe", "mutter") == {}
    zwei.delete()
    assert zaehlung("stillcafe", "abend") == {}


def test_actors_topics_and_kinds_count_too():
    AkteurFactory(name="Hebammenpraxis Sonnenschein", ort="Nürtingen", beschreibung="")
    AkteurFactory(name="Hebammenpraxis Regenbogen", status="entwurf")
    assert zaehlung("hebammenpraxis", "sonnenschein", "nurtingen", "regenbogen") == {
        "hebammenpraxis": 1,
        "sonnenschein": 1,
        "nürtingen": 1,
    }
    # Topic and kind names count once each, whatever their records; renames move the count.
    babymassage = thema("babymassage")
    babymassage.name = "Babymassage nach Leboyer"
    babymassage.save()
    assert zaehlung("leboyer") == {"leboyer": 1}
    art = einrichtungsart("familienzentrum")
    art.name = "Familienzentrum und Mehrgenerationenhaus"
    art.save()
    assert zaehlung("mehrgenerationenhaus") == {"mehrgenerationenhaus": 1}


def test_a_bulk_insert_and_delete_count_in_one_statement_each():
    """COPY and bulk deletes (the generator, a cascade) go through the statement triggers."""
    anbieter = AkteurFactory(name="Haus am Park")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO angebote_angebot (titel, slug, beschreibung, anbieter_id, format, kosten,
                kosten_hinweis, anmeldung_erforderlich, anmeldung_hinweis, kinderbetreuung,
                barrierefrei, barrierefreiheit, strasse, plz, ort, regelmaessige_zeiten,
                kontakt_name, kontakt_email, kontakt_telefon, status, erstellt_am, geaendert_am,
                themen_ids, zielgruppen_ids, sprachen_ids)
            SELECT 'Krabbelgruppe ' || i, 'krabbelgruppe-' || i, 'Für Babys.', %s, 'online',
                'kostenlos', '', false, '', false, false, '', '', '', '', '', '', '', '',
                'veroeffentlicht', now(), now(), '{}', '{}', '{}'
            FROM generate_series(1, 30) i
            """,
            [anbieter.pk],
        )
    assert zaehlung("krabbelgruppe", "babys") == {"krabbelgruppe": 30, "babys": 30}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM angebote_angebot WHERE titel LIKE 'Krabbelgruppe 1%%'")
    assert zaehlung("krabbelgruppe", "babys") == {"krabbelgruppe": 19, "babys": 19}
