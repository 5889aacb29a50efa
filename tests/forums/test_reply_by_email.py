"""Replies by email end to end: a real message to a reply address becomes a post, or a bounce explains why to
its sender with her text; the webhook and the Postfix command that feed it."""

import io
import json
import random
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.email_replies import (
    BOUNCES_PER_ADDRESS_PER_DAY,
    INBOUND_EMAIL_KEEP_DAYS,
    QUOTED_CHARS,
    purge_inbound_emails,
    receive_reply_email,
)
from forums.inbound import make_reply_token, reply_address
from forums.models import InboundEmail, Post
from forums.views_inbound import MAX_MESSAGE_BYTES
from network.models import CommunityAccessRequest
from network.services import community
from tests.factories.forums import start_topic

pytestmark = pytest.mark.django_db

SECRET = "inbound-secret-for-tests"
TOPIC_TEXT = "Topic-Text-Pangolin: how do you debrief after a night patrol?"
NEW_TEXT = "We debrief within the hour, in pairs.\n\n- one notes\n- one leads"
ENDPOINT = "/forums/inbound-email/"


@pytest.fixture
def outbox(settings, mailoutbox):
    """Email goes through the project's queue (stored, delivered by the task on commit) into the test outbox."""
    settings.EMAIL_BACKEND = "network.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FORUMS_REPLY_DOMAIN = "reply.example.org"
    return mailoutbox


@pytest.fixture
def topic(alice, forum):
    return start_topic(alice, forum, body=TOPIC_TEXT)


def reply_email(
    to: str,
    *,
    sender: str,
    text: str = NEW_TEXT,
    message_id: str | None = None,
    headers: dict | None = None,
) -> bytes:
    """What a mail client sends back: text and HTML alternatives, the notification quoted below the reply."""
    message = EmailMessage()
    message["From"] = f"Alice Mbeki <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Debriefing after a patrol"
    message["Date"] = formatdate()
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    attribution = "On Mon, 7 Dec 2026 at 09:12, Peacekeepers Network <no-reply@example.org> wrote:"
    message.set_content(f"{text}\n\n{attribution}\n> {TOPIC_TEXT}\n>\n> Reply to this email to answer.\n")
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
    message.add_alternative(
        f"<html><body>{paragraphs}<div>{attribution}</div><blockquote><p>{TOPIC_TEXT}</p></blockquote></body></html>",
        subtype="html",
    )
    return message.as_bytes()


def alices_reply(alice, topic, **kwargs) -> bytes:
    kwargs.setdefault("sender", alice.user.email)
    return reply_email(reply_address(alice.user.pk, topic.pk), **kwargs)


def bounces(outbox) -> list:
    return [message for message in outbox if message.extra_headers.get("Auto-Submitted") == "auto-replied"]


def receive_and_deliver(raw: bytes, capture):
    with capture(execute=True):
        return receive_reply_email(raw)


def replies(topic) -> list[Post]:
    return list(Post.objects.filter(topic=topic, number__gt=1))


# --- posting -------------------------------------------------------------------------------------------------


def test_emailed_reply_becomes_a_post_with_only_the_new_text(alice, topic, outbox):
    outcome = receive_reply_email(alices_reply(alice, topic))

    assert outcome.accepted and outcome.reason == "posted"
    [post] = replies(topic)
    assert outcome.post == post
    assert post.author == alice.user and post.via_email
    assert post.body == NEW_TEXT
    assert TOPIC_TEXT not in post.body and "wrote:" not in post.body
    topic.refresh_from_db()
    assert topic.post_count == 2 and topic.last_post_id == post.pk


def test_reply_from_a_verified_second_address_is_posted(alice, topic, outbox):
    EmailAddress.objects.create(user=alice.user, email="alice.home@example.net", verified=True)

    outcome = receive_reply_email(alices_reply(alice, topic, sender="Alice.Home@Example.NET"))

    assert outcome.accepted and replies(topic)[0].via_email


def test_same_message_delivered_twice_is_posted_once(alice, topic, outbox):
    raw = alices_reply(alice, topic, message_id="<retry-1@mail.example.org>")

    first = receive_reply_email(raw)
    second = receive_reply_email(raw)

    assert len(replies(topic)) == 1
    assert second.reason == "duplicate" and second.post == first.post
    assert InboundEmail.objects.get(message_id="<retry-1@mail.example.org>").post == first.post


