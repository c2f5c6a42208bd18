"""Default texts of the legal pages, and the small markup the Redaktion writes them in.

The defaults say what this software does (cookies, logs, forms, maps) and put in
[square brackets] what only the operator knows. Migration atlas 0003 stores them, the
Redaktion edits them in the admin ("Rechtstexte").
"""

import re
from urllib.parse import urlsplit

from django.conf import settings

IMPRESSUM = """## Anbieter

[Name der Behörde oder des Trägers, z. B. Landratsamt Esslingen – Kreisjugendamt]
[Straße und Hausnummer]
[PLZ Ort]

Vertreten durch: [Name, Funktion, z. B. der Landrat]

## Kontakt

Telefon: [Telefonnummer]
E-Mail: [E-Mail-Adresse]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 Medienstaatsvertrag

[Name, Anschrift]

## Angaben zu den Einträgen

Die Einrichtungen und Netzwerke pflegen ihre Angaben selbst oder über die \
Netzwerkkoordination. Jeder Eintrag zeigt, wann er zuletzt geprüft wurde. Wenn etwas nicht \
stimmt, nutzen Sie bitte „Angaben falsch? Fehler melden“ auf der Seite des Eintrags.

## Datenquellen

- Ortsdaten: © OpenStreetMap-Mitwirkende (ODbL), GeoNames (CC BY 4.0)
- Umriss Deutschlands auf der Karte: Natural Earth (gemeinfrei)
"""

DATENSCHUTZ = """## Verantwortlich

[Name der Behörde oder des Trägers, Anschrift, E-Mail-Adresse]

Datenschutzbeauftragte oder Datenschutzbeauftragter: [Name oder Funktion, Anschrift, E-Mail]

## Was diese Website verarbeitet

Diese Website setzt bei Besucherinnen und Besuchern keine Cookies, verwendet keine Analyse- oder \
Werbedienste und lädt ohne Ihre Zustimmung nichts von anderen Servern: Schriften, Programme, \
Bilder und der Kartenhintergrund kommen vom eigenen Server.

### Server-Protokolle

Bei jedem Aufruf verarbeitet der Server Ihre IP-Adresse, Datum und Uhrzeit, die aufgerufene \
Adresse, den Statuscode und die Angaben Ihres Browsers (User-Agent), um die Seite auszuliefern \
und Angriffe abzuwehren. Die Protokolle werden nach [Anzahl] Tagen gelöscht. Rechtsgrundlage: \
Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit [Landesdatenschutzgesetz].

### Schutz vor Überlastung

Damit niemand die Seite überlastet, zählt der Server Anfragen je IP-Adresse für kurze Zeit im \
Arbeitsspeicher (bei Downloads und der Schnittstelle {drosselung} Sekunden, beim \
Meldeformular {meldung_sekunden} Sekunden). Danach ist die Zählung gelöscht.

### Suche in Ihrer Nähe

Wenn Sie „In meiner Nähe“ wählen, fragt Ihr Browser Sie, ob er Ihren Standort mitteilen darf. \
Der Standort wird nur als Teil der Suchanfrage an diesen Server gesendet, nicht gespeichert \
und nicht weitergegeben.

### Meldeformular „Angaben falsch?“

Wenn Sie einen Fehler melden, speichern wir Ihren Text und – nur wenn Sie sie angeben – Ihre \
E-Mail-Adresse oder Telefonnummer für Rückfragen. Die Meldung sehen die für den Eintrag \
zuständige Netzwerkkoordination und die Redaktion; sie bekommen eine E-Mail-Benachrichtigung. \
Erledigte Meldungen werden nach {meldung_tage} Tagen gelöscht. Rechtsgrundlage: Art. 6 Abs. 1 \
Buchst. e DSGVO.

### Erinnerungen an Einrichtungen

Einrichtungen, deren Angaben länger als {monate} Monate nicht bestätigt wurden, bekommen an \
die im Eintrag angegebene E-Mail-Adresse eine Erinnerung mit einem Link, mit dem sie die \
Angaben bestätigen oder eine Änderung vorschlagen können. Wir speichern, wann welche \
Erinnerung an welche Adresse ging.

### Karten

Die Karten zeigen zunächst einen Hintergrund vom eigenen Server. Erst wenn Sie auf \
„Stadtplan laden“ klicken, lädt Ihr Browser Kartenbilder von {kachel_host} ({kachel_anbieter}). \
Dabei erhält dieser Anbieter Ihre IP-Adresse, den Kartenausschnitt und die Angaben Ihres \
Browsers. Ihre Wahl speichert Ihr Browser (im „lokalen Speicher“, kein Cookie); sie wird \
nicht an uns übertragen. Mit „Stadtplan ausblenden“ nehmen Sie sie zurück.

### Konten der Mitarbeitenden

Nur wer sich in der Verwaltung anmeldet, bekommt ein Sitzungs-Cookie; es endet mit dem \
Schließen des Browsers, spätestens nach 8 Stunden.

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und \
Widerspruch sowie das Recht, sich bei der Aufsichtsbehörde zu beschweren: \
[Name und Anschrift der Landesbeauftragten für den Datenschutz]. \
"""

