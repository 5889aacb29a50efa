"""Staff accounts and membership data for tests, made as the admin would find them."""

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from network.choices import ApplicationState, MemberCategory, StaffRole
from network.models import MembershipApplication, Mission
from network.services import ensure_staff_groups
from tests.factories import MemberFactory, UserFactory


def make_staff(role: StaffRole | None = None, *, superuser: bool = False, mfa: bool = True, **user_fields):
    """A user with a staff role (or a superuser) and, by default, an authenticator app enrolled.

    Staff need a second factor before /admin/ opens (network/middleware.py).
    """
    user = UserFactory(is_superuser=superuser, is_staff=superuser, **user_fields)
    MemberFactory(user=user)
    if role is not None:
        # A transactional test before this one flushes the groups away (post_migrate re-creates them only
        # partly, see network/apps.py), so make sure they are there.
        ensure_staff_groups()
        user.groups.add(Group.objects.get(name=StaffRole(role).value))
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    return user


def any_mission() -> Mission:
    return Mission.objects.order_by("pk").first()


EVIDENCE = {
    MemberCategory.ACTIVE: lambda: {
        "police_service": "Rwanda National Police",
        "rank": "Superintendent",
        "mission": any_mission(),
        "mission_start_year": 2018,
        "mission_end_year": 2021,
    },
    MemberCategory.CIVILIAN: lambda: {"organisation": "UN Police Division", "role": "Gender adviser"},
    MemberCategory.HONORARY: lambda: {
        "nominator_name": "Ingrid Larsen",
        "nomination_reason": "Thirty years of service.",
    },
    MemberCategory.OBSERVER: lambda: {"organisation": "Police academy", "interest": "Research on deployment."},
}


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application as submitted (bypassing the service: use it only to set up state)."""

    class Meta:
        model = MembershipApplication

    user = factory.SubFactory(UserFactory)
    category = MemberCategory.OBSERVER
    state = ApplicationState.SUBMITTED
    organisation = "Police academy"
    interest = "Research on deployment."


def is_refused(response) -> bool:
    """Refused by the admin: Wagtail turns PermissionDenied into a redirect to its dashboard (with a message),
    people without admin access are sent to the login page, other views answer 403."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (location == "/admin/" or "/accounts/login/" in location)
