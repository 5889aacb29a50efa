"""A whole-page cache of Wagtail pages for anonymous visitors, kept in the default cache (Redis).

Every entry's key carries a generation token (a timestamp, so a cache emptied by a restart or an outage never
brings back a generation whose pages are still stored); publishing, unpublishing, moving or deleting any page, or
changing site settings, bumps the generation, so all cached pages are replaced at once. Menus and
listings show other pages, which is why one publish invalidates everything rather than one page.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "anonymous-pages:generation"
CACHE_HEADER = "X-Page-Cache"


def current_generation() -> int | None:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        # None when the cache is unreachable: the page is then neither read from nor written to it.
        generation = cache.get(GENERATION_KEY)
    return generation


def request_generation(request) -> int | None:
    """The generation, read once per request: this cache, the menu and the branding of the page all ask."""
    if request is None:
        return current_generation()
    if not hasattr(request, "_page_cache_generation"):
        request._page_cache_generation = current_generation()
    return request._page_cache_generation


def invalidate_anonymous_pages() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def mark_cacheable(request) -> None:
    """Called while Wagtail serves a page that looks the same to every anonymous visitor."""
    request.anonymous_page_cacheable = True


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        generation = request_generation(request)
        if generation is None:
            return self.get_response(request)
        key = f"anonymous-pages:{generation}:{request.get_host()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(content, content_type=content_type)
            response["Content-Language"] = language
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if self._may_store(request, response):
            cache.set(
                key,
                (response.content, response["Content-Type"], response.get("Content-Language", "")),
                timeout=settings.ANONYMOUS_PAGE_CACHE_SECONDS,
            )
            response[CACHE_HEADER] = "miss"
        return response

    @staticmethod
    def _may_use_cache(request) -> bool:
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return False
        # A pending flash message ("You have signed out") must reach the visitor, so skip the cache.
        return "messages" not in request.COOKIES and not request.session.get("_messages")

    @staticmethod
    def _may_store(request, response) -> bool:
        return (
            getattr(request, "anonymous_page_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A page that rendered a CSRF token is tied to this visitor's cookie.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
