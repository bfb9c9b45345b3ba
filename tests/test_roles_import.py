"""Importing the current organization and the employees from HR systems' CSV files
(roles.imports): all or nothing, with every bad row reported by its line in the file."""

import datetime as dt
import io
import os
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Project
from roles import imports
from roles.imports import import_current_units, import_employees
from roles.models import Employee, OrgUnit

from .factories import EmployeeFactory, OrgUnitFactory, ProjectFactory

CURRENT = OrgUnit.Structure.CURRENT


def upload(text: str, encoding: str = "utf-8", name: str = "eksport.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def counts() -> tuple[int, int, int, int]:
    return (
        OrgUnit.objects.count(),
        OrgUnit.history.count(),
        Employee.objects.count(),
        Employee.history.count(),
    )


def errors_of(call) -> list[str]:
    """The messages of the ValidationError the import raises; the import must save nothing."""
    before = counts()
    with pytest.raises(ValidationError) as raised:
        call()
    assert counts() == before
    return raised.value.messages


def units_import(project, leader, text, **kwargs):
    return lambda: import_current_units(project=project, file=upload(text, **kwargs), by=leader)


def employees_import(project, leader, text, **kwargs):
    return lambda: import_employees(project=project, file=upload(text, **kwargs), by=leader)


UNITS_CSV = (
    "Kode;Navn;Type;Overordnet;Leder\n"
    "100;Helse og omsorg;Sektor;;Kommunalsjef\n"
    # The parent of 110 and 120 comes later in the file.
    "110;Hjemmetjenesten Øst;avdeling;200;Avdelingsleder\n"
    "120;Hjemmetjenesten Vest;AVDELING;200;\n"
    "200;Hjemmetjenester;Enhet;100;Enhetsleder\n"
    "300;Økonomi og lønn;;;\n"
)


@pytest.fixture
def units(project, leader):
    """The current organization of UNITS_CSV, imported."""
    return {
        unit.code: unit
        for unit in import_current_units(project=project, file=upload(UNITS_CSV), by=leader)
    }


# --- Units: good files ----------------------------------------------------------------------------


def test_units_from_norwegian_excel_cp1252_with_forward_parents(project, leader):
    created = import_current_units(
        project=project, file=upload(UNITS_CSV, encoding="cp1252"), by=leader
    )

    assert [unit.code for unit in created] == ["100", "110", "120", "200", "300"]
    by_code = {unit.code: OrgUnit.objects.get(pk=unit.pk) for unit in created}
    assert by_code["110"].name == "Hjemmetjenesten Øst"
    assert by_code["300"].name == "Økonomi og lønn"
    assert by_code["100"].parent is None
    assert by_code["200"].parent == by_code["100"]
    assert by_code["110"].parent == by_code["200"]
    assert by_code["120"].parent == by_code["200"]
    assert by_code["100"].kind == OrgUnit.Kind.SECTOR
    assert by_code["110"].kind == OrgUnit.Kind.DEPARTMENT
    assert by_code["120"].kind == OrgUnit.Kind.DEPARTMENT
    assert by_code["200"].kind == OrgUnit.Kind.UNIT
    assert by_code["300"].kind == OrgUnit.Kind.UNIT  # empty type: a unit
    assert by_code["100"].leader_title == "Kommunalsjef"
    assert by_code["120"].leader_title == ""
    assert all(unit.structure == CURRENT and unit.project == project for unit in by_code.values())
    # File order.
    assert [by_code[code].order for code in ["100", "110", "120", "200", "300"]] == [1, 2, 3, 4, 5]

    # One history record per unit, with its parent, the user and the reason.
    for unit in by_code.values():
        records = list(unit.history.all())
        assert len(records) == 1
        assert records[0].history_type == "+"
        assert records[0].history_user == leader
        assert records[0].history_change_reason == "Importert fra CSV"
        assert records[0].parent_id == unit.parent_id


def test_units_utf8_bom_comma_english_headers_and_quotes(project, leader):
    text = (
        "\ufeffcode,NAME,kind,Parent code,Leader title\n"
        'S1,"Oppvekst, kultur og fritid",sector,,"Kommunalsjef, oppvekst"\n'
        "E1,Ålen skole,unit,S1,Rektor\n"
        "A1,Småtrinnet,department,E1,\n"
    )
    created = import_current_units(project=project, file=upload(text), by=leader)

    assert [(unit.code, unit.name, unit.kind) for unit in created] == [
        ("S1", "Oppvekst, kultur og fritid", OrgUnit.Kind.SECTOR),
        ("E1", "Ålen skole", OrgUnit.Kind.UNIT),
        ("A1", "Småtrinnet", OrgUnit.Kind.DEPARTMENT),
    ]
    assert created[0].leader_title == "Kommunalsjef, oppvekst"
    assert OrgUnit.objects.get(code="A1").parent.code == "E1"


def test_units_tab_separated_with_crlf_and_extra_columns(project, leader):
    text = "Kode\tNavn\tAntall ansatte\tOverordnet\r\n1\tRådmannen\t12\t\r\n\r\n2\tStab\t4\t1\r\n"
    created = import_current_units(project=project, file=upload(text, "cp1252"), by=leader)

    assert [unit.name for unit in created] == ["Rådmannen", "Stab"]
    assert created[1].parent == created[0]


def test_units_under_existing_current_units_come_after_them(project, leader, units):
    text = "Kode;Navn;Overordnet\n210;Hjemmesykepleien;200\n"
    (created,) = import_current_units(project=project, file=upload(text), by=leader)

    assert created.parent == units["200"]
    assert created.order == 6


def test_units_codes_of_other_projects_and_the_future_organization_are_free(
    project, leader, organisation, owner
):
    other = ProjectFactory(organisation=organisation, owner=owner, leader=leader)
    OrgUnitFactory(project=other, structure=CURRENT, name="Annen", code="100")
    OrgUnitFactory(project=project, structure="future", name="Ny", code="100")

    created = import_current_units(project=project, file=upload(UNITS_CSV), by=leader)

    assert len(created) == 5


def test_units_from_excel_unicode_text_utf16_tabs(project, leader):
    text = "Kode\tNavn\tOverordnet\r\nA\tÅrdal\t\r\nB\tØvre\tA\r\n"
    created = import_current_units(project=project, file=upload(text, "utf-16"), by=leader)
    assert [(unit.name, unit.parent) for unit in created] == [("Årdal", None), ("Øvre", created[0])]


def test_units_line_numbers_with_crlf_and_old_mac_line_endings(project, leader):
    crlf = 'Kode;Navn\r\n1;"To\r\nlinjer"\r\n2;\r\n'
    assert errors_of(units_import(project, leader, crlf)) == ["Linje 4: Navnet mangler."]
    mac = "Kode;Navn\r1;En\r\r2;\r"
    assert errors_of(units_import(project, leader, mac)) == ["Linje 4: Navnet mangler."]


def test_units_from_a_plain_binary_file_object(project, leader):
    created = import_current_units(
        project=project, file=io.BytesIO(UNITS_CSV.encode("cp1252")), by=leader
    )
    assert len(created) == 5


# --- Units: bad files -----------------------------------------------------------------------------


def test_units_bad_rows_are_reported_by_line(project, leader):
    text = (
        "Kode;Navn;Type;Overordnet\n"  # 1
        "100;Helse;Sektor;\n"  # 2
        ';"Uten kode\n'  # 3: a cell over two lines
        'og mer";Enhet;100\n'  # 4
        "110;;Enhet;100\n"  # 5
        "120;Drift;Kontor;100\n"  # 6
        "130;Lønn;Enhet;999\n"  # 7
        f"140;{'x' * 201};Enhet;\n"  # 8
    )
    messages = errors_of(units_import(project, leader, text))

    assert messages == [
        "Linje 3: Koden mangler.",
        "Linje 5: Navnet mangler.",
        "Linje 6: Typen «Kontor» er ukjent. Bruk Sektor, Enhet eller Avdeling.",
        "Linje 7: Den overordnede enheten «999» finnes verken i filen eller i den nåværende "
        "organisasjonen.",
        "Linje 8: Navn er 201 tegn; maks 200.",
    ]


def test_units_duplicate_codes_in_the_file(project, leader):
    text = "Kode;Navn\nA;En\nB;To\nA;Tre\n"
    messages = errors_of(units_import(project, leader, text))

    assert messages == ["Linje 4: Koden «A» står også på linje 2."]


def test_units_codes_already_in_the_current_organization(project, leader, units):
    text = "Kode;Navn\n400;Ny\n200;Hjemmetjenester igjen\n"
    messages = errors_of(units_import(project, leader, text))

    assert messages == [
        "Linje 3: Enheten med kode «200» finnes allerede i den nåværende organisasjonen."
    ]


def test_units_cycle_names_the_codes(project, leader):
    text = (
        "Kode;Navn;Overordnet\n"
        "TOP;Toppen;\n"
        "A;En;C\n"  # 3
        "B;To;A\n"
        "C;Tre;B\n"
        "D;Fire;D\n"  # 6: over itself
        "E;Fem;A\n"  # under the cycle, not in it
    )
    messages = errors_of(units_import(project, leader, text))

    assert messages == [
        "Linje 3: Overordnet enhet går i sirkel: «A» → «C» → «B» → «A».",
        "Linje 6: Enheten «D» kan ikke være overordnet seg selv.",
    ]


def test_units_cycle_reached_from_a_row_before_it(project, leader):
    text = "Kode;Navn;Overordnet\nE;Fem;A\nA;En;B\nB;To;A\n"
    messages = errors_of(units_import(project, leader, text))
    assert messages == ["Linje 3: Overordnet enhet går i sirkel: «A» → «B» → «A»."]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("Navn;Type;Overordnet", ["Filen mangler kolonnen Kode."]),
        ("Kode;Type", ["Filen mangler kolonnen Navn."]),
        ("Enhet;Avdeling", ["Filen mangler kolonnen Kode.", "Filen mangler kolonnen Navn."]),
    ],
)
def test_units_missing_columns(project, leader, header, missing):
    messages = errors_of(units_import(project, leader, f"{header}\n1;2;3\n"))
    assert messages == missing


