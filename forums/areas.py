"""The forums' section of the members' area and panel of the Community of Practice home (network/areas.py)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forums import permissions, queries
from network.areas import (
    Item,
    Panel,
    Section,
    register_community_panel,
    register_member_section,
    register_profile_panel,
)

LATEST_TOPICS_SHOWN = 5


@register_member_section(order=25)
def forums_section(request) -> Section:
    title = _("Forums")
    if not permissions.can_use_forums(request.user):
        return Section(
            key="forums",
            title=title,
            unavailable=_("Open to members of the Community of Practice, once a moderator approves their request."),
        )
    unread = queries.count_unread_topics(request.user)
    return Section(
        key="forums",
        title=title,
        url=reverse("forums:forum_index"),
        link_text=_("Open the forums"),
        summary=_("Questions, lessons learned and good practice from women police officers across missions."),
        count=unread,
        count_label=ngettext("topic with unread replies", "topics with unread replies", unread),
    )


@register_community_panel(order=10)
def latest_discussions_panel(request) -> Panel | None:
    if not permissions.can_use_forums(request.user):
        return None
    rows = queries.latest_topics(request.user, limit=LATEST_TOPICS_SHOWN)
    return Panel(
        key="forums",
        title=_("Latest discussions"),
        summary=_("Ask the network, share what worked in your mission, and answer colleagues' questions."),
        url=reverse("forums:forum_index"),
        link_text=_("Open the forums"),
        items=[
            Item(
                title=row.topic.title,
                url=reverse("forums:topic_detail", args=[row.topic.pk]),
                meta=f"{row.topic.forum.name} · {date_format(localtime(row.topic.last_post_at), 'DATETIME_FORMAT')}",
            )
            for row in rows
        ],
        empty_text=_("No discussion yet: start the first one."),
    )


@register_profile_panel(order=10)
def member_posts_panel(request, member) -> Panel | None:
    """Her latest forum posts that the viewer may read; nothing at all when there is none."""
    if not permissions.can_use_forums(request.user):
        return None
    posts = list(queries.member_posts_page(request.user, member.user, 1).object_list[:3])
    if not posts:
        return None
    return Panel(
        key="forum-posts",
        title=_("Forum posts"),
        url=reverse("forums:member_posts", args=[member.public_id]),
        link_text=_("All her posts you can read"),
        items=[
            Item(
                title=post.topic.title,
                url=reverse("forums:post_link", args=[post.pk]),
                meta=f"{post.topic.forum.name} · {date_format(localtime(post.created_at), 'DATE_FORMAT')}",
            )
            for post in posts
        ],
    )
