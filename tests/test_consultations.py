"""Meetings with union and safety representatives, their protocols, and the questions log: the
rules, who sees what, and that bad input changes nothing."""

import datetime as dt
from email.utils import getaddresses

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import (
    AgendaItem,
    Confirmation,
    Meeting,
    Protocol,
    ProtocolEntry,
    Question,
)
from projects.models import Membership

from .factories import (
    AgendaItemFactory,
    MeetingFactory,
    MilestoneFactory,
    PlacementFactory,
    WorkstreamFactory,
)
from .test_pdf import pdf_text

Role = Membership.Role


@pytest.fixture
def rep(member_with_role):
    return member_with_role(Role.UNION_REP, union_name="Fagforbundet")


@pytest.fixture
def safety(member_with_role):
    return member_with_role(Role.SAFETY_REP)


@pytest.fixture
def meeting(project, leader, rep, safety):
    m = MeetingFactory(
        project=project,
        participants=[
            {"user": leader, "side": "employer"},
            {"user": rep, "side": "union", "union_name": "Fagforbundet"},
            {"user": safety, "side": "safety"},
        ],
        by=leader,
    )
    AgendaItemFactory(
        meeting=m,
        order=1,
        title="Videre forankring av overordnet organisasjonskart",
        done="Drøftet med hovedtillitsvalgte 6. juli.",
        next_steps="Utarbeide informasjonsmateriell til enhetene.",
        by=leader,
    )
    return m


def addresses(messages):
    """Every address a message went to (To, Cc and Bcc), without the display names."""
    return {
        address
        for message in messages
        for _name, address in getaddresses([*message.to, *message.cc, *message.bcc])
    }


def hold(meeting, present, by, reached=()):
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    meeting.refresh_from_db()
    return services.mark_held(
        meeting=meeting,
        present_user_ids=[u.pk for u in present],
        reached_milestone_ids=[m.pk for m in reached],
        by=by,
    )


def snapshot(meeting):
    return (
        list(Meeting.objects.filter(pk=meeting.pk).values()),
        list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values()),
        list(ProtocolEntry.objects.order_by("pk").values()),
        list(Protocol.objects.order_by("pk").values("pk", "status", "version", "snapshot")),
        Confirmation.objects.count(),
    )


def test_a_new_meeting_in_the_past_is_refused(client, project, leader):
    client.force_login(leader)
    before = Meeting.objects.count(), Meeting.history.count()
    response = client.post(
        reverse("consultations:meeting_create", args=[project.pk]),
        {
            "kind": "consultation",
            "title": "For sent",
            "starts_at": "2020-01-01T10:00",
            "ends_at": "2020-01-01T12:00",
        },
    )
    assert "Et nytt møte må ligge fram i tid." in response.content.decode()
    assert (Meeting.objects.count(), Meeting.history.count()) == before


