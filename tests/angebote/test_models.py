import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from akteure.models import Akteur, Postleitzahl, Sprache
from angebote.models import LEBENSPHASEN_NACH_SLUG, Angebot, Format, listenzeilen
from atlas.models import punkt_aus
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    TerminFactory,
    sprache,
    thema,
    zielgruppe,
)

pytestmark = pytest.mark.django_db


def fails_in_db(**felder):
    with pytest.raises(IntegrityError), transaction.atomic():
        AngebotFactory(**felder)


def test_age_from_must_not_exceed_age_to():
    fails_in_db(alter_von_monate=36, alter_bis_monate=12)


def test_valid_from_must_not_be_after_valid_until():
    fails_in_db(gueltig_von=datetime.date(2026, 5, 1), gueltig_bis=datetime.date(2026, 4, 1))


def test_published_offering_needs_a_place_unless_online_or_outreach():
    ohne_ort = AkteurFactory(standort=None)
    fails_in_db(anbieter=ohne_ort, format=Format.KURS)
    AngebotFactory(anbieter=ohne_ort, format=Format.ONLINE)
    AngebotFactory(anbieter=ohne_ort, format=Format.HAUSBESUCH)
    AngebotFactory(anbieter=ohne_ort, format=Format.KURS, status="entwurf")


def test_termin_cannot_end_before_it_starts():
    beginn = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        TerminFactory(beginn=beginn, ende=beginn - datetime.timedelta(hours=1))


def test_location_defaults_to_the_providers():
    anbieter = AkteurFactory(strasse="Pliensaustraße 12", plz="73734", ort="Esslingen am Neckar")
    angebot = AngebotFactory(anbieter=anbieter)
    angebot.refresh_from_db()
    assert angebot.standort == anbieter.standort
    assert (angebot.strasse, angebot.plz) == ("Pliensaustraße 12", "73734")


def test_the_providers_point_set_before_saving_brings_the_address_along():
    """The admin's proposal and the import set the point first; the address must follow."""
    anbieter = AkteurFactory(strasse="Pliensaustraße 12", plz="73734", ort="Esslingen am Neckar")
    angebot = AngebotFactory(anbieter=anbieter, standort=anbieter.standort)
    angebot.refresh_from_db()
    assert (angebot.strasse, angebot.plz, angebot.ort) == (
        "Pliensaustraße 12",
        "73734",
        "Esslingen am Neckar",
    )
    elsewhere = AngebotFactory(anbieter=anbieter, standort=punkt_aus(48.7230, 9.2620))
    assert (elsewhere.strasse, elsewhere.plz, elsewhere.ort) == ("", "", "")


def test_an_offering_at_an_address_of_its_own_is_saved_at_the_centre_of_its_plz():
    """Provider in 73728 Esslingen, offering in Nürtingen: the PLZ 72622, not the provider."""
    anbieter = AkteurFactory(strasse="Marktplatz 1", plz="73728", ort="Esslingen am Neckar")
    angebot = AngebotFactory(
        anbieter=anbieter, strasse="Hauptstraße 5", plz="72622", ort="Nürtingen"
    )
    angebot.refresh_from_db()
    assert angebot.standort.coords == Postleitzahl.objects.get(plz="72622").punkt.coords
    assert (angebot.strasse, angebot.plz, angebot.ort) == ("Hauptstraße 5", "72622", "Nürtingen")


def test_an_offering_without_an_address_is_saved_at_its_providers_point_and_address():
    anbieter = AkteurFactory(strasse="Marktplatz 1", plz="73728", ort="Esslingen am Neckar")
    angebot = AngebotFactory(anbieter=anbieter)
    angebot.refresh_from_db()
    assert angebot.standort.coords == anbieter.standort.coords
    assert (angebot.strasse, angebot.plz, angebot.ort) == (
        "Marktplatz 1",
        "73728",
        "Esslingen am Neckar",
    )


