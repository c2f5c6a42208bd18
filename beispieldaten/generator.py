"""Synthetic but plausible directory data at scale, for load tests and demos.

Rows are streamed with COPY. Ids are drawn from the tables' own sequences before the rows are
built, so slugs can carry the id (unique even when the generator runs twice) and existing data
is never touched. The search triggers of the migrations stay on; see `_angebote_laden` for the
loading order that lets them fill every vector in one pass.
"""

import bisect
import math
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from akteure.models import Akteur, Einrichtungsart, Postleitzahl, Sprache
from angebote.models import (
    LEBENSPHASEN,
    ORTSUNABHAENGIGE_FORMATE,
    Angebot,
    Format,
    Kosten,
    Termin,
    Thema,
    Zielgruppe,
)
from atlas.models import Status
from netzwerke.models import Netzwerk, Partnerschaft, Programm

HOECHSTZAHL = 5_000_000
MINDESTPARTNER = 3
HOECHSTPARTNER = 30
BLOCKGROESSE = 25_000
STREUUNG_KM = 1.5
BERLIN = ZoneInfo("Europe/Berlin")


class GeneratorFehler(ValueError):
    """Bad parameters or missing vocabulary; the message is meant for the user (German)."""


def zahl(n):
    """German thousands separator: 250.000."""
    return f"{n:,}".replace(",", ".")


def parameter_pruefen(*, angebote, akteure, netzwerke):
    for option, wert in (
        ("--angebote", angebote),
        ("--akteure", akteure),
        ("--netzwerke", netzwerke),
    ):
        if isinstance(wert, bool) or not isinstance(wert, int):
            raise GeneratorFehler(f"{option} muss eine ganze Zahl sein, nicht „{wert}“.")
        if wert < 1:
            raise GeneratorFehler(f"{option} muss mindestens 1 sein (angegeben: {wert}).")
        if wert > HOECHSTZAHL:
            raise GeneratorFehler(
                f"{option} {zahl(wert)} ist zu groß: höchstens {zahl(HOECHSTZAHL)} Zeilen je "
                "Tabelle."
            )
    if netzwerke > akteure:
        raise GeneratorFehler(
            f"Mehr Netzwerke ({netzwerke}) als Akteure ({akteure}) geht nicht: jedes Netzwerk "
            "wird von einem eigenen Akteur koordiniert."
        )
    if akteure < MINDESTPARTNER:
        raise GeneratorFehler(
            f"Ein Netzwerk braucht mindestens {MINDESTPARTNER} Partner – bitte mindestens "
            f"{MINDESTPARTNER} Akteure erzeugen."
        )


# --- Vocabulary of the generated world ------------------------------------------------------

# Relative frequency of each Einrichtungsart (by slug) among generated actors; kinds added later
# in the admin get weight 1.
ART_GEWICHT = {
    "kita": 18, "kindertagespflege": 5, "grundschule": 9, "weiterfuhrende-schule": 4,
    "familiengrundschulzentrum": 1, "volkshochschule": 1, "bibliothek": 2,
    "familienzentrum": 6, "familienbildungsstatte": 2, "beratungsstelle": 3,
    "erziehungsberatungsstelle": 2, "schwangerschaftsberatungsstelle": 1.5,
    "stadtteilzentrum": 2, "verein": 6, "wohlfahrtsverband": 2, "kirchengemeinde": 4,
    "jugendzentrum": 2, "arztpraxis": 3, "kinder-und-jugendarztpraxis": 3,
    "hebamme-familienhebamme": 4, "geburtsklinik": 0.5, "fruhforderstelle": 1,
    "gesundheitsamt": 0.3, "migrationsberatung": 1.5, "migrantenorganisation": 1.5,
    "gemeinschaftsunterkunft": 1, "sportverein": 6, "musik-tanz-oder-theaterschule": 2,
    "museum": 1, "jobcenter-agentur-fur-arbeit": 0.5, "schuldnerberatung": 0.8,
    "jugendamt": 0.4, "kommune-stadtverwaltung": 1, "landratsamt-kreisverwaltung": 0.3,
    "unternehmen": 1, "stiftung": 0.7,
}  # fmt: skip

# How many offerings an actor of a kind runs, relative (a Familienbildungsstätte runs dozens).
ANGEBOTE_JE_ART = {
    "familienbildungsstatte": 14, "volkshochschule": 10, "familienzentrum": 8,
    "familiengrundschulzentrum": 5, "stadtteilzentrum": 4, "beratungsstelle": 4,
    "erziehungsberatungsstelle": 4, "schwangerschaftsberatungsstelle": 3,
    "hebamme-familienhebamme": 3, "migrationsberatung": 3, "jugendzentrum": 3,
    "sportverein": 2.5, "musik-tanz-oder-theaterschule": 2.5, "bibliothek": 2,
    "jugendamt": 4, "gesundheitsamt": 3, "verein": 2, "migrantenorganisation": 2,
    "kirchengemeinde": 1.5, "kita": 1, "grundschule": 1, "kindertagespflege": 0.3,
    "arztpraxis": 0.3, "unternehmen": 0.3, "stiftung": 0.5,
}  # fmt: skip
STANDARD_ANGEBOTE_JE_ART = 1

# Kinds that carry other institutions (Kitas, Beratungsstellen …) as Träger.
TRAEGER_ARTEN = {"wohlfahrtsverband", "kirchengemeinde", "verein", "kommune-stadtverwaltung"}
MIT_TRAEGER = {
    "kita", "familienzentrum", "beratungsstelle", "erziehungsberatungsstelle",
    "schwangerschaftsberatungsstelle", "jugendzentrum", "stadtteilzentrum",
    "migrationsberatung", "gemeinschaftsunterkunft", "schuldnerberatung", "fruhforderstelle",
}  # fmt: skip
# Kinds that often have no public address (home-based work).
OHNE_ADRESSE = {"hebamme-familienhebamme": 0.6, "kindertagespflege": 0.5}

FANTASIE = [
    "Sonnenschein", "Regenbogen", "Pusteblume", "Löwenzahn", "Kunterbunt", "Arche Noah",
    "Sternschnuppe", "Wirbelwind", "Spatzennest", "Zwergenland", "Schatzkiste", "Abenteuerland",
    "Lindenhof", "Sonnenblume", "Purzelbaum", "Marienkäfer", "Schneckenhaus", "Rasselbande",
    "Kleine Strolche", "Villa Wunderbar", "Bullerbü", "Farbklecks", "Mosaik", "Brückenschlag",
]  # fmt: skip
HEILIGE = [
    "St. Martin", "St. Josef", "St. Marien", "St. Michael", "St. Elisabeth", "Zum Guten Hirten",
    "Christuskirche", "Johannes", "Paulus", "Lukas", "Heilig Kreuz", "St. Bonifatius",
]  # fmt: skip
PERSOENLICHKEITEN = [
    "Astrid-Lindgren", "Erich-Kästner", "Pestalozzi", "Goethe", "Schiller", "Brüder-Grimm",
    "Janusz-Korczak", "Anne-Frank", "Albert-Schweitzer", "Geschwister-Scholl", "Michael-Ende",
    "Otfried-Preußler", "Friedrich-Fröbel", "Maria-Montessori", "Heinrich-Heine", "Kepler",
]  # fmt: skip
VORNAMEN = [
    "Anna", "Maria", "Julia", "Sarah", "Laura", "Katharina", "Sabine", "Petra", "Aylin",
    "Fatma", "Olena", "Miriam", "Thomas", "Michael", "Andreas", "Stefan", "Mehmet", "Ali",
    "Jonas", "Lukas", "Nadia", "Elif", "Iryna", "Claudia", "Birgit", "Lena", "Amira",
]  # fmt: skip
NACHNAMEN = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Yılmaz", "Kaya", "Nowak", "Kowalski", "Petrović", "Haddad",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Krüger",
    "Hartmann", "Lange", "Şahin", "Bondarenko", "Popescu", "Ahmadi", "Demir", "Vogel",
]  # fmt: skip
LAGEN = [
    "Markt", "Park", "Rathaus", "Bahnhof", "Schlossberg", "Stadtpark", "See", "Mühlbach",
    "Lindenplatz", "Kirchberg", "Rosengarten", "Wasserturm",
]  # fmt: skip
STADTTEILE = [
    "Nord", "Süd", "Ost", "West", "Mitte", "Altstadt", "Neustadt", "Oberstadt", "Unterstadt",
    "Weststadt", "Oststadt", "Innenstadt",
]  # fmt: skip
STRASSEN = [
    "Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße", "Bergstraße",
    "Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße", "Schillerstraße",
    "Goethestraße", "Am Markt", "Mühlenweg", "Wiesenweg", "Rosenstraße", "Marktplatz",
    "Feldstraße", "Poststraße", "Jahnstraße", "Friedrichstraße", "Mozartstraße", "Am Anger",
]  # fmt: skip
TRAEGER_KURZ = ["AWO", "Caritas", "Diakonie", "DRK", "Der Paritätische", "SkF", "Johanniter"]

