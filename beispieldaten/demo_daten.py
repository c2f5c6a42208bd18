"""Load the demo data set (`manage.py demo_laden`): invented but plausible records around the
places of the seed texts – Landkreis Esslingen, Wilhelmshaven, Gelsenkirchen, Mönchengladbach
and Köln. Every record passes `full_clean()` before it is saved; the result is deterministic."""

import datetime
import random
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from akteure.models import (
    EBENEN_MIT_ORTSNAMEN,
    Akteur,
    Amtsbereich,
    Einrichtungsart,
    Kontaktperson,
    Sozialraum,
    Sprache,
    plz_aus_ortsverzeichnis,
)
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
from atlas import rollen
from atlas.models import Status
from atlas.uebersetzung import Uebersetzung, quell_hash
from auswertung.models import Bevoelkerung, Schnappschuss
from auswertung.monitoring import monatserster, schnappschuesse_schreiben
from beispieldaten.demo import steckbrief, uebersetzungen
from beispieldaten.demo.akteure import A as AKTEURE
from beispieldaten.demo.orte import FLAECHE_QUELLE, SOZIALRAEUME, STAEDTE
from beispieldaten.demo.vorlagen import VORLAGEN
from netzwerke.models import Netzwerk, Partnerschaft, Programm

SEED = 2026

# (username, password, network slug or None, role): local demo accounts only.
BENUTZER = [
    ("koordination-esslingen", "demo-esslingen-2026", "familien-staerken-landkreis-esslingen"),
    (
        "koordination-wilhelmshaven",
        "demo-wilhelmshaven-2026",
        "elternbegleitungsnetzwerk-wilhelmshaven",
    ),
    (
        "koordination-gelsenkirchen",
        "demo-gelsenkirchen-2026",
        "familiengrundschulzentren-gelsenkirchen",
    ),
    (
        "koordination-moenchengladbach",
        "demo-moenchengladbach-2026",
        "familiengrundschulzentren-moenchengladbach",
    ),
    ("koordination-koeln", "demo-koeln-2026", "netzwerk-fruehe-hilfen-koeln"),
    ("jugendamt", "demo-jugendamt-2026", None),
    ("redaktion", "demo-redaktion-2026", None),
    ("admin", "demo-admin-2026", None),
]


class DemoDatenVorhanden(Exception):
    """The database already holds Akteure: the demo is loaded only into an empty directory."""


def _speichern(obj):
    obj.full_clean()
    obj.save()
    return obj


def _box(lon_min, lat_min, lon_max, lat_max):
    ring = (
        (lon_min, lat_min),
        (lon_max, lat_min),
        (lon_max, lat_max),
        (lon_min, lat_max),
        (lon_min, lat_min),
    )
    return MultiPolygon(Polygon(ring), srid=4326)


def _flaeche(form):
    """A MultiPolygon from a box (lon_min, lat_min, lon_max, lat_max) or a ring of (lon, lat)."""
    if form and isinstance(form[0], tuple):
        return MultiPolygon(Polygon(form), srid=4326)
    return _box(*form) if form else None


def sozialraeume_anlegen():
    raeume = {}
    for slug, name, ebene, oben, form in SOZIALRAEUME:
        raum = Sozialraum.objects.filter(slug=slug).first()
        if raum is None:
            raum = _speichern(
                Sozialraum(
                    slug=slug,
                    name=name,
                    ebene=ebene,
                    uebergeordnet=raeume.get(oben),
                    flaeche=_flaeche(form),
                    flaeche_quelle=FLAECHE_QUELLE if form else "",
                    # Where the demo has no boundary, the postcodes say what lies in the area.
                    plz=plz_aus_ortsverzeichnis(name) if ebene in EBENEN_MIT_ORTSNAMEN else [],
                )
            )
        raeume[slug] = raum
    return raeume


def stadt_von(raum):
    """The Gemeinde or kreisfreie Stadt a Sozialraum belongs to (for addresses and phones)."""
    while raum is not None and raum.slug not in STAEDTE:
        raum = raum.uebergeordnet
    return raum


