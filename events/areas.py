"""The events' section of the members' area and the training record on a member's profile (network/areas.py)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events import permissions, queries
from events.choices import CURRENT_STATES
from events.models import Registration
from network.areas import Item, Panel, Section, register_member_section, register_profile_panel


@register_member_section(order=45)
def events_section(request) -> Section | None:
    user = request.user
    if not user.is_authenticated:
        return None
    current = Registration.objects.filter(user=user, state__in=CURRENT_STATES).count()
    return Section(
        key="events",
        title=_("Trainings and events"),
        url=reverse("events:my_registrations"),
        link_text=_("My registrations"),
        summary=_("Courses, webinars and networking events you registered for, with their calendar."),
        count=current,
        count_label=ngettext("current registration", "current registrations", current),
    )


@register_profile_panel(order=30)
def training_record_panel(request, member) -> Panel | None:
    """Her attended sessions, to the audience she chose for her training record."""
    if not permissions.can_view_training_record(request.user, member):
        return None
    rows = list(queries.training_record(member.user)[:20])
    if not rows:
        return None
    own = request.user.pk == member.user_id
    return Panel(
        key="training-record",
        title=_("Training record"),
        items=[
            Item(
                title=row.session.page.title,
                url=reverse("events:certificate", args=[row.pk]) if own else "",
                meta=date_format(localtime(row.session.starts_at, row.session.zone), "DATE_FORMAT"),
            )
            for row in rows
        ],
    )
