"""Status reports on the three-week cycle: periods and working days, the draft compiled from the
data, the leader's statuses, publishing (frozen, PDF, one mail with it per steering member,
through the outbox), what changed since the previous report, and who sees what."""

import datetime as dt
import io
from email.utils import parseaddr

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consultations.models import Meeting
from milestones.models import Milestone
from notifications import outbox
from notifications.models import OutgoingMail
from projects import services as project_services
from projects.models import Benefit, Membership, Project
from reports import cycle, periods, services
from reports.models import DecisionRequest, StatusReport
from reports.tasks import dispatch_due_reports, store_frozen_documents

from .factories import (
    ActivityFactory,
    BenefitFactory,
    BenefitMeasurementFactory,
    EmployeeFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    RiskFactory,
    StatusReportFactory,
    UserFactory,
)
from .test_queries import REQUEST  # what every page costs: session and user

Role = Membership.Role


def today():
    return timezone.localdate()


ALL_GREEN = {
    f"{key}_status": "green"
    for key in ("overall", "progress", "economy", "quality", "risk", "benefits")
}


# --- Periods and working days -------------------------------------------------------------------


def test_periods_follow_the_start_date_and_interval():
    project = Project(start_date=dt.date(2026, 1, 5), report_interval_days=21)
    first, third = periods.period(project, 1), periods.period(project, 3)
    assert (first.start, first.end) == (dt.date(2026, 1, 5), dt.date(2026, 1, 25))
    assert (third.start, third.end) == (dt.date(2026, 2, 16), dt.date(2026, 3, 8))
    assert periods.latest_ended(project, dt.date(2026, 1, 25)) is None
    assert periods.latest_ended(project, dt.date(2026, 1, 26)).number == 1
    assert periods.current(project, dt.date(2026, 1, 26)).number == 2
    assert periods.current(project, dt.date(2026, 1, 4)) is None


def test_reporting_stops_with_the_period_of_the_last_delivery():
    project = Project(
        start_date=dt.date(2026, 1, 5),
        report_interval_days=21,
        last_delivery_date=dt.date(2026, 2, 20),  # in period 3
    )
    assert periods.latest_ended(project, dt.date(2027, 1, 1)).number == 3
    assert periods.current(project, dt.date(2027, 1, 1)) is None


@pytest.mark.parametrize(
    ("period_end", "deadline"),
    [
        (dt.date(2026, 11, 18), dt.date(2026, 11, 23)),  # Wednesday: Thu, Fri, Mon
        (dt.date(2026, 11, 20), dt.date(2026, 11, 25)),  # Friday: Mon, Tue, Wed
        # Easter 2026 is 5 April: Maundy Thursday, Good Friday and Easter Monday are holidays.
        (dt.date(2026, 4, 1), dt.date(2026, 4, 9)),
        (dt.date(2026, 5, 13), dt.date(2026, 5, 19)),  # Ascension 14 May; 17 May is a Sunday
        (dt.date(2026, 12, 23), dt.date(2026, 12, 29)),  # 24th counts, 25th and 26th do not
    ],
)
def test_a_report_is_due_three_working_days_after_its_period(period_end, deadline):
    assert periods.add_working_days(period_end, 3) == deadline
    late_period = periods.Period(1, period_end - dt.timedelta(days=20), period_end)
    assert not late_period.is_late(deadline)
    assert late_period.is_late(deadline + dt.timedelta(days=1))


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def active(organisation, owner, leader):
    """A project whose first period ended yesterday: 21 days from 22 days ago."""
    return ProjectFactory(
        organisation=organisation,
        owner=owner,
        leader=leader,
        code="OU-TEST",
        name="OU-prosjekt Velferd",
        start_date=today() - dt.timedelta(days=22),
        last_delivery_date=today() + dt.timedelta(days=200),
        status=Project.Status.ACTIVE,
    )


