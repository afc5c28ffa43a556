"""Baggrund settings: one file, read from the environment, safe defaults for a laptop.

Everything that differs between a laptop and production comes from environment
variables; nothing here needs editing to deploy.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Development defaults: DEBUG on and a throwaway key, unless the environment says
# otherwise. Production sets BAGGRUND_SECRET_KEY and BAGGRUND_DEBUG=0.
DEBUG = env_bool("BAGGRUND_DEBUG", True)
DEVELOPMENT_KEY = "dev-only-not-secret-7c1f0d8e4b2a49f6a3b5e9d0c8f7a6b5"
SECRET_KEY = os.environ.get("BAGGRUND_SECRET_KEY", DEVELOPMENT_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_KEY:
    raise ImproperlyConfigured("BAGGRUND_DEBUG=0 needs BAGGRUND_SECRET_KEY (a long random string)")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("BAGGRUND_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]
# Production serves HTTPS (behind the board's proxy, which terminates it) unless
# BAGGRUND_HTTPS=0: the one switch for a closed plain-HTTP intranet, where HSTS, the
# HTTPS redirect and secure cookies would make logging in impossible.
HTTPS = env_bool("BAGGRUND_HTTPS", not DEBUG)
# The origins a form may be posted from: each allowed host under the scheme served
# (a proxy's own name comes in through ALLOWED_HOSTS), plus any given explicitly.
_SCHEME = "https" if HTTPS else "http"
CSRF_TRUSTED_ORIGINS = [
    f"{_SCHEME}://*{host}" if host.startswith(".") else f"{_SCHEME}://{host}"
    for host in ALLOWED_HOSTS
    if host != "*"
] + [o for o in os.environ.get("BAGGRUND_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "library",
    "casefiles",
]

MIDDLEWARE = [
    "config.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.BoardLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Everything but the login page needs a logged-in user; views opt out explicitly
    # with @login_not_required, so a forgotten decorator fails closed.
    "config.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user name first
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after BAGGRUND_LOGIN_FAILURES failed logins for a user name, that
# name is locked for BAGGRUND_LOGIN_LOCK_MINUTES (whatever the address: caseworkers
# share the board's few addresses). `manage.py axes_reset_username NAME` unlocks it.
AXES_FAILURE_LIMIT = int(os.environ.get("BAGGRUND_LOGIN_FAILURES", 10))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BAGGRUND_LOGIN_LOCK_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.lockout.locked_out"
AXES_ENABLE_ADMIN = False  # unlocking is the command above

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL picks the database: postgres://… in production, sqlite:///… or unset
# for the embedded default in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("BAGGRUND_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an ingest writes; a busy timeout instead of
    # "database is locked" errors when two writers meet.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first (Django's own recommendation; its defaults: 100 MiB, 2 passes, 8 lanes,
# about 0.12 s a login on 2 cores, where PBKDF2's 1,000,000 rounds took 0.3 s of one
# core and queued logins behind each other under load: bench/load/). Hashes of the other
# kinds still verify and are rehashed with Argon2id at the user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# The UI speaks Danish by default and English on request: only the language switch
# changes it (config.middleware.BoardLanguageMiddleware ignores Accept-Language).
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Originals are never served from a public URL: the bilag view streams them to
    # logged-in users only.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("BAGGRUND_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"

# Ingestion limits. A file over the size limit is refused before it is read; a PDF is
# parsed in a child process capped in CPU seconds, wall seconds and address space.
BAGGRUND_MAX_FILE_BYTES = int(os.environ.get("BAGGRUND_MAX_FILE_BYTES", 50 * 1024 * 1024))
BAGGRUND_MAX_FILES_PER_UPLOAD = 50
BAGGRUND_PDF_TIMEOUT_SECONDS = int(os.environ.get("BAGGRUND_PDF_TIMEOUT_SECONDS", 120))
BAGGRUND_PDF_MEMORY_BYTES = int(os.environ.get("BAGGRUND_PDF_MEMORY_BYTES", 1024 * 1024 * 1024))
BAGGRUND_PDF_MAX_PAGES = int(os.environ.get("BAGGRUND_PDF_MAX_PAGES", 3000))
# Wall-clock seconds for reading one PDF, OCR of its scanned pages included (each
# program the reader starts has BAGGRUND_PDF_TIMEOUT_SECONDS of CPU time of its own).
BAGGRUND_PDF_WALL_SECONDS = int(os.environ.get("BAGGRUND_PDF_WALL_SECONDS", 900))
# Uploads ingested by a job of their own (library.jobs) rather than in the request:
# files from 1 MiB, PDFs from 64 KiB (a scanned page takes seconds of OCR). The web
# server starts each job as a process (BAGGRUND_JOB_LAUNCH=process), or leaves them to
# `manage.py ingest_jobs --loop` (manual).
BAGGRUND_BACKGROUND_UPLOAD_BYTES = int(
    os.environ.get("BAGGRUND_BACKGROUND_UPLOAD_BYTES", 1024 * 1024)
)
BAGGRUND_BACKGROUND_PDF_BYTES = int(os.environ.get("BAGGRUND_BACKGROUND_PDF_BYTES", 64 * 1024))
BAGGRUND_JOB_LAUNCH = os.environ.get("BAGGRUND_JOB_LAUNCH", "process")
# OCR of PDF pages without a text layer (Tesseract): on unless BAGGRUND_OCR=0; the
# Tesseract languages tried together, and the resolution pages are rendered at.
BAGGRUND_OCR = os.environ.get("BAGGRUND_OCR", "1") != "0"
BAGGRUND_OCR_LANGUAGES = os.environ.get("BAGGRUND_OCR_LANGUAGES", "dan+nor+eng+swe+deu")
BAGGRUND_OCR_DPI = int(os.environ.get("BAGGRUND_OCR_DPI", 300))
# The Tantivy search index (library.search.engine): a folder derived from the database,
# rebuilt from it by `manage.py reindex`; shared by every process of one deployment.
BAGGRUND_SEARCH_INDEX_DIR = Path(
    os.environ.get("BAGGRUND_SEARCH_INDEX_DIR", BASE_DIR / "search-index")
)
# Seconds a write waits for another process's write to the index before leaving its
# change in the outbox (applied by the next write or search).
BAGGRUND_SEARCH_LOCK_SECONDS = float(os.environ.get("BAGGRUND_SEARCH_LOCK_SECONDS", 30))
# Tests only: each test runs in one transaction that is rolled back, with an index
# folder of its own, so its searches may apply its own uncommitted outbox rows.
BAGGRUND_SEARCH_APPLY_IN_TRANSACTION = False
# Topic suggestions learned from decisions (library.topics.learned): a topic needs this
# many human decisions before its classifier is trained, and is retrained in the
# background after every BAGGRUND_TOPIC_RETRAIN_EVERY new ones.
BAGGRUND_TOPIC_LEARN_MIN_DECISIONS = int(os.environ.get("BAGGRUND_TOPIC_LEARN_MIN_DECISIONS", 20))
BAGGRUND_TOPIC_RETRAIN_EVERY = int(os.environ.get("BAGGRUND_TOPIC_RETRAIN_EVERY", 25))
# Retraining and applying a changed lexicon to the library run in a thread of the web
# process after the commit (library.topics.jobs); tests run them in line instead.
BAGGRUND_TOPIC_JOBS_IN_BACKGROUND = True
# Django refuses request bodies above this before a view runs; room for the largest
# allowed upload of a few files plus form fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("BAGGRUND_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("BAGGRUND_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BAGGRUND_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("BAGGRUND_HSTS_PRELOAD", False)
    # The proxy in front says whether the browser's request was HTTPS. Trusted only
    # when Baggrund is reachable through that proxy alone (BAGGRUND_PROXY_HTTPS_HEADER=0
    # where gunicorn itself is exposed).
    if env_bool("BAGGRUND_PROXY_HTTPS_HEADER", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preloading is a promise to the browsers' preload lists that a board makes for its
# whole domain, not an application default (BAGGRUND_HSTS_PRELOAD=1 makes it).
SILENCED_SYSTEM_CHECKS = [] if env_bool("BAGGRUND_HSTS_PRELOAD", False) else ["security.W021"]
# django-axes warns when the lockout is not also per address. Here it is per user name
# only, on purpose: rotating addresses, agents or cookies does not get past it, and a
# whole office behind one address is not locked out by one caseworker's typos.
SILENCED_SYSTEM_CHECKS += ["axes.W006"]

# Logs on stderr: text, or JSON lines with BAGGRUND_LOG_FORMAT=json; every line carries
# the request id (config.logs). BAGGRUND_LOG_LEVEL=INFO adds one line per request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "config.logs.RequestFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if os.environ.get("BAGGRUND_LOG_FORMAT") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("BAGGRUND_LOG_LEVEL", "WARNING")},
}