BESCHREIBUNGEN = {
    "jugendamt": "Das Jugendamt berät und unterstützt Familien in {ort} in allen Fragen rund um "
    "Erziehung, Kinderbetreuung und Kinderschutz und koordiniert die Netzwerke vor Ort.",
    "kita": "Kindertageseinrichtung in {ort} mit Krippen- und Kindergartengruppen. Wir legen "
    "Wert auf alltagsintegrierte Sprachförderung und eine enge Zusammenarbeit mit den Eltern.",
    "familienzentrum": "Das Familienzentrum in {ort} ist Treffpunkt, Bildungsort und "
    "Anlaufstelle für Familien im Stadtteil – mit offenen Treffs, Kursen und Beratung.",
    "familienbildungsstatte": "Die Familienbildungsstätte bietet in {ort} Kurse, Treffs und "
    "Elternbegleitung für alle Familienphasen an – von der Schwangerschaft bis zur Pubertät.",
    "familiengrundschulzentrum": "Das Familiengrundschulzentrum öffnet die Grundschule in {ort} "
    "für Eltern: mit Elterncafé, Beratung und Angeboten von Partnern aus dem Stadtteil.",
    "grundschule": "Grundschule in {ort} mit Ganztagsangebot. Eltern sind in Elterncafé, "
    "Schulfesten und Lesepatenschaften herzlich willkommen.",
    "migrationsberatung": "Die Migrationsberatung in {ort} unterstützt zugewanderte Erwachsene "
    "und Familien bei Fragen zu Aufenthalt, Sprache, Arbeit, Kita und Schule.",
    "gemeinschaftsunterkunft": "Unterkunft für geflüchtete Familien in {ort}. Sozialarbeit und "
    "Ehrenamtliche bieten Spiel- und Sprachangebote direkt vor Ort an.",
    "migrantenorganisation": "Der Verein wurde von Zugewanderten gegründet und begleitet "
    "Familien in {ort} mit Sprachmittlung, Treffpunkten und Kulturangeboten.",
    "sportverein": "Traditionsverein in {ort} mit Angeboten für Kinder, Jugendliche und "
    "Familien. Neue Mitglieder – auch ohne Vorkenntnisse – sind jederzeit willkommen.",
}
BESCHREIBUNG_STANDARD = (
    "{name} ist Partner für Familien in {ort} und arbeitet eng mit Einrichtungen im Sozialraum "
    "zusammen."
)
OEFFNUNGSZEITEN = {
    "kita": "Mo–Fr 7:00–17:00 Uhr",
    "grundschule": "Sekretariat Mo–Fr 7:30–12:30 Uhr",
    "familiengrundschulzentrum": "Mo–Fr 7:30–15:00 Uhr, Elterncafé Di und Fr ab 8 Uhr",
    "sportverein": "Geschäftsstelle Di 17–19 Uhr",
    "museum": "Di–So 10–17 Uhr, Do bis 20 Uhr",
    "jugendzentrum": "Di–Fr 14–20 Uhr",
    "geburtsklinik": "Kreißsaal rund um die Uhr; Elternschule Mo–Fr 9–15 Uhr",
    "kinder-und-jugendarztpraxis": "Mo–Fr 8–12 Uhr, Mo, Di, Do 15–18 Uhr",
    "arztpraxis": "Mo–Fr 8–12 Uhr, Mo, Di, Do 15–18 Uhr",
}
OEFFNUNGSZEITEN_STANDARD = "Mo–Fr 9–12 Uhr, Di und Do 14–17 Uhr und nach Vereinbarung"


def heute():
    return timezone.localdate()


def geprueft_datum(rng):
    """Mostly recently verified, some stale (over a year ago), a few never."""
    wurf = rng.random()
    if wurf < 0.05:
        return None
    if wurf < 0.2:
        return heute() - datetime.timedelta(days=rng.randint(400, 700))
    return heute() - datetime.timedelta(days=rng.randint(5, 300))


def akteure_anlegen(rng, raeume):
    arten = {art.slug: art for art in Einrichtungsart.objects.all()}
    sprachen = {s.code: s for s in Sprache.objects.all()}
    akteure = {}
    for nummer, (key, name, art, raum_slug, strasse, plz, lat, lon, extra) in enumerate(AKTEURE):
        raum = raeume.get(raum_slug)
        stadt = stadt_von(raum)
        ortsname, vorwahl, _ = STAEDTE[stadt.slug] if stadt else ("Berlin", "030", [])
        vorlage = BESCHREIBUNGEN.get(art, BESCHREIBUNG_STANDARD)
        akteur = Akteur(
            name=name,
            slug=slugify(name),
            einrichtungsart=arten[art],
            traeger=akteure.get(extra.get("traeger")),
            beschreibung=vorlage.format(name=name, ort=raum.name if raum else ortsname),
            strasse=strasse,
            plz=plz,
            ort=ortsname if plz else ("" if stadt else "Berlin"),
            sozialraum=raum,
            standort=Point(lon, lat, srid=4326) if lat is not None else None,
            telefon=f"{vorwahl} {rng.randint(200, 989)} {rng.randint(10, 99)}-{nummer % 9 + 1}0",
            email=f"kontakt@{key}.example.org",
            website=f"https://www.{key}.example.org/",
            barrierefrei=extra.get("barrierefrei", False),
            barrierefreiheit=(
                "Stufenloser Eingang, Aufzug und barrierefreies WC."
                if extra.get("barrierefrei")
                else ""
            ),
            oeffnungszeiten=OEFFNUNGSZEITEN.get(art, OEFFNUNGSZEITEN_STANDARD),
            status=extra.get("status", Status.VEROEFFENTLICHT),
            geprueft_am=geprueft_datum(rng),
        )
        _speichern(akteur)
        akteur.sprachen.set([sprachen["de"], *(sprachen[c] for c in extra.get("sprachen", []))])
        akteure[key] = akteur
    return akteure


def _steckbrief_esslingen():
    return {
        "ziele": steckbrief.ZIELE,
        "fokus": steckbrief.FOKUS,
        "merkmale": steckbrief.MERKMALE,
        "rahmenbedingungen": steckbrief.RAHMENBEDINGUNGEN,
        "wichtigste_partner": steckbrief.WICHTIGSTE_PARTNER,
        "stand_heute": steckbrief.STAND_HEUTE,
        "ziel_drei_jahre": steckbrief.ZIEL_DREI_JAHRE,
    }


