"""The protocol of a consultation as plain data and as PDF: every agenda item with what is done and
what comes next (seed 004), outcome and the parties' statements, the approval with a signature
block per side, and never an employee's name: placements are personal data, only counted."""

import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from consultations.documents import (
    protocol_context,
    protocol_filename,
    protocol_snapshot,
    render_protocol_pdf,
)
from consultations.models import (
    AgendaItem,
    Confirmation,
    Meeting,
    Protocol,
    Side,
)
from roles.models import Placement

from .factories import (
    AgendaItemFactory,
    ConfirmationFactory,
    EmployeeFactory,
    MeetingFactory,
    MilestoneFactory,
    OrgUnitFactory,
    PlacementFactory,
    PositionFactory,
    ProtocolEntryFactory,
    ProtocolFactory,
    RoleDescriptionFactory,
)
from .test_pdf import embedded_fonts, pdf_text

OSLO = ZoneInfo("Europe/Oslo")
EMPLOYEE_FIRST, EMPLOYEE_LAST = "Sølvi", "Kvæstad-Ørbæk"

DONE_1 = (
    "- Prosess med ansatte og ledere fra januar 2021 til juni 2022\n"
    "- Drøftet med hovedtillitsvalgte i drøftingsmøte 6. juli 2022"
)
NEXT_1 = "- Utarbeide informasjonsmateriell til bruk på enhetene\n- Oppdatere nettsidene løpende"
DONE_2 = "Overordnet organisasjonskart er vedtatt."
NEXT_2 = "Sette opp kompetansekrav for hver enkelt av enhetslederstillingene."


def flat(text: str) -> str:
    """Extracted text with every run of whitespace (line breaks in table cells) as one space."""
    return " ".join(text.split())


@pytest.fixture
def meeting(db, project, leader, member_with_role):
    union_rep = member_with_role("union_rep", union_name="Fagforbundet")
    safety_rep = member_with_role("safety_rep")
    absent_rep = member_with_role("union_rep", union_name="Delta")
    meeting = MeetingFactory(
        project=project,
        kind=Meeting.Kind.CONSULTATION,
        title="Drøfting av organiseringen i Helse og mestring",
        starts_at=dt.datetime(2026, 9, 3, 9, 0, tzinfo=OSLO),
        ends_at=dt.datetime(2026, 9, 3, 11, 30, tzinfo=OSLO),
        place="Rådhuset, møterom Øvre Åsen",
        status=Meeting.Status.HELD,
        participants=[
            {"user": leader, "side": Side.EMPLOYER, "present": True},
            {"user": union_rep, "side": Side.UNION, "union_name": "Fagforbundet", "present": True},
            {"user": safety_rep, "side": Side.SAFETY, "present": True},
            {"user": absent_rep, "side": Side.UNION, "union_name": "Delta", "present": False},
        ],
    )
    milestone = MilestoneFactory(
        project=project, code="M2", title="Organisasjonskart vedtatt", due_date=dt.date(2026, 9, 1)
    )
    unit = OrgUnitFactory(project=project, name="Enhet Hverdagsmestring", code="4120")
    position = PositionFactory(unit=unit, title="Enhetsleder hverdagsmestring", code="7002")
    description = RoleDescriptionFactory(
        position=position, position_name="Enhetsleder for hverdagsmestring"
    )
    employee = EmployeeFactory(
        project=project,
        first_name=EMPLOYEE_FIRST,
        last_name=EMPLOYEE_LAST,
        employee_number="10001",
        current_position="Avdelingsleder hjemmetjenesten",
    )
    placement = PlacementFactory(
        employee=employee,
        position=position,
        basis=Placement.Basis.AFTER_CONVERSATION,
        fte=Decimal("100"),
        note=f"{EMPLOYEE_FIRST} ønsker stillingen.",
    )

    AgendaItemFactory(
        meeting=meeting,
        order=1,
        title="Videre forankring av beslutning om overordnet organisasjonskart",
        done=DONE_1,
        next_steps=NEXT_1,
        outcome=AgendaItem.Outcome.AGREED,
        conclusion="Partene er enige om videre forankring på enhetene.",
        links={"milestones": [milestone], "units": [unit]},
    )
    second = AgendaItemFactory(
        meeting=meeting,
        order=2,
        title="Videre prosesser med personellmessige avklaringer",
        done=DONE_2,
        next_steps=NEXT_2,
        outcome=AgendaItem.Outcome.DISAGREED,
        conclusion="Partene er uenige om tidsplanen for innplassering.",
        links={"role_descriptions": [description], "placements": [placement]},
    )
    ProtocolEntryFactory(
        item=second,
        author=union_rep,
        side=Side.UNION,
        text="Fagforbundet mener prosessen går for fort for de berørte ansatte.",
    )
    ProtocolEntryFactory(
        item=second,
        author=leader,
        side=Side.EMPLOYER,
        text="Arbeidsgiver viser til vedtaket i kommunestyret 21. juni.",
    )

    meeting.people = {
        "leader": leader,
        "union_rep": union_rep,
        "safety_rep": safety_rep,
        "absent_rep": absent_rep,
    }
    return meeting


