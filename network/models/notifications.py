from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.choices import Delivery, NotificationEmailState


class Notification(models.Model):
    """Something that happened for one person (a reply in a topic she follows, a new training session...).

    Posted by any app through `network.notifications.notify`; shown on her notifications page and, as her
    `delivery` says, emailed at once or in a digest. `event_key` names the event, so that one event notifies
    each person once however many times its service runs.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    event_key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    # A site-relative path ("/en/forums/topic/40/#post-7"); emails make it absolute.
    url = models.CharField(max_length=500)
    # What visible_targets of the kind is asked about at send time (a topic id, a session id); may be empty.
    target_id = models.CharField(max_length=100, blank=True)
    unsubscribe_scope = models.CharField(max_length=100, blank=True)
    reply_to = models.CharField(max_length=320, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=10, choices=NotificationEmailState.choices, default=NotificationEmailState.PENDING
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event"),
        ]
        indexes = [
            # The header's unread count on every signed-in page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The digests: one recipient's notifications of one delivery after her digest cursor.
            models.Index(fields=["recipient", "delivery", "id"], name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient_id}"


class DigestCursor(models.Model):
    """How far one person's daily (or weekly) digests have gone: every notification of that delivery with an
    id up to `sent_through_id` went out in a digest (or was left out, its target no longer hers to read).

    Like Discourse's per-user digest timestamp, a digest run writes one row per recipient, not one per
    notification: a day of 500 posts for 2,000 members is 2,000 small updates instead of a million.
    `has_pending` lists who has something waiting without scanning the notifications. `notify` locks this
    row before it inserts a digest notification and the digest locks it before it reads them, so no
    notification can get an id below the cursor after the digest has read past it.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_cursors")
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    sent_through_id = models.BigIntegerField(default=0)
    has_pending = models.BooleanField(default=False)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "delivery"], name="digest_cursor_once_per_delivery"),
        ]
        indexes = [
            models.Index(
                fields=["delivery", "recipient"], name="digest_cursor_pending", condition=models.Q(has_pending=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery} digest of {self.recipient_id} through {self.sent_through_id}"