@pytest.fixture
def board(active, leader):
    """The steering group: the owner (a member by the project) and two more, one of them a union
    representative; and someone without an address."""
    people = {}
    for name, role in [("kdg", Role.STEERING), ("kdl", Role.STEERING), ("hr", Role.HR)]:
        people[name] = MembershipFactory(
            project=active, user__username=name, role=role, by=leader
        ).user
    people["tillitsvalgt"] = MembershipFactory(
        project=active, user__username="tillitsvalgt", role=Role.UNION_REP, by=leader
    ).user
    MembershipFactory(project=active, user=people["tillitsvalgt"], role=Role.STEERING, by=leader)
    people["uten"] = MembershipFactory(
        project=active, user__username="uten", user__email="", role=Role.STEERING, by=leader
    ).user
    return people


@pytest.fixture
def plan(active, leader):
    """Milestones reached, missed and due; activities done and next; a risk and a benefit."""
    period = periods.period(active, 1)
    MilestoneFactory(
        project=active,
        code="M1",
        due_date=period.start + dt.timedelta(days=5),
        status="reached",
        reached_on=period.start + dt.timedelta(days=6),
        by=leader,
    )
    missed, next_period, later = (period.end + dt.timedelta(days=d) for d in (-2, 10, 60))
    MilestoneFactory(project=active, code="M2", due_date=missed, by=leader)
    MilestoneFactory(project=active, code="M3", due_date=next_period, by=leader)
    MilestoneFactory(project=active, code="M4", due_date=later, by=leader)
    ActivityFactory(
        project=active,
        title="Kartlagt oppgaver",
        status="done",
        done_on=period.end - dt.timedelta(days=1),
    )
    ActivityFactory(
        project=active, title="Drøfte forslaget", due_date=period.end + dt.timedelta(days=7)
    )
    RiskFactory(
        project=active, title="Nøkkelpersoner slutter", probability=4, consequence=5, by=leader
    )
    benefit = BenefitFactory(
        project=active, order=1, title="Kortere ventetid", unit="dager", baseline="30", target="14"
    )
    BenefitMeasurementFactory(
        benefit=benefit, measured_on=period.end - dt.timedelta(days=3), value="21"
    )
    # Names no factory makes up: UserFactory draws real Norwegian names, Sigrid among them.
    EmployeeFactory(
        project=active, first_name="Skjultfornavn", last_name="Hemmelig", employee_number="1001"
    )
    return period  # fmt: skip


def make_draft(project):
    report, created = services.create_draft(project=project, period=periods.period(project, 1))
    assert created
    return report


def settle():
    """Send what the set-up queued (the members told of their roles), and forget it."""
    outbox.sweep()
    mail.outbox.clear()


def draft_told(project):
    """The first period's draft, and the leader's notice of it sent (nothing is committed in
    these tests: the sweep sends it), so that the outbox holds nothing else."""
    settle()
    report = make_draft(project)
    assert outbox.sweep() == 1
    return report


def publish_first(project, leader):
    """The first period's report, published; its mail is written to the outbox, and sent only
    after a commit or by a sweep."""
    report = draft_told(project)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    return services.publish(report=report, by=leader)


def report_messages():
    """What Django's outbox got of the published report's mail."""
    return [m for m in mail.outbox if m.subject.startswith("Statusrapport")]


def mailbox(user) -> str:
    return f"{user.get_full_name()} <{user.email}>"


def report_mails():
    return OutgoingMail.objects.filter(kind="report.published")


# --- The draft ------------------------------------------------------------------------------------


