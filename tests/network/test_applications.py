"""Membership applications: the applicant's two steps, evidence per category, states, decisions, emails."""

import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from network import permissions
from network.choices import ApplicationState, AuditAction, MemberCategory, StaffRole
from network.models import AuditEntry, CategoryChange, Member, MembershipApplication
from network.services import applications as services
from network.services.applications import ApplicationError
from tests.factories import MemberFactory, UserFactory
from tests.factories.staff import EVIDENCE, ApplicationFactory, any_mission, make_staff

pytestmark = pytest.mark.django_db

MY_MEMBERSHIP = reverse("network:my_membership")
APPLY = reverse("network:apply")


def apply_url(category: str) -> str:
    return reverse("network:apply_details", args=[category])


def post_data(category: str) -> dict:
    data = EVIDENCE[category]()
    # The applicant's country goes to her profile (see tests/network/test_officer_review.py).
    return {"country": "RW", **{name: (value.pk if hasattr(value, "pk") else value) for name, value in data.items()}}


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def officer():
    return make_staff(StaffRole.MEMBERSHIP_OFFICER)


def submitted(category=MemberCategory.OBSERVER, user=None) -> MembershipApplication:
    evidence = EVIDENCE[category]()
    return services.submit_application(user or UserFactory(), category=category, evidence=evidence)


# --- the applicant's steps ----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_to_apply(client, site):
    for url in (MY_MEMBERSHIP, APPLY, apply_url("active"), reverse("network:update_application")):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_user_without_category_sees_call_to_apply_on_profile_and_membership_page(client, site, applicant):
    profile = client.get(reverse("network:my_profile")).content.decode()
    assert MY_MEMBERSHIP in profile
    page = client.get(MY_MEMBERSHIP).content.decode()
    assert "You are not a member yet." in page
    assert APPLY in page


def test_step_one_lists_categories_as_radio_buttons_that_work_without_javascript(client, site, applicant):
    response = client.get(APPLY)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('type="radio"') == 4
    assert 'method="get"' in page

    response = client.get(APPLY, {"category": "civilian"})
    assert response.status_code == 302
    assert response["Location"] == apply_url("civilian")


def test_step_one_without_a_valid_choice_says_so_on_the_same_page(client, site, applicant):
    response = client.get(APPLY, {"category": "administrator"})
    assert response.status_code == 200
    assert "Please choose one of the categories listed." in response.content.decode()


def test_unknown_category_in_the_address_is_not_found(client, site, applicant):
    assert client.get(apply_url("administrator")).status_code == 404
    assert client.post(apply_url("administrator"), {}).status_code == 404


@pytest.mark.parametrize(
    ("category", "asks_for", "does_not_ask_for"),
    [
        ("active", ["police_service", "rank", "mission", "mission_start_year", "mission_end_year"], ["organisation"]),
        ("civilian", ["organisation", "role"], ["police_service", "nominator_name"]),
        ("honorary", ["nominator_name", "nomination_reason"], ["organisation", "rank"]),
        ("observer", ["organisation", "interest"], ["police_service", "nominator_name"]),
    ],
)
def test_step_two_asks_for_the_evidence_of_the_category(client, site, applicant, category, asks_for, does_not_ask_for):
    page = client.get(apply_url(category)).content.decode()
    for name in asks_for:
        assert f'name="{name}"' in page
    for name in does_not_ask_for:
        assert f'name="{name}"' not in page