AKTEUR_NAMEN = {
    "kita": ["Kita {fantasie}", "Kindertagesstätte {fantasie}", "Ev. Kita {heilig}",
             "Kath. Kita {heilig}", "AWO-Kita {fantasie}", "Städtische Kita {strasse}",
             "Kinderhaus {fantasie}"],
    "kindertagespflege": ["Kindertagespflege {fantasie}", "Tagespflege {vorname} {nachname}",
                          "Großtagespflege {fantasie}"],
    "grundschule": ["{person}-Grundschule {ort}", "Grundschule {strasse}", "Grundschule am {lage}"],
    "weiterfuhrende-schule": ["{person}-Gymnasium {ort}", "{person}-Realschule {ort}",
                              "Gesamtschule {ort}-{stadtteil}", "Gemeinschaftsschule {ort}"],
    "familiengrundschulzentrum": ["Familiengrundschulzentrum an der {person}-Schule",
                                  "Familiengrundschulzentrum {ort}-{stadtteil}"],
    "volkshochschule": ["Volkshochschule {ort}", "VHS {ort}"],
    "bibliothek": ["Stadtbibliothek {ort}", "Stadtteilbibliothek {ort}-{stadtteil}",
                   "Gemeindebücherei {ort}"],
    "familienzentrum": ["Familienzentrum {fantasie}", "Familienzentrum {ort}-{stadtteil}",
                        "Eltern-Kind-Zentrum {fantasie}", "Mehrgenerationenhaus {ort}"],
    "familienbildungsstatte": ["Familienbildungsstätte {ort}", "Ev. Familienbildungsstätte {ort}",
                               "Kath. Familienbildungsstätte {ort}", "Haus der Familie {ort}"],
    "beratungsstelle": ["Beratungsstelle für Familien {ort}",
                        "Psychologische Beratungsstelle {ort}", "Familienberatung {traeger} {ort}"],
    "erziehungsberatungsstelle": ["Erziehungsberatungsstelle {ort}",
                                  "Beratungsstelle für Eltern, Kinder und Jugendliche {ort}"],
    "schwangerschaftsberatungsstelle": ["Schwangerschaftsberatung {traeger} {ort}",
                                        "Schwangerenberatungsstelle {ort}"],
    "stadtteilzentrum": ["Stadtteilzentrum {ort}-{stadtteil}", "Bürgerhaus {ort}",
                         "Nachbarschaftstreff {fantasie}"],
    "verein": ["{fantasie} e. V.", "Familien für {ort} e. V.", "Förderverein Kinder in {ort} e. V.",
               "Eltern helfen Eltern {ort} e. V."],
    "wohlfahrtsverband": ["{traeger} Kreisverband {ort}", "{traeger} {ort}"],
    "kirchengemeinde": ["Ev. Kirchengemeinde {ort}", "Kath. Pfarrgemeinde {heilig}",
                        "Ev.-luth. Kirchengemeinde {heilig}"],
    "jugendzentrum": ["Jugendzentrum {ort}", "Jugendtreff {fantasie}",
                      "Kinder- und Jugendhaus {ort}-{stadtteil}"],
    "arztpraxis": ["Hausarztpraxis Dr. {nachname}", "Praxis Dr. med. {vorname} {nachname}"],
    "kinder-und-jugendarztpraxis": ["Kinder- und Jugendarztpraxis Dr. {nachname}",
                                    "Kinderarztpraxis am {lage}"],
    "hebamme-familienhebamme": ["Hebammenpraxis {vorname} {nachname}",
                                "Familienhebamme {vorname} {nachname}", "Hebammenzentrum {ort}"],
    "geburtsklinik": ["Klinikum {ort} – Geburtshilfe", "Frauenklinik {heilig} {ort}"],
    "fruhforderstelle": ["Interdisziplinäre Frühförderstelle {ort}",
                         "Frühförderung {traeger} {ort}"],
    "gesundheitsamt": ["Gesundheitsamt {ort}"],
    "migrationsberatung": ["Migrationsberatung {traeger} {ort}", "Jugendmigrationsdienst {ort}",
                           "Integrationszentrum {ort}"],
    "migrantenorganisation": ["Deutsch-Türkischer Elternverein {ort} e. V.",
                              "Ukrainischer Verein {ort} e. V.", "Arabisches Familienhaus {ort}",
                              "Interkultureller Verein {fantasie} e. V."],
    "gemeinschaftsunterkunft": ["Gemeinschaftsunterkunft {strasse}",
                                "Gemeinschaftsunterkunft {ort}-{stadtteil}"],
    "sportverein": ["TSV {ort}", "SV {ort} {jahr}", "TuS {ort}", "Turnverein {ort} {jahr} e. V."],
    "musik-tanz-oder-theaterschule": ["Musikschule {ort}", "Tanzschule {nachname}",
                                      "Kindertheater {fantasie}", "Jugendkunstschule {ort}"],
    "museum": ["Stadtmuseum {ort}", "Kindermuseum {fantasie}", "Heimatmuseum {ort}"],
    "jobcenter-agentur-fur-arbeit": ["Jobcenter {ort}", "Agentur für Arbeit {ort}"],
    "schuldnerberatung": ["Schuldner- und Insolvenzberatung {ort}",
                          "Schuldnerberatung {traeger} {ort}"],
    "jugendamt": ["Jugendamt {ort}", "Amt für Jugend und Familie {ort}"],
    "kommune-stadtverwaltung": ["Stadt {ort} – Familienbüro", "Gemeinde {ort}"],
    "landratsamt-kreisverwaltung": ["Landratsamt {ort}", "Kreisverwaltung {ort}"],
    "unternehmen": ["{nachname} GmbH", "Stadtwerke {ort}", "Bäckerei {nachname}",
                    "Apotheke am {lage}"],
    "stiftung": ["Bürgerstiftung {ort}", "{nachname}-Stiftung", "Stiftung Kinderglück {ort}"],
}  # fmt: skip

OEFFNUNGSZEITEN = [
    "Mo–Fr 8:00–16:00 Uhr", "Mo–Do 9:00–17:00 Uhr, Fr 9:00–13:00 Uhr",
    "Di und Do 14:00–18:00 Uhr", "Mo–Fr 7:00–17:00 Uhr", "nach Vereinbarung",
    "Mo, Mi, Fr 9:00–12:00 Uhr", "",
]  # fmt: skip


@dataclass(frozen=True)
class Angebotsart:
    """A kind of offering: title parts, format, age bands, topics, who typically runs it."""

    titel: tuple
    format: str
    phasen: tuple  # LEBENSPHASEN slugs (contiguous); empty = no age limit
    themen: tuple  # Thema slugs
    zielgruppen: tuple  # Zielgruppe slugs
    anbieter: tuple  # Einrichtungsart slugs; empty = any kind of actor
    text: str
    gewicht: float = 1.0
    kostenbeitrag: float = 0.2
    anmeldung: float = 0.3
    kinderbetreuung: float = 0.05
    online: float = 0.0  # share offered online instead
    ohne_alter: float = 0.0  # share with no age limit despite `phasen`


