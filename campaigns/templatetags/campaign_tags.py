"""Template tags for showing campaign progress and statistic series anywhere (CMS blocks included)."""

import itertools

from django import template
from django.utils.translation import gettext as _

from campaigns import charts
from campaigns.permissions import can_view_campaign
from campaigns.progress import get_target_progress

register = template.Library()

# Makes chart ids unique when one page shows the same series twice (ids must be unique for aria-labelledby).
_chart_numbers = itertools.count(1)


@register.simple_tag(takes_context=True)
def target_progress(context, target):
    """The target's progress (cached), or None when the visitor may not see its campaign."""
    if target is None:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    if not can_view_campaign(user, target.campaign):
        return None
    return get_target_progress([target])[target.pk]


@register.simple_tag
def series_chart(series):
    """{"svg", "table"} of a StatisticSeries, drawn from its points (one query unless prefetched)."""
    if series is None:
        return None
    points = [(point.year, point.value) for point in sorted(series.points.all(), key=lambda point: point.year)]
    chart_id = f"series-{series.pk}-{next(_chart_numbers)}"
    unit = series.unit
    return {
        "svg": charts.series_chart(chart_id=chart_id, title=series.local_title, points=points, unit=unit),
        "table": charts.data_table(
            caption=series.local_title,
            headers=[_("Year"), _("Value")],
            rows=[(str(year), charts.format_value(value, unit)) for year, value in points],
        ),
        "points": points,
    }


@register.simple_tag
def unique_id(prefix: str) -> str:
    """An id unique within the page (and the process), for labels of repeated widgets."""
    return f"{prefix}-{next(_chart_numbers)}"
