from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from campaigns.sitemaps import PublicCampaignsSitemap
from cms.sitemaps import PublicPagesSitemap


@require_GET
@cache_control(max_age=3600, public=True)
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": PublicPagesSitemap, "campaigns": PublicCampaignsSitemap})


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    content = render_to_string(
        "cms/robots.txt", {"sitemap_url": request.build_absolute_uri("/sitemap.xml")}, request=request
    )
    return HttpResponse(content, content_type="text/plain; charset=utf-8")
