"""Reading a milestone table pasted from Word or Excel (milestones.importing).

The table is "5.5 Hovedmilepæler Fase 1" of seed 001, M1–M16, in the clean Norwegian of the
mandate's Word table (the seed's text is OCR'd).
"""

import datetime

import pytest
from django.utils import translation

from milestones.importing import (
    CODE_PATTERN,
    ParsedRow,
    parse_date,
    parse_milestone_table,
)


def d(day: int, month: int, year: int = 2013) -> datetime.date:
    return datetime.date(year, month, day)


# code, title, criterion, due date, date_text
SEED_TABLE = [
    ("M1", "Ledersamling for virksomhetsledere", "", d(12, 4), "11.–12. april 2013"),
    ("M2", "Tillitsvalgte", "Tillitsvalgte orientert", d(3, 5), ""),
    (
        "M3",
        "Gjennomført kafédialog med alle i ledergruppen",
        "Dokumenter fra arbeidsgruppene foreligger",
        d(13, 5),
        "",
    ),
    (
        "M4",
        "Rådmannens forslag fremlegges ledergruppen",
        "Presentert forslag for innspill",
        d(3, 6),
        "",
    ),
    (
        "M5",
        "Definere, spesifisere og prioritere oppgaver",
        "Definert, spesifisert og prioritert hovedoppgaver til ledergruppen",
        d(10, 6),
        "",
    ),
    (
        "M6",
        "Arbeidsprosesser for ledergruppen",
        'Beskrevet både "nåværende" og "fremtidige arbeidsprosesser" ift. ledergruppen, samt '
        "gjennomført gapanalyse",
        d(10, 6),
        "",
    ),
    (
        "M7",
        "Rollebeskrivelser",
        "Utarbeidet mal for organisasjons- og bemanningsplan, samt rollebeskrivelser for den "
        "enkelte stilling",
        d(10, 6),
        "",
    ),
    (
        "M8",
        "Kartleggingssamtaler",
        "Gjennomført kartleggingssamtaler med alle berørte ansatte",
        d(17, 6),
        "",
    ),
    (
        "M9",
        "Utarbeidet organisasjons- og bemanningsplan",
        "Utarbeidet forslag til organisasjons- og bemanningsplan",
        d(17, 6),
        "",
    ),
    (
        "M10",
        "Utarbeidet prosedyre for innplassering",
        "Utarbeidet prosedyre for innplassering av ansatte",
        d(17, 6),
        "",
    ),
    (
        "M11",
        "Drøftet",
        "Drøftet ny organisasjons- og bemanningsplan og prosedyre for innplassering",
        d(17, 6),
        "",
    ),
    (
        "M12",
        "Besluttet",
        "Besluttet ny organisasjons- og bemanningsplan og prosedyre for innplassering",
        d(19, 6),
        "",
    ),
    (
        "M13",
        "Innplassering",
        "Innplassering av ansatte i ny organisasjon iht. ny organisasjons- og bemanningsplan og "
        "prosedyre for innplassering",
        d(24, 6),
        "",
    ),
    ("M14", "Operativ", "Ny organisasjon operativ", d(19, 8), "Senest 19. august 2013"),
    (
        "M15",
        "Omstillingssamtaler",
        "Omstillingssamtale med ansatte som ikke er direkte innplassert",
        d(19, 8),
        "Senest 19. august 2013",
    ),
    (
        "M16",
        "Ved evt. overtallighet",
        "Retningslinjer for nedbemanning i Åmot kommune (Sak 11/7, vedtatt 18/5-2011 av "
        "Administrasjonsutvalget), skal benyttes ved evt. overtallighet",
        d(26, 8),
        "Senest 26. august 2013",
    ),
]

HEADER = ("Nr", "Milepæl", "Kriterium", "Dato")

