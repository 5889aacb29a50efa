"""The campaigns' section of the members' area and panel of the Community of Practice home (network/areas.py)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns import queries
from campaigns.permissions import can_log_advocacy
from network.areas import Item, Panel, Section, register_community_panel, register_member_section
from network.permissions import get_member

LATEST_ACTIONS_SHOWN = 3


@register_member_section(order=50)
def advocacy_section(request) -> Section:
    title = _("Advocacy")
    if not can_log_advocacy(request.user):
        return Section(
            key="advocacy",
            title=title,
            unavailable=_("Open to admitted members of every category, once their membership application is approved."),
        )
    count = queries.count_advocacy_actions_for_member(get_member(request.user))
    return Section(
        key="advocacy",
        title=title,
        url=reverse("advocacy:advocacy_actions"),
        link_text=_("Log an advocacy action"),
        summary=_("Talks, trainings and recruitment days you lead count towards the network's campaigns."),
        count=count,
        count_label=ngettext("action logged", "actions logged", count),
    )


@register_community_panel(order=40)
def advocacy_panel(request) -> Panel | None:
    if not can_log_advocacy(request.user):
        return None
    actions = queries.list_advocacy_actions_for_member(get_member(request.user))[:LATEST_ACTIONS_SHOWN]
    return Panel(
        key="advocacy",
        title=_("Advocacy"),
        summary=_("Log the talks, trainings and recruitment days you lead: they count towards the campaigns."),
        url=reverse("advocacy:advocacy_actions"),
        link_text=_("Log an advocacy action"),
        items=[
            Item(
                title=action.title,
                url=reverse("advocacy:edit_advocacy_action", args=[action.pk]),
                meta=date_format(action.date, "DATE_FORMAT"),
            )
            for action in actions
        ],
        empty_text=_("You have not logged an advocacy action yet."),
    )