@pytest.mark.parametrize(
    "adresse, punkt, danach",
    [
        # The provider's street and PLZ, written a little differently: its place, as typed.
        (
            ("marktplatz  1", "73728", "Esslingen"),
            "Anbieter",
            ("marktplatz  1", "73728", "Esslingen"),
        ),
        # Only the provider's place name: its place, and the rest of its address.
        (
            ("", "", "Esslingen am Neckar"),
            "Anbieter",
            ("Marktplatz 1", "73728", "Esslingen am Neckar"),
        ),
        # Only a PLZ, even the provider's: the centre of that PLZ, the address as given.
        (("", "73728", ""), "Mitte 73728", ("", "73728", "")),
        # Another place without street or PLZ: nothing to put a marker on.
        (("", "", "Nürtingen"), None, ("", "", "Nürtingen")),
    ],
)
def test_one_rule_decides_where_an_offering_without_a_point_is(adresse, punkt, danach):
    anbieter = AkteurFactory(strasse="Marktplatz 1", plz="73728", ort="Esslingen am Neckar")
    orte = {
        "Anbieter": anbieter.standort.coords,
        "Mitte 73728": Postleitzahl.objects.get(plz="73728").punkt.coords,
        None: None,
    }
    strasse, plz, ort = adresse
    # The admin proposes it ...
    vorschlag = Angebot.standort_vorschlag(
        {
            "format": Format.OFFENER_TREFF,
            "anbieter": anbieter,
            "strasse": strasse,
            "plz": plz,
            "ort": ort,
        }.get
    )
    assert (vorschlag and vorschlag.punkt.coords) == orte[punkt]
    # ... and saving takes it.
    angebot = AngebotFactory(anbieter=anbieter, strasse=strasse, plz=plz, ort=ort, status="entwurf")
    angebot.refresh_from_db()
    assert (angebot.standort and angebot.standort.coords) == orte[punkt]
    assert (angebot.strasse, angebot.plz, angebot.ort) == danach


def test_a_published_offering_at_an_unknown_plz_of_its_own_is_refused():
    anbieter = AkteurFactory(strasse="Marktplatz 1", plz="73728", ort="Esslingen am Neckar")
    fails_in_db(anbieter=anbieter, strasse="Hauptstraße 5", plz="99999", ort="Nirgendwo")


def test_the_data_migration_gives_old_offerings_their_providers_address():
    import importlib

    from django.db import connection

    migration = importlib.import_module("angebote.migrations.0011_angebot_adresse_vom_anbieter")
    anbieter = AkteurFactory(strasse="Pliensaustraße 12", plz="73734", ort="Esslingen am Neckar")
    beim_anbieter = AngebotFactory(anbieter=anbieter)
    woanders = AngebotFactory(anbieter=anbieter, standort=punkt_aus(48.7230, 9.2620))
    online = AngebotFactory(anbieter=anbieter, format=Format.ONLINE)
    Angebot.objects.update(strasse="", plz="", ort="")  # as the admin and the import left them
    with connection.cursor() as cursor:
        cursor.execute(migration.SQL)
    adressen = dict(Angebot.objects.values_list("pk", "strasse"))
    assert adressen == {beim_anbieter.pk: "Pliensaustraße 12", woanders.pk: "", online.pk: ""}


def test_the_data_migration_moves_old_offerings_at_a_plz_of_their_own_to_its_centre():
    import importlib

    from django.db import connection

    migration = importlib.import_module("angebote.migrations.0016_angebot_standort_eigene_plz")
    anbieter = AkteurFactory(strasse="Marktplatz 1", plz="73728", ort="Esslingen am Neckar")
    eigener_punkt = punkt_aus(48.6300, 9.3500)

    def angebot(strasse, plz, ort, **felder):
        return AngebotFactory(
            anbieter=anbieter, strasse=strasse, plz=plz, ort=ort, status="entwurf", **felder
        )

    nuertingen = angebot("Hauptstraße 5", "72622", "Nürtingen")
    gleiche_plz = angebot("Schulstraße 3", "73728", "Esslingen am Neckar")
    markiert = angebot("Hauptstraße 7", "72622", "Nürtingen", standort=eigener_punkt)
    unbekannt = angebot("Hauptstraße 9", "99999", "Nirgendwo")
    # As the import and model code left them: at the provider's point.
    Angebot.objects.exclude(pk=markiert.pk).update(standort=anbieter.standort)
    with connection.cursor() as cursor:
        cursor.execute(migration.SQL)
    punkte = {pk: p.coords for pk, p in Angebot.objects.values_list("pk", "standort")}
    assert punkte == {
        nuertingen.pk: Postleitzahl.objects.get(plz="72622").punkt.coords,
        gleiche_plz.pk: anbieter.standort.coords,
        markiert.pk: eigener_punkt.coords,
        unbekannt.pk: anbieter.standort.coords,
    }


