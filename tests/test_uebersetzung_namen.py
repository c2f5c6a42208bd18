"""Translated names of topics are kept per process; a change made by another process (another
gunicorn worker or server) shows once the shared version in the cache says so."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import translation

from atlas import uebersetzung
from atlas.uebersetzung import Uebersetzung
from tests.factories import thema

pytestmark = pytest.mark.django_db


def zeile(eintrag):
    typ = ContentType.objects.get_for_model(eintrag)
    return Uebersetzung.objects.filter(
        inhaltstyp=typ, objekt_id=eintrag.pk, sprache="tr", feld="name"
    )


def name_auf_tuerkisch(eintrag):
    with translation.override("tr"):
        return eintrag.anzeigename


def test_a_name_changed_by_another_process_shows_after_the_shared_version_changes(monkeypatch):
    cache.clear()
    monkeypatch.setattr(uebersetzung, "NAMEN_VERSION_PRUEFEN", 0)
    stillen = thema("stillen-ernahrung")
    assert name_auf_tuerkisch(stillen) == "Emzirme ve beslenme"
    # Another process changes the row: this process still has its copy …
    zeile(stillen).update(text="Emzirme")
    assert name_auf_tuerkisch(stillen) == "Emzirme ve beslenme"
    # … until that process's save raises the version in the shared cache.
    uebersetzung.namen_version_erhoehen()
    assert name_auf_tuerkisch(stillen) == "Emzirme"


def test_saving_a_translation_raises_the_shared_version():
    cache.clear()
    stillen = thema("stillen-ernahrung")
    u = zeile(stillen).get()
    vorher = cache.get(uebersetzung.NAMEN_VERSION_SCHLUESSEL)
    u.text = "Emzirme"
    u.save()
    nachher = cache.get(uebersetzung.NAMEN_VERSION_SCHLUESSEL)
    assert (vorher, nachher is not None) == (None, True)
    u.delete()
    assert cache.get(uebersetzung.NAMEN_VERSION_SCHLUESSEL) == nachher + 1
    assert name_auf_tuerkisch(stillen) == "Stillen & Ernährung"


def test_many_matching_offerings_do_not_crowd_out_a_topic_in_the_translated_search():
    from angebote.models import Angebot, Thema
    from atlas.uebersetzung import uebersetzt_treffer
    from tests.factories import AngebotFactory
    from tests.test_mehrsprachig import uebersetzen

    angebote = [AngebotFactory() for _ in range(3)]
    for angebot in angebote:
        uebersetzen(angebot, "beschreibung", "tr", "Emzirme danışmanlığı.")
    stillen = thema("stillen-ernahrung")
    with translation.override("tr"):
        gefunden = uebersetzt_treffer([Angebot, Thema], "emzirme", grenze=2)
    assert gefunden[Thema] == [stillen.pk]
    assert len(gefunden[Angebot]) == 2 and set(gefunden[Angebot]) < {a.pk for a in angebote}
