"""Work that follows a commit, without the request ever talking to the broker."""

from collections.abc import Callable
from functools import partial

from celery import current_app
from django.db import transaction


def after_commit(work: Callable, *args) -> None:
    """Do `work(*args)` right after the commit where tasks run in-process (`make run`, tests):
    there is no worker to do it. With a broker (production), nothing is queued here: beat's
    sweeps find the work (unsent mail, unstored PDFs) within a minute, so that a request never
    waits for, or fails with, a broker that is down."""
    if current_app.conf.task_always_eager:
        # robust: the change stands whatever happens to what follows it (a mail server down).
        transaction.on_commit(partial(work, *args), robust=True)