def confirm(protocol, user, side, at):
    confirmation = ConfirmationFactory(protocol=protocol, user=user, side=side)
    # confirmed_at is auto_now_add: set a known time afterwards.
    Confirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=at)
    confirmation.refresh_from_db()
    return confirmation


def test_the_snapshot_is_plain_data_in_order_without_employee_names(meeting):
    snapshot = protocol_snapshot(meeting)
    dumped = json.dumps(snapshot, ensure_ascii=False)

    assert json.loads(dumped) == snapshot
    assert snapshot["organisation"] == "Åmot kommune"
    assert snapshot["project_code"] == meeting.project.code
    assert snapshot["kind_label"] == "Drøftingsmøte"
    assert (snapshot["date"], snapshot["start_time"], snapshot["end_time"]) == (
        "03.09.2026",
        "09:00",
        "11:30",
    )
    assert snapshot["place"] == "Rådhuset, møterom Øvre Åsen"

    people = meeting.people
    assert [g["label"] for g in snapshot["present"]] == [
        "Arbeidsgiver",
        "Tillitsvalgte",
        "Verneombud",
    ]
    union = snapshot["present"][1]["participants"]
    assert union == [
        {
            "name": str(people["union_rep"]),
            "side": "union",
            "side_label": "Tillitsvalgte",
            "union_name": "Fagforbundet",
        }
    ]
    assert [p["name"] for p in snapshot["absent"]] == [str(people["absent_rep"])]

    first, second = snapshot["items"]
    assert (first["number"], first["outcome_label"]) == (1, "Enighet")
    assert first["milestones"] == [{"code": "M2", "title": "Organisasjonskart vedtatt"}]
    assert first["units"] == [{"code": "4120", "name": "Enhet Hverdagsmestring"}]
    assert (first["placement_count"], first["placements_note"]) == (0, "")
    assert second["outcome_label"] == "Uenighet"
    assert second["role_descriptions"][0]["title"] == "Enhetsleder for hverdagsmestring"
    assert (second["placement_count"], second["placements_note"]) == (
        1,
        "Saken gjelder 1 innplassering",
    )
    assert [(e["side_label"], e["author"]) for e in second["entries"]] == [
        ("Tillitsvalgte", str(people["union_rep"])),
        ("Arbeidsgiver", str(people["leader"])),
    ]

    # A protocol goes to every participant: the placed employee is never named.
    for secret in (EMPLOYEE_FIRST, EMPLOYEE_LAST, "Avdelingsleder hjemmetjenesten", "10001"):
        assert secret not in dumped
    assert "placements" not in second


def test_the_snapshot_is_built_in_bokmal_in_a_fixed_number_of_queries(
    meeting, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7), timezone.override("UTC"):
        snapshot = protocol_snapshot(meeting)
    # Europe/Oslo whatever the active time zone.
    assert snapshot["start_time"] == "09:00"
    with translation.override("en"):
        assert protocol_snapshot(meeting)["items"][0]["outcome_label"] == "Enighet"


