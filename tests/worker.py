"""Real Celery workers for tests: separate processes working from Redis on the test database.

They need PostgreSQL (a worker is another process and must see the test database) and Redis; CI
provides both. On the embedded SQLite default, or without Redis, the tests that use them are
skipped. The fixtures (`start_worker`, `worker_redis_url`) are registered in conftest.py; a test
module may define its own `worker_redis_url` so that its workers use a Redis database of their own
(the fixture empties it first)."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from reorg.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


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


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log_path: Path

    def is_running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        """What the worker has logged so far."""
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the worker consumes from Redis; fails the test if it exits or is late."""
        deadline = time.monotonic() + timeout
        while " ready." not in self.output():
            if not self.is_running():
                pytest.fail(f"worker {self.name} exited:\n{self.output()}")
            if time.monotonic() >= deadline:
                pytest.fail(f"worker {self.name} did not start in time:\n{self.output()}")
            time.sleep(0.2)

    def stop(self, timeout: float = 20) -> None:
        if self.is_running():
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(name="worker_redis_url")
def worker_redis_url_fixture(worker_id) -> str:
    """REDIS_URL_FOR_TESTS (database 15 by default), a database lower for each further pytest-xdist
    process (gw1: 14, ...), so that processes running worker tests at once never share a queue
    (the fixture empties it first)."""
    base = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
    url, _slash, number = base.rpartition("/")
    index = int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0
    return f"{url}/{int(number) - index}"


@pytest.fixture(name="start_worker")
def start_worker_fixture(
    transactional_db, tmp_path, tmp_path_factory, settings, worker_redis_url
) -> Callable[..., Worker]:
    """start_worker(extra_env, name) starts a worker (concurrency 1) on the test database,
    `worker_redis_url` and the test's MEDIA_ROOT, with extra environment variables; call it again
    for more workers. start_worker(extra_env, name, beat=True) starts Celery beat the same way. While the test runs, tasks sent from the test process go through Redis.
    The workers are stopped at the end of the test."""
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs PostgreSQL (set DATABASE_URL); CI runs it")
    client = redis.Redis.from_url(worker_redis_url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {worker_redis_url}")
    client.flushdb()

    settings.MEDIA_ROOT = tmp_path
    logs = tmp_path_factory.mktemp("worker-logs")
    workers: list[Worker] = []

    def start(extra_env: dict | None = None, name: str = "worker", *, beat: bool = False) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "reorg.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": worker_redis_url,
            "MEDIA_ROOT": str(tmp_path),
            "TEST_WORKER": "1",  # tasks the worker queues go through Redis (settings/test.py)
            **(extra_env or {}),
        }
        log_path = logs / f"{name}.log"
        # The log goes to a file, not a pipe nobody reads while the test waits: a full pipe
        # would block the worker.
        if beat:  # Celery beat instead: it only sends the scheduled tasks to Redis
            command = ["beat", f"--schedule={tmp_path / f'{name}-schedule'}", "--loglevel=INFO"]
        else:
            command = ["worker", "--concurrency=1", "--pool=solo", f"--hostname={name}@%h",
                       "--without-gossip", "--without-mingle", "--without-heartbeat",
                       "--loglevel=INFO"]  # fmt: skip
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "reorg", *command],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        worker = Worker(name, process, log_path)
        workers.append(worker)
        return worker

    # Send through Redis instead of running tasks in this process.
    previous = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    use_broker(task_always_eager=False, broker_url=worker_redis_url)
    try:
        yield start
    finally:
        use_broker(**previous)
        for worker in workers:
            if worker.is_running():
                worker.process.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.stop()


def worker_logs(workers) -> str:
    return "\n".join(f"--- {w.name} ---\n{w.output()}" for w in workers)


def mail_env(sink, *, beat_every: float = 1, beat: str = "outbox", **more) -> dict:
    """The environment of a worker or beat that sends the outbox's mail to the SMTP sink, with
    beat's entries `beat` (TEST_BEAT_TASKS: e.g. "outbox,documents") every `beat_every` seconds,
    and temporary failures tried again after a fraction of a second (OUTBOX_RETRY_SECONDS)."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "TEST_BEAT_EVERY": str(beat_every),
        "TEST_BEAT_TASKS": beat,
        "OUTBOX_RETRY_SECONDS": "0.2",
        **more,
    }


def wait_until(condition: Callable[[], bool], workers, what: str, timeout: float = 90) -> None:
    """Wait for `condition`; fails the test with the workers' logs if it is late or a worker
    has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            if not worker.is_running():
                pytest.fail(
                    f"{worker.name} exited while waiting for {what}:\n{worker_logs(workers)}"
                )
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen in time:\n{worker_logs(workers)}")
