"""Tests: PostgreSQL when DATABASE_URL is set (CI sets it), SQLite otherwise."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import _bool, env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail stays in memory, unless EMAIL_BACKEND is set: a worker started by a test then sends through
# base's MAILERS (the SMTP sink of tests/smtp_sink.py). In the pytest process itself Django's test
# setup replaces every mailer with locmem anyway.
if "EMAIL_BACKEND" not in os.environ:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / ".test-media")))  # noqa: F405
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in the calling process. Tests that need a real worker start one (tests/worker.py) and
# point this process at Redis; the worker itself (TEST_WORKER set) sends the tasks it queues
# through Redis too, as in production.
CELERY_TASK_ALWAYS_EAGER = not _bool("TEST_WORKER", False)
AXES_ENABLED = True