# slug, name, programme, region, Projektträger, coordinator, partners, funding, Steckbrief
NETZWERKE = [
    (
        "familien-staerken-landkreis-esslingen",
        "Präventionsnetzwerk „Familien stärken“ Landkreis Esslingen",
        "praeventionsnetzwerke-kinderarmut",
        "landkreis-esslingen",
        "es-kja",
        "es-kja",
        [
            "es-wv",
            "es-fbs",
            "es-fz-zb",
            "es-kita-pv",
            "es-gs-me",
            "es-eb",
            "es-vhs",
            "es-jc",
            "es-sb",
            "es-tsv",
            "es-kja-nt",
            "es-stadt-os",
            "es-mo-ki",
            "es-ms",
        ],
        (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31)),
        _steckbrief_esslingen(),
    ),
    (
        "elternbegleitungsnetzwerk-wilhelmshaven",
        "Elternbegleitungsnetzwerk Wilhelmshaven",
        "elternbegleitungsnetzwerke",
        "wilhelmshaven",
        "wh-fbs",
        "wh-fbs",
        ["wh-mb", "wh-gu", "wh-kita", "wh-mo"],
        (datetime.date(2018, 1, 1), datetime.date(2022, 6, 30)),
        {
            "ziele": "- Neu zugewanderte Familien früh für Bildung gewinnen\n"
            "- Elternbegleitung dort anbieten, wo Familien leben: in Kita, Unterkunft und "
            "Verein\n- Verbindliche Zusammenarbeit der Netzwerkpartner",
            "fokus": "Niedrigschwellige, mehrsprachige Angebote für Familien mit "
            "Fluchterfahrung – vom Sprachcafé bis zur Begleitung bei der Schulanmeldung.",
            "wichtigste_partner": "Migrationsberatung, Gemeinschaftsunterkunft, Kitas und "
            "Vereine von Zugewanderten.",
        },
    ),
    (
        "familiengrundschulzentren-gelsenkirchen",
        "Familiengrundschulzentren Gelsenkirchen",
        "familiengrundschulzentren",
        "gelsenkirchen",
        "ge-ja",
        "ge-ja",
        ["ge-fgz-sc", "ge-fgz-ha", "ge-gs-ue", "ge-kita", "stiftung", "ge-sv", "ge-stz", "ge-th"],
        (datetime.date(2015, 8, 1), None),
        {
            "ziele": "- Chancengleichheit für Kinder im Stadtteil herstellen\n"
            "- Eltern als Bildungspartner der Schule gewinnen\n"
            "- Schule und Jugendhilfe im Sozialraum verbinden",
            "fokus": "Grundschulen werden zu Familienzentren mit vielfältigen Informations-, "
            "Beratungs- und Unterstützungsangeboten – aufbauend auf den Familienzentren in "
            "Kitas.",
            "rahmenbedingungen": "- Kommunale Koordinierung im Jugendamt\n"
            "- Unterstützung durch die Wübben Stiftung",
        },
    ),
    (
        "familiengrundschulzentren-moenchengladbach",
        "Familiengrundschulzentren Mönchengladbach",
        "familiengrundschulzentren",
        "moenchengladbach",
        "mg-ja",
        "mg-ja",
        ["mg-fgz-rh", "mg-gs-ha", "mg-kita", "stiftung", "mg-tv", "mg-stz", "mg-mus"],
        (datetime.date(2019, 8, 1), None),
        {
            "ziele": "- Familiengrundschulzentren an neun Standorten aufbauen\n"
            "- Wirkungsorientierte Steuerung gemeinsam mit Schule und Jugendhilfe",
            "stand_heute": "Mehrere Standorte sind gestartet; Elterncafés und Sprechstunden "
            "werden gut angenommen.",
        },
    ),
    (
        "netzwerk-fruehe-hilfen-koeln",
        "Netzwerk Frühe Hilfen Köln",
        "fruehe-hilfen",
        "koeln",
        "k-ja",
        "k-ja",
        ["k-fh", "k-gk", "k-kinderarzt", "k-ssb", "k-ff", "k-fz", "k-sb"],
        (datetime.date(2012, 1, 1), None),
        {
            "ziele": "- Familien von der Schwangerschaft bis zum dritten Lebensjahr früh "
            "erreichen\n- Gesundheitswesen und Kinder- und Jugendhilfe verbinden",
            "fokus": "Multiprofessionelle, frühzeitige Angebote einschließlich "
            "Familienhebammen; eine fachlich qualifizierte Koordinierungsstelle im Jugendamt.",
        },
    ),
]

VORNAMEN = [
    "Anna",
    "Miriam",
    "Sabine",
    "Leyla",
    "Katharina",
    "Olena",
    "Jana",
    "Nadia",
    "Thomas",
    "Mehmet",
    "Jonas",
    "Daniel",
    "Petra",
    "Farah",
    "Lukas",
    "Ines",
    "Sven",
    "Aylin",
    "Marta",
    "Stefan",
]
NACHNAMEN = [
    "Albrecht",
    "Brandt",
    "Celik",
    "Dorn",
    "Engel",
    "Fischer",
    "Gruber",
    "Haas",
    "Iwanowa",
    "Jansen",
    "Keller",
    "Lang",
    "Moser",
    "Nowak",
    "Otto",
    "Pohl",
    "Roth",
    "Sommer",
    "Thiel",
    "Vogt",
    "Winter",
    "Yilmaz",
    "Ziegler",
    "Kaya",
]
FUNKTIONEN = {
    "jugendamt": ("Netzwerkkoordination", ""),
    "familienbildungsstatte": ("Leitung Elternbegleitung", "Elternbegleiterin (Elternchance)"),
    "hebamme-familienhebamme": ("Koordination Familienhebammen", "Familienhebamme"),
    "kita": ("Kita-Leitung", "Fachkraft für Sprachförderung"),
    "familiengrundschulzentrum": ("Koordination Familiengrundschulzentrum", ""),
    "migrationsberatung": ("Migrationsberaterin", ""),
    "sportverein": ("Jugendwart", "Übungsleiter C Breitensport"),
}


