"""Page weight of one page: its HTML plus the stylesheets and scripts it links, as served.

Usage: python bench/seitengewicht.py URL  → TSV on stdout, one line per resource:
    kind  path  media  uncompressed  served  content-encoding  gzip-6

"served" is what went over the wire with `Accept-Encoding: br, gzip`, as every current browser
asks over HTTPS (whitenoise serves its pre-compressed .br files, or .gz to a client without
Brotli). The HTML of public pages comes gzipped from Django (atlas/kopfzeilen.py); "gzip-6"
gives each resource compressed at nginx's usual level 6 for comparison. Images the map loads
later (tiles, markers) are not counted.
"""

import gzip
import sys
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import brotli


class Verweise(HTMLParser):
    """Collects <link rel=stylesheet href> and <script src> in document order."""

    def __init__(self):
        super().__init__()
        self.gefunden = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.gefunden.append(("css", a["href"], a.get("media") or "all"))
        elif tag == "script" and a.get("src"):
            self.gefunden.append(("js", a["src"], ""))


def holen(url):
    anfrage = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(anfrage, timeout=30) as antwort:
        geliefert = antwort.read()
        kodierung = antwort.headers.get("Content-Encoding", "") or "-"
    entpacken = {"gzip": gzip.decompress, "br": brotli.decompress}.get(kodierung)
    roh = entpacken(geliefert) if entpacken else geliefert
    return roh, len(geliefert), kodierung


def main(url):
    html, geliefert, kodierung = holen(url)
    zeilen = [("html", urlsplit(url).path + "?" + urlsplit(url).query, "", html, geliefert,
               kodierung)]  # fmt: skip
    parser = Verweise()
    parser.feed(html.decode("utf-8"))
    for art, pfad, media in parser.gefunden:
        roh, geliefert, kodierung = holen(urljoin(url, pfad))
        zeilen.append((art, pfad, media, roh, geliefert, kodierung))
    for art, pfad, media, roh, geliefert, kodierung in zeilen:
        gzip6 = len(gzip.compress(roh, compresslevel=6, mtime=0))
        print(art, pfad, media or "-", len(roh), geliefert, kodierung, gzip6, sep="\t")


if __name__ == "__main__":
    main(sys.argv[1])
