"""The daily e-mail to each responsible person about milestones overdue or due within a week: who
gets it, what it says, and that it is sent once per person and day, whatever the retries or the
number of workers (the last test runs two real workers against Redis and an SMTP sink)."""

import datetime as dt
import os
import smtplib
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from milestones.models import Milestone, Reminder
from milestones.reminders import compose_reminder, milestones_to_remind
from milestones.tasks import dispatch_milestone_reminders, send_milestone_reminder
from projects import services
from projects.models import Membership, Project
from reorg.celery import app as celery_app

from .factories import MembershipFactory, MilestoneFactory, ProjectFactory, UserFactory
from .smtp_sink import closed_port, smtp_mailers
from .worker import worker_logs

Role = Membership.Role
Status = Milestone.Status
DAY = dt.timedelta(days=1)


@pytest.fixture
def worker_redis_url():
    """Not test_worker's database (15), which it empties: the two may run at the same time."""
    return os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/14")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def kari(organisation):
    return UserFactory(
        username="kjaersti",
        first_name="Kjærsti",
        last_name="Ødegård",
        email="kjaersti.odegard@amot.kommune.no",
        organisations=[organisation],
    )


@pytest.fixture
def ola(organisation):
    return UserFactory(
        username="ola",
        first_name="Ola",
        last_name="Nordmann",
        email="ola.nordmann@amot.kommune.no",
        organisations=[organisation],
    )


@pytest.fixture
def health(organisation, owner, leader):
    return ProjectFactory(
        organisation=organisation, owner=owner, leader=leader, name="Helse og omsorg i endring"
    )


@pytest.fixture
def plan(project, health, organisation, owner, leader, kari, ola, today):
    """Kjærsti: two overdue (one missed) and one due this week, in two projects; Ola: one due
    today. Everything else is not to be reminded of."""
    MembershipFactory(project=project, user=kari, role=Role.PROJECT_GROUP, by=leader)
    MembershipFactory(project=health, user=kari, role=Role.WORKSTREAM_LEAD, by=leader)
    MembershipFactory(project=project, user=ola, role=Role.WORKSTREAM_LEAD, by=leader)
    for on, code, title, due, user, fields in [
        (project, "M3", "Gjennomført kafédialog", today - 5 * DAY, kari, {}),
        (project, "M4", "Nåsituasjonen beskrevet", today + 3 * DAY, kari, {}),
        (health, "B1", "Beslutning om ny struktur for omsorgstjenestene", today - DAY, kari,
         {"kind": Milestone.Kind.DECISION_POINT, "status": Status.MISSED}),
        (project, "M5", "Drøfting med tillitsvalgte", today, ola, {"status": Status.IN_PROGRESS}),
        # Not reminded of:
        (project, "M9", "Allerede nådd", today - DAY, kari, {"status": Status.REACHED}),
        (project, "M10", "Om åtte dager", today + 8 * DAY, kari, {}),
        (project, "M11", "Uten ansvarlig", today, None, {}),
    ]:  # fmt: skip
        MilestoneFactory(
            project=on, code=code, title=title, due_date=due, responsible=user, **fields
        )
    for status in (Project.Status.COMPLETED, Project.Status.CANCELLED):
        closed = ProjectFactory(
            organisation=organisation, owner=owner, leader=leader, name=f"Prosjekt {status}"
        )
        MembershipFactory(project=closed, user=kari, role=Role.PROJECT_GROUP, by=leader)
        MilestoneFactory(
            project=closed,
            code="M1",
            title="I et avsluttet prosjekt",
            due_date=today - DAY,
            responsible=kari,
        )
        Project.objects.filter(pk=closed.pk).update(status=status)
    return {"kari": ["B1", "M3", "M4"], "ola": ["M5"]}


def reminded(day):
    return {(m.responsible.username, m.code) for m in milestones_to_remind(day)}


def dispatch(capture):
    with capture(execute=True):
        return dispatch_milestone_reminders()


# --- Who is reminded of what --------------------------------------------------------------------


def test_who_is_reminded_of_what(plan, today):
    assert reminded(today) == {("kjaersti", "M3"), ("kjaersti", "M4"), ("kjaersti", "B1"),
                               ("ola", "M5")}  # fmt: skip


@pytest.mark.parametrize("days", [0, 1, 7])
def test_due_within_seven_days_is_reminded(project, kari, leader, today, days):
    MembershipFactory(project=project, user=kari, role=Role.PROJECT_GROUP, by=leader)
    MilestoneFactory(project=project, code="M1", due_date=today + days * DAY, responsible=kari)
    assert reminded(today) == {("kjaersti", "M1")}


