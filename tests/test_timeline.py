"""The progress plan's timeline: the layout in milestones.timeline and its SVG template.

Unsaved model instances only: build_timeline makes no queries, so no database is needed.
"""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from milestones.models import Milestone
from milestones.timeline import build_timeline
from projects.models import Phase, Workstream

D = dt.date
SVG = "{http://www.w3.org/2000/svg}"
REACHED, PLANNED = Milestone.Status.REACHED, Milestone.Status.PLANNED
DECISION = Milestone.Kind.DECISION_POINT


@pytest.fixture(autouse=True)
def bokmal():
    with translation.override("nb"):
        yield


def milestone(code, due, *, pk=None, status=PLANNED, workstream=None, kind=None, title=None):
    return Milestone(
        pk=pk or int(re.sub(r"\D", "", code) or 0) + (100 if code.startswith("B") else 0),
        code=code,
        title=title or f"Milepæl {code}",
        due_date=due,
        status=status,
        kind=kind or (DECISION if code.startswith("B") else Milestone.Kind.MILESTONE),
        workstream_id=workstream,
    )


def timeline(milestones=(), *, start=None, end=None, phases=(), workstreams=(), today=None):
    return build_timeline(
        start=start,
        end=end,
        phases=list(phases),
        workstreams=list(workstreams),
        milestones=list(milestones),
        today=today or D(2013, 5, 20),
    )


HEALTH = Workstream(pk=1, name="Helse og omsorg", order=1)
SCHOOL = Workstream(pk=2, name="Oppvekst", order=2)


def plan():
    """A plan like seed 001's, spring and summer 2013."""
    return timeline(
        [
            milestone("M1", D(2013, 4, 12), status=REACHED),
            milestone("B1", D(2013, 4, 16), status=REACHED),
            milestone("M3", D(2013, 5, 13), status=REACHED, workstream=1, title="Kafédialog"),
            milestone("M4", D(2013, 5, 14), workstream=1),
            milestone("M7", D(2013, 6, 3), workstream=2),
            milestone("B2", D(2013, 6, 20)),
            milestone("M16", D(2013, 8, 26)),
        ],
        start=D(2013, 4, 8),
        end=D(2013, 8, 26),
        phases=[
            Phase(name="Forberedelse", start_date=D(2013, 4, 8), end_date=D(2013, 5, 10)),
            Phase(name="Gjennomføring", start_date=D(2013, 5, 11), end_date=D(2013, 8, 26)),
        ],
        workstreams=[HEALTH, SCHOOL],
    )


# --- Range ---------------------------------------------------------------------------------------


def test_the_range_spans_all_dates_with_a_little_padding():
    t = timeline([milestone("M1", D(2013, 4, 12)), milestone("M2", D(2013, 8, 26))])
    # 136 days: 3 % would be 4 days, so the minimum of a week applies on each side.
    assert (t.start, t.end) == (D(2013, 4, 5), D(2013, 9, 2))
    assert t.plot_left < t.markers[0].x < t.markers[1].x < t.plot_right


def test_a_long_range_is_padded_in_proportion():
    t = timeline(start=D(2013, 1, 1), end=D(2018, 1, 1))
    padding = (D(2018, 1, 1) - D(2013, 1, 1)).days * 0.03
    assert (D(2013, 1, 1) - t.start).days == round(padding)
    assert (t.end - D(2018, 1, 1)).days == round(padding)


def test_the_range_takes_the_project_dates_and_the_phases():
    t = timeline(
        [milestone("M1", D(2013, 5, 1))],
        start=D(2013, 3, 1),
        phases=[
            Phase(name="Drift", start_date=D(2013, 6, 1), end_date=D(2013, 12, 31)),
            # Without both dates a phase has no bar, and does not stretch the range either.
            Phase(name="Uten slutt", start_date=D(2012, 1, 1), end_date=None),
        ],
    )
    assert t.start < D(2013, 3, 1) and t.start > D(2013, 2, 1)
    assert t.end > D(2013, 12, 31) and t.end < D(2014, 2, 1)
    assert [bar.name for bar in t.phases] == ["Drift"]


def test_a_single_date_gets_at_least_a_month():
    t = timeline([milestone("M1", D(2013, 5, 15))])
    assert (t.end - t.start).days >= 31
    assert t.start < D(2013, 5, 15) < t.end
    assert len(t.ticks) >= 1


# --- Today ---------------------------------------------------------------------------------------


def test_the_today_line_is_drawn_inside_the_range():
    t = plan()
    assert t.today_x is not None
    before = [m for m in t.markers if m.x < t.today_x]
    assert {m.code for m in before} == {"M1", "B1", "M3", "M4"}


