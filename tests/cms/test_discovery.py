"""Feeds, sitemap, robots.txt, canonical and hreflang links, Open Graph, and the language switcher."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from cms.models import NewsIndexPage, StandardPage, StoryPage
from network.choices import AccessLevel
from tests.factories.cms import make_image, publish_child, translate

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def stories(site):
    news_en = publish_child(site["en"], NewsIndexPage, title="News")
    news_fr = translate(news_en, "fr", title="Actualités", slug="actualites")
    english = _story(news_en, "Course in Manila", "course-in-manila", datetime.date(2011, 6, 30), tags=["training"])
    french = translate(english, "fr", title="Cours à Manille", slug="cours-a-manille", intro="Dix-neuf participants.")
    members_only = _story(
        news_en, "Members briefing", "members-briefing", datetime.date(2012, 1, 1), access_level=AccessLevel.MEMBERS
    )
    draft = StoryPage(title="Draft story", slug="draft-story", date=datetime.date(2013, 1, 1), live=False)
    news_en.add_child(instance=draft)
    return {"news_en": news_en, "news_fr": news_fr, "en": english, "fr": french, "members_only": members_only}


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the site's own feed or sitemap, not untrusted input


def _story(news, title, slug, date, tags=(), **fields):
    story = StoryPage(
        title=title, slug=slug, date=date, intro=f"{title}: the summary.", locale_id=news.locale_id, **fields
    )
    news.add_child(instance=story)
    story.tags.set(list(tags))
    story.save_revision().publish()
    return story


def test_rss_feed_lists_the_public_stories_of_its_language(client, stories):
    response = client.get("/en/feeds/stories/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = _xml(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Course in Manila"]
    assert items[0].findtext("link") == "http://testserver/en/news/course-in-manila/"
    assert items[0].findtext("description") == "Course in Manila: the summary."
    assert [category.text for category in items[0].findall("category")] == ["training"]
    assert channel.findtext("link") == "http://testserver/en/news/"


def test_atom_feed_in_french_lists_french_stories_only(client, stories):
    response = client.get("/fr/feeds/stories/atom/")
    assert response.status_code == 200
    feed = _xml(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Cours à Manille"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/fr/actualites/cours-a-manille/"


def test_story_pages_announce_the_feeds(client, stories):
    html = client.get(stories["en"].url).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/en/feeds/stories/rss/"' in html
    assert 'href="/en/feeds/stories/atom/"' in html


@pytest.fixture
def served_at(settings):
    """The public address of the site (SITE_URL), set before the site's home pages are made."""
    settings.WAGTAILADMIN_BASE_URL = "https://peacekeepers.example.org"
    return settings.WAGTAILADMIN_BASE_URL


def test_sitemap_lists_public_live_pages_in_both_languages(served_at, client, stories):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {url.findtext(f"{SITEMAP}loc") for url in _xml(response.content).findall(f"{SITEMAP}url")}
    assert {
        f"{served_at}/en/",
        f"{served_at}/fr/",
        f"{served_at}/en/news/",
        f"{served_at}/fr/actualites/",
        f"{served_at}/en/news/course-in-manila/",
        f"{served_at}/fr/actualites/cours-a-manille/",
    } <= locations
    assert not any("members-briefing" in location or "draft-story" in location for location in locations)


def test_robots_txt_points_to_the_sitemap(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body and "Disallow: /fr/members/" in body


def test_story_page_has_canonical_hreflang_and_open_graph_tags(client, stories):
    story = stories["en"]
    story.lead_image = make_image()
    story.search_description = "The first regional course."
    story.save_revision().publish()
    html = client.get(story.url).content.decode()
    assert '<link rel="canonical" href="http://testserver/en/news/course-in-manila/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/news/course-in-manila/">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/actualites/cours-a-manille/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/en/news/course-in-manila/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Course in Manila">' in html
    assert '<meta property="og:description" content="The first regional course.">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta property="og:image" content="http://testserver/media/images/' in html
    assert ".fill-1200x630.format-jpeg" in html


def test_page_without_translation_has_no_alternate_for_the_missing_language(client, site):
    page = publish_child(site["en"], StandardPage, title="Only in English")
    html = client.get(page.url).content.decode()
    assert 'hreflang="en" href="http://testserver/en/only-in-english/"' in html
    assert '<link rel="alternate" hreflang="fr"' not in html


def test_language_switcher_keeps_the_current_page(client, stories):
    english = client.get(stories["en"].url).content.decode()
    assert '<a href="/fr/actualites/cours-a-manille/" hreflang="fr" lang="fr">Français</a>' in english
    french = client.get(stories["fr"].url).content.decode()
    assert '<html lang="fr">' in french
    assert '<a href="/en/news/course-in-manila/" hreflang="en" lang="en">English</a>' in french


def test_no_third_party_resource_is_loaded_by_public_pages(client, stories):
    for url in ("/en/", stories["news_en"].url, stories["en"].url, stories["fr"].url):
        html = client.get(url).content.decode()
        assert "<script" not in html and "<iframe" not in html, url
        for attribute in ('src="http', "src='http", 'href="//'):
            assert attribute not in html, (url, attribute)


def test_sitemap_lists_public_campaigns_and_their_targets_but_no_members_only_campaign(served_at, client, site):
    from campaigns.choices import CampaignVisibility
    from tests.factories.campaigns import CampaignFactory, TargetFactory

    public = CampaignFactory(slug="race-to-2014")
    target = TargetFactory(campaign=public)
    hidden = CampaignFactory(slug="internal-drive", visibility=CampaignVisibility.MEMBERS)
    TargetFactory(campaign=hidden)
    response = client.get("/sitemap.xml")
    locations = {url.findtext(f"{SITEMAP}loc") for url in _xml(response.content).findall(f"{SITEMAP}url")}
    for language in ("en", "fr"):
        assert {
            f"{served_at}/{language}/campaigns/",
            f"{served_at}/{language}/campaigns/race-to-2014/",
            f"{served_at}/{language}/campaigns/race-to-2014/targets/{target.pk}/",
        } <= locations
    assert not any("internal-drive" in location for location in locations)
    assert f"{served_at}/en/" in locations  # pages and campaigns share one address
