import pytest
from django.utils import translation

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


@pytest.fixture(autouse=True)
def deutsch():
    """A request to /en/ leaves English active in the thread; every test starts in German."""
    translation.activate("de")
    yield
    translation.activate("de")
