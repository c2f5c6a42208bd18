"""Printed documents from HTML: tagged PDF (WeasyPrint), the A5 booklet (pypdf), QR codes
(segno), and their cache. Names no domain model; the apps bring templates and rows.

The booklet is imposed with pypdf, not by WeasyPrint: WeasyPrint lays out one page per sheet
and cannot put two pages side by side; reordering its pages (`Document.copy`) would still leave
them one per sheet. pypdf places the finished A5 pages two-up on A4 landscape in the order a
saddle-stitched booklet needs, without laying anything out again.
"""

import hashlib
import io
import logging
import threading
import unicodedata
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils.html import conditional_escape, format_html
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, get_language_bidi

# WeasyPrint, pypdf and segno are imported where a document is made, not here: every worker
# imports this module (the brochure's views and the template tags name it) and few requests
# make a PDF, while pypdf alone holds ~14 MB of modules (fontTools among them) in each process.

# WeasyPrint reports every layout step of every page at INFO: not for the site's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# The most entries a brochure may have: more would make a phone book nobody prints; the list's
# filters narrow it.
HOECHSTENS = 500
# A4 landscape in PDF points: the sheet of the booklet, two A5 pages side by side.
A4_QUER = (841.89, 595.28)
# How long a finished document stays in the cache. Its key changes with its content, so this
# only bounds how long unused documents take up room.
CACHE_SEKUNDEN = 24 * 60 * 60
# Without a shared cache (no REDIS_URL: Django's memory cache in each worker process) the
# finished documents are kept in the worker, at most this many bytes together.
LOKAL_HOECHSTENS_BYTES = 64 * 1024 * 1024
# Tagged PDF for screen readers: PDF/UA-1 makes WeasyPrint write the structure tree, the
# document's language (/Lang from <html lang>) and its title (from <title>).
PDF_VARIANTE = "pdf/ua-1"


def _nur_lokal():
    """WeasyPrint's fetcher for data: URIs and files only: the document never reaches out
    to a network at run time (no third-party host, no slow request inside a worker)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data", "file"))


N3_MUSTER = bytes((1, 0, 1, 1, 1, 0, 1))
N3_HELL = bytes(4)


def _laeufe(zeilen):
    """segno's penalty N1: per run of five or more modules of one colour in a row of
    `zeilen`, its length − 2."""
    breite = zeilen.shape[1]
    # The rows one after another, a value of neither colour between them.
    folge = np.full((zeilen.shape[0], breite + 1), 2, dtype=np.int8)
    folge[:, :breite] = zeilen
    grenzen = np.flatnonzero(np.diff(folge.ravel())) + 1
    laengen = np.diff(np.concatenate(([0], grenzen)))
    lang = laengen[laengen >= 5]
    return int(lang.sum() - 2 * len(lang))


def _n3(zeilen):
    """segno's penalty N3 (encoder.mask_scores): 40 per dark-light-dark³-light-dark pattern
    with four light modules before or after it, searched as segno does (after a counted one
    on behind it, else three modules further). The rows in one string, each after a separator
    and between four light modules: segno counts the symbol's edge as light."""
    breite = zeilen.shape[1]
    folge = np.zeros((zeilen.shape[0], breite + 9), dtype=np.uint8)
    folge[:, 0] = 2
    folge[:, 5 : 5 + breite] = zeilen
    text = folge.tobytes()
    punkte = 0
    stelle = text.find(N3_MUSTER)
    while stelle != -1:
        if text[stelle - 4 : stelle] == N3_HELL or text[stelle + 7 : stelle + 11] == N3_HELL:
            punkte += 40
            stelle = text.find(N3_MUSTER, stelle + 7)
        else:
            stelle = text.find(N3_MUSTER, stelle + 4)
    return punkte


