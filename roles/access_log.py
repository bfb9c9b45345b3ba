"""The access log of personal data (GDPR articles 5(2) and 30): every response that shows an
employee's data, or gives it out, is a row with who, why, when, where and which employees (or
what was searched for). Views call `log` with what the page showed; the owner and HR read it per
employee and per user (roles.views.access_log)."""

from collections.abc import Iterable

from django.http import HttpRequest

from accounts.models import User
from projects.models import Project

from .models import Employee, PersonalDataAccess

Purpose = PersonalDataAccess.Purpose


def log(
    request: HttpRequest | None,
    project: Project,
    purpose: str,
    *,
    employees: Iterable[Employee | int] = (),
    query: str = "",
    note: str = "",
    user: User | None = None,
) -> PersonalDataAccess:
    """One row for this response: the employees it showed (objects or ids). Two queries, three
    with employees."""
    who = user or (request.user if request is not None else None)
    assert isinstance(who, User), "the access log needs a logged-in user"
    row = PersonalDataAccess.objects.create(
        project=project,
        user=who,
        purpose=purpose,
        query=query[:200],
        path=request.get_full_path()[:300] if request is not None else "",
        note=note[:500],
    )
    ids = sorted({e if isinstance(e, int) else e.pk for e in employees})
    if ids:
        through = PersonalDataAccess.employees.through
        through.objects.bulk_create(
            through(personaldataaccess_id=row.pk, employee_id=pk) for pk in ids
        )
    return row
