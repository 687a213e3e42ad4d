"""All settings, read from the environment (one file, as healthchecks does it).

SAFEPASSAGE_ENV chooses the mode:
  production (default) - refuses to start without a secret key; passes `check --deploy`.
  demo                 - fictional organisation on http://127.0.0.1:8000, plain HTTP, no HSTS.
  test                 - cheap Argon2 so the suite runs in minutes. Never use it for real data.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name, default=""):
    """A variable, or the contents of the file named by NAME_FILE (for Docker/systemd secrets)."""
    path = os.environ.get(name + "_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name, default):
    return env(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(env(name, str(default)))


# Presidio's e-mail recogniser uses tldextract, which fetches the public suffix list from the
# internet unless told otherwise: use the list bundled with it, and cache nothing on disk. The
# server never downloads data at run time, nor says to a third party that it is running.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("TLDEXTRACT_CACHE", "")

MODE = env("SAFEPASSAGE_ENV", "production")
if MODE not in ("production", "demo", "test"):
    raise ImproperlyConfigured("SAFEPASSAGE_ENV must be production, demo or test")
DEMO_MODE = MODE == "demo"
TEST_MODE = MODE == "test"

# Every file this process makes (the SQLite database, sealed files, the keystore, logs of commands)
# is readable by its own account only: 0600 files, 0700 folders.
os.umask(0o077)

VAR_DIR = Path(env("SAFEPASSAGE_VAR_DIR", str(PROJECT_DIR / "var")))
if MODE != "production":
    VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)  # a fresh clone has none; production makes it at install

SECRET_KEY = env("SAFEPASSAGE_SECRET_KEY")
if not SECRET_KEY:
    if MODE == "production":
        raise ImproperlyConfigured("Set SAFEPASSAGE_SECRET_KEY (or SAFEPASSAGE_SECRET_KEY_FILE).")
    # Demo and test data are fictional; a fixed key keeps them reproducible.
    SECRET_KEY = "insecure-" + MODE + "-only-key-never-used-for-real-data-0123456789abcdef"

DEBUG = envbool("SAFEPASSAGE_DEBUG", False)
ALLOWED_HOSTS = [h for h in env("SAFEPASSAGE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "safepassage.vault",
    "safepassage.accounts",
    "safepassage.audit",
    "safepassage.cases",
    "safepassage.intake",
    "safepassage.evidence",
    "safepassage.reports",
    "safepassage.dossiers",
    "safepassage.public",
    "safepassage.demo",
    "safepassage.ops",
]

MIDDLEWARE = [
    "safepassage.lib.headers.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safepassage.accounts.middleware.StaffGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "safepassage.urls"
WSGI_APPLICATION = "safepassage.wsgi.application"

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
                "safepassage.accounts.context.nav",
                "safepassage.public.context.public",
            ],
        },
    }
]

# Embedded SQLite by default; DATABASE_URL=postgres://... for production.
_default_sqlite = VAR_DIR / ("demo.sqlite3" if DEMO_MODE else "safepassage.sqlite3")
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", f"sqlite:///{_default_sqlite}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two requests can
    # never both read the audit chain head and then both append to it. secure_delete: freed
    # pages and cells are zeroed, so a deleted row's bytes do not linger in the file (the keystore
    # is what makes erasure hold; this keeps the file clean as well).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
    # A file (not :memory:) so the seizure test can read what a thief would read; one per
    # process so two test runs in one checkout never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"

# Argon2id for login passwords. The vault derives its own key from the same password
# with libsodium's Argon2id (VAULT_ARGON2 below).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# libsodium Argon2id limits for sealing each staff member's secret key under their password.
# "interactive" (2 passes, 64 MiB) keeps a login under a second on a small server.
VAULT_ARGON2 = {"opslimit": 2, "memlimit": 64 * 1024 * 1024}
# Receipts (the applicant's phrase): two derivations per follow-up. These parameters are part
# of every stored lookup id: changing them makes existing receipts unfindable.
RECEIPT_ARGON2 = {"opslimit": 3, "memlimit": 64 * 1024 * 1024}
# The server-wide salt of receipt lookups. Derived from the secret key unless set; rotating
# either makes every existing receipt unfindable (threads stay readable by staff).
RECEIPT_PEPPER = env("SAFEPASSAGE_RECEIPT_PEPPER") or "pepper:" + SECRET_KEY
# The blind index's cost per tag (vault/blind.py): what every guess of someone holding the index key
# and a database copy costs them. One person's tags (about four) take 4 x this on adding or editing.
INDEX_ARGON2 = {"opslimit": 2, "memlimit": 16 * 1024 * 1024}
if TEST_MODE:
    # Cheap on purpose: the suite derives hundreds of keys. Never in production.
    INDEX_ARGON2 = {"opslimit": 1, "memlimit": 8192}
    PASSWORD_HASHERS = ["safepassage.accounts.hashers.CheapArgon2PasswordHasher"]
    VAULT_ARGON2 = {"opslimit": 1, "memlimit": 8192}
    RECEIPT_ARGON2 = {"opslimit": 1, "memlimit": 8192}

# The keystore (vault/keystore.py): the only key material outside the database, and what erasure
# destroys. Keep it on a local ext4 or XFS filesystem (not btrfs, ZFS or a snapshotted volume: they
# keep old versions of a file) and in every backup (`safepassage backup` includes it). Each test
# process has its own, like its own database.
KEYSTORE_DIR = Path(env("SAFEPASSAGE_KEYSTORE_DIR", str(VAR_DIR / (f"keystore-test-{os.getpid()}" if TEST_MODE
                                                                   else "keystore"))))

# The erasure ledger (vault/ledger.py): which keys were erased, outside the database and outside
# backups, so that a restore erases again what was erased after the backup. Keep it off the
# backup's media and copy it where the backups are restored.
ERASURE_LEDGER = Path(env("SAFEPASSAGE_ERASURE_LEDGER", str(VAR_DIR / (f"erasures-test-{os.getpid()}.ledger"
                                                                       if TEST_MODE else "erasures.ledger"))))

# Backups (`safepassage backup`) are encrypted to these age public keys (age1..., comma-separated);
# their secret halves stay offline (`safepassage backup-key` makes a pair).
BACKUP_RECIPIENTS = [r.strip() for r in env("SAFEPASSAGE_BACKUP_RECIPIENTS").split(",") if r.strip()]

# The audit chain's last (seq, hash), kept outside the database after every commit (audit/chain.py):
# copy it off the server from time to time. Per test process, like its database.
AUDIT_CHECKPOINT = Path(env("SAFEPASSAGE_AUDIT_CHECKPOINT", str(VAR_DIR / (f"audit-test-{os.getpid()}.checkpoint"
                                                                           if TEST_MODE else "audit.checkpoint"))))

# Sessions live in the database; the key that unwraps a staff member's vault key never does
# (it travels only in the SP_UNLOCK cookie, see accounts/session_keys.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_NAME = "sp_session"
SESSION_SAVE_EVERY_REQUEST = True
IDLE_TIMEOUT_SECONDS = envint("SAFEPASSAGE_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = IDLE_TIMEOUT_SECONDS
UNLOCK_COOKIE_NAME = "sp_unlock"
# The CSRF token lives in the session: no long-lived csrftoken cookie on a staff device.
CSRF_USE_SESSIONS = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"

LOCKOUT_THRESHOLD = envint("SAFEPASSAGE_LOCKOUT_THRESHOLD", 5)
LOCKOUT_SECONDS = envint("SAFEPASSAGE_LOCKOUT_SECONDS", 15 * 60)

# Transport security. Production assumes TLS at a reverse proxy in front of us.
HTTPS = envbool("SAFEPASSAGE_HTTPS", MODE == "production")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
if HTTPS:
    SECURE_HSTS_SECONDS = envint("SAFEPASSAGE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if envbool("SAFEPASSAGE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts and
# CSRF protection refuses them. Other hosts still get no referrer.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static" if MODE == "production" else None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Tests and the demo serve straight from the source folders; production serves collected files.
WHITENOISE_USE_FINDERS = MODE != "production"
MEDIA_ROOT = VAR_DIR / "media"

# Logs never receive request bodies or field values; Django's own request logging prints
# paths only, and our paths carry UUIDs, never names.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("SAFEPASSAGE_LOG_LEVEL", "WARNING")},
    # Django logs every 4xx with its path; public paths can carry a live conversation token.
    "loggers": {"django.request": {"level": "ERROR"},
                # Presidio lists every recogniser it loads; WeasyPrint names each resource a
                # dossier refused to fetch (only our own templates': never typed text).
                "presidio-analyzer": {"level": "ERROR"}, "weasyprint": {"level": "ERROR"}},
}

# One process-local cache, in memory only, never a file or a database: site-wide rate limits, and the
# public site's short-lived hand-offs (a receipt to show once, a refused form, an open conversation's
# key for at most 15 minutes; see intake/handoff.py). It is why the site runs in one process.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The anonymous public site (intake/). See docs/operators.md for the reasons behind each limit.
PUBLIC_ORGANISATION = env("SAFEPASSAGE_PUBLIC_ORGANISATION")  # UUID; default: the only organisation
QUICK_EXIT_URL = env("SAFEPASSAGE_QUICK_EXIT_URL", "https://www.wikipedia.org/")
# A phone number or handle for people in immediate danger, shown on the public site when set.
HOTLINE = env("SAFEPASSAGE_HOTLINE")
INTAKE_MAX_FILES = envint("SAFEPASSAGE_INTAKE_MAX_FILES", 5)
INTAKE_MAX_FILE_BYTES = envint("SAFEPASSAGE_INTAKE_MAX_FILE_MB", 10) * 1024 * 1024
INTAKE_MAX_TEXT = 20000  # characters per text box
# A flood of requests must not fill the disk: attachments are refused (text still accepted) once
# stored originals and working copies reach this size.
INTAKE_STORAGE_CAP_BYTES = envint("SAFEPASSAGE_INTAKE_STORAGE_CAP_MB", 4096) * 1024 * 1024
INTAKE_MAX_BODY_BYTES = INTAKE_MAX_FILES * INTAKE_MAX_FILE_BYTES + 1024 * 1024
INTAKE_SUBMISSIONS_PER_HOUR = envint("SAFEPASSAGE_INTAKE_SUBMISSIONS_PER_HOUR", 120)
INTAKE_RECEIPT_FAILURES_PER_HOUR = envint("SAFEPASSAGE_INTAKE_RECEIPT_FAILURES_PER_HOUR", 300)
# Uploads are held in memory, never in a temporary file: an applicant's plaintext must not touch
# the disk. The body size check (intake/views.py) bounds the memory one request can take.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = INTAKE_MAX_BODY_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # text fields; files are counted separately

# Evidence: machine translation is off unless an operator names a Translator class (dotted path,
# see evidence/translation.py). None ships with safepassage and nothing is downloaded at run time:
# a testimony must not leave the server for a translation service the organisation did not choose.
EVIDENCE_MACHINE_TRANSLATOR = env("SAFEPASSAGE_EVIDENCE_MACHINE_TRANSLATOR") or None
# Evidence files (photos, documents, recordings) are read into memory like uploads above, so
# their cap must stay below FILE_UPLOAD_MAX_MEMORY_SIZE.
EVIDENCE_MAX_FILE_BYTES = min(envint("SAFEPASSAGE_EVIDENCE_MAX_FILE_MB", 25) * 1024 * 1024,
                              FILE_UPLOAD_MAX_MEMORY_SIZE - 1024 * 1024)

# Dossiers and disclosures. Nothing is ever sent to a body (consulate, police, court...) of these
# states: the countries the people the organisation helps have fled (ISO codes, comma-separated).
ORIGIN_COUNTRIES = env("SAFEPASSAGE_ORIGIN_COUNTRIES", "RU")
