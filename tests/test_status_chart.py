"""The history of statuses as a chart: the layout in reports.status_chart and its SVG template.

Unsaved reports only (StatusReportFactory.build: period 1 ends 25.01.2026, and one every 21
days): build_status_chart makes no queries, so no database is needed."""

import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from reports.status_chart import build_status_chart

from .factories import StatusReportFactory

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def bokmal():
    with translation.override("nb"):
        yield


def svg_of(chart):
    html = render_to_string("reports/_status_chart.html", {"chart": chart, "project_name": "P"})
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return html, ET.fromstring(html[start:end])


def test_no_reports_is_a_sentence_not_an_empty_chart():
    chart = build_status_chart([])
    assert chart.empty
    html = render_to_string("reports/_status_chart.html", {"chart": chart})
    assert "Ingen publiserte statusrapporter ennå." in html
    assert "<svg" not in html


def test_one_column_per_report_in_period_order_and_one_row_per_section():
    chart = build_status_chart(
        [
            StatusReportFactory.build(number=3, overall="red"),
            StatusReportFactory.build(number=1, overall="green"),
            StatusReportFactory.build(number=2, overall="yellow"),
        ],
        dom_id="h7",
    )
    assert [c.number for c in chart.columns] == [1, 2, 3]
    assert [r.key for r in chart.rows] == [
        "overall",
        "progress",
        "economy",
        "quality",
        "risk",
        "benefits",
    ]
    assert [c.cells[0].label for c in chart.columns] == ["Grønn", "Gul", "Rød"]
    assert chart.columns[0].cells[1].label == "Ingen status"
    assert chart.columns[2].cells[0].tooltip == "Periode 3, 08.03.2026: Samlet status: Rød"
    assert chart.summary == (
        "3 publiserte statusrapporter, fra periode 1 (25.01.2026) til periode 3 (08.03.2026). "
        "Samlet status i den siste: Rød (før: Gul)."
    )
    # Columns side by side, inside the drawing.
    xs = [c.x for c in chart.columns]
    assert xs == sorted(xs) and xs[-1] < chart.width


def test_each_light_has_its_own_shape_and_the_svg_is_labelled():
    chart = build_status_chart(
        [StatusReportFactory.build(number=1, overall="green", progress="yellow", economy="red")]
    )
    html, svg = svg_of(chart)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").get("id") == svg.get("aria-labelledby")
    assert (
        svg.find(f"{SVG}desc").text
        == "1 publisert statusrapport, periode 1 (25.01.2026). Samlet status: Grønn."
    )
    cells = svg.findall(f".//{SVG}g[@class='status-chart__cell']")
    shapes = {c.get("data-light"): [child.tag.removeprefix(SVG) for child in c] for c in cells}
    assert shapes["green"] == ["title", "circle"]
    assert shapes["yellow"] == ["title", "rect"]
    assert shapes["red"] == ["title", "polygon"]
    assert shapes["none"] == ["title", "circle"]  # dashed
    # Coordinates with a decimal point, not the Norwegian comma.
    assert 'cx="126"' in html and 'points="126,' in html
    # The table behind it says the same in words.
    assert "<summary>Vis som tabell</summary>" in html
    assert '<span class="light" data-light="red">Rød</span>' in html
