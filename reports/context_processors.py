from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.cache import cached

from . import worklist


def tasks(request):
    """The number beside "Mine oppgaver" in the main menu: one query, made only by a page that
    shows the menu, and kept in the cache while the data are unchanged (core.cache). Its
    meetings of the next 14 days are counted from when it was made, at most ten minutes ago."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "task_count": SimpleLazyObject(
            lambda: cached(
                "task-count", (user.pk, timezone.localdate()), lambda: worklist.count(user)
            )
        )
    }