# As Word puts the table on the clipboard: a tab between cells, and a cell's paragraphs (or
# lines the author broke by hand) on extra lines whose Nr cell is empty.
WORD_ROWS = [
    HEADER,
    ("M1", "Ledersamling for", "", "11-12 april"),
    ("", "virksomhetsledere", "", "2013"),
    ("M2", "Tillitsvalgte", "Tillitsvalgte orientert", "3. mai 2013"),
    ("M3", "Gjennomført kafédialog", "Dokumenter fra arbeidsgruppene foreligger", "13.05.2013"),
    ("", "med alle i ledergruppen", "", ""),
    ("M4", "Rådmannens forslag", "Presentert forslag for innspill", "03.06.2013"),
    ("", "fremlegges ledergruppen", "", ""),
    ("M5", "Definere, spesifisere og", "Definert, spesifisert og prioritert", "10.06.2013"),
    ("", "prioritere oppgaver", "hovedoppgaver til ledergruppen", ""),
    ("M6", "Arbeidsprosesser for", 'Beskrevet både "nåværende" og "fremtidige', "10.06.2013"),
    ("", "ledergruppen", 'arbeidsprosesser" ift. ledergruppen, samt', ""),
    ("", "", "gjennomført gapanalyse", ""),
    ("M7", "Rollebeskrivelser", "Utarbeidet mal for organisasjons- og", "10.06.2013"),
    ("", "", "bemanningsplan, samt rollebeskrivelser for den", ""),
    ("", "", "enkelte stilling", ""),
    ("M8", "Kartleggingssamtaler", "Gjennomført kartleggingssamtaler med alle", "17.06.2013"),
    ("", "", "berørte ansatte", ""),
    ("M9", "Utarbeidet organisasjons-", "Utarbeidet forslag til organisasjons- og", "17.06.2013"),
    ("", "og bemanningsplan", "bemanningsplan", ""),
    ("M10", "Utarbeidet prosedyre for", "Utarbeidet prosedyre for innplassering av", "17.06.2013"),
    ("", "innplassering", "ansatte", ""),
    ("M11", "Drøftet", "Drøftet ny organisasjons- og bemanningsplan", "17.06.2013"),
    ("", "", "og prosedyre for innplassering", ""),
    ("M12", "Besluttet", "Besluttet ny organisasjons- og bemanningsplan", "19.06.2013"),
    ("", "", "og prosedyre for innplassering", ""),
    ("M13", "Innplassering", "Innplassering av ansatte i ny organisasjon iht.", "24.06.2013"),
    ("", "", "ny organisasjons- og bemanningsplan og", ""),
    ("", "", "prosedyre for innplassering", ""),
    ("M14", "Operativ", "Ny organisasjon operativ", "Senest 19."),
    ("", "", "", "august 2013"),
    ("M15", "Omstillingssamtaler", "Omstillingssamtale med ansatte som ikke er", "Senest 19."),
    ("", "", "direkte innplassert", "august 2013"),
    ("M16", "Ved evt. overtallighet", "Retningslinjer for nedbemanning", "Senest 26."),
    ("", "", "i Åmot kommune (Sak 11/7, vedtatt 18/5-2011", "august 2013"),
    ("", "", "av Administrasjonsutvalget), skal benyttes ved", ""),
    ("", "", "evt. overtallighet", ""),
]

# As Excel puts it on the clipboard: one line a row, CRLF, and a cell with line breaks (Alt+Enter)
# or quotes in "..." with "" for a quote. Dates as Excel shows them.
EXCEL_ROWS = [
    HEADER,
    ("M1", "Ledersamling for virksomhetsledere", "", "11.–12. april 2013"),
    ("M2", "Tillitsvalgte", "Tillitsvalgte orientert", "03.05.2013"),
    ("M3", *SEED_TABLE[2][1:3], "13.05.2013"),
    (
        "M4",
        "Rådmannens forslag\nfremlegges ledergruppen",
        "Presentert forslag for innspill",
        "03.06.2013",
    ),
    ("M5", *SEED_TABLE[4][1:3], "10.06.2013"),
    (
        "M6",
        "Arbeidsprosesser for ledergruppen",
        'Beskrevet både "nåværende" og "fremtidige arbeidsprosesser" ift. ledergruppen,\n'
        "samt gjennomført gapanalyse",
        "10.06.2013",
    ),
    ("M7", *SEED_TABLE[6][1:3], "10.06.2013"),
    ("M8", *SEED_TABLE[7][1:3], "17.06.2013"),
    ("M9", *SEED_TABLE[8][1:3], "17.06.2013"),
    ("M10", *SEED_TABLE[9][1:3], "17.06.2013"),
    ("M11", *SEED_TABLE[10][1:3], "17.06.2013"),
    ("M12", *SEED_TABLE[11][1:3], "19.06.2013"),
    (
        "M13",
        "Innplassering",
        "Innplassering av ansatte i ny organisasjon iht.\nny organisasjons- og bemanningsplan og\n"
        "prosedyre for innplassering",
        "24.06.2013",
    ),
    ("M14", "Operativ", "Ny organisasjon operativ", "Senest 19. august 2013"),
    ("M15", *SEED_TABLE[14][1:3], "Senest 19.\naugust 2013"),
    (
        "M16",
        "Ved evt. overtallighet",
        "Retningslinjer for nedbemanning i Åmot kommune (Sak 11/7, vedtatt 18/5-2011 av\n"
        "Administrasjonsutvalget), skal benyttes ved evt. overtallighet",
        "Senest 26. august 2013",
    ),
]


