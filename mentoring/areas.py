"""The mentoring section of the members' area (network/areas.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentoring import permissions, queries
from mentoring.choices import MentorshipState
from network.areas import Section, register_member_section


@register_member_section(order=45)
def mentoring_section(request) -> Section:
    title = _("Mentoring")
    if not permissions.can_use_mentoring(request.user):
        return Section(
            key="mentoring",
            title=title,
            unavailable=_("Open to active, civilian and honorary members whose membership is current."),
        )
    waiting = (
        queries.mentorships_of(request.user)
        .filter(state=MentorshipState.REQUESTED, mentor__member__user=request.user)
        .count()
    )
    return Section(
        key="mentoring",
        title=title,
        url=reverse("mentoring:index"),
        link_text=_("Open mentoring"),
        summary=_("Find a mentor for your next mission, or mentor a colleague."),
        count=waiting,
        count_label=ngettext("request waiting for your answer", "requests waiting for your answer", waiting),
    )
