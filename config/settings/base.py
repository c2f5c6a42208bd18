"""Settings for Netzwerkatlas, read from the environment (production = these defaults + env)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    """An environment variable; empty counts as unset."""
    return os.environ.get(name) or default


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY fehlt: bitte als Umgebungsvariable setzen.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

SITE_TITLE = env("SITE_TITLE", "Netzwerkatlas")

INSTALLED_APPS = [
    "config.apps.AtlasAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "leaflet",
    "simple_history",
    "import_export",
    "csp",
    # Staff account safety: login lockout and two-factor login (see the block further down).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "atlas",
    "akteure",
    "netzwerke",
    "angebote",
    "auswertung",
    "beispieldaten",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for the public pages only (BREACH; see atlas/kopfzeilen.py). Static files come
    # compressed from whitenoise.
    "atlas.kopfzeilen.OeffentlichKomprimierenMiddleware",
    # Content-Security-Policy with a nonce, Permissions-Policy (atlas/kopfzeilen.py).
    "atlas.kopfzeilen.SicherheitsKopfzeilenMiddleware",
    # Public reads from the replica, if there is one (atlas/lesereplik.py).
    "atlas.lesereplik.ReplikaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user as verified by an OTP device (two-factor admin login).
    "django_otp.middleware.OTPMiddleware",
    # Ends a staff session SESSION_COOKIE_AGE after login, however active it was.
    "config.konten.SitzungsdauerMiddleware",
    # The budget of anonymous list, map and search requests (atlas/drosselung.py): needs the
    # user (staff are not limited) and the language of the 429 page.
    "atlas.drosselung.SuchbudgetMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records the acting user on every history row, whatever the write path (form, inline,
    # action, import).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes requires: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgis://netzwerkatlas@127.0.0.1:5432/netzwerkatlas"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# dj-database-url maps postgis:// to the GeoDjango backend; insist on it so a plain postgres://
# URL does not silently lose the geometry types. atlas.postgis is GeoDjango's backend with a
# health check that costs no round trip on a live connection (its docstring).
DATABASES["default"]["ENGINE"] = "atlas.postgis"
# Two server settings for the app's connections, measured with 250,000 offerings
# (bench/RESULTS.md): JIT compilation costs more than it saves (up to 0.9 s per map request),
# and a parallel worker makes a search near a place slower, not faster (~21 instead of ~40 ms):
# starting it costs more than it shares, and under load the web workers already use every core.
# `?options=…` in DATABASE_URL or libpq's PGOPTIONS replace this default.
# A database that does not answer must not hold a request until gunicorn kills the worker:
# connecting gives up after DB_CONNECT_TIMEOUT seconds (libpq's minimum is 2), a statement after
# DB_STATEMENT_TIMEOUT_MS milliseconds (0 = none; a migration of a large database may need 0).
# The request then gets the 503 page (atlas/betrieb.py).
DB_CONNECT_TIMEOUT = int(env("DB_CONNECT_TIMEOUT", "3"))
DB_STATEMENT_TIMEOUT_MS = int(env("DB_STATEMENT_TIMEOUT_MS", "30000"))


def _datenbank_optionen(datenbank):
    optionen = datenbank.setdefault("OPTIONS", {})
    optionen.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    if not env("PGOPTIONS"):
        optionen.setdefault("options", "-c jit=off -c max_parallel_workers_per_gather=0")
    if DB_STATEMENT_TIMEOUT_MS:
        # Added to the options above, or to PGOPTIONS (a connection's own options replace them).
        anfang = optionen.get("options") or env("PGOPTIONS", "")
        optionen["options"] = f"{anfang} -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}".strip()


_datenbank_optionen(DATABASES["default"])

# Optional streaming replica for public reads (atlas/lesereplik.py): anonymous GET requests read
# there, staff and anyone who just wrote read the primary; a replica that does not answer is
# skipped for REPLIKA_PAUSE_SEKUNDEN. The router is always installed and routes nothing without
# a replica.
DATABASE_ROUTERS = ["atlas.lesereplik.ReplikaRouter"]
REPLIKA_DATENBANK = None
REPLIKA_NACH_SCHREIBEN_SEKUNDEN = int(env("REPLIKA_NACH_SCHREIBEN_SEKUNDEN", "10"))
REPLIKA_PAUSE_SEKUNDEN = int(env("REPLIKA_PAUSE_SEKUNDEN", "5"))
if env("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("REPLICA_DATABASE_URL"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["ENGINE"] = "atlas.postgis"
    # Tests create no second database: the replica is the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    _datenbank_optionen(DATABASES["replica"])
    REPLIKA_DATENBANK = "replica"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff accounts guard personal data of contact persons: 12 characters at least.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
# The languages of the families the networks serve ("neu zugewanderte Familien"); ar and fa are
# written right to left (Django's LANGUAGES_BIDI), the pages mirror through logical CSS.
LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
    ("uk", _("Ukrainisch")),
    ("ru", _("Russisch")),
    ("fa", _("Persisch")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Debian 12 ships GDAL 3.6, older than Django 5.2 officially supports; it works for our use.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env(
    "MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
)
# Who runs the tile server: named on the button "Stadtplan laden" and in the
# Datenschutzerklärung. Tiles from another host load only after the visitor's click; tiles from
# the site's own host (a relative MAP_TILE_URL, or MAP_TILE_EIGENER_SERVER=true for a tile
# server the operator runs under another name) load at once.
MAP_TILE_NAME = env("MAP_TILE_NAME", "OpenStreetMap")
MAP_TILE_ANBIETER = env(
    "MAP_TILE_ANBIETER", "OpenStreetMap Foundation, St John’s Innovation Centre, Cambridge, UK"
)
MAP_TILE_EIGENER_SERVER = env_bool("MAP_TILE_EIGENER_SERVER", False)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (51.0, 10.0),
    "DEFAULT_ZOOM": 6,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    # No tile layer of its own: the admin's position maps get the public maps' local background
    # and "Stadtplan laden" button (static/js/stadtplan.js, karte_admin.js; the settings come
    # from templates/admin/base_site.html).
    "TILES": [],
    "PLUGINS": {"forms": {"js": ["js/stadtplan.js", "js/karte_admin.js"]}},
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
}

# Production hardening: safe by default, loosened in dev/test settings.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive only permits a manual submission to the browsers' list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Health checks of a load balancer come over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^-/"]


def _kachel_quelle(vorlage):
    """The origin the map tiles come from, for img-src ({s} subdomains as a wildcard)."""
    from urllib.parse import urlsplit

    teile = urlsplit(vorlage.replace("{s}", "tile-s"))
    if not teile.scheme or not teile.netloc:
        return None  # tiles from the site itself
    return f"{teile.scheme}://{teile.netloc.replace('tile-s', '*')}"


# Content-Security-Policy (django-csp 4, atlas/kopfzeilen.py): only the site's own files; inline
# scripts only with the request's nonce; images also from the tile server and data: URIs
# (Leaflet's and the admin's CSS). No inline styles, no inline event handlers anywhere.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [_kachel_quelle(MAP_TILE_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": "/-/csp-bericht/",
    },
}
# Browser features the site does not use are switched off; "near me" needs the location.
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()"
)

# Several app servers share cache, sessions, rate-limit and login-throttle counters through
# Redis (REDIS_URL); without it, Django's per-process memory cache and database sessions (one
# server only). (An import's uploaded file waits in the database.)
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", "atlas"),
            # A Redis that does not answer fails a request within seconds, not minutes.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- Staff accounts: login lockout, two-factor login, sessions (config/konten.py) ---
# django-axes checks every login before the password: the failing backend comes first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name from one client address only, so nobody can lock a colleague out from
# elsewhere. The address comes from REAL_IP_HEADER (rate-limit block) or REMOTE_ADDR.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "atlas.anfrage.client_ip_adresse"
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(env("AXES_COOLOFF_MINUTES", "20"))
if AXES_FAILURE_LIMIT < 1 or not 15 <= AXES_COOLOFF_MINUTES <= 30:
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT muss mindestens 1 sein, AXES_COOLOFF_MINUTES zwischen 15 und 30."
    )
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
# Attempts during a lockout do not extend it: the end time on the lockout page stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.konten.sperre_antwort"
AXES_HTTP_RESPONSE_CODE = 429
# Two-factor login for every admin user (TOTP app; static codes for emergencies). On unless the
# environment says otherwise; dev and test settings switch it off, `check --deploy` warns then.
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)
# Password spraying tries few passwords on many user names, which the per-user lockout above
# never sees: one client address may fail at most ANMELDUNG_FEHLVERSUCHE_PRO_ADRESSE logins
# within ANMELDUNG_ADRESSE_MINUTEN, whatever the user names (counted in the cache; with Redis,
# across all app servers). Generous enough for an office behind one NAT address.
ANMELDUNG_FEHLVERSUCHE_PRO_ADRESSE = int(env("ANMELDUNG_FEHLVERSUCHE_PRO_ADRESSE", "30"))
ANMELDUNG_ADRESSE_MINUTEN = int(env("ANMELDUNG_ADRESSE_MINUTEN", "15"))
# The gap analysis (/auswertung/bedarf/) is for Jugendamt and Redaktion; a deployment may open
# it to everyone (it shows only published offerings and the population figures).
BEDARF_OEFFENTLICH = env_bool("BEDARF_OEFFENTLICH", False)
OTP_TOTP_ISSUER = SITE_TITLE
# A staff session lasts at most 8 hours from login and ends with the browser; login() gives a
# new session key and CSRF token.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# --- Rate limit for anonymous API calls and exports (atlas/drosselung.py) ---
DROSSELUNG_ANFRAGEN = int(env("DROSSELUNG_ANFRAGEN", "60"))
DROSSELUNG_SEKUNDEN = int(env("DROSSELUNG_SEKUNDEN", "60"))
# Where the counters live (also the login throttle's): with Redis its cache, shared by every
# worker and host; without it ("") a table in the database (atlas.Drosselungszaehler), never a
# process's own memory – three workers would each let DROSSELUNG_ANFRAGEN through.
DROSSELUNG_CACHE = "default" if REDIS_URL else ""
# Anonymous lists, maps and searches: a budget of SUCHBUDGET_PUNKTE points per client address
# and SUCHBUDGET_SEKUNDEN (0 = no budget; bench/run.sh sets 0). A request costs 1 point, plus
# SUCHBUDGET_NEUE_SUCHE for a search the client has not asked for in the window (paging, sorting
# and panning the map are not new), plus 1 per full SUCHBUDGET_MS_PRO_PUNKT ms of server time.
# A family (a few new searches a minute, paging, the map) stays far below 300; a crawler of
# distinct broad searches gets the 429 page after about 30–60 of them a minute (README).
SUCHBUDGET_PUNKTE = int(env("SUCHBUDGET_PUNKTE", "300"))
SUCHBUDGET_SEKUNDEN = int(env("SUCHBUDGET_SEKUNDEN", "60"))
SUCHBUDGET_NEUE_SUCHE = int(env("SUCHBUDGET_NEUE_SUCHE", "4"))
SUCHBUDGET_MS_PRO_PUNKT = int(env("SUCHBUDGET_MS_PRO_PUNKT", "100"))
if (
    min(SUCHBUDGET_PUNKTE, SUCHBUDGET_NEUE_SUCHE) < 0
    or min(SUCHBUDGET_SEKUNDEN, SUCHBUDGET_MS_PRO_PUNKT) < 1
):
    raise ImproperlyConfigured(
        "SUCHBUDGET_PUNKTE und SUCHBUDGET_NEUE_SUCHE dürfen nicht negativ sein, "
        "SUCHBUDGET_SEKUNDEN und SUCHBUDGET_MS_PRO_PUNKT müssen mindestens 1 sein."
    )
# The views the budget covers (URL names), in every language.
SUCHBUDGET_ANSICHTEN = frozenset(
    {
        "angebote:angebot_list",
        "angebote:angebot_karte",
        "akteure:akteur_list",
        "akteure:akteur_karte",
        "netzwerke:netzwerk_list",
        "netzwerke:netzwerk_karte",
    }
)
# Header with the client address set by a trusted reverse proxy (e.g. X-Real-IP); empty means
# REMOTE_ADDR. Set it only behind such a proxy: clients can send any header themselves.
REAL_IP_HEADER = env("REAL_IP_HEADER", "")

# --- Freshness of the records (atlas/pruefung.py) ---
# A record whose last "Als geprüft markieren" is this many months ago (or never) is "Prüfung
# fällig" in the admin.
PRUEFUNG_FAELLIG_MONATE = int(env("PRUEFUNG_FAELLIG_MONATE", "12"))
if PRUEFUNG_FAELLIG_MONATE < 1:
    raise ImproperlyConfigured("PRUEFUNG_FAELLIG_MONATE muss mindestens 1 sein.")

# --- Import of Akteure, Kontaktpersonen, Angebote (atlas/importieren.py, docs/import.md) ---
# Importing needs the model's own permission `<app>.import_<model>`, not only "change".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
# Preview and confirm run in a transaction; a file with any bad row writes nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Formats (CSV as German Excel writes it, XLSX) and file limits are set on the admin mixin,
# so that they apply to the import only.
# An uploaded file waits in the database (atlas.Importauftrag, no app server's disk) between
# preview and confirm; it is removed after the import, a cancel, a preview with errors, and once
# it is IMPORT_VORSCHAU_STUNDEN old (the confirm step then refuses it; `manage.py aufbewahrung`
# deletes it).
IMPORT_VORSCHAU_STUNDEN = int(env("IMPORT_VORSCHAU_STUNDEN", "2"))
# Reading a file stops with a German message after this many seconds (a sheet formatted down to
# row 1,048,576 is refused by its row budget well before).
IMPORT_LESEZEIT_SEKUNDEN = int(env("IMPORT_LESEZEIT_SEKUNDEN", "10"))
# Files with more data rows than this are previewed and imported by a worker outside the request
# (`manage.py importe_abarbeiten`), with a progress page; smaller ones in the request.
IMPORT_SOFORT_ZEILEN = int(env("IMPORT_SOFORT_ZEILEN", "500"))
# How the worker starts: "prozess" – the request starts `manage.py importe_abarbeiten` as a
# detached process when it queues a job (any app server, nothing to install); "dienst" – only a
# long-running worker service picks jobs up (docs/deployment/netzwerkatlas-importe.service).
IMPORT_ARBEITER = env("IMPORT_ARBEITER", "prozess")
# A running job whose worker has not reported for this many seconds is taken as dead (killed,
# host gone) and marked failed; its transaction was rolled back with the connection.
IMPORT_HERZSCHLAG_SEKUNDEN = int(env("IMPORT_HERZSCHLAG_SEKUNDEN", "60"))

# --- Retention (`manage.py aufbewahrung`, daily) and erasure (`manage.py person_loeschen`) ---
# Days to keep django-axes' login records and the protocol of staff exports; expired sessions
# and import files always go, other models by their QuerySet's `loeschfaellig()`.
AUFBEWAHRUNG_ANMELDUNGEN_TAGE = int(env("AUFBEWAHRUNG_ANMELDUNGEN_TAGE", "90"))
AUFBEWAHRUNG_EXPORTPROTOKOLL_TAGE = int(env("AUFBEWAHRUNG_EXPORTPROTOKOLL_TAGE", "365"))
# Days to keep the copy of a mail that was sent or given up (the outbox holds addresses).
AUFBEWAHRUNG_POSTAUSGANG_TAGE = int(env("AUFBEWAHRUNG_POSTAUSGANG_TAGE", "30"))
# Days to keep a finished import's record (who, file name, counts, messages; never the file).
AUFBEWAHRUNG_IMPORTAUFTRAEGE_TAGE = int(env("AUFBEWAHRUNG_IMPORTAUFTRAEGE_TAGE", "90"))

# --- Mail (atlas/post.py): Django's e-mail backend, sent through the outbox table ---
# SMTP in production; the dev settings print mails to the console. Sender and server from the
# environment.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds before a mail server that does not answer counts as failed (the outbox retries).
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "mails"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "netzwerkatlas@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Attempts per mail before the outbox gives up (5 minutes apart, then doubling).
POST_MAX_VERSUCHE = int(env("POST_MAX_VERSUCHE", "6"))
# The site's address for links in mails sent by commands (no request to ask), e.g.
# https://familienwegweiser.example.de
SITE_URL = env("SITE_URL", "")

# --- Reminders, outdated records, reports (atlas/erinnerung.py, atlas/meldungen.py) ---
# Second reminder this many days after the first; the coordination is told this many days
# after the second. A link "Angaben sind noch aktuell" works this many days, once.
ERINNERUNG_ZWEITE_NACH_TAGE = int(env("ERINNERUNG_ZWEITE_NACH_TAGE", "14"))
ERINNERUNG_KOORDINATION_NACH_TAGE = int(env("ERINNERUNG_KOORDINATION_NACH_TAGE", "14"))
ERINNERUNG_LINK_GUELTIG_TAGE = int(env("ERINNERUNG_LINK_GUELTIG_TAGE", "30"))
# Public records whose details are this many months old (last confirmation, else creation):
# "hinweis" shows "Angaben älter als … Monate – bitte vor dem Besuch nachfragen", "ausblenden"
# leaves them out of the lists, their maps and files (the detail page stays, with the hint).
VERALTET_MONATE = int(env("VERALTET_MONATE", "12"))
VERALTET_ANZEIGE = env("VERALTET_ANZEIGE", "hinweis")
if VERALTET_ANZEIGE not in {"hinweis", "ausblenden"} or VERALTET_MONATE < 1:
    raise ImproperlyConfigured(
        "VERALTET_ANZEIGE muss „hinweis“ oder „ausblenden“ sein, VERALTET_MONATE mindestens 1."
    )
# The public offerings list answers broad searches from an index in each process's memory
# (angebote.suchindex), kept true by a change log the database writes; off: every search in SQL.
SUCHINDEX = env_bool("SUCHINDEX", True)
# Built in a thread when a worker first needs it, SQL answering meanwhile (a new worker never
# makes a visitor wait seconds); false: the first search waits for it.
SUCHINDEX_HINTERGRUND = env_bool("SUCHINDEX_HINTERGRUND", True)
# Built in a short-lived child process (fork), handed back through a pipe: the worker never
# holds the build's transient memory (at 1M offerings ~200 MB above the index); false: in the
# worker itself.
SUCHINDEX_KINDPROZESS = env_bool("SUCHINDEX_KINDPROZESS", True)
# Lexemes in at least this many published offerings get posting lists in the index (full text
# with a common word without scanning the table); rarer ones are looked up by the GIN index.
SUCHINDEX_WORT_AB = int(env("SUCHINDEX_WORT_AB", "500"))
# Report form: resolved reports are deleted after this many days (manage.py meldungen_loeschen);
# a form sent sooner than this many seconds after it was shown is refused; at most this many
# reports per client address and window of seconds.
MELDUNG_LOESCHEN_TAGE = int(env("MELDUNG_LOESCHEN_TAGE", "90"))
MELDUNG_MINDESTZEIT_SEKUNDEN = int(env("MELDUNG_MINDESTZEIT_SEKUNDEN", "3"))
MELDUNG_ANFRAGEN = int(env("MELDUNG_ANFRAGEN", "5"))
MELDUNG_SEKUNDEN = int(env("MELDUNG_SEKUNDEN", "3600"))
