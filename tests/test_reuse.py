"""Reuse (issue 16): a project copied from another or started from a template. Every date moves
by the same offset, the copy has its own history and no members but its creator, nothing is
shared with the source and nothing personal is copied; the pages answer 404/403 by the role walk
and make a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Meeting
from milestones.models import Activity, Milestone
from projects.models import (
    Benefit,
    BenefitMeasurement,
    Goal,
    MandateVersion,
    Membership,
    Phase,
    Project,
    Risk,
    SolutionOption,
    Workstream,
)
from reports import builtin_template, reuse
from reports.mandate import changelog
from reports.models import DecisionRequest, ProjectTemplate, StatusReport
from roles.models import (
    Competence,
    Employee,
    MappingInterview,
    OrgUnit,
    Placement,
    Position,
    RoleDescription,
)

from .factories import (
    ActivityFactory,
    MilestoneFactory,
    OrganisationFactory,
    OrgUnitFactory,
    PhaseFactory,
    PositionFactory,
    ProjectFactory,
    RiskFactory,
    RoleDescriptionFactory,
    SolutionOptionFactory,
    UserFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

NEXT_NEW_YEAR = dt.date(timezone.localdate().year + 1, 1, 1)


def amot(demo):
    return demo.get(code="AMOT-ADM")


def with_risks(source):
    """Åmot's demo has no risk register: one open risk and one closed."""
    RiskFactory(
        project=source,
        title="Lederne får for stort kontrollspenn",
        owner=source.leader,
        by=source.leader,
    )
    RiskFactory(project=source, title="Gammel risiko", status=Risk.Status.CLOSED, by=source.leader)
    return source


def copy_amot(source, *, code="AMOT-2", start=NEXT_NEW_YEAR):
    leader = source.leader
    return reuse.copy_project(
        source=source,
        organisation=source.organisation,
        name="Ny administrativ organisering",
        code=code,
        owner=leader,
        start_date=start,
        by=leader,
    )


# --- The copy ----------------------------------------------------------------------------------


def test_every_date_of_the_copy_moves_by_the_same_offset(demo):
    source = amot(demo)
    copy = copy_amot(source)
    offset = NEXT_NEW_YEAR - source.start_date

    old = {m.code: m for m in Milestone.objects.filter(project=source)}
    new = {m.code: m for m in Milestone.objects.filter(project=copy)}
    assert len(old) >= 19 and new.keys() == old.keys()
    assert {code: new[code].due_date - old[code].due_date for code in old} == dict.fromkeys(
        old, offset
    )
    old_acts = sorted(Activity.objects.filter(project=source), key=lambda a: a.title)
    new_acts = sorted(Activity.objects.filter(project=copy), key=lambda a: a.title)
    assert [a.title for a in new_acts] == [a.title for a in old_acts]
    for before, after in zip(old_acts, new_acts, strict=True):
        assert after.due_date - before.due_date == offset
        assert (after.milestone.code if after.milestone else None) == (
            before.milestone.code if before.milestone else None
        )
    old_phases = list(Phase.objects.filter(project=source).order_by("order"))
    new_phases = list(Phase.objects.filter(project=copy).order_by("order"))
    assert [p.name for p in new_phases] == [p.name for p in old_phases]
    for before, after in zip(old_phases, new_phases, strict=True):
        assert after.start_date - before.start_date == offset
        assert after.end_date - before.end_date == offset
    assert copy.last_delivery_date - source.last_delivery_date == offset
    # The milestones keep their phase and what they depend on, in the new project.
    assert {m.phase.name for m in new.values() if m.phase} <= {p.name for p in new_phases}
    assert all(m.phase is None or m.phase.project_id == copy.pk for m in new.values())
    assert sorted(new["M12"].depends_on.values_list("code", flat=True)) == ["M11"]
    assert all(m.status == Milestone.Status.PLANNED and not m.reached_on for m in new.values())
    assert all(m.responsible_id is None and m.date_text == "" for m in new.values())


