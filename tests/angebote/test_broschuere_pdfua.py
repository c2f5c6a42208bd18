"""The brochure and Aushang PDFs against the structural rules of PDF/UA-1 that can be read
from the file: a checker with pypdf, as veraPDF (Java, not installed here) is not available.

What it checks and what it cannot: README, "Broschüre und Aushang (PDF)".
"""

import datetime
import io
import re
import subprocess

import pytest
from django.core.cache import cache
from django.test import override_settings
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from atlas.broschuere import lokaler_speicher
from tests import factories
from tests.angebote.test_broschuere import MONATE

SPRACHEN = [("de", "Deutsch"), ("en", "Englisch"), ("ar", "Arabisch")]


@pytest.fixture(autouse=True)
def leerer_cache():
    cache.clear()
    lokaler_speicher.clear()
    yield
    cache.clear()
    lokaler_speicher.clear()


def objekt(wert):
    return wert.get_object() if isinstance(wert, IndirectObject) else wert


def kinder(element):
    k = objekt(element.get("/K"))
    if k is None:
        return []
    return [objekt(kind) for kind in (k if isinstance(k, ArrayObject) else [k])]


def strukturelemente(wurzel):
    """The structure elements below the StructTreeRoot in reading order."""
    for kind in kinder(wurzel):
        if isinstance(kind, DictionaryObject) and "/S" in kind:
            yield kind
            yield from strukturelemente(kind)


def xmp(leser):
    metadaten = leser.trailer["/Root"].get("/Metadata")
    return objekt(metadaten).get_data().decode() if metadaten else ""


def pruefen(inhalt, *, sprache):
    """What breaks a PDF/UA-1 rule that the file shows, one German sentence per finding."""
    leser = PdfReader(io.BytesIO(inhalt))
    wurzel = leser.trailer["/Root"]
    fehler = []
    if wurzel.get("/Lang") != sprache:
        fehler.append(f"/Lang ist {wurzel.get('/Lang')!r}, nicht {sprache!r}")
    if not (objekt(wurzel.get("/MarkInfo")) or {}).get("/Marked"):
        fehler.append("/MarkInfo /Marked fehlt")
    if not (objekt(wurzel.get("/ViewerPreferences")) or {}).get("/DisplayDocTitle"):
        fehler.append("/ViewerPreferences /DisplayDocTitle fehlt")
    titel = leser.metadata.title if leser.metadata else None
    metadaten = xmp(leser)
    if not titel:
        fehler.append("kein Titel im Info-Verzeichnis")
    elif f'<rdf:li xml:lang="x-default">{titel}</rdf:li>' not in metadaten.replace("&amp;", "&"):
        fehler.append("dc:title der XMP-Metadaten fehlt oder weicht vom Titel ab")
    if 'pdfuaid:part="1"' not in metadaten:
        fehler.append("PDF/UA-Kennung (pdfuaid:part) fehlt in den XMP-Metadaten")
    baum = objekt(wurzel.get("/StructTreeRoot"))
    if baum is None:
        return fehler + ["kein StructTreeRoot"]
    elemente = list(strukturelemente(baum))
    # Headings: the first an H1, none skipping a level.
    ebenen = [int(e["/S"][2]) for e in elemente if re.fullmatch(r"/H[1-6]", e["/S"])]
    if not ebenen or ebenen[0] != 1:
        fehler.append(f"die erste Überschrift ist nicht H1: {ebenen[:3]}")
    for vorher, ebene in zip(ebenen, ebenen[1:], strict=False):
        if ebene > vorher + 1:
            fehler.append(f"Überschrift springt von H{vorher} auf H{ebene}")
    # Figures with alternative text.
    for figur in (e for e in elemente if e["/S"] == "/Figure"):
        if not str(figur.get("/Alt", "")).strip():
            fehler.append("Figure ohne /Alt")
    # Tables: rows and cells tagged.
    for tabelle in (e for e in elemente if e["/S"] == "/Table"):
        zeilen = [z for t in kinder(tabelle) for z in ([t] if t["/S"] == "/TR" else kinder(t))]
        if not zeilen or any(z["/S"] != "/TR" for z in zeilen):
            fehler.append("Table ohne TR-Zeilen")
    # Pages: tab order by structure and their entry in the parent tree.
    eltern = objekt(baum["/ParentTree"])["/Nums"]
    eltern = {eltern[i]: objekt(eltern[i + 1]) for i in range(0, len(eltern), 2)}
    im_baum = {id(e) for e in elemente}
    for nummer, seite in enumerate(leser.pages, start=1):
        if seite.get("/Tabs") != "/S":
            fehler.append(f"Seite {nummer}: /Tabs nicht /S")
        if seite.get("/StructParents") not in eltern:
            fehler.append(f"Seite {nummer}: keine /StructParents im ParentTree")
            continue
        # Marked content belongs to an element of the tree; what is in none (page margins)
        # must be an /Artifact.
        zuordnung = eltern[seite["/StructParents"]]
        for _tag, mcid, text in markierter_inhalt(seite):
            if mcid is not None and id(objekt(zuordnung[mcid])) not in im_baum:
                fehler.append(f"Seite {nummer}: {text!r} ist markiert, aber nicht im Strukturbaum")
        # Links: Link annotations, each with a description and its Link structure element.
        for annotation in map(objekt, seite.get("/Annots", [])):
            if annotation["/Subtype"] != "/Link":
                continue
            if not str(annotation.get("/Contents", "")).strip():
                fehler.append(f"Seite {nummer}: Link ohne /Contents")
            element = eltern.get(annotation.get("/StructParent"))
            verweise = [
                objekt(k.get("/Obj"))
                for k in (kinder(element) if isinstance(element, DictionaryObject) else [])
                if isinstance(k, DictionaryObject) and k.get("/Type") == "/OBJR"
            ]
            if element is None or element["/S"] != "/Link" or annotation not in verweise:
                fehler.append(f"Seite {nummer}: Link ohne Link-Strukturelement")
    return fehler