@pytest.mark.parametrize("today", [D(2012, 12, 1), D(2014, 1, 1)])
def test_there_is_no_today_line_outside_the_range(today):
    t = timeline([milestone("M1", D(2013, 4, 12))], end=D(2013, 8, 26), today=today)
    assert t.today_x is None


# --- Lanes ---------------------------------------------------------------------------------------


def test_the_whole_project_lane_comes_first_then_the_workstreams_in_order():
    t = plan()
    assert [lane.name for lane in t.lanes] == ["Hele prosjektet", "Helse og omsorg", "Oppvekst"]
    assert [m.code for m in t.lanes[0].markers] == ["M1", "B1", "B2", "M16"]
    assert [m.code for m in t.lanes[1].markers] == ["M3", "M4"]
    # Lanes follow each other without gaps or overlap, under the phase band.
    assert t.lanes[0].y == t.phase_band_y + t.phase_band_h
    for upper, lower in zip(t.lanes, t.lanes[1:], strict=False):
        assert lower.y == upper.y + upper.h
    for lane in t.lanes:
        assert all(m.y == lane.marker_y for m in lane.markers)
        assert lane.y < lane.marker_y < lane.y + lane.h
    assert t.plot_bottom == t.lanes[-1].y + t.lanes[-1].h
    assert t.height > t.plot_bottom


def test_lanes_without_milestones_are_left_out():
    t = timeline(
        [milestone("M1", D(2013, 4, 12), workstream=2)], workstreams=[HEALTH, SCHOOL, HEALTH]
    )
    assert [lane.name for lane in t.lanes] == ["Oppvekst"]


def test_a_milestone_of_an_unknown_workstream_is_shown_with_the_whole_project():
    t = timeline([milestone("M1", D(2013, 4, 12), workstream=99)], workstreams=[HEALTH])
    assert [lane.name for lane in t.lanes] == ["Hele prosjektet"]


def test_a_long_lane_name_is_shortened_and_kept_whole_for_the_tooltip():
    long = Workstream(pk=3, name="Oppvekst, skole og barnehage i hele kommunen", order=3)
    t = timeline([milestone("M1", D(2013, 4, 12), workstream=3)], workstreams=[long])
    assert t.lanes[0].name == long.name
    assert t.lanes[0].label.endswith("…")
    assert long.name.startswith(t.lanes[0].label[:-1])


# --- Staggered labels ----------------------------------------------------------------------------


def test_labels_far_apart_share_the_row_above_the_markers():
    t = timeline([milestone("M1", D(2013, 4, 1)), milestone("M2", D(2013, 8, 1))])
    lane = t.lanes[0]
    assert [m.label_row for m in lane.markers] == [0, 0]
    assert lane.rows == 1
    assert all(m.label_y < m.y for m in lane.markers)
    assert all(m.leader_y1 is None for m in lane.markers)


def test_close_labels_are_staggered_above_and_below_and_the_lane_grows():
    apart = timeline([milestone("M1", D(2013, 4, 1)), milestone("M2", D(2013, 8, 1))])
    close = timeline(
        [
            milestone("M1", D(2013, 4, 1)),
            milestone("M2", D(2013, 4, 2)),
            milestone("M3", D(2013, 4, 3)),
            milestone("M4", D(2013, 8, 1)),
        ],
    )
    lane = close.lanes[0]
    m1, m2, m3, m4 = lane.markers
    assert [m1.label_row, m2.label_row, m3.label_row] == [0, 1, 2]
    assert m4.label_row == 0  # far away again: back in the first row
    assert m1.label_y < m1.y < m2.label_y  # the second one below the markers
    assert m3.label_y < m1.label_y  # the third above the first
    # Only a label that is not next to its marker gets a line to it.
    assert m1.leader_y1 is None and m2.leader_y1 is None
    assert m3.leader_y2 < m3.leader_y1 < m3.y
    assert lane.rows == 3
    assert lane.h > apart.lanes[0].h


def test_labels_in_the_same_row_never_overlap():
    crowded = [milestone(f"M{n}", D(2013, 4, 1) + dt.timedelta(days=n * 3)) for n in range(1, 40)]
    t = timeline(crowded)
    rows = {}
    for m in t.lanes[0].markers:
        rows.setdefault(m.label_row, []).append(m)
    for markers in rows.values():
        for left, right in zip(markers, markers[1:], strict=False):
            assert left.label_x + left.label_width / 2 <= right.label_x - right.label_width / 2
    for m in t.markers:
        assert t.plot_left <= m.label_x - m.label_width / 2
        assert m.label_x + m.label_width / 2 <= t.width


# --- Markers -------------------------------------------------------------------------------------


