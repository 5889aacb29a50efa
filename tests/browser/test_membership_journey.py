"""Issue 3 end to end in Chromium: apply, be admitted by an officer, use the directory, join the Community of Practice.

Only the starting state is made directly (an applicant with a confirmed address, staff with an authenticator app,
one member the directory shows, one other application waiting); every step of the journey goes through the
pages people use.
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import Page, expect

from network.choices import MemberCategory, StaffRole, Visibility
from network.models import User
from tests.browser.helpers import field, on_path, totp_code
from tests.factories import MemberFactory, UserFactory
from tests.factories.staff import ApplicationFactory, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMMUNITY_HOME = "/en/members/community/home/"
APPROVAL_REASON = "Service with UNMISS confirmed by the Rwanda National Police."
MOTIVATION = "I train new police peacekeepers on preventing sexual violence and want to share our materials."
ACCESS_REASON = "Welcome: your training experience is what the community needs."


def staff_with_authenticator(role: StaffRole, **user_fields) -> tuple[User, str]:
    """A staff member and the secret of the authenticator app they enrolled, so the test can type its codes."""
    user = make_staff(role, mfa=False, **user_fields)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def staff_opens_admin(page: Page, url, user: User, secret: str) -> None:
    """Open /admin/ signed out: the login form, then the authenticator code, then the admin dashboard."""
    page.goto(url("/admin/"))
    page.wait_for_url(on_path("/en/accounts/login/"))
    field(page, "Email").fill(user.email)
    field(page, "Password").fill(UserFactory.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(on_path("/en/accounts/2fa/authenticate/"))
    field(page, "Code").fill(totp_code(secret))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(on_path("/admin/"))
    expect(page).to_have_title(re.compile("Dashboard"))


def description_of(page: Page, term: str):
    """The <dd> that follows the <dt> reading `term` in a description list."""
    return page.locator("dt", has_text=re.compile(rf"^{re.escape(term)}$")).locator("xpath=following-sibling::dd[1]")


def open_my_network(page: Page) -> None:
    """Her members' area, through the account menu of the header."""
    page.get_by_role("navigation", name="Account").get_by_text("My account").click()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="My network").click()
    page.wait_for_url(on_path("/en/members/"))


def not_open(page: Page):
    """The list of what is not open to her yet, on her members' area."""
    return page.get_by_role("region", name="Not open to you yet")


