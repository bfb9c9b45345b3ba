"""Organization charts and the comparison of the current and future organization: the layout in
roles.orgchart and the templates roles/_orgchart.html and roles/_comparison.html.

Unsaved model instances only: the functions make no queries, so no database is needed.
"""

import itertools
import random
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from roles.models import OrgUnit
from roles.orgchart import (
    KEPT,
    MERGED,
    NEW,
    REMOVED,
    RENAMED,
    RESTRUCTURED,
    SPLIT,
    build_tree,
    compare,
    layout_chart,
    outline,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"
SECTOR, UNIT, DEPARTMENT = OrgUnit.Kind.SECTOR, OrgUnit.Kind.UNIT, OrgUnit.Kind.DEPARTMENT


@pytest.fixture(autouse=True)
def bokmal():
    with translation.override("nb"):
        yield


def unit(pk, name, parent=None, kind=UNIT, *, order=1, leader="", code=""):
    return OrgUnit(
        pk=pk, parent_id=parent, kind=kind, name=name, leader_title=leader, order=order, code=code
    )


def health(units=8, departments=12):
    """A sector with `units` units and `departments` departments spread over them, the first
    units getting one more while they last."""
    result = [unit(1, "Helse og omsorg", kind=SECTOR, leader="Kommunalsjef")]
    for i in range(units):
        result.append(unit(10 + i, f"Enhet {i + 1}", 1, order=i + 1, leader="Enhetsleder"))
    for j in range(departments):
        parent = 10 + j % units
        name = f"Avdeling {j + 1}"
        result.append(unit(100 + j, name, parent, DEPARTMENT, order=j, leader="Avdelingsleder"))
    return result


# --- Geometry checks ----------------------------------------------------------------------------


def overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def path_points(d: str) -> list[tuple[float, float]]:
    """The points of a path of M, H and V commands only."""
    points, x, y = [], 0.0, 0.0
    for command, args in re.findall(r"([MHV])([^MHV]*)", d):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "H":
            (x,) = numbers
        else:
            (y,) = numbers
        points.append((x, y))
    return points


def assert_drawable(chart):
    """No two boxes overlap, and boxes, text and lines are all inside the viewBox."""
    assert chart.boxes
    for a, b in itertools.combinations(chart.boxes, 2):
        assert not overlap(a, b), (a.name, b.name)
    for box in chart.boxes:
        assert 0 <= box.x <= chart.width - box.w, box.name
        assert 0 <= box.y <= chart.height - box.h, box.name
        lines = [box.kind_line, *box.name_lines, *box.title_lines]
        assert all(box.y < line.y < box.y + box.h for line in lines), box.name
        ys = [line.y for line in lines]
        assert ys == sorted(ys) and len(set(ys)) == len(ys)
    for connector in chart.connectors:
        for x, y in path_points(connector.d):
            assert 0 <= x <= chart.width and 0 <= y <= chart.height


def boxes_by_name(chart):
    return {box.name: box for box in chart.boxes}


# --- The tree -----------------------------------------------------------------------------------


def test_the_tree_nests_units_and_sorts_children_by_order_then_name():
    tree = build_tree(
        [
            unit(3, "Barnehage", 1, order=2),
            unit(1, "Oppvekst", kind=SECTOR),
            unit(4, "Avdeling B", 2, DEPARTMENT),
            unit(2, "Skole", 1, order=1),
            unit(5, "avdeling a", 2, DEPARTMENT),
            unit(6, "Beta", 1, order=2),
        ]
    )
    assert len(tree) == 1
    sector = tree[0]
    assert (sector.name, sector.depth) == ("Oppvekst", 0)
    assert [child.name for child in sector.children] == ["Skole", "Barnehage", "Beta"]
    school = sector.children[0]
    assert [child.name for child in school.children] == ["avdeling a", "Avdeling B"]
    assert {child.depth for child in school.children} == {2}
    assert [node.name for node in sector.walk()] == [
        "Oppvekst",
        "Skole",
        "avdeling a",
        "Avdeling B",
        "Barnehage",
        "Beta",
    ]


def test_a_unit_whose_parent_is_not_in_the_list_is_a_root():
    tree = build_tree([unit(2, "Skole", parent=99), unit(3, "Klasse", 2, DEPARTMENT)])
    assert [root.name for root in tree] == ["Skole"]
    assert tree[0].depth == 0 and tree[0].children[0].depth == 1


def test_a_loop_of_parents_loses_no_unit():
    tree = build_tree([unit(1, "A", parent=2), unit(2, "B", parent=1), unit(3, "C")])
    names = [node.name for root in tree for node in root.walk()]
    assert sorted(names) == ["A", "B", "C"]


def test_the_outline_opens_a_list_for_children_and_closes_every_one():
    tree = build_tree(health(units=2, departments=3))
    items = outline(tree)
    assert [item.node.name for item in items] == [
        "Helse og omsorg",
        "Enhet 1",
        "Avdeling 1",
        "Avdeling 3",
        "Enhet 2",
        "Avdeling 2",
    ]
    opened = sum(item.has_children for item in items)
    assert opened == 3
    assert sum(item.closes for item in items) == opened
    assert [item.closes for item in items] == [0, 0, 0, 1, 0, 2]


# --- Layout -------------------------------------------------------------------------------------


def test_a_small_organization_is_drawn_side_by_side():
    chart = layout_chart(health(units=3, departments=3))
    assert not chart.empty
    assert chart.stacked_from is None and not chart.grid and not chart.wrapped
    assert_drawable(chart)
    boxes = boxes_by_name(chart)
    sector, units = boxes["Helse og omsorg"], [boxes[f"Enhet {i}"] for i in (1, 2, 3)]
    departments = [boxes[f"Avdeling {i}"] for i in (1, 2, 3)]
    # A row for each level, the units from left to right in order.
    assert len({b.y for b in units}) == 1 and len({b.y for b in departments}) == 1
    assert sector.y + sector.h < units[0].y < units[0].y + units[0].h < departments[0].y
    assert [b.x for b in units] == sorted(b.x for b in units)
    # The sector is centred over its units, each department under its unit.
    assert sector.cx == pytest.approx((units[0].cx + units[-1].cx) / 2, abs=0.1)
    for u, d in zip(units, departments, strict=True):
        assert d.cx == pytest.approx(u.cx, abs=0.1)
    assert not any(b.stacked for b in chart.boxes)


def test_elbow_lines_join_a_parent_to_its_children():
    chart = layout_chart(health(units=3, departments=0))
    boxes = boxes_by_name(chart)
    sector = boxes["Helse og omsorg"]
    (connector,) = chart.connectors
    points = path_points(connector.d)
    assert points[0] == (sector.cx, sector.y + sector.h)  # from the bottom of the parent
    for child in (boxes[f"Enhet {i}"] for i in (1, 2, 3)):
        assert (child.cx, child.y) in points  # to the top of each child
    # Only horizontal and vertical segments.
    assert set(re.findall(r"[A-Z]", connector.d)) <= {"M", "H", "V"}


def test_a_level_too_wide_for_the_page_becomes_lists_under_the_parents():
    chart = layout_chart(health())  # 8 units, 12 departments: 12 boxes side by side do not fit
    assert chart.width == 960
    assert chart.stacked_from == 2
    assert_drawable(chart)
    boxes = boxes_by_name(chart)
    units = [boxes[f"Enhet {i}"] for i in range(1, 9)]
    assert len({b.y for b in units}) == 1  # the units still side by side
    assert not any(b.stacked for b in units)
    for j in range(12):
        department, parent = boxes[f"Avdeling {j + 1}"], units[j % 8]
        assert department.stacked
        # Under its unit, indented, and inside the unit's column.
        assert department.y > parent.y + parent.h
        assert parent.x < department.x and department.x + department.w <= parent.x + parent.w
    # The list is stacked: Avdeling 1 and 9 are under Enhet 1, one after the other.
    first, ninth = boxes["Avdeling 1"], boxes["Avdeling 9"]
    assert ninth.y >= first.y + first.h
    stacked = [c for c in chart.connectors if c.stacked]
    assert len(stacked) == 8  # one per unit with departments


def test_too_many_units_for_one_row_are_put_in_rows_under_the_sector():
    chart = layout_chart(health(units=14, departments=14))
    assert chart.grid and chart.stacked_from == 2
    assert_drawable(chart)
    units = [b for b in chart.boxes if b.kind == UNIT]
    rows = sorted({b.y for b in units})
    assert len(rows) >= 2
    assert chart.height > 2 * (units[0].h + 2 * 32)
    # Every unit is still joined to the sector: its top is on a line.
    points = {p for c in chart.connectors if not c.stacked for p in path_points(c.d)}
    assert all((b.cx, b.y) in points for b in units)


def test_many_top_units_are_wrapped_into_rows_never_wider_than_the_width():
    units = [unit(i, f"Sektor {i}", kind=SECTOR, order=i) for i in range(1, 13)]
    units += [unit(100 + i, f"Enhet {i}", 1 + i % 12, order=i) for i in range(36)]
    chart = layout_chart(units, width=640)
    assert chart.width == 640
    assert chart.wrapped  # 12 sectors do not fit side by side in 640
    assert len({b.y for b in chart.boxes if b.kind == SECTOR}) > 1
    assert_drawable(chart)
    assert max(b.x + b.w for b in chart.boxes) <= 640


@pytest.mark.parametrize("width", [480, 720, 960, 1200])
def test_the_chart_fits_any_reasonable_width(width):
    chart = layout_chart(health(units=10, departments=25), width=width)
    assert chart.width == width
    assert_drawable(chart)
    assert len(chart.boxes) == 36


def test_deep_trees_stay_inside_the_chart():
    units, parent = [], None
    for depth in range(6):
        for i in range(5):
            pk = depth * 10 + i + 1
            units.append(unit(pk, f"Nivå {depth} nr. {i}", parent, order=i))
        parent = depth * 10 + 1
    chart = layout_chart(units)
    assert_drawable(chart)
    assert len(chart.boxes) == 30


def test_long_names_wrap_and_are_shortened_with_the_whole_name_in_the_tooltip():
    long_name = "Tildelingskontoret for helse- og omsorgstjenester i Nordre Vestland kommune"
    chart = layout_chart([unit(1, long_name, leader="Leder for tildelingskontoret")])
    (box,) = chart.boxes
    assert 1 < len(box.name_lines) <= 3
    assert box.name_lines[-1].text.endswith("…")
    assert box.tooltip == f"{long_name} – Enhet – Leder for tildelingskontoret"


def test_wrap_breaks_at_spaces_and_hyphenates_only_words_too_long_for_a_line():
    assert wrap("Helse og omsorg", 100, 10, 3) == ["Helse og", "omsorg"]
    assert wrap("Hjemmesykepleien", 80, 10, 3) == ["Hjemmes-", "ykeplei-", "en"]
    assert wrap("Hjemmesykepleien", 80, 10, 2) == ["Hjemmes-", "ykeplei…"]
    assert wrap("a b c d e f g h", 40, 10, 2) == ["a b", "c d…"]
    assert wrap("", 100, 10, 2) == []


def test_the_kind_is_written_in_each_box():
    chart = layout_chart(health(units=1, departments=1))
    assert [box.kind_line.text for box in chart.boxes] == ["Sektor", "Enhet", "Avdeling"]
    assert [box.css_kind for box in chart.boxes] == ["sector", "unit", "department"]


# --- Summary ------------------------------------------------------------------------------------


def test_the_summary_counts_the_kinds():
    chart = layout_chart(health())
    assert chart.summary == "Organisasjonen har 1 sektor, 8 enheter og 12 avdelinger."


@pytest.mark.parametrize(
    "units, summary",
    [
        ([unit(1, "A")], "Organisasjonen har 1 enhet."),
        (
            [unit(1, "A", kind=SECTOR), unit(2, "B", kind=SECTOR), unit(3, "C", 1)],
            "Organisasjonen har 2 sektorer og 1 enhet.",
        ),
        (
            [unit(1, "A"), unit(2, "B", 1, DEPARTMENT)],
            "Organisasjonen har 1 enhet og 1 avdeling.",
        ),
    ],
)
def test_the_summary_in_the_singular_and_without_missing_kinds(units, summary):
    assert layout_chart(units).summary == summary


def test_no_units_give_an_empty_chart():
    chart = layout_chart([])
    assert chart.empty
    assert chart.boxes == [] and chart.connectors == [] and chart.outline == []
    assert chart.summary == "Organisasjonen har ingen enheter ennå."


# --- Comparison ---------------------------------------------------------------------------------


def comparison_example():
    current = [
        unit(1, "Hjemmetjenesten"),
        unit(2, "Sykehjemmet"),
        unit(3, "Helsestasjon"),
        unit(4, "Skolehelsetjenesten"),
        unit(5, "Kultur og fritid"),
        unit(6, "Teknisk drift"),
        unit(7, "Bygg"),
        unit(8, "Eiendom"),
        unit(9, "Vaktmestere"),
    ]
    future = [
        unit(21, "  hjemmetjenesten "),  # kept: case and spaces do not count
        unit(22, "Helse- og omsorgssenteret"),  # renamed
        unit(23, "Helsestasjon og skolehelsetjeneste"),  # merged: 3 and 4
        unit(24, "Kultur"),  # split: 5
        unit(25, "Fritid"),  # split: 5
        unit(26, "Drift"),  # restructured: 6, 7, 8 -> 26, 27
        unit(27, "Eiendomsforvaltning"),
        unit(28, "Innovasjon"),  # new
        # 9 Vaktmestere: removed
    ]
    mappings = [
        (1, 21),
        (2, 22),
        (3, 23),
        (4, 23),
        (5, 24),
        (5, 25),
        (6, 26),
        (7, 26),
        (7, 27),
        (8, 27),
        (1, 999),  # not in the lists: ignored
        (999, 28),
    ]
    return compare(current, future, mappings)


def test_every_kind_of_change_is_recognised():
    result = comparison_example()
    rows = {
        (row.kind, tuple(u.name for u in row.current), tuple(u.name for u in row.future))
        for row in result.rows
    }
    assert rows == {
        (KEPT, ("Hjemmetjenesten",), ("  hjemmetjenesten ",)),
        (RENAMED, ("Sykehjemmet",), ("Helse- og omsorgssenteret",)),
        (MERGED, ("Helsestasjon", "Skolehelsetjenesten"), ("Helsestasjon og skolehelsetjeneste",)),
        (SPLIT, ("Kultur og fritid",), ("Fritid", "Kultur")),
        (RESTRUCTURED, ("Bygg", "Eiendom", "Teknisk drift"), ("Drift", "Eiendomsforvaltning")),
        (NEW, (), ("Innovasjon",)),
        (REMOVED, ("Vaktmestere",), ()),
    }
    assert not result.empty


def test_rows_are_sorted_by_kind_with_labels_in_bokmal():
    result = comparison_example()
    assert [(row.kind, row.label) for row in result.rows] == [
        (KEPT, "Videreført"),
        (RENAMED, "Nytt navn"),
        (MERGED, "Slått sammen"),
        (SPLIT, "Delt"),
        (NEW, "Ny"),
        (REMOVED, "Nedlagt"),
        (RESTRUCTURED, "Omorganisert"),
    ]


def test_rows_of_one_kind_are_sorted_by_name():
    current = [unit(1, "Bø"), unit(2, "Ål"), unit(3, "aurland")]
    result = compare(current, [], [])
    assert [row.current[0].name for row in result.rows] == ["aurland", "Bø", "Ål"]
    assert {row.kind for row in result.rows} == {REMOVED}


def test_counts_per_kind_and_the_summary():
    result = compare(
        [unit(1, "A"), unit(2, "B"), unit(3, "C")],
        [unit(11, "a"), unit(12, "Bee"), unit(13, "Ny")],
        [(1, 11), (2, 12)],
    )
    assert result.count_by_kind == {
        KEPT: 1,
        RENAMED: 1,
        MERGED: 0,
        SPLIT: 0,
        NEW: 1,
        REMOVED: 1,
        RESTRUCTURED: 0,
    }
    assert [(c.label, c.count) for c in result.counts] == [
        ("Videreført", 1),
        ("Nytt navn", 1),
        ("Ny", 1),
        ("Nedlagt", 1),
    ]
    assert result.summary == "Videreført: 1, Nytt navn: 1, Ny: 1, Nedlagt: 1."


def test_a_repeated_mapping_counts_once():
    result = compare([unit(1, "A")], [unit(11, "A")], [(1, 11), (1, 11)])
    assert [row.kind for row in result.rows] == [KEPT]


def test_nothing_to_compare():
    result = compare([], [], [(1, 2)])
    assert result.empty and result.rows == [] and result.counts == []
    assert result.summary == "Ingen enheter å sammenligne ennå."


# --- The chart template -------------------------------------------------------------------------


def render_chart(chart, **context):
    return render_to_string("roles/_orgchart.html", {"chart": chart, **context})


def svg_of(html):
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])


