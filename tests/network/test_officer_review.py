"""The membership officers' review in the Wagtail admin: the applications list, decisions and their reasons,
the member list's staff accounts, and the admin's images."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from network.choices import ApplicationState, MemberCategory, StaffRole
from network.services import applications as services
from network.services.applications import ApplicationError
from tests.factories import MemberFactory, UserFactory
from tests.factories.staff import EVIDENCE, make_staff

pytestmark = pytest.mark.django_db

INDEX = "/admin/membership/applications/"
MEMBERS = "/admin/membership/members/"


@pytest.fixture
def officer():
    return make_staff(StaffRole.MEMBERSHIP_OFFICER, first_name="Olga", last_name="Officer")


def submitted(category=MemberCategory.OBSERVER, **member_fields):
    user = UserFactory()
    MemberFactory(user=user, **member_fields)
    return services.submit_application(user, category=category, evidence=EVIDENCE[category](), country="KE")


def cell_texts(html: str) -> list[str]:
    listing = html[html.index('<table class="listing') :]
    body = listing[listing.index("<tbody") : listing.index("</tbody>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]


# --- the applications list -----------------------------------------------------------------------------------


def test_applications_list_shows_the_applicants_country(client, site, officer):
    submitted()
    client.force_login(officer)
    assert "Kenya" in cell_texts(client.get(INDEX).content.decode())


def test_application_form_asks_for_the_country_and_keeps_it_on_the_profile(client, site):
    user = UserFactory()
    client.force_login(user)
    url = reverse("network:apply_details", args=["observer"])
    assert 'name="country"' in client.get(url).content.decode()
    missing = client.post(url, {"organisation": "Police academy", "interest": "Research."})
    assert missing.status_code == 200 and 'href="#id_country"' in missing.content.decode()
    response = client.post(url, {"organisation": "Police academy", "interest": "Research.", "country": "GH"})
    assert response.status_code == 302
    user.member.refresh_from_db()
    assert user.member.country.code == "GH"


def test_demo_applicants_have_a_country(client, site, officer):
    from network.management.demo_membership import seed_membership_demo

    seed_membership_demo("demo-password-for-tests")
    client.force_login(officer)
    cells = cell_texts(client.get(INDEX).content.decode())
    assert {"Morocco", "Sweden", "Senegal"} <= set(cells)


# --- decided applications ------------------------------------------------------------------------------------


def test_decided_application_is_not_offered_for_decision_in_the_list(client, site, officer):
    application = submitted()
    services.reject_application(application, actor=officer, reason="Not enough detail.")
    client.force_login(officer)
    html = client.get(INDEX).content.decode()
    for name in ("approve", "reject", "request_info"):
        assert reverse(f"membership_applications:{name}", args=[application.pk]) not in html
    html = client.get(f"{INDEX}inspect/{application.pk}/").content.decode()
    assert reverse("membership_applications:approve", args=[application.pk]) not in html


@pytest.mark.parametrize("decision", ["approve", "reject", "request_info"])
def test_decided_application_refuses_the_decision_form_with_a_message(client, site, officer, decision):
    application = submitted()
    services.approve_application(application, actor=officer, reason="")
    client.force_login(officer)
    url = reverse(f"membership_applications:{decision}", args=[application.pk])
    inspect = f"{INDEX}inspect/{application.pk}/"
    for response in (client.get(url), client.post(url, {"reason": "Changed my mind."})):
        assert response.status_code == 302 and response["Location"] == inspect
    page = client.get(inspect).content.decode()
    assert "This application has already been decided" in page
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED


# --- reasons ---------------------------------------------------------------------------------------------------


def test_approving_needs_no_reason(client, site, officer, mailoutbox):
    application = submitted()
    client.force_login(officer)
    url = reverse("membership_applications:approve", args=[application.pk])
    page = client.get(url).content.decode()
    assert "(optional)" in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED and application.decision_reason == ""
    assert application.user.member.category == MemberCategory.OBSERVER


@pytest.mark.parametrize("decision", ["reject", "request_info"])
def test_rejecting_or_asking_for_information_needs_a_reason(client, site, officer, decision):
    application = submitted()
    client.force_login(officer)
    response = client.post(reverse(f"membership_applications:{decision}", args=[application.pk]), {"reason": " "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#id_reason"' in html
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_services_need_a_reason_to_reject_or_ask_but_not_to_approve(site, officer):
    for service in (services.reject_application, services.request_more_information):
        with pytest.raises(ApplicationError, match="reason"):
            service(submitted(), actor=officer, reason="  ")
    assert services.approve_application(submitted(), actor=officer, reason="").state == ApplicationState.APPROVED


def test_bulk_approval_needs_no_reason(client, site, officer):
    first, second = submitted(), submitted()
    client.force_login(officer)
    url = f"/admin/bulk/network/membershipapplication/approve/?id={first.pk}&id={second.pk}"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    for application in (first, second):
        application.refresh_from_db()
        assert application.state == ApplicationState.APPROVED


# --- staff in the member list ----------------------------------------------------------------------------------


def test_member_list_shows_staff_roles_instead_of_an_empty_category(client, site, officer):
    make_staff(StaffRole.MODERATOR, first_name="Maria", last_name="Moderator")
    MemberFactory(category=MemberCategory.ACTIVE, user__first_name="Awa", user__last_name="Active")
    MemberFactory(category="", user__first_name="Nina", user__last_name="Newcomer")
    client.force_login(officer)
    html = client.get(MEMBERS).content.decode()
    rows = {
        re.sub(r"<[^>]+>|\s+", " ", row).split()[0]: " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", html[html.index('<table class="listing') :], re.S)
    }
    assert "Staff: Community moderator" in rows["Maria"]
    assert "Staff: Membership officer" in rows["Olga"]
    assert "Active" in rows["Awa"]
    assert "Not admitted yet" in rows["Nina"]


def test_member_list_reads_staff_roles_in_a_fixed_number_of_queries(
    client, site, officer, django_assert_max_num_queries
):
    for number in range(10):
        make_staff(StaffRole.EDITOR, email=f"editor{number}@example.org")
    client.force_login(officer)
    client.get(MEMBERS)
    with django_assert_max_num_queries(20):
        client.get(MEMBERS)


# --- the admin's images ---------------------------------------------------------------------------------------


def test_admin_pages_show_no_image_that_cannot_load(client, site, officer):
    client.force_login(officer)
    for url in ("/admin/", INDEX, MEMBERS):
        html = client.get(url).content.decode()
        for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
            # Nothing fetched from elsewhere (Gravatar: a staff member's email hash, and broken offline)…
            assert not src.startswith(("//", "http:", "https:")), src
            # … and every local image is a static file that exists.
            if src.startswith("/static/"):
                assert finders.find(src.removeprefix("/static/").split("?")[0]), src
