from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from campaigns.permissions import can_view_campaign
from cms.access import filter_pages_for_user
from network.page_cache import request_generation
from network.permissions import access_level

register = template.Library()

# Open Graph wants a territory with the language.
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def _visible_translations(request, page) -> dict[str, str]:
    """Language code → URL of the page's live translations the visitor may open; read once per request (the
    language links and the page's meta tags both ask)."""
    if page is None or not getattr(page, "locale_id", None):
        return {}
    known = request.__dict__.setdefault("_visible_translations", {})
    if page.pk not in known:
        translations = filter_pages_for_user(request.user, page.get_translations(inclusive=True).live())
        known[page.pk] = {
            translation.locale.language_code: translation.get_url(request)
            for translation in translations.select_related("locale")
        }
    return known[page.pk]


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Links to the current page in each language: the page's translation, else the same view."""
    request = context.get("request")
    if request is None:
        return []
    translations = _visible_translations(request, context.get("page"))
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def page_meta(context) -> dict:
    """Canonical URL, hreflang alternates and Open Graph values of the current Wagtail page."""
    request = context.get("request")
    page = context.get("page")
    if request is None or page is None:
        return {}
    translations = _visible_translations(request, page)
    alternates = [
        {"code": code, "url": request.build_absolute_uri(translations[code])}
        for code, _name in settings.LANGUAGES
        if translations.get(code)
    ]
    default = translations.get(settings.LANGUAGE_CODE)
    specific = page.specific if type(page) is Page else page
    image = getattr(specific, "lead_image", None) or getattr(specific, "hero_image", None)
    image_url = ""
    if image is not None:
        image_url = request.build_absolute_uri(image.get_rendition("fill-1200x630|format-jpeg").url)
    return {
        "canonical": request.build_absolute_uri(page.get_url(request)),
        "alternates": alternates,
        "x_default": request.build_absolute_uri(default) if default else "",
        "description": page.search_description or getattr(specific, "summary", ""),
        "og_type": "article" if specific._meta.model_name == "storypage" else "website",
        "og_locale": OG_LOCALES.get(get_language(), get_language()),
        "image_url": image_url,
    }


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The current language's top-level pages marked "show in menus" that the visitor may open."""
    request = context.get("request")
    if request is None:
        return []
    current_path = getattr(context.get("page"), "path", "")
    return [
        {
            "title": item["title"],
            "url": item["url"],
            "current": current_path == item["path"],
            "ancestor": current_path.startswith(item["path"]) and current_path != item["path"],
        }
        for item in _menu_items(request)
    ]


def _menu_items(request) -> list[dict]:
    # Every page of every visitor shows the menu: cache it per language, host and audience. The key
    # carries the page cache generation, so publishing, moving or restricting a page replaces it. The
    # audience is the access level alone: filter_pages_for_user looks at nothing else of a signed-in person
    # (no group restriction is passed by anyone), and the level costs no query of its own.
    user = request.user
    audience = f"level-{access_level(user)}" if user.is_authenticated else "anonymous"
    generation = request_generation(request)
    key = f"main-menu:{generation}:{get_language()}:{request.get_host()}:{audience}"
    return _frame_value(key, generation, lambda: _build_menu_items(request), 3600)


# The frame's values (menu, branding) of the current generation, kept in this process too: every page asks for
# them, and the generation is read from the cache on each request anyway, so a publish or a branding change
# elsewhere still replaces them at the next request. Unbounded keys cannot pile up: a new generation starts
# the memo again, and one generation has a few languages, hosts and audiences.
_frame_memo: dict[int, dict[str, object]] = {}


def _frame_value(key: str, generation: int | None, build, timeout: int):
    values = _frame_memo.get(generation)
    if values is not None and key in values:
        return values[key]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    if generation is not None:  # None: the cache is unreachable, and nothing would tell us when to forget it
        if generation not in _frame_memo:
            _frame_memo.clear()
        _frame_memo.setdefault(generation, {})[key] = value
    return value


def _build_menu_items(request) -> list[dict]:
    from cms.models import HomePage

    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return []
    home = HomePage.objects.live().filter(locale=locale).only("path", "depth").first()
    if home is None:
        return []
    items = filter_pages_for_user(request.user, home.get_children().live().in_menu())
    if request.user.is_authenticated:
        # The "how to join" page is for visitors: signed-in people apply from their membership page.
        from cms.models import JoinPage

        items = items.not_type(JoinPage)
    return [{"title": item.title, "url": item.get_url(request), "path": item.path} for item in items]


@register.simple_tag(takes_context=True)
def breadcrumbs(context) -> list[Page]:
    """The ancestors of the current page below the site root (the language's home page included).

    An ancestor of a page the visitor may open is open to them too: access levels apply downwards.
    """
    page = context.get("page")
    if page is None or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gte=2).live())


@register.filter
def hostname(url: str) -> str:
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


@register.simple_tag(takes_context=True)
def campaign_visible(context, campaign) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return can_view_campaign(user, campaign)


# The branding changes when an editor saves it, which bumps the page cache generation (cms/signals.py).
BRANDING_SECONDS = 3600


@register.simple_tag(takes_context=True)
def site_branding(context) -> dict:
    """The default site's name and logo for the header, as plain values kept in the cache.

    Every page shows them: read from the database they cost two or three queries (site, settings, logo
    rendition) on each page.
    """
    generation = request_generation(context.get("request"))
    return _frame_value(f"site-branding:{generation}", generation, _load_branding, BRANDING_SECONDS)


def _load_branding() -> dict:
    from cms.models import SiteBranding

    site = Site.objects.filter(is_default_site=True).first()
    branding = SiteBranding.objects.filter(site=site).select_related("logo").first() if site else None
    logo = None
    if branding is not None and branding.logo is not None:
        rendition = branding.logo.get_rendition("height-48")
        logo = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return {
        "name": (branding.site_name if branding is not None else "") or "Peacekeepers Network",
        "configured_name": branding.site_name if branding is not None else "",
        "logo": logo,
    }
