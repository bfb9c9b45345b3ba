"""The three-week cycle end to end: a real Redis, real Celery workers and beat, and a local SMTP
server (tests/smtp_sink.py). PostgreSQL and Redis only; CI runs them.

1. Beat ticks, the draft of the period that ended yesterday exists and the leader is told; after
   publishing, each member of the steering group has exactly one e-mail with the PDF.
2. The worker is killed in the middle of sending and another started: still exactly one each.
3. The mail server refuses for a while: the mails arrive, once each, when it accepts again."""

import datetime as dt
import os
import signal
import time

import pytest
from django.utils import timezone

from projects.models import Membership, Project
from reports import periods, services
from reports.models import Delivery, StatusReport

from .factories import MembershipFactory, OrganisationFactory, ProjectFactory, UserFactory
from .worker import worker_logs

Role = Membership.Role
ALL_GREEN = {
    f"{key}_status": "green"
    for key in ("overall", "progress", "economy", "quality", "risk", "benefits")
}


@pytest.fixture
def worker_redis_url():
    return os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")


@pytest.fixture
def cycle_project(transactional_db):
    """A project whose first period ended yesterday, with an owner and three in the steering
    group (one of them a union representative)."""
    organisation = OrganisationFactory(name="Fjordvik kommune")
    owner = UserFactory(username="eier", organisations=[organisation])
    leader = UserFactory(username="leder", organisations=[organisation])
    project = ProjectFactory(
        organisation=organisation,
        owner=owner,
        leader=leader,
        code="OU-VELFERD",
        start_date=timezone.localdate() - dt.timedelta(days=22),
        status=Project.Status.ACTIVE,
    )
    steering = [
        MembershipFactory(project=project, user__username=name, role=Role.STEERING, by=leader).user
        for name in ("kdg", "kdl", "tillitsvalgt")
    ]
    return project, leader, [owner, *steering]


def mail_env(sink, **more) -> dict:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "SITE_URL": "https://reorg.fjordvik.kommune.no",
        **more,
    }


def wait_until(condition, workers, what: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail(f"{what} did not happen in time:\n{worker_logs(workers)}")


def publish_first_report(project, leader) -> StatusReport:
    report, _created = services.create_draft(project=project, period=periods.period(project, 1))
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    return services.publish(report=report, by=leader)


def assert_one_mail_with_the_pdf_each(sink, recipients, report):
    received = [m for m in sink.messages if m.subject.startswith("Statusrapport")]
    assert sorted(to for m in received for to in m.envelope_to) == sorted(
        u.email for u in recipients
    )
    for message in received:
        (attachment,) = list(message.message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "statusrapport-ou-velferd-01.pdf"
        assert attachment.get_content().startswith(b"%PDF")
    assert not Delivery.objects.filter(report=report, sent_at__isnull=True).exists()


def test_beat_makes_the_draft_and_publishing_mails_each_steering_member_once(
    start_worker, smtp_sink, cycle_project
):
    project, leader, recipients = cycle_project
    env = mail_env(smtp_sink, TEST_BEAT_EVERY="1")
    worker = start_worker(env, "reports")
    worker.wait_ready()
    beat = start_worker(env, "beat", beat=True)
    workers = [worker, beat]

    wait_until(lambda: StatusReport.objects.filter(project=project).exists(), workers, "the draft")
    wait_until(lambda: len(smtp_sink.messages) >= 1, workers, "the leader's reminder")
    time.sleep(3)  # more ticks: still one draft, one reminder
    assert StatusReport.objects.filter(project=project).count() == 1
    (reminder,) = smtp_sink.messages
    assert reminder.envelope_to == [leader.email]
    assert reminder.subject == "Utkast til statusrapport 1 for OU-VELFERD er klart"
    assert "https://reorg.fjordvik.kommune.no/prosjekter/" in reminder.body

    report = StatusReport.objects.get(project=project)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    report = services.publish(report=report, by=leader)
    wait_until(lambda: len(smtp_sink.messages) >= 1 + len(recipients), workers, "the deliveries")
    time.sleep(3)  # a duplicate would arrive now
    assert len(smtp_sink.messages) == 1 + len(recipients)
    assert_one_mail_with_the_pdf_each(smtp_sink, recipients, report)


def test_a_worker_killed_while_sending_leaves_one_mail_each(start_worker, smtp_sink, cycle_project):
    project, leader, recipients = cycle_project
    # Redis gives a dead worker's unacknowledged task to another after 3 s (production: 1 hour).
    env = mail_env(smtp_sink, TEST_VISIBILITY_TIMEOUT="3")
    first = start_worker(env, "first")
    first.wait_ready()
    smtp_sink.rcpt_delay = 5  # the first send hangs at the mail server

    report = publish_first_report(project, leader)
    wait_until(
        lambda: "send_report_delivery" in first.output() and " received" in first.output(),
        [first],
        "the first send",
    )
    time.sleep(1)
    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    assert smtp_sink.messages == []

    smtp_sink.rcpt_delay = 0
    second = start_worker(env, "second")
    second.wait_ready()
    workers = [first, second]
    wait_until(lambda: len(smtp_sink.messages) >= len(recipients), workers, "the deliveries")
    time.sleep(5)  # a duplicate would arrive now
    assert len(smtp_sink.messages) == len(recipients), worker_logs(workers)
    assert_one_mail_with_the_pdf_each(smtp_sink, recipients, report)


def test_mails_refused_for_a_while_arrive_once_the_server_accepts(
    start_worker, smtp_sink, cycle_project
):
    project, leader, recipients = cycle_project
    # Retries after up to 1, 2, 4… seconds instead of minutes.
    worker = start_worker(mail_env(smtp_sink, REPORT_RETRY_BACKOFF="1"), "reports")
    worker.wait_ready()
    smtp_sink.refuse()  # every message, until accept()

    report = publish_first_report(project, leader)
    wait_until(
        lambda: Delivery.objects.filter(report=report, attempts__gte=1).count() == len(recipients),
        [worker],
        "a refused try of every delivery",
    )
    assert smtp_sink.messages == []
    assert Delivery.objects.filter(report=report, last_error__contains="451").count() == len(
        recipients
    )

    smtp_sink.accept()
    wait_until(lambda: len(smtp_sink.messages) >= len(recipients), [worker], "the deliveries")
    time.sleep(3)
    assert len(smtp_sink.messages) == len(recipients)
    assert_one_mail_with_the_pdf_each(smtp_sink, recipients, report)
