"""The daily e-mail to each responsible person about milestones overdue or due within a week: who
gets it, what it says, and that it is written to the outbox once per person and day and sent
once, whatever the retries, the dispatchers or the number of workers (the last test runs two
real workers and beat against Redis and an SMTP sink)."""

import datetime as dt
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from milestones.models import Milestone
from milestones.reminders import compose_reminder, milestones_to_remind, queue_reminders
from milestones.tasks import dispatch_milestone_reminders
from notifications import outbox
from notifications.models import OutgoingMail
from projects import services
from projects.models import Membership, Project

from .factories import (
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    UserFactory,
    forget_notices,
)
from .smtp_sink import closed_port, smtp_mailers
from .worker import mail_env, wait_until, worker_logs

Role = Membership.Role
Status = Milestone.Status
DAY = dt.timedelta(days=1)


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
    forget_notices()
    return {"kari": ["B1", "M3", "M4"], "ola": ["M5"]}


def reminded(day):
    return {(m.responsible.username, m.code) for m in milestones_to_remind(day)}


def dispatch(capture):
    """The task, as beat runs it; the reminders it writes to the outbox are sent right after its
    commit (tasks run in-process in the tests)."""
    with capture(execute=True):
        return dispatch_milestone_reminders()


def reminders(day) -> dict:
    """The outbox's reminders of `day`, by recipient."""
    rows = OutgoingMail.objects.filter(kind="milestones.reminder", key__endswith=f":{day}")
    return {row.recipient: row for row in rows}


def mailbox(user) -> str:
    return f"{user.get_full_name()} <{user.email}>"


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

    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == sorted([mailbox(kari), mailbox(ola)])
    body = by_address[mailbox(kari)].body
    for code in plan["kari"]:
        assert f"- {code} " in body
    assert "M5" not in body and "M9" not in body and "M10" not in body
    assert "- M5 Drøfting med tillitsvalgte" in by_address[mailbox(ola)].body