def kontaktperson_anlegen(rng, akteur, nummer, koordination):
    vorname = VORNAMEN[nummer % len(VORNAMEN)]
    nachname = NACHNAMEN[(nummer * 7) % len(NACHNAMEN)]
    funktion, quali = FUNKTIONEN.get(
        akteur.einrichtungsart.slug, ("Ansprechperson für das Netzwerk", "")
    )
    oeffentlich = koordination or rng.random() < 0.5
    return _speichern(
        Kontaktperson(
            akteur=akteur,
            name=f"{vorname} {nachname}",
            funktion=funktion,
            email=f"{vorname}.{nachname}@{akteur.email.split('@')[1]}".lower(),
            telefon=akteur.telefon,
            qualifikationen=quali,
            oeffentlich=oeffentlich,
            einwilligung_am=(
                heute() - datetime.timedelta(days=rng.randint(30, 500)) if oeffentlich else None
            ),
        )
    )


def netzwerke_anlegen(rng, raeume, akteure):
    programme = {p.slug: p for p in Programm.objects.all()}
    netzwerke, mit_kontakt = {}, set()
    for slug, name, programm, region, traeger, koord, partner, (von, bis), texte in NETZWERKE:
        netzwerk = _speichern(
            Netzwerk(
                slug=slug,
                name=name,
                programm=programme[programm],
                region=raeume[region],
                projekttraeger=akteure[traeger],
                foerderung_von=von,
                foerderung_bis=bis,
                status=Status.VEROEFFENTLICHT,
                geprueft_am=heute() - datetime.timedelta(days=40),
                **texte,
            )
        )
        for key in [koord, *partner]:
            rolle = (
                Partnerschaft.Rolle.KOORDINATION if key == koord else Partnerschaft.Rolle.PARTNER
            )
            _speichern(
                Partnerschaft(
                    netzwerk=netzwerk,
                    akteur=akteure[key],
                    rolle=rolle,
                    seit=von,
                    notiz="Kooperationsvereinbarung unterzeichnet" if key == koord else "",
                )
            )
            if key not in mit_kontakt:
                mit_kontakt.add(key)
                kontaktperson_anlegen(rng, akteure[key], len(mit_kontakt), key == koord)
        netzwerk.full_clean()  # now with partners: checks the programme's minimum
        netzwerke[slug] = netzwerk
    return netzwerke


def _liste(namen):
    return namen[0] if len(namen) == 1 else f"{', '.join(namen[:-1])} und {namen[-1]}"


