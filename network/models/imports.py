from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.choices import ImportState
from network.models.accounts import get_private_storage


class MemberImport(models.Model):
    """A CSV import of existing members: checked row by row first, imported only when confirmed."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="member-imports/", storage=get_private_storage)
    original_name = models.CharField(max_length=255)
    state = models.CharField(max_length=20, choices=ImportState.choices, default=ImportState.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    # [{"row": 3, "field": "email", "message": "…"}]
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def percent_done(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