def test_the_copy_is_a_draft_with_its_own_history_and_only_its_creator(demo):
    source = with_risks(amot(demo))
    copy = copy_amot(source)
    leader = source.leader

    assert copy.status == Project.Status.DRAFT
    assert copy.mandate_state == Project.MandateState.DRAFT and copy.mandate_version == 0
    assert list(Membership.objects.filter(project=copy).values_list("user", flat=True)) == [
        leader.pk,
        leader.pk,
    ]
    assert {m.role for m in Membership.objects.filter(project=copy)} == {"owner", "leader"}
    assert copy.background == source.background and copy.purpose == source.purpose

    # Every row of the copy was created once, by its creator; none of the source's history.
    for model in (Phase, Workstream, Milestone, Activity, Goal, Benefit, Risk):
        rows = model.history.filter(project_id=copy.pk)
        assert rows.exists(), model
        assert set(rows.values_list("history_type", flat=True)) == {"+"}, model
        assert set(rows.values_list("history_user", flat=True)) == {leader.pk}, model
        assert rows.count() == model.objects.filter(project=copy).count(), model
    # Each milestone's creation record holds what it depends on, as simple-history keeps it.
    record = Milestone.history.get(project_id=copy.pk, code="M12")
    assert [row.to_milestone.code for row in record.depends_on.all()] == ["M11"]
    links = Milestone.depends_on.through.objects.filter(from_milestone__project=copy).count()
    recorded = sum(r.depends_on.count() for r in Milestone.history.filter(project_id=copy.pk))
    assert links == recorded > 0
    entries = changelog(copy)
    assert entries and {entry["user"] for entry in entries} == {leader}
    assert "Kopiert fra prosjektet AMOT-ADM" in {str(entry["section"]) for entry in entries}
    assert not (
        MandateVersion.objects.filter(project=copy).exists()
        or StatusReport.objects.filter(project=copy).exists()
        or DecisionRequest.objects.filter(project=copy).exists()
        or Meeting.objects.filter(project=copy).exists()
    )


def test_nothing_is_shared_and_editing_the_copy_leaves_the_source_as_it_was(demo):
    source = amot(demo)
    copy = copy_amot(source)
    before = list(Milestone.objects.filter(project=source).values_list("pk", "title", "due_date"))
    option_count = SolutionOption.objects.filter(workstream__project=source).count()

    Milestone.objects.filter(project=copy).update(title="Endret i kopien")
    SolutionOption.objects.filter(workstream__project=copy).delete()
    Workstream.objects.filter(project=copy).update(name="Ny strøm")
    RoleDescription.objects.filter(position__project=copy).update(main_goal="Endret")

    assert (
        list(Milestone.objects.filter(project=source).values_list("pk", "title", "due_date"))
        == before
    )
    assert SolutionOption.objects.filter(workstream__project=source).count() == option_count
    assert not Workstream.objects.filter(project=source, name="Ny strøm").exists()
    assert not RoleDescription.objects.filter(position__project=source, main_goal="Endret")


def test_nothing_personal_is_copied(demo):
    # Helse og mestring has employees, interviews and placements in every state.
    source = with_risks(demo.get(code="HELSE-MESTRING"))
    assert Placement.objects.filter(position__project=source).exists()
    assert MappingInterview.objects.filter(employee__project=source).exists()
    copy = copy_amot(source, code="HELSE-2")

    assert not Employee.objects.filter(project=copy).exists()
    assert not MappingInterview.objects.filter(employee__project=copy).exists()
    assert not Placement.objects.filter(position__project=copy).exists()
    assert not OrgUnit.objects.filter(project=copy, structure=OrgUnit.Structure.CURRENT).exists()
    assert not Workstream.members.through.objects.filter(workstream__project=copy).exists()
    assert not Workstream.objects.filter(project=copy, lead__isnull=False).exists()
    assert not Activity.objects.filter(project=copy, owner__isnull=False).exists()
    assert not Risk.objects.filter(project=copy, owner__isnull=False).exists()
    assert not BenefitMeasurement.objects.filter(benefit__project=copy).exists()
    # The role descriptions are copied as texts, on the future organization's positions.
    future = OrgUnit.objects.filter(project=source, structure=OrgUnit.Structure.FUTURE)
    assert OrgUnit.objects.filter(project=copy).count() == future.count()
    assert Position.objects.filter(project=copy).count() == (
        Position.objects.filter(project=source, unit__in=future).count()
    )
    old = RoleDescription.objects.filter(position__project=source)
    new = RoleDescription.objects.filter(position__project=copy)
    assert sorted(new.values_list("position_name", "main_goal")) == sorted(
        old.values_list("position_name", "main_goal")
    )
    assert new.exists() and set(new.values_list("version", flat=True)) == {1}
    assert Competence.objects.filter(role_description__in=new).count() == (
        Competence.objects.filter(role_description__in=old).count()
    )
    # Open risks come along by their title, without their owner; the closed ones do not.
    assert sorted(Risk.objects.filter(project=copy).values_list("title", flat=True)) == sorted(
        Risk.objects.filter(project=source, status=Risk.Status.OPEN).values_list("title", flat=True)
    )


