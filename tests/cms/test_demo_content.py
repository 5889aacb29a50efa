import pytest
from django.core.management import call_command
from wagtail.models import Page

from campaigns.models import Campaign
from cms.demo import seed_content_pages
from cms.models import (
    CampaignPage,
    ContactPage,
    FeaturedMember,
    JoinPage,
    NewsIndexPage,
    ProgrammePage,
    SectionIndexPage,
    StandardPage,
    StatisticsPage,
    StoryPage,
)
from network.choices import AccessLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", quiet_passwords=True)


def test_demo_content_exists_in_english_and_french(seeded):
    for model in (
        SectionIndexPage,
        StandardPage,
        CampaignPage,
        ProgrammePage,
        NewsIndexPage,
        StoryPage,
        StatisticsPage,
        JoinPage,
        ContactPage,
    ):
        languages = set(model.objects.live().values_list("locale__language_code", flat=True))
        assert languages == {"en", "fr"}, model
    assert StoryPage.objects.filter(locale__language_code="fr").count() >= 3
    for english in StoryPage.objects.filter(locale__language_code="en"):
        assert english.get_translations().filter(locale__language_code="fr").exists(), english
    assert FeaturedMember.objects.publicly_shown().filter(locale__language_code="fr").exists()


def test_demo_content_is_created_once(seeded):
    counts = Page.objects.count(), FeaturedMember.objects.count()
    seed_content_pages()
    call_command("seed_demo", quiet_passwords=True)
    assert (Page.objects.count(), FeaturedMember.objects.count()) == counts


def test_race_to_2014_page_shows_the_seeded_campaign(client, seeded):
    page = CampaignPage.objects.get(slug="race-to-2014")
    campaign = Campaign.objects.filter(slug="race-to-2014").first()
    assert page.campaign == campaign
    html = client.get(page.url).content.decode()
    assert "Race to 2014" in html
    if campaign is not None:
        assert campaign.targets.first().title in html


def test_every_demo_page_answers(client, seeded):
    for page in Page.objects.live().filter(depth__gte=2).specific():
        response = client.get(page.url)
        if page.required_access_level > AccessLevel.PUBLIC:
            assert response.status_code == 302, page.url
        else:
            assert response.status_code == 200, page.url


def test_demo_tree_survives_editing_and_reseeding(seeded):
    about = SectionIndexPage.objects.get(slug="about")
    about.title = "About us (edited)"
    about.save_revision().publish()
    seed_content_pages()
    assert SectionIndexPage.objects.get(slug="about").title == "About us (edited)"
