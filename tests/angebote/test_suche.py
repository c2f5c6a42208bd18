"""The "Was?" search as families type it (atlas/suche.py): umlauts typed as ae/oe/ue, German
compounds, typos, and results ordered by relevance. Each test reads the list page a family gets
and compares the whole ordered list of titles."""

import pytest

from atlas.models import punkt_aus
from tests.factories import AkteurFactory, AngebotFactory

pytestmark = pytest.mark.django_db

ESSLINGEN = punkt_aus(48.7407, 9.3083)  # PLZ 73728
OSTFILDERN = punkt_aus(48.7230, 9.2620)  # ≈ 3.9 km from Esslingen
STUTTGART = punkt_aus(48.7784, 9.1800)  # ≈ 10.3 km


@pytest.fixture
def anbieter():
    # A provider whose name and kind none of the queries below contain.
    return AkteurFactory(name="Haus am Park")


def angebot(anbieter, titel, beschreibung="", **felder):
    return AngebotFactory(titel=titel, beschreibung=beschreibung, anbieter=anbieter, **felder)


def titel(client, **abfrage):
    antwort = client.get("/angebote/", abfrage)
    assert antwort.status_code == 200
    return [a.titel for a in antwort.context["object_list"]]


def test_muetter_finds_muetter(client, anbieter):
    angebot(anbieter, "Sprachcafé für Mütter")
    angebot(anbieter, "Offener Treff", "Für Mütter und Väter mit Babys.")
    angebot(anbieter, "Väterfrühstück", "Für Väter und ihre Kinder.")
    # Title before description.
    assert titel(client, q="Muetter") == ["Sprachcafé für Mütter", "Offener Treff"]
    assert titel(client, q="Mütter") == ["Sprachcafé für Mütter", "Offener Treff"]


def test_rueckbildung_finds_the_courses_whose_titles_begin_with_it(client, anbieter):
    angebot(anbieter, "Rückbildungskurs")
    angebot(anbieter, "Beckenboden-Yoga", "Sanfte Übungen nach der Rückbildung.")
    angebot(anbieter, "Rückbildungsgymnastik mit Baby")
    angebot(anbieter, "Babymassage", "Für Eltern mit Babys bis sechs Monate.")
    assert titel(client, q="Rueckbildung") == [
        "Rückbildungsgymnastik mit Baby",
        "Rückbildungskurs",
        "Beckenboden-Yoga",
    ]


@pytest.mark.parametrize(
    "wort, gesucht",
    [
        ("Steuer", "Steuererklärung für Familien"),
        ("Mauer", "Mauerweg-Spaziergang"),
        ("Poesie", "Poesie für Kinder"),
        ("Dauer", "Dauerhafte Begleitung"),
    ],
)
def test_words_with_ae_oe_ue_of_their_own_are_still_found(client, anbieter, wort, gesucht):
    """Both forms are searched, never only the one with the umlaut ("Steür")."""
    for t in ("Steuererklärung für Familien", "Mauerweg-Spaziergang", "Poesie für Kinder"):
        angebot(anbieter, t)
    angebot(anbieter, "Dauerhafte Begleitung")
    assert titel(client, q=wort) == [gesucht]


def test_stillberatung_finds_stillcafe_and_stillgruppe(client, anbieter):
    angebot(anbieter, "Stillgruppe", "Austausch für Mütter mit Babys.")
    angebot(anbieter, "Erziehungsberatung", "Beratung für Eltern in allen Fragen.")
    angebot(anbieter, "Offene Hebammensprechstunde", "Fragen zu Schlafen, Stillen und Ernährung.")
    angebot(anbieter, "Stillcafé", "Mit einer Stillberaterin.")
    inhalt = client.get("/angebote/", {"q": "Stillberatung"}).content.decode()
    # "Stillberatung" itself is in no text: its first part "Still…" finds the compounds it
    # begins, titles first; "…beratung" alone does not count.
    assert titel(client, q="Stillberatung") == [
        "Stillcafé",
        "Stillgruppe",
        "Offene Hebammensprechstunde",
    ]
    assert "3 Angebote gefunden" in inhalt


