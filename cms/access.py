"""Who may see which page: the access level of a page and of its ancestors, and querysets narrowed to it.

A page is restricted when it, or any of its ancestors, has an access level above "public"; the strictest
one applies. The restricted sections are few, so their tree paths are kept in the cache and every listing,
menu, feed, search and sitemap excludes the sections above the viewer's level with one `path` filter — the
same technique Wagtail uses for its own view restrictions (`PageQuerySet.public()`).
"""

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from network.choices import AccessLevel
from network.permissions import User_, access_level, has_access_level

RESTRICTED_PATHS_KEY = "cms:restricted-page-paths"
# A safety net only: every page save, delete and move clears the entry at once (cms/signals.py).
RESTRICTED_PATHS_SECONDS = 3600


def content_page_models() -> list[type[Page]]:
    """Every concrete page type with an access level column of its own.

    Found in the app registry rather than by importing cms.models, which imports this module: the page
    models' own module stays the only one that knows them.
    """
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and any(field.name == "access_level" for field in model._meta.local_fields)
    ]


def restricted_paths() -> list[tuple[str, int]]:
    """(tree path, access level) of every page whose own level is above public, drafts included."""
    paths = cache.get(RESTRICTED_PATHS_KEY)
    if paths is None:
        queries = [
            model.objects.filter(access_level__gt=AccessLevel.PUBLIC).order_by().values_list("path", "access_level")
            for model in content_page_models()
        ]
        paths = sorted(queries[0].union(*queries[1:], all=True)) if queries else []
        cache.set(RESTRICTED_PATHS_KEY, paths, RESTRICTED_PATHS_SECONDS)
    return paths


def forget_restricted_paths() -> None:
    cache.delete(RESTRICTED_PATHS_KEY)


def effective_access_level(page: Page) -> AccessLevel:
    """The strictest access level of the page and its ancestors."""
    levels = [level for path, level in restricted_paths() if page.path.startswith(path)]
    return AccessLevel(max(levels, default=AccessLevel.PUBLIC))


def can_view_page(user: User_, page: Page) -> bool:
    return has_access_level(user, effective_access_level(page))


def exclude_pages_above(pages: PageQuerySet, level: int) -> PageQuerySet:
    """Pages outside every section that needs more than `level`."""
    hidden = [path for path, required in restricted_paths() if required > level]
    if not hidden:
        return pages
    condition = Q()
    for path in hidden:
        condition |= Q(path__startswith=path)
    return pages.exclude(condition)


def filter_pages_for_user(user: User_, pages: PageQuerySet) -> PageQuerySet:
    """Pages the user may open, for listings, menus, search results and language links.

    Wagtail's own privacy settings (password, groups) are honoured too: anonymous visitors see no page
    behind any of them, signed-in people none behind a password or a group restriction (a login-only
    restriction they pass).
    """
    pages = exclude_pages_above(pages, access_level(user))
    if not user.is_authenticated:
        return pages.public()
    private = Q()
    restricted = PageViewRestriction.objects.exclude(restriction_type=PageViewRestriction.LOGIN)
    for path in restricted.values_list("page__path", flat=True):
        private |= Q(path__startswith=path)
    return pages.exclude(private) if private else pages


def filter_public_pages(pages: PageQuerySet) -> PageQuerySet:
    """Pages anyone may open: what feeds and the sitemap publish."""
    return exclude_pages_above(pages, AccessLevel.PUBLIC).public()
