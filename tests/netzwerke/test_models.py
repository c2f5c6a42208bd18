import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from netzwerke.models import Netzwerk, Partnerschaft
from tests.factories import AkteurFactory, NetzwerkFactory, PartnerschaftFactory, ProgrammFactory

pytestmark = pytest.mark.django_db
KOORDINATION = Partnerschaft.Rolle.KOORDINATION


def test_at_most_one_coordinating_partner():
    netzwerk = NetzwerkFactory()
    PartnerschaftFactory(netzwerk=netzwerk, rolle=KOORDINATION)
    PartnerschaftFactory(netzwerk=netzwerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerschaftFactory(netzwerk=netzwerk, rolle=KOORDINATION)


def test_actor_is_partner_of_a_network_only_once():
    erste = PartnerschaftFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerschaftFactory(netzwerk=erste.netzwerk, akteur=erste.akteur)


def test_funding_period_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        NetzwerkFactory(
            foerderung_von=datetime.date(2023, 1, 1), foerderung_bis=datetime.date(2021, 1, 1)
        )


def test_partnership_period_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerschaftFactory(seit=datetime.date(2024, 1, 1), bis=datetime.date(2023, 1, 1))


def test_published_network_needs_the_programme_minimum_of_partners():
    netzwerk = NetzwerkFactory(programm=ProgrammFactory(mindestanzahl_partner=3))
    PartnerschaftFactory(netzwerk=netzwerk, rolle=KOORDINATION)
    PartnerschaftFactory(netzwerk=netzwerk)
    with pytest.raises(ValidationError, match="mindestens 3 Partner"):
        netzwerk.full_clean()
    assert list(Netzwerk.objects.unter_mindestanzahl()) == [netzwerk]

    PartnerschaftFactory(netzwerk=netzwerk)
    netzwerk.full_clean()
    assert not Netzwerk.objects.unter_mindestanzahl().exists()
    assert netzwerk.koordination.rolle == KOORDINATION


def test_draft_network_may_have_fewer_partners():
    netzwerk = NetzwerkFactory(programm=ProgrammFactory(mindestanzahl_partner=3), status="entwurf")
    netzwerk.full_clean()


def test_a_public_partnership_has_both_sides_published_and_is_current():
    heute, tag = timezone.localdate(), datetime.timedelta(days=1)
    netzwerk = NetzwerkFactory()
    oeffentlich = {
        PartnerschaftFactory(netzwerk=netzwerk, notiz="offen"),
        PartnerschaftFactory(netzwerk=netzwerk, notiz="seit heute", seit=heute),
        PartnerschaftFactory(netzwerk=netzwerk, notiz="bis heute", bis=heute),
        PartnerschaftFactory(netzwerk=netzwerk, notiz="läuft", seit=heute - tag, bis=heute + tag),
    }
    PartnerschaftFactory(netzwerk=netzwerk, notiz="beendet", bis=heute - tag)
    PartnerschaftFactory(netzwerk=netzwerk, notiz="erst morgen", seit=heute + tag)
    PartnerschaftFactory(netzwerk=netzwerk, akteur=AkteurFactory(status="entwurf"))
    PartnerschaftFactory(netzwerk=NetzwerkFactory(status="entwurf"))
    PartnerschaftFactory(netzwerk=NetzwerkFactory(status="archiviert"))
    assert set(Partnerschaft.objects.veroeffentlicht()) == oeffentlich
