"""Who to record in django-simple-history when there is no request: Celery tasks and management
commands wrap their writes in `acting_as(user)`."""

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

from .cache import data_changed


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


def bulk_create_recorded(objs: list, model: type[Model], by: AbstractBaseUser, reason: str):
    """New rows of one model in one insert, and their history in one more, recorded with `by`
    and `reason` (reuse: a project's copy). Each row's fields are validated first, without the
    queries of full_clean's foreign-key, unique and constraint checks: the caller builds the
    rows from its own data, and the database's constraints still hold."""
    foreign_keys = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for obj in objs:
        obj.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
        obj._change_reason = reason
    if not objs:
        return objs
    created = bulk_create_with_history(objs, model, default_user=by, default_change_reason=reason)
    data_changed()  # bulk_create_with_history sends no signal (core.cache)
    return created
