"""The one map from member category and staff role to what a person may do.

Views and templates ask these functions; nothing else branches on a member's category.
`can_*` answer yes or no, `check_*` raise, `filter_*` narrow querysets.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from network.choices import AccessLevel, CommunityAccessState, MemberCategory, StaffRole, Visibility
from network.models import CommunityAccessRequest, Member, User

# Active, civilian and honorary members form "the network"; observers are members but not in it.
NETWORK_CATEGORIES = frozenset({MemberCategory.ACTIVE, MemberCategory.CIVILIAN, MemberCategory.HONORARY})

# The access level each audience choice requires of the viewer.
VISIBILITY_REQUIRES = {
    Visibility.MEMBERS: AccessLevel.MEMBERS,
    Visibility.NETWORK: AccessLevel.NETWORK,
}

User_ = User | AnonymousUser


def get_member(user: User_) -> Member | None:
    if not user.is_authenticated:
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


def membership_is_current(member: Member) -> bool:
    return member.membership_expires_on is None or member.membership_expires_on >= timezone.localdate()


def has_community_access(member: Member) -> bool:
    """An approved Community of Practice request whose review date has not passed."""
    # Cached on the instance: a page asks several times.
    if not hasattr(member, "_has_community_access"):
        today = timezone.localdate()
        member._has_community_access = (
            CommunityAccessRequest.objects.filter(member=member, state=CommunityAccessState.APPROVED)
            .filter(Q(review_on__isnull=True) | Q(review_on__gt=today))
            .exists()
        )
    return member._has_community_access


def access_level(user: User_) -> AccessLevel:
    """The highest access level the user holds.

    Observers stay at "members"; a lapsed membership drops to "members" until renewed, and the
    Community of Practice needs, on top of a network category, an approved access request.
    """
    member = get_member(user)
    if member is None or not member.category:
        return AccessLevel.PUBLIC
    if member.category not in NETWORK_CATEGORIES or not membership_is_current(member):
        return AccessLevel.MEMBERS
    if has_community_access(member):
        return AccessLevel.COMMUNITY
    return AccessLevel.NETWORK


def has_access_level(user: User_, level: AccessLevel) -> bool:
    return access_level(user) >= level


def has_staff_role(user: User_, role: StaffRole) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: templates ask several times per page.
    if not hasattr(user, "_staff_role_names"):
        user._staff_role_names = set(user.groups.values_list("name", flat=True))
    return role.value in user._staff_role_names


def can_view_directory(user: User_) -> bool:
    return has_access_level(user, AccessLevel.NETWORK)


def can_enter_community(user: User_) -> bool:
    return has_access_level(user, AccessLevel.COMMUNITY)


def can_edit_profile(user: User_, member: Member) -> bool:
    return user.is_authenticated and member.user_id == user.pk


def can_view_member_field(viewer: User_, member: Member, field: str) -> bool:
    if field not in Member.VISIBLE_FIELDS:
        return False
    if can_edit_profile(viewer, member):
        return True
    required = VISIBILITY_REQUIRES.get(member.visibility_of(field))
    return required is not None and has_access_level(viewer, required)


def visible_member_fields(viewer: User_, member: Member) -> frozenset[str]:
    return frozenset(field for field in Member.VISIBLE_FIELDS if can_view_member_field(viewer, member, field))


def can_view_profile(viewer: User_, member: Member) -> bool:
    """A profile exists for a viewer only if the owner shares at least one field with them."""
    return can_edit_profile(viewer, member) or bool(visible_member_fields(viewer, member))


def check_can_view_profile(viewer: User_, member: Member) -> None:
    if not can_view_profile(viewer, member):
        raise PermissionDenied


def requires_mfa(user: User_) -> bool:
    """Staff and anyone who may open the Wagtail admin must use a second factor."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def must_enrol_mfa(user: User_) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return requires_mfa(user) and not is_mfa_enabled(user)


def filter_members_for_user(user: User_, members: QuerySet[Member]) -> QuerySet[Member]:
    """Members whose profile the user may open at all (their own, or any sharing a field with them)."""
    level = access_level(user)
    audiences = [choice for choice, required in VISIBILITY_REQUIRES.items() if level >= required]
    if not audiences:
        return members.filter(user_id=user.pk) if user.is_authenticated else members.none()
    shared = Member.objects.none()
    for field in Member.VISIBLE_FIELDS:
        shared = shared | members.filter(**{f"visibility__{field}__in": audiences})
    return shared | members.filter(user_id=user.pk)


def capabilities(user: User_) -> dict[str, bool]:
    """What the navigation and templates offer this user."""
    return {
        "view_directory": can_view_directory(user),
        "enter_community": can_enter_community(user),
        "open_admin": user.is_authenticated and user.has_perm("wagtailadmin.access_admin"),
        "is_member": has_access_level(user, AccessLevel.MEMBERS),
    }
