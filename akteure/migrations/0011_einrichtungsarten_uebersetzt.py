"""Names of the kinds of institution (migration 0003) in the UI languages other than German, as
translations (atlas.Uebersetzung): actor cards, pages and filters name them in the visitor's
language. German names that families meet in letters stay in brackets (Jugendamt, Jobcenter)."""

import hashlib

from django.db import migrations

SPRACHEN = ("en", "tr", "ar", "uk", "ru", "fa")

# German name: (en, tr, ar, uk, ru, fa)
NAMEN = {
    "Kita": ("Daycare centre", "Kreş", "حضانة أطفال", "Дитячий садок", "Детский сад", "مهدکودک"),
    "Kindertagespflege": (
        "Childminder",
        "Gündüz çocuk bakıcısı",
        "رعاية نهارية للأطفال",
        "Денна няня",
        "Дневная няня",
        "پرستار روزانه کودک",
    ),
    "Grundschule": (
        "Primary school",
        "İlkokul",
        "مدرسة ابتدائية",
        "Початкова школа",
        "Начальная школа",
        "دبستان",
    ),
    "Weiterführende Schule": (
        "Secondary school",
        "Ortaöğretim okulu",
        "مدرسة ثانوية",
        "Середня школа",
        "Средняя школа",
        "مدرسه متوسطه",
    ),
    "Familiengrundschulzentrum": (
        "Family centre at a primary school",
        "İlkokulda aile merkezi",
        "مركز للأسرة في مدرسة ابتدائية",
        "Сімейний центр при початковій школі",
        "Семейный центр при начальной школе",
        "مرکز خانواده در دبستان",
    ),
    "Volkshochschule": (
        "Adult education centre (Volkshochschule)",
        "Halk eğitim merkezi (Volkshochschule)",
        "مركز تعليم الكبار (Volkshochschule)",
        "Курси для дорослих (Volkshochschule)",
        "Курсы для взрослых (Volkshochschule)",
        "آموزشگاه بزرگسالان (Volkshochschule)",
    ),
    "Bibliothek": ("Library", "Kütüphane", "مكتبة", "Бібліотека", "Библиотека", "کتابخانه"),
    "Familienzentrum": (
        "Family centre",
        "Aile merkezi",
        "مركز الأسرة",
        "Сімейний центр",
        "Семейный центр",
        "مرکز خانواده",
    ),
    "Familienbildungsstätte": (
        "Family education centre",
        "Aile eğitim merkezi",
        "مركز التثقيف الأسري",
        "Центр сімейної освіти",
        "Центр семейного образования",
        "مرکز آموزش خانواده",
    ),
    "Beratungsstelle": (
        "Advice centre",
        "Danışma merkezi",
        "مركز استشارات",
        "Консультаційний центр",
        "Консультационный центр",
        "مرکز مشاوره",
    ),
    "Erziehungsberatungsstelle": (
        "Parenting advice centre",
        "Eğitim danışma merkezi",
        "مركز الاستشارات التربوية",
        "Центр консультацій з питань виховання",
        "Центр консультаций по вопросам воспитания",
        "مرکز مشاوره تربیتی",
    ),
    "Schwangerschaftsberatungsstelle": (
        "Pregnancy advice centre",
        "Hamilelik danışma merkezi",
        "مركز استشارات الحمل",
        "Консультаційний центр для вагітних",
        "Консультационный центр для беременных",
        "مرکز مشاوره بارداری",
    ),
    "Stadtteilzentrum": (
        "Community centre",
        "Semt merkezi",
        "مركز الحي",
        "Районний центр",
        "Районный центр",
        "مرکز محله",
    ),
    "Verein": (
        "Association",
        "Dernek",
        "جمعية",
        "Громадська організація",
        "Общественная организация",
        "انجمن",
    ),
    "Wohlfahrtsverband": (
        "Welfare organisation",
        "Sosyal yardım kuruluşu",
        "منظمة رعاية اجتماعية",
        "Благодійна організація",
        "Благотворительная организация",
        "سازمان رفاه اجتماعی",
    ),
    "Kirchengemeinde": (
        "Parish",
        "Kilise cemaati",
        "أبرشية كنسية",
        "Церковна громада",
        "Церковный приход",
        "جامعه کلیسایی",
    ),
    "Jugendzentrum": (
        "Youth centre",
        "Gençlik merkezi",
        "مركز الشباب",
        "Молодіжний центр",
        "Молодёжный центр",
        "مرکز جوانان",
    ),
    "Arztpraxis": (
        "Doctor's practice",
        "Doktor muayenehanesi",
        "عيادة طبيب",
        "Лікарська практика",
        "Врачебная практика",
        "مطب پزشک",
    ),
    "Kinder- und Jugendarztpraxis": (
        "Paediatric practice",
        "Çocuk doktoru muayenehanesi",
        "عيادة طبيب أطفال",
        "Дитячий лікар (педіатр)",
        "Детский врач (педиатр)",
        "مطب پزشک کودکان",
    ),
    "Hebamme / Familienhebamme": (
        "Midwife / family midwife",
        "Ebe / aile ebesi",
        "قابلة / قابلة الأسرة",
        "Акушерка / сімейна акушерка",
        "Акушерка / семейная акушерка",
        "ماما / مامای خانواده",
    ),
    "Geburtsklinik": (
        "Maternity hospital",
        "Doğum kliniği",
        "مستشفى الولادة",
        "Пологовий будинок",
        "Родильный дом",
        "زایشگاه",
    ),
    "Frühförderstelle": (
        "Early intervention centre",
        "Erken destek merkezi",
        "مركز التدخل المبكر",
        "Центр ранньої допомоги",
        "Центр ранней помощи",
        "مرکز مداخله زودهنگام",
    ),
    "Gesundheitsamt": (
        "Public health office (Gesundheitsamt)",
        "Sağlık dairesi (Gesundheitsamt)",
        "دائرة الصحة (Gesundheitsamt)",
        "Відомство охорони здоров'я (Gesundheitsamt)",
        "Ведомство здравоохранения (Gesundheitsamt)",
        "اداره بهداشت (Gesundheitsamt)",
    ),
    "Migrationsberatung": (
        "Migration advice",
        "Göç danışmanlığı",
        "استشارات الهجرة",
        "Міграційна консультація",
        "Миграционная консультация",
        "مشاوره مهاجرت",
    ),
    "Migrantenorganisation": (
        "Migrant organisation",
        "Göçmen derneği",
        "منظمة مهاجرين",
        "Організація мігрантів",
        "Организация мигрантов",
        "سازمان مهاجران",
    ),
    "Gemeinschaftsunterkunft": (
        "Shared accommodation for refugees",
        "Toplu konaklama yeri",
        "سكن جماعي للاجئين",
        "Гуртожиток для біженців",
        "Общежитие для беженцев",
        "اقامتگاه جمعی پناهجویان",
    ),
    "Sportverein": (
        "Sports club",
        "Spor kulübü",
        "نادٍ رياضي",
        "Спортивний клуб",
        "Спортивный клуб",
        "باشگاه ورزشی",
    ),
    "Musik-, Tanz- oder Theaterschule": (
        "Music, dance or drama school",
        "Müzik, dans veya tiyatro okulu",
        "مدرسة موسيقى أو رقص أو مسرح",
        "Школа музики, танцю чи театру",
        "Школа музыки, танца или театра",
        "آموزشگاه موسیقی، رقص یا تئاتر",
    ),
    "Museum": ("Museum", "Müze", "متحف", "Музей", "Музей", "موزه"),
    "Jobcenter / Agentur für Arbeit": (
        "Jobcenter / employment agency",
        "Jobcenter / İş Ajansı",
        "مركز العمل (Jobcenter) / وكالة العمل",
        "Джобцентр / Агенція з праці",
        "Джобцентр / Агентство по труду",
        "جاب‌سنتر / اداره کار",
    ),
    "Schuldnerberatung": (
        "Debt advice",
        "Borç danışmanlığı",
        "استشارات الديون",
        "Консультації щодо боргів",
        "Консультации по долгам",
        "مشاوره بدهی",
    ),
    "Jugendamt": (
        "Youth welfare office (Jugendamt)",
        "Gençlik dairesi (Jugendamt)",
        "مكتب رعاية الأطفال والشباب (Jugendamt)",
        "Служба у справах дітей і молоді (Jugendamt)",
        "Ведомство по делам детей и молодёжи (Jugendamt)",
        "اداره رفاه کودکان و نوجوانان (Jugendamt)",
    ),
    "Kommune / Stadtverwaltung": (
        "Municipality / town hall",
        "Belediye",
        "البلدية",
        "Міська адміністрація",
        "Городская администрация",
        "شهرداری",
    ),
    "Landratsamt / Kreisverwaltung": (
        "District office (Landratsamt)",
        "İlçe idaresi (Landratsamt)",
        "إدارة المقاطعة (Landratsamt)",
        "Районна адміністрація (Landratsamt)",
        "Районная администрация (Landratsamt)",
        "فرمانداری شهرستان (Landratsamt)",
    ),
    "Unternehmen": ("Company", "Şirket", "شركة", "Підприємство", "Предприятие", "شرکت"),
    "Stiftung": ("Foundation", "Vakıf", "مؤسسة خيرية", "Фонд", "Фонд", "بنیاد"),
}


def _hash(text):
    # As atlas.uebersetzung.quell_hash (a migration keeps its own copy of what it needs).
    normal = "\n".join(zeile.rstrip() for zeile in (text or "").strip().splitlines())
    return hashlib.sha256(normal.encode()).hexdigest()[:16]


def uebersetzen(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Uebersetzung = apps.get_model("atlas", "Uebersetzung")
    Einrichtungsart = apps.get_model("akteure", "Einrichtungsart")
    typ, _ = ContentType.objects.get_or_create(app_label="akteure", model="einrichtungsart")
    for art in Einrichtungsart.objects.all():
        for sprache, text in zip(SPRACHEN, NAMEN.get(art.name, ()), strict=False):
            Uebersetzung.objects.get_or_create(
                inhaltstyp=typ,
                objekt_id=art.pk,
                feld="name",
                sprache=sprache,
                defaults={
                    "text": text,
                    "herkunft": "uebersetzung",
                    "uebersetzt_von": "Netzwerkatlas",
                    "quelle_hash": _hash(art.name),
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("atlas", "0002_uebersetzung"),
        ("akteure", "0010_leichte_sprache"),
    ]

    operations = [migrations.RunPython(uebersetzen, migrations.RunPython.noop)]
