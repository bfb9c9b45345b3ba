"""Role descriptions as PDF (Appendix 1 of seed 001) and the staffing plan as an Excel workbook."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from roles import services
from roles.documents import (
    norwegian_slug,
    render_role_descriptions_pdf,
    role_description_context,
    role_descriptions_filename,
)
from roles.exports import employee_status, staffing_plan_filename, staffing_plan_workbook
from roles.models import (
    Employee,
    OrgUnit,
    Placement,
    Position,
    RoleDescription,
)

from .factories import (
    CONSULTED_IN,
    EmployeeFactory,
    OrgUnitFactory,
    PlacementFactory,
    PositionFactory,
    RoleDescriptionFactory,
)
from .test_pdf import embedded_fonts, pdf_text

Status = Placement.Status
# When the placements of these tests are decided.
DECIDED_ON = dt.date(2026, 3, 2)

APPENDIX_1_HEADINGS = [
    "Etat/virksomhet",
    "Stillingens navn (i dagligtale)",
    "Mål",
    "Stillingskode og -benevnelse",
    "Overordnet leder er/rapporterer til",
    "Arbeidsoppgaver og hovedoppgaver",
    "Kompetanseprofil",
    "Påkrevd",
    "Nyttig",
    "Personlige egenskaper",
    "Relevant erfaring",
    "Fagområder",
    "Kompetansekrav",
    "A) Formelle kvalifikasjoner",
    "Utdanningskrav",
    "Utdanningsnivå",
    "Sertifisering/kurs",
    "Generelle/andre krav",
    "Ansvar",
    "Personalansvar",
    "Budsjettansvar",
    "Fagansvar",
    "Særskilte oppgaver",
    "Opphør og/eller endring",
]


def flat(text: str) -> str:
    """Extracted text with every run of whitespace (line breaks in table cells) as one space."""
    return " ".join(text.split())


@pytest.fixture
def org(project, leader):
    """A future sector with one unit and a current unit; a leader position and one below it."""

    sector = OrgUnitFactory(
        project=project, name="Helse og mestring", kind=OrgUnit.Kind.SECTOR, by=leader
    )
    institution = OrgUnitFactory(
        project=project, name="Institusjon", parent=sector, order=1, by=leader
    )
    home_care = OrgUnitFactory(
        project=project, name="Hjemmetjenesten", parent=sector, order=2, by=leader
    )
    current = OrgUnitFactory(
        project=project, name="Åmot sykehjem", structure=OrgUnit.Structure.CURRENT, by=leader
    )
    chief = PositionFactory(unit=sector, title="Kommunalsjef helse", code="7001", by=leader)
    head = PositionFactory(
        unit=institution,
        title="Enhetsleder institusjon",
        code="7002",
        reports_to=chief,
        by=leader,
    )
    nurse = PositionFactory(
        unit=institution,
        title="Sykepleier",
        code="7174",
        fte=Decimal("100"),
        reports_to=head,
        order=2,
        by=leader,
    )
    return {
        "sector": sector,
        "institution": institution,
        "home_care": home_care,
        "current": current,
        "chief": chief,
        "head": head,
        "nurse": nurse,
    }


def descriptions_for(*positions):
    return list(
        RoleDescription.objects.filter(position__in=positions)
        .select_related("position__unit__parent", "position__reports_to")
        .prefetch_related("competences")
        .order_by("position__order", "pk")
    )


# --- The role description PDF -------------------------------------------------------------------


def test_the_pdf_has_every_heading_of_appendix_1_in_order(project, leader, org):
    description = RoleDescriptionFactory(position=org["head"], by=leader)
    description.main_goal = "sikre gode tjenester og en god arbeidsplass for de ansatte."
    description = services.save_role_description(description=description, by=leader)
    assert description.version == 2

    content = render_role_descriptions_pdf(project, descriptions_for(org["head"]))
    assert content.startswith(b"%PDF")
    reader, raw = pdf_text(content)
    text = flat(raw)

    positions = [text.index(heading) for heading in APPENDIX_1_HEADINGS]
    assert positions == sorted(positions)
    for phrase in [
        "Institusjon, Helse og mestring",
        "Enhetsleder institusjon har som hovedmål å sikre gode tjenester",
        "7002 Enhetsleder institusjon",
        "Kommunalsjef helse",
        "Økonomistyring og rapportering",
        "Tydelig og løsningsorientert",
        "Høyskoleutdanning innen helse- og sosialfag",
        "Beredskapsansvar for sykehjemmet",
        "Arbeidsgiver har rett til å foreta endringer i rollebeskrivelsen",
    ]:
        assert phrase in text, phrase
    # The marks: Ledererfaring is required, Økonomistyring useful.
    assert "Ledererfaring X" in text
    assert "Økonomistyring X" in text
    # Header and footer on every page, Inter embedded.
    assert "Åmot kommune" in text and project.name in text
    assert f"Side 1 av {len(reader.pages)}" in text
    today = timezone.localdate().strftime("%d.%m.%Y")
    for page in reader.pages:
        assert f"Versjon 2, sist endret {today}" in flat(page.extract_text())
    assert "UTKAST" not in text
    assert any("Inter" in name for name in embedded_fonts(reader))


def test_several_descriptions_each_start_on_a_page_of_their_own(project, leader, org):
    RoleDescriptionFactory(position=org["head"], by=leader)
    nurse = RoleDescriptionFactory(
        position=org["nurse"],
        position_name="Sykepleier på sykehjemmet",
        main_tasks="\n".join(f"- Oppgave nummer {n} i turnus" for n in range(1, 60)),
        by=leader,
    )
    services.save_role_description(description=nurse, by=leader)  # version 2
    descriptions = descriptions_for(org["head"], org["nurse"])

    reader, text = pdf_text(render_role_descriptions_pdf(project, descriptions))
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert len(pages) >= 3  # the nurse's long task list runs over a page
    assert "Enhetsleder institusjon" in pages[0] and "Sykepleier på sykehjemmet" not in pages[0]
    assert "Versjon 1, sist endret" in pages[0]
    assert "Sykepleier på sykehjemmet" in pages[1]
    # Every page of the second description carries its own version line.
    for page in pages[1:]:
        assert "Versjon 2, sist endret" in page and "Versjon 1" not in page
        assert "Åmot kommune" in page
    assert f"Side {len(pages)} av {len(pages)}" in pages[-1]


def test_the_context_follows_appendix_1(project, leader, org):
    RoleDescriptionFactory(position=org["head"], main_tasks="Lede enheten", by=leader)
    context = role_description_context(descriptions_for(org["head"]))
    assert context["project"] == project
    assert context["organisation"] == "Åmot kommune"
    (role,) = context["roles"]
    assert role["unit"] == "Institusjon, Helse og mestring"
    assert role["reports_to"] == "Kommunalsjef helse"
    assert role["main_tasks"] == ["Lede enheten"]
    assert [g["label"] for g in role["competence_groups"]] == [
        "Personlige egenskaper",
        "Relevant erfaring",
        "Fagområder",
    ]
    assert role["competence_groups"][2]["rows"] == [
        {"text": "Økonomistyring", "required": False, "useful": True}
    ]
    assert role["version_line"].startswith("Versjon 1, sist endret ")


def test_a_role_description_never_names_the_person_in_the_position(project, leader, org):
    RoleDescriptionFactory(position=org["head"], by=leader)
    person = EmployeeFactory(
        project=project,
        first_name="Åsmund",
        last_name="Grønnbekk",
        employee_number="7300911",
        current_unit=org["current"],
        by=leader,
    )
    PlacementFactory(
        employee=person,
        position=org["head"],
        fte=Decimal(100),
        status=Status.ACCEPTED,
        decided_on=DECIDED_ON,
        by=leader,
    )
    proposed = EmployeeFactory(
        project=project,
        first_name="Solveig",
        last_name="Haugrud",
        employee_number="7300912",
        current_unit=org["current"],
        by=leader,
    )
    PlacementFactory(employee=proposed, position=org["head"], fte=Decimal(50), by=leader)

    context = role_description_context(descriptions_for(org["head"]), project=project)
    _, raw = pdf_text(render_role_descriptions_pdf(project, descriptions_for(org["head"])))
    text = flat(raw)
    assert "Enhetsleder institusjon" in text
    # (Numbers no sequence of the factories makes: "Testkommune 1001" may head the page.)
    for name in ["Åsmund", "Grønnbekk", "Solveig", "Haugrud", "7300911", "7300912"]:
        assert name not in text
        assert name not in str(context)


def test_file_names(project, leader, org):
    description = RoleDescriptionFactory(
        position=org["head"], position_name="Enhetsleder – institusjon", by=leader
    )
    assert norwegian_slug("Sæter, Høgås og Ørje") == "saeter-hogas-og-orje"
    assert (
        role_descriptions_filename(project, description=description)
        == "rollebeskrivelse-institusjon-enhetsleder-institusjon.pdf"
    )
    code = project.code.lower()
    assert (
        role_descriptions_filename(project, unit=org["sector"])
        == f"rollebeskrivelser-{code}-helse-og-mestring.pdf"
    )
    assert role_descriptions_filename(project) == f"rollebeskrivelser-{code}.pdf"
    assert staffing_plan_filename(project) == f"bemanningsplan-{code}.xlsx"


# --- The staffing plan workbook -----------------------------------------------------------------


@pytest.fixture
def staffed(project, leader, org):
    current, conversation = org["current"], dt.date(2026, 8, 19)
    people = {
        key: EmployeeFactory(
            project=project,
            first_name=first,
            last_name=last,
            employee_number=number,
            **({"current_unit": current} | fields),
            by=leader,
        )
        for key, first, last, number, fields in [
            ("decided", "Åse", "Bråten", "2001",
             {"current_position": "Avdelingssykepleier", "start_date": dt.date(2011, 8, 15)}),
            ("accepted", "Øystein", "Lie", "2002", {"fte": Decimal("50")}),
            ("proposed", "Kari", "Nilsen", "2003", {}),
            ("conversation", "Per", "Olsen", "2004", {"restructuring_conversation_on": conversation}),
            ("redundant", "Lise", "Pettersen", "2005",
             {"restructuring_conversation_on": conversation, "redundant": True}),
            ("none", "=Tore", "Strand", "2006", {"current_unit": None, "fte": Decimal("62.5")}),
        ]
    }  # fmt: skip
    for key, fte, status in [
        ("decided", 50, Status.DECIDED),
        ("accepted", 25, Status.ACCEPTED),
        ("proposed", 100, Status.PROPOSED),
    ]:
        PlacementFactory(
            employee=people[key],
            position=org["nurse"],
            fte=Decimal(fte),
            status=status,
            decided_on=DECIDED_ON,
            by=leader,
        )
    return people


def workbook_of(project):
    """The arguments as a view would fetch them: everything read by the export prefetched."""
    units = list(OrgUnit.objects.filter(project=project).order_by("structure", "order", "name"))
    positions = list(Position.objects.filter(project=project).select_related("unit"))
    placements = list(
        Placement.objects.filter(employee__project=project).select_related("position__unit")
    )
    employees = list(Employee.objects.filter(project=project).select_related("current_unit"))
    return units, positions, placements, employees


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_has_the_staffing_plan_and_the_employees(
    project, leader, org, staffed, django_assert_num_queries
):
    arguments = workbook_of(project)
    with django_assert_num_queries(0):
        content = staffing_plan_workbook(project, *arguments)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Bemanningsplan", "Ansatte"]

    plan = workbook["Bemanningsplan"]
    assert plan.freeze_panes == "A2"
    assert all(cell.font.b for cell in plan[1])
    assert plan.column_dimensions["A"].width > 20
    assert rows(plan) == [
        [
            "Enhet",
            "Stilling",
            "Stillingskode",
            "Stillingsprosent",
            "Besatt",
            "Ledig",
            "Innplassert",
        ],
        ["Helse og mestring", "Kommunalsjef helse", "7001", 100, 0, 100, None],
        ["Institusjon", "Enhetsleder institusjon", "7002", 100, 0, 100, None],
        ["Institusjon", "Sykepleier", "7174", 100, 75, 25, "Åse Bråten, Øystein Lie"],
        ["Sum", None, None, "=SUM(D2:D4)", "=SUM(E2:E4)", "=SUM(F2:F4)", None],
    ]

    staff = workbook["Ansatte"]
    assert staff.freeze_panes == "A2"
    assert all(cell.font.b for cell in staff[1])
    table = rows(staff)
    header = table[0]
    assert header[:7] == [
        "Navn",
        "Ansattnummer",
        "Nåværende enhet",
        "Nåværende stilling",
        "Stillingsprosent",
        "Ansatt fra",
        "Status",
    ]
    by_number = {row[1]: dict(zip(header, row, strict=True)) for row in table[1:]}
    assert {number: row["Status"] for number, row in by_number.items()} == {
        "2001": "Besluttet",
        "2002": "Akseptert",
        "2003": "Foreslått",
        "2004": "Omstillingssamtale",
        "2005": "Overtallig",
        "2006": "Ikke plassert",
    }
    decided = by_number["2001"]
    assert decided["Navn"] == "Åse Bråten"
    assert decided["Nåværende enhet"] == "Åmot sykehjem"
    assert decided["Nåværende stilling"] == "Avdelingssykepleier"
    assert decided["Stillingsprosent"] == 100
    assert decided["Ansatt fra"] == dt.datetime(2011, 8, 15)
    assert decided["Ny stilling"] == "Sykepleier"
    assert decided["Ny enhet"] == "Institusjon"
    assert decided["Besluttet dato"] == dt.datetime(2026, 3, 2)
    assert by_number["2002"]["Stillingsprosent"] == 50
    assert by_number["2003"]["Ny stilling"] == "Sykepleier"
    assert by_number["2003"]["Besluttet dato"] is None
    assert by_number["2004"]["Omstillingssamtale"] == dt.datetime(2026, 8, 19)
    assert by_number["2005"]["Overtallig"] == "Ja"
    # Numbers and dates are typed cells; a name that looks like a formula stays text.
    untyped = by_number["2006"]
    assert untyped["Stillingsprosent"] == 62.5
    assert untyped["Navn"] == "=Tore Strand"
    cells = {row[1].value: row for row in staff.iter_rows(min_row=2)}
    assert cells["2006"][0].data_type == "s"
    assert cells["2001"][5].is_date and cells["2001"][5].number_format == "DD.MM.YYYY"


def test_an_empty_project_gives_a_workbook_with_headers_only(project):
    workbook = openpyxl.load_workbook(io.BytesIO(staffing_plan_workbook(project, [], [], [], [])))
    assert [rows(workbook[name]) for name in workbook.sheetnames][0] == [
        ["Enhet", "Stilling", "Stillingskode", "Stillingsprosent", "Besatt", "Ledig", "Innplassert"]
    ]
    assert len(rows(workbook["Ansatte"])) == 1


def test_employee_status(project, leader, org):
    person = EmployeeFactory(
        project=project,
        first_name="Kari",
        last_name="Nilsen",
        employee_number="3001",
        current_unit=org["current"],
        by=leader,
    )
    assert employee_status(person, []) == "Ikke plassert"
    person.restructuring_conversation_on = dt.date(2026, 8, 19)
    assert employee_status(person, []) == "Omstillingssamtale"
    person.redundant = True
    assert employee_status(person, []) == "Overtallig"

    first = PlacementFactory(employee=person, position=org["nurse"], fte=Decimal(100), by=leader)
    second = PlacementFactory(employee=person, position=org["head"], fte=Decimal(100), by=leader)
    services.set_placement_status(
        placement=second, status=Status.CONSULTED, by=leader, consulted_in=CONSULTED_IN
    )
    placements = list(person.placements.all())
    # The latest proposal or consultation tells where the employee stands.
    assert employee_status(person, placements) == "Drøftet"
    services.set_placement_status(placement=first, status=Status.DECIDED, by=leader)
    assert employee_status(person, list(person.placements.all())) == "Besluttet"

    declined = EmployeeFactory(
        project=project,
        first_name="Ola",
        last_name="Dahl",
        employee_number="3002",
        current_unit=org["current"],
        by=leader,
    )
    offer = PlacementFactory(
        employee=declined,
        position=org["head"],
        fte=Decimal(100),
        status=Status.DECIDED,
        decided_on=DECIDED_ON,
        by=leader,
    )
    services.set_placement_status(placement=offer, status=Status.DECLINED, by=leader)
    assert employee_status(declined, list(declined.placements.all())) == "Takket nei"