def _strafpunkte(matrix):
    """segno's encoder.evaluate_mask (ISO/IEC 18004:2015, 7.8.3) of a square QR matrix of 0/1,
    with numpy: N1 runs, N2 2×2 blocks, N3 finder-like patterns, N4 the share of dark."""
    groesse = matrix.shape[0]
    zeilen_und_spalten = np.concatenate((matrix, matrix.T))
    links_oben = matrix[:-1, :-1]
    n2 = 3 * int(
        np.count_nonzero(
            (links_oben == matrix[1:, :-1])
            & (links_oben == matrix[:-1, 1:])
            & (links_oben == matrix[1:, 1:])
        )
    )
    anteil = float(int(matrix.sum())) / (groesse**2)
    n4 = 10 * int(abs(anteil * 100 - 50) / 5)
    return _laeufe(zeilen_und_spalten) + n2 + _n3(zeilen_und_spalten) + n4


@lru_cache(maxsize=1)
def segno_beschleunigen():
    """segno chooses a QR code's mask (ISO/IEC 18004:2015, 7.8.3: the one of the eight with
    the fewest penalty points) in Python module by module: 5 ms a code, a second for the 200 of
    a brochure. The same choice with numpy, over whole matrices, takes a fifth of that; the codes
    are the same, module for module (tests/angebote/test_broschuere.py compares them with
    segno's own). Micro QR codes and a mask given by the caller go to segno's function as
    before. Once per process."""
    from segno import encoder

    segnos = encoder.find_and_apply_best_mask
    masken = encoder.get_data_mask_functions(False)

    def find_and_apply_best_mask(matrix, width, height, proposed_mask=None):
        if proposed_mask is not None or width != height or width < 21:
            return segnos(matrix, width, height, proposed_mask)
        funktionen = encoder.make_matrix(width, height)
        encoder.add_finder_patterns(funktionen, width, height)
        encoder.add_alignment_patterns(funktionen, width, height)
        funktionen[-8][8] = 0x1
        daten = np.array(funktionen, dtype=np.uint8) > 0x1
        i, j = np.indices((height, width))
        ohne = np.array(matrix, dtype=np.uint8)
        beste = None
        for nummer, maske in enumerate(masken):
            maskiert = ohne ^ (daten & maske(i, j)).astype(np.uint8)
            punkte = _strafpunkte(maskiert)
            if beste is None or punkte < beste[0]:
                beste = (punkte, nummer, maskiert)
        _punkte, nummer, maskiert = beste
        return nummer, tuple(bytearray(zeile.tobytes()) for zeile in maskiert)

    find_and_apply_best_mask.segnos = segnos
    encoder.find_and_apply_best_mask = find_and_apply_best_mask


@lru_cache(maxsize=4096)
def _qr_uri(text):
    # A PNG of one pixel per module, scaled up by the stylesheet without smoothing
    # (image-rendering: pixelated): drawn as one image, where an SVG costs WeasyPrint a path per
    # module – 200 QR codes as SVG took longer to write than the rest of the brochure.
    import segno

    segno_beschleunigen()
    return segno.make(text, error="m").png_data_uri(scale=1, border=4)


def qr_bild(text, *, alt, klasse="qr"):
    """An <img> of the QR code for `text` with its alternative text."""
    return format_html('<img class="{}" src="{}" alt="{}">', klasse, _qr_uri(text), alt)


def richtung(text):
    """'rtl' or 'ltr' after the first strongly directional character of `text`, as HTML's
    dir="auto" decides; None for text without one (digits, punctuation)."""
    for zeichen in str(text):
        art = unicodedata.bidirectional(zeichen)
        if art == "L":
            return "ltr"
        if art in ("R", "AL"):
            return "rtl"
    return None


def isoliert(text, *, rtl, fest=None):
    """`text` for a page written right to left (`rtl`) or not: in a span of its own direction
    (`fest`, else found as dir="auto" would) where that differs from the page's, plain
    (escaped) otherwise.

    WeasyPrint knows neither dir="auto" nor unicode-bidi: an inline box with its own direction
    is what isolates a German name in an Arabic page (its final "e. V." would otherwise move to
    the left) – and each box costs layout time, so there is none where the directions agree.
    """
    eigene = fest or richtung(text)
    if eigene is None or (eigene == "rtl") == bool(rtl):
        return conditional_escape(text)
    return format_html('<span dir="{}">{}</span>', eigene, text)


