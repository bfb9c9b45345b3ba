"""Milestones, decision points and activities: the services' rules, the pages, the paste import,
and who may do what (owner and leader plan; workstream members update their own workstream)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from milestones import services
from milestones.models import Activity, Milestone
from projects import services as project_services
from projects.models import Membership
from reports import services as report_services

from .factories import (
    UNCONSULTED,
    ActivityFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    UserFactory,
    WorkstreamFactory,
)
from .test_pdf import pdf_text

Role = Membership.Role

# Seed 001's table 5.5 as Excel puts it on the clipboard: tab-separated, a cell with a line break
# quoted.
SEED_TABLE = """\
Nr\tMilepæl\tKriterium\tDato
M1\tLedersamling for virksomhetsledere\t\t11-12 april 2013
M2\tTillitsvalgte\tTillitsvalgte orientert\t3. mai 2013
M3\tGjennomført kafédialog med alle i ledergruppen\tDokumenter fra arbeidsgruppene foreligger\t13.05.2013
M4\tRådmannens forslag fremlegges ledergruppen\tPresentert forslag for innspill\t03.06.2013
M5\tDefinere, spesifisere og prioritere oppgaver\tDefinert, spesifisert og prioritert hovedoppgaver til ledergruppen\t10.06.2013
M6\tArbeidsprosesser for ledergruppen\t"Beskrevet både «nåværende» og «fremtidige» arbeidsprosesser ift ledergruppen,
samt gjennomført gapanalyse"\t10.06.2013
M7\tRollebeskrivelser\tUtarbeidet mal for organisasjons- og bemanningsplan, samt rollebeskrivelser for den enkelte stilling\t10.06.2013
M8\tKartleggingssamtaler\tGjennomført kartleggingssamtaler med alle berørte ansatte\t17.06.2013
M9\tUtarbeidet organisasjons- og bemanningsplan\tUtarbeidet forslag til organisasjons- og bemanningsplan\t17.06.2013
M10\tUtarbeidet prosedyre for innplassering\tUtarbeidet prosedyre for innplassering av ansatte\t17.06.2013
M11\tDrøftet\tDrøftet ny organisasjons- og bemanningsplan og prosedyre for innplassering\t17.06.2013
M12\tBesluttet\tBesluttet ny organisasjons- og bemanningsplan og prosedyre for innplassering\t19.06.2013
M13\tInnplassering\tInnplassering av ansatte i ny organisasjon iht ny organisasjons- og bemanningsplan og prosedyre for innplassering\t24.06.2013
M14\tOperativ\tNy organisasjon operativ\tSenest 19. august 2013
M15\tOmstillingssamtaler\tOmstillingssamtale med ansatte som ikke er direkte innplassert\tSenest 19. august 2013
M16\tVed evt. overtallighet\tRetningslinjer for nedbemanning i Åmot kommune (Sak 11/7, vedtatt 18/5-2011 av Administrasjonsutvalget), skal benyttes ved evt overtallighet\tSenest 26. august 2013
"""

SEED_DATES = {
    "M1": dt.date(2013, 4, 12),
    "M2": dt.date(2013, 5, 3),
    "M3": dt.date(2013, 5, 13),
    "M4": dt.date(2013, 6, 3),
    "M5": dt.date(2013, 6, 10),
    "M6": dt.date(2013, 6, 10),
    "M7": dt.date(2013, 6, 10),
    "M8": dt.date(2013, 6, 17),
    "M9": dt.date(2013, 6, 17),
    "M10": dt.date(2013, 6, 17),
    "M11": dt.date(2013, 6, 17),
    "M12": dt.date(2013, 6, 19),
    "M13": dt.date(2013, 6, 24),
    "M14": dt.date(2013, 8, 19),
    "M15": dt.date(2013, 8, 19),
    "M16": dt.date(2013, 8, 26),
}


def snapshot(project):
    """Everything the milestone pages may write, to prove that a refused request wrote nothing."""
    return (
        list(Milestone.objects.filter(project=project).order_by("pk").values()),
        list(Milestone.depends_on.through.objects.order_by("pk").values()),
        list(Activity.objects.filter(project=project).order_by("pk").values()),
        Milestone.history.count(),
    )


@pytest.fixture
def workstream(project, leader):
    return WorkstreamFactory(project=project, name="Skoler og barnehager", by=leader)


@pytest.fixture
def other_workstream(project, leader):
    return WorkstreamFactory(project=project, name="Helse og omsorg", order=2, by=leader)


@pytest.fixture
def ws_member(project, leader, member_with_role, workstream):
    """A project-group member who is a member of `workstream` only."""
    user = member_with_role(Role.PROJECT_GROUP)
    project_services.save_workstream(workstream=workstream, members=[user], by=leader)
    return user


# --- The paste import ---------------------------------------------------------------------------


def test_the_seed_table_pasted_creates_all_sixteen_with_the_right_dates(client, project, leader):
    client.force_login(leader)
    url = reverse("milestones:import", args=[project.pk])

    preview = client.post(url, {"table": SEED_TABLE, "preview": ""})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Alle 16 radene er klare til import." in body
    assert not project.milestones.exists()  # a preview saves nothing

    response = client.post(url, {"table": SEED_TABLE, "confirm": "1"})
    assert response.status_code == 302
    saved = {m.code: m for m in project.milestones.all()}
    assert {code: m.due_date for code, m in saved.items()} == SEED_DATES
    assert saved["M14"].date_text == "Senest 19. august 2013"
    assert saved["M1"].date_text  # a range keeps its wording
    assert "gapanalyse" in saved["M6"].criterion
    assert Milestone.history.filter(history_user=leader).count() == 16


def test_an_import_with_one_bad_row_saves_nothing_and_says_why(client, project, leader):
    MilestoneFactory(project=project, code="M2", due_date=dt.date(2013, 5, 3), by=leader)
    client.force_login(leader)
    table = SEED_TABLE.replace("13.05.2013", "snart")
    before = snapshot(project)

    response = client.post(
        reverse("milestones:import", args=[project.pk]), {"table": table, "confirm": "1"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "«snart» er ikke en dato" in body
    assert "Prosjektet har allerede milepæl M2." in body
    assert "Ingenting er importert" in body or "ingenting er lagret" in body
    assert snapshot(project) == before


def test_the_import_page_is_for_those_who_plan(client, project, steering):
    client.force_login(steering)
    url = reverse("milestones:import", args=[project.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"table": SEED_TABLE, "confirm": "1"}).status_code == 403
    assert not project.milestones.exists()


# --- Milestones: the rules ----------------------------------------------------------------------


def test_a_number_used_twice_is_refused_in_norwegian(client, project, leader):
    MilestoneFactory(project=project, code="M1", by=leader)
    client.force_login(leader)
    before = snapshot(project)
    response = client.post(
        reverse("milestones:create", args=[project.pk]),
        {
            "code": "m1",
            "title": "Igjen",
            "kind": "milestone",
            "due_date": "2026-04-01",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "Prosjektet har allerede en milepæl med dette nummeret." in response.content.decode()
    assert snapshot(project) == before


def test_a_date_that_is_no_date_is_refused(client, project, leader):
    client.force_login(leader)
    response = client.post(
        reverse("milestones:create", args=[project.pk]),
        {
            "code": "M1",
            "title": "Mandat",
            "kind": "milestone",
            "due_date": "31.02.2026",
            "status": "planned",
        },
    )
    assert "Oppgi en gyldig dato." in response.content.decode()
    assert not project.milestones.exists()


def test_a_dependency_loop_is_refused_and_changes_nothing(client, project, leader):
    m1 = MilestoneFactory(project=project, code="M1", due_date=dt.date(2026, 3, 1), by=leader)
    m2 = MilestoneFactory(project=project, code="M2", due_date=dt.date(2026, 4, 1), by=leader)
    m3 = MilestoneFactory(project=project, code="M3", due_date=dt.date(2026, 5, 1), by=leader)
    services.save_milestone(milestone=m2, depends_on=[m1], by=leader)
    services.save_milestone(milestone=m3, depends_on=[m2], by=leader)
    client.force_login(leader)
    before = snapshot(project)

    response = client.post(
        reverse("milestones:edit", args=[project.pk, m1.pk]),
        {
            "code": "M1",
            "title": "Milepæl M1",
            "kind": "milestone",
            "due_date": "2026-03-01",
            "status": "planned",
            "depends_on": [m3.pk],
        },
    )
    assert response.status_code == 200
    assert "Avhengighetene går i ring: M1 → M3 → M2 → M1." in response.content.decode()
    assert snapshot(project) == before


def test_another_projects_milestone_is_no_choice_and_its_url_is_404(
    client, project, organisation, owner, leader
):
    other = ProjectFactory(organisation=organisation, owner=owner, leader=leader, code="ANNET")
    foreign = MilestoneFactory(project=other, code="M1", due_date=dt.date(2026, 3, 1), by=leader)
    mine = MilestoneFactory(project=project, code="M1", due_date=dt.date(2026, 3, 1), by=leader)
    client.force_login(leader)
    before = snapshot(project), snapshot(other)

    response = client.post(
        reverse("milestones:edit", args=[project.pk, mine.pk]),
        {
            "code": "M1",
            "title": "X",
            "kind": "milestone",
            "due_date": "2026-03-01",
            "status": "planned",
            "depends_on": [foreign.pk],
        },
    )
    assert "Velg et gyldig valg." in response.content.decode()
    for name in ("edit", "status"):
        assert (
            client.get(reverse(f"milestones:{name}", args=[project.pk, foreign.pk])).status_code
            == 404
        )
    assert (
        client.post(reverse("milestones:delete", args=[project.pk, foreign.pk])).status_code == 404
    )
    assert (snapshot(project), snapshot(other)) == before


def test_a_milestone_dated_before_one_it_depends_on_gets_a_warning(client, project, leader):
    m1 = MilestoneFactory(project=project, code="M1", due_date=dt.date(2026, 6, 1), by=leader)
    m2 = MilestoneFactory(project=project, code="M2", due_date=dt.date(2026, 5, 1), by=leader)
    client.force_login(leader)
    response = client.post(
        reverse("milestones:edit", args=[project.pk, m2.pk]),
        {
            "code": "M2",
            "title": "Etter",
            "kind": "milestone",
            "due_date": "2026-05-01",
            "status": "planned",
            "depends_on": [m1.pk],
        },
        follow=True,
    )
    warning = "M2 er datert før M1, som den avhenger av (01.06.2026)."
    assert warning in response.content.decode()  # after saving, and on the list itself
    assert list(m2.depends_on.all()) == [m1]


def test_overdue_is_derived_from_the_date_and_the_status(project, leader):
    today = dt.date.today()
    late = MilestoneFactory(
        project=project, code="M1", due_date=today - dt.timedelta(days=1), by=leader
    )
    missed = MilestoneFactory(
        project=project,
        code="M2",
        due_date=today - dt.timedelta(days=3),
        status=Milestone.Status.MISSED,
        by=leader,
    )
    MilestoneFactory(
        project=project,
        code="M3",
        due_date=today - dt.timedelta(days=2),
        status=Milestone.Status.REACHED,
        by=leader,
    )
    MilestoneFactory(project=project, code="M4", due_date=today, by=leader)
    assert set(Milestone.objects.overdue()) == {late, missed}
    assert late.is_overdue() and not Milestone.objects.get(code="M3").is_overdue()


def test_reaching_a_milestone_records_when_and_leaving_reached_clears_it(project, leader):
    milestone = MilestoneFactory(project=project, code="M1", by=leader)
    services.set_milestone_status(
        milestone=milestone, status="reached", note="Drøftet i møte", by=leader
    )
    milestone.refresh_from_db()
    assert milestone.reached_on == dt.date.today()
    assert milestone.reached_note == "Drøftet i møte"
    services.set_milestone_status(milestone=milestone, status="in_progress", by=leader)
    milestone.refresh_from_db()
    assert milestone.reached_on is None
    assert milestone.history.first().history_user == leader


# --- Who may update what -------------------------------------------------------------------------


def test_a_workstream_member_updates_the_status_in_their_own_workstream_only(
    client, project, leader, ws_member, workstream, other_workstream
):
    own = MilestoneFactory(project=project, code="M1", workstream=workstream, by=leader)
    other = MilestoneFactory(
        project=project,
        code="M2",
        workstream=other_workstream,
        by=leader,
    )
    whole = MilestoneFactory(project=project, code="M3", by=leader)
    client.force_login(ws_member)

    response = client.post(
        reverse("milestones:status", args=[project.pk, own.pk]),
        {"inline": "1", f"m{own.pk}-status": "reached"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="m{own.pk}"' in response.content.decode()
    assert "Lagret." in response.content.decode()
    own.refresh_from_db()
    assert own.status == "reached"
    assert own.history.first().history_user == ws_member

    for milestone in (other, whole):
        url = reverse("milestones:status", args=[project.pk, milestone.pk])
        assert (
            client.post(url, {"inline": "1", f"m{milestone.pk}-status": "reached"}).status_code
            == 403
        )
        milestone.refresh_from_db()
        assert milestone.status == "planned"
    # Planning stays with owner and leader.
    assert client.get(reverse("milestones:edit", args=[project.pk, own.pk])).status_code == 403
    assert client.get(reverse("milestones:create", args=[project.pk])).status_code == 403


def test_the_status_page_works_without_javascript(client, project, leader):
    milestone = MilestoneFactory(project=project, code="M1", by=leader)
    client.force_login(leader)
    url = reverse("milestones:status", args=[project.pk, milestone.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"status": "reached", "reached_on": "2026-03-02", "reached_note": "Vedtatt"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.reached_on, milestone.reached_note) == (
        "reached",
        dt.date(2026, 3, 2),
        "Vedtatt",
    )
    response = client.post(url, {"status": "reached", "reached_on": "2199-01-01"})
    assert response.status_code == 200
    assert "Datoen kan ikke være fram i tid." in response.content.decode()


def test_steering_and_union_reps_read_but_do_not_update(
    client, project, leader, member_with_role, workstream
):
    milestone = MilestoneFactory(project=project, code="M1", workstream=workstream, by=leader)
    activity = ActivityFactory(
        project=project, title="Skrive notat", workstream=workstream, by=leader
    )
    for role in (Role.STEERING, Role.UNION_REP, Role.SAFETY_REP, Role.OBSERVER):
        client.force_login(member_with_role(role))
        for name in ("plan", "list", "activities"):
            response = client.get(reverse(f"milestones:{name}", args=[project.pk]))
            assert response.status_code == 200
            assert "Oppdater" not in response.content.decode()
        before = snapshot(project)
        posts = [
            (reverse("milestones:status", args=[project.pk, milestone.pk]), {"status": "reached"}),
            (
                reverse("milestones:activity_status", args=[project.pk, activity.pk]),
                {f"a{activity.pk}-status": "done"},
            ),
            (reverse("milestones:activities", args=[project.pk]), {"title": "Kapret"}),
            (reverse("milestones:activity_delete", args=[project.pk, activity.pk]), {}),
            (reverse("milestones:delete", args=[project.pk, milestone.pk]), {}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (role, url)
        assert snapshot(project) == before


def test_an_outsider_gets_404_everywhere(client, project, leader, outsider):
    milestone = MilestoneFactory(project=project, code="M1", by=leader)
    client.force_login(outsider)
    for name in ("plan", "list", "activities", "create", "import"):
        assert client.get(reverse(f"milestones:{name}", args=[project.pk])).status_code == 404
    for name in ("edit", "status"):
        assert (
            client.get(reverse(f"milestones:{name}", args=[project.pk, milestone.pk])).status_code
            == 404
        )


# --- Activities -------------------------------------------------------------------------------


def test_a_workstream_member_adds_and_closes_activities_in_their_workstream(
    client, project, leader, ws_member, workstream, other_workstream
):
    client.force_login(ws_member)
    url = reverse("milestones:activities", args=[project.pk])
    page = client.get(url).content.decode()
    choices = re.search(r'<select name="workstream".*?</select>', page, re.S).group()
    assert "Skoler og barnehager" in choices  # their workstream is a choice …
    assert "Helse og omsorg" not in choices  # … the other one is not

    response = client.post(
        url, {"title": "Møte med rektorene", "status": "todo", "workstream": other_workstream.pk}
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg." in response.content.decode()
    response = client.post(
        url, {"title": "Møte med rektorene", "status": "todo", "workstream": workstream.pk}
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Møte med rektorene")
    assert activity.history.first().history_user == ws_member

    response = client.post(
        reverse("milestones:activity_status", args=[project.pk, activity.pk]),
        {f"a{activity.pk}-status": "done"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    activity.refresh_from_db()
    assert (activity.status, activity.done_on) == ("done", dt.date.today())
    assert "Møte med rektorene" not in client.get(url).content.decode()
    assert "Møte med rektorene" in client.get(url, {"vis": "gjort"}).content.decode()
    own = client.get(url, {"vis": "gjort", "arbeidsstrom": other_workstream.pk}).content.decode()
    assert "Møte med rektorene" not in own  # filtered by workstream


def test_an_activity_towards_a_milestone_takes_its_workstream(project, leader, workstream):
    milestone = MilestoneFactory(project=project, code="M1", workstream=workstream, by=leader)
    activity = ActivityFactory(project=project, title="Forberede", milestone=milestone, by=leader)
    assert activity.workstream == workstream


# --- The overview and the mandate ---------------------------------------------------------------


def test_the_overview_shows_progress_the_next_three_and_the_overdue_count(client, project, leader):
    today = dt.date.today()
    MilestoneFactory(
        project=project,
        code="M1",
        due_date=today - dt.timedelta(days=10),
        status="reached",
        reached_on=today,
        by=leader,
    )
    MilestoneFactory(project=project, code="M2", due_date=today - dt.timedelta(days=2), by=leader)
    for n in range(3, 7):
        MilestoneFactory(
            project=project,
            code=f"M{n}",
            due_date=today + dt.timedelta(days=n),
            title=f"Neste {n}",
            by=leader,
        )
    client.force_login(leader)
    body = client.get(reverse("reports:overview", args=[project.pk])).content.decode()
    assert "1 av 6 milepæler er nådd" in body
    assert '<progress id="milepaeler-nadd" class="progress-bar" max="6" value="1">' in body
    assert "1 forsinket" in body
    assert "Neste 3" in body and "Neste 5" in body and "Neste 6" not in body


def test_the_mandate_pdf_has_the_decision_points_and_the_milestone_table(
    client, project, leader, owner
):
    client.force_login(leader)
    client.post(
        reverse("milestones:import", args=[project.pk]), {"table": SEED_TABLE, "confirm": "1"}
    )
    MilestoneFactory(
        project=project,
        code="B1",
        due_date=dt.date(2013, 6, 3),
        title="Mandat besluttet",
        kind="decision_point",
        by=leader,
    )
    MilestoneFactory(
        project=project,
        code="B2",
        due_date=dt.date(2013, 6, 18),
        title="Ny organisering besluttet",
        kind="decision_point",
        date_text="Senest 18. juni 2013",
        by=leader,
    )

    _, text = pdf_text(client.get(reverse("reports:mandate_pdf", args=[project.pk])).content)
    flat = " ".join(text.split())
    assert "5.2 Beslutningspunkter" in flat
    assert "Ny organisering besluttet Senest 18. juni 2013" in flat
    assert flat.index("5.2 Beslutningspunkter") < flat.index("5.5 Hovedmilepæler")
    assert "M16" in flat and "Senest 26. august 2013" in flat and "13.05.2013" in flat

    # The decided version freezes the table; later changes show in the next draft only.
    version = report_services.decide_mandate(
        project=project, by=owner, no_protocol_reason=UNCONSULTED
    )
    assert [m["code"] for m in version.snapshot["milestones"]][:3] == ["M1", "M2", "M3"]
    assert [d["title"] for d in version.snapshot["decision_points"]] == [
        "Mandat besluttet",
        "Ny organisering besluttet",
    ]


def test_the_plan_filters_by_phase_and_workstream(client, project, leader, workstream):
    phase = PhaseFactory(project=project, name="Fase 1", by=leader)
    MilestoneFactory(project=project, code="M1", phase=phase, title="I fasen", by=leader)
    MilestoneFactory(
        project=project, code="M2", workstream=workstream, title="I strømmen", by=leader
    )
    client.force_login(leader)
    url = reverse("milestones:plan", args=[project.pk])
    body = client.get(url, {"fase": phase.pk}).content.decode()
    assert "I fasen" in body and "I strømmen" not in body
    body = client.get(url, {"arbeidsstrom": workstream.pk}).content.decode()
    assert "I strømmen" in body and "I fasen" not in body
    body = client.get(url, {"fase": "999999"}).content.decode()  # unknown: an error, no filter
    assert "Velg et gyldig valg" in body and "I fasen" in body and "I strømmen" in body


def test_milestones_of_a_user_from_another_organisation_cannot_be_assigned(
    client, project, leader, other_organisation
):
    stranger = UserFactory(organisations=[other_organisation])
    client.force_login(leader)
    response = client.post(
        reverse("milestones:create", args=[project.pk]),
        {
            "code": "M1",
            "title": "X",
            "kind": "milestone",
            "due_date": "2026-03-01",
            "status": "planned",
            "responsible": stranger.pk,
        },
    )
    assert "Velg et gyldig valg." in response.content.decode()
    assert not project.milestones.exists()


def test_the_change_log_shows_milestone_and_activity_changes(client, project, leader):
    client.force_login(leader)
    client.post(
        reverse("milestones:import", args=[project.pk]), {"table": SEED_TABLE, "confirm": "1"}
    )
    ActivityFactory(project=project, title="Skrive notat", by=leader)
    body = client.get(reverse("reports:changelog", args=[project.pk])).content.decode()
    assert "Milepæler importert fra tabell" in body
    assert "Aktiviteter" in body