# --- refusals: nothing posted, the sender told why ------------------------------------------------------------


def test_reply_from_someone_elses_address_is_bounced_without_the_topic(
    alice, topic, outbox, django_capture_on_commit_callbacks
):
    raw = alices_reply(alice, topic, sender="intruder@example.com", text="Let me in.")

    outcome = receive_and_deliver(raw, django_capture_on_commit_callbacks)

    assert not outcome.accepted and outcome.reason == "wrong_sender"
    assert replies(topic) == []
    [bounce] = bounces(outbox)
    assert bounce.to == ["intruder@example.com"]
    assert "not yours" in bounce.body and "Let me in." in bounce.body
    assert TOPIC_TEXT not in bounce.body and topic.title not in bounce.body
    assert alice.user.email not in bounce.body


def test_unverified_second_address_is_not_hers(alice, topic, outbox, django_capture_on_commit_callbacks):
    EmailAddress.objects.create(user=alice.user, email="alice.home@example.net", verified=False)

    outcome = receive_and_deliver(
        alices_reply(alice, topic, sender="alice.home@example.net"), django_capture_on_commit_callbacks
    )

    assert outcome.reason == "wrong_sender" and replies(topic) == []


def test_tampered_reply_address_is_bounced(alice, topic, outbox, django_capture_on_commit_callbacks):
    address = reply_address(alice.user.pk, topic.pk)
    local, domain = address.split("@")
    tampered = f"{local[:-1]}{'a' if local[-1] != 'a' else 'b'}@{domain}"

    outcome = receive_and_deliver(reply_email(tampered, sender=alice.user.email), django_capture_on_commit_callbacks)

    assert outcome.reason == "bad_token" and replies(topic) == []
    [bounce] = bounces(outbox)
    assert "This reply address is not valid." in bounce.body and "We debrief within the hour" in bounce.body


def test_bounces_to_one_address_stop_at_the_daily_limit(alice, topic, outbox, django_capture_on_commit_callbacks):
    # A forged sender (backscatter) or a broken client: the site answers a few times a day, then stays quiet.
    address = reply_address(alice.user.pk, topic.pk)
    local, domain = address.split("@")
    tampered = f"{local[:-1]}{'a' if local[-1] != 'a' else 'b'}@{domain}"
    for _attempt in range(BOUNCES_PER_ADDRESS_PER_DAY + 3):
        outcome = receive_and_deliver(
            reply_email(tampered, sender="victim@example.net"), django_capture_on_commit_callbacks
        )
        assert outcome.reason == "bad_token"

    assert len(bounces(outbox)) == BOUNCES_PER_ADDRESS_PER_DAY
    receive_and_deliver(reply_email(tampered, sender=alice.user.email), django_capture_on_commit_callbacks)
    assert len(bounces(outbox)) == BOUNCES_PER_ADDRESS_PER_DAY + 1  # another address has its own allowance


def test_old_inbound_message_ids_are_purged(alice, topic, outbox, django_capture_on_commit_callbacks):
    receive_and_deliver(alices_reply(alice, topic, message_id="<old@example.net>"), django_capture_on_commit_callbacks)
    receive_and_deliver(alices_reply(alice, topic, message_id="<new@example.net>"), django_capture_on_commit_callbacks)
    InboundEmail.objects.filter(message_id="<old@example.net>").update(
        received_at=timezone.now() - timedelta(days=INBOUND_EMAIL_KEEP_DAYS + 1)
    )

    assert purge_inbound_emails() == 1
    assert list(InboundEmail.objects.values_list("message_id", flat=True)) == ["<new@example.net>"]
    assert len(replies(topic)) == 2  # the posts stay


def test_expired_reply_address_is_bounced(alice, topic, outbox, django_capture_on_commit_callbacks):
    token = make_reply_token(alice.user.pk, topic.pk, issued_at=timezone.now() - timedelta(days=90))

    outcome = receive_and_deliver(
        reply_email(f"reply+{token}@reply.example.org", sender=alice.user.email), django_capture_on_commit_callbacks
    )

    assert outcome.reason == "bad_token" and replies(topic) == []
    [bounce] = bounces(outbox)
    assert "expired" in bounce.body


def test_message_to_no_reply_address_is_bounced(alice, topic, outbox, django_capture_on_commit_callbacks):
    outcome = receive_and_deliver(
        reply_email("forums@reply.example.org", sender=alice.user.email), django_capture_on_commit_callbacks
    )

    assert outcome.reason == "no_token" and replies(topic) == []
    assert len(bounces(outbox)) == 1


