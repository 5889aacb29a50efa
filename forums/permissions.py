"""Who may read, write in and moderate the forums, stated in the access levels and staff roles of
network.permissions (the only place that knows member categories).

- A forum is open to members from its `access_level` up (the Community of Practice by default).
- A restricted forum is open only to people or groups granted `forums.read_forum` on it, and a grant never
  lifts anyone above the forum's level (network.permissions.can_access_object).
- Community moderators (and administrators) read and moderate every forum; a member granted
  `forums.moderate_forum` on one forum moderates that one.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from forums.models import Forum, ForumSuspension, Post, Topic
from network.choices import AccessLevel, StaffRole
from network.permissions import User_, access_level, granted_pks, has_staff_role

READ_PERM = "forums.read_forum"
MODERATE_PERM = "forums.moderate_forum"


def is_forum_moderator(user: User_) -> bool:
    """Moderators of every forum: the community moderators and administrators."""
    return has_staff_role(user, StaffRole.MODERATOR) or has_staff_role(user, StaffRole.ADMINISTRATOR)


def readable_forum_ids(user: User_) -> frozenset[int]:
    """The forums this person may read, computed once per request (kept on the user object)."""
    if getattr(user, "_readable_forum_ids", None) is None:
        _load_forum_access(user)
    return user._readable_forum_ids


def _load_forum_access(user: User_) -> None:
    """The forums she may read and those she moderates, in two queries (the forums open at her level, then
    her grants on them for both permissions), kept on the user object for the rest of the request."""
    readable = moderated = frozenset()
    if user.is_authenticated and is_forum_moderator(user):
        readable = moderated = frozenset(Forum.objects.values_list("pk", flat=True))
    elif user.is_authenticated and access_level(user) >= AccessLevel.MEMBERS:
        rows = list(Forum.objects.filter(access_level__lte=access_level(user)).values_list("pk", "is_restricted"))
        grants = granted_pks(
            user, [READ_PERM, MODERATE_PERM], Forum, [pk for pk, _restricted in rows], level=AccessLevel.MEMBERS
        )
        readable = frozenset(pk for pk, restricted in rows if not restricted or pk in grants[READ_PERM])
        moderated = readable & grants[MODERATE_PERM]
    user._readable_forum_ids = readable
    user._moderated_forum_ids = frozenset(moderated)


def prime_readable_forum_ids(users) -> None:
    """readable_forum_ids for many people at once, in a few queries whatever their number (a digest run):
    the same rules, kept on each user object as readable_forum_ids keeps them."""
    from network.permissions import granted_object_ids, load_viewers

    users = list(users)
    load_viewers(users)
    forums = list(Forum.objects.values_list("pk", "is_restricted", "access_level"))
    restricted = [pk for pk, is_restricted, _level in forums if is_restricted]
    grants = (
        granted_object_ids(users, READ_PERM, Forum.objects.filter(pk__in=restricted), level=AccessLevel.MEMBERS)
        if restricted
        else {}
    )
    for user in users:
        if not user.is_authenticated:
            ids = frozenset()
        elif is_forum_moderator(user):
            ids = frozenset(pk for pk, _restricted, _level in forums)
        else:
            level = access_level(user)
            granted = grants.get(user.pk, set())
            ids = frozenset(
                pk
                for pk, is_restricted, forum_level in forums
                if level >= AccessLevel.MEMBERS and forum_level <= level and (not is_restricted or pk in granted)
            )
        user._readable_forum_ids = ids


def moderated_forum_ids(user: User_) -> frozenset[int]:
    cached = getattr(user, "_moderated_forum_ids", None)
    if cached is not None:
        return cached
    if getattr(user, "_readable_forum_ids", None) is None:
        _load_forum_access(user)
        return user._moderated_forum_ids
    # What she reads was primed for many people at once (prime_readable_forum_ids): her grants on those.
    readable = readable_forum_ids(user)
    if is_forum_moderator(user):
        ids = readable
    elif not user.is_authenticated or not readable:
        ids = frozenset()
    else:
        ids = frozenset(granted_pks(user, [MODERATE_PERM], Forum, readable, level=AccessLevel.MEMBERS)[MODERATE_PERM])
    user._moderated_forum_ids = ids
    return ids


def forget_forum_permissions(user: User_) -> None:
    """After a grant or a change of level within the same request (tests, services)."""
    for name in ("_readable_forum_ids", "_moderated_forum_ids"):
        user.__dict__.pop(name, None)


def can_use_forums(user: User_) -> bool:
    """Members of the Community of Practice, and anyone a forum is open to (a members-level forum)."""
    from network.permissions import has_access_level

    return has_access_level(user, AccessLevel.COMMUNITY) or bool(readable_forum_ids(user))


def can_read_forum(user: User_, forum: Forum | None) -> bool:
    return forum is not None and forum.pk in readable_forum_ids(user)


def check_can_read_forum(user: User_, forum: Forum | None) -> None:
    if not can_read_forum(user, forum):
        raise PermissionDenied


def can_moderate_forum(user: User_, forum: Forum | None) -> bool:
    return forum is not None and forum.pk in moderated_forum_ids(user)


def check_can_moderate_forum(user: User_, forum: Forum | None) -> None:
    if not can_moderate_forum(user, forum):
        raise PermissionDenied


def can_moderate_any_forum(user: User_) -> bool:
    return bool(moderated_forum_ids(user))


def can_read_topic(user: User_, topic: Topic) -> bool:
    """Hidden topics and topics waiting for review: only their author (held ones) and moderators."""
    if not can_read_forum(user, topic.forum):
        return False
    if topic.is_hidden or topic.is_held:
        if can_moderate_forum(user, topic.forum):
            return True
        return topic.is_held and not topic.is_hidden and topic.author_id == user.pk
    return True


def can_read_post(user: User_, post: Post) -> bool:
    if not can_read_topic(user, post.topic):
        return False
    if post.is_deleted:
        return False
    if post.is_hidden or post.is_held:
        return can_moderate_forum(user, post.topic.forum) or (post.is_held and post.author_id == user.pk)
    return True


def active_suspension(user: User_) -> ForumSuspension | None:
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_forum_suspension"):
        user._forum_suspension = (
            ForumSuspension.objects.filter(user=user, lifted_at=None, ends_at__gt=timezone.now())
            .order_by("-ends_at")
            .first()
        )
    return user._forum_suspension


def remember_no_suspension(user: User_) -> None:
    """A page that has just read that she has no active suspension (queries.topic_viewer_state) spares
    active_suspension its query."""
    if user.is_authenticated:
        user._forum_suspension = None


def posting_refusal(user: User_, forum: Forum, topic: Topic | None = None) -> str:
    """Why this person may not write here now, or "" when she may."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    if not can_read_forum(user, forum):
        return _("You cannot write in this forum.")
    suspension = active_suspension(user)
    if suspension is not None:
        return _("You are suspended from posting in the forums until %(date)s.") % {
            "date": date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")
        }
    if topic is not None:
        if topic.is_hidden:
            return _("This topic has been hidden by a moderator.")
        if topic.is_locked and not can_moderate_forum(user, forum):
            return _("This topic is locked: it no longer takes replies.")
    return ""