# fmt: off
ANGEBOTSARTEN = [
    Angebotsart(
        ("Elterncafé", "Elternfrühstück", "Elterntreff"), Format.OFFENER_TREFF,
        phasen=("0-1", "1-3", "3-6"),
        themen=("familienbildung", "elternbeteiligung-in-kita-und-schule"),
        zielgruppen=("eltern",),
        anbieter=("familienzentrum", "kita", "familienbildungsstatte", "stadtteilzentrum",
                  "familiengrundschulzentrum", "grundschule", "kirchengemeinde"),
        text="Ein offener Treffpunkt für Eltern: bei Kaffee und Tee ins Gespräch kommen, Fragen "
             "loswerden und andere Familien aus dem Stadtteil kennenlernen.",
        gewicht=3, kostenbeitrag=0.05, anmeldung=0.05, kinderbetreuung=0.3, ohne_alter=0.4,
    ),
    Angebotsart(
        ("Babymassage-Kurs", "Babymassage"), Format.KURS,
        phasen=("0-1",),
        themen=("babymassage",),
        zielgruppen=("eltern", "mutter"),
        anbieter=("familienbildungsstatte", "familienzentrum", "hebamme-familienhebamme",
                  "volkshochschule"),
        text="Sanfte Massage für Babys ab acht Wochen: Sie lernen Griffe, die entspannen und die "
             "Bindung stärken.",
        gewicht=2, kostenbeitrag=0.7, anmeldung=0.95,
    ),
    Angebotsart(
        ("Geburtsvorbereitungskurs", "Geburtsvorbereitung für Paare"), Format.KURS,
        phasen=("schwangerschaft",),
        themen=("geburtsvorbereitung",),
        zielgruppen=("schwangere", "vater"),
        anbieter=("hebamme-familienhebamme", "geburtsklinik", "familienbildungsstatte"),
        text="Atmung, Geburtsverlauf und die ersten Tage mit dem Kind – mit einer erfahrenen "
             "Hebamme.",
        gewicht=1.5, kostenbeitrag=0.5, anmeldung=1.0, online=0.1,
    ),
    Angebotsart(
        ("Rückbildungskurs", "Rückbildungsgymnastik"), Format.KURS,
        phasen=("0-1",),
        themen=("ruckbildung",),
        zielgruppen=("mutter",),
        anbieter=("hebamme-familienhebamme", "familienbildungsstatte", "sportverein"),
        text="Beckenboden, Bauch und Rücken nach der Geburt wieder stärken; Babys dürfen "
             "mitkommen.",
        gewicht=1.5, kostenbeitrag=0.6, anmeldung=1.0,
    ),
    Angebotsart(
        ("Schwangerschaftsberatung", "Beratung rund um Schwangerschaft und Geburt"),
        Format.BERATUNG,
        phasen=("schwangerschaft", "0-1"),
        themen=("schwangerschaftsberatung",),
        zielgruppen=("schwangere",),
        anbieter=("schwangerschaftsberatungsstelle", "beratungsstelle", "gesundheitsamt"),
        text="Vertrauliche Beratung zu Schwangerschaft, finanziellen Hilfen, Elterngeld und "
             "Rechten am Arbeitsplatz.",
        gewicht=1.5, kostenbeitrag=0.0, anmeldung=0.6, online=0.1,
    ),
    Angebotsart(
        ("Familienhebamme", "Hausbesuche durch die Familienhebamme"), Format.HAUSBESUCH,
        phasen=("schwangerschaft", "0-1"),
        themen=("hebammenhilfe", "fruhe-hilfen"),
        zielgruppen=("schwangere", "eltern"),
        anbieter=("hebamme-familienhebamme", "gesundheitsamt", "jugendamt"),
        text="Die Familienhebamme besucht Sie zu Hause – von der Schwangerschaft bis zum ersten "
             "Geburtstag Ihres Kindes.",
        gewicht=1.5, kostenbeitrag=0.0, anmeldung=0.8,
    ),
    Angebotsart(
        ("Willkommensbesuch für Neugeborene", "Babybegrüßungsbesuch"), Format.HAUSBESUCH,
        phasen=("0-1",),
        themen=("fruhe-hilfen",),
        zielgruppen=("eltern",),
        anbieter=("jugendamt", "kommune-stadtverwaltung", "familienzentrum"),
        text="Wir besuchen Familien nach der Geburt, bringen ein Willkommenspaket und "
             "Informationen über Angebote in der Nähe.",
        gewicht=0.8, kostenbeitrag=0.0,
    ),
    Angebotsart(
        ("Krabbelgruppe", "Spielgruppe für die Kleinsten"), Format.OFFENER_TREFF,
        phasen=("0-1", "1-3"),
        themen=("eltern-kind-gruppe",),
        zielgruppen=("eltern",),
        anbieter=("familienzentrum", "familienbildungsstatte", "kirchengemeinde", "verein"),
        text="Spielen, singen, krabbeln: ein Vormittag für Babys und Kleinkinder mit ihren "
             "Eltern.",
        gewicht=2, anmeldung=0.2,
    ),
    Angebotsart(
        ("Eltern-Kind-Gruppe", "PEKiP-Gruppe"), Format.KURS,
        phasen=("0-1", "1-3"),
        themen=("eltern-kind-gruppe",),
        zielgruppen=("eltern",),
        anbieter=("familienbildungsstatte", "familienzentrum", "volkshochschule"),
        text="In einer festen Gruppe entdecken Kinder Bewegung und Spiel, Eltern tauschen sich "
             "aus.",
        gewicht=2, kostenbeitrag=0.7, anmeldung=0.9,
    ),
    Angebotsart(
        ("Stillcafé", "Stilltreff"), Format.OFFENER_TREFF,
        phasen=("0-1",),
        themen=("stillen-ernahrung",),
        zielgruppen=("mutter",),
        anbieter=("hebamme-familienhebamme", "familienzentrum", "geburtsklinik"),
        text="Fragen zum Stillen und zur Ernährung im ersten Lebensjahr – mit Hebamme und "
             "anderen Müttern.",
        kostenbeitrag=0.0, anmeldung=0.1,
    ),
    Angebotsart(
        ("Sprechstunde für Schreibabys", "Beratung bei Schlaf- und Schreiproblemen"),
        Format.BERATUNG,
        phasen=("0-1", "1-3"),
        themen=("schlafen-schreien",),
        zielgruppen=("eltern",),
        anbieter=("erziehungsberatungsstelle", "beratungsstelle", "kinder-und-jugendarztpraxis",
                  "fruhforderstelle"),
        text="Wenn das Baby viel schreit oder schlecht schläft: Beratung und Entlastung für "
             "Eltern.",
        kostenbeitrag=0.0, anmeldung=0.7,
    ),
    Angebotsart(
        ("Elternkurs „Gelassen erziehen“", "Elternkurs „Stark durch Erziehung“", "Elternkurs"),
        Format.KURS,
        phasen=("1-3", "3-6", "6-10", "10-16"),
        themen=("elternkurs",),
        zielgruppen=("eltern",),
        anbieter=("familienbildungsstatte", "familienzentrum", "erziehungsberatungsstelle",
                  "volkshochschule", "familiengrundschulzentrum"),
        text="In sechs Abenden geht es um Grenzen, Regeln und Streit im Familienalltag – "
             "praxisnah und ohne erhobenen Zeigefinger.",
        gewicht=2, kostenbeitrag=0.6, anmeldung=1.0, kinderbetreuung=0.3, online=0.15,
    ),
    Angebotsart(
        ("Erziehungsberatung", "Beratung für Eltern, Kinder und Jugendliche"), Format.BERATUNG,
        phasen=("0-1", "1-3", "3-6", "6-10", "10-16", "16-27"),
        themen=("erziehungsberatung",),
        zielgruppen=("eltern", "jugendliche"),
        anbieter=("erziehungsberatungsstelle", "beratungsstelle", "jugendamt"),
        text="Kostenfreie und vertrauliche Beratung bei Fragen zur Erziehung, bei Konflikten "
             "oder Krisen in der Familie.",
        gewicht=2.5, kostenbeitrag=0.0, anmeldung=0.8, online=0.1, ohne_alter=0.5,
    ),
    Angebotsart(
        ("Väter-Kind-Treff", "Papa-Kind-Samstag"), Format.OFFENER_TREFF,
        phasen=("1-3", "3-6", "6-10"),
        themen=("vaterangebote",),
        zielgruppen=("vater",),
        anbieter=("familienzentrum", "familienbildungsstatte", "verein"),
        text="Zeit für Väter und Kinder: gemeinsam spielen, bauen, draußen sein.",
        kostenbeitrag=0.1,
    ),
    Angebotsart(
        ("Treff für Alleinerziehende", "Frühstück für Alleinerziehende"), Format.OFFENER_TREFF,
        phasen=("0-1", "1-3", "3-6", "6-10"),
        themen=("alleinerziehende",),
        zielgruppen=("alleinerziehende",),
        anbieter=("familienzentrum", "stadtteilzentrum", "beratungsstelle", "verein"),
        text="Austausch, Tipps und Unterstützung für Ein-Eltern-Familien; die Kinder werden "
             "betreut.",
        kostenbeitrag=0.0, anmeldung=0.2, kinderbetreuung=0.7, ohne_alter=0.5,
    ),
    Angebotsart(
        ("Elternabend Medienerziehung", "Medienkompetenz für Eltern"), Format.VERANSTALTUNG,
        phasen=("3-6", "6-10", "10-16"),
        themen=("medien-digitales",),
        zielgruppen=("eltern",),
        anbieter=("familienbildungsstatte", "grundschule", "weiterfuhrende-schule",
                  "volkshochschule", "bibliothek"),
        text="Wie viel Bildschirmzeit ist gut? Was tun bei Streit ums Handy? Informationen und "
             "Austausch für Eltern.",
        kostenbeitrag=0.1, anmeldung=0.6, online=0.35,
    ),
    Angebotsart(
        ("Sprachcafé für Eltern", "Sprachtreff für Mütter"), Format.OFFENER_TREFF,
        phasen=(),
        themen=("deutschkurs", "elternbegleitung-fur-zugewanderte-familien"),
        zielgruppen=("eltern", "neu-zugewanderte-familien"),
        anbieter=("migrationsberatung", "migrantenorganisation", "familienzentrum",
                  "volkshochschule", "bibliothek", "stadtteilzentrum"),
        text="Deutsch sprechen im Alltag üben – ohne Druck, mit Kinderbetreuung und vielen Tipps "
             "für Kita, Schule und Ämter.",
        gewicht=2, kostenbeitrag=0.0, anmeldung=0.1, kinderbetreuung=0.6,
    ),
    Angebotsart(
        ("Deutschkurs mit Kinderbetreuung", "Integrationskurs für Eltern"), Format.KURS,
        phasen=(),
        themen=("deutschkurs",),
        zielgruppen=("neu-zugewanderte-familien", "mutter"),
        anbieter=("volkshochschule", "migrationsberatung", "familienbildungsstatte"),
        text="Deutsch lernen, während die Kinder nebenan betreut werden.",
        gewicht=1.5, kostenbeitrag=0.3, anmeldung=1.0, kinderbetreuung=0.9,
    ),
    Angebotsart(
        ("Hausaufgabenhilfe", "Lernhilfe am Nachmittag"), Format.OFFENER_TREFF,
        phasen=("6-10", "10-16"),
        themen=("hausaufgabenhilfe-lernforderung",),
        zielgruppen=("kinder",),
        anbieter=("grundschule", "jugendzentrum", "verein", "stadtteilzentrum", "bibliothek",
                  "migrantenorganisation", "gemeinschaftsunterkunft", "familiengrundschulzentrum"),
        text="Unterstützung bei Hausaufgaben und beim Lernen, in kleinen Gruppen und mit festen "
             "Ansprechpersonen.",
        gewicht=2.5, kostenbeitrag=0.1, anmeldung=0.5,
    ),
    Angebotsart(
        ("Lernpatenschaften", "Lesepaten"), Format.BERATUNG,
        phasen=("6-10", "10-16"),
        themen=("hausaufgabenhilfe-lernforderung",),
        zielgruppen=("kinder",),
        anbieter=("verein", "stiftung", "bibliothek"),
        text="Ehrenamtliche Patinnen und Paten begleiten Kinder einmal pro Woche beim Lernen.",
        gewicht=0.8, kostenbeitrag=0.0, anmeldung=1.0,
    ),
    Angebotsart(
        ("Vorlesestunde", "Bilderbuchkino"), Format.VERANSTALTUNG,
        phasen=("3-6", "6-10"),
        themen=("sprachforderung",),
        zielgruppen=("kinder",),
        anbieter=("bibliothek", "kita", "museum"),
        text="Geschichten hören, Bilder anschauen, mitreden: Vorlesen macht Lust auf Sprache.",
        gewicht=1.5, kostenbeitrag=0.0, anmeldung=0.1,
    ),
    Angebotsart(
        ("Elternprogramm Sprachförderung", "Rucksack-Gruppe"), Format.KURS,
        phasen=("3-6",),
        themen=("sprachforderung", "elternbeteiligung-in-kita-und-schule"),
        zielgruppen=("eltern", "neu-zugewanderte-familien"),
        anbieter=("kita", "familienzentrum"),
        text="Eltern erfahren, wie sie die Sprachentwicklung ihres Kindes im Alltag fördern – "
             "auch in der Familiensprache.",
        kostenbeitrag=0.0, anmeldung=0.8, kinderbetreuung=0.5,
    ),
    Angebotsart(
        ("Elternabend „Bald bin ich ein Schulkind“", "Infoabend Übergang Kita–Schule"),
        Format.VERANSTALTUNG,
        phasen=("3-6", "6-10"),
        themen=("ubergang-kita-schule",),
        zielgruppen=("eltern",),
        anbieter=("kita", "grundschule", "familiengrundschulzentrum"),
        text="Was braucht mein Kind für den Schulstart? Informationen zur Einschulung und Zeit "
             "für Fragen.",
        kostenbeitrag=0.0,
    ),
    Angebotsart(
        ("Elternbegleitung für zugewanderte Familien", "Elternbegleiterin im Stadtteil"),
        Format.BERATUNG,
        phasen=("0-1", "1-3", "3-6", "6-10", "10-16"),
        themen=("elternbegleitung-fur-zugewanderte-familien",),
        zielgruppen=("neu-zugewanderte-familien", "eltern"),
        anbieter=("migrationsberatung", "familienbildungsstatte", "gemeinschaftsunterkunft",
                  "familienzentrum", "migrantenorganisation"),
        text="Qualifizierte Elternbegleiterinnen unterstützen Familien bei Fragen zu Kita, "
             "Schule und Bildungswegen – auf Wunsch mit Sprachmittlung.",
        gewicht=1.5, kostenbeitrag=0.0, anmeldung=0.4, ohne_alter=0.5,
    ),
    Angebotsart(
        ("Migrationsberatung für Familien", "Beratung zu Aufenthalt und Asyl"), Format.BERATUNG,
        phasen=(),
        themen=("asyl-und-aufenthaltsberatung",),
        zielgruppen=("neu-zugewanderte-familien",),
        anbieter=("migrationsberatung", "wohlfahrtsverband"),
        text="Beratung zu Aufenthalt, Familiennachzug, Anträgen und Behördenbriefen.",
        kostenbeitrag=0.0, anmeldung=0.5,
    ),
    Angebotsart(
        ("Sprachmittlung für Familien", "Dolmetschdienst für Gespräche in Kita und Schule"),
        Format.BERATUNG,
        phasen=(),
        themen=("sprachmittlung-dolmetschen",),
        zielgruppen=("neu-zugewanderte-familien", "fachkrafte"),
        anbieter=("migrantenorganisation", "migrationsberatung", "kommune-stadtverwaltung"),
        text="Ehrenamtliche Sprachmittlerinnen begleiten Elterngespräche, Arzttermine und "
             "Behördengänge.",
        gewicht=0.8, kostenbeitrag=0.0, anmeldung=0.8,
    ),
    Angebotsart(
        ("Beratung zu Bildung und Teilhabe", "Hilfe beim Antrag auf Kinderzuschlag"),
        Format.BERATUNG,
        phasen=(),
        themen=("finanzielle-hilfen-bildung-und-teilhabe",),
        zielgruppen=("eltern", "alleinerziehende"),
        anbieter=("jobcenter-agentur-fur-arbeit", "kommune-stadtverwaltung",
                  "landratsamt-kreisverwaltung", "beratungsstelle"),
        text="Wir helfen beim Antrag auf Leistungen für Schulausflüge, Mittagessen, "
             "Lernförderung und Vereinsbeiträge.",
        kostenbeitrag=0.0, anmeldung=0.5,
    ),
    Angebotsart(
        ("Schuldnerberatung für Familien",), Format.BERATUNG,
        phasen=(),
        themen=("schuldnerberatung",),
        zielgruppen=("eltern",),
        anbieter=("schuldnerberatung", "wohlfahrtsverband"),
        text="Gemeinsam einen Überblick über Schulden gewinnen und Wege aus der Überschuldung "
             "finden.",
        kostenbeitrag=0.0, anmeldung=0.9,
    ),
    Angebotsart(
        ("Wiedereinstieg in den Beruf", "Beratung für Berufsrückkehrende"), Format.BERATUNG,
        phasen=(),
        themen=("wiedereinstieg-beruf",),
        zielgruppen=("mutter", "vater", "alleinerziehende"),
        anbieter=("jobcenter-agentur-fur-arbeit", "volkshochschule", "familienbildungsstatte"),
        text="Zurück in den Job nach der Familienzeit: Beratung zu Teilzeit, Kinderbetreuung und "
             "Weiterbildung.",
        gewicht=0.8, kostenbeitrag=0.0, anmeldung=0.8, online=0.2,
    ),
    Angebotsart(
        ("Bewerbungstraining", "Berufsorientierung für Jugendliche"), Format.KURS,
        phasen=("10-16", "16-27"),
        themen=("ubergang-schule-beruf",),
        zielgruppen=("jugendliche", "junge-erwachsene"),
        anbieter=("jobcenter-agentur-fur-arbeit", "jugendzentrum", "weiterfuhrende-schule",
                  "verein"),
        text="Lebenslauf, Anschreiben, Vorstellungsgespräch: fit werden für Ausbildung und Job.",
        kostenbeitrag=0.0, anmeldung=0.8,
    ),
    Angebotsart(
        ("Eltern-Kind-Turnen",), Format.KURS,
        phasen=("1-3", "3-6"),
        themen=("sport-bewegung",),
        zielgruppen=("eltern", "kinder"),
        anbieter=("sportverein", "familienzentrum", "verein"),
        text="Klettern, Rollen, Balancieren: Bewegungslandschaft für Kleinkinder mit Mama oder "
             "Papa.",
        gewicht=2, kostenbeitrag=0.6, anmeldung=0.5,
    ),
    Angebotsart(
        ("Kinderturnen", "Kindersport", "Ballschule"), Format.KURS,
        phasen=("3-6", "6-10"),
        themen=("sport-bewegung",),
        zielgruppen=("kinder",),
        anbieter=("sportverein",),
        text="Spielerisch Bewegung lernen in einer festen Gruppe.",
        gewicht=2, kostenbeitrag=0.7, anmeldung=0.6,
    ),
    Angebotsart(
        ("Musikgarten", "Musikalische Früherziehung"), Format.KURS,
        phasen=("1-3", "3-6"),
        themen=("musik-tanz-theater",),
        zielgruppen=("kinder", "eltern"),
        anbieter=("musik-tanz-oder-theaterschule", "familienbildungsstatte", "volkshochschule"),
        text="Singen, tanzen, Instrumente ausprobieren – Musik von Anfang an.",
        gewicht=1.5, kostenbeitrag=0.9, anmeldung=1.0,
    ),
    Angebotsart(
        ("Theaterwerkstatt für Kinder", "Tanzkurs für Kinder"), Format.KURS,
        phasen=("6-10", "10-16"),
        themen=("musik-tanz-theater",),
        zielgruppen=("kinder",),
        anbieter=("musik-tanz-oder-theaterschule", "jugendzentrum"),
        text="Spielen, tanzen, auf der Bühne stehen: Ausdruck und Selbstvertrauen stärken.",
        kostenbeitrag=0.7, anmeldung=0.9,
    ),
    Angebotsart(
        ("Ferienprogramm", "Ferienbetreuung"), Format.VERANSTALTUNG,
        phasen=("6-10", "10-16"),
        themen=("ferienangebote",),
        zielgruppen=("kinder", "jugendliche"),
        anbieter=("jugendzentrum", "kommune-stadtverwaltung", "sportverein", "museum", "verein",
                  "stadtteilzentrum", "unternehmen"),
        text="Ausflüge, Werkstätten und Spiele in den Schulferien.",
        gewicht=1.5, kostenbeitrag=0.5, anmeldung=0.9,
    ),
    Angebotsart(
        ("Offener Jugendtreff", "Jugendcafé"), Format.OFFENER_TREFF,
        phasen=("10-16", "16-27"),
        themen=("offene-kinder-und-jugendarbeit",),
        zielgruppen=("jugendliche",),
        anbieter=("jugendzentrum", "kirchengemeinde", "stadtteilzentrum"),
        text="Chillen, kickern, Musik machen, reden – ein Ort für Jugendliche mit offenem Ohr.",
        gewicht=1.5, kostenbeitrag=0.0, anmeldung=0.0,
    ),
    Angebotsart(
        ("Fachtag Kinderschutz", "Fortbildung Frühe Hilfen für Fachkräfte"), Format.VERANSTALTUNG,
        phasen=(),
        themen=("kinderschutz", "fruhe-hilfen"),
        zielgruppen=("fachkrafte",),
        anbieter=("jugendamt", "landratsamt-kreisverwaltung", "wohlfahrtsverband",
                  "beratungsstelle"),
        text="Fachkräfte aus Kita, Schule, Gesundheitswesen und Jugendhilfe tauschen sich aus.",
        gewicht=0.6, kostenbeitrag=0.3, anmeldung=1.0, online=0.2,
    ),
    Angebotsart(
        ("Beratung bei Trennung und Scheidung", "Gruppe „Kinder im Blick“"), Format.BERATUNG,
        phasen=(),
        themen=("trennung-scheidung",),
        zielgruppen=("eltern", "alleinerziehende"),
        anbieter=("erziehungsberatungsstelle", "beratungsstelle", "jugendamt"),
        text="Unterstützung für Eltern in Trennung – damit die Kinder gut durch die Zeit kommen.",
        kostenbeitrag=0.0, anmeldung=0.7,
    ),
    Angebotsart(
        ("Online-Elternsprechstunde", "Elternberatung per Video"), Format.ONLINE,
        phasen=("0-1", "1-3", "3-6", "6-10", "10-16"),
        themen=("erziehungsberatung", "psychische-gesundheit"),
        zielgruppen=("eltern",),
        anbieter=("beratungsstelle", "erziehungsberatungsstelle", "familienbildungsstatte"),
        text="Beratung per Video oder Chat, anonym und ohne Anfahrt.",
        kostenbeitrag=0.0, anmeldung=0.6, ohne_alter=0.5,
    ),
    Angebotsart(
        ("Entwicklungsberatung", "Offene Sprechstunde Frühförderung"), Format.BERATUNG,
        phasen=("0-1", "1-3", "3-6"),
        themen=("fruhforderung-behinderung", "kindergesundheit"),
        zielgruppen=("eltern", "familien-mit-kindern-mit-behinderung"),
        anbieter=("fruhforderstelle", "kinder-und-jugendarztpraxis", "gesundheitsamt"),
        text="Sie machen sich Sorgen um die Entwicklung Ihres Kindes? Wir beraten und vermitteln "
             "Hilfen.",
        kostenbeitrag=0.0, anmeldung=0.6,
    ),
    Angebotsart(
        ("Kochkurs „Gesund essen mit Kindern“", "Familienkochkurs"), Format.KURS,
        phasen=("1-3", "3-6", "6-10"),
        themen=("ernahrung-bewegung",),
        zielgruppen=("eltern",),
        anbieter=("familienbildungsstatte", "volkshochschule", "gesundheitsamt", "kita"),
        text="Einfache, günstige und gesunde Rezepte für den Familienalltag – gemeinsam kochen "
             "und essen.",
        kostenbeitrag=0.8, anmeldung=1.0,
    ),
    Angebotsart(
        ("Gesprächsgruppe für belastete Eltern", "Elterngruppe „Stark bleiben“"), Format.BERATUNG,
        phasen=(),
        themen=("psychische-gesundheit",),
        zielgruppen=("eltern",),
        anbieter=("beratungsstelle", "erziehungsberatungsstelle", "gesundheitsamt"),
        text="Wenn der Alltag über den Kopf wächst: Austausch und Entlastung in einer kleinen "
             "Gruppe.",
        gewicht=0.8, kostenbeitrag=0.0, anmeldung=0.7, kinderbetreuung=0.4, online=0.2,
    ),
    Angebotsart(
        ("Beratung bei häuslicher Gewalt",), Format.BERATUNG,
        phasen=(),
        themen=("gewaltschutz", "krisenhilfe"),
        zielgruppen=("mutter",),
        anbieter=("beratungsstelle", "wohlfahrtsverband"),
        text="Vertrauliche Beratung und Schutz für Frauen und ihre Kinder.",
        gewicht=0.6, kostenbeitrag=0.0, anmeldung=0.2, online=0.2,
    ),
    Angebotsart(
        ("Großeltern-Treff", "Leihgroßeltern-Vermittlung"), Format.OFFENER_TREFF,
        phasen=("0-1", "1-3", "3-6", "6-10"),
        themen=("familienbildung",),
        zielgruppen=("groeltern",),
        anbieter=("familienzentrum", "stadtteilzentrum", "verein"),
        text="Ältere Menschen und junge Familien finden zusammen – zum Vorlesen, Spielen und "
             "Helfen.",
        gewicht=0.6, kostenbeitrag=0.0, anmeldung=0.5, ohne_alter=0.5,
    ),
    Angebotsart(
        ("Infoabend Vorsorgeuntersuchungen", "Impfsprechstunde"), Format.VERANSTALTUNG,
        phasen=("0-1", "1-3", "3-6"),
        themen=("kindergesundheit",),
        zielgruppen=("eltern",),
        anbieter=("kinder-und-jugendarztpraxis", "gesundheitsamt", "arztpraxis"),
        text="Was passiert bei den U-Untersuchungen? Welche Impfungen sind wann empfohlen?",
        kostenbeitrag=0.0, anmeldung=0.4,
    ),
    Angebotsart(
        ("Offene Sprechstunde für Familien", "Familiensprechstunde"), Format.BERATUNG,
        phasen=(),
        themen=("familienbildung",),
        zielgruppen=("eltern",),
        anbieter=(),
        text="Ohne Termin vorbeikommen: wir hören zu, beraten und vermitteln weiter.",
        kostenbeitrag=0.0, anmeldung=0.1,
    ),
    Angebotsart(
        ("Familienfest", "Spielenachmittag für Familien"), Format.VERANSTALTUNG,
        phasen=("1-3", "3-6", "6-10"),
        themen=("familienbildung",),
        zielgruppen=("eltern", "kinder"),
        anbieter=(),
        text="Spiele, Musik und Essen für alle Generationen – eine gute Gelegenheit, uns "
             "kennenzulernen.",
        kostenbeitrag=0.1, anmeldung=0.1, ohne_alter=0.3,
    ),
]
# fmt: on

