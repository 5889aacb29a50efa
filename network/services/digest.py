"""The daily email to the staff who decide: how many applications and access requests wait for them."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from network.choices import StaffRole
from network.models import User
from network.pending_work import pending_work_items
from network.services.templated_mail import send_templated_mail

DECIDING_ROLES = (StaffRole.MEMBERSHIP_OFFICER, StaffRole.MODERATOR, StaffRole.ADMINISTRATOR)


def send_pending_work_digest() -> int:
    """Email each officer, moderator and administrator what waits for their decision; returns emails sent.

    Nothing is sent to someone with nothing waiting, and only counts and admin links are written: no member's
    name or data leaves the platform this way. A second run on the same day sends nothing more.
    """
    if not cache.add(f"network:pending-work-digest:{timezone.localdate().isoformat()}", True, 2 * 24 * 3600):
        return 0
    staff = (
        User.objects.filter(Q(groups__name__in=[role.value for role in DECIDING_ROLES]), is_active=True)
        .distinct()
        .order_by("pk")
    )
    sent = 0
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for user in staff:
        items = [
            {**item, "url": base_url + item["url"]}
            for item in pending_work_items(user)
            if item["count"] and item["url"]
        ]
        if items:
            send_templated_mail("network/email/pending_work_digest", {"user": user, "items": items}, to=user)
            sent += 1
    return sent