def test_units_a_column_twice(project, leader):
    messages = errors_of(units_import(project, leader, "Kode;Navn;Code\n1;En;1\n"))
    assert messages == ["Kolonnen Kode står to ganger i overskriftsraden."]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Filen er tom."),
        ("\ufeff \r\n\r\n", "Filen er tom."),
        ("Kode;Navn\n", "Filen har ingen rader under overskriftsraden."),
    ],
)
def test_units_empty_files(project, leader, text, message):
    assert errors_of(units_import(project, leader, text)) == [message]


NOT_CSV = "Filen er ikke en CSV-fil. Lagre regnearket som CSV (semikolonseparert) og prøv igjen."


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(4096),
        bytes(range(256)) * 8,
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",  # an .xlsx
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\x00\x01>>",
    ],
)
def test_binary_garbage_is_not_csv(project, leader, data):
    file = SimpleUploadedFile("eksport.csv", data)
    before = counts()
    with pytest.raises(ValidationError) as raised:
        import_current_units(project=project, file=file, by=leader)
    assert raised.value.messages == [NOT_CSV]
    file.seek(0)
    with pytest.raises(ValidationError) as raised:
        import_employees(project=project, file=file, by=leader)
    assert raised.value.messages == [NOT_CSV]
    assert counts() == before