def markierter_inhalt(seite):
    """(marked-content tag, MCID or None, text) of each text shown on a page, in order."""
    stapel, texte = [], []

    def operator(op, argumente, cm, tm):
        if op in (b"BDC", b"BMC"):
            eigenschaften = objekt(argumente[1]) if op == b"BDC" else {}
            mcid = eigenschaften.get("/MCID") if isinstance(eigenschaften, dict) else None
            stapel.append((str(argumente[0]), mcid))
        elif op == b"EMC":
            stapel.pop()

    def text(t, cm, tm, font, groesse):
        if t.strip():
            tag, mcid = stapel[-1] if stapel else (None, None)
            texte.append((tag, mcid, t.strip()))

    seite.extract_text(visitor_operand_before=operator, visitor_text=text)
    return texte


def texte_der_elemente(inhalt):
    """(structure type, /Lang, text) of each structure element that has a /Lang."""
    leser = PdfReader(io.BytesIO(inhalt))
    seiten = {seite.indirect_reference.idnum: seite for seite in leser.pages}
    inhalte = {}

    def text(element):
        teile = []
        for kind in kinder(element):
            if isinstance(kind, DictionaryObject):
                teile.append(text(kind))
            elif isinstance(kind, int):
                seite = seiten[element.raw_get("/Pg").idnum]
                if seite.indirect_reference.idnum not in inhalte:
                    inhalte[seite.indirect_reference.idnum] = {
                        m: t for _tag, m, t in markierter_inhalt(seite) if m is not None
                    }
                teile.append(inhalte[seite.indirect_reference.idnum].get(kind, ""))
        return " ".join(t for t in teile if t)

    baum = objekt(leser.trailer["/Root"]["/StructTreeRoot"])
    return [
        (str(e["/S"]), str(e["/Lang"]), text(e)) for e in strukturelemente(baum) if "/Lang" in e
    ]


def figuren(inhalt):
    leser = PdfReader(io.BytesIO(inhalt))
    baum = objekt(leser.trailer["/Root"]["/StructTreeRoot"])
    return [str(e["/Alt"]) for e in strukturelemente(baum) if e["/S"] == "/Figure"]


def ueberschriften(inhalt):
    leser = PdfReader(io.BytesIO(inhalt))
    baum = objekt(leser.trailer["/Root"]["/StructTreeRoot"])
    return [e["/S"] for e in strukturelemente(baum) if re.fullmatch(r"/H[1-6]", e["/S"])]


def links(inhalt):
    """(/Contents, target) of the Link annotations of all pages."""
    leser = PdfReader(io.BytesIO(inhalt))
    return [
        (str(a["/Contents"]), str(a.get("/Dest") or a["/A"]["/URI"]))
        for seite in leser.pages
        for a in map(objekt, seite.get("/Annots", []))
    ]


