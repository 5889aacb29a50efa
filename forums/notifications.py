"""Who hears about a new post, and how (network/notifications.py sends, digests and unsubscribes).

For each published post, each person is told at most once (one event key per post and person), by the
strongest reason she has:
1. she is mentioned: at once, whatever her settings;
2. she watches the topic (its author does by default): at once; an explicit "stop" silences the topic;
3. her choice for the forum: every post, a daily or weekly digest, or nothing;
4. no choice yet, but she has posted in the forum: the daily digest.
Nobody hears about her own post, and nobody who may not read it (checked again when the email goes out).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forums import permissions
from forums.inbound import reply_address
from forums.markup import plain_text
from forums.models import Flag, Forum, Post, Subscription, Topic
from network.choices import Delivery
from network.models import User
from network.notifications import (
    notification_language,
    notify,
    register_notification_kind,
    register_unsubscribe_scope,
)

POST_KIND = "forums.post"
FLAG_KIND = "forums.flag"
EXCERPT_CHARS = 600


def _readable_posts(user: User, ids: list[str]) -> set[str]:
    """Of these posts (others' published posts, as notified), those she may still read."""
    permissions.forget_forum_permissions(user)
    readable = permissions.readable_forum_ids(user)
    numeric = [int(i) for i in ids if str(i).isdigit()]
    if not readable or not numeric:
        return set()
    # Plain conditions (no OR): a digest asks this for 500 posts per member.
    posts = Post.objects.filter(
        pk__in=numeric,
        topic__forum_id__in=readable,
        is_hidden=False,
        is_held=False,
        is_deleted=False,
        topic__is_hidden=False,
        topic__is_held=False,
    )
    return {str(pk) for pk in posts.values_list("pk", flat=True)}


def _readable_posts_of_many(users: list[User], ids_by_user: dict[int, list[str]]) -> dict[int, set[str]]:
    """_readable_posts for many recipients at once (a digest run): their readable forums in a few queries,
    then one query for the posts they were told about."""
    for user in users:
        permissions.forget_forum_permissions(user)
    permissions.prime_readable_forum_ids(users)
    numeric = {int(i) for ids in ids_by_user.values() for i in ids if str(i).isdigit()}
    forum_of = dict(
        Post.objects.filter(
            pk__in=numeric,
            is_hidden=False,
            is_held=False,
            is_deleted=False,
            topic__is_hidden=False,
            topic__is_held=False,
        ).values_list("pk", "topic__forum_id")
    )
    result = {}
    for user in users:
        readable = permissions.readable_forum_ids(user)
        result[user.pk] = {
            i for i in ids_by_user.get(user.pk, []) if str(i).isdigit() and forum_of.get(int(i)) in readable
        }
    return result


def _moderated_flags(user: User, ids: list[str]) -> set[str]:
    permissions.forget_forum_permissions(user)
    numeric = [int(i) for i in ids if str(i).isdigit()]
    flags = Flag.objects.filter(pk__in=numeric, post__topic__forum_id__in=permissions.moderated_forum_ids(user))
    return {str(pk) for pk in flags.values_list("pk", flat=True)}


def _scope_pk(scope: str) -> int | None:
    pk = scope.split(":", 1)[-1]
    return int(pk) if pk.isdigit() else None


def _primed(model, user: User | None, pk: int):
    """What `_prime_scopes` loaded for this recipient in a digest run (None: not primed, ask the database)."""
    primed = getattr(user, "_scope_objects", {}).get(model) if user is not None else None
    if primed is not None and pk in primed:
        return primed[pk]
    return model.objects.filter(pk=pk).first()


def _forum_of(scope: str, user: User | None = None) -> Forum | None:
    pk = _scope_pk(scope)
    return None if pk is None else _primed(Forum, user, pk)


def _topic_of(scope: str, user: User | None = None) -> Topic | None:
    pk = _scope_pk(scope)
    return None if pk is None else _primed(Topic, user, pk)


def _prime_scopes(queryset):
    """A digest run's `prime`: the forums (or topics) its scopes name, loaded once for all its recipients."""
    model = queryset.model

    def prime(users: list[User], scopes: set[str]) -> None:
        pks = {pk for pk in map(_scope_pk, scopes) if pk is not None}
        objects = queryset.all().in_bulk(pks)
        for pk in pks:
            objects.setdefault(pk, None)  # known missing: no query for it either
        for user in users:
            user.__dict__.setdefault("_scope_objects", {})[model] = objects

    return prime


def _describe_forum(user: User, scope: str) -> str:
    forum = _forum_of(scope, user)
    if forum is None or not permissions.can_read_forum(user, forum):
        return _("emails from a forum")
    return _("emails from the forum “%(name)s”") % {"name": forum.name}


def _unsubscribe_forum(user: User, scope: str) -> None:
    forum = _forum_of(scope)
    if forum is not None:
        # Without the access check: someone who lost access may still stop what she receives.
        Subscription.objects.update_or_create(user=user, forum=forum, topic=None, defaults={"delivery": Delivery.NONE})


def _describe_topic(user: User, scope: str) -> str:
    topic = _topic_of(scope, user)
    if topic is None or not permissions.can_read_topic(user, topic):
        return _("emails about a topic")
    return _("emails about the topic “%(title)s”") % {"title": topic.title}


def _unsubscribe_topic(user: User, scope: str) -> None:
    topic = _topic_of(scope)
    if topic is not None:
        Subscription.objects.update_or_create(user=user, topic=topic, forum=None, defaults={"delivery": Delivery.NONE})


def register() -> None:
    """Called from ForumsConfig.ready()."""
    register_notification_kind(
        POST_KIND,
        label=gettext_lazy("Forum posts"),
        visible_targets=_readable_posts,
        visible_targets_of_many=_readable_posts_of_many,
    )
    register_notification_kind(FLAG_KIND, label=gettext_lazy("Flagged forum posts"), visible_targets=_moderated_flags)
    register_unsubscribe_scope(
        "forum", describe=_describe_forum, unsubscribe=_unsubscribe_forum, prime=_prime_scopes(Forum.objects)
    )
    register_unsubscribe_scope(
        "topic",
        describe=_describe_topic,
        unsubscribe=_unsubscribe_topic,
        prime=_prime_scopes(Topic.objects.select_related("forum")),
    )


def recipients_of(post: Post, mentioned_ids: list[int]) -> dict[int, tuple[str, str]]:
    """{user id: (reason, delivery)} for a published post, before the access check."""
    topic, forum = post.topic, post.topic.forum
    chosen: dict[int, tuple[str, str]] = {}
    for user_id in (
        Post.objects.filter(topic__forum=forum, is_deleted=False).values_list("author_id", flat=True).distinct()
    ):
        if user_id:
            chosen[user_id] = ("forum", Delivery.DAILY)
    for user_id, delivery in Subscription.objects.filter(forum=forum, topic=None).values_list("user_id", "delivery"):
        chosen[user_id] = ("forum", delivery)
    for user_id, delivery in Subscription.objects.filter(topic=topic, forum=None).values_list("user_id", "delivery"):
        chosen[user_id] = ("topic", Delivery.IMMEDIATE if delivery != Delivery.NONE else Delivery.NONE)
    for user_id in mentioned_ids:
        chosen[user_id] = ("mention", Delivery.IMMEDIATE)
    chosen.pop(post.author_id, None)
    return {user_id: choice for user_id, choice in chosen.items() if choice[1] != Delivery.NONE}


def notify_about_post(post_id: int, mentioned_ids: list[int]) -> int:
    """Post a notification to everyone who follows this post's topic or forum, or is mentioned in it."""
    post = Post.objects.select_related("topic__forum", "author").filter(pk=post_id).first()
    if post is None or not post.is_visible or post.topic.is_hidden or post.topic.is_held:
        return 0
    wanted = recipients_of(post, mentioned_ids)
    sent = 0
    users = User.objects.filter(pk__in=wanted, is_active=True).filter(~Q(pk=post.author_id))
    for user in users.iterator(chunk_size=200):
        if not permissions.can_read_post(user, post):
            continue
        reason, delivery = wanted[user.pk]
        with notification_language(user):
            title = _title(post, reason)
        created = notify(
            user,
            kind=POST_KIND,
            event_key=f"forums.post:{post.pk}",
            title=title,
            url=reverse("forums:post_link", args=[post.pk]),
            target_id=str(post.pk),
            text=plain_text(post.body)[:EXCERPT_CHARS],
            delivery=delivery,
            unsubscribe_scope=f"topic:{post.topic_id}" if reason == "topic" else f"forum:{post.topic.forum_id}",
            reply_to=reply_address(user.pk, post.topic_id),
        )
        sent += created is not None
    return sent


def _title(post: Post, reason: str) -> str:
    name = post.author.get_full_name() if post.author else _("A former member")
    values = {"name": name, "topic": post.topic.title, "forum": post.topic.forum.name}
    if reason == "mention":
        return _("%(name)s mentioned you in “%(topic)s”") % values
    if post.number == 1:
        return _("New topic in %(forum)s: “%(topic)s” by %(name)s") % values
    return _("%(name)s replied to “%(topic)s”") % values


def notify_moderators_of_flag(flag_id: int) -> int:
    flag = Flag.objects.select_related("post__topic__forum").filter(pk=flag_id).first()
    if flag is None:
        return 0
    sent = 0
    for user in User.objects.filter(is_active=True, groups__isnull=False).distinct().iterator(chunk_size=200):
        if not permissions.can_moderate_forum(user, flag.post.topic.forum):
            continue
        with notification_language(user):
            title = _("A post in “%(topic)s” was flagged: %(reason)s") % {
                "topic": flag.post.topic.title,
                "reason": flag.get_reason_display(),
            }
        sent += (
            notify(
                user,
                kind=FLAG_KIND,
                event_key=f"forums.flag:{flag.pk}",
                title=title,
                url=reverse("forums:moderation"),
                target_id=str(flag.pk),
                text=flag.details,
            )
            is not None
        )
    return sent
