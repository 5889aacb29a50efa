"""SVG charts and their data tables: pure functions (no database)."""

import re
from datetime import date, timedelta
from xml.etree import ElementTree

from django.utils import translation

from campaigns import charts
from campaigns.choices import TargetUnit
from campaigns.projection import project

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    """Parse markup our own functions produced (trusted), which also proves it is well-formed XML."""
    return ElementTree.fromstring(markup)  # noqa: S314


def daily(start: date, days: int, *, first: float, per_day: float):
    return [(start + timedelta(days=offset), first + per_day * offset) for offset in range(days)]


def progress_svg(points, **overrides):
    arguments = {
        "chart_id": "target-7-chart",
        "title": "2,014 members by 2014",
        "points": points,
        "start": date(2010, 9, 1),
        "deadline": date(2014, 12, 31),
        "target": 2014,
        "baseline": 0,
        "unit": TargetUnit.COUNT,
        "projection": project(points, target=2014, baseline=0, deadline=date(2014, 12, 31), today=date(2012, 9, 1)),
    }
    arguments.update(overrides)
    return charts.progress_chart(**arguments)


def test_progress_chart_is_an_accessible_image_with_title_and_description():
    svg = progress_svg(daily(date(2010, 9, 1), 731, first=35, per_day=1))
    root = parse(svg)  # well-formed XML
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "target-7-chart-title target-7-chart-desc"
    assert root.find(f"{SVG}title").text == "2,014 members by 2014"
    assert root.find(f"{SVG}title").get("id") == "target-7-chart-title"
    description = root.find(f"{SVG}desc").text
    assert "Sept. 1, 2010 (35)" in description
    assert "target of 2,014" in description
    assert "trend line (+30 per month)" in description


def test_progress_chart_draws_values_trend_target_and_deadline():
    svg = progress_svg(daily(date(2010, 9, 1), 731, first=35, per_day=1))
    root = parse(svg)
    polyline = root.find(f"{SVG}polyline")
    # 731 days over about half the plot's 546 pixels: at most one point per horizontal pixel.
    assert 200 < len(polyline.get("points").split()) <= charts.PLOT_WIDTH // 2 + 1
    dashed = {line.get("stroke-dasharray") for line in root.iter(f"{SVG}line")}
    assert {charts.TREND_DASH, charts.TARGET_DASH} <= dashed
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "Target: 2,014" in texts
    assert "Deadline" in texts
    assert {"2011", "2012", "2013", "2014"} <= set(texts)
    assert {"Value", "Trend and projection", "Target"} <= set(texts)


def test_progress_chart_escapes_titles():
    svg = progress_svg([], title="<script>alert(1)</script> & co")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)


def test_progress_chart_without_values_says_so():
    svg = progress_svg([], projection=None)
    root = parse(svg)
    assert root.find(f"{SVG}polyline") is None
    assert "No values recorded yet" in root.find(f"{SVG}desc").text


def test_a_single_value_is_drawn_as_a_dot():
    svg = progress_svg([(date(2012, 1, 1), 500)])
    assert parse(svg).find(f"{SVG}circle") is not None


def test_runaway_trend_is_clipped_to_the_chart():
    points = [(date(2014, 1, 1), 0), (date(2014, 1, 2), 100)]
    svg = progress_svg(
        points, projection=project(points, target=2014, baseline=0, deadline=date(2014, 12, 31), today=date(2014, 1, 2))
    )
    root = parse(svg)
    trend = next(line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray") == charts.TREND_DASH)
    assert float(trend.get("y2")) >= charts.TOP
    assert float(trend.get("x2")) < charts.LEFT + charts.PLOT_WIDTH


def test_chart_texts_follow_the_language():
    points = daily(date(2010, 9, 1), 40, first=1000, per_day=10)
    with translation.override("fr"):
        svg = progress_svg(points)
    assert "2\xa0014" in svg or "2 014" in svg or "2\u202f014" in svg


def test_percent_values_keep_one_decimal_and_a_percent_sign():
    assert charts.format_value(8.9, TargetUnit.PERCENT) == "8.9\xa0%"
    assert charts.format_value(20, TargetUnit.PERCENT) == "20\xa0%"
    assert charts.format_value(1915.9, TargetUnit.COUNT) == "1,916"
    assert charts.format_value(2.5, TargetUnit.COUNT) == "2.5"
    assert charts.format_value(None, TargetUnit.COUNT) == "–"
    assert charts.signed(-34.6, TargetUnit.COUNT) == "−35"


def test_nice_ticks_are_round_and_cover_the_range():
    assert charts.nice_ticks(0, 2014) == [0, 500, 1000, 1500, 2000, 2500]
    assert charts.nice_ticks(0, 20.8) == [0, 5, 10, 15, 20, 25]
    ticks = charts.nice_ticks(0, 1)
    assert ticks[0] == 0 and ticks[-1] >= 1


def test_month_end_points_keep_the_last_value_of_each_month():
    points = daily(date(2014, 1, 30), 35, first=0, per_day=1)
    assert charts.month_end_points(points) == [(date(2014, 1, 31), 1), (date(2014, 2, 28), 29), (date(2014, 3, 5), 34)]


def test_series_chart_has_a_marker_per_year_and_labels_the_ends():
    points = [(2009, 7.0), (2012, 8.1), (2017, 10.0)]
    svg = charts.series_chart(
        chart_id="series-1", title="Women among UN police (%)", points=points, unit=TargetUnit.PERCENT
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Women among UN police (%)"
    assert "2009 (7\xa0%)" in root.find(f"{SVG}desc").text
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    texts = {text.text for text in root.iter(f"{SVG}text")}
    assert {"2009", "2017"} <= texts


def test_series_chart_over_decades_and_empty_series():
    svg = charts.series_chart(
        chart_id="s", title="Strength", points=[(1995, 5840), (2017, 15000)], unit=TargetUnit.COUNT
    )
    texts = [text.text for text in parse(svg).iter(f"{SVG}text")]
    assert "1995" in texts and "2017" in texts and "15,000" in texts
    empty = charts.series_chart(chart_id="e", title="Empty", points=[], unit=TargetUnit.COUNT)
    assert "No values yet." in empty
    parse(empty)


def test_data_table_has_caption_headers_and_the_values():
    table = charts.data_table(
        caption="Members by date",
        headers=["Date", "Value"],
        rows=[("Sept. 30, 2010", "240"), ("Oct. 31, 2010", "<b>2,014</b>")],
        table_id="t-1",
    )
    root = parse(table)
    assert root.find("caption").text == "Members by date"
    assert [th.text for th in root.iter("th") if th.get("scope") == "col"] == ["Date", "Value"]
    assert [th.text for th in root.iter("th") if th.get("scope") == "row"] == ["Sept. 30, 2010", "Oct. 31, 2010"]
    assert "&lt;b&gt;2,014&lt;/b&gt;" in table
    assert re.search(r'<td class="number">240</td>', table)
