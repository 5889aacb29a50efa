"""The audit log: one append-only entry for every access-relevant change."""

from django.db import models

from network.choices import AuditAction
from network.models import AuditEntry, User


def record_audit(
    action: AuditAction,
    *,
    actor: User | None,
    subject: User | None = None,
    target: models.Model | None = None,
    reason: str = "",
    details: dict | None = None,
) -> AuditEntry:
    """Append an audit entry. Call it inside the transaction of the change it records."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.email if actor is not None and actor.pk else "system",
        subject_user=subject,
        subject_label=subject.email if subject is not None else "",
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        reason=reason,
        details=details or {},
    )
