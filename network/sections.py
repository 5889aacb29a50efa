"""The network's own sections of the members' area and panels of the Community of Practice home.

Registered with network/areas.py like every app's `areas.py` (this module is imported from
NetworkConfig.ready(): `network/areas.py` is the registry itself). Each function answers for the person
of the request what she may use, or one line saying why not; nothing she may not open is counted.
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network import permissions, queries
from network.areas import Item, Panel, Section, register_community_panel, register_member_section
from network.choices import CommunityAccessState
from network.notifications import unread_notification_count
from network.pending_work import pending_work_items


def _network_feature_refusal(user) -> str:
    """Why someone outside the network (active, civilian, honorary) may not use its directory and messages."""
    reason = permissions.community_ineligibility(user)
    if reason == "observer":
        return _("Open to active, civilian and honorary members; observers do not have access.")
    if reason == "lapsed":
        return _("Your membership has expired: renew it to use this again.")
    return _("Open to active, civilian and honorary members, once their membership application is approved.")


# --- members' area -------------------------------------------------------------------------------------------


@register_member_section(order=10)
def directory_section(request) -> Section:
    title = _("Members' directory")
    if not permissions.can_view_directory(request.user):
        return Section(key="directory", title=title, unavailable=_network_feature_refusal(request.user))
    count = queries.count_directory_members()
    return Section(
        key="directory",
        title=title,
        url=reverse("network:directory"),
        link_text=_("Search the directory"),
        summary=_("Find members of the network by name, country, mission, language or expertise, and write to them."),
        count=count,
        count_label=ngettext("member listed", "members listed", count),
    )


@register_member_section(order=20)
def community_section(request) -> Section:
    user = request.user
    title = _("Community of Practice")
    if permissions.can_enter_community(user):
        return Section(
            key="community",
            title=title,
            url=reverse("network:community_home"),
            link_text=_("Enter the Community of Practice"),
            summary=_("The members-only space for learning from one another's experience in UN policing."),
        )
    if permissions.community_ineligibility(user):
        refusal = _network_feature_refusal(user)
    elif _pending_community_request(permissions.get_member(user)) is not None:
        refusal = _("Your request to take part is waiting for a moderator's decision.")
    else:
        refusal = _(
            "Network members take part once a moderator approves their request: you can ask for it under "
            "“Applications and requests”."
        )
    return Section(key="community", title=title, unavailable=refusal)


def _pending_community_request(member):
    current = queries.get_requests_in_progress(member)["community"]
    return current if current is not None and current.state == CommunityAccessState.PENDING else None


@register_member_section(order=30)
def messages_section(request) -> Section:
    user = request.user
    title = _("Messages")
    unread = queries.count_unread_messages(permissions.get_member(user))
    if not permissions.can_view_directory(user) and not unread:
        return Section(key="messages", title=title, unavailable=_network_feature_refusal(user))
    return Section(
        key="messages",
        title=title,
        url=reverse("network:inbox"),
        link_text=_("Open my messages"),
        summary=_("Members write to each other here; nobody's email address is shown."),
        count=unread,
        count_label=ngettext("unread message", "unread messages", unread),
    )


@register_member_section(order=40)
def requests_section(request) -> Section | None:
    """Her membership application and Community of Practice request in progress, and what she may start."""
    user = request.user
    member = permissions.get_member(user)
    if member is None:
        return None
    in_progress = queries.get_requests_in_progress(member)
    items = []
    application = in_progress["application"]
    if application is not None:
        items.append(
            Item(
                title=_("Membership application: %(category)s") % {"category": application.get_category_display()},
                url=reverse("network:my_membership"),
                meta=_("%(state)s · sent on %(date)s")
                % {
                    "state": application.get_state_display(),
                    "date": date_format(application.submitted_at, "DATE_FORMAT"),
                },
            )
        )
    elif not member.category and not permissions.can_open_admin(user):
        items.append(
            Item(
                title=_("Apply for membership"),
                url=reverse("network:apply"),
                meta=_("Choose the category that fits you: active, civilian, honorary or observer."),
            )
        )
    pending = _pending_community_request(member)
    if pending is not None:
        items.append(
            Item(
                title=_("Community of Practice access request"),
                url=reverse("network:community_status"),
                meta=_("Waiting for a moderator's decision · sent on %(date)s")
                % {"date": date_format(pending.created_at, "DATE_FORMAT")},
            )
        )
    elif in_progress["community"] is None and not permissions.community_ineligibility(user):
        items.append(
            Item(
                title=_("Ask to take part in the Community of Practice"),
                url=reverse("network:community_status"),
                meta=_("A moderator decides; network members may endorse your request."),
            )
        )
    if permissions.can_renew_own_membership(member):
        items.append(
            Item(
                title=_("Renew my membership"),
                url=reverse("network:my_membership"),
                meta=_("Your membership runs until %(date)s.")
                % {"date": date_format(member.membership_expires_on, "DATE_FORMAT")},
            )
        )
    return Section(
        key="requests",
        title=_("Applications and requests"),
        url=reverse("network:my_membership"),
        link_text=_("My membership"),
        summary="" if items else _("Nothing in progress."),
        items=items,
    )


@register_member_section(order=90)
def administration_section(request) -> Section | None:
    """Staff only: the administration, with the queues waiting for her roles."""
    user = request.user
    if not permissions.can_open_admin(user):
        return None
    items = [
        Item(
            title=str(work["label"]),
            url=work["url"] or "/admin/",
            meta=ngettext("%(count)s waiting", "%(count)s waiting", work["count"]) % {"count": work["count"]},
        )
        for work in pending_work_items(user)
    ]
    return Section(
        key="administration",
        title=_("Administration"),
        url="/admin/",
        link_text=_("Open the administration"),
        summary=_("Pages, campaigns, applications and members, as your staff roles allow."),
        items=items,
    )


# --- Community of Practice home --------------------------------------------------------------------------------


@register_community_panel(order=10)
def directory_panel(request) -> Panel | None:
    if not permissions.can_view_directory(request.user):
        return None
    count = queries.count_directory_members()
    return Panel(
        key="directory",
        title=_("Members' directory"),
        summary=ngettext(
            "%(count)s member of the network is listed: find colleagues by country, mission, language or "
            "expertise and write to them.",
            "%(count)s members of the network are listed: find colleagues by country, mission, language or "
            "expertise and write to them.",
            count,
        )
        % {"count": count},
        url=reverse("network:directory"),
        link_text=_("Search the directory"),
    )


ENDORSEMENTS_SHOWN = 5


@register_community_panel(order=20)
def endorsements_panel(request) -> Panel | None:
    """Requests of colleagues she can find in the directory, waiting for endorsements; none: no panel."""
    waiting = [
        access_request
        for access_request in queries.list_endorsable_requests(request.user)[: ENDORSEMENTS_SHOWN + 1]
        if not access_request.endorsed_by_me
    ]
    if not waiting:
        return None
    url = reverse("network:community_requests")
    return Panel(
        key="endorsements",
        title=_("Requests waiting for your endorsement"),
        summary=_("These members asked to join the Community of Practice. Endorse those you know."),
        url=url,
        link_text=_("See the requests"),
        items=[
            Item(
                title=access_request.member.display_name,
                url=url,
                meta=_("asked on %(date)s") % {"date": date_format(access_request.created_at, "DATE_FORMAT")},
            )
            for access_request in waiting[:ENDORSEMENTS_SHOWN]
        ],
    )


@register_community_panel(order=30)
def messages_panel(request) -> Panel | None:
    member = permissions.get_member(request.user)
    if member is None:
        return None
    unread = queries.count_unread_messages(member)
    return Panel(
        key="messages",
        title=_("Messages"),
        summary=ngettext("You have %(count)s unread message.", "You have %(count)s unread messages.", unread)
        % {"count": unread},
        url=reverse("network:inbox"),
        link_text=_("Open my messages"),
        items=[
            Item(
                title=message.sender.display_name if message.sender_id else _("Former member"),
                url=reverse("network:message_detail", args=[message.pk]),
                meta=date_format(message.created_at, "DATE_FORMAT") + ("" if message.read_at else " · " + _("unread")),
            )
            for message in queries.list_latest_received_messages(member)
        ],
        empty_text=_("No message yet."),
    )


@register_member_section(order=35)
def notifications_section(request) -> Section:
    """Every signed-in person has notifications (replies, sessions, decisions the apps tell her about)."""
    unread = unread_notification_count(request.user)
    return Section(
        key="notifications",
        title=_("Notifications"),
        url=reverse("network:notifications"),
        link_text=_("See my notifications"),
        summary=_("News for you from across the platform: replies, sessions and decisions."),
        count=unread,
        count_label=ngettext("unread notification", "unread notifications", unread),
    )