@lru_cache(maxsize=1)
def weasyprint_ergaenzen():
    """Three things of PDF/UA-1 that WeasyPrint 70 does not write, added to its tagging:

    - The page margins (the site's address, the data's date, the page number on every page)
      are drawn as /Artifact, not as marked content: WeasyPrint gives their text MCIDs and
      structure elements that hang in no tree (tags.py: "could be included in tree as
      Artifact"). A screen reader reads them on no page instead of on every one.
    - An element with its own `lang` (a German title standing in for a missing translation in
      an Arabic brochure, a language's own name) gets /Lang on its structure element.
    - A link's annotation is described (/Contents) by its `title`, else by its text, not by
      the name of its target ("angebot-17").

    Wraps two functions of WeasyPrint's (drawing a page, building one box's structure
    element); tests/angebote/test_broschuere_pdfua.py reads each result back from the PDF,
    so a WeasyPrint that changes them fails there. Once per process.
    """
    from contextlib import contextmanager

    import pydyf
    import weasyprint.document
    from weasyprint.formatting_structure.boxes import MarginBox, PageBox
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream

    seite_zeichnen = weasyprint.document.draw_page
    markieren = Stream.marked
    struktur = tags._build_box_tree

    def draw_page(page, stream):
        stream.randinhalt = {
            box
            for rand in page.children
            if isinstance(rand, MarginBox)
            for box in rand.descendants(placeholders=True)
        }
        seite_zeichnen(page, stream)

    @contextmanager
    def marked(self, box, tag):
        if box in getattr(self, "randinhalt", ()):
            with self.artifact():
                yield
        else:
            with markieren(self, box, tag):
                yield

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags_der_seite):
        if isinstance(box, MarginBox) and not any(b in tags_der_seite for b in box.descendants()):
            return
        element = getattr(box, "element", None)
        eigene = None
        if (
            element is not None
            and not isinstance(box, PageBox)
            and box.element_tag
            not in (
                "html",
                "body",
            )
        ):
            eigene = element.get("lang")
            if getattr(box, "link_annotation", None) is not None:
                text = element.get("title") or " ".join("".join(element.itertext()).split())
                box.link_annotation["Contents"] = pydyf.String(text)
        for struktur_element in struktur(
            box, parent, pdf, page_number, nums, annotations, tags_der_seite
        ):
            if eigene and "Lang" not in struktur_element:
                struktur_element["Lang"] = pydyf.String(eigene)
            yield struktur_element

    weasyprint.document.draw_page = draw_page
    Stream.marked = marked
    tags._build_box_tree = build_box_tree


# Rules of WeasyPrint's user-agent stylesheet (weasyprint/css/html5_ua.css) that a document of
# ours never uses but that match every element: the pseudo-elements of footnotes and notes
# (`float: footnote` and `position: note` appear nowhere), and ::marker, which only list items
# (`display: list-item`: li, summary) ever get. WeasyPrint computes a style for each match – six
# per element, 28,000 of the 31,000 styles of a 200-offering brochure, a sixth of its layout time
# (bench/RESULTS-broschuere.md, session 9).
UA_OHNE = (
    "::footnote-call",
    "::footnote-marker",
    "::note-call",
    "::note-marker",
    "::note-callback",
)
UA_MARKER = ("::marker {", "li::marker, summary::marker {")


@lru_cache(maxsize=1)
def _ua_stylesheet():
    """WeasyPrint's user-agent stylesheet without the rules of UA_OHNE, ::marker for list items
    only. Fails if WeasyPrint's file no longer has them as expected (another version)."""
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    zeilen = UA.splitlines()
    behalten = [z for z in zeilen if not z.startswith(UA_OHNE)]
    if len(zeilen) - len(behalten) != len(UA_OHNE) or UA.count(UA_MARKER[0]) != 1:
        raise RuntimeError("WeasyPrints html5_ua.css hat sich geändert: UA_OHNE prüfen.")
    text = "\n".join(behalten).replace(*UA_MARKER)
    # Its @counter-style rules into a counter style of their own: the document's come from
    # WeasyPrint's UA_COUNTER_STYLE (HTML._ua_counter_style), which already has them.
    return CSS(string=text, counter_style=CounterStyle())