def test_someone_no_longer_a_member_is_not_reminded(project, kari, leader, today):
    MembershipFactory(project=project, user=kari, role=Role.PROJECT_GROUP, by=leader)
    MilestoneFactory(project=project, code="M1", due_date=today - 2 * DAY, responsible=kari)
    assert reminded(today) == {("kjaersti", "M1")}

    services.remove_member(membership=Membership.objects.get(user=kari), by=leader)
    assert reminded(today) == set()


def test_someone_who_left_the_organisation_is_not_reminded(
    project, organisation, kari, leader, today
):
    MembershipFactory(project=project, user=kari, role=Role.PROJECT_GROUP, by=leader)
    MilestoneFactory(project=project, code="M1", due_date=today - 2 * DAY, responsible=kari)
    organisation.members.remove(kari)  # the project permission row is still there
    assert reminded(today) == set()


def test_someone_deactivated_or_without_an_address_is_not_reminded(
    project, kari, ola, leader, today
):
    for user in (kari, ola):
        MembershipFactory(project=project, user=user, role=Role.PROJECT_GROUP, by=leader)
    MilestoneFactory(project=project, code="M1", due_date=today - 2 * DAY, responsible=kari)
    MilestoneFactory(project=project, code="M2", due_date=today - 2 * DAY, responsible=ola)
    kari.is_active = False
    kari.save()
    ola.email = ""
    ola.save()
    assert reminded(today) == set()


def test_the_milestones_and_what_the_mail_shows_are_one_query(
    plan, today, django_assert_num_queries
):
    with django_assert_num_queries(1):
        milestones = list(milestones_to_remind(today))
        for m in milestones:
            str(m.responsible), m.project.name, m.project.organisation.name, str(m.project.leader)
    assert [(m.responsible.username, m.code) for m in milestones] == [
        # By person, then project (by name), then date.
        ("kjaersti", "B1"),
        ("kjaersti", "M3"),
        ("kjaersti", "M4"),
        ("ola", "M5"),
    ]


# --- The e-mail ---------------------------------------------------------------------------------


def test_one_mail_per_person_with_all_their_milestones(
    plan, kari, ola, django_capture_on_commit_callbacks
):
    assert dispatch(django_capture_on_commit_callbacks) == 2

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted([kari.email, ola.email])
    assert len(mail.outbox) == 2
    body = by_address[kari.email].body
    for code in plan["kari"]:
        assert f"- {code} " in body
    assert "M5" not in body and "M9" not in body and "M10" not in body
    assert "- M5 Drøfting med tillitsvalgte" in by_address[ola.email].body


