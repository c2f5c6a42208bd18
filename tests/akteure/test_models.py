import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from akteure.models import Akteur, Kontaktperson, Postleitzahl, ort_finden
from atlas.models import punkt_aus
from tests.factories import (
    AkteurFactory,
    AngebotFactory,
    KontaktpersonFactory,
    PartnerschaftFactory,
    einrichtungsart,
)

pytestmark = pytest.mark.django_db


def test_public_contact_person_needs_consent():
    with pytest.raises(IntegrityError), transaction.atomic():
        KontaktpersonFactory(oeffentlich=True, einwilligung_am=None)


def test_only_consenting_contacts_of_published_actors_are_public():
    akteur = AkteurFactory()
    mit = KontaktpersonFactory(akteur=akteur, oeffentlich=True, einwilligung_am="2026-01-15")
    KontaktpersonFactory(akteur=akteur, oeffentlich=False, einwilligung_am="2026-01-15")
    KontaktpersonFactory(akteur=akteur)
    KontaktpersonFactory(
        akteur=AkteurFactory(status="entwurf"), oeffentlich=True, einwilligung_am="2026-01-15"
    )
    assert list(Kontaktperson.objects.veroeffentlicht()) == [mit]


def test_plz_must_have_five_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        AkteurFactory(plz="7372")


def test_actor_cannot_be_its_own_traeger():
    akteur = AkteurFactory()
    akteur.traeger = akteur
    with pytest.raises(IntegrityError), transaction.atomic():
        akteur.save()


def test_deleting_actor_with_offerings_is_refused():
    angebot = AngebotFactory()
    with pytest.raises(ProtectedError):
        angebot.anbieter.delete()


def test_deleting_actor_in_a_network_is_refused():
    partnerschaft = PartnerschaftFactory()
    with pytest.raises(ProtectedError):
        partnerschaft.akteur.delete()


def test_deleting_traeger_of_other_actors_is_refused():
    traeger = AkteurFactory(einrichtungsart=einrichtungsart("wohlfahrtsverband"))
    AkteurFactory(traeger=traeger)
    with pytest.raises(ProtectedError):
        traeger.delete()


def test_published_only():
    sichtbar = AkteurFactory()
    AkteurFactory(status="entwurf")
    AkteurFactory(status="archiviert")
    assert list(Akteur.objects.veroeffentlicht()) == [sichtbar]


# Known great-circle distances (geodesic on WGS84, from PostGIS itself and cross-checked with
# the haversine formula to within 0.5 %): Esslingen Marktplatz → Stuttgart Schlossplatz ≈ 11.6 km.
ESSLINGEN = punkt_aus(48.7420, 9.3070)
STUTTGART = punkt_aus(48.7784, 9.1800)
OSTFILDERN = punkt_aus(48.7230, 9.2620)
KOELN = punkt_aus(50.9375, 6.9603)


def test_within_radius_nearest_first_with_distances():
    stuttgart = AkteurFactory(name="Stuttgart", standort=STUTTGART)
    ostfildern = AkteurFactory(name="Ostfildern", standort=OSTFILDERN)
    AkteurFactory(name="Köln", standort=KOELN)
    AkteurFactory(name="Ohne Adresse", standort=None)

    treffer = list(Akteur.objects.im_umkreis(ESSLINGEN, 15))

    assert treffer == [ostfildern, stuttgart]
    assert treffer[0].entfernung.km == pytest.approx(3.87, abs=0.1)
    assert treffer[1].entfernung.km == pytest.approx(10.3, abs=0.2)


def test_radius_boundary_excludes_farther_rows():
    AkteurFactory(standort=STUTTGART)
    assert not Akteur.objects.im_umkreis(ESSLINGEN, 5).exists()
    assert Akteur.objects.im_umkreis(ESSLINGEN, 11).count() == 1


def test_fulltext_folds_umlauts():
    fbs = AkteurFactory(
        name="Evangelische Familienbildungsstätte Esslingen",
        einrichtungsart=einrichtungsart("kita"),
    )
    AkteurFactory(name="Sportverein Mettingen", einrichtungsart=einrichtungsart("sportverein"))
    assert list(Akteur.objects.suche("Familienbildungsstatte")) == [fbs]


def test_fulltext_stems_german_plurals():
    beratung = AkteurFactory(name="Psychologische Beratung für Eltern")
    AkteurFactory(name="Sportverein Mettingen", einrichtungsart=einrichtungsart("sportverein"))
    assert list(Akteur.objects.suche("Beratungen")) == [beratung]


def test_typo_in_name_still_finds_actor():
    schule = AkteurFactory(
        name="Pestalozzischule Gelsenkirchen", einrichtungsart=einrichtungsart("grundschule")
    )
    AkteurFactory(name="Sportverein Mettingen", einrichtungsart=einrichtungsart("sportverein"))
    assert list(Akteur.objects.suche("Pestalozischule")) == [schule]


def test_search_vector_follows_renamed_einrichtungsart():
    art = einrichtungsart("museum")
    akteur = AkteurFactory(name="Haus am See", einrichtungsart=art)
    art.name = "Heimatmuseum"
    art.save()
    assert list(Akteur.objects.suche("Heimatmuseum")) == [akteur]


def test_postcodes_are_shipped():
    assert Postleitzahl.objects.count() > 8000
    esslingen = Postleitzahl.objects.get(plz="73728")
    assert esslingen.punkt.y == pytest.approx(48.74, abs=0.05)
    assert esslingen.punkt.x == pytest.approx(9.31, abs=0.05)


@pytest.mark.parametrize(
    "eingabe, erwartet",
    [
        ("73728", "73728 Esslingen am Neckar"),
        ("Esslingen", "Esslingen am Neckar"),
        ("koln", "Köln"),
        ("  Mönchengladbach ", "Mönchengladbach"),
        ("Monchengladbach", "Mönchengladbach"),
        # Without umlaut keys, as on many phones set to another language.
        ("Muenchen", "München"),
        ("goettingen", "Göttingen"),
        ("Duesseldorf", "Düsseldorf"),
        ("Moenchengladbach", "Mönchengladbach"),
        # A real "oe" is found as written, not changed into an umlaut.
        ("Soest", "Soest"),
        ("Bad Oeynhausen", "Bad Oeynhausen"),
    ],
)
def test_place_lookup_by_postcode_or_name(eingabe, erwartet):
    punkt, bezeichnung, plz = ort_finden(eingabe)
    assert bezeichnung == erwartet
    assert 47 < punkt.y < 55 and 5 < punkt.x < 16
    assert plz and all(len(p) == 5 for p in plz)


@pytest.mark.parametrize("eingabe", ["", "   ", "99999", "7372", "123456", "Xyzzy", "\x00"])
def test_unknown_place_gives_none(eingabe):
    assert ort_finden(eingabe) is None


def test_area_cannot_contain_itself():
    from tests.factories import SozialraumFactory

    raum = SozialraumFactory()
    raum.uebergeordnet = raum
    with pytest.raises(IntegrityError), transaction.atomic():
        raum.save()