def word(rows) -> str:
    return "".join("\t".join(row) + "\r\n" for row in rows)


def excel_cell(cell: str) -> str:
    if "\n" in cell or '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


def excel(rows) -> str:
    return "".join("\t".join(map(excel_cell, row)) + "\r\n" for row in rows)


def as_tuples(rows: list[ParsedRow]):
    return [(r.code, r.title, r.criterion, r.due_date, r.date_text) for r in rows]


def only(text: str, **kwargs) -> ParsedRow:
    [row] = parse_milestone_table(text, **kwargs)
    return row


def test_code_pattern_is_the_models():
    from milestones.models import CODE_PATTERN as model_pattern

    assert model_pattern == CODE_PATTERN


# --- The seed table ------------------------------------------------------------------------------


SEED_PASTES = pytest.mark.parametrize(
    "text",
    [pytest.param(word(WORD_ROWS), id="word"), pytest.param(excel(EXCEL_ROWS), id="excel")],
)


@SEED_PASTES
def test_seed_table_gives_sixteen_valid_rows(text):
    rows = parse_milestone_table(text)

    assert [row.errors for row in rows] == [[]] * 16
    assert all(row.is_valid for row in rows)
    assert as_tuples(rows) == SEED_TABLE


@SEED_PASTES
def test_seed_table_dates(text):
    rows = parse_milestone_table(text)

    dates = {row.code: row.due_date.strftime("%d.%m.%Y") for row in rows}
    assert dates == {
        "M1": "12.04.2013",
        "M2": "03.05.2013",
        "M3": "13.05.2013",
        "M4": "03.06.2013",
        "M5": "10.06.2013",
        "M6": "10.06.2013",
        "M7": "10.06.2013",
        "M8": "17.06.2013",
        "M9": "17.06.2013",
        "M10": "17.06.2013",
        "M11": "17.06.2013",
        "M12": "19.06.2013",
        "M13": "24.06.2013",
        "M14": "19.08.2013",
        "M15": "19.08.2013",
        "M16": "26.08.2013",
    }
    assert rows[0].date_text == "11.–12. april 2013"
    assert rows[13].date_text == "Senest 19. august 2013"


def test_seed_table_line_numbers_are_where_each_row_starts():
    word_rows = parse_milestone_table(word(WORD_ROWS))
    excel_rows = parse_milestone_table(excel(EXCEL_ROWS))

    # Word: the header is line 1, M1 line 2 with its continuation on line 3.
    assert [row.line for row in word_rows][:5] == [2, 4, 5, 7, 9]
    # Excel: M4's title and M6's criterion take two lines each.
    assert [row.line for row in excel_rows][:8] == [2, 3, 4, 5, 7, 8, 10, 11]


def test_seed_table_without_header_and_with_lf_line_ends():
    text = word(WORD_ROWS[1:]).replace("\r\n", "\n")

    rows = parse_milestone_table(text)

    assert as_tuples(rows) == SEED_TABLE
    assert rows[0].line == 1


def test_excel_paste_exactly_as_on_the_clipboard():
    text = (
        "Nr\tMilepæl\tKriterium\tDato\r\n"
        'M13\tInnplassering\t"Innplassering av ansatte\niht. ""ny"" plan"\t24.06.2013\r\n'
        "M14\tOperativ\tNy organisasjon operativ\tSenest 19. august 2013\r\n"
    )

    rows = parse_milestone_table(text)

    assert [(row.line, row.code, row.criterion) for row in rows] == [
        (2, "M13", 'Innplassering av ansatte iht. "ny" plan'),
        (4, "M14", "Ny organisasjon operativ"),
    ]
    assert all(row.is_valid for row in rows)


