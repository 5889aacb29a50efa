"""The header in Chromium: one row at a laptop's width, one row and a menu at a phone's, menus that open without
JavaScript, and a members' area that passes axe-core."""

import pytest
from playwright.sync_api import Page, expect

from network.choices import MemberCategory, StaffRole, Visibility
from network.models import Member
from network.services import community, messaging
from tests.browser.helpers import on_path
from tests.browser.test_accounts import log_in, open_account_menu
from tests.browser.test_public_pages import AXE
from tests.conftest import require_service
from tests.factories import MemberFactory, UserFactory
from tests.factories.staff import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHARED = dict.fromkeys(Member.VISIBLE_FIELDS, Visibility.NETWORK)

# The boxes of what the header shows (hidden ones left out), and how wide the document is.
HEADER_BOXES = """() => {
  const selectors = [".brand", ".site-menu > summary", ".main-nav a", ".header-search input", ".header-search button",
    ".lang a", ".account-nav > ul a", ".account-menu > summary"];
  const boxes = [];
  for (const element of document.querySelectorAll(selectors.join(","))) {
    const box = element.getBoundingClientRect();
    if (box.width && box.height && element.checkVisibility()) {
      boxes.push({what: element.textContent.trim() || element.className, top: box.top, bottom: box.bottom});
    }
  }
  return {boxes, width: document.documentElement.scrollWidth};
}"""


def expect_one_row(page: Page, width: int) -> list[str]:
    """Every item of the header shares one horizontal band: none sits below another. Returns what is shown."""
    found = page.evaluate(HEADER_BOXES)
    boxes = found["boxes"]
    lowest_top = max(box["top"] for box in boxes)
    highest_bottom = min(box["bottom"] for box in boxes)
    assert lowest_top < highest_bottom, f"the header wraps onto a second row at {width}px: {boxes}"
    assert found["width"] <= width, f"the page is {found['width']}px wide in a {width}px window"
    return [box["what"] for box in boxes]


def community_member(**kwargs) -> Member:
    member = MemberFactory(category=MemberCategory.CIVILIAN, visibility=SHARED, **kwargs)
    access = community.request_community_access(member, actor=member.user, motivation="I train officers.")
    community.approve_community_request(access, actor=make_staff(StaffRole.MODERATOR))
    return member


@pytest.mark.parametrize("language", ["en", "fr"])
def test_header_fits_one_row_at_laptop_width(page: Page, url, demo_site, language):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url(f"/{language}/"))
    shown = expect_one_row(page, 1280)
    assert "Menu" not in shown  # the sections are in the row itself
    expect(page.get_by_role("navigation", name="Main" if language == "en" else "Menu principal")).to_be_visible()

    member = community_member(user__first_name="Amina")
    log_in(page, url, member.user.email, UserFactory.PASSWORD)
    page.goto(url(f"/{language}/members/"))
    shown = expect_one_row(page, 1280)
    assert ("My account" if language == "en" else "Mon compte") in " ".join(shown)
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 90, f"the header is {header_height}px tall"


def test_header_at_phone_width_is_one_row_and_a_menu(page: Page, url, demo_site):
    page.set_viewport_size({"width": 375, "height": 800})
    member = community_member()
    log_in(page, url, member.user.email, UserFactory.PASSWORD)
    page.goto(url("/en/members/"))

    shown = expect_one_row(page, 375)
    assert len(shown) == 3, shown  # the site's name, the menu and the account menu
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Campaigns")).to_be_hidden()

    page.locator(".site-menu > summary").click()
    expect(main_nav.get_by_role("link", name="Campaigns")).to_be_visible()
    expect(page.get_by_role("search").get_by_role("searchbox")).to_be_visible()
    expect(page.get_by_role("navigation", name="Language").get_by_role("link", name="Français")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375

    open_account_menu(page)
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="My profile")).to_be_visible()


def test_account_menu_works_without_javascript(browser, live_server, site):
    member = MemberFactory(category=MemberCategory.ACTIVE, visibility=SHARED)
    writer = MemberFactory(category=MemberCategory.HONORARY, visibility=SHARED)
    messaging.send_member_message(writer, member, body="Shall we meet in Dakar?")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    def url(path):
        return f"{live_server.url}{path}"

    try:
        log_in(page, url, member.user.email, UserFactory.PASSWORD)
        page.wait_for_url(on_path("/en/members/me/"))
        account = page.get_by_role("navigation", name="Account")
        expect(account.get_by_role("link", name="My network")).to_be_hidden()

        account.get_by_text("My account").click()
        expect(account.get_by_role("link", name="Messages 1 unread")).to_be_visible()
        account.get_by_role("link", name="My network").click()
        page.wait_for_url(on_path("/en/members/"))
        expect(page.get_by_role("heading", name="My network", level=1)).to_be_visible()

        account.get_by_text("My account").click()
        account.get_by_role("link", name="Messages 1 unread").click()
        page.wait_for_url(on_path("/en/members/messages/"))

        account.get_by_text("My account").click()
        account.get_by_role("button", name="Log out").click()
        expect(account.get_by_role("link", name="Log in")).to_be_visible()
        expect(account.get_by_role("link", name="Sign up")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("category", [MemberCategory.OBSERVER, "community"])
@pytest.mark.parametrize("width", [375, 1280])
def test_members_area_has_no_serious_accessibility_violations(page: Page, url, demo_site, category, width):
    require_service("axe-core", AXE.exists(), "npm ci --prefix tests/browser/node")
    member = community_member() if category == "community" else MemberFactory(category=category)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, url, member.user.email, UserFactory.PASSWORD)
    addresses = ["/en/members/", "/fr/members/"]
    if category == "community":
        addresses.append("/en/members/community/home/")
    failures = {}
    for address in addresses:
        page.goto(url(address))
        page.locator("details.account-menu > summary").click()  # the open menu is checked too
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} – "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in results["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            failures[address] = serious
    assert not failures, failures
