"""Settings for bench/run.py and bench/load.py: the product's base settings with DEBUG off, a fast
password hasher and a database of the benchmark's own (created and dropped by the script, never
the real one). load.py also serves them with gunicorn."""

import os
import tempfile
from pathlib import Path

from reorg.settings.base import *  # noqa: F403
from reorg.settings.base import CACHES, DATABASES

SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]  # 127.0.0.1: load.py's gunicorn
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = Path(tempfile.gettempdir()) / "reorg-bench-media"
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True

# run.py and load.py create this database with create_test_db() and drop it at the end;
# BENCH_DB_NAME gives another name, so that two benchmarks on one server do not clash.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("BENCH_DB_NAME", "test_reorg_bench")}

if os.environ.get("BENCH_CACHE_PREFIX"):
    # load.py: the shared cache (rendered drafts) in Redis as in production (REDIS_URL), its keys
    # under a prefix of the run's own, deleted at the end; nothing else on the server is touched.
    CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_CACHE_PREFIX"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # WeasyPrint warns about every font-weight range it cannot read, on every rendering.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
