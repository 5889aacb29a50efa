"""RSS and Atom feeds of the public stories of one language (the one in the URL)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale, Site

from cms.access import filter_public_pages
from cms.models import NewsIndexPage, SiteBranding, StoryPage

FEED_LENGTH = 20


def public_stories(locale: Locale):
    stories = StoryPage.objects.live().filter(locale=locale)
    return filter_public_pages(stories).order_by("-date", "-pk").prefetch_related("tags")


class StoriesFeed(Feed):
    """The latest public stories; the request is the feed's object, so one instance serves every request."""

    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request) -> str:
        site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        name = SiteBranding.for_site(site).site_name if site else ""
        return f"{name} – {_('Stories')}" if name else _("Stories")

    def link(self, request) -> str:
        locale = Locale.get_active()
        index = filter_public_pages(NewsIndexPage.objects.live().filter(locale=locale)).first()
        return index.get_url(request) if index else f"/{locale.language_code}/"

    def description(self, request) -> str:
        return _("News from the network of women police peacekeepers.")

    def items(self, request):
        return public_stories(Locale.get_active())[:FEED_LENGTH]

    def item_title(self, story: StoryPage) -> str:
        return story.title

    def item_description(self, story: StoryPage) -> str:
        return story.intro or story.search_description

    def item_link(self, story: StoryPage) -> str:
        return story.url

    def item_pubdate(self, story: StoryPage) -> datetime.datetime:
        return datetime.datetime.combine(story.date, datetime.time(12), tzinfo=datetime.UTC)

    def item_updateddate(self, story: StoryPage) -> datetime.datetime | None:
        return story.last_published_at

    def item_author_name(self, story: StoryPage) -> str:
        return story.author

    def item_categories(self, story: StoryPage) -> list[str]:
        return [tag.name for tag in story.tags.all()]


class StoriesAtomFeed(StoriesFeed):
    feed_type = Atom1Feed
    subtitle = StoriesFeed.description
