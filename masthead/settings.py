"""The one settings module of Masthead.

Every knob is read from the environment once, here, with its default and a one-line reason.
`.env.example` documents them for operators. There are no per-environment copies: production
differs from a laptop only by what the environment says (`MASTHEAD_ENV=production`, a real
`SECRET_KEY`, `DATABASE_URL`, ...).
"""

import math
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


BASE_DIR = Path(__file__).resolve().parent
# Runtime state (SQLite file, generated key, collected static files, uploads) lives in ./var of
# the directory Masthead is started from, so a checkout stays clean and a deployment can point
# MASTHEAD_VAR_DIR at a persistent volume.
VAR_DIR = Path(os.environ.get("MASTHEAD_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Mode and secrets -----------------------------------------------------------------------

MASTHEAD_ENV = os.environ.get("MASTHEAD_ENV", "development").strip().lower()
if MASTHEAD_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("MASTHEAD_ENV must be 'development' or 'production'.")
PRODUCTION = MASTHEAD_ENV == "production"
DEBUG = _env_bool("DEBUG", default=False)

# Values that must never protect a real site: the example file's placeholder and Django's
# startproject prefix.
INSECURE_SECRET_KEYS = {"", "change-me", "change-me-to-a-long-random-string"}


# Bits a production key must carry, estimated from its own characters (length × Shannon entropy
# of their frequencies): 50 × "a" carries 0, a 40-digit hex key about 150, token_urlsafe(50) 350+.
SECRET_KEY_MIN_BITS = 128


def _secret_key_bits(key: str) -> float:
    counts = [key.count(char) for char in set(key)]
    return -sum(count * math.log2(count / len(key)) for count in counts) if key else 0.0


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if PRODUCTION:
        if key in INSECURE_SECRET_KEYS or key.startswith("django-insecure") or len(key) < 40:
            raise ImproperlyConfigured(
                "MASTHEAD_ENV=production needs SECRET_KEY set to a random string of 40+ "
                "characters (the generated development key is refused: every app server of a "
                "production site must share one key). Generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        if len(set(key)) < 10 or _secret_key_bits(key) < SECRET_KEY_MIN_BITS:
            raise ImproperlyConfigured(
                f"SECRET_KEY is too predictable for MASTHEAD_ENV=production: it repeats too few "
                f"distinct characters (about {_secret_key_bits(key):.0f} bits, "
                f"{SECRET_KEY_MIN_BITS} needed). Use a random key, generated with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return key
    if key:
        return key
    # Development: generate once and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

# Links in pages, feeds, the sitemap and mails are made from it, never from a request's Host.
# `masthead serve` sets it to the address it serves when it is not given (masthead.cli).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "MASTHEAD_ENV=production needs SITE_URL: the address readers use, such as "
            "https://news.example (links in pages, feeds and mails are made from it)."
        )
    SITE_URL = "http://127.0.0.1:8000"
_site_host = urlsplit(SITE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS",
    [_site_host] if PRODUCTION else [_site_host, "127.0.0.1", "localhost", "[::1]", "testserver"],
)
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

# --- Applications ---------------------------------------------------------------------------

INSTALLED_APPS = [
    "masthead.core",
    "masthead.accounts",
    "masthead.publishing",
    "masthead.discussion",
    "masthead.funding",
    "masthead.moderation",
    "masthead.notifications",
    "masthead.live",
    "masthead.transfer",
    "wagtail.contrib.redirects",
    # Multilingual outlets: locales, and translating a page tree from the admin.
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache: it compresses what was rendered; cached pages come compressed.
    "masthead.core.compression.CompressionMiddleware",
    "masthead.core.pagecache.PageCacheMiddleware",
    # Inside the page cache, so a cached page keeps the policy (and nonce) it was rendered with.
    "masthead.core.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the page's own, else the reader's choice or browser (core/locale.py).
    "masthead.core.locale.ReaderLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "masthead.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"
ASGI_APPLICATION = "masthead.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'masthead.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE_IS_SQLITE = DATABASES["default"]["ENGINE"] in (
    "django.db.backends.sqlite3",
    "masthead.core.sqlite",
)
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASE_IS_SQLITE:
    # Django's SQLite backend, whose kept connections (CONN_MAX_AGE) are dropped at the next
    # request or task once the database file was moved, deleted or replaced, so a comment is
    # never acknowledged into a file nobody will see again (core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "masthead.core.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers go on while a writer commits; IMMEDIATE takes the write lock at
            # the start of a transaction, so concurrent writers wait (timeout) instead of
            # failing with "database is locked" halfway through.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
if DATABASE_IS_POSTGRES:
    # Wagtail's database search backend uses PostgreSQL full-text search fields.
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    # Django's RedisCache that serves pages uncached (and rate limits per process) while Redis
    # is unreachable, instead of failing them; after a failure it skips Redis for skip_seconds.
    # Short socket timeouts: a sick Redis must not hold every page up (core/sharedcache.py).
    CACHES = {
        "default": {
            "BACKEND": "masthead.core.sharedcache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "masthead",
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "1")),
                "skip_seconds": float(os.environ.get("REDIS_RETRY_SECONDS", "5")),
            },
        }
    }