@pytest.mark.parametrize(
    ("category", "required"),
    [
        ("active", ["police_service", "rank", "mission", "mission_start_year"]),
        ("civilian", ["organisation", "role"]),
        ("honorary", ["nominator_name", "nomination_reason"]),
        ("observer", ["organisation", "interest"]),
    ],
)
def test_missing_evidence_gives_errors_per_field_and_keeps_what_was_typed(client, site, applicant, category, required):
    response = client.post(apply_url(category), {"statement": "I would like to join."})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {*required, "country"}
    page = response.content.decode()
    assert "I would like to join." in page
    assert "Nothing has been sent yet." in page
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize("category", ["active", "civilian", "honorary", "observer"])
def test_complete_application_is_submitted_audited_and_confirmed_by_email(
    client, site, applicant, category, mailoutbox
):
    response = client.post(apply_url(category), post_data(category))
    assert response.status_code == 302
    assert response["Location"] == MY_MEMBERSHIP
    application = MembershipApplication.objects.get(user=applicant)
    assert application.category == category
    assert application.state == ApplicationState.SUBMITTED
    for name, value in EVIDENCE[category]().items():
        assert getattr(application, name) == value
    entry = AuditEntry.objects.get(action=AuditAction.APPLICATION_SUBMITTED)
    assert entry.actor == applicant and entry.subject_user == applicant
    assert [message.to for message in mailoutbox] == [[applicant.email]]
    assert "received your membership application" in mailoutbox[0].subject
    page = client.get(MY_MEMBERSHIP).content.decode()
    assert "Submitted" in page


def test_mission_years_are_checked(client, site, applicant):
    data = post_data("active") | {"mission_start_year": 2020, "mission_end_year": 2015}
    response = client.post(apply_url("active"), data)
    assert response.status_code == 200
    assert "The end year cannot be before the start year." in response.content.decode()
    data = post_data("active") | {"mission_start_year": timezone.now().year + 1, "mission_end_year": ""}
    response = client.post(apply_url("active"), data)
    assert "mission_start_year" in response.context["form"].errors
    assert not MembershipApplication.objects.exists()


def test_forged_category_and_state_in_post_are_ignored(client, site, applicant):
    data = post_data("observer") | {
        "category": "active",
        "state": ApplicationState.APPROVED,
        "decision_reason": "Self-approved",
        "decided_by": applicant.pk,
        "user": UserFactory().pk,
    }
    client.post(apply_url("observer"), data)
    application = MembershipApplication.objects.get()
    assert application.user == applicant
    assert application.category == MemberCategory.OBSERVER
    assert application.state == ApplicationState.SUBMITTED
    assert application.decision_reason == "" and application.decided_by is None
    assert Member.objects.get(user=applicant).category == ""


def test_evidence_of_another_category_is_not_stored(client, site, applicant):
    client.post(apply_url("observer"), post_data("observer") | {"police_service": "Forged", "rank": "General"})
    application = MembershipApplication.objects.get()
    assert application.police_service == "" and application.rank == ""


def test_applying_twice_while_one_is_open_gives_a_clear_message(client, site, applicant):
    client.post(apply_url("observer"), post_data("observer"))
    response = client.get(APPLY, follow=True)
    assert response.redirect_chain[-1][0] == MY_MEMBERSHIP
    assert "You already have an application waiting for a decision." in response.content.decode()

    response = client.post(apply_url("civilian"), post_data("civilian"), follow=True)
    assert "You already have an application waiting for a decision." in response.content.decode()
    assert MembershipApplication.objects.count() == 1


def test_second_application_racing_past_the_check_hits_the_database_constraint(monkeypatch, site):
    user = UserFactory()
    submitted(MemberCategory.OBSERVER, user=user)
    # As if two requests had both passed the check before either was saved.
    monkeypatch.setattr(services, "open_application_for", lambda user: None)
    with pytest.raises(ApplicationError, match="already have an application"):
        services.submit_application(user, category="civilian", evidence=EVIDENCE["civilian"]())
    assert MembershipApplication.objects.filter(user=user).count() == 1


def test_user_without_a_confirmed_email_address_cannot_apply(client, site):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.force_login(user)
    response = client.get(APPLY, follow=True)
    assert "Please confirm your email address" in response.content.decode()
    response = client.post(apply_url("observer"), post_data("observer"))
    assert response.status_code == 302
    assert not MembershipApplication.objects.exists()
    with pytest.raises(ApplicationError):
        services.submit_application(user, category="observer", evidence=EVIDENCE["observer"]())


def test_member_may_apply_for_another_category_but_not_their_own(client, site, member_of):
    member = member_of(MemberCategory.OBSERVER)
    client.force_login(member.user)
    response = client.get(APPLY)
    assert 'value="observer"' not in response.content.decode()
    assert client.get(apply_url("observer")).status_code == 302
    assert client.post(apply_url("active"), post_data("active")).status_code == 302
    assert MembershipApplication.objects.get(user=member.user).category == MemberCategory.ACTIVE


