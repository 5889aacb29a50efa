"""The shared notifications (network/notifications.py): posted once per event, emailed at once or in a digest
only while the recipient may still read what they point to, unsubscribed from with a signed link."""

from types import SimpleNamespace

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from network import notifications, tasks
from network.choices import Delivery, NotificationEmailState
from network.models import Notification, OutboundEmail, User
from network.notifications import (
    mark_notifications_read,
    notify,
    register_notification_kind,
    register_unsubscribe_scope,
    send_notification_digests,
    unread_notification_count,
    unsubscribe_url,
)
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = "test_reply"


@pytest.fixture
def kind():
    """A kind whose readable targets the test controls (`kind.readable`), and a scope "testforum:<id>" whose
    unsubscriptions are recorded (`kind.unsubscribed`)."""
    readable = {"1", "2", "3"}
    unsubscribed = []
    register_notification_kind(
        KIND, label="Replies", visible_targets=lambda user, ids: {target for target in ids if target in readable}
    )
    register_unsubscribe_scope(
        "testforum",
        describe=lambda user, scope: f"the forum Best practices {scope.split(':', 1)[1]}",
        unsubscribe=lambda user, scope: unsubscribed.append((user.pk, scope)),
    )
    yield SimpleNamespace(readable=readable, unsubscribed=unsubscribed)
    notifications._KINDS.pop(KIND, None)
    notifications._SCOPES.pop("testforum", None)


@pytest.fixture
def queued_mail(settings):
    """Email goes through our Celery queue (stored, then delivered) into Django's test outbox."""
    settings.EMAIL_BACKEND = "network.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return settings


def post(recipient, event_key="reply:7", *, target_id="1", delivery=Delivery.IMMEDIATE, **extra):
    return notify(
        recipient,
        kind=KIND,
        event_key=event_key,
        title=f"New reply {event_key}",
        text="Thank you for sharing this.",
        url=f"/en/forums/topics/{target_id}/",
        target_id=target_id,
        delivery=delivery,
        **extra,
    )


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


# --- notify and the email ---------------------------------------------------------------------------------------


