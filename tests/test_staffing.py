"""The organization and staffing plan: placement rules, who sees personal data (and that nobody
else sees a name anywhere, PDFs and exports included), the access log and history."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Membership
from roles import services
from roles.models import (
    Competence,
    Employee,
    PersonalDataAccess,
    Placement,
)

from .factories import STAFF_NAMES, UNCONSULTED, MappingInterviewFactory, PlacementFactory
from .test_pdf import pdf_text

Role = Membership.Role
NAMES = STAFF_NAMES  # the employees of the `staff` fixture (factories.build_staff)


@pytest.fixture
def hr(member_with_role):
    return member_with_role(Role.HR)


def personal_urls(project, staff):
    employee = staff["employees"][0]
    interview = MappingInterviewFactory(
        employee=employee, wishes=[staff["head"]], by=project.leader
    )
    placement = PlacementFactory(
        employee=employee, position=staff["head"], status="proposed", by=project.leader
    )
    return [
        reverse("roles:employees", args=[project.pk]),
        reverse("roles:employees_import", args=[project.pk]),
        reverse("roles:employee", args=[project.pk, employee.pk]),
        reverse("roles:employee_edit", args=[project.pk, employee.pk]),
        reverse("roles:interview_create", args=[project.pk, employee.pk]),
        reverse("roles:interview_edit", args=[project.pk, employee.pk, interview.pk]),
        reverse("roles:placement_create", args=[project.pk, employee.pk]),
        reverse("roles:placements", args=[project.pk]),
        reverse("roles:placement_status", args=[project.pk, placement.pk]),
        reverse("roles:staffing_export", args=[project.pk]),
    ]


# --- Who sees personal data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        Role.STEERING,
        Role.UNION_REP,
        Role.SAFETY_REP,
        Role.PROJECT_GROUP,
        Role.WORKSTREAM_LEAD,
        Role.OBSERVER,
    ],
)
def test_without_the_personnel_right_every_personal_url_is_404_and_no_name_shows(
    client, project, leader, staff, member_with_role, role
):
    urls = personal_urls(project, staff)
    client.force_login(member_with_role(role))
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "decided"}).status_code == 404, url

    # The pages they may see, and the documents, hold no employee's name.
    pages = [
        reverse("roles:organisation", args=[project.pk]),
        reverse("roles:positions", args=[project.pk]),
        reverse("roles:staffing", args=[project.pk]),
        reverse("roles:role_description", args=[project.pk, staff["head"].pk]),
        reverse("reports:overview", args=[project.pk]),
        reverse("reports:changelog", args=[project.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for name in NAMES:
            for part in name.split():
                assert part not in body, (url, part)
    _, text = pdf_text(
        client.get(
            reverse("roles:role_description_pdf", args=[project.pk, staff["head"].pk])
        ).content
    )
    _, unit_text = pdf_text(
        client.get(
            reverse("roles:unit_role_descriptions_pdf", args=[project.pk, staff["future"].pk])
        ).content
    )
    for part in " ".join(NAMES).split():
        assert part not in text and part not in unit_text
    assert "Enhetsleder" in text


def test_union_reps_see_counts_not_names(client, project, leader, staff, member_with_role):
    PlacementFactory(
        employee=staff["employees"][0], position=staff["head"], status="decided", by=leader
    )
    client.force_login(member_with_role(Role.UNION_REP))
    body = client.get(reverse("roles:staffing", args=[project.pk])).content.decode()
    assert "Besluttet" in body  # the status counts
    assert "Du ser antall, ikke navn" in body
    assert "Fiktiv" not in body


def test_the_project_can_grant_a_union_rep_insight_but_not_the_right_to_change(
    client, project, leader, owner, staff, member_with_role
):
    rep = member_with_role(Role.UNION_REP)
    membership = Membership.objects.get(project=project, user=rep)
    client.force_login(leader)
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("roles:insight", args=[project.pk, membership.pk]),
        {"purpose": "Drøfting av innplasseringene", "until": until},
    )
    assert response.status_code == 302
    client.force_login(rep)
    employee = staff["employees"][0]
    assert (
        "Fiktiv Fiktivsen"
        in client.get(reverse("roles:employees", args=[project.pk])).content.decode()
    )
    assert client.get(reverse("roles:employee", args=[project.pk, employee.pk])).status_code == 200
    assert (
        client.get(reverse("roles:employee_edit", args=[project.pk, employee.pk])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("roles:placement_create", args=[project.pk, employee.pk]),
            {"position": staff["head"].pk, "basis": "same_work"},
        ).status_code
        == 403
    )
    assert not Placement.objects.exists()
    # Withdrawn again: back to 404.
    client.force_login(owner)
    client.post(reverse("roles:insight", args=[project.pk, membership.pk]), {"withdraw": "1"})
    client.force_login(rep)
    assert client.get(reverse("roles:employees", args=[project.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.HR])
def test_hr_owner_and_leader_see_and_change_personal_data(
    client, project, owner, leader, staff, member_with_role, role
):
    for user in (member_with_role(role), owner, leader):
        client.force_login(user)
        for url in personal_urls(project, staff)[:-2]:
            if url.endswith("/status/"):
                continue
            assert client.get(url).status_code == 200, (user, url)
        Placement.objects.all().delete()


def test_every_view_of_an_employee_and_every_export_is_logged(client, project, leader, staff):
    employee = staff["employees"][0]
    client.force_login(leader)
    client.get(reverse("roles:employee", args=[project.pk, employee.pk]))
    client.get(reverse("roles:employee", args=[project.pk, employee.pk]))
    assert (
        PersonalDataAccess.objects.filter(user=leader, employees=employee, purpose="record").count()
        == 2
    )
    response = client.get(reverse("roles:staffing_export", args=[project.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert PersonalDataAccess.objects.filter(user=leader, purpose="export").count() == 1
    workbook = load_workbook(io.BytesIO(response.content))
    cells = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert "Fiktiv" in " ".join(cells)


# --- Placement rules ----------------------------------------------------------------------------


def state():
    return (
        list(Placement.objects.order_by("pk").values()),
        Placement.history.count(),
    )


def test_a_position_is_never_overfilled_by_decided_placements(client, project, leader, staff):
    e1, e2, _e3 = staff["employees"]
    # 100 of 150
    PlacementFactory(employee=e1, position=staff["nurses"], status="decided", by=leader)
    second = PlacementFactory(employee=e2, position=staff["nurses"], status="proposed", by=leader)
    before = state()
    client.force_login(leader)
    response = client.post(
        reverse("consultations:placement_decide", args=[project.pk, second.pk]),
        {"decided_on": dt.date.today().isoformat(), "no_protocol_reason": UNCONSULTED},
    )
    body = response.content.decode()
    assert (
        "Stillingen Sykepleier har 150 % og har allerede 100 % besluttet. Det er ikke plass til 100 % til."
        in body
    )
    assert state() == before
    # 50 % fits.
    half = Placement.objects.get(pk=second.pk)
    half.fte = Decimal("50")
    services.save_placement(placement=half, by=leader)
    services.set_placement_status(placement=half, status="decided", by=leader)
    assert Placement.objects.filter(position=staff["nurses"], status="decided").count() == 2


def test_an_employee_has_at_most_one_decided_placement(client, project, leader, staff):
    employee = staff["employees"][1]
    PlacementFactory(employee=employee, position=staff["nurses"], status="decided", by=leader)
    other = PlacementFactory(
        employee=employee, position=staff["head"], status="consulted", by=leader
    )
    before = state()
    client.force_login(leader)
    response = client.post(
        reverse("consultations:placement_decide", args=[project.pk, other.pk]),
        {"decided_on": dt.date.today().isoformat(), "no_protocol_reason": UNCONSULTED},
    )
    assert "Den ansatte er allerede innplassert i en annen stilling." in response.content.decode()
    assert state() == before


def test_a_declined_offer_records_its_date_and_cannot_change_again(project, leader, staff):
    placement = PlacementFactory(
        employee=staff["employees"][1], position=staff["nurses"], status="declined", by=leader
    )
    assert placement.declined_on == dt.date.today()
    with pytest.raises(Exception, match="kan ikke bli"):
        services.set_placement_status(placement=placement, status="accepted", by=leader)
    assert placement.history.first().history_user == leader


def test_a_candidate_without_a_required_competence_gets_a_visible_warning(
    client, project, leader, staff
):
    lacking = staff["employees"][1]  # a nurse, no leadership experience
    client.force_login(leader)
    response = client.post(
        reverse("roles:placement_create", args=[project.pk, lacking.pk]),
        {"position": staff["head"].pk, "basis": "applied"},
        follow=True,
    )
    assert "mangler påkrevd kompetanse for stillingen: Ledererfaring" in response.content.decode()
    body = client.get(reverse("roles:placements", args=[project.pk])).content.decode()
    assert "Advarsel: mangler påkrevd kompetanse: Ledererfaring" in body
    qualified = staff["employees"][0]
    PlacementFactory(employee=qualified, position=staff["head"], basis="applied", by=leader)
    body = client.get(reverse("roles:placements", args=[project.pk])).content.decode()
    assert body.count("mangler påkrevd kompetanse") == 1


def test_lowering_a_positions_fte_below_what_is_decided_is_refused(client, project, leader, staff):
    PlacementFactory(
        employee=staff["employees"][1], position=staff["nurses"], status="decided", by=leader
    )
    client.force_login(leader)
    response = client.post(
        reverse("roles:position_edit", args=[project.pk, staff["nurses"].pk]),
        {"unit": staff["future"].pk, "title": "Sykepleier", "fte": "50", "order": "1"},
    )
    assert "Besluttede innplasseringer fyller allerede 100 %" in response.content.decode()
    staff["nurses"].refresh_from_db()
    assert staff["nurses"].fte == Decimal("150")


def test_a_csv_with_a_bad_row_imports_nothing_and_names_the_line(client, project, leader, staff):
    client.force_login(leader)
    csv = "Ansattnummer;Fornavn;Etternavn;Enhet;Stilling;Stillingsprosent\n201;Test;Testesen;HJT;Helsefagarbeider;80\n202;Prøve;Feilsen;HJT;Helsefagarbeider;120\n"
    before = Employee.objects.count(), Employee.history.count()
    response = client.post(
        reverse("roles:employees_import", args=[project.pk]),
        {"file": SimpleUploadedFile("ansatte.csv", csv.encode("utf-8"), content_type="text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Linje 3" in body and "120" in body
    assert (Employee.objects.count(), Employee.history.count()) == before


def test_organisation_units_and_the_comparison(client, project, leader, staff):
    client.force_login(leader)
    body = client.get(reverse("roles:organisation", args=[project.pk])).content.decode()
    assert "Hjemmetjenesten" in body and "Hverdagsmestring" in body
    assert "Nytt navn" in body  # Hjemmetjenesten continues as Hverdagsmestring
    # A unit cannot be put under itself, nor in the other organization.
    response = client.post(
        reverse("roles:unit_edit", args=[project.pk, staff["future"].pk]),
        {"name": "Hverdagsmestring", "kind": "unit", "parent": staff["current"].pk, "order": "1"},
    )
    assert "Velg et gyldig valg" in response.content.decode()


def test_role_descriptions_are_versioned(client, project, leader, staff):
    description = staff["head"].role_description
    client.force_login(leader)
    response = client.post(
        reverse("roles:role_description_edit", args=[project.pk, staff["head"].pk]),
        {
            "position_name": "Enhetsleder hverdagsmestring",
            "main_goal": "lede og utvikle enheten",
            "change_clause": description.change_clause,
            "kompetanse-TOTAL_FORMS": "1",
            "kompetanse-INITIAL_FORMS": "0",
            "kompetanse-0-category": "experience",
            "kompetanse-0-text": "Ledererfaring",
            "kompetanse-0-level": "required",
        },
    )
    assert response.status_code == 302
    description.refresh_from_db()
    assert description.version == 2
    assert description.history.count() == 2
    assert list(
        Competence.objects.filter(role_description=description).values_list("text", flat=True)
    ) == ["Ledererfaring"]
