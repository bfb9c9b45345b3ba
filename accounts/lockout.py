"""Guessing protection with two limits (django-axes's database handler, one method more).

Five wrong passwords for one user name *from one address* lock that pair for 30 minutes, so a
stranger elsewhere cannot lock a project leader out by typing their user name five times. And
many wrong passwords from one address, whatever the user names, lock that address: that is how
passwords are sprayed across accounts. The address's limit is much higher than the name's,
because a whole town hall shares one address behind its NAT."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies of our own the
    address the outermost of them saw. Each proxy appends the address it was called from to
    X-Forwarded-For, so that one is counted from the right; anything further left was written by
    the client and is not believed."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


class LoginLockout(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        per_name = super().get_failures(request, credentials)
        per_address = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(failures=Sum("failures_since_start"))["failures"]
            or 0
        )
        if per_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(per_name, get_failure_limit(request, credentials))
        return per_name
