"""A decided mandate's PDF is rendered by a real Celery worker through a real Redis.

Needs PostgreSQL (the worker is another process and must see the test database) and Redis;
CI provides both. On the embedded SQLite default these tests are skipped."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from projects import services
from projects.models import MandateVersion
from reorg.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def use_broker(**conf):
    """Point the app at another broker. Celery caches its connection and producer pools (the
    memory broker of the eager settings, once anything has been sent): drop them, as Celery
    itself does after a fork."""
    celery_app.close()
    celery_app.conf.update(conf)
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker test needs PostgreSQL (set DATABASE_URL); CI runs it")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.Redis.from_url(REDIS_URL).flushdb()

    settings.MEDIA_ROOT = tmp_path
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reorg.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(tmp_path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "reorg", "worker", "--concurrency=1", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # Send through Redis instead of running tasks in this process.
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    use_broker(task_always_eager=False, broker_url=REDIS_URL)
    yield process
    use_broker(**previous)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_decided_mandate_is_rendered_by_the_worker(worker, project, owner, leader, settings):
    services.update_mandate_fields(
        project=project, values={"background": "Bakgrunn med æøå"}, section="Bakgrunn", by=leader
    )
    version = services.decide_mandate(project=project, by=owner)  # commits: queues the task

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.pdf:
            break
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.5)
    else:
        worker.terminate()
        pytest.fail(
            "the worker did not store the PDF in time:\n" + worker.communicate(timeout=20)[0]
        )

    path = Path(settings.MEDIA_ROOT) / version.pdf.name
    assert path.read_bytes().startswith(b"%PDF")
    # The worker recorded the write as the owner who decided, not as nobody.
    assert MandateVersion.history.filter(id=version.pk).first().history_user == owner