def test_online_offering_does_not_take_the_providers_location():
    angebot = AngebotFactory(format=Format.ONLINE)
    assert angebot.standort is None


def test_published_hides_drafts_expired_and_offerings_of_unpublished_providers():
    heute, tag = timezone.localdate(), datetime.timedelta(days=1)
    sichtbar = {
        AngebotFactory(titel="Bis heute", gueltig_bis=heute),
        AngebotFactory(titel="Ab heute", gueltig_von=heute),
        AngebotFactory(titel="Läuft", gueltig_von=heute - tag, gueltig_bis=heute + tag),
        AngebotFactory(titel="Ohne Zeitraum"),
    }
    AngebotFactory(status="entwurf")
    AngebotFactory(status="archiviert")
    AngebotFactory(titel="Abgelaufen", gueltig_bis=heute - tag)
    AngebotFactory(titel="Erst morgen", gueltig_von=heute + tag)
    AngebotFactory(anbieter=AkteurFactory(status="entwurf"))
    assert set(Angebot.objects.veroeffentlicht()) == sichtbar


def test_published_asks_the_database_for_today_not_the_python_clock(monkeypatch):
    """A process whose idea of the date is old (a date taken at import) must not matter."""
    gestern = timezone.localdate() - datetime.timedelta(days=1)
    abgelaufen = AngebotFactory(gueltig_bis=gestern)
    laeuft = AngebotFactory(gueltig_von=gestern)
    vor_einem_jahr = timezone.now() - datetime.timedelta(days=365)
    monkeypatch.setattr(timezone, "now", lambda: vor_einem_jahr)
    assert set(Angebot.objects.veroeffentlicht()) == {laeuft}
    assert abgelaufen not in Angebot.objects.veroeffentlicht()


def test_the_published_rule_works_across_relations():
    """`veroeffentlicht_q(pfad)` is the same rule, applied to related rows in one query."""
    heute, tag = timezone.localdate(), datetime.timedelta(days=1)
    mit_angebot = AkteurFactory(name="Mit laufendem Angebot")
    AngebotFactory(anbieter=mit_angebot, gueltig_bis=heute)
    nur_abgelaufen = AkteurFactory(name="Nur abgelaufen")
    AngebotFactory(anbieter=nur_abgelaufen, gueltig_bis=heute - tag)
    nur_entwurf = AkteurFactory(name="Nur Entwurf")
    AngebotFactory(anbieter=nur_entwurf, status="entwurf")
    AkteurFactory(name="Ohne Angebot")
    gefunden = Akteur.objects.filter(Angebot.objects.veroeffentlicht_q("angebote__")).distinct()
    assert {a.name for a in gefunden} == {"Mit laufendem Angebot"}
    # The other way round: offerings whose provider is published, by Akteur's own rule.
    entwurf = AngebotFactory(anbieter=AkteurFactory(status="entwurf"))
    assert set(Angebot.objects.exclude(Akteur.objects.veroeffentlicht_q("anbieter__"))) == {entwurf}


def test_age_filter_matches_any_child():
    baby = AngebotFactory(alter_von_monate=0, alter_bis_monate=11)
    schulkind = AngebotFactory(alter_von_monate=72, alter_bis_monate=119)
    fuer_alle = AngebotFactory()
    AngebotFactory(alter_von_monate=192, alter_bis_monate=323)

    assert set(Angebot.objects.fuer_alter(6, 96)) == {baby, schulkind, fuer_alle}
    assert set(Angebot.objects.fuer_alter(40)) == {fuer_alle}