class AngebotBauer:
    """Turns templates plus providers into Angebote, deterministically."""

    def __init__(self, rng, raeume, akteure, netzwerke):
        self.rng, self.raeume, self.akteure = rng, raeume, akteure
        self.themen = {t.slug: t for t in Thema.objects.all()}
        self.zielgruppen = {z.slug: z for z in Zielgruppe.objects.all()}
        self.sprachen = {s.code: s for s in Sprache.objects.all()}
        self.slugs = set()
        self.netz_von = {}  # Akteur.pk -> [Netzwerk]
        self.partner_von = {}  # Netzwerk.pk -> [Akteur]
        for p in Partnerschaft.objects.select_related("akteur", "netzwerk"):
            self.netz_von.setdefault(p.akteur_id, []).append(p.netzwerk)
            self.partner_von.setdefault(p.netzwerk_id, []).append(p.akteur)
        kontakte = Kontaktperson.objects.veroeffentlicht().order_by("pk")
        self.kontakte = {k.akteur_id: k for k in kontakte}

    def slug(self, titel, anbieter):
        basis = slugify(f"{titel} {anbieter.name}")[:200].strip("-")
        slug, n = basis, 2
        while slug in self.slugs:
            slug, n = f"{basis}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def einzugsgebiet(self, anbieter):
        raum = anbieter.sozialraum
        while raum is not None and raum.ebene not in ("kreis", "gemeinde"):
            raum = raum.uebergeordnet
        return [raum] if raum else []

    def fremdsprachen(self, anbieter, vorlage):
        eigene = [s.code for s in anbieter.sprachen.all() if s.code != "de"]
        stadt = stadt_von(anbieter.sozialraum)
        moeglich = eigene or (STAEDTE[stadt.slug][2] if stadt else ["en"])
        if vorlage.mehrsprachig and self.rng.random() < 0.45:
            return self.rng.sample(moeglich, min(len(moeglich), self.rng.randint(1, 2)))
        if self.rng.random() < 0.08:
            return [self.rng.choice(moeglich)]
        return []

    def bauen(self, vorlage, anbieter, **aenderungen):
        rng = self.rng
        netze = self.netz_von.get(anbieter.pk, [])
        netzwerk = netze[0] if netze and rng.random() < 0.85 else None
        koop = None
        if netzwerk and rng.random() < 0.45:
            andere = [a for a in self.partner_von[netzwerk.pk] if a.pk != anbieter.pk]
            koop = rng.choice(andere) if andere else None
        fremd = self.fremdsprachen(anbieter, vorlage)
        text = vorlage.text
        if fremd:
            namen = [self.sprachen[c].name for c in fremd]
            text += f" Das Angebot ist auch auf {_liste(namen)} möglich."
        elif koop:
            text += f" Das Angebot findet in Kooperation mit {koop.name} statt."
        elif anbieter.barrierefrei and vorlage.format not in ORTSUNABHAENGIGE_FORMATE:
            text += " Die Räume sind barrierefrei zugänglich."
        kontakt = self.kontakte.get(anbieter.pk)
        angebot = Angebot(
            titel=vorlage.titel,
            slug=self.slug(vorlage.titel, anbieter),
            beschreibung=text,
            anbieter=anbieter,
            netzwerk=netzwerk,
            alter_von_monate=vorlage.alter[0],
            alter_bis_monate=vorlage.alter[1],
            format=vorlage.format,
            kosten=Kosten.KOSTENBEITRAG if vorlage.kosten else Kosten.KOSTENLOS,
            kosten_hinweis=vorlage.kosten,
            anmeldung_erforderlich=bool(vorlage.anmeldung),
            anmeldung_hinweis=vorlage.anmeldung,
            kinderbetreuung=vorlage.kinderbetreuung,
            barrierefrei=anbieter.barrierefrei and vorlage.format not in ORTSUNABHAENGIGE_FORMATE,
            regelmaessige_zeiten=rng.choice(vorlage.zeiten) if vorlage.zeiten else "",
            kontakt_name=kontakt.name if kontakt else "",
            kontakt_email=anbieter.email,
            kontakt_telefon=anbieter.telefon,
            status=Status.VEROEFFENTLICHT,
            geprueft_am=geprueft_datum(rng),
        )
        for feld, wert in aenderungen.items():
            setattr(angebot, feld, wert)
        # What Angebot.save() will do – done before full_clean() so validation sees it.
        angebot.ort_ergaenzen()
        _speichern(angebot)
        angebot.themen.set([self.themen[s] for s in vorlage.themen])
        angebot.zielgruppen.set([self.zielgruppen[s] for s in vorlage.zielgruppen])
        angebot.sprachen.set([self.sprachen["de"], *(self.sprachen[c] for c in fremd)])
        if koop:
            angebot.kooperationspartner.set([koop])
        if angebot.format in ORTSUNABHAENGIGE_FORMATE:
            angebot.einzugsgebiet.set(self.einzugsgebiet(anbieter))
        return angebot

    def passend(self, vorlage, anbieter):
        return anbieter.einrichtungsart.slug in vorlage.arten and (
            anbieter.standort is not None or vorlage.format in ORTSUNABHAENGIGE_FORMATE
        )

    def alle_bauen(self, je_anbieter=4):
        """Each published provider gets up to `je_anbieter` fitting templates; every template
        is used at least once."""
        anbieter = [a for a in self.akteure.values() if a.status == Status.VEROEFFENTLICHT]
        paare = []
        for akteur in anbieter:
            passende = [v for v in VORLAGEN if self.passend(v, akteur)]
            self.rng.shuffle(passende)
            paare += [(v, akteur) for v in passende[:je_anbieter]]
        for vorlage in VORLAGEN:
            if not any(v is vorlage for v, _ in paare):
                kandidaten = [a for a in anbieter if self.passend(vorlage, a)]
                paare.append((vorlage, self.rng.choice(kandidaten)))
        return [self.bauen(v, a) for v, a in paare]


def _zeitpunkt(tag, stunde, minute=0):
    return timezone.make_aware(datetime.datetime.combine(tag, datetime.time(stunde, minute)))


def _termin(angebot, beginn, dauer_min, **felder):
    felder.setdefault("ort", "" if felder.get("online") else angebot.adresse)
    return _speichern(
        Termin(
            angebot=angebot,
            beginn=beginn,
            ende=beginn + datetime.timedelta(minutes=dauer_min),
            **felder,
        )
    )


