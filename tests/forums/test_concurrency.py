"""Twenty members replying to one topic at the same moment: numbers 2..21 without gaps or duplicates, and
exact reply counts and last-post pointers (the reply service locks the topic's row)."""

import threading

import pytest
from django.db import connection, connections

from forums.models import Forum, Post, Topic
from network.choices import StaffRole
from tests.conftest import require_service
from tests.factories.forums import community_member, make_forum, start_topic
from tests.factories.staff import make_staff

REPLIES = 20


@pytest.mark.django_db(transaction=True)
def test_simultaneous_replies_keep_numbers_and_counters_exact():
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    moderator = make_staff(StaffRole.MODERATOR)
    forum = make_forum()
    writers = [community_member(moderator) for _ in range(REPLIES)]
    topic = start_topic(writers[0], forum)
    barrier = threading.Barrier(REPLIES)
    errors = []

    def write(member):
        from forums import services

        try:
            barrier.wait()
            services.reply_to_topic(author=member.user, topic=topic, body=f"Reply from {member.pk}")
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(member,)) for member in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Post.objects.filter(topic=topic).values_list("number", flat=True))
    assert numbers == list(range(1, REPLIES + 2))
    topic = Topic.objects.get(pk=topic.pk)
    assert topic.post_count == REPLIES + 1
    assert topic.last_post.number == REPLIES + 1
    forum = Forum.objects.get(pk=forum.pk)
    assert forum.post_count == REPLIES + 1
    assert forum.last_post_id == topic.last_post_id