def test_too_big_file(project, leader):
    line = "1;" + "x" * 98 + "\n"
    text = "Kode;Navn\n" + line * (5 * 1024 * 1024 // len(line) + 1)
    messages = errors_of(units_import(project, leader, text))
    assert messages == ["Filen er større enn 5 MB. Del den opp."]


def test_too_big_stream_without_size(project, leader):
    data = b"Kode;Navn\n" + b"1;x\n" * (5 * 1024 * 1024 // 4 + 1)
    before = counts()
    with pytest.raises(ValidationError) as raised:
        import_current_units(project=project, file=io.BytesIO(data), by=leader)
    assert raised.value.messages == ["Filen er større enn 5 MB. Del den opp."]
    assert counts() == before


def test_too_many_rows(project, leader):
    text = "Kode;Navn\n" + "".join(f"{n};Enhet {n}\n" for n in range(10_001))
    messages = errors_of(units_import(project, leader, text))
    assert messages == ["Filen har mer enn 10\xa0000 rader. Del den opp."]


def test_unclosed_quote(project, leader):
    text = 'Kode;Navn\n1;En\n2;"To\n3;Tre\n4;Fire\n'
    messages = errors_of(units_import(project, leader, text))
    assert messages == ['Et anførselstegn (") på linje 3 er ikke lukket. Fjern det eller lukk det.']


def test_row_with_more_cells_than_the_header(project, leader):
    text = "Kode;Navn\n1;En\n2;To;tre;\n"
    messages = errors_of(units_import(project, leader, text))
    assert messages == [
        "Linje 3: Raden har 3 kolonner, men overskriftsraden har bare 2. Har en celle et "
        "skilletegn (semikolon) uten anførselstegn rundt?"
    ]


def test_errors_are_capped_at_fifty(project, leader):
    text = "Kode;Navn\n" + "".join(f"{n};\n" for n in range(60))
    messages = errors_of(units_import(project, leader, text))

    assert len(messages) == 51
    assert messages[0] == "Linje 2: Navnet mangler."
    assert messages[49] == "Linje 51: Navnet mangler."
    assert messages[50] == "… og 10 feil til."


# --- Employees: good files ------------------------------------------------------------------------


EMPLOYEES_CSV = (
    "Ansattnummer;Fornavn;Etternavn;Enhet;Stilling;Stillingsprosent;Startdato;Kompetanse\n"
    # Cells with ";" are quoted, as Excel writes them.
    '1001;Åse;Ødegård;110;Sykepleier;100;01.08.2015;"Sykepleier; Sårbehandling ;"\n'
    "1002;Bjørn;Æsøy;200;Enhetsleder;80,5;2010-01-04;Lederutdanning\n"
    "1003;Kari;Nordmann;;Konsulent;80.5;;\n"
    "1004;Ola;Normann;300;Rådgiver;80 %;1.2.2020;\n"
    "1005;Per;Hansen;120;Hjelpepleier;;;\n"
    '1006;Liv;Berg;120;Assistent;50;05.01.2026;"Førstehjelp;Truckførerbevis"\n'
)


def test_employees_from_norwegian_excel_cp1252(project, leader, units):
    created = import_employees(project=project, file=upload(EMPLOYEES_CSV, "cp1252"), by=leader)

    assert [e.employee_number for e in created] == ["1001", "1002", "1003", "1004", "1005", "1006"]
    by_number = {e.employee_number: Employee.objects.get(pk=e.pk) for e in created}
    first = by_number["1001"]
    assert (first.first_name, first.last_name) == ("Åse", "Ødegård")
    assert first.current_unit == units["110"]
    assert first.current_position == "Sykepleier"
    assert first.fte == Decimal("100")
    assert first.start_date == dt.date(2015, 8, 1)
    assert first.competences == "Sykepleier\nSårbehandling"
    assert by_number["1002"].last_name == "Æsøy"
    assert by_number["1002"].fte == Decimal("80.5")
    assert by_number["1002"].start_date == dt.date(2010, 1, 4)
    assert by_number["1003"].current_unit is None
    assert by_number["1003"].fte == Decimal("80.5")
    assert by_number["1003"].start_date is None
    assert by_number["1003"].competences == ""
    assert by_number["1004"].fte == Decimal("80")
    assert by_number["1004"].start_date == dt.date(2020, 2, 1)
    assert by_number["1005"].fte == Decimal("100")  # empty: a whole position
    assert by_number["1006"].fte == Decimal("50")
    assert by_number["1006"].competence_list == ["Førstehjelp", "Truckførerbevis"]
    assert all(e.project == project for e in by_number.values())

    for employee in by_number.values():
        (record,) = employee.history.all()
        assert record.history_type == "+"
        assert record.history_user == leader
        assert record.history_change_reason == "Importert fra CSV"


def test_employees_utf8_bom_comma_and_english_headers(project, leader, units):
    text = (
        "\ufeffEmployee number,First name,Last name,Unit,Position,FTE,Start date,Skills\n"
        '"0042",Ståle,Øyen,200,"Rådgiver, økonomi",100,2019-03-01,"Excel;Økonomi"\n'
        '="0043",Mari,Sæther,,,"62,5 %",,\n'
    )
    created = import_employees(project=project, file=upload(text), by=leader)

    assert [(e.employee_number, e.first_name, e.last_name) for e in created] == [
        ("0042", "Ståle", "Øyen"),
        ("0043", "Mari", "Sæther"),
    ]
    assert created[0].current_position == "Rådgiver, økonomi"
    assert created[0].competences == "Excel\nØkonomi"
    assert created[1].fte == Decimal("62.5")


def test_employees_unquoted_competences_in_the_last_column(project, leader, units):
    # As the import page's example writes them: the cells beyond the header are competences.
    text = (
        "Ansattnummer;Fornavn;Etternavn;Enhet;Stilling;Stillingsprosent;Startdato;Kompetanse\n"
        "1001;Kari;Eksempel;200;Sykepleier;80;01.09.2015;Sykepleier;Veiledning;;\n"
    )
    (created,) = import_employees(project=project, file=upload(text), by=leader)
    assert created.competences == "Sykepleier\nVeiledning"


def test_employees_extra_cells_when_competences_is_not_last(project, leader):
    text = "Ansattnummer;Kompetanse;Fornavn;Etternavn\n1;Norsk;Engelsk;Kari;Nordmann\n"
    messages = errors_of(employees_import(project, leader, text))
    assert messages == [
        "Linje 2: Raden har 5 kolonner, men overskriftsraden har bare 4. Har en celle et "
        "skilletegn (semikolon) uten anførselstegn rundt?"
    ]


def test_employees_only_required_columns(project, leader):
    text = "fornavn;ETTERNAVN;Ansattnr\nKari;Nordmann;7\n"
    (created,) = import_employees(project=project, file=upload(text), by=leader)
    assert (created.employee_number, created.fte, created.current_unit) == ("7", 100, None)


# --- Employees: bad files -------------------------------------------------------------------------


def test_employees_bad_rows_are_reported_by_line(project, leader, units):
    text = (
        "Ansattnummer;Fornavn;Etternavn;Enhet;Stillingsprosent;Startdato\n"  # 1
        "1;Kari;Nordmann;110;100;01.08.2015\n"  # 2: good
        '2;"Anne\n'  # 3: a name over two lines
        'Lise";Berg;110;50;\n'  # 4
        ";Ola;;110;;\n"  # 5: no number, no last name
        "4;;Hansen;999;;\n"  # 6: no first name, unknown unit
        "5;Per;Olsen;110;120;\n"  # 7
        "6;Liv;Lie;;0;\n"  # 8
        "7;Siv;Sand;;åtti;\n"  # 9
        "8;Tor;Moe;;80;31.02.2020\n"  # 10
        "9;Eva;Ruud;;80;2020/01/01\n"  # 11
        "10;Geir;Dahl;;-5;\n"  # 12
        ";Ada;Hansen;;;\n"  # 13: no number either, but no duplicate of line 5
    )
    messages = errors_of(employees_import(project, leader, text))

    assert messages == [
        "Linje 5: Ansattnummeret mangler.",
        "Linje 5: Etternavnet mangler.",
        "Linje 6: Fornavnet mangler.",
        "Linje 6: Enheten «999» finnes ikke i den nåværende organisasjonen.",
        "Linje 7: Stillingsprosenten «120» må være mellom 0 og 100.",
        "Linje 8: Stillingsprosenten «0» må være mellom 0 og 100.",
        "Linje 9: Stillingsprosenten «åtti» er ikke et tall. Skriv for eksempel 100 eller 80,5.",
        "Linje 10: Startdatoen «31.02.2020» finnes ikke.",
        "Linje 11: Startdatoen «2020/01/01» er ikke en dato. Skriv den som dd.mm.åååå, for "
        "eksempel 01.08.2015.",
        "Linje 12: Stillingsprosenten «-5» må være mellom 0 og 100.",
        "Linje 13: Ansattnummeret mangler.",
    ]


def test_employees_unit_of_the_future_organization_is_unknown(project, leader):
    OrgUnitFactory(project=project, structure="future", name="Ny", code="N1")
    text = "Ansattnummer;Fornavn;Etternavn;Enhet\n1;Kari;Nordmann;N1\n"
    messages = errors_of(employees_import(project, leader, text))
    assert messages == ["Linje 2: Enheten «N1» finnes ikke i den nåværende organisasjonen."]


def test_employees_duplicate_numbers_in_the_file_and_in_the_project(project, leader):
    EmployeeFactory(project=project, employee_number="500", first_name="A", last_name="B")
    text = (
        "Ansattnummer;Fornavn;Etternavn\n100;Kari;Nordmann\n500;Ola;Nordmann\n100;Kari;Nordmann\n"
    )
    messages = errors_of(employees_import(project, leader, text))
    assert messages == [
        "Linje 3: Prosjektet har allerede en ansatt med ansattnummer «500».",
        "Linje 4: Ansattnummeret «100» står også på linje 2.",
    ]


def test_employees_missing_column(project, leader):
    text = "Ansattnummer;Fornavn;Enhet\n1;Kari;110\n"
    messages = errors_of(employees_import(project, leader, text))
    assert messages == ["Filen mangler kolonnen Etternavn."]


@pytest.mark.parametrize("text", ["", "\r\n", "Ansattnummer;Fornavn;Etternavn\n"])
def test_employees_empty_file(project, leader, text):
    messages = errors_of(employees_import(project, leader, text))
    assert len(messages) == 1
    assert messages[0] in {"Filen er tom.", "Filen har ingen rader under overskriftsraden."}


def test_one_bad_row_saves_nothing(project, leader, units):
    text = EMPLOYEES_CSV.replace("1005;Per;Hansen;120;Hjelpepleier;;;", "1005;Per;;120;;;;")
    messages = errors_of(employees_import(project, leader, text))
    assert messages == ["Linje 6: Etternavnet mangler."]


def test_messages_follow_the_active_language(project, leader, units):
    from django.utils import translation

    text = "Ansattnummer;Fornavn;Etternavn;Stillingsprosent\n1;Kari;Nordmann;120\n"
    with translation.override("nb"):
        messages = errors_of(employees_import(project, leader, text))
    assert messages == ["Linje 2: Stillingsprosenten «120» må være mellom 0 og 100."]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100", Decimal("100")),
        ("50", Decimal("50")),
        ("80,5", Decimal("80.5")),
        ("80.5", Decimal("80.5")),
        ("80 %", Decimal("80")),
        ("80%", Decimal("80")),
        ("33,333", Decimal("33.33")),
        ("0,01", Decimal("0.01")),
    ],
)
def test_parse_fte(text, value):
    assert imports.parse_fte(text) == value