def test_calling_a_meeting_sends_the_agenda_with_an_invitation(
    project, leader, meeting, rep, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.call_meeting(meeting=meeting, by=leader)
    assert len(mail.outbox) >= 1
    recipients = addresses(mail.outbox)
    assert rep.email in recipients
    message = mail.outbox[-1]
    assert "Videre forankring av overordnet organisasjonskart" in message.body
    kinds = {a[2] if isinstance(a, tuple) else a.get_content_type() for a in message.attachments}
    assert any("calendar" in kind for kind in kinds)


def test_invited_representatives_see_their_meetings_and_others_get_404(
    client, project, leader, meeting, rep, member_with_role
):
    client.force_login(rep)
    assert (
        client.get(reverse("consultations:meeting", args=[project.pk, meeting.pk])).status_code
        == 200
    )
    assert (
        meeting.title
        in client.get(reverse("consultations:meetings", args=[project.pk])).content.decode()
    )
    assert (
        client.get(reverse("consultations:meeting_edit", args=[project.pk, meeting.pk])).status_code
        == 403
    )
    for role in (Role.UNION_REP, Role.STEERING, Role.HR):
        client.force_login(member_with_role(role))
        assert (
            client.get(reverse("consultations:meeting", args=[project.pk, meeting.pk])).status_code
            == 404
        )
        assert (
            client.get(reverse("consultations:protocol", args=[project.pk, meeting.pk])).status_code
            == 404
        )
        assert (
            meeting.title
            not in client.get(reverse("consultations:meetings", args=[project.pk])).content.decode()
        )


def test_a_protocol_entry_by_someone_not_present_is_refused(
    client, project, leader, meeting, rep, safety
):
    hold(meeting, [leader, rep], leader)  # the safety rep sent apologies
    item = meeting.items.get()
    client.force_login(safety)
    before = snapshot(meeting)
    response = client.post(
        reverse("consultations:entry_add", args=[project.pk, meeting.pk, item.pk]),
        {"text": "Vi er uenige."},
        follow=True,
    )
    assert (
        "Bare de som var til stede i møtet, kan skrive protokolltilførsler."
        in response.content.decode()
    )
    assert snapshot(meeting) == before

    client.force_login(rep)
    client.post(
        reverse("consultations:entry_add", args=[project.pk, meeting.pk, item.pk]),
        {"text": "Fagforbundet ber om at de ansatte informeres før sommeren."},
    )
    entry = ProtocolEntry.objects.get()
    assert (entry.side, entry.author) == ("union", rep)
    assert entry.history.first().history_user == rep


def test_holding_a_meeting_reaches_the_milestones_the_leader_ticks(project, leader, meeting, rep):
    milestone = MilestoneFactory(
        project=project, code="M11", title="Drøftet", due_date=dt.date(2026, 6, 17), by=leader
    )
    other = MilestoneFactory(project=project, code="M12", due_date=dt.date(2026, 6, 18), by=leader)
    item = meeting.items.get()
    services.save_item(item=item, links={"milestones": [milestone, other]}, by=leader)
    hold(meeting, [leader, rep], leader, reached=[milestone])
    milestone.refresh_from_db()
    other.refresh_from_db()
    assert (milestone.status, other.status) == ("reached", "planned")
    assert "Nådd i møte med de ansattes representanter" in milestone.reached_note
    assert meeting.title not in milestone.reached_note  # read by people not invited


def test_the_held_form_lists_each_milestone_unticked_and_none_from_a_disagreement(
    client, project, leader, meeting, rep
):
    agreed = MilestoneFactory(project=project, code="M3", title="Kafédialog holdt", by=leader)
    disputed = MilestoneFactory(project=project, code="M4", title="Ny struktur drøftet", by=leader)
    first = meeting.items.get()
    services.save_item(item=first, links={"milestones": [agreed]}, by=leader)
    second = AgendaItemFactory(meeting=meeting, order=2, outcome="disagreed")
    services.save_item(item=second, links={"milestones": [disputed]}, by=leader)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    client.force_login(leader)
    url = reverse("consultations:meeting_held", args=[project.pk, meeting.pk])
    body = client.get(url).content.decode()
    assert "M3 Kafédialog holdt" in body and "M4 Ny struktur drøftet" not in body
    assert 'name="reached"' in body and "checked" not in body.split('name="reached"')[1][:80]
    response = client.post(url, {"present": [leader.pk, rep.pk], "reached": [disputed.pk]})
    assert response.status_code == 200  # refused: not a choice
    disputed.refresh_from_db()
    assert disputed.status == "planned"
    with pytest.raises(ValidationError):
        services.mark_held(
            meeting=meeting, present_user_ids=[leader.pk], reached_milestone_ids=[disputed.pk],
            by=leader,
        )  # fmt: skip


def test_the_protocol_is_approved_when_every_side_present_confirms_and_then_frozen(
    client, project, leader, meeting, rep, safety, django_capture_on_commit_callbacks
):
    hold(meeting, [leader, rep], leader)
    item = meeting.items.get()
    AgendaItem.objects.filter(pk=item.pk).update(outcome="agreed", conclusion="Partene er enige.")
    protocol = services.send_for_approval(meeting=meeting, by=leader)
    assert protocol.status == "sent" and protocol.snapshot

    services.confirm(meeting=meeting, by=leader)
    protocol.refresh_from_db()
    assert protocol.status == "sent"  # the union side has not confirmed yet
    with pytest.raises(Exception, match="til stede"):
        services.confirm(meeting=meeting, by=safety)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(meeting=meeting, by=rep)
    protocol.refresh_from_db()
    meeting.refresh_from_db()
    assert protocol.status == "approved" and protocol.pdf
    assert meeting.status == "approved"
    _, text = pdf_text(protocol.pdf.open("rb").read())
    flat = " ".join(text.split())
    assert "Videre forankring av overordnet organisasjonskart" in flat
    assert "Utarbeide informasjonsmateriell til enhetene." in flat
    assert "Enighet" in flat
    assert str(rep) in flat and str(leader) in flat
    assert any(a for m in mail.outbox for a in m.attachments)

    # Frozen: editing the agenda is refused and changes nothing; a change is a new version.
    client.force_login(leader)
    before = snapshot(meeting)
    response = client.post(
        reverse("consultations:item_edit", args=[project.pk, meeting.pk, item.pk]),
        {"order": "1", "title": "Endret i ettertid", "outcome": "agreed"},
    )
    assert "kan ikke endres" in response.content.decode()
    assert snapshot(meeting) == before
    services.reopen(meeting=meeting, by=leader)
    assert meeting.protocols.filter(version=2, status="draft").exists()
    assert Protocol.objects.get(version=1).status == "approved"


def test_only_those_who_run_meetings_send_and_reopen(client, project, leader, meeting, rep):
    hold(meeting, [leader, rep], leader)
    client.force_login(rep)
    before = snapshot(meeting)
    for action in ("send", "reopen"):
        url = reverse("consultations:protocol_action", args=[project.pk, meeting.pk, action])
        assert client.post(url).status_code == 403
    assert snapshot(meeting) == before


def test_placements_on_the_agenda_are_shown_only_to_those_who_may_see_personal_data(
    client, project, leader, meeting, rep, staff
):
    placement = PlacementFactory(employee=staff["employees"][0], position=staff["head"], by=leader)
    services.save_item(item=meeting.items.get(), links={"placements": [placement]}, by=leader)
    client.force_login(leader)
    assert (
        "Fiktiv Fiktivsen"
        in client.get(
            reverse("consultations:meeting", args=[project.pk, meeting.pk])
        ).content.decode()
    )
    client.force_login(rep)
    assert (
        "Fiktiv"
        not in client.get(
            reverse("consultations:meeting", args=[project.pk, meeting.pk])
        ).content.decode()
    )


def test_a_question_is_answered_once_and_sent_to_every_workstream(
    client, project, leader, member_with_role, django_capture_on_commit_callbacks
):
    asker = member_with_role(Role.PROJECT_GROUP)
    other = member_with_role(Role.WORKSTREAM_LEAD)
    ws1 = WorkstreamFactory(project=project, name="Skoler", members=[asker], by=leader)
    WorkstreamFactory(project=project, name="Helse", order=2, lead=other, by=leader)
    client.force_login(asker)
    response = client.post(
        reverse("consultations:questions", args=[project.pk]),
        {"workstream": ws1.pk, "text": "Hvem avgjør innplassering av styrerne?"},
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert (
        client.post(
            reverse("consultations:question_answer", args=[project.pk, question.pk]),
            {f"q{question.pk}-answer": "Jeg"},
        ).status_code
        == 403
    )

    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("consultations:question_answer", args=[project.pk, question.pk]),
            {f"q{question.pk}-answer": "Rådmannen, etter drøfting med de tillitsvalgte."},
        )
    question.refresh_from_db()
    assert question.answer.startswith("Rådmannen") and question.answered_by == leader
    assert {asker.email, other.email} <= addresses(mail.outbox)

    before = Question.history.count()
    response = client.post(
        reverse("consultations:question_answer", args=[project.pk, question.pk]),
        {f"q{question.pk}-answer": "Et annet svar"},
        follow=True,
    )
    assert "Spørsmålet er allerede besvart." in response.content.decode()
    assert Question.history.count() == before


def test_nothing_the_protocol_rests_on_changes_while_it_is_out_for_approval(
    project, leader, meeting, rep, safety
):
    """Presence, participants and the agenda are what the sides confirm: while the protocol is
    sent for approval they are refused, so approval cannot skip a side that was there."""
    hold(meeting, [leader, rep], leader)
    services.send_for_approval(meeting=meeting, by=leader)
    before = snapshot(meeting)
    item = meeting.items.get()
    with pytest.raises(Exception, match="sendt til godkjenning"):
        services.mark_held(meeting=meeting, present_user_ids=[leader.pk], by=leader)
    item.title = "Endret etter utsending"
    with pytest.raises(Exception, match="sendt til godkjenning"):
        services.save_item(item=item, by=leader)
    with pytest.raises(Exception, match="deltakerne kan ikke endres"):
        services.save_meeting(
            meeting=Meeting.objects.get(pk=meeting.pk),
            participants=[{"user": leader, "side": "employer"}],
            by=leader,
        )
    assert snapshot(meeting) == before
    # Only when every side that was there has confirmed is it approved.
    services.confirm(meeting=meeting, by=leader)
    assert Protocol.objects.get().status == "sent"
    services.confirm(meeting=meeting, by=rep)
    assert Protocol.objects.get().status == "approved"
