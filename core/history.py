"""Who to record in django-simple-history when there is no request: Celery tasks and management
commands wrap their writes in `acting_as(user)`."""

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth.base_user import AbstractBaseUser
from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user: AbstractBaseUser) -> Iterator[None]:
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
