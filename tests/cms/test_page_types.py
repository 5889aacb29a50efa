import datetime

import pytest
from django.utils import timezone, translation
from wagtail.models import Page

from campaigns.choices import CampaignVisibility, MetricSource, TargetUnit
from campaigns.models import Campaign, StatisticPoint, StatisticSeries, Target
from cms.models import (
    CampaignPage,
    ContactPage,
    HomePage,
    JoinPage,
    NewsIndexPage,
    ProgrammeKind,
    ProgrammePage,
    SectionIndexPage,
    StandardPage,
    StatisticsPage,
    StoryPage,
    application_url,
)
from events.models import EventsIndexPage
from network.choices import MemberCategory
from network.page_cache import invalidate_anonymous_pages
from tests.factories.cms import contact_page, make_document, make_image, publish_child
from tests.factories.events import make_course, make_index

pytestmark = pytest.mark.django_db

ALL_TYPES = [
    HomePage,
    StandardPage,
    SectionIndexPage,
    NewsIndexPage,
    StoryPage,
    ProgrammePage,
    CampaignPage,
    StatisticsPage,
    JoinPage,
    ContactPage,
]

# page type → (allowed parents, allowed children)
TREE_RULES = {
    HomePage: ({Page}, {
        StandardPage, EventsIndexPage, SectionIndexPage, NewsIndexPage, ProgrammePage, CampaignPage, StatisticsPage, JoinPage,
        ContactPage,
    }),
    StandardPage: ({HomePage, SectionIndexPage, StandardPage, ProgrammePage, CampaignPage}, {StandardPage}),
    SectionIndexPage: ({HomePage, SectionIndexPage}, {
        StandardPage, EventsIndexPage, SectionIndexPage, NewsIndexPage, ProgrammePage, CampaignPage, StatisticsPage, ContactPage,
    }),
    NewsIndexPage: ({HomePage, SectionIndexPage}, {StoryPage}),
    StoryPage: ({NewsIndexPage}, set()),
    ProgrammePage: ({HomePage, SectionIndexPage}, {StandardPage, EventsIndexPage}),
    CampaignPage: ({HomePage, SectionIndexPage}, {StandardPage}),
    StatisticsPage: ({HomePage, SectionIndexPage}, set()),
    JoinPage: ({HomePage}, set()),
    ContactPage: ({HomePage, SectionIndexPage}, set()),
}  # fmt: skip


@pytest.mark.parametrize("model", ALL_TYPES, ids=lambda model: model.__name__)
def test_page_type_declares_its_parents_and_children(model):
    parents, children = TREE_RULES[model]
    assert set(model.allowed_parent_page_models()) == parents
    assert set(model.allowed_subpage_models()) == children
    assert model.search_fields, "every page type is searchable"
    assert any(field.field_name == "title" for field in model.search_fields)


@pytest.mark.parametrize("model", [m for m in ALL_TYPES if m is not HomePage], ids=lambda model: model.__name__)
def test_page_type_can_be_created_where_allowed_and_nowhere_else(site, model):
    home = site["en"]
    section = publish_child(home, SectionIndexPage, title="Section")
    news = publish_child(home, NewsIndexPage, title="News")
    candidates = {HomePage: home, SectionIndexPage: section, NewsIndexPage: news}
    allowed, _children = TREE_RULES[model]
    for parent_model, parent in candidates.items():
        assert model.can_create_at(parent) == (parent_model in allowed), parent_model


def test_join_page_is_unique_per_language(site):
    publish_child(site["en"], JoinPage, title="Join")
    assert not JoinPage.can_create_at(site["en"])
    assert JoinPage.can_create_at(site["fr"])


def _every_block_body(target, document, image):
    return [
        {"type": "heading", "value": {"text": "A heading block", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Some <b>rich</b> text.</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": "A blue square", "caption": "The caption",
                                    "credit": "UN Photo"}},
        {"type": "quote", "value": {"quote": "Words worth quoting.", "attribution": "A member"}},
        {"type": "call_to_action", "value": {"title": "Act now", "text": "Please do.", "button_label": "Go",
                                             "page": None, "url": "https://example.org/act"}},
        {"type": "document", "value": {"document": document.pk, "label": "Read the report"}},
        {"type": "embed", "value": {"url": "https://www.youtube.com/watch?v=abc123", "title": "Our film",
                                    "caption": "Filmed in 2011"}},
        {"type": "statistic", "value": {"number": "1,230", "label": "women among UN police", "source": "UN"}},
        {"type": "campaign_progress", "value": target.pk},
        {"type": "table", "value": {"table": {"columns": [{"type": "text", "heading": "Year"},
                                                          {"type": "number", "heading": "Share"}],
                                              "rows": [{"values": ["2009", "7"]}, {"values": ["2017", "10"]}],
                                              "caption": "Women among UN police"},
                                    "source": "UN Police Division"}},
    ]  # fmt: skip