def list_of(html):
    start = html.index('<ul class="orgchart__list">')
    end = html.index("</details>")
    return ET.fromstring(html[start:end].rsplit("</div>", 1)[0])


def test_the_svg_is_valid_xml_with_a_title_and_a_description():
    chart = layout_chart(health(), dom_id="current")
    html = render_chart(chart, title="Nåværende organisasjon")
    svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == f"0 0 {chart.width} {chart.height}"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == title.get("id") == "current-title"
    assert svg.get("aria-describedby") == desc.get("id") == "current-desc"
    assert title.text == "Nåværende organisasjon"
    assert desc.text == "Organisasjonen har 1 sektor, 8 enheter og 12 avdelinger."
    boxes = [g for g in svg.iter(f"{SVG}g") if "orgchart__unit " in g.get("class", "") + " "]
    assert len(boxes) == len(chart.boxes) == 21
    assert len(svg.findall(f".//{SVG}path")) == len(chart.connectors)


def test_the_title_has_a_default():
    svg = svg_of(render_chart(layout_chart(health(units=1, departments=0))))
    assert svg.find(f"{SVG}title").text == "Organisasjonskart"


def test_the_template_has_no_inline_styles():
    """The Content Security Policy has style-src 'self': style attributes would be blocked."""
    html = render_chart(layout_chart(health()))
    assert "style=" not in html
    assert "<style" not in html


