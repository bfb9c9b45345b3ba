"""The role walk: every project URL as every demo user, against DESIGN.md's permissions.

The demo data is the real thing (load_demo from the seeds), so this also proves that it builds."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from consultations.documents import ensure_protocol_pdf
from milestones.models import Activity, Milestone
from projects.models import MandateVersion, Membership, Project

from .factories import UNCONSULTED

EDITORS = {"eier", "leder"}
READERS = {"styring", "medlem", "hr", "tillitsvalgt", "verneombud"}
NOT_MEMBERS = {"utenfor", "admin"}


def read_urls(project):
    phase = project.phases.first()
    workstream = project.workstreams.first()
    urls = [
        reverse("reports:overview", args=[project.pk]),
        reverse("reports:mandate", args=[project.pk]),
        reverse("projects:mandate_section", args=[project.pk, "bakgrunn"]),
        reverse("reports:changelog", args=[project.pk]),
        reverse("projects:phases", args=[project.pk]),
        reverse("projects:workstreams", args=[project.pk]),
        reverse("projects:members", args=[project.pk]),
        reverse("milestones:plan", args=[project.pk]),
        reverse("milestones:list", args=[project.pk]),
        reverse("milestones:activities", args=[project.pk]),
        reverse("projects:risks", args=[project.pk]),
        reverse("reports:decisions", args=[project.pk]),
    ]
    if workstream:
        urls.append(reverse("projects:workstream", args=[project.pk, workstream.pk]))
    edit_urls = [reverse("projects:mandate_section", args=[project.pk, "gevinster"]) + "?rediger=1"]
    if phase:
        edit_urls.append(reverse("projects:phase_edit", args=[project.pk, phase.pk]))
    edit_urls += [
        reverse("milestones:create", args=[project.pk]),
        reverse("milestones:import", args=[project.pk]),
    ]
    # A milestone of the project as a whole: planned and followed up by owner and leader only.
    milestone = project.milestones.filter(workstream=None).first()
    edit_urls += [
        reverse("milestones:edit", args=[project.pk, milestone.pk]),
        reverse("milestones:status", args=[project.pk, milestone.pk]),
    ]
    option = workstream and workstream.options.first()
    if option:
        edit_urls.append(
            reverse("projects:option_edit", args=[project.pk, workstream.pk, option.pk])
        )
    return urls, edit_urls


def expected(username, editing=False):
    if username in NOT_MEMBERS:
        return 404
    if editing and username not in EDITORS:
        return 403
    return 200


@pytest.mark.parametrize("username", sorted(EDITORS | READERS | NOT_MEMBERS))
def test_every_role_gets_exactly_what_design_md_says(client, demo, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    for project in demo:
        urls, edit_urls = read_urls(project)
        for url in urls:
            assert client.get(url).status_code == expected(username), (username, url)
        for url in edit_urls:
            assert client.get(url).status_code == expected(username, editing=True), (username, url)


@pytest.mark.parametrize("username", sorted(READERS | NOT_MEMBERS))
def test_posts_by_those_who_may_not_are_refused_and_change_nothing(client, demo, username):
    client.force_login(User.objects.get(username=username))
    project = demo.get(code="AMOT-ADM")
    before = (
        Project.objects.values().get(pk=project.pk),
        Membership.objects.count(),
        MandateVersion.objects.count(),
        project.phases.count(),
        list(project.milestones.values()),
    )
    status = 404 if username in NOT_MEMBERS else 403
    workstream = project.workstreams.first()
    milestone = project.milestones.get(code="M14")
    posts = [
        (
            reverse("projects:mandate_section", args=[project.pk, "bakgrunn"]),
            {"bakgrunn-background": "Kapret"},
        ),
        (reverse("reports:decide_mandate", args=[project.pk]), {}),
        (
            reverse("projects:phases", args=[project.pk]),
            {"ny-order": "9", "ny-name": "Kapret fase"},
        ),
        (reverse("projects:phase_delete", args=[project.pk, project.phases.first().pk]), {}),
        (
            reverse("projects:workstream", args=[project.pk, workstream.pk]),
            {"name": "Kapret", "order": "1"},
        ),
        (
            reverse("projects:option_add", args=[project.pk, workstream.pk]),
            {"forslag-title": "Kapret"},
        ),
        (reverse("projects:members", args=[project.pk]), {"user": "1", "role": "owner"}),
        (reverse("projects:member_remove", args=[project.pk, project.memberships.first().pk]), {}),
        (reverse("milestones:import", args=[project.pk]), {"table": "M99\tKapret\t\t01.01.2013"}),
        (reverse("milestones:create", args=[project.pk]), {"code": "M99", "title": "Kapret"}),
        (reverse("milestones:status", args=[project.pk, milestone.pk]), {"status": "missed"}),
        (reverse("milestones:delete", args=[project.pk, milestone.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == status, (username, url)
    after = (
        Project.objects.values().get(pk=project.pk),
        Membership.objects.count(),
        MandateVersion.objects.count(),
        project.phases.count(),
        list(project.milestones.values()),
    )
    assert after == before


def test_the_owner_decides_and_the_leader_manages_members(client, demo):
    project = demo.get(code="OU-VELFERD")
    client.force_login(User.objects.get(username="leder"))
    assert client.post(reverse("reports:decide_mandate", args=[project.pk])).status_code == 403
    observer = User.objects.get(username="medlem")
    response = client.post(
        reverse("projects:members", args=[project.pk]), {"user": observer.pk, "role": "observer"}
    )
    assert response.status_code == 302
    client.force_login(User.objects.get(username="eier"))
    decision = {"beslutt-decided_on": "2021-05-03", "beslutt-no_protocol_reason": UNCONSULTED}
    response = client.post(reverse("reports:decide_mandate", args=[project.pk]), decision)
    assert response.status_code == 302
    assert project.mandate_versions.count() == 1


def test_the_outsider_sees_only_their_own_project(client, demo):
    client.force_login(User.objects.get(username="utenfor"))
    body = client.get(reverse("projects:list")).content.decode()
    assert "NABO-SERVICE" in body
    for project in demo:
        assert project.name not in body


def test_load_demo_twice_changes_nothing(demo):
    counts = (User.objects.count(), Project.objects.count(), Membership.objects.count())
    history = Project.history.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), Project.objects.count(), Membership.objects.count()) == counts
    assert Project.history.count() == history


def test_demo_history_always_names_a_user(demo):
    assert not Project.history.filter(history_user__isnull=True).exists()
    assert not Membership.history.filter(history_user__isnull=True).exists()
    assert not Milestone.history.filter(history_user__isnull=True).exists()
    assert not Activity.history.filter(history_user__isnull=True).exists()


def test_a_demo_built_before_the_plans_existed_gets_them_on_the_next_run(demo):
    Activity.objects.all().delete()
    Milestone.objects.all().delete()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert demo.get(code="AMOT-ADM").milestones.count() == 19
    assert Project.objects.count() == 4


def test_the_leader_cannot_make_anyone_owner_nor_remove_the_owner(client, demo):
    project = demo.get(code="AMOT-ADM")
    leader = User.objects.get(username="leder")
    client.force_login(leader)
    response = client.post(
        reverse("projects:members", args=[project.pk]), {"user": leader.pk, "role": "owner"}
    )
    assert "Bare prosjekteieren kan endre hvem som er prosjekteier." in response.content.decode()
    owner_membership = project.memberships.get(role="owner")
    client.post(reverse("projects:member_remove", args=[project.pk, owner_membership.pk]))
    assert project.memberships.filter(role="owner").get().user.username == "eier"
    assert client.post(reverse("reports:decide_mandate", args=[project.pk])).status_code == 403


def test_the_owner_hands_over_and_the_mandate_names_the_new_owner(client, demo):
    project = demo.get(code="OU-VELFERD")
    kdg = User.objects.get(username="kdg")
    client.force_login(User.objects.get(username="eier"))
    client.post(reverse("projects:members", args=[project.pk]), {"user": kdg.pk, "role": "owner"})
    old = project.memberships.get(role="owner", user__username="eier")
    client.post(reverse("projects:member_remove", args=[project.pk, old.pk]))
    project.refresh_from_db()
    assert project.owner == kdg
    assert Project.history.filter(id=project.pk).first().history_user.username == "eier"
    # Without a role in the project, the old owner no longer sees it.
    assert client.get(reverse("reports:mandate", args=[project.pk])).status_code == 404


def test_the_project_group_updates_its_workstreams_activities_in_the_demo(client, demo):
    """medlem is in the project group and a member of every Åmot workstream: they follow up the
    activities there, but not the project's own milestones."""
    project = demo.get(code="AMOT-ADM")
    client.force_login(User.objects.get(username="medlem"))
    activity = project.activities.exclude(workstream=None).filter(status="todo").first()
    response = client.post(
        reverse("milestones:activity_status", args=[project.pk, activity.pk]),
        {f"a{activity.pk}-status": "doing"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "doing"
    assert activity.history.first().history_user.username == "medlem"
    body = client.get(reverse("milestones:list", args=[project.pk])).content.decode()
    assert "Oppdater" not in body  # Åmot's milestones are the project's, none a workstream's


def test_the_demo_has_the_seed_plans(demo):
    amot = demo.get(code="AMOT-ADM")
    assert [m.code for m in amot.milestones.filter(kind="milestone").order_by("pk")] == [
        f"M{n}" for n in range(1, 17)
    ]
    assert amot.milestones.get(code="M14").date_text == "Senest 19. august 2013"
    assert set(amot.milestones.filter(kind="decision_point").values_list("title", flat=True)) == {
        "Mandat besluttet",
        "Ny organisering besluttet",
        "Ny organisering iverksatt",
    }
    # The decided version 1 holds the milestone table as it was decided.
    assert len(amot.mandate_versions.get(number=1).snapshot["milestones"]) == 16
    velferd = demo.get(code="OU-VELFERD")
    assert velferd.milestones.get(code="M2").due_date.isoformat() == "2021-06-30"
    assert velferd.milestones.get(code="B1").due_date.isoformat() == "2021-12-01"
    helse = demo.get(code="HELSE-MESTRING")
    assert helse.activities.filter(workstream__name="Hverdagsmestring").count() == 2
    assert helse.activities.filter(status="done").exists()


# --- The demo's organization and staffing plan (demo/staffing.py) ---------------------------


def roles_models():
    from roles.models import (
        Competence,
        Employee,
        MappingInterview,
        OrgUnit,
        Placement,
        Position,
        RoleDescription,
        Wish,
    )

    return [
        OrgUnit,
        Position,
        RoleDescription,
        Competence,
        Employee,
        MappingInterview,
        Wish,
        Placement,
    ]


def roles_counts():
    return [(m.objects.count(), m.history.count()) for m in roles_models()]


def test_the_demo_has_helse_og_mestrings_eight_future_units_and_every_kind_of_change(demo):
    from roles.models import OrgUnit
    from roles.orgchart import CHANGE_KINDS, compare

    helse = demo.get(code="HELSE-MESTRING")
    units = list(helse.org_units.all())
    future = [u for u in units if u.structure == "future"]
    assert [u.name for u in future if u.kind == "unit"] == [
        "Forskning, utvikling og innovasjon",
        "Institusjon",
        "NAV",
        "Hverdagsmestring",
        "Miljøtjenester",
        "Bo- og aktivitetssenter",
        "Allmennlegetjenester",
        "Rehabilitering",
    ]
    assert {u.leader_title for u in future if u.kind == "unit"} == {"Enhetsleder"}
    mappings = OrgUnit.successors.through.objects.filter(from_orgunit__project=helse).values_list(
        "from_orgunit_id", "to_orgunit_id"
    )
    current = [u for u in units if u.structure == "current"]
    comparison = compare(current, future, list(mappings))
    assert all(comparison.count_by_kind[kind] for kind in CHANGE_KINDS), comparison.summary


def test_the_demo_unit_heads_have_role_descriptions_with_competence_requirements(demo):
    helse = demo.get(code="HELSE-MESTRING")
    heads = helse.positions.filter(title__startswith="Enhetsleder").order_by("code")
    assert [p.code for p in heads] == [f"700{n}" for n in range(1, 9)]
    for head in heads:
        assert head.fte == 100
        assert head.reports_to.title == "Kommunalsjef helse og mestring"
        levels = set(head.role_description.competences.values_list("text", "level"))
        assert ("Ledererfaring", "required") in levels
        assert ("Tjenestedesign", "useful") in levels
    assert helse.positions.get(unit__name="Institusjon", title="Sykepleier").fte == 1500


def test_the_demo_placements_are_in_every_state_with_a_competence_warning(demo, client):
    from roles import services
    from roles.models import Placement

    helse = demo.get(code="HELSE-MESTRING")
    placements = Placement.objects.filter(employee__project=helse)
    assert set(placements.values_list("status", flat=True)) == set(Placement.Status.values)
    declined = placements.get(status="declined")
    assert declined.declined_on and declined.decided_on
    assert not placements.filter(status__in=["decided", "accepted"], decided_on=None).exists()
    warned = [
        p
        for p in placements.filter(position__title__startswith="Enhetsleder")
        if services.missing_competences(p.employee, p.position)
    ]
    assert [
        (str(p.employee), services.missing_competences(p.employee, p.position)) for p in warned
    ] == [("Ola Testesen", ["Ledererfaring"])]
    employees = helse.employees.all()
    assert 10 <= employees.count() <= 14
    conversation = employees.get(restructuring_conversation_on__isnull=False, redundant=False)
    assert not conversation.placements.exists()
    assert employees.filter(redundant=True).count() == 1
    interviewed = employees.filter(interviews__isnull=False).distinct()
    assert interviewed.count() > employees.count() / 2
    assert all(i.held_by.username == "hr" for e in interviewed for i in e.interviews.all())
    assert employees.filter(interviews__wishes__priority=2).exists()
    # HR sees it all on the pages: names, the warning, the status of everyone.
    client.force_login(User.objects.get(username="hr"))
    body = client.get(reverse("roles:placements", args=[helse.pk])).content.decode()
    assert "Ola Testesen" in body and "mangler påkrevd kompetanse" in body
    body = client.get(reverse("roles:staffing", args=[helse.pk])).content.decode()
    assert "Overtallig" in body and "Takket nei" in body
    for name in ("organisation", "positions", "employees"):
        assert client.get(reverse(f"roles:{name}", args=[helse.pk])).status_code == 200


def test_the_demo_amot_role_description_fills_every_field_of_appendix_1(demo):
    from roles.models import RoleDescription

    amot = demo.get(code="AMOT-ADM")
    description = RoleDescription.objects.get(position__project=amot)
    position = description.position
    assert position.title == "Kommunalsjef oppvekst"
    assert position.code and position.unit.name and position.reports_to.title == "Rådmann"
    text_fields = [
        f.name
        for f in RoleDescription._meta.concrete_fields
        if f.get_internal_type() in ("CharField", "TextField")
    ]
    assert len(text_fields) == 12
    for name in text_fields:
        assert getattr(description, name).strip(), name
    assert set(description.competences.values_list("category", "level")) == {
        (category, level)
        for category in ("personal", "experience", "professional")
        for level in ("required", "useful")
    }


def test_the_demo_roles_history_always_names_hr(demo):
    for model in roles_models():
        assert model.history.exists(), model
        assert set(model.history.values_list("history_user__username", flat=True)) == {"hr"}


def test_load_demo_twice_changes_no_roles_data(demo):
    before = roles_counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert roles_counts() == before


def test_a_demo_built_before_the_roles_existed_gets_them_on_the_next_run(demo):
    import io

    from roles.models import Employee, OrgUnit, Placement, Position

    counts = [m.objects.count() for m in roles_models()]
    Placement.objects.all().delete()
    Employee.objects.all().delete()
    Position.objects.all().delete()
    OrgUnit.objects.all().delete()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert [m.objects.count() for m in roles_models()] == counts
    assert "organisasjon og bemanningsplan lagt til: HELSE-MESTRING" in out.getvalue()
    assert "finnes fra før, ikke endret: OU-VELFERD" in out.getvalue()
    assert Project.objects.count() == 4


def test_guardian_rows_are_exactly_what_the_roles_give(demo):
    """Every member's object permissions are their roles' (and grants'), on Project's own
    permissions only: not, say, Organisation's default change_organisation."""
    from collections import defaultdict

    from projects.models import ProjectUserObjectPermission
    from projects.permissions import permissions_for_roles

    wanted = defaultdict(lambda: ([], False))
    for project_id, user_id, role, grant in Membership.objects.values_list(
        "project_id", "user_id", "role", "sees_personal_data"
    ):
        roles, granted = wanted[project_id, user_id]
        wanted[project_id, user_id] = ([*roles, role], granted or grant)
    expected = {
        (project_id, user_id, codename)
        for (project_id, user_id), (roles, grant) in wanted.items()
        for codename in permissions_for_roles(roles, sees_personal_data=grant)
    }
    rows = list(
        ProjectUserObjectPermission.objects.values_list(
            "content_object_id",
            "user_id",
            "permission__codename",
            "permission__content_type__model",
        )
    )
    assert {model for *_rest, model in rows} == {"project"}
    assert len(rows) == len(expected)
    assert {row[:3] for row in rows} == expected


PERSONNEL = {"eier", "leder", "hr"}


@pytest.mark.parametrize("username", sorted(EDITORS | READERS | NOT_MEMBERS))
def test_every_role_gets_what_design_md_says_of_the_staffing_plan(client, demo, username):
    """The organization is for every member to read; personal data for HR, owner and leader
    (404 for everyone else, as if it did not exist); changes for those three."""
    client.force_login(User.objects.get(username=username))
    project = demo.get(code="HELSE-MESTRING")
    position = project.positions.filter(role_description__isnull=False).first()
    employee = project.employees.first()
    readable = [
        reverse("roles:organisation", args=[project.pk]),
        reverse("roles:positions", args=[project.pk]),
        reverse("roles:staffing", args=[project.pk]),
        reverse("roles:role_description", args=[project.pk, position.pk]),
    ]
    personal = [
        reverse("roles:employees", args=[project.pk]),
        reverse("roles:employee", args=[project.pk, employee.pk]),
        reverse("roles:placements", args=[project.pk]),
        reverse("roles:staffing_export", args=[project.pk]),
    ]
    editing = [
        reverse("roles:unit_create", args=[project.pk, "fremtidig"]),
        reverse("roles:position_edit", args=[project.pk, position.pk]),
        reverse("roles:role_description_edit", args=[project.pk, position.pk]),
    ]
    for url in readable:
        assert client.get(url).status_code == expected(username), url
    for url in personal:
        wanted = 404 if username not in PERSONNEL else 200
        assert client.get(url).status_code == wanted, url
    for url in editing:
        wanted = (
            expected(username)
            if username in NOT_MEMBERS
            else (200 if username in PERSONNEL else 403)
        )
        assert client.get(url).status_code == wanted, url


# --- The demo's meetings and questions (demo/meetings.py) ---------------------------

INVITED = {"eier", "leder", "hr", "tillitsvalgt", "verneombud"}
ALL_DEMO_USERS = sorted(EDITORS | READERS | NOT_MEMBERS | {"kdg", "kdl"})


def consultations_models():
    from consultations.models import (
        AgendaItem,
        Confirmation,
        Meeting,
        Participant,
        Protocol,
        ProtocolEntry,
        Question,
    )

    return [Meeting, Participant, AgendaItem, ProtocolEntry, Protocol, Confirmation, Question]


def consultations_counts():
    return [(m.objects.count(), m.history.count()) for m in consultations_models()]


def demo_meeting(project):
    """Seed 004's consultation of 6 July 2022."""
    return project.meetings.get(title__startswith="Drøftingsmøte om overordnet organisering")


def test_the_demo_consultation_has_seed_004s_agenda_and_an_approved_protocol(demo):
    helse = demo.get(code="HELSE-MESTRING")
    meeting = demo_meeting(helse)
    assert meeting.status == "approved"
    assert meeting.starts_at.isoformat() == "2022-07-06T08:00:00+00:00"  # 10:00 in Oslo
    items = list(meeting.items.order_by("order"))
    assert [item.title for item in items] == [
        "Videre forankring av beslutning om overordnet organisasjonskart for sektoren",
        "Utarbeidelse av overordnet organisasjonsplan for sektoren",
        "Videre prosess med intern organisering på den enkelte enhet",
        "Videre prosesser med personellmessige avklaringer",
    ]
    assert all(item.done.strip() and item.next_steps.strip() for item in items)
    units = [p.split(":")[0] for p in items[2].next_steps.split("\n\n")]
    assert units == [
        f"Enhet {name}"
        for name in helse.org_units.filter(structure="future", kind="unit")
        .order_by("order", "pk")
        .values_list("name", flat=True)
    ]
    assert items[2].units.count() == 8
    assert [item.outcome for item in items] == ["agreed", "agreed", "agreed", "disagreed"]
    assert {(e.author.username, e.side) for e in items[3].entries.all()} == {
        ("tillitsvalgt", "union"),
        ("leder", "employer"),
    }
    participants = {p.user.username: p for p in meeting.participants.all()}
    assert set(participants) == INVITED and all(p.present for p in participants.values())
    assert participants["tillitsvalgt"].union_name == "Fagforbundet"
    protocol = meeting.protocols.get()
    assert protocol.status == "approved" and protocol.approved_at
    with ensure_protocol_pdf(protocol.pk).pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert sorted(protocol.confirmations.values_list("user__username", "side")) == [
        ("leder", "employer"),
        ("tillitsvalgt", "union"),
        ("verneombud", "safety"),
    ]
    # A planned meeting to come, not called: the list shows both states.
    planned = helse.meetings.get(status="planned")
    assert planned.starts_at.year == 2027 and planned.called_at is None


def test_the_demo_questions_log_has_amots_questions_most_answered(demo):
    amot = demo.get(code="AMOT-ADM")
    questions = list(amot.questions.all())
    assert 3 <= len(questions) <= 5
    assert all(q.workstream and q.asked_on.year == 2013 for q in questions)
    assert {q.asked_by.username for q in questions} <= {"medlem", "leder"}
    unanswered = [q for q in questions if not q.answered_at]
    assert len(unanswered) == 1
    assert {q.answered_by.username for q in questions if q.answered_at} == {"leder"}
    assert not demo.get(code="OU-VELFERD").questions.exists()
    assert not demo.get(code="OU-VELFERD").meetings.exists()


def test_the_demo_consultations_history_always_names_a_user(demo):
    for model in consultations_models():
        assert model.history.exists(), model
        assert not model.history.filter(history_user__isnull=True).exists(), model
    from consultations.models import AgendaItem, Meeting

    assert set(AgendaItem.history.values_list("history_user__username", flat=True)) == {"leder"}
    assert Meeting.history.filter(history_type="+").get(title__startswith="Drøftingsmøte om over")


@pytest.mark.parametrize("username", ALL_DEMO_USERS)
def test_every_role_gets_what_design_md_says_of_meetings_and_questions(client, demo, username):
    """Every member reads the meetings list and the questions log; a meeting and its protocol
    only those invited and those who run meetings (404 for everyone else, as if it did not
    exist); owner and leader make new meetings."""
    user = User.objects.get(username=username)
    client.force_login(user)
    for project in demo:
        member = project.memberships.filter(user=user).exists()
        listing = [
            reverse("consultations:meetings", args=[project.pk]),
            reverse("consultations:questions", args=[project.pk]),
        ]
        for url in listing:
            assert client.get(url).status_code == (200 if member else 404), (username, url)
        create = client.get(reverse("consultations:meeting_create", args=[project.pk]))
        wanted = 404 if not member else (200 if username in EDITORS else 403)
        assert create.status_code == wanted, (username, project.code)
    helse = demo.get(code="HELSE-MESTRING")
    meeting = demo_meeting(helse)
    urls = [
        reverse("consultations:meeting", args=[helse.pk, meeting.pk]),
        reverse("consultations:protocol", args=[helse.pk, meeting.pk]),
        reverse("consultations:protocol_pdf", args=[helse.pk, meeting.pk, 1]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (200 if username in INVITED else 404), (username, url)
        if response.streaming:
            # Read through the test client's wrapper, which closes the file without closing the
            # database connection (response.close() would close it, as after a real request).
            b"".join(response.streaming_content)
    if username in {"styring", "medlem"}:
        # Members, but not invited: the list shows the project's meetings without this one.
        body = client.get(reverse("consultations:meetings", args=[helse.pk])).content.decode()
        assert meeting.title not in body


def test_the_invited_see_the_demo_meeting_and_its_protocol(client, demo):
    helse = demo.get(code="HELSE-MESTRING")
    meeting = demo_meeting(helse)
    client.force_login(User.objects.get(username="tillitsvalgt"))
    body = client.get(reverse("consultations:meeting", args=[helse.pk, meeting.pk])).content
    body = body.decode()
    assert "Enhet Rehabilitering: etablere arbeidsgruppe" in body
    assert "Fagforbundet ber om at kompetansekravene" in body
    body = client.get(reverse("consultations:meetings", args=[helse.pk])).content.decode()
    assert meeting.title in body and "Informasjonsmøte om tilsetting av enhetsledere" in body
    client.force_login(User.objects.get(username="medlem"))
    amot = demo.get(code="AMOT-ADM")
    body = client.get(reverse("consultations:questions", args=[amot.pk])).content.decode()
    assert "Når får de ansatte vite hvilken enhet de hører til?" in body


def test_load_demo_twice_changes_no_consultations_data(demo):
    before = consultations_counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert consultations_counts() == before


def test_a_demo_built_before_the_meetings_existed_gets_them_on_the_next_run(demo):
    from consultations.models import Meeting, Question
    from demo.build import build_demo

    counts = [m.objects.count() for m in consultations_models()]
    Meeting.objects.all().delete()
    Question.objects.all().delete()
    summary = build_demo()
    assert [m.objects.count() for m in consultations_models()] == counts
    assert summary["consultations"] == [
        "AMOT-ADM (Åmot kommune)",
        "HELSE-MESTRING (Vestvågøy kommune)",
    ]
    assert "OU-VELFERD (Fjordvik kommune)" in summary["skipped"]
    assert Project.objects.count() == 4


def test_the_demo_steering_group_has_risks_and_decision_requests(demo):
    velferd = demo.get(code="OU-VELFERD")
    assert velferd.risks.count() == 4
    assert set(velferd.decision_requests.values_list("outcome", flat=True)) == {
        "decided",
        "pending",
    }
    assert not demo.get(code="AMOT-ADM").risks.exists()
    assert (
        velferd.decision_requests.get(outcome="decided").history.first().history_user.username
        == "eier"
    )
