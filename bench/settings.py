"""Settings for bench/run.py: the product's base settings with DEBUG off, a fast password hasher
and a database of the benchmark's own (created and dropped by run.py, never the real one)."""

import tempfile
from pathlib import Path

from reorg.settings.base import *  # noqa: F403
from reorg.settings.base import DATABASES

SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = Path(tempfile.gettempdir()) / "reorg-bench-media"
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True

# run.py creates this database with create_test_db() and drops it at the end.
DATABASES["default"]["TEST"] = {"NAME": "test_reorg_bench"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # WeasyPrint warns about every font-weight range it cannot read, on every rendering.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
