"""Phases with gates (issue 16): each phase has a state and a checklist of criteria that must
hold before the next phase; the leader ticks them (who and when recorded) and submits the gate;
the owner approves it with a date and comment (the next phase starts) or sends it back. The
consultation gate applies to the approval: without an approved protocol it needs a reason that
the union and safety representatives are sent, or is refused in strict mode."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.models import AgendaItem
from notifications.models import OutgoingMail
from projects import services
from projects.models import GateCriterion, GateSubmission, Membership, Phase
from reports import services as report_services
from reports import worklist
from reports.dashboard import dashboard_rows
from reports.mandate import changelog

from .factories import AgendaItemFactory, MeetingFactory, PhaseFactory, ProjectFactory
from .test_consultation_gate import hold_and_approve

Role = Membership.Role
State = Phase.State
REASON = "Fase 2 må starte før budsjettet; drøftingen holdes 3. september."


@pytest.fixture
def rep(member_with_role):
    return member_with_role(Role.UNION_REP, union_name="Fagforbundet")


@pytest.fixture
def safety(member_with_role):
    return member_with_role(Role.SAFETY_REP)


@pytest.fixture
def phases(project, leader):
    first = PhaseFactory(project=project, order=1, name="Fase 1: Midlertidig løsning", by=leader)
    second = PhaseFactory(project=project, order=2, name="Fase 2: Ny struktur", by=leader)
    return first, second


def criterion(phase, text, by, order=1):
    return services.save_criterion(
        criterion=GateCriterion(phase=phase, order=order, text=text), by=by
    )


@pytest.fixture
def checklist(phases, leader):
    """Phase 1 started, with three criteria, none ticked."""
    first, _second = phases
    services.start_phase(phase=first, by=leader)
    return [
        criterion(first, "Mandatet er besluttet", leader, 1),
        criterion(first, "Organisasjonsplanen er drøftet med tillitsvalgte", leader, 2),
        criterion(first, "Innplasseringene er gjennomført", leader, 3),
    ]


def tick_all(checklist, by):
    for c in checklist:
        services.tick_criterion(criterion=c, ticked=True, by=by)


@pytest.fixture
def submitted(phases, checklist, leader):
    tick_all(checklist, leader)
    services.submit_gate(phase=phases[0], message="Klar for fase 2.", by=leader)
    return phases[0]


def notices(kind, user=None):
    rows = OutgoingMail.objects.filter(kind=kind)
    return rows.filter(recipient=user) if user else rows


def state(phase):
    phase.refresh_from_db()
    return phase.state


# --- The checklist ---------------------------------------------------------------------------------


def test_a_tick_records_who_and_when_and_the_history_keeps_it(checklist, leader, project):
    first = checklist[0]
    services.tick_criterion(criterion=first, ticked=True, note="Besluttet 03.06.", by=leader)
    first.refresh_from_db()
    assert first.ticked_by == leader and first.ticked_at is not None
    assert first.note == "Besluttet 03.06."
    services.tick_criterion(criterion=first, ticked=False, by=leader)
    first.refresh_from_db()
    assert (first.ticked_by, first.ticked_at) == (None, None)
    records = list(first.history.order_by("history_date"))
    assert [r.history_change_reason for r in records] == [
        "Sjekkliste for faseovergang",
        "Kriterium oppfylt",
        "Kriterium ikke oppfylt",
    ]
    assert {r.history_user for r in records} == {leader}
    assert records[1].ticked_by_id == leader.pk
    sections = {str(entry["section"]) for entry in changelog(project)}
    assert {"Kriterium oppfylt", "Kriterium ikke oppfylt", "Fasen er startet"} <= sections


def test_a_changed_text_takes_the_tick_away(checklist, leader):
    first = checklist[0]
    services.tick_criterion(criterion=first, ticked=True, by=leader)
    first.refresh_from_db()
    first.text = "Mandatet er besluttet av kommunestyret"
    services.save_criterion(criterion=first, by=leader)
    first.refresh_from_db()
    assert not first.is_ticked


def test_the_gate_does_not_change_the_mandate(checklist, project, leader, owner):
    report_services.decide_mandate(project=project, by=owner, no_protocol_reason=REASON)
    tick_all(checklist, leader)
    project.refresh_from_db()
    assert project.mandate_state == "decided"


# --- Submitting ---------------------------------------------------------------------------------


def test_submitting_is_refused_until_every_criterion_is_ticked(phases, checklist, leader):
    services.tick_criterion(criterion=checklist[0], ticked=True, by=leader)
    with pytest.raises(ValidationError) as refused:
        services.submit_gate(phase=phases[0], message="", by=leader)
    message = " ".join(refused.value.messages)
    assert message.startswith("Alle kriteriene må være oppfylt")
    assert "Organisasjonsplanen er drøftet med tillitsvalgte" in message
    assert "Innplasseringene er gjennomført" in message
    assert "Mandatet er besluttet" not in message
    assert state(phases[0]) == State.IN_PROGRESS
    assert not GateSubmission.objects.exists()


def test_a_phase_without_criteria_or_not_started_is_not_submitted(phases, leader):
    first, second = phases
    with pytest.raises(ValidationError, match="ikke startet"):
        services.submit_gate(phase=second, message="", by=leader)
    services.start_phase(phase=first, by=leader)
    with pytest.raises(ValidationError, match="ingen kriterier"):
        services.submit_gate(phase=first, message="", by=leader)


def test_the_leader_submits_and_the_owner_is_told_and_has_a_task(
    client, project, phases, checklist, leader, owner
):
    tick_all(checklist, leader)
    client.force_login(leader)
    url = reverse("reports:phase_gate_submit", args=[project.pk, phases[0].pk])
    assert client.post(url, {"send-message": "Klar for fase 2."}).status_code == 302
    assert state(phases[0]) == State.AT_GATE
    submission = GateSubmission.objects.get()
    assert (submission.sent_by, submission.outcome) == (leader, "pending")
    (notice,) = notices("gate.submitted")
    assert notice.recipient == owner and "Klar for fase 2." in notice.body
    assert notice.url.endswith(f"/faser/{phases[0].pk}/faseovergang/")
    assert "venter på beslutningen din" in notice.subject
    # The owner's "Mine oppgaver", and the count in the menu.
    assert worklist.count(owner) == 1
    client.force_login(owner)
    body = client.get(reverse("home")).content.decode()
    assert "Faseovergang å beslutte: Fase 1: Midlertidig løsning" in body
    assert worklist.count(leader) == 0


def test_a_double_submit_gets_the_same_refusal(submitted, leader):
    with pytest.raises(ValidationError, match="allerede sendt til beslutning"):
        services.submit_gate(phase=submitted, message="", by=leader)
    assert GateSubmission.objects.count() == 1


def test_the_checklist_is_frozen_while_at_the_gate(submitted, checklist, leader):
    with pytest.raises(ValidationError, match="Sjekklisten kan ikke endres"):
        services.tick_criterion(criterion=checklist[0], ticked=False, by=leader)
    with pytest.raises(ValidationError, match="Sjekklisten kan ikke endres"):
        criterion(submitted, "Noe nytt", leader, 4)
    with pytest.raises(ValidationError, match="Sjekklisten kan ikke endres"):
        services.delete_criterion(criterion=checklist[0], by=leader)


# --- Sending back ---------------------------------------------------------------------------------


def test_the_owner_sends_it_back_with_a_comment_and_the_leader_is_told(
    client, project, submitted, checklist, leader, owner
):
    client.force_login(owner)
    url = reverse("reports:phase_gate_return", args=[project.pk, submitted.pk])
    assert client.post(url, {"tilbake-comment": ""}).status_code == 200  # a comment is needed
    response = client.post(url, {"tilbake-comment": "Innplasseringene mangler protokoll."})
    assert response.status_code == 302
    assert state(submitted) == State.IN_PROGRESS
    submission = GateSubmission.objects.get()
    assert (submission.outcome, submission.handled_by) == ("returned", owner)
    assert "Innplasseringene mangler protokoll." in notices("gate.returned", leader).get().body
    assert worklist.count(owner) == 0
    # The checklist is open again, and the gate may be submitted anew.
    services.tick_criterion(criterion=checklist[2], ticked=False, by=leader)
    services.tick_criterion(criterion=checklist[2], ticked=True, by=leader)
    services.submit_gate(phase=submitted, message="Nå med protokoll.", by=leader)
    assert list(GateSubmission.objects.values_list("outcome", flat=True)) == [
        "pending",
        "returned",
    ]


# --- Approving, and the consultation gate --------------------------------------------------------


def test_approving_without_a_protocol_needs_a_reason_sent_to_the_representatives(
    client, project, phases, submitted, leader, owner, rep, safety
):
    client.force_login(owner)
    url = reverse("reports:phase_gate_approve", args=[project.pk, submitted.pk])
    page = client.get(reverse("reports:phase_gate", args=[project.pk, submitted.pk]))
    body = page.content.decode()
    assert "Drøftet med tillitsvalgte og verneombud" in body
    assert "Ingen sak på noen saksliste gjelder faseovergangen ennå." in body
    assert 'name="godkjenn-no_protocol_reason"' in body
    response = client.post(url, {"godkjenn-decided_on": "20.08.2013"})
    assert response.status_code == 200
    assert "Skriv hvorfor det likevel besluttes nå" in response.content.decode()
    assert state(submitted) == State.AT_GATE
    response = client.post(
        url,
        {
            "godkjenn-decided_on": "20.08.2013",
            "godkjenn-comment": "Godkjent.",
            "godkjenn-no_protocol_reason": REASON,
        },
    )
    assert response.status_code == 302
    assert state(submitted) == State.APPROVED
    assert state(phases[1]) == State.IN_PROGRESS
    submission = GateSubmission.objects.get()
    assert submission.outcome == "approved" and submission.handled_by == owner
    assert submission.decided_on == dt.date(2013, 8, 20)
    assert (submission.comment, submission.no_protocol_reason) == ("Godkjent.", REASON)
    told = notices("consultation.gate")
    assert {n.recipient for n in told} == {rep, safety}
    assert all(REASON in n.body and "Faseovergangen fra Fase 1" in n.body for n in told)
    approved = notices("gate.approved", leader).get()
    assert "Neste fase, Fase 2: Ny struktur, er startet." in approved.body
    assert REASON in approved.body
    # History with the users: who submitted, who approved.
    records = GateSubmission.history.order_by("history_date")
    assert [(r.outcome, r.history_user) for r in records] == [
        ("pending", leader),
        ("approved", owner),
    ]
    reasons = list(
        Phase.history.filter(id=submitted.pk)
        .order_by("history_date")
        .values_list("history_change_reason", "history_user")
    )
    assert reasons[-2:] == [
        ("Faseovergangen sendt til beslutning", leader.pk),
        ("Faseovergangen godkjent", owner.pk),
    ]


def test_strict_mode_refuses_an_approval_without_an_approved_protocol(
    project, submitted, owner, leader, rep, safety
):
    project.organisation.strict_consultation = True
    project.organisation.save()
    with pytest.raises(ValidationError, match="krever at saken er drøftet"):
        report_services.approve_gate(phase=submitted, by=owner, no_protocol_reason=REASON)
    assert state(submitted) == State.AT_GATE
    assert not notices("consultation.gate").exists()
    # Consulted on, with an approved protocol: approved without a reason, and no notice.
    meeting = MeetingFactory(
        project=project,
        participants=[
            {"user": leader, "side": "employer"},
            {"user": rep, "side": "union", "union_name": "Fagforbundet"},
            {"user": safety, "side": "safety"},
        ],
        by=leader,
    )
    AgendaItemFactory(
        meeting=meeting, title="Overgang til fase 2", concerns_phase=submitted, by=leader
    )
    hold_and_approve(meeting, leader, rep, safety)
    submission = report_services.approve_gate(phase=submitted, by=owner, comment="Ok")
    assert submission.no_protocol_reason == ""
    assert state(submitted) == State.APPROVED
    assert not notices("consultation.gate").exists()


def test_an_approval_dated_in_the_future_is_refused(submitted, owner):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="fram i tid"):
        report_services.approve_gate(
            phase=submitted, by=owner, decided_on=tomorrow, no_protocol_reason=REASON
        )


def test_an_approved_gate_is_approved_once(submitted, owner, leader, checklist):
    report_services.approve_gate(phase=submitted, by=owner, no_protocol_reason=REASON)
    with pytest.raises(ValidationError, match="ikke sendt til beslutning"):
        report_services.approve_gate(phase=submitted, by=owner, no_protocol_reason=REASON)
    with pytest.raises(ValidationError, match="allerede godkjent"):
        services.submit_gate(phase=submitted, message="", by=leader)
    with pytest.raises(ValidationError, match="er godkjent"):
        services.tick_criterion(criterion=checklist[0], ticked=False, by=leader)


def test_an_agenda_item_concerns_a_phase_of_its_own_project(project, phases, leader):
    other = PhaseFactory(project=ProjectFactory(), name="Fremmed fase", by=leader)
    meeting = MeetingFactory(project=project, by=leader)
    with pytest.raises(ValidationError):
        AgendaItemFactory(meeting=meeting, concerns_phase=other, by=leader)
    assert not AgendaItem.objects.filter(concerns_phase=other).exists()


# --- The portfolio: the current phase -----------------------------------------------------------


def test_the_portfolio_shows_the_first_phase_not_approved(
    client, project, phases, submitted, owner, steering
):
    on = dt.date.today()
    (row,) = dashboard_rows(steering, on)
    assert row.current_phase.pk == phases[0].pk
    assert row.current_phase.state == State.AT_GATE
    report_services.approve_gate(phase=submitted, by=owner, no_protocol_reason=REASON)
    (row,) = dashboard_rows(steering, on)
    assert (row.current_phase.pk, row.current_phase.state) == (phases[1].pk, State.IN_PROGRESS)
    client.force_login(steering)
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert "Fase 2: Ny struktur" in body and "Pågår" in body


# --- Who may do what ---------------------------------------------------------------------------------


def test_the_role_walk(client, project, phases, checklist, leader, owner, steering, rep, outsider):
    first = phases[0]
    gate_page = reverse("reports:phase_gate", args=[project.pk, first.pk])
    tick = reverse("projects:criterion_tick", args=[project.pk, first.pk, checklist[0].pk])
    add = reverse("projects:criterion_add", args=[project.pk, first.pk])
    submit = reverse("reports:phase_gate_submit", args=[project.pk, first.pk])
    approve = reverse("reports:phase_gate_approve", args=[project.pk, first.pk])
    send_back = reverse("reports:phase_gate_return", args=[project.pk, first.pk])
    approval = {"godkjenn-decided_on": "01.09.2013", "godkjenn-no_protocol_reason": REASON}

    # The leader keeps the checklist and submits.
    client.force_login(leader)
    assert client.post(add, {"kriterium-order": 4, "kriterium-text": "Budsjettet er vedtatt"})[
        "Location"
    ].endswith("#sjekkliste")
    for c in GateCriterion.objects.filter(phase=first):
        response = client.post(
            reverse("projects:criterion_tick", args=[project.pk, first.pk, c.pk]),
            {"ticked": "on", "note": ""},
        )
        assert response.status_code == 302
    assert client.post(approve, approval).status_code == 403  # the owner's to approve
    assert client.post(submit, {"send-message": ""}).status_code == 302
    assert state(first) == State.AT_GATE

    # The steering group sees it, but does not decide it.
    client.force_login(steering)
    body = client.get(gate_page).content.decode()
    assert "Ved beslutningspunkt" in body and "godkjenn-decided_on" not in body
    assert client.post(approve, approval).status_code == 403
    assert client.post(send_back, {"tilbake-comment": "Nei"}).status_code == 403
    assert client.post(tick, {"ticked": ""}).status_code == 403

    # A union representative may read the project, not keep or decide the gate.
    client.force_login(rep)
    assert client.get(gate_page).status_code == 200
    assert client.post(tick, {"ticked": ""}).status_code == 403
    assert client.post(submit, {}).status_code == 403
    assert client.post(approve, approval).status_code == 403

    # Someone from another municipality does not see that it exists.
    client.force_login(outsider)
    assert client.get(gate_page).status_code == 404
    for url in (gate_page, tick, add, submit, approve, send_back):
        assert client.post(url, approval).status_code == 404

    # The owner approves.
    client.force_login(owner)
    assert client.post(approve, approval).status_code == 302
    assert state(first) == State.APPROVED


def test_a_phase_of_another_project_is_404(client, project, phases, leader):
    other = ProjectFactory(organisation=project.organisation, owner=leader, leader=leader, code="X")
    elsewhere = PhaseFactory(project=other, name="Annen", by=leader)
    client.force_login(leader)
    url = reverse("reports:phase_gate", args=[project.pk, elsewhere.pk])
    assert client.get(url).status_code == 404


# --- Query counts --------------------------------------------------------------------------------

# Every page: session, user, the tasks' count in the menu, and the session saved again.
REQUEST = 6
# + project, permissions, the number of phases (the new phase's number, for the leader), the
# phases, their criteria with who ticked them
PHASES_QUERIES = REQUEST + 5
# + project, permissions, the phase, its criteria with who ticked them, its submissions with
# their people
GATE_QUERIES = REQUEST + 5
# + the agenda items that concern the phase with their meetings, and the meetings' protocols
GATE_DECIDING_QUERIES = GATE_QUERIES + 2


@pytest.mark.usefixtures("nothing_cached")
@pytest.mark.parametrize("n", [1, 12])
def test_the_phases_and_gate_pages_make_a_fixed_number_of_queries(
    client, project, leader, owner, rep, safety, django_assert_num_queries, n
):
    phases = [PhaseFactory(project=project, order=i, name=f"Fase {i}", by=leader) for i in range(n)]
    services.start_phase(phase=phases[0], by=leader)
    for phase in phases:
        for i in range(n):
            c = criterion(phase, f"Kriterium {i}", leader, i)
            services.tick_criterion(criterion=c, ticked=True, by=leader)
    meeting = MeetingFactory(
        project=project,
        participants=[
            {"user": leader, "side": "employer"},
            {"user": rep, "side": "union", "union_name": "Fagforbundet"},
            {"user": safety, "side": "safety"},
        ],
        by=leader,
    )
    for i in range(n):
        AgendaItemFactory(meeting=meeting, order=i, title=f"Sak {i}", concerns_phase=phases[0],
                          by=leader)  # fmt: skip
    for _ in range(n):
        services.submit_gate(phase=phases[0], message="", by=leader)
        services.return_gate(phase=phases[0], comment="Igjen", by=owner)
    services.submit_gate(phase=phases[0], message="", by=leader)

    client.force_login(leader)
    with django_assert_num_queries(PHASES_QUERIES):
        response = client.get(reverse("projects:phases", args=[project.pk]))
    assert response.content.decode().count("Oppfylt:") == n * n
    gate_page = reverse("reports:phase_gate", args=[project.pk, phases[0].pk])
    with django_assert_num_queries(GATE_QUERIES):
        assert client.get(gate_page).status_code == 200
    client.force_login(owner)
    with django_assert_num_queries(GATE_DECIDING_QUERIES):
        body = client.get(gate_page).content.decode()
    assert body.count(": sendt tilbake") == n and f"Sak {n - 1}" in body


# --- The demo -------------------------------------------------------------------------------------


def test_the_demo_tells_the_story_of_amots_phases(demo, client):
    from accounts.models import User

    amot = demo.get(code="AMOT-ADM")
    first, second = amot.phases.order_by("order")
    assert (first.state, second.state) == (State.APPROVED, State.IN_PROGRESS)
    (approval,) = first.submissions.all()
    assert approval.outcome == "approved" and approval.handled_by.username == "eier"
    assert approval.sent_by.username == "leder" and approval.no_protocol_reason
    assert approval.decided_on == dt.date(2013, 8, 26)
    ticked = [c.is_ticked for c in second.criteria.all()]
    assert ticked == [True, True, False, False]
    assert {c.ticked_by.username for c in first.criteria.all()} == {"leder"}
    velferd = demo.get(code="OU-VELFERD")
    assert velferd.phases.order_by("order").first().state == State.IN_PROGRESS
    # Every demo role on the gate page of phase 2: who reads, who may act.
    url = reverse("reports:phase_gate", args=[amot.pk, second.pk])
    for username, status in (("leder", 200), ("eier", 200), ("styring", 200),
                             ("tillitsvalgt", 200), ("utenfor", 404)):  # fmt: skip
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == status, username
    client.force_login(User.objects.get(username="leder"))
    assert "Kryss av som oppfylt" in client.get(url).content.decode()
    client.force_login(User.objects.get(username="styring"))
    assert "Kryss av som oppfylt" not in client.get(url).content.decode()
    tick = reverse("projects:criterion_tick", args=[amot.pk, second.pk, second.criteria.last().pk])
    assert client.post(tick, {"ticked": "on"}).status_code == 403