BARRIEREFREIHEIT = """[Name der Behörde oder des Trägers] ist bemüht, diese Website im \
Einklang mit \
[§ 12a Behindertengleichstellungsgesetz (BGG) und der Barrierefreie-Informationstechnik-\
Verordnung (BITV 2.0) / den landesrechtlichen Vorschriften] barrierefrei zugänglich zu machen.

## Stand der Vereinbarkeit mit den Anforderungen

Diese Website ist [vollständig / weitgehend / teilweise] mit den Anforderungen der BITV 2.0 \
(EN 301 549, WCAG 2.1 Stufe AA) vereinbar.

## Nicht barrierefreie Inhalte

[Liste der bekannten Barrieren und ihrer Gründe, oder: Keine bekannt.]

Die Karten ergänzen die Listen; alle Einträge stehen auch in den Listen. Die Seiten \
funktionieren ohne JavaScript.

## Erstellung dieser Erklärung

Diese Erklärung wurde am [Datum] erstellt und zuletzt am [Datum] überprüft. Grundlage ist \
[eine Selbstbewertung / eine Prüfung durch …]; jede Seite wird bei jeder Änderung automatisch \
mit axe-core (WCAG 2.1 A und AA) geprüft.

## Barrieren melden: Feedback und Kontakt

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann schreiben Sie uns:
E-Mail: [E-Mail-Adresse]
Telefon: [Telefonnummer]
Post: [Anschrift]
Wir antworten innerhalb von [Anzahl] Wochen.

## Schlichtungsverfahren

Wenn Sie auf Ihre Rückmeldung keine oder keine zufriedenstellende Antwort bekommen haben, \
können Sie sich an die Schlichtungsstelle wenden. [Bei Bundesbehörden: die \
Schlichtungsstelle nach § 16 BGG beim Beauftragten der Bundesregierung für die Belange von \
Menschen mit Behinderungen, Mauerstraße 53, 10117 Berlin, Telefon 030 18 527-2805, \
info@schlichtungsstelle-bgg.de, https://www.schlichtungsstelle-bgg.de. Bei Behörden eines \
Landes oder einer Kommune: die Durchsetzungs- oder Schlichtungsstelle Ihres Landes, z. B. \
in Baden-Württemberg die Ombudsstelle bei der Landes-Behindertenbeauftragten.] \
Das Verfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand. \
"""

TITEL = {
    "impressum": "Impressum",
    "datenschutz": "Datenschutzerklärung",
    "barrierefreiheit": "Erklärung zur Barrierefreiheit",
}


def standardtext(seite):
    """The default text of a legal page, with this deployment's settings filled in."""
    host = urlsplit(settings.MAP_TILE_URL).hostname or settings.MAP_TILE_URL
    vorlagen = {"impressum": IMPRESSUM, "datenschutz": DATENSCHUTZ}
    return (
        vorlagen.get(seite, BARRIEREFREIHEIT)
        .replace("{drosselung}", str(settings.DROSSELUNG_SEKUNDEN))
        .replace("{meldung_sekunden}", str(settings.MELDUNG_SEKUNDEN))
        .replace("{meldung_tage}", str(settings.MELDUNG_LOESCHEN_TAGE))
        .replace("{monate}", str(settings.PRUEFUNG_FAELLIG_MONATE))
        .replace("{kachel_host}", host)
        .replace("{kachel_anbieter}", settings.MAP_TILE_ANBIETER)
    )


def abschnitte(text):
    """The blocks of a legal text: ("h2"|"h3"|"p", text) or ("ul", [items]).

    Blank lines separate blocks; "## " and "### " start headings, "- " list items; other
    lines of a paragraph keep their line breaks. The template escapes every text.
    """
    bloecke = []
    for roh in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        zeilen = [z.rstrip() for z in roh.split("\n") if z.strip()]
        absatz = []
        for zeile in zeilen:
            if zeile.startswith("### ") or zeile.startswith("## "):
                if absatz:
                    bloecke.append(("p", "\n".join(absatz)))
                    absatz = []
                ebene = "h3" if zeile.startswith("### ") else "h2"
                bloecke.append((ebene, zeile.split(" ", 1)[1].strip()))
            elif zeile.startswith("- "):
                if absatz:
                    bloecke.append(("p", "\n".join(absatz)))
                    absatz = []
                if bloecke and bloecke[-1][0] == "ul" and not absatz:
                    bloecke[-1][1].append(zeile[2:].strip())
                else:
                    bloecke.append(("ul", [zeile[2:].strip()]))
            else:
                absatz.append(zeile)
        if absatz:
            bloecke.append(("p", "\n".join(absatz)))
    return bloecke
