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
            # The digests: pending notifications of one delivery.
            models.Index(fields=["delivery", "email_state"], name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient_id}"
