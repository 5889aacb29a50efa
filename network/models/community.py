from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.choices import CommunityAccessState

OPEN_COMMUNITY_STATES = (CommunityAccessState.PENDING, CommunityAccessState.APPROVED)


class CommunityAccessRequest(models.Model):
    """A member's request to enter the Community of Practice; once approved it is their access."""

    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="community_requests")
    motivation = models.TextField(_("why you would like to join"), max_length=2000)
    state = models.CharField(max_length=20, choices=CommunityAccessState.choices, default=CommunityAccessState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    review_on = models.DateField(
        _("review date"), null=True, blank=True, help_text=_("Access lapses on this date unless renewed.")
    )
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Community of Practice access request")
        verbose_name_plural = _("Community of Practice access requests")
        indexes = [models.Index(fields=["state", "review_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=OPEN_COMMUNITY_STATES),
                name="one_open_community_request_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_state_display()}"


class CommunityEndorsement(models.Model):
    request = models.ForeignKey(CommunityAccessRequest, on_delete=models.CASCADE, related_name="endorsements")
    endorser = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="endorsements_given")
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "endorser"], name="one_endorsement_per_member")]

    def __str__(self) -> str:
        return f"{self.endorser} endorses {self.request}"
