"""Close-out and benefits realisation (issue 16): the final report drafted from the data,
completed and published by the leader (frozen, PDF, mailed to the steering group through the
outbox, the project closed, once); lessons learned searched across the organisation's projects
that the user may see; benefits with an owner in the line who measures them after the close
without being a member, reminded once per planned occasion; role walks with 404/403, and a fixed
number of queries per page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations.models import AgendaItem, Meeting
from core.mail import mailbox
from notifications import outbox
from notifications.models import OutgoingMail
from projects import benefits as plan
from projects import services as project_services
from projects.models import Benefit, BenefitMeasurement, Lesson, Membership, Project
from projects.reminders import queue_benefit_reminders
from reports import services, worklist
from reports.models import FinalReport, Light, StatusReport

from .factories import (
    BenefitFactory,
    BenefitMeasurementFactory,
    GoalFactory,
    MilestoneFactory,
    ProjectFactory,
    UserFactory,
)

Role = Membership.Role
TODAY = timezone.localdate()


@pytest.fixture
def active(project):
    Project.objects.filter(pk=project.pk).update(
        status=Project.Status.ACTIVE, start_date=TODAY - dt.timedelta(days=200)
    )
    project.refresh_from_db()
    return project


@pytest.fixture
def line_owner(organisation):
    """A unit leader in the line organisation who owns a benefit, not a member of the project."""
    return UserFactory(username="enhetsleder", first_name="Gunn", organisations=[organisation])


@pytest.fixture
def benefit(active, leader, line_owner):
    benefit = BenefitFactory(
        project=active, title="Kortere ventetid", baseline="30", target="14", unit="dager"
    )
    return project_services.set_benefit_plan(
        benefit=benefit,
        owner_user=line_owner,
        measure_from=TODAY - dt.timedelta(days=60),
        measure_every_months=3,
        measure_until=TODAY + dt.timedelta(days=400),
        by=leader,
    )


# --- The plan, pure ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", Decimal("12")),
        ("12,5", Decimal("12.5")),
        ("80 %", Decimal("80")),
        ("1 200 kr", Decimal("1200")),
        ("−3", Decimal("-3")),
        ("cirka 12", None),
        ("", None),
        ("9" * 30, None),
        ("١٢", None),
    ],
)
def test_a_value_is_read_as_a_number_where_it_is_one(text, number):
    assert plan.parse_number(text) == number


def test_occasions_every_so_many_months_until_the_end_and_the_next_one_due():
    days = plan.occasions(dt.date(2026, 1, 31), 1, dt.date(2026, 4, 30))
    assert days == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31),
                    dt.date(2026, 4, 30)]  # fmt: skip
    assert plan.occasions(dt.date(2026, 1, 1), None, dt.date(2027, 1, 1)) == [
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
    ]
    assert plan.next_due(days, None) == dt.date(2026, 1, 31)
    # Measured a little early meets the occasion; every earlier one too.
    assert plan.next_due(days, dt.date(2026, 3, 20)) == dt.date(2026, 4, 30)
    assert plan.next_due(days, dt.date(2026, 4, 30)) is None


# --- Benefits: the plan and the measurements -----------------------------------------------------


def test_the_plan_sets_the_next_measurement_and_a_measurement_moves_it_on(benefit, line_owner):
    assert benefit.next_measurement_on == TODAY - dt.timedelta(days=60)
    measurement = project_services.record_benefit_measurement(
        measurement=BenefitMeasurement(benefit=benefit, measured_on=TODAY, value="21 dager"),
        by=line_owner,
    )
    assert measurement.number == Decimal("21") and measurement.recorded_by == line_owner
    benefit.refresh_from_db()
    assert benefit.next_measurement_on == plan.add_months(TODAY - dt.timedelta(days=60), 3)
    assert benefit.history.first().history_user == line_owner


def test_a_benefit_owner_outside_the_organisation_and_a_plan_out_of_order_are_refused(
    active, leader, outsider
):
    benefit = BenefitFactory(project=active)
    with pytest.raises(ValidationError) as refused:
        project_services.set_benefit_plan(benefit=benefit, owner_user=outsider, measure_from=None,
                                          measure_every_months=None, measure_until=None, by=leader)  # fmt: skip
    assert "organisasjon" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        project_services.set_benefit_plan(
            benefit=benefit, owner_user=None, measure_from=TODAY,
            measure_every_months=None, measure_until=TODAY - dt.timedelta(days=1), by=leader,
        )  # fmt: skip
    assert "Siste måling kan ikke være før første måling." in str(refused.value)


def close(project, leader):
    GoalFactory(project=project, text="Ny organisering er vedtatt")
    services.save_final_report(
        project=project, values={"summary": "Prosjektet nådde målene."}, goal_results={},
        by=leader,
    )  # fmt: skip
    return services.publish_final_report(project=project, by=leader)


def test_the_benefit_owner_measures_after_the_close_without_being_a_member(
    client, benefit, leader, line_owner
):
    close(benefit.project, leader)
    client.force_login(line_owner)
    page = client.get(reverse("projects:benefit", args=[benefit.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kortere ventetid" in body and "Prosjektet er avsluttet" in body
    # Not a member: none of the project's own pages.
    assert client.get(reverse("reports:overview", args=[benefit.project_id])).status_code == 404
    response = client.post(
        reverse("projects:benefit_measure", args=[benefit.pk]),
        {"maling-measured_on": TODAY.isoformat(), "maling-value": "18", "maling-comment": ""},
    )
    assert response.status_code == 302
    measurement = BenefitMeasurement.objects.get(benefit=benefit)
    assert measurement.value == "18" and measurement.recorded_by == line_owner
    page = client.get(reverse("projects:benefit", args=[benefit.pk])).content.decode()
    assert "<svg" in page and "18 dager, " in page  # the point's title in the chart
    # The plan is the leadership's.
    plan_url = reverse("projects:benefit_plan", args=[benefit.pk])
    assert client.post(plan_url, {}).status_code == 403


def test_the_role_walk_of_a_benefit(client, benefit, leader, owner, line_owner, outsider,
                                    member_with_role, organisation):  # fmt: skip
    steering = member_with_role(Role.STEERING)
    colleague = UserFactory(organisations=[organisation])  # same organisation, no link
    other = BenefitFactory(project=benefit.project, title="Annen gevinst")
    page = reverse("projects:benefit", args=[benefit.pk])
    measure = reverse("projects:benefit_measure", args=[benefit.pk])
    data = {"maling-measured_on": TODAY.isoformat(), "maling-value": "20"}
    for user, seen, may_measure in [
        (outsider, 404, 404),
        (colleague, 404, 404),
        (steering, 200, 403),
        (owner, 200, 302),
        (leader, 200, 302),
        (line_owner, 200, 302),
    ]:
        client.force_login(user)
        assert client.get(page).status_code == seen, user
        assert client.post(measure, data).status_code == may_measure, user
    # The line owner sees the benefits they own, not the project's others.
    client.force_login(line_owner)
    assert client.get(reverse("projects:benefit", args=[other.pk])).status_code == 404
    overview = client.get(reverse("projects:benefits_overview")).content.decode()
    assert "Kortere ventetid" in overview and "Annen gevinst" not in overview


# --- Reminders and the task list -----------------------------------------------------------------


def test_the_owner_is_reminded_once_per_occasion(benefit, line_owner):
    assert queue_benefit_reminders(TODAY) == 1
    assert queue_benefit_reminders(TODAY) == 0  # run again: nothing more
    (row,) = OutgoingMail.objects.filter(kind="benefits.reminder")
    assert row.recipient == line_owner and row.subject == "Gevinstmåling: Kortere ventetid"
    assert f"/prosjekter/gevinster/{benefit.pk}/" in row.body
    # Measured: the next occasion is in three months; no reminder until then, then one more.
    project_services.record_benefit_measurement(
        measurement=BenefitMeasurement(benefit=benefit, measured_on=TODAY, value="20"),
        by=line_owner,
    )
    assert queue_benefit_reminders(TODAY) == 0
    benefit.refresh_from_db()
    assert queue_benefit_reminders(benefit.next_measurement_on) == 1
    assert OutgoingMail.objects.filter(kind="benefits.reminder").count() == 2


def test_a_measurement_due_is_a_task_for_its_owner(client, benefit, line_owner, leader):
    tasks = [t for t in worklist.tasks(line_owner) if t.kind == "benefits"]
    assert [(t.title, t.overdue) for t in tasks] == [("Kortere ventetid", True)]
    assert worklist.count(line_owner) == 1
    assert not [t for t in worklist.tasks(leader) if t.kind == "benefits"]
    client.force_login(line_owner)
    assert "Gevinster å måle" in client.get(reverse("home")).content.decode()


# --- The final report ----------------------------------------------------------------------------


@pytest.fixture
def board(active, leader, member_with_role):
    """The owner (from the project) and a steering member with an address; a union
    representative with none."""
    steering = member_with_role(Role.STEERING)
    OutgoingMail.objects.all().delete()  # the members' notices of their roles
    return steering


@pytest.fixture
def closeout_data(active, leader, benefit, line_owner):
    goal = GoalFactory(project=active, text="Ny organisering er vedtatt")
    MilestoneFactory(project=active, code="M1", title="Mandat vedtatt",
                     due_date=TODAY - dt.timedelta(days=30), status="reached",
                     reached_on=TODAY - dt.timedelta(days=31))  # fmt: skip
    MilestoneFactory(project=active, code="M2", title="Innplassering ferdig",
                     due_date=TODAY - dt.timedelta(days=5))  # fmt: skip
    BenefitMeasurementFactory(benefit=benefit, measured_on=TODAY - dt.timedelta(days=3), value="25")
    meeting = Meeting.objects.create(
        project=active, kind=Meeting.Kind.CONSULTATION, title="Drøfting av organisasjonskart",
        starts_at=timezone.now() - dt.timedelta(days=10),
        ends_at=timezone.now() - dt.timedelta(days=10, hours=-1), status=Meeting.Status.HELD,
    )  # fmt: skip
    AgendaItem.objects.create(meeting=meeting, order=1, title="Kart", outcome="agreed",
                              conclusion="Hemmelig innhold fra drøftingen")  # fmt: skip
    StatusReport.objects.create(
        project=active, number=1, period_start=TODAY - dt.timedelta(days=60),
        period_end=TODAY - dt.timedelta(days=40), state="published", published_at=timezone.now(),
        economy_status=Light.RED, economy_comment="Overskridelse på flytting",
    )  # fmt: skip
    project_services.add_lesson(project=active, category=Lesson.Category.CONSULTATION,
                                text="Involver tillitsvalgte tidlig.", by=leader)  # fmt: skip
    return goal


def test_the_leader_completes_and_publishes_the_final_report_which_closes_the_project(
    client, active, leader, owner, board, closeout_data, django_capture_on_commit_callbacks
):
    goal = closeout_data
    client.force_login(leader)
    url = reverse("reports:final_report", args=[active.pk])
    draft = client.get(url).content.decode()
    for text in ("Ny organisering er vedtatt", "1 av 2 milepæler er nådd, 1 er forsinket.",
                 "M2 Innplassering ferdig", "Overskridelse på flytting", "25 dager",
                 "Drøftingsmøte", "enighet i 1", "Involver tillitsvalgte tidlig."):  # fmt: skip
        assert text in draft, text
    # Neither what was said in a consultation nor the meeting's title, which is for those
    # invited: every member reads the published report.
    assert "Hemmelig innhold" not in draft
    assert "Drøfting av organisasjonskart" not in draft
    response = client.post(url, {"summary": "Prosjektet er gjennomført.", "deviations": "",
                                 "benefits_followup": "Måles hvert kvartal.",
                                 f"goal_{goal.pk}": "Vedtatt i kommunestyret."})  # fmt: skip
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:final_report_publish", args=[active.pk]))
    assert response.status_code == 302

    report = FinalReport.objects.get(project=active)
    active.refresh_from_db()
    assert report.is_published and report.published_by == leader and report.pdf
    assert active.status == Project.Status.COMPLETED and active.closed_on == TODAY
    assert report.data["goals"][0]["result"] == "Vedtatt i kommunestyret."
    assert report.data["deviations"]["red"] == [
        {"label": "Økonomi", "comment": "Overskridelse på flytting"}
    ]
    # Mailed with the stored PDF to the owner and the steering member, once each.
    messages = [m for m in mail.outbox if m.subject.startswith("Sluttrapport")]
    assert sorted(m.to for m in messages) == sorted([[mailbox(owner)], [mailbox(board)]])
    for message in messages:
        ((filename, content, mimetype),) = message.attachments
        assert filename == f"sluttrapport-{active.code.lower()}.pdf"
        assert mimetype == "application/pdf" and content == report.pdf.open("rb").read()
    rows = OutgoingMail.objects.filter(kind="final_report.published")
    assert {r.state for r in rows} == {"sent"}
    assert not any(outbox.send(r.pk) for r in rows)  # sent is sent

    # Frozen: what changes later is not in it; a second publish and an edit are refused.
    project_services.add_lesson(project=active, category="other", text="Senere", by=leader)
    assert "Senere" not in client.get(url).content.decode()
    with pytest.raises(ValidationError, match="allerede publisert"):
        services.publish_final_report(project=active, by=leader)
    page = client.post(reverse("reports:final_report_publish", args=[active.pk]), follow=True)
    assert "Sluttrapporten er allerede publisert." in page.content.decode()
    assert rows.count() == 2


def test_publishing_without_a_summary_is_refused(active, leader, board):
    with pytest.raises(ValidationError, match="Skriv sammendraget"):
        services.publish_final_report(project=active, by=leader)
    active.refresh_from_db()
    assert active.status == Project.Status.ACTIVE and active.closed_on is None


def test_the_role_walk_of_the_final_report(client, active, leader, owner, board, outsider,
                                           member_with_role):  # fmt: skip
    union = member_with_role(Role.UNION_REP)
    services.save_final_report(project=active, values={"summary": "Utkastets tekst"},
                               goal_results={}, by=leader)  # fmt: skip
    page = reverse("reports:final_report", args=[active.pk])
    pdf = reverse("reports:final_report_pdf", args=[active.pk])
    publish = reverse("reports:final_report_publish", args=[active.pk])
    for user, seen, draft_shown, pdf_status, may_publish in [
        (outsider, 404, False, 404, 404),
        (union, 200, False, 404, 403),
        (board, 200, False, 404, 403),
        (owner, 200, True, 200, 403),  # reads the draft; publishing is the leader's
    ]:
        client.force_login(user)
        response = client.get(page)
        assert response.status_code == seen, user
        assert ("Utkastets tekst" in response.content.decode()) == draft_shown, user
        assert client.get(pdf).status_code == pdf_status, user
        assert client.post(publish).status_code == may_publish, user
        assert client.post(page, {"summary": "x"}).status_code in (403, 404), user
    assert not FinalReport.objects.filter(state="published").exists()
    close(active, leader)
    client.force_login(union)
    assert "Prosjektet nådde målene." in client.get(page).content.decode()
    assert client.get(pdf).status_code == 200


# --- Lessons learned -----------------------------------------------------------------------------


def test_lessons_are_searched_across_the_projects_the_user_may_see(
    client, active, leader, organisation, owner
):
    hidden = ProjectFactory(organisation=organisation, owner=owner, leader=owner, code="SKJULT")
    project_services.add_lesson(project=active, category="communication",
                                text="Informer ansatte før pressen.", by=leader)  # fmt: skip
    project_services.add_lesson(project=active, category="schedule",
                                text="Sett av tid til drøftinger.", by=leader)  # fmt: skip
    project_services.add_lesson(project=hidden, category="communication",
                                text="Informer skjult prosjekt.", by=owner)  # fmt: skip
    client.force_login(leader)
    url = reverse("projects:lessons")
    body = client.get(url, {"q": "informer"}).content.decode()
    assert "Informer ansatte før pressen." in body and "skjult" not in body
    body = client.get(url, {"kategori": "schedule"}).content.decode()
    assert "Sett av tid" in body and "Informer" not in body
    assert client.get(url, {"q": "a\x00b", "kategori": "x"}).status_code == 200
    # Shown to a leader starting a project.
    assert (
        "Sett av tid til drøftinger."
        in client.get(reverse("reports:project_create")).content.decode()
    )


def test_a_member_writes_a_lesson_and_an_outsider_cannot(client, active, outsider,
                                                         member_with_role):  # fmt: skip
    url = reverse("projects:project_lessons", args=[active.pk])
    data = {"erfaring-category": "resources", "erfaring-text": "Frikjøp prosjektleder i 100 %."}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(member_with_role(Role.PROJECT_GROUP))
    assert client.post(url, data).status_code == 302
    assert Lesson.objects.get().text == "Frikjøp prosjektleder i 100 %."
    assert client.post(url, {"erfaring-category": "x", "erfaring-text": ""}).status_code == 200
    assert Lesson.objects.count() == 1


# --- A fixed number of queries -------------------------------------------------------------------


def grow(project, leader, line_owner, n):
    for i in range(n):
        b = Benefit.objects.create(project=project, order=100 + i, title=f"Gevinst {i}",
                                   owner_user=line_owner, baseline="10", target="20",
                                   next_measurement_on=TODAY)  # fmt: skip
        for d in range(3):
            BenefitMeasurementFactory(benefit=b, measured_on=TODAY - dt.timedelta(days=d),
                                      value=str(10 + d), number=10 + d)  # fmt: skip
        project_services.add_lesson(project=project, category="other", text=f"Erfaring {i}",
                                    by=leader)  # fmt: skip
        GoalFactory(project=project, text=f"Mål {i}")
        MilestoneFactory(project=project, code=f"X{i}", due_date=TODAY)


@pytest.mark.usefixtures("nothing_cached")
@pytest.mark.parametrize("size", [1, 8])
def test_each_page_costs_the_same_queries_whatever_the_data(
    client, benefit, leader, line_owner, django_assert_num_queries, size
):
    project = benefit.project
    grow(project, leader, line_owner, size)
    client.force_login(leader)
    # Each counts the session, the user, the menu's tasks and the messages' too.
    pages = [
        (reverse("projects:benefits_overview"), 8),
        (reverse("projects:benefit", args=[benefit.pk]), 10),
        (reverse("projects:project_benefits", args=[project.pk]), 9),
        (reverse("projects:lessons"), 8),
        (reverse("projects:project_lessons", args=[project.pk]), 9),
        (reverse("reports:final_report", args=[project.pk]), 16),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
    client.force_login(line_owner)
    with django_assert_num_queries(9):  # the line owner, not a member
        assert client.get(reverse("projects:benefit", args=[benefit.pk])).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("projects:benefits_overview")).status_code == 200


def test_the_plan_is_set_by_the_leadership_only(client, benefit, leader, owner, outsider,
                                                member_with_role, line_owner):  # fmt: skip
    steering = member_with_role(Role.STEERING)
    url = reverse("projects:benefit_plan", args=[benefit.pk])
    data = {"plan-owner_user": line_owner.pk, "plan-measure_from": TODAY.isoformat(),
            "plan-measure_every_months": "6", "plan-measure_until": ""}  # fmt: skip
    for user, status in [(outsider, 404), (steering, 403), (line_owner, 403), (owner, 302)]:
        client.force_login(user)
        assert client.post(url, data).status_code == status, user
    benefit.refresh_from_db()
    assert (benefit.measure_every_months, benefit.measure_from) == (6, TODAY)
    assert benefit.next_measurement_on == TODAY
    # A plan out of order is refused on the form, in Norwegian, and changes nothing.
    client.force_login(leader)
    data["plan-measure_until"] = (TODAY - dt.timedelta(days=1)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Siste måling kan ikke være før første måling." in response.content.decode()
    benefit.refresh_from_db()
    assert benefit.measure_until is None


# --- The mandate's benefit list keeps each benefit's owner, plan and measurements ---------------


def _rows(*benefits, new=()):
    fields = ("title", "indicator", "baseline", "target", "unit", "owner")
    return [{"id": b, **{f: getattr(b, f) for f in fields}} for b in benefits] + [
        {"id": None, "title": title} for title in new
    ]


def test_removing_a_benefit_from_the_mandate_leaves_the_others_as_they_were(active, leader, board):
    first, second, third = (
        BenefitFactory(project=active, order=n, title=title)
        for n, title in enumerate(["Færre ledere", "Kortere ventetid", "Lavere sykefravær"], 1)
    )
    Benefit.objects.filter(pk=third.pk).update(owner_user=board)
    BenefitMeasurementFactory(benefit=third, measured_on=TODAY, value="7")

    project_services.replace_benefits(
        project=active, rows=_rows(second, third, new=["Bedre tjenester"]), section="4.3",
        by=leader,
    )  # fmt: skip

    benefits = list(Benefit.objects.filter(project=active).order_by("order"))
    assert [b.title for b in benefits] == [
        "Kortere ventetid",
        "Lavere sykefravær",
        "Bedre tjenester",
    ]
    assert benefits[1].pk == third.pk and benefits[1].owner_user == board
    assert benefits[1].measurements.count() == 1
    assert not Benefit.objects.filter(pk=first.pk).exists()


def test_a_measured_benefit_is_not_removed(active, leader):
    kept = BenefitFactory(project=active, order=1, title="Kortere ventetid")
    measured = BenefitFactory(project=active, order=2, title="Lavere sykefravær")
    BenefitMeasurementFactory(benefit=measured, measured_on=TODAY, value="7")
    with pytest.raises(ValidationError, match="Lavere sykefravær"):
        project_services.replace_benefits(
            project=active, rows=_rows(kept), section="4.3", by=leader
        )
    assert Benefit.objects.filter(pk=measured.pk).exists()
