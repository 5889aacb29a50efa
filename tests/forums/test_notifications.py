"""Forum notifications: who hears about a post and how, once per event, never about a forum she can no
longer read, with a reply-by-email address and a one-click unsubscribe — including through a real worker."""

import time

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from forums import services
from forums.inbound import read_reply_token
from forums.models import Subscription
from network.choices import Delivery
from network.models import CommunityAccessRequest, Notification
from network.notifications import send_notification_digests
from network.services import community
from tests.factories.forums import community_member, make_forum, reply, start_topic
from tests.test_celery_worker import wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_mail(settings):
    settings.EMAIL_BACKEND = "network.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return settings


def sent_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def test_topic_author_gets_one_email_per_reply_with_a_reply_address(
    queued_mail, alice, beatrice, forum, django_capture_on_commit_callbacks
):
    topic = start_topic(alice, forum, title="Patrol schedules")
    with django_capture_on_commit_callbacks(execute=True):
        post = reply(beatrice, topic, body="We publish ours weekly.")
    # The task runs again (a retry, the beat job): still one email.
    from forums.tasks import notify_about_post

    with django_capture_on_commit_callbacks(execute=True):
        notify_about_post(post.pk, [])

    emails = sent_to(alice.user)
    assert len(emails) == 1
    assert "Patrol schedules" in emails[0].subject
    assert "We publish ours weekly." in emails[0].body
    token = emails[0].reply_to[0].split("+", 1)[1].split("@", 1)[0]
    assert read_reply_token(token) == (alice.user.pk, topic.pk)
    assert emails[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent_to(beatrice.user) == []


def test_mention_reaches_the_member_at_once(queued_mail, alice, beatrice, forum, django_capture_on_commit_callbacks):
    services.forum_profile(beatrice.user)
    with django_capture_on_commit_callbacks(execute=True):
        start_topic(alice, forum, body="What do you think, @beatrice.kabore?")

    assert len(sent_to(beatrice.user)) == 1
    assert "mentioned you" in sent_to(beatrice.user)[0].subject


def test_members_who_posted_in_a_forum_get_a_daily_digest(
    queued_mail, alice, beatrice, forum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply(beatrice, start_topic(alice, forum, title="First topic"))
        start_topic(alice, forum, title="Second topic about radios")
        start_topic(alice, forum, title="Third topic about vehicles")
    assert sent_to(beatrice.user) == []

    with django_capture_on_commit_callbacks(execute=True):
        send_notification_digests(frequency=Delivery.DAILY)
        send_notification_digests(frequency=Delivery.DAILY)

    digests = sent_to(beatrice.user)
    assert len(digests) == 1
    assert "Second topic about radios" in digests[0].body and "Third topic about vehicles" in digests[0].body


def test_no_email_about_a_forum_she_can_no_longer_read(
    queued_mail, alice, beatrice, moderator, forum, django_capture_on_commit_callbacks
):
    topic = start_topic(alice, forum)
    services.set_forum_delivery(user=beatrice.user, forum=forum, delivery=Delivery.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        reply(alice, topic, body="Secret-Lesson-Heron")
    access = CommunityAccessRequest.objects.filter(member=beatrice).latest("pk")
    community.revoke_community_access(access, actor=moderator, reason="Left the service")

    with django_capture_on_commit_callbacks(execute=True):
        send_notification_digests(frequency=Delivery.DAILY)

    assert not any("Secret-Lesson-Heron" in message.body for message in sent_to(beatrice.user))


def test_one_digest_run_checks_each_recipients_access_at_send_time(
    queued_mail, alice, beatrice, moderator, forum, django_capture_on_commit_callbacks
):
    """Recipients checked together (one batch): each still gets what she may read, and only that."""
    from django.contrib.auth.models import Group

    from tests.factories.forums import community_member

    carla = community_member(moderator)
    group_forum = make_forum("Working group", is_restricted=True)
    group = Group.objects.create(name="Working group members")
    for member in (alice, beatrice, carla):
        member.user.groups.add(group)
    services.set_forum_groups(group_forum, perm="forums.read_forum", groups=[group], actor=None)
    group_topic, open_topic = start_topic(alice, group_forum), start_topic(alice, forum)
    for member in (beatrice, carla):
        services.set_forum_delivery(user=member.user, forum=group_forum, delivery=Delivery.DAILY)
        services.set_forum_delivery(user=member.user, forum=forum, delivery=Delivery.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        reply(alice, group_topic, body="Group-Only-Kestrel")
        reply(alice, open_topic, body="Open-To-All-Plover")
    carla.user.groups.remove(group)  # she leaves the working group before the digest goes out

    with django_capture_on_commit_callbacks(execute=True):
        assert send_notification_digests(frequency=Delivery.DAILY) == 2

    (for_beatrice,) = sent_to(beatrice.user)
    (for_carla,) = sent_to(carla.user)
    assert "Group-Only-Kestrel" in for_beatrice.body and "Open-To-All-Plover" in for_beatrice.body
    assert "Open-To-All-Plover" in for_carla.body
    assert "Group-Only-Kestrel" not in for_carla.body and "Working group" not in for_carla.body


def test_restricted_forum_mention_of_an_outsider_tells_her_nothing(
    queued_mail, alice, beatrice, forum, django_capture_on_commit_callbacks
):
    group_forum = make_forum("Working group", is_restricted=True)
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Group")
    alice.user.groups.add(group)
    services.set_forum_groups(group_forum, perm="forums.read_forum", groups=[group], actor=None)
    services.forum_profile(beatrice.user)
    with django_capture_on_commit_callbacks(execute=True):
        start_topic(alice, group_forum, title="Group-Only-Plan", body="cc @beatrice.kabore")

    assert not Notification.objects.filter(recipient=beatrice.user).exists()
    assert sent_to(beatrice.user) == []


def test_one_click_unsubscribe_from_a_forum_without_logging_in(
    queued_mail, alice, beatrice, forum, django_capture_on_commit_callbacks
):
    topic = start_topic(alice, forum)
    services.set_forum_delivery(user=beatrice.user, forum=forum, delivery=Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        reply(alice, topic)
    link = sent_to(beatrice.user)[0].extra_headers["List-Unsubscribe"].strip("<>")

    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert Subscription.objects.get(user=beatrice.user, forum=forum).delivery == Delivery.NONE
    with django_capture_on_commit_callbacks(execute=True):
        reply(alice, topic)
    assert len(sent_to(beatrice.user)) == 1


def test_notifications_page_shows_the_reply_only_to_its_recipient(
    client, alice, beatrice, forum, django_capture_on_commit_callbacks
):
    topic = start_topic(alice, forum, title="Vetting of recruits")
    with django_capture_on_commit_callbacks(execute=True):
        reply(beatrice, topic)

    client.force_login(alice.user)
    assert "Vetting of recruits" in client.get(reverse("network:notifications")).content.decode()
    client.force_login(beatrice.user)
    assert "Vetting of recruits" not in client.get(reverse("network:notifications")).content.decode()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_one_email_per_subscriber(celery_worker):
    forum = make_forum()
    alice, beatrice, chloe = (community_member() for _ in range(3))
    topic = start_topic(alice, forum)
    for person in (beatrice, chloe):
        services.set_forum_delivery(user=person.user, forum=forum, delivery=Delivery.IMMEDIATE)

    with transaction.atomic():
        services.reply_to_topic(author=beatrice.user, topic=topic, body="From the worker")

    def about_the_reply():
        return [message for message in mail.outbox if "From the worker" in message.body]

    assert wait_for(lambda: len(about_the_reply()) >= 2)
    time.sleep(1)  # a duplicate would arrive meanwhile
    recipients = sorted(address for message in about_the_reply() for address in message.to)
    assert recipients == sorted([alice.user.email, chloe.user.email])
