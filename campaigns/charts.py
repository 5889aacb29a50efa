"""Server-rendered SVG charts and their data tables: pure functions, no database, no JavaScript.

Each chart is an `<svg role="img">` named by its `<title>` and described by a `<desc>` that says in words
what the lines show; a data table with the same values follows it for screen readers and for anyone who
prefers numbers. Lines differ by pattern as well as colour (solid values, dashed trend, dotted target).
Texts are translated and numbers formatted in the active language, so a cached chart is per language.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from campaigns.choices import TargetUnit
from campaigns.projection import Projection, Status

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 70, 24, 44, 40
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

INK, MUTED, GRID = "#1b1f24", "#4a5561", "#d5dce3"
VALUE_COLOUR, TREND_COLOUR, TARGET_COLOUR = "#0b4f8a", "#4a5561", "#a4161a"
TREND_DASH, TARGET_DASH = "8 5", "2 4"
# Set once on the <svg> root: its <text> elements inherit it.
FONT = mark_safe('font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="13"')

Number = int | float | Decimal


# --- numbers and dates -------------------------------------------------------------------------------------


def format_number(value: Number, *, decimals: int | None = None) -> str:
    """A number in the active language's format, with thousands grouped ("2,014" / "2 014")."""
    value = float(value)
    if decimals is None:
        decimals = 0 if abs(value - round(value)) < 0.005 else 1
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_value(value: Number | None, unit: str, *, decimals: int | None = None) -> str:
    """A value in its unit: counts whole from 10 up ("2,014", "+35"), percentages to one decimal ("8.9 %")."""
    if value is None:
        return "–"
    if decimals is None and unit != TargetUnit.PERCENT and abs(float(value)) >= 10:
        decimals = 0
    text = format_number(value, decimals=decimals)
    # A no-break space keeps "61 %" on one line, as French typography wants and English tolerates.
    return f"{text}\xa0%" if unit == TargetUnit.PERCENT else text