@pytest.fixture
def campaign_target():
    campaign = Campaign.objects.create(
        title="Race to 2014",
        slug="race-to-2014",
        start_date=datetime.date(2011, 1, 1),
        deadline=datetime.date(2014, 12, 31),
        visibility=CampaignVisibility.PUBLIC,
    )
    target = Target.objects.create(
        campaign=campaign,
        title="2,014 members",
        source=MetricSource.RECORDED,
        target_value=2014,
        unit=TargetUnit.COUNT,
    )
    return target


def test_standard_page_renders_every_block(client, site, campaign_target):
    page = publish_child(
        site["en"],
        StandardPage,
        title="All blocks",
        intro="<p>Intro text</p>",
        body=_every_block_body(campaign_target, make_document(), make_image()),
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "<h2>A heading block</h2>",
        "<b>rich</b>",
        "The caption",
        "UN Photo",
        "Words worth quoting.",
        'href="https://example.org/act"',
        "Read the report",
        "1,230",
        "2,014 members",
        "<caption>Women among UN police</caption>",
        "UN Police Division",
    ):
        assert text in html, text
    # The image comes as WebP and JPEG renditions, several widths, lazily loaded.
    assert 'type="image/webp"' in html and 'loading="lazy"' in html and "480w" in html and 'sizes="' in html
    # The embedded film is a plain link to the provider: no frame or script that would contact it.
    assert 'href="https://www.youtube.com/watch?v=abc123"' in html
    assert "<iframe" not in html and "youtube.com/embed" not in html and "<script" not in html


def test_section_index_lists_its_live_children(client, site):
    section = publish_child(site["en"], SectionIndexPage, title="About")
    publish_child(section, StandardPage, title="Our history", search_description="Since 2009.")
    draft = StandardPage(title="Unfinished draft", slug="draft", live=False)
    section.add_child(instance=draft)
    html = client.get(section.url).content.decode()
    assert "Our history" in html and "Since 2009." in html
    assert "Unfinished draft" not in html


def _story(news, title, date, tags=(), **fields):
    story = StoryPage(title=title, slug=title.lower().replace(" ", "-"), date=date, locale_id=news.locale_id, **fields)
    news.add_child(instance=story)
    story.tags.set(list(tags))
    story.save_revision().publish()
    return story


def test_news_index_filters_by_tag_and_paginates(client, site):
    news = publish_child(site["en"], NewsIndexPage, title="News")
    _story(news, "Course in Manila", datetime.date(2011, 6, 30), tags=["training"])
    _story(news, "Toolkit pilot", datetime.date(2011, 8, 26), tags=["gender toolkit"])
    for number in range(11):
        _story(news, f"Bulletin {number}", datetime.date(2012, 1, number + 1))

    first = client.get(news.url).content.decode()
    assert "Bulletin 10" in first and "Course in Manila" not in first  # newest first, ten per page
    assert "Page 1 of 2" in first and "?page=2" in first
    second = client.get(news.url + "?page=2").content.decode()
    assert "Course in Manila" in second and "Bulletin 10" not in second

    filtered = client.get(news.url + "?tag=training").content.decode()
    assert "Course in Manila" in filtered
    assert "Toolkit pilot" not in filtered and "Bulletin" not in filtered
    assert 'href="/en/news/?tag=gender-toolkit"' in filtered


def test_story_page_shows_date_author_tags_and_lead_image(client, site):
    news = publish_child(site["en"], NewsIndexPage, title="News")
    story = _story(
        news,
        "First course",
        datetime.date(2011, 6, 30),
        tags=["training"],
        author="Network secretariat",
        intro="Nineteen officers.",
        lead_image=make_image(),
        lead_image_caption="In the classroom",
    )
    html = client.get(story.url).content.decode()
    assert '<time datetime="2011-06-30">' in html
    assert "by Network secretariat" in html
    assert 'href="/en/news/?tag=training"' in html
    assert "In the classroom" in html and "format-webp" in html


