from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from cms.access import filter_public_pages


class PublicPagesSitemap(Sitemap):
    """Every live public page of the site, in every language (Wagtail's own lists one language only)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        in_site = Q()
        for home in root.get_translations(inclusive=True).live():
            in_site |= Q(path__startswith=home.path)
        pages = Page.objects.live().filter(in_site)
        return filter_public_pages(pages).order_by("path").defer_streamfields().specific()