# --- Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "date_text"),
    [
        ("13.05.2013", d(13, 5), ""),
        ("3.5.2013", d(3, 5), ""),
        ("13.05.13", d(13, 5), ""),
        ("13/5-2013", d(13, 5), ""),
        ("31/12-2013", d(31, 12), ""),
        ("2013-05-13", d(13, 5), ""),
        ("13-05-2013", d(13, 5), ""),
        ("  13.05.2013. ", d(13, 5), ""),
        ("3. mai 2013", d(3, 5), ""),
        ("3 mai 2013", d(3, 5), ""),
        ("3.mai 2013", d(3, 5), ""),
        ("19. august 2013", d(19, 8), ""),
        ("19. AUGUST 2013", d(19, 8), ""),
        ("19. Aug. 2013", d(19, 8), ""),
        ("1. jan 14", d(1, 1, 2014), ""),
        ("Senest 19. august 2013", d(19, 8), "Senest 19. august 2013"),
        ("senest 19.\naugust  2013", d(19, 8), "Senest 19. august 2013"),
        ("SENEST 19.08.2013", d(19, 8), "SENEST 19. august 2013"),
        ("Innen 13.05.2013", d(13, 5), "Innen 13. mai 2013"),
        ("Før 1.7.13", d(1, 7), "Før 1. juli 2013"),
        ("før 3. juni 2013", d(3, 6), "Før 3. juni 2013"),
        ("ca. 3. sept. 2013", d(3, 9), "Ca. 3. september 2013"),
        ("ca 3. sept 2013", d(3, 9), "Ca 3. september 2013"),
        ("11-12 april 2013", d(12, 4), "11.–12. april 2013"),
        ("11.–12. april 2013", d(12, 4), "11.–12. april 2013"),
        ("11. – 12. april 2013", d(12, 4), "11.–12. april 2013"),
        ("11.-12.04.2013", d(12, 4), "11.–12. april 2013"),
        ("11-12 apr. 2013", d(12, 4), "11.–12. april 2013"),
        ("Senest 11.–12. april 2013", d(12, 4), "Senest 11.–12. april 2013"),
    ],
)
def test_parse_date(text, expected, date_text):
    assert parse_date(text) == (expected, date_text)


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("januar", 1),
        ("jan", 1),
        ("februar", 2),
        ("feb", 2),
        ("mars", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("mai", 5),
        ("juni", 6),
        ("jun", 6),
        ("juli", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("oktober", 10),
        ("okt", 10),
        ("november", 11),
        ("nov", 11),
        ("desember", 12),
        ("des", 12),
        ("DES", 12),
        ("Okt", 10),
    ],
)
def test_parse_date_month_names(name, month):
    assert parse_date(f"5. {name} 2013") == (d(5, month), "")


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("january", 1),
        ("jan", 1),
        ("february", 2),
        ("feb", 2),
        ("march", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("june", 6),
        ("jun", 6),
        ("july", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("october", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
        ("MAY", 5),
        ("Oct", 10),
        ("Dec.", 12),
    ],
)
def test_parse_date_english_month_names(name, month):
    assert parse_date(f"5 {name} 2013") == (d(5, month), "")


@pytest.mark.parametrize(
    ("text", "expected", "date_text"),
    [
        ("3 May 2013", d(3, 5), ""),
        ("1 dec 13", d(1, 12, 2013), ""),
        # date_text writes the month the Norwegian way, as the mandate does.
        ("Senest 19 October 2013", d(19, 10), "Senest 19. oktober 2013"),
        ("11-12 dec 2013", d(12, 12), "11.–12. desember 2013"),
    ],
)
def test_parse_date_english(text, expected, date_text):
    assert parse_date(text) == (expected, date_text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Dato mangler."),
        ("  \n ", "Dato mangler."),
        ("19. august", "Året mangler i datoen «19. august»."),
        ("Senest 19. august", "Året mangler i datoen «Senest 19. august»."),
        ("19.08", "Året mangler i datoen «19.08»."),
        ("11.–12. april", "Året mangler i datoen «11.–12. april»."),
        ("31.02.2013", "Datoen «31.02.2013» finnes ikke."),
        ("30. februar 2013", "Datoen «30. februar 2013» finnes ikke."),
        ("13.13.2013", "Datoen «13.13.2013» finnes ikke."),
        ("2013-02-30", "Datoen «2013-02-30» finnes ikke."),
        (
            "snart",
            "«snart» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013.",
        ),
        (
            "19. augst 2013",
            "«19. augst 2013» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013.",
        ),
        (
            "Senest",
            "«Senest» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013.",
        ),
        (
            "uke 25 2013",
            "«uke 25 2013» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013.",
        ),
        ("12-11 april 2013", "I datoen «12-11 april 2013» må første dag komme før siste dag."),
        ("12.–12. april 2013", "I datoen «12.–12. april 2013» må første dag komme før siste dag."),
    ],
)
def test_parse_date_errors(text, message):
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == message