# Languages besides German, weighted by how often family services offer them.
SPRACHEN_GEWICHT = {
    "tr": 25, "ar": 22, "uk": 15, "ru": 12, "en": 10, "fa": 6, "pl": 5, "ro": 4, "bg": 3,
    "ku": 3, "prs": 2, "ti": 1, "so": 1, "sq": 2, "it": 1, "es": 1, "fr": 1, "gsg": 1,
}  # fmt: skip

ZEITEN = [
    "montags 9:30–11:00 Uhr", "dienstags 15:00–17:00 Uhr", "mittwochs 10:00–11:30 Uhr",
    "donnerstags 16:00–18:00 Uhr", "freitags 9:00–12:00 Uhr", "jeden 1. Samstag im Monat",
    "Mo–Fr 14:00–16:30 Uhr (außer in den Ferien)", "jeden 2. Dienstag im Monat, 19:30 Uhr",
]  # fmt: skip
ZEITEN_BERATUNG = ["nach Vereinbarung", "offene Sprechstunde dienstags 14–16 Uhr",
                   "Termine nach telefonischer Absprache"]  # fmt: skip
KOSTEN_HINWEISE = [
    "2 € pro Treffen", "45 € für 8 Termine, ermäßigt 20 €", "60 € pro Kurs",
    "Kostenübernahme über Bildung und Teilhabe möglich", "5 € Materialkosten",
    "nach Selbsteinschätzung", "Mitgliedsbeitrag des Vereins",
]  # fmt: skip
ANMELDE_HINWEISE = [
    "Telefonisch oder per E-Mail.", "Über das Anmeldeformular auf unserer Website.",
    "Persönlich zu den Öffnungszeiten.", "Bitte bis eine Woche vorher anmelden.",
]  # fmt: skip