@lru_cache(maxsize=1)
def _html_klasse():
    """weasyprint.HTML with the user-agent stylesheet of _ua_stylesheet()."""
    from weasyprint import HTML

    class Dokument(HTML):
        def _ua_stylesheets(self, forms=False):
            if forms:
                return super()._ua_stylesheets(forms)
            return [_ua_stylesheet()]

    return Dokument


def stylesheet(name):
    """A stylesheet of the app's static files, read from disk by WeasyPrint."""
    from weasyprint import CSS

    return CSS(filename=finders.find(name), url_fetcher=_nur_lokal())


def pdf_aus_html(html, *, stylesheets=(), getaggt=True):
    """The HTML as a tagged PDF (PDF/UA-1) in the language of its <html lang>.

    `getaggt=False` for pages that heft() imposes: placing pages on sheets drops the structure
    tree anyway, and reading it back costs pypdf seconds.
    """
    weasyprint_ergaenzen()
    dokument = _html_klasse()(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_nur_lokal()
    )
    return dokument.write_pdf(
        stylesheets=[stylesheet(s) for s in stylesheets],
        pdf_variant=PDF_VARIANTE if getaggt else None,
    )


def heftfolge(anzahl):
    """Page numbers (0-based, None = blank) per side of the sheets of a saddle-stitched
    booklet, read left to right, sheet by sheet, front then back: 8 pages →
    (7, 0), (1, 6), (5, 2), (3, 4)."""
    gesamt = -(-anzahl // 4) * 4
    seiten = []
    for bogen in range(gesamt // 4):
        seiten.append((gesamt - 1 - 2 * bogen, 2 * bogen))
        seiten.append((2 * bogen + 1, gesamt - 2 - 2 * bogen))
    return [tuple(s if s < anzahl else None for s in paar) for paar in seiten]


def _als_form(seite, schreiber):
    """A page as a Form XObject of `schreiber`: its content stream as it is, never parsed.

    pypdf's merge_transformed_page parses every content stream in Python – 16 s for a
    50-page brochure; placing the pages as forms takes milliseconds.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    inhalt = seite["/Contents"].get_object()
    teile = inhalt if isinstance(inhalt, ArrayObject) else [inhalt]
    daten = b"\n".join(teil.get_object().get_data() for teil in teile)
    box = seite.mediabox
    form = DecodedStreamObject()
    form.set_data(daten)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(box.left), FloatObject(box.bottom)]
                + [FloatObject(box.right), FloatObject(box.top)]
            ),
            NameObject("/Resources"): seite["/Resources"],
        }
    )
    return schreiber._add_object(form.flate_encode().clone(schreiber))


def heft(pdf, *, rtl=False, sprache=""):
    """A5 pages imposed two-up on A4 landscape for a booklet folded in the middle.

    Right-to-left documents are bound on the right: each side's two pages change places.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    leser = PdfReader(io.BytesIO(pdf))
    seiten = leser.pages
    schreiber = PdfWriter()
    breite, hoehe = A4_QUER
    for links, rechts in heftfolge(len(seiten)):
        if rtl:
            links, rechts = rechts, links
        bogen = schreiber.add_blank_page(width=breite, height=hoehe)
        formen = DictionaryObject()
        befehle = []
        for nummer, x in ((links, 0), (rechts, breite / 2)):
            if nummer is None:
                continue
            seite = seiten[nummer]
            name = f"/Seite{nummer}"
            formen[NameObject(name)] = _als_form(seite, schreiber)
            dx = x + (breite / 2 - float(seite.mediabox.width)) / 2 - float(seite.mediabox.left)
            dy = (hoehe - float(seite.mediabox.height)) / 2 - float(seite.mediabox.bottom)
            befehle.append(f"q 1 0 0 1 {dx:.3f} {dy:.3f} cm {name} Do Q")
        inhalt = DecodedStreamObject()
        inhalt.set_data("\n".join(befehle).encode())
        bogen[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): formen})
        bogen[NameObject("/Contents")] = schreiber._add_object(inhalt)
    if sprache:
        schreiber._root_object[NameObject("/Lang")] = TextStringObject(sprache)
    if leser.metadata and leser.metadata.title:
        schreiber.add_metadata({"/Title": leser.metadata.title})
    ausgabe = io.BytesIO()
    schreiber.write(ausgabe)
    return ausgabe.getvalue()


