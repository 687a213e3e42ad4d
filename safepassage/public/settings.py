"""Settings for running the anonymous public site as a process of its own:

    DJANGO_SETTINGS_MODULE=safepassage.public.settings safepassage serve --port 8081

It serves only the public pages (public/site_urls.py): no staff address resolves, no session,
no login, no CSRF cookie, nothing of the staff site's middleware. It reaches the database with
its own role (SAFEPASSAGE_PUBLIC_DATABASE_URL), which may read only what intake/public_role.py
grants: insert sealed requests and messages, read threads, read who receives requests and their
public keys. `safepassage public-db-grants ROLE` prints those grants for PostgreSQL.

Everything else (the secret key, the receipt pepper, limits, languages) comes from the main
settings, so both processes derive the same receipt lookups."""

from safepassage.settings import *  # noqa: F403 - this module only narrows the main settings
from safepassage.settings import DATABASES, MODE, TEMPLATES, env

ROOT_URLCONF = "safepassage.public.site_urls"

# The models the public site's queries touch, and those they refer to (a thread may belong to
# a case; a key to an organisation). No staff app's views, menus or hooks are loaded.
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_otp",  # staff accounts' models refer to its devices
    "django_otp.plugins.otp_totp",
    "safepassage.vault",
    "safepassage.accounts",
    "safepassage.audit",
    "safepassage.cases",
    "safepassage.intake",
    "safepassage.public",
    "safepassage.ops",  # `safepassage serve`
]

MIDDLEWARE = [
    "safepassage.lib.headers.SecurityHeadersMiddleware",  # no-store, no script, no referrer, no cookie
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
]

TEMPLATES = [{**TEMPLATES[0], "OPTIONS": {"context_processors": [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "safepassage.public.context.public",
]}}]

_url = env("SAFEPASSAGE_PUBLIC_DATABASE_URL")
if _url:
    import dj_database_url

    DATABASES = {"default": {**dj_database_url.parse(_url), "ATOMIC_REQUESTS": False}}
elif MODE == "production" and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    from django.core.exceptions import ImproperlyConfigured

    # The point of a separate process is a database role that cannot read cases.
    raise ImproperlyConfigured("Set SAFEPASSAGE_PUBLIC_DATABASE_URL to the public site's own database role "
                               "(see `safepassage public-db-grants`).")