def test_reply_to_locked_topic_is_bounced_with_her_text(
    alice, topic, moderator, outbox, django_capture_on_commit_callbacks
):
    services.lock_topic(topic, actor=moderator, reason="Resolved.")
    raw = alices_reply(alice, topic, message_id="<locked@mail.example.org>")

    outcome = receive_and_deliver(raw, django_capture_on_commit_callbacks)

    assert outcome.reason == "refused" and replies(topic) == []
    [bounce] = bounces(outbox)
    assert bounce.to == [alice.user.email]
    assert "locked" in bounce.body
    assert NEW_TEXT in bounce.body
    assert bounce.subject == "Not posted: Re: Debriefing after a patrol"
    assert bounce.extra_headers["In-Reply-To"] == "<locked@mail.example.org>"


def test_long_refused_reply_quotes_its_first_2000_characters(
    alice, topic, moderator, outbox, django_capture_on_commit_callbacks
):
    services.lock_topic(topic, actor=moderator, reason="Resolved.")
    long_text = "Patrol notes. " * 300

    receive_and_deliver(alices_reply(alice, topic, text=long_text), django_capture_on_commit_callbacks)

    [bounce] = bounces(outbox)
    kept = long_text.strip()[:QUOTED_CHARS]
    assert kept in bounce.body
    assert f"{len(long_text.strip()) - QUOTED_CHARS} more characters" in bounce.body


def test_member_who_lost_community_access_is_bounced(
    alice, topic, moderator, outbox, django_capture_on_commit_callbacks
):
    access = CommunityAccessRequest.objects.get(member=alice)
    community.revoke_community_access(access, actor=moderator, reason="Left the police service.")

    outcome = receive_and_deliver(alices_reply(alice, topic), django_capture_on_commit_callbacks)

    assert not outcome.accepted and outcome.reason == "no_access"
    assert replies(topic) == []
    [bounce] = bounces(outbox)
    assert bounce.to == [alice.user.email]
    assert "no longer have access" in bounce.body
    assert NEW_TEXT in bounce.body and TOPIC_TEXT not in bounce.body


def test_reply_with_only_the_quoted_history_is_bounced(alice, topic, outbox, django_capture_on_commit_callbacks):
    outcome = receive_and_deliver(alices_reply(alice, topic, text=""), django_capture_on_commit_callbacks)

    assert outcome.reason == "empty" and replies(topic) == []
    [bounce] = bounces(outbox)
    assert "no new text" in bounce.body


def test_auto_reply_is_neither_posted_nor_answered(alice, topic, outbox, django_capture_on_commit_callbacks):
    raw = alices_reply(alice, topic, text="I am out of the office.", headers={"Auto-Submitted": "auto-replied"})

    outcome = receive_and_deliver(raw, django_capture_on_commit_callbacks)

    assert not outcome.accepted and outcome.reason == "automatic"
    assert replies(topic) == []
    assert bounces(outbox) == []


def test_random_bytes_are_refused_without_error(outbox, django_capture_on_commit_callbacks):
    garbage = random.Random(7).randbytes(4096)

    outcome = receive_and_deliver(garbage, django_capture_on_commit_callbacks)

    assert not outcome.accepted
    assert bounces(outbox) == []


# --- the webhook ---------------------------------------------------------------------------------------------


def post_raw(client, raw: bytes, **extra):
    return client.post(ENDPOINT, data=raw, content_type="message/rfc822", **extra)


def test_webhook_is_routed_outside_the_language_prefixes():
    assert reverse("forums_inbound_email") == ENDPOINT


def test_webhook_without_a_configured_secret_is_not_found(client, alice, topic, settings):
    settings.FORUMS_INBOUND_SECRET = ""

    response = post_raw(client, alices_reply(alice, topic), HTTP_AUTHORIZATION=f"Bearer {SECRET}")

    assert response.status_code == 404
    assert replies(topic) == []


def test_webhook_with_a_wrong_secret_is_forbidden(client, alice, topic, settings):
    settings.FORUMS_INBOUND_SECRET = SECRET

    assert post_raw(client, alices_reply(alice, topic), HTTP_AUTHORIZATION="Bearer guess").status_code == 403
    assert post_raw(client, alices_reply(alice, topic)).status_code == 403
    assert replies(topic) == []


