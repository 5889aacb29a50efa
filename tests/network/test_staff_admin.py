"""The membership staff's Wagtail admin: application review, bulk approval, member list, dashboard panel."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from network.choices import ApplicationState, AuditAction, CommunityAccessState, MemberCategory, StaffRole
from network.models import AuditEntry, CommunityAccessRequest, Member, MembershipApplication
from network.services import applications as services
from tests.factories import UserFactory
from tests.factories.staff import EVIDENCE, is_refused, make_staff

pytestmark = pytest.mark.django_db

APPLICATIONS = reverse("membership_applications:index")
MEMBERS = reverse("membership_members:index")


def submitted(category=MemberCategory.OBSERVER, **member_fields) -> MembershipApplication:
    user = UserFactory()
    if member_fields:
        Member.objects.create(user=user, **member_fields)
    return services.submit_application(user, category=category, evidence=EVIDENCE[category]())


@pytest.fixture
def officer(client):
    user = make_staff(StaffRole.MEMBERSHIP_OFFICER)
    client.force_login(user)
    return user


def application_urls(application) -> list[str]:
    return [
        APPLICATIONS,
        APPLICATIONS + "?export=csv",
        reverse("membership_applications:inspect", args=[application.pk]),
        reverse("membership_applications:approve", args=[application.pk]),
        reverse("membership_applications:reject", args=[application.pk]),
        reverse("membership_applications:request_info", args=[application.pk]),
        reverse("wagtail_bulk_action", args=["network", "membershipapplication", "approve"]) + f"?id={application.pk}",
    ]


# --- who may enter ----------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, site):
    application = submitted()
    for url in [*application_urls(application), MEMBERS, MEMBERS + "?export=csv"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("category", ["", MemberCategory.OBSERVER, MemberCategory.ACTIVE, MemberCategory.HONORARY])
def test_members_without_staff_role_never_reach_the_staff_views(client, site, member_of, category):
    application = submitted()
    client.force_login(member_of(category).user)
    for url in [*application_urls(application), MEMBERS, MEMBERS + "?export=csv"]:
        response = client.get(url)
        assert is_refused(response), url
        assert application.user.email.encode() not in response.content
    response = client.post(reverse("membership_applications:approve", args=[application.pk]), {"reason": "Forged."})
    assert is_refused(response)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


@pytest.mark.parametrize("role", [StaffRole.MODERATOR, StaffRole.EDITOR])
def test_moderators_and_editors_cannot_review_applications(client, site, role):
    application = submitted()
    client.force_login(make_staff(role))
    for url in application_urls(application):
        response = client.get(url)
        assert is_refused(response), url
        assert application.user.email.encode() not in response.content
    for name in ("approve", "reject", "request_info"):
        response = client.post(reverse(f"membership_applications:{name}", args=[application.pk]), {"reason": "No."})
        assert is_refused(response)
    bulk = reverse("wagtail_bulk_action", args=["network", "membershipapplication", "approve"])
    assert is_refused(client.post(f"{bulk}?id={application.pk}", {"reason": "No."}))
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert not AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).exists()


def test_staff_without_second_factor_is_sent_to_set_it_up(client, site):
    client.force_login(make_staff(StaffRole.MEMBERSHIP_OFFICER, mfa=False))
    response = client.get(APPLICATIONS)
    assert response.status_code == 302
    assert "/2fa/totp/activate/" in response["Location"]


# --- reviewing applications ----------------------------------------------------------------------------


def test_officer_lists_applications_with_a_bounded_number_of_queries(
    client, site, officer, django_assert_max_num_queries
):
    for _ in range(3):
        submitted(MemberCategory.ACTIVE, country="RW")
    with django_assert_max_num_queries(30) as few:
        response = client.get(APPLICATIONS)
    assert response.status_code == 200
    for _ in range(12):
        submitted(MemberCategory.CIVILIAN, country="SN")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(APPLICATIONS)
    page = response.content.decode()
    assert "Rwanda" in page and "Senegal" in page
    assert "Approve" in page  # the bulk action


def test_officer_filters_by_state_category_country_and_age(client, site, officer):
    old = submitted(MemberCategory.ACTIVE, country="RW")
    MembershipApplication.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=40))
    recent = submitted(MemberCategory.OBSERVER, country="CL")
    decided = submitted(MemberCategory.CIVILIAN, country="RW")
    services.reject_application(decided, actor=officer, reason="No.")

    def listed(**params):
        return {application.pk for application in client.get(APPLICATIONS, params).context["object_list"]}

    assert listed() == {old.pk, recent.pk, decided.pk}
    assert listed(state="submitted") == {old.pk, recent.pk}
    assert listed(state="rejected") == {decided.pk}
    assert listed(category="observer") == {recent.pk}
    assert listed(country="RW") == {old.pk, decided.pk}
    assert listed(waiting="30") == {old.pk}
    assert listed(waiting="7", state="submitted") == {old.pk}
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert listed(submitted_at_from=since) == {recent.pk, decided.pk}


def test_officer_inspects_an_application_with_its_evidence_and_actions(client, site, officer):
    application = submitted(MemberCategory.ACTIVE)
    response = client.get(reverse("membership_applications:inspect", args=[application.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rwanda National Police" in page and "Superintendent" in page
    assert reverse("membership_applications:approve", args=[application.pk]) in page
    assert reverse("membership_applications:request_info", args=[application.pk]) in page


def test_officer_approves_in_the_admin_with_a_message(client, site, officer, mailoutbox):
    application = submitted(MemberCategory.ACTIVE)
    url = reverse("membership_applications:approve", args=[application.pk])
    assert client.get(url).status_code == 200

    mailoutbox.clear()
    response = client.post(url, {"reason": "Service confirmed."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    assert Member.objects.get(user=application.user).category == MemberCategory.ACTIVE
    assert "Service confirmed." in mailoutbox[0].body

    # A second officer's form, opened before the first decision, is refused with a message.
    response = client.post(url, {"reason": "Me too."}, follow=True)
    assert "already been decided" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).count() == 1


def test_officer_rejects_and_requests_information_in_the_admin(client, site, officer, mailoutbox):
    first, second = submitted(), submitted(MemberCategory.HONORARY)
    client.post(reverse("membership_applications:request_info", args=[first.pk]), {"reason": "Which organisation?"})
    client.post(reverse("membership_applications:reject", args=[second.pk]), {"reason": "No nomination."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.info_request) == (ApplicationState.MORE_INFO, "Which organisation?")
    assert (second.state, second.decision_reason) == (ApplicationState.REJECTED, "No nomination.")
    # More information was already asked for: the action is not offered again.
    page = client.get(reverse("membership_applications:inspect", args=[first.pk])).content.decode()
    assert reverse("membership_applications:request_info", args=[first.pk]) not in page


def test_officer_cannot_edit_or_delete_applications_through_generic_views(client, site, officer):
    application = submitted()
    for name in ("edit", "delete"):
        response = client.post(reverse(f"membership_applications:{name}", args=[application.pk]), {"state": "approved"})
        assert is_refused(response)
    assert is_refused(client.post(reverse("membership_applications:add"), {"state": "approved"}))
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_bulk_approve_approves_open_applications_and_leaves_the_rest(client, site, officer, mailoutbox):
    first, second, decided = submitted(), submitted(MemberCategory.CIVILIAN), submitted()
    services.reject_application(decided, actor=officer, reason="No.")
    own = services.submit_application(officer, category="observer", evidence=EVIDENCE["observer"]())
    url = reverse("wagtail_bulk_action", args=["network", "membershipapplication", "approve"])
    query = f"?id={first.pk}&id={second.pk}&id={decided.pk}&id={own.pk}&next={APPLICATIONS}"

    page = client.get(url + query).content.decode()
    assert str(first.user) in page and str(second.user) in page
    assert "left out" in page

    mailoutbox.clear()
    response = client.post(url + query, {"reason": "Verified in batch."})
    assert response.status_code == 302
    for application in (first, second, decided, own):
        application.refresh_from_db()
    assert (first.state, second.state) == (ApplicationState.APPROVED, ApplicationState.APPROVED)
    assert decided.state == ApplicationState.REJECTED
    assert own.state == ApplicationState.SUBMITTED
    assert sorted(message.to[0] for message in mailoutbox) == sorted([first.user.email, second.user.email])


# --- member list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [StaffRole.MEMBERSHIP_OFFICER, StaffRole.MODERATOR, StaffRole.ADMINISTRATOR])
def test_staff_roles_list_and_search_members(client, site, member_of, role, django_assert_max_num_queries):
    client.force_login(make_staff(role))
    amina = member_of(MemberCategory.ACTIVE, country="SN")
    amina.user.first_name, amina.user.last_name = "Amina", "Diallo"
    amina.user.save()
    for _ in range(10):
        member_of(MemberCategory.OBSERVER, country="CL")
    with django_assert_max_num_queries(30):
        response = client.get(MEMBERS)
    assert response.status_code == 200
    response = client.get(MEMBERS, {"q": "Diallo"})
    assert [member.pk for member in response.context["object_list"]] == [amina.pk]
    response = client.get(MEMBERS, {"q": amina.user.email})
    assert [member.pk for member in response.context["object_list"]] == [amina.pk]


def test_member_list_filters_by_category_country_and_expiry(client, site, member_of, officer):
    today = timezone.localdate()
    active = member_of(MemberCategory.ACTIVE, country="RW", membership_expires_on=today + timedelta(days=20))
    lapsed = member_of(MemberCategory.CIVILIAN, country="RW", membership_expires_on=today - timedelta(days=1))
    observer = member_of(MemberCategory.OBSERVER, country="CL")

    def listed(**params):
        pks = {member.pk for member in client.get(MEMBERS, params).context["object_list"]}
        return pks & {active.pk, lapsed.pk, observer.pk}

    assert listed(category="active") == {active.pk}
    assert listed(country="RW") == {active.pk, lapsed.pk}
    assert listed(expiry="expired") == {lapsed.pk}
    assert listed(expiry="30") == {active.pk}
    assert listed(expiry="none") == {observer.pk}
    assert listed(membership_expires_on_from=today.isoformat()) == {active.pk}


def test_member_list_csv_export(client, site, member_of, officer):
    member = member_of(MemberCategory.HONORARY, country="NO", membership_expires_on=timezone.localdate())
    response = client.get(MEMBERS, {"export": "csv", "category": "honorary"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["Email"] for row in rows] == [member.user.email]
    assert rows[0]["Category"] == "Honorary"
    assert rows[0]["Country"] == "Norway"
    assert rows[0]["Membership expires on"] == timezone.localdate().isoformat()


def test_editors_do_not_see_member_data(client, site, member_of):
    member = member_of(MemberCategory.ACTIVE)
    client.force_login(make_staff(StaffRole.EDITOR))
    for url in (MEMBERS, MEMBERS + "?export=csv", reverse("membership_members:inspect", args=[member.pk])):
        response = client.get(url)
        assert is_refused(response)
        assert member.user.email.encode() not in response.content


def test_officer_changes_category_and_renews_in_the_admin(client, site, member_of, officer):
    member = member_of(MemberCategory.ACTIVE)
    CommunityAccessRequest.objects.create(member=member, motivation="Share.", state=CommunityAccessState.APPROVED)
    inspect = client.get(reverse("membership_members:inspect", args=[member.pk])).content.decode()
    change_url = reverse("membership_members:change_category", args=[member.pk])
    renew_url = reverse("membership_members:renew", args=[member.pk])
    assert change_url in inspect and renew_url in inspect

    response = client.post(change_url, {"category": "observer", "reason": ""})
    assert response.status_code == 200
    response = client.post(change_url, {"category": "observer", "reason": "Left the service."})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.category == MemberCategory.OBSERVER
    assert CommunityAccessRequest.objects.get(member=member).state == CommunityAccessState.REVOKED
    history = client.get(reverse("membership_members:inspect", args=[member.pk])).content.decode()
    assert "Left the service." in history

    until = timezone.localdate() + timedelta(days=400)
    response = client.post(renew_url, {"until": timezone.localdate().isoformat(), "reason": ""})
    assert response.status_code == 200
    response = client.post(renew_url, {"until": until.isoformat(), "reason": "Renewed by email."})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.membership_expires_on == until
    assert AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_RENEWED, actor=officer).exists()


def test_moderators_see_members_but_cannot_change_them(client, site, member_of):
    member = member_of(MemberCategory.ACTIVE)
    client.force_login(make_staff(StaffRole.MODERATOR))
    inspect = client.get(reverse("membership_members:inspect", args=[member.pk]))
    assert inspect.status_code == 200
    assert reverse("membership_members:change_category", args=[member.pk]) not in inspect.content.decode()
    response = client.post(
        reverse("membership_members:change_category", args=[member.pk]), {"category": "observer", "reason": "x"}
    )
    assert is_refused(response)
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert is_refused(client.post(reverse("membership_members:renew", args=[member.pk]), {"until": future}))
    member.refresh_from_db()
    assert member.category == MemberCategory.ACTIVE and member.membership_expires_on is None


# --- dashboard panel --------------------------------------------------------------------------------------


def test_dashboard_shows_pending_applications_to_officers(client, site, officer):
    submitted()
    submitted()
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Membership applications waiting for a decision" in page
    assert f"{APPLICATIONS}?state=submitted" in page
    assert "Community of Practice access requests" not in page


def test_dashboard_shows_pending_community_requests_to_moderators(client, site, member_of):
    for _ in range(3):
        CommunityAccessRequest.objects.create(member=member_of(MemberCategory.ACTIVE), motivation="Please.")
    submitted()
    client.force_login(make_staff(StaffRole.MODERATOR))
    response = client.get(reverse("wagtailadmin_home"))
    panel = next(panel for panel in response.context["panels"] if panel.name == "pending_membership_work")
    assert [(item["count"], str(item["label"])) for item in panel.items] == [
        (3, "Community of Practice access requests waiting for a decision")
    ]


def test_dashboard_panel_is_not_shown_to_editors(client, site):
    submitted()
    client.force_login(make_staff(StaffRole.EDITOR))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Waiting for a decision" not in page


def test_bulk_approve_of_all_in_listing_keeps_to_the_listing_filters(client, site, officer):
    observer, civilian = submitted(MemberCategory.OBSERVER), submitted(MemberCategory.CIVILIAN)
    url = reverse("wagtail_bulk_action", args=["network", "membershipapplication", "approve"])
    response = client.post(f"{url}?category=observer&id=all&next={APPLICATIONS}", {"reason": "All observers."})
    assert response.status_code == 302
    observer.refresh_from_db()
    civilian.refresh_from_db()
    assert observer.state == ApplicationState.APPROVED
    assert civilian.state == ApplicationState.SUBMITTED