def test_the_mail_is_in_norwegian_with_links(
    plan, project, health, kari, leader, today, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://reorg.amot.kommune.no"
    with translation.override("en"):  # whatever language is active, the mail is in Bokmål
        dispatch(django_capture_on_commit_callbacks)

    (message,) = [m for m in mail.outbox if m.to == [kari.email]]
    assert message.subject == "Milepæler som forfaller: 2 forsinket, 1 denne uken"
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    body = message.body
    date = (today - dt.timedelta(days=5)).strftime("%d.%m.%Y")
    assert body.startswith("Hei Kjærsti,\n")
    assert f"- M3 Gjennomført kafédialog – {date} (Åmot kommune: {project.name})\n" in body
    assert "(Åmot kommune: Helse og omsorg i endring)" in body
    # Overdue first, then due this week.
    overdue, soon = body.index("Forsinket:\n"), body.index("Forfaller innen 7 dager:\n")
    assert overdue < body.index("- B1 ") < body.index("- M3 ") < soon < body.index("- M4 ")
    for p in (project, health):
        assert f"  https://reorg.amot.kommune.no{reverse('milestones:list', args=[p.pk])}\n" in body
    assert "fordi du står som ansvarlig" in body
    assert "prosjektlederen endre hvem som er ansvarlig" in body
    assert f"- Åmot kommune: {project.name} (prosjektleder {leader})\n" in body
    assert "&" not in body  # plain text: nothing HTML-escaped


def test_a_subject_with_only_milestones_due_this_week(plan, ola, today):
    message = compose_reminder(ola, list(milestones_to_remind(today, recipient=ola)), today)
    assert message.subject == "Milepæler som forfaller: 1 denne uken"
    assert "Forsinket" not in message.body


def test_names_are_not_html_escaped(project, kari, leader, today):
    Project.objects.filter(pk=project.pk).update(name="Helse & omsorg <2026>")
    MembershipFactory(project=project, user=kari, role=Role.PROJECT_GROUP, by=leader)
    MilestoneFactory(
        project=project, code="M1", title="Kafé & dialog", due_date=today, responsible=kari
    )
    message = compose_reminder(kari, list(milestones_to_remind(today)), today)
    assert "- M1 Kafé & dialog – " in message.body
    assert "(Åmot kommune: Helse & omsorg <2026>)" in message.body


# --- Once per person and day --------------------------------------------------------------------


def test_dispatching_twice_sends_one_mail_per_person(
    plan, kari, ola, today, django_capture_on_commit_callbacks
):
    assert dispatch(django_capture_on_commit_callbacks) == 2
    assert dispatch(django_capture_on_commit_callbacks) == 0  # nothing left unsent today

    assert len(mail.outbox) == 2
    rows = {r.recipient_id: r for r in Reminder.objects.filter(day=today)}
    assert set(rows) == {kari.pk, ola.pk}
    assert rows[kari.pk].sent_at is not None and rows[kari.pk].milestone_count == 3
    assert rows[ola.pk].milestone_count == 1


def test_a_reminder_task_run_twice_sends_once(plan, kari, today):
    reminder = Reminder.objects.create(recipient=kari, day=today)
    assert send_milestone_reminder(reminder.pk) == 3
    assert send_milestone_reminder(reminder.pk) == 0
    assert len(mail.outbox) == 1


def test_no_mail_and_no_rows_when_nothing_is_due(project, kari, leader, today):
    MembershipFactory(project=project, user=kari, role=Role.PROJECT_GROUP, by=leader)
    MilestoneFactory(project=project, code="M1", due_date=today + 14 * DAY, responsible=kari)
    assert dispatch_milestone_reminders() == 0
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_milestones_reached_since_the_dispatch_give_no_mail(plan, kari, ola, today):
    reminder = Reminder.objects.create(recipient=kari, day=today)
    Milestone.objects.filter(responsible=kari).update(status=Status.REACHED, reached_on=today)

    assert send_milestone_reminder(reminder.pk) == 0
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.milestone_count == 0


def test_one_reached_since_the_dispatch_is_left_out(plan, kari, today):
    reminder = Reminder.objects.create(recipient=kari, day=today)
    Milestone.objects.filter(code="M3").update(status=Status.REACHED, reached_on=today)

    assert send_milestone_reminder(reminder.pk) == 2
    (message,) = mail.outbox
    assert "M3" not in message.body
    assert message.subject == "Milepæler som forfaller: 1 forsinket, 1 denne uken"


class SlowMailBackend(locmem.EmailBackend):
    """The in-memory outbox, taking its time like an SMTP server."""

    def send_messages(self, messages):
        time.sleep(1)
        return super().send_messages(messages)


def test_two_concurrent_sends_of_one_reminder_send_once(
    transactional_db, plan, kari, today, settings
):
    """The row lock: the second send waits for the first to commit, then finds it sent."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL); CI runs it")
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowMailBackend"}}
    reminder = Reminder.objects.create(recipient=kari, day=today)
    start = threading.Barrier(2)
    results = []

    def send():
        try:
            start.wait()
            results.append(send_milestone_reminder(reminder.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [0, 3]
    assert len(mail.outbox) == 1


# --- When sending fails -------------------------------------------------------------------------


def test_a_refused_mail_stays_unsent_and_the_next_try_sends_it(
    plan, kari, today, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    reminder = Reminder.objects.create(recipient=kari, day=today)
    smtp_sink.refuse()

    # Called directly, the task raises what it would retry on in a worker.
    with pytest.raises(smtplib.SMTPException):
        send_milestone_reminder(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.sent_at is None
    assert smtp_sink.refused == 1 and smtp_sink.messages == []

    smtp_sink.accept()
    assert send_milestone_reminder(reminder.pk) == 3
    assert send_milestone_reminder(reminder.pk) == 0
    (received,) = smtp_sink.wait_for(1)
    assert received.envelope_to == [kari.email]
    assert received.message["To"] == kari.email
    assert received.subject == "Milepæler som forfaller: 2 forsinket, 1 denne uken"
    assert "- M3 Gjennomført kafédialog – " in received.body
    reminder.refresh_from_db()
    assert reminder.sent_at is not None


def test_no_mail_server_leaves_the_reminder_unsent(plan, kari, today, settings):
    settings.MAILERS = smtp_mailers(closed_port())
    reminder = Reminder.objects.create(recipient=kari, day=today)
    with pytest.raises(OSError):
        send_milestone_reminder(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.sent_at is None


@pytest.fixture
def eager_retries():
    """An eager task raises its Retry instead of running again while errors propagate."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.update(task_eager_propagates=False)
    yield
    celery_app.conf.update(task_eager_propagates=previous)


def test_celery_retries_until_the_mail_server_accepts(
    plan, kari, today, settings, smtp_sink, eager_retries
):
    """Through Celery (eagerly: retries run at once): refused twice, sent on the third try."""
    settings.MAILERS = smtp_sink.mailers
    reminder = Reminder.objects.create(recipient=kari, day=today)
    smtp_sink.refuse(2)

    result = send_milestone_reminder.apply(args=[reminder.pk])

    assert result.successful() and result.result == 3
    assert smtp_sink.refused == 2
    assert [r.envelope_to for r in smtp_sink.wait_for(1)] == [[kari.email]]
    reminder.refresh_from_db()
    assert reminder.sent_at is not None


def test_the_send_task_is_acknowledged_late_and_retried_at_most_five_times():
    task = send_milestone_reminder
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 5


def test_a_mailbox_refused_for_good_is_not_retried(
    plan, kari, today, settings, smtp_sink, eager_retries
):
    """Through Celery: a 550 is not tried again (a 451 is, above)."""
    settings.MAILERS = smtp_sink.mailers
    reminder = Reminder.objects.create(recipient=kari, day=today)
    smtp_sink.refuse(code=550)

    result = send_milestone_reminder.apply(args=[reminder.pk])

    assert result.successful() and result.result is None
    assert smtp_sink.refused == 1 and smtp_sink.messages == []
    reminder.refresh_from_db()
    assert reminder.sent_at is None


def test_beat_runs_the_dispatch_every_morning():
    entry = django_settings.CELERY_BEAT_SCHEDULE["milestone-reminders"]
    assert entry["task"] == dispatch_milestone_reminders.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert django_settings.CELERY_TIMEZONE == "Europe/Oslo"


# --- Two real workers, Redis and an SMTP sink ---------------------------------------------------


def test_two_workers_dispatching_twice_send_one_mail_per_person(
    start_worker, smtp_sink, plan, kari, ola, today
):
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_sink.host,
        "EMAIL_PORT": str(smtp_sink.port),
        "SITE_URL": "https://reorg.amot.kommune.no",
    }
    workers = [start_worker(env, "reminders-1"), start_worker(env, "reminders-2")]
    for worker in workers:
        worker.wait_ready()
    # A slow mail server keeps each reminder locked while a duplicate reaches the other worker.
    smtp_sink.delay = 1
    # Twice, as a beat started twice or a redelivered task would: one reaches each worker, and
    # each queues a send for both people.
    dispatch_milestone_reminders.delay()
    dispatch_milestone_reminders.delay()

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rows = list(Reminder.objects.filter(day=today))
        if len(smtp_sink.messages) >= 2 and len(rows) == 2 and all(r.sent_at for r in rows):
            break
        for worker in workers:
            assert worker.is_running(), worker_logs(workers)
        time.sleep(0.5)
    else:
        pytest.fail(f"the reminders were not sent in time:\n{worker_logs(workers)}")
    time.sleep(3)  # a duplicate would arrive now

    received = {tuple(r.envelope_to): r for r in smtp_sink.messages}
    assert len(smtp_sink.messages) == 2, worker_logs(workers)
    assert set(received) == {(kari.email,), (ola.email,)}

    to_kari = received[(kari.email,)]
    assert to_kari.message["To"] == kari.email
    assert to_kari.subject == "Milepæler som forfaller: 2 forsinket, 1 denne uken"
    assert to_kari.body.startswith("Hei Kjærsti,\n")
    assert [code for code in ("B1", "M3", "M4", "M5") if f"- {code} " in to_kari.body] == plan[
        "kari"
    ]
    assert "(Åmot kommune: Helse og omsorg i endring)" in to_kari.body
    assert "https://reorg.amot.kommune.no/prosjekter/" in to_kari.body

    to_ola = received[(ola.email,)]
    assert to_ola.subject == "Milepæler som forfaller: 1 denne uken"
    assert "- M5 Drøfting med tillitsvalgte – " in to_ola.body
    assert {r.milestone_count for r in Reminder.objects.filter(day=today)} == {3, 1}