def test_notifying_twice_for_the_same_event_sends_one_email(kind, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = post(user)
        second = post(user)

    assert first is not None and second is None
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert mailoutbox[0].subject == "New reply reply:7"
    assert "http://127.0.0.1:8000/en/forums/topics/1/" in mailoutbox[0].body
    first.refresh_from_db()
    assert first.email_state == NotificationEmailState.SENT and first.emailed_at is not None


def test_the_same_event_notifies_each_recipient_once(kind, mailoutbox, django_capture_on_commit_callbacks):
    alice, beatrice = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post(alice)
        post(beatrice)

    assert sorted(message.to[0] for message in mailoutbox) == sorted([alice.email, beatrice.email])


def test_email_task_run_twice_sends_once(kind, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = post(user)

    assert tasks.send_notification_email.apply(args=[notification.pk]).get() is False
    assert len(mailoutbox) == 1


def test_no_email_once_the_recipient_lost_access_to_the_target(kind, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        notification = post(user, target_id="2")
    kind.readable.discard("2")  # e.g. removed from the working group before the worker ran
    for callback in callbacks:
        callback()

    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.email_state == NotificationEmailState.SKIPPED
    # Still listed on the site: the page links to the target, which then checks access itself.
    assert unread_notification_count(User.objects.get(pk=user.pk)) == 1


def test_site_only_notification_is_never_emailed(kind, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = post(user, delivery=Delivery.NONE)

    assert mailoutbox == []
    assert notification.email_state == NotificationEmailState.NOT_NEEDED
    assert send_notification_digests(frequency=Delivery.DAILY) == 0


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(UserFactory(), kind="no_such_kind", event_key="x", title="x", url="/en/")


def test_notification_email_carries_one_click_unsubscribe_and_reply_to_through_the_mail_queue(
    kind, queued_mail, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post(user, unsubscribe_scope="testforum:12", reply_to="reply+topic-1@example.org")

    stored = OutboundEmail.objects.get()
    assert stored.reply_to == ["reply+topic-1@example.org"]
    (message,) = mail.outbox
    assert message.reply_to == ["reply+topic-1@example.org"]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://127.0.0.1:8000/en/notifications/unsubscribe/") and header.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "the forum Best practices 12" in message.body
    rendered = message.message()
    assert rendered["Reply-To"] == "reply+topic-1@example.org"
    assert rendered["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_email_without_scope_or_reply_to_has_neither_header(kind, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(UserFactory())

    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    assert mailoutbox[0].reply_to == []


def test_email_is_in_french_for_a_member_who_uses_the_site_in_french(
    kind, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        post(user, unsubscribe_scope="testforum:12")

    body = mailoutbox[0].body
    assert "Lisez-la sur la plateforme" in body
    assert "http://127.0.0.1:8000/fr/notifications/unsubscribe/" in body
    assert "Read it on the platform" not in body


# --- digests ----------------------------------------------------------------------------------------------------


def test_digest_groups_a_members_notifications_into_one_email(kind, mailoutbox, django_capture_on_commit_callbacks):
    alice, beatrice = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            post(alice, f"reply:{number}", delivery=Delivery.DAILY)
        post(beatrice, "reply:9", delivery=Delivery.DAILY)
        post(alice, "weekly:1", delivery=Delivery.WEEKLY)
    assert mailoutbox == []  # digests wait for their run

    assert send_notification_digests(frequency=Delivery.DAILY) == 2

    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {alice.email, beatrice.email}
    assert "3 notifications" in by_address[alice.email].subject
    for number in range(3):
        assert f"New reply reply:{number}" in by_address[alice.email].body
    assert "weekly:1" not in by_address[alice.email].body
    assert by_address[alice.email].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mailoutbox.clear()
    assert send_notification_digests(frequency=Delivery.DAILY) == 0  # what was sent is not sent again
    assert mailoutbox == []


def test_notification_after_a_digest_goes_out_in_the_next_one(kind, mailoutbox):
    user = UserFactory()
    post(user, "reply:1", delivery=Delivery.DAILY)
    assert send_notification_digests(frequency=Delivery.DAILY) == 1
    post(user, "reply:2", delivery=Delivery.DAILY)

    assert send_notification_digests(frequency=Delivery.DAILY) == 1

    assert "reply:2" in mailoutbox[1].body and "reply:1" not in mailoutbox[1].body
    assert "1 notification" in mailoutbox[1].subject


def test_long_digest_lists_the_newest_and_counts_the_rest(kind, mailoutbox):
    user = UserFactory()
    for number in range(60):
        post(user, f"reply:{number}", delivery=Delivery.DAILY, unsubscribe_scope="testforum:12")

    send_notification_digests(frequency=Delivery.DAILY)

    (message,) = mailoutbox
    assert "60 notifications" in message.subject
    assert "New reply reply:59" in message.body and "New reply reply:9\n" not in message.body
    assert "And 10 more on your notifications page." in message.body
    assert message.body.count("the forum Best practices 12") == 1  # one unsubscribe link per forum


def test_digest_does_not_resend(kind, mailoutbox):
    user = UserFactory()
    post(user, delivery=Delivery.WEEKLY)

    assert tasks.send_weekly_notification_digest.apply().get() == 1
    assert tasks.send_weekly_notification_digest.apply().get() == 0
    assert len(mailoutbox) == 1


def test_digest_leaves_out_what_the_recipient_may_no_longer_read(kind, mailoutbox):
    user = UserFactory()
    post(user, "reply:1", target_id="1", delivery=Delivery.DAILY)
    post(user, "reply:2", target_id="2", delivery=Delivery.DAILY)
    kind.readable.discard("2")

    send_notification_digests(frequency=Delivery.DAILY)

    (message,) = mailoutbox
    assert "reply:1" in message.body and "reply:2" not in message.body
    # Left out for good: readable again later, it does not come back in the next digest.
    kind.readable.add("2")
    assert send_notification_digests(frequency=Delivery.DAILY) == 0


def test_digest_with_nothing_left_to_read_sends_nothing(kind, mailoutbox):
    user = UserFactory()
    post(user, target_id="3", delivery=Delivery.DAILY)
    kind.readable.clear()

    assert send_notification_digests(frequency=Delivery.DAILY) == 0
    assert mailoutbox == []


def test_digest_costs_the_same_queries_however_many_notifications(kind, mailoutbox, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def digest_cost(per_recipient: int, frequency: str) -> int:
        for user in UserFactory.create_batch(3):
            for number in range(per_recipient):
                post(user, f"{frequency}:{number}", target_id=str(1 + number % 3), delivery=frequency)
        with CaptureQueriesContext(connection) as context:
            assert send_notification_digests(frequency=frequency) == 3
        return len(context.captured_queries)

    assert digest_cost(8, Delivery.WEEKLY) == digest_cost(1, Delivery.DAILY)


# --- unsubscribe links --------------------------------------------------------------------------------------------


def test_unsubscribe_link_shows_a_confirmation_without_login(kind, client, site):
    user = UserFactory()
    response = client.get(unsubscribe_url(user, "testforum:12").removeprefix("http://127.0.0.1:8000"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop emails about the forum Best practices 12?" in html
    assert 'method="post"' in html
    assert kind.unsubscribed == []  # a GET (a link scanner) changes nothing


def test_unsubscribe_confirmed_without_login_unsubscribes(kind, client, site):
    user = UserFactory()
    path = unsubscribe_url(user, "testforum:12").removeprefix("http://127.0.0.1:8000")

    response = client.post(path)

    assert response.status_code == 200
    assert "you will no longer receive emails about the forum Best practices 12" in response.content.decode()
    assert kind.unsubscribed == [(user.pk, "testforum:12")]


def test_one_click_unsubscribe_post_works_without_csrf_token(kind, site):
    user = UserFactory()
    path = unsubscribe_url(user, "testforum:40").removeprefix("http://127.0.0.1:8000")
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert kind.unsubscribed == [(user.pk, "testforum:40")]


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"u": 1, "s": "testforum:12"}, salt="another.purpose"),
        signing.dumps({"u": 1, "s": "testforum:12"}, salt="notifications.unsubscribe", key="x" * 50),
        signing.dumps({"u": 1, "s": "nosuchscope:1"}, salt="notifications.unsubscribe"),
        signing.dumps(["not", "a", "dict"], salt="notifications.unsubscribe"),
    ],
)
def test_forged_unsubscribe_token_answers_400(kind, client, site, token):
    UserFactory()
    for method in (client.get, client.post):
        response = method(f"/en/notifications/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    assert kind.unsubscribed == []


def test_expired_unsubscribe_token_answers_400(kind, client, site, monkeypatch):
    user = UserFactory()
    path = unsubscribe_url(user, "testforum:12").removeprefix("http://127.0.0.1:8000")
    monkeypatch.setattr(notifications, "UNSUBSCRIBE_MAX_AGE_SECONDS", -1)

    assert client.post(path).status_code == 400
    assert kind.unsubscribed == []


def test_unsubscribing_from_all_pauses_every_notification_email(
    kind, client, site, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.post(unsubscribe_url(user, "all").removeprefix("http://127.0.0.1:8000"))
    with django_capture_on_commit_callbacks(execute=True):
        immediate = post(user, "reply:1")
        post(user, "reply:2", delivery=Delivery.DAILY)
    send_notification_digests(frequency=Delivery.DAILY)

    assert mailoutbox == []
    immediate.refresh_from_db()
    assert immediate.email_state == NotificationEmailState.SKIPPED
    assert User.objects.get(pk=user.pk).notification_emails_paused


def test_member_can_turn_notification_emails_on_again(client, site):
    user = UserFactory(notification_emails_paused=True)
    client.force_login(user)

    assert "Notification emails are paused" in client.get("/en/members/notifications/").content.decode()
    client.post("/en/members/notifications/emails/resume/")
    assert not User.objects.get(pk=user.pk).notification_emails_paused


# --- the notifications page ---------------------------------------------------------------------------------------


def test_notifications_page_lists_hers_newest_first_with_unread_marked(
    kind, client, site, django_assert_max_num_queries
):
    user, other = UserFactory(), UserFactory()
    for number in range(35):
        post(user, f"reply:{number}", delivery=Delivery.NONE)
    post(other, "reply:other", delivery=Delivery.NONE)
    mark_notifications_read(user, ids=Notification.objects.filter(event_key="reply:33").values_list("pk", flat=True))
    client.force_login(user)
    client.get("/en/members/notifications/?page=2")  # the header's menu and branding are cached from here on

    with django_assert_max_num_queries(12):
        html = client.get("/en/members/notifications/").content.decode()

    assert html.count('<li class="unread">') == 29  # 30 a page, the newest but one is read
    assert html.index("New reply reply:34") < html.index("New reply reply:33") < html.index("New reply reply:5")
    assert "reply:other" not in html and "New reply reply:4<" not in html
    assert "Page 1 of 2" in html
    assert "Mark all as read" in html
    second = client.get("/en/members/notifications/?page=2").content.decode()
    assert "New reply reply:0" in second


def test_mark_all_as_read(kind, client, site):
    user = UserFactory()
    post(user, "reply:1", delivery=Delivery.NONE)
    post(user, "reply:2", delivery=Delivery.NONE)
    client.force_login(user)

    response = client.post("/en/members/notifications/read/")

    assert response.status_code == 302
    assert unread_notification_count(User.objects.get(pk=user.pk)) == 0


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(kind, client, site):
    user = UserFactory()
    notification = post(user, delivery=Delivery.NONE)
    client.force_login(user)

    response = client.get(reverse("network:open_notification", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/en/forums/topics/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_someone_elses_notification_is_not_found(kind, client, site):
    notification = post(UserFactory(), delivery=Delivery.NONE)
    client.force_login(UserFactory())

    response = client.get(reverse("network:open_notification", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_members_area_counts_her_unread_notifications(kind, client, site):
    member = MemberFactory()
    post(member.user, "reply:1", delivery=Delivery.NONE)
    client.force_login(member.user)
    client.get("/en/members/")  # cached for a minute: a new notification must show at once
    post(member.user, "reply:2", delivery=Delivery.NONE)

    html = client.get("/en/members/").content.decode()

    assert 'data-section="notifications"' in html
    assert "<strong>2</strong> unread notifications" in html


# --- her language ---------------------------------------------------------------------------------------------


def test_the_language_she_uses_the_site_in_is_kept_for_her_emails(client, site, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)

    client.get("/fr/members/notifications/")
    assert User.objects.get(pk=user.pk).language == "fr"
    client.get("/en/members/notifications/")
    assert User.objects.get(pk=user.pk).language == "en"
