"""Who may see and change campaigns, stated in the access levels and staff roles of network.permissions."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from campaigns.choices import CampaignVisibility
from network.choices import AccessLevel
from network.permissions import CONTENT_EDITOR_ROLES, User_, can_edit_content, has_access_level

# Editors keep campaigns, targets, recorded values and statistic series current; administrators may too.
CAMPAIGN_EDITOR_ROLES = CONTENT_EDITOR_ROLES


def can_manage_campaigns(user: User_) -> bool:
    return can_edit_content(user)


def check_can_manage_campaigns(user: User_) -> None:
    if not can_manage_campaigns(user):
        raise PermissionDenied


def can_view_campaign(user: User_, campaign) -> bool:
    """Public campaigns for everyone; members-only ones for admitted members (observers included) and editors."""
    if campaign is None:
        return False
    if campaign.visibility == CampaignVisibility.PUBLIC:
        return True
    return has_access_level(user, AccessLevel.MEMBERS) or can_manage_campaigns(user)


def filter_campaigns_for_user(user: User_, campaigns: QuerySet) -> QuerySet:
    if has_access_level(user, AccessLevel.MEMBERS) or can_manage_campaigns(user):
        return campaigns
    return campaigns.filter(visibility=CampaignVisibility.PUBLIC)


def can_log_advocacy(user: User_) -> bool:
    """Any admitted member (all four categories, lapsed included) logs their advocacy actions."""
    return has_access_level(user, AccessLevel.MEMBERS)


def check_can_log_advocacy(user: User_) -> None:
    if not can_log_advocacy(user):
        raise PermissionDenied


def can_join_campaign_contributors(user: User_, campaign) -> bool:
    """Admitted members may list themselves among the contributors of a campaign they can see."""
    return has_access_level(user, AccessLevel.MEMBERS) and can_view_campaign(user, campaign)
