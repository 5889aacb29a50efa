from network.models.accounts import (
    ExpertiseArea,
    Language,
    Member,
    Mission,
    MissionService,
    User,
    UserManager,
    member_photo_path,
    private_storage,
)
from network.models.audit import AuditEntry
from network.models.community import CommunityAccessRequest, CommunityEndorsement
from network.models.email import OutboundEmail
from network.models.imports import MemberImport
from network.models.membership import CategoryChange, ConsentRecord, MembershipApplication, RenewalReminder
from network.models.messaging import MemberMessage
from network.models.notifications import DigestCursor, Notification

__all__ = [
    "AuditEntry",
    "CategoryChange",
    "CommunityAccessRequest",
    "CommunityEndorsement",
    "ConsentRecord",
    "ExpertiseArea",
    "Language",
    "Member",
    "MemberImport",
    "MemberMessage",
    "MembershipApplication",
    "Mission",
    "MissionService",
    "DigestCursor",
    "Notification",
    "OutboundEmail",
    "RenewalReminder",
    "User",
    "UserManager",
    "member_photo_path",
    "private_storage",
]
