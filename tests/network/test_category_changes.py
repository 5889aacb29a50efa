"""Category changes: history, audit, and every community access re-checked."""

import pytest
from django.core.exceptions import PermissionDenied

from network import permissions
from network.choices import AuditAction, CommunityAccessState, MemberCategory, StaffRole
from network.models import AuditEntry, CategoryChange, CommunityAccessRequest
from network.services.membership import MembershipError, change_member_category
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_staff(StaffRole.MEMBERSHIP_OFFICER)


def with_community_access(member):
    return CommunityAccessRequest.objects.create(
        member=member, motivation="To share experience.", state=CommunityAccessState.APPROVED
    )


def test_change_is_recorded_in_history_and_audit(member_of, officer):
    member = member_of(MemberCategory.ACTIVE)
    change = change_member_category(member, MemberCategory.HONORARY, actor=officer, reason="Retired in 2024.")
    member.refresh_from_db()
    assert member.category == MemberCategory.HONORARY
    assert (change.from_category, change.to_category, change.actor, change.reason) == (
        "active",
        "honorary",
        officer,
        "Retired in 2024.",
    )
    entry = AuditEntry.objects.get(action=AuditAction.CATEGORY_CHANGED)
    assert entry.actor == officer and entry.subject_user == member.user
    assert entry.details == {"from": "active", "to": "honorary"}
    assert entry.reason == "Retired in 2024."


def test_active_to_honorary_on_retirement_keeps_community_access(member_of, officer):
    member = member_of(MemberCategory.ACTIVE)
    access = with_community_access(member)
    change_member_category(member, MemberCategory.HONORARY, actor=officer, reason="Retired.")
    access.refresh_from_db()
    assert access.state == CommunityAccessState.APPROVED
    assert permissions.can_enter_community(member.user)
    assert not AuditEntry.objects.filter(action=AuditAction.COMMUNITY_REVOKED).exists()


def test_moving_to_observer_revokes_community_access_and_the_pending_request(member_of, officer):
    member = member_of(MemberCategory.CIVILIAN)
    access = with_community_access(member)
    assert permissions.can_enter_community(member.user)

    change_member_category(member, MemberCategory.OBSERVER, actor=officer, reason="Left the police division.")
    access.refresh_from_db()
    assert access.state == CommunityAccessState.REVOKED
    assert access.ended_at is not None
    assert access.decision_reason == "Left the police division."
    member.user.refresh_from_db()
    assert not permissions.can_enter_community(member.user)
    assert not permissions.can_view_directory(member.user)
    revoked = AuditEntry.objects.get(action=AuditAction.COMMUNITY_REVOKED)
    assert revoked.actor == officer and revoked.subject_user == member.user

    other = member_of(MemberCategory.ACTIVE)
    pending = CommunityAccessRequest.objects.create(member=other, motivation="Please.")
    change_member_category(other, MemberCategory.OBSERVER, actor=officer, reason="Observer now.")
    pending.refresh_from_db()
    assert pending.state == CommunityAccessState.REVOKED


def test_same_category_changes_nothing(member_of, officer):
    member = member_of(MemberCategory.ACTIVE)
    assert change_member_category(member, MemberCategory.ACTIVE, actor=officer, reason="No-op.") is None
    assert not CategoryChange.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CATEGORY_CHANGED).exists()


def test_unknown_category_is_refused(member_of, officer):
    member = member_of(MemberCategory.ACTIVE)
    with pytest.raises(MembershipError):
        change_member_category(member, "superuser", actor=officer, reason="Forged.")


@pytest.mark.parametrize("role", [None, StaffRole.MODERATOR, StaffRole.EDITOR])
def test_only_officers_and_administrators_change_categories(member_of, role):
    member = member_of(MemberCategory.OBSERVER)
    actor = make_staff(role) if role else member_of(MemberCategory.ACTIVE).user
    with pytest.raises(PermissionDenied):
        change_member_category(member, MemberCategory.ACTIVE, actor=actor, reason="Promote.")
    member.refresh_from_db()
    assert member.category == MemberCategory.OBSERVER
    assert not CategoryChange.objects.exists()


def test_history_keeps_every_change_in_order(member_of, officer):
    member = member_of(MemberCategory.OBSERVER)
    change_member_category(member, MemberCategory.ACTIVE, actor=officer, reason="Deployed.")
    change_member_category(member, MemberCategory.HONORARY, actor=None, reason="Retired.")
    history = list(member.category_changes.order_by("created_at", "pk").values_list("from_category", "to_category"))
    assert history == [("observer", "active"), ("active", "honorary")]
    assert AuditEntry.objects.filter(action=AuditAction.CATEGORY_CHANGED, actor_label="system").count() == 1
