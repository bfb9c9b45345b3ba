"""A decided mandate's PDF is rendered by a real Celery worker through a real Redis.

Needs PostgreSQL (the worker is another process and must see the test database) and Redis;
CI provides both. On the embedded SQLite default these tests are skipped (tests/worker.py)."""

import time
from pathlib import Path

import pytest

from projects import services
from projects.models import MandateVersion
from reports import services as report_services

from .factories import UNCONSULTED


@pytest.fixture
def worker(start_worker):
    return start_worker({}, "pdf")


def test_a_decided_mandate_is_rendered_by_the_worker(worker, project, owner, leader, settings):
    services.update_mandate_fields(
        project=project, values={"background": "Bakgrunn med æøå"}, section="Bakgrunn", by=leader
    )
    version = report_services.decide_mandate(
        project=project, by=owner, no_protocol_reason=UNCONSULTED
    )  # commits: queues the task

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.pdf:
            break
        assert worker.is_running(), worker.output()
        time.sleep(0.5)
    else:
        worker.stop()
        pytest.fail("the worker did not store the PDF in time:\n" + worker.output())

    path = Path(settings.MEDIA_ROOT) / version.pdf.name
    assert path.read_bytes().startswith(b"%PDF")
    # The worker recorded the write as the owner who decided, not as nobody.
    assert MandateVersion.history.filter(id=version.pk).first().history_user == owner