def test_applicant_is_admitted_finds_members_and_enters_the_community_of_practice(
    page: Page, url, site, mailoutbox, new_context
):
    applicant = UserFactory(first_name="Amina", last_name="Diallo", email="amina@example.org")
    officer, officer_secret = staff_with_authenticator(StaffRole.MEMBERSHIP_OFFICER)
    moderator, moderator_secret = staff_with_authenticator(StaffRole.MODERATOR)
    # Another applicant waits for a decision too, so the officer has to pick out the right application.
    ApplicationFactory(user__first_name="Noor", user__last_name="Haddad", category=MemberCategory.OBSERVER)
    # A network member who shares her country with the network and keeps her rank to herself.
    MemberFactory(
        user__first_name="Grace",
        user__last_name="Mensah",
        user__email="grace.mensah@example.org",
        category=MemberCategory.ACTIVE,
        country="GH",
        rank="Chief Superintendent",
        visibility={"country": Visibility.NETWORK, "rank": Visibility.PRIVATE},
    )

    # 1. The applicant applies for active membership.
    page.goto(url("/en/accounts/login/"))
    field(page, "Email").fill(applicant.email)
    field(page, "Password").fill(UserFactory.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(on_path("/en/members/me/"))
    # Not admitted yet: her network page says the directory is not open to her, and offers the application.
    open_my_network(page)
    expect(page.get_by_role("link", name="Search the directory")).to_have_count(0)
    expect(not_open(page)).to_contain_text("Members' directory")
    expect(page.get_by_role("main").get_by_role("link", name="Apply for membership")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="My membership").click()

    page.wait_for_url(on_path("/en/members/membership/"))
    expect(page.get_by_role("heading", name="My membership", level=1)).to_be_visible()
    expect(page.get_by_text("You are not a member yet.")).to_be_visible()
    page.get_by_role("link", name="Apply for membership").click()

    page.wait_for_url(on_path("/en/members/membership/apply/"))
    page.get_by_role("radio", name=re.compile(r"^Active \(serving police officer\)")).check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(on_path("/en/members/membership/apply/active/"))
    expect(page.get_by_text("Step 2 of 2: Active (serving police officer) membership.")).to_be_visible()
    field(page, "Police service").fill("Rwanda National Police")
    field(page, "Rank").fill("Superintendent")
    field(page, "Current or last UN mission").select_option(
        label="UNMISS — United Nations Mission in the Republic of South Sudan"
    )
    field(page, "In that mission from (year)").fill("2018")
    field(page, "Until (year) (optional)").fill("2021")
    field(page, "Country you serve or work in").select_option(label="Rwanda")
    page.get_by_role("button", name="Send my application").click()

    page.wait_for_url(on_path("/en/members/membership/"))
    expect(page.get_by_role("status")).to_contain_text("Your application has been sent to the membership officers")
    expect(description_of(page, "Category applied for")).to_have_text("Active (serving police officer)")
    expect(description_of(page, "State")).to_have_text("Submitted")
    expect(page.get_by_text("You are not a member yet.")).to_be_visible()
    assert [message.to for message in mailoutbox] == [[applicant.email]]
    assert "received your membership application" in mailoutbox[0].subject
    mailoutbox.clear()

    # 2. A membership officer finds the application among the others and approves it.
    officer_page = new_context().new_page()
    staff_opens_admin(officer_page, url, officer, officer_secret)
    officer_page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Membership").click()
    officer_page.get_by_role("list", name="Membership").get_by_role("link", name="Applications").click()
    officer_page.wait_for_url(on_path("/admin/membership/applications/"))
    expect(officer_page.get_by_role("heading", name="Membership applications", level=1)).to_be_visible()
    applications = officer_page.get_by_role("table")
    expect(applications.get_by_role("link", name="Noor Haddad")).to_be_visible()
    filters = officer_page.get_by_role("search")
    filters.get_by_role("button", name="Show filters").click()
    filters.get_by_role("button", name="Category").click()
    filters.get_by_role("radio", name="Active (serving police officer)").check()
    officer_page.wait_for_url(re.compile(r"[?&]category=active(&|$)"))
    expect(applications.get_by_role("link", name="Noor Haddad")).to_have_count(0)
    row = applications.get_by_role("row").filter(has=officer_page.get_by_role("link", name="Amina Diallo"))
    expect(row).to_contain_text("Submitted")
    row.get_by_role("link", name="Amina Diallo").click()

    expect(officer_page.get_by_text("Rwanda National Police")).to_be_visible()
    expect(officer_page.get_by_text("Superintendent", exact=True)).to_be_visible()
    expect(officer_page.get_by_role("definition").filter(has_text="UNMISS")).to_contain_text("(2018–2021)")
    officer_page.get_by_role("link", name="Approve", exact=True).click()

    expect(officer_page.get_by_role("heading", name="Approve", level=1)).to_be_visible()
    officer_page.get_by_role("textbox", name="Message to the applicant (optional)").fill(APPROVAL_REASON)
    officer_page.get_by_role("button", name="Approve", exact=True).click()

    officer_page.wait_for_url(on_path("/admin/membership/applications/"))
    expect(officer_page.get_by_text("Application of Amina Diallo approved")).to_be_visible()

    # 3. The applicant reads the decision, opens her membership from the email, then the directory.
    assert [message.to for message in mailoutbox] == [[applicant.email]]
    decision = mailoutbox[0]
    assert decision.subject == "Welcome: your membership application has been approved"
    assert APPROVAL_REASON in decision.body
    link = re.search(r"https?://\S+(/en/members/membership/)", decision.body)
    assert link, decision.body
    mailoutbox.clear()

    page.goto(url(link.group(1)))
    expect(description_of(page, "Category")).to_have_text("Active (serving police officer)")
    expect(description_of(page, "State")).to_have_text("Approved")
    expect(description_of(page, "Reason given")).to_have_text(APPROVAL_REASON)
    open_my_network(page)
    page.get_by_role("link", name="Search the directory").click()

    page.wait_for_url(on_path("/en/members/directory/"))
    expect(page.get_by_role("heading", name="Members' directory", level=1)).to_be_visible()
    results = page.get_by_role("list", name=re.compile(r"members? found"))
    grace = results.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Grace Mensah"))
    expect(grace).to_be_visible()
    expect(grace).to_contain_text("Ghana")
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Chief Superintendent")
    expect(main).not_to_contain_text("grace.mensah@example.org")
    # Only Grace: not herself, not the other applicant (not admitted), not the staff (who share nothing).
    expect(page.get_by_role("heading", name="1 member found")).to_be_visible()

    # 4. Not yet in the Community of Practice: the community's home is closed, and her network page leads her
    # to ask.
    denied = page.goto(url(COMMUNITY_HOME))
    assert denied.status == 403
    expect(page.get_by_role("heading", name="Community of Practice: access needed", level=1)).to_be_visible()
    expect(page.get_by_text("You do not have access at the moment.")).to_be_visible()
    open_my_network(page)
    expect(not_open(page)).to_contain_text("Community of Practice")
    page.get_by_role("link", name="Ask to take part in the Community of Practice").click()

    page.wait_for_url(on_path("/en/members/community/"))
    expect(page.get_by_role("heading", name="Ask to join")).to_be_visible()
    field(page, "Why you would like to join").fill(MOTIVATION)
    page.get_by_role("button", name="Send my request").click()

    page.wait_for_url(on_path("/en/members/community/"))
    expect(page.get_by_role("status")).to_contain_text("Your request has been sent to the moderators.")
    expect(page.get_by_role("heading", name="Your request is waiting for a decision")).to_be_visible()
    expect(page.get_by_text(MOTIVATION)).to_be_visible()
    # Asking is not entering: the community stays closed until a moderator decides.
    still_denied = page.goto(url(COMMUNITY_HOME))
    assert still_denied.status == 403
    open_my_network(page)
    expect(not_open(page)).to_contain_text("Your request to take part is waiting for a moderator's decision.")

    # 5. A community moderator approves the request in the admin.
    moderator_page = new_context().new_page()
    staff_opens_admin(moderator_page, url, moderator, moderator_secret)
    moderator_page.get_by_role("link", name="Community of Practice access requests waiting for a decision").click()
    moderator_page.wait_for_url(on_path("/admin/community-access/"))
    requests_table = moderator_page.get_by_role("table", name="Community of Practice access requests")
    requests_table.get_by_role("link", name="Amina Diallo").click()

    expect(moderator_page.get_by_text(MOTIVATION)).to_be_visible()
    approve_form = moderator_page.get_by_role("form", name="Approve", exact=True)
    approve_form.get_by_role("textbox", name="Reason (the member reads it)").fill(ACCESS_REASON)
    approve_form.get_by_role("button", name="Approve", exact=True).click()

    moderator_page.wait_for_url(on_path("/admin/community-access/"))
    expect(moderator_page.get_by_text("Access granted to Amina Diallo")).to_be_visible()
    assert [message.to for message in mailoutbox] == [[applicant.email]]
    assert mailoutbox[0].subject == "Your Community of Practice access has been approved"
    assert ACCESS_REASON in mailoutbox[0].body

    # 6. She enters the Community of Practice.
    page.goto(url("/en/members/community/"))
    expect(page.get_by_role("heading", name="You have access")).to_be_visible()
    page.get_by_role("link", name="Enter the Community of Practice").click()

    page.wait_for_url(on_path(COMMUNITY_HOME))
    expect(page.get_by_role("heading", name="Community of Practice", level=1)).to_be_visible()
    expect(page.get_by_text("Welcome. This is the members-only space of the network")).to_be_visible()
    open_my_network(page)
    expect(page.get_by_role("link", name="Enter the Community of Practice")).to_have_attribute("href", COMMUNITY_HOME)
    expect(not_open(page)).to_have_count(0)
    entered = page.goto(url(COMMUNITY_HOME))
    assert entered.status == 200
