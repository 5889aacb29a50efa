"""Contacting a member through the platform: nobody's email address leaks, rate limits, private threads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.choices import MemberCategory, Visibility
from network.models import Member, MemberMessage
from network.services import messaging
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SHARED_WITH_NETWORK = {field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS}


def network_member(category=MemberCategory.ACTIVE, **kwargs) -> Member:
    kwargs.setdefault("visibility", SHARED_WITH_NETWORK)
    return MemberFactory(category=category, **kwargs)


def contact_url(member: Member) -> str:
    return reverse("network:contact_member", args=[member.public_id])


def everything_in(email) -> str:
    """All of an outgoing email a recipient could read: headers and body."""
    return "\n".join(
        [
            email.subject,
            email.body,
            email.from_email,
            *email.to,
            *email.cc,
            *email.bcc,
            *email.reply_to,
            *(f"{key}: {value}" for key, value in email.extra_headers.items()),
            email.message().as_string(),
        ]
    )


@pytest.fixture
def sender():
    return network_member(user__first_name="Amina", user__last_name="Diallo", user__email="amina.private@example.org")


@pytest.fixture
def recipient():
    return network_member(
        MemberCategory.HONORARY,
        user__first_name="Grace",
        user__last_name="Uwase",
        user__email="grace.private@example.org",
    )


def send(client, sender, recipient, body="Could we talk about recruitment in Rwanda?", **kwargs):
    client.force_login(sender.user)
    return client.post(contact_url(recipient), {"body": body}, **kwargs)


def test_message_is_stored_and_emailed_without_the_senders_address(
    client, site, sender, recipient, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, sender, recipient)
    message = MemberMessage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:message_detail", args=[message.pk])
    assert (message.sender, message.recipient, message.body) == (
        sender,
        recipient,
        "Could we talk about recruitment in Rwanda?",
    )
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["grace.private@example.org"]
    assert email.reply_to == []
    assert "Amina Diallo" in email.subject
    assert "Could we talk about recruitment in Rwanda?" in email.body
    assert f"/en/members/messages/{message.pk}/" in email.body
    assert "amina.private" not in everything_in(email)


def test_reply_reaches_the_sender_by_notification_only(
    client, site, sender, recipient, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, sender, recipient)
    first = MemberMessage.objects.get()
    client.force_login(recipient.user)
    page = client.get(reverse("network:message_detail", args=[first.pk])).content.decode()
    assert "Could we talk about recruitment in Rwanda?" in page
    assert "amina.private" not in page
    first.refresh_from_db()
    assert first.read_at is not None

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:message_detail", args=[first.pk]), {"body": "Yes, gladly."})
    reply = MemberMessage.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("network:message_detail", args=[reply.pk])
    assert (reply.sender, reply.recipient, reply.in_reply_to) == (recipient, sender, first)
    [email] = mailoutbox
    assert email.to == ["amina.private@example.org"]
    assert "Grace Uwase" in email.subject
    assert "Yes, gladly." in email.body
    assert "grace.private" not in everything_in(email)

    # The conversation continues: the first sender may now answer the reply.
    client.force_login(sender.user)
    page = client.get(reverse("network:message_detail", args=[first.pk])).content.decode()
    assert "Yes, gladly." in page
    assert "grace.private" not in page
    client.post(reverse("network:message_detail", args=[reply.pk]), {"body": "Thank you!"})
    assert MemberMessage.objects.filter(sender=sender, in_reply_to=reply).exists()


def test_sender_cannot_follow_up_through_a_reply_before_the_recipient_answers(client, site, sender, recipient):
    send(client, sender, recipient)
    message = MemberMessage.objects.get()
    page = client.get(reverse("network:message_detail", args=[message.pk])).content.decode()
    assert "once the member replies" in page
    assert client.post(reverse("network:message_detail", args=[message.pk]), {"body": "Hello?"}).status_code == 404
    assert MemberMessage.objects.count() == 1


def test_only_the_two_participants_see_a_message(client, site, sender, recipient, member_of):
    send(client, sender, recipient)
    url = reverse("network:message_detail", args=[MemberMessage.objects.get().pk])
    for outsider in (member_of(MemberCategory.ACTIVE), member_of(MemberCategory.OBSERVER), member_of("")):
        client.force_login(outsider.user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Intruding"}).status_code == 404
        assert "recruitment" not in client.get(reverse("network:inbox")).content.decode()
    client.logout()
    assert client.get(url).status_code == 302
    assert MemberMessage.objects.count() == 1


def test_inbox_lists_received_and_sent_messages(client, site, sender, recipient):
    send(client, sender, recipient)
    sent = client.get(reverse("network:inbox") + "?box=sent").content.decode()
    assert "Grace Uwase" in sent and "recruitment in Rwanda" in sent
    client.force_login(recipient.user)
    received = client.get(reverse("network:inbox")).content.decode()
    assert "Amina Diallo" in received and "New:" in received
    assert "amina.private" not in received


def test_inbox_query_count_does_not_grow_with_messages(client, site, recipient, django_assert_max_num_queries):
    def receive(count):
        for number in range(count):
            MemberMessage.objects.create(sender=network_member(), recipient=recipient, body=f"Message {number}")

    receive(2)
    client.force_login(recipient.user)
    client.get(reverse("network:inbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("network:inbox"))
    receive(20)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("network:inbox"))
    assert response.content.decode().count("Message ") >= 22


def test_member_who_shares_nothing_cannot_be_contacted(client, site, sender):
    private = network_member(visibility={})
    response = send(client, sender, private)
    assert response.status_code == 404
    assert client.get(contact_url(private)).status_code == 404
    assert not MemberMessage.objects.exists()


@pytest.mark.parametrize("category", ["", MemberCategory.OBSERVER])
def test_members_outside_the_network_cannot_contact(client, site, recipient, member_of, category):
    outsider = member_of(category)
    response = send(client, outsider, recipient)
    page = response.content.decode()
    assert response.status_code == 200
    assert "open to active, civilian and honorary members" in page
    assert "Grace" not in page
    assert not MemberMessage.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, site, recipient):
    response = client.post(contact_url(recipient), {"body": "Hello"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not MemberMessage.objects.exists()


def test_members_cannot_write_to_themselves(client, site, sender):
    assert send(client, sender, sender).status_code == 404


def test_empty_or_overlong_message_is_refused_and_text_kept(client, site, sender, recipient, mailoutbox):
    response = send(client, sender, recipient, body="   ")
    assert (
        "Please write a message." in response.content.decode() or "This field is required." in response.content.decode()
    )
    long_text = "Dear colleague " + "x" * 3000
    response = send(client, sender, recipient, body=long_text)
    page = response.content.decode()
    assert "Ensure this value has at most 3000 characters" in page
    assert long_text in page
    assert not MemberMessage.objects.exists()
    assert mailoutbox == []


def test_rate_limit_stops_the_eleventh_message_in_an_hour_and_keeps_the_text(client, site, sender, mailoutbox):
    recipients = [network_member() for _ in range(messaging.MESSAGES_PER_HOUR + 1)]
    for recipient in recipients[:-1]:
        assert send(client, sender, recipient).status_code == 302
    response = send(client, sender, recipients[-1], body="One message too many")
    page = response.content.decode()
    assert response.status_code == 429
    assert "the most allowed" in page
    assert "One message too many" in page
    assert MemberMessage.objects.count() == messaging.MESSAGES_PER_HOUR
    assert not MemberMessage.objects.filter(recipient=recipients[-1]).exists()


def test_replies_count_towards_the_rate_limit(site, sender, recipient):
    first = messaging.send_member_message(recipient, sender, body="Hello")
    for _ in range(messaging.MESSAGES_PER_HOUR):
        messaging.reply_to_message(first, sender=sender, body="Again")
    with pytest.raises(messaging.MessageRateLimited):
        messaging.reply_to_message(first, sender=sender, body="Once more")


def test_directory_entry_and_profile_offer_to_contact(client, site, sender, recipient):
    client.force_login(sender.user)
    assert contact_url(recipient) in client.get("/en/members/directory/").content.decode()
    assert (
        contact_url(recipient)
        in client.get(reverse("network:member_profile", args=[recipient.public_id])).content.decode()
    )