def test_pregnancy_is_negative_months():
    geburtsvorbereitung = AngebotFactory(alter_von_monate=-9, alter_bis_monate=0)
    AngebotFactory(alter_von_monate=12, alter_bis_monate=35)
    assert list(Angebot.objects.fuer_alter(-3)) == [geburtsvorbereitung]
    phase = LEBENSPHASEN_NACH_SLUG["schwangerschaft"]
    assert list(Angebot.objects.in_lebensphase(phase)) == [geburtsvorbereitung]
    assert [p.slug for p in geburtsvorbereitung.lebensphasen] == ["schwangerschaft", "0-1"]


def test_life_phase_overlap():
    kita_und_schule = AngebotFactory(alter_von_monate=60, alter_bis_monate=84)
    assert [p.slug for p in kita_und_schule.lebensphasen] == ["3-6", "6-10"]
    assert list(Angebot.objects.in_lebensphase(LEBENSPHASEN_NACH_SLUG["6-10"])) == [kita_und_schule]
    assert not Angebot.objects.in_lebensphase(LEBENSPHASEN_NACH_SLUG["10-16"]).exists()


def test_search_stems_and_folds():
    beratung = AngebotFactory(titel="Offene Beratung für Familien", beschreibung="")
    AngebotFactory(titel="Babymassage", beschreibung="")
    assert list(Angebot.objects.suche("Beratungen")) == [beratung]
    assert list(Angebot.objects.suche("fur Familien")) == [beratung]


def test_search_covers_provider_name_and_topics():
    anbieter = AkteurFactory(name="Familienbildungsstätte Nürtingen")
    kurs = AngebotFactory(titel="Kurs am Abend", beschreibung="", anbieter=anbieter)
    AngebotFactory(titel="Treff am Morgen", beschreibung="")
    assert list(Angebot.objects.suche("Nurtingen")) == [kurs]

    kurs.themen.set([thema("babymassage")])
    assert list(Angebot.objects.suche("Babymassage")) == [kurs]
    kurs.themen.clear()
    assert not Angebot.objects.suche("Babymassage").exists()


def test_search_vector_follows_renamed_provider_and_topic():
    kurs = AngebotFactory(titel="Kurs", beschreibung="", themen=[thema("babymassage")])
    kurs.anbieter.name = "Hebammenpraxis Sonnenschein"
    kurs.anbieter.save()
    assert list(Angebot.objects.suche("Sonnenschein")) == [kurs]
    babymassage = thema("babymassage")
    babymassage.name = "Babymassage nach Leboyer"
    babymassage.save()
    assert list(Angebot.objects.suche("Leboyer")) == [kurs]


def test_offerings_within_radius_nearest_first():
    nah = AngebotFactory(standort=punkt_aus(48.7230, 9.2620))
    fern = AngebotFactory(standort=punkt_aus(48.7784, 9.1800))
    AngebotFactory(format=Format.ONLINE)
    treffer = list(Angebot.objects.im_umkreis(punkt_aus(48.7420, 9.3070), 20))
    assert treffer == [nah, fern]
    assert treffer[0].entfernung.km < treffer[1].entfernung.km


def test_topic_cannot_be_its_own_main_topic():
    babymassage = thema("babymassage")
    babymassage.oberthema = babymassage
    with pytest.raises(IntegrityError), transaction.atomic():
        babymassage.save()


def kopien(angebot):
    angebot.refresh_from_db(fields=["themen_ids", "zielgruppen_ids", "sprachen_ids"])
    return angebot.themen_ids, angebot.zielgruppen_ids, angebot.sprachen_ids


def test_copied_link_ids_follow_every_change_of_the_links():
    """The triggers of migration 0009 keep each row's copies equal to its link tables."""
    massage, kurs = thema("babymassage"), thema("deutschkurs")
    ar, tr = sprache("ar"), sprache("tr")
    angebot = AngebotFactory(themen=[kurs, massage], sprachen=[tr])
    assert kopien(angebot) == (sorted([massage.pk, kurs.pk]), [], [tr.pk])

    angebot.zielgruppen.add(zielgruppe("vater"))
    angebot.sprachen.add(ar)
    angebot.themen.remove(kurs)
    assert kopien(angebot) == ([massage.pk], [zielgruppe("vater").pk], sorted([ar.pk, tr.pk]))

    angebot.sprachen.set([ar])
    angebot.zielgruppen.clear()
    assert kopien(angebot) == ([massage.pk], [], [ar.pk])

    # Removing a language from the vocabulary removes it from every offering's copy.
    neu = Sprache.objects.create(code="xx", name="Testsprache", name_nativ="Test")
    angebot.sprachen.add(neu)
    neu.delete()
    assert kopien(angebot) == ([massage.pk], [], [ar.pk])


