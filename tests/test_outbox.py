"""The outbox (notifications): every mail is a row written with the change; sent once, under its
lock; temporary failures tried again with backoff for a day, permanent ones recorded for the
sender, who may send again; a person's notice only while they can see the project, at once or
in their daily digest."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from core.mail import automated_message
from notifications import outbox, services
from notifications.models import OutgoingMail
from projects import services as project_services
from projects.models import Membership
from projects.notices import notify_members
from reorg.celery import app as celery_app

from .factories import UserFactory


@pytest.fixture
def member(member_with_role):
    user = member_with_role(Membership.Role.STEERING)
    OutgoingMail.objects.all().delete()  # the set-up's own notices (members told of their roles)
    return user


def notice(project, users, **kwargs):
    return notify_members(
        users,
        "notifications/email/test",
        {},
        kind="test",
        project=project,
        url="https://reorg.example.no/x",
        **kwargs,
    )


@pytest.fixture(autouse=True)
def test_template(settings, tmp_path):
    """A notice template of the test's own."""
    (tmp_path / "notifications" / "email").mkdir(parents=True)
    (tmp_path / "notifications/email/test_subject.txt").write_text("Til {{ name }}: {{ project }}")
    (tmp_path / "notifications/email/test_body.txt").write_text("Hei {{ name }}.\n{{ url }}\n")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def test_a_notice_is_a_row_until_the_commit_and_then_sent_once(project, member):
    (row,) = notice(project, [member])
    assert row.state == "queued" and mail.outbox == []
    assert row.message_id.startswith("<") and row.message_id.endswith(">")

    assert outbox.send(row.pk) is True
    assert outbox.send(row.pk) is False  # sent is sent
    (message,) = mail.outbox
    assert message.to == [f"{member.get_full_name()} <{member.email}>"]
    assert message.subject == f"Til {member.first_name}: {project}"
    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    row.refresh_from_db()
    assert row.state == "sent" and row.sent_at and row.attempts == 1


