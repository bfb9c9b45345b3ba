from celery import shared_task

from .documents import store_mandate_version_pdf


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_mandate_version_pdf(version_id: int) -> None:
    """Render a decided mandate once and store it. Idempotent: a stored PDF is kept."""
    store_mandate_version_pdf(version_id)
