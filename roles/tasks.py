from celery import shared_task
from django.utils import timezone

from . import privacy, services


@shared_task
def apply_retention() -> dict:
    """Nightly, from beat: grants of insight that have ended are withdrawn; closed projects'
    personal data is anonymised when its retention ends, its keepers warned 30 days before."""
    today = timezone.localdate()
    return {"insight_ended": services.end_expired_insight(today), **privacy.apply_retention(today)}