def format_day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], about `count` intervals, e.g. (0, 2014) → 0, 500, …, 2500."""
    if high <= low:
        high = low + 1
    step = nice_step(high - low, count)
    first = math.floor(low / step) * step
    ticks, tick = [], first
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        if tick >= high:
            break
        tick += step
    return ticks


def month_end_points(points: Sequence[tuple[datetime.date, float]]) -> list[tuple[datetime.date, float]]:
    """The last value of each month: the table for a daily series stays readable (the CSV has every day)."""
    by_month: dict[tuple[int, int], tuple[datetime.date, float]] = {}
    for day, value in sorted(points):
        by_month[(day.year, day.month)] = (day, value)
    return list(by_month.values())


# --- scales ------------------------------------------------------------------------------------------------


class _Scale:
    def __init__(self, domain_low: float, domain_high: float, range_low: float, range_high: float) -> None:
        self.domain_low, self.domain_high = domain_low, domain_high if domain_high != domain_low else domain_low + 1
        self.range_low, self.range_high = range_low, range_high

    def __call__(self, value: float) -> float:
        share = (value - self.domain_low) / (self.domain_high - self.domain_low)
        return round(self.range_low + share * (self.range_high - self.range_low), 1)


def _ordinal(day: datetime.date) -> float:
    return float(day.toordinal())


def _date_ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """Years when the span is long, else months (at most about eight labels)."""
    if (last - first).days > 2 * 366:
        years = list(range(first.year + (first > datetime.date(first.year, 1, 1)), last.year + 1))
        step = max(1, math.ceil(len(years) / 8))
        return [(datetime.date(year, 1, 1), str(year)) for year in years[::step]]
    months = []
    year, month = first.year, first.month
    if first.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while datetime.date(year, month, 1) <= last:
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = max(1, math.ceil(len(months) / 8))
    return [(day, date_format(day, "M Y")) for day in months[::step]]


def _thin(coordinates: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """At most one point per horizontal pixel (the last): three years of days draw as ~570 points."""
    kept: dict[int, tuple[float, float]] = {}
    for x, y in coordinates:
        kept[round(x)] = (x, y)
    return list(kept.values())


def _clip_segment(x1, y1, x2, y2, low, high):
    """Clip the segment to low ≤ y ≤ high (in value units); None when it lies outside."""
    if y1 == y2:
        return (x1, y1, x2, y2) if low <= y1 <= high else None
    t_low, t_high = (low - y1) / (y2 - y1), (high - y1) / (y2 - y1)
    t_start, t_end = max(0.0, min(t_low, t_high)), min(1.0, max(t_low, t_high))
    if t_start > t_end:
        return None
    return (x1 + (x2 - x1) * t_start, y1 + (y2 - y1) * t_start, x1 + (x2 - x1) * t_end, y1 + (y2 - y1) * t_end)


# --- SVG pieces --------------------------------------------------------------------------------------------


def _svg_open(chart_id: str, title: str, description: str) -> str:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title {}-desc" focusable="false" preserveAspectRatio="xMidYMid meet" {}>'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        FONT,
        chart_id,
        title,
        chart_id,
        description,
    )


def _y_axis(scale: _Scale, ticks: list[float], unit: str) -> str:
    parts = []
    for tick in ticks:
        y = scale(tick)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                LEFT,
                y,
                LEFT + PLOT_WIDTH,
                y,
                GRID,
                LEFT - 8,
                y + 4,
                MUTED,
                format_value(tick, unit),
            )
        )
    return "".join(parts)


def _x_axis(labels: list[tuple[float, str]]) -> str:
    base = TOP + PLOT_HEIGHT
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"/>',
            LEFT,
            base,
            LEFT + PLOT_WIDTH,
            base,
            INK,
        )
    ]
    for x, label in labels:
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                x,
                base,
                x,
                base + 5,
                INK,
                x,
                base + 20,
                MUTED,
                label,
            )
        )
    return "".join(parts)


def _legend(entries: list[tuple[str, str, str]]) -> str:
    """Line samples with their names above the plot: (label, colour, dash pattern or "")."""
    parts, x = [], LEFT
    for label, colour, dash in entries:
        dash_attribute = format_html(' stroke-dasharray="{}"', dash) if dash else ""
        parts.append(
            format_html(
                '<line x1="{}" y1="18" x2="{}" y2="18" stroke="{}" stroke-width="3"{}/>'
                '<text x="{}" y="22" fill="{}">{}</text>',
                x,
                x + 24,
                colour,
                dash_attribute,
                x + 30,
                INK,
                label,
            )
        )
        x += 40 + 7.5 * len(label)
    return "".join(parts)


def _polyline(coordinates: list[tuple[float, float]], colour: str, width: float = 2.5) -> str:
    if len(coordinates) == 1:
        x, y = coordinates[0]
        return format_html('<circle cx="{}" cy="{}" r="4" fill="{}"/>', x, y, colour)
    points = " ".join(f"{x:g},{y:g}" for x, y in coordinates)
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"/>',
        points,
        colour,
        width,
    )


# --- progress of a target ----------------------------------------------------------------------------------


def describe_progress(
    *,
    points: Sequence[tuple[datetime.date, float]],
    target: float,
    deadline: datetime.date,
    unit: str,
    projection: Projection | None,
) -> str:
    """The chart in words, for its <desc>."""
    if not points:
        return _("No values recorded yet. Target: %(target)s by %(deadline)s.") % {
            "target": format_value(target, unit),
            "deadline": format_day(deadline),
        }
    first, last = points[0], points[-1]
    text = _(
        "Line chart of the values from %(first_date)s (%(first_value)s) to %(last_date)s (%(last_value)s), "
        "with a dotted line at the target of %(target)s and the deadline %(deadline)s marked."
    ) % {
        "first_date": format_day(first[0]),
        "first_value": format_value(first[1], unit),
        "last_date": format_day(last[0]),
        "last_value": format_value(last[1], unit),
        "target": format_value(target, unit),
        "deadline": format_day(deadline),
    }
    if projection is not None and projection.trend is not None and projection.projected is not None:
        text += " " + _(
            "A dashed trend line (%(per_month)s per month) is extended to the deadline, where it reaches %(projected)s."
        ) % {
            "per_month": signed(projection.trend.per_month, unit),
            "projected": format_value(max(projection.projected, 0), unit),
        }
    return text


def signed(value: float, unit: str) -> str:
    """A change with its sign ("+35", "−0.03 %"); small changes keep enough decimals not to read as zero."""
    decimals = 2 if 0 < abs(value) < 0.1 else None
    text = format_value(abs(value), unit, decimals=decimals)
    return f"+{text}" if value >= 0 else f"−{text}"


def progress_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[tuple[datetime.date, Number]],
    start: datetime.date,
    deadline: datetime.date,
    target: Number,
    baseline: Number,
    unit: str,
    projection: Projection | None = None,
) -> SafeString:
    """A target's values over time, its trend extended to the deadline, and the target line."""
    points = [(day, float(value)) for day, value in sorted(points)]
    target, baseline = float(target), float(baseline)
    first_day = min([start, *(day for day, _value in points[:1])])
    last_day = max([deadline, *(day for day, _value in points[-1:])])
    values = [value for _day, value in points]
    low = min([0.0, baseline, target, *values])
    high = max([baseline, target, *values])
    trend = projection.trend if projection is not None else None
    if trend is not None and projection.status not in (Status.REACHED, Status.MISSED):
        # Show the projection, but never let a wild trend squash the values into a flat line.
        high = max(high, min(trend.value_on(deadline), high * 1.5))
    y_ticks = nice_ticks(low, high * 1.04 if high > 0 else 1)
    x_scale = _Scale(_ordinal(first_day), _ordinal(last_day), LEFT, LEFT + PLOT_WIDTH)
    y_scale = _Scale(y_ticks[0], y_ticks[-1], TOP + PLOT_HEIGHT, TOP)

    parts = [
        _svg_open(
            chart_id,
            title,
            describe_progress(points=points, target=target, deadline=deadline, unit=unit, projection=projection),
        ),
        _y_axis(y_scale, y_ticks, unit),
        _x_axis([(x_scale(_ordinal(day)), label) for day, label in _date_ticks(first_day, last_day)]),
    ]
    # Deadline: a thin vertical line, named.
    deadline_x = x_scale(_ordinal(deadline))
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1" stroke-dasharray="3 3"/>'
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
            deadline_x,
            TOP,
            deadline_x,
            TOP + PLOT_HEIGHT,
            MUTED,
            deadline_x - 4,
            TOP + 14,
            MUTED,
            _("Deadline"),
        )
    )
    # Target: a dotted horizontal line with its value.
    target_y = y_scale(target)
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>'
            '<text x="{}" y="{}" fill="{}">{}</text>',
            LEFT,
            target_y,
            LEFT + PLOT_WIDTH,
            target_y,
            TARGET_COLOUR,
            TARGET_DASH,
            LEFT + 6,
            target_y - 6,
            TARGET_COLOUR,
            _("Target: %(value)s") % {"value": format_value(target, unit)},
        )
    )
    legend = [(_("Value"), VALUE_COLOUR, "")]
    if trend is not None and points:
        segment = _clip_segment(
            _ordinal(points[0][0]),
            trend.value_on(points[0][0]),
            _ordinal(deadline),
            trend.value_on(deadline),
            y_ticks[0],
            y_ticks[-1],
        )
        if segment is not None:
            x1, y1, x2, y2 = segment
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                    x_scale(x1),
                    y_scale(y1),
                    x_scale(x2),
                    y_scale(y2),
                    TREND_COLOUR,
                    TREND_DASH,
                )
            )
            legend.append((_("Trend and projection"), TREND_COLOUR, TREND_DASH))
    legend.append((_("Target"), TARGET_COLOUR, TARGET_DASH))
    if points:
        parts.append(
            _polyline(_thin([(x_scale(_ordinal(day)), y_scale(value)) for day, value in points]), VALUE_COLOUR)
        )
    parts.append(_legend(legend))
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 -- every piece is escaped above


