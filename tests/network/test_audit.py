"""The audit log: staff roles, object grants and group changes audited; the admin log for administrators only."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from network.choices import AuditAction, MemberCategory, StaffRole
from network.models import AuditEntry
from network.services.audit import record_audit
from network.services.staff import (
    grant_object_permission,
    grant_staff_role,
    revoke_object_permission,
    revoke_staff_role,
)
from tests.factories import UserFactory
from tests.factories.staff import is_refused, make_staff

pytestmark = pytest.mark.django_db

AUDIT_INDEX = reverse("membership_audit:index")


@pytest.fixture
def administrator():
    return make_staff(StaffRole.ADMINISTRATOR)


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


# --- staff roles and object permissions ---------------------------------------------------------------


def test_granting_and_revoking_a_staff_role_is_audited_once_with_reason(administrator):
    user = UserFactory()
    assert grant_staff_role(user, StaffRole.MODERATOR, actor=administrator, reason="Runs the forum.")
    assert user.groups.filter(name=StaffRole.MODERATOR.value).exists()
    (granted,) = AuditEntry.objects.filter(action=AuditAction.STAFF_ROLE_GRANTED, subject_user=user)
    assert granted.actor == administrator
    assert granted.reason == "Runs the forum."
    assert granted.details == {"group": StaffRole.MODERATOR.value}

    assert not grant_staff_role(user, StaffRole.MODERATOR, actor=administrator, reason="Again.")
    assert revoke_staff_role(user, StaffRole.MODERATOR, actor=administrator, reason="Stepped down.")
    assert not revoke_staff_role(user, StaffRole.MODERATOR, actor=administrator, reason="Again.")
    mine = AuditEntry.objects.filter(subject_user=user)
    assert list(mine.order_by("pk").values_list("action", "reason")) == [
        (AuditAction.STAFF_ROLE_GRANTED, "Runs the forum."),
        (AuditAction.STAFF_ROLE_REVOKED, "Stepped down."),
    ]


@pytest.mark.parametrize("role", [StaffRole.MEMBERSHIP_OFFICER, StaffRole.MODERATOR, StaffRole.EDITOR])
def test_only_administrators_manage_staff_roles(role):
    actor = make_staff(role)
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        grant_staff_role(user, StaffRole.ADMINISTRATOR, actor=actor, reason="Promote myself.")
    with pytest.raises(PermissionDenied):
        grant_object_permission(user, "network.view_member", actor.member, actor=actor, reason="Peek.")
    assert not user.groups.exists()


def test_object_permissions_are_granted_and_revoked_through_guardian_with_audit(administrator, member_of):
    member = member_of(MemberCategory.ACTIVE)
    user = UserFactory()
    grant_object_permission(user, "network.view_member", member, actor=administrator, reason="Case review.")
    assert "view_member" in get_perms(user, member)
    group = Group.objects.create(name="Working group on training")
    grant_object_permission(group, "network.change_member", member, actor=administrator, reason="Group work.")
    revoke_object_permission(user, "network.view_member", member, actor=administrator, reason="Review done.")
    assert "view_member" not in get_perms(UserFactory._meta.model.objects.get(pk=user.pk), member)

    granted = entries(AuditAction.OBJECT_PERMISSION_GRANTED)
    assert [(entry.subject_user, entry.reason) for entry in granted] == [(None, "Group work."), (user, "Case review.")]
    assert granted[0].details["group"] == "Working group on training"
    assert granted[1].object_type == "network.member" and granted[1].object_id == str(member.pk)
    (revoked,) = entries(AuditAction.OBJECT_PERMISSION_REVOKED)
    assert revoked.actor == administrator and revoked.reason == "Review done."


# --- group changes made outside the services ---------------------------------------------------------


def test_group_changes_from_code_are_audited_as_system():
    user = UserFactory()
    moderators = Group.objects.get(name=StaffRole.MODERATOR.value)
    editors = Group.objects.get(name=StaffRole.EDITOR.value)
    user.groups.add(moderators)
    editors.user_set.add(user)  # the reverse side, as Wagtail's "assign role" bulk action does
    user.groups.remove(Group.objects.get(name=StaffRole.ADMINISTRATOR.value))  # not held: nothing to record
    user.groups.clear()

    mine = [
        (entry.action, entry.details["group"], entry.actor_label)
        for entry in AuditEntry.objects.filter(subject_user=user).order_by("pk")
    ]
    assert mine[:2] == [
        (AuditAction.STAFF_ROLE_GRANTED, StaffRole.MODERATOR.value, "system"),
        (AuditAction.STAFF_ROLE_GRANTED, StaffRole.EDITOR.value, "system"),
    ]
    # clear() removes both groups, in whatever order the database lists them.
    assert sorted(mine[2:]) == sorted(
        [
            (AuditAction.STAFF_ROLE_REVOKED, StaffRole.MODERATOR.value, "system"),
            (AuditAction.STAFF_ROLE_REVOKED, StaffRole.EDITOR.value, "system"),
        ]
    )


def test_group_change_in_wagtail_user_admin_is_audited_with_the_admin(client, site):
    superuser = make_staff(superuser=True)
    user = UserFactory(first_name="Grace", last_name="Uwase")
    officers = Group.objects.get(name=StaffRole.MEMBERSHIP_OFFICER.value)
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": user.email,
            "first_name": "Grace",
            "last_name": "Uwase",
            "is_active": "on",
            "groups": [officers.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert user.groups.filter(pk=officers.pk).exists()
    (entry,) = AuditEntry.objects.filter(subject_user=user)
    assert entry.action == AuditAction.STAFF_ROLE_GRANTED
    assert entry.actor == superuser
    assert entry.details == {"group": StaffRole.MEMBERSHIP_OFFICER.value}

    client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {"email": user.email, "first_name": "Grace", "last_name": "Uwase", "is_active": "on"},
    )
    revoked = AuditEntry.objects.get(subject_user=user, action=AuditAction.STAFF_ROLE_REVOKED)
    assert revoked.actor == superuser


def test_the_admin_is_not_blamed_for_changes_after_their_request(client, site):
    superuser = make_staff(superuser=True)
    user = UserFactory()
    client.force_login(superuser)
    client.get(reverse("wagtailusers_users:edit", args=[user.pk]))
    # The request is over: whatever the same thread changes next is not the admin's doing.
    user.groups.add(Group.objects.get(name=StaffRole.EDITOR.value))
    assert AuditEntry.objects.get(subject_user=user).actor_label == "system"


# --- the audit log in the admin ------------------------------------------------------------------------


def test_audit_log_is_append_only(administrator):
    entry = record_audit(AuditAction.CATEGORY_CHANGED, actor=administrator, reason="Test.")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(reason="Rewritten")


def test_administrator_browses_and_filters_the_audit_log(client, site, administrator, django_assert_max_num_queries):
    record_audit(AuditAction.CATEGORY_CHANGED, actor=administrator, reason="Retired.")
    record_audit(AuditAction.MEMBERSHIP_RENEWED, actor=None, reason="Paid.")
    for number in range(30):
        record_audit(AuditAction.COMMUNITY_APPROVED, actor=administrator, reason=f"Welcome {number}.")
    client.force_login(administrator)

    with django_assert_max_num_queries(25):
        response = client.get(AUDIT_INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Retired." in page

    response = client.get(AUDIT_INDEX, {"action": AuditAction.MEMBERSHIP_RENEWED})
    reasons = [entry.reason for entry in response.context["object_list"]]
    assert reasons == ["Paid."]

    response = client.get(AUDIT_INDEX, {"actor": "system"})
    assert {entry.actor_label for entry in response.context["object_list"]} == {"system"}

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.get(AUDIT_INDEX, {"created_at_from": tomorrow})
    assert list(response.context["object_list"]) == []


def test_audit_log_csv_export_for_administrators(client, site, administrator):
    subject = UserFactory(email="subject@example.org")
    record_audit(
        AuditAction.CATEGORY_CHANGED,
        actor=administrator,
        subject=subject,
        reason="Retired, keeps access.",
        details={"from": "active", "to": "honorary"},
    )
    client.force_login(administrator)
    response = client.get(AUDIT_INDEX, {"export": "csv", "action": AuditAction.CATEGORY_CHANGED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="audit-log.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["Who"] == administrator.email
    assert row["What"] == "Category changed"
    assert row["Action code"] == "category_changed"
    assert row["Concerning"] == "subject@example.org"
    assert row["Why"] == "Retired, keeps access."
    assert "honorary" in row["Details"]


def test_audit_entry_can_be_inspected_but_not_edited_or_deleted(client, site, administrator):
    entry = record_audit(AuditAction.CATEGORY_CHANGED, actor=administrator, reason="Inspect me.")
    client.force_login(administrator)
    response = client.get(reverse("membership_audit:inspect", args=[entry.pk]))
    assert response.status_code == 200
    assert "Inspect me." in response.content.decode()
    for name in ("edit", "delete"):
        assert is_refused(client.get(reverse(f"membership_audit:{name}", args=[entry.pk])))
        assert is_refused(client.post(reverse(f"membership_audit:{name}", args=[entry.pk]), {"reason": "x"}))
    assert is_refused(client.get(reverse("membership_audit:add")))
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Inspect me."


@pytest.mark.parametrize("role", [StaffRole.MEMBERSHIP_OFFICER, StaffRole.MODERATOR, StaffRole.EDITOR])
def test_other_staff_cannot_open_or_export_the_audit_log(client, site, role):
    entry = record_audit(AuditAction.CATEGORY_CHANGED, actor=None, reason="Secret reason.")
    client.force_login(make_staff(role))
    for url in (AUDIT_INDEX, AUDIT_INDEX + "?export=csv", reverse("membership_audit:inspect", args=[entry.pk])):
        response = client.get(url)
        assert is_refused(response)
        assert b"Secret reason." not in response.content
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert AUDIT_INDEX not in home


@pytest.mark.parametrize("category", ["", MemberCategory.OBSERVER, MemberCategory.ACTIVE])
def test_members_and_anonymous_visitors_cannot_reach_the_audit_log(client, site, member_of, category):
    record_audit(AuditAction.CATEGORY_CHANGED, actor=None, reason="Secret reason.")
    response = client.get(AUDIT_INDEX + "?export=csv")
    assert is_refused(response)
    client.force_login(member_of(category).user)
    response = client.get(AUDIT_INDEX + "?export=csv")
    assert is_refused(response)
    assert b"Secret reason." not in response.content
