"""Members-only pages: enforced when served, and never leaked through listings, menus, search, feeds or sitemap."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from cms.access import effective_access_level, restricted_paths
from cms.models import NewsIndexPage, SectionIndexPage, StandardPage, StoryPage
from network.choices import AccessLevel, CommunityAccessState, MemberCategory, StaffRole
from network.models import CommunityAccessRequest
from network.page_cache import CACHE_HEADER
from network.services import ensure_staff_groups
from tests.factories.cms import publish_child

pytestmark = pytest.mark.django_db

SECRET = "Quartermaster-Lilac"  # a word that appears only in restricted pages


@pytest.fixture
def tree(site):
    home = site["en"]
    public = publish_child(home, SectionIndexPage, title="Resources", show_in_menus=True)
    members = publish_child(
        public, StandardPage, title=f"Members corner {SECRET}", slug="members-corner", access_level=AccessLevel.MEMBERS
    )
    below_members = publish_child(members, StandardPage, title=f"Handbook {SECRET}", slug="handbook")
    network = publish_child(
        public, StandardPage, title=f"Network notes {SECRET}", slug="network-notes", access_level=AccessLevel.NETWORK
    )
    community = publish_child(
        home,
        SectionIndexPage,
        title=f"Community {SECRET}",
        slug="community",
        access_level=AccessLevel.COMMUNITY,
        show_in_menus=True,
    )
    news = publish_child(home, NewsIndexPage, title="News")
    open_story = _story(news, "Open story", AccessLevel.PUBLIC)
    members_story = _story(news, f"Inside story {SECRET}", AccessLevel.MEMBERS)
    return {
        "home": home,
        "public": public,
        "members": members,
        "below_members": below_members,
        "network": network,
        "community": community,
        "news": news,
        "open_story": open_story,
        "members_story": members_story,
    }


def _story(news, title, level):
    story = StoryPage(
        title=title,
        slug=title.split()[0].lower() + "-story",
        date=datetime.date(2024, 1, 1),
        intro=f"About {title}",
        access_level=level,
        locale_id=news.locale_id,
    )
    news.add_child(instance=story)
    story.save_revision().publish()
    return story


@pytest.fixture
def viewer(client, member_of):
    """viewer("observer") → a client signed in as such a person, with its `user` attribute set."""

    def sign_in(kind):
        if kind == "anonymous":
            client.user = AnonymousUser()
            return client
        if kind == "applicant":
            member = member_of("")
        elif kind == "community":
            member = member_of(MemberCategory.ACTIVE)
            CommunityAccessRequest.objects.create(
                member=member, motivation="Share practice.", state=CommunityAccessState.APPROVED
            )
        elif kind == "editor":
            ensure_staff_groups()
            member = member_of("")
            member.user.groups.add(Group.objects.get(name=StaffRole.EDITOR.value))
        else:
            member = member_of(kind)
        client.force_login(member.user)
        client.user = member.user
        return client

    return sign_in


# Who reaches which level: anonymous and applicants nothing, observers "members", active members "network",
# with approved community access "community". A staff role alone gives no access to members' pages.
LEVELS = {
    "anonymous": AccessLevel.PUBLIC,
    "applicant": AccessLevel.PUBLIC,
    "editor": AccessLevel.PUBLIC,
    "observer": AccessLevel.MEMBERS,
    "active": AccessLevel.NETWORK,
    "community": AccessLevel.COMMUNITY,
}


def test_a_page_inherits_the_strictest_level_of_its_ancestors(tree):
    assert effective_access_level(tree["public"]) == AccessLevel.PUBLIC
    assert effective_access_level(tree["members"]) == AccessLevel.MEMBERS
    assert effective_access_level(tree["below_members"]) == AccessLevel.MEMBERS
    assert effective_access_level(tree["community"]) == AccessLevel.COMMUNITY


@pytest.mark.parametrize("kind", list(LEVELS))
def test_restricted_page_is_served_only_from_its_level_up(tree, viewer, kind):
    client = viewer(kind)
    for key in ("members", "below_members", "network", "community", "members_story"):
        page = tree[key]
        response = client.get(page.url)
        if LEVELS[kind] >= effective_access_level(page):
            assert response.status_code == 200, key
            assert SECRET in response.content.decode()
            assert CACHE_HEADER not in response  # never stored in the anonymous cache
        elif kind == "anonymous":
            assert response.status_code == 302, key
            assert response["Location"] == f"/en/accounts/login/?next={page.url}"
        else:
            assert response.status_code == 403, key
            assert SECRET not in response.content.decode()


@pytest.mark.parametrize("kind", list(LEVELS))
def test_listings_and_menus_show_only_pages_of_the_viewers_level(tree, viewer, kind):
    client = viewer(kind)
    level = LEVELS[kind]
    section = client.get(tree["public"].url).content.decode()
    assert ("Members corner" in section) == (level >= AccessLevel.MEMBERS)
    assert ("Network notes" in section) == (level >= AccessLevel.NETWORK)
    news = client.get(tree["news"].url).content.decode()
    assert "Open story" in news
    assert ("Inside story" in news) == (level >= AccessLevel.MEMBERS)
    home = client.get("/en/").content.decode()
    assert ("Inside story" in home) == (level >= AccessLevel.MEMBERS)  # latest stories
    menu = home.split('aria-label="Main"')[1].split("</nav>")[0]
    assert "Resources" in menu
    assert (f"Community {SECRET}" in menu) == (level >= AccessLevel.COMMUNITY)
    if level == AccessLevel.PUBLIC:
        for html in (section, news, home):
            assert SECRET not in html


def test_anonymous_listing_cached_copy_holds_no_restricted_page(tree, client, viewer):
    # A member's visit first must not leave a member's view in the anonymous cache.
    member_client = viewer("community")
    member_client.get(tree["news"].url)
    member_client.logout()
    first = client.get(tree["news"].url)
    second = client.get(tree["news"].url)
    assert second[CACHE_HEADER] == "hit"
    for response in (first, second):
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("kind", list(LEVELS))
def test_search_results_are_filtered_to_the_viewers_level(tree, viewer, kind):
    call_command("search_reindex", "--kind", "page", verbosity=0)  # on-commit refreshes do not run in tests
    client = viewer(kind)
    response = client.get("/en/search/", {"q": SECRET})
    assert response.status_code == 200
    html = response.content.decode()
    results = html.split('class="search-results"')[1].split("</ol>")[0] if 'class="search-results"' in html else ""
    titles = set(re.findall(r"<h3><a href=\"[^\"]+\">([^<]+)</a></h3>", results))
    expected = {
        title
        for title, required in {
            f"Members corner {SECRET}": AccessLevel.MEMBERS,
            f"Handbook {SECRET}": AccessLevel.MEMBERS,
            f"Network notes {SECRET}": AccessLevel.NETWORK,
            f"Community {SECRET}": AccessLevel.COMMUNITY,
            f"Inside story {SECRET}": AccessLevel.MEMBERS,
        }.items()
        if LEVELS[kind] >= required
    }
    assert titles == expected
    # Not even the number of matches tells a lower level that more exists.
    count = len(expected)
    assert (f"{count} result<" if count == 1 else f"{count} results<") in html


def test_search_finds_pages_in_each_language_and_narrows_to_one(tree, client, site):
    call_command("search_reindex", "--kind", "page", verbosity=0)
    english = client.get("/en/search/", {"q": "News"}).content.decode()
    assert '<a href="/en/news/">News</a>' in english
    french = client.get("/fr/search/", {"q": "Réseau", "language": "fr"}).content.decode()
    assert "/en/" not in french.split('class="search-results"')[1].split("</ol>")[0]
    assert '<a href="/fr/">Réseau des policières</a>' in french


def test_search_with_too_long_a_query_explains_and_keeps_the_text(client, site):
    typed = "peacekeeping " * 20
    response = client.get("/en/search/", {"q": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please use at most 200 characters" in html
    assert f'value="{typed}"' in html


def test_feeds_and_sitemap_list_public_pages_only_even_for_members(tree, viewer):
    client = viewer("community")
    for url in ("/en/feeds/stories/rss/", "/en/feeds/stories/atom/", "/sitemap.xml"):
        body = client.get(url).content.decode()
        assert SECRET not in body, url
        assert "members-corner" not in body and "inside-story" not in body, url
    assert "open-story" in client.get("/sitemap.xml").content.decode()
    assert "Open story" in client.get("/en/feeds/stories/rss/").content.decode()


def test_raising_a_pages_level_takes_effect_when_published(tree, client):
    page = tree["public"]
    assert client.get(page.url).status_code == 200
    page.access_level = AccessLevel.NETWORK
    page.save_revision().publish()
    assert client.get(page.url).status_code == 302
    # …and its children follow.
    assert client.get(tree["members"].url).status_code == 302
    assert "Resources" not in client.get("/en/").content.decode().split('aria-label="Main"')[1].split("</nav>")[0]


def test_restricted_paths_are_cached_and_forgotten_when_a_page_changes(tree, django_assert_num_queries):
    restricted_paths()
    with django_assert_num_queries(0):
        assert (tree["members"].path, AccessLevel.MEMBERS) in restricted_paths()
    tree["network"].delete()
    assert all(path != tree["network"].path for path, _level in restricted_paths())


def test_language_links_do_not_reveal_a_restricted_translation(tree, client):
    from tests.factories.cms import translate

    fr_public = translate(tree["public"], "fr", slug="ressources", title="Ressources")
    assert fr_public.url == "/fr/ressources/"
    html = client.get(tree["public"].url).content.decode()
    assert 'hreflang="fr" href="http://testserver/fr/ressources/"' in html
    fr_public.access_level = AccessLevel.MEMBERS
    fr_public.save_revision().publish()
    html = client.get(tree["public"].url).content.decode()
    assert "/fr/ressources/" not in html


def test_wagtail_privacy_settings_also_hide_pages_from_listings(tree, client, viewer):
    restriction = PageViewRestriction.objects.create(
        page=tree["open_story"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret-word"
    )
    assert "Open story" not in client.get(tree["news"].url).content.decode()
    assert "open-story" not in client.get("/sitemap.xml").content.decode()
    restriction.delete()
    assert "Open story" in client.get(tree["news"].url).content.decode()


def test_search_pages_through_many_results_in_a_fixed_number_of_queries(client, site, django_assert_max_num_queries):
    for number in range(25):
        publish_child(site["en"], StandardPage, title=f"Training course {number}", slug=f"training-{number}")
    call_command("search_reindex", "--kind", "page", verbosity=0)
    first = client.get("/en/search/", {"q": "training course"}).content.decode()
    assert "25 results" in first and first.count("<h3><a") == 20
    assert 'href="?q=training+course&amp;page=2" rel="next"' in first
    with django_assert_max_num_queries(12):
        second = client.get("/en/search/", {"q": "training course", "page": 2}).content.decode()
    assert second.count("<h3><a") == 5 and 'rel="prev"' in second
