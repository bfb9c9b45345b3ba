from django.utils.functional import SimpleLazyObject

from . import worklist


def tasks(request):
    """The number beside "Mine oppgaver" in the main menu: one query, made only by a page that
    shows the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"task_count": SimpleLazyObject(lambda: worklist.count(user))}