PROGRAMM_GEWICHT = {
    "elternbegleitungsnetzwerke": 30, "fruehe-hilfen": 35,
    "praeventionsnetzwerke-kinderarmut": 20, "familiengrundschulzentren": 15,
}  # fmt: skip
# Which kinds of actor usually coordinate a network of a programme.
KOORDINATION_ARTEN = {
    "elternbegleitungsnetzwerke": ("familienbildungsstatte", "familienzentrum", "volkshochschule",
                                   "migrationsberatung", "verein"),
    "fruehe-hilfen": ("jugendamt", "gesundheitsamt", "landratsamt-kreisverwaltung",
                      "kommune-stadtverwaltung", "familienzentrum"),
    "praeventionsnetzwerke-kinderarmut": ("kommune-stadtverwaltung", "jugendamt",
                                          "landratsamt-kreisverwaltung", "familienzentrum"),
    "familiengrundschulzentren": ("familiengrundschulzentrum", "grundschule"),
}  # fmt: skip
NETZWERK_NAMEN = {
    "elternbegleitungsnetzwerke": ["Elternbegleitungsnetzwerk {ort}",
                                   "Netzwerk Elternchance {ort}"],
    "fruehe-hilfen": ["Netzwerk Frühe Hilfen {ort}", "Frühe Hilfen {ort}"],
    "praeventionsnetzwerke-kinderarmut": ["Präventionsnetzwerk gegen Kinderarmut {ort}",
                                          "Präventionskette {ort}"],
    "familiengrundschulzentren": ["Familiengrundschulzentrum {ort}-{stadtteil}",
                                  "FGZ-Netzwerk {ort}"],
}  # fmt: skip
STECKBRIEF = {
    "ziele": [
        "Familien früh erreichen und Übergänge von der Kita in die Schule begleiten.",
        "Alle Kinder im Sozialraum sollen gleiche Chancen auf Bildung und Teilhabe haben.",
        "Angebote bekannter machen und Zugangswege für zugewanderte Familien öffnen.",
    ],
    "fokus": [
        "Übergang Kita–Grundschule",
        "Familien in Armutslagen",
        "Familien mit Fluchterfahrung",
        "Schwangerschaft und die ersten drei Lebensjahre",
        "Elternbeteiligung an Schulen",
    ],
    "merkmale": [
        "Verbindliche Kooperationsvereinbarung, monatliche Netzwerktreffen, gemeinsame "
        "Angebotsübersicht.",
        "Mehrsprachige Elternbegleiterinnen, kurze Wege zwischen Kita, Schule und Beratung.",
    ],
    "rahmenbedingungen": [
        "Ländlicher Raum mit langen Wegen und wenig Nahverkehr.",
        "Dicht besiedelter Stadtteil mit hohem Anteil junger Familien.",
        "Kleinstadt mit mehreren Gemeinschaftsunterkünften.",
    ],
    "stand_heute": [
        "Das Netzwerk trifft sich regelmäßig; erste gemeinsame Angebote laufen.",
        "Die Partner kennen sich, die Zusammenarbeit ist noch projektbezogen.",
    ],
    "ziel_drei_jahre": [
        "Jede Familie im Sozialraum kennt mindestens ein Angebot des Netzwerks.",
        "Die Präventionskette ist von der Geburt bis zum Berufseinstieg geschlossen.",
    ],
}
NOTIZEN = ["", "", "", "Kooperationsvereinbarung unterzeichnet", "nimmt an Netzwerktreffen teil",
           "stellt Räume zur Verfügung"]  # fmt: skip
TERMIN_HINWEISE = ["", "", "", "Bitte Hausschuhe mitbringen.", "Mit Kinderbetreuung.",
                   "Treffpunkt am Haupteingang."]  # fmt: skip
TERMIN_HINWEISE_ONLINE = ["", "Der Link kommt nach der Anmeldung.", "Kamera ist freiwillig."]


# --- Helpers ----------------------------------------------------------------------------------


class Gewichtet:
    """Weighted choice by bisecting cumulative weights: O(log n) per draw for 100 000 actors."""

    def __init__(self, werte, gewichte):
        self.werte = list(werte)
        self.summen, summe = [], 0.0
        for g in gewichte:
            summe += g
            self.summen.append(summe)
        self.summe = summe

    def ziehen(self, rng):
        i = bisect.bisect_right(self.summen, rng.random() * self.summe)
        return self.werte[min(i, len(self.werte) - 1)]


# German transliteration before slugify, which would drop "ß" and flatten "ü" to "u".
UMSCHRIFT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                           "ß": "ss", "–": "-"})  # fmt: skip


@lru_cache(maxsize=50_000)
def _slug_basis(text):
    return slugify(text.translate(UMSCHRIFT))[:200].strip("-") or "eintrag"


def slug_mit_id(text, pk):
    return f"{_slug_basis(text)}-{pk}"


def _ausfuellen(vorlage, rng, ort, **extra):
    werte = {
        "ort": ort,
        "fantasie": rng.choice(FANTASIE),
        "heilig": rng.choice(HEILIGE),
        "person": rng.choice(PERSOENLICHKEITEN),
        "vorname": rng.choice(VORNAMEN),
        "nachname": rng.choice(NACHNAMEN),
        "lage": rng.choice(LAGEN),
        "stadtteil": rng.choice(STADTTEILE),
        "strasse": rng.choice(STRASSEN),
        "traeger": rng.choice(TRAEGER_KURZ),
        "jahr": rng.choice(("1860", "1896", "1908", "1921", "1949", "1972")),
        **extra,
    }
    text = vorlage.format(**werte)
    return " ".join(text.replace(" -", " ").split()).strip(" -–")