def test_coordinates_are_not_localised():
    """Bokmål writes 12,5; SVG needs 12.5."""
    svg = svg_of(render_chart(layout_chart(health(units=7, departments=9))))
    numeric = {"x", "y", "width", "height", "stroke-width"}
    for element in svg.iter():
        for name, value in element.attrib.items():
            if name in numeric:
                float(value)
        if element.get("d"):
            assert re.fullmatch(r"[MHV\d. -]+", element.get("d"))


def test_the_nested_list_has_every_unit_with_its_kind_and_leader():
    units = health()
    html = render_chart(layout_chart(units))
    assert '<details class="ds-details orgchart__outline" data-variant="default" open>' in html
    assert "Organisasjonskartet som liste" in html
    tree = list_of(html)
    items = tree.findall(".//li")
    assert len(items) == len(units)
    names = [li.find("span").text for li in items]
    assert sorted(names) == sorted(u.name for u in units)
    sector = tree.find("li")
    assert "".join(sector.itertext()).startswith("Helse og omsorg – Sektor – Leder: Kommunalsjef")
    # Nested: Avdeling 1 and Avdeling 9 are in the list of Enhet 1.
    first_unit = sector.find("ul/li")
    assert first_unit.find("span").text == "Enhet 1"
    assert [li.find("span").text for li in first_unit.findall("ul/li")] == [
        "Avdeling 1",
        "Avdeling 9",
    ]
    assert "Leder: Avdelingsleder" in "".join(first_unit.find("ul/li").itertext())