# --- Columns and header --------------------------------------------------------------------------


def test_header_maps_columns_in_another_order():
    text = (
        "DATO\tKode\tKriterier\tTittel\n"
        "13.05.2013\tM3\tDokumenter foreligger\tKafédialog\n"
        "Senest 19. august 2013\tm14\t\tOperativ\n"
    )

    rows = parse_milestone_table(text)

    assert as_tuples(rows) == [
        ("M3", "Kafédialog", "Dokumenter foreligger", d(13, 5), ""),
        ("M14", "Operativ", "", d(19, 8), "Senest 19. august 2013"),
    ]
    assert [row.line for row in rows] == [2, 3]


@pytest.mark.parametrize(
    "header",
    [
        "Nr\tMilepæl\tKriterium\tDato",
        "Nr.\tMilepel\tKriterier\tFrist",
        "NR.\tTITTEL\tKRITERIUM\tFRIST",
        "kode\tmilepæl\tkriterium\tdato",
        "No\tMilestone\tCriterion\tDate",
        "No.\tTitle\tCriteria\tDeadline",
        "NUMBER\tMILESTONE\tCRITERIA\tDATE",
        "number\ttitle\tcriterion\tdeadline",
        "Nr\tMilestone\tKriterium\tDate",
    ],
)
def test_header_names(header):
    row = only(f"{header}\nM1\tLedersamling\tGjennomført\t3.5.2013\n")

    assert (row.code, row.title, row.criterion, row.due_date) == (
        "M1",
        "Ledersamling",
        "Gjennomført",
        d(3, 5),
    )


def test_english_header_in_another_order_with_english_dates():
    text = "Deadline\tNo.\tTitle\nMay 3 2013\tm1\tKick-off\n3 May 2013\tm2\tLaunch\n"

    rows = parse_milestone_table(text)

    # Only day-first dates are read: a month first is reported, not guessed at.
    assert rows[0].errors == [
        "«May 3 2013» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013."
    ]
    assert as_tuples(rows[1:]) == [("M2", "Launch", "", d(3, 5), "")]


def test_header_without_criterion_column():
    row = only("Milepæl\tFrist\tNr\nLedersamling\t3.5.2013\tM1\n")

    assert (row.code, row.title, row.criterion, row.due_date) == ("M1", "Ledersamling", "", d(3, 5))
    assert row.is_valid


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Nr\tMilepæl\tKriterium", "Overskriftsraden mangler kolonnen Dato."),
        ("Milepæl\tKriterium\tDato", "Overskriftsraden mangler kolonnen Nr."),
        ("Nr\tKriterium\tDato", "Overskriftsraden mangler kolonnen Milepæl."),
        ("Nr\tMilepæl\tTittel\tDato", "Kolonnen Milepæl står to ganger i overskriftsraden."),
        ("Nr\tNo\tMilepæl\tDato", "Kolonnen Nr står to ganger i overskriftsraden."),
        ("No\tMilestone\tCriterion", "Overskriftsraden mangler kolonnen Dato."),
    ],
)
def test_unusable_header_is_an_error_for_the_table(header, message):
    with pytest.raises(ValueError) as error:
        parse_milestone_table(f"{header}\nM1\tLedersamling\t3.5.2013\n")
    assert str(error.value) == message


def test_header_only_on_the_first_non_blank_line():
    rows = parse_milestone_table("\n\nNr\tMilepæl\tKriterium\tDato\nM1\tA\t\t3.5.2013\n")

    assert [(row.line, row.code) for row in rows] == [(4, "M1")]


def test_header_like_row_later_is_data():
    rows = parse_milestone_table("M1\tA\t\t3.5.2013\nNr\tMilepæl\tKriterium\tDato\n")

    assert rows[1].code == "NR"
    assert not rows[1].is_valid


def test_three_cells_without_header_are_nr_title_date():
    row = only("M2\tTillitsvalgte\t3. mai 2013\n")

    assert as_tuples([row]) == [("M2", "Tillitsvalgte", "", d(3, 5), "")]
    assert row.is_valid


def test_empty_trailing_cells_are_ignored():
    row = only("M2\tTillitsvalgte\tOrientert\t3. mai 2013\t\t\t\n")

    assert row.is_valid
    assert row.criterion == "Orientert"