def akteur_name(rng, art_slug, art_name, ort):
    vorlagen = AKTEUR_NAMEN.get(art_slug) or ["{art} {ort}"]
    return _ausfuellen(rng.choice(vorlagen), rng, ort, art=art_name)[:200]


def altersspanne(rng, art):
    """An age range in months that follows the LEBENSPHASEN bands (pregnancy negative)."""
    if not art.phasen or rng.random() < art.ohne_alter:
        return None, None
    reihe = [p for p in LEBENSPHASEN if p.slug in art.phasen]
    i, j = 0, len(reihe) - 1
    if len(reihe) > 1 and rng.random() < 0.5:
        i = rng.randrange(len(reihe))
        j = rng.randrange(i, len(reihe))
    return reihe[i].von_monate, reihe[j].bis_monate


def angebot_titel(rng, art, ort, anbieter, sprache_name=None):
    """A plausible German title: the kind's name plus place, provider or language."""
    titel = rng.choice(art.titel)
    wurf = rng.random()
    if sprache_name and wurf < 0.5:
        titel = f"{titel} – auch auf {sprache_name}"
    elif wurf < 0.45 and ort:
        titel = f"{titel} in {ort}"
    elif wurf < 0.65 and ort:
        titel = f"{titel} {ort}-{rng.choice(STADTTEILE)}"
    elif wurf < 0.85:
        titel = f"{titel} – {anbieter}"
    return titel[:200]


def _punkt(lat, lon):
    return f"SRID=4326;POINT({lon:.6f} {lat:.6f})"


def _zeitstempel_paar(rng, jetzt, max_tage):
    erstellt = jetzt - timedelta(seconds=rng.randrange(max_tage * 86_400))
    geaendert = erstellt + (jetzt - erstellt) * rng.random()
    return erstellt, geaendert


def _geprueft(rng, heute):
    """Most records were confirmed by a person at some point in the last three years."""
    return heute - timedelta(days=rng.randrange(3 * 365)) if rng.random() < 0.8 else None


def _status(rng):
    wurf = rng.random()
    if wurf < 0.86:
        return Status.VEROEFFENTLICHT.value
    return Status.ENTWURF.value if wurf < 0.96 else Status.ARCHIVIERT.value


# --- Loading ----------------------------------------------------------------------------------


@dataclass
class Vokabular:
    arten: list  # (id, slug, name)
    sprachen: dict  # code -> (id, name)
    themen: dict  # slug -> (id, oberthema_id)
    zielgruppen: dict  # slug -> id
    programme: list  # (id, slug, name)
    plz: list  # (plz, ort, lat, lon)


def vokabular_laden():
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT plz, ort, ST_Y(punkt::geometry), ST_X(punkt::geometry) "
            f"FROM {Postleitzahl._meta.db_table} ORDER BY plz"
        )
        plz = cur.fetchall()
    vokabular = Vokabular(
        arten=list(Einrichtungsart.objects.order_by("id").values_list("id", "slug", "name")),
        sprachen={c: (i, n) for i, c, n in Sprache.objects.order_by("id").values_list(
            "id", "code", "name")},
        themen={s: (i, o) for i, s, o in Thema.objects.order_by("id").values_list(
            "id", "slug", "oberthema_id")},
        zielgruppen=dict(Zielgruppe.objects.order_by("id").values_list("slug", "id")),
        programme=list(Programm.objects.order_by("id").values_list("id", "slug", "name")),
        plz=plz,
    )  # fmt: skip
    for name, werte in (
        ("Einrichtungsarten", vokabular.arten),
        ("Sprachen", vokabular.sprachen),
        ("Themen", vokabular.themen),
        ("Zielgruppen", vokabular.zielgruppen),
        ("Programme", vokabular.programme),
        ("Postleitzahlen", vokabular.plz),
    ):
        if not werte:
            raise GeneratorFehler(
                f"Das Vokabular „{name}“ ist leer. Bitte zuerst `python manage.py migrate` "
                "ausführen – die Migrationen legen Einrichtungsarten, Sprachen, Themen, "
                "Zielgruppen, Programme und Postleitzahlen an."
            )
    if "de" not in vokabular.sprachen:
        raise GeneratorFehler(
            "Die Sprache „de“ fehlt. Bitte zuerst `python manage.py migrate` ausführen."
        )
    return vokabular


def ids_reservieren(cur, modell, anzahl):
    """Draw `anzahl` ids from the table's own identity sequence (safe beside other writers)."""
    tabelle = modell._meta.db_table
    cur.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [tabelle, anzahl],
    )
    return [zeile[0] for zeile in cur.fetchall()]


def kopieren(cur, tabelle, spalten, zeilen):
    with cur.copy(f"COPY {tabelle} ({', '.join(spalten)}) FROM STDIN") as kopie:
        for zeile in zeilen:
            kopie.write_row(zeile)


class Protokoll:
    def __init__(self, stdout):
        self.stdout = stdout
        self.start = time.monotonic()

    def __call__(self, text):
        if self.stdout is not None:
            self.stdout.write(f"[{time.monotonic() - self.start:7.1f} s] {text}\n")


# --- The world --------------------------------------------------------------------------------


class AkteurInfo(NamedTuple):
    """What later stages need to know about one generated actor."""

    id: int
    art: str  # Einrichtungsart slug
    name: str
    ort: str
    plz: str
    strasse: str
    lat: float  # also set when the actor has no public location (network search uses it)
    lon: float
    standort: str | None  # EWKT
    barrierefrei: bool
    domain: str
    traeger: int | None  # index into the list of generated actors


AKTEUR_SPALTEN = (
    "id", "status", "geprueft_am", "erstellt_am", "geaendert_am", "name", "slug",
    "beschreibung", "strasse", "plz", "ort", "standort", "telefon", "email", "website",
    "barrierefrei", "barrierefreiheit", "oeffnungszeiten", "traeger_id", "einrichtungsart_id",
)  # fmt: skip
NETZWERK_SPALTEN = (
    "id", "status", "geprueft_am", "erstellt_am", "geaendert_am", "name", "slug",
    "foerderung_von", "foerderung_bis", "ziele", "fokus", "merkmale", "rahmenbedingungen",
    "wichtigste_partner", "stand_heute", "ziel_drei_jahre", "projekttraeger_id", "programm_id",
)  # fmt: skip
PARTNERSCHAFT_SPALTEN = ("rolle", "seit", "bis", "notiz", "akteur_id", "netzwerk_id")
ANGEBOT_SPALTEN = (
    "id", "status", "geprueft_am", "erstellt_am", "geaendert_am", "titel", "slug",
    "beschreibung", "alter_von_monate", "alter_bis_monate", "format", "kosten",
    "kosten_hinweis", "anmeldung_erforderlich", "anmeldung_hinweis", "kinderbetreuung",
    "barrierefrei", "barrierefreiheit", "strasse", "plz", "ort", "standort",
    "regelmaessige_zeiten", "gueltig_von", "gueltig_bis", "kontakt_name", "kontakt_email",
    "kontakt_telefon", "anbieter_id", "netzwerk_id", "themen_ids", "zielgruppen_ids",
    "sprachen_ids", "kooperationspartner_ids",
)  # fmt: skip
TERMIN_SPALTEN = ("beginn", "ende", "ort", "online", "anmeldestatus", "hinweis", "angebot_id")


def akteure_erzeugen(rng, cur, vok, anzahl, jetzt, heute, protokoll):
    ids = ids_reservieren(cur, Akteur, anzahl)

    orte_je_plz = {}
    for _plz, ort, _lat, _lon in vok.plz:
        orte_je_plz[ort] = orte_je_plz.get(ort, 0) + 1
    # Cluster centres: every postcode, weighted so that towns with many postcodes (big cities)
    # get more. The exponent 0.2 brings Berlin/Hamburg/München close to their population share.
    zentren = Gewichtet(range(len(vok.plz)), [orte_je_plz[z[1]] ** 0.2 for z in vok.plz])
    arten = Gewichtet(vok.arten, [ART_GEWICHT.get(slug, 1) for _i, slug, _n in vok.arten])
    fremdsprachen = [c for c in SPRACHEN_GEWICHT if c in vok.sprachen]
    fremd = Gewichtet(fremdsprachen, [SPRACHEN_GEWICHT[c] for c in fremdsprachen])
    de_id = vok.sprachen["de"][0]

    akteure = []
    traeger_je_ort = {}
    zeilen, sprach_zeilen = [], []
    for n, pk in enumerate(ids):
        plz, ort, clat, clon = vok.plz[zentren.ziehen(rng)]
        art_id, art_slug, art_name = arten.ziehen(rng)
        name = akteur_name(rng, art_slug, art_name, ort)
        slug = slug_mit_id(name, pk)
        # Gaussian jitter around the postcode centroid: dense in the middle, thinning outwards.
        lat = clat + rng.gauss(0, STREUUNG_KM) / 111.2
        lon = clon + rng.gauss(0, STREUUNG_KM) / (111.2 * math.cos(math.radians(clat)))
        ohne_adresse = rng.random() < OHNE_ADRESSE.get(art_slug, 0.0)
        standort = None if ohne_adresse else _punkt(lat, lon)
        strasse = "" if ohne_adresse else f"{rng.choice(STRASSEN)} {rng.randint(1, 120)}"
        status = _status(rng)
        geprueft = _geprueft(rng, heute)
        erstellt, geaendert = _zeitstempel_paar(rng, jetzt, 5 * 365)
        domain = f"{_slug_basis(name)[:40].strip('-')}.example"
        barrierefrei = rng.random() < 0.4
        traeger = None
        if art_slug in MIT_TRAEGER and rng.random() < 0.5 and traeger_je_ort.get(ort):
            traeger = rng.choice(traeger_je_ort[ort])
        if art_slug in TRAEGER_ARTEN:
            traeger_je_ort.setdefault(ort, []).append(n)
        zeilen.append((
            pk, status, geprueft, erstellt, geaendert, name, slug,
            f"{art_name} in {ort}." if ort else art_name,
            strasse, plz, ort, standort,
            f"0{rng.randint(30, 9999)} {rng.randint(10000, 999999)}",
            f"info@{domain}", f"https://www.{domain}/" if rng.random() < 0.7 else "",
            barrierefrei, "Eingang ebenerdig, Aufzug vorhanden." if barrierefrei else "",
            "" if ohne_adresse else rng.choice(OEFFNUNGSZEITEN),
            ids[traeger] if traeger is not None else None, art_id,
        ))  # fmt: skip
        if rng.random() < 0.95:
            sprach_zeilen.append((pk, de_id))
        if rng.random() < 0.25:
            for code in sorted({fremd.ziehen(rng) for _ in range(rng.randint(1, 2))}):
                sprach_zeilen.append((pk, vok.sprachen[code][0]))
        akteure.append(
            AkteurInfo(pk, art_slug, name, ort, plz, strasse, lat, lon, standort, barrierefrei,
                       domain, traeger)
        )  # fmt: skip

        if len(zeilen) >= BLOCKGROESSE or n == anzahl - 1:
            kopieren(cur, Akteur._meta.db_table, AKTEUR_SPALTEN, zeilen)
            zeilen = []
            protokoll(f"Akteure: {zahl(n + 1):>9} / {zahl(anzahl)}")
    sprachen_tabelle = Akteur.sprachen.through._meta.db_table
    kopieren(cur, sprachen_tabelle, ("akteur_id", "sprache_id"), sprach_zeilen)
    return akteure, len(sprach_zeilen)