def test_saving_an_old_instance_keeps_the_current_copies():
    """Model.save() writes every column; the copies must not go back to what it had loaded."""
    angebot = AngebotFactory(sprachen=[sprache("tr")])
    alt = Angebot.objects.get(pk=angebot.pk)
    angebot.sprachen.add(sprache("ar"))
    angebot.themen.add(thema("babymassage"))
    alt.titel = "Neuer Titel"
    alt.save()
    assert kopien(angebot) == (
        [thema("babymassage").pk],
        [],
        sorted([sprache("ar").pk, sprache("tr").pk]),
    )
    # A direct UPDATE cannot change them either; only the links can.
    Angebot.objects.filter(pk=angebot.pk).update(sprachen_ids=[], themen_ids=[])
    assert kopien(angebot)[0] == [thema("babymassage").pk]
    assert len(kopien(angebot)[2]) == 2


def partner_kopie(angebot):
    angebot.refresh_from_db(fields=["kooperationspartner_ids"])
    return angebot.kooperationspartner_ids


def test_copied_partner_ids_follow_every_change_of_the_links():
    """The triggers of migration 0031 keep each row's partner copy equal to its links, on
    every write path: the related manager (admin and import set() through it), raw SQL, a
    partner's deletion; a stale save and a direct UPDATE leave it as the links say."""
    a, b, c = AkteurFactory(), AkteurFactory(), AkteurFactory()
    angebot = AngebotFactory(kooperationspartner=[c, a])
    andere = AngebotFactory(kooperationspartner=[b])
    assert partner_kopie(angebot) == sorted([a.pk, c.pk])

    angebot.kooperationspartner.remove(c)
    angebot.kooperationspartner.add(b)
    assert partner_kopie(angebot) == sorted([a.pk, b.pk])
    angebot.kooperationspartner.set([c])
    assert partner_kopie(angebot) == [c.pk]

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO angebote_angebot_kooperationspartner (angebot_id, akteur_id) "
            "VALUES (%s, %s), (%s, %s)",
            [angebot.pk, a.pk, andere.pk, a.pk],
        )
        assert (partner_kopie(angebot), partner_kopie(andere)) == (
            sorted([a.pk, c.pk]),
            sorted([a.pk, b.pk]),
        )
        cursor.execute(
            "DELETE FROM angebote_angebot_kooperationspartner WHERE akteur_id = %s", [c.pk]
        )
    assert partner_kopie(angebot) == [a.pk]

    b.delete()
    assert partner_kopie(andere) == [a.pk]

    alt = Angebot.objects.get(pk=angebot.pk)
    angebot.kooperationspartner.add(c)
    alt.titel = "Neuer Titel"
    alt.save()
    assert partner_kopie(angebot) == sorted([a.pk, c.pk])
    Angebot.objects.filter(pk=angebot.pk).update(kooperationspartner_ids=[])
    assert partner_kopie(angebot) == sorted([a.pk, c.pk])
    angebot.kooperationspartner.clear()
    assert partner_kopie(angebot) == []


def test_topic_links_still_refresh_the_search_vector():
    angebot = AngebotFactory(titel="Treff")
    angebot.themen.add(thema("babymassage"))
    assert Angebot.objects.suche("Babymassage").filter(pk=angebot.pk).exists()


def test_list_rows_name_their_languages_besides_german(django_assert_num_queries):
    AngebotFactory(sprachen=[sprache("de"), sprache("tr"), sprache("ar")])
    AngebotFactory(sprachen=[sprache("de")])
    AngebotFactory()
    angebote = Angebot.objects.order_by("pk")
    with django_assert_num_queries(2):  # the rows, and their languages for all of them
        zeilen = listenzeilen(angebote)
    assert [[s.code for s in a.weitere_sprachen] for a in zeilen] == [["ar", "tr"], [], []]
