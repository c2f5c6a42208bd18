"""Translations with their provenance: per field on the pages, and through export and import
(a file restores them with who made them, how, and whether they were checked)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from atlas.uebersetzung import Herkunft
from netzwerke.ressourcen import NetzwerkRessource
from tests.bereich import FREMD, zwei_netze
from tests.exportdateien import csv_tabelle
from tests.factories import AngebotFactory, NetzwerkFactory
from tests.test_import import csv_datei, fehlertext, hochladen, importieren_ok
from tests.test_mehrsprachig import hinweis, im, uebersetzen

pytestmark = pytest.mark.django_db


def herkunft_absaetze(inhalt):
    """The per-field provenance notes of a page, in page order."""
    import re

    return re.findall(r'<p class="herkunft">(.*?)</p>', inhalt)


def angaben(objekt):
    return {
        (u.feld, u.sprache): (u.text, u.herkunft, u.uebersetzt_von, u.geprueft)
        for u in objekt.uebersetzungen.all()
    }


# --- Provenance per field on the page ------------------------------------------------------------


def test_fields_translated_in_different_ways_each_say_how(client):
    AngebotFactory(
        titel="Stillcafé",
        slug="stillcafe",
        beschreibung="Mütter treffen sich.",
        regelmaessige_zeiten="Dienstags 10–12 Uhr",
        anmeldung_hinweis="Bitte anrufen.",
    )
    from angebote.models import Angebot

    angebot = Angebot.objects.get(slug="stillcafe")
    uebersetzen(
        angebot, "titel", "tr", "Emzirme kafesi", herkunft=Herkunft.ANBIETER, uebersetzt_von="FZ"
    )
    uebersetzen(angebot, "beschreibung", "tr", "Anneler buluşur.", herkunft=Herkunft.MASCHINELL)
    uebersetzen(
        angebot,
        "regelmaessige_zeiten",
        "tr",
        "Salı 10–12",
        herkunft=Herkunft.MASCHINELL,
        geprueft=True,
        uebersetzt_von="Ayşe",
    )
    inhalt = client.get("/tr/angebote/stillcafe/").content.decode()
    assert hinweis(inhalt) == " ".join(
        [
            im(
                "tr", "Diese Angaben wurden auf verschiedene Weise übersetzt: bei jeder steht, wie."
            ),
            im("tr", "Manche Angaben gibt es nur auf Deutsch."),
            im("tr", "Deutsches Original"),
        ]
    )
    # Beside each translated text its own provenance, in the page's order; the German-only
    # "So melden Sie sich an" has none (it carries lang="de").
    assert herkunft_absaetze(inhalt) == [
        im("tr", "Übersetzt von %(von)s (Anbieter).") % {"von": "FZ"},
        im("tr", "Automatisch übersetzt – ungeprüft."),
        im("tr", "Automatisch übersetzt, geprüft von %(von)s.") % {"von": "Ayşe"},
    ]
    assert (
        '<h1 dir="auto">Emzirme kafesi</h1>\n  <p class="herkunft">'
        + im("tr", "Übersetzt von %(von)s (Anbieter).") % {"von": "FZ"}
        + "</p>"
    ) in inhalt
    assert '<span dir="auto" lang="de">Bitte anrufen.</span>' in inhalt


def test_fields_translated_alike_share_one_note(client):
    angebot = AngebotFactory(titel="Stillcafé", slug="stillcafe", beschreibung="Mütter.")
    for feld, text in [("titel", "Emzirme kafesi"), ("beschreibung", "Anneler.")]:
        uebersetzen(angebot, feld, "tr", text, herkunft=Herkunft.MASCHINELL)
    inhalt = client.get("/tr/angebote/stillcafe/").content.decode()
    assert herkunft_absaetze(inhalt) == []
    assert hinweis(inhalt) == " ".join(
        [im("tr", "Automatisch übersetzt – ungeprüft."), im("tr", "Deutsches Original")]
    )


def test_steckbrief_sections_translated_in_different_ways_each_say_how(client):
    netzwerk = NetzwerkFactory(
        slug="ebn", ziele="Familien stärken.", fokus="Sprache.", stand_heute="Zwölf Partner."
    )
    uebersetzen(netzwerk, "ziele", "uk", "Підтримувати родини.", uebersetzt_von="Olena")
    uebersetzen(netzwerk, "fokus", "uk", "Мова.", herkunft=Herkunft.MASCHINELL)
    inhalt = client.get("/uk/netzwerke/ebn/").content.decode()
    assert herkunft_absaetze(inhalt) == [
        im("uk", "Übersetzt von %(von)s.") % {"von": "Olena"},
        im("uk", "Automatisch übersetzt – ungeprüft."),
    ]
    assert hinweis(inhalt) == " ".join(
        [
            im(
                "uk", "Diese Angaben wurden auf verschiedene Weise übersetzt: bei jeder steht, wie."
            ),
            im("uk", "Manche Angaben gibt es nur auf Deutsch."),
            im("uk", "Deutsches Original"),
        ]
    )
    # German pages say nothing about translations.
    deutsch = client.get("/netzwerke/ebn/").content.decode()
    assert (herkunft_absaetze(deutsch), hinweis(deutsch)) == ([], None)


# --- Steckbrief translations through export and import ----------------------------------------


@pytest.fixture
def netze(settings):
    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()
    eigen, fremd = zwei_netze()
    Netzwerk = type(eigen.netzwerk)
    Netzwerk.objects.filter(pk=eigen.netzwerk.pk).update(
        ziele="Familien stärken.", fokus="Sprache und Ankommen."
    )
    eigen.netzwerk.refresh_from_db()
    n = eigen.netzwerk
    uebersetzen(n, "ziele", "tr", "Aileleri güçlendirmek.", uebersetzt_von="Ayşe Yılmaz")
    uebersetzen(n, "fokus", "tr", "Dil ve varış.", uebersetzt_von="Ayşe Yılmaz")
    uebersetzen(
        n,
        "ziele",
        "ar",
        "تقوية العائلات.",
        herkunft=Herkunft.MASCHINELL,
        geprueft=True,
        uebersetzt_von="Samira",
    )
    uebersetzen(n, "ziele", "uk", "Підтримувати родини.", herkunft=Herkunft.ANBIETER)
    uebersetzen(fremd.netzwerk, "ziele", "tr", f"{FREMD} hedefleri.")
    return eigen, fremd


def test_steckbrief_translations_are_restored_from_the_export_with_their_provenance(client, netze):
    eigen, fremd = netze
    vorher = angaben(eigen.netzwerk)
    client.force_login(eigen.koordination)
    kopf, zeilen = csv_tabelle(client.get("/netzwerke/export.csv", {"intern": "1"}))
    # The file has every column the import reads, and only the coordinator's network.
    assert set(NetzwerkRessource.spalten()) <= set(kopf)
    assert [k for k in kopf if k.endswith("[ar]")] == [
        "Ziele [ar]",
        "Fokus [ar]",
        "Merkmale [ar]",
        "Rahmenbedingungen [ar]",
        "Wichtigste Partner [ar]",
        "Stand heute [ar]",
        "Ziel in drei Jahren [ar]",
        "Übersetzt von [ar]",
        "Übersetzt durch [ar]",
        "Geprüft [ar]",
    ]
    (zeile,) = zeilen
    assert [
        zeile[k] for k in ("Kurzname", "Ziele", "Fokus", "Ziele [tr]", "Übersetzt von [tr]")
    ] == [
        "netzwerk-amsel",
        "Familien stärken.",
        "Sprache und Ankommen.",
        "Aileleri güçlendirmek.",
        "Ayşe Yılmaz",
    ]
    assert [zeile[f"{k} [ar]"] for k in ("Übersetzt durch", "Geprüft")] == ["maschinell", "ja"]
    assert [zeile[f"{k} [uk]"] for k in ("Übersetzt von", "Übersetzt durch", "Geprüft")] == [
        "",
        "Anbieter",
        "nein",
    ]
    # The translations are lost; the exported file, as the import reads it, brings them back.
    eigen.netzwerk.uebersetzungen.all().delete()
    spalten = NetzwerkRessource.spalten()
    datei = csv_datei([spalten, [zeile[s] for s in spalten]])
    vorschau = importieren_ok(client, "netzwerke_netzwerk", datei)
    assert vorschau.context["result"].totals["update"] == 1
    assert angaben(eigen.netzwerk) == vorher
    assert not any(
        u.veraltet_gegen(getattr(eigen.netzwerk, u.feld))
        for u in eigen.netzwerk.uebersetzungen.all()
    )
    # The same file again changes nothing; the other network's translation was never touched.
    vorschau = importieren_ok(client, "netzwerke_netzwerk", datei)
    assert vorschau.context["result"].totals["skip"] == 1
    assert angaben(fremd.netzwerk) == {
        ("ziele", "tr"): (f"{FREMD} hedefleri.", Herkunft.UEBERSETZUNG, "", False)
    }


def test_an_agency_file_adds_translations_and_keeps_the_provenance_of_unchanged_ones(client, netze):
    eigen, _fremd = netze
    client.force_login(eigen.koordination)
    spalten = ["Kurzname", "Name", "Ziele [tr]", "Fokus [fa]", "Übersetzt von [fa]"]
    spalten += ["Übersetzt durch [fa]", "Geprüft [fa]", "Ziele [uk]"]
    werte = ["netzwerk-amsel", "Anderer Name", "Aileleri güçlendirmek.", "زبان", "Darya"]
    werte += ["Übersetzer:in", "ja", "Підтримувати родини."]
    importieren_ok(client, "netzwerke_netzwerk", csv_datei([spalten, werte]))
    eigen.netzwerk.refresh_from_db()
    assert eigen.netzwerk.name == "Netzwerk Amsel"  # the name is read, never written
    neu = angaben(eigen.netzwerk)
    assert neu[("fokus", "fa")] == ("زبان", Herkunft.UEBERSETZUNG, "Darya", True)
    # Unchanged texts keep who made them (the file names no one for Ukrainian).
    assert neu[("ziele", "uk")] == ("Підтримувати родини.", Herkunft.ANBIETER, "", False)
    assert neu[("ziele", "tr")] == (
        "Aileleri güçlendirmek.",
        Herkunft.UEBERSETZUNG,
        "Ayşe Yılmaz",
        False,
    )
    assert eigen.netzwerk.uebersetzungen.count() == 5


@pytest.mark.parametrize(
    ("spalten", "werte", "meldung"),
    [
        (
            ["Kurzname", "Ziele [tr]"],
            ["netzwerk-zebra", "Başka."],
            "Dieser Eintrag gehört nicht zu Ihren Netzwerken. Er wird nicht überschrieben; für "
            "einen neuen Eintrag geben Sie einen anderen Kurznamen an.",
        ),
        (
            ["Kurzname", "Ziele [tr]"],
            ["neues-netz", "Yeni."],
            "Es gibt kein Netzwerk mit dem Kurznamen „neues-netz“. Der Import ändert nur "
            "Steckbriefe; ein neues Netzwerk legt die Redaktion in der Verwaltung an.",
        ),
        (
            ["Kurzname", "Ziele [tr]", "Übersetzt durch [tr]"],
            ["netzwerk-amsel", "Yeni.", "Google"],
            "„Google“ ist kein erlaubter Wert (erlaubt: Anbieter, Übersetzer:in, maschinell).",
        ),
        (
            ["Kurzname", "Ziele"],
            ["netzwerk-amsel", ""],
            "Im Steckbrief fehlen die Ziele („Das sind unsere Ziele“).",
        ),
    ],
    ids=["fremdes-netz", "unbekannt", "herkunft-falsch", "ziele-leer"],
)
def test_a_wrong_row_is_refused_with_a_german_message_and_nothing_is_written(
    client, netze, spalten, werte, meldung
):
    eigen, fremd = netze
    vorher = (angaben(eigen.netzwerk), angaben(fremd.netzwerk))
    client.force_login(eigen.koordination)
    antwort = hochladen(client, "netzwerke_netzwerk", csv_datei([spalten, werte]))
    assert antwort.status_code == 200
    assert "confirm_form" not in antwort.context
    assert meldung in fehlertext(antwort)
    assert (angaben(eigen.netzwerk), angaben(fremd.netzwerk)) == vorher
    eigen.netzwerk.refresh_from_db()
    assert eigen.netzwerk.ziele == "Familien stärken."


def test_who_may_import_steckbriefe(client, netze):
    from tests.bereich import mit_rolle

    eigen, _fremd = netze
    url = reverse("admin:netzwerke_netzwerk_import")
    client.force_login(eigen.koordination)
    assert client.get(url).status_code == 200
    liste = client.get(reverse("admin:netzwerke_netzwerk_changelist")).content.decode()
    assert f"href='{url}'" in liste
    client.force_login(mit_rolle("Jugendamt"))
    assert client.get(url).status_code == 403


# --- Offerings: the provenance columns restore it too -------------------------------------------


def test_offering_translations_are_restored_with_their_provenance(client, settings):
    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()
    eigen, _fremd = zwei_netze()
    a = eigen.angebot
    uebersetzen(a, "titel", "ar", "مقهى الأهل", herkunft=Herkunft.MASCHINELL, geprueft=True)
    uebersetzen(a, "beschreibung", "ar", "لقاء مفتوح.", herkunft=Herkunft.MASCHINELL, geprueft=True)
    uebersetzen(a, "titel", "tr", "Veli kafesi", herkunft=Herkunft.ANBIETER, uebersetzt_von="FZ")
    vorher = angaben(a)
    client.force_login(eigen.koordination)
    _kopf, (zeile,) = csv_tabelle(client.get("/angebote/export.csv", {"intern": "1"}))
    a.uebersetzungen.all().delete()
    spalten = ["Kurzname", "Titel", "Anbieter", "Format"]
    spalten += [k for k in zeile if k.endswith(("[ar]", "[tr]"))]
    werte = [a.slug, a.titel, eigen.akteur.slug, "Offener Treff"] + [zeile[k] for k in spalten[4:]]
    importieren_ok(client, "angebote_angebot", csv_datei([spalten, werte]))
    assert angaben(a) == vorher
