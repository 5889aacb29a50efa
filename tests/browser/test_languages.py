import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_visitor_switches_to_french_and_sees_french_ui(page: Page, url, site):
    page.goto(url("/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()

    page.wait_for_url("**/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Réseau des policières")

    # The login page in French: allauth's, in the site's words ("Se connecter", as in the header).
    page.locator("a[href='/fr/accounts/login/']").first.click()
    page.wait_for_url("**/fr/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
