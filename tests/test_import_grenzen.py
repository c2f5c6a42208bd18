"""Import files that would hurt the server: XML tricks, sheets formatted down to the last row,
slow files; and the uploaded file's life between preview and confirm (confirm, cancel, expiry).
"""

import datetime
import functools
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from akteure.models import Akteur
from atlas import importieren
from atlas.importauftraege import auftrag_anlegen
from atlas.management.commands.aufbewahrung import aufbewahrung_anwenden
from atlas.models import Importauftrag
from tests import test_import
from tests.test_import import KOPF, ZEILEN, anzahlen, bestaetigen, csv_datei, hochladen, xlsx_datei

pytestmark = pytest.mark.django_db

welt = test_import.welt  # the import tests' fixture: our network, and another one

BLATT = "xl/worksheets/sheet1.xml"


def mit_blatt(blatt):
    """A real .xlsx (openpyxl's) whose first sheet is replaced by `blatt` (a function of the
    original sheet's XML)."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_datei([["Name", "Einrichtungsart"]])))
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as neu:
        for eintrag in original.infolist():
            inhalt = original.read(eintrag.filename)
            if eintrag.filename == BLATT:
                inhalt = blatt(inhalt.decode())
            neu.writestr(eintrag.filename, inhalt)
    return puffer.getvalue()


def mit_dtd(dtd, zelle):
    def blatt(xml):
        xml = xml.replace("<worksheet", f"<!DOCTYPE worksheet [{dtd}]><worksheet", 1)
        zeile = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{zelle}</t></is></c></row>'
        return xml.replace("</sheetData>", zeile + "</sheetData>")

    return mit_blatt(blatt)


@functools.cache
def bis_zur_letzten_zeile():
    """The case from the issue: a header and 2^20 - 1 empty but formatted rows (2.5 MB)."""

    def blatt(xml):
        leer = "".join(f'<row r="{n}" s="1" customFormat="1"/>' for n in range(2, 2**20 + 1))
        xml = xml.replace('<dimension ref="A1:B1" />', '<dimension ref="A1:B1048576" />')
        return xml.replace("</sheetData>", leer + "</sheetData>")

    return mit_blatt(blatt)


def fehler(antwort):
    assert "confirm_form" not in antwort.context
    return " ".join(antwort.context["form"].errors["import_file"])


def test_openpyxl_reads_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


LACHER = '<!ENTITY a "hahahahahahahahahaha">' + "".join(
    f'<!ENTITY {n} "{("&" + v + ";") * 10}">' for v, n in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize(
    ("dtd", "zelle"),
    [
        (LACHER, "&h;"),  # "billion laughs": 10^8 characters from a few hundred bytes
        ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"),  # an external entity
    ],
    ids=["xml-bombe", "externe-entitaet"],
)
def test_xlsx_with_entities_is_refused_with_a_german_message(client, welt, dtd, zelle):
    client.force_login(welt["koordination"])
    vorher = anzahlen()

    antwort = hochladen(client, "akteure_akteur", mit_dtd(dtd, zelle), "liste.xlsx")

    assert fehler(antwort) == (
        "Die Excel-Datei enthält XML-Anweisungen (Entitäten oder eine DTD), die Excel selbst "
        "nicht schreibt; aus Sicherheitsgründen wird sie nicht gelesen. Speichern Sie die "
        "Tabelle in Excel neu oder als CSV."
    )
    assert anzahlen() == vorher


def test_sheet_formatted_down_to_the_last_row_is_refused_by_the_row_budget(client, welt):
    client.force_login(welt["koordination"])
    inhalt = bis_zur_letzten_zeile()
    assert len(inhalt) < 5 * 1024 * 1024
    vorher = anzahlen()

    antwort = hochladen(client, "akteure_akteur", inhalt, "formatiert.xlsx")

    assert fehler(antwort) == (
        "Die Tabelle reicht über Zeile 40001 hinaus; auch leere Zeilen zählen, wenn sie "
        "formatiert sind. Bitte löschen Sie die leeren Zeilen unter Ihren Daten (oder kopieren "
        "Sie nur die Daten in eine neue Mappe) und laden Sie die Datei erneut hoch."
    )
    assert anzahlen() == vorher


def test_blank_rows_within_the_budget_are_read(client, welt):
    client.force_login(welt["koordination"])
    zeilen = [["Name", "Einrichtungsart"], *[[""] * 2] * 9000, ["Treff am Ende", "Verein"]]

    antwort = hochladen(client, "akteure_akteur", xlsx_datei(zeilen), "luecke.xlsx")

    assert antwort.context["form"].errors == {}
    neu = [z.object_repr for z in antwort.context["result"].valid_rows() if z.import_type == "new"]
    assert neu == ["Treff am Ende"]


def test_reading_stops_after_the_time_budget(client, welt, settings):
    settings.IMPORT_LESEZEIT_SEKUNDEN = 0
    client.force_login(welt["koordination"])
    zeilen = [["Name", "Einrichtungsart"]] + [[f"Treff {i}", "Verein"] for i in range(600)]

    antwort = hochladen(client, "akteure_akteur", csv_datei(zeilen))

    assert fehler(antwort) == (
        "Die Datei ließ sich nicht in 0 Sekunden lesen; bitte teilen Sie sie auf oder speichern "
        "Sie sie als CSV."
    )


# --- The uploaded file: removed after confirm, cancel, expiry ---------------------------------


def dateien():
    """The ids of the jobs that still hold an uploaded file (it lives in the database)."""
    return sorted(
        str(pk)
        for pk in Importauftrag.objects.filter(datei__isnull=False).values_list("pk", flat=True)
    )


def test_file_is_kept_for_the_confirm_step_and_removed_after_it(client, welt):
    client.force_login(welt["koordination"])
    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    name = vorschau.context["confirm_form"]["import_file_name"].value()
    assert dateien() == [name]

    antwort = bestaetigen(client, "akteure_akteur", vorschau)

    assert antwort.status_code == 302
    assert dateien() == []
    assert Akteur.objects.filter(name="Bürgertreff Nürtingen").exists()


def test_cancel_removes_the_file_and_imports_nothing(client, welt):
    client.force_login(welt["koordination"])
    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    assert len(dateien()) == 1
    vorher = anzahlen()
    form = vorschau.context["confirm_form"]
    daten = {feld.name: feld.value() or "" for feld in form}

    antwort = client.post(
        "/admin/akteure/akteur/process_import/", {**daten, "_abbrechen": "1"}, follow=True
    )

    assert antwort.redirect_chain == [("/admin/akteure/akteur/", 302)]
    assert [str(m) for m in antwort.context["messages"]] == [
        "Der Import ist abgebrochen; die hochgeladene Datei wurde gelöscht."
    ]
    assert dateien() == []
    assert anzahlen() == vorher
    # The same preview cannot be confirmed afterwards.
    antwort = client.post("/admin/akteure/akteur/process_import/", daten)
    assert antwort.status_code == 400
    assert anzahlen() == vorher


def test_cancel_page_has_the_button(client, welt):
    client.force_login(welt["koordination"])
    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    assert (
        '<input type="submit" name="_abbrechen" value="Abbrechen und Datei löschen">'
        in vorschau.content.decode()
    )


def test_expired_preview_is_refused_and_its_file_removed(client, welt):
    client.force_login(welt["koordination"])
    vorschau = hochladen(client, "akteure_akteur", csv_datei([KOPF, *ZEILEN]))
    Importauftrag.objects.update(erstellt=timezone.now() - datetime.timedelta(hours=3))
    vorher = anzahlen()

    antwort = bestaetigen(client, "akteure_akteur", vorschau)

    assert antwort.status_code == 400
    assert [str(m) for m in antwort.context["messages"]] == ["Diese Vorschau ist abgelaufen."]
    assert dateien() == []
    assert list(Importauftrag.objects.values_list("status", flat=True)) == ["abgelaufen"]
    assert anzahlen() == vorher


def test_retention_job_deletes_expired_files_only(welt):
    koordination = welt["koordination"]
    inhalt = b"Name;Einrichtungsart\r\n"
    alt, neu, fertig_alt = (
        auftrag_anlegen(
            benutzer=koordination,
            modell="akteure.akteur",
            inhalt=inhalt,
            dateiname=f"{name}.csv",
            status=status,
        )
        for name, status in [
            ("alt", Importauftrag.Status.VORSCHAU_FERTIG),
            ("neu", Importauftrag.Status.VORSCHAU_FERTIG),
            ("fertig", Importauftrag.Status.FERTIG),
        ]
    )
    Importauftrag.objects.filter(pk__in=[alt.pk, fertig_alt.pk]).update(
        erstellt=timezone.now() - datetime.timedelta(hours=3)
    )

    assert aufbewahrung_anwenden()["Importdateien"] == 2
    assert dateien() == [str(neu.pk)]
    assert dict(Importauftrag.objects.values_list("dateiname", "status")) == {
        "alt.csv": "abgelaufen",
        "neu.csv": "vorschau_fertig",
        "fertig.csv": "fertig",
    }
    assert importieren.veraltete_importdateien_entfernen() == 0