# --- decisions ---------------------------------------------------------------------------------------


def test_approval_admits_the_member_records_history_and_emails_the_reason(site, officer, mailoutbox):
    application = submitted(MemberCategory.ACTIVE)
    mailoutbox.clear()
    services.approve_application(application, actor=officer, reason="Service confirmed by UNPOL.")

    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    assert application.decided_by == officer and application.decided_at is not None
    member = Member.objects.get(user=application.user)
    assert member.category == MemberCategory.ACTIVE
    assert member.membership_expires_on == timezone.localdate() + timedelta(days=730)
    change = CategoryChange.objects.get(member=member)
    assert (change.from_category, change.to_category, change.actor) == ("", "active", officer)
    actions = set(AuditEntry.objects.filter(subject_user=application.user).values_list("action", flat=True))
    assert {AuditAction.APPLICATION_APPROVED, AuditAction.CATEGORY_CHANGED} <= actions
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [application.user.email]
    assert "approved" in mailoutbox[0].subject
    assert "Service confirmed by UNPOL." in mailoutbox[0].body
    assert permissions.can_view_directory(application.user)


def test_membership_term_comes_from_settings(site, officer, settings):
    settings.MEMBERSHIP_TERM_DAYS = 365
    application = submitted(MemberCategory.CIVILIAN)
    services.approve_application(application, actor=officer, reason="Welcome.")
    member = Member.objects.get(user=application.user)
    assert member.membership_expires_on == timezone.localdate() + timedelta(days=365)


def test_rejection_keeps_the_applicant_out_and_emails_the_reason(site, officer, mailoutbox):
    application = submitted(MemberCategory.HONORARY)
    mailoutbox.clear()
    services.reject_application(application, actor=officer, reason="The nomination could not be confirmed.")
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED
    assert Member.objects.get(user=application.user).category == ""
    assert AuditEntry.objects.get(action=AuditAction.APPLICATION_REJECTED).reason == (
        "The nomination could not be confirmed."
    )
    assert "The nomination could not be confirmed." in mailoutbox[0].body
    assert mailoutbox[0].to == [application.user.email]


def test_requested_information_is_added_by_the_applicant_and_goes_back_to_the_officers(
    client, site, applicant, officer, mailoutbox
):
    application = submitted(MemberCategory.ACTIVE, user=applicant)
    mailoutbox.clear()
    services.request_more_information(application, actor=officer, reason="Please give the years of your mission.")
    application.refresh_from_db()
    assert application.state == ApplicationState.MORE_INFO
    assert "Please give the years of your mission." in mailoutbox[0].body
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_INFO_REQUESTED).count() == 1

    page = client.get(MY_MEMBERSHIP).content.decode()
    assert "Please give the years of your mission." in page
    update = reverse("network:update_application")
    assert update in page

    # Missing evidence: errors, nothing changes, what was typed stays.
    response = client.post(update, post_data("active") | {"rank": "", "statement": "Still serving."})
    assert response.status_code == 200
    assert "rank" in response.context["form"].errors
    assert "Still serving." in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.MORE_INFO

    response = client.post(update, post_data("active") | {"mission_start_year": 2016, "mission_end_year": 2019})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert (application.mission_start_year, application.mission_end_year) == (2016, 2019)
    assert application.category == MemberCategory.ACTIVE
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_SUBMITTED, details__resubmitted=True).exists()


def test_update_page_is_only_for_applications_waiting_for_information(client, site, applicant):
    submitted(MemberCategory.OBSERVER, user=applicant)
    response = client.post(reverse("network:update_application"), post_data("observer"), follow=True)
    assert "not waiting for more information" in response.content.decode()


