import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import Collection

from network import permissions
from network.choices import AccessLevel, CommunityAccessState, MemberCategory, StaffRole, Visibility
from network.models import CommunityAccessRequest, Member

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


# --- restricted objects (django-guardian grants) ---


@pytest.fixture
def working_group_collections(db):
    root = Collection.get_first_root_node()
    return root.add_child(name="Working group on gender"), root.add_child(name="Trainers' kit")


def _with_community_access(member):
    CommunityAccessRequest.objects.create(member=member, motivation="Share.", state=CommunityAccessState.APPROVED)
    return member


def test_object_grant_opens_only_that_object_and_only_at_the_required_level(member_of, working_group_collections):
    from network.services.staff import grant_object_permission
    from tests.factories.staff import make_staff

    administrator = make_staff(StaffRole.ADMINISTRATOR)
    group_work, trainers_kit = working_group_collections
    granted = _with_community_access(member_of(MemberCategory.ACTIVE))
    ungranted = _with_community_access(member_of(MemberCategory.CIVILIAN))
    observer = member_of(MemberCategory.OBSERVER)
    perm = "wagtailcore.view_collection"
    for member in (granted, observer):
        grant_object_permission(member.user, perm, group_work, actor=administrator, reason="Working group.")

    assert permissions.can_access_object(granted.user, perm, group_work)
    assert not permissions.can_access_object(granted.user, perm, trainers_kit)
    assert not permissions.can_access_object(ungranted.user, perm, group_work)
    # A grant does not lift an observer to the Community of Practice.
    assert not permissions.can_access_object(observer.user, perm, group_work)
    assert not permissions.can_access_object(AnonymousUser(), perm, group_work)
    collections = Collection.objects.filter(pk__in=[group_work.pk, trainers_kit.pk])
    assert list(permissions.filter_objects_for_user(granted.user, perm, collections)) == [group_work]
    for nobody in (ungranted.user, observer.user, AnonymousUser()):
        assert not permissions.filter_objects_for_user(nobody, perm, collections).exists()
    with pytest.raises(PermissionDenied):
        permissions.check_can_access_object(ungranted.user, perm, group_work)


def test_model_wide_permission_is_not_an_object_grant(member_of, working_group_collections):
    group_work, _kit = working_group_collections
    member = _with_community_access(member_of(MemberCategory.ACTIVE))
    member.user.user_permissions.add(Permission.objects.get(codename="view_collection"))
    assert not permissions.can_access_object(member.user, "wagtailcore.view_collection", group_work)


def test_group_grant_reaches_its_members_and_closes_when_membership_lapses(member_of, working_group_collections):
    from network.services.staff import grant_object_permission
    from tests.factories.staff import make_staff

    group_work, _kit = working_group_collections
    trainers = Group.objects.create(name="Trainers")
    grant_object_permission(
        trainers, "wagtailcore.view_collection", group_work, actor=make_staff(StaffRole.ADMINISTRATOR), reason="Kit."
    )
    member = _with_community_access(member_of(MemberCategory.HONORARY))
    member.user.groups.add(trainers)
    assert permissions.can_access_object(member.user, "wagtailcore.view_collection", group_work)
    member.membership_expires_on = timezone.localdate() - datetime.timedelta(days=1)
    member.save()
    user = type(member.user).objects.get(pk=member.user.pk)  # a fresh request
    assert not permissions.can_access_object(user, "wagtailcore.view_collection", group_work)


@pytest.mark.parametrize("category", sorted(permissions.NETWORK_CATEGORIES))
def test_directory_columns_follow_what_network_members_may_see(member_of, category):
    """The `network_sees_*` columns assume directory users see fields shared with the network or all members."""
    viewer = member_of(category)
    assert set(permissions.shared_audiences(viewer.user)) == {Visibility.NETWORK, Visibility.MEMBERS}
    owner = member_of(MemberCategory.ACTIVE, visibility={"country": Visibility.MEMBERS, "rank": Visibility.PRIVATE})
    owner.refresh_from_db()
    assert owner.network_sees_country and owner.network_sees_any
    assert not owner.network_sees_languages
    owner.visibility = {"country": Visibility.PRIVATE}
    owner.save()
    owner.refresh_from_db()
    assert not owner.network_sees_any
