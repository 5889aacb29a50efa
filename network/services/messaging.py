"""Messages between members through the platform: nobody's email address is revealed to the other side."""

import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from network import permissions
from network.members_area import forget_members_area
from network.models import Member, MemberMessage
from network.services.templated_mail import absolute_url, send_templated_mail

# A member may send this many messages (new ones and replies together) per rolling hour: enough for a
# conversation, too few for anyone to spam the directory.
MESSAGES_PER_HOUR = 10
RATE_WINDOW_SECONDS = 3600


class MessageRateLimited(Exception):
    """The sender has used up their messages for the current hour."""


def _rate_key(member: Member) -> str:
    return f"member-messages:sent:{member.pk}"


def _recent_sends(member: Member, now: float) -> list[float]:
    return [stamp for stamp in cache.get(_rate_key(member), []) if stamp > now - RATE_WINDOW_SECONDS]


def message_quota_left(member: Member) -> int:
    return max(0, MESSAGES_PER_HOUR - len(_recent_sends(member, time.time())))


def _consume_message_quota(member: Member) -> None:
    # A rolling window kept in the cache (Redis in production), like allauth's own rate limits.
    now = time.time()
    sends = _recent_sends(member, now)
    if len(sends) >= MESSAGES_PER_HOUR:
        raise MessageRateLimited
    cache.set(_rate_key(member), [*sends, now], timeout=RATE_WINDOW_SECONDS)


def _notify_recipient(message: MemberMessage) -> None:
    send_templated_mail(
        "network/email/member_message",
        {
            # The display name only: never the sender's address, and no Reply-To either.
            "sender_name": message.sender.display_name,
            "body": message.body,
            "is_reply": message.in_reply_to_id is not None,
            "url": absolute_url("network:message_detail", message.pk),
        },
        to=message.recipient.user,
    )


@transaction.atomic
def send_member_message(sender: Member, recipient: Member, *, body: str) -> MemberMessage:
    """Write to a member found in the directory; emails them the text. Raises MessageRateLimited."""
    if sender.pk == recipient.pk or not permissions.can_contact_member(sender.user, recipient):
        raise PermissionDenied
    _consume_message_quota(sender)
    message = MemberMessage.objects.create(sender=sender, recipient=recipient, body=body)
    _notify_recipient(message)
    return message


@transaction.atomic
def reply_to_message(message: MemberMessage, *, sender: Member, body: str) -> MemberMessage:
    """The recipient answers; only now does the first sender hear from them (again by email, no address)."""
    if not permissions.can_reply_to_message(sender.user, message):
        raise PermissionDenied
    _consume_message_quota(sender)
    reply = MemberMessage.objects.create(sender=sender, recipient=message.sender, in_reply_to=message, body=body)
    _notify_recipient(reply)
    return reply


def mark_conversation_read(reader: Member, message: MemberMessage) -> int:
    """Mark as read what the reader received in the conversation the message belongs to."""
    counterpart_id = message.recipient_id if message.sender_id == reader.pk else message.sender_id
    # With a former member only the message opened: their messages cannot be told apart.
    same_conversation = {"pk": message.pk} if counterpart_id is None else {"sender_id": counterpart_id}
    received = MemberMessage.objects.filter(recipient=reader, read_at__isnull=True, **same_conversation)
    marked = received.update(read_at=timezone.now())
    if marked:
        # update() sends no signal: the unread count of her members' area changes here.
        forget_members_area(reader.user_id)
        reader.__dict__.pop("_unread_messages", None)
    return marked
