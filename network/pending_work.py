"""What waits for a decision by staff: the admin dashboard panel and the daily digest email show the same."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from network import permissions, queries
from network.choices import ApplicationState, StaffRole
from network.models import CommunityAccessRequest, MembershipApplication


def _admin_index_url(model) -> str | None:
    """The index of whichever admin viewset lists this model, if one is registered."""
    from wagtail.admin.viewsets import viewsets

    for viewset in viewsets.viewsets:
        if getattr(viewset, "model", None) is model:
            try:
                return reverse(viewset.get_url_name("index"))
            except NoReverseMatch:
                return None
    return None


def pending_work_items(user) -> list[dict]:
    items = []
    if permissions.can_review_applications(user):
        items.append(
            {
                "label": _("Membership applications waiting for a decision"),
                "count": queries.count_pending_applications(),
                "url": f"{_admin_index_url(MembershipApplication)}?state={ApplicationState.SUBMITTED}",
            }
        )
    if permissions.can_moderate_community(user) or permissions.has_staff_role(user, StaffRole.ADMINISTRATOR):
        items.append(
            {
                "label": _("Community of Practice access requests waiting for a decision"),
                "count": queries.count_pending_community_requests(),
                "url": _admin_index_url(CommunityAccessRequest),
            }
        )
    return items
