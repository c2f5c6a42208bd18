import pytest

from tests import factories


@pytest.fixture
def akteur(db):
    return factories.AkteurFactory()


@pytest.fixture
def angebot(db):
    return factories.AngebotFactory()


@pytest.fixture
def netzwerk(db):
    return factories.NetzwerkFactory()
