"""Offering templates: combined with fitting providers they make the demo's Angebote.

Each template names the Einrichtungsarten that typically run it; the loader picks providers of
those kinds and adds place, languages, cooperation partners and times."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vorlage:
    titel: str
    format: str
    alter: tuple  # (von, bis) in months; None = open end; pregnancy as negative months
    themen: tuple
    zielgruppen: tuple
    arten: tuple  # Einrichtungsart slugs of typical providers
    text: str  # 2–3 sentences
    kosten: str = ""  # empty: kostenlos; otherwise the note for "mit Kostenbeitrag"
    anmeldung: str = ""  # empty: no registration needed; otherwise how to register
    kinderbetreuung: bool = False
    mehrsprachig: bool = False
    zeiten: tuple = field(default=())


SCHWANGER = (-9, 0)
ALLE = (None, None)

VORLAGEN = [
    # --- Schwangerschaft & Geburt ------------------------------------------------------------
    Vorlage(
        "Geburtsvorbereitungskurs für Paare",
        "kurs",
        (-4, 0),
        ("geburtsvorbereitung",),
        ("schwangere", "vater", "eltern"),
        ("geburtsklinik", "hebamme-familienhebamme", "familienbildungsstatte"),
        "Eine Hebamme bereitet werdende Eltern auf Geburt und die erste Zeit mit dem Baby vor. "
        "Atem- und Entspannungsübungen wechseln sich mit Informationen zu Geburtsverlauf, "
        "Wochenbett und Stillen ab.",
        kosten="Für Schwangere übernimmt die Krankenkasse die Kosten; Partnergebühr 60 €.",
        anmeldung="Bitte ab der 20. Schwangerschaftswoche telefonisch anmelden.",
        zeiten=("7 Abende, dienstags 18:30–20:30 Uhr", "Wochenendkurs, Sa und So 10–16 Uhr"),
    ),
    Vorlage(
        "Schwangerschaftsberatung und finanzielle Hilfen",
        "beratung",
        SCHWANGER,
        ("schwangerschaftsberatung", "finanzielle-hilfen-bildung-und-teilhabe"),
        ("schwangere", "eltern", "alleinerziehende"),
        ("schwangerschaftsberatungsstelle", "beratungsstelle", "familienzentrum"),
        "Vertrauliche Beratung rund um Schwangerschaft, Mutterschutz, Elterngeld und "
        "Kindergeld. Wir helfen beim Antrag auf Mittel der Bundesstiftung Mutter und Kind.",
        anmeldung="Termin nach telefonischer Vereinbarung, auf Wunsch anonym.",
        mehrsprachig=True,
        zeiten=("Mo–Do 9–16 Uhr nach Vereinbarung", "offene Sprechstunde mittwochs 14–17 Uhr"),
    ),
    Vorlage(
        "Offene Hebammensprechstunde",
        "offener_treff",
        (-9, 12),
        ("hebammenhilfe",),
        ("schwangere", "mutter"),
        ("hebamme-familienhebamme", "familienzentrum", "geburtsklinik"),
        "Schwangere und Mütter mit Babys können ohne Termin mit ihren Fragen vorbeikommen. "
        "Eine Hebamme berät zu Schwangerschaftsbeschwerden, Stillen, Schlafen und Ernährung.",
        mehrsprachig=True,
        zeiten=("donnerstags 10–12 Uhr", "montags 14–16 Uhr"),
    ),
    Vorlage(
        "Infoabend Kreißsaal und Geburt",
        "veranstaltung",
        (-6, 0),
        ("geburtsvorbereitung",),
        ("schwangere", "eltern"),
        ("geburtsklinik",),
        "Hebammen und Ärztinnen stellen den Ablauf der Geburt in unserer Klinik vor. "
        "Anschließend können die Kreißsäle besichtigt werden.",
        zeiten=("jeden ersten Montag im Monat, 18 Uhr",),
    ),
    Vorlage(
        "Familienhebamme – Hausbesuche",
        "hausbesuch",
        (-3, 12),
        ("fruhe-hilfen", "hebammenhilfe"),
        ("schwangere", "mutter", "alleinerziehende"),
        ("hebamme-familienhebamme",),
        "Familienhebammen besuchen Familien in belasteten Lebenslagen zu Hause – von der "
        "Schwangerschaft bis zum ersten Geburtstag des Kindes. Sie unterstützen bei Pflege, "
        "Ernährung und Entwicklung des Babys und vermitteln bei Bedarf weitere Hilfen.",
        anmeldung="Kontakt über die Koordinierungsstelle Frühe Hilfen oder direkt per Telefon.",
        mehrsprachig=True,
        zeiten=("Hausbesuche nach Absprache",),
    ),
    Vorlage(
        "Schwanger in Deutschland – Infotreff für zugewanderte Frauen",
        "offener_treff",
        SCHWANGER,
        ("schwangerschaftsberatung", "sprachmittlung-dolmetschen"),
        ("schwangere", "neu-zugewanderte-familien"),
        (
            "migrationsberatung",
            "migrantenorganisation",
            "familienbildungsstatte",
            "gemeinschaftsunterkunft",
        ),
        "Was steht mir in der Schwangerschaft zu, wie finde ich eine Hebamme, was passiert bei "
        "der Geburt? Mit Sprachmittlerinnen beantworten wir Fragen in vertrauter Runde.",
        mehrsprachig=True,
        kinderbetreuung=True,
        zeiten=("jeden zweiten Freitag, 10–12 Uhr",),
    ),
    # --- 0–1 Jahr ----------------------------------------------------------------------------
    Vorlage(
        "Babymassage",
        "kurs",
        (1, 9),
        ("babymassage",),
        ("eltern", "mutter", "vater"),
        ("familienbildungsstatte", "familienzentrum", "hebamme-familienhebamme"),
        "Sanfte Massagegriffe stärken die Bindung zwischen Eltern und Baby und helfen bei "
        "Bauchweh und Unruhe. Bitte ein großes Handtuch und ein Massageöl mitbringen.",
        kosten="5 Termine 45 €, Ermäßigung mit Familienpass möglich.",
        anmeldung="Anmeldung online oder telefonisch, max. 8 Familien.",
        zeiten=("5 Termine, mittwochs 10:00–11:00 Uhr",),
    ),
    Vorlage(
        "Stillcafé",
        "offener_treff",
        (0, 12),
        ("stillen-ernahrung",),
        ("mutter",),
        ("familienzentrum", "familienbildungsstatte", "geburtsklinik", "hebamme-familienhebamme"),
        "Im Stillcafé treffen sich Mütter mit ihren Babys zum Austausch bei Tee und Kaffee. "
        "Eine Still- und Laktationsberaterin ist dabei und beantwortet Fragen.",
        zeiten=("dienstags 9:30–11:30 Uhr",),
    ),
    Vorlage(
        "Eltern-Kind-Gruppe (Krabbelgruppe)",
        "offener_treff",
        (6, 24),
        ("eltern-kind-gruppe",),
        ("eltern", "kinder"),
        (
            "familienzentrum",
            "familienbildungsstatte",
            "kita",
            "stadtteilzentrum",
            "kirchengemeinde",
        ),
        "Babys und Kleinkinder spielen, krabbeln und entdecken gemeinsam, während die Eltern "
        "sich austauschen. Eine Fachkraft gibt Anregungen für Spiel und Entwicklung.",
        zeiten=("montags 9:30–11:00 Uhr", "freitags 15:00–16:30 Uhr"),
    ),
    Vorlage(
        "Rückbildungsgymnastik mit Baby",
        "kurs",
        (2, 9),
        ("ruckbildung",),
        ("mutter",),
        ("hebamme-familienhebamme", "familienbildungsstatte", "sportverein"),
        "Gezielte Übungen kräftigen nach der Geburt Beckenboden, Bauch und Rücken. Die Babys "
        "sind mit dabei.",
        kosten="Die Krankenkasse übernimmt die Kosten bei Beginn bis 4 Monate nach der Geburt.",
        anmeldung="Bitte telefonisch anmelden.",
        zeiten=("8 Termine, donnerstags 10:15–11:15 Uhr",),
    ),
    Vorlage(
        "Willkommensbesuch für Neugeborene",
        "hausbesuch",
        (0, 3),
        ("fruhe-hilfen",),
        ("eltern",),
        ("jugendamt", "kommune-stadtverwaltung"),
        "Alle Familien mit einem neugeborenen Kind erhalten ein Angebot für einen Besuch zu "
        "Hause. Wir bringen ein Begrüßungspaket mit und informieren über Angebote für Familien "
        "in Ihrer Nähe.",
        zeiten=("nach Terminabsprache",),
    ),
    Vorlage(
        "Beratung bei Schreien, Schlafen und Füttern",
        "beratung",
        (0, 36),
        ("schlafen-schreien", "psychische-gesundheit"),
        ("eltern",),
        ("erziehungsberatungsstelle", "kinder-und-jugendarztpraxis", "fruhforderstelle"),
        "Wenn das Baby viel schreit, schlecht schläft oder das Füttern schwierig ist, finden "
        "Eltern hier schnelle Unterstützung. Gemeinsam suchen wir nach Entlastung im Alltag.",
        anmeldung="Termin innerhalb einer Woche, telefonisch vereinbaren.",
        zeiten=("nach Vereinbarung",),
    ),
    Vorlage(
        "Erste Hilfe am Kind",
        "kurs",
        (0, 72),
        ("kindergesundheit",),
        ("eltern", "groeltern"),
        ("familienbildungsstatte", "volkshochschule", "geburtsklinik"),
        "Was tun bei Fieberkrampf, Verschlucken oder Verbrühung? In praktischen Übungen lernen "
        "Eltern und Großeltern die wichtigsten Sofortmaßnahmen bei Säuglingen und Kleinkindern.",
        kosten="35 € pro Person, Paare 60 €.",
        anmeldung="Anmeldung über das Kursprogramm, begrenzte Plätze.",
        zeiten=("samstags 9–15 Uhr",),
    ),
]

VORLAGEN += [
    # --- 1–3 Jahre ---------------------------------------------------------------------------
    Vorlage(
        "Spielgruppe für Kinder von 1 bis 3 Jahren",
        "offener_treff",
        (12, 36),
        ("eltern-kind-gruppe",),
        ("eltern", "kinder"),
        ("familienzentrum", "kita", "kindertagespflege", "stadtteilzentrum"),
        "In der Spielgruppe erleben Kleinkinder erste Gruppensituationen mit Liedern, "
        "Fingerspielen und freiem Spiel. Eltern bleiben dabei und lernen andere Familien kennen.",
        zeiten=("dienstags und donnerstags 9–11 Uhr",),
    ),
    Vorlage(
        "Musikgarten für Kleinkinder",
        "kurs",
        (12, 42),
        ("musik-tanz-theater",),
        ("eltern", "kinder"),
        ("musik-tanz-oder-theaterschule",),
        "Singen, Bewegen und erste Instrumente ausprobieren: Im Musikgarten entdecken die "
        "Kleinsten gemeinsam mit einem Elternteil die Welt der Musik.",
        kosten="32 € im Monat, Ermäßigung über Bildung und Teilhabe möglich.",
        anmeldung="Schnupperstunde nach Anmeldung im Sekretariat.",
        zeiten=("freitags 15:30–16:15 Uhr",),
    ),
    Vorlage(
        "Eltern-Kind-Turnen",
        "kurs",
        (18, 48),
        ("sport-bewegung",),
        ("eltern", "kinder"),
        ("sportverein",),
        "Klettern, Balancieren, Rollen: In der Turnhalle bewegen sich Kinder mit Mama, Papa "
        "oder Oma. Spielerisch werden Koordination und Selbstvertrauen gestärkt.",
        kosten="Vereinsbeitrag 8 € im Monat, zwei Schnupperstunden kostenlos.",
        zeiten=("samstags 10–11 Uhr",),
    ),
    Vorlage(
        "Entwicklungsberatung für Kleinkinder",
        "beratung",
        (0, 72),
        ("fruhforderung-behinderung", "kindergesundheit"),
        ("eltern", "familien-mit-kindern-mit-behinderung"),
        ("fruhforderstelle", "kinder-und-jugendarztpraxis"),
        "Eltern, die sich Sorgen um die Entwicklung ihres Kindes machen, bekommen hier eine "
        "erste Einschätzung. Bei Bedarf begleiten wir den Weg zur Frühförderung.",
        anmeldung="Offene Sprechstunde ohne Anmeldung oder Termin nach Vereinbarung.",
        mehrsprachig=True,
        zeiten=("offene Sprechstunde montags 14–16 Uhr",),
    ),
    Vorlage(
        "Infonachmittag Kita-Platz und Kindertagespflege",
        "veranstaltung",
        (6, 36),
        ("kita-kindertagespflege",),
        ("eltern",),
        ("jugendamt", "kommune-stadtverwaltung", "kindertagespflege"),
        "Wie bekomme ich einen Betreuungsplatz, was kostet er und welche Zuschüsse gibt es? "
        "Wir erklären Anmeldung, Fristen und den Unterschied zwischen Kita und "
        "Kindertagespflege.",
        mehrsprachig=True,
        zeiten=("einmal im Quartal, 16–18 Uhr",),
    ),
    Vorlage(
        "Kindertagespflege – Beratung und Vermittlung",
        "beratung",
        (0, 36),
        ("kita-kindertagespflege",),
        ("eltern", "alleinerziehende"),
        ("kindertagespflege", "jugendamt"),
        "Wir beraten Eltern, die eine Tagesmutter oder einen Tagesvater suchen, und vermitteln "
        "passende Betreuungsplätze in der Nähe.",
        anmeldung="Bitte vorab telefonisch einen Termin vereinbaren.",
        zeiten=("Mo, Mi, Do 9–12 Uhr",),
    ),
    # --- 3–6 Jahre (Kita) --------------------------------------------------------------------
    Vorlage(
        "Elterncafé mit Sprachmittlung",
        "offener_treff",
        (12, 72),
        ("elternbeteiligung-in-kita-und-schule", "sprachmittlung-dolmetschen"),
        ("eltern", "neu-zugewanderte-familien"),
        ("kita", "familienzentrum", "familiengrundschulzentrum"),
        "Beim Elterncafé kommen Eltern ins Gespräch – mit anderen Familien und mit den "
        "Fachkräften der Einrichtung. Sprachmittlerinnen übersetzen, damit alle mitreden können.",
        mehrsprachig=True,
        kinderbetreuung=True,
        zeiten=("jeden ersten Mittwoch im Monat, 8:30–10 Uhr", "freitags 8–9:30 Uhr"),
    ),
    Vorlage(
        "Elternabend „Mehrsprachig aufwachsen“",
        "veranstaltung",
        (24, 72),
        ("sprachforderung",),
        ("eltern", "neu-zugewanderte-familien"),
        ("kita", "familienzentrum", "volkshochschule"),
        "Wie lernt mein Kind gut Deutsch, ohne die Familiensprache zu verlieren? Eine "
        "Sprachförderkraft gibt praktische Tipps für den Familienalltag.",
        mehrsprachig=True,
        zeiten=("zweimal im Jahr, 19–20:30 Uhr",),
    ),
    Vorlage(
        "Elternabend Übergang Kita–Schule",
        "veranstaltung",
        (54, 78),
        ("ubergang-kita-schule",),
        ("eltern",),
        ("kita", "grundschule", "familiengrundschulzentrum"),
        "Kita und Grundschule informieren gemeinsam über Schulanmeldung, Einschulungsuntersuchung "
        "und wie Eltern ihr Kind auf die Schule vorbereiten können.",
        zeiten=("im Herbst, 19 Uhr",),
    ),
    Vorlage(
        "Vorlesestunde in mehreren Sprachen",
        "offener_treff",
        (36, 96),
        ("sprachforderung",),
        ("kinder", "eltern"),
        ("museum", "familienzentrum", "migrantenorganisation", "volkshochschule"),
        "Ehrenamtliche lesen Bilderbücher auf Deutsch und in weiteren Familiensprachen vor. "
        "Danach wird gemalt und gebastelt.",
        mehrsprachig=True,
        zeiten=("jeden zweiten Samstag, 11–12 Uhr",),
    ),
    Vorlage(
        "Kinderturnen für 3- bis 6-Jährige",
        "kurs",
        (36, 72),
        ("sport-bewegung",),
        ("kinder",),
        ("sportverein",),
        "Mit Bewegungslandschaften, Ballspielen und Musik fördern wir Freude an der Bewegung. "
        "Die Kinder turnen ohne Eltern in kleinen Gruppen.",
        kosten="Vereinsbeitrag 8 € im Monat; Übernahme über Bildung und Teilhabe möglich.",
        zeiten=("mittwochs 15–16 Uhr",),
    ),
    Vorlage(
        "Rucksack Kita – Elternbildung für mehrsprachige Familien",
        "kurs",
        (36, 72),
        ("familienbildung", "sprachforderung"),
        ("eltern", "mutter", "neu-zugewanderte-familien"),
        ("kita", "familienzentrum"),
        "Eltern treffen sich wöchentlich und erhalten Materialien, um zu Hause mit ihren "
        "Kindern in der Familiensprache zu spielen und zu lernen. Die Themen sind mit der Kita "
        "abgestimmt.",
        anmeldung="Anmeldung bei der Kita-Leitung.",
        mehrsprachig=True,
        kinderbetreuung=True,
        zeiten=("dienstags 8:30–10:30 Uhr",),
    ),
    Vorlage(
        "Familienwerkstatt im Museum",
        "veranstaltung",
        (48, 144),
        ("musik-tanz-theater",),
        ("eltern", "kinder", "groeltern"),
        ("museum",),
        "Familien erkunden gemeinsam die Ausstellung und werden anschließend in der Werkstatt "
        "selbst kreativ. Für Kinder mit Familienpass ist der Eintritt frei.",
        kosten="Erwachsene 4 €, Kinder frei.",
        zeiten=("jeden ersten Sonntag im Monat, 14–16 Uhr",),
    ),
]

VORLAGEN += [
    # --- 6–10 Jahre (Grundschule) ------------------------------------------------------------
    Vorlage(
        "Hausaufgabenhilfe",
        "offener_treff",
        (72, 144),
        ("hausaufgabenhilfe-lernforderung",),
        ("kinder",),
        (
            "grundschule",
            "familiengrundschulzentrum",
            "stadtteilzentrum",
            "migrantenorganisation",
            "jugendzentrum",
        ),
        "Schülerinnen und Schüler machen ihre Hausaufgaben in ruhiger Atmosphäre und bekommen "
        "Hilfe, wenn sie nicht weiterkommen. Ehrenamtliche Lernpatinnen unterstützen beim Lesen "
        "und Rechnen.",
        zeiten=("Mo–Do 13:30–15:30 Uhr",),
    ),
    Vorlage(
        "Elterncafé im Familiengrundschulzentrum",
        "offener_treff",
        (72, 120),
        ("elternbeteiligung-in-kita-und-schule",),
        ("eltern",),
        ("familiengrundschulzentrum", "grundschule"),
        "Nach dem Bringen der Kinder bleiben Eltern auf einen Kaffee in der Schule. Hier "
        "entstehen Kontakte zu Lehrkräften und zu Beratungsangeboten im Stadtteil.",
        mehrsprachig=True,
        zeiten=("dienstags und freitags 8–9:30 Uhr",),
    ),
    Vorlage(
        "Offene Sprechstunde Erziehungsberatung",
        "beratung",
        (None, 216),
        ("erziehungsberatung",),
        ("eltern", "alleinerziehende", "pflege-und-adoptivfamilien"),
        ("erziehungsberatungsstelle", "familienzentrum", "familiengrundschulzentrum"),
        "Ob Wutanfälle, Streit unter Geschwistern oder Sorgen in der Schule: Eltern können ohne "
        "Termin mit einer Fachkraft sprechen. Die Beratung ist vertraulich.",
        mehrsprachig=True,
        zeiten=("donnerstags 15–17 Uhr",),
    ),
    Vorlage(
        "Ferienprogramm",
        "veranstaltung",
        (72, 168),
        ("ferienangebote",),
        ("kinder",),
        (
            "sportverein",
            "museum",
            "jugendzentrum",
            "stadtteilzentrum",
            "musik-tanz-oder-theaterschule",
        ),
        "In den Sommerferien gibt es eine Woche lang Ausflüge, Spiele und Workshops. Mittagessen "
        "ist inklusive.",
        kosten="25 € pro Woche; mit Bildung-und-Teilhabe-Bescheid kostenlos.",
        anmeldung="Anmeldung ab Mai, Plätze werden nach Eingang vergeben.",
        zeiten=("in den Sommerferien, Mo–Fr 9–15 Uhr",),
    ),
    Vorlage(
        "Theater-AG für Grundschulkinder",
        "kurs",
        (72, 120),
        ("musik-tanz-theater",),
        ("kinder",),
        ("musik-tanz-oder-theaterschule", "grundschule"),
        "Die Kinder erfinden eigene Geschichten und bringen sie zum Schuljahresende auf die "
        "Bühne. Sprache und Selbstvertrauen wachsen dabei ganz nebenbei.",
        zeiten=("montags 14–15:30 Uhr",),
    ),
    Vorlage(
        "Schwimmkurs für Kinder",
        "kurs",
        (60, 120),
        ("sport-bewegung",),
        ("kinder",),
        ("sportverein",),
        "In zehn Stunden lernen Kinder sicher zu schwimmen und legen das Seepferdchen ab.",
        kosten="70 € für 10 Stunden; Zuschuss über Bildung und Teilhabe möglich.",
        anmeldung="Anmeldung über die Geschäftsstelle, Warteliste.",
        zeiten=("10 Termine, samstags 8–9 Uhr",),
    ),
    # --- 10–16 Jahre -------------------------------------------------------------------------
    Vorlage(
        "Offener Jugendtreff",
        "offener_treff",
        (120, 216),
        ("offene-kinder-und-jugendarbeit",),
        ("jugendliche",),
        ("jugendzentrum", "stadtteilzentrum"),
        "Kicker, Musik, Kochen oder einfach abhängen: Der Jugendtreff ist offen für alle ab 10 "
        "Jahren. Die Mitarbeitenden haben ein offenes Ohr für Sorgen und Fragen.",
        zeiten=("Di–Fr 15–20 Uhr",),
    ),
    Vorlage(
        "Smartphone, Games & Co. – Medienabend für Eltern",
        "veranstaltung",
        (96, 192),
        ("medien-digitales",),
        ("eltern",),
        ("volkshochschule", "familienbildungsstatte", "erziehungsberatungsstelle"),
        "Wie viel Bildschirmzeit ist in Ordnung, und wie schütze ich mein Kind im Netz? Ein "
        "Medienpädagoge gibt Orientierung und beantwortet Fragen.",
        zeiten=("einmal im Halbjahr, 19–21 Uhr",),
    ),
    Vorlage(
        "Fußball für Mädchen",
        "kurs",
        (108, 192),
        ("sport-bewegung",),
        ("kinder", "jugendliche"),
        ("sportverein",),
        "Training nur für Mädchen, ohne Vorkenntnisse und ohne Vereinsbeitrag im ersten Jahr. "
        "Trainerinnen holen die Spielerinnen auf Wunsch an der Schule ab.",
        zeiten=("mittwochs 16:30–18 Uhr",),
    ),
    Vorlage(
        "Hip-Hop-Tanzworkshop",
        "kurs",
        (120, 191),
        ("musik-tanz-theater",),
        ("jugendliche",),
        ("musik-tanz-oder-theaterschule", "jugendzentrum"),
        "Jugendliche von 10 bis 15 Jahren lernen Grundschritte und Choreografien und zeigen sie "
        "beim Stadtteilfest.",
        kosten="10 € für den ganzen Workshop.",
        anmeldung="Anmeldung per E-Mail oder direkt vor Ort.",
        zeiten=("6 Termine, freitags 17–19 Uhr",),
    ),
    Vorlage(
        "Online-Elternabend „Gut durch die Pubertät“",
        "online",
        (120, 216),
        ("erziehungsberatung", "medien-digitales"),
        ("eltern",),
        ("erziehungsberatungsstelle", "familienbildungsstatte"),
        "Türenknallen, Rückzug, erste Liebe: Eine Beraterin erklärt, was in der Pubertät "
        "passiert und wie Eltern im Gespräch bleiben. Fragen können anonym im Chat gestellt "
        "werden.",
        anmeldung="Anmeldung per E-Mail, den Zugangslink erhalten Sie am Vortag.",
        zeiten=("viermal im Jahr, 20–21:30 Uhr",),
    ),
    # --- 16–27 Jahre (Übergang Schule–Beruf) -------------------------------------------------
    Vorlage(
        "Bewerbungstraining",
        "kurs",
        (180, 324),
        ("ubergang-schule-beruf",),
        ("jugendliche", "junge-erwachsene"),
        (
            "jobcenter-agentur-fur-arbeit",
            "volkshochschule",
            "jugendzentrum",
            "weiterfuhrende-schule",
            "migrantenorganisation",
        ),
        "Lebenslauf schreiben, Anschreiben formulieren, Vorstellungsgespräch üben: In kleinen "
        "Gruppen bereiten sich junge Menschen auf ihre Bewerbung vor.",
        anmeldung="Anmeldung erforderlich, maximal 12 Teilnehmende.",
        zeiten=("4 Termine, dienstags 14–16:30 Uhr",),
    ),
    Vorlage(
        "Berufsorientierung",
        "beratung",
        (168, 300),
        ("ubergang-schule-beruf",),
        ("jugendliche", "junge-erwachsene", "eltern"),
        ("jobcenter-agentur-fur-arbeit", "weiterfuhrende-schule"),
        "Welcher Beruf passt zu mir? Berufsberaterinnen sprechen mit Jugendlichen über Stärken, "
        "Praktika und Ausbildungswege. Eltern sind herzlich willkommen.",
        anmeldung="Termin online oder telefonisch buchen.",
        mehrsprachig=True,
        zeiten=("nach Vereinbarung; offene Sprechstunde mittwochs 13–15 Uhr",),
    ),
    Vorlage(
        "Ausbildungsbetrieb stellt sich vor – Schnuppertag",
        "veranstaltung",
        (180, 300),
        ("ubergang-schule-beruf",),
        ("jugendliche", "junge-erwachsene"),
        ("unternehmen",),
        "Schülerinnen und Schüler schauen einen Tag lang Auszubildenden über die Schulter und "
        "probieren selbst an Maschinen aus. Ein Praktikumsplatz kann direkt vereinbart werden.",
        anmeldung="Anmeldung über die Schule oder per E-Mail.",
        zeiten=("zweimal im Jahr, 8–13 Uhr",),
    ),
    Vorlage(
        "Beratung für junge Eltern in Ausbildung",
        "beratung",
        (192, 323),
        ("wiedereinstieg-beruf", "finanzielle-hilfen-bildung-und-teilhabe"),
        ("junge-erwachsene", "alleinerziehende"),
        ("jobcenter-agentur-fur-arbeit", "familienzentrum", "schwangerschaftsberatungsstelle"),
        "Junge Mütter und Väter erfahren, wie sich Ausbildung oder Studium mit einem Kind "
        "verbinden lassen – von Teilzeitausbildung bis Kinderbetreuung.",
        anmeldung="Termin nach Vereinbarung.",
        zeiten=("dienstags 9–12 Uhr",),
    ),
]

VORLAGEN += [
    # --- für Familien mit Kindern jeden Alters -----------------------------------------------
    Vorlage(
        "Schuldnerberatung für Familien",
        "beratung",
        ALLE,
        ("schuldnerberatung",),
        ("eltern", "alleinerziehende"),
        ("schuldnerberatung",),
        "Wenn Rechnungen sich stapeln, verschaffen wir gemeinsam einen Überblick über Einnahmen "
        "und Schulden und verhandeln mit Gläubigern. Die Beratung ist vertraulich und "
        "unabhängig.",
        anmeldung="Termin telefonisch; in Notfällen (Strom- oder Wohnungsverlust) offene "
        "Sprechstunde.",
        mehrsprachig=True,
        zeiten=("offene Sprechstunde montags 9–12 Uhr",),
    ),
    Vorlage(
        "Beratung zu Kinderzuschlag und Bildung und Teilhabe",
        "beratung",
        ALLE,
        ("finanzielle-hilfen-bildung-und-teilhabe",),
        ("eltern", "alleinerziehende"),
        (
            "jobcenter-agentur-fur-arbeit",
            "jugendamt",
            "migrationsberatung",
            "stadtteilzentrum",
            "schuldnerberatung",
            "kommune-stadtverwaltung",
        ),
        "Wir prüfen mit Ihnen, ob Ihnen Kinderzuschlag, Wohngeld oder Leistungen für Bildung und "
        "Teilhabe zustehen, und helfen beim Ausfüllen der Anträge. Bitte Einkommensnachweise "
        "mitbringen.",
        mehrsprachig=True,
        zeiten=("donnerstags 9–12 Uhr",),
    ),
    Vorlage(
        "Deutschkurs mit Kinderbetreuung",
        "kurs",
        ALLE,
        ("deutschkurs",),
        ("mutter", "eltern", "neu-zugewanderte-familien"),
        (
            "volkshochschule",
            "familienbildungsstatte",
            "migrantenorganisation",
            "gemeinschaftsunterkunft",
            "familienzentrum",
        ),
        "Eltern lernen Deutsch für den Alltag mit Kita, Schule und Arztbesuch, während ihre "
        "Kinder im Nebenraum betreut werden. Der Einstieg ist jederzeit möglich.",
        kosten="Mit Berechtigungsschein kostenfrei, sonst 2,20 € pro Unterrichtsstunde.",
        anmeldung="Einstufung und Anmeldung in der Sprechstunde.",
        kinderbetreuung=True,
        mehrsprachig=True,
        zeiten=("Mo, Mi, Fr 9–11:30 Uhr",),
    ),
    Vorlage(
        "Sprachcafé für Mütter",
        "offener_treff",
        ALLE,
        ("deutschkurs", "familienbildung"),
        ("mutter", "neu-zugewanderte-familien"),
        ("migrantenorganisation", "familienzentrum", "gemeinschaftsunterkunft", "volkshochschule"),
        "Frauen üben Deutsch im Gespräch über Alltagsthemen – vom Einkauf bis zum Elterngespräch "
        "in der Kita. Kleine Kinder dürfen mitkommen.",
        mehrsprachig=True,
        kinderbetreuung=True,
        zeiten=("mittwochs 9:30–11:30 Uhr",),
    ),
    Vorlage(
        "Väter-Kind-Samstag",
        "veranstaltung",
        (24, 120),
        ("vaterangebote",),
        ("vater", "kinder"),
        ("familienbildungsstatte", "familienzentrum", "sportverein"),
        "Einmal im Monat unternehmen Väter mit ihren Kindern etwas Besonderes: Waldtag, "
        "Kochen am Feuer oder Werken. Danach gibt es ein gemeinsames Mittagessen.",
        kosten="5 € pro Familie für das Mittagessen.",
        anmeldung="Bitte bis Donnerstag vorher anmelden.",
        zeiten=("jeden dritten Samstag im Monat, 10–14 Uhr",),
    ),
    Vorlage(
        "Migrationsberatung für Familien",
        "beratung",
        ALLE,
        ("asyl-und-aufenthaltsberatung",),
        ("neu-zugewanderte-familien", "eltern"),
        ("migrationsberatung",),
        "Wir beraten zu Aufenthalt, Familiennachzug, Anerkennung von Abschlüssen und Zugang zu "
        "Kita und Schule. Bei Bedarf begleiten wir zu Behörden.",
        anmeldung="Offene Sprechstunde ohne Termin; sonst telefonisch.",
        mehrsprachig=True,
        zeiten=("Di und Do 9–12 Uhr offene Sprechstunde",),
    ),
    Vorlage(
        "Treffpunkt für Alleinerziehende",
        "offener_treff",
        ALLE,
        ("alleinerziehende",),
        ("alleinerziehende",),
        ("familienzentrum", "familienbildungsstatte", "stadtteilzentrum"),
        "Alleinerziehende Mütter und Väter tauschen sich aus, geben sich Tipps und planen "
        "gemeinsame Ausflüge. Die Kinder werden währenddessen betreut.",
        kinderbetreuung=True,
        zeiten=("jeden zweiten Sonntag, 15–17 Uhr",),
    ),
    Vorlage(
        "Gesundheitssprechstunde für geflüchtete Familien",
        "beratung",
        ALLE,
        ("kindergesundheit",),
        ("neu-zugewanderte-familien",),
        ("arztpraxis", "kinder-und-jugendarztpraxis", "gemeinschaftsunterkunft"),
        "Ärztinnen beantworten Fragen zu Impfungen, Vorsorgeuntersuchungen und zur "
        "Krankenversicherung. Sprachmittlung wird organisiert.",
        mehrsprachig=True,
        zeiten=("jeden ersten Dienstag im Monat, 14–16 Uhr",),
    ),
    Vorlage(
        "Elternkurs „Starke Eltern – Starke Kinder“",
        "kurs",
        (36, 192),
        ("elternkurs", "erziehungsberatung"),
        ("eltern",),
        (
            "familienbildungsstatte",
            "familienzentrum",
            "erziehungsberatungsstelle",
            "volkshochschule",
        ),
        "An zehn Abenden geht es um Regeln, Grenzen und Kommunikation in der Familie. Eltern "
        "lernen, Konflikte gelassener zu lösen.",
        kosten="50 € für 10 Abende, Ermäßigung auf Nachfrage.",
        anmeldung="Anmeldung bis eine Woche vor Kursbeginn.",
        kinderbetreuung=True,
        zeiten=("10 Abende, montags 19–21 Uhr",),
    ),
    Vorlage(
        "Online-Sprechstunde für Eltern",
        "online",
        ALLE,
        ("erziehungsberatung",),
        ("eltern",),
        ("erziehungsberatungsstelle", "jugendamt"),
        "Per Video oder Chat beraten Fachkräfte Eltern zu Erziehungsfragen – bequem von zu "
        "Hause aus. Die Beratung ist vertraulich.",
        anmeldung="Termin über das Online-Buchungssystem.",
        zeiten=("Mo–Fr 17–19 Uhr",),
    ),
    Vorlage(
        "Familienfrühstück im Stadtteil",
        "offener_treff",
        ALLE,
        ("familienbildung",),
        ("eltern", "kinder", "groeltern"),
        ("stadtteilzentrum", "familienzentrum", "kirchengemeinde"),
        "Familien aus dem Stadtteil frühstücken gemeinsam und lernen Angebote in der "
        "Nachbarschaft kennen. Jede Familie bringt, was sie mag.",
        zeiten=("jeden letzten Samstag im Monat, 10–12 Uhr",),
    ),
    Vorlage(
        "Elternbegleitung: Orientierung im Bildungssystem",
        "beratung",
        (0, 192),
        ("elternbegleitung-fur-zugewanderte-familien",),
        ("neu-zugewanderte-familien", "eltern"),
        (
            "familienbildungsstatte",
            "migrationsberatung",
            "gemeinschaftsunterkunft",
            "migrantenorganisation",
        ),
        "Qualifizierte Elternbegleiterinnen erklären, wie Kita, Schule und Ausbildung in "
        "Deutschland funktionieren, und begleiten Familien zu Anmeldungen und Elterngesprächen.",
        mehrsprachig=True,
        zeiten=("nach Vereinbarung, auch aufsuchend",),
    ),
    Vorlage(
        "Offener Spieltreff",
        "offener_treff",
        (0, 120),
        ("eltern-kind-gruppe",),
        ("kinder", "neu-zugewanderte-familien"),
        ("gemeinschaftsunterkunft", "kita"),
        "Im Spielzimmer treffen sich Kinder und Eltern zum Spielen, Basteln und Singen. Eine "
        "Erzieherin ist ansprechbar und informiert über Kita-Plätze.",
        mehrsprachig=True,
        zeiten=("Mo–Do 15–17 Uhr",),
    ),
    Vorlage(
        "Bewegung für alle – Familiensport",
        "offener_treff",
        (36, None),
        ("sport-bewegung", "ernahrung-bewegung"),
        ("eltern", "kinder", "jugendliche"),
        ("sportverein",),
        "Ohne Mitgliedschaft und ohne Vorkenntnisse: Familien spielen zusammen Ball, klettern "
        "und bewegen sich. Sportkleidung ist nicht nötig.",
        zeiten=("sonntags 10–12 Uhr",),
    ),
]