def test_overdue_means_past_due_and_not_reached():
    t = timeline(
        [
            milestone("M1", D(2013, 4, 1), status=REACHED),
            milestone("M2", D(2013, 4, 2)),
            milestone("M3", D(2013, 4, 3), status=Milestone.Status.MISSED),
            milestone("M4", D(2013, 6, 1)),
        ],
        today=D(2013, 5, 1),
    )
    assert {m.code: m.overdue for m in t.markers} == {
        "M1": False,
        "M2": True,
        "M3": True,
        "M4": False,
    }
    assert {m.code: m.reached for m in t.markers}["M1"]


def test_the_tooltip_reads_code_title_date_and_status():
    markers = {m.code: m for m in plan().markers}
    assert markers["M3"].tooltip == "M3 Kafédialog – 13.05.2013 – Nådd"
    assert markers["M4"].tooltip == "M4 Milepæl M4 – 14.05.2013 – Planlagt – Forsinket"


def test_the_date_as_written_is_used_in_the_tooltip():
    m = milestone("M9", D(2013, 8, 19))
    m.date_text = "Senest 19. august 2013"
    assert timeline([m]).markers[0].tooltip.endswith("Senest 19. august 2013 – Planlagt")


def test_decision_points_are_diamonds_around_their_date():
    t = plan()
    b2 = next(m for m in t.markers if m.code == "B2")
    assert b2.decision_point
    xs = [float(point.split(",")[0]) for point in b2.points.split()]
    ys = [float(point.split(",")[1]) for point in b2.points.split()]
    assert min(xs) < b2.x < max(xs) and min(ys) < b2.y < max(ys)
    assert all(not m.points for m in t.markers if not m.decision_point)


# --- Phases --------------------------------------------------------------------------------------


def test_overlapping_phases_get_a_row_each_and_narrow_bars_no_label():
    t = timeline(
        start=D(2013, 1, 1),
        end=D(2013, 12, 31),
        phases=[
            Phase(name="Forberedelse", start_date=D(2013, 1, 1), end_date=D(2013, 6, 30)),
            Phase(name="Kartlegging", start_date=D(2013, 6, 1), end_date=D(2013, 12, 31)),
            Phase(name="Kort", start_date=D(2013, 7, 1), end_date=D(2013, 7, 3)),
            Phase(name="Kartlegging og analyse", start_date=D(2013, 1, 1), end_date=D(2013, 1, 25)),
        ],
    )
    bars = {bar.name: bar for bar in t.phases}
    assert bars["Forberedelse"].y != bars["Kartlegging"].y
    assert bars["Forberedelse"].label == "Forberedelse"
    assert bars["Kort"].label == ""  # too narrow even for "Ko…"
    assert bars["Kort"].tooltip == "Kort: 01.07.2013–03.07.2013"
    assert bars["Kartlegging og analyse"].label.endswith("…")
    for bar in t.phases:
        assert t.phase_band_y < bar.y and bar.y + bar.h < t.phase_band_y + t.phase_band_h


# --- Ticks ---------------------------------------------------------------------------------------


def test_a_three_month_range_has_a_tick_every_month():
    t = timeline(start=D(2013, 4, 12), end=D(2013, 7, 8))
    assert [tick.date for tick in t.ticks] == [D(2013, 5, 1), D(2013, 6, 1), D(2013, 7, 1)]
    assert [tick.label for tick in t.ticks] == ["mai 2013", "jun. 2013", "jul. 2013"]
    assert [tick.short_label for tick in t.ticks] == ["mai", "jun.", "jul."]
    assert [year.label for year in t.years] == ["2013"]
    assert t.ticks[0].x < t.ticks[1].x < t.ticks[2].x


def test_a_five_year_range_has_fewer_ticks():
    t = timeline(start=D(2013, 4, 12), end=D(2018, 4, 12))
    assert 3 <= len(t.ticks) <= 14
    assert all(tick.date.month == 1 for tick in t.ticks)  # yearly
    assert [year.label for year in t.years if year.label][:2] == ["2013", "2014"]
    assert all(year.boundary for year in t.years[1:])


def test_a_two_year_range_has_quarterly_ticks():
    t = timeline(start=D(2013, 1, 15), end=D(2014, 12, 15))
    assert {tick.date.month for tick in t.ticks} == {1, 4, 7, 10}
    assert len(t.ticks) <= 14


@pytest.mark.parametrize("years", [1, 2, 3, 5, 10, 30])
def test_never_more_than_fourteen_tick_labels(years):
    t = timeline(start=D(2013, 4, 12), end=D(2013 + years, 4, 12))
    assert len(t.ticks) <= 14
    assert len([year for year in t.years if year.label]) <= 31


# --- Summary and empty input ---------------------------------------------------------------------


def test_the_summary_counts_kinds_dates_overdue_and_reached():
    assert plan().summary == (
        "5 milepæler og 2 beslutningspunkter fra 12.04.2013 til 26.08.2013. "
        "1 er forsinket. 3 er nådd. Planen har 2 faser."
    )


