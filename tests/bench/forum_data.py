"""Bulk data for the forum benchmark: one forum with 10,000 topics, a topic with 500 posts, 2,000 members
with read state, and a day of 500 posts waiting in 2,000 members' daily digests. Run inside `manage.py shell`
(the benchmark does it); rows are bulk-created, as the services would leave them."""

import datetime
import random
import time

from django.db import connection, transaction
from django.utils import timezone

TOPICS = 10_000
LONG_TOPIC_POSTS = 500
MEMBERS = 2_000
READ_STATES_PER_MEMBER = 25
DIGEST_POSTS = 500
BATCH = 5_000


def say(text: str) -> None:
    print(text, flush=True)


def load(*, author_email: str) -> dict:
    from forums.markup import render_markdown
    from forums.models import Forum, ForumProfile, Post, Topic, TopicReadState
    from network.choices import AccessLevel
    from network.models import User
    from tests.bench.membership_bench import create_directory_members

    rng = random.Random(2014)
    create_directory_members(MEMBERS, rng)
    author = User.objects.get(email=author_email)
    users = list(User.objects.filter(email__startswith="member").order_by("pk")[:MEMBERS])
    ForumProfile.objects.bulk_create(
        [ForumProfile(user=user, handle=f"bench{user.pk}") for user in [author, *users]], ignore_conflicts=True
    )
    forum = Forum.objects.create(
        name="Benchmark forum", slug="bench-forum", access_level=AccessLevel.MEMBERS, description="10,000 topics"
    )
    body = "We paired officers on the same routes for three months. **Reports doubled.** What worked for you?"
    html = render_markdown(body)
    now = timezone.now()
    say(f"  {TOPICS:,} topics with their first post …")
    started = time.perf_counter()
    for start in range(0, TOPICS, BATCH):
        with transaction.atomic():
            topics = Topic.objects.bulk_create(
                [
                    Topic(
                        forum=forum,
                        title=f"Lessons from mission {number}: patrols, reporting and trust",
                        author=rng.choice(users),
                        post_count=1,
                        last_post_at=now - datetime.timedelta(minutes=TOPICS - number),
                        is_pinned=number < 3,
                    )
                    for number in range(start, min(start + BATCH, TOPICS))
                ]
            )
            posts = Post.objects.bulk_create(
                [Post(topic=topic, number=1, author=topic.author, body=body, html=html) for topic in topics]
            )
            for topic, post in zip(topics, posts, strict=True):
                topic.last_post = post
            Topic.objects.bulk_update(topics, ["last_post"], batch_size=BATCH)
        say(f"    {min(start + BATCH, TOPICS):,}/{TOPICS:,}")
    long_topic = Topic.objects.filter(forum=forum).order_by("-last_post_at").first()
    say(f"  a topic with {LONG_TOPIC_POSTS} posts …")
    Post.objects.bulk_create(
        [
            Post(topic=long_topic, number=number, author=rng.choice(users), body=body, html=html)
            for number in range(2, LONG_TOPIC_POSTS + 1)
        ]
    )
    last = Post.objects.get(topic=long_topic, number=LONG_TOPIC_POSTS)
    Topic.objects.filter(pk=long_topic.pk).update(post_count=LONG_TOPIC_POSTS, last_post=last)
    Forum.objects.filter(pk=forum.pk).update(
        topic_count=TOPICS, post_count=TOPICS + LONG_TOPIC_POSTS - 1, last_post=last, last_post_at=now
    )
    say(f"  read state for {MEMBERS:,} members …")
    recent = list(Topic.objects.filter(forum=forum).order_by("-last_post_at").values_list("pk", flat=True)[:200])
    states = []
    for user in [author, *users]:
        for topic_id in rng.sample(recent, READ_STATES_PER_MEMBER):
            states.append(TopicReadState(user=user, topic_id=topic_id, last_read_number=1))
    TopicReadState.objects.bulk_create(states, batch_size=BATCH, ignore_conflicts=True)
    with connection.cursor() as cursor:
        # Fresh statistics and visibility map, as autovacuum would have made them by now on a live site (it may
        # be off on a test server): without the map a deep page's ids are not read from the index alone.
        cursor.execute("VACUUM (ANALYZE)")
    say(f"  data ready in {time.perf_counter() - started:.0f} s")
    return {"forum": forum.slug, "long_topic": long_topic.pk, "topic": recent[0]}


def load_digest_day(*, recipients: int = MEMBERS, posts: int = DIGEST_POSTS) -> int:
    """A day of `posts` replies, each waiting in the daily digest of `recipients` members (as fan-out leaves
    them). Returns the number of notifications."""
    from forums.models import Forum, Post, Topic
    from network.choices import Delivery
    from network.models import DigestCursor, Notification, User

    forum = Forum.objects.get(slug="bench-forum")
    topic = Topic.objects.filter(forum=forum).order_by("-last_post_at").first()
    users = list(User.objects.filter(email__startswith="member").order_by("pk")[:recipients])
    start = topic.post_count + 1
    day_posts = Post.objects.bulk_create(
        [
            Post(topic=topic, number=start + n, author=users[n % len(users)], body="A reply", html="<p>A reply</p>")
            for n in range(posts)
        ]
    )
    Topic.objects.filter(pk=topic.pk).update(post_count=start + posts - 1)
    created = 0
    rows = []
    for user in users:
        for post in day_posts:
            rows.append(
                Notification(
                    recipient=user,
                    kind="forums.post",
                    event_key=f"forums.post:{post.pk}",
                    title=f"A reply in {topic.title}",
                    text="A reply",
                    url=f"/en/forums/posts/{post.pk}/",
                    target_id=str(post.pk),
                    delivery=Delivery.DAILY,
                    unsubscribe_scope=f"forum:{forum.pk}",
                )
            )
            if len(rows) >= BATCH * 4:
                Notification.objects.bulk_create(rows)
                created += len(rows)
                rows = []
        if created and created % 200_000 == 0:
            say(f"    {created:,} notifications …")
    if rows:
        Notification.objects.bulk_create(rows)
        created += len(rows)
    # As notify leaves them (network.notifications._hold_digest_cursor): each recipient's daily cursor marked
    # pending, the ids already sent kept, so that the digest run finds who has something waiting.
    DigestCursor.objects.bulk_create(
        [DigestCursor(recipient=user, delivery=Delivery.DAILY, has_pending=True) for user in users],
        update_conflicts=True,
        unique_fields=["recipient", "delivery"],
        update_fields=["has_pending"],
    )
    return created