def qr_inhalte(inhalt, tmp_path):
    datei = tmp_path / "d.pdf"
    datei.write_bytes(inhalt)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", datei, tmp_path / "s"], check=True)
    gelesen = []
    for bild in sorted(tmp_path.glob("s*.png")):
        gelesen += subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", bild],
            capture_output=True,
            text=True,
        ).stdout.split()
    return sorted(gelesen)


@pytest.fixture
def zwei_gruppen(db):
    anbieter = factories.AkteurFactory(name="Familienzentrum Pliensauvorstadt", telefon="0711 123")
    netzwerk = factories.NetzwerkFactory(slug="fh-es")
    return [
        factories.AngebotFactory(
            titel="Starke Eltern",
            anbieter=anbieter,
            netzwerk=netzwerk,
            themen=[factories.thema("elternkurs")],
        ),
        factories.AngebotFactory(
            titel="Deutsch im Kinderwagen",
            anbieter=anbieter,
            netzwerk=netzwerk,
            themen=[factories.thema("deutschkurs")],
        ),
    ]


def test_a4_brochure_meets_the_structural_rules(client, zwei_gruppen, tmp_path):
    antwort = client.get("/angebote/broschuere-a4.pdf?netzwerk=fh-es")

    assert antwort.status_code == 200
    assert pruefen(antwort.content, sprache="de") == []
    # Cover H1, contents H2, a H2 per topic with a H3 per offering, the index H2.
    assert ueberschriften(antwort.content) == ["/H1", "/H2", "/H2", "/H3", "/H2", "/H3", "/H2"]
    # The contents and the index link to the groups and offerings, each described by its
    # text or title (atlas.broschuere.weasyprint_ergaenzen), with its Link structure element
    # (checked above).
    assert links(antwort.content) == [
        ("Erziehung & Familienalltag (1): Nr. 1", "gruppe-1"),
        ("Migration & Integration (1): Nr. 2", "gruppe-2"),
        ("Anbieter von A bis Z", "anbieter"),
        ("Nr. 1: Starke Eltern", f"angebot-{zwei_gruppen[0].pk}"),
        ("Nr. 2: Deutsch im Kinderwagen", f"angebot-{zwei_gruppen[1].pk}"),
    ]
    # Each QR code's alternative text names the address it leads to.
    urls = qr_inhalte(antwort.content, tmp_path)
    assert sorted(figuren(antwort.content)) == [f"QR-Code: {url}" for url in urls]
    assert urls == sorted(
        ["http://testserver/angebote/?netzwerk=fh-es"]
        + [f"http://testserver{a.get_absolute_url()}" for a in zwei_gruppen]
    )


def test_page_margins_are_artifacts_on_every_page(client, zwei_gruppen):
    """The site's address, the page number and the data's date in the margins of every page
    are /Artifact (read on no page by a screen reader), never marked content of the tree."""
    leser = PdfReader(io.BytesIO(client.get("/angebote/broschuere-a4.pdf?netzwerk=fh-es").content))
    heute = datetime.date.today()
    stand = f"Stand der Daten: {heute.day}. {MONATE[heute.month - 1]} {heute.year}"

    for nummer, seite in enumerate(leser.pages, start=1):
        inhalt = markierter_inhalt(seite)
        assert [t for tag, _m, t in inhalt if tag == "/Artifact"] == [
            "http://testserver",
            f"{nummer} / 5",
            stand,
        ]
        assert all(tag == "/Span" and mcid is not None for tag, mcid, _t in inhalt[:-3])


def test_text_in_another_language_carries_its_lang(client, zwei_gruppen):
    """An Arabic brochure: the German title of an offering without a translation, and the
    languages' own names, are structure elements with their /Lang."""
    angebot = zwei_gruppen[0]
    angebot.sprachen.set([factories.sprache("de"), factories.sprache("tr")])

    with override_settings(LANGUAGES=SPRACHEN):
        antwort = client.get("/ar/angebote/broschuere-a4.pdf?netzwerk=fh-es")

    assert texte_der_elemente(antwort.content) == [
        ("/Span", "de", "Starke Eltern"),
        ("/Span", "de", "Deutsch"),
        ("/Span", "tr", "Türkçe"),
        ("/Span", "de", "Deutsch im Kinderwagen"),
    ]
    assert pruefen(antwort.content, sprache="ar") == []

    # A German brochure: the Arabic name of a language in Arabic.
    angebot.sprachen.set([factories.sprache("ar")])
    deutsch = client.get("/angebote/broschuere-a4.pdf?netzwerk=fh-es")
    assert texte_der_elemente(deutsch.content) == [("/Span", "ar", "العربية")]


