"""The offerings list as a brochure PDF (A4 and A5 booklet) and the Aushang of one offering.

The PDFs are read back as a person or a screen reader would: text by pypdf, the layout by
poppler's pdftotext, QR codes from pages rendered by pdftoppm and decoded by zbarimg.
"""

import datetime
import io
import re
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import override_settings
from pypdf import PdfReader

from akteure.models import Kontaktperson
from angebote.models import Angebot
from atlas.broschuere import LokalerPdfSpeicher, heftfolge, lokaler_speicher
from atlas.models import Status
from atlas.uebersetzung import Uebersetzung, quell_hash
from tests import factories

A4 = (595.3, 841.9)
A4_QUER = (841.9, 595.3)


@pytest.fixture(autouse=True)
def leerer_cache():
    """Each test starts without cached PDFs and rate-limit counters."""
    cache.clear()
    lokaler_speicher.clear()
    yield
    cache.clear()
    lokaler_speicher.clear()


def pdf(antwort):
    assert antwort.status_code == 200, antwort.content[:500]
    assert antwort["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(antwort.content))


def groesse(seite):
    return (round(float(seite.mediabox.width), 1), round(float(seite.mediabox.height), 1))


def text(leser):
    return "\n".join(seite.extract_text() for seite in leser.pages)


def qr_codes(inhalt, tmp_path, *, seiten=None):
    """The QR codes of the rendered pages (300 dpi), as zbarimg reads them, sorted."""
    datei = tmp_path / "dokument.pdf"
    datei.write_bytes(inhalt)
    befehl = ["pdftoppm", "-r", "300", "-gray", "-png"]
    if seiten:
        befehl += ["-f", str(seiten[0]), "-l", str(seiten[1])]
    subprocess.run([*befehl, str(datei), str(tmp_path / "seite")], check=True)
    gelesen = []
    for bild in sorted(tmp_path.glob("seite*.png")):
        ergebnis = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(bild)],
            capture_output=True,
            text=True,
        )
        gelesen += ergebnis.stdout.split()
    return sorted(gelesen)


def woerter(inhalt, tmp_path, seite=1):
    """(word, xMin, xMax) of one page, from pdftotext's bounding boxes."""
    datei = tmp_path / "woerter.pdf"
    datei.write_bytes(inhalt)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(seite), "-l", str(seite), str(datei), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (wort, float(x0), float(x1))
        for x0, x1, wort in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            html,
        )
    ]


