"""Pages that many read and few change, kept ready between changes.

The steering group reads the portfolio many times for every change made to what it shows, and
the menu's task count is on every page. What they cost to build (a dashboard row for each of
hundreds of projects, a dozen counts across them) is cached under the **data version**: one
number in the shared cache that every change to domain data moves on. A cached fragment's key
holds the version it was built at, so a change makes every fragment built before it unreachable
at once, in every process, and nothing has to know which fragments a change touches.

What moves the version: every row django-simple-history records (every domain model has history,
and every write records it: a save, a delete, a many-to-many change), connected in
`CoreConfig.ready`; and `data_changed()`, called by the few writes that bypass history (bulk
imports, the erasure's rewrite, the outbox's failed mail). The version moves at once, so that
the transaction that changed the data reads its own change, and again after the commit, so that
a page built from what was committed before cannot be kept under the new number.

A fragment is also dropped after `FRAGMENT_SECONDS` and its key holds the day, so what depends
on the date (overdue, late) is never older than that. Where the cache cannot be reached the
fragment is built as if there were none: a page never fails because Redis is down.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_KEY = "reorg:data-version"
FRAGMENT_SECONDS = 10 * 60
CACHE_DOWN = (RedisError, ConnectionError, OSError)


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A new start (the cache emptied or evicted the key) begins above every earlier number:
        # fragments kept under an old number must never be found again.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version or 0)  # 0: a cache that keeps nothing (DummyCache)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: a new start is above every earlier one
        data_version()
    except CACHE_DOWN:
        logger.warning("The data version could not be moved on: the cache is not reachable.")


def data_changed(**_signal_kwargs) -> None:
    """Domain data changed: move the version on now, and again once the transaction commits."""
    _bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is _bump for _sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_bump, robust=True)


def cached[T](name: str, parts: Iterable[object], build: Callable[[], T]) -> T:
    """`build()`, or what it gave for the same `name` and `parts` at the current data version.
    `parts` must hold everything the result depends on besides the data: the user, the
    language, the day, the query."""
    try:
        digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
        key = f"reorg:fragment:{name}:{data_version()}:{digest}"
        value = cache.get(key)
    except CACHE_DOWN:
        logger.warning("The cache is not reachable: %s is built without it.", name)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, FRAGMENT_SECONDS)
        except CACHE_DOWN:
            logger.warning("The cache is not reachable: %s is not kept.", name)
    return value


def cached_part(request, name: str, template_name: str, build_context: Callable[[], dict]) -> str:
    """The rendered `template_name` (a partial, "page.html#part") for this user, language, day
    and query string, from the cache while the data are unchanged. For parts of a page that hold
    no form token and nothing else made per response."""
    parts = (
        request.user.pk,
        get_language(),
        timezone.localdate(),
        sorted(request.GET.lists()),
    )
    html = cached(
        name, parts, lambda: render_to_string(template_name, build_context(), request=request)
    )
    return mark_safe(html)  # rendered by our own template, escaped there
