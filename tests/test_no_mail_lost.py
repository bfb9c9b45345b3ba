"""No mail lost, none sent twice, whatever is down: with Redis stopped, publishing a report,
calling a meeting, answering a question and deciding the mandate all answer 302 (a request never
talks to the broker), and once Redis is back each recipient gets exactly one mail; with the mail
server refusing for what stands for ten minutes, every kind of mail the product sends still
arrives exactly once. A real Redis of the test's own, real workers and beat, a real SMTP sink.

"Ten minutes": the workers run with OUTBOX_RETRY_SECONDS=0.5 instead of production's 60, so the
refusal lasts as many backoff steps as ten minutes do in production (0.5 s × 10 for 60 s × 10)."""

import datetime as dt
import shutil
import socket
import subprocess
import time
from collections import Counter

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from consultations import services as consultation_services
from consultations.models import Meeting
from milestones.tasks import dispatch_milestone_reminders
from notifications.models import OutgoingMail
from notifications.outbox import send_digests
from projects import services as project_services
from projects.models import Membership, Project
from reports import periods
from reports import services as report_services
from reports.models import StatusReport

from .factories import (
    UNCONSULTED,
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganisationFactory,
    ProjectFactory,
    QuestionFactory,
    UserFactory,
    WorkstreamFactory,
    forget_notices,
)
from .worker import mail_env, wait_until

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server (CI installs it)"
)
Role = Membership.Role
LIGHTS = {f"{key}_status": "green" for key in
          ("overall", "progress", "economy", "quality", "risk", "benefits")}  # fmt: skip