def test_empty_date_cell_in_four_columns_is_missing_date():
    row = only("M2\tTillitsvalgte\tTillitsvalgte orientert\t\n")

    assert row.criterion == "Tillitsvalgte orientert"
    assert row.errors == ["Dato mangler."]


def test_too_many_columns():
    row = only("M2\tTillitsvalgte\tOrientert\t3. mai 2013\tKari\tNotat\n")

    assert row.errors == ["Raden har 6 kolonner; forventet Nr, Milepæl, Kriterium, Dato."]
    assert (row.code, row.title, row.criterion, row.due_date) == (
        "M2",
        "Tillitsvalgte",
        "Orientert",
        d(3, 5),
    )


def test_too_many_columns_under_a_header():
    rows = parse_milestone_table("Nr\tMilepæl\tDato\nM2\tTillitsvalgte\t3. mai 2013\tKari\n")

    assert rows[0].errors == ["Raden har 4 kolonner; forventet Nr, Milepæl, Dato."]


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        (
            "M2\tTillitsvalgte\n",
            ["Raden har 2 kolonner; forventet Nr, Milepæl, Kriterium, Dato.", "Dato mangler."],
        ),
        (
            "M2\n",
            [
                "Raden har 1 kolonne; forventet Nr, Milepæl, Kriterium, Dato.",
                "Milepælen mangler navn.",
                "Dato mangler.",
            ],
        ),
    ],
)
def test_too_few_columns(text, errors):
    assert only(text).errors == errors


def test_cells_are_stripped_and_whitespace_collapsed():
    row = only("\ufeff  m1 \t  Leder\u00a0samling   for\tledere \t 3. mai 2013 \n")

    assert as_tuples([row]) == [("M1", "Leder samling for", "ledere", d(3, 5), "")]


def test_blank_lines_are_skipped_and_lines_counted():
    text = "\n\nM1\tA\t\t3.5.2013\n\t\t\t\n   \nM2\tB\t\t4.5.2013\n\n"

    rows = parse_milestone_table(text)

    assert [(row.line, row.code) for row in rows] == [(3, "M1"), (6, "M2")]


@pytest.mark.parametrize("text", ["", "\n\n", "\t\t\n"])
def test_nothing_to_read(text):
    assert parse_milestone_table(text) == []


# --- Other separators ----------------------------------------------------------------------------


def test_semicolons():
    text = "Nr;Milepæl;Kriterium;Dato\nM1;Ledersamling;;11-12 april 2013\nM2;Tillitsvalgte;Orientert;3. mai 2013\n"

    rows = parse_milestone_table(text)

    assert as_tuples(rows) == [
        ("M1", "Ledersamling", "", d(12, 4), "11.–12. april 2013"),
        ("M2", "Tillitsvalgte", "Orientert", d(3, 5), ""),
    ]


def test_semicolons_with_quoted_cell():
    row = only('M1; Ledersamling; "Plan; budsjett"; 3.5.2013\n')

    assert row.criterion == "Plan; budsjett"
    assert row.is_valid


def test_bars_as_in_the_ocr_of_seed_001():
    text = (
        "M10 | Utarbeidet prosedyre for innplassering | Utarbeidet prosedyre for innplassering av"
        " ansatte | 17.06.2013\n"
        "M11 | Drøftet | Drøftet ny organisasjons- og bemanningsplan | 17.06.2013\n"
        "    |         | og prosedyre for innplassering               |\n"
        "M14 | Operativ | Ny organisasjon operativ; kontoret åpent | Senest 19.\n"
        "    |          |                                          | august 2013\n"
    )

    rows = parse_milestone_table(text)

    assert as_tuples(rows) == [
        ("M10", *SEED_TABLE[9][1:3], d(17, 6), ""),
        ("M11", *SEED_TABLE[10][1:3], d(17, 6), ""),
        (
            "M14",
            "Operativ",
            "Ny organisasjon operativ; kontoret åpent",
            d(19, 8),
            "Senest 19. august 2013",
        ),
    ]
    assert [row.line for row in rows] == [1, 2, 4]


