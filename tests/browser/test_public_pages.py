"""The public pages in Chromium: they render, stay within the page-weight budget, and pass axe-core."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import require_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"

# The budget for people on slow mission connections, excluding content images (which load lazily).
MAX_TRANSFER_BYTES = 120 * 1024
MAX_REQUESTS_BEFORE_FIRST_RENDER = 5

# Resource Timing of the page: what was fetched, how much crossed the network, and when it started,
# with the moment of the first paint (first-contentful-paint; DOMContentLoaded where paint timing is absent).
TIMING_SCRIPT = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const paints = performance.getEntriesByType("paint");
  const firstPaint = paints.find((entry) => entry.name === "first-contentful-paint") || paints[0];
  const resources = performance.getEntriesByType("resource").map((entry) => ({
    url: entry.name, initiator: entry.initiatorType, start: entry.startTime, transfer: entry.transferSize,
  }));
  return {
    firstRender: firstPaint ? firstPaint.startTime : navigation.domContentLoadedEventEnd,
    document: {url: navigation.name, initiator: "navigation", start: 0, transfer: navigation.transferSize},
    resources,
  };
}"""


def _is_content_image(request_url: str, resource_type: str) -> bool:
    return resource_type == "image" and "/media/" in request_url


def measure(page: Page, address: str) -> dict:
    """Load `address` in a fresh page and report what crossed the network, from the browser's own log."""
    finished = []

    def record(request):
        finished.append(request)

    page.on("requestfinished", record)
    page.goto(address, wait_until="load")
    timing = page.evaluate(TIMING_SCRIPT)
    page.remove_listener("requestfinished", record)
    log = []
    for request in finished:
        sizes = request.sizes()
        log.append(
            {
                "url": request.url,
                "type": request.resource_type,
                "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
            }
        )
    budgeted = [entry for entry in log if not _is_content_image(entry["url"], entry["type"])]
    entries = [timing["document"], *timing["resources"]]
    before_render = [
        entry
        for entry in entries
        if entry["start"] <= timing["firstRender"]
        # A content image never holds up the first render; the budget is for what the page itself needs.
        and not (entry["initiator"] == "img" and "/media/" in entry["url"])
    ]
    return {
        "log": log,
        "transfer_bytes": sum(entry["bytes"] for entry in budgeted),
        "requests_before_first_render": len(before_render),
        "before_render": [entry["url"] for entry in before_render],
    }


def _origin(address: str) -> str:
    return "/".join(address.split("/", 3)[:3])


@pytest.mark.parametrize("which", ["home", "story_fr"])
def test_public_page_renders_within_the_page_weight_budget(page: Page, url, demo_site, which):
    target = demo_site[which]
    address = url(target.url)
    result = measure(page, address)

    expect(page.get_by_role("heading", level=1)).to_have_text(target.title)
    if which == "story_fr":
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_role("navigation", name="Langue")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name="Latest stories")).to_be_visible()

    origin = _origin(address)
    assert all(entry["url"].startswith(origin) for entry in result["log"]), "no third-party request"
    print(
        f"\n{target.url}: {result['transfer_bytes']} bytes transferred without content images, "
        f"{len(result['log'])} requests in all, {result['requests_before_first_render']} before first render "
        f"({', '.join(result['before_render'])})"
    )
    assert result["transfer_bytes"] <= MAX_TRANSFER_BYTES
    assert result["requests_before_first_render"] <= MAX_REQUESTS_BEFORE_FIRST_RENDER


def test_public_pages_have_no_serious_accessibility_violations(page: Page, url, demo_site):
    require_service("axe-core", AXE.exists(), "npm ci --prefix tests/browser/node")
    failures = {}
    addresses = [demo_site[key].url for key in ("home", "story_fr", "story_en", "campaign", "statistics", "join")]
    addresses += ["/en/search/?q=police", "/fr/search/?q=police"]  # results, with the search form
    for address in addresses:
        page.goto(url(address))
        if "/search/" in address:
            assert page.locator(".search-results li").count() > 0, f"no results at {address}"
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