def test_the_summary_in_the_singular():
    t = timeline([milestone("M1", D(2013, 4, 12))], today=D(2013, 4, 1))
    assert t.summary == "1 milepæl den 12.04.2013. 0 er forsinket. 0 er nådd."


def test_the_summary_without_milestones():
    t = timeline(start=D(2013, 4, 8), end=D(2013, 8, 26))
    assert not t.empty
    assert t.summary == "Ingen milepæler eller beslutningspunkter ennå."
    assert t.lanes == []


def test_empty_input_gives_an_empty_timeline():
    t = timeline(phases=[Phase(name="Uten datoer")])
    assert t.empty
    assert t.lanes == [] and t.phases == [] and t.ticks == []
    assert t.summary


# --- The template --------------------------------------------------------------------------------


def render(t):
    return render_to_string("milestones/_timeline.html", {"timeline": t})


def svg_of(html):
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])


def test_the_svg_is_valid_xml_with_a_title_and_a_description():
    t = plan()
    html = render(t)
    svg = svg_of(html)
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == f"0 0 {t.width} {t.height}"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Tidslinje for fremdriftsplanen"
    assert desc.text == t.summary
    assert "<figure" in html and "<figcaption" not in html


def test_the_template_has_no_inline_styles():
    """The Content Security Policy has style-src 'self': style attributes would be blocked."""
    html = render(plan())
    assert "style=" not in html
    assert "<style" not in html


def test_coordinates_are_not_localised():
    """Bokmål writes 12,5; SVG needs 12.5."""
    svg = svg_of(render(plan()))
    numeric = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height"}
    for element in svg.iter():
        for name, value in element.attrib.items():
            if name in numeric:
                float(value)
        if element.get("points"):
            assert re.fullmatch(r"[\d. ,-]+", element.get("points"))
            assert len(element.get("points").split()) == 4


def test_shapes_fills_and_marks_tell_kind_status_and_overdue():
    t = plan()
    svg = svg_of(render(t))
    markers = [g for g in svg.iter(f"{SVG}g") if "timeline__marker" in g.get("class", "")]
    assert len(markers) == len(t.markers)
    tooltips = [g.find(f"{SVG}title").text for g in markers]
    assert "M3 Kafédialog – 13.05.2013 – Nådd" in tooltips
    assert len(svg.findall(f".//{SVG}polygon")) == 2  # B1, B2
    assert len(svg.findall(f".//{SVG}circle")) == 5
    for g in markers:
        symbol = g.find(f"{SVG}circle")
        symbol = symbol if symbol is not None else g.find(f"{SVG}polygon")
        reached = "timeline__marker--reached" in g.get("class")
        assert (symbol.get("fill") == "#0062ba") == reached  # filled when reached
        code = g.find(f"{SVG}text")
        overdue = "timeline__marker--overdue" in g.get("class")
        assert (code.find(f"{SVG}tspan") is not None) == overdue
        assert (symbol.get("stroke-width") == "3") == overdue  # not colour alone
    m4 = markers[next(i for i, text in enumerate(tooltips) if text.startswith("M4 "))]
    assert "".join(m4.find(f"{SVG}text").itertext()) == "M4!"  # the "!" beside the code


def test_the_today_line_is_dashed_and_labelled():
    svg = svg_of(render(plan()))
    today = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "timeline__today")
    assert today.find(f"{SVG}line").get("stroke-dasharray")
    assert today.find(f"{SVG}text").text == "I dag"


def test_there_is_no_today_line_outside_the_range_in_the_svg():
    t = timeline([milestone("M1", D(2013, 4, 12))], today=D(2020, 1, 1))
    assert "timeline__today" not in str(ET.tostring(svg_of(render(t))))


def test_the_legend_is_html_with_hidden_symbols():
    html = render(plan())
    legend = html[html.index('<ul class="timeline__legend">') : html.index("</ul>")]
    items = re.findall(r"<li[ >]", legend)
    assert len(items) == legend.count('aria-hidden="true"') == 7
    for text in ["Milepæl", "Beslutningspunkt", "Nådd", "Forsinket", "Fase", "I dag"]:
        assert text in legend


def test_text_is_escaped():
    m = milestone("M1", D(2013, 4, 12), title='Avtale <AMU> & "tillitsvalgte"')
    ws = Workstream(pk=1, name="Drift & <vedlikehold>", order=1)
    m.workstream_id = 1
    svg = svg_of(render(timeline([m], workstreams=[ws])))  # parses: nothing unescaped
    assert any("<AMU>" in (title.text or "") for title in svg.iter(f"{SVG}title"))


def test_an_empty_timeline_renders_a_sentence_and_no_svg():
    html = render(timeline())
    assert "<svg" not in html
    assert "Ingen milepæler eller datoer å vise ennå." in html
