"""Replies by email, end to end: a message that comes back to a `reply+<token>@` address becomes a post, or
an explanation goes back to whoever sent it (a "bounce", with what she wrote, so that nothing is lost).

Mail arrives from anywhere, so every step refuses rather than trusts: the token must be one we issued, the
sender must be the member the token names (her account address or a verified one), and the post goes
through the same service and checks as one written on the site. A bounce never shows the topic (its title,
its posts): the sender may not be the member. Messages are kept by Message-ID, so a mail server or webhook
delivering one twice posts it once; and nothing sent by a program (auto-replies, bounces, list mail) is ever
answered, so two robots cannot write to each other forever.
"""

import hashlib
import logging
import re
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from forums import permissions
from forums.inbound import BadReplyToken, InboundMessage, parse_inbound_message, read_reply_token
from forums.models import InboundEmail, Post, Topic
from forums.services import reply_to_topic
from network.models import User

logger = logging.getLogger(__name__)

# What a bounce quotes of her text (a post may be longer; the rest is in her sent mail).
QUOTED_CHARS = 2000
MESSAGE_ID_MAX_LENGTH = 255
# At most this many bounces to one address a day: a forged sender or a broken mail client must not turn the
# site into a source of backscatter. What is over the limit is still recorded (InboundEmail.outcome).
BOUNCES_PER_ADDRESS_PER_DAY = 10
# Message-IDs are kept this long to recognise a message delivered twice; older rows are purged daily.
INBOUND_EMAIL_KEEP_DAYS = 30
_MESSAGE_ID_RE = re.compile(r"<[^<>\s]{1,250}>")

# Outcome reasons: short codes for logs, InboundEmail.outcome and the webhook's answer, which tell a mail
# server nothing about the member or the topic. The member reads the sentence in her bounce.
POSTED = "posted"
DUPLICATE = "duplicate"
AUTOMATIC = "automatic"
UNREADABLE = "unreadable"
NOT_A_REPLY_ADDRESS = "no_token"
INVALID_REPLY_ADDRESS = "bad_token"
WRONG_SENDER = "wrong_sender"
TOPIC_GONE = "topic_gone"
EMPTY = "empty"
REFUSED = "refused"
NO_ACCESS = "no_access"


@dataclass(frozen=True)
class ReplyOutcome:
    accepted: bool
    post: Post | None = None
    reason: str = ""


def receive_reply_email(raw: bytes) -> ReplyOutcome:
    """Post the new text of an emailed reply, or bounce it to its sender with the reason.

    Side effects: an InboundEmail row (once per Message-ID), a post through `reply_to_topic` (notifications
    queued on commit), or a bounce email queued on commit. A message seen before does nothing again.
    """
    try:
        message = parse_inbound_message(raw)
    except Exception:  # noqa: BLE001 - mail from anywhere: an unparsable message is refused, never a crash
        logger.warning("Inbound email of %s bytes could not be parsed", len(raw), exc_info=True)
        return ReplyOutcome(accepted=False, reason=UNREADABLE)
    key = _message_key(message, raw)
    with transaction.atomic():
        # Claim the Message-ID first: a second delivery running at the same time waits on the unique index
        # until this transaction ends, then finds the row and stops.
        try:
            with transaction.atomic():
                record = InboundEmail.objects.create(message_id=key)
        except IntegrityError:
            previous = InboundEmail.objects.select_related("post").filter(message_id=key).first()
            post = previous.post if previous else None
            return ReplyOutcome(accepted=post is not None, post=post, reason=DUPLICATE)
        outcome = _handle(message)
        record.outcome, record.post = outcome.reason, outcome.post
        record.save(update_fields=["outcome", "post"])
    logger.info(
        "Inbound email %s: %s%s", record.pk, outcome.reason, f" (post {outcome.post.pk})" if outcome.post else ""
    )
    return outcome


def _message_key(message: InboundMessage, raw: bytes) -> str:
    """The Message-ID; a digest of the message when it has none (an exact resend is still recognised)."""
    message_id = message.message_id.strip()
    if message_id and len(message_id) <= MESSAGE_ID_MAX_LENGTH:
        return message_id
    source = message_id.encode("utf-8", "replace") if message_id else raw
    return "sha256:" + hashlib.sha256(source).hexdigest()


