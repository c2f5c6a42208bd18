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
