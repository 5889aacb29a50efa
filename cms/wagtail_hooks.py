from wagtail import hooks

from cms.cache import mark_cacheable


@hooks.register("before_serve_page")
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    # Only pages that look the same to every visitor: no preview, no view restriction (a visitor who
    # entered a page password must not hand the page to the next one), no per-visitor content.
    if (
        getattr(page.specific_class, "cache_anonymous", True)
        and not getattr(request, "is_preview", False)
        and not page.get_view_restrictions().exists()
    ):
        mark_cacheable(request)