def test_the_dispatch_makes_each_due_draft_once_and_reminds_the_leader(
    active, plan, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_reports() == 1
        assert dispatch_due_reports() == 0

    report = StatusReport.objects.get(project=active)
    assert (report.number, report.period_start, report.period_end) == (1, plan.start, plan.end)
    assert report.state == StatusReport.State.DRAFT
    (message,) = mail.outbox
    assert message.to == [mailbox(leader)]
    assert message.subject == "Utkast til statusrapport 1 for OU-TEST er klart"
    assert f"/prosjekter/{active.pk}/statusrapporter/1/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        cycle.notify_draft_ready(report)  # once
    assert len(mail.outbox) == 1
    (row,) = OutgoingMail.objects.filter(kind="report.draft")
    assert row.key == f"draft:{report.pk}:{leader.pk}" and row.state == "sent"
    record = report.history.get()
    assert record.history_user == leader
    assert record.history_change_reason == "Utkast laget fra prosjektets data"


def test_no_draft_before_a_period_ends_or_for_a_project_not_active(
    active, organisation, owner, leader
):
    ProjectFactory(organisation=organisation, owner=owner, leader=leader, code="NY", start_date=today() - dt.timedelta(days=20), status=Project.Status.ACTIVE)  # fmt: skip
    ProjectFactory(organisation=organisation, owner=owner, leader=leader, code="UTKAST", start_date=today() - dt.timedelta(days=100))  # fmt: skip
    assert dispatch_due_reports() == 1
    assert list(StatusReport.objects.values_list("project__code", flat=True)) == ["OU-TEST"]


def test_a_second_report_for_a_period_is_impossible(active):
    make_draft(active)
    again, created = services.create_draft(project=active, period=periods.period(active, 1))
    assert not created and StatusReport.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.create(
            project=active, number=1, period_start=again.period_start, period_end=again.period_end
        )


def test_the_draft_is_compiled_from_the_data(active, plan, board, leader):
    report = make_draft(active)
    data = report.data
    ms = data["milestones"]
    assert [m["code"] for m in ms["reached"]] == ["M1"]
    assert [m["code"] for m in ms["missed"]] == ["M2"]
    assert [m["code"] for m in ms["next"]] == ["M3"]
    assert (ms["total"], ms["reached_total"]) == (4, 1)
    assert data["activities"]["done_count"] == 1 and data["activities"]["next_count"] == 1
    assert [r["title"] for r in data["risks"]] == ["Nøkkelpersoner slutter"]
    assert data["risks"][0]["level"] == "high"
    (benefit,) = data["benefits"]
    assert (benefit["value"], benefit["baseline"], benefit["target"]) == ("21", "30", "14")
    assert data["placements"]["total"] == 1 and data["placements"]["decided"] == 0


# --- The leader's part ----------------------------------------------------------------------------


def test_the_leader_sets_statuses_and_text(client, active, plan, board, leader):
    report = make_draft(active)
    client.force_login(leader)
    url = reverse("reports:report", args=[active.pk, 1])
    response = client.post(
        url,
        {**ALL_GREEN, "economy_status": "yellow", "economy_comment": "Overtid i juni.",
         "achieved": "Kartlagt alle oppgaver."},
    )  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.economy_status == "yellow" and report.achieved == "Kartlagt alle oppgaver."
    assert report.history.first().history_user == leader


def test_a_bad_light_is_refused_in_norwegian(client, active, plan, leader):
    report = make_draft(active)
    client.force_login(leader)
    response = client.post(
        reverse("reports:report", args=[active.pk, 1]), {"overall_status": "blue"}
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    report.refresh_from_db()
    assert report.overall_status == ""


def test_the_steering_group_reads_but_does_not_write(client, active, plan, board, leader):
    report = make_draft(active)
    client.force_login(board["kdg"])
    url = reverse("reports:report", args=[active.pk, 1])
    # A draft is the leader's until it is published: not in the list, 404 on its own.
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:report_pdf", args=[active.pk, 1])).status_code == 404
    assert (
        "Rapport 1" not in client.get(reverse("reports:reports", args=[active.pk])).content.decode()
    )
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    services.publish(report=report, by=leader)
    body = client.get(url).content.decode()
    assert "Statusrapport 1" in body and "Lagre rapporten" not in body
    assert client.post(url, ALL_GREEN).status_code == 403
    assert client.post(reverse("reports:report_publish", args=[active.pk, 1])).status_code == 403


def test_someone_outside_the_project_gets_404(client, active, plan, outsider, organisation):
    make_draft(active)
    colleague = UserFactory(organisations=[organisation])  # same municipality, not a member
    for user in (outsider, colleague):
        client.force_login(user)
        for name in ("reports:report", "reports:report_pdf"):
            assert client.get(reverse(name, args=[active.pk, 1])).status_code == 404
        assert client.get(reverse("reports:reports", args=[active.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("reports:report", args=[active.pk, 99])).status_code == 404


# --- Publishing -----------------------------------------------------------------------------------


def test_a_report_without_every_status_is_not_published(client, active, plan, board, leader):
    report = make_draft(active)
    services.save_report(report=report, values={"overall_status": "green"}, by=leader)
    client.force_login(leader)
    response = client.post(reverse("reports:report_publish", args=[active.pk, 1]), follow=True)
    assert "Mangler: Fremdrift, Økonomi, Kvalitet, Risiko, Gevinster." in response.content.decode()
    report.refresh_from_db()
    assert report.state == "draft" and not report.pdf
    assert not report_mails().exists() and mail.outbox == []


def test_publishing_freezes_stores_the_pdf_and_mails_each_steering_member_once(
    client, active, plan, board, owner, leader, django_capture_on_commit_callbacks
):
    report = draft_told(active)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_publish", args=[active.pk, 1]), follow=True)
    assert "Rapporten er publisert" in response.content.decode()

    report.refresh_from_db()
    assert report.state == "published" and report.published_by == leader
    assert report.pdf.name.endswith(".pdf")
    recipients = [owner, board["kdg"], board["kdl"], board["tillitsvalgt"]]
    # Each their own mail, To them by name: not hr, not the one without an address.
    assert sorted(m.to for m in report_messages()) == sorted([mailbox(u)] for u in recipients)
    for message in report_messages():
        assert message.subject == "Statusrapport 1 for OU-TEST: samlet status grønn"
        ((filename, content, mimetype),) = message.attachments
        assert (filename, mimetype) == ("statusrapport-ou-test-01.pdf", "application/pdf")
        assert content == report.pdf.open("rb").read()  # the stored PDF
        assert content.startswith(b"%PDF")
    assert {m.extra_headers["Message-ID"] for m in report_messages()} == {
        f"<statusrapport-{report.pk}-{u.pk}@127.0.0.1>" for u in recipients
    }
    assert sorted((d.recipient.pk, d.state) for d in cycle.deliveries(report)) == sorted(
        (u.pk, "sent") for u in recipients
    )

    # Sent is sent: sent again, or written again, nothing more goes.
    for delivery in cycle.deliveries(report):
        assert outbox.send(delivery.pk) is False
    cycle.queue_deliveries(report, recipients, by=leader)
    assert report_mails().count() == 4 and outbox.sweep() == 0
    assert len(report_messages()) == 4

    # Frozen: no more edits, no second publishing, and the figures stay as published.
    with pytest.raises(Exception, match="publisert"):
        services.save_report(report=report, values={"overall_status": "red"}, by=leader)
    Milestone.objects.filter(code="M2").update(status="reached", reached_on=today())
    assert client.get(reverse("reports:report", args=[active.pk, 1])).status_code == 200
    report.refresh_from_db()
    assert [m["code"] for m in report.data["milestones"]["missed"]] == ["M2"]
    assert report.history.first().history_change_reason == "Publisert og sendt til styringsgruppen"


def test_the_pdf_holds_every_section_the_matrix_and_the_decision_requests(
    client, active, plan, board, leader
):
    report = make_draft(active)
    client.force_login(leader)
    response = client.post(
        reverse("reports:report_decision_request", args=[active.pk, 1]),
        {"ny-title": "Ny ledelsesstruktur", "ny-question": "Vedta tre kommunalsjefer."},
    )
    assert response.status_code == 302
    assert DecisionRequest.objects.get().report == report
    services.save_report(
        report=report,
        values={**ALL_GREEN, "risk_status": "red", "risk_comment": "Nøkkelpersoner vurderer å slutte.",
                "achieved": "Alle ansatte er kartlagt.", "planned": "Drøftingsmøte med de tillitsvalgte.",
                "challenges": "Kapasitet i HR."},
        by=leader,
    )  # fmt: skip
    services.publish(report=report, by=leader)
    assert not StatusReport.objects.get(pk=report.pk).pdf  # stored by the task, after the commit
    report = cycle.ensure_pdf(report.pk)
    assert cycle.ensure_pdf(report.pk).pdf.name == report.pdf.name  # once
    text = " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(report.pdf.read())).pages
    )
    text = " ".join(text.split())
    for heading in ("Samlet status", "Fremdrift", "Økonomi", "Kvalitet", "Risiko", "Gevinster",
                    "Oppnådd siste periode", "Planlagt neste periode", "Utfordringer",
                    "Milepæler", "Aktiviteter", "Medbestemmelse", "Innplassering",
                    "Beslutningssaker til styringsgruppen"):  # fmt: skip
        assert heading in text, heading
    assert "Nøkkelpersoner vurderer å slutte." in text and "Rød" in text
    assert "Konsekvens" in text and "R1" in text  # the matrix
    assert "Ny ledelsesstruktur" in text and "Vedta tre kommunalsjefer." in text
    assert "Kortere ventetid" in text and "21 dager" in text
    assert "Hemmelig" not in text and "Skjultfornavn" not in text  # placements are counts only


def test_the_union_rep_on_the_steering_group_sees_the_report_but_no_personal_data(
    client, active, plan, board, leader
):
    report = make_draft(active)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    services.publish(report=report, by=leader)
    client.force_login(board["tillitsvalgt"])
    body = client.get(reverse("reports:report", args=[active.pk, 1])).content.decode()
    assert "Statusrapport 1" in body
    assert "Hemmelig" not in body and "Skjultfornavn" not in body
    assert "0 av 1 ansatte er innplassert" in body
    # Rendered from the frozen data until the task has stored it, then the stored file.
    assert client.get(reverse("reports:report_pdf", args=[active.pk, 1])).content[:4] == b"%PDF"
    cycle.ensure_pdf(report.pk)
    pdf = client.get(reverse("reports:report_pdf", args=[active.pk, 1]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_what_changed_since_the_previous_report(client, active, plan, board, leader):
    first = make_draft(active)
    services.save_report(report=first, values=ALL_GREEN, by=leader)
    services.publish(report=first, by=leader)
    # Period 2, as if it had ended: a milestone reached, one moved, one new, economy yellow.
    Milestone.objects.filter(code="M2").update(status="reached", reached_on=today())
    Milestone.objects.filter(code="M4").update(due_date=today() + dt.timedelta(days=90))
    MilestoneFactory(project=active, code="M5", title="Milepæl M5", due_date=today())
    second = StatusReportFactory(project=active, number=2)
    services.refresh_draft(report=second, by=leader)
    services.save_report(report=second, values={**ALL_GREEN, "economy_status": "yellow"}, by=leader)
    client.force_login(leader)
    url = reverse("reports:report", args=[active.pk, 2])
    draft = client.get(url).content.decode()
    services.publish(report=second, by=leader)
    published = client.get(url).content.decode()  # compared with what it was when published
    for body in (draft, published):
        assert "Endringer siden rapport 1" in body
        assert "Økonomi: Grønn → Gul" in body
        assert "M2 Milepæl M2: Planlagt → Nådd" in body
        assert "M5 Milepæl M5: ny milepæl" in body
        assert "M4 Milepæl M4: ny dato" in body
    assert StatusReport.objects.get(pk=second.pk).data["previous_number"] == 1


def test_the_list_flags_a_late_report(client, active, board, organisation, owner, leader):
    old = ProjectFactory(
        organisation=organisation, owner=owner, leader=leader, code="GAMMEL",
        start_date=today() - dt.timedelta(days=40), status=Project.Status.ACTIVE,
    )  # fmt: skip
    services.create_draft(project=old, period=periods.period(old, 1))  # ended 19 days ago
    client.force_login(leader)
    body = client.get(reverse("reports:reports", args=[old.pk])).content.decode()
    assert "Forsinket" in body
    body = client.get(reverse("reports:reports", args=[active.pk])).content.decode()
    assert "Lag utkast nå" in body  # period 1 ended yesterday, no draft yet
    response = client.post(reverse("reports:report_create", args=[active.pk]))
    assert response.status_code == 302 and StatusReport.objects.filter(project=active).count() == 1


def test_someone_who_left_the_steering_group_gets_nothing(
    client, active, plan, board, leader, django_capture_on_commit_callbacks
):
    report = draft_told(active)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(report=report, by=leader)
        # Removed between publishing and the send (the sends run after the commit).
        Membership.objects.filter(user=board["kdl"]).delete()
        project_services.sync_permissions(project=active, user=board["kdl"])
    assert len(report_messages()) == 3
    assert board["kdl"].email not in [parseaddr(m.to[0])[1] for m in report_messages()]
    delivery = report_mails().get(recipient=board["kdl"])
    assert delivery.state == "cancelled" and delivery.sent_at is None
    assert outbox.sweep() == 0  # nor later
    client.force_login(leader)
    body = client.get(reverse("reports:report", args=[active.pk, 1])).content.decode()
    assert f"{board['kdl'].get_full_name()}: ikke sendt: ikke lenger i styringsgruppen" in body


def test_someone_who_left_the_steering_group_for_another_role_gets_nothing_either(
    active, plan, board, leader
):
    report = draft_told(active)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    services.publish(report=report, by=leader)  # the sends run below, not after a commit
    kdl = board["kdl"]
    MembershipFactory(project=active, user=kdl, role=Membership.Role.OBSERVER, by=leader)
    project_services.remove_member(
        membership=Membership.objects.get(project=active, user=kdl, role="steering"), by=leader
    )
    outbox.sweep()
    assert kdl.email not in [parseaddr(m.to[0])[1] for m in report_messages()]
    assert report_mails().get(recipient=kdl).state == "cancelled"


def test_a_mailbox_refused_for_good_shows_on_the_report_page_for_the_leader_who_resends_it(
    client, active, plan, board, owner, leader, settings, smtp_sink,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    report = publish_first(active, leader)  # the sends run below, not after a commit
    settings.MAILERS = smtp_sink.mailers
    refused = report_mails().get(recipient=board["kdg"])
    smtp_sink.refuse(1, code=550)

    assert outbox.send(refused.pk) is False
    assert outbox.sweep() == 3  # the others
    assert outbox.sweep() == 0  # refused for good: not tried again by itself
    refused.refresh_from_db()
    assert refused.state == "failed" and refused.failed_at is not None
    assert refused.attempts == 1 and refused.last_error.startswith("(550")
    assert refused.sender == leader

    url = reverse("reports:report", args=[active.pk, 1])
    resend = reverse("notifications:resend", args=[refused.pk])
    client.force_login(leader)
    body = client.get(url).content.decode()
    assert f"{board['kdg'].get_full_name()}: ikke sendt (1 forsøk): (550" in body
    assert f'action="{resend}"' in body
    assert f"{board['kdl'].get_full_name()}: sendt " in body
    # Anyone else, the one it was for or the owner (who sees the list too), neither sees the
    # button nor may press it.
    for other in (board["kdg"], owner):
        client.force_login(other)
        body = client.get(url).content.decode()
        assert resend not in body
        assert client.post(resend, {"next": url}).status_code == 404
    assert f"{board['kdg'].get_full_name()}: ikke sendt (1 forsøk)" in body  # the owner's
    refused.refresh_from_db()
    assert refused.state == "failed"

    client.force_login(leader)
    assert client.get(resend).status_code == 405  # a POST only
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, {"next": url}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "sendes på nytt" in response.content.decode()
    received = [r for r in smtp_sink.wait_for(4) if r.envelope_to == [board["kdg"].email]]
    assert len(received) == 1
    assert (
        received[0].message["Message-ID"]
        == f"<statusrapport-{report.pk}-{board['kdg'].pk}@127.0.0.1>"
    )
    refused.refresh_from_db()
    assert refused.state == "sent" and refused.message_id == received[0].message["Message-ID"]
    assert outbox.sweep() == 0 and len(smtp_sink.messages) == 4


# --- Queries --------------------------------------------------------------------------------------

# + project, permissions, the reports with who published them
REPORT_LIST_QUERIES = REQUEST + 2 + 1
# + project, permissions, the report (+ the one it is compared with, when there is one); for the
# leader of a draft the latest published one before it, whether the project has benefits to
# measure, the choices of the measurement form and the agenda items a new decision request may
# have been consulted in
REPORT_QUERIES_STEERING = REQUEST + 2 + 1
REPORT_QUERIES_LEADER = REQUEST + 2 + 2 + 2 + 1


@pytest.mark.usefixtures("nothing_cached")
@pytest.mark.parametrize("size", [2, 40])
def test_report_pages_make_the_same_number_of_queries_at_any_size(
    client, active, board, leader, django_assert_num_queries, size
):
    Milestone.objects.bulk_create(
        MilestoneFactory.build(project=active, code=f"M{i}", due_date=today()) for i in range(size)
    )
    Benefit.objects.bulk_create(
        BenefitFactory.build(project=active, order=i, title=f"Gevinst {i}") for i in range(1, size)
    )
    report = make_draft(active)
    services.save_report(report=report, values=ALL_GREEN, by=leader)
    services.publish(report=report, by=leader)
    StatusReport.objects.bulk_create(
        StatusReportFactory.build(project=active, number=n, period_start=today(), period_end=today(),
                                  state="published", published_at=timezone.now(), data=report.data)
        for n in range(2, size + 2)
    )  # fmt: skip
    last = StatusReportFactory(
        project=active, number=size + 2, period_start=today(), period_end=today(), data=report.data
    )
    client.force_login(board["kdg"])
    with django_assert_num_queries(REPORT_LIST_QUERIES):
        assert client.get(reverse("reports:reports", args=[active.pk])).status_code == 200
    with django_assert_num_queries(REPORT_QUERIES_STEERING):
        assert client.get(reverse("reports:report", args=[active.pk, 1])).status_code == 200
    client.force_login(leader)
    with django_assert_num_queries(REPORT_QUERIES_LEADER):
        response = client.get(reverse("reports:report", args=[active.pk, last.number]))
        assert response.status_code == 200


# --- What the review asked for -------------------------------------------------------------------


def test_meetings_are_counted_not_named(client, active, plan, board, leader):
    """Meetings are visible only to those invited; the report goes to every member."""
    held_at = timezone.make_aware(dt.datetime.combine(plan.end - dt.timedelta(days=2), dt.time(10)))
    MeetingFactory(
        project=active, kind=Meeting.Kind.NEGOTIATION, title="Forhandling om Skjultfornavn Hemmeligs stilling",
        starts_at=held_at, ends_at=held_at + dt.timedelta(hours=1), status=Meeting.Status.HELD,
    )  # fmt: skip
    report = make_draft(active)
    assert report.data["meetings"]["negotiation"] == 1
    client.force_login(leader)
    body = client.get(reverse("reports:report", args=[active.pk, 1])).content.decode()
    assert "Hemmelig" not in body and "Forhandlingsmøte" in body


def test_a_changed_interval_does_not_make_an_overlapping_report(active, leader):
    make_draft(active)  # 22 days ago to yesterday
    Project.objects.filter(pk=active.pk).update(report_interval_days=7)
    # Period 3 of 7 days (8 to 2 days ago) lies inside report 1: not due.
    assert cycle.due_periods(today()) == []


def test_beats_sweeps_send_and_store_what_no_commit_did(active, plan, board, leader):
    """With a broker nothing runs after the commit: beat's sweeps store the PDF and send."""
    report = publish_first(active, leader)  # nothing committed here: nothing sent or stored
    assert report_mails().filter(state="queued").count() == 4 and report_messages() == []
    assert store_frozen_documents() == 1
    report.refresh_from_db()
    assert report.pdf
    assert store_frozen_documents() == 0
    assert outbox.sweep() == 4
    assert outbox.sweep() == 0
    assert len(report_messages()) == 4
    assert not report_mails().exclude(state="sent").exists()
    ids = {m.extra_headers["Message-ID"] for m in report_messages()}
    assert len(ids) == 4 and all(i.startswith(f"<statusrapport-{report.pk}-") for i in ids)
    assert {m.attachments[0][1] for m in report_messages()} == {report.pdf.open("rb").read()}
