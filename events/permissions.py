"""Who may see, register for and run trainings and events, stated in the access levels and staff roles of
network.permissions (the only place that knows member categories).

- A course or event page is seen from its access level up (and its index page's), like every page.
- A session is open for registration from its `min_access_level` up (members by default).
- The online link, and materials meant for participants, are for registered participants only.
- Training organisers (and administrators) run every session: registrations, approvals, attendance,
  messages and reports, on their own pages; the public pages show them what their membership allows.
- A member's training record is shown on her profile to the audience she chose (private by default).
"""

from django.core.exceptions import PermissionDenied

from events.choices import MaterialAudience, RegistrationState
from network.choices import AccessLevel, StaffRole
from network.permissions import User_, access_level, can_view_member_record, has_access_level, has_staff_role

ORGANISER_ROLES = (StaffRole.TRAINING_ORGANISER, StaffRole.ADMINISTRATOR)
TRAINING_RECORD = "training_record"


def is_organiser(user: User_) -> bool:
    return any(has_staff_role(user, role) for role in ORGANISER_ROLES)


def check_is_organiser(user: User_) -> None:
    if not is_organiser(user):
        raise PermissionDenied


def viewer_level(user: User_) -> int:
    """The highest page level this person may see, as for every page (cms/wagtail_hooks.py): staff roles lift
    no one above their membership; organisers reach every session through their own pages."""
    return access_level(user)


def page_level(page) -> int:
    """The level of an event page and of its index page (the parent its queries carry as `index_level`)."""
    index_level = getattr(page, "index_level", None)
    if index_level is None:
        parent = page.get_parent()
        index_level = getattr(parent.specific, "access_level", AccessLevel.PUBLIC) if parent else AccessLevel.PUBLIC
    return max(page.access_level, index_level or AccessLevel.PUBLIC)


def can_view_event(user: User_, page) -> bool:
    return page.live and viewer_level(user) >= page_level(page)


def may_register_by_level(user: User_, session) -> bool:
    return user.is_authenticated and has_access_level(user, AccessLevel(session.min_access_level))


def can_see_online_link(user: User_, registration) -> bool:
    """The link is for participants with a seat (and the organisers)."""
    if is_organiser(user):
        return True
    return registration is not None and registration.state == RegistrationState.REGISTERED


def can_see_material(user: User_, material, registration) -> bool:
    if material.audience == MaterialAudience.VISITORS:
        return True
    return can_see_online_link(user, registration)


def can_view_letter(user: User_, registration) -> bool:
    return user.is_authenticated and (registration.user_id == user.pk or is_organiser(user))


def can_view_certificate(user: User_, registration) -> bool:
    return (
        user.is_authenticated
        and registration.attended is True
        and bool(registration.certificate_code)
        and (registration.user_id == user.pk or is_organiser(user))
    )


def can_view_training_record(viewer: User_, member) -> bool:
    return can_view_member_record(viewer, member, TRAINING_RECORD)