def halbseite(inhalt, tmp_path, seite, haelfte):
    """The text on the left or right half of a landscape sheet."""
    datei = tmp_path / "heft.pdf"
    datei.write_bytes(inhalt)
    x = "0" if haelfte == "links" else "421"
    return subprocess.run(
        ["pdftotext", "-f", str(seite), "-l", str(seite), "-r", "72"]
        + ["-x", x, "-y", "0", "-W", "420", "-H", "595", str(datei), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def familienzentrum(db):
    return factories.AkteurFactory(name="Familienzentrum Pliensauvorstadt", telefon="0711 123")


def test_a4_brochure_of_the_list_has_cover_contents_offerings_and_index(client, familienzentrum):
    babymassage = factories.AngebotFactory(
        titel="Babymassage für Eltern",
        anbieter=familienzentrum,
        regelmaessige_zeiten="Dienstags 10–11 Uhr",
        kosten_hinweis="5 € je Termin",
        kosten="kostenbeitrag",
        sprachen=[factories.sprache("de"), factories.sprache("tr")],
    )
    factories.AngebotFactory(titel="Sprachcafé für Mütter", anbieter=familienzentrum)

    leser = pdf(client.get("/angebote/broschuere-a4.pdf"))

    # Cover, contents, one group (no topics), index of providers.
    assert len(leser.pages) == 4
    assert [groesse(s) for s in leser.pages] == [A4] * 4
    inhalt = text(leser)
    assert "Babymassage für Eltern" in inhalt
    assert "Sprachcafé für Mütter" in inhalt
    assert "Angebote für Familien" in leser.pages[0].extract_text()
    assert "2 Angebote" in leser.pages[0].extract_text()
    assert "Inhalt" in leser.pages[1].extract_text()
    assert "Weitere Angebote (2)" in leser.pages[1].extract_text()
    seite3 = leser.pages[2].extract_text()
    assert "Anbieter: Familienzentrum Pliensauvorstadt" in seite3
    assert "Wann: Dienstags 10–11 Uhr" in seite3
    assert "Kosten: mit Kostenbeitrag – 5 € je Termin · ohne Anmeldung" in seite3
    assert "Sprachen: Deutsch, Türkçe" in seite3
    assert "Wo: Marktplatz 1, 73728 Esslingen am Neckar" in seite3
    assert "Anbieter von A bis Z" in leser.pages[3].extract_text()
    assert "Familienzentrum Pliensauvorstadt, Marktplatz 1, 73728 Esslingen am Neckar" in (
        leser.pages[3].extract_text()
    )
    # The site's address and the data's date on every page.
    heute = datetime.date.today()
    stand = f"Stand der Daten: {heute.day}. {MONATE[heute.month - 1]} {heute.year}"
    for nummer, seite in enumerate(leser.pages, start=1):
        seitentext = seite.extract_text()
        assert "http://testserver" in seitentext
        assert stand in seitentext
        assert f"{nummer} / 4" in seitentext
    assert babymassage.pk


MONATE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def test_tagged_pdf_with_language_and_title(client, angebot):
    leser = pdf(client.get("/angebote/broschuere-a4.pdf"))
    wurzel = leser.trailer["/Root"]
    assert wurzel["/Lang"] == "de"
    assert bool(wurzel["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in wurzel
    assert leser.metadata.title == "Netzwerkatlas – Angebote für Familien"

    englisch = pdf(client.get("/en/angebote/broschuere-a4.pdf"))
    assert englisch.trailer["/Root"]["/Lang"] == "en"


def test_qr_codes_lead_to_each_offering_and_the_list(client, familienzentrum, tmp_path):
    netzwerk = factories.NetzwerkFactory(name="Frühe Hilfen Esslingen", slug="fh-es")
    im_netzwerk = {"anbieter": familienzentrum, "netzwerk": netzwerk}
    eins = factories.AngebotFactory(titel="Elterncafé", **im_netzwerk)
    zwei = factories.AngebotFactory(titel="Stillgruppe", **im_netzwerk)
    factories.AngebotFactory(titel="Anderes Netzwerk", anbieter=familienzentrum)

    antwort = client.get("/angebote/broschuere-a4.pdf?netzwerk=fh-es")

    inhalt = " ".join(text(pdf(antwort)).split())
    assert "Angebote des Netzwerks Frühe Hilfen Esslingen" in inhalt
    assert "Anderes Netzwerk" not in inhalt
    assert qr_codes(antwort.content, tmp_path) == sorted(
        [
            "http://testserver/angebote/?netzwerk=fh-es",
            f"http://testserver/angebote/{eins.slug}/",
            f"http://testserver/angebote/{zwei.slug}/",
        ]
    )


def test_arabic_title_is_shaped_and_extracted_as_written(client, familienzentrum, tmp_path):
    # "بيت" (house) joins its three letters; "ب ي ت" shows them on their own.
    factories.AngebotFactory(titel="دورة تعليم العربية", anbieter=familienzentrum)
    factories.AngebotFactory(titel="بيت", anbieter=familienzentrum)
    factories.AngebotFactory(titel="ب ي ت", anbieter=familienzentrum)

    antwort = client.get("/angebote/broschuere-a4.pdf?sortierung=name")

    inhalt = text(pdf(antwort))
    # Each title after its entry number (the titles' order: ب ي ت, بيت, دورة).
    assert "Nr. 3 · دورة تعليم العربية" in inhalt.splitlines()
    assert "Nr. 2 · بيت" in inhalt.splitlines()
    breite = {}
    # pdftotext -bbox writes right-to-left words in the order of their glyphs on the page.
    for wort, x0, x1 in woerter(antwort.content, tmp_path, seite=3):
        breite.setdefault(wort[::-1], x1 - x0)
    einzeln = breite["ب"] + breite["ي"] + breite["ت"]
    # Joined (initial, medial, final forms) the word is much narrower than its letters alone.
    assert breite["بيت"] < 0.8 * einzeln
    fonts = subprocess.run(
        ["pdffonts", "-"], input=antwort.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Noto-Sans-Arabic" in fonts


def test_brochure_follows_the_right_to_left_language(client, familienzentrum, tmp_path):
    factories.AngebotFactory(titel="Elterncafé", anbieter=familienzentrum)
    sprachen = [("de", "Deutsch"), ("en", "Englisch"), ("ar", "Arabisch")]
    with override_settings(LANGUAGES=sprachen):
        rtl = client.get("/ar/angebote/broschuere-a4.pdf")
        ltr = client.get("/angebote/broschuere-a4.pdf")

    assert pdf(rtl).trailer["/Root"]["/Lang"] == "ar"
    # The cover's heading starts at the right margin in Arabic, at the left one in German.
    titel_rtl = [w for w in woerter(rtl.content, tmp_path) if w[0] == "Netzwerkatlas"][0]
    titel_ltr = [w for w in woerter(ltr.content, tmp_path) if w[0] == "Netzwerkatlas"][0]
    assert titel_ltr[1] == pytest.approx(45.35, abs=1)
    assert titel_rtl[2] == pytest.approx(595.28 - 45.35, abs=1)
    # A phone number keeps the order of its digit groups in a right-to-left page.
    seite3 = {w[0]: w[1] for w in woerter(rtl.content, tmp_path, seite=3)}
    assert seite3["0711"] < seite3["123"]


def test_heftfolge_orders_pages_for_folding():
    assert heftfolge(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    # Six pages: two blank ones at the end, the back cover among them.
    assert heftfolge(6) == [(None, 0), (1, None), (5, 2), (3, 4)]
    assert heftfolge(1) == [(None, 0), (None, None)]


def test_a5_booklet_has_sheets_in_folding_order(client, familienzentrum, tmp_path):
    for n in range(3):
        factories.AngebotFactory(titel=f"Kurs {n}", anbieter=familienzentrum)

    antwort = client.get("/angebote/broschuere-a5.pdf")

    leser = pdf(antwort)
    # A5 pages: cover, contents, offerings, index = 4 → one sheet, front and back.
    assert len(leser.pages) == 2
    assert [groesse(s) for s in leser.pages] == [A4_QUER] * 2
    assert leser.trailer["/Root"]["/Lang"] == "de"
    # Front: the index (page 4, back cover) left, the cover right; back: contents, offerings.
    assert "Anbieter von A bis Z" in halbseite(antwort.content, tmp_path, 1, "links")
    assert "Angebote für Familien" in halbseite(antwort.content, tmp_path, 1, "rechts")
    assert "Inhalt" in halbseite(antwort.content, tmp_path, 2, "links")
    assert "Kurs 0" in halbseite(antwort.content, tmp_path, 2, "rechts")
    assert "Kurs 2" in halbseite(antwort.content, tmp_path, 2, "rechts")


def test_contents_by_life_phase(client, familienzentrum):
    factories.AngebotFactory(
        titel="Geburtsvorbereitung",
        anbieter=familienzentrum,
        alter_von_monate=-9,
        alter_bis_monate=0,
    )
    factories.AngebotFactory(
        titel="Kita-Sprechstunde",
        anbieter=familienzentrum,
        alter_von_monate=36,
        alter_bis_monate=71,
    )
    factories.AngebotFactory(titel="Elterncafé", anbieter=familienzentrum)

    leser = pdf(client.get("/angebote/broschuere-a4.pdf?gliederung=lebensphase"))

    inhalt = leser.pages[1].extract_text()
    assert "Inhalt (nach Lebensphase)" in inhalt
    assert inhalt.index("Schwangerschaft & Geburt (1)") < inhalt.index("3–6 Jahre (Kita) (1)")
    assert inhalt.index("3–6 Jahre (Kita) (1)") < inhalt.index("Für alle Altersgruppen (1)")


def test_public_data_only(client, familienzentrum):
    factories.AngebotFactory(titel="Öffentliches Angebot", anbieter=familienzentrum)
    factories.AngebotFactory(
        titel="Entwurf eines Angebots", anbieter=familienzentrum, status=Status.ENTWURF
    )
    factories.AngebotFactory(
        titel="Abgelaufenes Angebot",
        anbieter=familienzentrum,
        gueltig_bis=datetime.date.today() - datetime.timedelta(days=1),
    )
    factories.AngebotFactory(
        titel="Angebot eines Entwurfs",
        anbieter=factories.AkteurFactory(status=Status.ENTWURF),
    )
    Kontaktperson.objects.create(
        akteur=familienzentrum,
        name="Paula Öffentlich",
        funktion="Leitung",
        oeffentlich=True,
        einwilligung_am=datetime.date(2026, 1, 5),
    )
    Kontaktperson.objects.create(akteur=familienzentrum, name="Karl Ohneeinwilligung")

    inhalt = text(pdf(client.get("/angebote/broschuere-a4.pdf")))

    assert "Öffentliches Angebot" in inhalt
    assert "Kontakt: Paula Öffentlich (Leitung), Telefon 0711 123" in inhalt
    for verborgen in (
        "Entwurf eines Angebots",
        "Abgelaufenes Angebot",
        "Angebot eines Entwurfs",
        "Karl Ohneeinwilligung",
    ):
        assert verborgen not in inhalt
    assert "1 Angebot" in inhalt


def test_more_than_500_offerings_ask_to_narrow_the_list(client, familienzentrum):
    Angebot.objects.bulk_create(
        Angebot(
            titel=f"Treff {n}",
            slug=f"treff-{n}",
            anbieter=familienzentrum,
            format="online",
            status=Status.VEROEFFENTLICHT,
        )
        for n in range(501)
    )

    antwort = client.get("/angebote/broschuere-a4.pdf?format=online")

    assert antwort.status_code == 400
    assert antwort["Content-Type"].startswith("text/html")
    seite = antwort.content.decode()
    assert "<h1>Zu viele Angebote</h1>" in seite
    assert (
        "Eine Broschüre kann höchstens 500 Angebote enthalten, diese Liste hat 501. Bitte "
        "grenzen Sie die Liste mit den Filtern ein (z. B. Ort, Alter, Thema) und laden Sie die "
        "Broschüre dann erneut."
    ) in seite
    assert '<a href="/angebote/?format=online">Zurück zur Liste</a>' in seite
    # The list itself says so beside its filters, instead of offering the links.
    liste = client.get("/angebote/?format=online").content.decode()
    assert (
        "Eine Broschüre kann höchstens 500 Angebote enthalten. Bitte grenzen Sie die Liste mit "
        "den Filtern ein."
    ) in liste
    assert "/angebote/broschuere-a4.pdf" not in liste


def test_bad_query_gets_the_lists_german_message(client, angebot):
    antwort = client.get("/angebote/broschuere-a4.pdf?alter=zwölf&thema=gibt-es-nicht")

    assert antwort.status_code == 400
    seite = antwort.content.decode()
    assert "<h1>Broschüre nicht möglich</h1>" in seite
    assert (
        "<li>Alter des Kindes: „zwölf“ verstehen wir nicht als Alter. Bitte Jahre (z. B. 4 oder "
        "1,5), Monate (z. B. 18m) oder „schwanger“ angeben, mehrere Kinder mit Komma und "
        "Leerzeichen getrennt (z. B. „1, 5“).</li>"
    ) in seite.replace("&quot;", '"')
    assert "Es wurde keine Datei erstellt." in seite

    gliederung = client.get("/angebote/broschuere-a5.pdf?gliederung=alphabet")
    assert gliederung.status_code == 400
    assert (
        "Diese Gliederung gibt es nicht: möglich sind „thema“ und „lebensphase“."
        in gliederung.content.decode()
    )


def test_cache_follows_every_change_of_the_data(client, familienzentrum):
    angebot = factories.AngebotFactory(titel="Elterncafé am Montag", anbieter=familienzentrum)
    erste = client.get("/angebote/broschuere-a4.pdf").content
    assert client.get("/angebote/broschuere-a4.pdf").content == erste  # from the cache

    angebot.titel = "Elterncafé am Dienstag"
    angebot.save()
    inhalt = text(pdf(client.get("/angebote/broschuere-a4.pdf")))
    assert "Elterncafé am Dienstag" in inhalt
    assert "Elterncafé am Montag" not in inhalt

    # A write that touches no timestamp of the offering: its provider renamed by an update.
    type(familienzentrum).objects.filter(pk=familienzentrum.pk).update(name="Haus der Familie")
    inhalt = text(pdf(client.get("/angebote/broschuere-a4.pdf")))
    assert "Anbieter: Haus der Familie" in inhalt

    Angebot.objects.filter(pk=angebot.pk).delete()
    assert "Elterncafé" not in text(pdf(client.get("/angebote/broschuere-a4.pdf")))


def test_aushang_is_one_page_with_a_large_qr_code(client, familienzentrum, tmp_path):
    angebot = factories.AngebotFactory(
        titel="Offener Treff für Väter",
        anbieter=familienzentrum,
        beschreibung="Jeden Samstag. " * 200,
        regelmaessige_zeiten="Samstags 10–12 Uhr",
    )

    antwort = client.get(f"/angebote/{angebot.slug}/aushang.pdf")

    leser = pdf(antwort)
    assert len(leser.pages) == 1
    inhalt = text(leser)
    assert "Offener Treff für Väter" in inhalt
    assert "Wann: Samstags 10–12 Uhr" in inhalt
    assert leser.trailer["/Root"]["/Lang"] == "de"
    assert qr_codes(antwort.content, tmp_path) == [f"http://testserver/angebote/{angebot.slug}/"]


def test_aushang_of_a_draft_is_not_found(client, familienzentrum):
    entwurf = factories.AngebotFactory(anbieter=familienzentrum, status=Status.ENTWURF)
    assert client.get(f"/angebote/{entwurf.slug}/aushang.pdf").status_code == 404


def test_links_on_list_network_actor_and_offering_pages(client, familienzentrum):
    netzwerk = factories.NetzwerkFactory(slug="fh-es")
    factories.PartnerschaftFactory(netzwerk=netzwerk, akteur=familienzentrum)
    angebot = factories.AngebotFactory(anbieter=familienzentrum, netzwerk=netzwerk)

    liste = client.get("/angebote/?kostenlos=on").content.decode()
    assert '<a href="/angebote/broschuere-a4.pdf?kostenlos=on">A4</a>' in liste
    assert '<a href="/angebote/broschuere-a5.pdf?kostenlos=on">A5-Heft zum Falten</a>' in liste

    netzwerkseite = client.get(netzwerk.get_absolute_url()).content.decode()
    assert '<a href="/angebote/broschuere-a4.pdf?netzwerk=fh-es">A4</a>' in netzwerkseite

    akteurseite = client.get(familienzentrum.get_absolute_url()).content.decode()
    assert (
        f'<a href="/angebote/broschuere-a5.pdf?anbieter={familienzentrum.slug}">'
        "A5-Heft zum Falten</a>"
    ) in akteurseite

    detail = client.get(angebot.get_absolute_url()).content.decode()
    assert f'<a href="/angebote/{angebot.slug}/aushang.pdf">' in detail

    for url in (
        "/angebote/broschuere-a4.pdf?kostenlos=on",
        "/angebote/broschuere-a4.pdf?netzwerk=fh-es",
        f"/angebote/broschuere-a5.pdf?anbieter={familienzentrum.slug}",
        f"/angebote/{angebot.slug}/aushang.pdf",
    ):
        assert angebot.titel in text(pdf(client.get(url))), url


def test_contents_by_topic_and_a_topics_list_by_life_phase(client, familienzentrum):
    elternkurs = factories.thema("elternkurs")
    deutschkurs = factories.thema("deutschkurs")
    factories.AngebotFactory(
        titel="Starke Eltern", anbieter=familienzentrum, themen=[elternkurs], alter_von_monate=36
    )
    factories.AngebotFactory(
        titel="Deutsch im Kinderwagen", anbieter=familienzentrum, themen=[deutschkurs]
    )

    nach_thema = pdf(client.get("/angebote/broschuere-a4.pdf")).pages[1].extract_text()
    assert "Inhalt (nach Thema)" in nach_thema
    for thema in (elternkurs, deutschkurs):
        assert f"{thema.oberthema.name} (1)" in nach_thema

    leser = pdf(client.get(f"/angebote/broschuere-a4.pdf?thema={elternkurs.slug}"))
    inhalt = leser.pages[1].extract_text()
    assert "Inhalt (nach Lebensphase)" in inhalt
    assert "3–6 Jahre (Kita) (1)" in inhalt
    assert "Deutsch im Kinderwagen" not in text(leser)


def test_brochure_in_arabic_shows_translated_texts_and_german_where_none(client, familienzentrum):
    uebersetzt = factories.AngebotFactory(
        titel="Stillcafé", anbieter=familienzentrum, regelmaessige_zeiten="Montags 10 Uhr"
    )
    factories.AngebotFactory(titel="Spielgruppe", anbieter=familienzentrum)
    for feld, inhalt in (("titel", "مقهى الرضاعة"), ("regelmaessige_zeiten", "كل يوم اثنين")):
        Uebersetzung.objects.create(
            inhaltstyp=ContentType.objects.get_for_model(Angebot),
            objekt_id=uebersetzt.pk,
            feld=feld,
            sprache="ar",
            text=inhalt,
            quelle_hash=quell_hash(getattr(uebersetzt, feld)),
        )

    zeilen = text(pdf(client.get("/ar/angebote/broschuere-a4.pdf"))).splitlines()

    # Each title after its number, „رقم“ (pypdf extracts the right-to-left line from the right).
    assert "مقهى الرضاعة · 2 رقم" in zeilen
    assert " · 1 رقمSpielgruppe" in zeilen
    assert not any("Stillcafé" in z for z in zeilen)
    assert any("كل يوم اثنين" in z for z in zeilen)


def test_queries_do_not_grow_with_the_offerings(client, familienzentrum, django_assert_num_queries):
    def anlegen(n):
        for i in range(n):
            angebot = factories.AngebotFactory(
                titel=f"Kurs {i}",
                anbieter=factories.AkteurFactory(),
                themen=[factories.thema("elternkurs"), factories.thema("deutschkurs")],
                sprachen=[factories.sprache("de"), factories.sprache("ar")],
            )
            factories.TerminFactory(angebot=angebot)

    anlegen(2)
    with django_assert_num_queries(QUERIES_BROSCHUERE):
        pdf(client.get("/angebote/broschuere-a4.pdf"))
    anlegen(8)
    cache.clear()
    with django_assert_num_queries(QUERIES_BROSCHUERE):
        pdf(client.get("/angebote/broschuere-a4.pdf"))


# Count, rows, languages, topics, dates, contact persons (a German page reads no translations),
# and the rate limit's counter (a table row without Redis, atlas.drosselung).
QUERIES_BROSCHUERE = 7


def test_a5_booklet_in_a_right_to_left_language_is_bound_on_the_right(
    client, familienzentrum, tmp_path
):
    factories.AngebotFactory(titel="Kurs", anbieter=familienzentrum)

    antwort = client.get("/ar/angebote/broschuere-a5.pdf")

    assert pdf(antwort).trailer["/Root"]["/Lang"] == "ar"
    # The cover (with the site's title) is the left half of the first sheet, the right one in
    # German.
    assert "Netzwerkatlas" in halbseite(antwort.content, tmp_path, 1, "links")
    assert "Netzwerkatlas" not in halbseite(antwort.content, tmp_path, 1, "rechts")
    deutsch = client.get("/angebote/broschuere-a5.pdf")
    assert "Netzwerkatlas" in halbseite(deutsch.content, tmp_path, 1, "rechts")


def test_an_empty_list_gives_a_cover_that_says_so(client, familienzentrum):
    leser = pdf(client.get("/angebote/broschuere-a4.pdf?q=Gibtesnicht"))

    assert len(leser.pages) == 2
    assert "0 Angebote" in leser.pages[0].extract_text()
    assert "Zu dieser Auswahl gibt es zurzeit keine Angebote." in leser.pages[1].extract_text()


@pytest.mark.parametrize("seite", ["netzwerk", "akteur"])
def test_network_and_actor_pages_count_as_the_brochure_does(
    client, familienzentrum, monkeypatch, seite
):
    """Offerings for professionals only are not in the brochure (the list's FilterSet leaves
    them out): the pages' "too many" hint does not count them either. With at most two
    offerings per brochure, two for families and a Fachtag make a brochure, a third for
    families does not."""
    import angebote.broschuere
    import atlas.templatetags.atlas

    monkeypatch.setattr(angebote.broschuere, "HOECHSTENS", 2)
    monkeypatch.setattr(atlas.templatetags.atlas, "HOECHSTENS", 2)
    netzwerk = factories.NetzwerkFactory(slug="fh-es")
    factories.PartnerschaftFactory(netzwerk=netzwerk, akteur=familienzentrum)
    eltern, fach = factories.zielgruppe("eltern"), factories.zielgruppe("fachkrafte")
    dabei = {"anbieter": familienzentrum, "netzwerk": netzwerk}
    factories.AngebotFactory(titel="Babymassage", zielgruppen=[eltern], **dabei)
    factories.AngebotFactory(titel="Krabbelgruppe", **dabei)
    factories.AngebotFactory(titel="Fachtag Frühe Hilfen", zielgruppen=[fach], **dabei)
    if seite == "netzwerk":
        url, abfrage = netzwerk.get_absolute_url(), "netzwerk=fh-es"
    else:
        url, abfrage = familienzentrum.get_absolute_url(), f"anbieter={familienzentrum.slug}"
    hinweis = "Eine Broschüre kann höchstens 2 Angebote enthalten."

    seitentext = client.get(url).content.decode()
    assert hinweis not in seitentext
    assert f'<a href="/angebote/broschuere-a4.pdf?{abfrage}">A4</a>' in seitentext
    inhalt = text(pdf(client.get(f"/angebote/broschuere-a4.pdf?{abfrage}")))
    assert "Babymassage" in inhalt
    assert "Fachtag" not in inhalt

    factories.AngebotFactory(titel="Stillcafé", zielgruppen=[eltern], **dabei)
    seitentext = client.get(url).content.decode()
    assert hinweis in seitentext
    assert "/angebote/broschuere-a4.pdf" not in seitentext
    assert client.get(f"/angebote/broschuere-a4.pdf?{abfrage}").status_code == 400


def test_names_in_another_script_keep_their_direction(client, db, tmp_path):
    """A German provider name in an Arabic page keeps its own direction: its final full stop
    stays behind "V" (in the page's direction it would move to the left of the name, as
    ".Elternverein Mettingen e. V")."""
    verein = factories.AkteurFactory(name="Elternverein Mettingen e. V.", telefon="0711 99")
    factories.AngebotFactory(titel="Spielgruppe", anbieter=verein)

    with override_settings(LANGUAGES=[("de", "Deutsch"), ("ar", "Arabisch")]):
        rtl = client.get("/ar/angebote/broschuere-a4.pdf")

    woerter_rtl = woerter(rtl.content, tmp_path, seite=3)
    name = [w for w in woerter_rtl if w[0] in ("Elternverein", "Mettingen", "e.", "V.")]
    assert [w[0] for w in sorted(name, key=lambda w: w[1])] == [
        "Elternverein",
        "Mettingen",
        "e.",
        "V.",
    ]
    # The index of providers as well: name, address and phone number each left to right, the
    # entry right to left.
    index = [w[0] for w in woerter(rtl.content, tmp_path, seite=4)]
    eintrag = index[index.index("0711") : index.index("V.") + 1]
    assert eintrag == [
        "0711",
        "99",
        ",",
        "Marktplatz",
        "1,",
        "73728",
        "Esslingen",
        "am",
        "Neckar",
        ",",
        "Elternverein",
        "Mettingen",
        "e.",
        "V.",
    ]


def test_pdfs_kept_in_the_worker_are_bounded_in_bytes(client, familienzentrum):
    """Without a shared cache, a worker keeps its PDFs up to a number of bytes together, the
    least recently used going first; one larger than all of it is not kept."""
    speicher = LokalerPdfSpeicher(10)
    speicher.set("a", b"1234")
    speicher.set("b", b"5678")
    assert speicher.get("a") == b"1234"  # now the most recently used
    speicher.set("c", b"90ab")
    assert (list(speicher.eintraege), speicher.groesse) == (["a", "c"], 8)
    speicher.set("d", b"x" * 11)
    assert (list(speicher.eintraege), speicher.groesse) == (["a", "c"], 8)

    # The tests run with Django's memory cache: the brochure goes to the worker's store.
    factories.AngebotFactory(titel="Elterncafé", anbieter=familienzentrum)
    erste = client.get("/angebote/broschuere-a4.pdf").content
    assert list(lokaler_speicher.eintraege.values()) == [erste]
    assert lokaler_speicher.groesse == len(erste)


@pytest.mark.parametrize("seite", ["netzwerk", "akteur"])
def test_all_offerings_link_counts_what_the_list_shows(client, familienzentrum, seite):
    """More offerings than the page shows (20 on an actor's page, 10 on a network's): the link
    to the list says how many the list shows, without those for professionals only, which the
    page itself lists but the list and the brochure leave out."""
    netzwerk = factories.NetzwerkFactory(slug="fh-es")
    eltern, fach = factories.zielgruppe("eltern"), factories.zielgruppe("fachkrafte")
    dabei = {"anbieter": familienzentrum, "netzwerk": netzwerk}
    for nummer in range(19):
        factories.AngebotFactory(titel=f"Elterncafé {nummer:02}", zielgruppen=[eltern], **dabei)
    for nummer in range(3):
        factories.AngebotFactory(titel=f"Fachtag {nummer}", zielgruppen=[fach], **dabei)
    if seite == "netzwerk":
        url, abfrage = netzwerk.get_absolute_url(), "netzwerk=fh-es"
        link = "Alle 19 Angebote des Netzwerks in der Angebotssuche"
    else:
        url, abfrage = familienzentrum.get_absolute_url(), f"anbieter={familienzentrum.slug}"
        link = "Alle 19 Angebote dieser Einrichtung"

    seitentext = client.get(url).content.decode()
    liste = client.get(f"/angebote/?{abfrage}").content.decode()
    broschuere = text(pdf(client.get(f"/angebote/broschuere-a4.pdf?{abfrage}")))

    assert f'<a href="/angebote/?{abfrage}">{link}</a>' in seitentext
    assert "19 Angebote gefunden" in liste
    assert "19 Angebote" in broschuere and "Fachtag" not in broschuere


def test_a_network_of_offerings_for_professionals_only_has_no_list_link(client, familienzentrum):
    netzwerk = factories.NetzwerkFactory(slug="fh-es")
    fach = factories.zielgruppe("fachkrafte")
    factories.AngebotFactory(
        titel="Fachtag Frühe Hilfen",
        zielgruppen=[fach],
        anbieter=familienzentrum,
        netzwerk=netzwerk,
    )

    seitentext = client.get(netzwerk.get_absolute_url()).content.decode()

    assert "Fachtag Frühe Hilfen" in seitentext
    assert 'href="/angebote/?netzwerk=fh-es"' not in seitentext
    assert "in der Angebotssuche" not in seitentext


def test_qr_codes_are_segnos_own_module_for_module(monkeypatch):
    """atlas.broschuere.segno_beschleunigen chooses each code's mask with numpy: the same
    mask and the same modules as segno's own choice, for addresses of many lengths and kinds
    (QR versions 3 to 11) with all eight masks among the choices."""
    import hashlib

    import segno
    from segno import encoder

    from atlas.broschuere import segno_beschleunigen

    adressen = [
        f"http://testserver/angebote/{hashlib.sha256(str(n).encode()).hexdigest()[: n % 64]}-{n}/"
        for n in range(160)
    ] + [f"http://testserver/angebote/{'x' * n}/" for n in range(0, 200, 5)]
    segno_beschleunigen()
    schnell = [segno.make(a, error="m") for a in adressen]
    monkeypatch.setattr(
        encoder, "find_and_apply_best_mask", encoder.find_and_apply_best_mask.segnos
    )
    segnos = [segno.make(a, error="m") for a in adressen]

    assert [(c.version, c.mask, c.matrix) for c in schnell] == [
        (c.version, c.mask, c.matrix) for c in segnos
    ]
    assert {c.mask for c in segnos} == set(range(8))
    assert {c.version for c in segnos} == set(range(3, 12))
