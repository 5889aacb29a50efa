from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from network.timezones import user_time_zone

register = template.Library()


def _viewer_zone(context):
    zone = context.get("viewer_zone")
    if zone is None:
        request = context.get("request")
        zone = (
            user_time_zone(getattr(request, "user", None)) if request is not None else timezone.get_current_timezone()
        )
        context["viewer_zone"] = zone
    return zone


@register.simple_tag(takes_context=True)
def session_when(context, session):
    """When a session runs, in the viewer's time zone: "20 June 2011, 09:00 – 1 July 2011, 17:00 (Africa/Kigali)",
    with machine-readable <time> elements in UTC."""
    zone = _viewer_zone(context)
    start = timezone.localtime(session.starts_at, zone)
    end = timezone.localtime(session.ends_at, zone)
    end_format = "TIME_FORMAT" if start.date() == end.date() else "DATETIME_FORMAT"
    return format_html(
        '<time datetime="{}">{}</time> – <time datetime="{}">{}</time> <span class="meta">({})</span>',
        session.starts_at.isoformat(),
        date_format(start, "DATETIME_FORMAT"),
        session.ends_at.isoformat(),
        date_format(end, end_format),
        str(zone),
    )


@register.simple_tag(takes_context=True)
def local_datetime(context, value):
    if value is None:
        return ""
    zone = _viewer_zone(context)
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        date_format(timezone.localtime(value, zone), "DATETIME_FORMAT"),
    )


@register.filter
def state_label(value):
    from events.choices import RegistrationState

    return RegistrationState(value).label if value in RegistrationState.values else ""