def test_bars_with_outer_borders_and_divider():
    text = (
        "| Nr | Milepæl | Kriterium | Dato |\n"
        "|----|:--------|-----------|-----:|\n"
        "| M1 | Ledersamling | | 11.–12. april 2013 |\n"
        "| M2 | Tillitsvalgte | Orientert | 3. mai 2013 |\n"
    )

    rows = parse_milestone_table(text)

    assert as_tuples(rows) == [
        ("M1", "Ledersamling", "", d(12, 4), "11.–12. april 2013"),
        ("M2", "Tillitsvalgte", "Orientert", d(3, 5), ""),
    ]
    assert [row.line for row in rows] == [3, 4]


def test_bars_with_outer_borders_three_columns_and_continuation():
    text = "| M2 | Tillitsvalgte | 3. mai |\n|  | orientert | 2013 |\n"

    row = only(text)

    assert as_tuples([row]) == [("M2", "Tillitsvalgte orientert", "", d(3, 5), "")]


def test_tabs_win_over_other_separators():
    row = only("M1\tPlan | budsjett\tA; B\t3.5.2013\n")

    assert (row.title, row.criterion) == ("Plan | budsjett", "A; B")


# --- Continuation lines --------------------------------------------------------------------------


def test_continuation_appends_to_the_same_columns():
    text = "M1\tLedersamling for\tAlle\tSenest 19.\n\tvirksomhetsledere\tmøtt\taugust 2013\n"

    row = only(text)

    assert as_tuples([row]) == [
        (
            "M1",
            "Ledersamling for virksomhetsledere",
            "Alle møtt",
            d(19, 8),
            "Senest 19. august 2013",
        )
    ]
    assert row.line == 1


def test_continuation_of_a_three_column_row():
    row = only("M2\tTillitsvalgte\t3. mai\n\torientert\t2013\n")

    assert (row.title, row.criterion, row.due_date) == ("Tillitsvalgte orientert", "", d(3, 5))


def test_continuation_before_any_row_is_an_error_row():
    rows = parse_milestone_table("\tvirksomhetsledere\t\t\nM2\tTillitsvalgte\t\t3. mai 2013\n")

    assert rows[0].line == 1
    assert rows[0].title == "virksomhetsledere"
    assert rows[0].errors == ["Nr. mangler.", "Dato mangler."]
    assert rows[1].is_valid


def test_row_without_nr_is_merged_and_its_date_then_fails():
    # A new milestone whose Nr was forgotten cannot pass silently: two dates in one cell.
    row = only("M1\tA\t\t3.5.2013\n\tB\t\t4.5.2013\n")

    assert row.title == "A B"
    assert row.errors == [
        "«3.5.2013 4.5.2013» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013."
    ]


def test_continuation_with_too_many_cells_marks_the_row():
    row = only("M1\tA\t\t3.5.2013\n\tB\t\t\tx\n")

    assert row.errors == ["Raden har 5 kolonner; forventet Nr, Milepæl, Kriterium, Dato."]


# --- Codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("M1", "M1"),
        ("m1", "M1"),
        ("b2", "B2"),
        ("12", "12"),
        ("M3a", "M3a"),
        ("m3A", "M3a"),
        ("1.", "1"),
        ("æøå1", "ÆØÅ1"),
    ],
)
def test_valid_codes_are_upper_cased(cell, code):
    row = only(f"{cell}\tA\t\t3.5.2013\n")

    assert row.code == code
    assert row.is_valid


@pytest.mark.parametrize(
    ("cell", "code"),
    [("M-1", "M-1"), ("MILE1", "MILE1"), ("M1234", "M1234"), ("Nr", "NR"), ("m 1", "M 1")],
)
def test_invalid_codes(cell, code):
    row = only(f"{cell}\tA\t\t3.5.2013\n")

    assert row.errors == [f"Nr. «{code}» er ugyldig. Bruk bokstaver og tall, for eksempel M1."]


def test_duplicate_codes_mark_the_later_rows():
    text = (
        "Nr\tMilepæl\tKriterium\tDato\n"
        "M1\tA\t\t3.5.2013\n"
        "M2\tB\t\t3.5.2013\n"
        "M3\tC\t\t3.5.2013\n"
        "M4\tD\t\t3.5.2013\n"
        "M5\tE\t\t3.5.2013\n"
        "m3\tF\t\t3.5.2013\n"
        "M3\tG\t\t3.5.2013\n"
    )

    rows = parse_milestone_table(text)

    assert [row.errors for row in rows] == [
        [],
        [],
        [],
        [],
        [],
        ["Nr. M3 står to ganger i tabellen (linje 4 og 7)."],
        ["Nr. M3 står to ganger i tabellen (linje 4 og 8)."],
    ]


