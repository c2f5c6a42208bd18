import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.db import connection

from akteure.models import Akteur, Einrichtungsart, Kontaktperson, Sozialraum, Sprache
from angebote.models import Angebot, Format, Termin, Thema, Zielgruppe
from atlas.models import Status
from atlas.uebersetzung import Uebersetzung, quell_hash
from netzwerke.models import Netzwerk, Partnerschaft, Programm

ESSLINGEN = Point(9.3083, 48.7407, srid=4326)


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"nutzer{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    is_staff = True

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "geheim-123")
        if create:
            self.save()


def einrichtungsart(slug="familienzentrum"):
    return Einrichtungsart.objects.get(slug=slug)


def sprache(code):
    return Sprache.objects.get(code=code)


def thema(slug):
    return Thema.objects.get(slug=slug)


def zielgruppe(slug):
    return Zielgruppe.objects.get(slug=slug)


class SozialraumFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Sozialraum {n}")
    slug = factory.Sequence(lambda n: f"sozialraum-{n}")
    ebene = Sozialraum.Ebene.GEMEINDE

    class Meta:
        model = Sozialraum


class AkteurFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Familienzentrum Nummer {n}")
    slug = factory.Sequence(lambda n: f"akteur-{n}")
    einrichtungsart = factory.LazyFunction(einrichtungsart)
    strasse = "Marktplatz 1"
    plz = "73728"
    ort = "Esslingen am Neckar"
    standort = ESSLINGEN
    status = Status.VEROEFFENTLICHT

    class Meta:
        model = Akteur


class KontaktpersonFactory(factory.django.DjangoModelFactory):
    akteur = factory.SubFactory(AkteurFactory)
    name = factory.Sequence(lambda n: f"Erika Beispiel {n}")
    funktion = "Leitung"

    class Meta:
        model = Kontaktperson


class ProgrammFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Programm {n}")
    slug = factory.Sequence(lambda n: f"programm-{n}")

    class Meta:
        model = Programm


class NetzwerkFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Netzwerk {n}")
    slug = factory.Sequence(lambda n: f"netzwerk-{n}")
    programm = factory.SubFactory(ProgrammFactory)
    status = Status.VEROEFFENTLICHT

    class Meta:
        model = Netzwerk


class PartnerschaftFactory(factory.django.DjangoModelFactory):
    netzwerk = factory.SubFactory(NetzwerkFactory)
    akteur = factory.SubFactory(AkteurFactory)

    class Meta:
        model = Partnerschaft


class AngebotFactory(factory.django.DjangoModelFactory):
    titel = factory.Sequence(lambda n: f"Elterncafé {n}")
    slug = factory.Sequence(lambda n: f"angebot-{n}")
    beschreibung = "Ein offener Treff für Eltern mit Kindern."
    anbieter = factory.SubFactory(AkteurFactory)
    format = Format.OFFENER_TREFF
    status = Status.VEROEFFENTLICHT

    class Meta:
        model = Angebot
        skip_postgeneration_save = True

    @factory.post_generation
    def themen(self, create, extracted, **kwargs):
        if create and extracted:
            self.themen.set(extracted)

    @factory.post_generation
    def sprachen(self, create, extracted, **kwargs):
        if create and extracted:
            self.sprachen.set(extracted)

    @factory.post_generation
    def zielgruppen(self, create, extracted, **kwargs):
        if create and extracted:
            self.zielgruppen.set(extracted)

    @factory.post_generation
    def kooperationspartner(self, create, extracted, **kwargs):
        if create and extracted:
            self.kooperationspartner.set(extracted)

    @factory.post_generation
    def einzugsgebiet(self, create, extracted, **kwargs):
        if create and extracted:
            self.einzugsgebiet.set(extracted)


def angebot_vor_seinem_anbieter(**felder):
    """An offering written before its provider, which foreign keys allow until the commit: call
    inside a transaction. Returns the offering and the id its provider must get."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('akteure_akteur', 'id'))")
        pk = cursor.fetchone()[0]
    vorlage = AngebotFactory.build(
        anbieter=Akteur(pk=pk),
        **{
            "strasse": "Marktplatz 1",
            "plz": "73728",
            "ort": "Esslingen am Neckar",
            "standort": ESSLINGEN,
            **felder,
        },
    )
    (angebot,) = Angebot.objects.bulk_create([vorlage])
    return angebot, pk


class TerminFactory(factory.django.DjangoModelFactory):
    angebot = factory.SubFactory(AngebotFactory)
    beginn = factory.Faker("future_datetime", tzinfo=datetime.UTC)

    class Meta:
        model = Termin


def uebersetzen(objekt, feld, sprache, text):
    """A translation of `objekt.feld` into `sprache`, made for its current German text."""
    Uebersetzung.objects.update_or_create(
        inhaltstyp=ContentType.objects.get_for_model(objekt),
        objekt_id=objekt.pk,
        feld=feld,
        sprache=sprache,
        defaults={"text": text, "quelle_hash": quell_hash(getattr(objekt, feld))},
    )