def test_a_copy_into_another_organisation_is_refused(demo):
    source = amot(demo)
    other_organisation = OrganisationFactory()
    with pytest.raises(reuse.ValidationError):
        reuse.copy_project(
            source=source,
            organisation=other_organisation,
            name="Kopi",
            code="KOPI",
            owner=source.leader,
            start_date=NEXT_NEW_YEAR,
            by=source.leader,
        )
    assert not Project.objects.filter(code="KOPI").exists()


def test_a_start_date_that_puts_the_plan_out_of_range_is_refused_with_a_clear_error(demo):
    source = amot(demo)
    with pytest.raises(reuse.ValidationError) as refused:
        copy_amot(source, code="SENT", start=dt.date(2200, 12, 1))
    assert "startdatoen" in str(refused.value.message_dict["start_date"])
    assert not Project.objects.filter(code="SENT").exists()


def test_the_copy_does_not_grow_in_queries_with_the_rows(demo):
    organisation = OrganisationFactory()
    leader = UserFactory(organisations=[organisation])

    def source_with(n):
        project = ProjectFactory(
            organisation=organisation, owner=leader, leader=leader, code=f"SRC{n}"
        )
        phase = PhaseFactory(project=project, start_date=project.start_date, by=leader)
        for w in range(n):
            ws = WorkstreamFactory(project=project, order=w + 1, name=f"Strøm {w}", by=leader)
            SolutionOptionFactory(workstream=ws, title=f"Forslag {w}", by=leader)
        parent = OrgUnitFactory(project=project, name="Sektor", by=leader)
        for i in range(n):
            milestone = MilestoneFactory(
                project=project,
                code=f"M{i + 1}",
                due_date=project.start_date + dt.timedelta(days=i),
                phase=phase,
                by=leader,
            )
            ActivityFactory(project=project, title=f"Aktivitet {i}", milestone=milestone, by=leader)
            unit = OrgUnitFactory(project=project, name=f"Enhet {i}", parent=parent, by=leader)
            RoleDescriptionFactory(position=PositionFactory(unit=unit, by=leader), by=leader)
        return project

    counts = []
    for n in (2, 8):
        source = source_with(n)
        with CaptureQueriesContext(connection) as queries:
            copy = reuse.copy_project(
                source=source,
                organisation=organisation,
                name="Kopi",
                code=f"KOPI{n}",
                owner=leader,
                start_date=NEXT_NEW_YEAR,
                by=leader,
            )
        assert Milestone.objects.filter(project=copy).count() == n
        assert RoleDescription.objects.filter(position__project=copy).count() == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Templates ---------------------------------------------------------------------------------


def test_a_saved_template_is_frozen_and_builds_what_a_copy_builds(demo):
    source = amot(demo)
    template = reuse.save_template(
        project=source, name="Åmot-malen", description="", by=source.leader
    )
    Milestone.objects.filter(project=source, code="M1").update(
        title="Endret etterpå", due_date=dt.date(2013, 5, 1)
    )
    from_template = reuse.start_from_template(
        template=ProjectTemplate.objects.get(pk=template.pk),
        organisation=source.organisation,
        name="Fra malen",
        code="FRA-MAL",
        owner=source.leader,
        start_date=NEXT_NEW_YEAR,
        by=source.leader,
    )
    first = Milestone.objects.get(project=from_template, code="M1")
    assert first.title == "Ledersamling for virksomhetsledere"
    assert first.due_date == NEXT_NEW_YEAR + (dt.date(2013, 4, 12) - source.start_date)

    Milestone.objects.filter(project=source, code="M1").update(
        title="Ledersamling for virksomhetsledere", due_date=dt.date(2013, 4, 12)
    )
    copy = copy_amot(source)

    def plan(project):
        return sorted(
            (m.code, m.title, m.due_date, m.phase.name if m.phase else None)
            for m in Milestone.objects.filter(project=project).select_related("phase")
        )

    assert plan(from_template) == plan(copy)
    assert ProjectTemplate.history.filter(id=template.pk).get().history_user == source.leader