class Raster:
    """A coarse lat/lon grid (~11 km cells) to find actors near a point without a query."""

    GROESSE = 0.1

    def __init__(self, akteure):
        self.zellen = {}
        for i, akteur in enumerate(akteure):
            self.zellen.setdefault(self._zelle(akteur.lat, akteur.lon), []).append(i)

    def _zelle(self, lat, lon):
        return int(lat // self.GROESSE), int(lon // (self.GROESSE * 1.5))

    def nahe(self, lat, lon, mindestens, max_ringe=25):
        """Actors in rings of cells around the point until `mindestens` are found."""
        zy, zx = self._zelle(lat, lon)
        gefunden = list(self.zellen.get((zy, zx), ()))
        for r in range(1, max_ringe + 1):
            if len(gefunden) >= mindestens:
                break
            for dy in range(-r, r + 1):
                for dx in range(-r, r + 1) if abs(dy) == r else (-r, r):
                    gefunden.extend(self.zellen.get((zy + dy, zx + dx), ()))
        return gefunden


@dataclass
class Netze:
    ids: list
    mitglieder: list  # per network: actor indices, coordinator first
    von_akteur: dict  # actor index -> [network index]


def netzwerke_erzeugen(rng, cur, vok, akt, anzahl, jetzt, heute, protokoll):
    ids = ids_reservieren(cur, Netzwerk, anzahl)
    programme = Gewichtet(
        vok.programme, [PROGRAMM_GEWICHT.get(s, 10) for _i, s, _n in vok.programme]
    )
    raster = Raster(akt)

    # Each network gets its own coordinator, preferably of a kind typical for the programme.
    reihenfolge = list(range(len(akt)))
    rng.shuffle(reihenfolge)
    je_art = {}
    for i in reihenfolge:
        je_art.setdefault(akt[i].art, []).append(i)
    vergeben, naechster_freier = set(), 0

    netze = Netze(ids, [], {})
    netz_zeilen, partner_zeilen, namen = [], [], set()
    for k, pk in enumerate(ids):
        programm_id, programm_slug, programm_name = programme.ziehen(rng)
        koordination = None
        bevorzugt = list(KOORDINATION_ARTEN.get(programm_slug, ()))
        rng.shuffle(bevorzugt)
        for art in bevorzugt:
            kandidaten = je_art.get(art, [])
            while kandidaten and kandidaten[-1] in vergeben:
                kandidaten.pop()
            if kandidaten:
                koordination = kandidaten.pop()
                break
        if koordination is None:
            while reihenfolge[naechster_freier] in vergeben:
                naechster_freier += 1
            koordination = reihenfolge[naechster_freier]
        vergeben.add(koordination)
        zentrum = akt[koordination]

        # 3–30 partners including the coordinator, mostly small; drawn from the neighbourhood.
        ziel = min(len(akt), round(rng.triangular(MINDESTPARTNER, HOECHSTPARTNER, 8)))
        nahe = [i for i in raster.nahe(zentrum.lat, zentrum.lon, ziel * 2) if i != koordination]
        partner = set(rng.sample(nahe, min(ziel - 1, len(nahe))))
        while len(partner) < ziel - 1:  # sparse data: fill from anywhere
            i = rng.randrange(len(akt))
            if i != koordination:
                partner.add(i)
        mitglieder = [koordination, *sorted(partner)]
        netze.mitglieder.append(mitglieder)
        for i in mitglieder:
            netze.von_akteur.setdefault(i, []).append(k)

        vorlagen = NETZWERK_NAMEN.get(programm_slug) or [f"{programm_name} {{ort}}"]
        name = _ausfuellen(rng.choice(vorlagen), rng, zentrum.ort or "Landkreis")[:180]
        if name in namen:
            name = f"{name} – {rng.choice(STADTTEILE)}"
        namen.add(name)
        beginn = (heute - timedelta(days=rng.randrange(30, 6 * 365))).replace(day=1)
        ende = beginn.replace(year=beginn.year + rng.choice((2, 3, 4))) - timedelta(days=1)
        erstellt, geaendert = _zeitstempel_paar(rng, jetzt, 4 * 365)
        traeger = zentrum.traeger if zentrum.traeger is not None and rng.random() < 0.5 else None
        netz_zeilen.append((
            pk, _status(rng), _geprueft(rng, heute), erstellt, geaendert, name,
            slug_mit_id(name, pk), beginn, ende if rng.random() < 0.9 else None,
            rng.choice(STECKBRIEF["ziele"]), rng.choice(STECKBRIEF["fokus"]),
            rng.choice(STECKBRIEF["merkmale"]), rng.choice(STECKBRIEF["rahmenbedingungen"]),
            ", ".join(akt[i].name for i in mitglieder[1:4]),
            rng.choice(STECKBRIEF["stand_heute"]), rng.choice(STECKBRIEF["ziel_drei_jahre"]),
            akt[koordination if traeger is None else traeger].id, programm_id,
        ))  # fmt: skip
        for i in mitglieder:
            rolle = Partnerschaft.Rolle.KOORDINATION if i == koordination else "partner"
            seit = beginn + timedelta(days=rng.randrange(0, 400))
            partner_zeilen.append((rolle, seit, None, rng.choice(NOTIZEN), akt[i].id, pk))

    kopieren(cur, Netzwerk._meta.db_table, NETZWERK_SPALTEN, netz_zeilen)
    kopieren(cur, Partnerschaft._meta.db_table, PARTNERSCHAFT_SPALTEN, partner_zeilen)
    protokoll(f"Netzwerke: {zahl(anzahl)} mit {zahl(len(partner_zeilen))} Partnerschaften")
    return netze, len(partner_zeilen)


class Angebotswelt:
    """Lookups shared by all offerings of one run."""

    def __init__(self, vok, akt, netze, jetzt, heute):
        self.vok, self.akt, self.netze, self.jetzt, self.heute = vok, akt, netze, jetzt, heute
        self.anbieter = Gewichtet(
            range(len(akt)), [ANGEBOTE_JE_ART.get(a.art, STANDARD_ANGEBOTE_JE_ART) for a in akt]
        )
        # Per kind of actor, the offering kinds it typically runs (generic kinds weigh less).
        self.arten = {}
        for art_slug in sorted({a.art for a in akt}):
            passend = [(a, a.gewicht) for a in ANGEBOTSARTEN if art_slug in a.anbieter]
            faktor = 0.15 if passend else 1
            paare = passend + [(a, a.gewicht * faktor) for a in ANGEBOTSARTEN if not a.anbieter]
            self.arten[art_slug] = Gewichtet([a for a, _ in paare], [g for _, g in paare])
        self.blatt_themen = [i for i, ober in vok.themen.values() if ober] or [
            i for i, _ober in vok.themen.values()
        ]
        codes = [c for c in SPRACHEN_GEWICHT if c in vok.sprachen]
        self.fremdsprachen = Gewichtet(codes, [SPRACHEN_GEWICHT[c] for c in codes])
        self.deutsch = vok.sprachen["de"][0]
        self.zielgruppe_standard = vok.zielgruppen.get("eltern") or min(vok.zielgruppen.values())
        self.termin_tage = [heute + timedelta(days=d) for d in range(-60, 181)]


def angebot_entwerfen(rng, welt, pk, links):
    """One offering row for COPY; its through-table rows and dates are appended to `links`."""
    vok, heute = welt.vok, welt.heute
    a = welt.anbieter.ziehen(rng)
    anbieter = welt.akt[a]
    art = welt.arten[anbieter.art].ziehen(rng)

    format_ = art.format
    if art.online and rng.random() < art.online:
        format_ = Format.ONLINE.value

    sprachen = [welt.deutsch] if rng.random() < 0.96 else []
    sprach_name = None
    mehrsprachig = 0.55 if "neu-zugewanderte-familien" in art.zielgruppen else 0.12
    if rng.random() < mehrsprachig or not sprachen:
        codes = sorted({welt.fremdsprachen.ziehen(rng) for _ in range(rng.randint(1, 3))})
        sprachen += [vok.sprachen[c][0] for c in codes]
        sprach_name = vok.sprachen[codes[0]][1]

    titel = angebot_titel(rng, art, anbieter.ort, anbieter.name, sprach_name)
    von, bis = altersspanne(rng, art)
    kostenlos = rng.random() >= art.kostenbeitrag
    anmeldung = rng.random() < art.anmeldung
    kinderbetreuung = rng.random() < art.kinderbetreuung

    # The offering takes place at the provider's address; online offerings and home visits
    # need none (home visits sometimes keep the office as their place).
    standort, strasse = anbieter.standort, anbieter.strasse
    if format_ == Format.ONLINE or (format_ == Format.HAUSBESUCH and rng.random() < 0.5):
        standort, strasse = None, ""
    status = _status(rng)
    if status == Status.VEROEFFENTLICHT and standort is None:
        if format_ in (Format.BERATUNG, Format.KURS) and rng.random() < 0.7:
            # A provider without public address (Familienhebamme) visits families at home.
            format_ = Format.HAUSBESUCH.value
        elif format_ not in ORTSUNABHAENGIGE_FORMATE:
            status = Status.ENTWURF.value

    saetze = [art.text]
    if format_ == Format.ONLINE:
        saetze.append("Das Angebot findet online per Video statt.")
    elif format_ == Format.HAUSBESUCH:
        saetze.append("Wir kommen zu Ihnen nach Hause.")
    else:
        saetze.append(f"Ort: {anbieter.name}.")
    if kostenlos:
        saetze.append("Die Teilnahme ist kostenlos.")
    saetze.append(
        "Bitte melden Sie sich vorher an." if anmeldung else "Eine Anmeldung ist nicht nötig."
    )
    if kinderbetreuung:
        saetze.append("Während des Angebots werden die Kinder betreut.")
    if sprach_name:
        saetze.append(f"Wir sprechen auch {sprach_name}.")

    netzwerk = None
    if a in welt.netze.von_akteur and rng.random() < 0.6:
        netzwerk = rng.choice(welt.netze.von_akteur[a])
    gueltig_von = gueltig_bis = None
    if rng.random() < 0.3:
        gueltig_von = heute - timedelta(days=rng.randrange(-90, 365))
        if rng.random() < 0.5:
            gueltig_bis = gueltig_von + timedelta(days=rng.randrange(30, 540))
    kontakt = rng.random() < 0.5
    erstellt, geaendert = _zeitstempel_paar(rng, welt.jetzt, 4 * 365)
    nach_vereinbarung = format_ in (Format.BERATUNG, Format.HAUSBESUCH, Format.ONLINE)
    zeile = (
        pk, status, _geprueft(rng, heute), erstellt, geaendert, titel, slug_mit_id(titel, pk),
        " ".join(saetze), von, bis, format_,
        Kosten.KOSTENLOS.value if kostenlos else Kosten.KOSTENBEITRAG.value,
        "" if kostenlos else rng.choice(KOSTEN_HINWEISE),
        anmeldung, rng.choice(ANMELDE_HINWEISE) if anmeldung else "",
        kinderbetreuung, anbieter.barrierefrei and format_ != Format.HAUSBESUCH, "",
        strasse, anbieter.plz, anbieter.ort, standort,
        rng.choice(ZEITEN_BERATUNG if nach_vereinbarung else ZEITEN), gueltig_von, gueltig_bis,
        f"{rng.choice(VORNAMEN)} {rng.choice(NACHNAMEN)}" if kontakt else "",
        f"kontakt@{anbieter.domain}" if kontakt else "",
        f"0{rng.randint(30, 9999)} {rng.randint(10000, 999999)}" if kontakt else "",
        anbieter.id, welt.netze.ids[netzwerk] if netzwerk is not None else None,
    )  # fmt: skip

    themen = {vok.themen[s][0] for s in art.themen if s in vok.themen}
    if not themen or rng.random() < 0.25:
        themen.add(rng.choice(welt.blatt_themen))
    themen = sorted(themen)
    links["themen"] += [(pk, t) for t in themen]
    gruppen = [vok.zielgruppen[s] for s in art.zielgruppen if s in vok.zielgruppen]
    gruppen = gruppen[: rng.randint(1, len(gruppen))] if gruppen else [welt.zielgruppe_standard]
    links["zielgruppen"] += [(pk, g) for g in gruppen]
    links["sprachen"] += [(pk, s) for s in sprachen]
    # The copies of the links that the triggers of migration 0009 would write (sorted by id).
    zeile += (themen, sorted(gruppen), sorted(sprachen))

    partner = set()
    if rng.random() < 0.15:
        # Partners of the same network, or of any network, or actors from anywhere.
        if netzwerk is not None:
            kreis = welt.netze.mitglieder[netzwerk]
        elif rng.random() < 0.2:
            kreis = rng.choice(welt.netze.mitglieder)
        else:
            kreis = [rng.randrange(len(welt.akt)) for _ in range(3)]
        partner = {welt.akt[i].id for i in rng.sample(kreis, min(2, len(kreis))) if i != a}
        links["kooperation"] += [(pk, p) for p in sorted(partner)]
    zeile += (sorted(partner),)  # the copy of migration 0031

    if format_ in (Format.KURS, Format.VERANSTALTUNG, Format.ONLINE) and rng.random() < 0.35:
        links["termin"] += termine_entwerfen(rng, welt, pk, format_, strasse, anbieter)
    return zeile


def termine_entwerfen(rng, welt, pk, format_, strasse, anbieter):
    """One date for an event, a weekly series for a course; from two months ago to half a year."""
    tag = rng.choice(welt.termin_tage)
    stunde, minute = rng.randint(9, 19), rng.choice((0, 15, 30))
    dauer = timedelta(minutes=rng.choice((60, 90, 120, 180)))
    online = format_ == Format.ONLINE
    ort = "" if online else ", ".join(t for t in (strasse, f"{anbieter.plz} {anbieter.ort}") if t)
    wurf = rng.random()
    anmeldestatus = (
        Termin.Anmeldestatus.OFFEN if wurf < 0.8
        else Termin.Anmeldestatus.AUSGEBUCHT if wurf < 0.92
        else Termin.Anmeldestatus.GESCHLOSSEN
    )  # fmt: skip
    hinweis = rng.choice(TERMIN_HINWEISE_ONLINE if online else TERMIN_HINWEISE)
    erster = datetime(tag.year, tag.month, tag.day, stunde, minute, tzinfo=BERLIN)
    serie = rng.randint(4, 8) if format_ == Format.KURS else 1
    return [
        (beginn, beginn + dauer, ort.strip()[:300], online, anmeldestatus.value, hinweis, pk)
        for beginn in (erster + timedelta(days=7 * woche) for woche in range(serie))
    ]


def angebote_erzeugen(rng, cur, welt, anzahl, protokoll):
    through = {feld: getattr(Angebot, feld).through._meta.db_table for feld in (
        "themen", "zielgruppen", "sprachen", "kooperationspartner")}  # fmt: skip
    zaehler = dict.fromkeys(("themen", "zielgruppen", "sprachen", "kooperation", "termin"), 0)
    fertig = 0
    while fertig < anzahl:
        ids = ids_reservieren(cur, Angebot, min(BLOCKGROESSE, anzahl - fertig))
        links = {schluessel: [] for schluessel in zaehler}
        zeilen = [angebot_entwerfen(rng, welt, pk, links) for pk in ids]

        # Links first: their FKs are deferred, and the statement triggers on the link tables
        # then find no offering to update. The row trigger on the offerings, fired by the next
        # COPY, reads the topics already there – so every search vector is computed once, with
        # its topics, by the migration's own function, and the rows bring their id copies
        # themselves (no second UPDATE of 250 000 rows).
        kopieren(cur, through["themen"], ("angebot_id", "thema_id"), links["themen"])
        kopieren(cur, through["zielgruppen"], ("angebot_id", "zielgruppe_id"), links["zielgruppen"])
        kopieren(cur, through["sprachen"], ("angebot_id", "sprache_id"), links["sprachen"])
        kopieren(
            cur, through["kooperationspartner"], ("angebot_id", "akteur_id"), links["kooperation"]
        )
        kopieren(cur, Angebot._meta.db_table, ANGEBOT_SPALTEN, zeilen)
        kopieren(cur, Termin._meta.db_table, TERMIN_SPALTEN, links["termin"])
        for schluessel, werte in links.items():
            zaehler[schluessel] += len(werte)
        fertig += len(ids)
        protokoll(f"Angebote: {zahl(fertig):>9} / {zahl(anzahl)}")
    return zaehler


def daten_generieren(*, angebote, akteure, netzwerke, seed, stdout=None):
    """Add a plausible German directory to the database in one transaction; returns counts."""
    parameter_pruefen(angebote=angebote, akteure=akteure, netzwerke=netzwerke)
    protokoll = Protokoll(stdout)
    rng = random.Random(seed)
    jetzt, heute = timezone.now(), timezone.localdate()

    with transaction.atomic(), connection.cursor() as django_cursor:
        vok = vokabular_laden()
        # The raw psycopg 3 cursor, for COPY; same connection, same transaction.
        with django_cursor.connection.cursor() as cur:
            akt, akteur_sprachen = akteure_erzeugen(rng, cur, vok, akteure, jetzt, heute, protokoll)
            netze, partnerschaften = netzwerke_erzeugen(
                rng, cur, vok, akt, netzwerke, jetzt, heute, protokoll
            )
            welt = Angebotswelt(vok, akt, netze, jetzt, heute)
            links = angebote_erzeugen(rng, cur, welt, angebote, protokoll)

            protokoll("Statistiken aktualisieren (ANALYZE) …")
            tabellen = [
                m._meta.db_table for m in (Akteur, Netzwerk, Partnerschaft, Angebot, Termin)
            ]
            tabellen += [
                feld.through._meta.db_table
                for feld in (Akteur.sprachen, Angebot.sprachen, Angebot.themen,
                             Angebot.zielgruppen, Angebot.kooperationspartner)
            ]  # fmt: skip
            for tabelle in tabellen:
                cur.execute(f"ANALYZE {tabelle}")
        protokoll("Abschließen (Fremdschlüssel prüfen, COMMIT) …")

    return {
        "akteure": akteure,
        "akteur_sprachen": akteur_sprachen,
        "netzwerke": netzwerke,
        "partnerschaften": partnerschaften,
        "angebote": angebote,
        "angebot_themen": links["themen"],
        "angebot_zielgruppen": links["zielgruppen"],
        "angebot_sprachen": links["sprachen"],
        "kooperationen": links["kooperation"],
        "termine": links["termin"],
        "sekunden": round(time.monotonic() - protokoll.start, 1),
    }
