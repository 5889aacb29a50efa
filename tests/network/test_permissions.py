import pytest
from django.contrib.auth.models import AnonymousUser

from network import permissions
from network.choices import AccessLevel, MemberCategory, Visibility
from network.models import Member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "level"),
    [
        ("", AccessLevel.PUBLIC),
        (MemberCategory.OBSERVER, AccessLevel.MEMBERS),
        (MemberCategory.ACTIVE, AccessLevel.NETWORK),
        (MemberCategory.CIVILIAN, AccessLevel.NETWORK),
        (MemberCategory.HONORARY, AccessLevel.NETWORK),
    ],
)
def test_access_level_follows_member_category(member_of, category, level):
    assert permissions.access_level(member_of(category).user) == level


def test_anonymous_visitor_has_public_level_only():
    assert permissions.access_level(AnonymousUser()) == AccessLevel.PUBLIC
    assert not permissions.can_view_directory(AnonymousUser())


@pytest.mark.parametrize(
    ("category", "allowed"),
    [("", False), ("observer", False), ("active", True), ("civilian", True), ("honorary", True)],
)
def test_only_active_civilian_and_honorary_members_may_view_directory(member_of, category, allowed):
    assert permissions.can_view_directory(member_of(category).user) is allowed


def test_new_profile_shares_nothing_with_anyone(member_of):
    owner = member_of(MemberCategory.ACTIVE)
    colleague = member_of(MemberCategory.ACTIVE)
    assert permissions.visible_member_fields(colleague.user, owner) == frozenset()
    assert not permissions.can_view_profile(colleague.user, owner)
    assert permissions.can_view_profile(owner.user, owner)


def test_field_shared_with_network_is_hidden_from_observers(member_of):
    owner = member_of(MemberCategory.ACTIVE, visibility={"country": Visibility.NETWORK})
    assert permissions.can_view_member_field(member_of(MemberCategory.CIVILIAN).user, owner, "country")
    assert not permissions.can_view_member_field(member_of(MemberCategory.OBSERVER).user, owner, "country")
    assert not permissions.can_view_member_field(AnonymousUser(), owner, "country")


def test_field_shared_with_all_members_reaches_observers_but_not_applicants(member_of):
    owner = member_of(MemberCategory.HONORARY, visibility={"bio": Visibility.MEMBERS})
    assert permissions.can_view_member_field(member_of(MemberCategory.OBSERVER).user, owner, "bio")
    assert not permissions.can_view_member_field(member_of("").user, owner, "bio")


def test_unknown_visibility_value_counts_as_private(member_of):
    owner = member_of(MemberCategory.ACTIVE, visibility={"rank": "everyone"})
    assert not permissions.can_view_member_field(member_of(MemberCategory.ACTIVE).user, owner, "rank")


def test_filter_members_for_user_returns_only_profiles_sharing_something(member_of):
    sharing = member_of(MemberCategory.ACTIVE, visibility={"rank": Visibility.NETWORK})
    members_only = member_of(MemberCategory.CIVILIAN, visibility={"bio": Visibility.MEMBERS})
    member_of(MemberCategory.CIVILIAN)  # private profile
    viewer = member_of(MemberCategory.ACTIVE)
    observer = member_of(MemberCategory.OBSERVER)

    assert set(permissions.filter_members_for_user(viewer.user, Member.objects.all())) == {
        sharing,
        members_only,
        viewer,
    }
    assert set(permissions.filter_members_for_user(observer.user, Member.objects.all())) == {members_only, observer}
    assert not permissions.filter_members_for_user(AnonymousUser(), Member.objects.all()).exists()


def test_staff_must_use_two_factor_authentication(member_of):
    staff = member_of("").user
    staff.is_staff = True
    staff.save()
    assert permissions.requires_mfa(staff)
    assert permissions.must_enrol_mfa(staff)
    assert not permissions.requires_mfa(member_of(MemberCategory.ACTIVE).user)