def cache_schluessel(art, html):
    """The cache key of a document: its kind, the language and the digest of its HTML.

    The HTML is made from exactly the rows the document shows, with the query's description,
    the language and the day: its digest is the data version of this document. It changes
    with every write that changes what the document would show – a deletion, a new link to a
    topic, a provider renamed, a consent withdrawn, an offering expired at midnight, by any
    write path (admin, import, bulk update, raw SQL) – and with nothing else. The PDF under a
    key is always the rendering of exactly that HTML, so no race between a write and a read can
    leave an outdated PDF under a current key.
    """
    digest = hashlib.sha256(html.encode()).hexdigest()
    return f"atlas:pdf:{art}:{get_language()}:{digest}"


class LokalerPdfSpeicher:
    """The PDFs of one worker process, at most `grenze` bytes together: the least recently
    used goes first. Django's memory cache counts entries, not bytes (300 by default): 300
    brochures of a megabyte would stay in every worker."""

    def __init__(self, grenze):
        self.grenze = grenze
        self.eintraege = OrderedDict()
        self.groesse = 0
        self.sperre = threading.Lock()

    def get(self, schluessel):
        with self.sperre:
            pdf = self.eintraege.get(schluessel)
            if pdf is not None:
                self.eintraege.move_to_end(schluessel)
            return pdf

    def set(self, schluessel, pdf):
        if len(pdf) > self.grenze:
            return
        with self.sperre:
            if schluessel in self.eintraege:
                self.groesse -= len(self.eintraege.pop(schluessel))
            self.eintraege[schluessel] = pdf
            self.groesse += len(pdf)
            while self.groesse > self.grenze:
                _alt, verdraengt = self.eintraege.popitem(last=False)
                self.groesse -= len(verdraengt)

    def clear(self):
        with self.sperre:
            self.eintraege.clear()
            self.groesse = 0


lokaler_speicher = LokalerPdfSpeicher(LOKAL_HOECHSTENS_BYTES)


def pdf_speicher():
    """Where finished PDFs are kept: the shared cache (Redis: every worker and server finds
    what one made), or, with only a per-process memory cache, the worker's bounded store."""
    return lokaler_speicher if isinstance(caches["default"], LocMemCache) else cache


def pdf_zwischengespeichert(art, html, erzeugen):
    """The PDF for this HTML from the cache, or made by `erzeugen(html)` and kept."""
    schluessel = cache_schluessel(art, html)
    speicher = pdf_speicher()
    pdf = speicher.get(schluessel)
    if pdf is None:
        pdf = erzeugen(html)
        if speicher is cache:
            cache.set(schluessel, pdf, CACHE_SEKUNDEN)
        else:
            speicher.set(schluessel, pdf)
    return pdf


def pdf_antwort(pdf, dateiname):
    """The PDF shown in the browser (inline), with a file name for saving it."""
    antwort = HttpResponse(pdf, content_type="application/pdf")
    antwort["Content-Disposition"] = content_disposition_header(False, dateiname)
    antwort["Content-Length"] = str(len(pdf))
    return antwort


def sprache_und_richtung():
    """The active language's code and whether it is written right to left."""
    return get_language(), get_language_bidi()