def test_hebame_finds_the_hebammen_offerings_and_says_what_it_searched(client, anbieter):
    angebot(anbieter, "Familienhebamme – Hausbesuche", "Die Hebamme kommt zu Ihnen nach Hause.")
    angebot(anbieter, "Offene Hebammensprechstunde", "Ohne Termin.")
    angebot(anbieter, "Babymassage", "Angeleitet von einer Hebamme.")
    angebot(anbieter, "Elterncafé", "Ein offener Treff.")
    antwort = client.get("/angebote/", {"q": "Hebame"})
    assert [a.titel for a in antwort.context["object_list"]] == [
        "Offene Hebammensprechstunde",
        "Babymassage",
        "Familienhebamme – Hausbesuche",
    ]
    assert antwort.context["suchhinweis"] == {
        "art": "korrigiert",
        "text": "Hebamme",
        "eingabe": "Hebame",
    }
    assert (
        '<p class="suchhinweis">Ergebnisse für „Hebamme“ – zu „Hebame“ gab es keine Treffer.</p>'
        in antwort.content.decode()
    )


def test_a_correction_keeps_the_other_words_and_their_filters(client, anbieter):
    angebot(anbieter, "Hebammensprechstunde am Abend")
    angebot(anbieter, "Hebammensprechstunde am Morgen")
    antwort = client.get("/angebote/", {"q": "Hebame Abend"})
    assert [a.titel for a in antwort.context["object_list"]] == ["Hebammensprechstunde am Abend"]
    assert antwort.context["suchhinweis"]["text"] == "Hebamme Abend"


def test_no_correction_is_named_when_it_finds_nothing_public(client, anbieter):
    """A word only a draft has is not in the vocabulary, so it is never offered."""
    angebot(anbieter, "Geheimprojekt Zaubertrank", status="entwurf")
    antwort = client.get("/angebote/", {"q": "Zaubertrunk"})
    assert antwort.context["object_list"] == []
    assert antwort.context["suchhinweis"] is None
    assert "Zaubertrank" not in antwort.content.decode()


def test_a_rare_word_is_searched_as_typed_with_a_suggestion(client, anbieter):
    angebot(anbieter, "Krabelgruppe")  # a typo in the data: found as typed
    for i in range(10):
        angebot(anbieter, f"Krabbelgruppe {i}")
    antwort = client.get("/angebote/", {"q": "Krabelgruppe", "wo": "73728"})
    assert [a.titel for a in antwort.context["object_list"]] == ["Krabelgruppe"]
    assert (
        '<p class="suchhinweis">Meinten Sie '
        '<a href="?wo=73728&amp;q=Krabbelgruppe">„Krabbelgruppe“</a>?</p>'
        in antwort.content.decode()
    )


def test_relevance_first_then_distance_near_a_place(client, anbieter):
    angebot(anbieter, "Babymassage in Stuttgart", standort=STUTTGART)
    angebot(anbieter, "Eltern-Kind-Treff", "Mit Babymassage.", standort=ESSLINGEN)
    angebot(anbieter, "Babymassage in Ostfildern", standort=OSTFILDERN)
    angebot(anbieter, "Krabbelgruppe", standort=ESSLINGEN)
    assert titel(client, q="Babymassage", wo="73728", umkreis="20") == [
        "Babymassage in Ostfildern",
        "Babymassage in Stuttgart",
        "Eltern-Kind-Treff",
    ]
    # Nearest first when the family asks for it; by title without a place.
    assert titel(client, q="Babymassage", wo="73728", umkreis="20", sortierung="entfernung") == [
        "Eltern-Kind-Treff",
        "Babymassage in Ostfildern",
        "Babymassage in Stuttgart",
    ]
    assert titel(client, q="Babymassage") == [
        "Babymassage in Ostfildern",
        "Babymassage in Stuttgart",
        "Eltern-Kind-Treff",
    ]


def test_without_a_query_the_order_stays_by_title(client, anbieter):
    angebot(anbieter, "Zwergentreff", "Mütter und Väter.")
    angebot(anbieter, "Abendkurs")
    assert titel(client) == ["Abendkurs", "Zwergentreff"]