def test_a_unit_without_leader_title_has_no_leader_in_the_list():
    html = render_chart(layout_chart([unit(1, "Stab")]))
    assert "".join(list_of(html).find("li").itertext()) == "Stab – Enhet"


def test_text_is_escaped():
    units = [unit(1, 'Drift & <vedlikehold> "nord"', leader="Leder <drift>")]
    html = render_chart(layout_chart(units), title="Kart & <plan>")
    svg = svg_of(html)  # parses: nothing unescaped
    assert svg.find(f"{SVG}title").text == "Kart & <plan>"
    assert any("<vedlikehold>" in (t.text or "") for t in svg.iter(f"{SVG}title"))
    assert list_of(html).find("li/span").text == 'Drift & <vedlikehold> "nord"'


def test_an_empty_chart_renders_a_sentence_and_no_svg():
    html = render_chart(layout_chart([]))
    assert "<svg" not in html and "<ul" not in html
    assert "Organisasjonen har ingen enheter ennå." in html


# --- The comparison template --------------------------------------------------------------------


def test_the_comparison_is_a_table_with_the_change_in_words():
    html = render_to_string("roles/_comparison.html", {"comparison": comparison_example()})
    assert "style=" not in html
    table = ET.fromstring(html[html.index("<table") : html.index("</table>") + len("</table>")])
    assert table.get("class").startswith("ds-table")
    assert table.find("caption").text == "Endringer fra nåværende til fremtidig organisasjon"
    assert [th.text for th in table.findall("thead/tr/th")] == [
        "Endring",
        "Nåværende enhet(er)",
        "Fremtidig(e) enhet(er)",
    ]
    rows = table.findall("tbody/tr")
    assert len(rows) == 7
    tags = [row.find("td/span").text for row in rows]
    assert tags == [
        "Videreført",
        "Nytt navn",
        "Slått sammen",
        "Delt",
        "Ny",
        "Nedlagt",
        "Omorganisert",
    ]
    merged = rows[2].findall("td")
    assert [li.text for li in merged[1].findall("ul/li")] == ["Helsestasjon", "Skolehelsetjenesten"]
    assert merged[2].text == "Helsestasjon og skolehelsetjeneste"
    new = rows[4].findall("td")
    assert "".join(new[1].itertext()) == "–Ingen"  # a dash, read as "Ingen"
    assert "Videreført: 1, Nytt navn: 1, Slått sammen: 1" in html