# --- a yearly statistic series -----------------------------------------------------------------------------


def describe_series(points: Sequence[tuple[int, float]], unit: str) -> str:
    if not points:
        return _("No values yet.")
    return _(
        "Line chart of %(count)s yearly values from %(first_year)s (%(first_value)s) to %(last_year)s (%(last_value)s)."
    ) % {
        "count": len(points),
        "first_year": points[0][0],
        "first_value": format_value(points[0][1], unit),
        "last_year": points[-1][0],
        "last_value": format_value(points[-1][1], unit),
    }


def series_chart(*, chart_id: str, title: str, points: Sequence[tuple[int, Number]], unit: str) -> SafeString:
    """A yearly series (e.g. women among UN police, %) as a line with a marker for each year."""
    points = sorted((int(year), float(value)) for year, value in points)
    if not points:
        return mark_safe(  # noqa: S308 -- escaped pieces
            _svg_open(chart_id, title, describe_series(points, unit))
            + format_html(
                '<text x="{}" y="{}" fill="{}">{}</text></svg>',
                LEFT,
                TOP + 20,
                MUTED,
                _("No values yet."),
            )
        )
    years = [year for year, _value in points]
    values = [value for _year, value in points]
    y_ticks = nice_ticks(min([0.0, *values]), max([*values, 1.0]) * 1.08)
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1
    x_scale = _Scale(first, last, LEFT + 10, LEFT + PLOT_WIDTH - 10)
    y_scale = _Scale(y_ticks[0], y_ticks[-1], TOP + PLOT_HEIGHT, TOP)
    span = last - first
    step = 1 if span <= 10 else 2 if span <= 20 else 5
    labelled = sorted({first, last, *range(first - first % step + step, last, step)})
    if span > 10:
        # Keep the ends readable: drop a round year that would touch the first or last label.
        labelled = [
            year for year in labelled if year in (first, last) or min(year - first, last - year) >= step / 2 + 1
        ]
    parts = [
        _svg_open(chart_id, title, describe_series(points, unit)),
        _y_axis(y_scale, y_ticks, unit),
        _x_axis([(x_scale(year), str(year)) for year in labelled]),
    ]
    coordinates = [(x_scale(year), y_scale(value)) for year, value in points]
    if coordinates:
        parts.append(_polyline(coordinates, VALUE_COLOUR))
        parts.append(
            format_html_join(
                "", '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', ((x, y, VALUE_COLOUR) for x, y in coordinates)
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 -- every piece is escaped above


# --- the table beside a chart ------------------------------------------------------------------------------


def data_table(
    *, caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]], table_id: str = ""
) -> SafeString:
    """A plain table (caption, column headers, one header cell per row) with the chart's values."""
    head = format_html_join("", '<th scope="col">{}</th>', ((header,) for header in headers))
    body = "".join(
        format_html(
            '<tr><th scope="row">{}</th>{}</tr>',
            row[0],
            format_html_join("", '<td class="number">{}</td>', ((cell,) for cell in row[1:])),
        )
        for row in rows
    )
    id_attribute = format_html(' id="{}"', table_id) if table_id else ""
    return format_html(
        '<table class="data-table"{}><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        id_attribute,
        caption,
        head,
        mark_safe(body),  # noqa: S308 -- built with format_html above
    )