def _handle(message: InboundMessage) -> ReplyOutcome:
    if message.auto_submitted:
        # No bounce: answering an auto-reply or a bounce is how mail loops start.
        return ReplyOutcome(accepted=False, reason=AUTOMATIC)
    if not message.token:
        return _bounce(
            message,
            NOT_A_REPLY_ADDRESS,
            _("It was not sent to the reply address of a topic. Reply to a forum notification, keeping its address."),
        )
    try:
        user_id, topic_id = read_reply_token(message.token)
    except BadReplyToken as error:
        return _bounce(message, INVALID_REPLY_ADDRESS, str(error))
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return _bounce(message, INVALID_REPLY_ADDRESS, _("This reply address is not valid."))
    if not _is_her_address(user, message.sender):
        # Said without naming the member or the topic: whoever sent it may have found the address anywhere.
        return _bounce(
            message,
            WRONG_SENDER,
            _(
                "It was sent from an address that is not yours. Reply from the address your notifications "
                "go to, or add this address to your account and verify it."
            ),
        )
    # From here on the sender is the member: she reads the reason in her own language.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return _post_reply(message, user, topic_id)


def _post_reply(message: InboundMessage, user: User, topic_id: int) -> ReplyOutcome:
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        return _bounce(message, TOPIC_GONE, _("The topic you replied to no longer exists."))
    if not message.new_text.strip():
        return _bounce(
            message,
            EMPTY,
            _("We found no new text above the quoted message. Write your reply at the top of the email."),
        )
    if not permissions.can_read_topic(user, topic):
        # Said plainly here (the service's refusal is worded for the site's forms): her access has ended.
        return _bounce(
            message,
            NO_ACCESS,
            _("You no longer have access to this topic (your Community of Practice access may have ended)."),
        )
    try:
        post = reply_to_topic(author=user, topic=topic, body=message.new_text, via_email=True)
    except PermissionDenied:
        return _bounce(message, NO_ACCESS, _("You can no longer read this topic, so you cannot reply to it."))
    except ValidationError as error:  # ForumError: locked topic, suspension, lost access, length, rate…
        return _bounce(message, REFUSED, " ".join(error.messages))
    return ReplyOutcome(accepted=True, post=post, reason=POSTED)


def _is_her_address(user: User, sender: str) -> bool:
    sender = (sender or "").strip().lower()
    if not sender:
        return False
    if user.email and user.email.strip().lower() == sender:
        return True
    return EmailAddress.objects.filter(user=user, verified=True, email__iexact=sender).exists()


def _bounce(message: InboundMessage, reason: str, explanation: str) -> ReplyOutcome:
    _send_bounce(message, explanation)
    return ReplyOutcome(accepted=False, reason=reason)


def _may_bounce_to(address: str) -> bool:
    """Count one more bounce to this address today; False once the day's allowance is spent."""
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
    key = f"forums:bounces:{digest}"
    cache.add(key, 0, timeout=24 * 3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=24 * 3600)
        sent = 1
    return sent <= BOUNCES_PER_ADDRESS_PER_DAY


def purge_inbound_emails() -> int:
    """Forget the Message-IDs of replies received more than INBOUND_EMAIL_KEEP_DAYS ago; returns how many."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(days=INBOUND_EMAIL_KEEP_DAYS)
    deleted, _rows = InboundEmail.objects.filter(received_at__lt=cutoff).delete()
    return deleted


def _send_bounce(message: InboundMessage, explanation: str) -> None:
    """Why the reply was not posted, and what she wrote, to the sender; queued on commit like every email.

    The context holds only what the sender herself sent (her subject and text) and the reason: never the
    topic, its posts or the member the address belongs to."""
    try:
        validate_email(message.sender)
    except ValidationError:
        logger.info("No bounce for an inbound email without a usable sender address")
        return
    if not _may_bounce_to(message.sender):
        logger.warning("No bounce: %d already sent to this address today", BOUNCES_PER_ADDRESS_PER_DAY)
        return
    text = message.new_text.strip()
    context = {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "explanation": explanation,
        "subject": " ".join(message.subject.split())[:150],
        "quoted": text[:QUOTED_CHARS],
        "omitted": max(len(text) - QUOTED_CHARS, 0),
    }
    subject = " ".join(render_to_string("forums/email/bounce_subject.txt", context).split())
    body = render_to_string("forums/email/bounce_body.txt", context)
    # RFC 3834: an automatic answer says so, so that the sender's own robots never answer it back; Outlook
    # and Exchange read X-Auto-Response-Suppress instead.
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if _MESSAGE_ID_RE.fullmatch(message.message_id):
        headers["In-Reply-To"] = headers["References"] = message.message_id
    EmailMessage(subject, body, to=[message.sender], headers=headers).send()
