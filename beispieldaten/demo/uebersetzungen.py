"""Translations of demo offerings into Turkish, Arabic and Ukrainian, by offering template.

Each entry translates a template's texts (vorlagen.py): title, description, registration, cost
note and each of its regular times; the loader gives them to every demo offering built from the
template whose German text is still the template's (beispieldaten/demo_daten.py). Who made them
differs by language, so the demo shows every kind of provenance: Turkish by a translator
(checked), Arabic partly machine-translated and unchecked, Ukrainian by the provider.
"""

# Sentences the loader appends to a template's description (demo_daten.AngebotBauer.bauen).
BARRIEREFREI = {
    "tr": " Mekânlar engelsiz olarak erişilebilir.",
    "ar": " الأماكن مهيأة لذوي الإعاقة.",
    "uk": " Приміщення доступні для людей з інвалідністю.",
}

# Template title -> language -> {"titel", "text", "anmeldung", "kosten", "zeiten": {German: …}}
VORLAGEN = {
    "Stillcafé": {
        "tr": {
            "titel": "Emzirme kafesi",
            "text": "Emzirme kafesinde anneler bebekleriyle çay ve kahve eşliğinde sohbet eder. "
            "Bir emzirme danışmanı da orada olur ve soruları yanıtlar.",
            "zeiten": {"dienstags 9:30–11:30 Uhr": "Salı günleri 09:30–11:30"},
        },
        "ar": {
            "titel": "مقهى الرضاعة الطبيعية",
            "text": "في مقهى الرضاعة تلتقي الأمهات مع أطفالهن الرضّع لتبادل الخبرات على الشاي "
            "والقهوة. وتحضر مستشارة في الرضاعة الطبيعية للإجابة عن الأسئلة.",
            "zeiten": {"dienstags 9:30–11:30 Uhr": "أيام الثلاثاء 09:30–11:30"},
        },
        "uk": {
            "titel": "Кафе для матерів, які годують грудьми",
            "text": "У кафе матері з немовлятами зустрічаються за чаєм і кавою та діляться "
            "досвідом. Консультантка з грудного вигодовування відповідає на запитання.",
            "zeiten": {"dienstags 9:30–11:30 Uhr": "щовівторка 09:30–11:30"},
        },
    },
    "Babymassage": {
        "tr": {
            "titel": "Bebek masajı",
            "text": "Nazik masaj hareketleri ebeveyn ile bebek arasındaki bağı güçlendirir, "
            "karın ağrısına ve huzursuzluğa iyi gelir. Lütfen büyük bir havlu ve masaj yağı "
            "getirin.",
            "kosten": "5 buluşma 45 €, Familienpass (aile kartı) ile indirim mümkündür.",
            "anmeldung": "Kayıt internetten veya telefonla, en fazla 8 aile.",
            "zeiten": {
                "5 Termine, mittwochs 10:00–11:00 Uhr": "5 buluşma, Çarşamba günleri 10:00–11:00"
            },
        },
        "ar": {
            "titel": "تدليك الرضّع",
            "text": "حركات التدليك اللطيفة تقوّي الرابطة بين الأهل والطفل وتساعد في حالات مغص "
            "البطن والتململ. يُرجى إحضار منشفة كبيرة وزيت للتدليك.",
            "kosten": "5 جلسات بـ 45 €، ويمكن الحصول على تخفيض مع بطاقة العائلة (Familienpass).",
            "anmeldung": "التسجيل عبر الإنترنت أو بالهاتف، 8 عائلات كحد أقصى.",
            "zeiten": {
                "5 Termine, mittwochs 10:00–11:00 Uhr": "5 جلسات، أيام الأربعاء 10:00–11:00"
            },
        },
        "uk": {
            "titel": "Масаж для немовлят",
            "text": "Ніжні масажні рухи зміцнюють зв'язок між батьками й дитиною та допомагають "
            "при болях у животику й неспокої. Візьміть, будь ласка, великий рушник і масажну "
            "олію.",
            "kosten": "5 занять — 45 €, зі знижкою за сімейною карткою (Familienpass).",
            "anmeldung": "Реєстрація онлайн або телефоном, не більше 8 сімей.",
            "zeiten": {"5 Termine, mittwochs 10:00–11:00 Uhr": "5 занять, щосереди 10:00–11:00"},
        },
    },
    "Elterncafé mit Sprachmittlung": {
        "tr": {
            "titel": "Tercüman eşliğinde veli kafesi",
            "text": "Veli kafesinde ebeveynler hem diğer ailelerle hem de kurumun uzmanlarıyla "
            "sohbet eder. Herkes konuşmaya katılabilsin diye dil aracıları çeviri yapar.",
            "zeiten": {
                "jeden ersten Mittwoch im Monat, 8:30–10 Uhr": "Her ayın ilk Çarşambası, "
                "08:30–10:00",
                "freitags 8–9:30 Uhr": "Cuma günleri 08:00–09:30",
            },
        },
        "ar": {
            "titel": "مقهى الأهل مع ترجمة",
            "text": "في مقهى الأهل يتحاور الآباء والأمهات مع عائلات أخرى ومع العاملين في "
            "المؤسسة. وتقوم مترجمات بالترجمة حتى يتمكن الجميع من المشاركة في الحديث.",
            "zeiten": {
                "jeden ersten Mittwoch im Monat, 8:30–10 Uhr": "أول أربعاء من كل شهر، 08:30–10:00",
                "freitags 8–9:30 Uhr": "أيام الجمعة 08:00–09:30",
            },
        },
        "uk": {
            "titel": "Батьківське кафе з перекладачами",
            "text": "У батьківському кафе батьки спілкуються з іншими сім'ями та з фахівцями "
            "закладу. Мовні посередниці перекладають, щоб кожен міг долучитися до розмови.",
            "zeiten": {
                "jeden ersten Mittwoch im Monat, 8:30–10 Uhr": "кожної першої середи місяця, "
                "08:30–10:00",
                "freitags 8–9:30 Uhr": "щоп'ятниці 08:00–09:30",
            },
        },
    },
    "Sprachcafé für Mütter": {
        "tr": {
            "titel": "Anneler için dil kafesi",
            "text": "Kadınlar günlük konular üzerine sohbet ederek Almanca pratik yapar – "
            "alışverişten kreşteki veli görüşmesine kadar. Küçük çocuklar da gelebilir.",
            "zeiten": {"mittwochs 9:30–11:30 Uhr": "Çarşamba günleri 09:30–11:30"},
        },
        "ar": {
            "titel": "مقهى اللغة للأمهات",
            "text": "تتدرّب النساء على اللغة الألمانية من خلال الحديث عن مواضيع الحياة اليومية، "
            "من التسوّق إلى لقاء الأهل في الحضانة. ويمكن إحضار الأطفال الصغار.",
            "zeiten": {"mittwochs 9:30–11:30 Uhr": "أيام الأربعاء 09:30–11:30"},
        },
        "uk": {
            "titel": "Мовне кафе для матерів",
            "text": "Жінки практикують німецьку в розмовах на повсякденні теми — від покупок до "
            "розмови з вихователями в садку. Можна приходити з маленькими дітьми.",
            "zeiten": {"mittwochs 9:30–11:30 Uhr": "щосереди 09:30–11:30"},
        },
    },
    "Deutschkurs mit Kinderbetreuung": {
        "tr": {
            "titel": "Çocuk bakımlı Almanca kursu",
            "text": "Çocukları yan odada bakılırken ebeveynler kreş, okul ve doktor ziyareti "
            "gibi günlük hayat için Almanca öğrenir. Kursa her zaman başlanabilir.",
            "kosten": "Katılım belgesi (Berechtigungsschein) ile ücretsiz, aksi hâlde ders saati "
            "başına 2,20 €.",
            "anmeldung": "Seviye tespiti ve kayıt danışma saatinde yapılır.",
            "zeiten": {"Mo, Mi, Fr 9–11:30 Uhr": "Pzt, Çrş, Cum 09:00–11:30"},
        },
        "ar": {
            "titel": "دورة لغة ألمانية مع رعاية الأطفال",
            "text": "يتعلّم الأهل اللغة الألمانية للحياة اليومية في الحضانة والمدرسة وعند زيارة "
            "الطبيب، بينما يُعتنى بأطفالهم في الغرفة المجاورة. يمكن الالتحاق في أي وقت.",
            "kosten": "مجانًا مع قسيمة الأحقية (Berechtigungsschein)، وإلا 2,20 € لكل حصة.",
            "anmeldung": "تحديد المستوى والتسجيل في ساعة الاستشارة.",
            "zeiten": {"Mo, Mi, Fr 9–11:30 Uhr": "الإثنين والأربعاء والجمعة 09:00–11:30"},
        },
        "uk": {
            "titel": "Курс німецької мови з доглядом за дітьми",
            "text": "Батьки вивчають німецьку для повсякденного життя — для садка, школи й "
            "візиту до лікаря, — поки їхні діти під наглядом у сусідній кімнаті. Приєднатися "
            "можна будь-коли.",
            "kosten": "Безкоштовно з направленням (Berechtigungsschein), інакше 2,20 € за "
            "навчальну годину.",
            "anmeldung": "Визначення рівня та реєстрація під час консультаційних годин.",
            "zeiten": {"Mo, Mi, Fr 9–11:30 Uhr": "пн, ср, пт 09:00–11:30"},
        },
    },
    "Migrationsberatung für Familien": {
        "tr": {
            "titel": "Aileler için göç danışmanlığı",
            "text": "Oturum izni, aile birleşimi, diplomaların tanınması ile kreş ve okula "
            "erişim konularında danışmanlık veriyoruz. Gerekirse resmî dairelere birlikte "
            "gidiyoruz.",
            "anmeldung": "Randevusuz açık danışma saati; diğer zamanlarda telefonla.",
            "zeiten": {
                "Di und Do 9–12 Uhr offene Sprechstunde": "Salı ve Perşembe 09:00–12:00 "
                "açık danışma saati"
            },
        },
        "ar": {
            "titel": "استشارات الهجرة للعائلات",
            "text": "نقدّم الاستشارة حول الإقامة ولمّ شمل الأسرة والاعتراف بالشهادات والالتحاق "
            "بالحضانة والمدرسة. وعند الحاجة نرافقكم إلى الدوائر الرسمية.",
            "anmeldung": "ساعة استشارة مفتوحة دون موعد، وفي غير ذلك بالهاتف.",
            "zeiten": {
                "Di und Do 9–12 Uhr offene Sprechstunde": "الثلاثاء والخميس "
                "09:00–12:00 ساعة استشارة مفتوحة"
            },
        },
        "uk": {
            "titel": "Міграційні консультації для сімей",
            "text": "Ми консультуємо щодо дозволу на перебування, возз'єднання сім'ї, визнання "
            "дипломів і доступу до садка та школи. За потреби супроводжуємо до установ.",
            "anmeldung": "Відкриті консультаційні години без запису; в інший час — телефоном.",
            "zeiten": {
                "Di und Do 9–12 Uhr offene Sprechstunde": "вт і чт 09:00–12:00, відкриті "
                "консультаційні години"
            },
        },
    },
    "Offener Spieltreff": {
        "tr": {
            "titel": "Açık oyun buluşması",
            "text": "Oyun odasında çocuklar ve ebeveynler oyun oynamak, el işi yapmak ve şarkı "
            "söylemek için buluşur. Bir eğitmen sorulara yanıt verir ve kreş yerleri hakkında "
            "bilgi verir.",
            "zeiten": {"Mo–Do 15–17 Uhr": "Pzt–Prş 15:00–17:00"},
        },
        "ar": {
            "titel": "لقاء اللعب المفتوح",
            "text": "في غرفة اللعب يلتقي الأطفال والأهل للّعب والأشغال اليدوية والغناء. وتكون "
            "مربية حاضرة للإجابة عن الأسئلة وتقديم المعلومات عن أماكن الحضانة.",
            "zeiten": {"Mo–Do 15–17 Uhr": "من الإثنين إلى الخميس 15:00–17:00"},
        },
        "uk": {
            "titel": "Відкриті ігрові зустрічі",
            "text": "В ігровій кімнаті діти й батьки зустрічаються, щоб гратися, майструвати й "
            "співати. Вихователька відповідає на запитання й розповідає про місця в садках.",
            "zeiten": {"Mo–Do 15–17 Uhr": "пн–чт 15:00–17:00"},
        },
    },
    "Offene Hebammensprechstunde": {
        "tr": {
            "titel": "Ebe ile açık danışma saati",
            "text": "Hamileler ve bebekli anneler sorularıyla randevusuz gelebilir. Bir ebe "
            "hamilelik şikâyetleri, emzirme, uyku ve beslenme konusunda danışmanlık verir.",
            "zeiten": {
                "donnerstags 10–12 Uhr": "Perşembe günleri 10:00–12:00",
                "montags 14–16 Uhr": "Pazartesi günleri 14:00–16:00",
            },
        },
        "ar": {
            "titel": "ساعة استشارة مفتوحة مع القابلة",
            "text": "يمكن للحوامل والأمهات مع أطفالهن الرضّع الحضور بأسئلتهن دون موعد. وتقدّم "
            "قابلة الاستشارة حول متاعب الحمل والرضاعة الطبيعية والنوم والتغذية.",
            "zeiten": {
                "donnerstags 10–12 Uhr": "أيام الخميس 10:00–12:00",
                "montags 14–16 Uhr": "أيام الإثنين 14:00–16:00",
            },
        },
        "uk": {
            "titel": "Відкриті консультації акушерки",
            "text": "Вагітні та матері з немовлятами можуть прийти зі своїми запитаннями без "
            "запису. Акушерка консультує щодо нездужань під час вагітності, грудного "
            "вигодовування, сну та харчування.",
            "zeiten": {
                "donnerstags 10–12 Uhr": "щочетверга 10:00–12:00",
                "montags 14–16 Uhr": "щопонеділка 14:00–16:00",
            },
        },
    },
    "Beratung zu Kinderzuschlag und Bildung und Teilhabe": {
        "tr": {
            "titel": "Çocuk ek ödeneği (Kinderzuschlag) ile eğitim ve katılım yardımları "
            "danışmanlığı",
            "text": "Size çocuk ek ödeneği, kira yardımı (Wohngeld) veya eğitim ve katılım "
            "yardımlarının verilip verilmeyeceğini birlikte inceliyor ve başvuru formlarını "
            "doldurmanıza yardım ediyoruz. Lütfen gelir belgelerinizi getirin.",
            "zeiten": {"donnerstags 9–12 Uhr": "Perşembe günleri 09:00–12:00"},
        },
        "ar": {
            "titel": "استشارة حول علاوة الأطفال (Kinderzuschlag) ومزايا التعليم والمشاركة",
            "text": "نتحقق معكم مما إذا كان يحق لكم الحصول على علاوة الأطفال أو بدل السكن "
            "(Wohngeld) أو مزايا التعليم والمشاركة، ونساعدكم في تعبئة الطلبات. يُرجى إحضار "
            "إثباتات الدخل.",
            "zeiten": {"donnerstags 9–12 Uhr": "أيام الخميس 09:00–12:00"},
        },
        "uk": {
            "titel": "Консультації щодо доплати на дітей (Kinderzuschlag) та пакета «Освіта і "
            "участь»",
            "text": "Ми разом перевіримо, чи маєте ви право на доплату на дітей, житлову "
            "допомогу (Wohngeld) або виплати з пакета «Освіта і участь», і допоможемо заповнити "
            "заяви. Візьміть, будь ласка, документи про доходи.",
            "zeiten": {"donnerstags 9–12 Uhr": "щочетверга 09:00–12:00"},
        },
    },
    "Offene Sprechstunde Erziehungsberatung": {
        "tr": {
            "titel": "Açık danışma saati: çocuk eğitimi danışmanlığı",
            "text": "Öfke nöbetleri, kardeşler arasındaki kavgalar ya da okulla ilgili kaygılar: "
            "Ebeveynler randevusuz bir uzmanla konuşabilir. Danışmanlık gizlidir.",
            "zeiten": {"donnerstags 15–17 Uhr": "Perşembe günleri 15:00–17:00"},
        },
        "ar": {
            "titel": "ساعة استشارة تربوية مفتوحة",
            "text": "نوبات الغضب أو الشجار بين الإخوة أو القلق بشأن المدرسة: يمكن للأهل التحدث "
            "مع مختص دون موعد. الاستشارة سرّية.",
            "zeiten": {"donnerstags 15–17 Uhr": "أيام الخميس 15:00–17:00"},
        },
        "uk": {
            "titel": "Відкриті консультації з питань виховання",
            "text": "Напади гніву, сварки між братами й сестрами чи тривоги через школу: батьки "
            "можуть поговорити з фахівцем без запису. Консультація конфіденційна.",
            "zeiten": {"donnerstags 15–17 Uhr": "щочетверга 15:00–17:00"},
        },
    },
    "Vorlesestunde in mehreren Sprachen": {
        "tr": {
            "titel": "Birçok dilde kitap okuma saati",
            "text": "Gönüllüler resimli kitapları Almanca ve ailelerin konuştuğu diğer dillerde "
            "okur. Ardından resim yapılır ve el işi yapılır.",
            "zeiten": {
                "jeden zweiten Samstag, 11–12 Uhr": "İki haftada bir Cumartesi, 11:00–12:00"
            },
        },
        "ar": {
            "titel": "ساعة القراءة بعدة لغات",
            "text": "يقرأ متطوعون كتبًا مصوّرة باللغة الألمانية وبلغات أخرى تتحدثها العائلات. "
            "وبعد ذلك يرسم الأطفال ويصنعون أشغالًا يدوية.",
            "zeiten": {"jeden zweiten Samstag, 11–12 Uhr": "كل أسبوعين يوم السبت، 11:00–12:00"},
        },
        "uk": {
            "titel": "Читання вголос кількома мовами",
            "text": "Волонтери читають книжки з картинками німецькою та іншими мовами, якими "
            "розмовляють у сім'ях. Потім діти малюють і майструють.",
            "zeiten": {"jeden zweiten Samstag, 11–12 Uhr": "щодругої суботи 11:00–12:00"},
        },
    },
}

# Who made the translations of each language: (herkunft, name or None for the provider's name,
# checked). Arabic of some templates is a machine translation nobody has checked yet.
HERKUNFT = {
    "tr": ("uebersetzung", "Ayşe Demir", True),
    "ar": ("uebersetzung", "Sprachmittlerinnen-Pool Köln", True),
    "uk": ("anbieter", None, True),
}
MASCHINELL_AR = {"Offener Spieltreff", "Offene Hebammensprechstunde"}

# One offering whose German text changed after it was translated: its translations show as
# outdated (template, sentence added to the German description).
VERALTET = ("Stillcafé", " Auch Väter sind herzlich willkommen.")

LEICHTE_SPRACHE = {
    "Stillcafé": (
        "Das Still-Café ist ein Treff-Punkt für Mütter mit Babys.\n"
        "Still-Café heißt: Hier können Sie Ihr Baby stillen.\n"
        "Stillen heißt: Das Baby trinkt Milch an der Brust von der Mutter.\n"
        "Sie können mit anderen Müttern sprechen.\n"
        "Es gibt Tee und Kaffee.\n"
        "Eine Fach-Frau für Stillen ist da.\n"
        "Sie können ihr Fragen stellen.\n"
        "Das Still-Café kostet nichts."
    ),
}