def test_existing_codes():
    rows = parse_milestone_table(
        "M1\tA\t\t3.5.2013\nm3\tB\t\t3.5.2013\n", existing_codes=iter(["m1", "M2", "B3"])
    )

    assert [row.errors for row in rows] == [["Prosjektet har allerede milepæl M1."], []]


def test_duplicate_of_an_existing_code_gets_both_errors():
    rows = parse_milestone_table("M3\tA\t\t3.5.2013\nM3\tB\t\t3.5.2013\n", existing_codes=["M3"])

    assert rows[1].errors == [
        "Nr. M3 står to ganger i tabellen (linje 1 og 2).",
        "Prosjektet har allerede milepæl M3.",
    ]


# --- Other row errors ----------------------------------------------------------------------------


def test_missing_title():
    assert only("M1\t\tKriterium\t3.5.2013\n").errors == ["Milepælen mangler navn."]


def test_title_length():
    assert only(f"M1\t{'a' * 200}\t\t3.5.2013\n").is_valid
    assert only(f"M1\t{'a' * 201}\t\t3.5.2013\n").errors == [
        "Navnet på milepælen er 201 tegn; maks 200."
    ]


def test_criterion_length():
    assert only(f"M1\tA\t{'k' * 2000}\t3.5.2013\n").is_valid
    assert only(f"M1\tA\t{'k' * 2001}\t3.5.2013\n").errors == ["Kriteriet er 2001 tegn; maks 2000."]


def test_date_errors_are_row_errors():
    rows = parse_milestone_table("M1\tA\t\tsnart\nM2\tB\t\t19. august\nM3\tC\t\t31.02.2013\n")

    assert [row.errors for row in rows] == [
        ["«snart» er ikke en dato. Skriv for eksempel 13.05.2013 eller 19. august 2013."],
        ["Året mangler i datoen «19. august»."],
        ["Datoen «31.02.2013» finnes ikke."],
    ]
    assert all(row.due_date is None for row in rows)


def test_all_errors_of_a_row_are_reported():
    row = only(f"M-1\t{'a' * 201}\t{'k' * 2001}\tsnart\n")

    assert len(row.errors) == 4
    assert not row.is_valid


# --- The table as a whole ------------------------------------------------------------------------


def test_at_most_500_rows():
    rows = "".join(f"M{n}\tMilepæl {n}\t\t3.5.2013\n" for n in range(1, 501))

    assert len(parse_milestone_table(rows)) == 500
    with pytest.raises(ValueError) as error:
        parse_milestone_table(rows + "M501\tEn til\t\t3.5.2013\n")
    assert str(error.value) == "Tabellen har mer enn 500 rader. Del den opp."


def test_continuation_lines_do_not_count_as_rows():
    rows = "".join(f"M{n}\tMilepæl\t\t3.5.2013\n\tfortsatt\t\t\n" for n in range(1, 501))

    assert len(parse_milestone_table(rows)) == 500


def test_unclosed_quote():
    text = 'M1\t"Ledersamling\t\t3.5.2013\nM2\tTillitsvalgte\t\t3.5.2013\n'

    with pytest.raises(ValueError) as error:
        parse_milestone_table(text)
    assert (
        str(error.value)
        == 'Et anførselstegn (") på linje 1 er ikke lukket. Fjern det eller lukk det.'
    )


def test_parsed_row_is_valid():
    assert ParsedRow(line=1, code="M1", title="A", due_date=d(3, 5)).is_valid
    assert not ParsedRow(line=1, errors=["Nr. mangler."]).is_valid


# --- Translation ---------------------------------------------------------------------------------


def test_messages_are_in_the_active_language():
    with translation.override("en"):
        with pytest.raises(ValueError) as error:
            parse_date("snart")
        row = only("M-1\n")
        with pytest.raises(ValueError) as header_error:
            parse_milestone_table("No\tMilestone\tCriterion\nM1\tA\t\n")

    assert str(error.value) == (
        "“snart” is not a date. Write, for example, 13.05.2013 or 19 August 2013."
    )
    assert row.errors == [
        "The row has 1 column; expected No., Milestone, Criterion, Date.",
        "The No. “M-1” is invalid. Use letters and digits, for example M1.",
        "The milestone has no name.",
        "The date is missing.",
    ]
    assert str(header_error.value) == "The header row is missing the column Date."
    # Outside the override the messages are Norwegian again.
    assert only("M1\tA\t\t\n").errors == ["Dato mangler."]