def test_the_comparison_shows_codes():
    result = compare([unit(1, "A", code="1001")], [unit(11, "A", code="2001")], [(1, 11)])
    html = render_to_string("roles/_comparison.html", {"comparison": result})
    assert 'A <span class="muted">(1001)</span>' in html
    assert "(2001)" in html


def test_an_empty_comparison_has_no_table():
    html = render_to_string("roles/_comparison.html", {"comparison": compare([], [], [])})
    assert "<table" not in html
    assert "Ingen enheter å sammenligne ennå." in html


@pytest.mark.parametrize("seed", range(40))
def test_random_organizations_are_drawable(seed):
    """Any shape of tree, at any width a page may give: nothing overlaps, nothing sticks out."""
    rng = random.Random(seed)
    kinds = [SECTOR, UNIT, DEPARTMENT]
    units = []
    for pk in range(1, rng.randint(2, 70)):
        parent = rng.choice([None, *(u.pk for u in units[-12:])]) if units else None
        depth_kind = kinds[0] if parent is None else rng.choice(kinds[1:])
        name = " ".join(
            rng.choice(["Helse", "og", "omsorgstjenestene", "Nord", "Barnevern"])
            for _ in range(rng.randint(1, 5))
        )
        units.append(
            unit(
                pk,
                name,
                parent,
                depth_kind,
                order=rng.randint(1, 4),
                leader=rng.choice(["", "Enhetsleder", "Kommunalsjef for oppvekst"]),
            )
        )
    chart = layout_chart(units, width=rng.choice([480, 640, 960, 1200]))
    assert len(chart.boxes) == len(units)
    assert_drawable(chart)
