from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from campaigns import urls as campaign_urls
from cms import views as cms_views
from network import health

handler500 = "network.health.server_error"

urlpatterns = [
    # Answered by network.health.HealthCheckMiddleware before any other middleware; routed for reverse().
    path("healthz/", health.liveness, name="healthz"),
    path("healthz/ready/", health.readiness, name="healthz_ready"),
    # Wagtail's own login form would skip allauth's second factor: every admin login goes through allauth.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URLs, each file served through the library's access policy (library/urls_documents.py).
    path("documents/", include("library.urls_documents")),
    path("sitemap.xml", cms_views.sitemap, name="sitemap"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("forums/inbound-email/", include("forums.urls_inbound")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("members/advocacy/", include((campaign_urls.advocacy_urlpatterns, "advocacy"))),
    # /members/... and /notifications/unsubscribe/... (network/urls.py)
    path("", include("network.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("forums/", include("forums.urls")),
    path("library/", include("library.urls")),
    path("events/", include("events.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("feeds/", include("cms.urls")),
    path("search/", include("search.urls")),
    # Wagtail's front-end login (for pages restricted to logged-in users) would skip allauth's second factor and
    # email verification: it goes to allauth's login too, keeping ?next.
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("", include(wagtail_urls)),
)

if settings.BENCH_VIEWS:
    from network.views import bench as bench_views

    urlpatterns.insert(0, path("bench/signed-in/", bench_views.signed_in, name="bench_signed_in"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
