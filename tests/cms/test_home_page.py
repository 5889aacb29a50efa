import re
from pathlib import Path

import pytest
from wagtail.models import Page

from cms.models import HomePage
from network.page_cache import CACHE_HEADER

pytestmark = pytest.mark.django_db


def test_root_redirects_to_a_language(client, site):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_home_page_renders_in_english_and_french(client, site):
    english = client.get("/en/").content.decode()
    french = client.get("/fr/").content.decode()
    assert '<html lang="en">' in english and "Peacekeepers Network" in english
    assert '<html lang="fr">' in french and "Réseau des policières" in french


def test_language_switcher_links_to_the_translation_of_the_page(client, site):
    page = client.get("/en/").content.decode()
    assert '<a href="/fr/" hreflang="fr" lang="fr">Français</a>' in page


def test_home_page_can_only_live_at_the_root(site):
    assert HomePage.allowed_parent_page_models() == [Page]
    assert not HomePage.can_create_at(site["en"])
    # One home page per language: a second English one cannot be added next to it.
    assert not HomePage.can_create_at(site["en"].get_parent())


def test_anonymous_home_page_is_served_from_cache_the_second_time(client, site):
    assert client.get("/en/")[CACHE_HEADER] == "miss"
    assert client.get("/en/")[CACHE_HEADER] == "hit"


def test_publishing_a_page_replaces_the_cached_copy(client, site):
    client.get("/en/")
    home = site["en"]
    home.intro = "Freshly published introduction."
    home.save_revision().publish()
    response = client.get("/en/")
    assert response[CACHE_HEADER] == "miss"
    assert "Freshly published introduction." in response.content.decode()


def test_signed_in_members_never_get_the_anonymous_copy(client, site, member_of):
    client.get("/en/")
    client.force_login(member_of("active").user)
    response = client.get("/en/")
    assert CACHE_HEADER not in response
    assert "Log out" in response.content.decode()


def test_flash_message_after_logout_is_not_swallowed_by_the_cache(client, site, member_of):
    client.get("/en/")  # a cached anonymous copy exists
    client.force_login(member_of("").user)
    response = client.post("/en/accounts/logout/", follow=True)
    assert "You have logged out." in response.content.decode()


def test_page_with_view_restriction_is_never_cached(client, site):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=site["en"], restriction_type="password", password="s3cret-word")
    response = client.get("/en/")
    assert CACHE_HEADER not in response
    assert "s3cret" not in response.content.decode()


@pytest.fixture
def demo_home(client, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", quiet_passwords=True)
    return client.get("/en/").content.decode()


def test_demo_home_page_leads_with_the_campaign_and_the_latest_stories(demo_home):
    main = demo_home[demo_home.index('<main id="main"') :]
    after_hero = main[main.index("</section>", main.index('class="hero')) :]
    sections = re.findall(r'<section(?: class="([^"]*)")? aria-labelledby="([^"]+)"', after_hero)
    assert sections[0][0] == "campaign-progress"
    assert sections[1][1] == "latest-stories"
    # Before the editors' body text and the training courses.
    assert after_hero.index("latest-stories") < after_hero.index('aria-labelledby="trainings"')
    assert after_hero.index("latest-stories") < after_hero.index('<div class="prose home-body">')


def test_demo_home_page_sums_up_an_ended_campaign_calmly(demo_home):
    from django.contrib.staticfiles import finders

    assert "Deadline passed" not in demo_home
    assert "Ended on" in demo_home
    # The final figures are there, in neutral colours: a campaign that ended is news, not an alarm.
    assert "1,912 of 2,014" in demo_home
    css = Path(finders.find("css/site.css")).read_text()
    [rule] = [line for line in css.splitlines() if ".status-missed" in line]
    assert "var(--error)" not in rule