# --- counts by category (horizontal bars) ------------------------------------------------------------------


def describe_bars(bars: Sequence[tuple[str, Number]]) -> str:
    if not bars:
        return _("No values yet.")
    top_label, top_value = max(bars, key=lambda bar: bar[1])
    return _("Bar chart of %(count)s values; the largest is %(label)s (%(value)s).") % {
        "count": len(bars),
        "label": top_label,
        "value": format_value(top_value, TargetUnit.COUNT),
    }


BAR_ROWS_SHOWN = 12


def bar_chart(*, chart_id: str, title: str, bars: Sequence[tuple[str, Number]]) -> SafeString:
    """Counts by label (participants by country, by category) as horizontal bars, largest first; the data
    table beside it lists every value (the chart shows the first BAR_ROWS_SHOWN)."""
    bars = sorted(((str(label), float(value)) for label, value in bars), key=lambda bar: (-bar[1], bar[0]))
    shown = bars[:BAR_ROWS_SHOWN]
    if not shown:
        return mark_safe(  # noqa: S308 -- escaped pieces
            _svg_open(chart_id, title, describe_bars(shown))
            + format_html('<text x="{}" y="{}" fill="{}">{}</text></svg>', LEFT, TOP + 20, MUTED, _("No values yet."))
        )
    label_width = 170
    row = min(PLOT_HEIGHT / len(shown), 36)
    high = max(value for _label, value in shown) or 1.0
    x_scale = _Scale(0, high, label_width, WIDTH - RIGHT - 50)
    parts = [_svg_open(chart_id, title, describe_bars(shown))]
    for position, (label, value) in enumerate(shown):
        y = TOP + position * row
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                label_width - 8,
                round(y + row * 0.62, 1),
                INK,
                label[:24],
                label_width,
                round(y + row * 0.15, 1),
                max(round(x_scale(value) - label_width, 1), 1),
                round(row * 0.7, 1),
                VALUE_COLOUR,
                round(x_scale(value) + 6, 1),
                round(y + row * 0.62, 1),
                MUTED,
                format_value(value, TargetUnit.COUNT),
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 -- every piece is escaped above
