"""Membership renewal: reminders 30 and 7 days before expiry, the lapse notice, lost access, renewal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from network import permissions, tasks
from network.choices import AccessLevel, AuditAction, CommunityAccessState, MemberCategory, StaffRole
from network.models import AuditEntry, CommunityAccessRequest, RenewalReminder
from network.services.membership import (
    MembershipError,
    default_renewal_date,
    renew_membership,
    send_renewal_reminders,
)
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def expiring_in(member_of, days: int, category=MemberCategory.ACTIVE):
    return member_of(category, membership_expires_on=today() + timedelta(days=days))


def test_reminders_go_out_30_and_7_days_before_expiry(member_of, mailoutbox):
    in_30 = expiring_in(member_of, 30)
    in_7 = expiring_in(member_of, 7)
    in_60 = expiring_in(member_of, 60)
    no_expiry = member_of(MemberCategory.ACTIVE)
    applicant = member_of("", membership_expires_on=today() + timedelta(days=7))

    assert send_renewal_reminders() == 2
    by_address = {message.to[0]: message for message in mailoutbox}
    assert set(by_address) == {in_30.user.email, in_7.user.email}
    assert "30 days" in by_address[in_30.user.email].subject
    assert "7 days" in by_address[in_7.user.email].subject
    assert all(len(message.to) == 1 for message in mailoutbox)
    assert set(RenewalReminder.objects.values_list("member_id", "days_before")) == {(in_30.pk, 30), (in_7.pk, 7)}
    for member in (in_60, no_expiry, applicant):
        assert not RenewalReminder.objects.filter(member=member).exists()


def test_running_the_task_twice_sends_nothing_more(member_of, mailoutbox):
    expiring_in(member_of, 30)
    expiring_in(member_of, 7)
    assert tasks.send_renewal_reminders.delay().get() == 2
    assert tasks.send_renewal_reminders.delay().get() == 0
    assert len(mailoutbox) == 2
    assert RenewalReminder.objects.count() == 2


def test_a_missed_day_is_caught_up_with_one_reminder(member_of, mailoutbox):
    # The beat was down on the day the 30-day reminder was due: it still goes out, once.
    in_20 = expiring_in(member_of, 20)
    # Within 7 days only the 7-day reminder is sent, not both.
    in_5 = expiring_in(member_of, 5)
    send_renewal_reminders()
    assert set(RenewalReminder.objects.values_list("member_id", "days_before")) == {(in_20.pk, 30), (in_5.pk, 7)}
    assert len(mailoutbox) == 2


def test_seven_day_reminder_follows_the_thirty_day_one(member_of, mailoutbox):
    member = expiring_in(member_of, 30)
    send_renewal_reminders()
    send_renewal_reminders(today=today() + timedelta(days=23))
    assert sorted(RenewalReminder.objects.filter(member=member).values_list("days_before", flat=True)) == [7, 30]
    assert len(mailoutbox) == 2


def test_renewed_membership_gets_reminders_again_for_the_new_date(member_of, mailoutbox):
    member = expiring_in(member_of, 7)
    send_renewal_reminders()
    renew_membership(member, actor=None, until=today() + timedelta(days=7 + 365))
    send_renewal_reminders(today=today() + timedelta(days=365))
    assert RenewalReminder.objects.filter(member=member, days_before=7).count() == 2


def test_lapse_is_noticed_once_audited_and_removes_network_and_community_access(member_of, mailoutbox):
    member = expiring_in(member_of, -1, category=MemberCategory.CIVILIAN)
    CommunityAccessRequest.objects.create(member=member, motivation="Share.", state=CommunityAccessState.APPROVED)

    assert permissions.access_level(member.user) == AccessLevel.MEMBERS
    assert not permissions.can_view_directory(member.user)
    assert not permissions.can_enter_community(member.user)

    assert send_renewal_reminders() == 1
    assert send_renewal_reminders() == 0
    assert len(mailoutbox) == 1
    assert "expired" in mailoutbox[0].subject
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_LAPSED)
    assert entry.subject_user == member.user and entry.actor_label == "system"


def test_membership_is_current_on_its_last_day(member_of):
    member = expiring_in(member_of, 0)
    assert permissions.access_level(member.user) == AccessLevel.NETWORK


def test_renewal_restores_access_and_is_audited(member_of):
    member = expiring_in(member_of, -10, category=MemberCategory.HONORARY)
    CommunityAccessRequest.objects.create(member=member, motivation="Share.", state=CommunityAccessState.APPROVED)
    officer = make_staff(StaffRole.MEMBERSHIP_OFFICER)
    until = today() + timedelta(days=730)

    renew_membership(member, actor=officer, until=until, reason="Paid for two years.")
    member.refresh_from_db()
    assert member.membership_expires_on == until
    member.user.member = member
    assert permissions.access_level(member.user) == AccessLevel.COMMUNITY
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_RENEWED)
    assert entry.actor == officer
    assert entry.details == {"from": (today() - timedelta(days=10)).isoformat(), "to": until.isoformat()}
    assert entry.reason == "Paid for two years."


def test_renewal_checks_the_date_and_the_actor(member_of):
    member = expiring_in(member_of, 10)
    officer = make_staff(StaffRole.MEMBERSHIP_OFFICER)
    with pytest.raises(MembershipError):
        renew_membership(member, actor=officer, until=today())
    with pytest.raises(PermissionDenied):
        renew_membership(member, actor=member.user, until=today() + timedelta(days=30))
    with pytest.raises(PermissionDenied):
        renew_membership(member, actor=make_staff(StaffRole.MODERATOR), until=today() + timedelta(days=30))
    with pytest.raises(MembershipError):
        renew_membership(member_of(""), actor=officer, until=today() + timedelta(days=30))


def test_default_renewal_continues_from_a_future_expiry(member_of, settings):
    settings.MEMBERSHIP_TERM_DAYS = 365
    ahead = expiring_in(member_of, 10)
    lapsed = expiring_in(member_of, -10)
    assert default_renewal_date(ahead) == today() + timedelta(days=375)
    assert default_renewal_date(lapsed) == today() + timedelta(days=365)


def test_inactive_accounts_get_no_reminder(member_of, mailoutbox):
    member = expiring_in(member_of, 7)
    member.user.is_active = False
    member.user.save()
    assert send_renewal_reminders() == 0
    assert mailoutbox == []


def test_membership_close_to_expiry_shows_a_notice_and_renews_in_one_step(client, member_of):
    member = expiring_in(member_of, 20)
    client.force_login(member.user)
    page = client.get("/en/members/membership/").content.decode()
    assert "Renew it now" in page
    assert 'value="renew"' in page

    response = client.post("/en/members/membership/", {"action": "renew"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.membership_expires_on == today() + timedelta(days=20 + 730)
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_RENEWED, subject_user=member.user)
    assert entry.actor == member.user
    # Renewed: the notice goes away until the next term nears its end.
    assert 'value="renew"' not in client.get("/en/members/membership/").content.decode()


def test_membership_far_from_expiry_or_long_lapsed_cannot_be_renewed_by_the_member(client, member_of):
    for days in (90, -60):
        member = expiring_in(member_of, days)
        client.force_login(member.user)
        assert 'value="renew"' not in client.get("/en/members/membership/").content.decode()
        client.post("/en/members/membership/", {"action": "renew"})
        expires_on = member.membership_expires_on
        member.refresh_from_db()
        assert member.membership_expires_on == expires_on