def besondere_angebote_anlegen(bauer, raeume, akteure, netzwerke):
    """Hand-made offerings of the seed texts: hotline, Fachtage and a closed online workshop."""
    from beispieldaten.demo.vorlagen import Vorlage

    geschlossen = Termin.Anmeldestatus.GESCHLOSSEN
    heute_ = heute()

    telefon = bauer.bauen(
        Vorlage(
            "Elterntelefon Frühe Hilfen Landkreis Esslingen",
            Format.BERATUNG,
            # Pregnancy to three (Frühe Hilfen): a Landkreis-wide offering with an age range, so
            # that the gap analysis can show a real gap in a later life phase.
            (-9, 35),
            ("fruhe-hilfen", "erziehungsberatung", "krisenhilfe"),
            ("eltern", "schwangere", "alleinerziehende"),
            (),
            "Am Elterntelefon der Frühen Hilfen beraten Hebammen und Fachkräfte werdende Eltern "
            "und Eltern mit Kindern bis drei Jahre anonym und vertraulich – bei Fragen zu "
            "Schlafen, Schreien und Füttern, bei Stress im Familienalltag oder in Krisen. Der "
            "Anruf ist aus dem ganzen Landkreis kostenlos. Bei Bedarf vermitteln wir "
            "Beratungsstellen in Ihrer Nähe.",
            zeiten=("Mo–Fr 9–17 Uhr, Di und Do bis 19 Uhr",),
        ),
        akteure["es-kja"],
        netzwerk=netzwerke["familien-staerken-landkreis-esslingen"],
        kontakt_telefon="0711 3902-4000",
    )
    telefon.einzugsgebiet.set([raeume["landkreis-esslingen"]])

    fachtag_fgz = bauer.bauen(
        Vorlage(
            "Kooperation Schule–Jugendhilfe: Strukturlösungen im Sozialraum am Beispiel der "
            "Familiengrundschulzentren",
            Format.ONLINE,
            (None, None),
            ("elternbeteiligung-in-kita-und-schule", "familienbildung"),
            ("fachkrafte",),
            (),
            "Ausgehend von den Praxisbeispielen Mönchengladbach und Gelsenkirchen wird der "
            "Ansatz der Familiengrundschulzentren vorgestellt. Im Mittelpunkt stehen "
            "Kooperationsstrukturen zwischen Schule und Jugendhilfe, wirkungsorientierte "
            "Steuerung und der Mehrwert der Zusammenarbeit von Kommune und Stiftungen. Die "
            "Veranstaltung richtet sich an kommunale Fach- und Führungskräfte mit "
            "Koordinierungsaufgaben.",
            anmeldung="Aufgrund starker Nachfrage ist eine Anmeldung aktuell leider nicht mehr "
            "möglich.",
        ),
        akteure["ge-ja"],
        netzwerk=netzwerke["familiengrundschulzentren-gelsenkirchen"],
    )
    fachtag_fgz.kooperationspartner.set([akteure["mg-ja"], akteure["stiftung"]])
    _termin(
        fachtag_fgz,
        _zeitpunkt(heute_ + datetime.timedelta(days=24), 10),
        300,
        online=True,
        anmeldestatus=geschlossen,
        hinweis="Online via Microsoft Teams – Anmeldung geschlossen.",
    )

    fachtag_fh = bauer.bauen(
        Vorlage(
            "Fachtag Netzwerke Frühe Hilfen",
            Format.VERANSTALTUNG,
            (-9, 36),
            ("fruhe-hilfen", "kinderschutz"),
            ("fachkrafte",),
            (),
            "Fachtag für Netzwerkkoordinatorinnen und -koordinatoren der Frühen Hilfen in "
            "Nordrhein-Westfalen. Die Koordinierungsstellen stellen ihre Arbeit vor; in "
            "Arbeitsgruppen tauschen sich die Teilnehmenden über Strukturen und Personal der "
            "Netzwerkkoordination aus.",
            anmeldung="Anmeldung bis zwei Wochen vor dem Fachtag per E-Mail.",
        ),
        akteure["k-ja"],
        netzwerk=netzwerke["netzwerk-fruehe-hilfen-koeln"],
    )
    _termin(fachtag_fh, _zeitpunkt(heute_ + datetime.timedelta(days=45), 9, 30), 390)

    workshop = bauer.bauen(
        Vorlage(
            "Online-Workshop: Neue Wege der Zusammenarbeit im Sozialraum",
            Format.ONLINE,
            (None, None),
            ("elternbegleitung-fur-zugewanderte-familien",),
            ("fachkrafte",),
            (),
            "Geht Netzwerkarbeit auch anders? Der Workshop zeigt Beispiele für Kooperationen mit "
            "untypischen Partnern – Arztpraxen, Sportvereinen, Museen, Jobcenter oder "
            "Unternehmen. Die Teilnehmenden reflektieren ihre eigene Akteurslandschaft vor Ort.",
            anmeldung="Die Plätze sind vergeben, die Anmeldung ist geschlossen.",
        ),
        akteure["wh-fbs"],
        netzwerk=netzwerke["elternbegleitungsnetzwerk-wilhelmshaven"],
    )
    _termin(
        workshop,
        _zeitpunkt(heute_ + datetime.timedelta(days=10), 14),
        150,
        online=True,
        anmeldestatus=geschlossen,
        hinweis="Zugangslink nur für angemeldete Teilnehmende.",
    )
    return [telefon, fachtag_fgz, fachtag_fh, workshop]


WOCHENTAGE = ["montags", "dienstags", "mittwochs", "donnerstags", "freitags", "samstags"]
UHRZEIT = re.compile(r"(\d{1,2})(?::(\d{2}))?–(\d{1,2})(?::(\d{2}))?\s*Uhr")


def kurszeiten(text):
    """(weekday, start hour, start minute, minutes) read from e.g. 'dienstags 18:30–20:30 Uhr'."""
    tag = next((i for i, name in enumerate(WOCHENTAGE) if name in text), 0)
    treffer = UHRZEIT.search(text)
    if not treffer:
        return tag, 10, 0, 90
    h1, m1, h2, m2 = (int(x or 0) for x in treffer.groups())
    return tag, h1, m1, max(30, (h2 * 60 + m2) - (h1 * 60 + m1))


