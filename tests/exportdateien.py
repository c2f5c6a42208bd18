"""Read export responses back: CSV (as German Excel would), XLSX (openpyxl), GeoJSON, iCalendar."""

import codecs
import csv
import io
import json

import openpyxl


def inhalt(antwort):
    if antwort.streaming:
        return b"".join(antwort.streaming_content)
    return antwort.content


def csv_zeilen(antwort):
    """All rows, comment lines included; asserts the German-Excel flavour on the way."""
    daten = inhalt(antwort)
    assert daten.startswith(codecs.BOM_UTF8)
    text = daten.decode("utf-8-sig")
    # Lines end with CRLF (line breaks inside quoted cells are the data's own).
    assert text.endswith("\r\n") and text.split("\n", 1)[0].endswith("\r")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def csv_tabelle(antwort):
    """(header, rows as dicts) without comment lines."""
    zeilen = [z for z in csv_zeilen(antwort) if not (z and z[0].startswith("# "))]
    kopf, *daten = zeilen
    return kopf, [dict(zip(kopf, z, strict=True)) for z in daten]


def xlsx_mappe(antwort):
    return openpyxl.load_workbook(io.BytesIO(inhalt(antwort)))


def xlsx_tabelle(antwort):
    """(sheet, header block lines, header, rows as dicts): the header row is the frozen one."""
    blatt = xlsx_mappe(antwort).active
    erste_datenzeile = int(blatt.freeze_panes[1:])
    zeilen = list(blatt.iter_rows(values_only=True))
    block = [z[0] for z in zeilen[: erste_datenzeile - 2] if z and z[0]]
    kopf = list(zeilen[erste_datenzeile - 2])
    daten = [dict(zip(kopf, z, strict=False)) for z in zeilen[erste_datenzeile - 1 :]]
    return blatt, block, kopf, daten


def geojson(antwort):
    return json.loads(inhalt(antwort).decode())


def ics_ereignisse(antwort):
    """VEVENTs as dicts of unfolded, unescaped properties; checks line length and CRLF."""
    daten = inhalt(antwort)
    assert daten.endswith(b"\r\n")
    roh = daten.split(b"\r\n")[:-1]
    assert all(len(z) <= 75 for z in roh), [z for z in roh if len(z) > 75]
    assert all(b"\n" not in z and b"\r" not in z for z in roh)
    zeilen = []
    for z in roh:
        if z.startswith(b" "):
            zeilen[-1] += z[1:]
        else:
            zeilen.append(z)
    ereignisse, aktuell = [], None
    kalender = {}
    for z in (x.decode() for x in zeilen):
        name, wert = z.split(":", 1)
        if z == "BEGIN:VEVENT":
            aktuell = {}
        elif z == "END:VEVENT":
            ereignisse.append(aktuell)
            aktuell = None
        else:
            ziel = aktuell if aktuell is not None else kalender
            ziel[name] = ics_unescape(wert)
    return kalender, ereignisse


def ics_unescape(wert):
    ergebnis, i = [], 0
    while i < len(wert):
        if wert[i] == "\\" and i + 1 < len(wert):
            ergebnis.append("\n" if wert[i + 1] in "nN" else wert[i + 1])
            i += 2
        else:
            ergebnis.append(wert[i])
            i += 1
    return "".join(ergebnis)