def test_the_draft_pdf_has_every_item_the_entries_and_the_signature_lines(meeting):
    people = meeting.people
    protocol = ProtocolFactory(
        meeting=meeting,
        version=1,
        status=Protocol.Status.SENT,
        snapshot=protocol_snapshot(meeting),
        sent_at=dt.datetime(2026, 9, 4, 8, 0, tzinfo=OSLO),
    )
    confirm(protocol, people["leader"], Side.EMPLOYER, dt.datetime(2026, 9, 4, 10, 15, tzinfo=OSLO))
    confirm(protocol, people["union_rep"], Side.UNION, dt.datetime(2026, 9, 5, 14, 5, tzinfo=OSLO))
    confirmations = protocol.confirmations.select_related("user")

    content = render_protocol_pdf(protocol.snapshot, protocol=protocol, confirmations=confirmations)
    reader, raw = pdf_text(content)
    text = flat(raw)

    assert content.startswith(b"%PDF")
    # Header, footer, the draft mark, æøå in Inter.
    assert "Åmot kommune" in text
    assert f"Side 1 av {len(reader.pages)}" in text
    assert "UTKAST" in text
    assert "Versjon 1, utkast sendt til godkjenning 04.09.2026" in text
    assert any("Inter" in name for name in embedded_fonts(reader))

    headings = [
        "Protokoll fra drøftingsmøte",
        "Til stede",
        "Forfall",
        "Sak 1: Videre forankring av beslutning om overordnet organisasjonskart",
        "Sak 2: Videre prosesser med personellmessige avklaringer",
        "Godkjenning",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Dato 03.09.2026" in text and "Tid 09:00–11:30" in text
    assert "Sted Rådhuset, møterom Øvre Åsen" in text
    assert f"{people['union_rep']} (Fagforbundet)" in text
    assert f"{people['absent_rep']}, tillitsvalgte (Delta)" in text

    # Every item: what is done, what comes next, the outcome with its conclusion.
    for phrase in [
        "Prosess med ansatte og ledere fra januar 2021 til juni 2022",
        "Drøftet med hovedtillitsvalgte i drøftingsmøte 6. juli 2022",
        "Utarbeide informasjonsmateriell til bruk på enhetene",
        "Oppdatere nettsidene løpende",
        DONE_2,
        NEXT_2,
        "Utfall: Enighet",
        "Partene er enige om videre forankring på enhetene.",
        "Utfall: Uenighet",
        "Partene er uenige om tidsplanen for innplassering.",
        "M2 Organisasjonskart vedtatt",
        "4120 Enhet Hverdagsmestring",
        "Enhetsleder for hverdagsmestring",
        "Saken gjelder 1 innplassering",
    ]:
        assert phrase in text, phrase
    assert text.count("Hva er gjort") == 2 and text.count("Hva skal nå gjøres") == 2
    sak_2 = text.index("Sak 2:")
    assert text.index("Utfall: Enighet") < sak_2 < text.index("Utfall: Uenighet")

    # The parties' statements, each with its side and author, under the item they belong to.
    assert "Protokolltilførsler" in text[sak_2:]
    union_entry = (
        f"Protokolltilførsel fra tillitsvalgte ({people['union_rep']}): "
        "Fagforbundet mener prosessen går for fort for de berørte ansatte."
    )
    employer_entry = (
        f"Protokolltilførsel fra arbeidsgiver ({people['leader']}): "
        "Arbeidsgiver viser til vedtaket i kommunestyret 21. juni."
    )
    assert sak_2 < text.index(union_entry) < text.index(employer_entry)

    # The approval: who confirmed, for which side, when; a signature block per side present.
    approval = text[text.index("Godkjenning") :]
    assert f"{people['leader']} Arbeidsgiver 04.09.2026 10:15" in approval
    assert f"{people['union_rep']} Tillitsvalgte 05.09.2026 14:05" in approval
    for side in [
        "For arbeidsgiver",
        "For tillitsvalgte (Fagforbundet)",
        "For verneombud",
    ]:
        assert side in approval, side
    assert approval.count("Underskrift") == 3
    assert approval.count("Sted og dato:") == 3
    assert approval.count("Navn:") == 3
    # The absent union is not asked to sign.
    assert "Delta" not in approval

    # Never the placed employee.
    for secret in (EMPLOYEE_FIRST, EMPLOYEE_LAST, "Avdelingsleder hjemmetjenesten"):
        assert secret not in text


def test_an_approved_protocol_shows_its_version_and_no_draft_mark(meeting):
    protocol = ProtocolFactory(
        meeting=meeting,
        version=2,
        status=Protocol.Status.APPROVED,
        snapshot=protocol_snapshot(meeting),
        approved_at=dt.datetime(2026, 9, 7, 23, 30, tzinfo=dt.UTC),  # 8 September in Oslo
    )
    content = render_protocol_pdf(protocol.snapshot, protocol=protocol, confirmations=[])
    text = flat(pdf_text(content)[1])

    assert "Versjon 2, godkjent 08.09.2026" in text
    assert "UTKAST" not in text and "utkast" not in text.lower()
    assert "Ingen har bekreftet protokollen ennå." in text

    context = protocol_context(protocol.snapshot, protocol, [])
    assert context["draft"] is False
    assert protocol_filename(protocol.snapshot, protocol) == (
        f"protokoll-{meeting.project.code.lower()}-2026-09-03-v2.pdf"
    )


def test_a_draft_without_a_version_is_marked_as_such(meeting):
    snapshot = protocol_snapshot(meeting)
    context = protocol_context(snapshot, None, [])
    assert context["draft"] is True
    assert context["version_line"].startswith("Utkast, skrevet ut ")
    assert protocol_filename(snapshot, None).endswith("-2026-09-03-utkast.pdf")