else:
    # On disk rather than in process memory: every server process of one machine shares it,
    # so a page invalidated by one process is stale for all of them.
    CACHES = {
        "default": {
            "BACKEND": "masthead.core.filecache.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Rendition lookups never change once made: a per-process memory cache spares the shared cache
# (a file write per picture per page) without any risk of staleness.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# Seconds an anonymous reader's page may be served from the cache (it is also invalidated the
# moment its content changes); 0 turns the page cache off.
MASTHEAD_PAGE_CACHE_SECONDS = int(os.environ.get("MASTHEAD_PAGE_CACHE_SECONDS", "600"))
# Seconds a shared part of a page (a thread's first comments, an article's body, the
# navigation) may be reused while pages are rendered per reader. Like pages, parts are
# invalidated the moment what they show changes; the limit only bounds a change that no
# signal announces (a row edited by hand in the database).
MASTHEAD_FRAGMENT_CACHE_SECONDS = int(os.environ.get("MASTHEAD_FRAGMENT_CACHE_SECONDS", "3600"))

# --- Background tasks -----------------------------------------------------------------------

# Mail and Wagtail's index updates run as django_tasks tasks (the API Django 6 ships as
# django.tasks). "database" (the default) queues them in the database for `masthead worker`,
# which `masthead serve` starts beside the server; "redis" queues them on REDIS_URL through RQ,
# for outlets whose servers run on several machines; "immediate" runs them inside the request
# (only for development and tests).
MASTHEAD_TASK_QUEUE = os.environ.get("MASTHEAD_TASK_QUEUE", "database").strip().lower()
if MASTHEAD_TASK_QUEUE == "database":
    INSTALLED_APPS.append("django_tasks_db")
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif MASTHEAD_TASK_QUEUE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("MASTHEAD_TASK_QUEUE=redis needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # An hour: an import of a large site runs as one task (mail tasks end long before).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
elif MASTHEAD_TASK_QUEUE == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured(
        f"MASTHEAD_TASK_QUEUE must be database, redis or immediate, not {MASTHEAD_TASK_QUEUE!r}."
    )
# Runs of one outbox entry (work a commit promised, e.g. mailing a comment's subscribers) before
# the scheduler stops retrying it; waits double between runs (1, 2, 4 … minutes).
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))

# --- Passwords and sessions -----------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Readers sign in here (editors too; the admin has its own login page as well).
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/notifications/subscriptions/"
LOGOUT_REDIRECT_URL = "/"

_https = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (a file or Redis read instead of a query on every signed-in
# request) and written through to the database, which stays the record: an evicted entry or
# an unreachable Redis reads the row again.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Sign-in throttle: after this many failures of one account, or from one network, within the
# window (seconds), every attempt, right or wrong, answers 429 until the oldest failure leaves it.
ACCOUNTS_LOGIN_FAILURE_LIMIT = int(os.environ.get("ACCOUNTS_LOGIN_FAILURE_LIMIT", "10"))
ACCOUNTS_LOGIN_FAILURE_WINDOW = int(os.environ.get("ACCOUNTS_LOGIN_FAILURE_WINDOW", "900"))
# Days the sign-in failure audit is kept.
ACCOUNTS_LOGIN_AUDIT_DAYS = int(os.environ.get("ACCOUNTS_LOGIN_AUDIT_DAYS", "90"))
# Staff's second factor (TOTP, Account → Two-factor authentication): "optional" lets each one
# choose; "required" sends staff without an authenticator app to set one up first.
MASTHEAD_STAFF_2FA = os.environ.get("MASTHEAD_STAFF_2FA", "optional").strip().lower()
if MASTHEAD_STAFF_2FA not in {"optional", "required"}:
    raise ImproperlyConfigured("MASTHEAD_STAFF_2FA must be optional or required.")
OTP_TOTP_ISSUER = os.environ.get("MASTHEAD_SITE_NAME", "Masthead")

# Content-Security-Policy (django-csp, masthead/core/security.py): "enforce" blocks what the
# policy does not allow, "report-only" lets the browser only log it, "off" sends none.
MASTHEAD_CSP = os.environ.get("MASTHEAD_CSP", "enforce" if PRODUCTION else "report-only")
MASTHEAD_CSP = MASTHEAD_CSP.strip().lower()
if MASTHEAD_CSP not in {"enforce", "report-only", "off"}:
    raise ImproperlyConfigured("MASTHEAD_CSP must be enforce, report-only or off.")
MASTHEAD_CSP_DIRECTIVES = {
    "default-src": [CSP_SELF],
    # Scripts only from here, or inline with this response's nonce ({{ request.csp_nonce }}).
    "script-src": [CSP_SELF, CSP_NONCE],
    "style-src": [CSP_SELF],
    # Style attributes (avatar colours, goal-bar widths), not <style> elements.
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": [CSP_SELF, "data:"],
    "connect-src": [CSP_SELF],
    # Embedded videos and posts in articles (editors choose them).
    "frame-src": _env_list("MASTHEAD_CSP_FRAME_SRC", ["https:"]),
    "object-src": ["'none'"],
    "base-uri": [CSP_SELF],
    # Stripe Checkout: the support form posts here and is redirected there.
    "form-action": [CSP_SELF, "https://checkout.stripe.com"],
    "frame-ancestors": [CSP_SELF],
}
# Wagtail's admin runs inline scripts and styles of its own; it still loads nothing foreign.
MASTHEAD_CSP_ADMIN_PREFIXES = ["/admin/"]
MASTHEAD_CSP_ADMIN_DIRECTIVES = {
    "default-src": [CSP_SELF],
    "script-src": [CSP_SELF, "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": [CSP_SELF, "'unsafe-inline'"],
    "img-src": [CSP_SELF, "data:", "blob:", "https:"],
    "connect-src": [CSP_SELF],
    "frame-src": [CSP_SELF, "https:"],
    "object-src": ["'none'"],
    "base-uri": [CSP_SELF],
    "form-action": [CSP_SELF],
    "frame-ancestors": [CSP_SELF],
}
_csp = {"DIRECTIVES": MASTHEAD_CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY = _csp if MASTHEAD_CSP == "enforce" else None
CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp if MASTHEAD_CSP == "report-only" else None
# Browser features no page of the site uses (Stripe Checkout is a redirect, not a payment frame).
MASTHEAD_PERMISSIONS_POLICY = os.environ.get(
    "MASTHEAD_PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
)
if PRODUCTION and _https:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
# Behind a reverse proxy that terminates TLS, it tells Django the original scheme.
if _env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation -------------------------------------------------------------------

# The interface ships in these languages (docs/translating.md says how to add one). An outlet
# publishes in those of them it names in MASTHEAD_CONTENT_LANGUAGES (Wagtail's locales); readers
# of pages without a language of their own get the browser's choice among all of them.
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("tr", _("Turkish")),
    ("hy", _("Armenian")),
    ("az", _("Azerbaijani")),
    ("ar", _("Arabic")),
    ("pt", _("Portuguese")),
]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en").strip().lower()
# "en-us" (the old default, still in older .env files) means the interface's "en".
if LANGUAGE_CODE not in dict(LANGUAGES) and LANGUAGE_CODE.split("-")[0] in dict(LANGUAGES):
    LANGUAGE_CODE = LANGUAGE_CODE.split("-")[0]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not one of Masthead's languages: "
        + ", ".join(code for code, _name in LANGUAGES)
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static")).resolve()
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media")).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# With `masthead serve` granian serves images straight from disk; this switch lets Django serve
# them for other servers too. A reverse proxy that serves /media/ itself can turn it off.
MASTHEAD_SERVE_MEDIA = _env_bool("MASTHEAD_SERVE_MEDIA", default=True)
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"Masthead <noreply@{_site_host}>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Without an SMTP host, mail is printed to the console instead of vanishing.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    # Django's SMTP backend, also keeping the server's answer for the outbound mail log.
    "masthead.notifications.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)

# --- Logging --------------------------------------------------------------------------------

# Quiet by default: warnings and errors only. INFO shows each background task and periodic job,
# DEBUG everything (LOG_LEVEL is the older name).
LOG_LEVEL = (
    os.environ.get("MASTHEAD_LOG_LEVEL") or os.environ.get("LOG_LEVEL") or "WARNING"
).upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured("MASTHEAD_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Every 4xx a reader meets (a comment held back, a nudge, a stale form) is Django's
        # WARNING: only server errors, unless the operator asks for more.
        "django.request": {"level": "ERROR" if LOG_LEVEL == "WARNING" else LOG_LEVEL},
        # One line per background task run drowns the log; failures still show as errors.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Wagtail --------------------------------------------------------------------------------

# Translated page trees. The languages an outlet publishes in: MASTHEAD_CONTENT_LANGUAGES
# ("en,ru,ar"), by default every interface language; a locale exists once an editor adds it.
WAGTAIL_I18N_ENABLED = True
_content_codes = _env_list("MASTHEAD_CONTENT_LANGUAGES", [code for code, _name in LANGUAGES])
WAGTAIL_CONTENT_LANGUAGES = [(c, n) for c, n in LANGUAGES if c in _content_codes]
if not any(code == LANGUAGE_CODE for code, _name in WAGTAIL_CONTENT_LANGUAGES):
    raise ImproperlyConfigured(
        f"MASTHEAD_CONTENT_LANGUAGES must include the default language ({LANGUAGE_CODE})."
    )
WAGTAIL_SITE_NAME = os.environ.get("MASTHEAD_SITE_NAME", "Masthead")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 30 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # privacy: the admin must not call home
# Privacy too: no editor's email hash sent to Gravatar (and no foreign image for the admin's CSP).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True

# --- Publishing -----------------------------------------------------------------------------

PUBLISHING_ARTICLES_PER_PAGE = int(os.environ.get("PUBLISHING_ARTICLES_PER_PAGE", "12"))
PUBLISHING_FEED_LENGTH = int(os.environ.get("PUBLISHING_FEED_LENGTH", "50"))

# --- Discussion -----------------------------------------------------------------------------

DISCUSSION_MAX_LENGTH = int(os.environ.get("DISCUSSION_MAX_LENGTH", "5000"))
# Seconds during which an author may edit a comment (never once it has replies).
DISCUSSION_EDIT_WINDOW = int(os.environ.get("DISCUSSION_EDIT_WINDOW", "900"))
# Close threads this many days after the article's publication date; 0 keeps them open.
DISCUSSION_CLOSE_AFTER_DAYS = int(os.environ.get("DISCUSSION_CLOSE_AFTER_DAYS", "0"))
# Levels that nest, top-level comments included (1–20). Below them comes one flat level,
# addressed "@name"; a reply there is stored beside the comment it answers (as in wpDiscuz),
# so no conversation grows deeper.
DISCUSSION_NESTING_DEPTH = min(max(int(os.environ.get("DISCUSSION_NESTING_DEPTH", "5")), 1), 20)
# "newest", "oldest" or "most_voted": the tab a reader sees first.
DISCUSSION_DEFAULT_SORT = os.environ.get("DISCUSSION_DEFAULT_SORT", "newest")
DISCUSSION_PAGE_SIZE = int(os.environ.get("DISCUSSION_PAGE_SIZE", "10"))
# Guest votes on one comment from one network address (a household or an office shares one).
DISCUSSION_GUEST_VOTES_PER_ADDRESS = int(os.environ.get("DISCUSSION_GUEST_VOTES_PER_ADDRESS", "5"))
DISCUSSION_GUEST_EMAIL_REQUIRED = _env_bool("DISCUSSION_GUEST_EMAIL_REQUIRED", default=True)
# Decides each new or edited comment's status; the moderation app plugs in here.
DISCUSSION_SCREEN = os.environ.get("DISCUSSION_SCREEN", "masthead.moderation.pipeline.Pipeline")

# --- Moderation -----------------------------------------------------------------------------

# Defaults of the rules editors change in Settings → Moderation (an empty field there means
# the value here). Scores run from 0 to 1.
MODERATION_TOXICITY_NUDGE = _env_float("MODERATION_TOXICITY_NUDGE", 0.5)
# Per category: the probability from which a comment waits for review (1 = never holds).
MODERATION_INSULT_HOLD = _env_float("MODERATION_INSULT_HOLD", 0.5)
MODERATION_IDENTITY_HATE_HOLD = _env_float("MODERATION_IDENTITY_HATE_HOLD", 0.5)
MODERATION_THREAT_HOLD = _env_float("MODERATION_THREAT_HOLD", 0.5)
MODERATION_SEXUAL_HOLD = _env_float("MODERATION_SEXUAL_HOLD", 0.5)
MODERATION_PROFANITY_HOLD = _env_float("MODERATION_PROFANITY_HOLD", 1.0)
# 1: never refused on the score alone (a moderator decides what the model holds).
MODERATION_TOXICITY_REJECT = _env_float("MODERATION_TOXICITY_REJECT", 1.0)
# English comments are also read by a sentence encoder (about 10 ms and 100 MB more); "off"
# scores them with the n-gram model alone, which holds more legitimate comments.
MODERATION_SENTENCE_ENCODER = _env_bool("MODERATION_SENTENCE_ENCODER", default=True)
MODERATION_SPAM_HOLD = _env_float("MODERATION_SPAM_HOLD", 0.5)
MODERATION_SPAM_REJECT = _env_float("MODERATION_SPAM_REJECT", 0.9)
MODERATION_MAX_LINKS = int(os.environ.get("MODERATION_MAX_LINKS", "2"))
MODERATION_MIN_FILL_SECONDS = int(os.environ.get("MODERATION_MIN_FILL_SECONDS", "3"))
MODERATION_TOXICITY_ENABLED = _env_bool("MODERATION_TOXICITY_ENABLED", default=True)
MODERATION_SPAM_ENABLED = _env_bool("MODERATION_SPAM_ENABLED", default=True)
MODERATION_PREMODERATE_ALL = _env_bool("MODERATION_PREMODERATE_ALL", default=False)
MODERATION_PREMODERATE_FIRST_GUEST_COMMENT = _env_bool(
    "MODERATION_PREMODERATE_FIRST_GUEST_COMMENT", default=False
)
MODERATION_TRUSTED_AFTER_APPROVED = int(os.environ.get("MODERATION_TRUSTED_AFTER_APPROVED", "3"))
MODERATION_FLAGS_TO_HIDE = int(os.environ.get("MODERATION_FLAGS_TO_HIDE", "3"))
MODERATION_BURST_LIMIT = int(os.environ.get("MODERATION_BURST_LIMIT", "5"))
MODERATION_BURST_SECONDS = int(os.environ.get("MODERATION_BURST_SECONDS", "60"))
MODERATION_SUSTAINED_LIMIT = int(os.environ.get("MODERATION_SUSTAINED_LIMIT", "40"))
MODERATION_SUSTAINED_SECONDS = int(os.environ.get("MODERATION_SUSTAINED_SECONDS", "3600"))
MODERATION_FLOOD_REPEATS = int(os.environ.get("MODERATION_FLOOD_REPEATS", "3"))
MODERATION_FLOOD_SECONDS = int(os.environ.get("MODERATION_FLOOD_SECONDS", "3600"))
MODERATION_ALTCHA_ENABLED = _env_bool("MODERATION_ALTCHA_ENABLED", default=False)
MODERATION_AKISMET_ENABLED = _env_bool("MODERATION_AKISMET_ENABLED", default=False)
# Seconds a stage may take; one that errors or runs over holds the comment ("could not be
# checked"), never publishes it.
MODERATION_STAGE_TIMEOUT_SECONDS = _env_float("MODERATION_STAGE_TIMEOUT_SECONDS", 2.0)
# Erasing a commenter's data: "anonymize" keeps the text under "Anonymous"; "delete" removes
# the text too (a reply keeps a "deleted" placeholder, so the thread keeps its shape).
MODERATION_ERASE_MODE = os.environ.get("MODERATION_ERASE_MODE", "anonymize").strip().lower()
if MODERATION_ERASE_MODE not in {"anonymize", "delete"}:
    raise ImproperlyConfigured("MODERATION_ERASE_MODE must be anonymize or delete.")
# Moderators' decisions (approve, reject, spam) needed before `masthead moderation learn` (or
# the admin's Moderation → Model page) adapts the shipped model to them.
MODERATION_LEARN_MIN_DECISIONS = int(os.environ.get("MODERATION_LEARN_MIN_DECISIONS", "200"))
# The analyze API (and its Perspective-compatible route): the longest text it scores, in
# characters, and how many requests one API key or moderator may make a minute.
MODERATION_ANALYZE_MAX_CHARS = int(os.environ.get("MODERATION_ANALYZE_MAX_CHARS", "20000"))
MODERATION_ANALYZE_PER_MINUTE = int(os.environ.get("MODERATION_ANALYZE_PER_MINUTE", "60"))
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")
AKISMET_BLOG_URL = os.environ.get("AKISMET_BLOG_URL", "") or SITE_URL
# "off" switches every rate limit off (load tests); anything else leaves them on.
MASTHEAD_RATE_LIMITS = os.environ.get("MASTHEAD_RATE_LIMITS", "on").strip().lower() != "off"
# Addresses (or networks, CIDR) of reverse proxies whose X-Forwarded-For is believed. From any
# other peer the header is ignored, so nobody can dodge a ban or a limit by sending one.
MASTHEAD_TRUSTED_PROXIES = _env_list("MASTHEAD_TRUSTED_PROXIES", [])

# --- Funding ----------------------------------------------------------------------------------

# How amounts are written (CLDR pattern; Settings → Funding overrides): "1,660 $".
FUNDING_AMOUNT_PATTERN = os.environ.get("FUNDING_AMOUNT_PATTERN", "#,##0 ¤")
# The currency of new campaigns (ISO 4217).
FUNDING_CURRENCY = os.environ.get("FUNDING_CURRENCY", "USD").strip().upper()
# The largest single gift accepted, in major units of the campaign's currency.
FUNDING_MAX_AMOUNT = os.environ.get("FUNDING_MAX_AMOUNT", "10000")
FUNDING_PRESET_AMOUNTS = os.environ.get("FUNDING_PRESET_AMOUNTS", "5,10,25,50,100")
# Stripe: card payments are offered only when the secret key is set; webhooks need their own
# signing secret (Dashboard → Developers → Webhooks), checked with a tolerance in seconds.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_WEBHOOK_TOLERANCE = int(os.environ.get("STRIPE_WEBHOOK_TOLERANCE", "300"))

# --- Live updates ---------------------------------------------------------------------------

# Events about new comments reach open article pages through Server-Sent Events. With REDIS_URL
# they travel over Redis pub/sub, so every server process (on any machine) hears every event;
# without it, only within one process.
LIVE_BROKER = os.environ.get("LIVE_BROKER", "redis" if REDIS_URL else "memory").strip().lower()
LIVE_CHANNEL_PREFIX = os.environ.get("LIVE_CHANNEL_PREFIX", "masthead:live:")
if LIVE_BROKER not in {"memory", "redis"}:
    raise ImproperlyConfigured(f"LIVE_BROKER must be memory or redis, not {LIVE_BROKER!r}.")
if LIVE_BROKER == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("LIVE_BROKER=redis needs REDIS_URL.")
# Seconds between keep-alive comments on an idle event stream (proxies drop silent ones).
LIVE_KEEPALIVE_SECONDS = int(os.environ.get("LIVE_KEEPALIVE_SECONDS", "20"))
# Events one open stream may have waiting; a reader who falls further behind is told to resync.
LIVE_QUEUE_SIZE = int(os.environ.get("LIVE_QUEUE_SIZE", "100"))

# --- Notifications --------------------------------------------------------------------------

# Hours a guest's confirmation link stays valid.
NOTIFICATIONS_CONFIRM_HOURS = int(os.environ.get("NOTIFICATIONS_CONFIRM_HOURS", "72"))
# Mails one address may receive per hour; the rest wait and go out as one digest.
NOTIFICATIONS_MAX_PER_HOUR = int(os.environ.get("NOTIFICATIONS_MAX_PER_HOUR", "10"))
# Confirmation mails one address, and one network address, may ask for per hour.
NOTIFICATIONS_CONFIRMATIONS_PER_ADDRESS = int(
    os.environ.get("NOTIFICATIONS_CONFIRMATIONS_PER_ADDRESS", "3")
)
NOTIFICATIONS_CONFIRMATIONS_PER_IP = int(os.environ.get("NOTIFICATIONS_CONFIRMATIONS_PER_IP", "10"))
# Characters of a comment quoted in a notification before "Read the rest".
NOTIFICATIONS_EXCERPT_LENGTH = int(os.environ.get("NOTIFICATIONS_EXCERPT_LENGTH", "600"))
# Delivery attempts before a mail is marked failed (retries back off: 1, 2, 4 … minutes).
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "8"))
# Days the outbound mail log keeps mails that are done (sent, failed, cancelled).
NOTIFICATIONS_LOG_DAYS = int(os.environ.get("NOTIFICATIONS_LOG_DAYS", "90"))
# The mailbox named in List-Unsubscribe's mailto (pipe it to `masthead mail_unsubscribe`).
NOTIFICATIONS_UNSUBSCRIBE_MAILTO = os.environ.get(
    "NOTIFICATIONS_UNSUBSCRIBE_MAILTO", f"unsubscribe@{_site_host}"
)