def test_the_builtin_template_has_the_process_and_the_consultations():
    snapshot = builtin_template.SNAPSHOT
    assert [p["name"] for p in snapshot["phases"]] == [
        "Forberedelse og mandat",
        "Utredning",
        "Beslutning",
        "Innplassering og gjennomføring",
        "Oppfølging og evaluering",
    ]
    codes = [m["code"] for m in snapshot["milestones"]]
    # inform, consult, decide, place, follow up, in that order
    assert codes.index("M2") < codes.index("M8") < codes.index("B2") < codes.index("M9")
    assert codes.index("M9") < codes.index("M13")
    for milestone in snapshot["milestones"]:
        text = milestone["criterion"].lower()
        assert any(word in text for word in ("drøft", "informer", "tillitsvalgt", "verneombud")), (
            milestone["code"]
        )
    for decision in (m for m in snapshot["milestones"] if m["kind"] == "decision_point"):
        assert "drøft" in decision["criterion"].lower(), decision["code"]
    assert any("Hovedavtalen § 1-4" in m["criterion"] for m in snapshot["milestones"])
    assert any("arbeidsmiljøloven" in m["criterion"] for m in snapshot["milestones"])


def test_a_project_from_the_builtin_template(demo):
    organisation = OrganisationFactory()
    leader = UserFactory(organisations=[organisation])
    start = dt.date(2027, 2, 1)
    project = reuse.start_from_template(
        template=None,
        organisation=organisation,
        name="Omorganisering av oppvekst",
        code="OU-OPPVEKST",
        owner=leader,
        start_date=start,
        by=leader,
    )
    snapshot = builtin_template.SNAPSHOT
    milestones = {m.code: m for m in Milestone.objects.filter(project=project)}
    assert {code: m.due_date for code, m in milestones.items()} == {
        row["code"]: start + dt.timedelta(days=row["due"]) for row in snapshot["milestones"]
    }
    assert Phase.objects.filter(project=project).count() == 5
    assert milestones["B2"].kind == Milestone.Kind.DECISION_POINT
    assert list(milestones["B2"].depends_on.values_list("code", flat=True)) == ["M8"]
    assert project.purpose.startswith("[Hensikten")
    assert project.last_delivery_date == start + dt.timedelta(days=147)
    assert Membership.objects.filter(project=project).exclude(user=leader).count() == 0


# --- Pages and the role walk -------------------------------------------------------------------


def demo_user(username):
    from accounts.models import User

    return User.objects.get(username=username)


def start_data(project, code="AMOT-KOPI", start_from="copy", **extra):
    return {
        "start_from": start_from,
        "template": "standard",
        "source": project.pk,
        "organisation": project.organisation_id,
        "name": "Ny administrativ organisering",
        "code": code,
        "owner": project.leader_id,
        "owner_title": "",
        "start_date": NEXT_NEW_YEAR.isoformat(),
        "last_delivery_date": "",
        **extra,
    }


def test_the_leader_copies_amot_through_the_page(demo, client):
    source = amot(demo)
    client.force_login(demo_user("leder"))
    page = client.get(reverse("reports:project_create") + f"?kopi={source.pk}")
    assert page.status_code == 200
    assert f'<option value="{source.pk}" selected>' in page.content.decode()
    response = client.post(reverse("reports:project_create"), start_data(source))
    copy = Project.objects.get(code="AMOT-KOPI")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:mandate", args=[copy.pk])
    assert Milestone.objects.filter(project=copy).count() == (
        Milestone.objects.filter(project=source).count()
    )


def test_a_code_already_taken_is_a_clear_error(demo, client):
    source = amot(demo)
    client.force_login(demo_user("leder"))
    count = Project.objects.count()
    response = client.post(reverse("reports:project_create"), start_data(source, code="AMOT-ADM"))
    assert response.status_code == 200
    assert "Kortnavn finnes allerede" in response.content.decode()
    assert Project.objects.count() == count


def test_copy_needs_a_project_chosen(demo, client):
    source = amot(demo)
    client.force_login(demo_user("leder"))
    response = client.post(reverse("reports:project_create"), start_data(source, source=""))
    assert "Velg prosjektet du vil kopiere." in response.content.decode()


@pytest.mark.parametrize("username", ["styring", "tillitsvalgt", "medlem"])
def test_members_who_may_not_start_projects_get_403(demo, client, username):
    source = amot(demo)
    client.force_login(demo_user(username))
    assert client.get(reverse("reports:project_create") + f"?kopi={source.pk}").status_code == 403
    assert client.post(reverse("reports:project_create"), start_data(source)).status_code == 403
    assert not Project.objects.filter(code="AMOT-KOPI").exists()