def test_it_is_sent_right_after_the_commit_where_tasks_run_in_process(
    project, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notice(project, [member])
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == "sent"


def test_a_rolled_back_change_sends_nothing(project, member):
    with pytest.raises(RuntimeError), transaction.atomic():
        notice(project, [member])
        raise RuntimeError("the change fails")
    assert not OutgoingMail.objects.exists()


def test_no_notice_to_someone_without_address_inactive_or_outside(project, member, outsider):
    silent = UserFactory(email="")
    inactive = UserFactory(is_active=False)
    assert [row.recipient for row in notice(project, [member, silent, inactive, outsider])] == [
        member
    ]


def test_someone_removed_before_the_send_gets_nothing(project, member, leader):
    """Removed from the project: their notices about it still waiting are cancelled."""
    (row,) = notice(project, [member])
    membership = Membership.objects.get(project=project, user=member)
    project_services.remove_member(membership=membership, by=leader)
    assert outbox.send(row.pk) is False
    row.refresh_from_db()
    assert row.state == "cancelled" and mail.outbox == []


def test_one_notice_per_key(project, member):
    first = notice(project, [member], key="occasion:1")
    again = notice(project, [member], key="occasion:1")
    assert first == again and OutgoingMail.objects.count() == 1


def test_a_temporary_failure_is_tried_again_later_and_then_sent(
    project, member, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    settings.OUTBOX_RETRY_SECONDS = 60
    (row,) = notice(project, [member])
    smtp_sink.refuse(1, code=451)

    assert outbox.sweep() == 0
    row.refresh_from_db()
    assert row.state == "queued" and row.attempts == 1 and row.last_error.startswith("(451")
    # Tried again after a random wait of up to 2 × OUTBOX_RETRY_SECONDS (full jitter).
    assert row.next_attempt_at <= timezone.now() + dt.timedelta(seconds=120)

    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert outbox.sweep() == 1
    (received,) = smtp_sink.wait_for(1)
    assert received.message["Message-ID"] == row.message_id


def test_a_permanent_failure_is_recorded_for_the_sender_who_sends_again(
    project, member, leader, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    (row,) = notice(project, [member], sender=leader)
    smtp_sink.refuse(1, code=550)

    assert outbox.sweep() == 0
    row.refresh_from_db()
    assert row.state == "failed" and row.failed_at and row.last_error.startswith("(550")
    assert list(OutgoingMail.objects.failed_for(leader)) == [row]
    assert outbox.sweep() == 0  # not tried again by itself

    services.resend(mail=row, by=leader)
    assert outbox.sweep() == 1
    (received,) = smtp_sink.wait_for(1)
    assert received.message["Message-ID"] == row.message_id


def test_given_up_after_a_day_of_temporary_failures(project, member, leader, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1}}}  # fmt: skip
    (row,) = notice(project, [member], sender=leader)
    OutgoingMail.objects.update(queued_at=timezone.now() - dt.timedelta(hours=25))
    assert outbox.sweep() == 0
    row.refresh_from_db()
    assert row.state == "failed" and row.attempts == 1


@pytest.fixture
def with_a_broker():
    """As in production: nothing is sent at the commit; beat's sweep sends."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


def test_two_senders_at_once_send_one_mail(
    transactional_db, project, member, settings, smtp_sink, with_a_broker
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    settings.MAILERS = smtp_sink.mailers
    smtp_sink.delay = 0.5  # the first holds the row while the second asks for it
    (row,) = notice(project, [member])
    results = []

    def send():
        results.append(outbox.send(row.pk))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert len(smtp_sink.wait_for(1)) == 1


def test_a_daily_digest_holds_the_notices_and_sends_them_as_one(project, member, leader):
    member.daily_digest = True
    member.save()
    rows = notice(project, [member, leader]) + notice(project, [member])
    assert [(r.recipient, r.digest) for r in rows if r.recipient == leader] == [(leader, False)]
    assert [r.digest for r in rows if r.recipient == member] == [True, True]
    assert outbox.sweep() == 1  # the leader's; the member's wait for the morning
    assert outbox.send_digests(timezone.localdate()) == 1
    assert outbox.send_digests(timezone.localdate()) == 0
    assert outbox.sweep() == 1
    digest = mail.outbox[-1]
    assert digest.to == [f"{member.get_full_name()} <{member.email}>"]
    assert digest.subject == "reorg: 2 varsler siden i går"
    assert digest.body.count("https://reorg.example.no/x") == 2
    assert set(OutgoingMail.objects.filter(recipient=member, kind="test").values_list(
        "state", flat=True)) == {"digested"}  # fmt: skip


def test_who_leaves_the_digest_gets_what_it_held_at_once(project, member):
    member.daily_digest = True
    member.save()
    notice(project, [member])
    assert outbox.sweep() == 0
    member.daily_digest = False
    member.save()
    assert outbox.sweep() == 1


def test_a_composed_message_keeps_its_parts(project, member):
    message = automated_message(
        "notifications/email/test", {"name": "Kari", "project": project, "url": ""}, bcc=["a@x.no"]
    )
    row = services.queue(message, kind="broadcast", project_id=project.pk)
    sent = outbox.as_message(row)
    assert sent.bcc == ["a@x.no"] and sent.extra_headers["To"] == "undisclosed-recipients:;"


@pytest.mark.parametrize("factor", [0.2, 60.0])
def test_a_retry_wait_set_in_seconds_with_a_fraction_is_honoured(
    project, member, settings, smtp_sink, factor
):
    """OUTBOX_RETRY_SECONDS is read as a float from the environment (0.2 in the worker tests,
    60.0 for "60"): the backoff takes it as it is."""
    settings.MAILERS = smtp_sink.mailers
    settings.OUTBOX_RETRY_SECONDS = factor
    (row,) = notice(project, [member])
    smtp_sink.refuse(1, code=451)
    before = timezone.now()

    assert outbox.sweep() == 0
    row.refresh_from_db()
    assert row.state == "queued" and row.attempts == 1
    assert before <= row.next_attempt_at <= timezone.now() + dt.timedelta(seconds=factor)
