"""The three-week cycle end to end: a real Redis, real Celery workers and beat (the status reports'
dispatch and the outbox's sweep every second), and a local SMTP server (tests/smtp_sink.py).
PostgreSQL and Redis only; CI runs them. Publishing here commits, and with a broker nothing is
sent at the commit: beat's sweep sends the outbox.

1. Beat ticks, the draft of the period that ended yesterday exists and the leader is told; after
   publishing, each member of the steering group has exactly one e-mail with the PDF.
2. The worker is killed in the middle of sending and another started: still exactly one each.
3. The mail server refuses for a while: the mails arrive, once each, when it accepts again."""

import datetime as dt
import signal
import time

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import OutgoingMail
from projects.models import Membership, Project
from reports import periods, services
from reports.models import StatusReport

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
    forget_notices,
)
from .worker import mail_env, wait_until, worker_logs

Role = Membership.Role
ALL_GREEN = {
    f"{key}_status": "green"
    for key in ("overall", "progress", "economy", "quality", "risk", "benefits")
}
SITE = "https://reorg.fjordvik.kommune.no"


@pytest.fixture(autouse=True)
def site_url(settings):
    """The test process composes what publishing sends: the same SITE_URL as the workers'."""
    settings.SITE_URL = SITE


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
    forget_notices()
    return project, leader, [owner, *steering]


def publish_first_report(project, leader) -> StatusReport:
    report, _created = services.create_draft(project=project, period=periods.period(project, 1))
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    return services.publish(report=report, by=leader)


def report_mails(report):
    return OutgoingMail.objects.filter(ref=f"statusreport:{report.pk}", kind="report.published")


def report_received(sink):
    """What the SMTP sink got of the published report (the leader's notice of the draft aside)."""
    return [m for m in sink.messages if m.subject.startswith("Statusrapport")]


def assert_one_mail_with_the_pdf_each(sink, recipients, report):
    received = report_received(sink)
    assert sorted(to for m in received for to in m.envelope_to) == sorted(
        u.email for u in recipients
    )
    for message in received:
        (attachment,) = list(message.message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename() == "statusrapport-ou-velferd-01.pdf"
        assert attachment.get_content().startswith(b"%PDF")
    assert {m.message["Message-ID"] for m in received} == {
        f"<statusrapport-{report.pk}-{u.pk}@reorg.fjordvik.kommune.no>" for u in recipients
    }
    assert set(report_mails(report).values_list("state", flat=True)) == {"sent"}


def locked_by_a_worker(report) -> int:
    """How many of the report's mails a worker holds under its row lock (it is sending them)."""
    with transaction.atomic():
        mails = report_mails(report).filter(state="queued").values_list("pk", flat=True)
        return len(mails) - len(mails.select_for_update(skip_locked=True))


def test_beat_makes_the_draft_and_publishing_mails_each_steering_member_once(
    start_worker, smtp_sink, cycle_project
):
    project, leader, recipients = cycle_project
    env = mail_env(smtp_sink, beat="status-reports,outbox,documents", SITE_URL=SITE)
    worker = start_worker(env, "reports")
    worker.wait_ready()
    beat = start_worker(env, "beat", beat=True)
    workers = [worker, beat]

    wait_until(lambda: StatusReport.objects.filter(project=project).exists(), workers, "the draft")
    wait_until(lambda: len(smtp_sink.messages) >= 1, workers, "the leader's notice")
    time.sleep(3)  # more ticks: still one draft, one notice
    assert StatusReport.objects.filter(project=project).count() == 1
    (notice,) = smtp_sink.messages
    assert notice.envelope_to == [leader.email]
    assert notice.subject == "Utkast til statusrapport 1 for OU-VELFERD er klart"
    assert f"{SITE}/prosjekter/{project.pk}/statusrapporter/1/" in notice.body

    report = StatusReport.objects.get(project=project)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    report = services.publish(report=report, by=leader)  # commits; beat's sweeps do the rest
    wait_until(lambda: len(smtp_sink.messages) >= 1 + len(recipients), workers, "the mails")
    time.sleep(3)  # a duplicate would arrive now
    assert len(smtp_sink.messages) == 1 + len(recipients), worker_logs(workers)
    assert_one_mail_with_the_pdf_each(smtp_sink, recipients, report)
    report.refresh_from_db()
    assert report.pdf.name.endswith("statusrapport-ou-velferd-01.pdf")


def test_a_worker_killed_while_sending_leaves_one_mail_each(start_worker, smtp_sink, cycle_project):
    project, leader, recipients = cycle_project
    env = mail_env(smtp_sink, SITE_URL=SITE)
    first = start_worker(env, "first")
    first.wait_ready()
    beat = start_worker(env, "beat", beat=True)
    report, _created = services.create_draft(project=project, period=periods.period(project, 1))
    wait_until(lambda: len(smtp_sink.messages) == 1, [first, beat], "the leader's notice")

    smtp_sink.rcpt_delay = 5  # the first send hangs at the mail server, its row locked
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    report = services.publish(report=report, by=leader)
    wait_until(
        lambda: locked_by_a_worker(report) == 1 and smtp_sink.recipients_asked == 2,
        [first, beat],
        "the first send at the mail server",
    )
    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    # Its transaction is rolled back with its connection: the mail is queued as before.
    wait_until(lambda: locked_by_a_worker(report) == 0, [beat], "the lock released")
    assert report_received(smtp_sink) == []
    assert report_mails(report).filter(state="queued", attempts=0).count() == len(recipients)

    smtp_sink.rcpt_delay = 0
    second = start_worker(env, "second")
    second.wait_ready()
    workers = [second, beat]
    wait_until(lambda: len(report_received(smtp_sink)) >= len(recipients), workers, "the mails")
    time.sleep(3)  # a duplicate would arrive now
    assert len(report_received(smtp_sink)) == len(recipients), worker_logs([first, *workers])
    assert_one_mail_with_the_pdf_each(smtp_sink, recipients, report)


def test_mails_refused_for_a_while_arrive_once_the_server_accepts(
    start_worker, smtp_sink, cycle_project
):
    project, leader, recipients = cycle_project
    # Tried again after up to 0.2, 0.4, 0.8… seconds instead of minutes (OUTBOX_RETRY_SECONDS).
    env = mail_env(smtp_sink, SITE_URL=SITE)
    worker = start_worker(env, "reports")
    worker.wait_ready()
    workers = [worker, start_worker(env, "beat", beat=True)]
    smtp_sink.refuse()  # every message, until accept()

    report = publish_first_report(project, leader)
    mails = report_mails(report)
    wait_until(
        lambda: mails.filter(attempts__gte=2).count() == len(recipients),
        workers,
        "two refused tries of every mail",
    )
    assert smtp_sink.messages == []
    assert mails.filter(state="queued", last_error__contains="451").count() == len(recipients)

    smtp_sink.accept()
    wait_until(lambda: len(report_received(smtp_sink)) >= len(recipients), workers, "the mails")
    time.sleep(3)  # a duplicate would arrive now
    assert len(report_received(smtp_sink)) == len(recipients), worker_logs(workers)
    assert_one_mail_with_the_pdf_each(smtp_sink, recipients, report)
