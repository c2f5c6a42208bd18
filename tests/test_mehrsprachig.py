"""Translated content: provenance on the page, outdated translations, search across languages,
translations in the admin within the coordinator's scope, Leichte Sprache and explainers."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext

from atlas.uebersetzung import Herkunft, Uebersetzung, quell_hash
from tests.admin_formular import formulardaten
from tests.bereich import zwei_netze
from tests.factories import AkteurFactory, AngebotFactory, NetzwerkFactory, thema, zielgruppe

pytestmark = pytest.mark.django_db


def uebersetzen(objekt, feld, sprache, text, **angaben):
    return Uebersetzung.objects.create(
        inhaltstyp=ContentType.objects.get_for_model(objekt),
        objekt_id=objekt.pk,
        feld=feld,
        sprache=sprache,
        text=text,
        quelle_hash=quell_hash(getattr(objekt, feld)),
        **angaben,
    )


def im(sprache, text):
    """A UI text as the page in `sprache` renders it (the catalogues may or may not have it)."""
    with translation.override(sprache):
        return gettext(text)


def hinweis(inhalt):
    """The text of the translation note of a page, or None."""
    treffer = re.search(r'<div class="uebersetzung-hinweis">\s*<p>(.*?)</p>', inhalt, re.S)
    return (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", treffer.group(1))).strip() if treffer else None
    )


def zellen(seite):
    """The read-only cells of the first translation in the inline: {column: text}."""
    zellen = {}
    for name, inhalt in re.findall(
        r'<td class="field-(deutscher_text|stand)">(.*?)</td>', seite, re.S
    ):
        zellen.setdefault(name, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", inhalt)).strip())
    return zellen


def stillcafe():
    return AngebotFactory(
        titel="Stillcafé",
        slug="stillcafe",
        beschreibung="Mütter treffen sich mit ihren Babys.",
        themen=[thema("stillen-ernahrung")],
    )


def test_a_translation_is_shown_with_who_made_it_and_a_link_to_the_german_original(client):
    angebot = stillcafe()
    for feld, text in [
        ("titel", "Emzirme kafesi"),
        ("beschreibung", "Anneler bebekleriyle buluşur."),
    ]:
        uebersetzen(
            angebot, feld, "tr", text, herkunft=Herkunft.UEBERSETZUNG, uebersetzt_von="Ayşe Yılmaz"
        )
    inhalt = client.get("/tr/angebote/stillcafe/").content.decode()
    assert '<h1 dir="auto">Emzirme kafesi</h1>' in inhalt
    assert "Anneler bebekleriyle buluşur." in inhalt
    assert hinweis(inhalt) == (
        im("tr", "Übersetzt von %(von)s.") % {"von": "Ayşe Yılmaz"}
        + " "
        + im("tr", "Deutsches Original")
    )
    assert '<a href="/angebote/stillcafe/" hreflang="de" lang="de" dir="ltr">' in inhalt
    # German pages say nothing about translations.
    assert hinweis(client.get("/angebote/stillcafe/").content.decode()) is None


def test_a_machine_translation_says_it_is_unchecked_and_untranslated_fields_stay_german(client):
    angebot = stillcafe()
    angebot.anmeldung_hinweis = "Bitte anrufen."
    angebot.save()
    uebersetzen(angebot, "titel", "ar", "مقهى الرضاعة", herkunft=Herkunft.MASCHINELL)
    inhalt = client.get("/ar/angebote/stillcafe/").content.decode()
    assert '<h1 dir="auto">مقهى الرضاعة</h1>' in inhalt
    assert hinweis(inhalt) == " ".join(
        [
            im("ar", "Automatisch übersetzt – ungeprüft."),
            im("ar", "Manche Angaben gibt es nur auf Deutsch."),
            im("ar", "Deutsches Original"),
        ]
    )
    # The German text on the Arabic page says it is German.
    assert (
        '<div class="text" dir="auto" lang="de"><p>Mütter treffen sich mit ihren Babys.</p></div>'
        in inhalt
    )
    assert '<span dir="auto" lang="de">Bitte anrufen.</span>' in inhalt


def test_without_any_translation_the_german_text_shows_with_a_note(client):
    stillcafe()
    inhalt = client.get("/uk/angebote/stillcafe/").content.decode()
    assert '<h1 dir="auto" lang="de">Stillcafé</h1>' in inhalt
    assert hinweis(inhalt) == (
        im("uk", "Diese Angaben gibt es noch nicht in Ihrer Sprache: hier steht der deutsche Text.")
        + " "
        + im("uk", "Deutsches Original")
    )


def test_a_translation_older_than_its_german_text_is_marked_outdated(client):
    angebot = stillcafe()
    uebersetzen(
        angebot,
        "titel",
        "tr",
        "Emzirme kafesi",
        herkunft=Herkunft.ANBIETER,
        uebersetzt_von="FZ Nord",
    )
    uebersetzen(
        angebot,
        "beschreibung",
        "tr",
        "Anneler buluşur.",
        herkunft=Herkunft.ANBIETER,
        uebersetzt_von="FZ Nord",
    )
    angebot.beschreibung = "Mütter und Väter treffen sich mit ihren Babys."
    angebot.save()
    inhalt = client.get("/tr/angebote/stillcafe/").content.decode()
    veraltet = im(
        "tr",
        "Diese Übersetzung ist vielleicht nicht mehr aktuell: "
        "der deutsche Text wurde danach geändert.",
    )
    assert inhalt.count(f'<p class="veraltet">{veraltet}</p>') == 1
    assert hinweis(inhalt) == " ".join(
        [
            im("tr", "Übersetzt von %(von)s (Anbieter).") % {"von": "FZ Nord"},
            im(
                "tr",
                "Der deutsche Text wurde nach der Übersetzung geändert: "
                "die markierten Abschnitte sind vielleicht nicht mehr aktuell.",
            ),
            im("tr", "Deutsches Original"),
        ]
    )


def test_actor_description_and_network_steckbrief_are_translated():
    akteur = AkteurFactory(slug="fz-nord", beschreibung="Ein Treffpunkt für Familien.")
    uebersetzen(akteur, "beschreibung", "uk", "Місце зустрічі для сімей.", uebersetzt_von="Olena")
    netzwerk = NetzwerkFactory(slug="ebn", ziele="Familien stärken.", fokus="Sprache.")
    uebersetzen(netzwerk, "ziele", "uk", "Підтримувати родини.", uebersetzt_von="Olena")
    from django.test import Client

    client = Client()
    inhalt = client.get("/uk/akteure/fz-nord/").content.decode()
    assert '<div class="text" dir="auto"><p>Місце зустрічі для сімей.</p></div>' in inhalt
    assert hinweis(inhalt) == im("uk", "Übersetzt von %(von)s.") % {"von": "Olena"} + " " + im(
        "uk", "Deutsches Original"
    )
    inhalt = client.get("/uk/netzwerke/ebn/").content.decode()
    assert "Підтримувати родини." in inhalt
    assert '<div class="text" dir="auto" lang="de">' in inhalt  # "fokus" has no translation
    assert hinweis(inhalt) == " ".join(
        [
            im("uk", "Übersetzt von %(von)s.") % {"von": "Olena"},
            im("uk", "Manche Angaben gibt es nur auf Deutsch."),
            im("uk", "Deutsches Original"),
        ]
    )


@pytest.mark.parametrize(
    "suche", ["breastfeeding", "emzirme", "грудне вигодовування", "الرضاعة", "Stillberatung"]
)
def test_searching_in_another_language_finds_the_stillberatung_offerings(client, suche):
    stillcafe()
    AngebotFactory(titel="Babymassage", slug="babymassage", themen=[thema("babymassage")])
    antwort = client.get("/angebote/", {"q": suche})
    assert [a.slug for a in antwort.context["object_list"]] == ["stillcafe"]


def test_translated_content_is_searchable_in_its_language(client):
    angebot = AngebotFactory(titel="Elterncafé", slug="elterncafe")
    AngebotFactory(titel="Spielgruppe", slug="spielgruppe")
    uebersetzen(angebot, "beschreibung", "tr", "Ebeveynler için sohbet kahvaltısı")
    for suche in ["kahvaltı", "Ebeveynler sohbet"]:
        antwort = client.get("/tr/angebote/", {"q": suche})
        assert [a.slug for a in antwort.context["object_list"]] == ["elterncafe"]
    akteur = AkteurFactory(slug="fz-sued", beschreibung="Familienzentrum")
    uebersetzen(akteur, "beschreibung", "ru", "Семейный центр с кафе")
    antwort = client.get("/ru/akteure/", {"q": "семейный"})
    assert [a.slug for a in antwort.context["object_list"]] == ["fz-sued"]


def test_the_what_box_suggests_topics_and_target_groups_in_the_visitors_language(client):
    inhalt = client.get("/tr/angebote/").content.decode()
    vorschlaege = re.search(r'<datalist id="was-vorschlaege">(.*?)</datalist>', inhalt).group(1)
    assert '<option value="Emzirme ve beslenme">' in vorschlaege
    assert '<option value="Yeni gelen aileler">' in vorschlaege
    assert 'list="was-vorschlaege"' in inhalt
    deutsch = client.get("/angebote/").content.decode()
    assert '<option value="Stillen &amp; Ernährung">' in deutsch


def test_topics_and_target_groups_are_named_in_the_visitors_language(client):
    AngebotFactory(
        slug="stillcafe", themen=[thema("stillen-ernahrung")], zielgruppen=[zielgruppe("mutter")]
    )
    inhalt = client.get("/uk/angebote/stillcafe/").content.decode()
    assert "<dd>Грудне вигодовування та харчування</dd>" in inhalt
    assert "<dd>Матері</dd>" in inhalt


def test_coordinators_edit_translations_beside_the_german_text_within_their_scope(client):
    eigen, fremd = zwei_netze()
    client.force_login(eigen.koordination)
    url = f"/admin/angebote/angebot/{eigen.angebot.pk}/change/"
    antwort = client.get(url)
    assert antwort.status_code == 200
    daten = formulardaten(antwort)
    praefix = "atlas-uebersetzung-inhaltstyp-objekt_id"
    daten.update(
        {
            f"{praefix}-TOTAL_FORMS": "1",
            f"{praefix}-0-feld": "titel",
            f"{praefix}-0-sprache": "tr",
            f"{praefix}-0-text": "Veli kafesi",
            f"{praefix}-0-herkunft": "uebersetzung",
            f"{praefix}-0-uebersetzt_von": "Ayşe Yılmaz",
        }
    )
    assert client.post(url, daten).status_code == 302
    u = Uebersetzung.objects.get(feld="titel")
    assert (u.objekt, u.feld, u.sprache, u.text, u.uebersetzt_von, u.geprueft) == (
        eigen.angebot,
        "titel",
        "tr",
        "Veli kafesi",
        "Ayşe Yılmaz",
        False,
    )
    assert u.quelle_hash == quell_hash(eigen.angebot.titel)
    # Beside the German text, and "aktuell" until the German text changes.
    seite = zellen(client.get(url).content.decode())
    assert seite == {"deutscher_text": "Elterncafé Amsel", "stand": "aktuell"}
    eigen.angebot.titel = "Elterncafé Amsel am Markt"
    eigen.angebot.save()
    assert zellen(client.get(url).content.decode()) == {
        "deutscher_text": "Elterncafé Amsel am Markt",
        "stand": "veraltet: der deutsche Text wurde danach geändert",
    }
    # Another network's offering: no form, no translations.
    assert client.get(f"/admin/angebote/angebot/{fremd.angebot.pk}/change/").status_code == 404
    assert (
        client.post(f"/admin/angebote/angebot/{fremd.angebot.pk}/change/", daten).status_code == 404
    )
    assert Uebersetzung.objects.filter(feld="titel").count() == 1


def test_two_translations_of_one_field_in_one_language_are_refused_with_a_message(client):
    eigen, _fremd = zwei_netze()
    client.force_login(eigen.koordination)
    url = f"/admin/angebote/angebot/{eigen.angebot.pk}/change/"
    daten = formulardaten(client.get(url))
    praefix = "atlas-uebersetzung-inhaltstyp-objekt_id"
    daten[f"{praefix}-TOTAL_FORMS"] = "2"
    for i in range(2):
        daten.update(
            {
                f"{praefix}-{i}-feld": "titel",
                f"{praefix}-{i}-sprache": "tr",
                f"{praefix}-{i}-text": f"Kafe {i}",
                f"{praefix}-{i}-herkunft": "uebersetzung",
            }
        )
    antwort = client.post(url, daten)
    assert antwort.status_code == 200
    assert "Jedes Feld kann je Sprache nur eine Übersetzung haben." in antwort.content.decode()
    assert not Uebersetzung.objects.filter(feld="titel").exists()


def test_deleting_a_record_deletes_its_translations():
    angebot = stillcafe()
    uebersetzen(angebot, "titel", "tr", "Emzirme kafesi")
    angebot.delete()
    assert not Uebersetzung.objects.filter(feld="titel").exists()


def test_leichte_sprache_behind_a_switch_and_the_page_linked_from_every_page(client):
    AngebotFactory(slug="stillcafe", leichte_sprache="Hier treffen sich Mütter.\nMit ihren Babys.")
    inhalt = client.get("/ar/angebote/stillcafe/").content.decode()
    assert (
        '<details class="leichte-sprache" lang="de" dir="ltr"><summary class="aufklapper">'
        "Leichte Sprache</summary>\n        "
        '<div class="text"><p>Hier treffen sich Mütter.<br>Mit ihren Babys.</p></div>'
    ) in inhalt
    for pfad in ["/", "/ar/angebote/", "/akteure/", "/tr/netzwerke/"]:
        assert '<a href="/leichte-sprache/" lang="de" dir="ltr">Leichte Sprache</a>' in client.get(
            pfad
        ).content.decode().replace(
            'href="/ar/leichte-sprache/"', 'href="/leichte-sprache/"'
        ).replace('href="/tr/leichte-sprache/"', 'href="/leichte-sprache/"')
    seite = client.get("/leichte-sprache/").content.decode()
    assert '<div class="seite leichte-sprache-seite" lang="de" dir="ltr">' in seite
    assert "<p>Beratung heißt: Sie haben eine Frage.</p>" in seite


def test_explainers_are_linked_from_actors_and_offerings_of_their_kind(client):
    akteur = AkteurFactory(slug="jugendamt-es")
    akteur.einrichtungsart = akteur.einrichtungsart.__class__.objects.get(slug="jugendamt")
    akteur.save()
    AngebotFactory(slug="beratung", anbieter=akteur)
    AngebotFactory(
        slug="lotsen",
        themen=[thema("fruhe-hilfen")],
        anbieter=AkteurFactory(
            einrichtungsart=akteur.einrichtungsart.__class__.objects.get(slug="verein")
        ),
    )
    link = (
        '<p class="erklaerung-link nicht-drucken">'
        '<a href="/akteure/erklaert/#jugendamt">Was ist ein Jugendamt?</a></p>'
    )
    assert link in client.get("/akteure/jugendamt-es/").content.decode()
    assert link in client.get("/angebote/beratung/").content.decode()
    assert (
        '<a href="/akteure/erklaert/#fruehe-hilfen">Was sind Frühe Hilfen?</a>'
        in client.get("/angebote/lotsen/").content.decode()
    )
    seite = client.get("/akteure/erklaert/").content.decode()
    assert '<h2 id="frage-jugendamt">Was ist ein Jugendamt?</h2>' in seite
    assert seite.count('<section class="erklaerung"') == 10


def test_translations_travel_through_export_and_import(client, settings):
    from django.core.cache import cache

    from tests.exportdateien import csv_tabelle
    from tests.test_import import csv_datei, importieren_ok

    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()
    eigen, _fremd = zwei_netze()
    uebersetzen(eigen.angebot, "titel", "tr", "Veli kafesi", uebersetzt_von="Ayşe Yılmaz")
    client.force_login(eigen.koordination)
    kopf, zeilen = csv_tabelle(client.get("/angebote/export.csv", {"intern": "1"}))
    (zeile,) = zeilen
    assert [k for k in kopf if k.endswith("[tr]")] == [
        "Titel [tr]",
        "Beschreibung [tr]",
        "Regelmäßige Zeiten [tr]",
        "Hinweis zu den Kosten [tr]",
        "So melden Sie sich an [tr]",
        "Übersetzt von [tr]",
        "Übersetzt durch [tr]",
        "Geprüft [tr]",
    ]
    assert [zeile[k] for k in ("Titel [tr]", "Übersetzt von [tr]", "Übersetzt durch [tr]")] == [
        "Veli kafesi",
        "Ayşe Yılmaz",
        "Übersetzer:in",
    ]
    assert [zeile[k] for k in ("Geprüft [tr]", "Titel [ar]", "Übersetzt durch [ar]")] == [
        "nein",
        "",
        "",
    ]
    # The agency fills in Arabic offline; the file goes back through the import.
    spalten = ["Kurzname", "Titel", "Anbieter", "Format", "Titel [tr]", "Titel [ar]"]
    spalten += ["Beschreibung [ar]", "Übersetzt von [ar]"]
    werte = [eigen.angebot.slug, zeile["Titel"], eigen.akteur.slug, "Offener Treff"]
    werte += [zeile["Titel [tr]"], "مقهى الأهل", "لقاء مفتوح للأهل.", "Büro Sprachbrücke"]
    importieren_ok(client, "angebote_angebot", csv_datei([spalten, werte]))
    neu = {
        (u.feld, u.sprache): (
            u.text,
            u.herkunft,
            u.uebersetzt_von,
            u.veraltet_gegen(getattr(eigen.angebot, u.feld)),
        )
        for u in eigen.angebot.uebersetzungen.all()
    }
    assert neu == {
        ("titel", "tr"): ("Veli kafesi", "uebersetzung", "Ayşe Yılmaz", False),
        ("titel", "ar"): ("مقهى الأهل", "uebersetzung", "Büro Sprachbrücke", False),
        ("beschreibung", "ar"): ("لقاء مفتوح للأهل.", "uebersetzung", "Büro Sprachbrücke", False),
    }
    # The same file again changes nothing.
    vorschau = importieren_ok(client, "angebote_angebot", csv_datei([spalten, werte]))
    assert vorschau.context["result"].totals["skip"] == 1


def test_actor_translations_travel_through_export_and_import(client, settings):
    from django.core.cache import cache

    from tests.exportdateien import csv_tabelle
    from tests.test_import import csv_datei, importieren_ok

    settings.DROSSELUNG_ANFRAGEN = 10_000
    cache.clear()
    eigen, _fremd = zwei_netze()
    uebersetzen(eigen.akteur, "beschreibung", "uk", "Місце зустрічі.", uebersetzt_von="Olena")
    client.force_login(eigen.koordination)
    kopf, zeilen = csv_tabelle(client.get("/akteure/export.csv", {"intern": "1"}))
    (zeile,) = zeilen
    assert (zeile["Beschreibung [uk]"], zeile["Übersetzt von [uk]"]) == ("Місце зустрічі.", "Olena")
    spalten = ["Kurzname", "Name", "Einrichtungsart", "Beschreibung [fa]", "Übersetzt von [fa]"]
    werte = [eigen.akteur.slug, eigen.akteur.name, "Familienzentrum", "محل دیدار", "Darya"]
    importieren_ok(client, "akteure_akteur", csv_datei([spalten, werte]))
    assert {(u.sprache, u.text, u.uebersetzt_von) for u in eigen.akteur.uebersetzungen.all()} == {
        ("uk", "Місце зустрічі.", "Olena"),
        ("fa", "محل دیدار", "Darya"),
    }


def test_kinds_of_institution_are_named_in_the_visitors_language(client):
    AkteurFactory(slug="fz-nord")
    seite = client.get("/uk/akteure/fz-nord/").content.decode()
    assert '<p class="detail__anbieter">Сімейний центр' in seite
    liste = client.get("/ar/akteure/").content.decode()
    assert '<li class="merkmal">مركز الأسرة</li>' in liste
    assert (
        '<p class="detail__anbieter">Familienzentrum'
        in client.get("/akteure/fz-nord/").content.decode()
    )