@pytest.mark.parametrize("text", ["0", "100,01", "0,001", "1e2", "12,5,5", "%"])
def test_parse_fte_rejects(text):
    with pytest.raises(ValueError, match="Stillingsprosenten"):
        imports.parse_fte(text)


# --- Volume ---------------------------------------------------------------------------------------


def test_two_thousand_employees(project, leader, units, django_assert_max_num_queries):
    lines = ["Ansattnummer;Fornavn;Etternavn;Enhet;Stilling;Stillingsprosent;Startdato;Kompetanse"]
    codes = ["100", "110", "120", "200", "300"]
    lines += [
        f"{10000 + n};Fornavn{n};Ætternavn{n};{codes[n % 5]};Konsulent;{50 + n % 51};"
        f'01.0{1 + n % 9}.2010;"Norsk;Engelsk"'
        for n in range(2000)
    ]
    file = upload("\n".join(lines) + "\n", "cp1252")

    with django_assert_max_num_queries(40):
        created = import_employees(project=project, file=file, by=leader)

    assert len(created) == 2000
    assert Employee.objects.filter(project=project).count() == 2000
    assert Employee.history.filter(history_user=leader, history_type="+").count() == 2000
    assert not Employee.history.exclude(history_user=leader).exists()
    assert set(Employee.history.values_list("history_change_reason", flat=True)) == {
        "Importert fra CSV"
    }
    assert Employee.objects.get(employee_number="10008").current_unit == units["200"]
    assert Employee.objects.get(employee_number="10008").competences == "Norsk\nEngelsk"
    assert Employee.objects.get(employee_number="10008").fte == Decimal("58")


def test_the_project_is_locked(project, leader, monkeypatch):
    locked = []
    original = Project.objects.select_for_update

    def select_for_update(*args, **kwargs):
        locked.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(Project.objects, "select_for_update", select_for_update)
    import_current_units(project=project, file=upload(UNITS_CSV), by=leader)
    assert locked
