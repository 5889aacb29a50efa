"""Who may do what in the mentoring programme, in the access levels and staff roles of network.permissions.

- Network members (active, civilian and honorary, membership current) enrol, request and take part; others
  are told why not.
- Mentoring coordinators (and administrators) run programmes, matching and reports: metadata only.
- A mentorship's page is its pair's alone; the private meeting notes need, on top, the `view_pair_notes`
  grant on the mentorship (django-guardian), given to both when the request is accepted. Coordinators and
  administrators never read them: being one of the pair is required whatever the grants.
"""

from django.core.exceptions import PermissionDenied

from network.choices import AccessLevel, StaffRole
from network.permissions import User_, can_access_object, has_access_level, has_staff_role

NOTES_PERM = "mentoring.view_pair_notes"


def can_use_mentoring(user: User_) -> bool:
    return has_access_level(user, AccessLevel.NETWORK)


def check_can_use_mentoring(user: User_) -> None:
    if not can_use_mentoring(user):
        raise PermissionDenied


def can_coordinate(user: User_) -> bool:
    return has_staff_role(user, StaffRole.MENTORING_COORDINATOR) or has_staff_role(user, StaffRole.ADMINISTRATOR)


def check_can_coordinate(user: User_) -> None:
    if not can_coordinate(user):
        raise PermissionDenied


def can_view_mentorship(user: User_, mentorship) -> bool:
    return can_use_mentoring(user) and mentorship.is_party(user)


def can_read_pair_notes(user: User_, mentorship) -> bool:
    return mentorship.is_party(user) and can_access_object(user, NOTES_PERM, mentorship, level=AccessLevel.NETWORK)


def is_mentor_of(user: User_, mentorship) -> bool:
    return user.is_authenticated and mentorship.mentor.member.user_id == user.pk


def is_mentee_of(user: User_, mentorship) -> bool:
    return user.is_authenticated and mentorship.mentee.member.user_id == user.pk


COORDINATOR_ROLES = (StaffRole.MENTORING_COORDINATOR, StaffRole.ADMINISTRATOR)


def coordinator_candidates():
    """The active accounts holding a role that may coordinate a programme (for the programme form)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name__in=[role.value for role in COORDINATOR_ROLES], is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def users_who_may_coordinate():
    """Everyone can_coordinate() lets in (the roles above, and superusers), for Wagtail's policy."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    roles = [role.value for role in COORDINATOR_ROLES]
    return get_user_model().objects.filter(Q(groups__name__in=roles) | Q(is_superuser=True), is_active=True).distinct()
