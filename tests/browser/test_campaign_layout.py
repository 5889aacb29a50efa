"""Campaign pages at a phone's and a laptop's width: nothing scrolls sideways, chart text stays legible."""

import datetime
import re

import pytest
from playwright.sync_api import Page

from campaigns import services as campaign_services
from campaigns.choices import AdvocacyKind
from campaigns.models import Campaign
from tests.browser.helpers import field
from tests.browser.test_public_pages import AXE
from tests.conftest import require_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (375, 1280)
# Chart text is drawn at 13 units; the rendered size is that times the SVG's scale on screen.
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll("svg.chart-svg")].map(
  (svg) => 13 * svg.getScreenCTM().a))"""
# Tables that overlap their neighbours (or the page) stick out of their own box.
OVERFLOWING_TABLES = """() => [...document.querySelectorAll(".breakdowns .table-wrap")].filter((wrap) => {
  const table = wrap.querySelector("table").getBoundingClientRect();
  const box = wrap.getBoundingClientRect();
  return table.right > box.right + 1 && getComputedStyle(wrap).overflowX === "visible";
}).length"""


def _campaign_pages(demo_site) -> list[str]:
    campaign = Campaign.objects.get(slug="race-to-2014")
    target = campaign.targets.order_by("sort_order").first()
    return [
        demo_site["campaign"].url,
        f"/en/campaigns/{campaign.slug}/",
        f"/en/campaigns/{campaign.slug}/targets/{target.pk}/",
        f"/fr/campaigns/{campaign.slug}/",
    ]


def _sign_in(page: Page, url, member_of, password) -> None:
    member = member_of("active")
    # A long row, as members write them, in the table of logged actions.
    campaign_services.log_advocacy_action(
        actor=member.user,
        kind=AdvocacyKind.RECRUITMENT,
        title="Recruitment day for women officers at the national police academy, with serving peacekeepers",
        date=datetime.date(2013, 5, 14),
        country="SN",
        place="École nationale de police et de la formation permanente, Dakar",
        people_reached=350,
        description="",
    )
    page.goto(url("/en/accounts/login/"))
    field(page, "Email").fill(member.user.email)
    field(page, "Password").fill(password)
    page.get_by_role("button", name=re.compile(r"^(sign|log) in$", re.IGNORECASE)).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", WIDTHS)
def test_campaign_and_advocacy_pages_never_scroll_sideways(page: Page, url, demo_site, member_of, password, width):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, url, member_of, password)
    problems = {}
    for address in [*_campaign_pages(demo_site), "/en/members/advocacy/"]:
        page.goto(url(address))
        document_width = page.evaluate("() => document.documentElement.scrollWidth")
        if document_width > width:
            problems[address] = f"document is {document_width}px wide in a {width}px viewport"
        if page.evaluate(OVERFLOWING_TABLES):
            problems[address] = "a breakdown table sticks out of its box"
        if page.locator("svg.chart-svg").count():
            smallest = page.evaluate(SMALLEST_CHART_TEXT)
            if smallest < 12:
                problems[address] = f"chart text is {smallest:.1f}px"
    assert not problems, problems


def test_campaign_pages_at_phone_width_have_no_serious_accessibility_violations(page: Page, url, demo_site):
    require_service("axe-core", AXE.exists(), "npm ci --prefix tests/browser/node")
    page.set_viewport_size({"width": 375, "height": 900})
    failures = {}
    for address in _campaign_pages(demo_site):
        page.goto(url(address))
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            failures[address] = serious
    assert not failures, failures
