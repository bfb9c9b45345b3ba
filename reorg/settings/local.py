"""The embedded default for `make run`: SQLite, tasks in-process, mail to the console."""

from .base import *  # noqa: F403
from .base import _bool, _mailer, env

DEBUG = _bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
MAILERS = {
    "default": _mailer(
        env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
    )
}
