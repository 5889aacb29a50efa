"""Community of Practice access: request, endorse, decide, review date, reminder, lapse, renew, revoke."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from network import permissions
from network.choices import AuditAction, CommunityAccessState, MemberCategory, StaffRole, Visibility
from network.models import AuditEntry, CommunityAccessRequest, CommunityEndorsement, Member
from network.services import community
from network.tasks import review_community_access
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

STATUS = "/en/members/community/"
HOME = "/en/members/community/home/"
REQUESTS = "/en/members/community/requests/"
MOTIVATION = "I train officers on SGBV investigation and would like to share our curriculum."


def today() -> datetime.date:
    return timezone.localdate()


def days(number: int) -> datetime.date:
    return today() + datetime.timedelta(days=number)


def network_member(category=MemberCategory.ACTIVE, **kwargs) -> Member:
    kwargs.setdefault("visibility", {field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS})
    return MemberFactory(category=category, **kwargs)


@pytest.fixture
def moderator(member_of):
    user = member_of("").user
    user.groups.add(Group.objects.get(name=StaffRole.MODERATOR.value))
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def applicant_member():
    return network_member(user__first_name="Amina", user__last_name="Diallo")


def request_access(member: Member) -> CommunityAccessRequest:
    return community.request_community_access(member, actor=member.user, motivation=MOTIVATION)


def approved_access(member: Member, moderator, review_on=None) -> CommunityAccessRequest:
    return community.approve_community_request(request_access(member), actor=moderator, review_on=review_on)


def audit_actions(access: CommunityAccessRequest) -> list[str]:
    entries = AuditEntry.objects.filter(object_type="network.communityaccessrequest", object_id=str(access.pk))
    return [entry.action for entry in entries.order_by("pk")]


# --- status page and eligibility ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "fields", "explanation"),
    [
        (MemberCategory.OBSERVER, {}, "Observers are not eligible"),
        ("", {}, "You are not eligible yet"),
        (MemberCategory.ACTIVE, {"membership_expires_on": datetime.date(2020, 1, 1)}, "Your membership has expired"),
    ],
    ids=["observer", "applicant", "lapsed"],
)
def test_members_who_may_not_ask_see_why_and_no_form(client, site, member_of, category, fields, explanation):
    member = member_of(category, **fields)
    client.force_login(member.user)
    page = client.get(STATUS).content.decode()
    assert explanation in page
    assert 'name="motivation"' not in page
    response = client.post(STATUS, {"motivation": MOTIVATION})
    assert response.status_code == 302
    assert not CommunityAccessRequest.objects.exists()
    with pytest.raises(PermissionDenied):
        request_access(member)


def test_anonymous_visitor_is_asked_to_log_in(client, site):
    page = client.get(STATUS).content.decode()
    assert "Log in with your member account" in page
    assert 'name="motivation"' not in page


def test_eligible_member_requests_access_and_sees_it_pending(client, site, applicant_member):
    client.force_login(applicant_member.user)
    assert 'name="motivation"' in client.get(STATUS).content.decode()
    response = client.post(STATUS, {"motivation": MOTIVATION}, follow=True)
    page = response.content.decode()
    assert "Your request has been sent to the moderators." in page
    assert "Your request is waiting for a decision" in page
    access = CommunityAccessRequest.objects.get()
    assert (access.member, access.state, access.motivation) == (applicant_member, "pending", MOTIVATION)
    assert audit_actions(access) == [AuditAction.COMMUNITY_REQUESTED]
    assert not permissions.can_enter_community(applicant_member.user)


def test_too_short_motivation_is_refused_and_text_kept(client, site, applicant_member):
    client.force_login(applicant_member.user)
    page = client.post(STATUS, {"motivation": "Please"}).content.decode()
    assert "at least a sentence or two" in page
    assert "Please</textarea>" in page
    assert not CommunityAccessRequest.objects.exists()


def test_second_open_request_is_refused(client, site, applicant_member):
    request_access(applicant_member)
    with pytest.raises(ValidationError):
        request_access(applicant_member)
    client.force_login(applicant_member.user)
    client.post(STATUS, {"motivation": MOTIVATION + " again"})
    assert CommunityAccessRequest.objects.count() == 1


# --- endorsements -----------------------------------------------------------------------------------


def test_network_member_endorses_a_pending_request(client, site, applicant_member):
    access = request_access(applicant_member)
    endorser = network_member(MemberCategory.CIVILIAN, user__first_name="Maria", user__last_name="Santos")
    client.force_login(endorser.user)
    page = client.get(REQUESTS).content.decode()
    assert "Amina Diallo" in page and MOTIVATION in page
    response = client.post(reverse("network:endorse_community_request", args=[access.pk]), {"note": "Worked with her."})
    assert response.status_code == 302
    endorsement = CommunityEndorsement.objects.get()
    assert (endorsement.endorser, endorsement.note) == (endorser, "Worked with her.")
    assert audit_actions(access) == [AuditAction.COMMUNITY_REQUESTED, AuditAction.COMMUNITY_ENDORSED]
    assert "You endorsed this request." in client.get(REQUESTS).content.decode()

    # Twice is refused with a message, and the requester sees who endorsed her.
    page = client.post(reverse("network:endorse_community_request", args=[access.pk]), follow=True).content.decode()
    assert "You have already endorsed this request." in page
    assert CommunityEndorsement.objects.count() == 1
    client.force_login(applicant_member.user)
    assert "Maria Santos" in client.get(STATUS).content.decode()


def test_members_cannot_endorse_their_own_request(client, site, applicant_member):
    access = request_access(applicant_member)
    client.force_login(applicant_member.user)
    assert client.post(reverse("network:endorse_community_request", args=[access.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        community.endorse_community_request(access, endorser=applicant_member)
    assert not CommunityEndorsement.objects.exists()


@pytest.mark.parametrize("category", [MemberCategory.OBSERVER, ""])
def test_members_outside_the_network_neither_see_nor_endorse_requests(
    client, site, applicant_member, member_of, category
):
    access = request_access(applicant_member)
    outsider = member_of(category)
    client.force_login(outsider.user)
    response = client.get(REQUESTS, follow=True)
    assert response.redirect_chain == [(STATUS, 302)]
    page = response.content.decode()
    assert "Amina" not in page and MOTIVATION not in page
    assert client.post(reverse("network:endorse_community_request", args=[access.pk])).status_code == 404
    assert not CommunityEndorsement.objects.exists()


def test_request_of_a_member_hidden_from_the_endorser_is_not_listed(client, site, member_of):
    hidden = network_member(visibility={})
    access = request_access(hidden)
    client.force_login(network_member().user)
    assert MOTIVATION not in client.get(REQUESTS).content.decode()
    assert client.post(reverse("network:endorse_community_request", args=[access.pk])).status_code == 404


# --- moderators decide in the Wagtail admin ---------------------------------------------------------


def test_moderator_approves_with_review_date_in_admin(
    client, site, applicant_member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    access = request_access(applicant_member)
    CommunityEndorsement.objects.create(request=access, endorser=network_member(user__first_name="Ingrid"), note="Yes")
    client.force_login(moderator)
    index = client.get("/admin/community-access/").content.decode()
    assert "Amina Diallo" in index
    page = client.get(f"/admin/community-access/{access.pk}/").content.decode()
    assert MOTIVATION in page and "Ingrid" in page

    review_on = days(90)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/community-access/{access.pk}/",
            {"action": "approve", "reason": "Welcome.", "review_on": review_on.isoformat()},
        )
    assert response.status_code == 302
    access.refresh_from_db()
    assert (access.state, access.review_on, access.decided_by) == ("approved", review_on, moderator)
    assert audit_actions(access)[-1] == AuditAction.COMMUNITY_APPROVED
    [email] = mailoutbox
    assert email.to == [applicant_member.user.email]
    assert "approved" in email.subject
    assert "Welcome." in email.body
    assert moderator.email not in email.body

    member = Member.objects.get(pk=applicant_member.pk)
    assert permissions.can_enter_community(member.user)
    client.force_login(member.user)
    assert client.get(HOME).status_code == 200
    status = client.get(STATUS).content.decode()
    assert "You have access" in status


def test_a_request_is_decided_only_once(site, applicant_member, moderator):
    access = request_access(applicant_member)
    community.approve_community_request(access, actor=moderator)
    with pytest.raises(ValidationError):
        community.approve_community_request(access, actor=moderator)
    with pytest.raises(ValidationError):
        community.decline_community_request(access, actor=moderator, reason="Changed my mind")
    assert audit_actions(access).count(AuditAction.COMMUNITY_APPROVED) == 1
    assert AuditAction.COMMUNITY_DECLINED not in audit_actions(access)


def test_decline_needs_a_reason_which_the_member_reads(
    client, site, applicant_member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    access = request_access(applicant_member)
    client.force_login(moderator)
    url = f"/admin/community-access/{access.pk}/"
    page = client.post(url, {"action": "decline", "reason": ""}).content.decode()
    assert "Please give the member a reason." in page
    access.refresh_from_db()
    assert access.state == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "decline", "reason": "Please ask again once you are deployed."})
    access.refresh_from_db()
    assert access.state == "declined"
    [email] = mailoutbox
    assert "Please ask again once you are deployed." in email.body
    client.force_login(applicant_member.user)
    page = client.get(STATUS).content.decode()
    assert "Your last request was declined" in page
    assert "Please ask again once you are deployed." in page
    assert 'name="motivation"' in page  # may ask again


def test_past_review_date_and_forged_action_are_refused(client, site, applicant_member, moderator):
    access = request_access(applicant_member)
    client.force_login(moderator)
    url = f"/admin/community-access/{access.pk}/"
    page = client.post(url, {"action": "approve", "reason": "Typed", "review_on": "2020-01-01"}).content.decode()
    assert "The review date must be in the future." in page
    assert "Typed" in page
    page = client.post(url, {"action": "revoke", "reason": "Not possible yet"}).content.decode()
    assert "not possible in the request" in page
    page = client.post(url, {"action": "delete-everything"}).content.decode()
    access.refresh_from_db()
    assert access.state == "pending"


def test_moderators_do_not_decide_their_own_request(site, moderator):
    member = Member.objects.get(user=moderator)
    member.category = MemberCategory.ACTIVE
    member.save()
    access = request_access(member)
    with pytest.raises(PermissionDenied):
        community.approve_community_request(access, actor=moderator)


def test_admin_pages_are_for_moderators_only(client, site, applicant_member, member_of):
    access = request_access(applicant_member)
    editor = member_of("").user
    editor.groups.add(Group.objects.get(name=StaffRole.EDITOR.value))
    TOTP.activate(editor, generate_totp_secret())
    for user in (editor, network_member().user, member_of(MemberCategory.OBSERVER).user):
        client.force_login(user)
        for url in ("/admin/community-access/", f"/admin/community-access/{access.pk}/"):
            response = client.get(url)
            assert response.status_code in (302, 403)
            assert "Amina" not in response.content.decode()
        client.post(f"/admin/community-access/{access.pk}/", {"action": "approve"})
    access.refresh_from_db()
    assert access.state == "pending"
    with pytest.raises(PermissionDenied):
        community.approve_community_request(access, actor=editor)


# --- review dates: reminder, lapse, renew -----------------------------------------------------------


def test_reminder_is_sent_once_fourteen_days_before_review(
    site, applicant_member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    access = approved_access(applicant_member, moderator, review_on=days(20))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert community.review_community_access(today=today()) == {"reminded": 0, "lapsed": 0}
        assert community.review_community_access(today=days(6)) == {"reminded": 1, "lapsed": 0}
        assert community.review_community_access(today=days(6)) == {"reminded": 0, "lapsed": 0}
        assert review_community_access.delay().get() == {"reminded": 0, "lapsed": 0}
    [email] = mailoutbox
    assert "comes up for review" in email.subject
    assert email.to == [applicant_member.user.email]
    access.refresh_from_db()
    assert access.reminder_sent_for == days(20)


def test_access_lapses_on_the_review_date_once(
    client, site, applicant_member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    access = approved_access(applicant_member, moderator, review_on=days(3))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert community.review_community_access(today=days(2))["lapsed"] == 0
        assert community.review_community_access(today=days(3)) == {"reminded": 0, "lapsed": 1}
        assert community.review_community_access(today=days(4)) == {"reminded": 0, "lapsed": 0}
    access.refresh_from_db()
    assert access.state == CommunityAccessState.LAPSED
    assert access.ended_at is not None
    assert audit_actions(access).count(AuditAction.COMMUNITY_LAPSED) == 1
    assert AuditEntry.objects.get(action=AuditAction.COMMUNITY_LAPSED).actor_label == "system"
    assert [email.subject for email in mailoutbox] == [
        "Your Community of Practice access comes up for review soon",
        "Your Community of Practice access has lapsed",
    ]
    client.force_login(applicant_member.user)
    assert "Your access lapsed" in client.get(STATUS).content.decode()


def test_access_ends_on_review_date_even_before_the_task_runs(site, applicant_member, moderator):
    access = approved_access(applicant_member, moderator, review_on=days(1))
    assert permissions.can_enter_community(Member.objects.get(pk=applicant_member.pk).user)
    access.review_on = today()  # as if the date had come
    access.save()
    assert not permissions.can_enter_community(Member.objects.get(pk=applicant_member.pk).user)


def test_renewal_moves_the_review_date_and_rearms_the_reminder(
    client, site, applicant_member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    access = approved_access(applicant_member, moderator, review_on=days(10))
    community.review_community_access(today=today())
    access.refresh_from_db()
    assert access.reminder_sent_for == days(10)

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/community-access/{access.pk}/",
            {"action": "renew", "reason": "Still active.", "review_on": days(200).isoformat()},
        )
    access.refresh_from_db()
    assert (access.state, access.review_on) == ("approved", days(200))
    assert audit_actions(access)[-1] == AuditAction.COMMUNITY_RENEWED
    assert "renewed" in mailoutbox[-1].subject
    assert community.review_community_access(today=days(186))["reminded"] == 1
    with pytest.raises(ValidationError):
        community.renew_community_access(access, actor=moderator, review_on=days(-1))


def test_moderator_revokes_access_with_reason(
    client, site, applicant_member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    access = approved_access(applicant_member, moderator)
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/community-access/{access.pk}/", {"action": "revoke", "reason": "Breach of the charter."})
    access.refresh_from_db()
    assert access.state == CommunityAccessState.REVOKED
    assert "Breach of the charter." in mailoutbox[-1].body
    assert audit_actions(access)[-1] == AuditAction.COMMUNITY_REVOKED
    client.force_login(applicant_member.user)
    assert client.get(HOME).status_code == 403


def test_access_is_revoked_when_the_category_stops_being_eligible(client, site, applicant_member, moderator):
    access = approved_access(applicant_member, moderator)
    member = Member.objects.get(pk=applicant_member.pk)
    member.category = MemberCategory.OBSERVER
    member.save()
    assert community.recheck_community_access(member, actor=moderator, reason="Now an observer") == 1
    access.refresh_from_db()
    assert access.state == CommunityAccessState.REVOKED
    assert audit_actions(access)[-1] == AuditAction.COMMUNITY_REVOKED
    client.force_login(member.user)
    assert client.get(HOME).status_code == 403
    assert "Observers are not eligible" in client.get(STATUS).content.decode()


# --- the community home -----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_from_the_community_home(client, site):
    response = client.get(HOME)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("category", ["", MemberCategory.OBSERVER, MemberCategory.ACTIVE, MemberCategory.HONORARY])
def test_community_home_is_closed_without_approved_access(client, site, member_of, category):
    client.force_login(member_of(category).user)
    response = client.get(HOME)
    assert response.status_code == 403
    page = response.content.decode()
    assert "whose request to join has been approved" in page
    assert "Forums" not in page


def test_pending_request_does_not_open_the_community(client, site, applicant_member, moderator):
    request_access(applicant_member)
    client.force_login(applicant_member.user)
    assert client.get(HOME).status_code == 403
    client.force_login(moderator)
    assert client.get(HOME).status_code == 403  # a staff role alone does not make a community member


def test_community_link_in_navigation_only_with_access(client, site, applicant_member, moderator):
    client.force_login(applicant_member.user)
    assert f'href="{HOME}"' not in client.get(STATUS).content.decode()
    approved_access(applicant_member, moderator)
    assert f'href="{HOME}"' in client.get(STATUS).content.decode()


def test_admin_dashboard_and_menu_lead_moderators_to_pending_requests(client, site, applicant_member, moderator):
    request_access(applicant_member)
    client.force_login(moderator)
    page = client.get("/admin/").content.decode()
    assert 'href="/admin/community-access/"' in page