def test_programme_page_links_to_its_member_workflow(client, site):
    page = publish_child(
        site["en"],
        ProgrammePage,
        title="Training",
        kind=ProgrammeKind.TRAINING,
        workflow="apply",
    )
    # Its courses come from the events pages (events/queries.py).
    make_course(make_index(page), title="SGBV course", sessions=[{"place": "Philippines"}])
    html = client.get(page.url).content.decode()
    assert "SGBV course" in html and "Philippines" in html
    assert page.workflow_link["url"] in html
    assert page.workflow_link["url"].startswith("/en/")


def test_programme_page_with_a_custom_link_uses_it():
    page = ProgrammePage(workflow="advocacy", workflow_url="/en/members/advocacy/", workflow_label="Log it")
    assert page.workflow_link == {"label": "Log it", "url": "/en/members/advocacy/"}


def test_programme_page_without_an_available_feature_shows_no_link():
    assert ProgrammePage(workflow="").workflow_link is None


def test_campaign_page_shows_the_campaign_targets(client, site, campaign_target):
    page = publish_child(site["en"], CampaignPage, title="Race to 2014", campaign=campaign_target.campaign)
    html = client.get(page.url).content.decode()
    assert "2,014 members" in html


def test_campaign_page_hides_a_members_only_campaign_from_the_public(client, site, campaign_target, member_of):
    campaign = campaign_target.campaign
    campaign.visibility = CampaignVisibility.MEMBERS
    campaign.save()
    page = publish_child(site["en"], CampaignPage, title="Inner campaign", campaign=campaign)
    assert "2,014 members" not in client.get(page.url).content.decode()
    client.force_login(member_of(MemberCategory.OBSERVER).user)
    assert "2,014 members" in client.get(page.url).content.decode()


def test_statistics_page_charts_its_series(client, site):
    series = StatisticSeries.objects.create(title="Women among UN police", unit=TargetUnit.PERCENT)
    StatisticPoint.objects.create(series=series, year=2009, value=7)
    StatisticPoint.objects.create(series=series, year=2017, value=10)
    page = publish_child(
        site["en"],
        StatisticsPage,
        title="Figures",
        charts=[{"type": "chart", "value": {"series": series.pk, "note": "Share of all UN police"}}],
    )
    html = client.get(page.url).content.decode()
    assert "Women among UN police" in html and "2017" in html and "Share of all UN police" in html


def test_join_page_lists_categories_and_links_to_the_application(client, site):
    page = publish_child(
        site["en"],
        JoinPage,
        title="Join",
        categories=[
            {"type": "category", "value": {"category": "active", "who": "Serving officers.", "offers": "<p>All</p>"}},
            {"type": "category", "value": {"category": "observer", "who": "Researchers.", "offers": "<p>Some</p>"}},
        ],
    )
    html = client.get(page.url).content.decode()
    assert "Active (serving police officer)" in html and "Serving officers." in html
    assert "Observer" in html and "Researchers." in html
    with translation.override("en"):
        assert f'href="{application_url()}"' in html
    assert application_url().endswith("/members/membership/apply/")


def test_contact_page_renders_its_form(client, site):
    page = contact_page(site["en"])
    html = client.get(page.url).content.decode()
    assert "Your email address" in html and 'name="csrfmiddlewaretoken"' in html


def test_home_page_shows_campaign_stories_trainings_and_join_call(client, site, campaign_target):
    home = site["en"]
    news = publish_child(home, NewsIndexPage, title="News")
    _story(news, "Recent story", datetime.date(2023, 11, 1))
    soon = timezone.now() + datetime.timedelta(days=30)
    training = publish_child(home, ProgrammePage, title="Training", kind=ProgrammeKind.TRAINING)
    make_course(make_index(training), title="Regional SGBV course", sessions=[{"start": soon, "language": "fr"}])
    join = publish_child(home, JoinPage, title="Join")
    home.featured_campaign = campaign_target.campaign
    home.join_page = join
    home.join_title = "Join us today"
    home.save_revision().publish()

    html = client.get("/en/").content.decode()
    assert "Race to 2014" in html and "2,014 members" in html
    assert "Recent story" in html
    assert "Upcoming training courses" in html and "Regional SGBV course" in html and "Kigali" in html
    assert "Join us today" in html and 'href="/en/join/"' in html