def test_approving_twice_records_exactly_one_decision(site, officer, mailoutbox):
    application = submitted(MemberCategory.CIVILIAN)
    second_officer = make_staff(StaffRole.MEMBERSHIP_OFFICER)
    mailoutbox.clear()
    services.approve_application(application, actor=officer, reason="First.")
    with pytest.raises(ApplicationError, match="already been decided"):
        services.approve_application(application, actor=second_officer, reason="Second.")
    with pytest.raises(ApplicationError):
        services.reject_application(application, actor=second_officer, reason="Too late.")
    application.refresh_from_db()
    assert application.decided_by == officer and application.decision_reason == "First."
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).count() == 1
    assert CategoryChange.objects.count() == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_the_same_moment_record_one_decision():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    application = submitted(MemberCategory.CIVILIAN)
    officers = [make_staff(StaffRole.MEMBERSHIP_OFFICER) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(officer):
        try:
            barrier.wait(timeout=10)
            services.approve_application(application, actor=officer, reason=f"By {officer.pk}")
            outcomes.append("approved")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_APPROVED).count() == 1
    assert CategoryChange.objects.count() == 1


@pytest.mark.parametrize("role", [None, StaffRole.MODERATOR, StaffRole.EDITOR])
def test_only_officers_and_administrators_decide(site, member_of, role):
    application = submitted(MemberCategory.OBSERVER)
    actor = make_staff(role) if role else member_of(MemberCategory.ACTIVE).user
    for decide in (services.approve_application, services.reject_application, services.request_more_information):
        with pytest.raises(PermissionDenied):
            decide(application, actor=actor, reason="No.")
    administrator = make_staff(StaffRole.ADMINISTRATOR)
    services.approve_application(application, actor=administrator, reason="Yes.")


def test_a_rejection_or_a_request_for_information_needs_a_reason(site, officer):
    # Approving needs none (tests/network/test_officer_review.py).
    for decide in (services.reject_application, services.request_more_information):
        with pytest.raises(ApplicationError, match="reason"):
            decide(submitted(MemberCategory.OBSERVER), actor=officer, reason="  ")


def test_officer_cannot_decide_their_own_application(site, officer):
    application = submitted(MemberCategory.ACTIVE, user=officer)
    with pytest.raises(ApplicationError, match="your own"):
        services.approve_application(application, actor=officer, reason="Me.")


def test_decided_application_shows_state_and_reason_and_allows_a_new_application(client, site, applicant, officer):
    application = ApplicationFactory(user=applicant)
    services.reject_application(application, actor=officer, reason="Not enough detail.")
    page = client.get(MY_MEMBERSHIP).content.decode()
    assert "Rejected" in page
    assert "Not enough detail." in page
    assert APPLY in page
    assert client.post(apply_url("observer"), post_data("observer")).status_code == 302
    assert MembershipApplication.objects.filter(user=applicant).count() == 2


def test_application_mission_choice_uses_reference_missions(client, site, applicant):
    page = client.get(apply_url("active")).content.decode()
    assert any_mission().acronym in page


def test_approval_copies_the_evidence_into_the_still_private_profile_and_says_so(site, officer, mailoutbox):
    application = submitted(MemberCategory.ACTIVE)
    mailoutbox.clear()
    services.approve_application(application, actor=officer, reason="Service confirmed by UNPOL.")

    member = Member.objects.get(user=application.user)
    assert (member.police_service, member.rank) == ("Rwanda National Police", "Superintendent")
    assert [(s.mission, s.start_year, s.end_year) for s in member.missions.all()] == [(any_mission(), 2018, 2021)]
    # Copied, not shared: nobody else sees the profile until she chooses.
    assert member.visibility == {}
    colleague = MemberFactory(category=MemberCategory.ACTIVE).user
    assert not permissions.filter_directory_members_for_user(colleague, Member.objects.filter(pk=member.pk))
    body = mailoutbox[0].body
    assert "now in your profile (police service or employer, rank or title, mission)" in body
    assert "Your profile is private" in body


def test_approval_keeps_what_the_member_already_wrote_in_her_profile(site, officer):
    application = submitted(MemberCategory.CIVILIAN)
    member = Member.objects.get(user=application.user)
    member.police_service = "Ministry of the Interior"
    member.save()
    services.approve_application(application, actor=officer, reason="Welcome.")
    member.refresh_from_db()
    assert (member.police_service, member.rank) == ("Ministry of the Interior", "Gender adviser")