def test_an_outsider_who_may_start_projects_gets_404_for_amot(demo, client):
    source = amot(demo)
    client.force_login(demo_user("utenfor"))
    assert client.get(reverse("reports:project_create")).status_code == 200
    assert client.get(reverse("reports:project_create") + f"?kopi={source.pk}").status_code == 404
    template = ProjectTemplate.objects.get(organisation=source.organisation)
    assert client.get(reverse("reports:project_create") + f"?mal={template.pk}").status_code == 404
    outsider = demo_user("utenfor")
    own = {"organisation": outsider.organisations.get().pk, "owner": outsider.pk}
    response = client.post(reverse("reports:project_create"), start_data(source, **own))
    assert response.status_code == 404
    response = client.post(
        reverse("reports:project_create"),
        start_data(source, start_from="template", template=template.pk, **own),
    )
    assert response.status_code == 404
    assert not Project.objects.filter(code="AMOT-KOPI").exists()


def test_save_as_template_by_the_role_walk(demo, client):
    source = amot(demo)
    url = reverse("reports:template_save", args=[source.pk])
    for username, status in [
        ("styring", 403),
        ("tillitsvalgt", 403),
        ("hr", 403),
        ("utenfor", 404),
    ]:
        client.force_login(demo_user(username))
        assert client.get(url).status_code == status, username
        assert client.post(url, {"name": "Min mal"}).status_code == status, username
    assert not ProjectTemplate.objects.filter(name="Min mal").exists()

    client.force_login(demo_user("leder"))
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Min mal", "description": "Til neste gang"})
    assert response.status_code == 302
    assert ProjectTemplate.objects.get(name="Min mal").organisation == source.organisation
    again = client.post(url, {"name": "Min mal"})
    assert "Organisasjonen har allerede en mal med dette navnet." in again.content.decode()


def test_templates_are_seen_in_their_organisation_and_deleted_by_their_maker(demo, client):
    source = amot(demo)
    template = ProjectTemplate.objects.get(organisation=source.organisation)
    client.force_login(demo_user("utenfor"))
    page = client.get(reverse("reports:templates")).content.decode()
    assert template.name not in page and builtin_template.BUILTIN_NAME in page
    delete = reverse("reports:template_delete", args=[template.pk])
    assert client.post(delete).status_code == 404

    client.force_login(demo_user("styring"))
    page = client.get(reverse("reports:templates")).content.decode()
    assert template.name in page and delete not in page
    assert client.post(delete).status_code == 403

    client.force_login(demo_user("leder"))
    assert delete in client.get(reverse("reports:templates")).content.decode()
    assert client.post(delete).status_code == 302
    assert not ProjectTemplate.objects.filter(pk=template.pk).exists()


@pytest.mark.usefixtures("nothing_cached")
def test_the_template_list_and_the_create_page_make_a_fixed_number_of_queries(
    demo, client, django_assert_num_queries
):
    source = amot(demo)
    leader = demo_user("leder")
    client.force_login(leader)
    client.get(reverse("reports:templates"))  # the session
    with django_assert_num_queries(10):
        assert client.get(reverse("reports:templates")).status_code == 200
    # + the latest lessons learned of the organisation's projects
    with django_assert_num_queries(16):
        assert (
            client.get(reverse("reports:project_create") + f"?kopi={source.pk}").status_code == 200
        )

    for n in range(5):
        reuse.save_template(project=source, name=f"Mal {n}", description="", by=leader)
        ProjectFactory(
            organisation=source.organisation,
            owner=leader,
            leader=leader,
            code=f"EKSTRA{n}",
            by=leader,
        )
    other = UserFactory(organisations=[source.organisation])
    reuse.save_template(project=source, name="Andres mal", description="", by=other)
    with django_assert_num_queries(10):
        page = client.get(reverse("reports:templates"))
    assert page.content.decode().count("Start prosjekt") == 8
    # + the latest lessons learned of the organisation's projects
    with django_assert_num_queries(16):
        assert (
            client.get(reverse("reports:project_create") + f"?kopi={source.pk}").status_code == 200
        )


def test_a_template_saved_twice_at_once_is_a_form_error_not_a_500(demo, monkeypatch):
    """Two requests with the same name, each checked before the other saved: the database's
    constraint refuses the second, and the service says so in Norwegian."""
    from django.core.exceptions import ValidationError

    source, leader = amot(demo), demo_user("leder")
    reuse.save_template(project=source, name="Samtidig", description="", by=leader)
    monkeypatch.setattr(ProjectTemplate, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="allerede en mal med dette navnet"):
        reuse.save_template(project=source, name="Samtidig", description="", by=leader)
    assert ProjectTemplate.objects.filter(name="Samtidig").count() == 1