def test_home_page_lists_recent_trainings_when_none_is_planned(client, site):
    training = publish_child(site["en"], ProgrammePage, title="Training", kind=ProgrammeKind.TRAINING)
    start = datetime.datetime(2011, 10, 3, 12, tzinfo=datetime.UTC)
    make_course(make_index(training), title="Pilot in Chile", sessions=[{"start": start, "place": "Chile"}])
    html = client.get("/en/").content.decode()
    assert "Recent training courses" in html and "Pilot in Chile" in html


def test_menu_shows_top_level_pages_marked_for_menus_and_breadcrumbs_show_the_way(client, site):
    about = publish_child(site["en"], SectionIndexPage, title="About", show_in_menus=True)
    publish_child(site["en"], StandardPage, title="Hidden from menu", show_in_menus=False)
    history = publish_child(about, StandardPage, title="History")
    html = client.get(history.url).content.decode()
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    assert '<a href="/en/about/" aria-current="true">About</a>' in nav
    assert "Hidden from menu" not in nav
    crumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert 'href="/en/"' in crumbs and 'href="/en/about/"' in crumbs and "History" in crumbs


def test_menu_follows_a_change_published_by_another_worker_at_the_next_request(client, site):
    about = publish_child(site["en"], SectionIndexPage, title="About", show_in_menus=True)
    news = publish_child(site["en"], StandardPage, title="Field news", show_in_menus=False)

    def menu() -> str:
        return client.get(about.url).content.decode().split('aria-label="Main"')[1].split("</nav>")[0]

    assert "Field news" not in menu() and "Field news" not in menu()  # shown twice: kept by this process too
    # Another worker publishes: the row changes and the shared generation is bumped, no signal runs here.
    Page.objects.filter(pk=news.pk).update(show_in_menus=True)
    invalidate_anonymous_pages()
    assert '<a href="/en/field-news/">Field news</a>' in menu()


def test_french_pages_live_under_fr(client, site):
    page = publish_child(site["fr"], StandardPage, title="À propos", slug="a-propos")
    assert page.url == "/fr/a-propos/"
    response = client.get("/fr/a-propos/")
    assert response.status_code == 200 and '<html lang="fr">' in response.content.decode()


def test_editors_get_an_add_form_for_every_page_type(admin_client, site):
    home = site["en"]
    section = publish_child(home, SectionIndexPage, title="Section")
    news = publish_child(home, NewsIndexPage, title="News")
    parents = {StoryPage: news}
    for model in ALL_TYPES:
        if model is HomePage:
            continue
        parent = parents.get(model, section if model is not JoinPage else home)
        url = f"/admin/pages/add/cms/{model._meta.model_name}/{parent.pk}/"
        response = admin_client.get(url)
        assert response.status_code == 200, (model, response.status_code)
        assert "Who may see this page" in response.content.decode(), model


def test_access_level_choices_are_named_in_the_admin(admin_client, site):
    html = admin_client.get(f"/admin/pages/{site['en'].pk}/edit/").content.decode()
    for label in ("Public", "Members", "Network", "Community of Practice"):
        assert f">{label}</option>" in html, label


def test_snippets_and_target_chooser_open_in_the_admin(admin_client, site, campaign_target):
    assert admin_client.get("/admin/snippets/cms/featuredmember/add/").status_code == 200
    assert admin_client.get("/admin/snippets/campaigns/statisticseries/add/").status_code == 200
    response = admin_client.get("/admin/cms-target-chooser/")
    assert response.status_code == 200
    assert "2,014 members" in response.content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches of site root paths and restricted sections
    with CaptureQueriesContext(connection) as context:
        # A query string of its own, so the anonymous page cache does not answer.
        assert client.get(f"{url}?first=1").status_code == 200
    return len(context)


def test_listing_queries_do_not_grow_with_the_number_of_stories(client, site, django_assert_max_num_queries):
    news = publish_child(site["en"], NewsIndexPage, title="News")
    image = make_image()
    for number in range(2):
        _story(news, f"Early {number}", datetime.date(2011, 1, number + 1), tags=["training"], lead_image=image)
    few = {url: _queries(client, url) for url in (news.url, "/en/")}
    for number in range(8):
        _story(news, f"Later {number}", datetime.date(2012, 1, number + 1), tags=[f"tag {number}"], lead_image=image)
    for url, count in few.items():
        client.get(f"{url}?warm=1")  # the new pages cleared the cached restricted sections
        with django_assert_max_num_queries(count):
            client.get(f"{url}?again=1")
