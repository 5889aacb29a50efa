"""Community of Practice access: requests, endorsements, decisions, review dates, lapse and revocation."""

from django.db import transaction
from django.utils import timezone

from network.choices import AuditAction, CommunityAccessState
from network.models import CommunityAccessRequest, Member, User
from network.models.community import OPEN_COMMUNITY_STATES
from network.services.audit import record_audit


@transaction.atomic
def recheck_community_access(member: Member, *, actor: User | None, reason: str) -> int:
    """Revoke open or granted community access the member's category no longer allows; returns how many."""
    from network.permissions import NETWORK_CATEGORIES

    if member.category in NETWORK_CATEGORIES:
        return 0
    revoked = 0
    for access in CommunityAccessRequest.objects.select_for_update().filter(
        member=member, state__in=OPEN_COMMUNITY_STATES
    ):
        access.state = CommunityAccessState.REVOKED
        access.ended_at = timezone.now()
        access.decision_reason = reason
        access.save(update_fields=["state", "ended_at", "decision_reason"])
        record_audit(AuditAction.COMMUNITY_REVOKED, actor=actor, subject=member.user, target=access, reason=reason)
        revoked += 1
    member.__dict__.pop("_has_community_access", None)
    return revoked