def kurstermine_anlegen(angebote):
    """Four weekly dates for a few courses, starting in a week on the course's weekday."""
    kurse = [a for a in angebote if a.format == Format.KURS and a.standort is not None][::5][:6]
    for i, kurs in enumerate(kurse):
        tag, stunde, minute, dauer = kurszeiten(kurs.regelmaessige_zeiten)
        start = heute() + datetime.timedelta(days=7)
        start += datetime.timedelta(days=(tag - start.weekday()) % 7)
        for woche in range(4):
            _termin(
                kurs,
                _zeitpunkt(start + datetime.timedelta(weeks=woche), stunde, minute),
                dauer,
                anmeldestatus=Termin.Anmeldestatus.AUSGEBUCHT if i == 2 else "offen",
            )


def status_variieren(angebote):
    """Three drafts and one expired offering, so editors see those states too."""
    for angebot in angebote[5:30:10]:
        angebot.status = Status.ENTWURF
        _speichern(angebot)
    abgelaufen = angebote[40]
    abgelaufen.gueltig_von = heute() - datetime.timedelta(days=400)
    abgelaufen.gueltig_bis = heute() - datetime.timedelta(days=30)
    _speichern(abgelaufen)


def uebersetzungen_anlegen(angebote):
    """Turkish, Arabic and Ukrainian texts for the offerings built from the translated templates
    (demo/uebersetzungen.py), each field only where the offering's German text is the
    template's; then one offering's German description changes, so its translations are
    outdated."""
    vorlagen = {v.titel: v for v in VORLAGEN}
    zeilen = []
    for angebot in angebote:
        eintrag = uebersetzungen.VORLAGEN.get(angebot.titel)
        if not eintrag:
            continue
        vorlage = vorlagen[angebot.titel]
        if leicht := uebersetzungen.LEICHTE_SPRACHE.get(angebot.titel):
            angebot.leichte_sprache = leicht
            _speichern(angebot)
        for sprache, texte in eintrag.items():
            herkunft, von, geprueft = uebersetzungen.HERKUNFT[sprache]
            if sprache == "ar" and angebot.titel in uebersetzungen.MASCHINELL_AR:
                herkunft, von, geprueft = "maschinell", "", False
            felder = {"titel": texte["titel"]}
            if angebot.beschreibung == vorlage.text:
                felder["beschreibung"] = texte["text"]
            elif angebot.beschreibung == vorlage.text + " Die Räume sind barrierefrei zugänglich.":
                felder["beschreibung"] = texte["text"] + uebersetzungen.BARRIEREFREI[sprache]
            if vorlage.kosten and angebot.kosten_hinweis == vorlage.kosten:
                felder["kosten_hinweis"] = texte["kosten"]
            if vorlage.anmeldung and angebot.anmeldung_hinweis == vorlage.anmeldung:
                felder["anmeldung_hinweis"] = texte["anmeldung"]
            if angebot.regelmaessige_zeiten in texte["zeiten"]:
                felder["regelmaessige_zeiten"] = texte["zeiten"][angebot.regelmaessige_zeiten]
            zeilen += [
                Uebersetzung(
                    objekt=angebot,
                    feld=feld,
                    sprache=sprache,
                    text=text,
                    herkunft=herkunft,
                    uebersetzt_von=angebot.anbieter.name if von is None else von,
                    geprueft=geprueft,
                    quelle_hash=quell_hash(getattr(angebot, feld)),
                )
                for feld, text in felder.items()
            ]
    Uebersetzung.objects.bulk_create(zeilen)
    titel, satz = uebersetzungen.VERALTET
    veraltet = next(
        a
        for a in angebote
        if a.titel == titel
        and a.status == Status.VEROEFFENTLICHT
        and a.uebersetzungen.filter(feld="beschreibung").exists()
    )
    veraltet.beschreibung += satz
    _speichern(veraltet)


def benutzer_anlegen(netzwerke, raeume):
    """Demo staff accounts; existing accounts with the same name are left untouched. The
    Jugendamt account is the Esslingen one (its Amtsbereich: the Landkreis)."""
    User = get_user_model()
    gruppen = {g.name: g for g in Group.objects.all()}
    for username, passwort, netz in BENUTZER:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            email=f"{username}@demo.example.org",
            is_staff=True,
            is_superuser=username == "admin",
        )
        user.set_password(passwort)
        _speichern(user)
        if netz:
            user.groups.add(gruppen[rollen.KOORDINATION])
            netzwerke[netz].koordinatoren.add(user)
        elif username == "jugendamt":
            user.groups.add(gruppen[rollen.JUGENDAMT])
            Amtsbereich.objects.create(user=user).regionen.set([raeume["landkreis-esslingen"]])
        elif username == "redaktion":
            user.groups.add(gruppen[rollen.REDAKTION])


# Demo population figures (invented, marked `demo`) for the gap analysis of Landkreis Esslingen:
# children per life phase in each Sozialraum, roughly in proportion to the places' size.
BEVOELKERUNG_DEMO = {
    "esslingen-pliensauvorstadt": (60, 65, 130, 200, 260, 390, 780),
    "esslingen-mettingen": (35, 40, 80, 120, 160, 240, 470),
    "esslingen-zollberg": (45, 50, 100, 150, 200, 300, 600),
    "esslingen-innenstadt": (80, 85, 170, 260, 340, 510, 1300),
    "esslingen-am-neckar": (850, 900, 1800, 2700, 3600, 5400, 11000),
    "ostfildern": (370, 390, 780, 1170, 1560, 2340, 4700),
    "nuertingen": (390, 410, 820, 1230, 1640, 2460, 4900),
    "filderstadt": (430, 450, 900, 1350, 1800, 2700, 5400),
    "kirchheim-unter-teck": (390, 410, 820, 1230, 1640, 2460, 4900),
    "landkreis-esslingen": (5000, 5300, 10600, 15900, 21200, 31800, 64000),
}


