from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberMessage(models.Model):
    """A message sent through the platform; neither side's email address is ever shown to the other."""

    sender = models.ForeignKey("network.Member", null=True, on_delete=models.SET_NULL, related_name="sent_messages")
    recipient = models.ForeignKey(
        "network.Member", null=True, on_delete=models.SET_NULL, related_name="received_messages"
    )
    in_reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    body = models.TextField(_("message"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "created_at"]), models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"
