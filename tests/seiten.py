"""Read rendered public pages back as a visitor sees them."""

import html
import re


def text(fragment):
    """The visible text of an HTML fragment: tags out, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def wo(antwort):
    """The address under "Wo" on an offering's detail page ("" when it shows none)."""
    seite = antwort.content.decode()
    treffer = re.search(r'<p class="adresse">(.*?)</p>', seite, re.S)
    return text(treffer.group(1)) if treffer else ""


def verstanden_alter(antwort):
    """The note beside the age field saying how the input was read ("" when there is none)."""
    seite = antwort.content.decode()
    treffer = re.search(r'<span class="hilfe verstanden" id="verstanden-alter">(.*?)</span>', seite)
    return text(treffer.group(1)) if treffer else ""


def chips(antwort):
    """The texts of the removable filter chips, in order."""
    seite = antwort.content.decode()
    return [text(t) for t in re.findall(r'<a class="chip" href="[^"]*">(.*?) <span', seite)]


def suchfehler(antwort):
    """The lines of the "Bitte prüfen Sie Ihre Suche" box above a list."""
    seite = antwort.content.decode()
    kasten = re.search(
        r'<div class="hinweis hinweis--fehler" role="alert">(.*?)</div>', seite, re.S
    )
    return (
        [text(z) for z in re.findall(r"<li[^>]*>(.*?)</li>", kasten.group(1), re.S)]
        if kasten
        else []
    )