class PrivateRedis:
    """A Redis server of the test's own, on a free port, that the test stops and starts."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("the test's Redis did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker_redis_url(private_redis):
    return private_redis.url


@pytest.fixture
def scene(transactional_db):
    """A project whose first period has ended: owner, leader, a steering member, a union and a
    safety representative, a workstream; a draft report ready to publish, a meeting to call,
    a question to answer, and a consultation on the mandate only planned."""
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs PostgreSQL (set DATABASE_URL); CI runs it")
    organisation = OrganisationFactory(name="Fjordvik kommune")
    owner = UserFactory(username="eier", organisations=[organisation])
    leader = UserFactory(username="leder", organisations=[organisation])
    project = ProjectFactory(
        organisation=organisation,
        owner=owner,
        leader=leader,
        code="OU-VELFERD",
        start_date=timezone.localdate() - dt.timedelta(days=22),
        last_delivery_date=timezone.localdate() + dt.timedelta(days=200),
        status=Project.Status.ACTIVE,
    )
    people = {"eier": owner, "leder": leader}
    for name, role in (("styring", Role.STEERING), ("tillitsvalgt", Role.UNION_REP),
                       ("verneombud", Role.SAFETY_REP), ("medlem", Role.PROJECT_GROUP)):  # fmt: skip
        people[name] = MembershipFactory(
            project=project, user__username=name, user__organisations=[organisation], role=role,
            union_name="Fagforbundet" if role == Role.UNION_REP else "", by=leader,
        ).user  # fmt: skip
    WorkstreamFactory(project=project, name="Økonomi", lead=people["medlem"], members=[leader])
    report, _made = report_services.create_draft(
        project=project, period=periods.period(project, 1), by=leader
    )
    report_services.save_report(report=report, values=LIGHTS, by=leader)
    meeting = MeetingFactory(
        project=project,
        title="Drøfting av prosjektmandatet",
        participants=[
            {"user": leader, "side": "employer"},
            {"user": people["tillitsvalgt"], "side": "union", "union_name": "Fagforbundet"},
            {"user": people["verneombud"], "side": "safety"},
        ],
        by=leader,
    )
    AgendaItemFactory(meeting=meeting, title="Mandatet", concerns_mandate=True, by=leader)
    question = QuestionFactory(project=project, asked_by=people["medlem"])
    forget_notices()  # the set-up's own (members told of their roles, the draft's notice)
    return {"project": project, "people": people, "report": report, "meeting": meeting,
            "question": question}  # fmt: skip


def received_ids(sink) -> Counter:
    return Counter(m.message["Message-ID"] for m in sink.messages)


def test_with_redis_down_every_request_answers_and_every_mail_arrives_once_it_is_back(
    client, scene, private_redis, start_worker, smtp_sink
):
    project, people = scene["project"], scene["people"]
    private_redis.stop()  # the broker is down: what follows must not need it

    client.force_login(people["leder"])
    responses = [
        client.post(reverse("reports:report_publish", args=[project.pk, 1])),
        client.post(reverse("consultations:meeting_call", args=[project.pk, scene["meeting"].pk])),
        client.post(
            reverse("consultations:question_answer", args=[project.pk, scene["question"].pk]),
            {f"q{scene['question'].pk}-answer": "Alle får vite det innen 1. mars."},
        ),
    ]
    client.force_login(people["eier"])
    responses.append(
        client.post(
            reverse("reports:decide_mandate", args=[project.pk]),
            {
                "beslutt-decided_on": timezone.localdate().isoformat(),
                "beslutt-no_protocol_reason": UNCONSULTED,
            },
        )  # fmt: skip
    )
    assert [r.status_code for r in responses] == [302, 302, 302, 302]
    assert StatusReport.objects.get().is_published
    assert Meeting.objects.get().called_at is not None
    assert project.mandate_versions.count() == 1
    rows = OutgoingMail.objects.all()
    kinds = Counter(rows.values_list("kind", flat=True))
    # The report to the owner and the steering member; the notice to the three invited; the
    # answer to the workstream; the decided mandate to the leader; the reason to both reps.
    assert kinds == {"report.published": 2, "meeting.notice": 1, "question.answered": 1,
                     "mandate.decided": 1, "consultation.gate": 2}  # fmt: skip
    assert not rows.exclude(state="queued").exists()
    assert smtp_sink.messages == []

    private_redis.start()
    env = mail_env(smtp_sink, beat="outbox,documents")
    workers = [start_worker(env, "worker"), start_worker(env, "beat", beat=True)]
    wait_until(
        lambda: not OutgoingMail.objects.exclude(state="sent").exists(), workers, "every mail sent"
    )
    time.sleep(3)  # a few more sweeps: nothing more goes out
    ids = received_ids(smtp_sink)
    assert sorted(ids) == sorted(rows.values_list("message_id", flat=True))
    assert set(ids.values()) == {1}
    # Each recipient has exactly one mail of each.
    per_person = Counter((to, m.subject) for m in smtp_sink.messages for to in m.envelope_to)
    assert set(per_person.values()) == {1}
    report_mail = [m for m in smtp_sink.messages if m.subject.startswith("Statusrapport")]
    assert {to for m in report_mail for to in m.envelope_to} == {
        people["eier"].email,
        people["styring"].email,
    }
    assert all(
        [p.get_content_type() for p in m.message.iter_attachments()] == ["application/pdf"]
        for m in report_mail
    )


def test_with_the_mail_server_refusing_for_ten_minutes_every_kind_arrives_once(
    scene, start_worker, smtp_sink
):
    project, people = scene["project"], scene["people"]
    leader, owner = people["leder"], people["eier"]
    smtp_sink.refuse()  # 451 to everything, until accept()
    env = mail_env(smtp_sink, beat="outbox,documents", OUTBOX_RETRY_SECONDS="0.5")
    workers = [start_worker(env, "worker"), start_worker(env, "beat", beat=True)]

    # Every kind of mail the product sends.
    newcomer = UserFactory(username="ny", organisations=[project.organisation])
    project_services.add_member(project=project, user=newcomer, role=Role.OBSERVER, by=leader)
    project_services.submit_mandate(project=project, message="Klar.", by=leader)
    project_services.return_mandate(project=project, comment="Mål må kunne måles.", by=owner)
    report_services.decide_mandate(project=project, by=owner, no_protocol_reason=UNCONSULTED)
    report_services.publish(report=scene["report"], by=leader)
    meeting = scene["meeting"]
    consultation_services.call_meeting(meeting=meeting, by=leader)
    other = MeetingFactory(
        project=project, participants=[{"user": people["tillitsvalgt"], "side": "union"}],
        by=leader,
    )  # fmt: skip
    consultation_services.call_meeting(meeting=other, by=leader)
    consultation_services.cancel_meeting(meeting=other, by=leader)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    present = [leader, people["tillitsvalgt"], people["verneombud"]]
    consultation_services.mark_held(
        meeting=meeting, present_user_ids=[u.pk for u in present], by=leader
    )
    consultation_services.send_for_approval(meeting=meeting, by=leader)
    consultation_services.request_correction(
        meeting=meeting, comment="Sak 1 mangler uenigheten.", by=people["tillitsvalgt"]
    )
    consultation_services.send_for_approval(meeting=meeting, by=leader)
    for user in present:
        consultation_services.confirm(meeting=meeting, by=user)
    consultation_services.answer(question=scene["question"], text="Innen 1. mars.", by=leader)
    report_services.save_decision_request(
        request=project.decision_requests.model(project=project, title="Ny struktur",
                                                question="vedta den"),
        by=leader,
    )  # fmt: skip
    MilestoneFactory(project=project, code="M1", responsible=people["medlem"],
                     due_date=timezone.localdate())  # fmt: skip
    dispatch_milestone_reminders()
    people["styring"].daily_digest = True
    people["styring"].save()
    report_services.save_decision_request(
        request=project.decision_requests.model(project=project, title="Budsjett",
                                                question="vedta det"),
        by=leader,
    )  # fmt: skip
    send_digests(timezone.localdate())

    kinds = set(OutgoingMail.objects.values_list("kind", flat=True))
    assert kinds >= {
        "member.roles", "mandate.submitted", "mandate.returned", "mandate.decided",
        "consultation.gate", "report.published", "meeting.notice", "meeting.cancelled",
        "protocol.sent", "protocol.correction", "protocol.approved", "question.answered",
        "decision.request", "milestones.reminder", "digest",
    }  # fmt: skip

    # Ten minutes' worth of refusals, in backoff steps: every mail refused at least twice. Waited
    # for, not slept: on a busy machine the first sends come late.
    wait_until(
        lambda: not OutgoingMail.objects.filter(state="queued", attempts__lt=2).exists(),
        workers,
        "every mail refused twice",
    )
    assert smtp_sink.messages == [] and smtp_sink.refused > 0
    smtp_sink.accept()
    to_send = OutgoingMail.objects.filter(state__in=["queued", "sent"])
    wait_until(
        lambda: not OutgoingMail.objects.filter(state="queued").exists(), workers, "every mail"
    )
    time.sleep(3)
    ids = received_ids(smtp_sink)
    assert sorted(ids) == sorted(to_send.values_list("message_id", flat=True))
    assert set(ids.values()) == {1}  # each exactly once
    assert not OutgoingMail.objects.filter(state="failed").exists()
    assert OutgoingMail.objects.filter(state="sent", attempts__gt=1).exists()
    approved = [m for m in smtp_sink.messages if m.subject.startswith("Godkjent protokoll")]
    assert [p.get_content_type() for p in approved[0].message.iter_attachments()] == [
        "application/pdf"
    ]