def bevoelkerung_anlegen(raeume):
    """The demo population figures, for last year, marked as demo figures."""
    jahr = heute().year - 1
    for slug, zahlen in BEVOELKERUNG_DEMO.items():
        for phase, anzahl in zip(LEBENSPHASEN, zahlen, strict=True):
            Bevoelkerung.objects.update_or_create(
                sozialraum=raeume[slug],
                lebensphase=phase.slug,
                jahr=jahr,
                defaults={"anzahl": anzahl, "demo": True},
            )


def netzwerk_im_aufbau_anlegen(raeume, akteure, netzwerke):
    """A draft network below its programme's minimum (2 of 3 partners) whose coordinating Kita
    has no qualified Elternbegleiterin: what the Redaktion's rule check lists (issue 14)."""
    netzwerk = _speichern(
        Netzwerk(
            slug="elternbegleitungsnetzwerk-friesland",
            name="Elternbegleitungsnetzwerk Friesland (im Aufbau)",
            programm=Programm.objects.get(slug="elternbegleitungsnetzwerke"),
            region=raeume["wilhelmshaven"],
            status=Status.ENTWURF,
            ziele="- Elternbegleitung auch in den Gemeinden um Wilhelmshaven anbieten",
            stand_heute="Zwei Partner haben zugesagt; ein dritter Partner wird noch gesucht.",
        )
    )
    for key, rolle in [("wh-kita", Partnerschaft.Rolle.KOORDINATION), ("wh-mo", None)]:
        _speichern(
            Partnerschaft(
                netzwerk=netzwerk,
                akteur=akteure[key],
                rolle=rolle or Partnerschaft.Rolle.PARTNER,
                seit=heute() - datetime.timedelta(days=60),
            )
        )
    netzwerke[netzwerk.slug] = netzwerk
    return netzwerk


def schnappschuesse_anlegen(monate=6):
    """Monitoring snapshots for the last `monate` months: this month's real figures, and the
    months before with fewer offerings and partners (the sites grew), so that the change over
    time shows. Marked by nothing but their month: demo data as a whole is demo."""
    aktuell = monatserster()
    schnappschuesse_schreiben(aktuell)
    jetzt = list(Schnappschuss.objects.filter(monat=aktuell))
    monat = aktuell
    for zurueck in range(1, monate):
        monat = (monat - datetime.timedelta(days=1)).replace(day=1)
        Schnappschuss.objects.bulk_create(
            Schnappschuss(
                akteur_id=s.akteur_id,
                monat=monat,
                angebote=max(0, s.angebote - (zurueck + s.akteur_id % 3) // 2),
                nach_lebensphase=s.nach_lebensphase,
                nach_format=s.nach_format,
                partner=max(0, s.partner - zurueck // 2),
                netzwerke=s.netzwerke,
                anteil_geprueft=max(0, s.anteil_geprueft - 4 * zurueck),
            )
            for s in jetzt
        )


def demo_logins():
    """(username, password) of the demo accounts that exist with their demo password."""
    User = get_user_model()
    nutzer = {u.username: u for u in User.objects.filter(username__in=[b[0] for b in BENUTZER])}
    return [
        (name, passwort)
        for name, passwort, _ in BENUTZER
        if name in nutzer and nutzer[name].check_password(passwort)
    ]


def demo_laden():
    """Load everything in one transaction; refuse if the directory already has Akteure."""
    if Akteur.objects.exists():
        raise DemoDatenVorhanden
    rng = random.Random(SEED)
    with transaction.atomic():
        raeume = sozialraeume_anlegen()
        akteure = akteure_anlegen(rng, raeume)
        netzwerke = netzwerke_anlegen(rng, raeume, akteure)
        bauer = AngebotBauer(rng, raeume, akteure, netzwerke)
        angebote = bauer.alle_bauen()
        status_variieren(angebote)
        kurstermine_anlegen(angebote)
        besondere_angebote_anlegen(bauer, raeume, akteure, netzwerke)
        uebersetzungen_anlegen(angebote)
        im_aufbau = netzwerk_im_aufbau_anlegen(raeume, akteure, netzwerke)
        benutzer_anlegen(netzwerke, raeume)
        # The coordinator of Wilhelmshaven builds up the network next door.
        im_aufbau.koordinatoren.set(
            netzwerke["elternbegleitungsnetzwerk-wilhelmshaven"].koordinatoren.all()
        )
        bevoelkerung_anlegen(raeume)
        schnappschuesse_anlegen()
    return {
        "Akteure": Akteur.objects.count(),
        "Kontaktpersonen": Kontaktperson.objects.count(),
        "Netzwerke": Netzwerk.objects.count(),
        "Partnerschaften": Partnerschaft.objects.count(),
        "Angebote": Angebot.objects.count(),
        "Termine": Termin.objects.count(),
        "Übersetzte Texte": Uebersetzung.objects.exclude(feld="name").count(),
    }