def test_aushang_meets_the_structural_rules(client, zwei_gruppen):
    angebot = zwei_gruppen[0]

    antwort = client.get(f"/angebote/{angebot.slug}/aushang.pdf")

    assert pruefen(antwort.content, sprache="de") == []
    assert ueberschriften(antwort.content) == ["/H1"]
    assert figuren(antwort.content) == [f"QR-Code: http://testserver/angebote/{angebot.slug}/"]


def test_arabic_brochure_meets_the_structural_rules(client, zwei_gruppen):
    with override_settings(LANGUAGES=SPRACHEN):
        antwort = client.get("/ar/angebote/broschuere-a4.pdf?netzwerk=fh-es")

    assert pruefen(antwort.content, sprache="ar") == []
    assert len(figuren(antwort.content)) == 3


def test_the_checker_finds_what_is_missing(db):
    """The checker fails where a rule is broken: an untagged PDF, and a tagged one with a
    skipped heading level and an image without alternative text."""
    from weasyprint import HTML

    ungetaggt = HTML(string="<html><body><p>Ohne Struktur</p></body></html>").write_pdf()
    assert pruefen(ungetaggt, sprache="de") == [
        "/Lang ist None, nicht 'de'",
        "/MarkInfo /Marked fehlt",
        "/ViewerPreferences /DisplayDocTitle fehlt",
        "kein Titel im Info-Verzeichnis",
        "PDF/UA-Kennung (pdfuaid:part) fehlt in den XMP-Metadaten",
        "kein StructTreeRoot",
    ]

    bild = qr_als_data_uri()
    mangelhaft = HTML(
        string=f'<html lang="en"><title>T</title><h1>A</h1><h3>B</h3><img src="{bild}"></html>'
    ).write_pdf(pdf_variant="pdf/ua-1")
    assert pruefen(mangelhaft, sprache="de") == [
        "/Lang ist 'en', nicht 'de'",
        "Überschrift springt von H1 auf H3",
        "Figure ohne /Alt",
    ]


def qr_als_data_uri():
    from atlas.broschuere import _qr_uri

    return _qr_uri("https://example.org/")


def gezeichnet(inhalt):
    """Per page the drawing (its decoded content stream), and the structure elements' types."""
    leser = PdfReader(io.BytesIO(inhalt))
    baum = objekt(leser.trailer["/Root"]["/StructTreeRoot"])
    seiten = [seite.get_contents().get_data() for seite in leser.pages]
    return seiten, [str(e["/S"]) for e in strukturelemente(baum)]


def test_the_shortened_user_agent_stylesheet_changes_nothing_drawn(
    client, zwei_gruppen, monkeypatch
):
    """atlas.broschuere._ua_stylesheet leaves out rules of WeasyPrint's user-agent stylesheet
    that no element of ours uses (footnotes, notes, markers of non-list items): every page is
    drawn byte for byte as with the full one, the structure tree the same, in a German and an
    Arabic brochure (with a list on its cover) and an Aushang."""
    import weasyprint

    import atlas.broschuere

    adressen = [
        "/angebote/broschuere-a4.pdf?netzwerk=fh-es",
        "/ar/angebote/broschuere-a4.pdf?netzwerk=fh-es&sortierung=name",
        f"/angebote/{zwei_gruppen[0].slug}/aushang.pdf",
    ]
    with override_settings(LANGUAGES=SPRACHEN):
        gekuerzt = [client.get(a).content for a in adressen]
        lokaler_speicher.clear()
        monkeypatch.setattr(atlas.broschuere, "_html_klasse", lambda: weasyprint.HTML)
        voll = [client.get(a).content for a in adressen]

    for kurz, lang in zip(gekuerzt, voll, strict=True):
        assert kurz[:5] == b"%PDF-"
        assert gezeichnet(kurz) == gezeichnet(lang)
    # Among them list items, which keep their ::marker rule: the cover's two filters (network,
    # order), the contents' two groups and the index, the index's one provider.
    assert gezeichnet(gekuerzt[1])[1].count("/LI") == 6
