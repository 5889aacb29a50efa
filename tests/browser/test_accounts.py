import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from network.choices import StaffRole
from network.models import User
from network.services import ensure_staff_groups
from tests.browser.helpers import field, on_path, totp_code
from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "violet-harbour-lantern-42"


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


def account_nav(page: Page):
    return page.get_by_role("navigation", name="Account", exact=True)


def open_account_menu(page: Page) -> None:
    """Signed in, the account links sit in the header's "My account" menu (a <details>)."""
    menu = account_nav(page).locator("details.account-menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def sign_up(page: Page, email: str, password: str, password_again: str | None = None) -> None:
    """Fill in the sign-up form, open in `page`, agreeing to the terms, and send it."""
    field(page, "First name").fill("Amina")
    field(page, "Last name").fill("Diallo")
    field(page, "Email").fill(email)
    field(page, "Password").fill(password)
    field(page, "Password (again)").fill(password if password_again is None else password_again)
    page.get_by_label(re.compile("I agree to the terms of membership")).check()
    page.get_by_role("button", name="Sign up").click()


def log_in(page: Page, url: Callable[[str], str], email: str, password: str) -> None:
    page.goto(url("/en/accounts/login/"))
    field(page, "Email").fill(email)
    field(page, "Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    open_account_menu(page)
    account_nav(page).get_by_role("button", name="Log out").click()
    expect(account_nav(page).get_by_role("link", name="Log in")).to_be_visible()


def confirm_access(page: Page, password: str) -> None:
    """allauth asks for the password again before any change to the second factor, even right after login."""
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    field(page, "Password").fill(password)
    page.get_by_role("button", name="Confirm").click()


def activate_totp(page: Page) -> str:
    """Fill in allauth's activation page, open in `page`, as someone with an authenticator app would."""
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    secret = field(page, "Authenticator secret").input_value()
    field(page, "Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    # allauth hands out recovery codes with the first authenticator.
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    return secret


def expect_logged_in(page: Page) -> None:
    open_account_menu(page)
    expect(account_nav(page).get_by_role("link", name="My profile", exact=True)).to_be_visible()
    expect(account_nav(page).get_by_role("button", name="Log out")).to_be_visible()


def test_visitor_signs_up_confirms_email_and_logs_in(page: Page, url, site, mailoutbox):
    page.goto(url("/en/"))
    account_nav(page).get_by_role("link", name="Sign up").click()
    page.wait_for_url(on_path("/en/accounts/signup/"))
    sign_up(page, "amina@example.org", NEW_PASSWORD)

    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert [message.to for message in mailoutbox] == [["amina@example.org"]]
    link = re.search(r"https?://\S+(/en/accounts/confirm-email/[^/\s]+/)", mailoutbox[0].body)
    assert link, mailoutbox[0].body

    page.goto(url(link.group(1)))
    expect(page.get_by_text("amina@example.org").first).to_be_visible()
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(on_path("/en/members/me/"))
    expect_logged_in(page)

    log_out(page)
    log_in(page, url, "amina@example.org", NEW_PASSWORD)

    page.wait_for_url(on_path("/en/members/me/"))
    expect_logged_in(page)
    expect(page.get_by_role("link", name="Edit my profile")).to_be_visible()


def test_signup_with_mismatched_passwords_keeps_typed_email(page: Page, url, site, mailoutbox):
    page.goto(url("/en/accounts/signup/"))
    sign_up(page, "amina@example.org", NEW_PASSWORD, NEW_PASSWORD + "-typo")

    # The error summary is focused first and leads to the field; the field says it again.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="You must type the same password each time.").click()
    expect(page).to_have_url(re.compile(r".*/en/accounts/signup/#id_password2$"))
    expect(page.locator("#id_password2_error")).to_have_text("You must type the same password each time.")
    expect(field(page, "Email")).to_have_value("amina@example.org")
    expect(field(page, "Password")).to_have_value("")
    expect(field(page, "Password (again)")).to_have_value("")
    assert mailoutbox == []
    assert not User.objects.filter(email="amina@example.org").exists()


def test_signup_with_existing_email_looks_like_any_signup(page: Page, url, site, mailoutbox):
    owner = UserFactory(email="amina@example.org")

    page.goto(url("/en/accounts/signup/"))
    sign_up(page, "amina@example.org", NEW_PASSWORD)

    expect(page).to_have_url(on_path("/en/accounts/confirm-email/"))
    expect(page.get_by_text("already exists")).to_have_count(0)
    assert [message.to for message in mailoutbox] == [["amina@example.org"]]
    assert list(User.objects.filter(email__iexact="amina@example.org")) == [owner]
    owner.refresh_from_db()
    assert owner.check_password(UserFactory.PASSWORD)


def test_member_enrols_totp_and_logs_in_with_a_code(page: Page, url, site):
    member = MemberFactory()
    email = member.user.email
    log_in(page, url, email, UserFactory.PASSWORD)
    page.wait_for_url(on_path("/en/members/me/"))

    page.goto(url("/en/accounts/2fa/totp/activate/"))
    confirm_access(page, UserFactory.PASSWORD)
    secret = activate_totp(page)
    log_out(page)

    log_in(page, url, email, UserFactory.PASSWORD)
    page.wait_for_url(on_path("/en/accounts/2fa/authenticate/"))
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    code = totp_code(secret)
    page.get_by_placeholder("Code").fill(other_code(code))
    page.get_by_role("button", name="Log in").click()

    expect(page.locator("#id_code_error")).to_have_text("Incorrect code.")
    expect(page.locator(".error-summary")).to_contain_text("Incorrect code.")
    expect(page).to_have_url(on_path("/en/accounts/2fa/authenticate/"))
    expect(account_nav(page).get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_placeholder("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(on_path("/en/members/me/"))
    expect_logged_in(page)


def test_staff_without_mfa_is_sent_to_mfa_setup_before_admin(page: Page, url, site):
    ensure_staff_groups()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=StaffRole.EDITOR.value))
    log_in(page, url, editor.email, UserFactory.PASSWORD)
    page.wait_for_url(on_path("/en/members/me/"))

    page.goto(url("/admin/"))

    # allauth first asks for the password again; the warning is shown on that first page.
    page.wait_for_url(on_path("/en/accounts/reauthenticate/"))
    expect(page.get_by_role("status")).to_contain_text("Staff accounts need two-factor authentication")
    confirm_access(page, UserFactory.PASSWORD)
    page.wait_for_url(on_path("/en/accounts/2fa/totp/activate/"))
    activate_totp(page)

    page.goto(url("/admin/"))
    page.wait_for_url(on_path("/admin/"))
    expect(page.get_by_role("heading", level=1, name="Peacekeepers Network", exact=True)).to_be_visible()
    expect(page).to_have_title(re.compile("Dashboard"))
