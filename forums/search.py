"""What the site search indexes of the forums (wired by the search app with one registration): one document
per visible topic, its posts' text and the facts the search needs to filter it per reader — the forum, its
access level and, for a working group's forum, the groups and people granted `forums.read_forum`.

`topic_entries` turns them into the site search's entries (registered in forums/apps.py): a topic needs the
forum's level, at least "members" (forums.permissions.readable_forum_ids), and a working group's topic the
forum's read grants ("g:<group>", "u:<user>"). Every topic's entry also carries its forum's pass label
("forum:<id>"), and `viewer_passes` gives a reader the labels of the forums forums.permissions lets her read,
so staff who read forums without a membership level (community moderators) find what they can open. A forum, a grant, a topic or a post saved or deleted refreshes
the topics concerned on commit, so the labels follow permission changes; the search filters on them inside
its query. `visible_topic_ids` stays for callers that check hits against the live permissions.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from guardian.shortcuts import get_groups_with_perms, get_users_with_perms

from forums import permissions
from forums.markup import plain_text
from forums.models import Forum, Post, Topic

DOCUMENT_KIND = "forum_topic"


def indexable_topics() -> QuerySet[Topic]:
    """Topics every reader of their forum may see (hidden and held ones are left out)."""
    return Topic.objects.filter(is_hidden=False, is_held=False).select_related("forum")


def _grants(forum: Forum) -> dict[str, list[int]]:
    if not forum.is_restricted:
        return {"groups": [], "users": []}
    codename = permissions.READ_PERM.split(".", 1)[1]
    groups = get_groups_with_perms(forum, attach_perms=True)
    users = get_users_with_perms(forum, attach_perms=True, with_group_users=False)
    return {
        "groups": sorted(group.pk for group, perms in groups.items() if codename in perms),
        "users": sorted(user.pk for user, perms in users.items() if codename in perms),
    }


def topic_documents(topics: QuerySet[Topic] | None = None) -> Iterator[dict]:
    """The documents to index, one per topic."""
    topics = indexable_topics() if topics is None else topics.filter(is_hidden=False, is_held=False)
    grants: dict[int, dict[str, list[int]]] = {}
    for topic in topics.select_related("forum").iterator(chunk_size=500):
        forum = topic.forum
        if forum.pk not in grants:
            grants[forum.pk] = _grants(forum)
        bodies = Post.objects.filter(topic=topic, is_hidden=False, is_held=False, is_deleted=False).order_by("number")
        yield {
            "id": f"{DOCUMENT_KIND}:{topic.pk}",
            "kind": DOCUMENT_KIND,
            "pk": topic.pk,
            "title": topic.title,
            "body": "\n\n".join(plain_text(body) for body in bodies.values_list("body", flat=True)),
            "url": reverse("forums:topic_detail", args=[topic.pk]),
            "forum_id": forum.pk,
            "forum_name": forum.name,
            "access_level": int(forum.access_level),
            "is_restricted": forum.is_restricted,
            "read_groups": grants[forum.pk]["groups"],
            "read_users": grants[forum.pk]["users"],
            "updated_at": topic.last_post_at.isoformat() if topic.last_post_at else None,
        }


def visible_topic_ids(user, topic_ids: list[int]) -> set[int]:
    """Of these topics (search hits), those the user may open now."""
    topics = permissions.filter_topics_for_user(user, Topic.objects.filter(pk__in=topic_ids))
    return set(topics.values_list("pk", flat=True))


# --- the site search's source (registered in forums/apps.py) ------------------------------------------------


def topic_entries(pks=None):
    """`SearchEntry` per indexable topic: a forum needs at least the members' level to be read, and a working
    group's forum is restricted to the people and groups granted `forums.read_forum` on it."""
    from datetime import datetime

    from network.choices import AccessLevel
    from search.engines.base import SearchEntry

    topics = indexable_topics() if pks is None else Topic.objects.filter(pk__in=list(pks))
    for document in topic_documents(topics.order_by("pk")):
        updated = document["updated_at"]
        date = datetime.fromisoformat(updated) if updated else None
        yield SearchEntry(
            key=document["id"],
            kind=DOCUMENT_KIND,
            url=document["url"],
            title=document["title"],
            body=document["body"],
            date=date,
            year=date.year if date else None,
            access_level=max(int(AccessLevel.MEMBERS), document["access_level"]),
            is_restricted=document["is_restricted"],
            grants=(
                *[f"g:{pk}" for pk in document["read_groups"]],
                *[f"u:{pk}" for pk in document["read_users"]],
                forum_pass(document["forum_id"]),
            ),
        )


def forum_pass(forum_id: int) -> str:
    """The pass label a topic's entry carries: whoever may read its forum finds it."""
    return f"forum:{forum_id}"


def viewer_passes(user) -> frozenset[str]:
    """The forums forums.permissions lets this person read, as pass labels: the search then finds the topics of
    the forums a staff moderator reads without a membership level, and of no other."""
    return frozenset(forum_pass(pk) for pk in permissions.readable_forum_ids(user))


def _topics_of_forum(forum: Forum) -> list[int]:
    return list(Topic.objects.filter(forum=forum).values_list("pk", flat=True))


def _topics_of_grant(grant) -> list[int]:
    """A guardian grant (user or group) on a forum refreshes the forum's topics."""
    if grant.content_type.model_class() is not Forum:
        return []
    return list(Topic.objects.filter(forum_id=grant.object_pk).values_list("pk", flat=True))


def register_search_source() -> None:
    from django.utils.translation import gettext_lazy as _

    from search.registry import SearchSource, register_source

    register_source(
        SearchSource(
            kind=DOCUMENT_KIND,
            label=_("Forum topics"),
            entries=topic_entries,
            watch={
                "forums.Topic": lambda topic: [topic.pk],
                "forums.Post": lambda post: [post.topic_id],
                "forums.Forum": _topics_of_forum,
                "guardian.GroupObjectPermission": _topics_of_grant,
                "guardian.UserObjectPermission": _topics_of_grant,
            },
            all_pks=lambda: Topic.objects.order_by("pk").values_list("pk", flat=True),
            passes=viewer_passes,
        )
    )
