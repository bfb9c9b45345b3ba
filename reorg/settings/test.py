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
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT / "vedlegg"), "base_url": None},
    },
}
# Tasks run in the calling process. Tests that need a real worker start one (tests/worker.py) and
# point this process at Redis; the worker itself (TEST_WORKER set) sends the tasks it queues
# through Redis too, as in production.
CELERY_TASK_ALWAYS_EAGER = not _bool("TEST_WORKER", False)
AXES_ENABLED = True
# A beat or worker started by a test: which of beat's entries run, each every TEST_BEAT_EVERY
# seconds, so that a test sees real ticks in seconds instead of minutes or hours: TEST_BEAT_TASKS
# names them from base's CELERY_BEAT_SCHEDULE (comma separated; by default the status reports'
# dispatch, the outbox's sweep and the documents' sweep). And how soon Redis gives a killed
# worker's unacknowledged task to another (production keeps Celery's hour).
if "TEST_BEAT_EVERY" in os.environ:
    _every = env.float("TEST_BEAT_EVERY")
    _names = env.str("TEST_BEAT_TASKS", default="status-reports,outbox,documents").split(",")
    # An unknown name fails here (KeyError), not silently in a test that waits for its ticks.
    CELERY_BEAT_SCHEDULE = {  # noqa: F405
        name.strip(): {**CELERY_BEAT_SCHEDULE[name.strip()], "schedule": _every}  # noqa: F405
        for name in _names
        if name.strip()
    }
if "TEST_VISIBILITY_TIMEOUT" in os.environ:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("TEST_VISIBILITY_TIMEOUT"),
        # Look for such tasks every second (kombu: every 10 × 10 s).
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
