"""Every write to membership data goes through these functions, one module per domain."""

from network.services.accounts import (
    ensure_member_profile,
    ensure_staff_groups,
    share_profile_with_network,
    update_member_profile,
)
from network.services.audit import record_audit
from network.services.email import MAX_EMAIL_ATTEMPTS, deliver_queued_email, queue_email, queue_emails

__all__ = [
    "MAX_EMAIL_ATTEMPTS",
    "deliver_queued_email",
    "ensure_member_profile",
    "ensure_staff_groups",
    "queue_email",
    "queue_emails",
    "record_audit",
    "share_profile_with_network",
    "update_member_profile",
]
