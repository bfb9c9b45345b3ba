"""The consultation gate (Hovedavtalen § 1-4, arbeidsmiljøloven §§ 8-1 and 8-2) and the way to
the owner's decision: the leader sends the mandate, the owner decides it with a date and a
comment or sends it back; deciding the mandate, a placement or a decision request that affects
the employees shows what was consulted on, and without an approved protocol needs a written
reason that the union and safety representatives are sent (refused in strict mode); a
representative asks for a correction of a protocol instead of confirming it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import gate
from consultations import services as consultation_services
from consultations.models import AgendaItem, Meeting, Protocol
from notifications.models import OutgoingMail
from projects import services as project_services
from projects.models import MandateSubmission, MandateVersion, Membership, Project
from reports import services as report_services
from reports.models import DecisionRequest
from roles.models import Placement

from .factories import (
    AgendaItemFactory,
    DecisionRequestFactory,
    EmployeeFactory,
    MeetingFactory,
    OrgUnitFactory,
    PlacementFactory,
    PositionFactory,
)

Role = Membership.Role
REASON = "Omorganiseringen må vedtas før budsjettet 1. oktober; drøftingen holdes 3. september."
TODAY = dt.date.today


@pytest.fixture
def rep(member_with_role):
    return member_with_role(Role.UNION_REP, union_name="Fagforbundet")


@pytest.fixture
def safety(member_with_role):
    return member_with_role(Role.SAFETY_REP)


@pytest.fixture
def hr(member_with_role):
    return member_with_role(Role.HR)


def consultation(project, leader, rep, safety, *, concerns_mandate=True, links=None):
    """A consultation meeting a week from now, with the matter on its agenda: only planned."""
    meeting = MeetingFactory(
        project=project,
        participants=[
            {"user": leader, "side": "employer"},
            {"user": rep, "side": "union", "union_name": "Fagforbundet"},
            {"user": safety, "side": "safety"},
        ],
        by=leader,
    )
    item = AgendaItemFactory(
        meeting=meeting,
        title="Prosjektmandat for omorganiseringen",
        concerns_mandate=concerns_mandate,
        links=links,
        by=leader,
    )
    return meeting, item


def hold_and_approve(meeting, leader, rep, safety):
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    everyone = [leader, rep, safety]
    consultation_services.mark_held(
        meeting=meeting, present_user_ids=[u.pk for u in everyone], by=leader
    )
    consultation_services.send_for_approval(meeting=meeting, by=leader)
    for user in everyone:
        consultation_services.confirm(meeting=meeting, by=user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PROTOCOL_APPROVED


def notices(kind, user=None):
    rows = OutgoingMail.objects.filter(kind=kind)
    return rows.filter(recipient=user) if user else rows


# --- The mandate to the owner --------------------------------------------------------------------


def test_the_leader_sends_the_mandate_and_the_owner_is_told(client, project, leader, owner):
    client.force_login(leader)
    response = client.post(
        reverse("reports:mandate_submit", args=[project.pk]),
        {"send-message": "Klar til beslutning."},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.mandate_state == "submitted" and project.mandate_label == "Til beslutning"
    (notice,) = notices("mandate.submitted")
    assert notice.recipient == owner and notice.sender == leader
    assert "Klar til beslutning." in notice.body and notice.url.endswith(f"/{project.pk}/mandat/")
    assert Project.history.filter(id=project.pk).first().history_change_reason == (
        "Mandatet sendt til beslutning"
    )
    # The owner's front page lists it, linking to the mandate.
    client.force_login(owner)
    body = client.get(reverse("home")).content.decode()
    assert "Mandatet venter på beslutningen din" in body


def test_the_owner_sends_it_back_with_a_comment_and_the_leader_is_told(
    client, project, leader, owner
):
    project_services.submit_mandate(project=project, message="", by=leader)
    client.force_login(owner)
    url = reverse("reports:mandate_return", args=[project.pk])
    assert client.post(url, {"tilbake-comment": ""}).status_code == 200  # a comment is needed
    response = client.post(url, {"tilbake-comment": "Effektmålene må kunne måles."})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.mandate_state == "draft"
    submission = MandateSubmission.objects.get()
    assert (submission.outcome, submission.handled_by) == ("returned", owner)
    assert notices("mandate.returned", leader).get().body.count("Effektmålene må kunne måles.")
    client.force_login(leader)
    body = client.get(reverse("home")).content.decode()
    assert "Mandatet er sendt tilbake fra prosjekteieren" in body
    assert "Effektmålene må kunne måles." in body


def test_an_edit_after_sending_takes_it_back_from_the_owner(project, leader):
    project_services.submit_mandate(project=project, message="", by=leader)
    project_services.update_mandate_fields(
        project=project, values={"background": "Ny tekst"}, section="Bakgrunn", by=leader
    )
    project.refresh_from_db()
    assert project.mandate_state == "draft"
    assert MandateSubmission.objects.get().outcome == "withdrawn"


def test_the_owner_decides_with_a_date_and_a_comment_and_the_project_becomes_active(
    client, project, leader, owner, rep, safety
):
    meeting, _item = consultation(project, leader, rep, safety)
    hold_and_approve(meeting, leader, rep, safety)
    project_services.submit_mandate(project=project, message="", by=leader)
    client.force_login(owner)
    page = client.get(reverse("reports:mandate", args=[project.pk])).content.decode()
    assert "Prosjektmandat for omorganiseringen" in page and "Versjon 1, godkjent" in page
    assert "Begrunnelse for å beslutte uten godkjent protokoll" not in page  # consulted
    response = client.post(
        reverse("reports:decide_mandate", args=[project.pk]),
        {"beslutt-decided_on": "2026-03-02", "beslutt-comment": "Vedtatt som foreslått."},
    )
    assert response.status_code == 302
    version = MandateVersion.objects.get()
    assert (version.decided_on, version.comment, version.no_protocol_reason) == (
        dt.date(2026, 3, 2),
        "Vedtatt som foreslått.",
        "",
    )
    project.refresh_from_db()
    assert (project.status, project.mandate_label) == ("active", "Besluttet v1")
    assert MandateSubmission.objects.get().outcome == "decided"
    assert notices("mandate.decided", leader).exists()
    assert not notices("consultation.gate").exists()


def test_deciding_while_the_consultation_is_only_planned_needs_a_reason_sent_to_the_reps(
    client, project, leader, owner, rep, safety
):
    consultation(project, leader, rep, safety)
    client.force_login(owner)
    page = client.get(reverse("reports:mandate", args=[project.pk])).content.decode()
    assert "Drøftingen har ingen godkjent protokoll" in page and "planlagt" in page
    url = reverse("reports:decide_mandate", args=[project.pk])
    response = client.post(url, {"beslutt-decided_on": TODAY().isoformat()})
    assert response.status_code == 200
    assert "Skriv hvorfor det likevel besluttes nå" in response.content.decode()
    assert not MandateVersion.objects.exists()

    response = client.post(
        url, {"beslutt-decided_on": TODAY().isoformat(), "beslutt-no_protocol_reason": REASON}
    )
    assert response.status_code == 302
    version = MandateVersion.objects.get()
    assert version.no_protocol_reason == REASON
    page = client.get(reverse("reports:mandate", args=[project.pk])).content.decode()
    assert "Besluttet uten godkjent protokoll fra drøftingen." in page and REASON in page
    told = notices("consultation.gate")
    assert {n.recipient for n in told} == {rep, safety}
    assert all(REASON in n.body and "Hovedavtalen § 1-4" in n.body for n in told)
    assert Project.history.filter(id=project.pk).first().history_user == owner


def test_in_strict_mode_it_is_refused_with_a_clear_message(
    client, project, organisation, leader, owner, rep, safety
):
    organisation.strict_consultation = True
    organisation.save()
    consultation(project, leader, rep, safety)
    with pytest.raises(ValidationError, match="krever at saken er drøftet med godkjent protokoll"):
        report_services.decide_mandate(project=project, by=owner, no_protocol_reason=REASON)
    client.force_login(owner)
    page = client.get(reverse("reports:mandate", args=[project.pk])).content.decode()
    assert "krever at mandatet er drøftet med godkjent protokoll" in page
    assert "Beslutt mandatet</button>" not in page
    assert not MandateVersion.objects.exists()


def test_a_later_edit_shows_decided_v1_and_draft_of_v2_and_the_comparison_marks_the_words(
    client, project, leader, owner
):
    project_services.update_mandate_fields(
        project=project, values={"background": "Åmot trenger en ny ledergruppe."},
        section="Bakgrunn", by=leader,
    )  # fmt: skip
    report_services.decide_mandate(project=project, by=owner, no_protocol_reason=REASON)
    project_services.update_mandate_fields(
        project=project, values={"background": "Åmot trenger en mindre ledergruppe."},
        section="Bakgrunn", by=leader,
    )  # fmt: skip
    project.refresh_from_db()
    assert project.mandate_label == "Besluttet v1 · utkast til v2"
    client.force_login(leader)
    for url in (reverse("reports:mandate", args=[project.pk]), reverse("projects:list")):
        assert "Besluttet v1 · utkast til v2" in client.get(url).content.decode()
    body = client.get(reverse("reports:mandate_compare", args=[project.pk])).content.decode()
    assert '<del><span class="ds-sr-only">[fjernet: </span>ny ' in body
    assert '<ins><span class="ds-sr-only">[lagt til: </span>mindre ' in body
    assert "uendret" in body and "endret" in body
    # v1 against v1: nothing changed; an unknown version is 404.
    url = reverse("reports:mandate_compare", args=[project.pk])
    assert "<del>" not in client.get(url, {"fra": "1", "til": "1"}).content.decode()
    assert client.get(url, {"fra": "7"}).status_code == 404
    # The change log shows what the edit removed and added.
    log = client.get(reverse("reports:changelog", args=[project.pk])).content.decode()
    assert "Vis hva som ble endret" in log and "mindre" in log


# --- Placements ----------------------------------------------------------------------------------


@pytest.fixture
def placement(project, leader):
    unit = OrgUnitFactory(project=project, name="Institusjon", by=leader)
    position = PositionFactory(unit=unit, title="Enhetsleder Institusjon", by=leader)
    employee = EmployeeFactory(project=project, first_name="Kari", last_name="Fjell", by=leader)
    return PlacementFactory(employee=employee, position=position, by=leader)


def test_a_placement_is_consulted_only_from_the_agenda_item_of_a_held_meeting(
    client, project, leader, rep, safety, placement
):
    meeting, item = consultation(
        project, leader, rep, safety, concerns_mandate=False, links={"placements": [placement]}
    )
    client.force_login(leader)
    # Not from the placements list: the form does not offer it.
    client.post(
        reverse("roles:placement_status", args=[project.pk, placement.pk]), {"status": "consulted"}
    )
    placement.refresh_from_db()
    assert placement.status == "proposed"
    url = reverse("consultations:item_placements_consulted", args=[project.pk, meeting.pk, item.pk])
    client.post(url)  # the meeting is not held yet
    placement.refresh_from_db()
    assert placement.status == "proposed"
    hold_and_approve(meeting, leader, rep, safety)
    client.post(url)
    placement.refresh_from_db()
    assert placement.status == "consulted"
    assert placement.consulted_in.startswith("Drøftingsmøte «Drøftingsmøte om organisasjonskartet»")


def test_deciding_a_placement_without_an_approved_protocol_needs_a_reason_without_the_name(
    client, project, leader, rep, safety, placement
):
    consultation(project, leader, rep, safety, links={"placements": [placement]})
    client.force_login(leader)
    url = reverse("consultations:placement_decide", args=[project.pk, placement.pk])
    page = client.get(url).content.decode()
    assert "Drøftingen har ingen godkjent protokoll" in page and "Kari Fjell" in page
    assert client.post(url, {"decided_on": TODAY().isoformat()}).status_code == 200
    placement.refresh_from_db()
    assert placement.status == "proposed"
    response = client.post(url, {"decided_on": TODAY().isoformat(), "no_protocol_reason": REASON})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.no_protocol_reason) == ("decided", REASON)
    told = notices("consultation.gate")
    assert {n.recipient for n in told} == {rep, safety}
    assert all("Enhetsleder Institusjon" in n.body and "Kari" not in n.body for n in told)


def test_the_placement_decision_page_is_for_those_who_manage_personnel(
    client, project, leader, rep, hr, steering, placement
):
    url = reverse("consultations:placement_decide", args=[project.pk, placement.pk])
    for user, status in ((leader, 200), (hr, 200), (rep, 404), (steering, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


# --- Decision requests that affect the employees -------------------------------------------------


def test_a_decision_request_that_affects_employees_is_gated(
    client, project, leader, owner, rep, safety
):
    meeting, item = consultation(project, leader, rep, safety, concerns_mandate=False)
    request = DecisionRequestFactory(
        project=project, title="Ny enhetsstruktur", affects_employees=True, by=leader
    )
    request.agenda_items.set([item])
    client.force_login(owner)
    page = client.get(reverse("reports:decisions", args=[project.pk])).content.decode()
    assert "Berører ansatte" in page and "Drøftet i:" in page and "planlagt" in page
    url = reverse("reports:decision_record", args=[project.pk, request.pk])
    client.post(url, {f"d{request.pk}-outcome": "decided"})
    request.refresh_from_db()
    assert request.outcome == "pending"  # refused: no reason
    client.post(url, {f"d{request.pk}-outcome": "deferred"})  # deferring needs none
    request.refresh_from_db()
    assert request.outcome == "deferred"
    hold_and_approve(meeting, leader, rep, safety)
    client.post(url, {f"d{request.pk}-outcome": "decided", f"d{request.pk}-decision": "Vedtatt."})
    request.refresh_from_db()
    assert (request.outcome, request.no_protocol_reason) == ("decided", "")
    assert not notices("consultation.gate").exists()
    assert DecisionRequest.history.filter(id=request.pk).first().history_user == owner


def test_the_steering_group_is_told_of_a_new_decision_request(project, leader, owner, steering):
    DecisionRequestFactory(project=project, title="Ny enhetsstruktur", by=leader)
    assert {n.recipient for n in notices("decision.request")} == {owner, steering}


# --- Holding a meeting, recording one afterwards, and the protocol --------------------------------


def test_a_meeting_held_without_notice_is_recorded_afterwards(client, project, leader, rep):
    client.force_login(leader)
    rep_membership = Membership.objects.get(project=project, user=rep)
    lead_membership = Membership.objects.get(project=project, user=leader, role="leader")
    response = client.post(
        reverse("consultations:meeting_afterwards", args=[project.pk]),
        {
            "kind": "consultation",
            "title": "Drøfting i ettertid",
            "starts_at": "2026-01-10T09:00",
            "ends_at": "2026-01-10T10:00",
            "invited": [rep_membership.pk, lead_membership.pk],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Drøfting i ettertid")
    assert meeting.recorded_afterwards and meeting.called_at is None
    assert not OutgoingMail.objects.filter(kind="meeting.notice").exists()
    page = client.get(reverse("consultations:meeting", args=[project.pk, meeting.pk]))
    assert "registrert i ettertid" in page.content.decode()


def test_a_representative_asks_for_a_correction_instead_of_confirming(
    client, project, leader, rep, safety
):
    meeting, _item = consultation(project, leader, rep, safety)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    consultation_services.mark_held(
        meeting=meeting, present_user_ids=[leader.pk, rep.pk, safety.pk], by=leader
    )
    consultation_services.send_for_approval(meeting=meeting, by=leader)
    asked = notices("protocol.sent")
    assert {n.recipient for n in asked} == {rep, safety}  # the leader sent it
    client.force_login(rep)
    url = reverse("consultations:protocol", args=[project.pk, meeting.pk])
    page = client.get(url).content.decode()
    # The protocol reads on its page as in the PDF, before confirming.
    assert "Slik protokollen lyder" in page and "Prosjektmandat for omorganiseringen" in page
    assert "Be om retting" in page
    client.post(
        reverse("consultations:protocol_correction", args=[project.pk, meeting.pk]),
        {"comment": "Sak 1: Fagforbundet var uenig i fristen."},
    )
    protocol = Protocol.objects.get()
    assert protocol.status == "draft" and protocol.correction_requested_by == rep
    assert notices("protocol.correction", leader).get().body.count("uenig i fristen")
    client.force_login(leader)
    assert "uenig i fristen" in client.get(url).content.decode()
    assert "Protokoller å rette" in client.get(reverse("home")).content.decode()
    consultation_services.send_for_approval(meeting=meeting, by=leader)
    protocol.refresh_from_db()
    assert protocol.status == "sent" and protocol.correction_comment == ""


def test_only_someone_present_asks_for_a_correction(project, leader, rep, safety, steering):
    meeting, _item = consultation(project, leader, rep, safety)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    consultation_services.mark_held(meeting=meeting, present_user_ids=[leader.pk], by=leader)
    consultation_services.send_for_approval(meeting=meeting, by=leader)
    with pytest.raises(ValidationError):
        consultation_services.request_correction(meeting=meeting, comment="Feil", by=rep)
    assert Protocol.objects.get().status == "sent"


def test_the_consultation_record_lists_each_item_with_its_meeting_and_protocol(
    project, leader, rep, safety
):
    meeting, item = consultation(project, leader, rep, safety)
    record = gate.for_mandate(project)
    assert [c.item for c in record.items] == [item] and not record.approved
    assert record.items[0].protocol is None
    hold_and_approve(meeting, leader, rep, safety)
    record = gate.for_mandate(project)
    assert record.approved and record.items[0].protocol.status == "approved"
    assert AgendaItem.objects.filter(concerns_mandate=True).count() == 1
    assert Placement.objects.count() == 0
