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
# A beat or worker started by a test: how often beat dispatches the status reports, so that a
# test sees a real tick in seconds instead of at five past the hour; and how soon Redis gives a
# killed worker's unacknowledged task to another (production keeps Celery's hour).
if "TEST_BEAT_EVERY" in os.environ:
    CELERY_BEAT_SCHEDULE = {  # noqa: F405
        "status-reports": {
            "task": "reports.tasks.dispatch_due_reports",
            "schedule": env.float("TEST_BEAT_EVERY"),
        },
    }
if "TEST_VISIBILITY_TIMEOUT" in os.environ:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("TEST_VISIBILITY_TIMEOUT"),
        # Look for such tasks every second (kombu: every 10 × 10 s).
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
