"""Moderation: flags, hide and restore, lock, pin, move, merge, suspension and per-forum moderators — each
through a service that writes the audit log with a reason."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from forums import permissions, queries, services
from forums.choices import FlagState
from forums.models import Flag, Post, Topic
from forums.services import ForumError
from network.choices import AuditAction
from network.models import AuditEntry
from tests.factories.forums import make_forum, reply, start_topic

pytestmark = pytest.mark.django_db


def test_member_flags_a_post_and_moderator_hides_it_with_a_reason(client, alice, beatrice, moderator, forum):
    topic = start_topic(alice, forum)
    post = reply(beatrice, topic, body="Call me on +211 555 0100")
    client.force_login(alice.user)
    client.post(reverse("forums:flag_post", args=[post.pk]), {"reason": "private", "details": "Phone number"})
    assert Flag.objects.get(post=post).state == FlagState.OPEN

    client.force_login(moderator)
    queue = client.get(reverse("forums:moderation")).content.decode()
    assert "Phone number" in queue
    client.post(reverse("forums:moderate_post", args=[post.pk]), {"action": "hide", "reason": "Personal data"})

    post.refresh_from_db()
    assert post.is_hidden
    assert Flag.objects.get(post=post).state == FlagState.ACTED
    entry = AuditEntry.objects.get(action=AuditAction.FORUM_POST_HIDDEN)
    assert entry.reason == "Personal data" and entry.actor == moderator


def test_moderator_works_the_queue_from_the_wagtail_admin(client, alice, beatrice, moderator, forum):
    topic = start_topic(alice, forum)
    post = reply(beatrice, topic, body="Call me on +211 555 0100")
    services.flag_post(post, reporter=alice.user, reason="private", details="Phone number")
    client.force_login(moderator)

    queue = client.get(reverse("forums_admin_moderation")).content.decode()
    assert "Phone number" in queue and "+211 555 0100" in queue
    response = client.post(
        reverse("forums:moderate_post", args=[post.pk]),
        {"action": "hide", "reason": "Personal data", "next": reverse("forums_admin_moderation")},
    )

    assert response.status_code == 302 and response.url == reverse("forums_admin_moderation")
    post.refresh_from_db()
    assert post.is_hidden
    assert "Phone number" not in client.get(reverse("forums_admin_moderation")).content.decode()


def test_moderation_needs_a_reason(moderator, alice, beatrice, forum):
    post = reply(beatrice, start_topic(alice, forum))

    with pytest.raises(ForumError, match="reason"):
        services.hide_post(post, actor=moderator, reason=" ")

    post.refresh_from_db()
    assert not post.is_hidden


def test_member_cannot_moderate(alice, beatrice, forum):
    post = reply(beatrice, start_topic(alice, forum))

    with pytest.raises(PermissionDenied):
        services.hide_post(post, actor=alice.user, reason="I dislike it")


def test_per_forum_moderator_moderates_her_forum_only(alice, beatrice, forum):
    other = make_forum("Other forum")
    group = Group.objects.create(name="Best practices moderators")
    alice.user.groups.add(group)
    services.set_forum_groups(forum, perm="forums.moderate_forum", groups=[group], actor=None)
    mine = reply(beatrice, start_topic(beatrice, forum))
    theirs = reply(beatrice, start_topic(beatrice, other))

    services.hide_post(mine, actor=alice.user, reason="Off topic")
    with pytest.raises(PermissionDenied):
        services.hide_post(theirs, actor=alice.user, reason="Off topic")


def test_suspended_member_reads_but_cannot_post(client, alice, beatrice, moderator, forum):
    topic = start_topic(alice, forum)
    services.suspend_from_forums(
        beatrice.user, actor=moderator, until=timezone.now() + datetime.timedelta(days=3), reason="Insults"
    )
    client.force_login(beatrice.user)

    assert client.get(reverse("forums:topic_detail", args=[topic.pk])).status_code == 200
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Let me answer", "action": "post"})

    assert response.status_code == 400
    assert "suspended" in response.content.decode()
    assert "Let me answer" in response.content.decode()
    assert topic.posts.count() == 1


def test_move_topic_updates_both_forums(alice, moderator, forum):
    target = make_forum("Archive")
    topic = start_topic(alice, forum)
    reply(alice, topic)

    services.move_topic(topic, actor=moderator, forum=target, reason="Belongs in the archive")

    forum.refresh_from_db()
    target.refresh_from_db()
    assert (forum.topic_count, forum.post_count, forum.last_post_id) == (0, 0, None)
    assert (target.topic_count, target.post_count) == (1, 2)


def test_merge_appends_posts_in_order_and_hides_the_source(alice, beatrice, moderator, forum):
    into = start_topic(alice, forum, title="Checklists for patrols")
    reply(beatrice, into, body="First answer")
    source = start_topic(beatrice, forum, title="Patrol checklists?")
    reply(alice, source, body="Second answer")

    services.merge_topics(source, into=into, actor=moderator, reason="Same question")

    into.refresh_from_db()
    source.refresh_from_db()
    assert list(into.posts.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert into.post_count == 4 and into.last_post.body == "Second answer"
    assert source.is_hidden
    assert AuditEntry.objects.filter(action=AuditAction.FORUM_TOPICS_MERGED, reason="Same question").exists()


def test_locked_and_pinned_topics(client, alice, beatrice, moderator, forum):
    older = start_topic(alice, forum, title="Announcement of the network")
    start_topic(alice, forum, title="A newer topic")
    services.pin_topic(older, actor=moderator, reason="Announcement")
    services.lock_topic(older, actor=moderator, reason="Read only")

    _page, rows = queries.forum_topics_page(beatrice.user, forum, 1)

    assert rows[0].topic.title == "Announcement of the network"
    with pytest.raises(ForumError, match="locked"):
        reply(beatrice, older)
    reply(moderator, older, body="Moderators may still add to it")


def test_accepted_answer_is_shown_first(client, alice, beatrice, forum):
    questions = make_forum("Questions", kind="questions")
    topic = start_topic(alice, questions, title="How to set up a gender desk?")
    for number in range(3):
        reply(alice, topic, body=f"Follow-up {number}")
    answer = reply(beatrice, topic, body="Start-With-A-Private-Room")
    services.accept_answer(topic, answer, actor=alice.user)
    client.force_login(beatrice.user)

    body = client.get(reverse("forums:topic_detail", args=[topic.pk])).content.decode()

    assert body.index("Start-With-A-Private-Room") < body.index("Follow-up 0")
    assert "Best practice" in body


def test_edit_keeps_history_for_author_and_moderators_only(client, alice, beatrice, moderator, forum):
    post = reply(beatrice, start_topic(alice, forum), body="Old-Text-Wombat")
    services.edit_post(post, actor=beatrice.user, body="New text")
    url = reverse("forums:post_history", args=[post.pk])

    client.force_login(beatrice.user)
    assert "Old-Text-Wombat" in client.get(url).content.decode()
    client.force_login(moderator)
    assert "Old-Text-Wombat" in client.get(url).content.decode()
    client.force_login(alice.user)
    assert client.get(url).status_code == 404


def test_new_member_rate_limit_spares_established_members(alice, forum):
    topic = start_topic(alice, forum)
    # Alice is established after a few published posts; a newcomer in a held forum is not.
    for number in range(10):
        reply(alice, topic, body=f"Reply {number}")
    assert Post.objects.filter(topic=topic).count() == 11


def test_soft_deleted_post_keeps_its_number(client, alice, beatrice, forum):
    topic = start_topic(alice, forum)
    post = reply(beatrice, topic, body="Delete-Me-Quail")
    reply(alice, topic)

    services.delete_post(post, actor=beatrice.user)

    assert Topic.objects.get(pk=topic.pk).post_count == 3
    assert not permissions.can_read_post(alice.user, Post.objects.get(pk=post.pk))
    client.force_login(alice.user)
    assert "Delete-Me-Quail" not in client.get(reverse("forums:topic_detail", args=[topic.pk])).content.decode()