def test_the_mail_is_in_norwegian_with_links(
    plan, project, health, kari, leader, today, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://reorg.amot.kommune.no"
    with translation.override("en"):  # whatever language is active, the mail is in Bokmål
        dispatch(django_capture_on_commit_callbacks)

    to_kari = ["Kjærsti Ødegård <kjaersti.odegard@amot.kommune.no>"]  # To: Name <address>
    (message,) = [m for m in mail.outbox if m.to == to_kari]
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


def test_the_reminders_are_rows_in_the_outbox_until_the_commit(
    plan, health, kari, ola, today, settings
):
    """Written in the dispatch's transaction, one per person, and sent only after it commits;
    each links to the milestones of the first project it lists."""
    assert queue_reminders(today) == 2
    assert mail.outbox == []
    rows = reminders(today)
    assert set(rows) == {kari, ola}
    assert rows[kari].key == f"reminder:{kari.pk}:{today.isoformat()}"
    assert rows[kari].to == [mailbox(kari)] and rows[kari].state == "queued"
    assert rows[kari].url == settings.SITE_URL + reverse("milestones:list", args=[health.pk])


def test_dispatching_twice_sends_one_mail_per_person(
    plan, kari, ola, today, django_capture_on_commit_callbacks
):
    assert dispatch(django_capture_on_commit_callbacks) == 2
    dispatch(django_capture_on_commit_callbacks)  # beat started twice, or a task redelivered

    assert len(mail.outbox) == 2
    rows = reminders(today)
    assert set(rows) == {kari, ola}
    assert {row.state for row in rows.values()} == {"sent"}
    assert rows[kari].attempts == rows[ola].attempts == 1
    assert OutgoingMail.objects.count() == 2


def test_a_reminder_sent_twice_is_sent_once(plan, kari, today):
    queue_reminders(today)
    row = reminders(today)[kari]
    assert outbox.send(row.pk) is True
    assert outbox.send(row.pk) is False
    assert [m.to for m in mail.outbox] == [[mailbox(kari)]]


def test_the_next_day_is_another_reminder(
    plan, kari, ola, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue_reminders(today)
        queue_reminders(today + DAY)
    assert len(mail.outbox) == 4
    assert set(reminders(today + DAY)) == {kari, ola}


def test_no_mail_and_no_rows_when_nothing_is_due(
    project, kari, leader, today, django_capture_on_commit_callbacks
):
    MembershipFactory(project=project, user=kari, role=Role.PROJECT_GROUP, by=leader)
    MilestoneFactory(project=project, code="M1", due_date=today + 14 * DAY, responsible=kari)
    forget_notices()
    assert dispatch(django_capture_on_commit_callbacks) == 0
    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


def test_two_dispatchers_at_once_send_one_mail_per_person(transactional_db, plan, kari, ola, today):
    """The outbox's key is the claim: the second dispatcher's row waits for the first's commit
    and then finds the reminder there; each is sent after the commit that wrote it."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (set DATABASE_URL); CI runs it")
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            dispatch_milestone_reminders()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mailbox(kari), mailbox(ola)])
    assert {row.state for row in reminders(today).values()} == {"sent"}
    assert OutgoingMail.objects.count() == 2


# --- When sending fails -------------------------------------------------------------------------


def test_a_refused_mail_stays_queued_and_the_next_sweep_sends_it(
    plan, kari, today, settings, smtp_sink
):
    settings.MAILERS = smtp_sink.mailers
    queue_reminders(today)
    row = reminders(today)[kari]
    smtp_sink.refuse()  # every message until accept()

    assert outbox.send(row.pk) is False
    row.refresh_from_db()
    assert row.state == "queued" and row.attempts == 1 and row.last_error.startswith("(451")
    assert smtp_sink.refused == 1 and smtp_sink.messages == []

    smtp_sink.accept()
    OutgoingMail.objects.update(next_attempt_at=timezone.now())  # its time has come
    assert outbox.sweep() == 2  # Kjærsti's, and Ola's that was waiting too
    assert outbox.sweep() == 0
    received = {tuple(r.envelope_to): r for r in smtp_sink.wait_for(2)}
    to_kari = received[(kari.email,)]
    assert str(to_kari.message["To"]) == "Kjærsti Ødegård <kjaersti.odegard@amot.kommune.no>"
    assert to_kari.subject == "Milepæler som forfaller: 2 forsinket, 1 denne uken"
    assert "- M3 Gjennomført kafédialog – " in to_kari.body
    assert to_kari.message["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2 and row.last_error == ""


def test_no_mail_server_leaves_the_reminder_queued_for_later(plan, kari, today, settings):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.OUTBOX_RETRY_SECONDS = 60
    queue_reminders(today)
    row = reminders(today)[kari]

    assert outbox.send(row.pk) is False
    row.refresh_from_db()
    assert row.state == "queued" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at <= timezone.now() + dt.timedelta(seconds=60)
    assert row not in OutgoingMail.objects.due(row.next_attempt_at - dt.timedelta(microseconds=1))


def test_the_sweep_tries_again_until_the_mail_server_accepts(
    plan, kari, today, settings, smtp_sink
):
    """Refused twice, sent on the third sweep (tried again at once: no backoff here)."""
    settings.MAILERS = smtp_sink.mailers
    settings.OUTBOX_RETRY_SECONDS = 0
    queue_reminders(today)
    OutgoingMail.objects.exclude(recipient=kari).delete()
    smtp_sink.refuse(2)

    assert [outbox.sweep() for _ in range(4)] == [0, 0, 1, 0]
    assert smtp_sink.refused == 2
    assert [r.envelope_to for r in smtp_sink.wait_for(1)] == [[kari.email]]
    row = reminders(today)[kari]
    assert row.state == "sent" and row.attempts == 3


def test_a_mailbox_refused_for_good_is_not_tried_again(plan, kari, today, settings, smtp_sink):
    """A 550 is not tried again (a 451 is, above); a reminder has no sender to send it again."""
    settings.MAILERS = smtp_sink.mailers
    queue_reminders(today)
    row = reminders(today)[kari]
    smtp_sink.refuse(code=550)

    assert outbox.send(row.pk) is False
    assert outbox.sweep() == 0  # Ola's refused too
    assert outbox.sweep() == 0
    assert smtp_sink.refused == 2 and smtp_sink.messages == []
    row.refresh_from_db()
    assert row.state == "failed" and row.attempts == 1 and row.last_error.startswith("(550")
    assert row.sender is None


def test_beat_runs_the_dispatch_every_morning():
    entry = django_settings.CELERY_BEAT_SCHEDULE["milestone-reminders"]
    assert entry["task"] == dispatch_milestone_reminders.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert django_settings.CELERY_TIMEZONE == "Europe/Oslo"


# --- Two real workers, beat, Redis and an SMTP sink ---------------------------------------------


def test_two_workers_dispatching_twice_send_one_mail_per_person(
    start_worker, smtp_sink, plan, kari, ola, today
):
    env = mail_env(smtp_sink, SITE_URL="https://reorg.amot.kommune.no")
    workers = [start_worker(env, "reminders-1"), start_worker(env, "reminders-2")]
    for worker in workers:
        worker.wait_ready()
    # A slow mail server keeps each reminder locked while the next sweep reaches the other worker.
    smtp_sink.delay = 1
    # Twice, as a beat started twice or a redelivered task would: one reaches each worker, and
    # each writes a reminder for both people.
    dispatch_milestone_reminders.delay()
    dispatch_milestone_reminders.delay()
    wait_until(lambda: len(reminders(today)) == 2, workers, "the reminders in the outbox")
    assert smtp_sink.messages == []  # nothing is sent before beat's sweep

    workers.append(start_worker(env, "beat", beat=True))
    wait_until(
        lambda: {r.state for r in reminders(today).values()} == {"sent"}, workers, "the sends"
    )
    time.sleep(3)  # a duplicate would arrive now

    received = {tuple(r.envelope_to): r for r in smtp_sink.messages}
    assert len(smtp_sink.messages) == 2, worker_logs(workers)
    assert set(received) == {(kari.email,), (ola.email,)}
    assert OutgoingMail.objects.count() == 2
    assert {r.attempts for r in reminders(today).values()} == {1}  # no send was repeated

    to_kari = received[(kari.email,)]
    assert str(to_kari.message["To"]) == "Kjærsti Ødegård <kjaersti.odegard@amot.kommune.no>"
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
