import pytest
from django.utils import translation

from akteure import suchindex as akteure_suchindex
from angebote import suchindex as angebote_suchindex
from atlas import uebersetzung
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


@pytest.fixture(autouse=True)
def uebersetzte_namen_vergessen():
    """Names of topics by language are kept per process (atlas.uebersetzung): not across tests,
    whose database rows are rolled back."""
    uebersetzung._NAMEN.clear()
    yield
    uebersetzung._NAMEN.clear()


@pytest.fixture(autouse=True)
def suchindex_vergessen():
    """The search indexes live per process and follow their change logs; a test's rows and
    log entries are rolled back, so each test starts with indexes read afresh."""
    angebote_suchindex.INDEX.verwerfen()
    akteure_suchindex.INDEX.verwerfen()
    yield
    angebote_suchindex.INDEX.verwerfen()
    akteure_suchindex.INDEX.verwerfen()
