from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.choices import ApplicationState, ConsentKind, MemberCategory

OPEN_APPLICATION_STATES = (ApplicationState.SUBMITTED, ApplicationState.MORE_INFO)


class MembershipApplication(models.Model):
    """A request to join the network in one category, with the evidence that category needs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_applications")
    category = models.CharField(_("category"), max_length=20, choices=MemberCategory.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED
    )
    # Evidence; which fields are required depends on the category (see network/forms.py).
    police_service = models.CharField(_("police service"), max_length=200, blank=True)
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    mission = models.ForeignKey(
        "network.Mission", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("current or last UN mission")
    )
    mission_start_year = models.PositiveSmallIntegerField(_("mission from (year)"), null=True, blank=True)
    mission_end_year = models.PositiveSmallIntegerField(_("mission to (year)"), null=True, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    nominator_name = models.CharField(_("nominated by"), max_length=200, blank=True)
    nomination_reason = models.TextField(_("reason for the nomination"), max_length=2000, blank=True)
    interest = models.TextField(_("interest in the network"), max_length=2000, blank=True)
    statement = models.TextField(_("anything else"), max_length=2000, blank=True)
    info_request = models.TextField(_("information requested"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["state", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state__in=OPEN_APPLICATION_STATES),
                name="one_open_application_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_category_display()} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_APPLICATION_STATES


class CategoryChange(models.Model):
    """History of a member's category: every admission and later change, with who and why."""

    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="category_changes")
    from_category = models.CharField(max_length=20, choices=MemberCategory.choices, blank=True)
    to_category = models.CharField(max_length=20, choices=MemberCategory.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("category change")
        verbose_name_plural = _("category changes")

    def __str__(self) -> str:
        return f"{self.member}: {self.from_category or '—'} → {self.to_category or '—'}"


class RenewalReminder(models.Model):
    """One renewal reminder sent; the unique key makes the daily reminder task safe to run twice."""

    member = models.ForeignKey("network.Member", on_delete=models.CASCADE, related_name="renewal_reminders")
    expires_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "expires_on", "days_before"], name="one_reminder_per_expiry_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.days_before} days before {self.expires_on}"


class ConsentRecord(models.Model):
    """A consent given (and possibly withdrawn) by a person, with the version of the text they agreed to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.CharField(max_length=40)
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} v{self.version}"
