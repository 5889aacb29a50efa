"""Public campaign pages in the sitemap, in every language, at the site's public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from campaigns import queries


class PublicCampaignsSitemap(Sitemap):
    """The campaign list, and each public campaign with its targets; members-only campaigns never appear."""

    def items(self):
        entries = []
        campaigns = list(queries.list_campaigns_for_user(AnonymousUser()).prefetch_related("targets"))
        for language, _name in settings.LANGUAGES:
            entries.append((language, "campaigns:campaign_list", ()))
            for campaign in campaigns:
                entries.append((language, "campaigns:campaign_detail", (campaign.slug,)))
                for target in campaign.targets.all():
                    entries.append((language, "campaigns:target_detail", (campaign.slug, target.pk)))
        return entries

    def location(self, item):
        language, view_name, args = item
        with translation.override(language):
            return reverse(view_name, args=args)

    # Pages' addresses come from the Wagtail site (SITE_URL); campaigns use the same one, not the request's.
    def get_domain(self, site=None):
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).scheme