def can_edit_post(user: User_, post: Post) -> bool:
    if post.is_deleted or not can_read_post(user, post):
        return False
    if can_moderate_forum(user, post.topic.forum):
        return True
    return post.author_id == user.pk and not post.is_hidden and not posting_refusal(user, post.topic.forum, post.topic)


def can_see_post_history(user: User_, post: Post) -> bool:
    return can_read_post(user, post) and (post.author_id == user.pk or can_moderate_forum(user, post.topic.forum))


def can_accept_answer(user: User_, topic: Topic) -> bool:
    return topic.forum.is_questions and (topic.author_id == user.pk or can_moderate_forum(user, topic.forum))


def filter_forums_for_user(user: User_, forums: QuerySet[Forum]) -> QuerySet[Forum]:
    return forums.filter(pk__in=readable_forum_ids(user))


def filter_topics_for_user(user: User_, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """Topics in forums she may read; hidden ones for moderators only, held ones for their author too."""
    topics = topics.filter(forum_id__in=readable_forum_ids(user))
    moderated = moderated_forum_ids(user)
    visible = Q(is_hidden=False, is_held=False)
    if user.is_authenticated:
        visible |= Q(is_hidden=False, is_held=True, author_id=user.pk)
    if moderated:
        visible |= Q(forum_id__in=moderated)
    return topics.filter(visible)


def topic_posts_condition(user: User_, topic: Topic, alias: str = "p") -> tuple[str, list] | None:
    """The posts of this topic she may read, as an SQL condition over the post table's `alias` with its
    parameters (None: none). The rules of filter_posts_for_user with the topic's own flags known, so the topic
    page needs no join to the topic on every row: deleted posts never; hidden ones for moderators only; held
    ones for moderators and their author; nothing of a hidden topic, and only her own of a held one."""
    condition = f"{alias}.topic_id = %s AND NOT {alias}.is_deleted"
    if not can_read_forum(user, topic.forum):
        return None
    if can_moderate_forum(user, topic.forum):
        return condition, [topic.pk]
    if topic.is_hidden:
        return None
    visible, params = [], [topic.pk]
    if not topic.is_held:
        visible.append(f"(NOT {alias}.is_hidden AND NOT {alias}.is_held)")
    if user.is_authenticated:
        visible.append(f"(NOT {alias}.is_hidden AND {alias}.author_id = %s)")
        params.append(user.pk)
    if not visible:
        return None
    return f"{condition} AND ({' OR '.join(visible)})", params


def filter_posts_for_user(user: User_, posts: QuerySet[Post]) -> QuerySet[Post]:
    """Posts she may read (their topic too); hidden ones for moderators only, held ones for their author too."""
    readable = readable_forum_ids(user)
    moderated = moderated_forum_ids(user)
    posts = posts.filter(topic__forum_id__in=readable, is_deleted=False)
    visible = Q(is_hidden=False, is_held=False, topic__is_hidden=False, topic__is_held=False)
    if user.is_authenticated:
        visible |= Q(is_hidden=False, author_id=user.pk, topic__is_hidden=False)
    if moderated:
        visible |= Q(topic__forum_id__in=moderated)
    return posts.filter(visible)