def test_webhook_with_the_bearer_secret_posts_the_reply(client, alice, topic, settings, outbox):
    settings.FORUMS_INBOUND_SECRET = SECRET

    response = post_raw(client, alices_reply(alice, topic), HTTP_AUTHORIZATION=f"Bearer {SECRET}")

    assert response.status_code == 200
    assert response.json() == {"accepted": True, "reason": "posted"}
    assert replies(topic)[0].body == NEW_TEXT


def test_webhook_takes_the_secret_as_a_key_and_the_message_as_a_form_file(client, alice, topic, settings, outbox):
    settings.FORUMS_INBOUND_SECRET = SECRET
    upload = SimpleUploadedFile("reply.eml", alices_reply(alice, topic), content_type="message/rfc822")

    response = client.post(f"{ENDPOINT}?key={SECRET}", {"message": upload})

    assert response.json() == {"accepted": True, "reason": "posted"}
    assert len(replies(topic)) == 1


def test_webhook_takes_the_message_as_a_form_field(client, alice, topic, settings, outbox):
    settings.FORUMS_INBOUND_SECRET = SECRET

    response = client.post(
        ENDPOINT, {"message": alices_reply(alice, topic).decode()}, HTTP_AUTHORIZATION=f"Bearer {SECRET}"
    )

    assert response.json()["accepted"] is True


def test_webhook_answers_a_bounce_with_200_so_the_server_does_not_retry(client, alice, topic, settings, outbox):
    settings.FORUMS_INBOUND_SECRET = SECRET
    raw = alices_reply(alice, topic, sender="intruder@example.com")

    response = post_raw(client, raw, HTTP_AUTHORIZATION=f"Bearer {SECRET}")

    assert response.status_code == 200
    assert response.json() == {"accepted": False, "reason": "wrong_sender"}
    assert TOPIC_TEXT not in response.content.decode()


def test_webhook_answers_garbage_with_200_not_accepted(client, settings, outbox):
    settings.FORUMS_INBOUND_SECRET = SECRET
    garbage = random.Random(11).randbytes(10_000)

    for content_type in ("message/rfc822", "application/octet-stream"):
        response = client.post(ENDPOINT, data=garbage, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {SECRET}")
        assert response.status_code == 200
        assert json.loads(response.content)["accepted"] is False


def test_webhook_refuses_a_message_over_10_mb(client, settings):
    settings.FORUMS_INBOUND_SECRET = SECRET

    response = post_raw(client, b"x" * (MAX_MESSAGE_BYTES + 1), HTTP_AUTHORIZATION=f"Bearer {SECRET}")

    assert response.status_code == 413
    assert not InboundEmail.objects.exists()


def test_webhook_accepts_post_only(client, settings):
    settings.FORUMS_INBOUND_SECRET = SECRET

    assert client.get(ENDPOINT, HTTP_AUTHORIZATION=f"Bearer {SECRET}").status_code == 405


# --- the Postfix pipe command --------------------------------------------------------------------------------


def test_command_posts_the_message_read_from_stdin(alice, topic, outbox):
    out = io.StringIO()

    call_command("receive_email", stdin=io.BytesIO(alices_reply(alice, topic)), stdout=out)

    [post] = replies(topic)
    assert post.via_email
    assert out.getvalue().strip() == f"posted: post {post.pk} (posted)"


def test_command_reports_a_bounce_and_exits_normally(alice, topic, outbox):
    out = io.StringIO()
    raw = alices_reply(alice, topic, sender="intruder@example.com")

    call_command("receive_email", stdin=io.BytesIO(raw), stdout=out)

    assert out.getvalue().strip() == "not posted: wrong_sender"
    assert replies(topic) == []


def test_command_fails_on_empty_input():
    with pytest.raises(CommandError) as error:
        call_command("receive_email", stdin=io.BytesIO(b""))

    assert error.value.returncode == 65  # EX_DATAERR: Postfix returns the message to its sender


def test_webhook_answers_a_malformed_form_with_400(client, settings):
    settings.FORUMS_INBOUND_SECRET = SECRET

    response = client.post(
        ENDPOINT,
        data=random.Random(3).randbytes(2000),
        content_type="multipart/form-data; boundary=nowhere",
        HTTP_AUTHORIZATION=f"Bearer {SECRET}",
    )

    assert response.status_code == 400
    assert response.json()["accepted"] is False
